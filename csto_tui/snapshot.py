"""Compiled snapshots of a validated dataset, keyed by the files' bytes (no textual).

Loading a big dataset is mostly turning TOML into checked records: 46 MB of TOML at 1000x the
shipped data take 7.5 s to parse (tomllib is pure Python) and another 1.5 s to validate. Both
depend only on the bytes of the file (and on its path, which messages name), so the outcome is
kept: every record as a flat tuple of plain values, and every problem found, stored with
``marshal`` (which reloads tuples of strings far faster than pickle reloads objects) in the
cache folder of :mod:`csto_tui.cache`. A later load of the same bytes rebuilds the records
straight from the tuples, without parsing or validating again; an edited file has other bytes,
hence another key, so a snapshot can never be served stale. The key is the bytes alone (not
the file's name, which is put back into messages on reading): a copy of a dataset is warm.

What depends on the disk rather than on the file's bytes (reading each source document, its
path being inside the dataset's folder) is never kept: the loader does it again on every load.

The anchors file has its own snapshot, keyed by its own bytes: ``sync`` rewrites it without
touching the dataset, and writes the snapshot of what it wrote, so the next load is warm.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from . import cache
from .errors import Problem
from .model import (
    Anchor,
    Conflict,
    Entity,
    Event,
    Metric,
    PartialDate,
    Quote,
    Reading,
    Span,
    State,
    Uncited,
)

#: Bump when the layout of a snapshot or of a record changes: old snapshots are then ignored.
VERSION = b"csto-snapshot-8"

Records = tuple[
    tuple[Quote, ...], tuple[Entity, ...], tuple[State, ...], tuple[Metric, ...],
    tuple[Event, ...], tuple[Conflict, ...], tuple[Uncited, ...],
]


# ---- problems ------------------------------------------------------------------------------

def _problem_row(p: Problem, path: str) -> tuple[Any, ...]:
    # The file's own name is left out (None), so that a copy of the file elsewhere, with the
    # same bytes, uses the same snapshot and names itself in its messages.
    return (p.code, p.message, None if p.file == path else p.file, p.line, p.column, p.record,
            p.field, p.severity)


def _problems(rows: Any, path: str) -> list[Problem]:
    return [Problem(c, m, path if f is None else f, ln, col, rec, fld, sev)
            for c, m, f, ln, col, rec, fld, sev in rows]


# ---- records -------------------------------------------------------------------------------

def encode_records(recs: Records) -> tuple[Any, ...]:
    """Every record kind as columns: one list per field, of plain values (strings, numbers,
    tuples, None). Columns, not a tuple per record: reading them back then creates no
    temporary object per record (100,000s at 1000x, whose freed memory would stay with the
    process), and each column is one block that is returned whole when freed.

    Equal strings and dates are made one object (``c``), so that marshal writes each once and
    reads it back as one shared object: a quote id cited by ten records, a measure or a
    category that many records share, cost memory once."""
    canon: dict[Any, Any] = {}
    c = canon.setdefault

    def ids(values: Any) -> list[Any]:
        return [c(x, x) for x in values]

    def cites(values: Any) -> list[tuple[str, ...]]:
        return [tuple([c(x, x) for x in t]) if t else () for t in values]

    def d(date: PartialDate | None) -> Any:
        if date is None:
            return None
        row = (date.year, date.month, date.day)
        return c(row, row)

    quotes, entities, states, metrics, events, conflicts, uncited = recs
    return (
        [ids(q.id for q in quotes), ids(q.source for q in quotes), ids(q.text for q in quotes),
         ids(q.note for q in quotes)],
        [ids(e.id for e in entities), ids(e.kind for e in entities),
         ids(e.name for e in entities), [tuple(ids(e.aliases)) for e in entities],
         ids(e.summary for e in entities), cites(e.quotes for e in entities)],
        [ids(st.id for st in states), ids(st.name for st in states),
         ids(st.status for st in states), [tuple(ids(st.aliases)) for st in states],
         ids(st.role for st in states),
         [tuple((c(sp.kind, sp.kind), d(sp.start), d(sp.end), tuple(ids(sp.quotes)),
                 c(sp.note, sp.note))
                for sp in st.membership) for st in states],
         cites(st.quotes for st in states)],
        [ids(m.id for m in metrics), ids(m.state for m in metrics),
         ids(m.category for m in metrics), ids(m.measure for m in metrics),
         [m.value for m in metrics], ids(m.unit for m in metrics), [m.year for m in metrics],
         ids(m.qualifier for m in metrics), [m.present for m in metrics],
         ids(m.counterpart for m in metrics), ids(m.detail for m in metrics),
         cites(m.quotes for m in metrics)],
        [ids(e.id for e in events), [d(e.date) for e in events], ids(e.title for e in events),
         ids(e.response for e in events), ids(e.summary for e in events),
         cites(e.states for e in events), cites(e.actors for e in events),
         ids(e.category for e in events), cites(e.quotes for e in events)],
        [(cf.id, cf.topic, cf.records, tuple((r.quote, r.says) for r in cf.readings), cf.note)
         for cf in conflicts],
        [(u.source, u.text, u.reason) for u in uncited],
    )


def decode_records(cols: Any) -> Records:
    q_cols, e_cols, s_cols, m_cols, ev_cols, c_rows, u_rows = cols
    dates: dict[Any, PartialDate] = {}

    def date(t: Any) -> PartialDate:
        pd = dates.get(t)
        if pd is None:
            pd = dates[t] = PartialDate(*t)
        return pd

    s_ids, s_names, s_statuses, s_aliases, s_roles, s_spans, s_quotes = s_cols
    spans = [tuple(Span(kind, date(a), date(b) if b is not None else None, sqs, note)
                   for kind, a, b, sqs, note in row) if row else () for row in s_spans]
    ev_ids, ev_dates, *ev_rest = ev_cols
    return (
        tuple(map(Quote, *q_cols)),
        tuple(map(Entity, *e_cols)),
        tuple(map(State, s_ids, s_names, s_statuses, s_aliases, s_roles, spans, s_quotes)),
        tuple(map(Metric, *m_cols)),
        tuple(map(Event, ev_ids, [date(t) for t in ev_dates], *ev_rest)),
        tuple(Conflict(cid, topic, recs, tuple(Reading(*r) for r in readings), note)
              for cid, topic, recs, readings, note in c_rows),
        tuple(Uncited(*r) for r in u_rows),
    )


# ---- the dataset file -----------------------------------------------------------------------

class DatasetSnapshot:
    """What validating one dataset file found, apart from reading its source documents.

    ``before`` are the problems found before the sources (the [dataset] table, unknown keys),
    ``sources`` the raw ``sources`` value (re-checked on every load: it names files on disk),
    ``source_ids`` the sources that were kept then (a snapshot is used only if the same are
    kept now), ``after`` the problems of every other record and ``tail`` those of the checks
    over the whole dataset, which the loader reports after the anchors file's. ``layout``
    is where each table starts in a sound big file (see :mod:`csto_tui.incremental`), or None.
    """

    __slots__ = ("title", "base", "before", "sources", "source_ids", "records", "after",
                 "tail", "layout")

    def __init__(self, title: str, base: str, before: list[Problem], sources: dict[str, Any],
                 source_ids: list[str], records: Records, after: list[Problem],
                 tail: list[Problem], layout: Any = None) -> None:
        self.title = title
        self.base = base
        self.before = before
        self.sources = sources
        self.source_ids = source_ids
        self.records = records
        self.after = after
        self.tail = tail
        self.layout = layout


def read_dataset(path: str, key: bytes) -> DatasetSnapshot | None:
    """The snapshot of the dataset file ``path`` whose content key (:mod:`csto_tui.cache`) is
    ``key``, or None."""
    found = read_blob(key)
    return from_blob(path, found[0]) if found is not None else None


# ---- changes to an earlier version (csto_tui.incremental) ----------------------------------
#
# After an edit validated from what changed, the new version's snapshot is stored as the
# change to the previous version's (a few records and table offsets): writing 25 MB of
# snapshot again for one edited record would take a sixth of the time of ``check`` at 1000x
# the shipped data. Reading a version applies the changes in turn to the last one stored in
# full; after MAX_CHAIN changes in a row a version is stored in full again. If an earlier
# version was pruned from the cache, the later ones are simply not found (the file is then
# validated in full). The bytes of each version are kept whole, as a copy of the file.

#: Versions stored as changes in a row before one is stored in full again. Reading a change
#: costs a few milliseconds (lists sliced, nothing shifted); storing a version in full ~0.3-0.7 s
#: at 1000x the shipped data.
MAX_CHAIN = 12

#: (first table, last table + 1, the new tables' lengths in bytes, their kinds, bytes added to
#: the table before them, [(record kind's column index, first record, last record + 1, the
#: new records' columns)])
Patch = tuple[int, int, list[int], str, int, list[tuple[int, int, int, list[Any]]]]


def apply_patch(blob: tuple[Any, ...], patch: Patch) -> tuple[Any, ...]:
    """The stored snapshot of a version, from its previous version's and the change."""
    j0, j1, new_lengths, codes, lead, spliced = patch
    cols = list(blob[5])
    for k, i0, i1, added in spliced:
        cols[k] = [col[:i0] + fresh + col[i1:] for col, fresh in zip(cols[k], added, strict=True)]
    first, lengths, kinds = blob[8]
    lengths = lengths[:j0] + new_lengths + lengths[j1:]
    if j0 > 0:
        lengths[j0 - 1] += lead  # blank lines or comments put in at the end of that table
    else:
        first += lead
    out = list(blob)
    out[5] = cols
    out[8] = (first, lengths, kinds[:j0] + codes + kinds[j1:])
    return tuple(out)


def read_blob(key: bytes) -> tuple[tuple[Any, ...], int] | None:
    """(the stored snapshot of the dataset version ``key``, how many changes were applied to
    get it), or None."""
    chain: list[Any] = []
    at = key
    while True:
        blob = cache.get(VERSION + b"dataset", at)
        if blob is not None:
            break
        found = _change(at)
        if found is None or len(chain) > MAX_CHAIN:
            return None
        at, patch = found
        chain.append(patch)
    try:
        for patch in reversed(chain):
            blob = apply_patch(blob, patch)
    except Exception:  # a damaged or foreign entry: only a cache
        return None
    return blob, len(chain)


def _change(key: bytes) -> tuple[bytes, Any] | None:
    """(the base version's key, the patch) stored for version ``key``, or None (none, or a
    damaged entry)."""
    change = cache.get(VERSION + b"dataset-change", key)
    if type(change) is not tuple or len(change) != 2 or type(change[0]) is not bytes:
        return None
    return change[0], change[1]


def put_change(key: bytes, base: bytes, patch: Patch) -> None:
    """Store the snapshot of version ``key`` as the change to version ``base``'s."""
    cache.put(VERSION + b"dataset-change", key, (base, patch))


def put_bytes(key: bytes, path: str, raw: bytes) -> None:
    """Keep the bytes of a dataset version in full, read from ``path`` (a verified copy of the
    file; the next edit is compared with them)."""
    from pathlib import Path

    cache.put_copy(VERSION + b"bytes", key, Path(path), raw)


def put_bytes_change(key: bytes, base: bytes, start: int, end: int, new: bytes) -> None:
    """Keep the bytes of version ``key`` as those of version ``base`` (kept in full) with
    ``[start:end]`` replaced by ``new``: a few bytes, where a copy of a 46 MB file, verified,
    costs 0.15-0.25 s of a ``check`` right after the file was written."""
    cache.put(VERSION + b"bytes-change", key, (base, start, end, new))


def read_bytes_and_base(key: bytes) -> tuple[bytes, bytes, bytes] | None:
    """(the bytes of version ``key``, the key of the version kept in full they derive from,
    that version's bytes), or None."""
    raw = cache.get_copy(VERSION + b"bytes", key)
    if raw is not None:
        return raw, key, raw
    change = cache.get(VERSION + b"bytes-change", key)
    if type(change) is not tuple or len(change) != 4:
        return None
    base, start, end, new = change
    if type(base) is not bytes or type(start) is not int or type(end) is not int \
            or type(new) is not bytes:
        return None
    whole = cache.get_copy(VERSION + b"bytes", base)
    if whole is None or not 0 <= start <= end <= len(whole):
        return None
    return whole[:start] + new + whole[end:], base, whole


def from_blob(path: str, blob: Any) -> DatasetSnapshot | None:
    """A snapshot from its stored form (None for nothing, or for a damaged entry)."""
    if blob is None:
        return None
    try:
        title, base, before, sources, source_ids, rows, after, tail, layout = blob
        return DatasetSnapshot(title, base, _problems(before, path), sources, source_ids,
                               decode_records(rows), _problems(after, path),
                               _problems(tail, path), layout)
    except Exception:  # a damaged or foreign entry (only a cache): validate the file again
        return None


def has_dataset(key: bytes) -> bool:
    """Whether a snapshot of the dataset file with this content key is in the cache: stored
    in full, or as changes to one stored in full (the chain is followed, not applied: a
    version whose chain start was pruned would be validated in full, not quickly)."""
    at = key
    for _ in range(MAX_CHAIN + 2):
        if cache.has(VERSION + b"dataset", at):
            return True
        found = _change(at)
        if found is None:
            return False
        at = found[0]
    return False


def write_dataset(path: str, key: bytes, snap: DatasetSnapshot) -> None:
    """Store the snapshot of the dataset file ``path`` whose content key is ``key``."""
    put_blob(key, (
        snap.title, snap.base, [_problem_row(p, path) for p in snap.before], snap.sources,
        snap.source_ids, encode_records(snap.records),
        [_problem_row(p, path) for p in snap.after], [_problem_row(p, path) for p in snap.tail],
        snap.layout))


def put_blob(key: bytes, blob: tuple[Any, ...]) -> None:
    """Store a dataset snapshot already in its stored form."""
    cache.put(VERSION + b"dataset", key, blob)


# ---- the anchors file ------------------------------------------------------------------------

def read_anchors(path: str, key: bytes, quotes: Iterable[Quote] = ()
                 ) -> tuple[dict[str, Anchor], list[Problem]] | None:
    """The anchors of the anchors file ``path`` (content key ``key``), sharing the quotes'
    strings (:func:`anchors_from_columns`), and its problems; None if not kept."""
    blob = cache.get(VERSION + b"anchors", key)
    if blob is None:
        return None
    try:
        cols, problems = blob
        return anchors_from_columns(cols, quotes), _problems(problems, path)
    except Exception:  # a damaged or foreign entry (only a cache): validate the file again
        return None


def anchor_columns(anchors: dict[str, Anchor]) -> list[list[Any]]:
    """The anchors as columns (one list per field), every equal string one object."""
    canon: dict[str, str] = {}
    c = canon.setdefault
    rows = anchors.values()
    return [[c(a.quote, a.quote) for a in rows], [c(a.source, a.source) for a in rows],
            [a.exact for a in rows], [c(a.prefix, a.prefix) for a in rows],
            [c(a.suffix, a.suffix) for a in rows], [a.start for a in rows],
            [a.end for a in rows], [c(a.review, a.review) for a in rows],
            [c(a.found, a.found) for a in rows], [a.found_start for a in rows],
            [a.found_end for a in rows], [c(a.text_key, a.text_key) for a in rows]]


def anchors_from_columns(cols: list[Any], quotes: Iterable[Quote] = ()) -> dict[str, Anchor]:
    """The anchors of ``cols``, by quote id, holding their quote's own id, source and text
    where equal: the anchors file repeats every quote verbatim (a quarter of the memory of a
    big dataset otherwise). Substituted in the columns, before the anchors are made."""
    by_id = {q.id: q for q in quotes}
    if by_id:
        qs = [by_id.get(qid) for qid in cols[0]]
        cols = [
            [q.id if q is not None else i for q, i in zip(qs, cols[0], strict=True)],
            [q.source if q is not None and q.source == x else x
             for q, x in zip(qs, cols[1], strict=True)],
            [q.text if q is not None and q.text == x else x
             for q, x in zip(qs, cols[2], strict=True)],
            *cols[3:]]
    return dict(zip(cols[0], map(Anchor, *cols), strict=True))


def write_anchors(path: str, raw: bytes, cols: list[list[Any]], problems: list[Problem]
                  ) -> None:
    """Keep the anchors file's columns (:func:`anchor_columns`) and problems, under the key
    of its bytes ``raw``."""
    cache.put(VERSION + b"anchors", cache.content_key(raw),
              (cols, [_problem_row(p, path) for p in problems]))
