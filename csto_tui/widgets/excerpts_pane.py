"""Pane 4: the verbatim quotes behind the record in focus, each inside its source text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import BindingType

from ..keys import EXCERPTS
from ..model import (
    RESPONSE_LABELS,
    RESPONSE_MARKERS,
    STATUS_LABELS,
    Conflict,
    Dataset,
    Event,
    Metric,
    State,
)
from .pane import Pane, Row
from .render import metric_heading, plural, quote_in_context, safe, stored_position, tie_line

#: What a non-exact quote status means, in a few words.
STATUS_NOTES: dict[str, str] = {
    "moved": "moved in its source: run csto-tui sync",
    "normalized": "typography differs: run csto-tui sync",
    "fuzzy": "anchor needs review",
    "orphaned": "no longer in its source",
    "ambiguous": "found in several places",
    "unanchored": "not anchored yet: run csto-tui sync",
    "source": "source unreadable",
}

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
            self.border_subtitle = ""
            self.show_message("Nothing selected")
            return
        qids = [q for q in ds.quotes_of(rec) if ds.quote(q) is not None]
        self.quote_ids = qids
        n_src = ds.source_count(rec)
        review = sum(1 for q in qids if statuses.get(q, "exact") != "exact")
        sub = f"{plural(n_src, 'source')}, {plural(len(qids), 'quote')}"
        if review:
            sub += f", {review} to review"
        self.border_subtitle = sub
        opts: list[Row] = [Row(self._header(ds, rec, n_src), disabled=True)]
        # the quotes first (where the fact comes from), then where the sources differ
        for qid in qids:
            opts.append(Row(self._quote(ds, qid, statuses.get(qid, "exact")), id=qid))
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

    def keep_cursor_in_view(self) -> None:
        """Show the record's header while the cursor is on the first item, else the cursor."""
        first = next((i for i, o in enumerate(self.rows) if not o.disabled), None)
        if self.highlighted is not None and self.highlighted == first:
            self.scroll_home(animate=False, immediate=True)
        else:
            self.scroll_to_highlight()

    @staticmethod
    def _header(ds: Dataset, rec: object, n_src: int) -> Text:
        """The record above its quotes: in its kind's own way (states, metrics, events), else
        as the registry titles and describes it."""
        from .. import records

        show = HEADERS.get(records.kind_name(rec))
        if show is not None:
            return show(rec)
        t = Text()
        t.append(safe(records.title(ds, rec)), "bold")
        what = records.describe(ds, rec)
        if what:
            t.append("\n")
            t.append(safe(what))
        return t

    @staticmethod
    def _conflict(ds: Dataset, c: Conflict) -> Text:
        t = Text()
        t.append("[!=] Sources differ: ", "bold")
        t.append(safe(c.topic), "bold")
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
        src = ds.source(q.source)
        t = Text()
        t.append(f"{q.source} {stored_position(ds, qid)}", "bold")
        if status != "exact":
            t.append(" ")
            t.append(f"[{status}]", "bold reverse")
            t.append(" ")
            t.append(STATUS_NOTES.get(status, "needs review"), "bold")
        t.append(" ")
        t.append(safe(src.title) if src else "(unknown source)", "italic")
        t.append("\n")
        t.append_text(quote_in_context(ds, q))
        if q.note:
            t.append("\n")
            t.append("note: ", "dim")
            t.append(safe(q.note), "dim")
        return t


def _state_header(s: State) -> Text:
    t = Text()
    t.append(safe(s.name), "bold")
    t.append(f" ({STATUS_LABELS.get(s.status, s.status)})")
    if s.role:
        t.append(": ")
        t.append(safe(s.role))
    spans = ", ".join(sp.label() for sp in s.membership)
    if spans:
        t.append("\n")
        t.append(safe(spans), "dim")
    return t


def _metric_header(m: Metric) -> Text:
    t = metric_heading(m) if m.is_figure else tie_line(m)
    if m.is_figure and m.detail:
        t.append("\n")
        t.append(safe(m.detail), "dim")
    return t


def _event_header(e: Event) -> Text:
    t = Text()
    t.append(e.date.display(), "bold")
    t.append(" ")
    t.append(RESPONSE_MARKERS.get(e.response, "[?]"), "bold")
    t.append(f" {RESPONSE_LABELS.get(e.response, e.response)}: ")
    t.append(safe(e.title), "bold")
    if e.summary:
        t.append("\n")
        t.append(safe(e.summary))
    return t


#: Kinds whose header the pane draws in its own way (text markers for statuses and responses,
#: bars for figures); any other kind is shown by its registry title and description.
HEADERS: dict[str, Callable[[Any], Text]] = {
    "state": _state_header,
    "metric": _metric_header,
    "event": _event_header,
}
