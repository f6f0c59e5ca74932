"""Load and validate a dataset: one TOML file or a folder of them, their companion anchors
files and the source documents.

Never imports textual. The kinds of record and their fields come from the registry
(:mod:`csto_tui.records`); the one validator that reads it is :mod:`csto_tui.validator`.

A load goes in two steps:

1. **Each data file alone** (:func:`csto_tui.validator.validate_file`): TOML parsed, every
   record's fields checked against its kind, ids claimed within the file, rules of the kind
   applied. What comes out depends only on the file's bytes (and its anchors file's), so it is
   what the cache keeps (:mod:`csto_tui.cache`).
2. **The dataset as a whole** (:func:`_assemble`), on every load: ids unique across files,
   every reference resolved (a quote's source, a record's quotes, a metric's state...), names
   and aliases not shared, source paths checked and every source read.

Fatal problems (the file cannot be read or parsed) raise :class:`~csto_tui.errors.DatasetError`;
every other problem is collected, the faulty record is left out, and the rest of the dataset
still loads, so that ``check`` lists everything at once and the dashboard shows what is sound.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from itertools import chain, filterfalse
from operator import attrgetter
from pathlib import Path
from time import time_ns
from typing import Any, NamedTuple

from . import reading, records, schema
from .anchorsfile import load_anchors
from .atomic import Stamp
from .dataset import Dataset
from .errors import DatasetError, Problem, Reported
from .locator import Locator
from .model import Anchor, Entity, State
from .references import all_sound, ref_checks, resolve_record
from .sources import read_sources, root_of
from .validator import FilePart, validate_file
from .values import _Mutable, _set, _Value

BUNDLE_DIR = Path(__file__).resolve().parent / "_bundle"
ANCHORS_SUFFIX = ".anchors.toml"


#: Called with (path, size in bytes) when data files are about to be parsed and validated
#: rather than taken from the cache (the CLI tells the user why a big one takes a while).
on_full_load: Callable[[Path, int], None] | None = None


def default_dataset_path() -> Path:
    """The bundled dataset: inside the installed package, or the checkout's ``data/``."""
    bundled = BUNDLE_DIR / "data" / "csto.toml"
    if bundled.is_file():
        return bundled
    return Path(__file__).resolve().parent.parent / "data" / "csto.toml"


def anchors_path_for(data_file: Path) -> Path:
    """The companion anchors file of one data file: ``name.toml`` -> ``name.anchors.toml``."""
    return Path(anchors_name(str(data_file)))


def anchors_name(data_file: str) -> str:
    """:func:`anchors_path_for` of a path as a string (no ``Path`` made: a check names
    thousands)."""
    return os.path.splitext(data_file)[0] + ANCHORS_SUFFIX


def data_files(path: Path) -> list[Path]:
    """The data files of a dataset: the file itself, or every ``*.toml`` file directly in the
    folder (not the ``*.anchors.toml`` companions), in name order."""
    if path.is_dir():
        try:
            # the entries' types come with the listing: no stat per file (but for a link)
            with os.scandir(path) as entries:
                names = sorted(e.name for e in entries
                               if e.name.endswith(".toml") and not e.name.endswith(ANCHORS_SUFFIX)
                               and not e.name.startswith(".") and _is_file(e))
        except OSError as exc:
            raise DatasetError(f"{path}: cannot list the folder: {exc.strerror or exc}") from None
        return [path / n for n in names]
    return [path]


def dataset_files(path: Path | str | None) -> tuple[Path, list[Path]]:
    """The dataset's path (the bundled one when None) and its data files; a clear error when
    there is none."""
    path = Path(path) if path is not None else default_dataset_path()
    if not path.exists():
        raise DatasetError(f"{path}: no such file")
    files = data_files(path)
    if path.is_dir() and not files:
        raise DatasetError(f"{path}: a folder with no dataset (*.toml) file")
    return path, files


def _is_file(entry: os.DirEntry[str]) -> bool:
    """Whether a folder's entry is a regular file, following a link; False for a link that
    loops or leads nowhere readable (as ``Path.is_file``: one bad entry is not the folder)."""
    try:
        return entry.is_file()
    except OSError:
        return False


def watched_files(path: Path) -> list[Path]:
    """Every file (and, for a folder dataset, the folder: a file added or removed changes it)
    whose change means the dataset must be loaded again; the sources come on top."""
    try:
        files = data_files(path)
    except DatasetError:
        return [path]
    out = [path] if path.is_dir() else []
    for f in files:
        out += [f, anchors_path_for(f)]
    return out


def dataset_size(path: Path) -> int:
    """Bytes of every data file of a dataset (0 when it cannot be read)."""
    total = 0
    try:
        for f in data_files(path):
            total += f.stat().st_size
    except (OSError, DatasetError):
        pass
    return total


class AnchorsFile(_Value):
    """One anchors file as loaded: which data file it belongs to, its stamp when read (a write
    is refused if it changed since) and the quotes it had rows for, in its order (a tuple: at
    1000x the shipped data, sets of them took 4.5 MiB for lookups made only for a stale row)."""

    __slots__ = _fields = ("data", "path", "stamp", "ids")

    data: Path
    path: Path
    stamp: Stamp
    ids: tuple[str, ...]

    def __init__(self, data: Path, path: Path, stamp: Stamp, ids: tuple[str, ...]) -> None:
        _set(self, "data", data)
        _set(self, "path", path)
        _set(self, "stamp", stamp)
        _set(self, "ids", ids)


class LoadResult(_Mutable, Reported):
    __slots__ = _fields = ("dataset", "problems", "anchor_files", "keys", "source_problems",
                           "parts", "kept", "repeats", "mode")

    dataset: Dataset
    problems: list[Problem]
    #: the anchors file of each data file, in the order of the data files
    anchor_files: list[AnchorsFile]
    #: each data file's digest and its anchors file's (None: it has none), in file order
    #: (with ``keep_parts``)
    keys: list[tuple[bytes, bytes | None]]
    #: of those problems, the ones met reading the sources (a path refused, a file missing)
    source_problems: list[Problem]
    #: only when asked for (``load(keep_parts=True)``): each file's part, the records of
    #: each that the dataset kept (by kind name) and the ids it repeats (declared, but
    #: another file or another kind claimed them first: left out), for a check by file
    #: (:mod:`.filecheck`)
    parts: list[FilePart] | None
    kept: list[dict[str, list[Any]]] | None
    repeats: list[set[str]] | None
    #: the most restrictive mode of the files the load stat'ed and read: the data files and
    #: their anchors files (:class:`Hashed`) and the sources (:func:`read_sources`): what an
    #: entry made from what it found gets (a check's report quotes the sources' words)
    mode: int
    _not_compared = _not_shown = frozenset({"mode"})  # how it was read, not what it holds

    def __init__(
        self,
        dataset: Dataset,
        problems: list[Problem] | None = None,
        anchor_files: list[AnchorsFile] | None = None,
        keys: list[tuple[bytes, bytes | None]] | None = None,
        source_problems: list[Problem] | None = None,
        parts: list[FilePart] | None = None,
        kept: list[dict[str, list[Any]]] | None = None,
        repeats: list[set[str]] | None = None,
        mode: int = 0o600,  # (private unless told: a result made without a load)
    ) -> None:
        self.dataset = dataset
        self.problems = [] if problems is None else problems
        self.anchor_files = [] if anchor_files is None else anchor_files
        self.keys = [] if keys is None else keys
        self.source_problems = [] if source_problems is None else source_problems
        self.parts = parts
        self.kept = kept
        self.repeats = repeats
        self.mode = mode

    @property
    def anchors_stamp(self) -> Stamp | None:
        """The stamp of the (first) anchors file: a single-file dataset's only one."""
        return self.anchor_files[0].stamp if self.anchor_files else None


# --------------------------------------------------------------------------------------------
# reading files


def read_data_with_mode(path: Path | str) -> tuple[bytes, int]:
    """A data file's bytes and the mode of the file they were read through
    (:func:`csto_tui.reading.read_with_mode`: what an entry holding them gets);
    :class:`DatasetError` when it cannot be read."""
    try:
        return reading.read_with_mode(path)
    except FileNotFoundError:
        raise DatasetError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise DatasetError(f"{path}: is a folder, not a TOML file") from None
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read: {exc.strerror or exc}") from None


# --------------------------------------------------------------------------------------------
# anchors files (machine-written companions; one per data file: csto_tui.anchorsfile)


#: what keys an anchors file that cannot be read, in the cache and in a kept check: neither a
#: digest nor None (no anchors file), so that the part validated with it, which holds the
#: problem that says why, is never taken for the file's once it is readable or gone
UNREADABLE = b"unreadable"


def anchors_key(digest: bytes | None, problem: Problem | None) -> bytes | None:
    """What keys a data file's anchors file: its digest, None when there is none, or
    :data:`UNREADABLE`."""
    return UNREADABLE if problem is not None else digest


def read_optional(path: Path | str) -> tuple[bytes | None, Problem | None, int]:
    """A file's bytes (None when it does not exist, or cannot be read: then a problem) and
    the mode they were read with (as :func:`read_data_with_mode`; 0o666 when none were)."""
    try:
        raw, mode = reading.read_with_mode(path)
    except FileNotFoundError:
        return None, None, 0o666
    except OSError as exc:
        try:
            read_data_with_mode(path)  # (for its message)
        except DatasetError as err:
            return None, Problem("toml", err.message, str(path)), 0o666
        return None, Problem("toml", f"{path}: cannot read: {exc}", str(path)), 0o666
    return raw, None, mode


# --------------------------------------------------------------------------------------------
# the loader


def load(path: Path | str | None = None, keep_parts: bool = False) -> LoadResult:
    """Load a dataset (a TOML file or a folder of them) with its anchors and sources; collect
    every non-fatal problem. ``keep_parts``: keep each file's part in the result."""
    from . import cache

    path, files = dataset_files(path)
    # each file's digest (read and hashed, not kept: a big folder is not held in memory twice;
    # or remembered, when its stat says it did not change), then the pack of the last load
    seen, mode = read_and_hash(path, files)
    last = cache.last_pack(path)
    keys = [(f, d, anchors_key(a and a[0], aprob)) for f, d, a, aprob in seen]
    cached = cache.get(path, keys, last)
    del last  # the pack taken is in ``cached``; another one read (a copy's) can go now
    parts: list[FilePart] = []
    anchor_files: list[AnchorsFile] = []
    fresh = False
    for n, ((f, d, a, aprob), part) in enumerate(zip(seen, cached.parts, strict=True)):
        apath = anchors_path_for(f)
        if part is None:
            # read again: the bytes validated are the bytes cached (with the mode they were
            # read with: a file made private since the stat above keeps its new words so)
            raw, dmode = read_data_with_mode(f)
            araw, aprob, amode = read_optional(apath)
            mode &= dmode & amode
            d = cache.digest(raw)
            a = None if araw is None else (cache.digest(araw), len(araw))
            keys[n] = (f, d, anchors_key(a and a[0], aprob))
            if on_full_load is not None:
                on_full_load(f, len(raw))
            part = validate_file(f, raw)
            part.anchors, part.anchor_problems = load_anchors(apath, araw)
            _share_strings(part)
            fresh = True
        if aprob is not None:
            part.anchor_problems = [aprob]
            # unreadable: a stamp no file matches, so that nothing overwrites it unseen
            stamp = Stamp(True, -1, "unreadable")
        else:
            stamp = Stamp(True, a[1], a[0].hex()) if a is not None else Stamp(False)
        parts.append(part)
        anchor_files.append(AnchorsFile(f, apath, stamp, tuple(part.anchors)))
    if fresh or cached.pack is not None:
        if fresh:
            cached.key = cache.content_key(keys)  # the bytes actually validated
        cache.put(path, keys, parts, cached, mode)  # the pack, if not kept as it is already
    res = _assemble(path, files, parts, anchor_files, keep_parts)
    res.mode &= mode  # the sources' (the pack holds none of their words), and the files'
    if keep_parts:
        res.keys = [(d, ad) for _f, d, ad in keys]
    return res


#: what :func:`read_and_hash` gives of a data file: the file, its digest, its anchors file's
#: (digest, size) or None, and why that cannot be read (or None)
Seen = tuple[Path, bytes, tuple[bytes, int] | None, Problem | None]


class Hashed(NamedTuple):
    """What :func:`read_and_hash` saw of a dataset's files."""

    seen: list[Seen]  # each data file's, in order
    #: the most restrictive mode of the data files and their anchors files, as stat'ed
    #: (those that could be) and as read (each file's descriptor,
    #: :func:`csto_tui.reading.read_with_mode`): what an entry made from them gets, so that
    #: no one who cannot read them reads it
    mode: int


def read_and_hash(dataset: Path, files: list[Path]) -> Hashed:
    """Each data file's digest and its anchors file's (digest and size, or a problem), in
    order, and the files' mode; a data file that cannot be read raises
    :class:`DatasetError`. A file whose stat is the one remembered with its digest
    (:func:`csto_tui.cache.known_digests`) is not read again; what was read is remembered
    for the next time."""
    from . import cache

    known = cache.known_digests(dataset)
    now: dict[str, tuple[tuple[int, ...], bytes]] = {}
    mode = 0o666  # the files' most restrictive (what the memo of them gets)

    def digest_of(f: Path | str,
                  read: Callable[[Any], tuple[bytes | None, Problem | None, int]]
                  ) -> tuple[bytes | None, int, Problem | None]:
        nonlocal mode
        name = str(f)
        t = time_ns()  # before the stat: a change after it has a later time
        st: tuple[int, ...] | None
        try:
            stat = os.stat(name)
        except OSError:
            st = None  # read, to say why it cannot be (or that it is not there)
        else:
            mode &= stat.st_mode
            st = reading.stat_of(stat)
            got = known.get(name)
            if got is not None and got[0] == st:
                now[name] = got
                return got[1], st[2], None
        raw, problem, rmode = read(f)
        mode &= rmode  # as read (the stat above may be of the file it replaced)
        if raw is None:
            return None, 0, problem
        d = cache.digest(raw)
        if st is not None and len(raw) == st[2] and max(st[3], st[4]) + cache.SETTLED_NS < t:
            now[name] = (st, d)  # settled before it was read: its stat stands for these bytes
        return d, len(raw), problem

    seen: list[Seen] = []
    for f in files:
        d, _size, _p = digest_of(f, _read_required)
        assert d is not None
        ad, asize, aprob = digest_of(anchors_name(str(f)), read_optional)
        seen.append((f, d, None if ad is None else (ad, asize), aprob))
    if now != known:
        cache.remember_digests(dataset, now, mode)
    return Hashed(seen, mode)


def _read_required(path: Path | str) -> tuple[bytes, None, int]:
    """:func:`read_data_with_mode` as :func:`read_optional` answers (never a problem: a data
    file that cannot be read raises)."""
    raw, mode = read_data_with_mode(path)
    return raw, None, mode


def _share_strings(part: FilePart) -> None:
    """Anchors hold their quote's own strings where they repeat them (the anchors file repeats
    every quote's text: half the memory of a big dataset otherwise)."""
    quotes = {q.id: q for q in part.records.get("quote", ())}
    for qid, a in part.anchors.items():
        q = quotes.get(qid)
        if q is not None and (a.exact == q.text and a.exact is not q.text
                              or a.source == q.source and a.source is not q.source):
            part.anchors[qid] = Anchor(
                q.id, q.source if a.source == q.source else a.source,
                q.text if a.exact == q.text else a.exact, a.prefix, a.suffix, a.start, a.end,
                a.review, a.found, a.found_start, a.found_end, a.text_key)


def problem_adder(files: list[Path], problems: list[Problem]) -> Callable[..., None]:
    """``add(n, code, msg, rid, fld, sev, line, item)``: a problem of a record of the ``n``-th
    file, located at its (field's) line and column there (``item``: at that item of the
    field's array, :meth:`Locator.position_of`), appended to ``problems``."""
    locators: dict[int, Locator] = {}

    def add(n: int, code: str, msg: str, rid: str, fld: str = "", sev: str = "error",
            line: int | None = None, item: tuple[int, str] | None = None) -> None:
        loc = locators.get(n)
        if loc is None:
            loc = locators[n] = Locator(files[n])
        col: int | None = None
        if line is None:
            line, col = loc.position_of(rid, fld, item=item)
        problems.append(Problem(code, msg, str(files[n]), line, col, rid, fld, sev))

    return add


def _assemble(path: Path, files: list[Path], parts: list[FilePart],
              anchor_files: list[AnchorsFile], keep_parts: bool = False) -> LoadResult:
    """Step 2: the files' records checked against each other and the sources read."""
    problems: list[Problem] = []
    add = problem_adder(files, problems)
    #: each file's records kept, by kind (its part's own lists where it keeps them all), only
    #: when asked for (at 1000x, 2,000 dicts nobody reads left the heap ~1.5 MiB larger)
    kept: list[dict[str, list[Any]]] = [{} for _ in parts] if keep_parts else []

    # ids across files, claimed kind by kind as within a file (a state's id taken by an
    # event is the event's fault, whichever file comes first), then in file name order
    taken: set[str] = set()  # every id claimed: while none is claimed twice (nearly always)
    claimed: dict[str, str] | None = None  # id -> the kind that claimed it, from the first repeat
    repeats: list[set[str]] = [set() for _ in parts]
    for part in parts:
        problems.extend(part.problems)
    declared: dict[str, set[str]] = {}
    for kind in records.kinds():
        kname = kind.name
        every_id = list(chain.from_iterable(p.declared.get(kname, ()) for p in parts))
        mine = declared[kname] = set(every_id)
        if claimed is None:
            if len(mine) == len(every_id) and taken.isdisjoint(mine):
                taken |= mine
                continue
            claimed = {rid: k for k, ids in declared.items() if k != kname for rid in ids}
        mine.clear()
        for n, part in enumerate(parts):
            for rid in part.declared.get(kname, ()):
                first = claimed.get(rid)
                if first is None:
                    claimed[rid] = kname
                    mine.add(rid)
                    continue
                repeats[n].add(rid)
                add(n, "duplicate-id", f"id {rid!r} is used twice (first by a {first})",
                    rid, "id")

    # every reference resolved, kind by kind (a kind refers to kinds validated before it)
    kinds = records.kinds()
    sound: dict[str, set[str]] = {}
    found: dict[str, tuple[Any, ...]] = {}
    unions: dict[Any, tuple[set[str], set[str]]] = {}
    for kind in kinds:
        checks = ref_checks(kind, declared, sound, taken if claimed is None else claimed,
                            unions)
        out: list[Any] = []
        has_id = kind.has_id
        every: list[list[Any]] = [p.records.get(kind.name, []) for p in parts]
        if not any(repeats) and (not checks or all_sound(chain.from_iterable(every), checks)):
            out = list(chain.from_iterable(every))  # every reference sound, in every file
            for of_file, recs in zip(kept, every, strict=False):  # none unless asked for
                of_file[kind.name] = recs
            sound[kind.name] = _ids(out, declared[kind.name]) if has_id else set()
            found[kind.name] = tuple(out)
            continue
        for n, part in enumerate(parts):
            recs = part.records.get(kind.name, [])
            if not recs:
                continue
            again = repeats[n]
            if has_id and again:
                recs = [r for r in recs if r.id not in again]
            if not checks or all_sound(recs, checks):
                out += recs
                if keep_parts:
                    kept[n][kind.name] = recs
                continue
            report = partial(add, n)
            ok: list[Any] = []
            for rec in recs:
                rec = resolve_record(rec, checks, report, kind=kind)
                if rec is not None:
                    ok.append(rec)
            out += ok
            if keep_parts:
                kept[n][kind.name] = ok
        sound[kind.name] = _ids(out, declared[kind.name]) if has_id else set()
        found[kind.name] = tuple(out)
    # the sets of ids go before the sources are read (at 1000x the shipped data, ~50 MB)
    has_facts = any(ids for k, ids in declared.items()
                    if k not in ("source", "quote", "conflict", "uncited"))
    del taken, claimed, declared, sound, unions

    # sources: paths checked against each file's folder, then read
    owner = _owners(parts, "source")
    srcs = found.get("source", ())
    source_problems: list[Problem] = []
    paths, texts, smode = read_sources([(owner[s.id], s.id, s.file) for s in srcs], files,
                                       [p.base for p in parts],
                                       problem_adder(files, source_problems))
    problems += source_problems
    found["source"] = tuple(s.replace(path=paths[s.id], title=s.title or s.id)
                            for s in srcs if paths.get(s.id) is not None)

    anchors: dict[str, Anchor] = {}
    for part in parts:
        problems.extend(part.anchor_problems)
        anchors.update(part.anchors)
    if len(anchors) != sum(len(p.anchors) for p in parts):  # a quote anchored in two files
        anchors = {}
        for part in parts:
            for qid, a in part.anchors.items():
                anchors.setdefault(qid, a)  # the first file's

    title = next((p.title for p in parts if p.title), "") or "CSTO dataset"
    root = root_of(files[0], parts[0].base) if not path.is_dir() else path.resolve()
    # which file each record is in: an id a file repeats (another file, or another kind,
    # claimed it first) is the record's that claimed it, not the repeat's that was left out
    # (a file that repeats none, nearly always, is not filtered)
    owners = tuple(tuple(filterfalse(again.__contains__, chain.from_iterable(p.declared.values()))
                         if again else chain.from_iterable(p.declared.values()))
                   for p, again in zip(parts, repeats, strict=True))
    ds = build_dataset(path, root, title, found, anchors, texts, tuple(files), owners)
    if not has_facts:
        problems.append(Problem("schema", "the dataset has no states, events, metrics or "
                                "entities", str(files[0]), None, None, "", "states"))
    _alias_clashes(ds, add)
    order = {str(f): 2 * i for i, f in enumerate(files)}
    order.update({str(a.path): 2 * i + 1 for i, a in enumerate(anchor_files)})
    problems.sort(key=lambda p: (order.get(p.file, len(order) * 2), p.line or 0))
    res = LoadResult(ds, problems, anchor_files, source_problems=source_problems, mode=smode)
    if keep_parts:
        res.parts, res.kept, res.repeats = parts, kept, repeats
    return res


def build_dataset(path: Path, root: Path, title: str, found: dict[str, tuple[Any, ...]],
                  anchors: dict[str, Anchor], texts: dict[str, str], files: tuple[Path, ...],
                  owners: tuple[tuple[str, ...], ...]) -> Dataset:
    """A dataset of these records (by kind name), anchors and sources' texts."""
    extra = {k: v for k, v in found.items() if k not in schema.BUILTIN and v}
    return Dataset(
        path=path, root=root, title=title,
        sources=found.get("source", ()), quotes=found.get("quote", ()),
        states=found.get("state", ()), metrics=found.get("metric", ()),
        events=found.get("event", ()), entities=found.get("entity", ()),
        conflicts=found.get("conflict", ()), uncited=found.get("uncited", ()),
        anchors=anchors, texts=texts, more=extra, files=files, owners=owners)


def _ids(recs: list[Any], claimed: set[str]) -> set[str]:
    """The ids of ``recs``, records of a kind whose ids are among ``claimed`` (the ids the
    kind claimed): that set itself when they are as many (nearly always: no record of the
    kind failed)."""
    return claimed if len(recs) == len(claimed) else set(map(attrgetter("id"), recs))


def _owners(parts: list[FilePart], kind: str) -> dict[str, int]:
    """The index of the file that declares each record of a kind."""
    out: dict[str, int] = {}
    for n, part in enumerate(parts):
        for rid in part.declared.get(kind, ()):
            out.setdefault(rid, n)
    return out


_NAME = attrgetter("name")
_ALIASES = attrgetter("aliases")


def _alias_clashes(ds: Dataset, add: Callable[..., None]) -> None:
    owner: dict[str, str] = {}
    named: list[State | Entity] = [*ds.states, *ds.entities]
    names = list(map(_NAME, named))
    names += chain.from_iterable(map(_ALIASES, named))
    if len(set(map(str.strip, map(str.casefold, names)))) == len(names):
        return  # no two names or aliases alike (nearly always: C-level, no pair made)
    keys = [(name.casefold().strip(), rec.id) for rec in named
            for name in (rec.name, *rec.aliases)]
    if len(set(keys)) == len({k for k, _ in keys}):
        return  # no name or alias is used by two records (a record's own may repeat)
    for rec in named:
        for name in (rec.name, *rec.aliases):
            key = name.casefold().strip()
            prev = owner.get(key)
            if prev is not None and prev != rec.id:
                add(ds.file_index().get(rec.id, 0), "alias",
                    f"name or alias {name!r} is also used by {prev!r}", rec.id, "aliases",
                    "warning")
            owner.setdefault(key, rec.id)


def is_cached(path: Path | str) -> bool:
    """Whether the dataset's files are in the cache as they are now (a load is quick)."""
    from . import cache

    try:
        path = Path(path)
        files = data_files(path)
        seen = read_and_hash(path, files).seen
        return bool(files) and cache.has_all(
            [(f, d, anchors_key(a and a[0], aprob)) for f, d, a, aprob in seen])
    except (OSError, DatasetError):
        return False
