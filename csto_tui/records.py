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

from .facts import (
    AUTHOR,
    LINK_KINDS,
    MAGNITUDES,
    QUALIFIERS,
    RELATION_KINDS,
    RESPONSE_LABELS,
    RESPONSE_MARKERS,
    ROLES,
    STANCES,
    When,
    check_currency,
    check_language,
    check_url,
    number_text,
)
from .model import (
    Attribution,
    Conflict,
    Entity,
    Event,
    Link,
    Metric,
    Participant,
    Quantity,
    Quote,
    Reading,
    Relation,
    SeriesPoint,
    Source,
    Span,
    State,
    Uncited,
)
from .textsafe import clip
from .values import PartialDate, _set, _Value
from .vocabulary import (
    CONFLICT_KINDS,
    ENTITY_KINDS,
    MEMBER_SPANS,
    METRIC_CATEGORIES,
    SPAN_KINDS,
    SPAN_TRACKS,
    STATE_STATUSES,
    STATUS_LABELS,
    UNCITED_REASONS,
)

if TYPE_CHECKING:
    from .dataset import Dataset
    from .details import Detail

#: Field types: ``str`` (a string), ``strs`` (an array of strings), ``date`` (``YYYY``,
#: ``YYYY-MM`` or ``YYYY-MM-DD``), ``number`` (a finite integer or float, kept as a float),
#: ``year`` (a four-digit integer), ``bool``, ``tables`` (an array of nested tables, each
#: validated as the nested kind in :attr:`Field.of`); and the analyst's types of
#: :mod:`csto_tui.facts`: ``when`` (a date as precise as the text: ``early 2019``, ``1990s``,
#: ``unknown``... a :class:`~csto_tui.facts.When`), ``amount`` (an amount of time: ``a week``,
#: ``a few months``), ``action`` (a PLOVER code ``category[:mode]``), ``response`` (an action
#: code or a response word: ``declined``), ``notes`` (a table of field name = one line of
#: reasoning: ``inferred``).
FIELD_TYPES = ("str", "strs", "date", "number", "year", "bool", "tables", "when", "amount",
               "action", "response", "notes")

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
    #: values a referring field also accepts without naming a record (``author``)
    also: tuple[str, ...] = ()
    #: a one-line parser for a ``str`` field (an ISO 4217 code, a URL...): returns the value
    #: or raises ``ValueError`` with the message to report
    parse: Callable[[str], str] | None = None

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
    check: Callable[[dict[str, Any], Callable[..., None]], bool] | None = None
    #: a short title (``Kazakhstan``, ``5 Jan 2022 Protests``)
    title: Callable[[Dataset, Any], str] = field(default=lambda ds, r: getattr(r, "id", ""))
    #: one line saying what the record is
    describe: Callable[[Dataset, Any], str] = field(default=lambda ds, r: "")
    #: what one record is called where kinds are listed together ("cited by": a state, an
    #: organization...); default: the kind's name
    word: Callable[[Any], str] | None = None
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
    #: what the record says, line by line, as the Sources pane, the briefing and both exports
    #: show it (:mod:`csto_tui.details`); None: nothing beyond its title
    details: Callable[[Dataset, Any], list[Detail]] | None = None

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


def word(rec: object) -> str:
    """What a record is called among records of every kind (``state``, ``organization``)."""
    k = kind_of(rec)
    if k is None:
        return "record"
    return k.word(rec) if k.word is not None else k.name


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
    if f.type in ("when", "amount"):
        return None if val is None else val.json()
    if f.type in ("action", "response"):
        return None if val is None else val.code
    if f.type == "notes":
        return dict(val) if val else None
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
    _json_extras(ds, k, rec, out)
    return out


def _json_extras(ds: Dataset, k: Kind, rec: Any, out: dict[str, Any]) -> None:
    """What the screen says beside the fields: who says it (``according to``), and each
    detail line as shown (inferred values marked)."""
    from . import details

    for f in k.fields:
        if f.type == "response":  # the class word (as the panes name it), then the code
            act = getattr(rec, f.name)
            out[f.key] = act.response if act is not None else "none"
            out[f"{f.key}_code"] = act.code if act is not None else None
            out[f"{f.key}_marker"] = RESPONSE_MARKERS[out[f.key]]
    if "claimant" in k.keys:
        out["claimant_name"] = details.name_of(ds, rec.claimant) or None
        out["according_to"] = details.footing(ds, rec) or None
        for f in k.fields:
            if f.type == "tables" and f.of is not None and "claimant" in f.of.keys:
                for row, sub in zip(out[f.key], getattr(rec, f.name), strict=True):
                    row["claimant_name"] = details.name_of(ds, sub.claimant) or None
                    row["according_to"] = details.footing(ds, sub) or None
    if k.details is not None:
        out["shown"] = [{"label": d.label, "text": d.text} for d in k.details(ds, rec)]


# --------------------------------------------------------------------------------------------
# the kinds of the CSTO dataset

def _cites(key: str = "quotes") -> Field:
    return Field(key, "strs", refs=("quote",), dangling="filter",
                 ref_message="quote {value!r} does not exist")


# ---- the analyst's fields, shared by every claim-bearing kind (docs/dataset.md)

def _claimant() -> Field:
    return Field("claimant", refs=("state", "entity"), also=(AUTHOR,), default=AUTHOR,
                 ref_message="claimant {value!r} is neither 'author' nor a state or entity")


def _claim_fields() -> tuple[Field, ...]:
    """Who says it (``claimant``), how firmly (``stance``), what was inferred."""
    return (_claimant(), Field("stance", choices=STANCES, default="fact"),
            Field("inferred", "notes"))


def _figure_fields(unit: bool = True) -> tuple[Field, ...]:
    """A value, a range or an order of magnitude, with the text's hedge; with ``unit``, its
    unit, currency and as-of date too."""
    out: tuple[Field, ...] = (
           Field("value", "number"), Field("low", "number"), Field("high", "number"),
           Field("qualifier", choices=tuple(QUALIFIERS)),
           Field("magnitude", choices=tuple(MAGNITUDES)))
    if unit:
        out += (Field("unit"), Field("currency", parse=check_currency),
                Field("as_of", "when"))
    return out


#: ``error(code, message, field[, severity])``: how a kind's check reports
Error = Callable[..., None]


def _figure_check(v: dict[str, Any], error: Error, required: bool, unit: bool) -> bool:
    given = [k for k, there in (("value", v["value"] is not None),
                                ("low", v["low"] is not None or v["high"] is not None),
                                ("magnitude", bool(v["magnitude"]))) if there]
    if len(given) > 1:
        error("schema", "give one of 'value', 'low'/'high' or 'magnitude', not several",
              given[1])
        return False
    if not given:
        if required:
            error("schema", "a figure needs one of 'value', 'low'/'high' or 'magnitude'", "")
            return False
        return True
    low, high = v["low"], v["high"]
    if low is not None and high is not None and low > high:
        error("schema", f"'low' ({number_text(low)}) is above 'high' ({number_text(high)})",
              "high")
        return False
    if unit and not v["unit"] and not v["currency"]:
        error("schema", "a figure needs a 'unit' or a 'currency'",
              "value" if given[0] == "value" else given[0])
        return False
    return True


def _claims_check(kind_name: str) -> Callable[[dict[str, Any], Error], bool]:
    """The rules every claim-bearing kind shares: an assessment is the author's; what is
    inferred is a field the record sets; attributions name fields of the kind."""

    fields: dict[str, Field] = {}

    def check(v: dict[str, Any], error: Error) -> bool:
        ok = True
        if v.get("stance") == "assessment" and v.get("claimant", AUTHOR) != AUTHOR:
            error("schema", "an assessment is the author's own: with claimant "
                  f"{v['claimant']!r} it is a claim (stance = \"claim\")", "claimant")
            ok = False
        inferred, attributions = v.get("inferred"), v.get("attributions")
        if not inferred and not attributions:
            return ok  # most records: nothing more to look at
        if not fields:  # the kind's fields by key, once (the kind exists by now)
            k = _KINDS.get(kind_name) or _NESTED[kind_name]
            fields.update((f.key, f) for f in k.fields)
        by_key = fields
        for key, _why in inferred or ():
            f = by_key.get(key)
            if f is None or f.key in ("id", "inferred"):
                error("schema", f"{key!r} is not a field of {_a(kind_name)}",
                      f"inferred.{key}")
                ok = False
            elif v.get(f.name) in (None, "", ()):
                error("schema", f"{key!r} is not set in this record: only a value can be "
                      "inferred", f"inferred.{key}")
                ok = False
        for i, att in enumerate(attributions or (), 1):
            if not att.fields:
                error("schema", "an attribution must name at least one field",
                      f"attributions[{i}].fields")
                ok = False
            for key in att.fields:
                f = by_key.get(key)
                if f is None or f.type == "tables" or f.cites or key in (
                        "id", "inferred", "claimant", "stance"):
                    error("schema", f"{key!r} is not a field of {_a(kind_name)} that can be "
                          "attributed", f"attributions[{i}].fields")
                    ok = False
        return ok

    return check


def _both(*checks: Callable[[dict[str, Any], Error], bool]
          ) -> Callable[[dict[str, Any], Error], bool]:
    """Every check run (each reports its own problems); sound only if all pass."""

    def check(v: dict[str, Any], error: Error) -> bool:
        results = [c(v, error) for c in checks]
        return all(results)

    return check


def _a(kind_name: str) -> str:
    return ("an " if kind_name[0] in "aeiou" else "a ") + kind_name


#: nested kinds by name (their checks look them up: they are never registered)
_NESTED: dict[str, Kind] = {}


def _dated_check(start_key: str, end_key: str) -> Callable[[dict[str, Any], Error], bool]:
    def check(v: dict[str, Any], error: Error) -> bool:
        start, end = v[start_key], v[end_key]
        if (start is not None and end is not None and start.known and end.known
                and end.sort_key() < start.sort_key()):
            error("schema", f"ends ({end}) before it starts ({start})", end_key)
            return False
        return True

    return check


def _span_check(v: dict[str, Any], error: Error) -> bool:
    start, end = v["start"], v["end"]
    if end is not None and start.known and end.known and end.sort_key() < start.sort_key():
        error("membership", f"ends ({end}) before it starts ({start})", "")
        return False
    return True


ATTRIBUTION = Kind(
    "attribution", "attributions", Attribution,
    (Field("fields", "strs", required=True), _claimant(),
     Field("stance", choices=STANCES, default="fact"), _cites()),
    has_id=False,
)

SPAN = Kind(
    "span", "membership", Span,
    (Field("kind", required=True, choices=SPAN_KINDS),
     Field("from", "when", required=True, attr="start"),
     Field("to", "when", attr="end"),
     _cites(),
     Field("note"),
     Field("body", refs=("entity",), ref_message="body {value!r} is not an entity"),
     *_claim_fields()),
    has_id=False, needs_quote=True,
    check=_both(_span_check, _claims_check("span")),
)

SERIES = Kind(
    "figure", "series", SeriesPoint,
    (Field("as_of", "when", required=True), *_figure_fields(unit=False), _cites(),
     *_claim_fields()),
    has_id=False,
    check=_both(lambda v, error: _figure_check(v, error, required=True, unit=False),
                _claims_check("figure")),
)

PARTICIPANT = Kind(
    "participant", "participants", Participant,
    (Field("who", required=True, refs=("state", "entity"),
           ref_message="participant {value!r} is neither a state nor an entity"),
     Field("role", choices=ROLES, default="participant"), _cites(),
     Field("inferred", "notes")),
    has_id=False, check=_claims_check("participant"),
)

QUANTITY = Kind(
    "quantity", "quantities", Quantity,
    (Field("what", required=True), *_figure_fields(), _cites(), *_claim_fields()),
    has_id=False,
    check=_both(lambda v, error: _figure_check(v, error, required=True, unit=True),
                _claims_check("quantity")),
)

LINK = Kind(
    "link", "links", Link,
    (Field("kind", required=True, choices=tuple(LINK_KINDS)),
     Field("event", required=True, refs=("event",),
           ref_message="event {value!r} does not exist"),
     Field("note"), _cites()),
    has_id=False,
)

_NESTED.update((k.name, k) for k in (ATTRIBUTION, SPAN, SERIES, PARTICIPANT, QUANTITY, LINK))

READING = Kind(
    "reading", "readings", Reading,
    (Field("quote", required=True, refs=("quote",), dangling="keep",
           ref_message="quote {value!r} does not exist"),
     Field("says", required=True)),
    has_id=False,
)


def _state_check(v: dict[str, Any], error: Error) -> bool:
    spans: tuple[Span, ...] = v["membership"]
    tracks: dict[tuple[str, str], list[tuple[int, Span]]] = {}
    for i, s in enumerate(spans, 1):
        tracks.setdefault((SPAN_TRACKS.get(s.kind, s.kind), s.body), []).append((i, s))
    for group in tracks.values():
        ks = sorted(group, key=lambda x: x[1].start.sort_key() if x[1].start.known
                    else (0, 0, 0))
        for (_i, a), (j, b) in zip(ks, ks[1:], strict=False):
            if a.end is None or (b.start.known and a.end.known
                                 and b.start.sort_key() < a.end.sort_key()):
                what = (f"{a.kind} spans" if a.kind == b.kind
                        else "membership spans" if SPAN_TRACKS.get(a.kind) == "membership"
                        else f"{SPAN_TRACKS.get(a.kind, a.kind)} spans")
                error("membership", f"{what} overlap: {a.label()} and {b.label()}",
                      f"membership[{j}]" if a.kind != b.kind else "membership")
                return False
    open_member = any(s.end is None and s.kind in MEMBER_SPANS for s in spans)
    if v["status"] == "member" and not open_member:
        error("membership", "status is 'member' but no open member span (one without 'to')",
              "membership")
    if v["status"] == "former-member" and open_member:
        error("membership", "status is 'former-member' but a member span is still open",
              "membership")
    return True


def _metric_check(v: dict[str, Any], error: Error) -> bool:
    if not _figure_check(v, error, required=False, unit=True):
        return False
    if v["year"] is not None and v["as_of"] is not None:
        error("schema", "give 'year' or 'as_of', not both", "as_of")
        return False
    seen: set[str] = set()
    for i, p in enumerate(v["series"], 1):
        if p.as_of.text in seen:
            error("schema", f"the series has two figures as of {p.as_of.text}",
                  f"series[{i}].as_of")
            return False
        seen.add(p.as_of.text)
    return True


def _event_check(v: dict[str, Any], error: Error) -> bool:
    ok = _dated_check("date", "end")(v, error)
    if v["after"] and v["before"]:
        error("schema", "'after' and 'before' exclude each other", "before")
        ok = False
    elif v["offset"] is not None and not (v["after"] or v["before"]):
        error("schema", "'offset' needs 'after' or 'before' (the event it is counted from)",
              "offset")
        ok = False
    for key in ("after", "before"):
        if v[key] and v[key] == v["id"]:
            error("schema", "an event cannot be dated relative to itself", key)
            ok = False
    return ok


def _relation_check(v: dict[str, Any], error: Error) -> bool:
    ok = _dated_check("since", "until")(v, error)
    if v["from_"] == v["to"]:
        error("schema", "a relation links two different records (from and to are both "
              f"{v['to']!r})", "to")
        ok = False
    if v["kind"] == "depends-on" and not v["purpose"]:
        error("schema", "'depends-on' needs 'for': what the dependence is for", "for")
        ok = False
    return ok


def _conflict_check(v: dict[str, Any], error: Error) -> bool:
    if len(v["readings"]) < 2:
        error("schema", "a conflict needs at least two [[conflicts.readings]]", "readings")
        return False
    if "\n" in v["note"] or "\r" in v["note"]:
        error("schema", "the reading ('note') must be one line", "note")
        return False
    if not v["kind"]:
        error("conflict-kind", "a conflict should say how the sources differ: kind = "
              f"{' | '.join(CONFLICT_KINDS)}", "kind", "warning")
    return True


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
            "publisher": s.publisher or None, "url": s.url or None,
            "language": s.language or None,
            "retrieved": None if s.retrieved is None else {"value": s.retrieved.iso(),
                                                           "precision": s.retrieved.precision},
            "reliability": s.reliability or None}


def _status_order(s: State) -> tuple[int, str]:
    order = STATE_STATUSES.index(s.status) if s.status in STATE_STATUSES else 99
    return (order, s.name)


SOURCE = Kind(
    "source", "sources", Source,
    (Field("id", required=True), Field("file", required=True), Field("title"),
     Field("date", "date"), Field("publisher"), Field("url", parse=check_url),
     Field("language", parse=check_language), Field("retrieved", "date"),
     Field("reliability")),
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
    search_title=lambda q, n, src: (clip(q.text), src.get(q.source, q.source)),
    passage=True,
    export=_quote_json,
)

ENTITY = Kind(
    "entity", "entities", Entity,
    (Field("id", required=True), Field("kind", required=True, choices=ENTITY_KINDS),
     Field("name", required=True), Field("aliases", "strs"), Field("summary"), _cites(),
     Field("inferred", "notes")),
    needs_quote=True, check=_claims_check("entity"),
    details=lambda ds, e: _details().inferred_details(e),
    title=lambda ds, e: e.name,
    describe=lambda ds, e: f"{e.kind}: {e.summary}" if e.summary else e.kind,
    search=((BAND_NAME, 5, "name", lambda e, n: e.name),
            (BAND_NAME, 4, "alias", lambda e, n: e.aliases),
            (BAND_FIELD, 3, "summary", lambda e, n: e.summary),
            (BAND_FIELD, 1, "kind", lambda e, n: e.kind)),
    search_title=lambda e, n, src: (e.name,
                                    e.kind + (f" \u2014 {e.summary}" if e.summary else "")),
    word=lambda e: e.kind,
)


def _span_text(s: Span) -> str:
    end = s.end.iso() if s.end else "now"
    return f"{s.label()} ({s.start.iso()}-{end}) {s.note}"


STATE = Kind(
    "state", "states", State,
    (Field("id", required=True), Field("name", required=True),
     Field("status", required=True, choices=STATE_STATUSES), Field("aliases", "strs"),
     Field("role"), _cites(), Field("membership", "tables", of=SPAN),
     Field("inferred", "notes")),
    needs_quote=True, check=_both(_state_check, _claims_check("state")),
    details=lambda ds, s: _details().state_details(ds, s),
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
     Field("year", "year"), Field("qualifier", choices=tuple(QUALIFIERS)),
     Field("present", "bool", default=True),
     Field("counterpart", refs=("state", "entity"),
           ref_message="counterpart {value!r} is neither a state nor an entity"),
     Field("detail"), _cites(),
     Field("low", "number"), Field("high", "number"),
     Field("magnitude", choices=tuple(MAGNITUDES)),
     Field("currency", parse=check_currency), Field("as_of", "when"),
     Field("series", "tables", of=SERIES), *_claim_fields(),
     Field("attributions", "tables", of=ATTRIBUTION)),
    needs_quote=True, check=_both(_metric_check, _claims_check("metric")),
    details=lambda ds, m: _details().metric_details(ds, m),
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
    (Field("id", required=True), Field("date", "when", required=True),
     Field("title", required=True),
     Field("response", "response", required=True, attr="response_code"),
     Field("summary", required=True),
     Field("states", "strs", refs=("state",), dangling="filter",
           ref_message="state {value!r} does not exist"),
     Field("actors", "strs", refs=("entity", "state"),
           ref_message="actor {value!r} is neither an entity nor a state"),
     Field("category"), _cites(),
     Field("end", "when"), Field("duration", "amount"),
     Field("after", refs=("event",), ref_message="event {value!r} does not exist"),
     Field("before", refs=("event",), ref_message="event {value!r} does not exist"),
     Field("offset", "amount"),
     Field("actor", "strs", refs=("state", "entity"),
           ref_message="actor {value!r} is neither a state nor an entity"),
     Field("action", "action"),
     Field("location", refs=("state", "entity"),
           ref_message="location {value!r} is neither a state nor an entity"),
     Field("participants", "tables", of=PARTICIPANT),
     Field("quantities", "tables", of=QUANTITY),
     Field("links", "tables", of=LINK),
     *_claim_fields(),
     Field("attributions", "tables", of=ATTRIBUTION)),
    needs_quote=True, check=_both(_event_check, _claims_check("event")),
    details=lambda ds, e: _details().event_details(ds, e),
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
     Field("readings", "tables", of=READING), Field("note"),
     Field("kind", choices=CONFLICT_KINDS)),
    check=_conflict_check,
    details=lambda ds, c: _details().conflict_details(ds, c),
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

#: The kinds the program itself ships as attributes of the dataset (others come from
#: :func:`register`, and are in :attr:`Dataset.more`).
BUILTIN = frozenset(_KINDS)


def _details() -> Any:
    from . import details

    return details


RELATION = register(Kind(
    "relation", "relations", Relation,
    (Field("id", required=True), Field("kind", required=True, choices=tuple(RELATION_KINDS)),
     Field("from", required=True, attr="from_", refs=("state", "entity"),
           ref_message="{value!r} is neither a state nor an entity"),
     Field("to", required=True, refs=("state", "entity"),
           ref_message="{value!r} is neither a state nor an entity"),
     Field("via", refs=("entity",), ref_message="via {value!r} is not an entity"),
     Field("for", attr="purpose"), Field("since", "when"), Field("until", "when"),
     Field("summary"), _cites(), *_claim_fields(),
     Field("attributions", "tables", of=ATTRIBUTION)),
    needs_quote=True, check=_both(_relation_check, _claims_check("relation")),
    title=lambda ds, r: _details().relation_text(ds, r),
    describe=lambda ds, r: r.summary,
    details=lambda ds, r: _details().relation_details(ds, r),
    search=((BAND_FIELD, 4, "relation", lambda r, n: (
                f"{n.get(r.from_, r.from_)} {RELATION_KINDS.get(r.kind, (r.kind,))[0]} "
                f"{n.get(r.to, r.to)} {n.get(r.via, r.via)} {r.purpose}")),
            (BAND_FIELD, 3, "summary", lambda r, n: r.summary)),
    search_title=lambda r, n, src: (
        f"{n.get(r.from_, r.from_)} {RELATION_KINDS.get(r.kind, (r.kind,))[0]} "
        f"{n.get(r.to, r.to)}", r.summary or r.kind),
    briefing="Relations",
))

#: for callers that parse dates the way fields of type ``date`` are parsed
parse_date = PartialDate.parse


# --------------------------------------------------------------------------------------------
# facts only: what the dashboard, the briefing and the exports show with claims left out


def facts_only(ds: Dataset) -> Dataset:
    """The dataset without what is not a reported fact: records, nested records (spans,
    quantities, series figures...) and attributed fields whose ``stance`` is not ``fact``.
    Reported facts stay, "according to X" included (docs/dataset.md, "Facts only")."""
    from .dataset import Dataset as _Dataset

    def fact(rec: Any) -> bool:
        return getattr(rec, "stance", "fact") == "fact"

    def clean(k: Kind, rec: Any) -> Any:
        changes: dict[str, Any] = {}
        for f in k.fields:
            if f.type == "tables" and f.of is not None and f.of is not ATTRIBUTION:
                subs = getattr(rec, f.name)
                kept = tuple(clean(f.of, s) for s in subs if fact(s))
                if kept != subs:
                    changes[f.name] = kept
        atts = getattr(rec, "attributions", ())
        if any(a.stance != "fact" for a in atts):
            for a in atts:
                if a.stance != "fact":
                    for key in a.fields:
                        f = k.field(key)
                        changes[f.name] = (f.empty() if not (f.required and f.type == "when")
                                           else When.parse("unknown"))
            changes["attributions"] = tuple(a for a in atts if a.stance == "fact")
        return rec.replace(**changes) if changes else rec

    kept = {k.name: tuple(clean(k, r) for r in ds.records_of(k.name) if fact(r))
            for k in kinds()}
    return _Dataset(
        path=ds.path, root=ds.root, title=ds.title,
        sources=kept["source"], quotes=kept["quote"], states=kept["state"],
        metrics=kept["metric"], events=kept["event"], entities=kept["entity"],
        conflicts=kept["conflict"], uncited=kept["uncited"], anchors=ds.anchors,
        texts=ds.texts, more={n: v for n, v in kept.items() if n not in BUILTIN and v},
        files=ds.files, owners=ds.owners)
