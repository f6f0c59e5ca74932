"""Where a problem is in a TOML data file: :class:`Locator` finds the line (and column) of a
record by its id, and of a field, nested table or inline key within it, for located messages.
Built lazily, from the file's text only when a problem needs it.

Plain Python: this module never imports textual.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import reading


class Locator:
    """Finds the line of a record (by its id) and of a field within it, for messages.

    Built lazily: a clean file never pays for scanning its lines (nor, given the file's bytes
    or path, for reading and decoding them).
    """

    def __init__(self, text: str | bytes | Path) -> None:
        self._text = text
        self._lines: list[str] | None = None
        self._ids: dict[str, list[int]] = {}

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            if isinstance(self._text, Path):
                try:
                    self._text = reading.read_bytes(self._text)
                except OSError:
                    self._text = b""
            if isinstance(self._text, bytes):
                self._text = self._text.decode("utf-8", errors="replace").lstrip("\ufeff")
            # lines end at "\n" only, as TOML's do (splitlines would also cut at U+2028,
            # U+0085 and others a string may hold, and every later line would be off)
            self._lines = self._text.split("\n")
            id_re = re.compile(r"""^\s*id\s*=\s*["']([^"']*)["']""")
            for n, line in enumerate(self._lines, 1):
                m = id_re.match(line)
                if m:
                    self._ids.setdefault(m.group(1), []).append(n)
                    if "\\" in m.group(1):  # "kaz\n": found by the id it stands for too
                        self._ids.setdefault(_unescape(m.group(1)), []).append(n)
        return self._lines

    def line_of(self, rec_id: str, fld: str = "", nth: int = 1) -> int | None:
        """The line of the ``nth`` record with this id, or of a field of it."""
        return self.position_of(rec_id, fld, nth)[0]

    def position_of(self, rec_id: str, path: str = "", nth: int = 1
                    ) -> tuple[int | None, int | None]:
        """(line, column) of the ``nth`` record with this id, or of a field of it: ``path`` is
        ``key``, ``table[2]`` (the second nested table of that key), ``table[2].key`` or
        ``key.inner`` (a key of an inline table). The column is where the value starts (of a
        nested table: its header). A field the record lacks is located at the record."""
        lines = self.lines  # builds the id index on first use
        found = self._ids.get(rec_id)
        if not found:
            return None, None
        start = found[min(nth, len(found)) - 1]
        # the record's block: from its [[header]] to the next record's
        lo = start - 1
        while lo > 0 and not lines[lo - 1].lstrip().startswith("[["):
            lo -= 1
        head = _HEADER_RE.match(lines[lo - 1]) if lo > 0 else None
        table = head.group(1) if head else ""
        hi = start
        while hi < len(lines):
            m = _HEADER_RE.match(lines[hi])
            if m and not (table and m.group(1).startswith(table + ".")):
                break
            hi += 1
        # lines lo..hi-1 (0-based) are the record's; its own keys come before its first
        # nested table
        block_lo, block_hi = (lo - 1 if lo > 0 else start - 1), hi
        fallback = (start, _value_column(lines[start - 1]))
        if not path:
            return fallback
        segs = re.findall(r"([^.\[\]]+)(?:\[(\d+)\])?", path)
        cur_lo = block_lo + 1 if head else block_lo
        cur_hi = _first_header(lines, cur_lo, block_hi)
        where = fallback
        for i, (key, index) in enumerate(segs):
            sub = f"{table}.{key}" if table else key
            headers = [n for n in range(block_lo, block_hi)
                       if (m := _HEADER_RE.match(lines[n])) and m.group(1) == sub]
            if headers:
                n = headers[min(int(index or 1), len(headers)) - 1]
                where = (n + 1, len(lines[n]) - len(lines[n].lstrip()) + 1)
                if not index and i + 1 < len(segs):
                    return where
                table = sub
                cur_lo = n + 1
                nxt = [h for h in headers if h > n]
                cur_hi = _first_header(lines, cur_lo, nxt[0] if nxt else block_hi)
                block_lo = n
                continue
            kre = re.compile(rf"^\s*{re.escape(key)}\s*=")
            for n in range(cur_lo, cur_hi):
                if kre.match(lines[n]):
                    where = (n + 1, _value_column(lines[n]))
                    if i + 1 < len(segs):  # a key of an inline table on that line
                        inner = segs[i + 1][0]
                        m = re.search(rf"[{{,]\s*({re.escape(inner)})\s*=", lines[n])
                        if m:
                            where = (n + 1, m.start(1) + 1)
                    return where
            return where
        return where


_HEADER_RE = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_.-]+)\s*\]\]")


def _first_header(lines: list[str], lo: int, hi: int) -> int:
    """The first ``[[header]]`` line in lines[lo:hi] (hi when there is none)."""
    for n in range(lo, hi):
        if _HEADER_RE.match(lines[n]):
            return n
    return hi


def _value_column(line: str) -> int:
    """1-based column where a ``key = value`` line's value starts (or its first character)."""
    eq = line.find("=")
    if eq < 0:
        return len(line) - len(line.lstrip()) + 1
    rest = line[eq + 1:]
    return eq + 1 + (len(rest) - len(rest.lstrip())) + 1


_ESCAPE = re.compile(r'\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[btnfr"\\])')


_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


def _unescape(raw: str) -> str:
    """A TOML basic string's escapes resolved (only to find a record by its id)."""
    def one(m: re.Match[str]) -> str:
        e = m.group(1)
        if len(e) == 1:
            return _ESCAPES[e]
        try:
            return chr(int(e[1:], 16))
        except (ValueError, OverflowError):
            return m.group()

    return _ESCAPE.sub(one, raw)
