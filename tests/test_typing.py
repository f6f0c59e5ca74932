"""The whole package type-checks: mypy with the project's settings (pyproject.toml: every
module of csto_tui, unused ``# type: ignore`` comments reported)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_is_clean_over_the_whole_package() -> None:
    out = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True,
                         text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    modules = len(list((ROOT / "csto_tui").rglob("*.py")))
    assert f"no issues found in {modules} source files" in out.stdout, out.stdout
