"""The registry of record kinds: every kind of record is declared here, once.

A :class:`Kind` says everything the rest of the program needs to know about one kind of record:

- its TOML table (``[[states]]``) and its typed class (:mod:`csto_tui.model`);
- its fields (:class:`Field`): type, required, choices, which kinds an id refers to, which
  fields cite quotes, nested tables (a state's ``[[states.membership]]``);
- the rules a field list cannot say (:attr:`Kind.check`: a span may not end before it starts);
- how a record is titled, described, searched, put in a briefing and exported.

The loader's one validator (:mod:`csto_tui.loader`), the cache, search, the exports and the
panes read this registry; none of them lists the kinds again. To add a kind, declare it with
:func:`register` (see ``docs/architecture.md``; ``tests/test_records.py`` adds one in a test).

Plain Python: this module never imports textual.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .model import (
    ENTITY_KINDS,
    METRIC_CATEGORIES,
    RESPONSE_LABELS,
    RESPONSES,
    SPAN_KINDS,
    STATE_STATUSES,
    STATUS_LABELS,
    UNCITED_REASONS,
    Conflict,
    Entity,
    Event,
    Metric,
    PartialDate,
    Quote,
    Reading,
    Source,
    Span,
    State,
    Uncited,
    _set,
    _Value,
)

if TYPE_CHECKING:
    from .model import Dataset

#: Field types: ``str`` (a string), ``strs`` (an array of strings), ``date`` (``YYYY``,
#: ``YYYY-MM`` or ``YYYY-MM-DD``), ``number`` (a finite integer or float, kept as a float),
#: ``year`` (a four-digit integer), ``bool``, ``tables`` (an array of nested tables, each
#: validated as the nested kind in :attr:`Field.of`).
FIELD_TYPES = ("str", "strs", "date", "number", "year", "bool", "tables")

#: Search bands (see :mod:`csto_tui.search`): names rank above other fields, which rank above
#: quotes.
BAND_NAME, BAND_FIELD, BAND_QUOTE = "name", "field", "quote"


@dataclass(frozen=True)
class Field:
    """One field of a record kind, as written in TOML."""

    key: str
    type: str = "str"
    #: absent is an error; for ``str``, blank is too
    required: bool = False
    #: the only values allowed (``str``)
    choices: tuple[str, ...] | None = None
    #: kinds whose ids this field holds (``str`` or ``strs``); checked across every file
    refs: tuple[str, ...] = ()
    #: what happens to a reference to a record that was declared but failed validation:
    #: ``keep`` it, ``filter`` it out of the list, or ``drop`` the whole record (silently:
    #: the failed record was reported)
    dangling: str = "keep"
    #: message for an unknown reference; ``{value!r}`` is the reference
    ref_message: str = ""
    #: the attribute of the record class (default: ``key``)
    attr: str = ""
    #: value when absent (default: the type's empty value: "", (), None)
    default: Any = None
    #: the nested kind of a ``tables`` field
    of: Kind | None = None

    @property
    def name(self) -> str:
        return self.attr or self.key

    @property
    def cites(self) -> bool:
        """Whether the field holds quote ids (the record's citations)."""
        return self.refs == ("quote",)

    def empty(self) -> Any:
        if self.default is not None:
            return self.default
        if self.type == "str":
            return ""
        if self.type in ("strs", "tables"):
            return ()
        return None

    def unknown_ref(self, value: str) -> str:
        if self.ref_message:
            return self.ref_message.format(value=value)
        return f"{' or '.join(self.refs)} {value!r} does not exist"


#: (band, weight, label, text of a record). ``text(record, names)``: ``names`` maps ids to
#: display names (an event's states, a metric's counterpart). The first unit is the main one.
SearchUnit = tuple[str, int, str, Callable[[Any, Mapping[str, str]], str | Iterable[str]]]


@dataclass(frozen=True)
class Kind:
    """One kind of record: its table, class, fields and how it is shown."""

    #: one word, singular: what the kind is called everywhere (``state``)
    name: str
    #: the TOML array of tables (``states`` for ``[[states]]``); for a nested kind, the
    #: parent's key (``membership``)
    table: str
    cls: type
    fields: tuple[Field, ...]
    #: whether records have an ``id`` (every kind but ``uncited`` does)
    has_id: bool = True
    #: a record must cite at least one quote (in any of its citing fields, nested ones too)
    needs_quote: bool = False
    #: rules beyond the fields: ``check(values, error)`` with the validated values by
    #: attribute; ``error(code, message, field)`` reports; return False to leave the record out
    check: Callable[[dict[str, Any], Callable[[str, str, str], None]], bool] | None = None
    #: a short title (``Kazakhstan``, ``5 Jan 2022 Protests``)
    title: Callable[[Dataset, Any], str] = field(default=lambda ds, r: getattr(r, "id", ""))
    #: one line saying what the record is
    describe: Callable[[Dataset, Any], str] = field(default=lambda ds, r: "")
    #: what search finds it by (empty: not searched); the first unit is the record's main one
    search: tuple[SearchUnit, ...] = ()
    #: a search hit's (title, context line), given ``names`` (ids of named records -> names)
    #: and ``sources`` (source ids -> titles) (default: the id, and nothing)
    search_title: Callable[[Any, Mapping[str, str], Mapping[str, str]], tuple[str, str]] | None \
        = None
    #: records are passages of a source (``source`` and an anchor: search locates them)
    passage: bool = False
    #: the title of a section of a state's briefing listing the records that name the state
    #: (by a field referring to states); empty: not in briefings (states, metrics and events
    #: have their own sections)
    briefing: str = ""
    #: order of records in exports and lists (default: as written)
    sort_key: Callable[[Any], Any] | None = None
    #: the JSON export of one record (default: every field, see :func:`to_json`)
    export: Callable[[Dataset, Any], dict[str, Any]] | None = None

    def field(self, key: str) -> Field:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(f.key for f in self.fields)

    def cited_quotes(self, rec: Any) -> Iterator[str]:
        """Every quote id the record cites, nested tables' included, in order."""
        for f in self.fields:
            if f.cites:
                val = getattr(rec, f.name)
                if isinstance(val, str):
                    if val:
                        yield val
                else:
                    yield from val
            elif f.type == "tables" and f.of is not None:
                for sub in getattr(rec, f.name):
                    yield from f.of.cited_quotes(sub)

    def references(self, rec: Any, kind: str) -> Iterator[str]:
        """The ids of records of ``kind`` that this record names (not its citations)."""
        for f in self.fields:
            if kind in f.refs and not f.cites:
                val = getattr(rec, f.name)
                if isinstance(val, str):
                    if val:
                        yield val
                else:
                    yield from val


# --------------------------------------------------------------------------------------------
# the registry

_KINDS: dict[str, Kind] = {}
_BY_CLASS: dict[type, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add a kind (after the ones already registered: a kind may refer to those before it)."""
    if kind.name in _KINDS:
        raise ValueError(f"kind {kind.name!r} is already registered")
    if any(k.table == kind.table for k in _KINDS.values()) or kind.table == "dataset":
        raise ValueError(f"table {kind.table!r} is already taken")
    _check_declaration(kind)
    _KINDS[kind.name] = kind
    _BY_CLASS[kind.cls] = kind
    return kind


def unregister(name: str) -> None:
    """Remove a kind (tests that declare one clean up with this)."""
    kind = _KINDS.pop(name)
    _BY_CLASS.pop(kind.cls, None)


def _check_declaration(kind: Kind) -> None:
    fields = getattr(kind.cls, "_fields", None)
    if fields is None:
        return
    names = {f.name for f in kind.fields}
    missing = names - set(fields)
    if missing:
        raise ValueError(f"{kind.cls.__name__} has no attribute for {sorted(missing)}")
    for f in kind.fields:
        if f.type not in FIELD_TYPES:
            raise ValueError(f"{kind.name}.{f.key}: unknown field type {f.type!r}")
        if f.type == "tables" and f.of is not None:
            _check_declaration(f.of)


def kinds() -> tuple[Kind, ...]:
    """Every kind, in the order records are validated (a kind refers to kinds before it;
    ``conflict`` may name any record)."""
    return tuple(_KINDS.values())


def kind(name: str) -> Kind:
    return _KINDS[name]


def kind_of(rec: object) -> Kind | None:
    """The kind of a record (None for anything else)."""
    return _BY_CLASS.get(type(rec))


def kind_name(rec: object) -> str:
    k = _BY_CLASS.get(type(rec))
    return k.name if k is not None else "record"


def title(ds: Dataset, rec: object) -> str:
    k = kind_of(rec)
    return k.title(ds, rec) if k is not None else str(getattr(rec, "id", ""))


def describe(ds: Dataset, rec: object) -> str:
    k = kind_of(rec)
    return k.describe(ds, rec) if k is not None else ""


def cited_quotes(rec: object) -> tuple[str, ...]:
    """Every quote id a record cites (each once, in order)."""
    k = kind_of(rec)
    if k is None:
        return tuple(getattr(rec, "quotes", ()))
    return tuple(dict.fromkeys(k.cited_quotes(rec)))


def record_class(name: str, fields: Iterable[str], defaults: dict[str, Any] | None = None
                 ) -> type:
    """A record class with these fields (immutable, compared by value, slotted), for a kind
    that needs no methods of its own."""
    names = tuple(fields)
    defaults = dict(defaults or {})

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        values = dict(zip(names, args, strict=False))
        values.update(kwargs)
        for n in names:
            _set(self, n, values[n] if n in values else defaults.get(n))

    return type(name, (_Value,), {"__slots__": names, "_fields": names,
                                  "__init__": __init__, "__module__": __name__})


# --------------------------------------------------------------------------------------------
# JSON export


def json_value(f: Field, val: Any) -> Any:
    """A field's value as the JSON export writes it."""
    if f.type == "date":
        return None if val is None else {"value": val.iso(), "precision": val.precision}
    if f.type == "tables":
        assert f.of is not None
        sub = f.of
        return [{g.key: json_value(g, getattr(r, g.name)) for g in sub.fields} for r in val]
    if f.type == "strs":
        return list(val)
    if f.type == "str" and not f.required and val == "":
        return None
    return val


def to_json(ds: Dataset, rec: Any) -> dict[str, Any]:
    """A record as the JSON export writes it: every field by its TOML key, and for a kind that
    cites quotes, the quotes behind it and how many sources back it."""
    k = kind_of(rec)
    if k is None:
        raise TypeError(f"not a record: {rec!r}")
    if k.export is not None:
        return k.export(ds, rec)
    out = {f.key: json_value(f, getattr(rec, f.name)) for f in k.fields}
    if any(f.cites or f.type == "tables" for f in k.fields) and k.name != "quote":
        out["quotes"] = list(ds.quotes_of(rec))
        out["sources_backing"] = ds.source_count(rec)
    return out


# --------------------------------------------------------------------------------------------
# the kinds of the CSTO dataset

def _cites(key: str = "quotes") -> Field:
    return Field(key, "strs", refs=("quote",), dangling="filter",
                 ref_message="quote {value!r} does not exist")


def _span_check(v: dict[str, Any], error: Callable[[str, str, str], None]) -> bool:
    start, end = v["start"], v["end"]
    if end is not None and end.sort_key() < start.sort_key():
        error("membership", f"ends ({end}) before it starts ({start})", "")
        return False
    return True


SPAN = Kind(
    "span", "membership", Span,
    (Field("kind", required=True, choices=SPAN_KINDS),
     Field("from", "date", required=True, attr="start"),
     Field("to", "date", attr="end"),
     _cites(),
     Field("note")),
    has_id=False, needs_quote=True, check=_span_check,
)

READING = Kind(
    "reading", "readings", Reading,
    (Field("quote", required=True, refs=("quote",), dangling="keep",
           ref_message="quote {value!r} does not exist"),
     Field("says", required=True)),
    has_id=False,
)


def _state_check(v: dict[str, Any], error: Callable[[str, str, str], None]) -> bool:
    spans: tuple[Span, ...] = v["membership"]
    for k in SPAN_KINDS:
        ks = sorted((s for s in spans if s.kind == k), key=lambda s: s.start.sort_key())
        for a, b in zip(ks, ks[1:], strict=False):
            if a.end is None or b.start.sort_key() < a.end.sort_key():
                error("membership", f"{k} spans overlap: {a.label()} and {b.label()}",
                      "membership")
                return False
    open_member = any(s.end is None and s.kind == "member" for s in spans)
    if v["status"] == "member" and not open_member:
        error("membership", "status is 'member' but no open member span (one without 'to')",
              "membership")
    if v["status"] == "former-member" and open_member:
        error("membership", "status is 'former-member' but a member span is still open",
              "membership")
    return True


def _metric_check(v: dict[str, Any], error: Callable[[str, str, str], None]) -> bool:
    if v["value"] is not None and not v["unit"]:
        error("schema", "a figure ('value') needs a 'unit'", "unit")
        return False
    return True


def _conflict_check(v: dict[str, Any], error: Callable[[str, str, str], None]) -> bool:
    if len(v["readings"]) < 2:
        error("schema", "a conflict needs at least two [[conflicts.readings]]", "readings")
        return False
    return True


def _clip(s: str, n: int = 100) -> str:
    """One line of at most ``n`` characters, cut at a space (search's titles)."""
    s = " ".join(s.split())
    if len(s) <= n:
        return s
    cut = s.rfind(" ", 0, n)
    if cut < n // 2:
        cut = n
    return s[:cut].rstrip(" ,;:") + "\u2026"


def _names(names: Mapping[str, str], ids: Iterable[str]) -> str:
    return " ".join(names.get(x, x) for x in ids)


def _state_name(ds: Dataset, sid: str) -> str:
    st = ds.state(sid)
    return st.name if st is not None else sid


def _quote_json(ds: Dataset, q: Quote) -> dict[str, Any]:
    a = ds.anchors.get(q.id)
    return {
        "id": q.id, "source": q.source, "text": q.text, "note": q.note or None,
        "anchor": None if a is None else {
            "exact": a.exact, "prefix": a.prefix, "suffix": a.suffix,
            "start": a.start, "end": a.end, "review": a.review or None,
        },
        "cited_by": list(ds.citers(q.id)),
    }


def _source_json(ds: Dataset, s: Source) -> dict[str, Any]:
    return {"id": s.id, "file": s.file, "title": s.title,
            "date": None if s.date is None else {"value": s.date.iso(),
                                                 "precision": s.date.precision},
            "publisher": s.publisher or None}


def _status_order(s: State) -> tuple[int, str]:
    order = STATE_STATUSES.index(s.status) if s.status in STATE_STATUSES else 99
    return (order, s.name)


SOURCE = Kind(
    "source", "sources", Source,
    (Field("id", required=True), Field("file", required=True), Field("title"),
     Field("date", "date"), Field("publisher"), Field("url")),
    title=lambda ds, s: s.title or s.id,
    describe=lambda ds, s: s.file,
    export=_source_json,
)

QUOTE = Kind(
    "quote", "quotes", Quote,
    (Field("id", required=True),
     Field("source", required=True, refs=("source",),
           ref_message="source {value!r} does not exist"),
     Field("text", required=True), Field("note")),
    title=lambda ds, q: q.id,
    describe=lambda ds, q: q.text,
    search=((BAND_QUOTE, 5, "quote", lambda q, n: q.text),
            (BAND_QUOTE, 1, "note", lambda q, n: q.note)),
    search_title=lambda q, n, src: (_clip(q.text), src.get(q.source, q.source)),
    passage=True,
    export=_quote_json,
)

ENTITY = Kind(
    "entity", "entities", Entity,
    (Field("id", required=True), Field("kind", required=True, choices=ENTITY_KINDS),
     Field("name", required=True), Field("aliases", "strs"), Field("summary"), _cites()),
    needs_quote=True,
    title=lambda ds, e: e.name,
    describe=lambda ds, e: f"{e.kind}: {e.summary}" if e.summary else e.kind,
    search=((BAND_NAME, 5, "name", lambda e, n: e.name),
            (BAND_NAME, 4, "alias", lambda e, n: e.aliases),
            (BAND_FIELD, 3, "summary", lambda e, n: e.summary),
            (BAND_FIELD, 1, "kind", lambda e, n: e.kind)),
    search_title=lambda e, n, src: (e.name,
                                    e.kind + (f" \u2014 {e.summary}" if e.summary else "")),
)


def _span_text(s: Span) -> str:
    end = s.end.iso() if s.end else "now"
    return f"{s.label()} ({s.start.iso()}-{end}) {s.note}"


STATE = Kind(
    "state", "states", State,
    (Field("id", required=True), Field("name", required=True),
     Field("status", required=True, choices=STATE_STATUSES), Field("aliases", "strs"),
     Field("role"), _cites(), Field("membership", "tables", of=SPAN)),
    needs_quote=True, check=_state_check,
    title=lambda ds, s: s.name,
    describe=lambda ds, s: STATUS_LABELS.get(s.status, s.status)
    + (f": {s.role}" if s.role else ""),
    search=((BAND_NAME, 5, "name", lambda s, n: s.name),
            (BAND_NAME, 4, "alias", lambda s, n: s.aliases),
            (BAND_FIELD, 3, "role", lambda s, n: s.role),
            (BAND_FIELD, 1, "status",
             lambda s, n: f"{s.status} {STATUS_LABELS.get(s.status, '')}"),
            (BAND_FIELD, 3, "membership", lambda s, n: [_span_text(x) for x in s.membership])),
    search_title=lambda s, n, src: (s.name, STATUS_LABELS.get(s.status, s.status)
                                    + (f" \u2014 {s.role}" if s.role else "")),
    sort_key=_status_order,
)

METRIC = Kind(
    "metric", "metrics", Metric,
    (Field("id", required=True),
     Field("state", required=True, refs=("state",), dangling="drop",
           ref_message="state {value!r} does not exist"),
     Field("category", required=True, choices=METRIC_CATEGORIES),
     Field("measure", required=True), Field("value", "number"), Field("unit"),
     Field("year", "year"), Field("qualifier"), Field("present", "bool", default=True),
     Field("counterpart", refs=("state", "entity"),
           ref_message="counterpart {value!r} is neither a state nor an entity"),
     Field("detail"), _cites()),
    needs_quote=True, check=_metric_check,
    title=lambda ds, m: f"{_state_name(ds, m.state)}: {m.measure}",
    describe=lambda ds, m: m.value_text() + (f" ({m.year})" if m.year else ""),
    search=((BAND_FIELD, 5, "measure", lambda m, n: m.measure),
            (BAND_FIELD, 3, "detail", lambda m, n: m.detail),
            (BAND_FIELD, 4, "value",
             lambda m, n: f"{m.value_text()} {m.year if m.year is not None else ''}"),
            (BAND_FIELD, 2, "state",
             lambda m, n: f"{n.get(m.state, m.state)} {n.get(m.counterpart, m.counterpart)}"),
            (BAND_FIELD, 1, "category", lambda m, n: m.category)),
    search_title=lambda m, n, src: (
        f"{n.get(m.state, m.state)}: {m.measure} \u2014 {m.value_text()}"
        + (f" ({m.year})" if m.year else ""), m.detail or m.category),
)

EVENT = Kind(
    "event", "events", Event,
    (Field("id", required=True), Field("date", "date", required=True),
     Field("title", required=True), Field("response", required=True, choices=RESPONSES),
     Field("summary", required=True),
     Field("states", "strs", refs=("state",), dangling="filter",
           ref_message="state {value!r} does not exist"),
     Field("actors", "strs", refs=("entity", "state"),
           ref_message="actor {value!r} is neither an entity nor a state"),
     Field("category"), _cites()),
    needs_quote=True,
    title=lambda ds, e: f"{e.date.display()} {e.title}",
    describe=lambda ds, e: f"{RESPONSE_LABELS.get(e.response, e.response)}: {e.summary}",
    search=((BAND_FIELD, 5, "title", lambda e, n: e.title),
            (BAND_FIELD, 3, "summary", lambda e, n: e.summary),
            (BAND_FIELD, 4, "date", lambda e, n: f"{e.date.iso()} {e.date.display()}"),
            (BAND_FIELD, 1, "category",
             lambda e, n: f"{e.category} {e.response} {RESPONSE_LABELS.get(e.response, '')}"),
            (BAND_FIELD, 2, "involves", lambda e, n: _names(n, (*e.states, *e.actors)))),
    search_title=lambda e, n, src: (
        f"{e.date.iso()} {e.title}",
        f"{RESPONSE_LABELS.get(e.response, e.response)} \u2014 {e.summary}"),
    sort_key=lambda e: e.date.sort_key(),
)

CONFLICT = Kind(
    "conflict", "conflicts", Conflict,
    (Field("id", required=True), Field("topic", required=True),
     Field("records", "strs", refs=("*",), ref_message="record {value!r} does not exist"),
     Field("readings", "tables", of=READING), Field("note")),
    check=_conflict_check,
    title=lambda ds, c: c.topic,
    describe=lambda ds, c: f"{len(c.readings)} readings",
)

UNCITED = Kind(
    "uncited", "uncited", Uncited,
    (Field("source", required=True, refs=("source",), dangling="drop",
           ref_message="source {value!r} does not exist"),
     Field("text", required=True),
     Field("reason", required=True, choices=UNCITED_REASONS)),
    has_id=False,
    title=lambda ds, u: u.source,
    describe=lambda ds, u: u.reason,
)

for _k in (SOURCE, QUOTE, ENTITY, STATE, METRIC, EVENT, CONFLICT, UNCITED):
    register(_k)

#: The kinds the program itself ships (others come from :func:`register`).
BUILTIN = frozenset(_KINDS)

#: for callers that parse dates the way fields of type ``date`` are parsed
parse_date = PartialDate.parse
