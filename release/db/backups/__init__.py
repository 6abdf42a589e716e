"""Backups: the dump (db.dump), the physical backup (db.dump --physical), the restore
(db.restore) and the restore drill (db.verify-backup, db.restore --physical), the stream that
encrypts them, their names, their manifest, the backups folder (listing, leftovers, pruning),
and the before/after pair a release takes around its alters."""
