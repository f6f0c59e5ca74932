"""The core never imports textual: check, sync, export and search work without a UI."""

from __future__ import annotations

import subprocess
import sys

#: The Textual app; every other module of the package is core (a new module is core unless it
#: is named here).
UI = ("csto_tui.app", "csto_tui.feed", "csto_tui.commands", "csto_tui.record_commands",
      "csto_tui.keys", "csto_tui.keymap", "csto_tui.messages", "csto_tui.__main__",
      "csto_tui.driver", "csto_tui.keyorder",
      "csto_tui.screens", "csto_tui.widgets")


def _core() -> list[str]:
    import pkgutil

    import csto_tui

    names = [m.name for m in pkgutil.walk_packages(csto_tui.__path__, "csto_tui.")]
    return [n for n in names if not any(n == u or n.startswith(u + ".") for u in UI)]


CORE = _core()


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


def test_authoring_is_core() -> None:
    """The writing half (csto_tui.authoring) is checked above with the rest of the core."""
    assert "csto_tui.authoring" in CORE
