"""Review of the late commits: the dashboard's wait for a save to finish."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

# ---- the dashboard waits for a save to finish, not for a file time in the future ----------------

async def test_a_future_file_time_delays_a_reload_at_most_the_cap_and_never_the_exit(
        project_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import threading
    import time

    from csto_tui import feed as app_module
    from csto_tui.app import CstoApp

    monkeypatch.setenv("CSTO_TUI_CACHE", "0")
    monkeypatch.setattr(app_module, "SETTLE_MAX_SECONDS", 1.0)
    app = CstoApp(project_copy)
    done: list[tuple[bool, float]] = []
    returned = threading.Event()
    real = app_module.DataFeed.wait_until_written

    def wait(feed: app_module.DataFeed) -> bool:
        out = real(feed)
        done.append((out, time.monotonic()))
        returned.set()
        return out

    monkeypatch.setattr(app_module.DataFeed, "wait_until_written", wait)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert app.data.dataset is not None
        future = time.time() + 86400  # `touch -d tomorrow`
        _retitle(project_copy, "Tomorrow")
        os.utime(project_copy, (future, future))
        t0 = time.monotonic()
        app.dashboard.feed.reload()
        while app.dashboard.feed.busy and time.monotonic() - t0 < 5:
            await pilot.pause(0.05)
        assert done and done[0][0] and 0.9 <= done[0][1] - t0 < 2.0  # the cap held
        assert app.data.dataset.title.startswith("Tomorrow")  # reloaded
        returned.clear()
        app.dashboard.feed.reload()  # and quitting during the wait does not wait for it
        await pilot.pause(0.1)
        t_exit = time.monotonic()
    assert returned.wait(0.6), "the load worker kept the app from exiting"
    assert done[-1][0] is False and done[-1][1] - t_exit < 0.5


def _retitle(path: Path, title: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r'(?m)^title = "', f'title = "{title} ', text, count=1),
                    encoding="utf-8")
