"""A content-keyed cache of plain values on disk (no textual).

Entries are ``marshal`` blobs (plain tuples, lists, dicts, strings and numbers only: marshal
cannot run code when it reads, unlike pickle), named by a hash of what they were computed from:
a kind and every byte of the file. An edited file has another key, so an entry
can never be served stale. The cache lives in ``$XDG_CACHE_HOME/csto-tui`` (or
``~/.cache/csto-tui``); ``CSTO_TUI_CACHE=0`` turns it off. Any failure to read or write it is
ignored: it only ever saves time. :mod:`csto_tui.snapshot` says what is stored.
"""

from __future__ import annotations

import _thread
import hashlib
import marshal
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

KEEP = 48  # entries kept, newest first (a big dataset takes pieces, records, anchors, a copy
#           of its bytes, and up to snapshot.MAX_CHAIN small changes)


def cache_dir() -> Path | None:
    if os.environ.get("CSTO_TUI_CACHE", "1").lower() in ("0", "false", "no", "off"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "csto-tui"


def path_key(path: Path | str) -> bytes:
    """The key of what is kept for a file by its place (the parsed pieces of a dataset, its
    last sound version): its real path, links resolved."""
    return content_key(os.path.realpath(path).encode("utf-8", "surrogatepass"))


def content_key(raw: bytes) -> bytes:
    """The key of a file's bytes: their SHA-256 (what :func:`file_key` gives for the file;
    the same digest as the anchors file's write stamp, :class:`csto_tui.atomic.Stamp`)."""
    return hashlib.sha256(raw).digest()


#: A file whose last change is older than this (ns) is remembered by :func:`file_key`.
SETTLED_NS = 2_000_000_000

#: file_key results of this process, by path, with the file's identity when it was hashed
_keys: dict[str, tuple[tuple[int, ...], bytes, int]] = {}


def _identity(st: os.stat_result) -> tuple[int, ...]:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def file_key(path: Path) -> tuple[bytes, int]:
    """(:func:`content_key`, size) of a file, read in pieces rather than held in memory.

    Remembered for the process while the file's identity (inode, size, modification and change
    times) stays the same: asking whether a snapshot exists and then loading it (the
    dashboard's start-up, the commands' first-load notice) hashes a big file once, not twice.
    Any write changes the change time, so an edited file is always hashed again; but file
    times move in clock ticks of a few milliseconds, so two writes of the same size within
    one tick look alike: a file changed less than :data:`SETTLED_NS` ago is not remembered
    (as git treats a file as "racily clean")."""
    name = os.fspath(path)
    before = _identity(os.stat(name))
    known = _keys.get(name)
    if known is not None and known[0] == before:
        return known[1], known[2]
    h = hashlib.sha256()
    size = 0
    from .reading import open_regular

    with open_regular(name) as fh:  # a FIFO or a device is refused, not read for ever
        while chunk := fh.read(1 << 20):
            h.update(chunk)
            size += len(chunk)
    # not written while it was read, nor so recently that another write could look the same
    if (_identity(os.stat(name)) == before
            and time.time_ns() - max(before[3], before[4]) > SETTLED_NS):
        _keys[name] = (before, h.digest(), size)
    return h.digest(), size


def _entry(folder: Path, kind: bytes, key: bytes) -> Path:
    name = hashlib.blake2b(kind + b"\0" + key, digest_size=20).hexdigest()
    return folder / f"{name}.marshal"


def get(kind: bytes, key: bytes) -> Any | None:
    """The value stored for ``kind`` of a file whose :func:`content_key` is ``key``, or None."""
    folder = cache_dir()
    if folder is None:
        return None
    entry = _entry(folder, kind, key)
    try:
        value = marshal.loads(entry.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    try:
        os.utime(entry)  # recently used: pruned last
    except OSError:
        pass
    return value


def get_copy(kind: bytes, key: bytes) -> bytes | None:
    """The bytes of a file kept by :func:`put_copy`, or None."""
    folder = cache_dir()
    if folder is None:
        return None
    entry = _entry(folder, kind, key).with_suffix(".copy")
    try:
        raw = entry.read_bytes()
        os.utime(entry)
    except OSError:
        return None
    return raw


def put_copy(kind: bytes, key: bytes, src: Path, raw: bytes) -> None:
    """Keep a copy of the file ``src``, whose bytes are ``raw``: copied by the kernel (a 46 MB
    dataset in ~15 ms, where writing the bytes from Python takes ~120 ms), then read back and
    kept only if it holds exactly ``raw`` (the file may have been edited since it was read);
    otherwise ``raw`` is written."""
    import shutil

    def write(tmp: Path) -> None:
        try:
            shutil.copyfile(src, tmp)
            if tmp.read_bytes() == raw:
                return
        except OSError:
            pass
        tmp.write_bytes(raw)

    folder = cache_dir()
    if folder is not None:
        _store(folder, _entry(folder, kind, key).with_suffix(".copy"), write)


def has(kind: bytes, key: bytes) -> bool:
    """Whether :func:`get` would probably find a value (the entry exists)."""
    folder = cache_dir()
    return folder is not None and _entry(folder, kind, key).is_file()


def put(kind: bytes, key: bytes, value: Any) -> None:
    """Store ``value`` (plain values only; anything else is silently not cached)."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        blob = marshal.dumps(value)
    except ValueError:  # e.g. a TOML date inside: not marshal-able, simply not cached
        return
    _store(folder, _entry(folder, kind, key), lambda tmp: tmp.write_bytes(blob))


def _store(folder: Path, entry: Path, write: Callable[[Path], object]) -> None:
    """Write an entry through a temporary file (``write`` fills it), then put it in place."""
    # one temporary name per process and thread: the dashboard's load worker and its sync
    # screen may write the same entry at once
    tmp = entry.with_suffix(f".{os.getpid()}-{_thread.get_ident()}.tmp")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write(tmp)
        os.replace(tmp, entry)
        _prune(folder)
    except BaseException as exc:
        # a disk full or a Ctrl-C mid-write: no half-written temporary file left behind
        # (only entries are ever pruned)
        try:
            tmp.unlink()
        except OSError:
            pass
        if not isinstance(exc, OSError):
            raise


def _prune(folder: Path) -> None:
    entries = []
    for p in [*folder.glob("*.marshal"), *folder.glob("*.copy")]:
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
