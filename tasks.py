from release.tasks import ns  # noqa: F401
