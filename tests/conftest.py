"""Shared fixtures: a private copy of the bundled dataset and seeds to edit freely."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SEEDS = ROOT / "seeds"


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A copy of data/ and seeds/ side by side; returns the copied dataset file."""
    shutil.copytree(DATA, tmp_path / "data", ignore=shutil.ignore_patterns("*.bak", ".*"))
    shutil.copytree(SEEDS, tmp_path / "seeds")
    return tmp_path / "data" / "csto.toml"
