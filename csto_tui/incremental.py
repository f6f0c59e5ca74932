"""Validating a big dataset again after an edit, from the part that changed (no textual).

An analyst fixes one quote in a 46 MB dataset and runs ``check``: parsing and validating the
whole file again takes seconds, although one table changed. So the snapshot of a sound dataset
(:mod:`csto_tui.snapshot`) also keeps its *layout*: where each top-level table starts in the
file's bytes and which kind of record it holds. With the bytes of that version kept too, the
next load compares old and new bytes, widens the difference to whole tables, parses only the
new tables (:func:`csto_tui.tomlchunks.array_tables`), validates them with the loader's own
checks against the rest of the dataset, and splices them into the old snapshot's columns.

Nothing here is trusted that a full validation could answer differently. The incremental way
is taken only when all of this holds, otherwise the loader validates the whole file as before:

- the old snapshot found no problem at all, and recorded its layout (its cut was checked);
- what changed lies within record tables (quotes, entities, states, metrics, events), not the
  comments before the first table, ``[dataset]``, sources, conflicts or uncited passages;
- the new text there is a run of whole ``[[kind]]`` tables (after blank lines or comments,
  if any), each of which parses on its own and ends its line before the next table;
- every new record passes the loader's strict checks (``_fast_*``) with the ids and references
  of the whole new dataset: unique id, known fields, cited quotes, states and entities exist;
- no quote, state or entity disappeared (others may cite it), no record a conflict names;
- names and aliases of states and entities still clash nowhere.

Then the full validation would find no problem either, and the same records in the same
order: the result is the same, only sooner. Tests compare the two on many kinds of edits.

The new version is kept as its change to the old one (:func:`csto_tui.snapshot.apply_patch`,
a few records and table lengths, not 25 MB of snapshot again; in full after
:data:`csto_tui.snapshot.MAX_CHAIN` changes in a row), and so are its bytes, for the next
comparison (the stretch that differs from the last version kept in full).
"""

from __future__ import annotations

import bisect
import itertools
from typing import Any

from . import cache, snapshot, tomlchunks

#: One letter per record kind in a layout; "x" marks any other table.
KINDS = {"quotes": "q", "entities": "e", "states": "s", "metrics": "m", "events": "v"}
#: Where each kind's columns sit in a snapshot's records.
_COLUMN = {"q": 0, "e": 1, "s": 2, "m": 3, "v": 4}

#: (byte offset of the first top-level table's header line, the length in bytes of every
#: table from its header line to the next one's, one letter per table: its kind)
Layout = tuple[int, list[int], str]

_BOM = b"\xef\xbb\xbf"


def layout(text: str, raw: bytes, cut: tomlchunks.Cut, records: snapshot.Records
           ) -> Layout | None:
    """The layout of a file that was parsed piece by piece at ``cut`` (text offsets) into
    ``records`` with no problem; None if it cannot be relied on."""
    if not cut:
        return None
    import tomllib

    first = cut[0][0]
    try:
        if not tomllib.loads(text[:first]).keys().isdisjoint(KINDS):
            return None  # records before the first table: new [[kind]] tables would clash
    except tomllib.TOMLDecodeError:
        return None
    kinds = "".join(KINDS.get(name, "x") if array else "x" for _, name, array in cut)
    for code, col in _COLUMN.items():
        if kinds.count(code) != len(records[col]):
            return None
    shift = len(_BOM) if raw.startswith(_BOM) else 0
    offsets = [start for start, _, _ in cut]
    if len(raw) != len(text) + shift:  # not all ASCII: count bytes piece by piece
        at = shift + len(text[:first].encode("utf-8", "surrogatepass"))
        ends = [*offsets[1:], len(text)]
        converted = []
        for start, end in zip(offsets, ends, strict=True):
            converted.append(at)
            at += len(text[start:end].encode("utf-8", "surrogatepass"))
        if at != len(raw):
            return None
        offsets = converted
    elif shift:
        offsets = [o + shift for o in offsets]
    # stored as lengths, not offsets: a change then shifts nothing after it
    ends = [*offsets[1:], len(raw)]
    return offsets[0], [end - start for start, end in zip(offsets, ends, strict=True)], kinds


def remember(path: str, key: bytes, raw: bytes) -> None:
    """Keep the bytes of the last sound version of the dataset at ``path`` (whose snapshot,
    stored in full under ``key``, has a layout): the next edit is compared with them."""
    snapshot.put_bytes(key, path, raw)
    cache.put(snapshot.VERSION + b"last", cache.path_key(path), key)


class Revision:
    """A new version of a dataset file validated from the tables that changed."""

    __slots__ = ("blob", "base", "chain", "patch", "whole_key", "whole")

    def __init__(self, blob: tuple[Any, ...], base: bytes, chain: int, patch: snapshot.Patch,
                 whole_key: bytes, whole: bytes) -> None:
        #: the new version's snapshot, as stored in full
        self.blob = blob
        #: the content key of the version it was made from, and how many changes that one is
        #: from a version stored in full
        self.base = base
        self.chain = chain
        #: the change to the base's snapshot
        self.patch = patch
        #: the last version whose bytes are kept in full, and those bytes
        self.whole_key = whole_key
        self.whole = whole


def store(path: str, key: bytes, raw: bytes, rev: Revision) -> None:
    """Keep the new version (content key ``key``, bytes ``raw``) for later loads and edits: as
    its changes to the base version, or in full after :data:`snapshot.MAX_CHAIN` changes. Its
    bytes likewise: as the stretch that differs from the last version kept in full, or in full
    with the snapshot."""
    if rev.chain + 1 > snapshot.MAX_CHAIN:
        snapshot.put_blob(key, rev.blob)
        remember(path, key, raw)
        return
    snapshot.put_change(key, rev.base, rev.patch)
    whole = rev.whole
    start = _common_prefix(whole, raw)
    suffix = _common_suffix(whole, raw, min(len(whole), len(raw)) - start)
    snapshot.put_bytes_change(key, rev.whole_key, start, len(whole) - suffix,
                              raw[start:len(raw) - suffix])
    cache.put(snapshot.VERSION + b"last", cache.path_key(path), key)


def _common_prefix(a: bytes, b: bytes) -> int:
    n = min(len(a), len(b))
    at, step = 0, 1 << 16
    while at < n:
        end = min(n, at + step)
        if a[at:end] != b[at:end]:
            lo, hi = at, end  # a[:lo] == b[:lo], a[:hi] != b[:hi]
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if a[lo:mid] == b[lo:mid]:
                    lo = mid
                else:
                    hi = mid
            return lo
        at, step = end, min(step * 2, 1 << 22)
    return n


def _common_suffix(a: bytes, b: bytes, limit: int) -> int:
    """Length of the common end of a and b, at most ``limit``."""
    la, lb = len(a), len(b)
    n, step = 0, 1 << 16
    while n < limit:
        m = min(limit, n + step)
        if a[la - m:la - n] != b[lb - m:lb - n]:
            lo, hi = n, m  # ends of length lo agree, of length hi do not
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if a[la - mid:la - lo] == b[lb - mid:lb - lo]:
                    lo = mid
                else:
                    hi = mid
            return lo
        n, step = m, min(step * 2, 1 << 22)
    return limit


def revalidate(path: str, raw: bytes) -> Revision | None:
    """The dataset file ``path``, whose bytes are now ``raw``, validated from the snapshot of
    its last sound version and the tables that changed since; None when that cannot be done
    with certainty (see the module's docstring)."""
    old_key = cache.get(snapshot.VERSION + b"last", cache.path_key(path))
    if type(old_key) is not bytes:
        return None
    found = snapshot.read_blob(old_key)
    kept = snapshot.read_bytes_and_base(old_key)
    if found is None or kept is None:
        return None
    blob, chain = found
    old, whole_key, whole = kept
    try:
        _title, _base, before, sources, source_ids, cols, after, tail, lay = blob
        first, lengths, kinds = lay
        if before or after or tail or len(lengths) != len(kinds):
            return None
        starts = list(itertools.accumulate(lengths[:-1], initial=first))
        made = _splice(raw, old, blob, cols, starts, kinds, sources, source_ids)
    except Exception:  # a damaged or foreign entry (only a cache), or a new record
        return None   # that needs the full validation
    if made is None:
        return None
    new_blob, patch = made
    return Revision(new_blob, old_key, chain, patch, whole_key, whole)


def _splice(raw: bytes, old: bytes, blob: tuple[Any, ...], cols: list[Any], starts: list[int],
            kinds: str, sources: dict[str, Any], source_ids: list[str]
            ) -> tuple[tuple[Any, ...], snapshot.Patch] | None:
    from .loader import (
        _fast_entity,
        _fast_event,
        _fast_metric,
        _fast_quote,
        _fast_state,
    )

    p = _common_prefix(old, raw)
    if p == len(old) == len(raw):
        return None
    suffix = _common_suffix(old, raw, min(len(old), len(raw)) - p)
    end_old, delta = len(old) - suffix, len(raw) - len(old)
    candidates = [(bisect.bisect_right(starts, p) - 1, bisect.bisect_left(starts, end_old))]
    at = bisect.bisect_left(starts, p)
    if end_old == p and (starts[at] == p if at < len(starts) else p == len(old)):
        # text put in at a table's start (or at the end): whole new tables there, or more of
        # the table before
        candidates = [(at, at), (at - 1, at)]
    for j0, j1 in candidates:
        found = _region(raw, old, starts, kinds, j0, j1, delta)
        if found is not None:
            break
    else:
        return None
    lead, tables = found

    # the records that were there, by kind: index range in each kind's columns
    ranges = {c: (kinds.count(c, 0, j0), kinds.count(c, 0, j1)) for c in _COLUMN}
    ids = {c: cols[_COLUMN[c]][0] for c in _COLUMN}

    seen: dict[str, str] = {}
    for t in sources.get("sources", ()) if type(sources) is dict else ():
        if type(t) is dict and type(t.get("id")) is str:
            seen[t["id"]] = "source"
    for c, (i0, i1) in ranges.items():
        seen.update(dict.fromkeys(ids[c][:i0], c))
        seen.update(dict.fromkeys(ids[c][i1:], c))
    conflict_refs: set[str] = set()
    for row in cols[5]:
        seen[row[0]] = "conflict"
        conflict_refs.update(row[2])

    by_kind: dict[str, list[dict[str, Any]]] = {c: [] for c in _COLUMN}
    codes = []
    for name, _piece, table in tables:
        code = KINDS.get(name)
        if code is None:
            return None
        by_kind[code].append(table)
        codes.append(code)

    def kept(c: str) -> set[str]:
        i0, i1 = ranges[c]
        return {*ids[c][:i0], *ids[c][i1:]}

    dates: dict[str, Any] = {}
    known_sources = set(source_ids)
    new_q = [_fast_quote(t, seen, known_sources) for t in by_kind["q"]]
    quote_ids = kept("q") | {q.id for q in new_q}
    new_e = [_fast_entity(t, seen, quote_ids) for t in by_kind["e"]]
    new_s = [_fast_state(t, seen, quote_ids, dates) for t in by_kind["s"]]
    state_ids = kept("s") | {st.id for st in new_s}
    entity_ids = kept("e") | {e.id for e in new_e}
    new_m = [_fast_metric(t, seen, quote_ids, state_ids, state_ids, entity_ids)
             for t in by_kind["m"]]
    new_v = [_fast_event(t, seen, quote_ids, state_ids, state_ids, entity_ids, dates)
             for t in by_kind["v"]]
    new: dict[str, list[Any]] = {"q": new_q, "e": new_e, "s": new_s, "m": new_m, "v": new_v}

    # records that went away: nothing may have cited them
    for c, (i0, i1) in ranges.items():
        now = {r.id for r in new[c]}
        for rid in ids[c][i0:i1]:
            if rid not in now and (c in "qes" or rid in conflict_refs):
                return None
    if not any(len(ids[c]) - (ranges[c][1] - ranges[c][0]) + len(new[c]) for c in "esmv"):
        return None  # no states, events, metrics or entities left: the full check says so

    added = snapshot.encode_records((tuple(new_q), tuple(new_e), tuple(new_s), tuple(new_m),
                                     tuple(new_v), (), ()))
    patch: snapshot.Patch = (
        j0, j1, [len(piece.encode("utf-8", "surrogatepass")) for _name, piece, _t in tables],
        "".join(codes), lead,
        [(_COLUMN[c], i0, i1, added[_COLUMN[c]]) for c, (i0, i1) in ranges.items()
         if i0 != i1 or new[c]])
    new_blob = snapshot.apply_patch(blob, patch)
    if new_e or new_s:
        spliced = new_blob[5]
        if _clash(spliced[2][0] + spliced[1][0], spliced[2][1] + spliced[1][2],
                  spliced[2][3] + spliced[1][3]):
            return None
    return new_blob, patch


def _region(raw: bytes, old: bytes, starts: list[int], kinds: str, j0: int, j1: int,
            delta: int) -> tuple[int, list[tuple[str, str, dict[str, Any]]]] | None:
    """The tables j0 to j1 (excluded) of the old file, if what replaces them in the new one
    is a run of whole record tables: (the bytes before the first of them, which end the table
    before, those tables); else None."""
    if j0 < 0:
        return None  # what comes before the first table (sources, say) changed
    r0 = starts[j0] if j0 < len(starts) else len(old)
    r1 = starts[j1] if j1 < len(starts) else len(old)
    if kinds.count("x", j0, j1):
        return None
    new_bytes = raw[r0:r1 + delta]
    if new_bytes and r1 < len(old) and not new_bytes.endswith(b"\n"):
        return None  # the next table's header would no longer start a line
    if new_bytes and r0 == len(old) and not old.endswith(b"\n"):
        return None  # nor would the first new table's, after the last line
    found = tomlchunks.array_tables(new_bytes.decode("utf-8"))
    if found is None:
        return None
    lead, tables = found  # blank lines and comments first: the end of the table before
    return len(lead.encode("utf-8", "surrogatepass")), tables


def _clash(ids: list[str], names: list[str], aliases: list[tuple[str, ...]]) -> bool:
    """Whether two records share a name or alias (as the loader's alias check compares them)."""
    owner: dict[str, str] = {}
    for rid, name, als in zip(ids, names, aliases, strict=True):
        for n in (name, *als):
            prev = owner.setdefault(n.casefold().strip(), rid)
            if prev != rid:
                return True
    return False
