"""Loading and validating `release.toml` (or `[tool.release]` in pyproject.toml).

Everything has a default so that the git tasks work with no file at all. Problems are
collected and reported together, each with the file name and the key's path.
`sections` describes the file's tables; `loading` finds and reads it.
"""

from __future__ import annotations

from release.config.checks import BUILT_IN_STEPS, QA_CHECKS
from release.config.loading import Config, load, parse
from release.config.sections import (
    LARGE_TABLE_ROWS,
    MAX_LAG,
    PRODUCTION,
    SCRUB_KINDS,
    SQL_DIALECTS,
    AltersConfig,
    BackupsConfig,
    ChecklistConfig,
    ChecklistStep,
    ConfigFile,
    DatabaseConfig,
    DjangoConfig,
    EnvironmentConfig,
    GitConfig,
    HostEntry,
    OnlineConfig,
    QaConfig,
    QaValue,
    ReplicaConfig,
    ScrubConfig,
    ScrubRule,
    is_production,
)

__all__ = [
    "BUILT_IN_STEPS", "LARGE_TABLE_ROWS", "MAX_LAG", "PRODUCTION", "QA_CHECKS", "SCRUB_KINDS",
    "SQL_DIALECTS", "AltersConfig", "BackupsConfig", "ChecklistConfig", "ChecklistStep", "Config",
    "ConfigFile", "DatabaseConfig", "DjangoConfig", "EnvironmentConfig", "GitConfig",
    "HostEntry", "OnlineConfig", "QaConfig", "QaValue", "ReplicaConfig", "ScrubConfig", "ScrubRule",
    "is_production", "load", "parse",
]
