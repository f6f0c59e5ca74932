"""The dataset's records as immutable values.

Plain Python: this module never imports textual (tests/test_import_hygiene.py proves it).
Everything here is built once by :mod:`csto_tui.loader` and then only read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .facts import (
    RESPONSE_LABELS,
    RESPONSE_MARKERS,
    RESPONSES,
    Action,
    Amount,
    When,
    figure_text,
)
from .values import MONTHS, PartialDate, Precision, _set, _Value

__all__ = ["MONTHS", "RESPONSE_LABELS", "RESPONSE_MARKERS", "RESPONSES", "Action", "Amount",
           "PartialDate", "Precision", "When", "_Value", "_set"]


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

#: Legal states of membership over time (as ATOP and COW record them); ``member`` is the
#: treaty in force for the state.
SPAN_KINDS: tuple[str, ...] = (
    "signatory", "member", "suspended", "restored", "withdrawn", "observer", "partner")
SPAN_LABELS: dict[str, str] = {
    "signatory": "signatory", "member": "member", "suspended": "suspended",
    "restored": "member again", "withdrawn": "withdrawn", "observer": "observer",
    "partner": "partner",
}
#: Spans during which a state is a member (a suspended member still is one).
MEMBER_SPANS: frozenset[str] = frozenset({"member", "restored", "suspended"})
#: Spans of one track may not overlap (for the same body).
SPAN_TRACKS: dict[str, str] = {
    "member": "membership", "restored": "membership", "suspended": "membership",
    "withdrawn": "membership", "signatory": "signatory", "observer": "observer",
    "partner": "partner",
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
ENTITY_KINDS: tuple[str, ...] = (
    "organization", "body", "treaty", "mechanism", "force", "base", "person", "group", "place",
    "de-facto-state", "defunct-state")

#: How two sources differ (a conflict's ``kind``).
CONFLICT_KINDS: tuple[str, ...] = ("contradiction", "precision", "framing")
CONFLICT_KIND_LABELS: dict[str, str] = {
    "contradiction": "contradiction", "precision": "different precision",
    "framing": "different framing"}


def _when(d: When | PartialDate) -> When:
    """A date as a :class:`When` (records made by hand may pass a :class:`PartialDate`)."""
    return d if type(d) is When else When.of(d)  # type: ignore[arg-type]


def _action(a: Action | str | None) -> Action | None:
    """An action code; a string is parsed, response words included (``declined``)."""
    return Action.parse(a, words=True) if isinstance(a, str) else a


class Source(_Value):
    __slots__ = _fields = ("id", "file", "title", "path", "date", "publisher", "url", "language",
        "retrieved", "reliability")
    id: str
    file: str
    title: str
    path: Path
    date: PartialDate | None
    publisher: str
    url: str
    language: str
    retrieved: PartialDate | None
    reliability: str

    def __init__(self, id: str, file: str, title: str, path: Path = Path(),
                 date: PartialDate | None = None, publisher: str = "", url: str = "",
                 language: str = "", retrieved: PartialDate | None = None,
                 reliability: str = "") -> None:
        _set(self, "id", id)
        _set(self, "file", file)
        _set(self, "title", title)
        _set(self, "path", path)
        _set(self, "date", date)
        _set(self, "publisher", publisher)
        _set(self, "url", url)
        _set(self, "language", language)
        _set(self, "retrieved", retrieved)
        _set(self, "reliability", reliability)


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


class Attribution(_Value):
    """Who makes the claim in some fields of a record, and how firmly."""

    __slots__ = _fields = ("fields", "claimant", "stance", "quotes")
    fields: tuple[str, ...]
    claimant: str
    stance: str
    quotes: tuple[str, ...]

    def __init__(self, fields: tuple[str, ...], claimant: str = "author", stance: str = "fact",
                 quotes: tuple[str, ...] = ()) -> None:
        _set(self, "fields", fields)
        _set(self, "claimant", claimant)
        _set(self, "stance", stance)
        _set(self, "quotes", quotes)


class Span(_Value):
    """A dated stretch of one legal state of membership (``kind``), in a body."""

    __slots__ = _fields = ("kind", "start", "end", "quotes", "note", "body", "claimant", "stance",
        "inferred")
    kind: str
    start: When
    end: When | None
    quotes: tuple[str, ...]
    note: str
    body: str
    claimant: str
    stance: str
    inferred: tuple[tuple[str, str], ...]

    def __init__(self, kind: str, start: When | PartialDate, end: When | PartialDate | None = None,
                 quotes: tuple[str, ...] = (), note: str = "", body: str = "",
                 claimant: str = "author", stance: str = "fact",
                 inferred: tuple[tuple[str, str], ...] = ()) -> None:
        _set(self, "kind", kind)
        _set(self, "start", _when(start))
        _set(self, "end", None if end is None else _when(end))
        _set(self, "quotes", quotes)
        _set(self, "note", note)
        _set(self, "body", body)
        _set(self, "claimant", claimant)
        _set(self, "stance", stance)
        _set(self, "inferred", inferred)

    def label(self) -> str:
        start = self.start.display() if self.start.known else "?"
        end = self.end.display() if self.end else "now"
        return f"{self.kind} {start}-{end}"


class Entity(_Value):
    """An organisation, body, force, treaty, person... with the spun variants as aliases."""

    __slots__ = _fields = ("id", "kind", "name", "aliases", "summary", "quotes", "inferred")
    id: str
    kind: str
    name: str
    aliases: tuple[str, ...]
    summary: str
    quotes: tuple[str, ...]
    inferred: tuple[tuple[str, str], ...]

    def __init__(self, id: str, kind: str, name: str, aliases: tuple[str, ...] = (),
                 summary: str = "", quotes: tuple[str, ...] = (),
                 inferred: tuple[tuple[str, str], ...] = ()) -> None:
        _set(self, "id", id)
        _set(self, "kind", kind)
        _set(self, "name", name)
        _set(self, "aliases", aliases)
        _set(self, "summary", summary)
        _set(self, "quotes", quotes)
        _set(self, "inferred", inferred)


class State(_Value):
    __slots__ = _fields = ("id", "name", "status", "aliases", "role", "membership", "quotes",
        "inferred")
    id: str
    name: str
    status: str
    aliases: tuple[str, ...]
    role: str
    membership: tuple[Span, ...]
    quotes: tuple[str, ...]
    inferred: tuple[tuple[str, str], ...]

    def __init__(self, id: str, name: str, status: str, aliases: tuple[str, ...] = (),
                 role: str = "", membership: tuple[Span, ...] = (), quotes: tuple[str, ...] = (),
                 inferred: tuple[tuple[str, str], ...] = ()) -> None:
        _set(self, "id", id)
        _set(self, "name", name)
        _set(self, "status", status)
        _set(self, "aliases", aliases)
        _set(self, "role", role)
        _set(self, "membership", membership)
        _set(self, "quotes", quotes)
        _set(self, "inferred", inferred)


class SeriesPoint(_Value):
    """One figure of a metric's series over years, as of its date."""

    __slots__ = _fields = ("as_of", "value", "low", "high", "qualifier", "magnitude", "quotes",
        "claimant", "stance", "inferred")
    as_of: When
    value: float | None
    low: float | None
    high: float | None
    qualifier: str
    magnitude: str
    quotes: tuple[str, ...]
    claimant: str
    stance: str
    inferred: tuple[tuple[str, str], ...]

    def __init__(self, as_of: When, value: float | None = None, low: float | None = None,
                 high: float | None = None, qualifier: str = "", magnitude: str = "",
                 quotes: tuple[str, ...] = (), claimant: str = "author", stance: str = "fact",
                 inferred: tuple[tuple[str, str], ...] = ()) -> None:
        _set(self, "as_of", as_of)
        _set(self, "value", value)
        _set(self, "low", low)
        _set(self, "high", high)
        _set(self, "qualifier", qualifier)
        _set(self, "magnitude", magnitude)
        _set(self, "quotes", quotes)
        _set(self, "claimant", claimant)
        _set(self, "stance", stance)
        _set(self, "inferred", inferred)


class Metric(_Value):
    """A dependency of a state: a figure (a value, range, bound or magnitude) or a
    structural tie (``present``)."""

    __slots__ = _fields = ("id", "state", "category", "measure", "value", "unit", "year",
        "qualifier", "present", "counterpart", "detail", "quotes", "low", "high", "magnitude",
        "currency", "as_of", "series", "claimant", "stance", "inferred", "attributions")
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
    low: float | None
    high: float | None
    magnitude: str
    currency: str
    as_of: When | None
    series: tuple[SeriesPoint, ...]
    claimant: str
    stance: str
    inferred: tuple[tuple[str, str], ...]
    attributions: tuple[Attribution, ...]

    def __init__(self, id: str, state: str, category: str, measure: str,
                 value: float | None = None, unit: str = "", year: int | None = None,
                 qualifier: str = "", present: bool = True, counterpart: str = "",
                 detail: str = "", quotes: tuple[str, ...] = (), low: float | None = None,
                 high: float | None = None, magnitude: str = "", currency: str = "",
                 as_of: When | None = None, series: tuple[SeriesPoint, ...] = (),
                 claimant: str = "author", stance: str = "fact",
                 inferred: tuple[tuple[str, str], ...] = (),
                 attributions: tuple[Attribution, ...] = ()) -> None:
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
        _set(self, "low", low)
        _set(self, "high", high)
        _set(self, "magnitude", magnitude)
        _set(self, "currency", currency)
        _set(self, "as_of", as_of)
        _set(self, "series", series)
        _set(self, "claimant", claimant)
        _set(self, "stance", stance)
        _set(self, "inferred", inferred)
        _set(self, "attributions", attributions)

    @property
    def is_figure(self) -> bool:
        return (self.value is not None or self.low is not None or self.high is not None
                or bool(self.magnitude))

    def value_text(self) -> str:
        if not self.is_figure:
            return "yes" if self.present else "no"
        return figure_text(self.value, self.low, self.high, self.qualifier, self.magnitude,
                           self.unit, self.currency)


class Participant(_Value):
    """Who took part in an event, in which role."""

    __slots__ = _fields = ("who", "role", "quotes", "inferred")
    who: str
    role: str
    quotes: tuple[str, ...]
    inferred: tuple[tuple[str, str], ...]

    def __init__(self, who: str, role: str = "participant", quotes: tuple[str, ...] = (),
                 inferred: tuple[tuple[str, str], ...] = ()) -> None:
        _set(self, "who", who)
        _set(self, "role", role)
        _set(self, "quotes", quotes)
        _set(self, "inferred", inferred)


class Quantity(_Value):
    """A number an event's text gives: what it counts, and the figure."""

    __slots__ = _fields = ("what", "value", "low", "high", "qualifier", "magnitude", "unit",
        "currency", "as_of", "quotes", "claimant", "stance", "inferred")
    what: str
    value: float | None
    low: float | None
    high: float | None
    qualifier: str
    magnitude: str
    unit: str
    currency: str
    as_of: When | None
    quotes: tuple[str, ...]
    claimant: str
    stance: str
    inferred: tuple[tuple[str, str], ...]

    def __init__(self, what: str, value: float | None = None, low: float | None = None,
                 high: float | None = None, qualifier: str = "", magnitude: str = "",
                 unit: str = "", currency: str = "", as_of: When | None = None,
                 quotes: tuple[str, ...] = (), claimant: str = "author", stance: str = "fact",
                 inferred: tuple[tuple[str, str], ...] = ()) -> None:
        _set(self, "what", what)
        _set(self, "value", value)
        _set(self, "low", low)
        _set(self, "high", high)
        _set(self, "qualifier", qualifier)
        _set(self, "magnitude", magnitude)
        _set(self, "unit", unit)
        _set(self, "currency", currency)
        _set(self, "as_of", as_of)
        _set(self, "quotes", quotes)
        _set(self, "claimant", claimant)
        _set(self, "stance", stance)
        _set(self, "inferred", inferred)

    def text(self) -> str:
        return figure_text(self.value, self.low, self.high, self.qualifier, self.magnitude,
                           self.unit, self.currency)


class Link(_Value):
    """A directed link from an event to another (``kind``: responds-to, ends, ...)."""

    __slots__ = _fields = ("kind", "event", "note", "quotes")
    kind: str
    event: str
    note: str
    quotes: tuple[str, ...]

    def __init__(self, kind: str, event: str, note: str = "",
                 quotes: tuple[str, ...] = ()) -> None:
        _set(self, "kind", kind)
        _set(self, "event", event)
        _set(self, "note", note)
        _set(self, "quotes", quotes)


class Event(_Value):
    """Something that happened: who acted and how (``actor``, ``action``), what the CSTO did
    (``response_code``; :attr:`response` is its class word), when, where, who took part."""

    __slots__ = _fields = ("id", "date", "title", "response_code", "summary", "states", "actors",
        "category", "quotes", "end", "duration", "after", "before", "offset", "actor", "action",
        "location", "participants", "quantities", "links", "claimant", "stance", "inferred",
        "attributions")
    id: str
    date: When
    title: str
    response_code: Action | None
    summary: str
    states: tuple[str, ...]
    actors: tuple[str, ...]
    category: str
    quotes: tuple[str, ...]
    end: When | None
    duration: Amount | None
    after: str
    before: str
    offset: Amount | None
    actor: tuple[str, ...]
    action: Action | None
    location: str
    participants: tuple[Participant, ...]
    quantities: tuple[Quantity, ...]
    links: tuple[Link, ...]
    claimant: str
    stance: str
    inferred: tuple[tuple[str, str], ...]
    attributions: tuple[Attribution, ...]

    def __init__(self, id: str, date: When | PartialDate, title: str,
                 response_code: Action | str | None, summary: str, states: tuple[str, ...] = (),
                 actors: tuple[str, ...] = (), category: str = "", quotes: tuple[str, ...] = (),
                 end: When | None = None, duration: Amount | None = None, after: str = "",
                 before: str = "", offset: Amount | None = None, actor: tuple[str, ...] = (),
                 action: Action | None = None, location: str = "",
                 participants: tuple[Participant, ...] = (), quantities: tuple[Quantity, ...] = (),
                 links: tuple[Link, ...] = (), claimant: str = "author", stance: str = "fact",
                 inferred: tuple[tuple[str, str], ...] = (),
                 attributions: tuple[Attribution, ...] = ()) -> None:
        _set(self, "id", id)
        _set(self, "date", _when(date))
        _set(self, "title", title)
        _set(self, "response_code", _action(response_code))
        _set(self, "summary", summary)
        _set(self, "states", states)
        _set(self, "actors", actors)
        _set(self, "category", category)
        _set(self, "quotes", quotes)
        _set(self, "end", end)
        _set(self, "duration", duration)
        _set(self, "after", after)
        _set(self, "before", before)
        _set(self, "offset", offset)
        _set(self, "actor", actor)
        _set(self, "action", action)
        _set(self, "location", location)
        _set(self, "participants", participants)
        _set(self, "quantities", quantities)
        _set(self, "links", links)
        _set(self, "claimant", claimant)
        _set(self, "stance", stance)
        _set(self, "inferred", inferred)
        _set(self, "attributions", attributions)

    @property
    def response(self) -> str:
        """The response class (``declined``...) of what the CSTO did: its marker's name."""
        code = self.response_code
        return code.response if code is not None else "none"


class Relation(_Value):
    """A typed, directed, cited link between two states or entities."""

    __slots__ = _fields = ("id", "kind", "from_", "to", "via", "purpose", "since", "until",
        "summary", "quotes", "claimant", "stance", "inferred", "attributions")
    id: str
    kind: str
    from_: str
    to: str
    via: str
    purpose: str
    since: When | None
    until: When | None
    summary: str
    quotes: tuple[str, ...]
    claimant: str
    stance: str
    inferred: tuple[tuple[str, str], ...]
    attributions: tuple[Attribution, ...]

    def __init__(self, id: str, kind: str, from_: str, to: str, via: str = "", purpose: str = "",
                 since: When | None = None, until: When | None = None, summary: str = "",
                 quotes: tuple[str, ...] = (), claimant: str = "author", stance: str = "fact",
                 inferred: tuple[tuple[str, str], ...] = (),
                 attributions: tuple[Attribution, ...] = ()) -> None:
        _set(self, "id", id)
        _set(self, "kind", kind)
        _set(self, "from_", from_)
        _set(self, "to", to)
        _set(self, "via", via)
        _set(self, "purpose", purpose)
        _set(self, "since", since)
        _set(self, "until", until)
        _set(self, "summary", summary)
        _set(self, "quotes", quotes)
        _set(self, "claimant", claimant)
        _set(self, "stance", stance)
        _set(self, "inferred", inferred)
        _set(self, "attributions", attributions)


class Reading(_Value):
    __slots__ = _fields = ("quote", "says")
    quote: str
    says: str

    def __init__(self, quote: str, says: str) -> None:
        _set(self, "quote", quote)
        _set(self, "says", says)


class Conflict(_Value):
    """Two or more sources that differ on a fact: every reading is kept; ``kind`` says how they
    differ and ``note`` is the one-line reading."""

    __slots__ = _fields = ("id", "topic", "records", "readings", "note", "kind")
    id: str
    topic: str
    records: tuple[str, ...]
    readings: tuple[Reading, ...]
    note: str
    kind: str

    def __init__(self, id: str, topic: str, records: tuple[str, ...],
                 readings: tuple[Reading, ...], note: str = "", kind: str = "") -> None:
        _set(self, "id", id)
        _set(self, "topic", topic)
        _set(self, "records", records)
        _set(self, "readings", readings)
        _set(self, "note", note)
        _set(self, "kind", kind)


#: Why a passage of a source is left without a citation: the author's opinion, rhetoric (a
#: question, a transition, a flourish), a repeat of another passage that is quoted, or
#: nothing a record could state (no fact).
UNCITED_REASONS = ("opinion", "rhetoric", "repeats", "no-fact")


class Uncited(_Value):
    """A passage of a source (at most one sentence) deliberately left without a citation, and
    why (one of :data:`UNCITED_REASONS`)."""

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
                 "owners", "_by_id", "_citers", "_by_state", "_file_index", "_linked")
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
        _set(self, "_linked", None)

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

    def _links(self) -> tuple[dict[str, list[tuple[Event, Link]]], dict[str, list[Relation]]]:
        """Links into each event, and the relations of each state or entity (either end),
        indexed once."""
        cache = object.__getattribute__(self, "_linked")
        if cache is None:
            into: dict[str, list[tuple[Event, Link]]] = {}
            for e in self.events:
                for link in e.links:
                    into.setdefault(link.event, []).append((e, link))
            rels: dict[str, list[Relation]] = {}
            for r in self.relations:
                rels.setdefault(r.from_, []).append(r)
                if r.to != r.from_:
                    rels.setdefault(r.to, []).append(r)
            cache = (into, rels)
            object.__setattr__(self, "_linked", cache)
        return cache

    def links_to(self, event_id: str) -> tuple[tuple[Event, Link], ...]:
        """(event, link) of every event that links to this one (its inverse links)."""
        return tuple(self._links()[0].get(event_id, ()))

    @property
    def relations(self) -> tuple[Relation, ...]:
        """Every relation (a kind registered beside the built-in ones: see records.py)."""
        return self.records_of("relation")

    def relations_of(self, rec_id: str) -> tuple[Relation, ...]:
        """The relations with a state or entity at either end."""
        return tuple(self._links()[1].get(rec_id, ()))
