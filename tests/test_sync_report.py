"""`sync` reports only what it changes (csto_tui/cli.py, SyncReport.re_anchored): a quote that
stays normalized or moved as already written is not "re-anchored" again on every run. A row
of docs/robustness.md."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from csto_tui.cli import main
from csto_tui.loader import load


def _sync(path: Path) -> str:
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(io.StringIO()):
        main(["sync", "--data", str(path)])
    return out.getvalue()


def test_a_second_sync_reports_nothing_re_anchored(project_copy: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSTO_TUI_CACHE", "0")
    src = load(project_copy).dataset.sources[0].path
    assert src is not None
    text = src.read_text(encoding="utf-8")
    assert "Kyrgyzstan, Russia" in text
    # typography inside a quote (normalized) and a line before the rest (moved)
    src.write_text("A new first line.\n" + text.replace("Kyrgyzstan, Russia",
                                                        "Kyrgyzstan,  Russia", 1),
                   encoding="utf-8")
    first = _sync(project_copy)
    assert "normalized (re-anchored): q-a1-nine-members" in first
    assert "moved (re-anchored): " in first and "\nwrote " in first
    second = _sync(project_copy)
    assert "re-anchored" not in second
    assert "normalized" in second.splitlines()[0]  # still its status, in the counts
    assert second.rstrip().endswith("anchors unchanged; nothing written")
