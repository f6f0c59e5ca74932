"""The dataset's records as immutable values.

Plain Python: this module never imports textual (tests/test_import_hygiene.py proves it).
Everything here is built once by :mod:`csto_tui.loader` and then only read.
"""

from __future__ import annotations

import re
from dataclasses import FrozenInstanceError
from operator import attrgetter
from pathlib import Path
from typing import Any, ClassVar, Literal

Precision = Literal["year", "month", "day"]

MONTHS = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)
# ASCII digits only (\d would take "٢٠٢٢"), the whole text (a "$" would let "2022\n" pass)
_DATE_RE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


class _Value:
    """An immutable record compared by value: what ``@dataclass(frozen=True, slots=True)``
    gives, written out.

    dataclasses generate the source of every ``__init__``, ``__eq__``, ``__hash__`` and
    ``__repr__`` and compile it when the module is imported: about 80 small functions for the
    model, 10 ms of every start-up, the largest part of the dashboard's own import time. Here
    each class lists its ``_fields`` and writes its ``__init__`` (the only method on the hot
    path: 200,000 records are built on a big load); equality, hashing, ordering, ``repr`` and
    :meth:`replace` are shared and read the fields. Assigning to a field raises
    :class:`dataclasses.FrozenInstanceError`, as a frozen dataclass does.
    """

    __slots__ = ()
    #: the fields, in order (``__init__``'s parameters, ``repr``, comparisons)
    _fields: ClassVar[tuple[str, ...]] = ()
    #: fields left out of comparisons and hashing / of repr
    _not_compared: ClassVar[frozenset[str]] = frozenset()
    _not_shown: ClassVar[frozenset[str]] = frozenset()
    _key: ClassVar[Any]  # the compared fields of a record, as a tuple

    def __init_subclass__(cls) -> None:
        compared = [f for f in cls._fields if f not in cls._not_compared]
        getter = attrgetter(*compared)
        cls._key = staticmethod(
            getter if len(compared) > 1 else (lambda o: (getter(o),)))

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._key(self) == other._key(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._key(self))

    def __repr__(self) -> str:
        shown = ", ".join(f"{f}={getattr(self, f)!r}" for f in self._fields
                          if f not in self._not_shown)
        return f"{type(self).__qualname__}({shown})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), tuple(getattr(self, f) for f in self._fields))

    def __copy__(self) -> Any:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        return self

    def replace(self, **changes: Any) -> Any:
        """A copy with some fields changed (``dataclasses.replace``)."""
        values = {f: getattr(self, f) for f in self._fields}
        values.update(changes)
        return type(self)(**values)


_set = object.__setattr__

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


class PartialDate(_Value):
    """A date known to a year, a month or a day."""

    __slots__ = _fields = ("year", "month", "day")
    year: int
    month: int | None
    day: int | None

    def __init__(self, year: int, month: int | None = None, day: int | None = None) -> None:
        _set(self, "year", year)
        _set(self, "month", month)
        _set(self, "day", day)

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ``ValueError`` otherwise."""
        m = _DATE_RE.fullmatch(text.strip(" ")) if isinstance(text, str) else None
        if not m:
            raise ValueError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD "
                             "(ASCII digits)")
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

    # ordered by (year, month, day), as ``@dataclass(order=True)`` orders (a missing month or
    # day compares as None: only dates of the same precision are ever compared this way)
    def __lt__(self, other: PartialDate) -> bool:
        if other.__class__ is not PartialDate:
            return NotImplemented
        return self._key(self) < other._key(other)

    def __le__(self, other: PartialDate) -> bool:
        if other.__class__ is not PartialDate:
            return NotImplemented
        return self._key(self) <= other._key(other)

    def __gt__(self, other: PartialDate) -> bool:
        if other.__class__ is not PartialDate:
            return NotImplemented
        return self._key(self) > other._key(other)

    def __ge__(self, other: PartialDate) -> bool:
        if other.__class__ is not PartialDate:
            return NotImplemented
        return self._key(self) >= other._key(other)

    def sort_key(self) -> tuple[int, int, int]:
        """Order of dates; a date known only to its month or year sorts at the end of that
        period, after the precise dates inside it ("a week later" in "Jan 2022" comes after
        "5 Jan 2022")."""
        return (self.year, self.month or 13, self.day or 32)

    def __str__(self) -> str:
        return self.iso()


class Source(_Value):
    __slots__ = _fields = ("id", "file", "title", "path", "date", "publisher", "url")
    id: str
    file: str
    title: str
    path: Path
    date: PartialDate | None
    publisher: str
    url: str

    def __init__(self, id: str, file: str, title: str, path: Path = Path(),
                 date: PartialDate | None = None, publisher: str = "", url: str = "") -> None:
        _set(self, "id", id)
        _set(self, "file", file)
        _set(self, "title", title)
        _set(self, "path", path)
        _set(self, "date", date)
        _set(self, "publisher", publisher)
        _set(self, "url", url)


class Quote(_Value):
    """A verbatim passage of a source, as the dataset's author wrote it."""

    __slots__ = _fields = ("id", "source", "text", "note")
    id: str
    source: str
    text: str
    note: str

    def __init__(self, id: str, source: str, text: str, note: str = "") -> None:
        _set(self, "id", id)
        _set(self, "source", source)
        _set(self, "text", text)
        _set(self, "note", note)


class Anchor(_Value):
    """Where a quote sits in its source: W3C TextQuoteSelector + TextPositionSelector.

    Machine-written by ``csto-tui sync`` into the companion anchors file.
    ``review`` is empty when the anchor is settled, else ``fuzzy``, ``orphaned`` or
    ``ambiguous``; ``found`` then holds what the source says at the candidate place.
    ``text_key`` names the stored text ``start``/``end`` index into (:mod:`csto_tui.textstore`),
    "" for an anchor written before texts were stored.
    """

    __slots__ = _fields = (
        "quote", "source", "exact", "prefix", "suffix", "start", "end", "review", "found",
        "found_start", "found_end", "text_key"
    )
    quote: str
    source: str
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int
    review: str
    found: str
    found_start: int | None
    found_end: int | None
    text_key: str

    def __init__(self, quote: str, source: str, exact: str, prefix: str, suffix: str, start: int,
                 end: int, review: str = "", found: str = "", found_start: int | None = None,
                 found_end: int | None = None, text_key: str = "") -> None:
        _set(self, "quote", quote)
        _set(self, "source", source)
        _set(self, "exact", exact)
        _set(self, "prefix", prefix)
        _set(self, "suffix", suffix)
        _set(self, "start", start)
        _set(self, "end", end)
        _set(self, "review", review)
        _set(self, "found", found)
        _set(self, "found_start", found_start)
        _set(self, "found_end", found_end)
        _set(self, "text_key", text_key)


class Span(_Value):
    """A dated stretch of membership or observer status."""

    __slots__ = _fields = ("kind", "start", "end", "quotes", "note")
    kind: str
    start: PartialDate
    end: PartialDate | None
    quotes: tuple[str, ...]
    note: str

    def __init__(self, kind: str, start: PartialDate, end: PartialDate | None = None,
                 quotes: tuple[str, ...] = (), note: str = "") -> None:
        _set(self, "kind", kind)
        _set(self, "start", start)
        _set(self, "end", end)
        _set(self, "quotes", quotes)
        _set(self, "note", note)

    def label(self) -> str:
        end = self.end.display() if self.end else "now"
        return f"{self.kind} {self.start.display()}-{end}"


class Entity(_Value):
    """An organisation, body, force, treaty or person, with the spun variants as aliases."""

    __slots__ = _fields = ("id", "kind", "name", "aliases", "summary", "quotes")
    id: str
    kind: str
    name: str
    aliases: tuple[str, ...]
    summary: str
    quotes: tuple[str, ...]

    def __init__(self, id: str, kind: str, name: str, aliases: tuple[str, ...] = (),
                 summary: str = "", quotes: tuple[str, ...] = ()) -> None:
        _set(self, "id", id)
        _set(self, "kind", kind)
        _set(self, "name", name)
        _set(self, "aliases", aliases)
        _set(self, "summary", summary)
        _set(self, "quotes", quotes)


class State(_Value):
    __slots__ = _fields = ("id", "name", "status", "aliases", "role", "membership", "quotes")
    id: str
    name: str
    status: str
    aliases: tuple[str, ...]
    role: str
    membership: tuple[Span, ...]
    quotes: tuple[str, ...]

    def __init__(self, id: str, name: str, status: str, aliases: tuple[str, ...] = (),
                 role: str = "", membership: tuple[Span, ...] = (),
                 quotes: tuple[str, ...] = ()) -> None:
        _set(self, "id", id)
        _set(self, "name", name)
        _set(self, "status", status)
        _set(self, "aliases", aliases)
        _set(self, "role", role)
        _set(self, "membership", membership)
        _set(self, "quotes", quotes)


class Metric(_Value):
    """A dependency of a state: a figure (``value``) or a structural tie (``present``)."""

    __slots__ = _fields = (
        "id", "state", "category", "measure", "value", "unit", "year", "qualifier", "present",
        "counterpart", "detail", "quotes"
    )
    id: str
    state: str
    category: str
    measure: str
    value: float | None
    unit: str
    year: int | None
    qualifier: str
    present: bool
    counterpart: str
    detail: str
    quotes: tuple[str, ...]

    def __init__(self, id: str, state: str, category: str, measure: str,
                 value: float | None = None, unit: str = "", year: int | None = None,
                 qualifier: str = "", present: bool = True, counterpart: str = "",
                 detail: str = "", quotes: tuple[str, ...] = ()) -> None:
        _set(self, "id", id)
        _set(self, "state", state)
        _set(self, "category", category)
        _set(self, "measure", measure)
        _set(self, "value", value)
        _set(self, "unit", unit)
        _set(self, "year", year)
        _set(self, "qualifier", qualifier)
        _set(self, "present", present)
        _set(self, "counterpart", counterpart)
        _set(self, "detail", detail)
        _set(self, "quotes", quotes)

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


class Event(_Value):
    __slots__ = _fields = (
        "id", "date", "title", "response", "summary", "states", "actors", "category", "quotes"
    )
    id: str
    date: PartialDate
    title: str
    response: str
    summary: str
    states: tuple[str, ...]
    actors: tuple[str, ...]
    category: str
    quotes: tuple[str, ...]

    def __init__(self, id: str, date: PartialDate, title: str, response: str, summary: str,
                 states: tuple[str, ...] = (), actors: tuple[str, ...] = (), category: str = "",
                 quotes: tuple[str, ...] = ()) -> None:
        _set(self, "id", id)
        _set(self, "date", date)
        _set(self, "title", title)
        _set(self, "response", response)
        _set(self, "summary", summary)
        _set(self, "states", states)
        _set(self, "actors", actors)
        _set(self, "category", category)
        _set(self, "quotes", quotes)


class Reading(_Value):
    __slots__ = _fields = ("quote", "says")
    quote: str
    says: str

    def __init__(self, quote: str, says: str) -> None:
        _set(self, "quote", quote)
        _set(self, "says", says)


class Conflict(_Value):
    """Two or more sources that differ on a fact: every reading is kept."""

    __slots__ = _fields = ("id", "topic", "records", "readings", "note")
    id: str
    topic: str
    records: tuple[str, ...]
    readings: tuple[Reading, ...]
    note: str

    def __init__(self, id: str, topic: str, records: tuple[str, ...],
                 readings: tuple[Reading, ...], note: str = "") -> None:
        _set(self, "id", id)
        _set(self, "topic", topic)
        _set(self, "records", records)
        _set(self, "readings", readings)
        _set(self, "note", note)


class Uncited(_Value):
    """A sentence of a source deliberately left without a citation, and why."""

    __slots__ = _fields = ("source", "text", "reason")
    source: str
    text: str
    reason: str

    def __init__(self, source: str, text: str, reason: str) -> None:
        _set(self, "source", source)
        _set(self, "text", text)
        _set(self, "reason", reason)


Record = State | Metric | Event | Entity


class Dataset(_Value):
    """Everything a dataset holds (one file or a folder of files), with its anchors and the
    text of its sources.

    The records of each kind the program ships are attributes (``states``, ``events``...);
    records of a kind added to the registry (:mod:`csto_tui.records`) are in ``more``, by the
    kind's name. :meth:`records_of` gives either.
    """

    __slots__ = ("path", "root", "title", "sources", "quotes", "states", "metrics", "events",
                 "entities", "conflicts", "uncited", "anchors", "texts", "more", "files",
                 "owners", "_by_id", "_citers", "_by_state", "_file_index")
    _fields = __slots__[:16]
    _not_compared = frozenset({"anchors", "texts", "files", "owners"})
    _not_shown = frozenset({"texts", "owners"})
    path: Path
    root: Path
    title: str
    sources: tuple[Source, ...]
    quotes: tuple[Quote, ...]
    states: tuple[State, ...]
    metrics: tuple[Metric, ...]
    events: tuple[Event, ...]
    entities: tuple[Entity, ...]
    conflicts: tuple[Conflict, ...]
    uncited: tuple[Uncited, ...]
    anchors: dict[str, Anchor]
    texts: dict[str, str]
    #: records of kinds beyond the built-in ones: (kind name, records) pairs
    more: tuple[tuple[str, tuple[Any, ...]], ...]
    #: the data files, in load order (one for a single-file dataset)
    files: tuple[Path, ...]
    #: for each data file, the ids it declares (to say which file a record is in)
    owners: tuple[tuple[str, ...], ...]

    def __init__(self, path: Path, root: Path, title: str, sources: tuple[Source, ...],
                 quotes: tuple[Quote, ...], states: tuple[State, ...],
                 metrics: tuple[Metric, ...], events: tuple[Event, ...],
                 entities: tuple[Entity, ...] = (), conflicts: tuple[Conflict, ...] = (),
                 uncited: tuple[Uncited, ...] = (), anchors: dict[str, Anchor] | None = None,
                 texts: dict[str, str] | None = None,
                 more: dict[str, tuple[Any, ...]] | None = None,
                 files: tuple[Path, ...] | None = None,
                 owners: tuple[tuple[str, ...], ...] = ()) -> None:
        _set(self, "path", path)
        _set(self, "root", root)
        _set(self, "title", title)
        _set(self, "sources", sources)
        _set(self, "quotes", quotes)
        _set(self, "states", states)
        _set(self, "metrics", metrics)
        _set(self, "events", events)
        _set(self, "entities", entities)
        _set(self, "conflicts", conflicts)
        _set(self, "uncited", uncited)
        _set(self, "anchors", {} if anchors is None else anchors)
        _set(self, "texts", {} if texts is None else texts)
        _set(self, "more", tuple((more or {}).items()))
        _set(self, "files", (path,) if files is None else files)
        _set(self, "owners", owners)
        _set(self, "_by_id", None)
        _set(self, "_citers", None)
        _set(self, "_by_state", None)
        _set(self, "_file_index", None)

    def records_of(self, kind: str) -> tuple[Any, ...]:
        """The records of a kind, by the kind's name (``state``, or one added to the
        registry)."""
        from . import records

        table = records.kind(kind).table
        if kind in records.BUILTIN:
            return getattr(self, table)
        for name, recs in self.more:
            if name == kind:
                return recs
        return ()

    def all_records(self) -> list[tuple[str, tuple[Any, ...]]]:
        """(kind name, records) of every kind in the registry, in its order."""
        from . import records

        return [(k.name, self.records_of(k.name)) for k in records.kinds()]

    def file_index(self) -> dict[str, int]:
        """Record id -> index in :attr:`files` of the file that declares it."""
        idx = object.__getattribute__(self, "_file_index")
        if idx is None:
            idx = {}
            for n, ids in enumerate(self.owners):
                for rid in ids:
                    idx.setdefault(rid, n)
            object.__setattr__(self, "_file_index", idx)
        return idx

    def file_of(self, rec_id: str) -> Path:
        """The data file that declares a record (the first file when unknown)."""
        return self.files[self.file_index().get(rec_id, 0)]

    # ---- lookups (built lazily, once) -------------------------------------------------
    def _index(self) -> dict[str, object]:
        idx = object.__getattribute__(self, "_by_id")
        if idx is None:
            from . import records

            idx = {}
            for k in records.kinds():
                if k.has_id:
                    for rec in self.records_of(k.name):
                        idx.setdefault(rec.id, rec)
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
        from .records import cited_quotes

        return cited_quotes(record)

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
            from . import records

            cache = {}
            for k in records.kinds():
                if not k.has_id or k.name in ("quote", "source"):
                    continue
                for rec in self.records_of(k.name):
                    for q in k.cited_quotes(rec):
                        got = cache.setdefault(q, [])
                        if not got or got[-1] != rec.id:
                            got.append(rec.id)
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
        return cache

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
