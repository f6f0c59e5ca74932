"""End to end in a real terminal: the installed `csto-tui` in tmux at 80x24, keys only."""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import pytest
from tmux_term import TMUX, Term

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")


def test_installed_dashboard_in_tmux(tmp_path: Path) -> None:
    exe = shutil.which("csto-tui", path=str(Path(sys.executable).parent))
    assert exe, "the csto-tui console script is not installed next to this Python"
    env = dict(os.environ, TERM="xterm-256color", CSTO_TUI_EXPORT_DIR=str(tmp_path),
               XDG_CACHE_HOME=str(tmp_path / "cache"))
    env.pop("TMUX", None)
    # keep the session open after the app exits, to see how it ended
    term = Term(f"{exe}; echo EXITED-$?; sleep 30", tmp_path, env)
    try:
        screen = term.wait_for("M Kazakhstan")
        assert "1 States" in screen and "3 Crises" in screen and "4 Sources" in screen
        # search with a typo, land on Kazakhstan, its crises show the January 2022 intervention
        # "/", the query and Enter in one burst, as a fast typist or tmux sends them: nothing
        # may overtake the letters before it
        term.tmux("send-keys", "-t", "t", "/", "Kazakstan", "Enter")
        term.wait_for("Kazakhstan:")
        term.wait_for("5 Jan 2022")  # its crises pane, once repainted (not in the same frame)
        # the briefing of the selected state, paged, exported
        term.keys("b")
        term.wait_for("KAZAKHSTAN")
        term.keys("Right")
        term.wait_for("KYRGYZSTAN")
        term.keys("e")
        term.wait_for("Briefing written")
        out = tmp_path / "csto-briefing-kgz.md"
        assert out.read_text(encoding="utf-8").count("# Kyrgyzstan") == 1
        term.keys("Escape")
        term.wait_for("1 States")
        # the help screen lists the keys
        term.keys("?")
        term.wait_for("Quick start")  # only on the help screen ("/ Search" is in the footer)
        term.keys("Escape")
        term.wait_for("1 States")
        term.keys("q")
        term.wait_for("EXITED-0")
        assert "Traceback" not in term.screen()
    finally:
        term.close()


@pytest.mark.parametrize("no_color", [False, True])
def test_sixteen_colours_and_no_color_in_tmux(tmp_path: Path, no_color: bool) -> None:
    """TERM=screen (16 colours), with and without NO_COLOR: only 16-colour codes reach the
    terminal, and status and response stay readable as text markers."""
    import re

    exe = shutil.which("csto-tui", path=str(Path(sys.executable).parent))
    assert exe
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    env.pop("TMUX", None)
    env.pop("NO_COLOR", None)
    # tmux sets TERM inside the pane itself: the app's environment is given in the command
    prefix = "env TERM=screen" + (" NO_COLOR=1" if no_color else "")
    term = Term(f"{prefix} {exe}; echo EXITED-$?; sleep 30", tmp_path, env)
    try:
        term.wait_for("M Kazakhstan")
        term.keys("3", "a")
        screen = term.wait_for("[*]")
        assert "F Uzbekistan" in screen and "O Serbia" in screen
        styled = term.tmux("capture-pane", "-p", "-e", "-t", "t")
        sgr = re.findall(r"\x1b\[([0-9;]*)m", styled)
        assert sgr, "no styling at all"
        assert not any("38;5" in s or "48;5" in s or "38;2" in s or "48;2" in s for s in sgr)
        term.keys("q")
        term.wait_for("EXITED-0")
    finally:
        term.close()


def _app_in_tmux(tmp_path: Path, size: tuple[int, int]) -> Term:
    """csto-tui in tmux with its default settings, TERM=xterm (16 colours) and NO_COLOR=1."""
    exe = shutil.which("csto-tui", path=str(Path(sys.executable).parent))
    assert exe
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"),
               XDG_CONFIG_HOME=str(tmp_path / "config"))
    env.pop("TMUX", None)
    env.pop("NO_COLOR", None)
    return Term(f"env TERM=xterm NO_COLOR=1 {exe}; echo EXITED-$?; sleep 30", tmp_path, env,
                size)


def test_y_in_tmux_leaves_the_quote_and_its_citation_in_tmux_buffer(tmp_path: Path) -> None:
    """tmux ignores an application's OSC 52 by default: `y` hands the text to tmux itself,
    says so in a one-line notice, and `tmux show-buffer` then holds the quote and its
    citation."""
    term = _app_in_tmux(tmp_path, (80, 24))
    try:
        term.wait_for("M Kazakhstan")
        term.keys("j", "j", "4")
        screen = term.wait_for("Article ")
        term.keys("y")
        screen = term.wait_for("Copied to tmux")
        buffer = term.tmux("show-buffer")
        assert buffer.startswith("\u201c") and "\u201d (Article " in buffer, buffer
        assert ", paragraph " in buffer
        # the quote copied is the one on screen, and the notice is a single line at the top,
        # over the title bar, not over the quotes
        label = buffer[buffer.index("\u201d (") + 3:buffer.index(": \u201c")]
        assert label in screen, (label, screen)
        lines = screen.splitlines()
        assert "Copied to tmux" in lines[0]
        assert not any("Copied" in line for line in lines[2:])
        term.keys("q")
        term.wait_for("EXITED-0")
    finally:
        term.close()


def test_space_follows_content_and_z_maximises_at_200x50(tmp_path: Path) -> None:
    """At 200x50 a state without figures or crises leaves no empty rows in panes 2 and 3;
    z maximises the focused pane and z restores it."""
    term = _app_in_tmux(tmp_path, (200, 50))
    try:
        term.wait_for("M Kazakhstan")
        term.keys(*["j"] * 9)  # Serbia: an observer with no figures and no crises
        screen = term.wait_for("No crises recorded for Serbia")
        lines = screen.splitlines()
        deps = next(i for i, line in enumerate(lines) if "2 Dependencies" in line)
        crises = next(i for i, line in enumerate(lines) if "3 Crises" in line)
        sources = next(i for i, line in enumerate(lines) if "4 Sources" in line)
        assert crises - deps == 3 and sources - crises == 3, screen
        term.keys("4", "z")
        screen = term.wait_for("4 Sources")
        time.sleep(0.5)
        screen = term.screen()
        assert "1 States" not in screen and "2 Dependencies" not in screen
        assert screen.splitlines()[1].startswith("\u250f\u2501 4 Sources")  # full width
        term.keys("z")
        screen = term.wait_for("1 States")
        assert "2 Dependencies" in screen
        term.keys("q")
        term.wait_for("EXITED-0")
    finally:
        term.close()
