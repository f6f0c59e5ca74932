"""``csto-tui check`` as each data file's share, kept between checks (no textual).

What ``check`` prints (:class:`Summary`) is made of each data file's share of it and of what
the files say together:

- a file's **share** is what its own content settles, given the rest of the dataset: its
  validation problems and its anchors file's, the problems of its references
  (``unknown-ref``, ``uncited-record``) and of its prose's quotation marks (``quote-marks``),
  the records it keeps (counted) and those it loses;
- what the files say **together** depends only on what each file *declares* to the others
  (:func:`declares`: its ids and which are sound, its quotes, its sources' ids and paths, its
  states' and entities' names, its uncited passages, its anchors file), on the files' names
  and on the sources' texts: duplicate ids, names shared, the quotes' statuses, uncited
  passages, stale anchors, the sources' changes, how many quotes are exact.

The **world key** hashes those declarations and the sources' text keys. A check keeps every
share and what the files say together under its world key (in the cache's folder). The next
check reads and hashes the data files (as a load does), validates only those whose bytes
changed, and reads the sources; when the world key comes out the same, it computes the
shares of the changed files alone (:func:`references.resolve_part` against the ids of the whole
dataset, kept under the world key; :func:`prose.quotation_problems` against the quotes they
cite) and takes every other share as kept. Otherwise, or when anything kept is in doubt, it
loads and checks the whole dataset (:func:`checking.check`) and keeps the result. Both ways
give the same report: one set of checks, run on the files whose inputs changed (a test
compares them edit by edit).

A changed file's share is taken this way only when nothing it declares changed, it loses the
same records as before and what the files say together locates nothing in it (a located
problem would have to be found again in its new text): otherwise the whole check runs.
"""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Iterable, Iterator
from itertools import chain, filterfalse
from operator import attrgetter, countOf
from pathlib import Path
from typing import Any, NamedTuple

from . import cache, loader, reading, records
from .anchorsfile import load_anchors
from .checking import (
    CheckReport,
    SourceChange,
    check,
    each_once,
    problem_key,
    quotes_per_source,
    record_counts,
)
from .errors import Problem, Reported
from .loader import (
    anchors_key,
    anchors_name,
    anchors_path_for,
    build_dataset,
    dataset_files,
    load,
    problem_adder,
    read_and_hash,
    read_data_with_mode,
    read_optional,
)
from .pack import checksum
from .references import KindIds, resolve_part
from .sources import read_sources
from .validator import FilePart, declares, validate_file
from .values import _Mutable
from .vocabulary import EXACT

#: the version of what is kept (a change of format makes older entries unreadable)
VERSION = 3
#: problems that a file's own content settles, given the rest of the dataset (beside its
#: validation's and its anchors file's, which are its share whatever their code)
CONTENT_CODES = frozenset({"unknown-ref", "uncited-record", "quote-marks"})
#: a check with more changed files than this checks the whole dataset (and keeps it)
MOST_CHANGED = 32
#: the modules whose code decides a check besides a load's (:data:`cache.CODE`): every module
#: this one imports, at any depth (a test says so)
_MODULES = ("checking.py", "prose.py", "coverage.py", "anchoring.py", "folding.py",
            "located.py", "quotesearch.py", "textdiff.py", "textstore.py", "filecheck.py")


class Summary(_Mutable, Reported):
    """What ``csto-tui check`` reports of a dataset."""

    __slots__ = _fields = ("path", "problems", "counts", "quotes_per_source", "exact", "quotes",
                           "sources", "report")
    _not_shown = frozenset({"report"})

    path: Path
    problems: list[Problem]
    counts: dict[str, int]
    quotes_per_source: dict[str, int]
    exact: int
    quotes: int
    sources: dict[str, SourceChange]
    #: the whole check, when this summary was made by one (None: made from kept shares)
    report: CheckReport | None

    def __init__(
        self,
        path: Path,
        problems: list[Problem],
        counts: dict[str, int],
        quotes_per_source: dict[str, int],
        exact: int,
        quotes: int,
        sources: dict[str, SourceChange],
        report: CheckReport | None = None,
    ) -> None:
        self.path = path
        self.problems = problems
        self.counts = counts
        self.quotes_per_source = quotes_per_source
        self.exact = exact
        self.quotes = quotes
        self.sources = sources
        self.report = report

    @property
    def changed_sources(self) -> list[SourceChange]:
        return [c for c in self.sources.values() if c.changed]


def summarize(path: Path | str | None = None, whole: bool = False) -> Summary:
    """The check of a dataset, from what the last check kept where it still holds; ``whole``:
    check the whole dataset whatever was kept (``check --coverage`` needs its records).
    ``DatasetError`` propagates for unreadable or unparsable files, as a load's."""
    path, files = dataset_files(path)
    sig = _signature()
    kept = _read(_entry(path, ".check"), sig)
    if kept is not None and not whole:
        got = _from_kept(path, files, sig, kept)
        if got is not None:
            return got
    return _whole(path, sig, kept)


# --------------------------------------------------------------------------------------------
# what a file declares to the others


def _world_key(sig: bytes, files: list[Path], decls: list[bytes],
               sources: list[tuple[int, str, str]], paths: dict[str, Path | None],
               keys: dict[str, str]) -> bytes:
    """What the files say together depends on: the code, the files' names, what each
    declares, the texts stored beside its anchors file (a source's text when its anchors
    were written: a quote is found again through it when the source changed), and where
    each source is and what it now says (``keys``: the content key of each source's text,
    :func:`csto_tui.textstore.key_of`; none when it was not read)."""
    from . import textstore

    h = hashlib.sha256(sig)
    for f, d in zip(files, decls, strict=True):
        stored = "\0".join(sorted(textstore.keys(anchors_name(str(f)))))
        h.update(f"{f.name}\0{stored}\0".encode("utf-8", "surrogateescape") + d)
    h.update("\0".join(f"{sid}\0{paths.get(sid)}\0{keys.get(sid, '')}"
                       for _n, sid, _file in sources).encode("utf-8", "surrogateescape"))
    return h.digest()


# --------------------------------------------------------------------------------------------
# a file's share


def _lost(part: FilePart, kept: dict[str, list[Any]]) -> list[tuple[str, Any]]:
    """The records of a file that its check left out: (kind, ids) for a kind with ids,
    (kind, how many kept) for one without."""
    out: list[tuple[str, Any]] = []
    for k in records.kinds():
        mine = part.records.get(k.name, [])
        got = kept.get(k.name, [])
        if len(got) != len(mine):
            out.append((k.name, sorted({r.id for r in mine} - {r.id for r in got})
                        if k.has_id else len(got)))
    return out


def _counts(kept: dict[str, list[Any]]) -> dict[str, int]:
    return record_counts(lambda k: kept.get(k, ()))


def _lines(strings: Iterable[str]) -> Iterator[str]:
    return chain.from_iterable(s.split("\n") for s in strings if s)


class _Every:
    """Every id of the dataset (a reference that may name any record), when asked for."""

    def __init__(self, lists: dict[str, list[str]]) -> None:
        self.lists = lists

    def __iter__(self) -> Iterator[str]:
        return _lines(chain.from_iterable(self.lists.values()))


def _share(n: int, files: list[Path], part: FilePart, world: tuple[Any, ...]
           ) -> tuple[list[Problem], dict[str, list[Any]], int]:
    """One changed file's share against the rest of the dataset as kept (``world``: by kind,
    the ids each file declares, and the ids of records that are not sound): its problems,
    the records it keeps, and the mode of the other files read for it. The words of quotes
    it cites in other files, when its prose needs them, are read from those files
    (unchanged: what they declare is as kept)."""
    from .prose import quotation_problems

    declared, unsound = world
    problems = list(part.problems) + list(part.anchor_problems)
    add = problem_adder(files, problems)

    def every(kname: str) -> set[str]:
        return set(_lines(declared.get(kname, ())))

    def sound(kname: str) -> set[str]:
        return set(_lines(declared.get(kname, ()))).difference(unsound.get(kname, ()))

    kept = resolve_part(part, KindIds(every), KindIds(sound), _Every(declared),
                        lambda *a, **kw: add(n, *a, **kw))
    ds = build_dataset(files[n], files[n].parent, part.title,
                       {k: tuple(v) for k, v in kept.items()}, {}, {}, (files[n],),
                       (tuple(chain.from_iterable(part.declared.values())),))
    missing: set[str] = set()
    found = quotation_problems(ds, None, missing)
    mode = 0o666
    if missing:  # its prose quotes words of quotes held by other files: read them
        texts, mode = _quote_texts(missing, declared.get("quote", []), files)
        found = quotation_problems(ds, texts)
    return problems + found, kept, mode


def _quote_texts(ids: set[str], held: list[str], files: list[Path]
                 ) -> tuple[dict[str, str], int]:
    """The texts of these quotes, read from the files that declare them (``held``: the quote
    ids of each file, a line per id), and the mode those files were read with (whether a
    quoted run is verbatim, kept, comes of their words)."""
    out: dict[str, str] = {}
    mode = 0o666
    for n, mine in enumerate(held):
        if mine and not ids.isdisjoint(mine.split("\n")):
            raw, fmode = read_data_with_mode(files[n])
            mode &= fmode
            part = validate_file(files[n], raw)
            out.update((q.id, q.text) for q in part.records.get("quote", ()) if q.id in ids)
    return out, mode


# --------------------------------------------------------------------------------------------
# the whole check, and what it keeps


def _whole(path: Path, sig: bytes, before: tuple[Any, ...] | None) -> Summary:
    """The whole check (:func:`checking.check`), cut into shares and kept. What a file
    declares is taken from ``before`` (what the last check kept) for a file whose bytes did
    not change."""
    res = load(path, keep_parts=True)
    rep = check(result=res)
    ds = res.dataset
    parts, kept = res.parts or [], res.kept or []
    files = list(ds.files)
    src = {problem_key(p) for p in res.source_problems}
    shares: list[list[Problem]] = []
    for n, part in enumerate(parts):
        name = str(files[n])
        shares.append(list(part.problems) + list(part.anchor_problems)
                      + [p for p in rep.problems if p.code in CONTENT_CODES and p.file == name])
    mine = {problem_key(p) for p in chain.from_iterable(shares)}
    together = [p for p in rep.problems if problem_key(p) not in mine and problem_key(p) not in src]
    exact = countOf(rep.quote_status.values(), EXACT)
    qps = quotes_per_source(ds)
    counts = [_counts(k) for k in kept]
    summary = _summary(path, files, res.source_problems, together, shares, counts,
                       len(ds.sources), qps, exact, len(ds.quotes), rep.sources, rep)
    # kept for the next check
    known = {(k.name, k.digest, k.anchors): k
             for k in map(_Kept._make, before[3] if before else ())}
    decls = [was.declares if (was := known.get((str(f), d, ad))) else declares(part, ad)
             for f, part, (d, ad) in zip(files, parts, res.keys, strict=True)]
    sources = [[(s.id, s.file) for s in k.get("source", ())] for k in kept]
    paths: dict[str, Path | None] = {s.id: s.path for s in ds.sources}
    wkey = _world_key(sig, files, decls, _numbered(sources), paths, rep.keys)
    declared: dict[str, list[str]] = {}
    unsound: dict[str, list[str]] = {}
    repeats = res.repeats or [set() for _ in parts]
    for k in records.kinds():
        if not k.has_id:
            continue
        # the ids each file claimed for the kind, as the load checked references against
        # them (not one it repeats: another file's, or another kind's, that claimed it
        # first); one string per file, a line per id: kept and read again at once
        claimed = [list(filterfalse(again.__contains__, p.declared.get(k.name, ())))
                   if again else p.declared.get(k.name, ())
                   for p, again in zip(parts, repeats, strict=True)]
        lines = declared[k.name] = ["\n".join(ids) for ids in claimed]
        if sum(map(len, claimed)) != len(ds.records_of(k.name)):
            unsound[k.name] = sorted(set(_lines(lines)).difference(
                map(attrgetter("id"), ds.records_of(k.name))))
    mode = res.mode  # both entries': the files' and sources' modes as the load read them
    _write(path, ".world", (VERSION, sig, wkey, declared, unsound), mode)
    _keep(path, sig, wkey, files, res.keys, decls, shares, counts,
          [_lost(p, k) for p, k in zip(parts, kept, strict=True)], sources,
          [p.base for p in parts], together, qps, exact, len(ds.quotes), rep.sources, mode)
    return summary


class _Kept(NamedTuple):
    """What a check keeps of one data file (a row of ``.check``; kept as a plain tuple)."""

    name: str  # the data file, as the check was given it
    digest: bytes  # of its bytes
    anchors: bytes | None  # its anchors file's key (loader.anchors_key)
    declares: bytes  # :func:`declares`
    share: list[tuple[Any, ...]]  # its share's problems (:func:`_row`)
    counts: dict[str, int]  # the records it keeps, by what check counts
    lost: list[tuple[str, Any]]  # :func:`_lost`
    sources: list[tuple[str, str]]  # (id, file) of each source it declares
    base: str  # its [dataset] base


def _numbered(sources: list[list[tuple[str, str]]]) -> list[tuple[int, str, str]]:
    """(index of the file that declares it, id, file) of every source, in file order."""
    return [(n, sid, file) for n, mine in enumerate(sources) for sid, file in mine]


def _keep(path: Path, sig: bytes, wkey: bytes, files: list[Path],
          keys: list[tuple[bytes, bytes | None]], decls: list[bytes],
          shares: list[list[Problem]], counts: list[dict[str, int]], lost: list[Any],
          sources: list[list[tuple[str, str]]], bases: list[str], together: list[Problem],
          qps: dict[str, int], exact: int, quotes: int, changes: dict[str, SourceChange],
          mode: int) -> None:
    per_file = [(str(f), d, ad, decl, [_row(p) for p in share], c, lo, s, b)  # a _Kept
                for f, (d, ad), decl, share, c, lo, s, b
                in zip(files, keys, decls, shares, counts, lost, sources, bases, strict=True)]
    _write(path, ".check", (
        VERSION, sig, wkey, per_file, [_row(p) for p in together], qps, exact, quotes,
        [(c.source, c.changed, c.quotes) for c in changes.values()]), mode)


def _from_kept(path: Path, files: list[Path], sig: bytes, kept: tuple[Any, ...]
               ) -> Summary | None:
    """The check made from what the last one kept, the changed files' shares computed
    again; None when that cannot be (then the whole check runs)."""
    _v, _s, wkey, rows, together, qps, exact, quotes, changes = kept
    per_file = list(map(_Kept._make, rows))
    # the files as named now: what was kept names them so (the same folder named another way,
    # relative or absolute, through a link, is the same entry but not the same problems)
    if [str(f) for f in files] != [k.name for k in per_file]:
        return None
    seen, mode = read_and_hash(path, files)
    # a file whose anchors file cannot be read is checked again (its problem says why)
    changed = [n for n, (k, (_f, d, a, aprob)) in enumerate(zip(per_file, seen, strict=True))
               if (k.digest, k.anchors) != (d, anchors_key(a and a[0], aprob))
               or aprob is not None]
    if len(changed) > MOST_CHANGED:
        return None
    together_p = [_problem(r) for r in together]
    parts: dict[int, FilePart] = {}
    keys: dict[int, tuple[bytes, bytes | None]] = {}
    decls = [k.declares for k in per_file]
    for n in changed:
        f = files[n]
        if any(p.file == str(f) for p in together_p):
            return None  # what the files say together is located in it: found again in full
        raw, dmode = read_data_with_mode(f)  # its share is kept: with the mode it was read with
        mode &= dmode
        if loader.on_full_load is not None:
            loader.on_full_load(f, len(raw))
        part = validate_file(f, raw)
        _f, _d, a, aprob = seen[n]
        ad = anchors_key(a and a[0], aprob)
        if aprob is None and ad == per_file[n].anchors:
            # its anchors file is the one the last check read (its bytes): its problems are
            # the kept share's located in it, and nothing else of it is read here
            aname = anchors_name(str(f))
            part.anchor_problems = [_problem(r) for r in per_file[n].share if r[2] == aname]
        else:
            araw, aprob, amode = read_optional(anchors_path_for(f))
            mode &= amode
            part.anchors, part.anchor_problems = load_anchors(anchors_path_for(f), araw)
            if aprob is not None:
                part.anchor_problems = [aprob]
            ad = anchors_key(None if araw is None else cache.digest(araw), aprob)
        if declares(part, ad) != decls[n]:
            return None
        parts[n] = part
        keys[n] = (cache.digest(raw), ad)
    sources = _numbered([k.sources for k in per_file])
    source_problems: list[Problem] = []
    paths, texts, smode = read_sources(sources, files, [k.base for k in per_file],
                                       problem_adder(files, source_problems))
    mode &= smode
    from .textstore import key_of

    text_keys = {sid: key_of(t) for sid, t in texts.items()}
    if _world_key(sig, files, decls, sources, paths, text_keys) != wkey:
        return None
    shares = [[_problem(r) for r in k.share] for k in per_file]
    counts = [k.counts for k in per_file]
    lost = [k.lost for k in per_file]
    if parts:
        world = _read(_entry(path, ".world"), sig)
        if world is None or world[2] != wkey:
            return None
        for n, part in parts.items():
            problems, mine, qmode = _share(n, files, part, world[3:])
            mode &= qmode
            if _lost(part, mine) != lost[n]:
                return None  # it lost another record than before: what others see changed
            shares[n] = problems
            counts[n] = _counts(mine)
    src_changes = {s: SourceChange(s, c, dict(q)) for s, c, q in changes}
    n_sources = sum(1 for _n, sid, _f in sources if paths.get(sid) is not None)
    summary = _summary(path, files, source_problems, together_p, shares, counts, n_sources,
                       qps, exact, quotes, src_changes, None)
    if parts:
        all_keys = [keys.get(n, (k.digest, k.anchors)) for n, k in enumerate(per_file)]
        _keep(path, sig, wkey, files, all_keys, decls, shares, counts, lost,
              [k.sources for k in per_file], [k.base for k in per_file], together_p, qps,
              exact, quotes, src_changes, mode)
    return summary


def _summary(path: Path, files: list[Path], source_problems: list[Problem],
             together: list[Problem], shares: list[list[Problem]],
             counts: list[dict[str, int]], n_sources: int, qps: dict[str, int], exact: int,
             quotes: int, changes: dict[str, SourceChange], report: CheckReport | None
             ) -> Summary:
    """The report of a check from its parts, in one order: by file (a data file, then its
    anchors file), line and column."""
    order: dict[str, int] = {}
    for i, (data, anchors) in enumerate(_names(files).items()):
        order[data], order[anchors] = 2 * i, 2 * i + 1
    last = 2 * len(files)

    def place(p: Problem) -> tuple[Any, ...]:
        return (order.get(p.file, last), p.file, p.line or 0, p.column or 0, p.code,
                p.record, p.field, p.message, p.severity)

    unique = each_once(sorted(chain(source_problems, together, chain.from_iterable(shares)),
                              key=place))
    total: dict[str, int] = {}
    for c in counts:
        for what, v in c.items():
            total[what] = total.get(what, 0) + v
    total["sources"] = n_sources
    return Summary(path, unique, total, dict(qps), exact, quotes, changes, report)


# --------------------------------------------------------------------------------------------
# keeping


def _row(p: Problem) -> tuple[Any, ...]:
    return (p.code, p.message, p.file, p.line, p.column, p.record, p.field, p.severity)


def _problem(row: Iterable[Any]) -> Problem:
    return Problem(*row)


def _signature() -> bytes:
    """What a kept check depends on besides the files: the loader's code and kinds, and the
    checks' own code."""
    h = hashlib.sha256(cache._code_signature())
    cache.hash_modules(h, _MODULES)
    return h.digest()


def _entry(path: Path, suffix: str) -> Path | None:
    folder = cache.cache_dir()
    return None if folder is None else folder / (cache._path_key(path) + suffix)


#: the first line of a kept entry, before the checksum of the rest (:func:`pack.checksum`):
#: marshal reads an entry only once that holds (five bytes of noise, a count of 2**31, once
#: made marshal fill a 16 GB tuple). Like the pack's, a catch for damage on disk, no seal
#: against an entry forged on purpose by someone who can write the user's cache.
_HEAD = b"csto-tui kept 1 "


def _read(entry: Path | None, sig: bytes) -> tuple[Any, ...] | None:
    """What was kept in ``entry``, if it is whole and made by this code."""
    if entry is None:
        return None
    try:
        blob = reading.read_bytes(entry)
        eol = blob.find(b"\n")
        body = memoryview(blob)[eol + 1:]
        if eol < 0 or blob[:eol] != _HEAD + checksum([body]):
            return None
        got = marshal.loads(body)
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if not isinstance(got, tuple) or len(got) < 3 or got[0] != VERSION or got[1] != sig:
        return None
    return got


def _write(path: Path, suffix: str, what: tuple[Any, ...], mode: int) -> None:
    """Keep ``what`` in the entry of ``suffix``, readable by no one who cannot read the files
    (``mode``: the most restrictive of the files whose words it holds, as read: the data and
    anchors files', the sources', :attr:`loader.LoadResult.mode`)."""
    entry = _entry(path, suffix)
    if entry is None:
        return
    body = marshal.dumps(what)
    cache._write(entry, [_HEAD, checksum([body]), b"\n", body], mode)


def _names(files: list[Path]) -> dict[str, str]:
    """Each data file's name (as problems give it) -> its anchors file's."""
    return {(name := str(f)): anchors_name(name) for f in files}
