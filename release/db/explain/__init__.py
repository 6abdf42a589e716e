"""alters.explain: asking an environment's server how it would run each pending DDL statement
(on an empty copy of its table in a scratch schema), and the report made of its answers."""
