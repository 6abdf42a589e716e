"""Stagecraft: safe, boring releases for Django + MySQL applications."""

from __future__ import annotations

__version__ = "0.1.0"
