"""Pane 4: the verbatim quotes behind the record in focus, each inside its source text."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import BindingType
from textual.content import Content

from .. import citation, details, records
from ..keys import EXCERPTS
from ..model import (
    RESPONSE_LABELS,
    RESPONSE_MARKERS,
    STATUS_LABELS,
    Conflict,
    Dataset,
    Entity,
    Event,
    Metric,
    Relation,
    State,
)
from .pane import Pane, Row
from .render import metric_heading, plural, quote_in_context, safe, tie_line

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
        self.border_subtitle = Content(sub)
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
        t = Text()
        skip: tuple[str, ...] = ()
        if isinstance(rec, State):
            t.append(safe(rec.name), "bold")
            t.append(f" ({STATUS_LABELS.get(rec.status, rec.status)})")
            if rec.role:
                t.append(": ")
                t.append(safe(details.mark(rec, "role", rec.role)))
            skip = ("Relation",)  # pane 2 lists them
        elif isinstance(rec, Metric):
            t.append_text(metric_heading(rec, ds) if rec.is_figure else tie_line(rec, ds))
            if rec.is_figure and rec.detail:
                t.append("\n")
                t.append(safe(rec.detail), "dim")
            skip = ("Value", "Series", "Footing")
        elif isinstance(rec, Event):
            t.append(safe(details.event_when(ds, rec)), "bold")
            t.append(" ")
            t.append(RESPONSE_MARKERS.get(rec.response, "[?]"), "bold")
            t.append(f" {RESPONSE_LABELS.get(rec.response, rec.response)}: ")
            t.append(safe(details.shown(ds, rec, "title", rec.title)), "bold")
            foot = details.footing(ds, rec)
            if foot:
                t.append(f" ({safe(foot)})", "italic")
            summary = details.shown(ds, rec, "summary", rec.summary)
            if summary:
                t.append("\n")
                t.append(safe(summary))
            skip = ("When", "Footing")
        elif isinstance(rec, Entity):
            t.append(safe(rec.name), "bold")
            t.append(f" ({rec.kind})")
            if rec.summary:
                t.append(": ")
                t.append(safe(rec.summary))
        elif isinstance(rec, Relation):
            t.append(safe(details.relation_text(ds, rec)), "bold")
            skip = ("Relation",)
        else:
            t.append(safe(getattr(rec, "id", "")), "bold")
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
        if status != "exact":
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
