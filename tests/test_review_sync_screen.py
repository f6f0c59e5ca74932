"""Review findings on the S screen (csto_tui/screens/sync_screen.py): a dataset the dashboard
reports as not loadable (any exception, not only a DatasetError) must not take the whole app
down when S is pressed."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("textual")

from textual.widgets import Static  # noqa: E402

from csto_tui.app import CstoApp  # noqa: E402
from csto_tui.screens.sync_screen import SyncScreen  # noqa: E402


async def test_an_unexpected_load_error_fails_the_screen_not_the_app(
        project_copy: Path) -> None:
    # tomllib recurses once per nesting level: this raises RecursionError, not a TOML error
    deep = "\nnested = " + "[" * 3000 + "]" * 3000 + "\n"
    project_copy.write_text(project_copy.read_text(encoding="utf-8") + deep, encoding="utf-8")
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
