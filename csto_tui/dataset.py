"""The dataset: every record of every kind (one file or a folder of files), with its anchors
and the text of its sources, and the lookups the program asks it (``get``, ``quotes_of``,
``citers``, ``records_of``, ``file_of``, ``relations_of``, ``links_to``...), each index built
lazily, once.

Plain Python: this module never imports textual.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .facts import When
from .model import (
    Anchor,
    Conflict,
    Entity,
    Event,
    Link,
    Metric,
    Quote,
    Relation,
    Source,
    State,
    Uncited,
)
from .values import _set, _Value
from .vocabulary import STATE_STATUSES


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
                 more: Mapping[str, tuple[Any, ...]]
                 | Iterable[tuple[str, tuple[Any, ...]]] | None = None,
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
        # by kind name, or as the dataset keeps them (pairs): what ``replace`` passes back
        _set(self, "more", tuple(dict(more or {}).items()))
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
        from . import records, schema

        table = records.kind(kind).table
        if kind in schema.BUILTIN:
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


# --------------------------------------------------------------------------------------------
# facts only: what the dashboard, the briefing and the exports show with claims left out


def facts_only(ds: Dataset) -> Dataset:
    """The dataset without what is not a reported fact: records, nested records (spans,
    quantities, series figures...) and attributed fields whose ``stance`` is not ``fact``.
    Reported facts stay, "according to X" included (docs/dataset.md, "Facts only")."""
    from .records import Kind, kinds
    from .schema import ATTRIBUTION, BUILTIN

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
    return Dataset(
        path=ds.path, root=ds.root, title=ds.title,
        sources=kept["source"], quotes=kept["quote"], states=kept["state"],
        metrics=kept["metric"], events=kept["event"], entities=kept["entity"],
        conflicts=kept["conflict"], uncited=kept["uncited"], anchors=ds.anchors,
        texts=ds.texts, more={n: v for n, v in kept.items() if n not in BUILTIN and v},
        files=ds.files, owners=ds.owners)
