"""The core never imports textual: check, sync, export and search work without a UI."""

from __future__ import annotations

import subprocess
import sys

CORE = [
    "csto_tui.model", "csto_tui.loader", "csto_tui.anchoring", "csto_tui.checking",
    "csto_tui.syncing", "csto_tui.export", "csto_tui.briefing", "csto_tui.coverage",
    "csto_tui.prose",
    "csto_tui.atomic", "csto_tui.errors", "csto_tui.textsafe", "csto_tui.cli",
    "csto_tui.search", "csto_tui.cache", "csto_tui.records",
]


def test_core_modules_do_not_import_textual() -> None:
    code = (
        "import sys\n"
        f"for m in {CORE!r}:\n"
        "    __import__(m)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"core imported textual: {out.stdout.strip()}"


def test_cli_check_runs_without_textual() -> None:
    code = (
        "import sys\n"
        "from csto_tui.cli import main\n"
        "rc = main(['check'])\n"
        "assert 'textual' not in sys.modules, 'check imported textual'\n"
        "sys.exit(rc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
