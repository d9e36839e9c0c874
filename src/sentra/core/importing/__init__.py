"""The import engine : one pipeline for every kind of record; apps register declarative kinds.

Public API (see docs/importing.md)::

    from sentra.core.importing import Column, CommitStats, ImportContext, ImportKind, RowError, cells, register_kind
"""

from sentra.core.importing import cells
from sentra.core.importing.kinds import (
    Column,
    CommitStats,
    ImportContext,
    ImportKind,
    RowError,
    all_kinds,
    get_kind,
    normalise_header,
    register_kind,
)

__all__ = [
    "Column",
    "CommitStats",
    "ImportContext",
    "ImportKind",
    "RowError",
    "all_kinds",
    "cells",
    "get_kind",
    "normalise_header",
    "register_kind",
]
