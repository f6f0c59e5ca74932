"""The source view's keyboard selection, as a user drives it (Pilot): v starts it, w/b,
)/( and }/{ move it by word, sentence and paragraph, it snaps to words, it is drawn (never
markup) and said in the panel, Esc drops it."""

from __future__ import annotations

from pathlib import Path

import pytest

from csto_tui.app import CstoApp
from csto_tui.screens.source_view import SourceScreen
from csto_tui.widgets.source_document import SELECTION_STYLE, SourceDocument

pytestmark = pytest.mark.usefixtures("private_dirs")


async def open_article(pilot, quote_id: str) -> SourceScreen:  # type: ignore[no-untyped-def]
    app = pilot.app
    await app.workers.wait_for_complete()
    await pilot.pause()
    app.dashboard.go_to_record(quote_id)
    await pilot.pause()
    await pilot.press("o")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, SourceScreen)
    return screen


def selected(screen: SourceScreen) -> str:
    span = screen.selected_span
    assert span is not None
    return screen.text[span[0]:span[1]]


def panel_text(screen: SourceScreen) -> str:
    return str(screen.query_one("#source-panel").render())


def styled_cells(doc: SourceDocument) -> str:
    """The characters on screen drawn in the selection's style."""
    out = []
    for y in range(doc.scrollable_content_region.height):
        for seg in doc.render_line(y):
            st = seg.style
            if st is not None and st.reverse and st.italic:
                out.append(seg.text)
        out.append("\n")
    return "".join(out)


async def test_v_then_sentence_word_and_paragraph_keys(project_copy: Path) -> None:
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_article(pilot, "q-a1-cst-1994")
        text = screen.text
        quote = app.data.dataset.quote("q-a1-cst-1994")
        assert quote is not None
        # v: one word, at the current passage (it is in view)
        await pilot.press("v")
        assert selected(screen) == "The"
        assert screen.selected_span[0] == text.index(quote.text)
        # ): to the end of the sentence, which is the quote, verbatim
        await pilot.press("right_parenthesis")
        assert selected(screen) == quote.text
        assert "Selected" in panel_text(screen) and "12 words" in panel_text(screen)
        # w, w, b: a word on, then back
        await pilot.press("w", "w")
        assert selected(screen) == quote.text + " Consisting of"
        await pilot.press("b")
        assert selected(screen) == quote.text + " Consisting"
        # (: the end back to the end of the sentence before it
        await pilot.press("left_parenthesis")
        assert selected(screen) == quote.text
        # }: to the end of the paragraph (a blank line ends it)
        await pilot.press("right_curly_bracket")
        para_end = text.index("\n\n", text.index(quote.text))
        assert screen.selected_span == (text.index(quote.text), para_end)
        # o, then w: the start moves on by a word
        await pilot.press("o", "w")
        assert selected(screen).startswith("treaty finally")
        await pilot.press("left_curly_bracket")  # the start back to the paragraph's start
        assert text[screen.selected_span[0]:].startswith("The Commonwealth")
        # drawn in the selection's style, and only the selection
        doc = screen.query_one(SourceDocument)
        await pilot.pause()
        drawn = " ".join(styled_cells(doc).split())
        assert drawn and drawn in " ".join(selected(screen).split())
        # Esc drops the selection (the screen stays), Esc again closes
        await pilot.press("escape")
        assert screen.selection is None and app.screen is screen
        assert doc.selection is None and not styled_cells(doc).strip()
        await pilot.press("escape")
        assert app.screen is not screen


async def test_selection_keys_only_while_selecting(project_copy: Path) -> None:
    app = CstoApp(project_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_article(pilot, "q-a1-cst-1994")
        footer_keys = {b.action for _, b, enabled, _ in screen.active_bindings.values()}
        assert not any(a.startswith("extend") for a in footer_keys)
        await pilot.press("w")  # nothing to move: no selection appears
        assert screen.selection is None
        await pilot.press("v")
        footer_keys = {b.action for _, b, enabled, _ in screen.active_bindings.values()}
        assert any(a.startswith("extend") for a in footer_keys)
        # while selecting, Esc drops the selection and says so in the key line
        shown = {b.description for _, b, enabled, _ in screen.active_bindings.values()}
        assert "Drop selection" in shown and "Close" not in shown
        await pilot.press("escape")
        assert screen.selection is None and pilot.app.screen is screen


async def test_passage_keys_move_the_selection_and_it_follows_into_view(
        project_copy: Path) -> None:
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_article(pilot, "q-a1-kaz-headlines")
        await pilot.press("v")
        first = screen.selected_span
        await pilot.press("right_square_bracket")
        assert screen.selected_span != first
        p = screen.current
        assert p is not None and screen.selected_span[0] == p.start
        # extending by paragraphs keeps the moving end on screen
        doc = screen.query_one(SourceDocument)
        for _ in range(4):
            await pilot.press("right_curly_bracket")
        await pilot.pause()
        end = screen.selected_span[1]
        line = doc.line_of(end - 1)
        assert int(doc.scroll_y) <= line < int(doc.scroll_y) + doc.size.height
        assert SELECTION_STYLE.reverse


async def test_v_on_a_span_opened_as_a_match_selects_all_of_it(project_copy: Path) -> None:
    """The coverage view (and a search hit) open the article at a span: v selects that span,
    snapped to its words, ready for c or u."""
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        ds = app.data.dataset
        text = ds.text_of("a1")
        # a passage no quote holds (one explained as uncited), from inside its first word to
        # the end of its second
        passage = next(u.text for u in ds.uncited if u.source == "a1"
                       and len(u.text.split()) > 3)
        first, second = passage.split()[:2]
        start = text.index(passage) + 1
        end = text.index(passage) + len(first) + 1 + len(second)
        app.push_screen(SourceScreen(app.data, "a1", None, at=(start, end)))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SourceScreen)
        assert screen.current is not None and not screen.current.quote_id
        await pilot.press("v")
        assert selected(screen) == f"{first} {second}"


async def test_selection_and_cite_keys_follow_the_users_keymap(project_copy: Path,
                                                              tmp_path: Path) -> None:
    """The keys have ids: a user's config moves them (here v to s, c to K, ) to l)."""
    from csto_tui import settings
    from csto_tui.keymap import binding_ids, theme_names
    from csto_tui.screens.cite_form import CiteScreen

    cfg = tmp_path / "config.toml"
    cfg.write_text('[keys]\nsource_select = "s"\nsource_cite = "K"\n'
                   'source_select_sentence = "l"\n', encoding="utf-8")
    app = CstoApp(project_copy, settings=settings.load(cfg, binding_ids, theme_names))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_article(pilot, "q-a1-cst-1994")
        await pilot.press("v")
        assert screen.selection is None
        await pilot.press("s", "l")
        assert selected(screen) == app.data.dataset.quote("q-a1-cst-1994").text
        await pilot.press("c")
        assert app.screen is screen
        await pilot.press("K")
        assert isinstance(app.screen, CiteScreen)


async def test_c_and_u_refuse_a_selection_made_in_an_article_that_changed_since(
        project_copy: Path) -> None:
    """The article is edited on disk while a selection is held and the data is loaded again:
    the view keeps showing the text the selection was made in, so c and u refuse (the offsets
    would name other words of the new text) and say how to go on; nothing is written."""
    from csto_tui.screens.cite_form import CiteScreen, UncitedScreen

    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_article(pilot, "q-a1-cst-1994")
        await pilot.press("v", "right_parenthesis")
        chosen = selected(screen)
        ds = app.data.loaded
        assert ds is not None
        src = ds.source(screen.source_id)
        assert src is not None
        article = Path(src.path)
        article.write_bytes(b"A new first paragraph, added later.\n\n" + article.read_bytes())
        before = project_copy.read_bytes()
        notes: list[str] = []
        app.notify = lambda message, **kw: notes.append(str(message))  # type: ignore[method-assign]
        app.dashboard.feed.reload()
        for _ in range(5):
            await app.workers.wait_for_complete()
            await pilot.pause(0.1)
        loaded = app.data.loaded
        assert loaded is not None and loaded.text_of(screen.source_id) != screen.text
        assert selected(screen) == chosen  # still the text it was made in
        notes.clear()
        for key in ("c", "u"):
            await pilot.press(key)
            await pilot.pause()
            assert not isinstance(app.screen, CiteScreen | UncitedScreen), key
        assert len(notes) == 2 and all("changed" in n for n in notes), notes
        assert project_copy.read_bytes() == before
