"""Themes: every one offered renders the dashboard at 80x24 with its meaning in text markers
(status letters, response markers), never in colour alone; --theme and the config file pick one,
and NO_COLOR still wins. Pictures of the ANSI, high-contrast and NO_COLOR renderings are in
test_svg_snapshots.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from screen_text import styles_of, visible_text

from csto_tui import settings
from csto_tui.app import CstoApp
from csto_tui.keymap import theme_names


@pytest.mark.parametrize("theme", theme_names())
async def test_each_theme_renders_the_dashboard_with_markers(theme: str) -> None:
    app = CstoApp(theme=theme)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        assert app.theme == theme
        await pilot.press("a")  # every crisis, with its response marker
        await pilot.pause(0.2)
        from csto_tui.widgets.events_pane import EventsPane
        from csto_tui.widgets.state_list import StateList

        states = "\n".join(visible_text(app.screen.query_one(StateList)))
        crises = "\n".join(visible_text(app.screen.query_one(EventsPane)))
        assert "M Armenia" in states and "F Georgia" in states, theme
        assert "[*]" in crises, theme
        # the cursor row stands out from the others by more than colour: its style differs
        cursor = styles_of(app.screen.query_one(StateList), 0, "Armenia")
        other = styles_of(app.screen.query_one(StateList), 1, "Belarus")
        assert cursor and other and cursor[0] != other[0], theme


def test_high_contrast_and_ansi_themes_are_offered() -> None:
    names = theme_names()
    assert {"high-contrast", "ansi-dark", "ansi-light", "textual-dark"} <= set(names)


async def test_the_config_files_theme_and_the_command_lines_wins(tmp_path: Path) -> None:
    p = tmp_path / "config.toml"
    p.write_text('theme = "ansi-dark"\n', encoding="utf-8")
    conf = settings.load(p, themes=theme_names)
    app = CstoApp(settings=conf)
    async with app.run_test(size=(80, 24)):
        assert app.theme == "ansi-dark"
    app = CstoApp(settings=conf, theme="high-contrast")
    async with app.run_test(size=(80, 24)):
        assert app.theme == "high-contrast"


async def test_no_color_wins_over_an_ansi_theme(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = CstoApp(theme="ansi-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        assert app.no_color and app.theme == "ansi-dark"


def test_an_unknown_theme_on_the_command_line_is_a_usage_error() -> None:
    env = dict(os.environ, TERM="xterm-256color")
    out = subprocess.run([sys.executable, "-m", "csto_tui", "--theme", "sepia"],
                         capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 2
    assert "unknown theme 'sepia'" in out.stderr and "Traceback" not in out.stderr
