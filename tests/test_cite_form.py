"""Citing from the source view, as an analyst does it with the keyboard (Pilot): add an article
from the palette, select passages, cite them into a new event, a new figure (metric) and an
existing state, mark passages uncited, undo, and the form's validation messages as you type.
The dataset is a copy of the bundled one; the article was written for these tests."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from conftest import settle

from csto_tui.app import CstoApp
from csto_tui.screens.add_source_form import AddSourceScreen
from csto_tui.screens.cite_form import (
    CiteScreen,
    FieldError,
    UncitedScreen,
    citing_kinds,
    toml_value,
)
from csto_tui.screens.source_view import SourceScreen
from csto_tui.widgets.footer import KeysFooter
from csto_tui.widgets.source_document import SourceDocument

ARTICLE = Path(__file__).resolve().parent / "data" / "articles" / "armenia_freeze.txt"


pytestmark = pytest.mark.usefixtures("private_dirs")


async def add_article(pilot, article: Path = ARTICLE) -> SourceScreen:  # type: ignore[no-untyped-def]
    """The palette's "Add source...", the article's path typed in, Enter: it opens."""
    app = pilot.app
    await settle(pilot)
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*"Add source")
    await pilot.pause(0.3)
    await app.workers.wait_for_complete()
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, AddSourceScreen)
    app.screen.query_one("#source-file").insert_text_at_cursor(str(article))
    await pilot.press("tab", *"Armenia freezes", "tab", *"2024-02-23", "tab", *"Test wire")
    await pilot.press("enter")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, SourceScreen), screen
    return screen


async def select_sentence(pilot, screen: SourceScreen, paragraph: int,  # type: ignore[no-untyped-def]
                          sentence: int = 1) -> str:
    """v, { until the first word of the article, then (o }) to the paragraph's start, (o ))
    to the end of its n-th sentence: the keys an analyst types."""
    doc = screen.query_one(SourceDocument)
    doc.scroll_to(y=0, animate=False, immediate=True)
    await pilot.pause()
    await pilot.press("v", *["left_curly_bracket"] * 6)
    assert screen.selected_span == (0, len("Yerevan,"))
    if paragraph > 1:
        await pilot.press("o", *["right_curly_bracket"] * (paragraph - 1), "o")
    await pilot.press(*["right_parenthesis"] * sentence)
    if sentence > 1:  # the start to the n-th sentence's start
        await pilot.press("o", *["right_parenthesis"] * (sentence - 1), "o")
    span = screen.selected_span
    assert span is not None
    return screen.text[span[0]:span[1]]


async def choose_kind(pilot, form: CiteScreen, kind: str) -> None:  # type: ignore[no-untyped-def]
    """Shift+Tab up to "Cite as", Enter opens it, Down to the kind, Enter."""
    await pilot.press("shift+tab")
    assert form.focused is form.query_one("#cite-as")
    await pilot.press("enter")
    names = [k.name for k in citing_kinds()]
    await pilot.press(*["down"] * (names.index(kind) + 1), "enter")
    await pilot.pause()
    assert form.kind is not None and form.kind.name == kind


async def fill(pilot, form: CiteScreen, values: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """Type each value into its field (Selects: Space opens, type to search, Enter)."""
    from textual.widgets import Input, Select

    for key, value in values.items():
        w = form.query_one(f"#field-{key}")
        w.focus()
        await pilot.pause()
        if isinstance(w, Input):
            await pilot.press(*value)
        else:
            assert isinstance(w, Select)
            await pilot.press("space", *value, "enter")
        await pilot.pause()


def tables(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


async def test_cite_three_passages_mark_two_uncited_undo_one(project_copy: Path) -> None:
    """The issue's "Done when" in one Pilot run at 80x24: a new event, a new figure, an
    existing state, two passages uncited, one write undone; every passage verbatim."""
    data = project_copy
    before = data.read_bytes()
    app = CstoApp(data)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await add_article(pilot)
        ds = app.data.loaded
        assert ds is not None
        sid = screen.source_id
        assert ds.source(sid) is not None and ds.source(sid).title == "Armenia freezes"
        text = screen.text
        assert text == ARTICLE.read_text(encoding="utf-8")
        # a new article: nothing cited yet, so the key line offers v, not the passage keys
        shown = {b.description for _, b, _, _ in screen.active_bindings.values()}
        assert "Select" in shown and "Go to record" not in shown and "Next passage" not in shown
        assert "right_square_bracket" not in screen.query_one(KeysFooter).keys
        assert "v selects text to cite" in str(screen.query_one("#source-panel").render())

        # 1. a new event
        passage = await select_sentence(pilot, screen, 2)
        assert passage.startswith("Armenia has frozen") and passage.endswith("on Thursday.")
        await pilot.press("c")
        form = app.screen
        assert isinstance(form, CiteScreen)
        await choose_kind(pilot, form, "event")
        await fill(pilot, form, {"date": "2024-02-23", "title": "Armenia freezes its "
                                 "CSTO participation", "response": "none",
                                 "summary": "Pashinyan says Armenia no longer takes part",
                                 "states": "arm"})
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        ds = app.data.loaded
        (ev,) = [e for e in ds.events if e.title == "Armenia freezes its CSTO participation"]
        assert ev.states == ("arm",) and ev.id.startswith("ev-armenia-freezes")
        (qid,) = ev.quotes
        q = ds.quote(qid)
        assert q is not None and q.text == passage and q.source == sid
        # the new quote is the current passage of the article, drawn and said
        assert screen.current is not None and screen.current.quote_id == qid
        assert text[screen.current.start:screen.current.end] == passage
        assert "event: 23 Feb 2024 Armenia freezes" in str(
            screen.query_one("#source-panel").render())
        # now there is a passage to step through: the key line offers the passage keys
        await pilot.pause()
        assert "right_square_bracket" in screen.query_one(KeysFooter).keys

        # 2. a new figure (metric): Russia's share of Armenia's arms imports
        passage = await select_sentence(pilot, screen, 4)
        assert "94 percent" in passage
        await pilot.press("c")
        form = app.screen
        assert isinstance(form, CiteScreen)
        await choose_kind(pilot, form, "metric")
        await fill(pilot, form, {"state": "Armenia", "category": "military",
                                 "measure": "Share of arms imports from Russia",
                                 "value": "94", "unit": "% of arms imports",
                                 "year": "2023", "qualifier": "roughly",
                                 "counterpart": "Russia"})
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen, [str(e.render()) for e in form.query(FieldError)]
        ds = app.data.loaded
        (m,) = [m for m in ds.metrics if m.measure == "Share of arms imports from Russia"]
        assert (m.state, m.value, m.year, m.counterpart) == ("arm", 94, 2023, "rus")
        assert ds.quote(m.quotes[0]).text == passage

        # 3. attach a passage to an existing state (Armenia)
        passage = await select_sentence(pilot, screen, 3, 2)
        assert passage == ("Armenia asked the CSTO for help at the time; the bloc sent only "
                           "a fact-finding mission.")
        quotes_before = ds.state("arm").quotes
        await pilot.press("c")
        form = app.screen
        assert isinstance(form, CiteScreen) and form.kind is None
        await pilot.press(*"state armenia")
        await pilot.pause()
        await pilot.press("down", "enter")
        await settle(pilot)
        ds = app.data.loaded
        arm = ds.state("arm")
        assert arm.quotes[:-1] == quotes_before
        assert ds.quote(arm.quotes[-1]).text == passage

        # 4. two passages uncited: a question (rhetoric) and the last sentence (opinion)
        for sentence, reason in ((1, "rhetoric"), (2, "opinion")):
            passage = await select_sentence(pilot, screen, 5, sentence)
            await pilot.press("u")
            assert isinstance(app.screen, UncitedScreen)
            await pilot.press(*["down"] * ("opinion rhetoric".split().index(reason)))
            await pilot.press("enter")
            await settle(pilot)
            assert app.screen is screen
            ds = app.data.loaded
            assert (sid, passage, reason) in {(u.source, u.text, u.reason) for u in ds.uncited}
        assert len([u for u in ds.uncited if u.source == sid]) == 2

        # 5. undo the last write (the second uncited passage)
        written = data.read_bytes()
        await pilot.press("ctrl+z")
        await settle(pilot)
        ds = app.data.loaded
        assert [u.reason for u in ds.uncited if u.source == sid] == ["rhetoric"]
        assert len(data.read_bytes()) < len(written)

        # the panes show the new records: Armenia's crises list the new event
        await pilot.press("escape")
        await settle(pilot)
        app.dashboard.go_to_record(ev.id)
        await pilot.pause()
        events = app.dashboard.query_one("#events")
        assert events.record_id == ev.id

    # apart from the tables appended and the one reference added, the data file is the same
    after = data.read_bytes().decode("utf-8")
    old = before.decode("utf-8")
    ref = f', "{arm.quotes[-1]}"]'
    line = next(ln for ln in after.splitlines() if ln.endswith(ref))
    restored = after.replace(line, line[: -len(ref)] + "]", 1)
    assert restored.startswith(old)
    appended = tables_of(restored[len(old):])
    assert [k for k, _ in appended] == ["sources", "quotes", "events", "quotes", "metrics",
                                        "quotes", "uncited"]


def tables_of(toml_text: str) -> list[tuple[str, dict]]:
    """The top-level tables a stretch of TOML appends, in order."""
    out = []
    for chunk in ("\n" + toml_text).split("\n[[")[1:]:
        name = chunk.split("]]", 1)[0]
        if "." not in name:
            out.append((name, tomllib.loads("[[" + chunk)[name][0]))
    return out


async def test_validation_messages_under_each_field_as_you_type(project_copy: Path) -> None:
    data = project_copy
    app = CstoApp(data)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await add_article(pilot)
        written = data.read_bytes()
        await select_sentence(pilot, screen, 2)
        await pilot.press("c")
        form = app.screen
        assert isinstance(form, CiteScreen)
        await choose_kind(pilot, form, "event")

        def message(key: str) -> str:
            err = form.query_one(f"#err-{key}", FieldError)
            return "" if err.has_class("-empty") else str(err.render())

        # nothing said about fields not yet touched
        assert message("title") == ""
        await fill(pilot, form, {"date": "2024-13"})
        assert "month 13" in message("date")
        assert message("title") == ""
        # Enter with faults: nothing written, every message shown, the first faulty field
        # focused, everything typed kept
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form
        assert "missing required field 'title'" in message("title")
        assert form.focused is form.query_one("#field-date")
        assert form.query_one("#field-date").value == "2024-13"
        assert data.read_bytes() == written
        # fixed, the message goes as you type
        await pilot.press("backspace", "backspace", *"02")
        assert message("date") == ""
        # references are checked against the dataset
        await fill(pilot, form, {"title": "A title", "response": "none", "summary": "S",
                                 "states": "arm, atlantis"})
        assert "'atlantis' does not exist" in message("states")
        await pilot.press(*["backspace"] * len(", atlantis"))
        assert message("states") == ""
        # an error from the write itself stays in the form: the article changed on disk
        src = app.data.loaded.source(screen.source_id)
        src.path.write_text(src.path.read_text(encoding="utf-8") + "\nMore.\n",
                            encoding="utf-8")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form
        err = str(form.query_one("#cite-error").render())
        assert "changed since it was loaded" in err and "nothing written" in err
        assert data.read_bytes() == written


async def test_uncited_refused_over_a_quote_says_why_in_the_form(project_copy: Path) -> None:
    """A passage already quoted cannot be explained as uncited: the reason's picker says so
    and stays open; Esc leaves the selection as it was."""
    data = project_copy
    written = data.read_bytes()
    app = CstoApp(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.dashboard.go_to_record("q-a1-cst-1994")
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SourceScreen)
        await pilot.press("v", "right_parenthesis", "u", "enter")
        await pilot.pause()
        assert isinstance(app.screen, UncitedScreen)
        assert "Not written" in str(app.screen.query_one("#uncited-error").render())
        await pilot.press("escape")
        assert app.screen is screen and screen.selection is not None
        assert data.read_bytes() == written
        # undo with nothing written says so
        await pilot.press("escape", "ctrl+z")
        await pilot.pause()
        assert data.read_bytes() == written


def test_typed_text_becomes_toml_values() -> None:
    from csto_tui import records

    metric = records.kind("metric")
    event = records.kind("event")
    assert toml_value(metric.field("value"), " 94 ") == 94
    assert toml_value(metric.field("value"), "2.5") == 2.5
    assert toml_value(metric.field("value"), "1,200") == 1200
    assert toml_value(metric.field("value"), "lots") == "lots"  # the validator says why
    assert toml_value(metric.field("year"), "2023") == 2023
    assert toml_value(event.field("states"), "arm, kaz ,") == ["arm", "kaz"]
    assert toml_value(event.field("title"), "  ") is None
    assert toml_value(event.field("date"), "early 2019") == "early 2019"


async def test_ctrl_z_on_the_dashboard_undoes_a_cite_made_in_the_article(
        project_copy: Path) -> None:
    """Attach a passage to a state in the article, back to the dashboard, Ctrl+Z: the file is
    byte for byte as before, the panes follow, and a second Ctrl+Z says there is nothing left."""
    data = project_copy
    app = CstoApp(data)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await add_article(pilot)
        added = data.read_bytes()
        await select_sentence(pilot, screen, 3, 2)
        await pilot.press("c")
        assert isinstance(app.screen, CiteScreen)
        await pilot.press(*"state armenia", "down", "enter")
        await settle(pilot)
        assert data.read_bytes() != added
        cited = app.data.loaded.state("arm").quotes
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.dashboard
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert data.read_bytes() == added
        assert app.data.loaded.state("arm").quotes == cited[:-1]
        # the add itself is the step before: undone too, the article's copy goes with it
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert app.data.loaded.source(screen.source_id) is None
        assert not (data.parent / "sources" / ARTICLE.name).exists()
        before = data.read_bytes()
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert data.read_bytes() == before


async def test_the_record_filter_works_out_the_records_titles_once(
        project_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Typing into "attach to a record"'s filter narrows the list without working out every
    record's title again on each key (it did: thousands of titles per key at 1000x)."""
    from textual.widgets import Input, OptionList

    from csto_tui import records

    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        ds = app.data.loaded
        assert ds is not None
        sid = ds.sources[0].id
        calls: list[str] = []
        title = records.title

        def counted(d: object, rec: object) -> str:
            calls.append(getattr(rec, "id", ""))
            return title(d, rec)  # type: ignore[arg-type]

        monkeypatch.setattr(records, "title", counted)
        form = CiteScreen(project_copy, ds, sid, 0, 20)
        app.push_screen(form)
        await pilot.pause(0.2)
        assert calls, "the list names the records by their titles"
        calls.clear()
        assert form.focused is form.query_one("#cite-filter", Input)
        await pilot.press(*"kyrgyz")
        await pilot.pause()
        lst = form.query_one("#cite-records", OptionList)
        shown = [lst.get_option_at_index(i).id for i in range(lst.option_count)]
        assert "kgz" in shown and "kaz" not in shown
        assert calls == []


async def test_citing_a_quoted_passage_again_reuses_its_quote_and_says_so(
        project_copy: Path) -> None:
    """The same sentence cited into Armenia, then into Russia: the second cite adds Russia a
    reference to the quote the first one wrote (no second quote of the same words), and the
    notice says which quote was reused."""
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await add_article(pilot)
        passage = await select_sentence(pilot, screen, 3, 2)
        for state in ("armenia", "russia"):
            await pilot.press("c")
            assert isinstance(app.screen, CiteScreen)
            await pilot.press(*f"state {state}")
            await pilot.pause()
            await pilot.press("down", "enter")
            await settle(pilot)
            assert app.screen is screen
            if state == "armenia":
                qid = app.data.loaded.state("arm").quotes[-1]
                await select_sentence(pilot, screen, 3, 2)
        ds = app.data.loaded
        assert ds.state("rus").quotes[-1] == qid
        assert [q.id for q in ds.quotes if q.text == passage] == [qid]
        shown = "\n".join(n.message for n in app._notifications)
        assert f"Reused quote {qid} (the same passage) for state rus" in shown, shown
    assert project_copy.read_text(encoding="utf-8").count(f'id = "{qid}"') == 1


async def test_a_cite_whose_undo_journal_fails_says_it_was_written_without_undo(
        project_copy: Path) -> None:
    """The journal's folder is unusable (a file took its name) when a passage is cited: the
    quote is written, so the form closes and the notice says so, as a warning that this step
    cannot be undone (it said "Not written", with the files written)."""
    import shutil

    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await add_article(pilot)
        undo_home = project_copy.parent / ".csto-undo"
        shutil.rmtree(undo_home)
        undo_home.write_text("in the way\n")
        passage = await select_sentence(pilot, screen, 3, 2)
        await pilot.press("c")
        form = app.screen
        assert isinstance(form, CiteScreen)
        await pilot.press(*"state armenia", "down", "enter")
        await settle(pilot)
        assert app.screen is screen, str(form.query_one("#cite-error").render())
        ds = app.data.loaded
        assert ds.quote(ds.state("arm").quotes[-1]).text == passage
        (said,) = [n for n in app._notifications if "Added quote" in n.message]
        assert said.severity == "warning"
        assert "(csto.toml); this step cannot be undone: the undo journal could not record " \
            "it (" in said.message and said.message.endswith("its files are written")
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert any(n.message.startswith("Nothing undone: ") and "journal cannot be read"
                   in n.message for n in app._notifications)


async def test_the_record_list_changes_only_when_the_filter_changes_what_matches(
        project_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A key that leaves the same records matching (a space between words) leaves the list as
    it is (it was cleared and filled again on every key); the highlighted record stays
    highlighted while it still matches; at most SHOWN_RECORDS are listed, and the form says
    how many more match."""
    from textual.widgets import OptionList, Static

    from csto_tui.screens import cite_form

    monkeypatch.setattr(cite_form, "SHOWN_RECORDS", 6)
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        ds = app.data.loaded
        assert ds is not None
        form = CiteScreen(project_copy, ds, ds.sources[0].id, 0, 20)
        app.push_screen(form)
        await pilot.pause(0.2)
        lst = form.query_one("#cite-records", OptionList)
        more = form.query_one("#cite-more", Static)
        total = len(form.record_choices)
        assert total > 6 and lst.option_count == 6
        assert str(more.render()) == f"6 of {total:,} records shown: type to narrow"

        def listed() -> list[object]:
            return [lst.get_option_at_index(i) for i in range(lst.option_count)]

        def highlighted() -> str | None:
            return lst.get_option_at_index(lst.highlighted).id \
                if lst.highlighted is not None else None

        await pilot.press(*"state")
        await pilot.pause()
        states = len([c for c in form.record_choices if "state" in c[2]])
        assert lst.option_count == min(6, states)
        # Down to a state whose line holds "stan" (Kazakhstan, Kyrgyzstan...)
        while "stan" not in str(lst.get_option_at_index(lst.highlighted or 0).prompt).lower():
            await pilot.press("down")
        chosen = highlighted()
        before = listed()
        await pilot.press("space")  # "state ": the same words, the same records
        await pilot.pause()
        assert all(a is b for a, b in zip(listed(), before, strict=True)), \
            "the list was built again though nothing it shows changed"
        assert highlighted() == chosen
        await pilot.press(*"stan")  # fewer records; the highlighted one still matches
        await pilot.pause()
        assert highlighted() == chosen
        assert all("stan" in str(o.prompt).lower() for o in listed())  # type: ignore[attr-defined]
        await pilot.press(*"xyz")
        await pilot.pause()
        assert lst.option_count == 0 and more.has_class("-empty")
        await pilot.press(*["backspace"] * 3)
        await pilot.pause()
        assert highlighted() is not None


async def test_the_response_hint_offers_the_words_the_validator_takes_whole_at_80x24(
        project_copy: Path) -> None:
    """The response field's hint names exactly the words the validator takes there (a word
    it rejects, "froze", never suggested; none it takes left out), and at 80 columns the hint,
    cut in the field with an ellipsis, is said whole under the field while it has the focus
    (tester's defects 18 and 17)."""
    import re

    from csto_tui.authoring import validate_fields
    from csto_tui.facts import ACTION_CATEGORIES, RESPONSE_LABELS, RESPONSES

    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await add_article(pilot)
        await select_sentence(pilot, screen, 2)
        await pilot.press("c")
        form = app.screen
        assert isinstance(form, CiteScreen)
        await choose_kind(pilot, form, "event")
        field = form.query_one("#field-response")
        field.focus()
        await pilot.pause()
        err = form.query_one("#err-response", FieldError)
        hint = str(err.render())
        assert hint and hint == getattr(field, "hint", None), (hint, field)
        assert field.placeholder.endswith("\u2026") and len(field.placeholder) <= (
            field.content_region.width)
        words = re.findall(r"[a-z][a-z-]*", hint.split(";")[0].removeprefix("one of"))

        def takes(word: str) -> bool:
            return not [p for p in validate_fields(app.data.loaded, "event", {
                "id": "e-x", "date": "2024", "title": "T", "summary": "S", "response": word})
                if p.field == "response"]

        candidates = {*RESPONSES, *RESPONSE_LABELS.values(), *words, "froze", "freeze",
                      "intervene", "decline"}
        taken = {w for w in candidates if " " not in w and takes(w)}
        assert set(words) <= taken  # nothing offered is refused
        assert taken - set(ACTION_CATEGORIES) <= set(words)  # nothing taken is left out
        # said whole: every line of it in view, in the form's scrolled part
        assert err.region.height >= -(-len(hint) // err.content_region.width)
        assert form.query_one("#cite-fields").region.contains_region(err.region), err.region
