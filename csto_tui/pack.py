"""The pack: what validating each data file of a dataset found, as columns in one binary entry
(no textual).

:mod:`csto_tui.cache` decides where packs live and which one a load reads; this module is the
format: how a dataset's parts (records, problems, anchors) become arrays of numbers and one
table of strings, and how they are read back, checking everything (a pack in doubt raises
ValueError and the like, and the files are validated again). Reading one can never run code.
"""

from __future__ import annotations

import json
import math
import sys
import zlib
from array import array
from collections.abc import Iterable
from itertools import accumulate, repeat
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import records
from .errors import Problem
from .facts import Action, Amount, When
from .model import Anchor
from .values import PartialDate

if TYPE_CHECKING:
    from .validator import FilePart

#: Format of a pack; a change of it (or of the registry, or of the loader) is a new key.
FORMAT = b"csto-tui-cache 8"


# ---- encoding -------------------------------------------------------------------------------


def _layout(k: records.Kind) -> list[tuple[str, records.Field | None, Any]]:
    """A kind's row in an entry: the class's attributes in order (what its constructor takes),
    each with its field, or None and the constructor's default for an attribute no field
    sets (a source's resolved ``path``)."""
    fields = {f.name: f for f in k.fields}
    # the constructor's defaults, read off the function itself (inspect.signature's answer
    # without importing inspect: ~7 ms and 1.5 MiB of every command's start)
    init = k.cls.__init__
    code = init.__code__
    names = code.co_varnames[1:code.co_argcount]
    given = init.__defaults__ or ()
    defaults = {**dict(zip(names[len(names) - len(given):], given, strict=True)),
                **(init.__kwdefaults__ or {})}
    return [(attr, fields.get(attr), None if attr in fields else defaults.get(attr))
            for attr in k.cls._fields]


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
# Layout: ``FORMAT <checksum of the rest>\n`` (:func:`checksum`), a JSON header line (the
# files: name, digests, title, base, problems, ids of faulty records,
# what each declares to a check (validator.declares); how many strings there
# are and the character between them; the columns' names, types and byte ranges), then
# the binary body (little-endian): the strings as UTF-8, one character none of them holds
# between each two (:func:`separator`: cut by ``str.split``, C-level, ~3x quicker than
# slicing by lengths), each column, and the table of each file's length in each column.

NONE_INT = -(2 ** 31)  # a year or a position that is not there
_STRS_LIKE = ("str", "date", "when", "amount", "action", "response")
_LITTLE = sys.byteorder == "little"
#: what may stand between two strings of the table, in the order tried: control characters
#: (a TOML string holds one only as an escape), then noncharacters
_SEPARATORS = (*map(chr, range(32)), "\ufdd0", "\ufffe", "\uffff")
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


def separator(strings: list[str], old: str | None = None) -> str | None:
    """A character none of ``strings`` holds, to stand between them in a pack: ``old`` (the
    old pack's, when its strings are kept) if none holds it, else the first of
    :data:`_SEPARATORS` that none holds; None when ``old`` is held, or all of them are."""
    joined = "".join(strings)
    if old is not None:
        return None if old in joined else old
    return next((c for c in _SEPARATORS if c not in joined), None)


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


def checksum(chunks: Iterable[bytes | memoryview]) -> bytes:
    """The checksum of a pack's bytes after its first line (given as the chunks they are made
    of), as that line ends with it: CRC-32. It catches a pack damaged on disk or cut short;
    like the SHA-256 it replaced (no key: anyone can compute either), it is no seal against a
    pack written on purpose: everything read is checked besides, and reading runs no code."""
    crc = 0
    for chunk in chunks:
        crc = zlib.crc32(chunk, crc)
    return b"%08x" % crc


_LOW = bytes(range(0x80))
_ID = attrgetter("id")


def _negative(raw: bytes | memoryview) -> bool:
    """Whether a column of little-endian 32-bit integers holds a negative one (its last byte
    has the sign bit): C-level work on the bytes."""
    return bool(bytes(raw[3::4]).translate(None, _LOW))


def _has_zero(raw: bytes | memoryview) -> bool:
    """Whether a column of 32-bit integers holds a 0: four zero bytes at a multiple of four
    (C-level search; a run of them across two integers, 256 then 65,536, is passed over)."""
    data = bytes(raw)
    at = data.find(_ZERO)
    while at >= 0:
        if not at % 4:
            return True
        at = data.find(_ZERO, at + 1)
    return False


_ZERO = bytes(4)


def _one(raw: bytes | memoryview) -> int | None:
    """The one value a column of 32-bit integers holds in every row (None: more than one, or
    no row): a comparison of bytes, C-level."""
    size = len(raw)
    if size < 4 or raw[:4] != raw[size - 4:]:  # first and last differ: not one value
        return None
    data = bytes(raw)
    if data != data[:4] * (size // 4):
        return None
    return int.from_bytes(data[:4], "little", signed=True)


def _through(memo: dict[Any, Any], texts: tuple[Any, ...] | repeat[Any]) -> Any:
    """Each text's value in ``memo`` (parsed once per distinct text), in order; one repeated
    for a column of one text."""
    if type(texts) is repeat:
        return repeat(memo[next(texts)])
    return list(map(memo.__getitem__, texts))


def _pick(table: list[Any], indexes: array[Any]) -> tuple[Any, ...]:
    """``table``'s items at ``indexes``, in order (IndexError for one beyond it)."""
    if len(indexes) > 1:
        return itemgetter(*indexes)(table)
    return tuple(table[i] for i in indexes)


def _problem_row(p: Problem) -> list[Any]:
    return [p.code, p.message, p.line, p.column, p.record, p.field, p.severity]


def _problems(rows: Any, file: str) -> list[Problem]:
    return [Problem(code, msg, file, line, col, rec, fld, sev)
            for code, msg, line, col, rec, fld, sev in rows]


def _file_row(name: str, d: bytes, ad: bytes | None, part: FilePart, st: _Strings
              ) -> list[Any]:
    """What a pack says of one file besides its columns."""
    from .validator import declares

    sound = {r.id for rs in part.records.values() for r in rs if hasattr(r, "id")}
    return [name, d.hex(), None if ad is None else ad.hex(), part.title, part.base,
            [_problem_row(p) for p in part.problems],
            [_problem_row(p) for p in part.anchor_problems],
            # ids of records that failed validation (the sound ones are the records' own)
            {k: [st(i) for i in ids if i not in sound] for k, ids in part.declared.items()},
            declares(part, ad).hex()]  # what a check reads of it: not worked out again


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


def _cut(flat: list[Any] | tuple[Any, ...], counts: Any) -> list[tuple[Any, ...]]:
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
        if eol < 0 or blob[:eol] != FORMAT + b" " + checksum([view[eol + 1:]]):
            raise ValueError("header or checksum")
        eoh = blob.find(b"\n", eol + 1)
        if eoh < 0:
            raise ValueError("no header")
        doc = json.loads(view[eol + 1:eoh].tobytes())
        if type(doc) is not dict:
            raise ValueError("not a pack")
        self.body = rest = view[eoh + 1:]
        files = doc["files"]
        if type(files) is not list or any(type(f) is not list or len(f) != 9 for f in files):
            raise ValueError("files")
        self.files: list[list[Any]] = files
        self.appended = doc["appended"]
        if type(self.appended) is not int:
            raise ValueError("appended")
        specs = [tuple(c) for c in doc["columns"]]
        if specs != [(n, c) for n, c in _specs()]:
            raise ValueError("columns of another registry")
        self.specs: list[tuple[str, str]] = _specs()
        self.ranges = doc["ranges"]  # byte ranges: strings, columns, table
        n_cols = len(self.specs)
        if (type(self.ranges) is not list or len(self.ranges) != n_cols + 2
                or any(type(r) is not list or len(r) != 2 or type(r[0]) is not int
                       or type(r[1]) is not int or not 0 <= r[0] <= r[1] <= len(rest)
                       for r in self.ranges)):
            raise ValueError("ranges")
        count, sep = doc["strings"]
        if type(count) is not int or count < 0 or sep not in _SEPARATORS:
            raise ValueError("strings")
        self.sep: str = sep
        text = str(self._range(0), "utf-8")
        self.strings: list[Any] = [None]
        if count:
            self.strings += text.split(sep)
        if len(self.strings) != count + 1 or not count and text:
            raise ValueError("strings")
        del text
        # each file's length in each column, and where each file's stretch starts
        table = _array("i", self._range(n_cols + 1))
        if len(table) != n_cols * len(files) or (table and min(table) < 0):
            raise ValueError("table of lengths")
        self.lengths = [table[i::n_cols] for i in range(n_cols)]  # per column, per file
        for (_name, code), r, ls in zip(self.specs, self.ranges[1:], self.lengths, strict=False):
            if sum(ls) * array(code).itemsize != r[1] - r[0]:
                raise ValueError("a column's length")

    def section(self, i: int) -> memoryview:
        """The bytes of section ``i`` of the body (0: the strings)."""
        return self._range(i)

    def _range(self, i: int) -> memoryview:
        a, b = self.ranges[i]
        return self.body[a:b]

    def column(self, c: int) -> array[Any]:
        return _array(self.specs[c][1], self._range(c + 1))

    def stretch(self, c: int, first: int, end: int) -> memoryview:
        """The bytes of column ``c`` of files ``first`` to ``end`` (excluded)."""
        size = array(self.specs[c][1]).itemsize
        start = self.ranges[c + 1][0]
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

    def _strs(self, c: int, kind: str = "str") -> tuple[Any, ...]:
        """A column of indexes as its strings (None allowed unless ``kind`` is str)."""
        raw = self._range(c + 1)
        if _negative(raw):  # would count from the end of the table
            raise ValueError("a negative index")
        if kind == "str" and _has_zero(raw):
            raise ValueError("a string that is not there")
        return _pick(self.strings, self.column(c))  # IndexError: out of the table

    def _each(self, c: int, n: int, kind: str = "str") -> tuple[Any, ...] | repeat[Any]:
        """A column of one value for each of ``n`` records as its strings (:meth:`_strs`);
        when every record holds the same one (an optional field left out: often), that
        string repeated (what ``from_columns`` takes: nothing picked per record)."""
        raw = self._range(c + 1)
        one = _one(raw)
        if one is None:
            return self._strs(c, kind)
        if len(raw) != 4 * n:
            raise ValueError("a column's length")
        if not 0 <= one < len(self.strings) or kind == "str" and not one:
            raise ValueError("a string that is not there")
        return repeat(self.strings[one])

    def _build(self, k: records.Kind, prefix: str, cols: dict[str, int], dates: _Dates,
               n: int) -> list[Any]:
        """The ``n`` records of kind ``k`` of every file, filled column by column (``prefix``:
        the columns' names before the field's: a nested kind's are its field's)."""
        args: list[Any] = []
        for attr, f, default in _layout_of(k):
            if f is None:
                args.append(repeat(default))
                continue
            name = prefix + attr
            t = f.type
            if t == "str":
                vals: Any = self._each(cols[name], n)
            elif t == "date":
                vals = _through(dates, self._each(cols[name], n, ""))
            elif t in _PARSE:
                vals = _through(_Parsed(_PARSE[t]), self._each(cols[name], n, ""))
            elif t == "strs":
                vals = _cut(self._strs(cols[name]), self.column(cols[name + "#"]))
            elif t == "notes":
                pairs = list(zip(self._strs(cols[name + ".key"]),
                                 self._strs(cols[name + ".why"]), strict=True))
                vals = _cut(pairs, self.column(cols[name + "#"]))
            elif t == "tables":
                assert f.of is not None
                counts = self.column(cols[name + "#"])
                vals = _cut(self._build(f.of, name + ".", cols, dates, sum(counts)), counts)
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
        return k.cls.from_columns(n, args)  # ValueError: a column of another length

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

        per_file: list[dict[str, list[Any]]] = [{} for _ in range(n_files)]
        for k in records.kinds():
            first = next(i for i, (name, _c) in enumerate(self.specs)
                         if name.startswith(k.name + ":"))
            counts = self.lengths[first]
            if not sum(counts):
                continue
            built = self._build(k, k.name + ":", cols, dates, sum(counts))
            at = 0
            for f, n in enumerate(counts):
                if n:
                    per_file[f][k.name] = built[at:at + n]
                    at += n
        a0 = cols["anchor:quote"]
        n_anchors = sum(self.lengths[a0])
        qids = self._strs(a0)  # cut by file below
        acols = [qids, *(self._each(a0 + i, n_anchors) for i in range(1, len(_ANCHOR_STRS)))]
        # one int object per distinct position: positions are offsets in the sources, so far
        # fewer distinct than anchors at scale (each a 32-byte object: 5 MiB at 1000x)
        same: dict[int | None, int | None] = {NONE_INT: None}  # NONE_INT as None
        ints: list[Any] = []
        for i in range(4):
            c = a0 + len(_ANCHOR_STRS) + i
            raw = self._range(c + 1)
            one = _one(raw)
            if one is not None:  # the same in every anchor (no anchor found elsewhere: often)
                if len(raw) != 4 * n_anchors or one < 0 and (i < 2 or one != NONE_INT):
                    raise ValueError("a position")
                ints.append(repeat(same.setdefault(one, one)))
                continue
            col = self.column(c).tolist()
            if i < 2 and _negative(raw) or i >= 2 and min(set(col) - {NONE_INT}, default=0) < 0:
                raise ValueError("a position")
            ints.append(list(map(same.setdefault, col, col)))
        # Anchor(quote, source, exact, prefix, suffix, start, end, review, found,
        #        found_start, found_end, text_key)
        anchors = Anchor.from_columns(n_anchors, [*acols[:5], *ints[:2], *acols[5:7],
                                                  *ints[2:], acols[7]])
        anchor_counts = self.lengths[a0]
        out: list[FilePart | None] = []
        at = 0
        has_id = {k.name for k in records.kinds() if k.has_id}
        for f, (row, path) in enumerate(zip(self.files, paths, strict=True)):
            n = anchor_counts[f]
            _name, _d, ad, title, base, probs, aprobs, faulty, said = row
            if path is None:
                out.append(None)
                at += n
                continue
            if (type(title) is not str or base not in (".", "..") or type(faulty) is not dict
                    or type(said) is not str or len(said) != 64):
                raise ValueError("a file's title, base, ids or declarations")
            recs = per_file[f]
            declared = {name: list(map(_ID, rs)) for name, rs in recs.items()
                        if name in has_id}
            for kname, ids in faulty.items():
                if ids:
                    if type(ids) is not list or not all(type(i) is int and 0 < i < top
                                                        for i in ids):
                        raise ValueError("ids of faulty records")
                    declared.setdefault(records.kind(kname).name, []).extend(map(get, ids))
            part = FilePart(
                title, base, recs, declared,
                _problems(probs, str(path)) if probs else [],
                dict(zip(qids[at:at + n], anchors[at:at + n], strict=True)),
                _problems(aprobs, str(anchors_path_for(path))) if aprobs else [])
            part.said = (None if ad is None else bytes.fromhex(ad), bytes.fromhex(said))
            out.append(part)
            at += n
        return out


#: what reading a pack in doubt may raise (the files are then validated again)
DOUBT = (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError,
          OverflowError, StopIteration, UnicodeDecodeError)


def encode(files: list[tuple[Path, bytes, bytes | None]], parts: list[FilePart],
           taken: list[int | None], old: Pack | None, reuse: bool = True
           ) -> list[bytes | memoryview] | None:
    """A new pack of ``parts`` (the parts of ``files``: name, digest, anchors file's digest), as
    the chunks of its bytes; None if a value does not fit (a position beyond 32 bits). The files
    ``old`` holds (``taken``: each file's index in it, or None) keep their stretches of it as
    they are, unless ``reuse`` is false; the others are encoded."""
    specs = _specs()
    n_cols = len(specs)
    reuse = reuse and old is not None and old.appended <= GARBAGE_SHARE * len(old.strings)
    st = _Strings(len(old.strings) - 1 if old is not None and reuse else 0)
    rows: list[list[Any]] = []
    # the new pack's files, in runs: (first, end, None, b"") for files kept from the old pack
    # as they are, or (0, 0, its columns, its row of the table of lengths) for a file encoded
    runs: list[tuple[int, int, list[bytes] | None, bytes]] = []
    try:
        for (f, d, ad), part, i in zip(files, parts, taken, strict=True):
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
        return None
    # the table of strings: the old pack's as it is, the new ones after it; each section of
    # the body as the chunks it is made of (the old pack's stretches are not copied here)
    sep = separator(st.table, old.sep if reuse and old is not None else None)
    if sep is None:
        if reuse:  # a new string holds the old pack's separator: all encoded anew
            return encode(files, parts, taken, old, reuse=False)
        return None  # every separator is in some string: not kept
    count = len(st.table)
    utf8 = sep.join(st.table).encode("utf-8", "surrogatepass")
    if reuse and old is not None:
        more = count
        count += len(old.strings) - 1
        if more and count > more:
            utf8 = sep.encode("utf-8") + utf8
        body: list[list[bytes | memoryview]] = [[old.section(0), utf8]]
    else:
        body = [[utf8]]
    del utf8
    kept = old if old is not None else _NO_PACK
    for c in range(n_cols):
        body.append([seg[c] if seg is not None else kept.stretch(c, a, b)
                     for a, b, seg, _row in runs])
    body.append([row if seg is not None else kept.table(a, b) for a, b, seg, row in runs])
    ranges = []
    at = 0
    for section in body:
        size = sum(map(len, section))
        ranges.append([at, at + size])
        at += size
    appended = (old.appended if reuse and old is not None else 0) + (
        len(st.table) if reuse else 0)
    head = json.dumps({"files": rows, "appended": appended, "strings": [count, sep],
                       "columns": specs, "ranges": ranges},
                      ensure_ascii=False, separators=(",", ":"))
    chunks: list[bytes | memoryview] = [head.encode("utf-8", "surrogatepass") + b"\n"]
    for section in body:
        chunks += section
    return [FORMAT + b" " + checksum(chunks) + b"\n", *chunks]


class _NoPack:
    """What stands for the old pack when there is none (no file of it is kept)."""

    def stretch(self, c: int, first: int, end: int) -> memoryview:
        raise AssertionError("no pack")

    def table(self, first: int, end: int) -> memoryview:
        raise AssertionError("no pack")


_NO_PACK: Any = _NoPack()
