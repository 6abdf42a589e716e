"""The db fixtures (production data, QA database, age keys, configuration) for task tests."""

from tests.db.conftest import qa_database, setup  # noqa: F401
