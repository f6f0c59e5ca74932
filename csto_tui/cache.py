"""A cache of parsed TOML, keyed by the file's content (no textual).

Parsing TOML is pure Python and dominates load time on big datasets (about 7 s for a 46 MB
file). The parsed tables are plain dicts, lists, strings and numbers, which ``marshal`` stores
and reloads an order of magnitude faster. The key is a hash of the file's bytes, so an edited
file can never be served stale. The cache lives in ``$XDG_CACHE_HOME/csto-tui`` (or
``~/.cache/csto-tui``); ``CSTO_TUI_CACHE=0`` turns it off. Any failure to read or write the cache
is ignored: it is only ever an accelerator.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

FORMAT = b"csto-toml-cache-1"
MIN_SIZE = 32 * 1024  # tiny files parse about as fast as a cache round trip
KEEP = 16


def cache_dir() -> Path | None:
    if os.environ.get("CSTO_TUI_CACHE", "1") in ("0", "false", "no"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "csto-tui"


def _entry(folder: Path, raw: bytes) -> Path:
    return folder / f"{hashlib.blake2b(FORMAT + raw, digest_size=20).hexdigest()}.marshal"


def parse_cached(raw: bytes, parse: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    folder = cache_dir()
    if folder is None or len(raw) < MIN_SIZE:
        return parse()
    entry = _entry(folder, raw)
    try:
        data = marshal.loads(entry.read_bytes())
        if isinstance(data, dict):
            return data
    except (OSError, ValueError, EOFError, TypeError):
        pass
    data = parse()
    _store(folder, entry, data)
    return data


def store(raw: bytes, data: dict[str, Any]) -> None:
    """Cache what a file we just wrote parses to (``sync`` knows it without parsing)."""
    folder = cache_dir()
    if folder is not None and len(raw) >= MIN_SIZE:
        _store(folder, _entry(folder, raw), data)


def _store(folder: Path, entry: Path, data: dict[str, Any]) -> None:
    try:
        blob = marshal.dumps(data)
    except ValueError:  # e.g. TOML dates: not marshal-able, simply not cached
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = entry.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(blob)
        os.replace(tmp, entry)
        _prune(folder)
    except OSError:
        pass


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("*.marshal"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        try:
            old.unlink()
        except OSError:
            pass
