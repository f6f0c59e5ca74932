"""Typography folding and the text comparisons anchoring is built on. Pure Python, standard
library only.

:func:`fold`: whitespace runs (incl. tabs, newlines, NBSP U+00A0, narrow NBSP U+202F, other
Unicode spaces) -> one space, curly quotes -> straight, every dash (U+2010..U+2015, U+2212) ->
``-``, zero-width characters and soft hyphens dropped, a letter and its combining marks
composed (NFC: a quote in NFD finds its source in NFC and the reverse). :class:`Folded` keeps
an index map (breakpoints of the collapsed runs, bisected), so offsets found in a folded text
are mapped back to code-point offsets into the *original* text; the fold of a text is
computed once and cached (LRU of a few texts).

Comparisons: :func:`str_sim` (difflib ratio of two strings), :func:`word_sim` (of two word
lists), :func:`opcodes` (difflib's opcodes in time bounded whatever the lengths),
:func:`find_all` (verbatim occurrences, up to a limit).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache

__all__ = ["Folded", "find_all", "fold", "folded", "opcodes", "str_sim", "trim", "word_sim",
           "words"]

_ZERO_WIDTH = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_FOLD_TABLE = str.maketrans(
    {
        **{c: "'" for c in "\u2018\u2019\u201a\u201b\u2032"},
        **{c: '"' for c in "\u201c\u201d\u201e\u201f\u2033"},
        **{c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"},
        **{
            c: " "
            for c in "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u00a0\u1680\u2000\u2001\u2002\u2003"
            "\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
        },
    }
)
# After translation every space-like character is " ": a run of 2+ spaces/zero-widths becomes
# one space (or nothing when it holds no space), a lone zero-width character disappears.
# A base character followed by combining marks is composed (NFC), so that a quote in NFD finds
# its text in NFC and the reverse.
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u3099\u309a"
_RUN = re.compile(f"[ {_ZERO_WIDTH}]{{2,}}|[{_ZERO_WIDTH}]|(?P<cm>.[{_MARKS}]+)")


_FOLD_PAIRS: tuple[tuple[str, str], ...] = tuple((chr(k), str(v)) for k, v in _FOLD_TABLE.items())


def _translate(s: str) -> str:
    """``s.translate(_FOLD_TABLE)``, but as a chain of C-level ``str.replace`` calls for the
    characters that actually occur: several times faster than ``str.translate`` on
    non-ASCII text (about 1 s instead of 2.3 s on 50 MB, microseconds on a quote)."""
    for c, r in _FOLD_PAIRS:
        if c in s:
            s = s.replace(c, r)
    return s


def _run_repl(m: re.Match[str]) -> str:
    if m.group("cm") is not None:
        return unicodedata.normalize("NFC", m.group())
    return " " if " " in m.group() else ""


def fold(s: str) -> str:
    """Typography-folded form of ``s`` (see module docstring)."""
    return _RUN.sub(_run_repl, _translate(s))


class Folded:
    """A folded text with the map back to the original's offsets."""

    __slots__ = ("text", "_fpos", "_opos", "_shift", "_composed")

    def __init__(self, original: str) -> None:
        t = _translate(original)
        parts: list[str] = []
        fpos: list[int] = []  # folded offset right after each collapsed run
        opos: list[int] = []  # the matching original offset
        shift: list[int] = []  # characters removed up to there
        composed: set[int] = set()  # folded offsets right after a composed character
        last = 0
        removed = 0
        for m in _RUN.finditer(t):
            a, b = m.span()
            r = _run_repl(m)
            parts.append(t[last:a])
            parts.append(r)
            f_after = a - removed + len(r)
            if m.group("cm") is not None:
                composed.add(f_after)
            removed += (b - a) - len(r)
            fpos.append(f_after)
            opos.append(b)
            shift.append(removed)
            last = b
        if parts:
            parts.append(t[last:])
            self.text = "".join(parts)
        else:
            self.text = t
        self._fpos = fpos
        self._opos = opos
        self._shift = shift
        self._composed = composed

    def orig(self, f: int) -> int:
        """Original offset of folded offset ``f``."""
        i = bisect_right(self._fpos, f) - 1
        return f + (self._shift[i] if i >= 0 else 0)

    def span(self, fs: int, fe: int) -> tuple[int, int]:
        """Original span of the folded span [fs, fe)."""
        if fe <= fs:
            o = self.orig(fs)
            return o, o
        if fe in self._composed:  # ends on a composed character: all of its marks
            return self.orig(fs), self.orig(fe)
        return self.orig(fs), self.orig(fe - 1) + 1

    def folded(self, o: int) -> int:
        """Folded offset of original offset ``o`` (approximate inside collapsed runs)."""
        i = bisect_right(self._opos, o) - 1
        return max(0, o - (self._shift[i] if i >= 0 else 0))


@lru_cache(maxsize=4)
def folded(text: str) -> Folded:
    return Folded(text)


# --------------------------------------------------------------------------- similarity

_WORD = re.compile(r"\w+")


def str_sim(a: str, b: str) -> float:
    if not a and not b:
        return 1.0
    if a == b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def words(s: str) -> list[str]:
    return _WORD.findall(s.lower())


def word_sim(a: list[str], b: list[str]) -> float:
    if a == b:
        return 1.0
    if not a and not b:
        return 1.0
    same = sum(n for tag, i1, i2, _j1, _j2 in opcodes(a, b) if tag == "equal"
               for n in (i2 - i1,))
    return 2.0 * same / (len(a) + len(b))


#: Tokens between the common head and tail of two sequences beyond which they are not aligned
#: token by token (difflib is quadratic in the worst case): the middle is one change.
MAX_MIDDLE_TOKENS = 3_000


def trim(a: list[str], b: list[str]) -> tuple[int, int]:
    """How many tokens two sequences share at their head and, after it, at their tail (found by
    halving, each step one slice comparison in C)."""
    la, lb = len(a), len(b)
    lo, hi = 0, min(la, lb)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid - 1
    head = lo
    lo, hi = 0, min(la, lb) - head
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[la - mid:la - lo] == b[lb - mid:lb - lo]:
            lo = mid
        else:
            hi = mid - 1
    return head, lo


def opcodes(a: list[str], b: list[str], limit: int = MAX_MIDDLE_TOKENS
             ) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes turning ``a`` into ``b``, in time bounded whatever their length: the
    common head and tail are equal as they stand (one word changed in a 1 MB quote leaves a
    middle of a few tokens), and only a middle of at most ``limit`` tokens a side is aligned;
    a longer one is reported as one replacement."""
    head, tail = trim(a, b)
    ma, mb = a[head:len(a) - tail], b[head:len(b) - tail]
    out: list[tuple[str, int, int, int, int]] = []
    if head:
        out.append(("equal", 0, head, 0, head))
    if len(ma) > limit or len(mb) > limit:
        tag = "replace" if ma and mb else "delete" if ma else "insert"
        out.append((tag, head, head + len(ma), head, head + len(mb)))
    elif ma or mb:
        sm = difflib.SequenceMatcher(None, ma, mb, autojunk=False)
        out.extend((tag, i1 + head, i2 + head, j1 + head, j2 + head)
                   for tag, i1, i2, j1, j2 in sm.get_opcodes())
    if tail:
        out.append(("equal", len(a) - tail, len(a), len(b) - tail, len(b)))
    return out


def find_all(hay: str, needle: str, limit: int) -> list[int]:
    out: list[int] = []
    i = hay.find(needle)
    while i != -1:
        out.append(i)
        if len(out) >= limit:
            break
        i = hay.find(needle, i + 1)
    return out
