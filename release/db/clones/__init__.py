"""Clones: copying production into a test environment (db.clone), what counts as personal
data, the scrub plan and its values, carrying it out, verifying it (db.verify-scrub), the
clone's state in the target database, and the QA test values set afterwards."""
