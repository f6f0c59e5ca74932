"""The cache of validated data files (no textual).

What :func:`csto_tui.validator.validate_file` found in each data file (its records and its
problems) and its anchors file's rows, keyed by the bytes of both files: an edited file has
another key, so its part is never served stale; references across files are checked on every
load, never cached. A dataset's files are kept together, in one entry (a *pack*, below): a load
reads one file, and after an edit only the edited file is validated and encoded again.

A pack holds plain strings and numbers in arrays (reading one can never run code), behind a
header line with the cache's format version and a checksum of the rest. Anything in doubt (a
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
import os
import stat
import struct
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import reading, records
from .pack import DOUBT, FORMAT, Pack, encode

if TYPE_CHECKING:
    from .validator import FilePart

KEEP = 4096  # datasets whose last pack is remembered
KEEP_PACKS = 8  # packs kept (one per dataset and version of its files), most recently used first


def cache_dir() -> Path | None:
    if os.environ.get("CSTO_TUI_CACHE", "1").lower() in ("0", "false", "no", "off"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "csto-tui"


_signature: bytes | None = None
_signed: tuple[tuple[records.Kind, ...], bytes] | None = None


#: the modules whose code a load runs: loader.py and every module it imports, at any depth (a
#: test says so); a change to any of them makes every pack another code's
CODE = ("loader.py", "validator.py", "locator.py", "anchorsfile.py", "records.py", "schema.py",
        "rules.py", "model.py", "vocabulary.py", "cache.py", "pack.py", "references.py",
        "dataset.py", "reading.py", "errors.py", "facts.py", "values.py", "details.py",
        "textsafe.py", "atomic.py", "tomledit.py", "sources.py")


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
        _signature = hash_modules(hashlib.sha256(), CODE).digest()
    h.update(_signature)
    _signed = (kinds, h.digest())
    return _signed[1]


def hash_modules(h: Any, names: Iterable[str]) -> Any:
    """``h`` (a hashlib object) updated with the bytes of each of these modules of the package
    (a module that cannot be read: its name)."""
    here = Path(__file__).resolve().parent
    for name in names:
        try:
            h.update((here / name).read_bytes())
        except OSError:
            h.update(name.encode())
    return h


def _kind_shape(k: records.Kind) -> tuple[Any, ...]:
    return (k.name, k.table, k.cls.__name__, k.has_id, k.needs_quote,
            tuple((f.key, f.type, f.required, f.choices, f.refs, f.attr, f.dangling,
                   repr(f.default), _kind_shape(f.of) if f.of else None) for f in k.fields))


def digest(raw: bytes) -> bytes:
    """What an entry is keyed by, for each of its two files: the SHA-256 of the file's bytes
    (also the anchors file's write stamp, :class:`csto_tui.atomic.Stamp`)."""
    return hashlib.sha256(raw).digest()


# ---- what each file's bytes were, by its size, times and inode ---------------------------------
#
# A load keys every data file and anchors file by the SHA-256 of its bytes, which means reading
# and hashing them all (400 files at 100x the shipped data, ~10 ms; 4,000 at 1000x). As git's
# index does, the digest of a file is remembered with what ``stat`` said of it (device, inode,
# size, times of its last change of content and of status), per dataset (``<key of the
# path>.stat``), and a file that still says exactly that is not read again. Any write to a
# file moves its ctime, which no one can set back, and renaming another file over it gives
# another inode; the one blind spot, a change within the same tick of the file system's
# clock as the change before it, is closed by remembering only files whose last change had
# settled (:data:`SETTLED_NS`) before they were read: a change after that read has a later
# time. An entry in doubt, or a folder of the cache in doubt, and the file is read and hashed.

#: how long before it was read a file's last change must be for its stat to stand for its
#: bytes (a file system's clock ticks by up to ~10 ms on Linux, 2 s on FAT)
SETTLED_NS = 3_000_000_000
#: the memo's first bytes (its format and version), then the number of files, one row each
#: (:data:`_STAT_ROW`), and their names (NUL between them: no path holds one)
STAT_FORMAT = b"csto-tui stat 2\n"
_STAT_COUNT = struct.Struct("<I")
# device (signed: macOS's dev_t is an int32), inode (unsigned: 64 bits on NFS, overlayfs), size,
# mtime and ctime (ns), digest
_STAT_ROW = struct.Struct("<qQqqq32s")


def known_digests(dataset: Path) -> dict[str, tuple[tuple[int, ...], bytes]]:
    """The digests remembered for the files of a dataset: file name ->
    (:func:`csto_tui.reading.stat_of` when it was read, the SHA-256 of its bytes then).
    Nothing when there is no cache, or the entry is damaged or of another version.

    Rows of fixed size read by :mod:`struct`, not marshal: a memo of a few bytes of noise
    costs no more than its length (marshal makes a tuple of whatever size its bytes say: 5
    bytes, 16 GB)."""
    entry = _stat_entry(dataset)
    if entry is None:
        return {}
    try:
        blob = reading.read_bytes(entry)
    except OSError:
        return {}
    head = len(STAT_FORMAT) + _STAT_COUNT.size
    if len(blob) < head or not blob.startswith(STAT_FORMAT):
        return {}
    (n,) = _STAT_COUNT.unpack_from(blob, len(STAT_FORMAT))
    end = head + n * _STAT_ROW.size
    if end > len(blob):
        return {}
    names = blob[end:].split(b"\0") if n else []
    if len(names) != n or (not n and end != len(blob)):
        return {}
    rows = _STAT_ROW.iter_unpack(memoryview(blob)[head:end])
    return {os.fsdecode(name): (row[:5], row[5]) for name, row in zip(names, rows, strict=True)}


def remember_digests(dataset: Path, known: dict[str, tuple[tuple[int, ...], bytes]],
                     mode: int) -> None:
    """Keep what :func:`known_digests` gives next time (a failure to write is ignored).
    ``mode``: the most restrictive mode of the files (:class:`csto_tui.loader.Hashed`)."""
    entry = _stat_entry(dataset)
    if entry is None:
        return
    try:
        rows = b"".join([_STAT_ROW.pack(*st, d) for st, d in known.values()])
    except struct.error:  # a stat beyond 64 bits: nothing remembered
        return
    names = b"\0".join(map(os.fsencode, known))
    _write(entry, [STAT_FORMAT, _STAT_COUNT.pack(len(known)), rows, names], mode)


def _stat_entry(dataset: Path) -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / f"{_path_key(dataset)}.stat"


def _read_pack(entry: Path) -> Pack | None:
    try:
        blob = reading.read_bytes(entry)  # a regular file of bounded size, or nothing
    except OSError:
        return None
    try:
        return Pack(entry, blob)
    except DOUBT:
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


def last_pack(dataset: Path) -> Pack | None:
    """The pack of the dataset's last load (its path names it), read and checked; None if
    there is none or it is in doubt."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        last = reading.read_bytes(_last(folder, dataset), 256).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    if len(last) != 64 or not all(c in "0123456789abcdef" for c in last):
        return None
    return _read_pack(folder / f"{last}.pack")


def get(dataset: Path, files: list[tuple[Path, bytes, bytes | None]],
        last: Pack | None) -> Loaded:
    """For each (data file, :func:`digest` of its bytes, of its anchors file's or None): its
    validated part from the cache, or None (not there, or anything about the pack in doubt:
    the file is then validated again). ``last``: what :func:`last_pack` gave.

    The pack of exactly these files if there is one (this dataset's, or a copy's elsewhere),
    else the dataset's last pack, for the files that did not change since."""
    named = [(f.name, d, ad) for f, d, ad in files]
    key = content_key(files)
    miss = Loaded([None] * len(files), None, [None] * len(files), key)
    folder = cache_dir()
    if folder is None:
        return miss
    if last is not None and last.entry == folder / f"{key}.pack":
        pack: Pack | None = last
    else:
        pack = _read_pack(folder / f"{key}.pack")
        if pack is None:
            pack = last
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
    except DOUBT:
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
        parts: list[FilePart], loaded: Loaded, mode: int) -> None:
    """Keep the parts of a load as the dataset's pack, if it is not kept already (any failure
    to write is ignored: the cache only saves time). The files the last pack held keep their
    stretches of it; the others are encoded.

    The pack is readable by no one who cannot read the files it was made from: it gets
    ``mode``, the most restrictive of their modes as the load stat'ed and read them
    (:class:`csto_tui.loader.Hashed`), less the umask; the cache's folder is made private
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
    chunks = encode(files, parts, loaded.taken, old)
    if chunks is None:
        return
    _write(entry, chunks, mode)
    if _point(last, loaded.key) and old is not None and old.entry != entry:
        try:
            old.entry.unlink()  # the dataset's pack before this edit
        except OSError:
            pass


def _point(last: Path, key: str) -> bool:
    """Name ``key`` as the dataset's last pack (True once written)."""
    try:
        if last.read_bytes() == key.encode():
            return True
    except OSError:
        pass
    return _write(last, [key.encode()], 0o666)  # names only a key


def _write(entry: Path, blob: list[bytes | memoryview], mode: int) -> bool:
    """Write ``entry`` atomically with ``mode`` (less the umask): the most restrictive mode of
    the files its bytes come from, so that no one who cannot read them reads it."""
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
        with tmp.open("wb") as fh:
            fh.writelines(blob)  # the chunks as they are: a big pack is not joined in memory
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
    """Remove the least recently used packs and pointers beyond what is kept, and entries of
    older versions of the cache (one listing of the folder; times read only when over)."""
    global _writes
    _writes += 1
    if _writes % 64 != 1:  # look now and then
        return
    try:
        with os.scandir(folder) as it:
            names = [e.name for e in it]
    except OSError:
        return
    for suffix, keep in ((".pack", KEEP_PACKS), (".last", KEEP), (".stat", KEEP), (".check", KEEP),
                         (".world", KEEP_PACKS), (".json", 0), (".marshal", 0)):
        mine = [n for n in names if n.endswith(suffix)]
        if len(mine) <= keep:
            continue
        entries = []
        for name in mine:
            try:
                entries.append((os.stat(folder / name).st_mtime, name))
            except OSError:
                pass
        entries.sort(reverse=True)
        for _, name in entries[keep:]:
            try:
                (folder / name).unlink()
            except OSError:
                pass
