"""Incremental parsing of a big TOML dataset, one table at a time (no textual).

tomllib is pure Python: 46 MB of dataset at 1000x the shipped data take 7.5 s to parse, and an
analyst who fixes one quote would wait that long for ``check``. A dataset is a long run of
tables (``[[quotes]]``, ``[[states]]`` with their ``[[states.membership]]``, ``[dataset]``),
each of which means the same on its own as inside the file. So the file is cut before every
top-level table header, each piece is parsed on its own, and the parsed pieces are kept by a
hash of their text: after an edit only the pieces that changed are parsed again.

The cut is checked, never trusted. A header-like line inside a multi-line string or array
leaves the piece before it unterminated, which fails to parse; a piece must define nothing but
its own table; a dotted header (``[[states.membership]]``) must extend its own piece's table;
a table or key must not be defined twice across pieces. Whenever any of this fails,
:func:`parse` returns None and the caller parses the whole file with tomllib, which then
reports the real error with its line and column.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import tomllib
from typing import Any

from . import reading

#: A top-level table header: ``[name]`` or ``[[name]]`` with a bare key, alone on its line.
_HEADER = re.compile(
    r"^[ \t]*(\[\[?)[ \t]*([A-Za-z0-9_-]+)[ \t]*(\]\]?)[ \t]*(?:#[^\n]*)?\r?$", re.MULTILINE)
#: Any dotted header, ``[a.b]`` or ``[[a.b]]`` (also quoted keys): its first key.
_DOTTED = re.compile(
    r"""^[ \t]*\[\[?[ \t]*("[^"\n]*"|'[^'\n]*'|[A-Za-z0-9_-]+)[ \t]*\.""", re.MULTILINE)

#: Files smaller than this are parsed whole: cutting them saves nothing worth the cache.
MIN_SIZE = 256 * 1024

Pieces = dict[bytes, Any]


def _digest(piece: str) -> bytes:
    return hashlib.blake2b(piece.encode("utf-8", "surrogatepass"), digest_size=16).digest()


#: Where a file was cut: (offset of the header's line, table name, whether ``[[array]]``).
Cut = list[tuple[int, str, bool]]


def parse(text: str, known: Pieces, cut: Cut | None = None
          ) -> tuple[dict[str, Any], Pieces] | None:
    """Parse ``text`` reusing ``known`` pieces; return (data, the pieces of this text), or None
    if the text cannot be parsed piece by piece (parse it whole). If ``cut`` is given, it
    receives where the text was cut (when it could be)."""
    heads = list(_HEADER.finditer(text))
    starts = [m.start() for m in heads]
    names = [m.group(2) for m in heads]
    for m in _DOTTED.finditer(text):
        i = bisect.bisect_right(starts, m.start()) - 1
        root = m.group(1).strip("\"'")
        if i < 0 or names[i] != root:
            return None  # extends a table of another piece (or before any)
    pieces: Pieces = {}
    bounds = [0, *starts, len(text)]
    data: dict[str, Any] = {}
    kinds: dict[str, str] = {}
    arrays = [m.group(1) == "[[" for m in heads]
    for m, array in zip(heads, arrays, strict=True):
        if array != (m.group(3) == "]]"):
            return None  # [[name] or [name]]
    lists: dict[str, list[Any]] = {}
    known_get = known.get
    for i in range(len(bounds) - 1):
        piece = text[bounds[i]:bounds[i + 1]]
        key = _digest(piece)
        value = known_get(key)
        if value is None:
            value = pieces.get(key)
        if value is None:
            parsed = _loads(piece)
            if parsed is None:
                return None
            if i == 0:
                value = parsed
            else:
                name = names[i - 1]
                if len(parsed) != 1 or name not in parsed:
                    return None
                value = parsed[name]
                if arrays[i - 1]:
                    if type(value) is not list or len(value) != 1:
                        return None
                    value = value[0]
        pieces[key] = value
        if i == 0:
            if type(value) is not dict:
                return None
            data.update(value)
            kinds.update(dict.fromkeys(value, "key"))
            continue
        name = names[i - 1]
        if arrays[i - 1]:
            lst = lists.get(name)
            if lst is None:
                if name in kinds:
                    return None
                kinds[name] = "array"
                lst = lists[name] = data[name] = []
            lst.append(value)
        else:
            if name in kinds or type(value) is not dict:
                return None
            kinds[name] = "table"
            data[name] = value
    if cut is not None:
        cut.extend(zip(starts, names, arrays, strict=True))
    return data, pieces


def array_tables(text: str) -> tuple[str, list[tuple[str, str, dict[str, Any]]]] | None:
    """A run of whole ``[[name]]`` tables cut out of a file, each parsed on its own: (what comes
    before the first header, [(name, its text, the table)]), or None if ``text`` is not such a
    run (a piece that does not parse alone, a plain ``[table]``, a dotted header of another
    table, anything but blank lines and comments before the first header)."""
    heads = list(_HEADER.finditer(text))
    first = heads[0].start() if heads else len(text)
    if _loads(text[:first]) != {}:
        return None
    starts = [m.start() for m in heads]
    names = [m.group(2) for m in heads]
    for m in _DOTTED.finditer(text):
        i = bisect.bisect_right(starts, m.start()) - 1
        if i < 0 or names[i] != m.group(1).strip("\"'"):
            return None
    out = []
    for i, m in enumerate(heads):
        if m.group(1) != "[[" or m.group(3) != "]]":
            return None
        piece = text[starts[i]:starts[i + 1] if i + 1 < len(starts) else len(text)]
        parsed = _loads(piece)
        if parsed is None:
            return None
        value = parsed.get(names[i])
        if (len(parsed) != 1 or type(value) is not list or len(value) != 1
                or type(value[0]) is not dict):
            return None
        out.append((names[i], piece, value[0]))
    return text[:first], out


def _loads(piece: str) -> dict[str, Any] | None:
    """A piece parsed, or None if it does not parse or is beyond the limits of
    :mod:`csto_tui.reading` (the whole file is then parsed, and the problem located)."""
    if not reading.within_limits(piece):
        return None
    try:
        return tomllib.loads(piece)
    except (ValueError, RecursionError):  # TOMLDecodeError is a ValueError
        return None
