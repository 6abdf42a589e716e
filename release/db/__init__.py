"""The only package that speaks to MySQL/MariaDB: PyMySQL connections and the client tools.

At this level, what every room below shares: an environment's database resolved from the
configuration (target), its credentials, connections and the errors they raise, the client
tools (tools: the one place they run), the schema as information_schema reports it, table
sizes, and throwaway private servers. The rooms:

- ledger/: the ledger and applying (alters.status, apply, baseline, resolve; online changes)
- explain/: how the server would run each pending statement (alters.explain)
- backups/: dump, restore, stream, names, manifest, the backups folder
- clones/: copy, scrub, verify, personal data, QA values (db.clone, db.verify-scrub)
"""
