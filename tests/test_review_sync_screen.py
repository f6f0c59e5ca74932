"""Review findings on the S screen (csto_tui/screens/sync_screen.py): a dataset the dashboard
reports as not loadable (any exception, not only a DatasetError) must not take the whole app
down when S is pressed."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("textual")

from textual.widgets import Static  # noqa: E402

from csto_tui import reading  # noqa: E402
from csto_tui.app import CstoApp  # noqa: E402
from csto_tui.screens.sync_screen import SyncScreen  # noqa: E402


async def test_an_unexpected_load_error_fails_the_screen_not_the_app(
        project_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Deep nesting once raised RecursionError from tomllib; csto_tui.reading now refuses it
    # with a located message. An error nobody foresaw is made here by hand.
    def unforeseen(path: object, text: str) -> dict[str, object]:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(reading, "parse_toml", unforeseen)
    monkeypatch.setenv("CSTO_TUI_CACHE", "0")  # parsed, not taken from a snapshot
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        assert app.data.load_error is not None  # the dashboard itself stays up and says so
        await pilot.press("S")
        screen = app.screen
        assert isinstance(screen, SyncScreen)
        for _ in range(400):
            if screen.state != "loading":
                break
            await pilot.pause(0.02)
        assert screen.state == "failed"
        assert "RecursionError" in str(screen.query_one("#sync-status", Static).render())
        await pilot.press("escape")
        assert not isinstance(app.screen, SyncScreen)
        assert app.is_running
