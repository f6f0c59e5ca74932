r"""The registry of record kinds: what a kind is (:class:`Kind`, its :class:`Field`\ s) and the
registry every part of the program reads.

A :class:`Kind` says everything the rest of the program needs to know about one kind of record:

- its TOML table (``[[states]]``) and its typed class (:mod:`csto_tui.model`);
- its fields (:class:`Field`): type, required, choices, which kinds an id refers to, which
  fields cite quotes, nested tables (a state's ``[[states.membership]]``);
- the rules a field list cannot say (:attr:`Kind.check`: a span may not end before it starts);
- how a record is titled, described, searched, put in a briefing and exported.

The loader's one validator (:mod:`csto_tui.loader`), the cache, search, the exports and the
panes read this registry; none of them lists the kinds again. The kinds the program ships are
declared in :mod:`csto_tui.schema` (their rules in :mod:`csto_tui.rules`), registered when this
module is first imported. To add a kind, declare it with :func:`register` (see
``docs/architecture.md``; ``tests/test_records.py`` adds one in a test).

Plain Python: this module never imports textual.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from .values import _set, _Value

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


class Field(_Value):
    """One field of a record kind, as written in TOML."""

    __slots__ = _fields = ("key", "type", "required", "choices", "refs", "dangling", "ref_message",
                           "attr", "default", "of", "also", "parse")

    key: str
    type: str
    #: absent is an error; for ``str``, blank is too
    required: bool
    #: the only values allowed (``str``)
    choices: tuple[str, ...] | None
    #: kinds whose ids this field holds (``str`` or ``strs``); checked across every file
    refs: tuple[str, ...]
    #: what happens to a reference to a record that was declared but failed validation:
    #: ``keep`` it, ``filter`` it out of the list, or ``drop`` the whole record (silently:
    #: the failed record was reported)
    dangling: str
    #: message for an unknown reference; ``{value!r}`` is the reference
    ref_message: str
    #: the attribute of the record class (default: ``key``)
    attr: str
    #: value when absent (default: the type's empty value: "", (), None)
    default: Any
    #: the nested kind of a ``tables`` field
    of: Kind | None
    #: values a referring field also accepts without naming a record (``author``)
    also: tuple[str, ...]
    #: a one-line parser for a ``str`` field (an ISO 4217 code, a URL...): returns the value
    #: or raises ``ValueError`` with the message to report
    parse: Callable[[str], str] | None

    def __init__(
        self,
        key: str,
        type: str = "str",
        required: bool = False,
        choices: tuple[str, ...] | None = None,
        refs: tuple[str, ...] = (),
        dangling: str = "keep",
        ref_message: str = "",
        attr: str = "",
        default: Any = None,
        of: Kind | None = None,
        also: tuple[str, ...] = (),
        parse: Callable[[str], str] | None = None,
    ) -> None:
        _set(self, "key", key)
        _set(self, "type", type)
        _set(self, "required", required)
        _set(self, "choices", choices)
        _set(self, "refs", refs)
        _set(self, "dangling", dangling)
        _set(self, "ref_message", ref_message)
        _set(self, "attr", attr)
        _set(self, "default", default)
        _set(self, "of", of)
        _set(self, "also", also)
        _set(self, "parse", parse)

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


class Kind(_Value):
    """One kind of record: its table, class, fields and how it is shown."""

    __slots__ = _fields = ("name", "table", "cls", "fields", "has_id", "needs_quote", "check",
                           "title", "describe", "word", "search", "search_title", "passage",
                           "briefing", "sort_key", "export", "details")

    #: one word, singular: what the kind is called everywhere (``state``)
    name: str
    #: the TOML array of tables (``states`` for ``[[states]]``); for a nested kind, the
    #: parent's key (``membership``)
    table: str
    cls: type[_Value]
    fields: tuple[Field, ...]
    #: whether records have an ``id`` (every kind but ``uncited`` does)
    has_id: bool
    #: a record must cite at least one quote (in any of its citing fields, nested ones too)
    needs_quote: bool
    #: rules beyond the fields: ``check(values, error)`` with the validated values by
    #: attribute; ``error(code, message, field)`` reports; return False to leave the record out
    check: Callable[[dict[str, Any], Callable[..., None]], bool] | None
    #: a short title (``Kazakhstan``, ``5 Jan 2022 Protests``)
    title: Callable[[Dataset, Any], str]
    #: one line saying what the record is
    describe: Callable[[Dataset, Any], str]
    #: what one record is called where kinds are listed together ("cited by": a state, an
    #: organization...); default: the kind's name
    word: Callable[[Any], str] | None
    #: what search finds it by (empty: not searched); the first unit is the record's main one
    search: tuple[SearchUnit, ...]
    #: a search hit's (title, context line), given ``names`` (ids of named records -> names)
    #: and ``sources`` (source ids -> titles) (default: the id, and nothing)
    search_title: Callable[[Any, Mapping[str, str], Mapping[str, str]], tuple[str, str]] | None
    #: records are passages of a source (``source`` and an anchor: search locates them)
    passage: bool
    #: the title of a section of a state's briefing listing the records that name the state
    #: (by a field referring to states); empty: not in briefings (states, metrics and events
    #: have their own sections)
    briefing: str
    #: order of records in exports and lists (default: as written)
    sort_key: Callable[[Any], Any] | None
    #: the JSON export of one record (default: every field, see :func:`to_json`)
    export: Callable[[Dataset, Any], dict[str, Any]] | None
    #: what the record says, line by line, as the Sources pane, the briefing and both exports
    #: show it (:mod:`csto_tui.details`); None: nothing beyond its title
    details: Callable[[Dataset, Any], list[Detail]] | None

    def __init__(
        self,
        name: str,
        table: str,
        cls: type[_Value],
        fields: tuple[Field, ...],
        has_id: bool = True,
        needs_quote: bool = False,
        check: Callable[[dict[str, Any], Callable[..., None]], bool] | None = None,
        title: Callable[[Dataset, Any], str] = lambda ds, r: getattr(r, "id", ""),
        describe: Callable[[Dataset, Any], str] = lambda ds, r: "",
        word: Callable[[Any], str] | None = None,
        search: tuple[SearchUnit, ...] = (),
        search_title: Callable[[Any, Mapping[str, str], Mapping[str, str]], tuple[str, str]]
        | None = None,
        passage: bool = False,
        briefing: str = "",
        sort_key: Callable[[Any], Any] | None = None,
        export: Callable[[Dataset, Any], dict[str, Any]] | None = None,
        details: Callable[[Dataset, Any], list[Detail]] | None = None,
    ) -> None:
        _set(self, "name", name)
        _set(self, "table", table)
        _set(self, "cls", cls)
        _set(self, "fields", fields)
        _set(self, "has_id", has_id)
        _set(self, "needs_quote", needs_quote)
        _set(self, "check", check)
        _set(self, "title", title)
        _set(self, "describe", describe)
        _set(self, "word", word)
        _set(self, "search", search)
        _set(self, "search_title", search_title)
        _set(self, "passage", passage)
        _set(self, "briefing", briefing)
        _set(self, "sort_key", sort_key)
        _set(self, "export", export)
        _set(self, "details", details)

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


#: nested kinds by name (their checks look them up: they are never registered)
_NESTED: dict[str, Kind] = {}


def register_nested(*nested: Kind) -> None:
    """Name nested kinds (a span, a figure of a series...), so that rules find them by name."""
    _NESTED.update((k.name, k) for k in nested)


def declared(name: str) -> Kind:
    """A registered kind or a nested one, by name."""
    return _KINDS.get(name) or _NESTED[name]


# The kinds the program ships register themselves when their module is imported: importing it
# here makes the registry complete wherever it is read. (``schema`` imports this module first,
# so everything above is defined by then.)
from . import schema as _schema  # noqa: E402, F401
