"""How a previous text became the current one, and a quote's span mapped through it: the
re-anchoring that needs no search. Pure Python, standard library only.

With the previous text (the text the stored ``hint`` indexes into, which ``csto-tui sync``
keeps, see :mod:`csto_tui.textstore`), nothing is searched: the quote's span is mapped through
the diff of ``previous`` against ``text`` (:class:`_Diff`: lines first, then words inside the
changed lines, lines moved unchanged paired as moves; computed once per pair of texts). A span
no edit touched is ``exact`` (same offsets) or ``moved``, whatever look-alikes exist
elsewhere; a touched span is ``normalized`` when only typography changed, else ``fuzzy`` with
the changes; a span that lost more than half of its characters (``MIN_KEPT``) is
``orphaned``, unless its very words arrived whole in new text (a sentence moved: ``moved``).

Also the review's :func:`word_diff` of two wordings and :func:`map_offset`.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_right
from collections.abc import Iterable
from functools import lru_cache

from .folding import find_all, fold, opcodes, trim, word_sim, words
from .located import ORPHAN, Anchor
from .vocabulary import EXACT, FUZZY, MOVED, NORMALIZED

__all__ = ["diff", "map_offset", "through", "word_diff"]

#: A line shorter than this (stripped) is too common to pair as a moved line.
MIN_MOVED_LINE = 16
#: A quote keeping less than this share of its characters through the edits was deleted.
MIN_KEPT = 0.5
#: Runs of changed lines with more word tokens than this (on either side, between their common
#: head and tail) are not diffed word by word (difflib is quadratic in the worst case): quotes
#: in them are searched for instead.
MAX_DIFF_TOKENS = 20_000

_DTOKEN = re.compile(r"\s+|\S+\s*")
_CTOKEN = re.compile(r"\w+|\s+|[^\w\s]")


class _Diff:
    """How ``previous`` became ``text``: the stretches left equal, as (previous offset, text
    offset, length), increasing in both texts; and the lines moved elsewhere unchanged.

    Computed line by line (difflib on lines), then, inside each run of changed lines, word by
    word (difflib on "word + its spaces" tokens, the common head and tail of each changed pair
    kept as equal), so that an edit never costs a character-by-character alignment. A line that
    left one place and arrived unchanged at another, once each, is a move (reordered
    paragraphs)."""

    __slots__ = ("eq", "eq_starts", "moves", "move_starts", "inserted", "size", "unknown")

    def __init__(self, previous: str, text: str) -> None:
        pl = previous.splitlines(keepends=True)
        tl = text.splitlines(keepends=True)
        po = _offsets(pl)
        to = _offsets(tl)
        self.size = len(text)
        sm = difflib.SequenceMatcher(None, pl, tl, autojunk=False)
        eq: list[tuple[int, int, int]] = []
        blocks: list[tuple[int, int, int, int]] = []
        for tag, i1, i2, j1, j2 in sm.get_opcodes():
            if tag == "equal":
                eq.append((po[i1], to[j1], po[i2] - po[i1]))
            else:
                blocks.append((i1, i2, j1, j2))
        # moves: a changed line found once among the changed lines of each side
        gone: dict[str, list[int]] = {}
        came: dict[str, list[int]] = {}
        for i1, i2, j1, j2 in blocks:
            for i in range(i1, i2):
                key = pl[i].rstrip("\r\n")
                if len(key.strip()) >= MIN_MOVED_LINE:
                    gone.setdefault(key, []).append(i)
            for j in range(j1, j2):
                key = tl[j].rstrip("\r\n")
                if len(key.strip()) >= MIN_MOVED_LINE:
                    came.setdefault(key, []).append(j)
        moves: list[tuple[int, int, int]] = []
        moved_p: set[int] = set()
        moved_t: set[int] = set()
        for key, ii in gone.items():
            jj = came.get(key)
            if len(ii) == 1 and jj is not None and len(jj) == 1:
                moves.append((po[ii[0]], to[jj[0]], len(key)))
                moved_p.add(ii[0])
                moved_t.add(jj[0])
        # word by word inside each run of changed lines (moved lines left out)
        self.unknown: list[tuple[int, int]] = []  # previous-text ranges not diffed
        for i1, i2, j1, j2 in blocks:
            ptoks = _tokens(pl, po, (i for i in range(i1, i2) if i not in moved_p))
            ttoks = _tokens(tl, to, (j for j in range(j1, j2) if j not in moved_t))
            head, tail = trim([x for x, _ in ptoks], [y for y, _ in ttoks])
            if max(len(ptoks), len(ttoks)) - head - tail > MAX_DIFF_TOKENS:
                self.unknown.append((po[i1], po[i2]))
            elif ptoks and ttoks:
                eq.extend(_word_diff(ptoks, ttoks))
        eq.sort()
        merged: list[tuple[int, int, int]] = []
        for p, t, n in eq:
            if n <= 0:
                continue
            if merged:
                mp, mt, mn = merged[-1]
                if mp + mn == p and mt + mn == t:
                    merged[-1] = (mp, mt, mn + n)
                    continue
            merged.append((p, t, n))
        self.eq = merged
        self.eq_starts = [p for p, _, _ in merged]
        moves.sort()
        self.moves = moves
        self.move_starts = [p for p, _, _ in moves]
        # the stretches of text that are new (not equal to anything before): where a quote
        # that left its place may have gone unchanged
        ins: list[tuple[int, int]] = []
        at = 0
        for _, t, n in sorted(merged, key=lambda x: x[1]):
            if t > at:
                ins.append((at, t))
            at = max(at, t + n)
        if at < len(text):
            ins.append((at, len(text)))
        self.inserted = ins

    def moved(self, s: int, e: int) -> int | None:
        """Text offset of [s, e) of the previous text if it lies in a moved line."""
        i = bisect_right(self.move_starts, s) - 1
        if i >= 0:
            p, t, n = self.moves[i]
            if e <= p + n:
                return t + (s - p)
        return None

    def overlaps(self, s: int, e: int) -> list[tuple[int, int, int]]:
        """The equal stretches overlapping [s, e) of the previous text."""
        i = max(0, bisect_right(self.eq_starts, s) - 1)
        out = []
        while i < len(self.eq):
            p, t, n = self.eq[i]
            if p >= e:
                break
            if p + n > s:
                out.append((p, t, n))
            i += 1
        return out

    def map_start(self, s: int) -> int:
        """Text offset where previous offset ``s`` went: inside an equal stretch, its image;
        inside a change, the start of what replaced it."""
        i = bisect_right(self.eq_starts, s) - 1
        if i < 0:
            return 0
        p, t, n = self.eq[i]
        return t + (s - p) if s < p + n else t + n

    def map_end(self, e: int) -> int:
        """Text offset where an end (exclusive) at previous offset ``e`` went; inside a change,
        the end of what replaced it."""
        i = bisect_right(self.eq_starts, e - 1) - 1
        if i >= 0:
            p, t, n = self.eq[i]
            if e <= p + n:
                return t + (e - p)
        j = i + 1
        return self.eq[j][1] if j < len(self.eq) else self.size


def _offsets(lines: list[str]) -> list[int]:
    out = [0]
    for ln in lines:
        out.append(out[-1] + len(ln))
    return out


def _tokens(lines: list[str], offs: list[int], which: Iterable[int]) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    for i in which:
        base = offs[i]
        out.extend((m.group(), base + m.start()) for m in _DTOKEN.finditer(lines[i]))
    return out


def _word_diff(a: list[tuple[str, int]], b: list[tuple[str, int]]
               ) -> list[tuple[int, int, int]]:
    """Equal stretches (a offset, b offset, length) of two token lists."""
    out: list[tuple[int, int, int]] = []
    for tag, i1, i2, j1, j2 in opcodes([x for x, _ in a], [y for y, _ in b], MAX_DIFF_TOKENS):
        if tag == "equal":
            out.extend((a[k][1], b[j1 + k - i1][1], len(a[k][0])) for k in range(i1, i2))
        elif tag == "replace":
            # keep the common head and tail of a changed stretch (a changed mark or space
            # inside a token is not a changed word)
            out.extend(_head_tail(a, i1, i2, b, j1, j2))
    return out


def _head_tail(a: list[tuple[str, int]], i1: int, i2: int, b: list[tuple[str, int]], j1: int,
               j2: int) -> list[tuple[int, int, int]]:
    out: list[tuple[int, int, int]] = []
    xa, yb = a[i1][0], b[j1][0]
    head = len(_common_prefix(xa, yb))
    if head:
        out.append((a[i1][1], b[j1][1], head))
    xz, yz = a[i2 - 1][0], b[j2 - 1][0]
    tail = len(_common_prefix(xz[::-1], yz[::-1]))
    if i2 - i1 == 1:
        tail = min(tail, len(xz) - head)
    if j2 - j1 == 1:
        tail = min(tail, len(yz) - head)
    if tail > 0:
        out.append((a[i2 - 1][1] + len(xz) - tail, b[j2 - 1][1] + len(yz) - tail, tail))
    return out


def _common_prefix(x: str, y: str) -> str:
    n = 0
    for c, d in zip(x, y, strict=False):
        if c != d:
            break
        n += 1
    return x[:n]


@lru_cache(maxsize=8)
def diff(previous: str, text: str) -> _Diff:
    return _Diff(previous, text)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """``old`` turned into ``new``, word by word: ("=", kept), ("-", removed), ("+", added)
    pieces in reading order (what a review shows)."""
    a = _CTOKEN.findall(old)
    b = _CTOKEN.findall(new)
    out: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in opcodes(a, b):
        if tag == "equal":
            out.append(("=", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(("-", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(("+", "".join(b[j1:j2])))
    return out


def map_offset(previous: str, text: str, offset: int) -> int:
    """Where ``offset`` of ``previous`` went in ``text`` (through their diff): inside a change,
    the start of what replaced it."""
    if previous == text:
        return offset
    return diff(previous, text).map_start(offset)


def _changes(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """What changed between two wordings, word by word: (old words, new words) pairs."""
    a = _CTOKEN.findall(old)
    b = _CTOKEN.findall(new)
    return tuple(("".join(a[i1:i2]).strip(), "".join(b[j1:j2]).strip())
                 for tag, i1, i2, j1, j2 in opcodes(a, b) if tag != "equal")


def through(text: str, previous: str, exact: str, s: int) -> Anchor | None:
    """Where the span [s, s + len(exact)) of ``previous`` (which holds ``exact`` there) is in
    ``text``, mapped through their diff: untouched -> exact / moved; touched -> normalized when
    only typography changed, else fuzzy with the changes; mostly gone -> orphaned (unless the
    same words arrived whole somewhere new: moved)."""
    e = s + len(exact)
    d = diff(previous, text)
    if any(lo < e and s < hi for lo, hi in d.unknown):
        return None  # in a change too big to diff word by word: search instead
    t = d.moved(s, e)
    if t is not None:
        return Anchor(EXACT if t == s else MOVED, t, t + len(exact), 1.0, exact)
    over = d.overlaps(s, e)
    if len(over) == 1 and over[0][0] <= s and e <= over[0][0] + over[0][2]:
        p, t0, _ = over[0]
        a = t0 + (s - p)
        return Anchor(EXACT if a == s else MOVED, a, a + len(exact), 1.0, exact)
    kept = sum(min(e, p + n) - max(s, p) for p, _, n in over)
    if kept < MIN_KEPT * len(exact):
        # gone from its place: the very words may have arrived in new text (moved)
        hits = [lo + h for lo, hi in d.inserted for h in find_all(text[lo:hi], exact, 2)]
        if len(hits) == 1:
            return Anchor(MOVED, hits[0], hits[0] + len(exact), 1.0, exact)
        return ORPHAN
    a = d.map_start(s)
    b = d.map_end(e)
    if b < a:
        b = a
    while a < b and text[a].isspace() and not exact[0].isspace():
        a += 1
    while b > a and text[b - 1].isspace() and not exact[-1].isspace():
        b -= 1
    found = text[a:b]
    if found == exact:
        return Anchor(EXACT if a == s else MOVED, a, b, 1.0, exact)
    if fold(found).strip() == fold(exact).strip():
        return Anchor(NORMALIZED, a, b, 1.0, found)
    score = word_sim(words(fold(exact)), words(fold(found)))
    return Anchor(FUZZY, a, b, round(score, 4), found, _changes(exact, found))

