"""Text too long for its place at 80x24 is cut with an ellipsis, never silently, and what
matters stays: the title bar, the key line (whole keys; ? and q kept), a state's status beside
a long name, the search box's hint (tester's defect 17)."""

from __future__ import annotations

from pathlib import Path

from screen_text import screen_text
from textual.widgets import Input

from csto_tui.app import CstoApp
from csto_tui.textsafe import ellipsis, one_line

ELLIPSIS = ellipsis()


async def _ready(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    for _ in range(3):
        await pilot.pause()


def test_one_line_cuts_with_the_ellipsis_mark() -> None:
    name = "Republic of Artsakh"
    assert one_line(name, 12) == name[:12 - len(ELLIPSIS)] + ELLIPSIS
    assert one_line("Armenia", 7) == "Armenia"


async def test_the_title_bar_is_cut_with_an_ellipsis(project_copy: Path) -> None:
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        await pilot.press("slash", *"kaz", "enter")  # "result 1 of n for 'kaz'" makes it long
        await _ready(pilot)
        assert len(f" {app.title}  {app.sub_title}") > 80
        top = screen_text(app).splitlines()[0].rstrip()
        assert top.endswith(ELLIPSIS) and len(top) <= 80, top


async def test_a_long_state_name_keeps_its_status(project_copy: Path) -> None:
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        (row,) = [ln for ln in screen_text(app).splitlines() if "Republic of" in ln]
        pane = row.split("\u2503")[1] if "\u2503" in row else row.split("\u2502")[1]
        assert pane.rstrip().endswith("outside") and ELLIPSIS in pane, row


async def test_the_key_line_shows_whole_keys_and_keeps_help_and_quit(
        project_copy: Path) -> None:
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        for pane in ("3", "4"):  # the crises and sources panes: more keys than room
            await pilot.press(pane)
            await pilot.pause()
            line = screen_text(app).splitlines()[-1]
            keys = line.split("\u258f")[0]
            assert "? Keys" in keys and "q Quit" in keys, line
            assert ELLIPSIS in keys, line  # keys left out are marked
            assert keys.rstrip().endswith("q Quit"), line  # never a key cut in two


async def test_the_search_hint_fits_the_box_at_80_columns(project_copy: Path) -> None:
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        await pilot.press("slash")
        await _ready(pilot)
        box = app.screen.query_one("#search-input", Input)
        assert 0 < len(box.placeholder) <= box.content_region.width, (
            box.placeholder, box.content_region)
