"""Where a problem is in a TOML data file: :class:`Locator` finds the line (and column) of a
record by its id, and of a field, nested table or inline key within it, for located messages.
Built lazily, from the file's text only when a problem needs it.

Plain Python: this module never imports textual.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate
from pathlib import Path
from typing import Any

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
        self._starts: list[int] | None = None  # where each line starts, once an item is sought
        self._inline: dict[str, list[int]] | None = None  # records written as inline tables

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

    def position_of(self, rec_id: str, path: str = "", nth: int = 1,
                    item: tuple[int, str] | None = None) -> tuple[int | None, int | None]:
        """(line, column) of the ``nth`` record with this id, or of a field of it: ``path`` is
        ``key``, ``table[2]`` (the second nested table of that key, a ``[[table]]`` or an
        inline table in an array), ``table[2].key`` or ``key.inner`` (a key of an inline
        table). The column is where the value starts (of a nested table: its header). A field
        the record lacks is located at the record.

        ``item``: (index, value) of one string of the array that is the field's value (an id
        it names): located at that string's opening quote, however the array is written (over
        several lines, with comments, literal or basic strings, escapes). The string at that
        index is taken if it is ``value``; else the array's first string that is (the array
        itself if none is)."""
        lines = self.lines  # builds the id index on first use
        found = self._ids.get(rec_id)
        if not found:
            return self._inline_position(rec_id, path, nth, item)
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
        return self._within(table, head is not None, block_lo, block_hi, path, item, fallback)

    def _within(self, table: str, head: bool, block_lo: int, block_hi: int, path: str,
                item: tuple[int, str] | None, fallback: tuple[int, int]
                ) -> tuple[int | None, int | None]:
        """The field at ``path`` of the record whose block is lines[block_lo:block_hi]."""
        lines = self.lines
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
            k = re.escape(key)
            kre = re.compile(rf"""^\s*(?:{k}|"{k}"|'{k}')\s*=""")
            for n in range(cur_lo, cur_hi):
                if kre.match(lines[n]):
                    col = _value_column(lines[n])
                    # within the value: an inline table of an array, its keys, an item
                    steps: list[int | str] = [int(index) - 1] if index else []
                    for key2, index2 in segs[i + 1:]:
                        steps.append(key2)
                        if index2:
                            steps.append(int(index2) - 1)
                    if not steps and item is None:
                        return n + 1, col
                    return self._at(self._offset(n) + col - 1, steps, item)
            return where
        return where

    def _inline_position(self, rec_id: str, path: str, nth: int,
                         item: tuple[int, str] | None) -> tuple[int | None, int | None]:
        """:meth:`position_of` a record written as an inline table in an array
        (``events = [{id = "e1", states = ["kaz"]}]``): where its id is, or the field at
        ``path`` within it."""
        found = self._inline_records().get(rec_id)
        if not found:
            return None, None
        steps: list[int | str] = []
        for key, index in re.findall(r"([^.\[\]]+)(?:\[(\d+)\])?", path or "id"):
            steps.append(key)
            if index:
                steps.append(int(index) - 1)
        return self._at(found[min(nth, len(found)) - 1], steps, item, in_array=True)

    def _inline_records(self) -> dict[str, list[int]]:
        """Where each record written as an inline table in an array starts (its ``{``), by
        id: read once, when an id is not found on a line of its own (none when no inline
        table of the text has an ``id``)."""
        if self._inline is None:
            self._inline = {}
            text = self._text
            assert isinstance(text, str)  # self.lines made it one
            if re.search(r"[{,]\s*id\s*=", text):
                from .tomledit import EditError, _Scanner, scan

                sc = _Scanner(text)
                try:
                    for entry in scan(text):
                        for a, _b in _items(sc, entry.start).values():
                            span = _keys(sc, a).get("id")
                            rid = _string(text, *span[:2]) if span is not None else None
                            if rid is not None:
                                self._inline.setdefault(rid, []).append(a)
                except (EditError, IndexError, ValueError):  # ValueError: tomllib's, a key
                    pass
        return self._inline

    def _offset(self, n: int) -> int:
        """Where line ``n`` (0-based) starts in the text."""
        if self._starts is None:
            self._starts = [0, *accumulate(len(x) + 1 for x in self.lines)]
        return self._starts[n]

    def _at(self, pos: int, steps: list[int | str], item: tuple[int, str] | None,
            in_array: bool = False) -> tuple[int, int]:
        """(line, column) of the value reached from the value at offset ``pos`` of the text by
        ``steps`` (an index into an array, a key of an inline table), then ``item``; as far
        as the text can be followed (a step it lacks stops there)."""
        text = self._text
        assert isinstance(text, str)  # self.lines made it one
        pos = _follow(text, pos, steps, item, in_array)
        self._offset(0)  # the lines' starts made
        line = bisect_right(self._starts or [0], pos)
        return line, pos - self._offset(line - 1) + 1


def _follow(text: str, pos: int, steps: list[int | str], item: tuple[int, str] | None,
            in_array: bool = False) -> int:
    """The offset of the value reached from the value at ``pos`` by ``steps`` (an index into
    an array, a key of an inline table), then of ``item``'s string in the array there; as
    far as the text can be followed (a step it lacks, or text it cannot read, stops there).
    A last key of an inline table that is a field's value (``inferred = {date = "..."}``) is
    located at the key, which is what a problem there is about; a field of a record written
    as an inline table in an array (``in_array``: ``pos`` is such a record) at its value, as
    in a ``[[table]]``. Read with :mod:`csto_tui.tomledit`'s scanner (imported here: a load
    that reports no such problem never needs it)."""
    from .tomledit import EditError, _Scanner

    sc = _Scanner(text)
    try:
        for n, step in enumerate(steps):
            if isinstance(step, int):
                span = _items(sc, pos).get(step)
            else:
                keyed = _keys(sc, pos).get(step)
                if keyed is not None and not in_array and item is None and n == len(steps) - 1:
                    return keyed[2]
                span = keyed[:2] if keyed is not None else None
            if span is None:
                return pos
            pos = span[0]
            in_array = isinstance(step, int)
        if item is not None:
            index, value = item
            spans = list(_items(sc, pos).values())
            if index < len(spans) and _string(text, *spans[index]) == value:
                return spans[index][0]
            return next((a for a, b in spans if _string(text, a, b) == value), pos)
    except (EditError, IndexError, ValueError):  # ValueError: tomllib's, on a quoted key
        pass  # (the file as it is now, which may not be the text validated: saved again)
    return pos


def _items(sc: Any, pos: int) -> dict[int, tuple[int, int]]:
    """The spans of the items of the array at ``pos``, by index (none if it is no array)."""
    s = sc.s
    if not s.startswith("[", pos):
        return {}
    out: dict[int, tuple[int, int]] = {}
    sc.i = pos + 1
    while True:
        sc.skip_ws_comments_newlines()
        if sc.i >= len(s) or s[sc.i] == "]":
            return out
        out[len(out)] = sc.value()
        sc.skip_ws_comments_newlines()
        if sc.i < len(s) and s[sc.i] == ",":
            sc.i += 1
        elif sc.i < len(s) and s[sc.i] != "]":
            return out  # not an array the scanner can follow further


def _keys(sc: Any, pos: int) -> dict[str, tuple[int, int, int]]:
    """The spans of the values of the inline table at ``pos`` and where their keys start, by
    key (dotted keys joined by '.'; none if it is no inline table)."""
    s = sc.s
    if not s.startswith("{", pos):
        return {}
    out: dict[str, tuple[int, int, int]] = {}
    sc.i = pos + 1
    while True:
        sc.skip_ws_comments_newlines()
        if sc.i >= len(s) or s[sc.i] == "}":
            return out
        at = sc.i
        key = sc.key()
        if not s.startswith("=", sc.i):
            return out
        sc.i += 1
        out.setdefault(key, (*sc.value(), at))
        sc.skip_ws_comments_newlines()
        if sc.i < len(s) and s[sc.i] == ",":
            sc.i += 1
        elif sc.i < len(s) and s[sc.i] != "}":
            return out


def _string(text: str, a: int, b: int) -> str | None:
    """The string written at text[a:b] (None if it is no string)."""
    if text[a:a + 1] not in ("'", '"'):
        return None
    import tomllib  # as tomledit's scanner: only once a problem is located at an item

    try:
        got = tomllib.loads("v = " + text[a:b])["v"]
    except tomllib.TOMLDecodeError:
        return None
    return got if isinstance(got, str) else None


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
