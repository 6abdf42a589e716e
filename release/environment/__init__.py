"""Reaching an environment: its database resolved once and opened (through an SSH tunnel when
`database.ssh` names a host), for every command that works on it."""
