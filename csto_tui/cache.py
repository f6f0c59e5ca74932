"""The cache of validated data files (no textual).

One entry per data file: what :func:`csto_tui.loader.validate_file` found in it (its records
and its problems) and its anchors file's rows, keyed by the bytes of both files. An edited file
has another key, so an entry is never served stale; references across files are checked on
every load, never cached.

An entry is JSON (plain strings, numbers, lists: reading one can never run code), behind a
header line with the cache's format version and the SHA-256 of the rest. Anything in doubt (a
header from another version, a checksum that does not match, JSON that does not parse, a value
of the wrong type or a column of the wrong length) and the entry is ignored: the file is
validated again. The key also covers the registry of record kinds and the code of the
loader, so a change to either never reads an old entry. The cache lives in
``$XDG_CACHE_HOME/csto-tui`` (or ``~/.cache/csto-tui``); ``CSTO_TUI_CACHE=0`` turns it
off; deleting it is always safe.
"""

from __future__ import annotations

import _thread
import hashlib
import json
import os
import stat
from collections.abc import Iterable
from itertools import chain, repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import reading, records
from .errors import Problem
from .facts import Action, Amount, When
from .model import Anchor
from .values import PartialDate

if TYPE_CHECKING:
    from .loader import FilePart

#: Format of an entry; a change of it (or of the registry, or of the loader) is a new key.
FORMAT = b"csto-tui-cache 3"
KEEP = 4096  # entries kept (a folder dataset has one per data file), most recently used first
_HEADER_LEN = len(FORMAT) + 1 + 64 + 1


def cache_dir() -> Path | None:
    if os.environ.get("CSTO_TUI_CACHE", "1").lower() in ("0", "false", "no", "off"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "csto-tui"


_signature: bytes | None = None
_signed: tuple[tuple[records.Kind, ...], bytes] | None = None


def _code_signature() -> bytes:
    """What validation depends on besides the files: the registry and the loader's code."""
    global _signature, _signed
    kinds = records.kinds()
    if _signed is not None and _signed[0] == kinds and all(
            a is b for a, b in zip(_signed[0], kinds, strict=True)):
        return _signed[1]
    h = hashlib.sha256(FORMAT)
    for k in kinds:
        h.update(repr(_kind_shape(k)).encode())
    if _signature is None:
        code = hashlib.sha256()
        here = Path(__file__).resolve().parent
        for name in ("loader.py", "records.py", "schema.py", "rules.py", "model.py",
                     "vocabulary.py", "cache.py"):
            try:
                code.update((here / name).read_bytes())
            except OSError:
                code.update(name.encode())
        _signature = code.digest()
    h.update(_signature)
    _signed = (kinds, h.digest())
    return _signed[1]


def _kind_shape(k: records.Kind) -> tuple[Any, ...]:
    return (k.name, k.table, k.cls.__name__, k.has_id, k.needs_quote,
            tuple((f.key, f.type, f.required, f.choices, f.refs, f.attr, f.dangling,
                   repr(f.default), _kind_shape(f.of) if f.of else None) for f in k.fields))


def digest(raw: bytes) -> bytes:
    """What an entry is keyed by, for each of its two files: the SHA-256 of the file's bytes
    (also the anchors file's write stamp, :class:`csto_tui.atomic.Stamp`)."""
    return hashlib.sha256(raw).digest()


def _key(data_digest: bytes, anchors_digest: bytes | None) -> str:
    h = hashlib.sha256(_code_signature())
    h.update(data_digest)
    h.update(b"-" if anchors_digest is None else anchors_digest)
    return h.hexdigest()


def _entry(data_digest: bytes, anchors_digest: bytes | None) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    return folder / f"{_key(data_digest, anchors_digest)}.json"


def has(data_digest: bytes, anchors_digest: bytes | None) -> bool:
    entry = _entry(data_digest, anchors_digest)
    return entry is not None and entry.is_file()


# ---- encoding -------------------------------------------------------------------------------


def _layout(k: records.Kind) -> list[tuple[str, records.Field | None, Any]]:
    """A kind's row in an entry: the class's attributes in order (what its constructor takes),
    each with its field, or None and the constructor's default for an attribute no field
    sets (a source's resolved ``path``)."""
    import inspect

    fields = {f.name: f for f in k.fields}
    params = inspect.signature(k.cls).parameters
    out = []
    for attr in k.cls._fields:  # type: ignore[attr-defined]
        f = fields.get(attr)
        default = None
        if f is None:
            p = params.get(attr)
            default = p.default if p is not None and p.default is not p.empty else None
        out.append((attr, f, default))
    return out


_layouts: dict[int, tuple[records.Kind, list[tuple[str, records.Field | None, Any]]]] = {}


def _layout_of(k: records.Kind) -> list[tuple[str, records.Field | None, Any]]:
    got = _layouts.get(id(k))
    if got is None or got[0] is not k:
        got = _layouts[id(k)] = (k, _layout(k))
    return got[1]


def _only(values: Iterable[Any], *types: type) -> None:
    """Raise ValueError unless every value is of one of ``types`` (the entry is in doubt)."""
    if not set(map(type, values)) <= set(types):
        raise ValueError(f"a value not of {types}")


# ---- writing an entry -------------------------------------------------------------------------
#
# An entry keeps every string once, in a table ("strings"); records and anchors hold indexes
# into it. Reading builds each distinct string once (equal ids, kinds, names, an anchor's text
# and its quote's are one object) and turns indexes back into strings with a C-level map.


class _Strings:
    """The table of distinct strings of an entry being written."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.table: list[str] = []

    def __call__(self, s: str) -> int:
        i = self.index.get(s)
        if i is None:
            i = self.index[s] = len(self.table)
            self.table.append(s)
        return i


def _enc(f: records.Field, val: Any, st: _Strings) -> Any:
    t = f.type
    if t == "str":
        return st(val)
    if t == "strs":
        return [st(x) for x in val]
    if t == "date":
        return None if val is None else st(val.iso())
    if t in ("when", "amount"):
        return None if val is None else st(val.text)
    if t in ("action", "response"):
        return None if val is None else st(val.code)
    if t == "notes":
        return [[st(k), st(why)] for k, why in val]
    if t == "tables":
        assert f.of is not None
        layout = _layout_of(f.of)
        return [[None if g is None else _enc(g, getattr(r, attr), st) for attr, g, _ in layout]
                for r in val]
    return val  # numbers, years, booleans as they are


def _problem_row(p: Problem) -> list[Any]:
    return [p.code, p.message, p.line, p.column, p.record, p.field, p.severity]


def _problems(rows: Any, file: str) -> list[Problem]:
    return [Problem(code, msg, file, line, col, rec, fld, sev)
            for code, msg, line, col, rec, fld, sev in rows]


_ANCHOR_STRS = ("quote", "source", "exact", "prefix", "suffix", "review", "found", "text_key")
_ANCHOR_INTS = ("start", "end", "found_start", "found_end")


def _encode(part: FilePart) -> bytes:
    st = _Strings()
    recs = {}
    for name, rs in part.records.items():
        recs[name] = [None if f is None else [_enc(f, getattr(r, attr), st) for r in rs]
                      for attr, f, _ in _layout_of(records.kind(name))]
    sound = {r.id for rs in part.records.values() for r in rs if hasattr(r, "id")}
    rows = list(part.anchors.values())
    doc = {
        "title": part.title, "base": part.base,
        "records": recs,
        # ids of records that failed validation (the sound ones are the records' own ids)
        "faulty": {k: [st(i) for i in ids if i not in sound]
                   for k, ids in part.declared.items()},
        "problems": [_problem_row(p) for p in part.problems],
        "anchors": [[st(getattr(a, n)) for a in rows] for n in _ANCHOR_STRS]
        + [[getattr(a, n) for a in rows] for n in _ANCHOR_INTS],
        "anchor_problems": [_problem_row(p) for p in part.anchor_problems],
        "strings": st.table,
    }
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# ---- reading entries ----------------------------------------------------------------------------


class _Dates(dict[Any, Any]):
    """Dates parsed once per distinct text (None stays None)."""

    def __missing__(self, text: Any) -> PartialDate:
        d = self[text] = PartialDate.parse(text)  # ValueError for anything else
        return d


def _strings(f: records.Field, col: Any, get: Any) -> list[Any]:
    """A column of an entry with its strings taken from the entry's table (``get``)."""
    t = f.type
    if type(col) is not list:
        raise ValueError("not a column")
    if t == "str":
        return list(map(get, col))
    if t == "strs":
        return [tuple(map(get, x)) for x in col]
    if t in ("date", "when", "amount", "action", "response"):
        return [None if x is None else get(x) for x in col]
    if t == "notes":
        return [tuple((get(k), get(why)) for k, why in x) for x in col]
    if t == "tables":
        assert f.of is not None
        layout = _layout_of(f.of)
        return [[[None if g is None else _strings(g, [v], get)[0]
                  for (_a, g, _d), v in zip(layout, row, strict=True)] for row in rows]
                for rows in col]
    return col


class _Joined:
    """The columns of every entry of a load, kind by kind, joined as entries are read (each
    entry's document is dropped once joined), then turned into records all at once."""

    def __init__(self) -> None:
        self.cols: dict[str, list[list[Any]]] = {}
        self.counts: dict[str, list[int]] = {}
        self.anchors: list[list[Any]] = [[] for _ in range(len(_ANCHOR_STRS) +
                                                          len(_ANCHOR_INTS))]
        self.entries: list[tuple[Path, Any, dict[str, list[str]], int]] = []

    def add(self, data_file: Path, doc: Any) -> None:
        """Join one entry (ValueError, TypeError, IndexError...: in doubt, nothing joined)."""
        table = doc["strings"]
        if type(table) is not list:
            raise ValueError("strings")
        _only(table, str)
        get = table.__getitem__
        n_entry = len(self.entries)
        found: dict[str, list[list[Any]]] = {}
        sizes: dict[str, int] = {}
        recs = doc["records"]
        if type(recs) is not dict:
            raise ValueError("records")
        for name, cols in recs.items():
            layout = _layout_of(records.kind(name))
            if type(cols) is not list or len(cols) != len(layout):
                raise ValueError("columns of the wrong shape")
            out: list[list[Any]] = []
            n = -1
            for (_attr, f, _default), col in zip(layout, cols, strict=True):
                if f is None:
                    out.append([])
                    continue
                values = _strings(f, col, get)
                if n not in (-1, len(values)):
                    raise ValueError("columns of different lengths")
                n = len(values)
                out.append(values)
            found[name], sizes[name] = out, max(n, 0)
        acols = doc["anchors"]
        if type(acols) is not list or len(acols) != len(self.anchors) or any(
                type(c) is not list or len(c) != len(acols[0]) for c in acols):
            raise ValueError("anchors")
        anchors = [list(map(get, c)) for c in acols[:len(_ANCHOR_STRS)]]
        ints = acols[len(_ANCHOR_STRS):]
        _only(ints[0], int)
        _only(ints[1], int)
        _only(ints[2], int, type(None))
        _only(ints[3], int, type(None))
        faulty = doc["faulty"]
        if type(faulty) is not dict:
            raise ValueError("faulty")
        faulty = {records.kind(k).name: list(map(get, ids)) for k, ids in faulty.items()}
        title, base = doc["title"], doc["base"]
        if type(title) is not str or base not in (".", ".."):
            raise ValueError("title or base")
        probs = [doc["problems"], doc["anchor_problems"]]
        _problems(probs[0], "")  # of the right shape (TypeError, ValueError otherwise)
        _problems(probs[1], "")
        # all in order: join
        for name, out in found.items():
            mine = self.cols.get(name)
            if mine is None:
                mine = self.cols[name] = [[] for _ in out]
                self.counts[name] = []
            for m, values in zip(mine, out, strict=True):
                m += values
            counts = self.counts[name]
            counts += [0] * (n_entry - len(counts))
            counts.append(sizes[name])
        for m, values in zip(self.anchors, anchors + ints, strict=True):
            m += values
        self.entries.append((data_file, (title, base, probs), faulty, len(anchors[0])))

    def parts(self) -> list[FilePart]:
        """Every entry's part (ValueError...: one of them is in doubt)."""
        from .loader import FilePart, anchors_path_for

        n_entries = len(self.entries)
        dates = _Dates({None: None})
        per_entry: list[dict[str, list[Any]]] = [{} for _ in range(n_entries)]
        for name, cols in self.cols.items():
            k = records.kind(name)
            built = _build(k, cols, dates)
            self.cols[name] = []  # the joined columns can go
            counts = self.counts[name]
            at = 0
            for e, n in enumerate(counts):
                if n:
                    per_entry[e][name] = built[at:at + n]
                    at += n
        anchors = list(map(Anchor, *self.anchors[:5], *self.anchors[8:10], *self.anchors[5:7],
                           *self.anchors[10:12], self.anchors[7]))
        qids = self.anchors[0]
        out = []
        at = 0
        for e, (data_file, (title, base, probs), faulty, n) in enumerate(self.entries):
            recs = per_entry[e]
            declared = {name: [r.id for r in rs] for name, rs in recs.items()
                        if records.kind(name).has_id}
            for name, ids in faulty.items():
                declared.setdefault(name, []).extend(ids)
            problems = _problems(probs[0], str(data_file)) if probs[0] else []
            aprobs = _problems(probs[1], str(anchors_path_for(data_file))) if probs[1] else []
            out.append(FilePart(title, base, recs, declared, problems,
                                dict(zip(qids[at:at + n], anchors[at:at + n], strict=True)),
                                aprobs))
            at += n
        return out


#: how values of the analyst's types come back from their text (an action code of "none" is
#: stored as null)
_PARSE: dict[str, Any] = {"when": When.parse, "amount": Amount.parse, "action": Action.parse,
                          "response": Action.parse}


class _Parsed(dict[Any, Any]):
    """Values of one of the analyst's types, parsed once per distinct text (None stays)."""

    def __init__(self, parse: Any) -> None:
        super().__init__({None: None})
        self.parse = parse

    def __missing__(self, text: Any) -> Any:
        got = self[text] = self.parse(text)  # ValueError for anything else
        return got


def _build(k: records.Kind, cols: list[list[Any]], dates: _Dates) -> list[Any]:
    """The records of a kind from its joined columns (strings already taken from their
    tables): dates parsed, numbers and flags checked, nested tables built, then one
    constructor call per record over the columns."""
    args: list[Any] = []
    for (_attr, f, default), col in zip(_layout_of(k), cols, strict=True):
        if f is None:
            args.append(repeat(default))
            continue
        t = f.type
        if t == "date":
            col = list(map(dates.__getitem__, col))
        elif t in _PARSE:
            memo = _Parsed(_PARSE[t])
            col = list(map(memo.__getitem__, col))
        elif t == "number":
            _only(col, int, float, type(None))
            col = [None if x is None else float(x) for x in col]
        elif t == "year":
            _only(col, int, type(None))
        elif t == "bool":
            _only(col, bool)
        elif t == "tables":
            assert f.of is not None
            flat = list(chain.from_iterable(col))
            width = len(_layout_of(f.of))
            if any(type(r) is not list or len(r) != width for r in flat):
                raise ValueError("row of the wrong shape")
            subs = iter(_build(f.of, [list(c) for c in zip(*flat, strict=True)] if flat
                               else [[] for _ in range(width)], dates))
            col = [tuple([next(subs) for _ in rows]) for rows in col]
        args.append(col)
    return list(map(k.cls, *args))


_DOUBT = (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError)


def _read(data_digest: bytes, anchors_digest: bytes | None) -> tuple[Path, Any] | None:
    """(entry, its JSON document) for these files, or None (absent, or a header or checksum
    in doubt)."""
    entry = _entry(data_digest, anchors_digest)
    if entry is None:
        return None
    try:
        blob = reading.read_bytes(entry)  # a regular file of bounded size, or nothing
    except OSError:
        return None
    head, body = blob[:_HEADER_LEN], blob[_HEADER_LEN:]
    if head != FORMAT + b" " + hashlib.sha256(body).hexdigest().encode() + b"\n":
        return None
    try:
        return entry, json.loads(body)
    except _DOUBT:
        return None


def get_many(files: list[tuple[Path, bytes, bytes | None]]) -> list[FilePart | None]:
    """For each (data file, :func:`digest` of its bytes, of its anchors file's or None): its
    validated part from the cache, or None (not cached, or anything about the entry in doubt:
    the file is then validated again). The entries are read one by one and joined: their
    records are built together (a folder of 2,000 files costs about what one file of the
    same records does)."""
    joined = _Joined()
    hits: list[tuple[int, Path]] = []
    for i, (f, d, ad) in enumerate(files):
        got = _read(d, ad)
        if got is None:
            continue
        try:
            joined.add(f, got[1])
        except _DOUBT:
            continue
        hits.append((i, got[0]))
    out: list[FilePart | None] = [None] * len(files)
    try:
        parts: list[FilePart | None] = list(joined.parts())
    except _DOUBT:  # one entry is in doubt: each on its own, keeping the others
        parts = []
        for i, _entry_path in hits:
            one = _Joined()
            try:
                got = _read(files[i][1], files[i][2])
                assert got is not None
                one.add(files[i][0], got[1])
                parts += one.parts()
            except (*_DOUBT, AssertionError):
                parts.append(None)
    for (i, entry), part in zip(hits, parts, strict=True):
        out[i] = part
        if part is not None:
            try:
                os.utime(entry)  # recently used: pruned last
            except OSError:
                pass
    return out


def get(data_file: Path, data_digest: bytes, anchors_digest: bytes | None
        ) -> FilePart | None:
    """The validated part of one data file (see :func:`get_many`)."""
    return get_many([(data_file, data_digest, anchors_digest)])[0]


def put(data_digest: bytes, anchors_digest: bytes | None, part: FilePart,
        readers_of: tuple[Path, ...] = ()) -> None:
    """Keep a validated part (any failure to write is ignored: the cache only saves time).

    The entry is readable by no one who cannot read the files it was made from
    (``readers_of``: the data file and its anchors file): it gets the most restrictive of
    their modes, less the umask; the cache's folder is made private (0700), as XDG asks."""
    entry = _entry(data_digest, anchors_digest)
    if entry is None:
        return
    body = _encode(part)
    blob = FORMAT + b" " + hashlib.sha256(body).hexdigest().encode() + b"\n" + body
    mode = 0o666
    for f in readers_of:
        try:
            mode &= os.stat(f).st_mode
        except OSError:
            pass
    # one temporary name per process and thread: the dashboard's load worker and its sync
    # screen may write the same entry at once
    tmp = entry.with_suffix(f".{os.getpid()}-{_thread.get_ident()}.tmp")
    try:
        entry.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0),
                     mode & 0o666)  # the umask applies too
        try:
            os.fchmod(fd, stat.S_IMODE(os.fstat(fd).st_mode) & mode)  # if it existed
        finally:
            os.close(fd)
        tmp.write_bytes(blob)
        os.replace(tmp, entry)
        _prune(entry.parent)
    except BaseException as exc:
        # a disk full or a Ctrl-C mid-write: no half-written temporary file left behind
        try:
            tmp.unlink()
        except OSError:
            pass
        if not isinstance(exc, OSError):
            raise


_writes = 0


def _prune(folder: Path) -> None:
    global _writes
    _writes += 1
    if _writes % 64 != 1:  # a folder dataset writes many entries: look now and then
        return
    entries = []
    for p in folder.glob("*.json"):
        try:
            entries.append((p.stat().st_mtime, p))
        except OSError:
            pass
    entries.sort(reverse=True)
    for _, old in entries[KEEP:]:
        try:
            old.unlink()
        except OSError:
            pass
