"""Keys typed ahead (over SSH, keystrokes arrive together; a burst the driver frames as a
paste): Down, Up, Tab and Enter are never swallowed or reordered relative to the text typed
around them, in the add-source form and in the search.

The driver posts every event of a read at once, none waiting for another to be handled:
:func:`burst` does the same (Pilot's ``press`` waits after each key, so it never shows this).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pytest
from conftest import settle
from textual import events
from textual.widgets import Input

from csto_tui.app import CstoApp
from csto_tui.driver import PASTE_END, PASTE_START, Framer
from csto_tui.screens.add_source_form import AddSourceScreen
from csto_tui.screens.search_screen import SearchScreen

pytestmark = pytest.mark.usefixtures("private_dirs")

ARTICLE = Path(__file__).resolve().parent / "data" / "articles" / "border_deal.txt"
CHARACTERS = {"enter": "\r", "tab": "\t", "slash": "/", "space": " "}


def burst(app: CstoApp, *items: str | events.Paste) -> None:
    """Post ``items`` to the app as the driver posts one read: a key name (``down``), a
    character (``k``) or a paste (the driver's framing of a run of text), all at once."""
    for item in items:
        if isinstance(item, events.Paste):
            app.post_message(item)
        elif len(item) == 1:  # named as Textual's driver names it ("/" is "slash")
            name = item if item.isalnum() else unicodedata.name(item).lower()
            app.post_message(events.Key(name.replace(" ", "_").replace("-", "_"), item))
        else:
            app.post_message(events.Key(item, CHARACTERS.get(item)))


def chars(text: str) -> list[str]:
    return ["space" if c == " " else c for c in text]


def fields(app: Any) -> dict[str, str]:
    form = app.screen
    assert isinstance(form, AddSourceScreen)
    return {key: form.query_one(f"#source-{key}", Input).value
            for key in ("file", "title", "date", "publisher")}


async def open_form(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("A")
    await pilot.pause()
    assert isinstance(pilot.app.screen, AddSourceScreen)


@pytest.mark.parametrize("next_field", ["down", "tab"])
async def test_fields_typed_ahead_land_each_in_its_own_field(project_copy: Path,
                                                             next_field: str) -> None:
    """The tester's keys: the file typed (framed as a paste), Down, the title, Down, the date,
    with no pause; and the same with Tab and with the file typed as keys."""
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        burst(app, events.Paste(str(ARTICLE)), next_field, *chars("Title here"), next_field,
              *chars("2023-05-01"))
        await pilot.pause(0.3)
        assert fields(app) == {"file": str(ARTICLE), "title": "Title here",
                               "date": "2023-05-01", "publisher": ""}
        burst(app, "up", "up", *chars("x"), "down", events.Paste(" Pub"), "y", "shift+tab",
              "backspace", "backspace", "z")
        await pilot.pause(0.3)
        # a field reached by Down/Tab has its text selected (Textual's Input): typed over
        assert fields(app) == {"file": "z", "title": " Puby", "date": "2023-05-01",
                               "publisher": ""}


async def test_typing_after_a_framed_paste_continues_in_its_field(project_copy: Path) -> None:
    """A paste (framed by the driver) then keys, then Down and another paste then keys."""
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        burst(app, events.Paste("/tmp/art"), *chars("icle.txt"), "down",
              events.Paste("Border"), *chars(" deal"), "down", "down", events.Paste("AKI"),
              *"press")
        await pilot.pause(0.3)
        assert fields(app) == {"file": "/tmp/article.txt", "title": "Border deal",
                               "date": "", "publisher": "AKIpress"}


async def test_keys_typed_right_after_the_form_opens_reach_its_first_field(
        project_copy: Path) -> None:
    """``A`` and the file's path in one read: the path goes into the form that ``A`` opens."""
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, "A", *chars("/tmp/a.txt"), "down", *chars("T"))
        await pilot.pause(0.3)
        assert fields(app) == {"file": "/tmp/a.txt", "title": "T", "date": "",
                               "publisher": ""}


async def test_enter_after_typed_ahead_fields_adds_what_was_typed(project_copy: Path) -> None:
    """Enter right after the last field: the article is added with every field as typed."""
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        burst(app, *chars(str(ARTICLE)), "down", *chars("Border deal"), "down",
              *chars("2023-05-01"), "down", *chars("AKIpress"), "enter")
        for _ in range(100):  # the article is added in a worker, then the form closes
            await settle(pilot)
            if not isinstance(app.screen, AddSourceScreen):
                break
        assert not isinstance(app.screen, AddSourceScreen), (
            fields(app), app.screen.query_one("#source-error").render())
    text = project_copy.read_text(encoding="utf-8")
    assert 'title = "Border deal"' in text
    assert 'date = "2023-05-01"' in text
    assert 'publisher = "AKIpress"' in text


async def ready(pilot: Any) -> None:
    await settle(pilot)
    app = pilot.app
    for _ in range(50):
        if app.data.search_index is not None:
            return
        await pilot.pause(0.1)


@pytest.mark.parametrize("typed", ["keys", "paste"])
async def test_search_moves_typed_ahead_of_the_results_count(project_copy: Path,
                                                             typed: str) -> None:
    """``/ k a z a k h s t a n Down Down Enter`` in one go opens the third result, as the
    same keys typed slowly do."""
    app = CstoApp(project_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        query: list[str | events.Paste] = (
            list("kazakhstan") if typed == "keys" else [events.Paste("kazakhstan")])
        burst(app, "slash", *query, "down", "down", "enter")
        await pilot.pause(0.5)
        assert not isinstance(app.screen, SearchScreen)
        assert app.sub_title.startswith("result 3 of"), app.sub_title
        burst(app, "slash", *query, "down", "down", "down", "up", "enter")
        await pilot.pause(0.5)
        assert app.sub_title.startswith("result 3 of"), app.sub_title


def test_the_driver_keeps_a_burst_in_order() -> None:
    """The tester's read (path, Down, title, Down, date, sent with no pause) as the driver
    passes it on: in the order typed. With a short path it is typing (the text after each
    arrow is in its escape zone), with a long one the path is framed as a paste."""
    rest = b"\x1b[BTitle here\x1b[B2023-05-01"
    short, long = b"/tmp/tester-art.txt", b"/home/tester/articles/2023/tester-art.txt"
    assert Framer().frame(short + rest, 0.0) == short + rest
    assert Framer().frame(long + rest, 0.0) == PASTE_START + long + PASTE_END + rest
