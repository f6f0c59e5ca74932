"""Every export from a screen (the dashboard's e, the briefing view's e, the pivot view's e)
runs through csto_tui/screens/exporting.py and says the same thing for the same outcome:
written, the file holding something else (press again), another program writing the file
meanwhile (theirs kept, ours beside it), and a failure (an OS error)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from csto_tui import export, pivot
from csto_tui.app import CstoApp
from csto_tui.screens.briefing_view import BriefingScreen
from csto_tui.screens.pivot_view import PivotScreen

SCREENS = ("dashboard", "briefing", "pivot")


@pytest.fixture(autouse=True)
def _private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


async def _ready(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    for _ in range(3):
        await pilot.pause()


Notice = tuple[str, str, str]  # title, message, severity


async def _export(data: Path, where: str, before: Callable[[Path], None]) -> tuple[
        list[Notice], Path]:
    """Kazakhstan's briefing (or the counts) exported from ``where``, ``before(target)`` done
    just before the key; the notices it gave and the file it aimed at."""
    app = CstoApp(data)
    notices: list[Notice] = []
    real = app.notify

    def notify(message: str, *, title: str = "", severity: str = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        assert markup is False  # paths and messages are never read as markup
        notices.append((title, message, severity))
        real(message, title=title, severity=severity, timeout=timeout,  # type: ignore[arg-type]
             markup=markup)

    app.notify = notify  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await _ready(pilot)
        while app.dashboard.selected_state != "kaz":
            await pilot.press("down")
            await _ready(pilot)
        if where == "briefing":
            await pilot.press("b")
            await _ready(pilot)
            assert isinstance(app.screen, BriefingScreen)
        elif where == "pivot":
            await pilot.press("v")
            await _ready(pilot)
            assert isinstance(app.screen, PivotScreen) and app.screen.counts is not None
        if where == "pivot":
            assert isinstance(app.screen, PivotScreen) and app.screen.counts is not None
            target = pivot.default_path(app.screen.counts, "markdown")
        else:
            target = export.default_path(export.Request(("kaz",)))
        before(target)
        notices.clear()
        await pilot.press("e")
        await _ready(pilot)
    return notices, target


def _same(notices: dict[str, tuple[list[Notice], Path]]) -> list[Notice]:
    """The notices of every screen, with what is exported and where made generic; asserted
    equal across the screens, returned."""
    generic = {}
    for where, (said, target) in notices.items():
        what = "Counts" if where == "pivot" else "Briefing"
        generic[where] = [(t, m.replace(str(target), "TARGET").replace(target.name, "NAME")
                           .replace(what, "WHAT"), s) for t, m, s in said]
    first = generic[SCREENS[0]]
    assert all(g == first for g in generic.values()), generic
    return first


async def _each(data: Path, folder: Path, monkeypatch: pytest.MonkeyPatch,
                before: Callable[[Path], None] = lambda target: None) -> list[Notice]:
    """Export from every screen, each into a folder of its own under ``folder`` (made if
    ``folder`` can be made)."""
    said = {}
    for where in SCREENS:
        if not folder.parent.is_file():
            (folder / where).mkdir(parents=True)
        monkeypatch.setenv(export.EXPORT_DIR_ENV, str(folder / where))
        said[where] = await _export(data, where, before)
    return _same(said)


async def test_written(project_copy: Path, tmp_path: Path,
                       monkeypatch: pytest.MonkeyPatch) -> None:
    said = await _each(project_copy, tmp_path / "out", monkeypatch)
    assert said == [("Exported", "WHAT written to TARGET", "information")]
    assert sorted(p.relative_to(tmp_path / "out").as_posix()
                  for p in (tmp_path / "out").rglob("*.md")) == [
        "briefing/csto-briefing-kaz.md", "dashboard/csto-briefing-kaz.md",
        "pivot/csto-counts-event-response-year.md"]


async def test_a_file_holding_something_else_asks_for_the_key_again(
        project_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def notes(target: Path) -> None:
        target.write_text("my notes", encoding="utf-8")

    said = await _each(project_copy, tmp_path / "out", monkeypatch, notes)
    assert said == [("Not written yet", "NAME holds something else: e again replaces it "
                     "(the old one kept as .bak)", "warning")]
    written = list((tmp_path / "out").rglob("*"))
    assert len([f for f in written if f.is_file()]) == 3
    for f in written:
        assert f.is_dir() or f.read_text(encoding="utf-8") == "my notes"  # nothing replaced


async def test_a_file_written_meanwhile_is_kept_and_ours_written_beside(
        project_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another program saves the file while the export is flushed to disk."""
    real_fsync = os.fsync
    pending: list[Path] = []

    def other_writer_saves(fd: int) -> None:
        real_fsync(fd)
        if pending:
            pending.pop().write_text("theirs", encoding="utf-8")

    monkeypatch.setattr(os, "fsync", other_writer_saves)
    said = await _each(project_copy, tmp_path / "out", monkeypatch, pending.append)
    assert len(said) == 1 and said[0][0] == "Written beside" and said[0][2] == "warning"
    assert "TARGET changed on disk while it was written" in said[0][1]
    assert "wrote this one to TARGET.new" in said[0][1]
    kept = list((tmp_path / "out").rglob("*.md"))
    assert len(kept) == 3
    for f in kept:
        assert f.read_text(encoding="utf-8") == "theirs"
        assert f.with_name(f.name + ".new").read_text(encoding="utf-8") != "theirs"


async def test_a_failure_is_said_the_same_way(project_copy: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    said = await _each(project_copy, tmp_path / "a-file" / "out", monkeypatch)
    assert said == [("Export failed", "TARGET: cannot write: Not a directory", "error")]
