"""The dataset's records as immutable values, one class per record kind and per nested
table (a membership span, a participant, a figure of a series...).

Plain Python: this module never imports textual (tests/test_import_hygiene.py proves it).
Everything here is built once by :mod:`csto_tui.loader` and then only read; the whole dataset
is :class:`csto_tui.dataset.Dataset`.
"""

from __future__ import annotations

from pathlib import Path

from .facts import Action, Amount, When, figure_text
from .values import PartialDate, _set, _Value


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
