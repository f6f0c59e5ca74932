"""The add-source form (``A`` / the palette's "Add source..."), as an analyst uses it: the
article is added off the UI thread (reading the dataset takes seconds at 1000x), the form says
"Adding..." and keeps answering keys meanwhile, and a refusal is a plain message in the form
with everything typed kept."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from conftest import settle
from textual.widgets import Input, Static

from csto_tui import authoring
from csto_tui.app import CstoApp
from csto_tui.screens.add_source_form import AddSourceScreen
from csto_tui.screens.source_view import SourceScreen

ARTICLE = Path(__file__).resolve().parent / "data" / "articles" / "border_deal.txt"


pytestmark = pytest.mark.usefixtures("private_dirs")


async def open_form(pilot) -> AddSourceScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("A")
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, AddSourceScreen)
    return form


async def add_border_deal(pilot) -> AddSourceScreen:  # type: ignore[no-untyped-def]
    """The form opened, the article's path and its title typed, Enter: the form."""
    form = await open_form(pilot)
    form.query_one("#source-file", Input).insert_text_at_cursor(str(ARTICLE))
    await pilot.press("tab", *"Border deal")
    await pilot.press("enter")
    return form


def shown(form: AddSourceScreen, wid: str) -> str:
    w = form.query_one(f"#{wid}", Static)
    return "" if w.has_class("-empty") else str(w.render())


async def test_adding_reads_the_dataset_off_the_ui_thread_and_the_form_answers_meanwhile(
        project_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The dataset's load inside add_source is held until the test lets it go: meanwhile the
    form says what it is doing, Enter and Esc are answered (neither adds twice nor closes a
    half-done step), then the article opens and the notice says it was added."""
    release = threading.Event()
    threads: list[threading.Thread] = []
    real_load = authoring.load

    def held_load(*args: object, **kwargs: object) -> object:
        threads.append(threading.current_thread())
        if threading.current_thread() is not threading.main_thread():
            release.wait(30)  # on the UI thread it would freeze the app: never wait there
        return real_load(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(authoring, "load", held_load)
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await add_border_deal(pilot)
        for _ in range(200):  # the worker's thread starts when the machine lets it
            if threads and shown(form, "source-status").startswith("Adding"):
                break
            await pilot.pause(0.05)
        assert threads and threads[0] is not threading.main_thread(), \
            "the dataset was read on the UI thread"
        assert app.screen is form
        assert shown(form, "source-status").startswith("Adding border_deal.txt: reading the "
                                                       "dataset")
        assert all(w.disabled for w in form.query(Input))
        await pilot.press("escape")  # the app answers: it says why it stays
        for _ in range(200):
            if "cannot be stopped halfway" in shown(form, "source-status"):
                break
            await pilot.pause(0.05)
        assert app.screen is form
        assert "cannot be stopped halfway" in shown(form, "source-status")
        await pilot.press("enter")
        for _ in range(200):
            if "Still adding" in shown(form, "source-status"):
                break
            await pilot.pause(0.05)
        assert "Still adding border_deal.txt" in shown(form, "source-status")
        assert len(threads) == 1  # not added twice
        release.set()
        await settle(pilot)
        assert isinstance(app.screen, SourceScreen), app.screen
        ds = app.data.loaded
        assert ds is not None and [s.title for s in ds.sources][-1] == "Border deal"
        said = [n.message for n in app._notifications]
        assert any(m.startswith("Added source border-deal (border_deal.txt) to csto.toml")
                   for m in said), said
    assert (project_copy.parent / "sources" / ARTICLE.name).read_bytes() == \
        ARTICLE.read_bytes()


async def test_a_refused_article_is_said_in_the_form_with_what_was_typed(
        project_copy: Path, tmp_path: Path) -> None:
    before = project_copy.read_bytes()
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot)
        missing = str(tmp_path / "nowhere.txt")
        form.query_one("#source-file", Input).insert_text_at_cursor(missing)
        await pilot.press("tab", *"A title", "enter")
        await settle(pilot)
        assert app.screen is form
        assert shown(form, "source-error").startswith("Not added: ")
        assert "No such file or directory" in shown(form, "source-error")
        assert shown(form, "source-status") == ""
        assert not any(w.disabled for w in form.query(Input))
        assert form.focused is form.query_one("#source-file", Input)
        assert form.value("file") == missing and form.value("title") == "A title"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.dashboard
    assert project_copy.read_bytes() == before


async def test_undoing_the_adding_closes_the_articles_view(project_copy: Path) -> None:
    """ctrl+z in the article just added undoes the adding: the view of the article, no
    longer in the dataset, closes and says so (it stayed, showing what was gone, and its keys
    then said to open it again, which nothing could)."""
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await add_border_deal(pilot)
        await settle(pilot)
        assert isinstance(app.screen, SourceScreen) and app.screen.source_id == "border-deal"
        await pilot.press("ctrl+z")
        await settle(pilot)
        ds = app.data.loaded
        assert ds is not None and ds.source("border-deal") is None
        assert not isinstance(app.screen, SourceScreen), app.screen
        said = [n.message for n in app._notifications]
        assert any("border-deal is no longer in the dataset" in m for m in said), said


async def test_a_wrong_date_is_said_on_leaving_it_and_a_save_goes_back_to_it(
        project_copy: Path) -> None:
    """The date is checked by the validator as the user leaves its field (not only on
    saving); Enter with the date still wrong puts the cursor on the date, not on the file;
    the date mended, the error goes (tester's defect 10)."""
    before = project_copy.read_bytes()
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot)
        form.query_one("#source-file", Input).insert_text_at_cursor(str(ARTICLE))
        await pilot.press("tab", *"Border deal", "tab", *"2024-13-45")
        await pilot.pause()
        assert shown(form, "source-error") == ""  # not while typing
        await pilot.press("tab")  # on to the publisher
        await pilot.pause()
        assert shown(form, "source-error").startswith("date: "), shown(form, "source-error")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is form and app.focused is form.query_one("#source-date", Input)
        assert shown(form, "source-error").startswith("date: ")
        await pilot.press("ctrl+u", *"2024-02", "tab")
        await pilot.pause()
        assert shown(form, "source-error") == ""
    assert project_copy.read_bytes() == before
