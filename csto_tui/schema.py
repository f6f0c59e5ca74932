"""The dataset's schema: the kinds of record the program ships, each declared once (its table,
class, fields, rules from :mod:`csto_tui.rules`, title, description, search units, details and
JSON), registered in :mod:`csto_tui.records` when this module is imported (``records``
imports it).

What every claim-bearing kind shares (``claimant``, ``stance``, ``inferred``,
``[[attributions]]``) comes from :func:`_claim_fields`; figures from :func:`_figure_fields`.

Plain Python: this module never imports textual.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .facts import (
    AUTHOR,
    LINK_KINDS,
    MAGNITUDES,
    QUALIFIERS,
    RELATION_KINDS,
    RESPONSE_LABELS,
    ROLES,
    STANCES,
    check_currency,
    check_language,
    check_url,
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
from .records import (
    BAND_FIELD,
    BAND_NAME,
    BAND_QUOTE,
    Field,
    Kind,
    kinds,
    register,
    register_nested,
)
from .rules import (
    both,
    claims_check,
    conflict_check,
    event_check,
    figure_check,
    metric_check,
    relation_check,
    span_check,
    state_check,
)
from .textsafe import clip
from .vocabulary import (
    CONFLICT_KINDS,
    ENTITY_KINDS,
    METRIC_CATEGORIES,
    SPAN_KINDS,
    STATE_STATUSES,
    STATUS_LABELS,
    UNCITED_REASONS,
)

if TYPE_CHECKING:
    from .dataset import Dataset

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
    check=both(span_check, claims_check("span")),
)

SERIES = Kind(
    "figure", "series", SeriesPoint,
    (Field("as_of", "when", required=True), *_figure_fields(unit=False), _cites(),
     *_claim_fields()),
    has_id=False,
    check=both(lambda v, error: figure_check(v, error, required=True, unit=False),
                claims_check("figure")),
)

PARTICIPANT = Kind(
    "participant", "participants", Participant,
    (Field("who", required=True, refs=("state", "entity"),
           ref_message="participant {value!r} is neither a state nor an entity"),
     Field("role", choices=ROLES, default="participant"), _cites(),
     Field("inferred", "notes")),
    has_id=False, check=claims_check("participant"),
)

QUANTITY = Kind(
    "quantity", "quantities", Quantity,
    (Field("what", required=True), *_figure_fields(), _cites(), *_claim_fields()),
    has_id=False,
    check=both(lambda v, error: figure_check(v, error, required=True, unit=True),
                claims_check("quantity")),
)

LINK = Kind(
    "link", "links", Link,
    (Field("kind", required=True, choices=tuple(LINK_KINDS)),
     Field("event", required=True, refs=("event",),
           ref_message="event {value!r} does not exist"),
     Field("note"), _cites()),
    has_id=False,
)

register_nested(ATTRIBUTION, SPAN, SERIES, PARTICIPANT, QUANTITY, LINK)

READING = Kind(
    "reading", "readings", Reading,
    (Field("quote", required=True, refs=("quote",), dangling="keep",
           ref_message="quote {value!r} does not exist"),
     Field("says", required=True)),
    has_id=False,
)


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
    needs_quote=True, check=claims_check("entity"),
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
    needs_quote=True, check=both(state_check, claims_check("state")),
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
    needs_quote=True, check=both(metric_check, claims_check("metric")),
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
    needs_quote=True, check=both(event_check, claims_check("event")),
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
        f"{_details().date_short(e)} {e.title}",
        f"{RESPONSE_LABELS.get(e.response, e.response)} \u2014 {e.summary}"),
    sort_key=lambda e: e.date.sort_key(),
)

CONFLICT = Kind(
    "conflict", "conflicts", Conflict,
    (Field("id", required=True), Field("topic", required=True),
     Field("records", "strs", refs=("*",), ref_message="record {value!r} does not exist"),
     Field("readings", "tables", of=READING), Field("note"),
     Field("kind", choices=CONFLICT_KINDS)),
    check=conflict_check,
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
BUILTIN = frozenset(k.name for k in kinds())


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
    needs_quote=True, check=both(relation_check, claims_check("relation")),
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
