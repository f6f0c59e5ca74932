"""A burst of keys into the search box (an unbracketed paste, a fast typist over SSH): taken in
as the terminal delivers it, one search for the whole burst, the box capped at MAX_QUERY
characters (csto_tui/screens/search_screen.py). A 220 KB burst once froze the dashboard and
grew it to gigabytes; benchmarks/search_burst.py prints how long one takes now. A row of
docs/robustness.md."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input

from csto_tui.app import CstoApp
from csto_tui.screens.search_screen import MAX_QUERY, SearchScreen


def burst(app: CstoApp, text: str) -> None:
    """Every key of ``text`` queued at once, as a terminal delivers a paste."""
    for ch in text:
        app.post_message(events.Key("space" if ch == " " else ch, ch))


async def test_a_burst_into_search_runs_one_search_and_keeps_the_box_bounded(
        project_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    app = CstoApp(project_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("slash")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        searched: list[str] = []
        real = screen.refresh_results

        def counting(query: str) -> None:
            searched.append(query)
            real(query)

        monkeypatch.setattr(screen, "refresh_results", counting)
        text = ("Kazakhstan intervention troops " * 700)[:20_000]
        burst(app, text)
        for _ in range(200):
            await pilot.pause(0.05)
            if screen.query_one("#search-input", Input).value == text[:MAX_QUERY] and searched:
                break
        box = screen.query_one("#search-input", Input).value
        assert box == text[:MAX_QUERY]
        assert 1 <= len(searched) <= 5, len(searched)  # not one per key
        assert searched[-1] == box and screen.hits
        await pilot.press("enter")  # goes to the best result of what the box holds
        await pilot.pause()
        assert not isinstance(app.screen, SearchScreen)
