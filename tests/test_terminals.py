"""Terminals at their worst: tiny, huge, resizing storms, no colour, 16 colours, LANG=C, and
no terminal at all."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("textual")

from textual.widgets import Static  # noqa: E402

from csto_tui.app import CstoApp  # noqa: E402
from csto_tui.widgets import StateList  # noqa: E402


async def ready(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def too_small_text(app) -> str:
    return str(app.query_one("#too-small", Static).render())


async def test_tiny_terminal_gets_a_message_not_a_broken_layout(project_copy: Path) -> None:
    app = CstoApp(project_copy)
    async with app.run_test(size=(20, 5)) as pilot:
        await ready(pilot)
        assert app.screen.has_class("-too-small")
        assert "80x24" in too_small_text(app) and "20x5" in too_small_text(app)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not app.screen.has_class("-too-small")
        assert app.query_one(StateList).region.height > 5


async def test_focus_comes_back_after_the_terminal_was_briefly_too_small(
        project_copy: Path) -> None:
    """The pane focused before the terminal got too small is focused again when it is big
    enough, and answers keys at once (no Esc or Tab first)."""
    from csto_tui.widgets.events_pane import EventsPane

    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        for key, pane_type in (("3", EventsPane), ("1", StateList)):
            await pilot.press(key)
            await pilot.pause()
            pane = app.query_one(pane_type)
            assert app.focused is pane
            await pilot.resize_terminal(70, 20)
            await pilot.pause()
            await pilot.pause()
            assert app.screen.has_class("-too-small")
            await pilot.resize_terminal(80, 24)
            await pilot.pause()
            await pilot.pause()
            assert not app.screen.has_class("-too-small")
            assert app.focused is pane
        before = pane.highlighted
        await pilot.press("j")
        await pilot.pause()
        assert pane.highlighted != before


async def test_huge_terminal_and_a_resizing_storm(project_copy: Path) -> None:
    app = CstoApp(project_copy)
    async with app.run_test(size=(300, 100)) as pilot:
        await ready(pilot)
        assert app.query_one(StateList).region.width > 20
        for w, h in [(80, 24), (20, 5), (300, 100), (79, 24), (81, 25), (120, 40), (40, 60),
                     (200, 30), (80, 23), (80, 24)] * 3:
            await pilot.resize_terminal(w, h)
        await pilot.pause()
        await pilot.press("j", "tab", "j")
        await pilot.pause()
        assert app.size == (80, 24)
        assert not app.screen.has_class("-too-small")
        assert app.dashboard.selected_state is not None


async def test_no_color_keeps_status_and_response_as_text(project_copy: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("a")  # all crises
        await pilot.pause()
        assert app.no_color  # Textual saw NO_COLOR and filters colour out
        from csto_tui.widgets import EventsPane

        def screen_lines(widget) -> str:
            return "\n".join(widget.render_line(y).text for y in range(widget.size.height))

        states = screen_lines(app.query_one(StateList))
        events = screen_lines(app.query_one(EventsPane))
        # status and response are characters on screen, not colours
        assert "M Armenia" in states and "F Uzbekistan" in states
        import re

        markers = re.findall(r"\[[+x*.!d>~= ]\]", events)
        assert len(markers) >= 3


def test_lang_c_runs_the_cli() -> None:
    env = dict(os.environ, LANG="C", LC_ALL="C", PYTHONIOENCODING="")
    r = subprocess.run([sys.executable, "-m", "csto_tui", "search", "Kazakhstan"],
                       capture_output=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    assert b"Traceback" not in r.stderr and b"Kazakhstan" in r.stdout


def test_no_terminal_at_all_gets_advice() -> None:
    r = subprocess.run([sys.executable, "-m", "csto_tui"], capture_output=True, text=True,
                       stdin=subprocess.DEVNULL, timeout=120,
                       env=dict(os.environ, TERM="xterm-256color"))
    assert r.returncode == 1
    assert "interactive terminal" in r.stderr and "export" in r.stderr
