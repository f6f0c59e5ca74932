"""What is left to do in an article: every passage neither quoted nor explained as uncited.

The article is drawn as the source view draws it (the Line API widget
:class:`~csto_tui.widgets.source_document.SourceDocument`), with the uncovered passages as its
passages: the current one reverse + bold, the
others underlined + bold (never colour alone). ``]`` / ``[`` step through them; the title says
"uncovered i of n, X chars" (whitespace aside, as ``csto-tui check --coverage`` counts);
Enter opens the article in the source view at the passage's first sentence (``v`` there
selects it), to cite it or mark it uncited; ctrl+z undoes the last write. After every load of
the dataset (a cite, an uncited passage, an undo, an edit by hand) the screen computes the
coverage again (:func:`csto_tui.coverage.coverage`, as :func:`csto_tui.authoring.uncovered`
does) and stays at the same place of the text: the count goes down as the analyst works.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from ..coverage import SourceCoverage, coverage, sentences
from ..dataset import Dataset
from ..shared import Shared
from ..textsafe import one_line
from ..vocabulary import EXACT
from ..widgets.footer import KeysFooter
from ..widgets.source_document import Passage, SourceDocument

if TYPE_CHECKING:
    from ..journal import Change

#: What opens the article at a passage [start, end) of a source, to cite it (the dashboard's).
OpenPassage = Callable[[str, int, int], None]


class CoverageScreen(Screen[None]):
    """An article with what is neither quoted nor explained highlighted; Enter cites there."""

    CSS_PATH = "screens.tcss"

    BINDINGS = [
        Binding("escape", "close", "Close", id="coverage_close"),
        Binding("enter", "cite", "Cite here", id="coverage_cite",
                tooltip="Open the article at this passage's first sentence to cite it or "
                        "mark it uncited (v selects it, c cites, u uncited); back here with Esc"),
        Binding("right_square_bracket,j", "step(1)", "Next uncovered", id="coverage_next",
                tooltip="The next passage neither quoted nor explained"),
        Binding("left_square_bracket,k", "step(-1)", "Previous uncovered",
                id="coverage_previous",
                tooltip="The previous passage neither quoted nor explained"),
        Binding("ctrl+z", "undo", "Undo last write", id="coverage_undo", show=False,
                tooltip="Undo the last write to the dataset (a cite, an uncited passage, an "
                        "added article): the count goes back up"),
        Binding("right", "article(1)", "Next article", id="coverage_next_article",
                show=False, tooltip="The coverage of the next article of the dataset"),
        Binding("left", "article(-1)", "Previous article", id="coverage_previous_article",
                show=False, tooltip="The coverage of the previous article of the dataset"),
    ]

    def __init__(self, data: Shared, source_id: str, open_passage: OpenPassage | None = None,
                 on_written: Callable[[Change], None] | None = None, **kwargs: Any) -> None:
        """``open_passage`` opens the article at a span to cite it (the dashboard's);
        ``on_written`` is told of an undo made here, to load the data again at once."""
        super().__init__(**kwargs)
        self.data = data
        self.source_id = source_id
        self.open_passage = open_passage
        self.on_written = on_written
        self.report: SourceCoverage | None = None
        self.passages: list[Passage] = []
        self.index = 0
        self.seen_version = -1
        #: the article as drawn (replaced after each load)
        self.document: SourceDocument

    @property
    def dataset(self) -> Dataset | None:
        """Every record of the last load (coverage is about the data, not the facts-only
        view of it)."""
        return self.data.loaded or self.data.dataset

    @property
    def current(self) -> Passage | None:
        return self.passages[self.index] if self.passages else None

    def compose(self) -> ComposeResult:
        self._measure(keep=None)
        yield Static(self._title(), id="coverage-title")
        yield self._document()
        yield Static(self._panel(), id="coverage-panel")
        yield KeysFooter()

    def on_screen_resume(self) -> None:
        """Back on top (a form or the help closed): closes if its article left the dataset
        meanwhile (an undo, a hand edit)."""
        from .authoring_hooks import close_if_gone

        close_if_gone(self)

    def on_mount(self) -> None:
        self.document.focus()

    # ---- the coverage -------------------------------------------------------------------
    def _measure(self, keep: int | None) -> None:
        """Compute the uncovered passages; the current one is the first that ends after
        ``keep`` (a character offset: where the analyst was), else the first."""
        ds = self.dataset
        self.seen_version = self.data.version
        found = coverage(ds, only=self.source_id) if ds is not None else []
        self.report = found[0] if found else None
        spans = self.report.uncovered if self.report is not None else ()
        # drawn as the source view draws a cited passage, without a status marker
        self.passages = [Passage("", p.start, p.end, EXACT) for p in spans]
        if keep is None or not self.passages:
            self.index = 0
        else:
            ends = [p.end for p in self.passages]
            self.index = min(bisect_left(ends, keep + 1), len(self.passages) - 1)

    def _document(self) -> SourceDocument:
        ds = self.dataset
        text = ds.texts.get(self.source_id, "") if ds is not None else ""
        self.document = SourceDocument(text, self.passages, self.index)
        return self.document

    def _title(self) -> Text:
        ds = self.dataset
        src = ds.source(self.source_id) if ds is not None else None
        t = Text(" COVERAGE ", style="bold reverse")
        t.append(" ")
        t.append(one_line(src.title if src is not None else self.source_id), style="bold")
        # the second line: where the view is (a notice covers these two lines, never the text)
        t.append(f"\n {one_line(self.source_id)} \u00b7 ")
        rep = self.report
        n = len(self.passages)
        if rep is None:
            t.append("the article's text is not available", style="bold")
        elif n == 0:
            t.append("nothing uncovered", style="bold")
        else:
            t.append(f"uncovered {self.index + 1} of {n}, {rep.uncovered_chars} chars",
                     style="bold")
            t.append(f" ({rep.uncovered_share:.1%})")
        return t

    def _panel(self) -> Text:
        rep = self.report
        p = self.current
        t = Text()
        if rep is None:
            t.append("No text to measure.", style="italic")
            return t
        t.append(f"{rep.quoted} of {rep.chars} characters quoted, {rep.explained} explained "
                 "as uncited.\n")
        if p is None:
            t.append("Every passage of this article is quoted or explained.", style="bold")
            return t
        t.append(f"Passage {self.index + 1}/{len(self.passages)}", style="bold")
        t.append(f"  characters {p.start}-{p.end}  ")
        t.append("Enter", style="bold")
        t.append(" opens its first sentence in the article to cite; ] / [ the next or "
                 "previous.")
        return t

    def _show(self) -> None:
        self.query_one("#coverage-title", Static).update(self._title())
        self.query_one("#coverage-panel", Static).update(self._panel())
        self.refresh_bindings()  # ] / [ come and go with the passages (check_action)

    def reloaded(self) -> None:
        """The dataset was loaded again (a write, an undo, an edit by hand): measure again
        and stay where the analyst was in the text."""
        if self.data.version == self.seen_version:
            return
        current = self.current
        self._measure(keep=current.start if current is not None else None)
        self._redraw()

    def _redraw(self) -> None:
        """A new document for the passages just measured, in place of the old one."""
        old = self.document
        new = self._document()
        self.mount(new, before=old)
        old.remove()
        new.focus()
        self._show()

    # ---- actions --------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """] / [ only when there is an uncovered passage to go to: else not in the key line."""
        if action == "step":
            return bool(self.passages)
        return True

    def action_step(self, step: int) -> None:
        if not self.passages:
            return
        self.index = (self.index + step) % len(self.passages)
        doc = self.document
        doc.set_current(self.index)
        doc.show_passage(self.index)
        self._show()

    def action_article(self, step: int) -> None:
        ds = self.dataset
        if ds is None or len(ds.sources) < 2:
            self.app.bell()
            return
        ids = [s.id for s in ds.sources]
        at = ids.index(self.source_id) if self.source_id in ids else 0
        self.source_id = ids[(at + step) % len(ids)]
        self._measure(keep=None)
        self._redraw()

    def first_sentence(self) -> tuple[int, int] | None:
        """The current passage's first sentence (the passage itself when it is shorter): what
        Enter opens the article at, so that the selection there (v) is one sentence to cite."""
        p = self.current
        ds = self.dataset
        if p is None or ds is None:
            return None
        for s in sentences(ds.texts.get(self.source_id, "")):
            if s.start <= p.start < s.end:
                return p.start, min(p.end, s.end)
        return p.start, p.end

    def action_cite(self) -> None:
        span = self.first_sentence()
        if span is None or self.open_passage is None:
            self.notify("Nothing uncovered here to cite.", markup=False)
            return
        self.open_passage(self.source_id, *span)

    def action_undo(self) -> None:
        from .cite_form import undo_last

        undo_last(self, self.data.path, self.on_written)

    def action_close(self) -> None:
        self.dismiss(None)
