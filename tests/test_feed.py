"""The data feed as a user meets it: what a reload gives the search."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from csto_tui.app import CstoApp


async def _settled(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def test_a_reload_with_facts_only_on_rebuilds_the_search_index(
        project_copy: Path) -> None:
    """`c` (facts only), then an edit and `r`: the search finds the edited dataset, not the
    one before the edit (the index was built, then dropped as out of date, and the old one
    stayed in use)."""
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settled(pilot)
        before = app.data.search_index
        assert before is not None
        assert not before.search("Zembla")
        await pilot.press("c")
        assert app.data.facts_only
        text = project_copy.read_text(encoding="utf-8")
        project_copy.write_text(text.replace('name = "Armenia"', 'name = "Zembla"', 1),
                                encoding="utf-8")
        await pilot.press("r")
        await _settled(pilot)
        await _settled(pilot)
        index = app.data.search_index
        assert index is not None and index is not before
        assert [h.id for h in index.search("Zembla")][:1] == ["arm"]


async def test_the_progress_of_a_first_load_shows_the_file_name_literally(
        project_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A big first load says what it reads, by the file's name: an escape sequence in the name
    is shown as text (^[), never sent to the terminal."""
    from csto_tui import feed
    from csto_tui.messages import LoadProgress
    from csto_tui.screens.dashboard import DashboardScreen

    monkeypatch.setattr(feed, "PROGRESS_BYTES", 0)  # every load is "big"
    monkeypatch.setattr(feed, "INLINE_LOAD_BYTES", 0)  # ... and loaded in the worker
    named = project_copy.with_name("csto\x1b]0;owned\x07.toml")
    project_copy.rename(named)
    project_copy.with_name("csto.anchors.toml").rename(
        named.with_name("csto\x1b]0;owned\x07.anchors.toml"))
    seen: list[tuple[str, ...]] = []
    shown = DashboardScreen.on_load_progress

    def spy(self: DashboardScreen, message: LoadProgress) -> None:
        seen.append(message.lines)
        shown(self, message)

    monkeypatch.setattr(DashboardScreen, "on_load_progress", spy)
    app = CstoApp(named)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settled(pilot)
        assert app.data.dataset is not None
    assert seen and seen[0][0] == "Loading csto^[]0;owned^G.toml"
    assert not any("\x1b" in line for lines in seen for line in lines)


async def test_quitting_during_a_long_first_load_does_not_wait_for_it(
        project_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`q` while a big dataset is still loading: the app is gone at once (the load is left to
    finish, or not, in a thread that ends with the process), and nothing of the load is
    applied afterwards."""
    import threading

    import csto_tui.feed as feed
    import csto_tui.loader as loader

    monkeypatch.setattr(feed, "INLINE_LOAD_BYTES", 0)
    monkeypatch.setattr(feed, "INLINE_SNAPSHOT_BYTES", 0)  # a first load in the worker
    monkeypatch.setenv("CSTO_TUI_CACHE", "0")
    started, release = threading.Event(), threading.Event()
    real_load = loader.load

    def long_load(path):  # a first load of 1000x the data, as long as the test wants
        started.set()
        release.wait(30)
        return real_load(path)

    monkeypatch.setattr(loader, "load", long_load)
    applied: list[object] = []
    monkeypatch.setattr(feed.DataFeed, "apply", lambda self, *a: applied.append(a))

    def loading_threads() -> list[str]:
        """Threads the process's exit waits for (not daemons) that are still in the load."""
        frames = sys._current_frames()
        out = []
        for t in threading.enumerate():
            f = None if t.daemon or t is threading.main_thread() else frames.get(t.ident or 0)
            while f is not None:
                if f.f_code.co_name in ("long_load", "load_in_worker"):
                    out.append(t.name)
                    break
                f = f.f_back
        return out

    app = CstoApp(project_copy)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            assert started.wait(10)
            await pilot.press("q")
            await pilot.pause()
        for _ in range(40):  # the worker notices it was cancelled (it looks every 50 ms)
            if not loading_threads():
                break
            time.sleep(0.05)
        assert not loading_threads(), "the exit would wait for the load to finish"
        assert not release.is_set() and app.data.dataset is None
    finally:
        release.set()
    assert not applied
