"""The builders every test shares (the fixtures over them are thin, in the conftest.py files):

- git.py: the git sandbox (a bare origin, the application's clone, a developer's clone) and
  the `git`, `commit`, `refs` helpers.
- mariadb.py: the suite's MariaDB as a value, fresh databases on it, small SQL helpers.
- templates.py: production data loaded once per session and copied into a test's database.
- corpus.py: the sample application and, when they are here, the client's files.
- toml.py: the one release.toml builder and the suite's one age key pair.
- production.py: an application with a production database (a corpus) and an empty QA one.
- ledger.py: an application clone configured for the ledger tests.
- probes.py: probe databases holding personal data a first set of scrub rules misses.
- release.py: a sandbox release with known history (checklist, notes, browser tests).
- site.py: a deployable site: servers that are clones of origin, a QA database.
- checking_server.py: an application whose [alters] check_with names the suite's MariaDB
  (AL001 from the server's parser).
- sshd.py: the suite's own sshd on 127.0.0.1.
- browser.py: headless Chromium over the DevTools pipe.
"""
