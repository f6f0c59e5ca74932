"""A burst of keys into the search box (an unbracketed paste: a terminal without bracketed
paste, tmux's paste-buffer, a script): taken in as the paste it is, the box holding the first
MAX_QUERY characters, no character of it running a binding, typing unchanged.

The driver (csto_tui/driver.py) frames each run of text of a burst as a bracketed paste before
Textual parses it: the framing is tested byte for byte, and the whole path in a real terminal
(tmux). The search box's handling of a paste and of a burst of single keys (Windows, the
headless driver) with Pilot. benchmarks/search_burst.py times the real path. Rows of
docs/robustness.md."""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import pytest
from textual import events
from tmux_term import TMUX, Term

from csto_tui.app import CstoApp
from csto_tui.driver import (
    BURST_BYTES,
    ESCAPE_ZONE,
    FOLLOW_S,
    PASTE_END,
    PASTE_START,
    BurstDriver,
    Framer,
)
from csto_tui.screens.search_screen import MAX_QUERY, QueryInput, SearchScreen

S, E = PASTE_START, PASTE_END
TEXT = ("Kazakhstan intervention troops " * 700)[:20_000]


def framed(*reads: bytes, gap: float = 0.0) -> list[bytes]:
    """Each read as the driver passes it on to Textual's parser, ``gap`` seconds apart."""
    framer = Framer()
    return [framer.frame(data, i * gap) for i, data in enumerate(reads)]


# ---- the framing, byte for byte ------------------------------------------------------------
def test_typing_is_passed_on_untouched() -> None:
    """Keys a person types, one per read, and the few a fast typist, a held key or
    ``tmux send-keys`` bring in one read: exactly as Textual's driver would read them."""
    typed = [b"q", b"/", b"K", b"a", b"\r", b"\x1b", b"\x1b[B", b"3jjj", b"/Kazakstan\r",
             b"b\x1b[C\x1b[Ce", b"j" * (BURST_BYTES - 1), b"\x03", b"\x7f"]
    assert framed(*typed, gap=0.01) == typed
    assert framed(*typed, gap=1.0) == typed


def test_a_read_of_text_is_one_paste() -> None:
    text = TEXT[:4096].encode()
    assert framed(text) == [S + text + E]
    q = b"q" * BURST_BYTES  # bindings never run from a paste, however it begins
    assert framed(q) == [S + q + E]


def test_the_rest_of_a_burst_is_pasted_however_short() -> None:
    """The reads right after the first continue the paste, down to a last one of a
    character; a read after a pause is typing again."""
    first = TEXT[:4096].encode()
    assert framed(first, b"Kaz", b"q", gap=FOLLOW_S / 3) == [S + first + E, S + b"Kaz" + E,
                                                             S + b"q" + E]
    assert framed(first, b"q", gap=FOLLOW_S * 2) == [S + first + E, b"q"]
    # keys typed on and on right after a paste: typing again once the paste is FOLLOW_S old
    assert framed(first, b"a", b"b", b"c", gap=FOLLOW_S * 0.6) == [S + first + E,
                                                                 S + b"a" + E, b"b", b"c"]


def test_line_ends_and_tabs_are_text_other_keys_stay_keys() -> None:
    """Enter, Ctrl+J and Tab inside a burst are the pasted text's own (as a bracketed paste
    carries them); Ctrl+C, Backspace and an arrow key's escape sequence stay where they were,
    nothing framed within the zone after an ESC (Textual may be reading a sequence there)."""
    line = b"x" * 40
    assert framed(line + b"\r\n" + line + b"\t" + line) == [S + line + b"\r\n" + line + b"\t"
                                                            + line + E]
    after = b"y" * (ESCAPE_ZONE + 10)
    data = line + b"\x03" + line + b"\x1b[B" + after + b"\x7f"
    zone = ESCAPE_ZONE - 2  # the zone's bytes after "[B"
    assert framed(data) == [S + line + E + b"\x03" + S + line + E + b"\x1b[B" + after[:zone]
                            + S + after[zone:] + E + b"\x7f"]


def test_mouse_reports_and_terminal_replies_are_never_framed() -> None:
    mouse = b"".join(b"\x1b[<35;%d;5M" % x for x in range(10, 60))
    assert framed(mouse) == [mouse]
    reply = b"\x1b[?2026;2$y\x1b[48;40;120;800;1200t"
    assert framed(reply + TEXT[:100].encode())[0].startswith(reply)


def test_a_bracketed_paste_passes_untouched_even_split_between_reads() -> None:
    body = TEXT[:3000].encode()
    whole = S + body + E
    reads = [whole[:3], whole[3:1000], whole[1000:-2], whole[-2:], b"q"]
    assert framed(*reads, gap=1.0) == reads
    # and text right after it is a burst of its own again
    after = b"z" * (ESCAPE_ZONE + BURST_BYTES)
    out = framed(whole + after)[0]
    zone = ESCAPE_ZONE - (len(E) - 1)  # the zone's bytes after the end marker
    assert out == whole + after[:zone] + S + after[zone:] + E


def test_a_character_split_between_reads_is_never_split_by_a_frame() -> None:
    text = ("Қазақстан " * 500).encode()  # two bytes a letter
    cut = next(i for i in range(4000, 4100) if 0x80 <= text[i] < 0xC0)  # inside a letter
    out = framed(text[:cut], text[cut:], gap=0.0)
    joined = b"".join(out)
    assert joined.replace(S, b"").replace(E, b"") == text
    for piece in joined.split(S)[1:]:
        piece.split(E)[0].decode("utf-8")  # every framed run is whole characters
    joined.decode("utf-8")


def test_the_driver_is_used_where_textual_would_use_its_linux_one(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from textual import constants
    from textual.drivers.headless_driver import HeadlessDriver

    monkeypatch.setattr(constants, "DRIVER", None)
    if sys.platform != "win32":
        assert CstoApp().get_driver_class() is BurstDriver
    monkeypatch.setattr(constants, "DRIVER", "textual.drivers.headless_driver:HeadlessDriver")
    assert CstoApp().get_driver_class() is HeadlessDriver


# ---- the search box ------------------------------------------------------------------------
async def open_search(app: CstoApp, pilot: object) -> SearchScreen:
    await app.workers.wait_for_complete()
    await pilot.press("slash")  # type: ignore[attr-defined]
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]
    screen = app.screen
    assert isinstance(screen, SearchScreen)
    return screen


async def test_a_paste_fills_the_box_up_to_its_limit(project_copy: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Pieces of one long paste add up to it, line ends and control characters as spaces; what
    does not fit is left out (Textual's Input would refuse the whole paste)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    app = CstoApp(project_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_search(app, pilot)
        box = screen.query_one("#search-input", QueryInput)
        text = "Kazakhstan\r\n2022\ttroops\x1b[31m " + TEXT
        for at in range(0, 5000, 700):
            app.post_message(events.Paste(text[at:at + 700]))
        await pilot.pause()
        await pilot.pause()
        expected = "".join(c if c.isprintable() else " " for c in text[:MAX_QUERY])
        assert box.value == expected
        assert screen.query_text == box.value and screen.hits
        await pilot.press("backspace", "s")
        assert box.value == expected[:-1] + "s"  # typing goes on as before


async def test_a_burst_of_single_keys_runs_one_search_and_keeps_the_box_bounded(
        project_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where keys do arrive one by one however fast (Windows, the headless driver), the box
    still takes MAX_QUERY characters, the search runs once for the burst, and Enter after it
    goes to the best result of what the box holds."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    app = CstoApp(project_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_search(app, pilot)
        searched: list[str] = []
        real = screen.refresh_results

        def counting(query: str) -> None:
            searched.append(query)
            real(query)

        monkeypatch.setattr(screen, "refresh_results", counting)
        text = TEXT[:2000]
        for ch in text:
            app.post_message(events.Key("space" if ch == " " else ch, ch))
        box = screen.query_one("#search-input", QueryInput)
        for _ in range(200):
            await pilot.pause(0.05)
            if box.value == text[:MAX_QUERY] and searched and searched[-1] == box.value:
                break
        assert box.value == text[:MAX_QUERY]
        assert 1 <= len(searched) <= 5, len(searched)  # not one per key
        assert searched[-1] == box.value and screen.hits
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, SearchScreen)


# ---- the real path: the installed app in tmux ----------------------------------------------
def _term(tmp_path: Path) -> Term:
    exe = shutil.which("csto-tui", path=str(Path(sys.executable).parent))
    assert exe, "the csto-tui console script is not installed next to this Python"
    env = dict(os.environ, TERM="xterm-256color", XDG_CACHE_HOME=str(tmp_path / "cache"),
               XDG_CONFIG_HOME=str(tmp_path / "config"))
    env.pop("TMUX", None)
    return Term(f"{exe}; echo EXITED-$?; sleep 30", tmp_path, env, size=(120, 40))


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_a_paste_of_20000_keys_into_search_in_a_real_terminal(tmp_path: Path) -> None:
    term = _term(tmp_path)
    try:
        term.wait_for("M Kazakhstan")
        term.keys("/")
        term.wait_for("Type a name")
        term.paste(TEXT, tmp_path)
        term.tmux("send-keys", "-t", "t", "C-g")  # handled after every pasted character
        screen = term.wait_for("grouped by kind", timeout=60)
        assert TEXT[:MAX_QUERY][-60:] in screen  # the box ends where its 500 characters end
        term.keys("Escape")
        term.wait_for("1 States")
        term.keys("q")
        term.wait_for("EXITED-0")
    finally:
        term.close()


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_a_paste_on_the_dashboard_runs_no_binding(tmp_path: Path) -> None:
    """Text full of the dashboard's keys (q quits, / searches, b, t, 3, a, c, S, ?), lines of
    it under 32 characters, pasted onto the dashboard: no binding runs. An arrow key sent right
    behind it is a key still (an escape sequence is never pasted text), and keys typed after it
    work."""
    term = _term(tmp_path)
    try:
        before = term.wait_for("a: Armenia")
        term.paste("q/bt3acS?" * 8 + "\n" + "quit\nq\n" * 200, tmp_path)
        term.tmux("send-keys", "-t", "t", "Down")
        screen = term.wait_for("a: Belarus")
        assert "EXITED" not in screen and "Search states" not in screen
        assert "facts only" not in screen and "Quick start" not in screen
        assert "┏━ 1 States" in screen  # pane 3 was not focused by the pasted 3
        assert before.splitlines()[0] == screen.splitlines()[0]
        time.sleep(3 * FOLLOW_S)  # a key typed this long after a burst is typing again
        term.keys("3")
        term.wait_for("┏━ 3 Crises")
        term.keys("q")
        term.wait_for("EXITED-0")
    finally:
        term.close()
