"""Full-screen source document, scrolled to a quote, every cited passage highlighted; a
keyboard selection cited, or marked uncited, from here.

The document itself (Line API, blocks wrapped as they come into view, passages styled by
offset, never markup) is :class:`~csto_tui.widgets.source_document.SourceDocument`.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from .. import records
from ..dataset import Dataset
from ..selection import Selection, Words, describe
from ..shared import Shared
from ..textsafe import one_line, plural
from ..widgets.footer import KeysFooter
from ..widgets.source_document import Passage, SourceDocument, passages_of

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..journal import Change
    from .search_screen import SearchSession

def describe_record(ds: Dataset, rec_id: str) -> tuple[str, str]:
    """(kind, title) of a record, for the "cited by" panel."""
    rec = ds.get(rec_id)
    if records.kind_of(rec) is None:
        return "record", rec_id
    return records.word(rec), records.title(ds, rec)


@dataclass(frozen=True)
class SearchStep:
    """What the article screen closes with when n / N asks for another search result."""

    step: int


#: What the article screen closes with: a record to go to, a search step, or nothing.
SourceResult = str | SearchStep | None


class SourceScreen(Screen[SourceResult]):
    """A source document with its cited passages; Enter returns to a citing record.

    ``]`` / ``[`` step through the document's own passages; ``n`` / ``N`` through the results
    of the search that led here (the screen closes and the dashboard shows the next result)."""

    CSS_PATH = "screens.tcss"

    BINDINGS = [
        # the keyboard selection, as an editor's visual mode: v starts it at the current
        # passage (or the top of the view), the keys below move its moving end
        Binding("escape", "drop_selection", "Drop selection", id="source_select_drop",
                tooltip="Drop the selection (the article stays open)"),
        Binding("c", "cite", "Cite", id="source_cite",
                tooltip="Cite the selection: a new quote for an existing record or a new "
                        "record of any kind (a form)"),
        Binding("u", "uncited", "Uncited", id="source_uncited",
                tooltip="Mark the selection as deliberately uncited, with a reason"),
        Binding("w", "extend('word', True)", "+word", id="source_select_word",
                tooltip="Selection: the moving end on by a word"),
        Binding("b", "extend('word', False)", "-word", id="source_select_word_back",
                show=False, tooltip="Selection: the moving end back by a word"),
        Binding("right_parenthesis", "extend('sentence', True)", "+sentence",
                id="source_select_sentence", key_display=")",
                tooltip="Selection: the moving end on to the end of a sentence"),
        Binding("left_parenthesis", "extend('sentence', False)", "-sentence",
                id="source_select_sentence_back", key_display="(", show=False,
                tooltip="Selection: the moving end back by a sentence"),
        Binding("right_curly_bracket", "extend('paragraph', True)", "+paragraph",
                id="source_select_paragraph", key_display="}", show=False,
                tooltip="Selection: the moving end on to the end of a paragraph"),
        Binding("left_curly_bracket", "extend('paragraph', False)", "-paragraph",
                id="source_select_paragraph_back", key_display="{", show=False,
                tooltip="Selection: the moving end back by a paragraph"),
        Binding("o", "swap_ends", "Other end", id="source_select_swap", show=False,
                tooltip="Selection: move the other end from now on (o then ) walks the "
                        "selection on)"),
        Binding("v", "select", "Select", id="source_select",
                tooltip="Start selecting text to cite, at the current passage or the top of "
                        "the view (Esc drops it)"),
        Binding("escape", "close", "Close", id="source_close"),
        Binding("enter", "choose", "Go to record", id="source_choose"),
        Binding("right_square_bracket,j", "passage(1)", "Next passage", id="source_next"),
        Binding("left_square_bracket,k", "passage(-1)", "Previous passage",
                id="source_previous"),
        Binding("n", "search_step(1)", "Next result", id="source_search_next",
                tooltip="In an article a search result opened: the search's next result",
                show=False),
        Binding("N", "search_step(-1)", "Previous result", id="source_search_previous",
                tooltip="In an article a search result opened: the search's previous result",
                show=False),
        Binding("right,tab", "citer(1)", "Next record", id="source_citer_next", priority=True,
                tooltip="The next record this passage backs"),
        Binding("left,shift+tab", "citer(-1)", "Previous record", id="source_citer_previous",
                priority=True, show=False, tooltip="The previous record this passage backs"),
        Binding("ctrl+z", "undo", "Undo last write", id="source_undo", show=False,
                tooltip="Undo the last write to the dataset"),
    ]

    #: the actions that need a selection (hidden from the key line without one)
    SELECTION_ACTIONS = frozenset({"extend", "swap_ends", "cite", "uncited",
                                   "drop_selection"})
    #: the actions hidden while selecting (the key line shows what the selection takes)
    BROWSING_ACTIONS = frozenset({"close", "choose", "citer", "search_step", "select"})
    #: the actions that act on the cited passages (not offered in an article without any)
    PASSAGE_ACTIONS = frozenset({"choose", "citer", "passage"})

    def __init__(self, data: Shared, source_id: str, quote_id: str | None = None,
                 at: tuple[int, int] | None = None, origin: str | None = None,
                 search: SearchSession | None = None,
                 on_written: Callable[[Change], None] | None = None, **kwargs: Any) -> None:
        """``at`` (start, end) opens the document at a span, e.g. a search hit in the text:
        the cited passage there if there is one, else the span itself, marked as a match.
        ``search``: the search whose result this screen shows (n / N step through it, the
        header says "result i of n"); None for a view opened otherwise, whatever was searched
        before (n / N then do nothing here).
        ``on_written``: told of each write made here (cite, uncited, undo), to reload the
        data at once (without it, the feed's polling picks the write up)."""
        super().__init__(**kwargs)
        self.on_written = on_written
        self.search = search
        self.data = data
        self.source_id = source_id
        self.quote_id = quote_id
        self.at = at
        #: The record the user came from: preselected among the quote's citers, so that
        #: Enter goes back to it.
        self.origin = origin
        self.passages: list[Passage] = []
        self.index = 0
        self.citer_index = 0
        self._missing_quote = False
        #: the keyboard selection (None: not selecting) over the words of the text
        self.selection: Selection | None = None
        self._words: Words | None = None

    @property
    def dataset(self) -> Dataset | None:
        return self.data.dataset

    @property
    def current(self) -> Passage | None:
        return self.passages[self.index] if self.passages else None

    @property
    def citers(self) -> tuple[str, ...]:
        ds, p = self.dataset, self.current
        return ds.citers(p.quote_id) if ds is not None and p is not None else ()

    @property
    def selected_record(self) -> str | None:
        c = self.citers
        return c[min(self.citer_index, len(c) - 1)] if c else None

    def compose(self) -> ComposeResult:
        ds = self.dataset
        statuses = dict(self.data.statuses)
        text = ds.texts.get(self.source_id, "") if ds is not None else ""
        if ds is not None:
            self.passages = passages_of(ds, self.source_id, statuses)
        ids = [p.quote_id for p in self.passages]
        if self.quote_id in ids:
            self.index = ids.index(self.quote_id)
        elif self.at is not None and self.quote_id is None:
            self.index = self._place_match(len(text))
        else:
            self.index = 0
            self._missing_quote = self.quote_id is not None
        yield Static(self._title(ds, text), id="source-title")
        yield SourceDocument(text, self.passages, self.index, id="source-doc")
        yield Static(id="source-panel")
        yield KeysFooter()

    def _place_match(self, text_len: int) -> int:
        """Index of the passage to open at ``self.at``: a cited one covering it, else a
        search-match passage inserted in document order."""
        assert self.at is not None
        s, e = self.at
        s = max(0, min(s, text_len))
        e = max(s + 1, min(e, text_len))
        for i, p in enumerate(self.passages):
            if p.start <= s and e <= p.end:
                return i
        match = Passage("", s, e, "match")
        i = bisect_left([(p.start, p.end) for p in self.passages], (s, e))
        self.passages.insert(i, match)
        return i

    def _title(self, ds: Dataset | None, text: str) -> Text:
        src = ds.source(self.source_id) if ds is not None else None
        t = Text(" SOURCE ", style="bold reverse")
        t.append(" ")
        if self.search is not None:
            t.append(f"[{self.search.status()}] ", style="bold")
        t.append(one_line(src.title if src else self.source_id), style="bold")
        # the second line: what the article is (a notice covers these two lines, never the
        # text being read)
        extra = [one_line(self.source_id)]
        if src is not None and src.date is not None:
            extra.append(src.date.display())
        if src is not None and src.publisher:
            extra.append(one_line(src.publisher))
        extra.append(plural(sum(1 for p in self.passages if p.quote_id), "cited passage"))
        t.append("\n " + " \u00b7 ".join(extra))
        if ds is not None and not text:
            t.append("  [source text unavailable]", style="bold")
        return t

    def on_screen_resume(self) -> None:
        """Back on top (a form or the help closed): closes if its article left the dataset
        meanwhile (an undo, a hand edit)."""
        from .authoring_hooks import close_if_gone

        close_if_gone(self)

    def on_mount(self) -> None:
        if self.origin in self.citers:
            self.citer_index = self.citers.index(self.origin)
        self.query_one(SourceDocument).focus()
        self._update_panel()
        if self._missing_quote:
            self.notify(f"Quote {one_line(self.quote_id or '')} cannot be located in this "
                        "source; showing its other passages.", severity="warning",
                        markup=False)

    @property
    def text(self) -> str:
        return self.query_one(SourceDocument).text

    @property
    def words(self) -> Words:
        if self._words is None:
            self._words = Words(self.text)
        return self._words

    @property
    def selected_span(self) -> tuple[int, int] | None:
        """[start, end) of the selection in the source's text (None: no selection)."""
        return self.selection.span(self.words) if self.selection is not None else None

    def _update_panel(self) -> None:
        panel = self.query_one("#source-panel", Static)
        ds = self.dataset
        p = self.current
        t = Text()
        span = self.selected_span
        if span is not None:
            t.append("Selected", style="bold reverse")
            t.append(" " + one_line(describe(self.text, *span)))
            t.append(f"  characters {span[0]}-{span[1]}\n")
            t.append("w/b word  )/( sentence  }/{ paragraph  o other end  Esc drop",
                     style="italic")
            panel.update(t)
            return
        if ds is None or p is None:
            t.append("No cited passages in this source.", style="italic")
            if ds is not None and self.text:
                t.append(" v selects text to cite (c) or to mark uncited (u).")
            panel.update(t)
            return
        if not p.quote_id:
            t.append("Search match", style="bold reverse")
            t.append(f"  characters {p.start}-{p.end}, not a cited passage. "
                     "] / [ move through the cited passages; Escape goes back.")
            panel.update(t)
            return
        t.append(f"Passage {self.index + 1}/{len(self.passages)}", style="bold")
        t.append(f"  {one_line(p.quote_id)}  characters {p.start}-{p.end}  ")
        if p.exact:
            t.append("[exact]")
        else:
            t.append(f"[{one_line(p.status)}]", style="bold reverse")
        t.append("\n")
        citers = self.citers
        if not citers:
            t.append("Cited by no record.", style="italic")
        else:
            t.append(f"Cited by {len(citers)}: ", style="bold")
            for i, rid in enumerate(citers):
                kind, title = describe_record(ds, rid)
                item = f"{kind}: {one_line(title, 40)}"
                if i == self.citer_index:
                    t.append(">" + item + "<", style="bold reverse")
                else:
                    t.append(" " + item + " ")
                if i < len(citers) - 1:
                    t.append(" ")
        panel.update(t)

    # ---- actions -----------------------------------------------------------------------
    def action_passage(self, step: int) -> None:
        if not self.passages:
            self.app.bell()
            return
        new = (self.index + step) % len(self.passages)
        self.index = new
        self.citer_index = 0
        doc = self.query_one(SourceDocument)
        doc.show_passage(new)
        if self.selection is not None:  # the selection starts again at that passage
            self.set_selection(Selection.word_at(self.words, self.passages[new].start))
            return
        doc.set_current(new)
        self._update_panel()

    def action_search_step(self, step: int) -> None:
        if self.search is not None and self.search.hits:
            self.dismiss(SearchStep(step))

    def action_citer(self, step: int) -> None:
        c = self.citers
        if len(c) < 2:
            return
        self.citer_index = (self.citer_index + step) % len(c)
        self._update_panel()

    def action_choose(self) -> None:
        rid = self.selected_record
        if rid is None:
            self.notify("No record cites this passage.", severity="warning", markup=False)
            return
        self.dismiss(rid)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_drop_selection(self) -> None:
        self.drop_selection()

    # ---- the keyboard selection --------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.SELECTION_ACTIONS:
            return self.selection is not None
        if action == "search_step" and self.search is None:
            return False  # a view the search did not open: n / N are not its keys
        if action in self.BROWSING_ACTIONS:
            return self.selection is None and (bool(self.passages) or action not in
                                               self.PASSAGE_ACTIONS)
        if action in self.PASSAGE_ACTIONS:  # nothing to step through: not offered
            return bool(self.passages)
        return True

    def action_select(self) -> None:
        """v: a selection of one word, at the current passage if it is in view (the first
        sentence of a span opened as a match: an uncovered passage, a search hit), else at the
        top of the view."""
        doc = self.query_one(SourceDocument)
        if not len(self.words):
            self.notify("Nothing to select: the source text is empty or unavailable",
                        severity="warning", markup=False)
            return
        p = self.current
        if p is not None:
            line = doc.line_of(p.start)
            top = int(doc.scroll_y)
            if top <= line < top + doc.scrollable_content_region.height:
                if not p.quote_id:  # a span shown as a match (a search hit, an uncovered
                    # passage from the coverage view): its first sentence selected
                    self.set_selection(Selection.first_sentence(self.words, p.start, p.end))
                else:
                    self.set_selection(Selection.word_at(self.words, p.start))
                return
        self.set_selection(Selection.word_at(self.words, doc.top_offset()))

    def action_extend(self, unit: str, forward: bool) -> None:
        if self.selection is not None:
            self.set_selection(self.selection.move(self.words, unit, forward))

    def action_swap_ends(self) -> None:
        if self.selection is not None:
            self.set_selection(self.selection.swap())

    def set_selection(self, selection: Selection | None) -> None:
        """Show ``selection`` (None: none): highlighted in the text, said in the panel, its
        moving end scrolled into view; the current passage is not marked meanwhile."""
        was = self.selection
        self.selection = selection
        doc = self.query_one(SourceDocument)
        span = self.selected_span
        doc.set_selection(span)
        if (was is None) != (selection is None):
            doc.set_current(-1 if selection is not None else self.index)
            self.refresh_bindings()
        if selection is not None and span is not None:
            doc.scroll_to_offset(span[1] - 1 if selection.at_end else span[0])
        self._update_panel()

    def drop_selection(self) -> None:
        self.set_selection(None)

    # ---- writing: cite, uncited, undo ----------------------------------------------------
    def action_cite(self) -> None:
        """c: the cite form for the selection; once written, the new quote is the current
        passage."""
        self._write_form("cite")

    def action_uncited(self) -> None:
        """u: mark the selection as deliberately uncited (a reason picked from a list)."""
        self._write_form("uncited")

    def _write_form(self, which: str) -> None:
        from .cite_form import CiteScreen, UncitedScreen

        span = self.selected_span
        ds = self.data.loaded  # every record, never the facts-only view
        if span is None or ds is None:
            return
        if ds.text_of(self.source_id) != self.text:
            # the view keeps the text the selection was made in (see reloaded); the loaded
            # data holds the article as it is now, where these offsets are other words
            self.notify("The article changed on disk since this view opened it: Esc, then "
                        "open it again to select the passage in its new text; nothing "
                        "written", severity="warning", timeout=8, markup=False)
            return
        if which == "cite":
            self.app.push_screen(CiteScreen(self.data.path, ds, self.source_id, *span),
                                 callback=lambda change: self.written(change, cited=True))
        else:
            self.app.push_screen(UncitedScreen(self.data.path, ds, self.source_id, *span),
                                 callback=self.written)

    def written(self, change: Change | None, cited: bool = False) -> None:
        """A form wrote ``change`` (None: cancelled, the selection stays): say what, drop the
        selection; ``cited``: its first id is the new quote, the current passage once the
        data is loaded again."""
        if change is None:
            return
        from .cite_form import announce

        announce(self, change)
        if cited and change.ids:
            self.quote_id = change.ids[0]
        self.drop_selection()
        if self.on_written is not None:
            self.on_written(change)

    def action_undo(self) -> None:
        from .cite_form import undo_last

        undo_last(self, self.data.path, self.on_written)

    def reloaded(self) -> None:
        """The data was loaded again (after a write): the passages anew, the current one kept
        (or the quote just written), the selection kept when the text is the same."""
        ds = self.dataset
        if ds is None:
            return
        doc = self.query_one(SourceDocument)
        if ds.text_of(self.source_id) != doc.text:
            return  # the article itself changed: its passages are for another text
        self.passages = passages_of(ds, self.source_id, dict(self.data.statuses))
        ids = [p.quote_id for p in self.passages]
        if self.quote_id in ids:
            self.index = ids.index(self.quote_id)
        else:
            self.index = min(self.index, max(len(self.passages) - 1, 0))
        self.citer_index = 0
        doc.set_passages(self.passages, -1 if self.selection is not None else self.index)
        if self.selection is None and self.passages:
            doc.show_passage(self.index)
        self.query_one("#source-title", Static).update(self._title(ds, doc.text))
        self._update_panel()
        self.refresh_bindings()  # the passage keys come and go with the passages
