"""The only package that speaks to MySQL/MariaDB: PyMySQL connections and the client tools."""
