from tests.sshd import sshd, sshd_server  # noqa: F401
