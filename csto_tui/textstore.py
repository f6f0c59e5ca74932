"""Stored texts: each source as it was when its anchors were written (no textual).

An anchor's ``start``/``end`` index into one particular text of its source. When the source
changes, that text is what tells an edit from a look-alike: ``csto_tui.anchoring.locate(...,
previous=stored)`` maps the anchor through the diff of the stored text against the current
one. So ``csto-tui sync`` keeps every text an anchor indexes into:

* one gzip-compressed UTF-8 file per content, named by the key of its content (the first 20
  hex digits of its SHA-256), in a folder next to the anchors file: ``csto.anchors.toml`` ->
  ``csto.texts/<key>.txt.gz``;
* each anchor names its text in the anchors file (``text_key = "<key>"``);
* after writing the anchors file, sync deletes every stored text no anchor names (:func:`prune`).

Files are written by :func:`csto_tui.atomic.atomic_write_keyed` (a temporary file and a
rename; mode 0644, no backup, no fsync) and never changed (same key, same bytes; gzip with
mtime 0, so a text stores to the same bytes on every machine). A file that is
missing, unreadable or whose content does not match its key is treated as absent: the anchors
then re-anchor without the previous text, as before this store existed.
"""

from __future__ import annotations

import hashlib
import os
import zlib
from pathlib import Path

from . import reading
from .atomic import atomic_write_keyed

__all__ = ["get", "key_of", "keys", "prune", "put", "store_dir"]

SUFFIX = ".txt.gz"
KEY_LEN = 20


def key_of(text: str) -> str:
    """The content key of a text: the first 20 hex digits of the SHA-256 of its UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:KEY_LEN]


def store_dir(anchors_path: Path | str) -> Path:
    """The folder of stored texts of an anchors file: ``X.anchors.toml`` -> ``X.texts``."""
    return Path(_store_name(os.fspath(anchors_path)))


def _store_name(anchors_path: str) -> str:
    """:func:`store_dir` as a string (no Path made: a check names one per data file)."""
    head, name = os.path.split(anchors_path)
    for tail in (".anchors.toml", ".toml"):
        if name.endswith(tail):
            name = name[: -len(tail)]
            break
    return os.path.join(head, name + ".texts")


def _file(anchors_path: Path, key: str) -> Path:
    return store_dir(anchors_path) / (key + SUFFIX)


def put(anchors_path: Path, text: str) -> str:
    """Store ``text`` (if not stored yet) and return its key."""
    key = key_of(text)
    path = _file(anchors_path, key)
    if get(anchors_path, key) is not None:
        return key
    import gzip  # here, not at the top: `check` reads keys only

    path.parent.mkdir(parents=True, exist_ok=True)
    data = gzip.compress(text.encode("utf-8", "surrogatepass"), compresslevel=9, mtime=0)
    # mode 0644, a data file like the others; no fsync: a file a crash left torn fails the
    # key check in get() and counts as absent
    atomic_write_keyed(path, data, mode=0o644)
    _cache[(str(anchors_path), key)] = text
    return key


_cache: dict[tuple[str, str], str] = {}
_CACHE_MAX = 4096


def get(anchors_path: Path, key: str) -> str | None:
    """The stored text of ``key``, or None when it is absent, unreadable or damaged."""
    if not key:
        return None
    ck = (str(anchors_path), key)
    hit = _cache.get(ck)
    if hit is not None:
        return hit
    import gzip

    path = _file(anchors_path, key)
    try:
        text = _inflate(reading.read_bytes(path)).decode("utf-8", "surrogatepass")
    except (OSError, EOFError, UnicodeDecodeError, gzip.BadGzipFile, zlib.error, ValueError):
        return None
    if key_of(text) != key:
        return None
    if len(_cache) >= _CACHE_MAX:
        _cache.clear()
    _cache[ck] = text
    return text


def _inflate(data: bytes) -> bytes:
    """A stored text's bytes, never more than a source may hold (:data:`reading.MAX_BYTES`):
    a small file that would inflate to gigabytes is refused (ValueError), not inflated."""
    d = zlib.decompressobj(wbits=31)  # gzip
    out = d.decompress(data, reading.MAX_BYTES + 1)
    if len(out) > reading.MAX_BYTES or d.unconsumed_tail:
        raise ValueError("a stored text larger than a source may be")
    if not d.eof:
        raise EOFError("a stored text cut short")
    return out


def keys(anchors_path: Path | str) -> set[str]:
    """The keys of every text stored for an anchors file."""
    try:
        names = os.listdir(_store_name(os.fspath(anchors_path)))
    except OSError:
        return set()
    return {n[: -len(SUFFIX)] for n in names if n.endswith(SUFFIX)}


def prune(anchors_path: Path, keep: set[str]) -> list[Path]:
    """Delete every stored text whose key is not in ``keep``; return the deleted files (the
    folder too, once empty)."""
    folder = store_dir(anchors_path)
    gone: list[Path] = []
    for key in sorted(keys(anchors_path) - keep):
        path = folder / (key + SUFFIX)
        try:
            path.unlink()
        except OSError:
            continue
        _cache.pop((str(anchors_path), key), None)
        gone.append(path)
    if gone and not keys(anchors_path):
        try:
            folder.rmdir()
            gone.append(folder)
        except OSError:
            pass
    return gone
