"""References across records: each one checked against the ids of the dataset (no textual).

One set of checks, used by every load (:func:`csto_tui.loader.load`: every file against the
others), by a check of one changed file (:func:`resolve_part`, :mod:`csto_tui.filecheck`) and
by authoring (:func:`reference_problems`: a record before it is written). What a kind's fields
refer to comes from the registry (:mod:`csto_tui.records`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import chain
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from . import records
from .errors import Problem
from .records import Kind

if TYPE_CHECKING:
    from .dataset import Dataset
    from .validator import FilePart


class KindIds(dict[str, set[str]]):
    """The ids of each kind, made (``make(kind name)``) when a check first asks for them:
    what :func:`ref_checks` reads as ``declared`` and ``sound`` when they are not all made
    at once (authoring's one record; a check of one changed file)."""

    def __init__(self, make: Callable[[str], set[str]]) -> None:
        super().__init__()
        self.make = make

    def get(self, kname: str, default: Any = None) -> set[str]:
        got = dict.get(self, kname)
        if got is None:
            got = self[kname] = self.make(kname)
        return got


def ref_checks(kind: Kind, declared: dict[str, set[str]], sound: dict[str, set[str]],
                claimed: Iterable[str], memo: dict[Any, tuple[set[str], set[str]]]
                ) -> list[Any]:
    """What to check of each referring field of a kind (nested kinds' fields included):
    (field, ids it may name, ids of sound records among them, checks of a nested kind).
    ``memo`` keeps the sets made for a load (the ids of states and entities, which many
    fields name, joined once rather than once per field)."""
    checks: list[Any] = []
    for f in kind.fields:
        if f.refs:
            # the sets named are never changed once made: their identities make a key
            key = (f.refs, f.also, tuple(id(sound.get(k)) for k in f.refs))
            got = memo.get(key)
            if got is None:
                if f.refs == ("*",):
                    every = set(claimed)
                    got = (every, every)
                else:
                    decl = [declared.get(k, set()) for k in f.refs]
                    ok = [sound.get(k, set()) for k in f.refs]
                    if f.also:  # values allowed besides the ids
                        decl.append(set(f.also))
                        ok.append(set(f.also))
                    got = (decl[0] if len(decl) == 1 else set().union(*decl),
                           ok[0] if len(ok) == 1 else set().union(*ok))
                memo[key] = got
            checks.append((f, got[0], got[1], None))
        elif f.type == "tables" and f.of is not None:
            sub = ref_checks(f.of, declared, sound, claimed, memo)
            if sub:
                checks.append((f, None, None, sub))
    return checks


def all_sound(recs: Iterable[Any], checks: list[Any]) -> bool:
    """Whether every reference of these records names a sound record (checked field by field
    over all of them at once; nested tables are checked record by record)."""
    recs = recs if isinstance(recs, list) else list(recs)
    for f, _decl, ok, sub in checks:
        if sub is not None:
            # a nested table (a state's membership): every nested record's references
            nested = list(chain.from_iterable(map(attrgetter(f.name), recs)))
            if not all_sound(nested, sub):
                return False
            continue
        vals = map(attrgetter(f.name), recs)
        if f.type == "strs":
            if not ok.issuperset(chain.from_iterable(vals)):
                return False
        elif not ok.issuperset(filter(None, vals)):
            return False
    return True


def resolve_record(rec: Any, checks: list[Any], add: Callable[..., None], rid: str = "",
                   path: str = "", kind: Kind | None = None, cuts: list[str] | None = None
                   ) -> Any | None:
    """``rec`` with its references checked: None to leave it out, else the record, with
    references to records that failed validation filtered out where its kind says so.

    A citation (a field holding quote ids, :attr:`~csto_tui.records.Field.cites`) naming a
    quote that does not exist is reported and that one citation dropped: the record stays,
    with the quotes that exist, so that one mistyped quote id never takes a whole state out
    of the dashboard and the briefing. A record of a ``kind`` that needs a quote and is left
    citing none (nested tables' citations count, as when a file is validated) is left out,
    and that is reported too. Any other unknown reference (an event's state that does not
    exist) leaves the record out. ``cuts``: where the record holding this nested one keeps
    the citing fields that lost a citation."""
    changes: dict[str, Any] = {}
    failed = False  # an unknown reference: the record is left out, once all are reported
    # the citing fields that lost a citation (each key with its path), nested ones included
    cuts = [] if cuts is None else cuts
    for f, decl, ok, sub in checks:
        val = getattr(rec, f.name)
        if sub is not None:
            if not val:
                continue
            rid = rid or getattr(rec, "id", "")
            prefix = f"{path}." if path else ""
            subs = []
            for j, s in enumerate(val):
                s2 = resolve_record(s, sub, add, rid, f"{prefix}{f.key}[{j + 1}]",
                                    cuts=cuts)
                if s2 is None:
                    return None
                subs.append(s2)
            if any(x is not y for x, y in zip(subs, val, strict=True)):
                changes[f.name] = tuple(subs)
            continue
        many = type(val) is not str
        if (ok.issuperset(val) if many else (not val or val in ok)):
            continue  # every reference names a sound record (nearly always)
        rid = rid or getattr(rec, "id", "")
        prefix = f"{path}." if path else ""
        vals = val if many else (val,)
        bad = False
        for j, x in enumerate(vals):
            if x not in decl:
                # located at the item (each at its own, an id named twice too), not the array
                if many:
                    add("unknown-ref", f.unknown_ref(x), rid, prefix + f.key, item=(j, x))
                else:
                    add("unknown-ref", f.unknown_ref(x), rid, prefix + f.key)
                bad = True
        if bad and not f.cites:
            failed = True
        elif f.dangling == "drop":  # names a record that failed validation (reported there)
            return None
        elif f.dangling == "filter" or bad:
            keep = tuple(x for x in vals if x in ok)
            changes[f.name] = keep if many else (keep[0] if keep else "")
            if f.cites:
                cuts.append(prefix + f.key)
    if failed:
        return None
    out = rec.replace(**changes) if changes else rec
    if cuts and kind is not None and kind.needs_quote and not any(kind.cited_quotes(out)):
        # about the record's citations as a whole: located at the first array that lost one
        add("uncited-record", "left out: none of the quotes it cites exists or is sound "
            "(every fact needs at least one)", rid or getattr(rec, "id", ""), cuts[0])
        return None
    return out


def resolve_part(part: FilePart, declared: Any, sound: Any, claimed: Any,
                 add: Callable[..., None]) -> dict[str, list[Any]]:
    """One file's records checked against the rest of the dataset as a load checks them
    (:func:`ref_checks`, :func:`resolve_record`): ``declared`` and ``sound`` map a kind's name to
    the ids of that kind in the whole dataset (those declared, those of sound records),
    ``claimed`` every id to its kind. The records it keeps, by kind name; each problem
    reported with ``add(code, msg, rid, fld, sev)``."""
    kept: dict[str, list[Any]] = {}
    unions: dict[Any, tuple[set[str], set[str]]] = {}
    for kind in records.kinds():
        recs = part.records.get(kind.name)
        if not recs:
            continue
        checks = ref_checks(kind, declared, sound, claimed, unions)
        if not checks or all_sound(recs, checks):
            kept[kind.name] = recs
            continue
        out = kept[kind.name] = []
        for rec in recs:
            rec = resolve_record(rec, checks, add, kind=kind)
            if rec is not None:
                out.append(rec)
    return kept


def reference_problems(ds: Dataset, kind: Kind, rec: Any,
                       also: dict[str, set[str]] | None = None) -> list[Problem]:
    """The references of one record (as :func:`validate_file` builds it) checked against the
    records of ``ds`` and ``also`` (ids of records about to be added, by kind name), as a
    load checks them across files: the same checks, the same messages, each problem naming
    the record and the field (no file or line: the record is not written yet). Authoring
    validates a would-be record with this and :func:`validate_file` (:mod:`csto_tui.authoring`)."""
    extra = also or {}

    def ids_of(kname: str) -> set[str]:
        # a form validates as the user types: only the kinds this kind refers to are read
        try:
            k = records.kind(kname)
        except KeyError:
            return set()
        return {r.id for r in ds.records_of(kname)} | extra.get(kname, set()) \
            if k.has_id else set()

    declared = KindIds(ids_of)
    claimed: dict[str, str] = {}
    if any(f.refs == ("*",) for f in kind.fields):
        for k in records.kinds():
            if k.has_id:
                claimed.update(dict.fromkeys(declared.get(k.name), k.name))
    out: list[Problem] = []

    def add(code: str, msg: str, rid: str, fld: str = "", sev: str = "error",
            item: tuple[int, str] | None = None) -> None:
        out.append(Problem(code, msg, "", None, None, rid, fld, sev))

    resolve_record(rec, ref_checks(kind, declared, declared, claimed, {}), add,
                   getattr(rec, "id", "") or kind.table, kind=kind)
    return out
