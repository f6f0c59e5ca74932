"""How each record kind is searched: its fields (with their band and weight), its title and
context line. The index walks :data:`SEARCH_KINDS` in order; nothing else in the package knows
a kind by its class.

A field is a :data:`Unit`: ``(band, weight, label, text, main)``. ``band`` is
:data:`BAND_NAME` for names and aliases (which also get the :mod:`names` variants), else
:data:`BAND_FIELD` or, for the quotes, :data:`BAND_QUOTE`; ``weight`` (1-5) says how telling a
match in the field is; ``main`` marks the field the record's title shows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..model import RESPONSE_LABELS, STATUS_LABELS
from .names import variants_of

__all__ = ["BAND_NAME", "BAND_FIELD", "BAND_QUOTE", "Unit", "SearchKind", "SEARCH_KINDS",
           "clip"]

BAND_NAME, BAND_FIELD, BAND_QUOTE = 0, 1, 2
Unit = tuple[int, int, str, str, bool]  # band, weight, label, text, main
Names = Mapping[str, str]  # record id -> name, for the records a record refers to


def clip(s: str, n: int = 100) -> str:
    """``s`` on one line, cut at a space before ``n`` characters (with an ellipsis)."""
    s = " ".join(s.split())
    if len(s) <= n:
        return s
    cut = s.rfind(" ", 0, n)
    if cut < n // 2:
        cut = n
    return s[:cut].rstrip(" ,;:") + "\u2026"


@dataclass(frozen=True)
class SearchKind:
    """One searchable record kind."""

    #: the kind a hit reports ("state")
    name: str
    #: the records of this kind in a dataset
    records: Callable[[Any], Sequence[Any]]
    #: the searchable fields of one record
    units: Callable[[Any, Names], list[Unit]]
    #: (title, context line) of a hit on one record; the third argument: source id -> title
    title: Callable[[Any, Names, Mapping[str, str]], tuple[str, str]]
    #: records of this kind are named (their names resolve references and find aliases)
    named: bool = False
    #: records of this kind are passages of a source (``obj.source``, located in its text)
    located: bool = False


def _named_units(obj: Any) -> list[Unit]:
    units: list[Unit] = [(BAND_NAME, 5, "name", obj.name, True)]
    units += [(BAND_NAME, 4, "alias", a, False) for a in obj.aliases]
    units += [(BAND_NAME, 4, "alias", v, False) for v in variants_of((obj.name, *obj.aliases))]
    return units


def _state_units(s: Any, names: Names) -> list[Unit]:
    units = _named_units(s)
    units.append((BAND_FIELD, 3, "role", s.role, False))
    units.append((BAND_FIELD, 1, "status", f"{s.status} {STATUS_LABELS.get(s.status, '')}",
                  False))
    for span in s.membership:
        end = span.end.iso() if span.end else "now"
        units.append((BAND_FIELD, 3, "membership",
                      f"{span.label()} ({span.start.iso()}-{end}) {span.note}", False))
    return units


def _state_title(s: Any, names: Names, sources: Mapping[str, str]) -> tuple[str, str]:
    return s.name, STATUS_LABELS.get(s.status, s.status) + (f" \u2014 {s.role}" if s.role
                                                             else "")


def _entity_units(e: Any, names: Names) -> list[Unit]:
    units = _named_units(e)
    units.append((BAND_FIELD, 3, "summary", e.summary, False))
    units.append((BAND_FIELD, 1, "kind", e.kind, False))
    return units


def _entity_title(e: Any, names: Names, sources: Mapping[str, str]) -> tuple[str, str]:
    return e.name, e.kind + (f" \u2014 {e.summary}" if e.summary else "")


def _event_units(ev: Any, names: Names) -> list[Unit]:
    involved = " ".join(names.get(x, x) for x in (*ev.states, *ev.actors))
    return [
        (BAND_FIELD, 5, "title", ev.title, True),
        (BAND_FIELD, 3, "summary", ev.summary, False),
        (BAND_FIELD, 4, "date", f"{ev.date.iso()} {ev.date.display()}", False),
        (BAND_FIELD, 1, "category",
         f"{ev.category} {ev.response} {RESPONSE_LABELS.get(ev.response, '')}", False),
        (BAND_FIELD, 2, "involves", involved, False),
    ]


def _event_title(ev: Any, names: Names, sources: Mapping[str, str]) -> tuple[str, str]:
    return (f"{ev.date.iso()} {ev.title}",
            f"{RESPONSE_LABELS.get(ev.response, ev.response)} \u2014 {ev.summary}")


def _metric_units(m: Any, names: Names) -> list[Unit]:
    return [
        (BAND_FIELD, 5, "measure", m.measure, True),
        (BAND_FIELD, 3, "detail", m.detail, False),
        (BAND_FIELD, 4, "value", f"{m.value_text()} {m.year if m.year is not None else ''}",
         False),
        (BAND_FIELD, 2, "state",
         f"{names.get(m.state, m.state)} {names.get(m.counterpart, m.counterpart)}", False),
        (BAND_FIELD, 1, "category", m.category, False),
    ]


def _metric_title(m: Any, names: Names, sources: Mapping[str, str]) -> tuple[str, str]:
    title = (f"{names.get(m.state, m.state)}: {m.measure} \u2014 {m.value_text()}"
             + (f" ({m.year})" if m.year else ""))
    return title, m.detail or m.category


def _quote_units(q: Any, names: Names) -> list[Unit]:
    return [(BAND_QUOTE, 5, "quote", q.text, True), (BAND_QUOTE, 1, "note", q.note, False)]


def _quote_title(q: Any, names: Names, sources: Mapping[str, str]) -> tuple[str, str]:
    return clip(q.text, 100), sources.get(q.source, q.source)


#: Every searchable kind, named kinds first (their names are known before the others refer
#: to them).
SEARCH_KINDS: tuple[SearchKind, ...] = (
    SearchKind("state", lambda ds: ds.states, _state_units, _state_title, named=True),
    SearchKind("entity", lambda ds: ds.entities, _entity_units, _entity_title, named=True),
    SearchKind("event", lambda ds: ds.events, _event_units, _event_title),
    SearchKind("metric", lambda ds: ds.metrics, _metric_units, _metric_title),
    SearchKind("quote", lambda ds: ds.quotes, _quote_units, _quote_title, located=True),
)
