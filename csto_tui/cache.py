"""The cache of validated data files (no textual).

What :func:`csto_tui.validator.validate_file` found in each data file (its records and its
problems) and its anchors file's rows, keyed by the bytes of both files: an edited file has
another key, so its part is never served stale; references across files are checked on every
load, never cached. A dataset's files are kept together, in one entry (a *pack*, below): a load
reads one file, and after an edit only the edited file is validated and encoded again.

A pack holds plain strings and numbers in arrays (reading one can never run code), behind a
header line with the cache's format version and the SHA-256 of the rest. Anything in doubt (a
header from another version, a checksum that does not match, a header that does not parse, a
column of the wrong type or length, an index out of its table) and the pack is ignored: the
files are validated again. The key also covers the registry of record kinds and the code of
the loader, so a change to either never reads an old pack. The cache lives in
``$XDG_CACHE_HOME/csto-tui`` (or ``~/.cache/csto-tui``); ``CSTO_TUI_CACHE=0`` turns it
off; deleting it is always safe.
"""

from __future__ import annotations

import _thread
import hashlib
import json
import math
import os
import stat
import sys
from array import array
from collections.abc import Iterable
from itertools import accumulate, repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import reading, records
from .errors import Problem
from .facts import Action, Amount, When
from .model import Anchor
from .values import PartialDate

if TYPE_CHECKING:
    from .validator import FilePart

#: Format of an entry; a change of it (or of the registry, or of the loader) is a new key.
FORMAT = b"csto-tui-cache 5"
KEEP = 4096  # datasets whose last pack is remembered
KEEP_PACKS = 8  # packs kept (one per dataset and version of its files), most recently used first


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
        for name in ("loader.py", "validator.py", "locator.py", "anchorsfile.py", "records.py",
                     "schema.py", "rules.py", "model.py", "vocabulary.py", "cache.py"):
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


# ---- the pack: every data file's part in one entry ---------------------------------------------
#
# A load reads one entry, the dataset's pack: for each data file (by name, keyed by the SHA-256
# of its bytes and of its anchors file's), what validating it found, as columns joined over
# all the files. Every string is kept once, in one table (1-based; 0 stands for None), and
# records hold indexes into it; every column is an array of 32-bit integers (64-bit floats for
# numbers), so that reading it back is C-level work: no value is parsed one by one, and a
# folder of 2,000 files costs what one file of the same records does. Records are built for
# all files at once, then cut into each file's part.
#
# The pack is stored under a key of the files' bytes (a copy of the dataset elsewhere uses it),
# and the dataset's path names its last pack (``<key of the path>.last``). After an edit, the
# files whose bytes the last pack holds take their part from it, the others are validated
# again; the new pack takes the unchanged files' stretches of each column as they are (bytes
# copied, not encoded again) and encodes only what was validated.
#
# Layout: ``FORMAT <sha256 of the rest>\n``, a JSON header line (the files: name, digests,
# title, base, problems, ids of faulty records; the columns' names, types and byte ranges), then
# the binary body (little-endian): the strings as UTF-8, their lengths, each column, and the
# table of each file's length in each column.

NONE_INT = -(2 ** 31)  # a year or a position that is not there
_STRS_LIKE = ("str", "date", "when", "amount", "action", "response")
_LITTLE = sys.byteorder == "little"
#: strings appended by edits (left in the table, perhaps unused) before a pack is encoded anew
GARBAGE_SHARE = 0.25


def _specs_of(k: records.Kind, prefix: str) -> list[tuple[str, str]]:
    """(column name, typecode) of each column of a kind, nested kinds flattened."""
    out: list[tuple[str, str]] = []
    for attr, f, _d in _layout_of(k):
        if f is None:
            continue
        name = prefix + attr
        t = f.type
        if t in _STRS_LIKE or t in ("year", "bool"):
            out.append((name, "i"))
        elif t == "number":
            out.append((name, "d"))
        elif t == "strs":
            out += [(name + "#", "i"), (name, "i")]
        elif t == "notes":
            out += [(name + "#", "i"), (name + ".key", "i"), (name + ".why", "i")]
        else:  # tables
            assert f.of is not None
            out.append((name + "#", "i"))
            out += _specs_of(f.of, name + ".")
    return out


_ANCHOR_STRS = ("quote", "source", "exact", "prefix", "suffix", "review", "found", "text_key")
_ANCHOR_INTS = ("start", "end", "found_start", "found_end")


def _specs() -> list[tuple[str, str]]:
    """Every column of a pack: each kind's, then the anchors'."""
    out = []
    for k in records.kinds():
        out += _specs_of(k, k.name + ":")
    out += [("anchor:" + n, "i") for n in _ANCHOR_STRS + _ANCHOR_INTS]
    return out


def _text_of(t: str, val: Any) -> str | None:
    """The text a value of the analyst's types is kept as (read back by its parser)."""
    if val is None or t == "str":
        return val
    if t == "date":
        return str(val.iso())
    if t in ("when", "amount"):
        return str(val.text)
    return str(val.code)  # action, response


class _Strings:
    """The table of strings of a pack being written: indexes from ``start`` on (1-based)."""

    def __init__(self, start: int = 0) -> None:
        self.index: dict[str, int] = {}
        self.table: list[str] = []
        self.start = start

    def __call__(self, s: str | None) -> int:
        if s is None:
            return 0
        i = self.index.get(s)
        if i is None:
            self.table.append(s)
            i = self.index[s] = self.start + len(self.table)
        return i


def _enc_kind(k: records.Kind, recs: list[Any], st: _Strings, prefix: str,
              out: dict[str, list[Any]]) -> None:
    for attr, f, _d in _layout_of(k):
        if f is None:
            continue
        name = prefix + attr
        vals = [getattr(r, attr) for r in recs]
        t = f.type
        if t in _STRS_LIKE:
            out[name] = [st(_text_of(t, v)) for v in vals]
        elif t == "strs":
            out[name + "#"] = list(map(len, vals))
            out[name] = [st(x) for v in vals for x in v]
        elif t == "notes":
            out[name + "#"] = list(map(len, vals))
            out[name + ".key"] = [st(key) for v in vals for key, _ in v]
            out[name + ".why"] = [st(why) for v in vals for _, why in v]
        elif t == "tables":
            assert f.of is not None
            out[name + "#"] = list(map(len, vals))
            _enc_kind(f.of, [r for v in vals for r in v], st, name + ".", out)
        elif t == "number":
            out[name] = [math.nan if v is None else v for v in vals]
        elif t == "year":
            out[name] = [NONE_INT if v is None else v for v in vals]
        else:  # bool
            out[name] = [1 if v else 0 for v in vals]


def _segment(part: FilePart, st: _Strings, specs: list[tuple[str, str]]) -> list[bytes]:
    """One file's stretch of every column (OverflowError: a value beyond 32 bits)."""
    cols: dict[str, list[Any]] = {}
    for name, rs in part.records.items():
        _enc_kind(records.kind(name), rs, st, name + ":", cols)
    rows = list(part.anchors.values())
    for n in _ANCHOR_STRS:
        cols["anchor:" + n] = [st(getattr(a, n)) for a in rows]
    cols["anchor:start"] = [a.start for a in rows]
    cols["anchor:end"] = [a.end for a in rows]
    cols["anchor:found_start"] = [NONE_INT if a.found_start is None else a.found_start
                                  for a in rows]
    cols["anchor:found_end"] = [NONE_INT if a.found_end is None else a.found_end for a in rows]
    return [_bytes(array(code, cols.get(name, ()))) for name, code in specs]


def _bytes(arr: array[Any]) -> bytes:
    if not _LITTLE:
        arr.byteswap()
    return arr.tobytes()


def _array(code: str, raw: bytes | memoryview) -> array[Any]:
    arr = array(code)
    if len(raw) % arr.itemsize:
        raise ValueError("a column of the wrong length")
    arr.frombytes(raw)
    if not _LITTLE:
        arr.byteswap()
    return arr


def _problem_row(p: Problem) -> list[Any]:
    return [p.code, p.message, p.line, p.column, p.record, p.field, p.severity]


def _problems(rows: Any, file: str) -> list[Problem]:
    return [Problem(code, msg, file, line, col, rec, fld, sev)
            for code, msg, line, col, rec, fld, sev in rows]


def _file_row(name: str, d: bytes, ad: bytes | None, part: FilePart, st: _Strings
              ) -> list[Any]:
    """What a pack says of one file besides its columns."""
    sound = {r.id for rs in part.records.values() for r in rs if hasattr(r, "id")}
    return [name, d.hex(), None if ad is None else ad.hex(), part.title, part.base,
            [_problem_row(p) for p in part.problems],
            [_problem_row(p) for p in part.anchor_problems],
            # ids of records that failed validation (the sound ones are the records' own)
            {k: [st(i) for i in ids if i not in sound] for k, ids in part.declared.items()}]


# ---- reading a pack -------------------------------------------------------------------------


class _Dates(dict[Any, Any]):
    """Dates parsed once per distinct text (None stays None)."""

    def __missing__(self, text: Any) -> PartialDate:
        d = self[text] = PartialDate.parse(text)  # ValueError for anything else
        return d


#: how values of the analyst's types come back from their text
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


def _cut(flat: list[Any], counts: Any) -> list[tuple[Any, ...]]:
    """``flat`` cut into one tuple per record, of its count each."""
    n = len(counts)
    if not flat and counts.count(0) == n:
        return [()] * n  # none of the records has one (an optional list: often)
    if len(flat) == n and counts.count(1) == n:
        return list(zip(flat))  # one each (a record citing one quote: often)
    if counts and min(counts) < 0:
        raise ValueError("a negative count")
    ends = list(accumulate(counts))
    if (ends[-1] if ends else 0) != len(flat):
        raise ValueError("counts and values differ")
    starts = [0, *ends[:-1]]
    return list(map(tuple, map(flat.__getitem__, map(slice, starts, ends))))


class Pack:
    """A pack as read: its files, strings and columns (raises ValueError and the like when
    anything is in doubt)."""

    def __init__(self, entry: Path, blob: bytes) -> None:
        self.entry = entry
        view = memoryview(blob)
        eol = blob.find(b"\n")
        if eol < 0 or blob[:eol] != FORMAT + b" " + hashlib.sha256(view[eol + 1:]).hexdigest(
                ).encode():
            raise ValueError("header or checksum")
        eoh = blob.find(b"\n", eol + 1)
        if eoh < 0:
            raise ValueError("no header")
        doc = json.loads(view[eol + 1:eoh].tobytes())
        if type(doc) is not dict:
            raise ValueError("not a pack")
        self.body = rest = view[eoh + 1:]
        files = doc["files"]
        if type(files) is not list or any(type(f) is not list or len(f) != 8 for f in files):
            raise ValueError("files")
        self.files: list[list[Any]] = files
        self.appended = doc["appended"]
        if type(self.appended) is not int:
            raise ValueError("appended")
        specs = [tuple(c) for c in doc["columns"]]
        if specs != [(n, c) for n, c in _specs()]:
            raise ValueError("columns of another registry")
        self.specs: list[tuple[str, str]] = _specs()
        self.ranges = doc["ranges"]  # byte ranges: strings, lengths of strings, columns, table
        n_cols = len(self.specs)
        if (type(self.ranges) is not list or len(self.ranges) != n_cols + 3
                or any(type(r) is not list or len(r) != 2 or type(r[0]) is not int
                       or type(r[1]) is not int or not 0 <= r[0] <= r[1] <= len(rest)
                       for r in self.ranges)):
            raise ValueError("ranges")
        text = str(self._range(0), "utf-8")
        lengths = _array("i", self._range(1))  # of each string, in characters
        if lengths and min(lengths) < 0:
            raise ValueError("lengths of strings")
        ends = list(accumulate(lengths))
        if (ends[-1] if ends else 0) != len(text):
            raise ValueError("strings")
        self.strings: list[Any] = [None]
        self.strings += map(text.__getitem__, map(slice, [0, *ends[:-1]], ends))
        del text
        # each file's length in each column, and where each file's stretch starts
        table = _array("i", self._range(n_cols + 2))
        if len(table) != n_cols * len(files) or (table and min(table) < 0):
            raise ValueError("table of lengths")
        self.lengths = [table[i::n_cols] for i in range(n_cols)]  # per column, per file
        for (_name, code), r, ls in zip(self.specs, self.ranges[2:], self.lengths, strict=False):
            if sum(ls) * array(code).itemsize != r[1] - r[0]:
                raise ValueError("a column's length")

    def section(self, i: int) -> memoryview:
        """The bytes of section ``i`` of the body (0: the strings, 1: their lengths)."""
        return self._range(i)

    def _range(self, i: int) -> memoryview:
        a, b = self.ranges[i]
        return self.body[a:b]

    def column(self, c: int) -> array[Any]:
        return _array(self.specs[c][1], self._range(c + 2))

    def stretch(self, c: int, first: int, end: int) -> memoryview:
        """The bytes of column ``c`` of files ``first`` to ``end`` (excluded)."""
        size = array(self.specs[c][1]).itemsize
        start = self.ranges[c + 2][0]
        lengths = self.lengths[c]
        a = start + size * sum(lengths[:first])
        return self.body[a:a + size * sum(lengths[first:end])]

    def table(self, first: int, end: int) -> memoryview:
        """The rows of files ``first`` to ``end`` of the table of lengths."""
        n = len(self.specs) * 4
        a = self.ranges[-1][0]
        return self.body[a + n * first:a + n * end]

    def key_of(self, f: int) -> tuple[str, str, str | None]:
        name, d, ad = self.files[f][:3]
        return name, d, ad

    def parts(self, paths: list[Path | None]) -> list[FilePart | None]:
        """The part of each file of the pack, named by ``paths`` (None: not wanted)."""
        from .loader import anchors_path_for
        from .validator import FilePart

        strings = self.strings
        get = strings.__getitem__
        top = len(strings)
        cols = {name: i for i, (name, _c) in enumerate(self.specs)}
        dates = _Dates({None: None})
        n_files = len(self.files)

        def strs(c: int, kind: str = "str") -> list[Any]:
            """A column of indexes as its strings (None allowed unless ``kind`` is str)."""
            out = list(map(get, self.column(c)))  # IndexError: out of the table
            if kind == "str" and None in out:
                raise ValueError("a string that is not there")
            return out

        def build(k: records.Kind, prefix: str) -> list[Any]:
            args: list[Any] = []
            for attr, f, default in _layout_of(k):
                if f is None:
                    args.append(repeat(default))
                    continue
                name = prefix + attr
                t = f.type
                if t == "str":
                    vals: Any = strs(cols[name])
                elif t == "date":
                    vals = list(map(dates.__getitem__, strs(cols[name], "")))
                elif t in _PARSE:
                    memo = _Parsed(_PARSE[t])
                    vals = list(map(memo.__getitem__, strs(cols[name], "")))
                elif t == "strs":
                    vals = _cut(strs(cols[name]), self.column(cols[name + "#"]))
                elif t == "notes":
                    pairs = list(zip(strs(cols[name + ".key"]), strs(cols[name + ".why"]),
                                     strict=True))
                    vals = _cut(pairs, self.column(cols[name + "#"]))
                elif t == "tables":
                    assert f.of is not None
                    vals = _cut(build(f.of, name + "."), self.column(cols[name + "#"]))
                elif t == "number":
                    vals = self.column(cols[name]).tolist()
                    if all(map(math.isnan, vals)):
                        vals = [None] * len(vals)  # not given in any record (often)
                    elif any(map(math.isnan, vals)):
                        vals = [None if x != x else x for x in vals]
                elif t == "year":
                    vals = self.column(cols[name]).tolist()
                    if set(vals) - {NONE_INT} and not all(1000 <= x <= 9999 for x in vals
                                                          if x != NONE_INT):
                        raise ValueError("a year")
                    vals = [None if x == NONE_INT else x for x in vals]
                else:  # bool
                    vals = self.column(cols[name]).tolist()
                    if not set(vals) <= {0, 1}:
                        raise ValueError("a flag")
                    vals = list(map(bool, vals))
                args.append(vals)
            if len({len(a) for a in args if type(a) is not repeat}) > 1:
                raise ValueError("columns of different lengths")
            return list(map(k.cls, *args))

        per_file: list[dict[str, list[Any]]] = [{} for _ in range(n_files)]
        for k in records.kinds():
            first = next(i for i, (name, _c) in enumerate(self.specs)
                         if name.startswith(k.name + ":"))
            counts = self.lengths[first]
            if not sum(counts):
                continue
            built = build(k, k.name + ":")
            at = 0
            for f, n in enumerate(counts):
                if n:
                    per_file[f][k.name] = built[at:at + n]
                    at += n
        a0 = cols["anchor:quote"]
        acols = [strs(a0 + i) for i in range(len(_ANCHOR_STRS))]
        ints = [self.column(a0 + len(_ANCHOR_STRS) + i).tolist() for i in range(4)]
        if any(x < 0 for c in ints[:2] for x in c) or any(
                x < 0 and x != NONE_INT for c in ints[2:] for x in c):
            raise ValueError("a position")
        ints[2:] = [[None if x == NONE_INT else x for x in c] for c in ints[2:]]
        # Anchor(quote, source, exact, prefix, suffix, start, end, review, found,
        #        found_start, found_end, text_key)
        anchors = list(map(Anchor, *acols[:5], *ints[:2], *acols[5:7], *ints[2:], acols[7]))
        qids = acols[0]
        anchor_counts = self.lengths[a0]
        out: list[FilePart | None] = []
        at = 0
        has_id = {k.name for k in records.kinds() if k.has_id}
        for f, (row, path) in enumerate(zip(self.files, paths, strict=True)):
            n = anchor_counts[f]
            _name, _d, _ad, title, base, probs, aprobs, faulty = row
            if path is None:
                out.append(None)
                at += n
                continue
            if type(title) is not str or base not in (".", "..") or type(faulty) is not dict:
                raise ValueError("a file's title, base or ids")
            recs = per_file[f]
            declared = {name: [r.id for r in rs] for name, rs in recs.items()
                        if name in has_id}
            for kname, ids in faulty.items():
                if ids:
                    if type(ids) is not list or not all(type(i) is int and 0 < i < top
                                                        for i in ids):
                        raise ValueError("ids of faulty records")
                    declared.setdefault(records.kind(kname).name, []).extend(map(get, ids))
            out.append(FilePart(
                title, base, recs, declared,
                _problems(probs, str(path)) if probs else [],
                dict(zip(qids[at:at + n], anchors[at:at + n], strict=True)),
                _problems(aprobs, str(anchors_path_for(path))) if aprobs else []))
            at += n
        return out


_DOUBT = (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError,
          OverflowError, StopIteration, UnicodeDecodeError)


def _read_pack(entry: Path) -> Pack | None:
    try:
        blob = reading.read_bytes(entry)  # a regular file of bounded size, or nothing
    except OSError:
        return None
    try:
        return Pack(entry, blob)
    except _DOUBT:
        return None


def _content_key(files: list[tuple[str, bytes, bytes | None]]) -> str:
    """The key of a pack: the files' names and the bytes of each and of its anchors file."""
    h = hashlib.sha256(_code_signature())
    for name, d, ad in files:
        h.update(name.encode("utf-8", "surrogateescape") + b"\0" + d
                 + (b"-" if ad is None else ad))
    return h.hexdigest()


def content_key(files: list[tuple[Path, bytes, bytes | None]]) -> str:
    """:func:`_content_key` of (data file, its digest, its anchors file's)."""
    return _content_key([(f.name, d, ad) for f, d, ad in files])


def _path_key(dataset: Path) -> str:
    h = hashlib.sha256(_code_signature())
    h.update(os.fsencode(str(dataset.resolve())))
    return h.hexdigest()


def _last(folder: Path, dataset: Path) -> Path:
    return folder / f"{_path_key(dataset)}.last"


class Loaded:
    """What :func:`get` found: each file's part (None: to validate) and the pack it came from."""

    def __init__(self, parts: list[FilePart | None], pack: Pack | None,
                 taken: list[int | None], key: str) -> None:
        self.parts = parts
        self.pack = pack
        self.taken = taken  # for each file, its index in the pack (None: not in it)
        self.key = key


def get(dataset: Path, files: list[tuple[Path, bytes, bytes | None]]) -> Loaded:
    """For each (data file, :func:`digest` of its bytes, of its anchors file's or None): its
    validated part from the cache, or None (not there, or anything about the pack in doubt:
    the file is then validated again)."""
    named = [(f.name, d, ad) for f, d, ad in files]
    key = content_key(files)
    miss = Loaded([None] * len(files), None, [None] * len(files), key)
    folder = cache_dir()
    if folder is None:
        return miss
    pack = _read_pack(folder / f"{key}.pack")
    if pack is None:  # the files changed since: the dataset's last pack, for those that did not
        try:
            last = reading.read_bytes(_last(folder, dataset), 256).decode("ascii").strip()
        except (OSError, UnicodeDecodeError):
            last = ""
        if len(last) == 64 and all(c in "0123456789abcdef" for c in last) and last != key:
            pack = _read_pack(folder / f"{last}.pack")
    if pack is None:
        return miss
    where = {pack.key_of(i): i for i in range(len(pack.files))}
    taken = [where.get((name, d.hex(), None if ad is None else ad.hex()))
             for name, d, ad in named]
    paths: list[Path | None] = [None] * len(pack.files)
    for (f, _d, _ad), i in zip(files, taken, strict=True):
        if i is not None:
            paths[i] = f
    try:
        got = pack.parts(paths)
    except _DOUBT:
        return miss
    try:
        os.utime(pack.entry)  # recently used: pruned last
    except OSError:
        pass
    if None not in taken and pack.entry.name == f"{key}.pack":
        pack.body = memoryview(b"")  # nothing to write: its bytes and table can go now
        pack.strings = []
        pack.lengths = []
    return Loaded([None if i is None else got[i] for i in taken], pack, taken, key)


def has_all(files: list[tuple[Path, bytes, bytes | None]]) -> bool:
    """Whether the cache holds a pack of exactly these files (a load is quick)."""
    folder = cache_dir()
    key = content_key(files)
    return folder is not None and (folder / f"{key}.pack").is_file()


def put(dataset: Path, files: list[tuple[Path, bytes, bytes | None]],
        parts: list[FilePart], loaded: Loaded) -> None:
    """Keep the parts of a load as the dataset's pack, if it is not kept already (any failure
    to write is ignored: the cache only saves time). The files the last pack held keep their
    stretches of it; the others are encoded.

    The pack is readable by no one who cannot read the files it was made from: it gets the
    most restrictive of their modes, less the umask; the cache's folder is made private
    (0700), as XDG asks."""
    folder = cache_dir()
    if folder is None:
        return
    entry = folder / f"{loaded.key}.pack"
    last = _last(folder, dataset)
    if loaded.pack is not None and loaded.pack.entry == entry:
        _point(last, loaded.key)  # a copy of a dataset packed elsewhere: remembered here
        return
    old = loaded.pack
    specs = _specs()
    n_cols = len(specs)
    reuse = old is not None and old.appended <= GARBAGE_SHARE * len(old.strings)
    st = _Strings(len(old.strings) - 1 if old is not None and reuse else 0)
    rows: list[list[Any]] = []
    # the new pack's files, in runs: (first, end, None, b"") for files kept from the old pack
    # as they are, or (0, 0, its columns, its row of the table of lengths) for a file encoded
    runs: list[tuple[int, int, list[bytes] | None, bytes]] = []
    try:
        for (f, d, ad), part, i in zip(files, parts, loaded.taken, strict=True):
            if reuse and old is not None and i is not None:
                rows.append(old.files[i])
                if runs and runs[-1][2] is None and runs[-1][1] == i:
                    runs[-1] = (runs[-1][0], i + 1, None, b"")
                else:
                    runs.append((i, i + 1, None, b""))
            else:
                rows.append(_file_row(f.name, d, ad, part, st))
                seg = _segment(part, st, specs)
                sizes = array("i", (len(b) // array(code).itemsize
                                    for b, (_n, code) in zip(seg, specs, strict=True)))
                runs.append((0, 0, seg, _bytes(sizes)))
    except (OverflowError, ValueError):  # a position beyond 32 bits: not kept
        return
    # the table of strings: the old pack's as it is (its bytes copied), the new ones after it
    utf8 = "".join(st.table).encode("utf-8", "surrogatepass")
    lengths = _bytes(array("i", map(len, st.table)))
    if reuse and old is not None:
        body: list[bytes | memoryview] = [b"".join([old.section(0), utf8]),
                                          b"".join([old.section(1), lengths])]
    else:
        body = [utf8, lengths]
    del utf8
    kept = old if old is not None else _NO_PACK
    for c in range(n_cols):
        body.append(b"".join(seg[c] if seg is not None else kept.stretch(c, a, b)
                             for a, b, seg, _row in runs))
    body.append(b"".join(row if seg is not None else kept.table(a, b)
                         for a, b, seg, row in runs))
    ranges = []
    at = 0
    for b in body:
        ranges.append([at, at + len(b)])
        at += len(b)
    appended = (old.appended if reuse and old is not None else 0) + (
        len(st.table) if reuse else 0)
    head = json.dumps({"files": rows, "appended": appended, "columns": specs,
                       "ranges": ranges}, ensure_ascii=False, separators=(",", ":"))
    h = hashlib.sha256(head.encode("utf-8", "surrogatepass") + b"\n")
    for b in body:
        h.update(b)
    readers: list[Path] = []
    for f, _d, _ad in files:
        readers += [f, _anchors_of(f)]
    _write(entry, [FORMAT + b" " + h.hexdigest().encode() + b"\n",
                   head.encode("utf-8", "surrogatepass") + b"\n", *body], readers)
    if _point(last, loaded.key) and old is not None and old.entry != entry:
        try:
            old.entry.unlink()  # the dataset's pack before this edit
        except OSError:
            pass


def _anchors_of(f: Path) -> Path:
    from .loader import anchors_path_for

    return anchors_path_for(f)


class _NoPack:
    """What stands for the old pack when there is none (no file of it is kept)."""

    def stretch(self, c: int, first: int, end: int) -> bytes:
        raise AssertionError("no pack")

    def table(self, first: int, end: int) -> bytes:
        raise AssertionError("no pack")


_NO_PACK: Any = _NoPack()


def _point(last: Path, key: str) -> bool:
    """Name ``key`` as the dataset's last pack (True once written)."""
    try:
        if last.read_bytes() == key.encode():
            return True
    except OSError:
        pass
    return _write(last, [key.encode()], [])


def _write(entry: Path, blob: list[bytes | memoryview], readers_of: list[Path]) -> bool:
    mode = 0o666
    for f in readers_of:
        try:
            mode &= os.stat(f).st_mode
        except OSError:
            pass
    # one temporary name per process and thread: the dashboard's load worker and its sync
    # screen may write the same entry at once
    tmp = entry.with_name(f"{entry.name}.{os.getpid()}-{_thread.get_ident()}.tmp")
    try:
        entry.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0),
                     mode & 0o666)  # the umask applies too
        try:
            os.fchmod(fd, stat.S_IMODE(os.fstat(fd).st_mode) & mode)  # if it existed
        finally:
            os.close(fd)
        tmp.write_bytes(b"".join(blob))
        os.replace(tmp, entry)
        _prune(entry.parent)
        return True
    except BaseException as exc:
        # a disk full or a Ctrl-C mid-write: no half-written temporary file left behind
        try:
            tmp.unlink()
        except OSError:
            pass
        if not isinstance(exc, OSError):
            raise
        return False


_writes = 0


def _prune(folder: Path) -> None:
    global _writes
    _writes += 1
    if _writes % 64 != 1:  # look now and then
        return
    for pattern, keep in (("*.pack", KEEP_PACKS), ("*.last", KEEP), ("*.json", 0)):
        entries = []
        for p in folder.glob(pattern):
            try:
                entries.append((p.stat().st_mtime, p))
            except OSError:
                pass
        entries.sort(reverse=True)
        for _, old in entries[keep:]:
            try:
                old.unlink()
            except OSError:
                pass
