"""The only package that speaks to MySQL/MariaDB: PyMySQL connections and the client tools.

At this level, what every room below shares: an environment's database resolved from the
configuration (target), its credentials, connections and the errors they raise, the client
tools (tools: the one place they run; output: what they printed, made safe to quote), the
schema as information_schema reports it (schema, shape), table sizes, replicas and their
checks, the server's own syntax check (syntax_check, private_parser), and throwaway private
servers. The rooms:

- ledger/: the ledger and applying (alters.status, apply, baseline, resolve; online changes)
- explain/: how the server would run each pending statement (alters.explain)
- backups/: dump, physical backups, the restore drill, restore, stream, names, manifest, the
  backups folder, the before/after pair
- clones/: copy and swap, scrub, verify, personal data, QA values (db.clone, db.verify-scrub)
"""
