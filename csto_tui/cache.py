"""The cache of validated data files (no textual).

One entry per data file: what :func:`csto_tui.loader.validate_file` found in it (its records
and its problems) and its anchors file's rows, keyed by the bytes of both files. An edited file
has another key, so an entry is never served stale; references across files are checked on
every load, never cached.

An entry is JSON (plain strings, numbers, lists: reading one can never run code), behind a
header line with the cache's format version and the SHA-256 of the rest. Anything in doubt (a
header from another version, a checksum that does not match, JSON that does not parse, a row
of the wrong shape) and the entry is ignored: the file is validated again. The key also covers
the registry of record kinds and the code of the loader, so a change to either never reads an
old entry. The cache lives in ``$XDG_CACHE_HOME/csto-tui`` (or ``~/.cache/csto-tui``);
``CSTO_TUI_CACHE=0`` turns it off; deleting it is always safe.
"""

from __future__ import annotations

import _thread
import hashlib
import json
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import reading, records
from .errors import Problem
from .facts import Action, Amount, When
from .model import Anchor, PartialDate

if TYPE_CHECKING:
    from .loader import FilePart

#: Format of an entry; a change of it (or of the registry, or of the loader) is a new key.
FORMAT = b"csto-tui-cache 2"
KEEP = 4096  # entries kept (a folder dataset has one per data file), most recently used first
_HEADER_LEN = len(FORMAT) + 1 + 64 + 1


def cache_dir() -> Path | None:
    if os.environ.get("CSTO_TUI_CACHE", "1").lower() in ("0", "false", "no", "off"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "csto-tui"


_signature: bytes | None = None


def _code_signature() -> bytes:
    """What validation depends on besides the files: the registry and the loader's code."""
    global _signature
    h = hashlib.sha256(FORMAT)
    for k in records.kinds():
        h.update(repr(_kind_shape(k)).encode())
    if _signature is None:
        code = hashlib.sha256()
        here = Path(__file__).resolve().parent
        for name in ("loader.py", "records.py", "model.py", "cache.py"):
            try:
                code.update((here / name).read_bytes())
            except OSError:
                code.update(name.encode())
        _signature = code.digest()
    h.update(_signature)
    return h.digest()


def _kind_shape(k: records.Kind) -> tuple[Any, ...]:
    return (k.name, k.table, k.cls.__name__, k.has_id, k.needs_quote,
            tuple((f.key, f.type, f.required, f.choices, f.refs, f.attr, f.dangling,
                   repr(f.default), _kind_shape(f.of) if f.of else None) for f in k.fields))


def _key(raw: bytes, anchors_raw: bytes | None) -> str:
    h = hashlib.sha256(_code_signature())
    h.update(hashlib.sha256(raw).digest())
    h.update(b"-" if anchors_raw is None else hashlib.sha256(anchors_raw).digest())
    return h.hexdigest()


def _entry(raw: bytes, anchors_raw: bytes | None) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    return folder / f"{_key(raw, anchors_raw)}.json"


def has(raw: bytes, anchors_raw: bytes | None) -> bool:
    entry = _entry(raw, anchors_raw)
    return entry is not None and entry.is_file()


# ---- encoding -------------------------------------------------------------------------------


def _enc(f: records.Field, val: Any) -> Any:
    if f.type == "date":
        return None if val is None else val.iso()
    if f.type in ("when", "amount"):
        return None if val is None else val.text
    if f.type in ("action", "response"):
        return None if val is None else val.code
    if f.type == "notes":
        return [list(p) for p in val]
    if f.type == "tables":
        assert f.of is not None
        return [_enc_rec(f.of, r) for r in val]
    return val


def _enc_rec(k: records.Kind, rec: Any) -> list[Any]:
    return [_enc(f, getattr(rec, f.name)) for f in k.fields]


#: how values of the analyst's types come back from their text (a cached action code of
#: "none" is stored as null)
_PARSE: dict[str, Any] = {"when": When.parse, "amount": Amount.parse, "action": Action.parse,
                          "response": Action.parse}


class _Decoder:
    def __init__(self) -> None:
        self.dates: dict[str, PartialDate] = {}
        self.strs: dict[str, str] = {}  # equal ids, kinds and choices shared
        self.parsed: dict[str, dict[str, Any]] = {}

    def rec(self, k: records.Kind, row: list[Any]) -> Any:
        if len(row) != len(k.fields):
            raise ValueError("row of the wrong length")
        values = {}
        strs = self.strs
        for f, val in zip(k.fields, row, strict=True):
            t = f.type
            if t == "str":
                if type(val) is not str:
                    raise ValueError(f.key)
                if f.refs or f.choices:
                    val = strs.setdefault(val, val)
            elif t == "strs":
                val = tuple([strs.setdefault(x, x) for x in val]) if f.refs else tuple(val)
                if not all(type(x) is str for x in val):
                    raise ValueError(f.key)
            elif t == "date":
                if val is not None:
                    d = self.dates.get(val)
                    if d is None:
                        d = self.dates[val] = PartialDate.parse(val)
                    val = d
            elif t == "tables":
                assert f.of is not None
                val = tuple(self.rec(f.of, r) for r in val)
            elif t in ("when", "amount", "action", "response"):
                if val is not None:
                    memo = self.parsed.setdefault(t, {})
                    got = memo.get(val)
                    if got is None:
                        got = memo[val] = _PARSE[t](val)
                    val = got
            elif t == "notes":
                val = tuple((str(k), str(why)) for k, why in val)
            elif t == "number":
                if val is not None and (type(val) is bool or not isinstance(val, int | float)):
                    raise ValueError(f.key)
                val = None if val is None else float(val)
            elif t == "year":
                if val is not None and type(val) is not int:
                    raise ValueError(f.key)
            elif t == "bool":
                if type(val) is not bool:
                    raise ValueError(f.key)
            values[f.name] = val
        if k.has_id:
            values["id"] = strs.setdefault(values["id"], values["id"])
        return k.cls(**values)


def _problem_row(p: Problem) -> list[Any]:
    return [p.code, p.message, p.line, p.column, p.record, p.field, p.severity]


def _problems(rows: Any, file: str) -> list[Problem]:
    return [Problem(code, msg, file, line, col, rec, fld, sev)
            for code, msg, line, col, rec, fld, sev in rows]


def _encode(part: FilePart) -> bytes:
    doc = {
        "title": part.title, "base": part.base,
        "records": {name: [_enc_rec(records.kind(name), r) for r in recs]
                    for name, recs in part.records.items()},
        "declared": part.declared,
        "problems": [_problem_row(p) for p in part.problems],
        "anchors": [[a.quote, a.source, a.exact, a.prefix, a.suffix, a.start, a.end, a.review,
                     a.found, a.found_start, a.found_end, a.text_key]
                    for a in part.anchors.values()],
        "anchor_problems": [_problem_row(p) for p in part.anchor_problems],
    }
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _decode(body: bytes, data_file: Path) -> FilePart:
    from .loader import FilePart, anchors_path_for

    doc = json.loads(body)
    dec = _Decoder()
    recs = {}
    for name, rows in doc["records"].items():
        k = records.kind(name)
        recs[name] = [dec.rec(k, row) for row in rows]
    strs = dec.strs
    anchors = {}
    for row in doc["anchors"]:
        if len(row) != 12:
            raise ValueError("anchor row of the wrong length")
        a = Anchor(*row)
        if type(a.quote) is not str or type(a.start) is not int:
            raise ValueError("anchor")
        anchors[strs.get(a.quote, a.quote)] = a
    return FilePart(doc["title"], doc["base"], recs,
                    [(strs.get(r, r), k) for r, k in doc["declared"]],
                    _problems(doc["problems"], str(data_file)), anchors,
                    _problems(doc["anchor_problems"], str(anchors_path_for(data_file))))


# ---- reading and writing ----------------------------------------------------------------------


def get(data_file: Path, raw: bytes, anchors_raw: bytes | None) -> FilePart | None:
    """The validated part of a data file whose bytes (and its anchors file's) are these, or
    None (not cached, or anything about the entry in doubt)."""
    entry = _entry(raw, anchors_raw)
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
        part = _decode(body, data_file)
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None
    try:
        os.utime(entry)  # recently used: pruned last
    except OSError:
        pass
    return part


def put(raw: bytes, anchors_raw: bytes | None, part: FilePart,
        readers_of: tuple[Path, ...] = ()) -> None:
    """Keep a validated part (any failure to write is ignored: the cache only saves time).

    The entry is readable by no one who cannot read the files it was made from
    (``readers_of``: the data file and its anchors file): it gets the most restrictive of
    their modes, less the umask; the cache's folder is made private (0700), as XDG asks."""
    entry = _entry(raw, anchors_raw)
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
