"""What the application's Django models expect of the database, asked of its own Django (run
with its interpreter, never imported here) and compared through information_schema."""
