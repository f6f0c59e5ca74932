"""Reading the files a dataset points at, within documented limits (no textual).

Every file csto-tui reads on a user's word (a dataset's TOML, its anchors file, each source
document) goes through :func:`read_bytes`, and every TOML text through :func:`parse_toml`:

- Only a regular file is read (a link to one is followed). A folder, FIFO, socket or device is
  refused from its ``stat``, before it is opened, so that a FIFO never blocks a load and
  ``/dev/zero`` is never read until memory runs out; the file is opened non-blocking and checked
  again on the open descriptor, in case it was swapped meanwhile.
- :data:`MAX_BYTES` per file. A TOML text may nest arrays and inline tables at most
  :data:`MAX_NESTING` deep and a key may have at most :data:`MAX_KEY_PARTS` dotted parts:
  beyond that tomllib recurses until Python gives up, or needs time and memory that grow with
  the square of the key's length. The 1000x benchmark corpus uses 46 MB, a nesting of 2 and
  keys of one part: the limits sit far above it. A text beyond them is refused with its file,
  line and column, before tomllib sees it.
"""

from __future__ import annotations

import errno
import functools
import os
import re
import stat
from pathlib import Path
from typing import Any

from .errors import DatasetError, Problem

#: The largest file read (a 1 MB source, a 46 MB dataset at 1000x the shipped data).
MAX_BYTES = 256 * 1024 * 1024
#: The deepest nesting of arrays and inline tables in a TOML text (the corpus uses 2).
MAX_NESTING = 64
#: The most dotted parts in one TOML key or table header (the corpus uses 1).
MAX_KEY_PARTS = 64


class NotRegularFile(OSError):
    """A path that is a FIFO, socket or device rather than a file: never opened, or if it was
    swapped in after the check, never read."""


class FileTooLarge(OSError):
    """A file larger than :data:`MAX_BYTES`."""


_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def what_is(mode: int) -> str:
    """What a ``st_mode`` names, for a message: "a folder", "a FIFO (named pipe)", ..."""
    if stat.S_ISDIR(mode):
        return "a folder"
    for test, name in _KINDS:
        if test(mode):
            return name
    return "a regular file" if stat.S_ISREG(mode) else "not a regular file"


def require_regular(name: str, mode: int) -> None:
    """Raise unless ``mode`` is a regular file's: :class:`IsADirectoryError` for a folder (so
    that callers' "is a folder" messages stay), :class:`NotRegularFile` for anything else."""
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", name)
    raise NotRegularFile(errno.EINVAL, f"is {what_is(mode)}, not a regular file", name)


def open_regular(path: Path | str) -> Any:
    """A binary file object for ``path``, after making sure it is a regular file (before it
    is opened, and again on the open descriptor)."""
    fd, _st = _open_regular(os.fspath(path))
    return os.fdopen(fd, "rb", buffering=0)


_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
          | getattr(os, "O_CLOEXEC", 0))


def _open_regular(name: str) -> tuple[int, os.stat_result]:
    """:func:`open_regular`'s descriptor, with the file's stat as the open descriptor says."""
    require_regular(name, os.stat(name).st_mode)
    fd = os.open(name, _FLAGS)
    try:
        st = os.fstat(fd)
        require_regular(name, st.st_mode)
        return fd, st
    except BaseException:
        os.close(fd)
        raise


def stat_of(st: os.stat_result) -> tuple[int, int, int, int, int]:
    """What a file's stat says that any change of its bytes changes (device, inode, size,
    mtime, ctime): what the cache remembers a file's digest by, and what the dashboard's
    polling compares (an edit that keeps size and mtime still moves the ctime)."""
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def read_bytes(path: Path | str, limit: int | None = None) -> bytes:
    """The bytes of a regular file of at most ``limit`` (:data:`MAX_BYTES`) bytes; OSError
    otherwise (:class:`NotRegularFile`, :class:`FileTooLarge`, or the system's own)."""
    return read_with_mode(path, limit)[0]


def read_with_mode(path: Path | str, limit: int | None = None) -> tuple[bytes, int]:
    """:func:`read_bytes`'s bytes and the mode of the file they were read through (its open
    descriptor's: the file as it was read, whatever a stat before or after saw): what a cache
    entry holding those bytes gets, so that no one who could not read them reads it."""
    name = os.fspath(path)
    limit = MAX_BYTES if limit is None else limit
    fd, st = _open_regular(name)
    size = st.st_size
    try:
        if size > limit:
            raise _too_large(name, limit)
        parts: list[bytes] = []
        total = 0
        # One read of a byte more than the size fstat gave: exactly that size back, fewer than
        # asked, is the whole file (a regular file reads short only at its end); otherwise
        # reads until one gives nothing: it grew or shrank meanwhile, or it is a file whose
        # stat says 0 and that reads short before its end (/proc/self/maps, a page a read).
        # (Reading the size exactly: a bigger buffer, cut down once read, leaves a hole in the
        # heap per file, ~19 MiB of a 1000x dataset's 2,000 sources.)
        want = size + 1
        while True:
            chunk = os.read(fd, want)
            if not chunk:
                break
            parts.append(chunk)
            total += len(chunk)
            if total > limit:
                raise _too_large(name, limit)
            if len(chunk) < want and total == size:
                break  # the end, as the size said
            want = 1 << 16
    finally:
        os.close(fd)
    return parts[0] if len(parts) == 1 else b"".join(parts), st.st_mode


def _too_large(name: str, limit: int) -> FileTooLarge:
    most = f"{limit / 2**20:g} MiB" if limit >= 2**20 else f"{limit:,} bytes"
    return FileTooLarge(errno.EFBIG, f"is larger than {most}, the most csto-tui reads "
                        "(see docs/robustness.md)", name)


# ---------------------------------------------------------------------------- TOML limits

#: Each pattern of this module compiled once, when a TOML text is first read (a load served
#: by the cache reads none: compiling them all costs ~1 ms of every command)
_compiled = functools.cache(re.compile)
# strings and comments, whose content never nests or dots anything (possessive: no backtracking)
_STRINGS = (
    r'"""[^"\\]*+(?:(?:\\[\s\S]|"(?!""))[^"\\]*+)*+"""'
    r"|'''[^']*+(?:'(?!'')[^']*+)*+'''"
    r'|"[^"\\\n]*+(?:\\.[^"\\\n]*+)*+"'
    r"|'[^'\n]*+'"
    r"|#[^\n]*+"
)
_NOT_BRACKET = r"[^\[\]{}]++"
_DEPTH = {ord("["): 1, ord("{"): 1, ord("]"): 255, ord("}"): 255}  # 255: -1 as a signed byte


@functools.lru_cache(maxsize=4)
def _long_key(parts: int) -> re.Pattern[str]:
    """A key of more than ``parts`` parts (``parts`` dots in a row, at most one word between
    two), its strings and comments already replaced by one letter."""
    return re.compile(r"\.(?:[ \t]*+[\w-]*+[ \t]*+\.)" + f"{{{parts - 1}}}")


def within_limits(text: str, nesting: int | None = None, key_parts: int | None = None) -> bool:
    """Whether a TOML text nests and dots its keys within the limits (:data:`MAX_NESTING`,
    :data:`MAX_KEY_PARTS` unless given). Fast: a few regular expressions in C, about 0.7 s
    for the 46 MB of the 1000x corpus."""
    import array
    import itertools
    import operator

    nesting = MAX_NESTING if nesting is None else nesting
    key_parts = MAX_KEY_PARTS if key_parts is None else key_parts
    bare = _compiled(_STRINGS).sub("s", text)
    if _long_key(key_parts).search(bare):
        return False
    brackets = _compiled(_NOT_BRACKET).sub("", bare).translate(_DEPTH).encode("latin-1")
    sums = list(itertools.accumulate(array.array("b", brackets), initial=0))
    # the depth at each bracket: its sum less the lowest before (a stray "]" counts as none)
    lows = itertools.accumulate(sums, min)
    return max(map(operator.sub, sums, lows)) <= nesting


_TOKEN = (
    f"(?P<string>{_STRINGS})"
    + r"|(?P<open>[\[{])|(?P<close>[\]}])|(?P<dot>\.)|(?P<word>[\w-]++)|(?P<space>[ \t]++)"
    + r"|[^\"'#\[\]{}.\w \t-]++|[\"']"
)


def beyond_limits(text: str, nesting: int | None = None, key_parts: int | None = None
                  ) -> tuple[int, str] | None:
    """Where a TOML text first nests or dots a key beyond the limits, and how; None if it
    does not. The same rules as :func:`within_limits`, token by token: slow, run only once
    that said no, to locate the problem."""
    nesting = MAX_NESTING if nesting is None else nesting
    key_parts = MAX_KEY_PARTS if key_parts is None else key_parts
    depth = 0
    dots = 0  # dots in the current run (a key of dots + 1 parts)
    words = 0  # words since the last dot
    last = ""
    for m in _compiled(_TOKEN).finditer(text):
        kind = m.lastgroup
        if kind == "space":
            last = "space"
            continue
        if kind == "string":  # a string or a comment: one word, as within_limits sees it
            kind = "word"
        if kind == "word":
            if last != "word":  # a word right after a string is one word with it
                words += 1
        elif kind == "dot":
            dots = dots + 1 if dots and words <= 1 else 1
            words = 0
            if dots >= key_parts:
                return m.start(), f"a key with more than {key_parts} dotted parts"
        else:
            dots = 0
            if kind == "open":
                depth += 1
                if depth > nesting:
                    return m.start(), (f"arrays and inline tables nested more than {nesting} "
                                       "deep")
            elif kind == "close":
                depth = max(depth - 1, 0)
        last = kind or "other"
    return None


def line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


_TOML_POS_RE = r"\s*\(at line (\d+), column (\d+)\)"
_TOML_EOF_RE = r"\s*\(at end of document\)"
_LONG_NUMBER = r"(?<![0-9_])[0-9_]{4000}"


def parse_toml(path: Path | str, text: str) -> dict[str, Any]:
    """Parse a TOML text; raise :class:`DatasetError` with file, line and column on a syntax
    error or a text beyond the limits (never RecursionError, a number too long for Python,
    or minutes spent on one key)."""
    import tomllib  # not needed when the dataset comes from the cache

    where: tuple[int, str] | None = None
    if not within_limits(text):
        where = beyond_limits(text)
    if where is None:
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise _syntax_error(path, text, str(exc)) from None
        except (ValueError, RecursionError):
            # a number beyond Python's digit limit; a recursion the limits did not foresee
            m = _compiled(_LONG_NUMBER).search(
                _compiled(_STRINGS).sub(lambda s: " " * len(s.group()), text))
            where = ((m.start(), "a number with more than 4,000 digits") if m
                     else (len(text), "a value too deeply nested to read"))
    offset, what = where
    line, col = line_col(text, offset)
    prob = Problem("toml", f"{what} (a limit of csto-tui, see docs/robustness.md)", str(path),
                   line, col)
    raise DatasetError(prob.format(), (prob,))


def _syntax_error(path: Path | str, text: str, msg: str) -> DatasetError:
    line: int | None
    col: int | None
    m = _compiled(_TOML_POS_RE).search(msg)
    offset: int | None = None
    if m:
        line, col = int(m.group(1)), int(m.group(2))
        msg = _compiled(_TOML_POS_RE).sub("", msg).strip()
        offset = 0
        for _ in range(line - 1):  # the start of the line
            offset = text.find("\n", offset) + 1
            if not offset:
                break
        offset = offset + col - 1 if offset or line == 1 else None
    elif _compiled(_TOML_EOF_RE).search(msg):
        line, col = line_col(text, len(text))
        offset = len(text)
        msg = _compiled(_TOML_EOF_RE).sub("", msg).strip() + " (at end of file)"
    else:
        line = col = None
    opened = _open_array(text, offset) if offset is not None and line is not None else None
    if opened is not None and opened[0] < (line or 0):
        msg += (f", inside the array opened at line {opened[0]}, column {opened[1]} "
                "(is its ']' missing?)")
    prob = Problem("toml", f"TOML syntax error: {msg}", str(path), line, col)
    return DatasetError(prob.format(), (prob,))


def _open_array(text: str, offset: int) -> tuple[int, int] | None:
    """Line and column of the outermost array still open at ``offset`` of a TOML text (None
    if none is): what an error far below it most likely comes from, a ``]`` left out. Strings
    and comments are skipped (:data:`_TOKEN`); a ``[`` is a table's header, not an array,
    unless it follows ``=`` or opens inside a value."""
    stack: list[tuple[bool, bool, int]] = []  # (a value, an array, where) of each open one
    after_equals = False
    for m in _compiled(_TOKEN).finditer(text, 0, offset):
        kind = m.lastgroup
        if kind == "space":
            continue
        if kind == "open":
            value = after_equals or bool(stack and stack[-1][0])
            stack.append((value, value and m.group() == "[", m.start()))
        elif kind == "close" and stack:
            stack.pop()
        after_equals = kind is None and m.group().endswith("=")
    at = next((start for _, array, start in stack if array), None)
    return None if at is None else line_col(text, at)


def decode_toml(path: Path | str, raw: bytes) -> str:
    """A data or anchors file's bytes as text: UTF-8 (else a located fatal error), BOM skipped."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        prob = Problem("toml", "not valid UTF-8", str(path), line, col)
        raise DatasetError(prob.format(), (prob,)) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text
