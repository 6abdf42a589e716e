"""alters.sql and production_push_instructions.txt: parsing, checksums and lint rules."""
