"""How each record kind is searched: its fields (with their band and weight), its title and
context line, as the registry of record kinds declares them (``Kind.search``,
``Kind.search_title`` in :mod:`csto_tui.records`). The index walks :func:`search_kinds` in
order; nothing in the package knows a kind by its class.

A field is a :data:`Unit`: ``(band, weight, label, text, main)``. ``band`` is
:data:`BAND_NAME` for names and aliases (which also get the :mod:`names` variants), else
:data:`BAND_FIELD` or, for the quotes, :data:`BAND_QUOTE`; ``weight`` (1-5) says how telling a
match in the field is; ``main`` marks the field the record's title shows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any

from .. import records
from ..textsafe import clip
from ..values import _set, _Value
from .names import variants_of

__all__ = ["BAND_NAME", "BAND_FIELD", "BAND_QUOTE", "Unit", "SearchKind", "SEARCH_KINDS",
           "search_kinds", "clip"]

BAND_NAME, BAND_FIELD, BAND_QUOTE = 0, 1, 2
Unit = tuple[int, int, str, str, bool]  # band, weight, label, text, main
Names = Mapping[str, str]  # record id -> name, for the records a record refers to


class SearchKind(_Value):
    """One searchable record kind."""

    __slots__ = _fields = ("name", "records", "units", "title", "named", "located")
    #: the kind a hit reports ("state")
    name: str
    #: the records of this kind in a dataset
    records: Callable[[Any], Sequence[Any]]
    #: the searchable fields of one record
    units: Callable[[Any, Names], list[Unit]]
    #: (title, context line) of a hit on one record; the third argument: source id -> title
    title: Callable[[Any, Names, Mapping[str, str]], tuple[str, str]]
    #: records of this kind are named (their names resolve references and find aliases)
    named: bool
    #: records of this kind are passages of a source (``obj.source``, located in its text)
    located: bool

    def __init__(self, name: str, records: Callable[[Any], Sequence[Any]],
                 units: Callable[[Any, Names], list[Unit]],
                 title: Callable[[Any, Names, Mapping[str, str]], tuple[str, str]],
                 named: bool = False, located: bool = False) -> None:
        _set(self, "name", name)
        _set(self, "records", records)
        _set(self, "units", units)
        _set(self, "title", title)
        _set(self, "named", named)
        _set(self, "located", located)


_BANDS = {records.BAND_NAME: BAND_NAME, records.BAND_FIELD: BAND_FIELD,
          records.BAND_QUOTE: BAND_QUOTE}


#: a kind's ``Kind.search`` as :func:`_units` reads it: (band, weight, label, text of a record,
#: whether it is the main unit)
_Spec = tuple[tuple[int, int, str, Callable[[Any, Names], Any], bool], ...]


def _spec(kind: records.Kind) -> _Spec:
    return tuple((_BANDS[band], weight, label, text_of, i == 0)
                 for i, (band, weight, label, text_of) in enumerate(kind.search))


def _units(spec: _Spec, obj: Any, names: Names) -> list[Unit]:
    """The fields of a record as its kind declares them (``records.Kind.search``, read by
    :func:`_spec`); names and aliases are followed by the variants people type for them
    (:mod:`names`)."""
    units: list[Unit] = []
    named: list[str] = []
    last_name = -1
    for b, weight, label, text_of, main in spec:
        text = text_of(obj, names)
        if isinstance(text, str):
            units.append((b, weight, label, text, main))
            if b == BAND_NAME:
                named.append(text)
                last_name = len(units)
        else:  # several texts (aliases): none is the main unit
            texts = tuple(text)
            units += [(b, weight, label, t, False) for t in texts]
            if b == BAND_NAME:
                named += texts
                last_name = len(units)
    if named:
        variants = variants_of(tuple(named))
        if variants:
            units[last_name:last_name] = [(BAND_NAME, 4, "alias", v, False) for v in variants]
    return units


def _title(kind: records.Kind, obj: Any, names: Names, sources: Mapping[str, str]
           ) -> tuple[str, str]:
    if kind.search_title is not None:
        return kind.search_title(obj, names, sources)
    return clip(str(getattr(obj, "id", ""))), ""


def search_kinds() -> tuple[SearchKind, ...]:
    """Every kind of the registry (:mod:`csto_tui.records`) that declares what it is searched
    by: named kinds first (their names are known before the others refer to them), passages of
    the sources (quotes) last."""
    out = [SearchKind(k.name, partial(_records_of, k.name), partial(_units, _spec(k)),
                      partial(_title, k), named=any(u[0] == records.BAND_NAME for u in k.search),
                      located=k.passage)
           for k in records.kinds() if k.search]
    return tuple(sorted(out, key=lambda s: (not s.named, s.located)))


def _records_of(name: str, ds: Any) -> Sequence[Any]:
    return ds.records_of(name)


#: The searchable kinds when this module was imported (a kind registered later is searched
#: too: :class:`~csto_tui.search.SearchIndex` asks :func:`search_kinds` when it is built).
SEARCH_KINDS: tuple[SearchKind, ...] = search_kinds()
