"""The dataset's records as immutable values.

Plain Python: this module never imports textual (tests/test_import_hygiene.py proves it).
Everything here is built once by :mod:`csto_tui.loader` and then only read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Precision = Literal["year", "month", "day"]

MONTHS = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

#: A state's place in or around the alliance, in list order (current members first).
STATE_STATUSES: tuple[str, ...] = (
    "member",
    "former-member",
    "observer",
    "former-observer",
    "proposed",
    "outside",
)
STATUS_LABELS: dict[str, str] = {
    "member": "member",
    "former-member": "former",
    "observer": "observer",
    "former-observer": "ex-observer",
    "proposed": "proposed",
    "outside": "outside",
}
#: A text marker for each status, so that status is never conveyed by colour alone.
STATUS_MARKERS: dict[str, str] = {
    "member": "M",
    "former-member": "F",
    "observer": "O",
    "former-observer": "o",
    "proposed": "P",
    "outside": "-",
}

#: Kinds of membership span.
SPAN_KINDS: tuple[str, ...] = ("member", "observer")

#: What the CSTO did about an event.
RESPONSES: tuple[str, ...] = (
    "intervened",
    "declined",
    "no-action",
    "limited",
    "mediated",
    "statement",
    "drill",
    "deployment",
    "milestone",
    "none",
)
RESPONSE_LABELS: dict[str, str] = {
    "intervened": "intervened",
    "declined": "declined",
    "no-action": "no action",
    "limited": "minimal",
    "mediated": "mediated",
    "statement": "statement",
    "drill": "drill",
    "deployment": "deployment",
    "milestone": "milestone",
    "none": "not a CSTO act",
}
#: Plain ASCII markers for responses: readable without colour, in any terminal.
RESPONSE_MARKERS: dict[str, str] = {
    "intervened": "[+]",
    "declined": "[x]",
    "no-action": "[ ]",
    "limited": "[~]",
    "mediated": "[=]",
    "statement": "[!]",
    "drill": "[d]",
    "deployment": "[>]",
    "milestone": "[*]",
    "none": "[.]",
}

#: Categories of dependency.
METRIC_CATEGORIES: tuple[str, ...] = (
    "economic",
    "military",
    "political",
    "bloc",
    "minority",
    "energy",
)

#: Kinds of named entity that are not states.
ENTITY_KINDS: tuple[str, ...] = ("organization", "body", "force", "treaty", "person", "place")


@dataclass(frozen=True, order=True, slots=True)
class PartialDate:
    """A date known to a year, a month or a day."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ``ValueError`` otherwise."""
        m = _DATE_RE.match(text.strip()) if isinstance(text, str) else None
        if not m:
            raise ValueError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
        year = int(m.group(1))
        month = int(m.group(2)) if m.group(2) else None
        day = int(m.group(3)) if m.group(3) else None
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"{text!r}: month {month} is not 1-12")
        if day is not None:
            import calendar

            assert month is not None
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise ValueError(f"{text!r}: day {day} is not 1-{last}")
        return cls(year, month, day)

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    def iso(self) -> str:
        """The date as written in the dataset, at its own precision."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def display(self) -> str:
        """Human form at the real precision: ``2022``, ``Jan 2022``, ``5 Jan 2022``."""
        if self.month is None:
            return str(self.year)
        if self.day is None:
            return f"{MONTHS[self.month - 1]} {self.year}"
        return f"{self.day} {MONTHS[self.month - 1]} {self.year}"

    def sort_key(self) -> tuple[int, int, int]:
        """Order of dates; a date known only to its month or year sorts at the end of that
        period, after the precise dates inside it ("a week later" in "Jan 2022" comes after
        "5 Jan 2022")."""
        return (self.year, self.month or 13, self.day or 32)

    def __str__(self) -> str:
        return self.iso()


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    file: str
    title: str
    path: Path
    date: PartialDate | None = None
    publisher: str = ""
    url: str = ""


@dataclass(frozen=True, slots=True)
class Quote:
    """A verbatim passage of a source, as the dataset's author wrote it."""

    id: str
    source: str
    text: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a quote sits in its source: W3C TextQuoteSelector + TextPositionSelector.

    Machine-written by ``csto-tui sync`` into the companion anchors file.
    ``review`` is empty when the anchor is settled, else ``fuzzy``, ``orphaned`` or
    ``ambiguous``; ``found`` then holds what the source says at the candidate place.
    """

    quote: str
    source: str
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int
    review: str = ""
    found: str = ""
    found_start: int | None = None
    found_end: int | None = None


@dataclass(frozen=True, slots=True)
class Span:
    """A dated stretch of membership or observer status."""

    kind: str
    start: PartialDate
    end: PartialDate | None = None
    quotes: tuple[str, ...] = ()
    note: str = ""

    def label(self) -> str:
        end = self.end.display() if self.end else "now"
        return f"{self.kind} {self.start.display()}-{end}"


@dataclass(frozen=True, slots=True)
class Entity:
    """An organisation, body, force, treaty or person, with the spun variants as aliases."""

    id: str
    kind: str
    name: str
    aliases: tuple[str, ...] = ()
    summary: str = ""
    quotes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class State:
    id: str
    name: str
    status: str
    aliases: tuple[str, ...] = ()
    role: str = ""
    membership: tuple[Span, ...] = ()
    quotes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Metric:
    """A dependency of a state: a figure (``value``) or a structural tie (``present``)."""

    id: str
    state: str
    category: str
    measure: str
    value: float | None = None
    unit: str = ""
    year: int | None = None
    qualifier: str = ""
    present: bool = True
    counterpart: str = ""
    detail: str = ""
    quotes: tuple[str, ...] = ()

    @property
    def is_figure(self) -> bool:
        return self.value is not None

    def value_text(self) -> str:
        if self.value is None:
            return "yes" if self.present else "no"
        v = self.value
        num = f"{int(v)}" if float(v).is_integer() else f"{v:g}"
        q = f"{self.qualifier} " if self.qualifier else ""
        unit = self.unit
        sep = "" if unit.startswith("%") else " "
        return f"{q}{num}{sep}{unit}".strip()


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    date: PartialDate
    title: str
    response: str
    summary: str
    states: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    category: str = ""
    quotes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Reading:
    quote: str
    says: str


@dataclass(frozen=True, slots=True)
class Conflict:
    """Two or more sources that differ on a fact: every reading is kept."""

    id: str
    topic: str
    records: tuple[str, ...]
    readings: tuple[Reading, ...]
    note: str = ""


@dataclass(frozen=True, slots=True)
class Uncited:
    """A sentence of a source deliberately left without a citation, and why."""

    source: str
    text: str
    reason: str


Record = State | Metric | Event | Entity


@dataclass(frozen=True)
class Dataset:
    path: Path
    root: Path
    title: str
    sources: tuple[Source, ...]
    quotes: tuple[Quote, ...]
    states: tuple[State, ...]
    metrics: tuple[Metric, ...]
    events: tuple[Event, ...]
    entities: tuple[Entity, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    uncited: tuple[Uncited, ...] = ()
    anchors: dict[str, Anchor] = field(default_factory=dict, compare=False, hash=False)
    texts: dict[str, str] = field(default_factory=dict, compare=False, hash=False, repr=False)

    # ---- lookups (built lazily, once) -------------------------------------------------
    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", None)
        object.__setattr__(self, "_citers", None)
        object.__setattr__(self, "_by_state", None)

    def _index(self) -> dict[str, object]:
        idx = object.__getattribute__(self, "_by_id")
        if idx is None:
            idx = {}
            for group in (self.sources, self.quotes, self.states, self.metrics, self.events,
                          self.entities, self.conflicts):
                for rec in group:
                    idx.setdefault(rec.id, rec)  # type: ignore[attr-defined]
            object.__setattr__(self, "_by_id", idx)
        return idx

    def get(self, rec_id: str) -> object | None:
        return self._index().get(rec_id)

    def state(self, sid: str) -> State | None:
        r = self._index().get(sid)
        return r if isinstance(r, State) else None

    def quote(self, qid: str) -> Quote | None:
        r = self._index().get(qid)
        return r if isinstance(r, Quote) else None

    def source(self, sid: str) -> Source | None:
        r = self._index().get(sid)
        return r if isinstance(r, Source) else None

    def text_of(self, source_id: str) -> str:
        return self.texts.get(source_id, "")

    def quotes_of(self, record: object) -> tuple[str, ...]:
        """Every quote id a record cites, its membership spans' included."""
        ids = list(getattr(record, "quotes", ()))
        if isinstance(record, State):
            for span in record.membership:
                ids.extend(span.quotes)
        if isinstance(record, Conflict):
            ids.extend(r.quote for r in record.readings)
        seen: dict[str, None] = {}
        for q in ids:
            seen.setdefault(q, None)
        return tuple(seen)

    def source_count(self, record: object) -> int:
        """How many distinct sources back a record."""
        srcs = set()
        for qid in self.quotes_of(record):
            q = self.quote(qid)
            if q:
                srcs.add(q.source)
        return len(srcs)

    def citers(self, qid: str) -> tuple[str, ...]:
        """Ids of the records that cite a quote."""
        cache = object.__getattribute__(self, "_citers")
        if cache is None:
            cache = {}
            for group in (self.states, self.metrics, self.events, self.entities, self.conflicts):
                for rec in group:
                    for q in self.quotes_of(rec):
                        cache.setdefault(q, []).append(rec.id)  # type: ignore[attr-defined]
            cache = {k: tuple(v) for k, v in cache.items()}
            object.__setattr__(self, "_citers", cache)
        return cache.get(qid, ())

    def _per_state(self) -> tuple[dict[str, tuple[Metric, ...]], dict[str, tuple[Event, ...]],
                                  tuple[Event, ...]]:
        """Metrics and date-sorted events of each state, and all events in date order,
        indexed once (panes ask on every cursor move)."""
        cache = object.__getattribute__(self, "_by_state")
        if cache is None:
            metrics: dict[str, list[Metric]] = {}
            for m in self.metrics:
                metrics.setdefault(m.state, []).append(m)
            events: dict[str, list[Event]] = {}
            in_order = tuple(sorted(self.events, key=lambda e: e.date.sort_key()))
            for e in in_order:
                for sid in dict.fromkeys(e.states):
                    events.setdefault(sid, []).append(e)
            cache = ({k: tuple(v) for k, v in metrics.items()},
                     {k: tuple(v) for k, v in events.items()}, in_order)
            object.__setattr__(self, "_by_state", cache)
        return cache  # type: ignore[no-any-return]

    def metrics_of(self, sid: str) -> tuple[Metric, ...]:
        return self._per_state()[0].get(sid, ())

    def events_of(self, sid: str) -> tuple[Event, ...]:
        return self._per_state()[1].get(sid, ())

    def events_sorted(self) -> tuple[Event, ...]:
        return self._per_state()[2]

    def states_sorted(self) -> tuple[State, ...]:
        """States in list order: current members first, then by status, then by name."""
        order = {s: i for i, s in enumerate(STATE_STATUSES)}
        return tuple(sorted(self.states, key=lambda s: (order.get(s.status, 99), s.name)))

    def conflicts_of(self, rec_id: str) -> tuple[Conflict, ...]:
        return tuple(c for c in self.conflicts if rec_id in c.records)
