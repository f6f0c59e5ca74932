"""The row under the cursor is marked by more than colour in every list the user moves in
(widgets/cursor.py): the marker in the gutter, reverse video in the focused list, with
NO_COLOR, the terminal's 16 colours (ansi-dark) and a colour theme; search matches are never
reversed; the cite form's record list and Enter agree."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import settle
from rich.style import Style
from screen_text import styles_of, visible_text

from csto_tui.app import CstoApp
from csto_tui.loader import load
from csto_tui.screens.cite_form import CiteScreen
from csto_tui.widgets.cursor import marker
from csto_tui.widgets.cursor_list import CursorList
from csto_tui.widgets.metrics_pane import MetricsPane
from csto_tui.widgets.state_list import StateList

pytestmark = pytest.mark.usefixtures("private_dirs")

LOOKS = [("no-color", "ansi-dark"), ("ansi", "ansi-dark"), ("colour", "textual-dark")]


def looks(request_look: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if request_look == "no-color":
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)


def line_with(view: object, needle: str) -> int:
    lines = visible_text(view)  # type: ignore[arg-type]
    return next(y for y, line in enumerate(lines) if needle in line)


def reversed_(styles: list[Style]) -> bool:
    return bool(styles) and all(s.reverse for s in styles)


@pytest.mark.parametrize(("look", "theme"), LOOKS)
async def test_the_state_picked_stays_marked_when_another_pane_has_the_focus(
        look: str, theme: str, monkeypatch: pytest.MonkeyPatch) -> None:
    looks(look, monkeypatch)
    app = CstoApp(theme=theme)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.no_color == (look == "no-color")
        states = app.screen.query_one(StateList)
        await pilot.press("down")  # Belarus
        await pilot.pause()
        lines = visible_text(states)
        assert lines[1].startswith(f"{marker()} M Belarus"), lines[:3]
        assert not any(line.startswith(marker()) for i, line in enumerate(lines) if i != 1)
        assert reversed_(styles_of(states, 1, "Belarus"))  # focused: reverse video
        assert not reversed_(styles_of(states, 0, "Armenia"))
        for pane in ("2", "3", "4"):
            await pilot.press(pane)
            await pilot.pause()
            lines = visible_text(states)
            # still marked, in text, though pane 1 is not focused; no longer reversed
            assert lines[1].startswith(f"{marker()} M Belarus"), (pane, lines[:3])
            assert not reversed_(styles_of(states, 1, "Belarus"))
        await pilot.press("2")
        await pilot.pause()
        metrics = app.screen.query_one(MetricsPane)
        y = line_with(metrics, marker())
        assert visible_text(metrics)[y].startswith(marker())
        assert reversed_(styles_of(metrics, y, marker()))


@pytest.mark.parametrize(("look", "theme"), LOOKS)
async def test_the_search_cursor_is_marked_and_matches_are_not_reversed(
        look: str, theme: str, monkeypatch: pytest.MonkeyPatch) -> None:
    looks(look, monkeypatch)
    app = CstoApp(theme=theme)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"armenia")
        await pilot.pause(0.5)
        await settle(pilot)
        results = app.screen.query_one("#search-results", CursorList)
        assert results.option_count > 2
        await pilot.press("down")
        await pilot.pause()
        lines = visible_text(results)
        marked = [y for y, line in enumerate(lines) if line.lstrip().startswith(marker())]
        assert len(marked) == 1, lines
        y = marked[0]
        assert reversed_(styles_of(results, y, marker()))
        # a matched word on another row: bold and underlined, never reversed
        other = next(i for i, line in enumerate(lines)
                     if i not in (y, y + 1) and "Armenia" in line)
        match = styles_of(results, other, "Armenia")
        assert match and all(s.underline and not s.reverse for s in match)


async def test_down_from_the_cite_filter_picks_the_first_record_and_enter_saves_it(
        project_copy: Path) -> None:
    """The tester's steps: "armenia", Down, Enter attaches the passage to the first record
    listed (state Armenia), the one the marker is on; before Down no record is marked, and
    Enter then writes nothing."""
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        ds = app.data.loaded
        assert ds is not None
        before = project_copy.read_bytes()
        quotes_before = ds.state("arm").quotes
        # a passage already quoted, but not by Armenia (citing it again reuses the quote)
        q = next(q for q in ds.quotes
                 if q.id not in quotes_before and ds.text_of(q.source).count(q.text) == 1)
        start = ds.text_of(q.source).index(q.text)
        form = CiteScreen(project_copy, ds, q.source, start, start + len(q.text))
        app.push_screen(form)
        await pilot.pause(0.2)
        await pilot.press(*"armenia")
        await pilot.pause()
        lst = form.query_one("#cite-records", CursorList)
        first = lst.get_option_at_index(0).id
        assert first == "arm", [lst.plain_prompt(i) for i in range(lst.option_count)]
        assert not any(line.lstrip().startswith(marker()) for line in visible_text(lst))
        await pilot.press("enter")  # nothing picked: nothing written
        await pilot.pause()
        assert app.screen is form and project_copy.read_bytes() == before
        assert "Pick a record" in str(form.query_one("#cite-error").render())
        await pilot.press("down")
        await pilot.pause()
        lines = visible_text(lst)
        assert lines[0].lstrip().startswith(f"{marker()} state: Armenia"), lines[:3]
        assert reversed_(styles_of(lst, 0, "Armenia"))
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is not form, str(form.query_one("#cite-error").render())
        written = load(project_copy).dataset.state("arm")
        assert written is not None and written.quotes == (*quotes_before, q.id)
