"""Pane 4: the verbatim quotes behind the record in focus, each inside its source text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import BindingType

from .. import citation, details, records
from ..dataset import Dataset
from ..facts import RESPONSE_LABELS, RESPONSE_MARKERS
from ..keys import EXCERPTS
from ..model import Conflict, Entity, Event, Metric, Relation, State
from ..textsafe import plural
from ..vocabulary import EXACT, QUOTE_STATUS, QUOTE_STATUSES, SOURCE, STATUS_LABELS
from .pane import Pane, Row
from .render import metric_heading, quote_in_context, safe, tie_line

#: What a non-exact quote status means, in a few words.
STATUS_NOTES: dict[str, str] = {s.name: s.note for s in QUOTE_STATUSES if s.note}

CONFLICT_PREFIX = "conflict:"


class ExcerptsPane(Pane):
    BINDINGS: ClassVar[list[BindingType]] = [*EXCERPTS]
    NUMBER = 4
    TITLE = "Sources"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._dataset: Dataset | None = None
        self.record: str | None = None
        self.quote_ids: list[str] = []

    @property
    def quote_id(self) -> str | None:
        """The quote under the cursor (a conflict's first reading counts), else the first."""
        rid = self.record_id
        ds = self._dataset
        if rid and rid.startswith(CONFLICT_PREFIX) and ds is not None:
            c = ds.get(rid[len(CONFLICT_PREFIX):])
            if isinstance(c, Conflict) and c.readings:
                return c.readings[0].quote
            return None
        if rid in self.quote_ids:
            return rid
        return self.quote_ids[0] if self.quote_ids else None

    def show_record(self, ds: Dataset, record_id: str | None,
                    statuses: dict[str, str], keep: str | None = None) -> None:
        self._dataset = ds
        self.record = record_id
        rec = ds.get(record_id) if record_id else None
        if rec is None:
            self.quote_ids = []
            self.set_subtitle("")
            self.show_message("Nothing selected")
            return
        qids = [q for q in ds.quotes_of(rec) if ds.quote(q) is not None]
        self.quote_ids = qids
        n_src = ds.source_count(rec)
        from ..export import needing_review

        # to review: as the title bar and S count them; a quote whose source cannot be read
        # is not one (the source is the dataset's problem), it is said as what it is
        review = len(needing_review(qids, statuses))
        unread = sum(1 for q in qids if statuses.get(q) == SOURCE)
        sub = f"{plural(n_src, 'source')}, {plural(len(qids), 'quote')}"
        if review:
            sub += f", {review} to review"
        if unread:
            sub += f", {unread} {QUOTE_STATUS[SOURCE].note}"
        self.set_subtitle(sub)
        opts: list[Row] = [Row(self._header(ds, rec, n_src), disabled=True)]
        # the quotes first (where the fact comes from), then where the sources differ
        for qid in qids:
            opts.append(Row(self._quote(ds, qid, statuses.get(qid, EXACT)), id=qid))
        if not qids:
            opts.append(Row(Text("No quote backs this record", style="italic"),
                               disabled=True))
        for c in ds.conflicts_of(record_id or ""):
            opts.append(Row(self._conflict(ds, c), id=CONFLICT_PREFIX + c.id))
        self.set_rows(opts)
        if not self.highlight_id(keep):
            self.highlight_first()
            # keep the record's header in view above the first quote
            self.call_after_refresh(self.keep_cursor_in_view)

    def scroll_to_highlight(self) -> None:
        """Show the record's header while the cursor is on the first item, else the cursor
        (at once: scrolled to the cursor first and then home, the pane was drawn twice)."""
        first = next((i for i, o in enumerate(self.rows) if not o.disabled), None)
        if self.highlighted is not None and self.highlighted == first:
            self.scroll_home(animate=False, immediate=True)
        else:
            super().scroll_to_highlight()

    @staticmethod
    def _header(ds: Dataset, rec: object, n_src: int) -> Text:
        """The record above its quotes: in its kind's own way (``HEADERS``), else as the
        registry titles and describes it; then the details its kind declares."""
        show = HEADERS.get(records.kind_name(rec))
        skip: tuple[str, ...] = ()
        if show is not None:
            t, skip = show(ds, rec)
        else:
            t = Text()
            t.append(safe(records.title(ds, rec)), "bold")
            what = records.describe(ds, rec)
            if what:
                t.append("\n")
                t.append(safe(what))
        kind = records.kind_of(rec)
        if kind is not None and kind.details is not None:
            for d in kind.details(ds, rec):
                if d.label in skip:
                    continue
                t.append("\n")
                t.append(f"{d.label}: ", "bold")
                t.append(safe(d.text))
        return t

    @staticmethod
    def _conflict(ds: Dataset, c: Conflict) -> Text:
        t = Text()
        t.append("[!=] ", "bold")
        t.append(safe(details.conflict_heading(c)), "bold")
        for r in c.readings:
            q = ds.quote(r.quote)
            t.append("\n  ")
            t.append(q.source if q else "?", "bold")
            t.append(" says: ")
            t.append(safe(r.says))
        if c.note:
            t.append("\n  ")
            t.append(safe(c.note), "dim")
        return t

    @staticmethod
    def _quote(ds: Dataset, qid: str, status: str) -> Text:
        q = ds.quote(qid)
        assert q is not None
        t = Text()
        t.append(citation.label(ds, qid), "bold")
        if status != EXACT:
            t.append(" ")
            t.append(f"[{status}]", "bold reverse")
            t.append(" ")
            t.append(STATUS_NOTES.get(status, "needs review"), "bold")
        t.append("\n")
        t.append_text(quote_in_context(ds, q))
        if q.note:
            t.append("\n")
            t.append("note: ", "dim")
            t.append(safe(q.note), "dim")
        t.append("\n")
        t.append(citation.detail(ds, qid), "dim italic")
        return t


Header = tuple[Text, tuple[str, ...]]


def _state_header(ds: Dataset, s: State) -> Header:
    t = Text()
    t.append(safe(s.name), "bold")
    t.append(f" ({STATUS_LABELS.get(s.status, s.status)})")
    if s.role:
        t.append(": ")
        t.append(safe(details.mark(s, "role", s.role)))
    return t, ("Relation",)  # pane 2 lists them


def _metric_header(ds: Dataset, m: Metric) -> Header:
    t = metric_heading(m, ds) if m.is_figure else tie_line(m, ds)
    if m.is_figure and m.detail:
        t.append("\n")
        t.append(safe(m.detail), "dim")
    return t, ("Value", "Series", "Footing")


def _event_header(ds: Dataset, e: Event) -> Header:
    t = Text()
    t.append(safe(details.event_when(ds, e)), "bold")
    t.append(" ")
    t.append(RESPONSE_MARKERS.get(e.response, "[?]"), "bold")
    t.append(f" {RESPONSE_LABELS.get(e.response, e.response)}: ")
    t.append(safe(details.shown(ds, e, "title", e.title)), "bold")
    foot = details.footing(ds, e)
    if foot:
        t.append(f" ({safe(foot)})", "italic")
    summary = details.shown(ds, e, "summary", e.summary)
    if summary:
        t.append("\n")
        t.append(safe(summary))
    return t, ("When", "Footing")


def _entity_header(ds: Dataset, e: Entity) -> Header:
    t = Text()
    t.append(safe(e.name), "bold")
    t.append(f" ({e.kind})")
    if e.summary:
        t.append(": ")
        t.append(safe(e.summary))
    return t, ()


def _relation_header(ds: Dataset, r: Relation) -> Header:
    return Text(safe(details.relation_text(ds, r)), style="bold"), ("Relation",)


#: Kinds whose header the pane draws in its own way (text markers for statuses and responses,
#: bars for figures), and the details it then leaves out; any other kind is shown by its
#: registry title and description.
HEADERS: dict[str, Callable[[Dataset, Any], Header]] = {
    "state": _state_header,
    "metric": _metric_header,
    "event": _event_header,
    "entity": _entity_header,
    "relation": _relation_header,
}
