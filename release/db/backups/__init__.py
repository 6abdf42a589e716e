"""Backups: the dump (db.dump), the restore (db.restore), the stream that encrypts them, their
names, their manifest, the backups folder (listing, leftovers, pruning), and the before/after
pair a release takes around its alters."""
