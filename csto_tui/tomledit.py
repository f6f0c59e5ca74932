"""Edit one value of a hand-written TOML file in place: nothing else in the file changes (no
textual, standard library only).

The dataset is written by people: its comments, order, blank lines and string styles are
theirs. A rewrite through a TOML writer would lose all of that, so an edit here replaces the
characters of exactly one value and nothing else:

* :func:`scan` reads the file's structure (table headers, ``key = value`` lines and the span
  of each value, multi-line strings, arrays and inline tables included);
* :func:`set_value` finds the value of ``key`` in the table ``[[array]]`` whose ``id_key`` is
  ``rid`` and puts the new value's TOML text in its place;
* the result is parsed again and compared with the original, parsed: it must be the same
  document with that one value changed, or nothing is written (:class:`EditError`);
* :func:`rewrite` does it on a file: refused (``WriteConflictError``) if the file is not what
  the caller saw (its :class:`~csto_tui.atomic.Stamp`, or the value it expects to replace),
  then written atomically with a ``.bak``.

Used by the review of quotes (accepting a source's new wording rewrites the quote's ``text``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .atomic import Stamp, atomic_write
from .errors import WriteConflictError
from .values import _set, _Value

__all__ = ["EditError", "Entry", "append_string", "basic_string", "rewrite", "scan", "set_value",
           "toml_value"]


class EditError(ValueError):
    """The edit cannot be made safely (record or key not found, or the result would differ
    from the intended document)."""


class Entry(_Value):
    """A ``key = value`` line: the table it belongs to (header name, whether an array-of-tables
    element, and which element of that array), its dotted key, and the value's span."""

    __slots__ = _fields = ("table", "array", "index", "key", "start", "end")

    table: str
    array: bool
    index: int
    key: str
    start: int
    end: int

    def __init__(
        self,
        table: str,
        array: bool,
        index: int,
        key: str,
        start: int,
        end: int,
    ) -> None:
        _set(self, "table", table)
        _set(self, "array", array)
        _set(self, "index", index)
        _set(self, "key", key)
        _set(self, "start", start)
        _set(self, "end", end)


_ESCAPES = {i: f"\\u{i:04x}" for i in (*range(0x20), 0x7F)}
_ESCAPES.update({0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r",
                 0x22: '\\"', 0x5C: "\\\\"})


def basic_string(value: str) -> str:
    """A TOML basic string: quote, backslash and every control character (C0 and DEL, which
    TOML forbids raw) escaped; everything else kept as it is."""
    return '"' + value.translate(_ESCAPES) + '"'


def toml_value(value: object) -> str:
    """The TOML text of a string, integer, float or boolean."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return basic_string(value)
    if isinstance(value, int | float):
        return repr(value)
    raise EditError(f"cannot write a {type(value).__name__} value")


# --------------------------------------------------------------------------- scanning

_WS = " \t"
_BARE = re.compile(r"[A-Za-z0-9_-]+")


class _Scanner:
    def __init__(self, doc: str) -> None:
        self.s = doc
        self.i = 0

    def error(self, msg: str) -> EditError:
        line = self.s.count("\n", 0, self.i) + 1
        return EditError(f"line {line}: {msg}")

    def skip_ws(self) -> None:
        s, i = self.s, self.i
        while i < len(s) and s[i] in _WS:
            i += 1
        self.i = i

    def skip_ws_comments_newlines(self) -> None:
        s = self.s
        while self.i < len(s):
            c = s[self.i]
            if c in " \t\r\n":
                self.i += 1
            elif c == "#":
                j = s.find("\n", self.i)
                self.i = len(s) if j < 0 else j + 1
            else:
                break

    def key(self) -> str:
        """A dotted key, returned as its parts joined by '.' (quoted parts unquoted)."""
        parts = []
        while True:
            self.skip_ws()
            s = self.s
            if self.i < len(s) and s[self.i] in "\"'":
                a = self.i
                self.string()
                import tomllib  # a quoted key: rare

                parts.append(str(tomllib.loads("k = " + s[a:self.i])["k"]))
            else:
                m = _BARE.match(s, self.i)
                if not m:
                    raise self.error("a key was expected")
                parts.append(m.group())
                self.i = m.end()
            self.skip_ws()
            if self.i < len(s) and s[self.i] == ".":
                self.i += 1
                continue
            return ".".join(parts)

    def string(self) -> None:
        s, i = self.s, self.i
        q = s[i]
        if s.startswith(q * 3, i):
            end = s.find(q * 3, i + 3) if q == "'" else self._basic_end(i + 3, multi=True)
            if end < 0:
                raise self.error("unterminated string")
            end += 3
            while end < len(s) and s[end] == q:  # up to two quotes just before the closing
                end += 1
            self.i = end
            return
        if q == "'":
            end = s.find("'", i + 1)
            if end < 0 or "\n" in s[i:end]:
                raise self.error("unterminated string")
            self.i = end + 1
            return
        end = self._basic_end(i + 1, multi=False)
        if end < 0:
            raise self.error("unterminated string")
        self.i = end + 1

    def _basic_end(self, j: int, multi: bool) -> int:
        s = self.s
        while j < len(s):
            c = s[j]
            if c == "\\":
                j += 2
                continue
            if multi and s.startswith('"""', j):
                return j
            if not multi and c == '"':
                return j
            if not multi and c == "\n":
                return -1
            j += 1
        return -1

    def value(self) -> tuple[int, int]:
        self.skip_ws()
        s = self.s
        a = self.i
        if a >= len(s):
            raise self.error("a value was expected")
        c = s[a]
        if c in "\"'":
            self.string()
        elif c in "[{":
            self._bracketed()
        else:
            j = a
            while j < len(s) and s[j] not in "\n#,]}":
                j += 1
            while j > a and s[j - 1] in " \t\r":
                j -= 1
            self.i = j
        return a, self.i

    def _bracketed(self) -> None:
        s = self.s
        depth = 0
        while self.i < len(s):
            c = s[self.i]
            if c in "\"'":
                self.string()
                continue
            if c == "#":
                j = s.find("\n", self.i)
                self.i = len(s) if j < 0 else j
                continue
            if c in "[{":
                depth += 1
            elif c in "]}":
                depth -= 1
                if depth == 0:
                    self.i += 1
                    return
            self.i += 1
        raise self.error("unterminated array or inline table")


def scan(doc: str) -> list[Entry]:
    """Every top-level ``key = value`` of every table of ``doc``, in order, with the span of its
    value. Raises EditError on text it cannot follow."""
    sc = _Scanner(doc)
    out: list[Entry] = []
    table, array = "", False
    counts: dict[str, int] = {}
    index = 0
    s = doc
    while True:
        sc.skip_ws_comments_newlines()
        if sc.i >= len(s):
            return out
        if s[sc.i] == "[":
            array = s.startswith("[[", sc.i)
            sc.i += 2 if array else 1
            table = sc.key()
            close = "]]" if array else "]"
            if not s.startswith(close, sc.i):
                raise sc.error("a table header was expected")
            sc.i += len(close)
            if array:
                index = counts.get(table, 0)
                counts[table] = index + 1
            else:
                index = 0
            continue
        key = sc.key()
        if sc.i >= len(s) or s[sc.i] != "=":
            raise sc.error("'=' was expected")
        sc.i += 1
        a, b = sc.value()
        out.append(Entry(table, array, index, key, a, b))
        sc.skip_ws()
        if sc.i < len(s) and s[sc.i] == "#":
            j = s.find("\n", sc.i)
            sc.i = len(s) if j < 0 else j
        if sc.i < len(s) and s[sc.i] not in "\r\n":
            raise sc.error("end of line was expected after the value")


# --------------------------------------------------------------------------- editing


def _parse(doc: str) -> dict[str, Any]:
    import tomllib  # only to edit: not when `sync` writes an anchors file (basic_string)

    try:
        return tomllib.loads(doc)
    except tomllib.TOMLDecodeError as exc:
        raise EditError(f"not valid TOML: {exc}") from None


def _record_index(doc: str, entries: list[Entry], array: str, rid: str, id_key: str) -> int:
    """The index, among the ``[[array]]`` tables of ``doc``, of the one whose ``id_key`` is
    ``rid`` (EditError if none is)."""
    for e in entries:
        if e.array and e.table == array and e.key == id_key:
            if _parse("v = " + doc[e.start:e.end])["v"] == rid:
                return e.index
    raise EditError(f"no [[{array}]] with {id_key} = {rid!r}")


def _line_end(doc: str, pos: int) -> tuple[int, str]:
    """Where the line holding ``pos`` ends (before its ``\r\n`` or ``\n``; the end of
    ``doc`` on its last line) and the line end to give a line inserted there: the file's
    own, so a CRLF file stays CRLF."""
    eol = doc.find("\n", pos)
    if eol < 0:
        return len(doc), "\r\n" if "\r\n" in doc else "\n"
    if eol > pos and doc[eol - 1] == "\r":
        return eol - 1, "\r\n"
    return eol, "\n"


def set_value(doc: str, array: str, rid: str, key: str, value: object, id_key: str = "id",
              old: object = None) -> str:
    """``doc`` with ``key`` of the ``[[array]]`` table whose ``id_key`` is ``rid`` set to
    ``value``, every other character unchanged. ``old``, when given, is the value the caller
    expects to replace (else WriteConflictError). Raises EditError when the record or key is
    not there, or when the result would be anything but that one change."""
    before = _parse(doc)
    entries = scan(doc)
    index = _record_index(doc, entries, array, rid, id_key)
    target = next((e for e in entries if e.array and e.table == array and e.index == index
                   and e.key == key), None)
    if target is None:
        raise EditError(f"[[{array}]] {rid!r} has no {key!r}")
    rows = before.get(array)
    if not isinstance(rows, list) or index >= len(rows) or not isinstance(rows[index], dict):
        raise EditError(f"[[{array}]] {rid!r} could not be read back")
    current = rows[index].get(key)
    if old is not None and current != old:
        raise WriteConflictError(
            f"{key} of {rid!r} is no longer what was reviewed; nothing written")
    new_doc = doc[: target.start] + toml_value(value) + doc[target.end :]
    after = _parse(new_doc)
    rows[index][key] = value
    if after != before:
        raise EditError(f"editing {key} of {rid!r} would change more than that value")
    return new_doc


def rewrite(path: Path, array: str, rid: str, key: str, value: object, *, id_key: str = "id",
            old: object = None, expected: Stamp | None = None) -> Path | None:
    """:func:`set_value` on the file ``path``, written atomically with a ``.bak`` (returned).
    Refused with WriteConflictError if the file is not ``expected`` (when given) or the value is
    not ``old`` (when given); EditError if the edit is not safe. Nothing is written then."""
    from .reading import read_bytes  # a regular file, within the limits

    raw = read_bytes(path)
    if expected is not None and Stamp.of_bytes(raw) != expected:
        raise WriteConflictError(f"{path} changed since it was read; nothing written")
    doc = raw.decode("utf-8")
    new = set_value(doc, array, rid, key, value, id_key=id_key, old=old)
    return atomic_write(Path(path), new.encode("utf-8"), expected=Stamp.of_bytes(raw))


def append_string(doc: str, array: str, rid: str, key: str, value: str, id_key: str = "id",
                  old: list[str] | tuple[str, ...] | None = None) -> str:
    """``doc`` with the string ``value`` appended to the array ``key`` of the ``[[array]]``
    table whose ``id_key`` is ``rid`` (the key is added, as ``key = [value]`` after the
    table's last key, when the table has none), every other character unchanged; the
    layout of the array is followed (one element per line, a trailing comma, or one line).
    ``old``, when given, is the array the caller expects (else WriteConflictError). Proven
    like :func:`set_value`: the result parsed again must be the document with that one
    element added, or EditError."""
    before = _parse(doc)
    entries = scan(doc)
    index = _record_index(doc, entries, array, rid, id_key)
    rows = before.get(array)
    if not isinstance(rows, list) or index >= len(rows) or not isinstance(rows[index], dict):
        raise EditError(f"[[{array}]] {rid!r} could not be read back")
    current = rows[index].get(key)
    if current is not None and not isinstance(current, list):
        raise EditError(f"{key} of {rid!r} is not an array")
    if old is not None and list(current or []) != list(old):
        raise WriteConflictError(
            f"{key} of {rid!r} is no longer what was read; nothing written")
    own = [e for e in entries if e.array and e.table == array and e.index == index]
    target = next((e for e in own if e.key == key), None)
    item = basic_string(value)
    if target is None:
        last = own[-1]  # the id at least
        eol, nl = _line_end(doc, last.end)
        indent = _indent_of(doc, last.start)
        new_doc = doc[:eol] + f"{nl}{indent}{key} = [{item}]" + doc[eol:]
    else:
        new_doc = _append_item(doc, target.start, target.end, item)
    after = _parse(new_doc)
    rows[index][key] = [*(current or []), value]
    if after != before:
        raise EditError(f"adding to {key} of {rid!r} would change more than that array")
    return new_doc


def _indent_of(doc: str, pos: int) -> str:
    """The whitespace that starts the line of ``pos``."""
    bol = doc.rfind("\n", 0, pos) + 1
    j = bol
    while j < len(doc) and doc[j] in _WS:
        j += 1
    return doc[bol:j]


def _append_item(doc: str, start: int, end: int, item: str) -> str:
    """Insert ``item`` as the last element of the array ``doc[start:end]``."""
    if doc[start] != "[" or doc[end - 1] != "]":
        raise EditError("not an array")
    sc = _Scanner(doc)
    sc.i = start + 1
    last_start = last_end = -1
    comma = -1  # a comma after the last element
    while True:
        sc.skip_ws_comments_newlines()
        if sc.i >= end - 1:
            break
        if doc[sc.i] == ",":
            comma = sc.i
            sc.i += 1
            continue
        last_start, last_end = sc.value()
        comma = -1
    close = end - 1
    if last_end < 0:  # an empty array
        return doc[:close] + item + doc[close:]
    multi = "\n" in doc[last_end:close]
    bol = doc.rfind("\n", start, last_start)
    own_line = bol >= 0 and not doc[bol + 1:last_start].strip()
    if multi and own_line:
        indent = _indent_of(doc, last_start)
        if comma >= 0:  # one per line with a trailing comma: a line after the comma's
            eol, nl = _line_end(doc, comma)
            return doc[:eol] + f"{nl}{indent}{item}," + doc[eol:]
        nl = "\r\n" if "\r\n" in doc[last_end:close] else "\n"
        return doc[:last_end] + f",{nl}{indent}{item}" + doc[last_end:]
    if comma >= 0:
        return doc[:comma + 1] + f" {item}" + doc[comma + 1:]
    return doc[:last_end] + f", {item}" + doc[last_end:]
