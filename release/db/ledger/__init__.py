"""The ledger and applying: the ledger tables, the database lock, the executor that applies each
statement exactly once, online schema changes (pt-online-schema-change, gh-ost), and
alters.status / apply / baseline / resolve."""
