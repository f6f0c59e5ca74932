"""Re-anchoring of quotes (W3C TextQuoteSelector + TextPositionSelector) in changed sources.

Pure Python, standard library only (never imports textual or rich).

``locate(text, exact, prefix, suffix, hint, previous)`` answers "where is this quote now?" with
an :class:`Anchor` whose ``status`` is one of :data:`STATUSES`:

``exact``
    verbatim at the hinted position (``text.startswith(exact, hint)``), or, without a hint,
    verbatim exactly once.
``moved``
    verbatim elsewhere. Several verbatim occurrences are ranked by context similarity (prefix
    and suffix, compared after folding); candidates whose context scores lie within
    ``TIE_MARGIN`` of the best are separated by distance from the hint.
``normalized``
    found once typography is folded: whitespace runs (incl. tabs, newlines, NBSP U+00A0, narrow
    NBSP U+202F, other Unicode spaces) -> one space, curly quotes -> straight, every dash
    (U+2010..U+2015, U+2212) -> ``-``, zero-width characters and soft hyphens dropped, a letter
    and its combining marks composed (NFC: a quote in NFD finds its source in NFC and the
    reverse). The fold keeps an index map (breakpoints of the collapsed runs, bisected), so
    offsets are always code-point offsets into the *original* text.
``fuzzy``
    an approximate match (a word changed, inserted or deleted). ``score`` is the word-level
    similarity (difflib ratio of the lower-cased word sequences); ``changes`` says what changed
    (stored words, words now) when it is known from the previous text.
``ambiguous``
    several equally good places; ``start``/``end`` give the first best candidate so a UI can
    show it.
``orphaned``
    not there any more: ``start``/``end`` are None, ``found`` is "" and ``score`` 0.

**With the previous text** (``previous``: the text the stored ``hint`` indexes into, which
``csto-tui sync`` keeps, see :mod:`csto_tui.textstore`), nothing is searched: the quote's span
is mapped through the diff of ``previous`` against ``text`` (:class:`_Diff`: lines first, then
words inside the changed lines, lines moved unchanged paired as moves; computed once per pair
of texts). A span no edit touched is ``exact`` (same offsets) or ``moved``, whatever look-alikes
exist elsewhere; a touched span is ``normalized`` when only typography changed, else ``fuzzy``
with the changes; a span that lost more than half of its characters (``MIN_KEPT``) is
``orphaned``, unless its very words arrived whole in new text (a sentence moved: ``moved``).
If ``previous`` does not hold ``exact`` (the dataset's quote was edited since), the search
below runs from where the anchor's place went.

**Without it**, the search below runs, and a fuzzy candidate is accepted only when its
surroundings agree with the stored prefix and suffix (mean similarity >= ``MIN_CONTEXT``):
a quote with no context is never placed fuzzily. Otherwise it is ``orphaned``.

Order of work (cheapest first): hint fast path (``startswith``) -> verbatim ``str.find`` ->
folded ``str.find`` -> fuzzy. Exact and moved quotes therefore cost one C-level scan and scale to
very large texts; the fold of a text is computed once and cached (LRU of a few texts). Measured
on a 50 MB text: exact ~25 us, moved ~6 ms; the first fold ~1.5 s, then normalized ~12 ms and
fuzzy ~0.2 s. On the ~10 KB seeds: median 0.2 ms per quote, fuzzy ~1.7 ms mean, 5 ms worst.

Fuzzy search ("seed, cluster, verify"):

1. *Seeds*: the folded quote is cut into overlapping word n-grams (trigrams for quotes of 8+
   words, bigrams for 3-7 words, single words below); each n-gram is searched with
   ``str.find`` in the folded text; n-grams with more than ``MAX_SEED_HITS`` hits are
   uninformative and skipped. Each hit votes for a diagonal (text position minus offset of the
   n-gram in the quote). The hint and the places where the prefix's tail / suffix's head occur
   also vote.
2. *Clusters*: votes within a quarter of the quote's length of each other form one candidate
   region; regions are ranked by the number of distinct n-grams supporting them and only the
   best ``MAX_REGIONS`` are verified. Nothing is ever aligned against the whole text, so the
   cost is bounded by (n-grams x text scan) + (regions x quote x window).
3. *Verify*: Myers' bit-parallel approximate-substring algorithm (Sellers' semi-global edit
   distance, one Python big-int per column) finds the best-matching span inside the region,
   a reverse pass finds its start, and the span is snapped to word boundaries.

Acceptance of a fuzzy candidate (tuned on ``benchmarks/anchoring_bench.py``, whose generated
prose gives 60% of the quotes a one-word-different look-alike in another paragraph):

* ``wsim``: word-level similarity of quote and span (difflib ratio of the lower-cased word
  sequences), at least ``MIN_SIM`` (0.75: one changed word in a 4-word clause);
* ``csim``: character-level similarity, 1 - edit distance / quote length, at least
  ``MIN_CHAR_SIM`` = 0.6 (rejects spans that only match as word lists);
* ``ctx``: the mean of prefix and suffix similarity (difflib ratio on folded text, over the
  stored widths), weighted by those widths, at least ``MIN_CONTEXT`` (0.75). After a word edit
  inside the quote both sides still agree (1.0); a look-alike in another paragraph has other
  surroundings on both sides. The best of the two sides is not enough: in formulaic prose one
  side of a look-alike often resembles the stored context by chance (7% of deleted quotes were
  pinned that way), and right after a deletion the prefix agrees exactly with the sentence
  that now follows it;
* ``wsim * ctx`` at least ``MIN_EVIDENCE`` (0.65): that following sentence, when it is built
  like the deleted one, scores ``wsim`` 0.75 with half of its context agreeing (0.58).

Everything else is orphaned: we prefer an honest "orphaned" to pinning a deleted quote to
look-alike text, which is what a best-score-within-an-error-budget matcher (the Hypothesis
client's, budget len/2) does.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

__all__ = ["Anchor", "STATUSES", "context", "fold", "locate", "quote_span"]

STATUSES: tuple[str, ...] = ("exact", "moved", "normalized", "fuzzy", "ambiguous", "orphaned")

#: Minimal word-level similarity of a fuzzy candidate that has context support.
MIN_SIM = 0.75
#: Minimal best-of(prefix, suffix) similarity that counts as context support.
MIN_CONTEXT = 0.75
#: Minimal product of word similarity and context agreement of a fuzzy candidate: a quote just
#: similar enough beside a context that only half agrees is the next sentence after a deletion.
MIN_EVIDENCE = 0.65
#: Minimal character-level similarity (1 - edits / len) of any fuzzy candidate.
MIN_CHAR_SIM = 0.60
#: Context scores closer than this are considered equal when ranking candidates.
TIE_MARGIN = 0.1
#: An n-gram with more hits than this is too common to seed candidate regions.
MAX_SEED_HITS = 64
#: Number of candidate regions verified by the approximate aligner.
MAX_REGIONS = 8
#: Verbatim occurrences beyond this many are not considered.
MAX_OCCURRENCES = 100_000
#: A quote longer than this (folded characters) is placed piece by piece (:func:`_fuzzy_long`):
#: the aligner's time grows with the square of a quote's length (a 30 KB quote took 2 s, a
#: 1 MB one would take most of an hour). Below it, the aligner takes well under a second.
LONG_QUOTE = 4_000


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a quote sits in a text now.

    ``start``/``end`` are code-point offsets into the searched text (end exclusive), None when
    orphaned; ``found`` is ``text[start:end]`` ("" when orphaned); ``score`` is in 0..1.
    """

    status: str
    start: int | None
    end: int | None
    score: float
    found: str
    #: what an edit changed inside the quote (stored wording, wording now), for ``fuzzy``
    changes: tuple[tuple[str, str], ...] = ()

    @property
    def located(self) -> bool:
        """True unless orphaned."""
        return self.start is not None


_ORPHAN = Anchor("orphaned", None, None, 0.0, "")

# --------------------------------------------------------------------------- folding

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


class _Folded:
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
def _folded(text: str) -> _Folded:
    return _Folded(text)


# --------------------------------------------------------------------------- similarity

_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r"\S+")


def _sim(a: str, b: str) -> float:
    if not a and not b:
        return 1.0
    if a == b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _words(s: str) -> list[str]:
    return _WORD.findall(s.lower())


def _word_sim(a: list[str], b: list[str]) -> float:
    if a == b:
        return 1.0
    if not a and not b:
        return 1.0
    same = sum(n for tag, i1, i2, _j1, _j2 in _opcodes(a, b) if tag == "equal"
               for n in (i2 - i1,))
    return 2.0 * same / (len(a) + len(b))


#: Tokens between the common head and tail of two sequences beyond which they are not aligned
#: token by token (difflib is quadratic in the worst case): the middle is one change.
MAX_MIDDLE_TOKENS = 3_000


def _trim(a: list[str], b: list[str]) -> tuple[int, int]:
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


def _opcodes(a: list[str], b: list[str], limit: int = MAX_MIDDLE_TOKENS
             ) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes turning ``a`` into ``b``, in time bounded whatever their length: the
    common head and tail are equal as they stand (one word changed in a 1 MB quote leaves a
    middle of a few tokens), and only a middle of at most ``limit`` tokens a side is aligned;
    a longer one is reported as one replacement."""
    head, tail = _trim(a, b)
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


def _context_sims(ft: str, fs: int, fe: int, fp: str, fx: str) -> tuple[float | None, float | None]:
    """Prefix and suffix similarity of the folded span [fs, fe) of folded text ``ft``."""
    pre = _sim(fp, ft[max(0, fs - len(fp)) : fs]) if fp else None
    suf = _sim(fx, ft[fe : fe + len(fx)]) if fx else None
    return pre, suf


def _mean(pre: float | None, suf: float | None) -> float:
    vals = [v for v in (pre, suf) if v is not None]
    return sum(vals) / len(vals) if vals else 0.0


# --------------------------------------------------------------------------- Myers / Sellers


def _myers_ends(pattern: str, text: str) -> tuple[int, list[int]]:
    """Smallest edit distance of ``pattern`` to any substring of ``text``, and the end
    offsets (exclusive) of the substrings reaching it (Myers 1999, bit-parallel)."""
    m = len(pattern)
    if not text:
        return m, [0]
    peq: dict[str, int] = {}
    for i, c in enumerate(pattern):
        peq[c] = peq.get(c, 0) | (1 << i)
    mask = (1 << m) - 1
    hb = 1 << (m - 1)
    pv = mask
    mv = 0
    score = m
    best = m + 1
    ends: list[int] = []
    get = peq.get
    for j, c in enumerate(text):
        eq = get(c, 0)
        xv = eq | mv
        xh = ((((eq & pv) + pv) & mask) ^ pv) | eq
        ph = mv | (~(xh | pv) & mask)
        mh = pv & xh
        if ph & hb:
            score += 1
        elif mh & hb:
            score -= 1
        ph = (ph << 1) & mask
        mh = (mh << 1) & mask
        pv = mh | (~(xv | ph) & mask)
        mv = ph & xv
        if score < best:
            best = score
            ends = [j + 1]
        elif score == best:
            ends.append(j + 1)
    return best, ends


def _align(pattern: str, window: str) -> list[tuple[int, int, int]]:
    """Best approximate occurrences of ``pattern`` in ``window``: (errors, start, end)."""
    dist, ends = _myers_ends(pattern, window)
    if len(ends) > 3:
        ends = [ends[0], ends[len(ends) // 2], ends[-1]]
    rpat = pattern[::-1]
    out: list[tuple[int, int, int]] = []
    for e in ends:
        lo = max(0, e - len(pattern) - dist)
        seg = window[lo:e][::-1]
        d2, rends = _myers_ends(rpat, seg)
        # the longest span with the same number of errors (as approx-string-match does)
        start = e - max(rends) if d2 == dist else e - len(pattern)
        out.append((dist, max(0, start), e))
    return out


# --------------------------------------------------------------------------- helpers


def _find_all(hay: str, needle: str, limit: int) -> list[int]:
    out: list[int] = []
    i = hay.find(needle)
    while i != -1:
        out.append(i)
        if len(out) >= limit:
            break
        i = hay.find(needle, i + 1)
    return out


def _pick(spans: list[tuple[int, int]], ctx: list[float], hint: int | None) -> tuple[int, bool]:
    """Index of the best candidate and whether it is ambiguous.

    Highest context score wins; scores within TIE_MARGIN (0.1: differences below that are
    noise for ~32-character contexts, e.g. a copy glued to the next paragraph matches one side
    as well as the original matches the other) are separated by distance to the hint;
    without a hint (or at equal distance) they are ambiguous."""
    top = max(ctx)
    group = [i for i, c in enumerate(ctx) if c >= top - TIE_MARGIN]
    if len(group) == 1:
        return group[0], False
    if hint is None:
        best = max(group, key=lambda i: (ctx[i], -i))
        return best, True
    h = hint
    group.sort(key=lambda i: (abs(spans[i][0] - h), -ctx[i]))
    d0 = abs(spans[group[0]][0] - h)
    d1 = abs(spans[group[1]][0] - h)
    return group[0], d0 == d1


#: Characters of context kept either side of a quote (TextQuoteSelector prefix and suffix).
CONTEXT = 32


def context(text: str, start: int, end: int, width: int = CONTEXT) -> tuple[str, str]:
    """TextQuoteSelector prefix and suffix (``width`` characters each, fewer at the edges)
    of the span [start, end) of ``text``."""
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"span [{start}, {end}) outside text of length {len(text)}")
    if width < 0:
        raise ValueError("width must be >= 0")
    return text[max(0, start - width) : start], text[end : end + width]


# --------------------------------------------------------------------------- diff (previous text)

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
            head, tail = _trim([x for x, _ in ptoks], [y for y, _ in ttoks])
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
    for tag, i1, i2, j1, j2 in _opcodes([x for x, _ in a], [y for y, _ in b], MAX_DIFF_TOKENS):
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
def _diff(previous: str, text: str) -> _Diff:
    return _Diff(previous, text)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """``old`` turned into ``new``, word by word: ("=", kept), ("-", removed), ("+", added)
    pieces in reading order (what a review shows)."""
    a = _CTOKEN.findall(old)
    b = _CTOKEN.findall(new)
    out: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in _opcodes(a, b):
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
    return _diff(previous, text).map_start(offset)


def _changes(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """What changed between two wordings, word by word: (old words, new words) pairs."""
    a = _CTOKEN.findall(old)
    b = _CTOKEN.findall(new)
    return tuple(("".join(a[i1:i2]).strip(), "".join(b[j1:j2]).strip())
                 for tag, i1, i2, j1, j2 in _opcodes(a, b) if tag != "equal")


def _through(text: str, previous: str, exact: str, s: int) -> Anchor | None:
    """Where the span [s, s + len(exact)) of ``previous`` (which holds ``exact`` there) is in
    ``text``, mapped through their diff: untouched -> exact / moved; touched -> normalized when
    only typography changed, else fuzzy with the changes; mostly gone -> orphaned (unless the
    same words arrived whole somewhere new: moved)."""
    e = s + len(exact)
    d = _diff(previous, text)
    if any(lo < e and s < hi for lo, hi in d.unknown):
        return None  # in a change too big to diff word by word: search instead
    t = d.moved(s, e)
    if t is not None:
        return Anchor("exact" if t == s else "moved", t, t + len(exact), 1.0, exact)
    over = d.overlaps(s, e)
    if len(over) == 1 and over[0][0] <= s and e <= over[0][0] + over[0][2]:
        p, t0, _ = over[0]
        a = t0 + (s - p)
        return Anchor("exact" if a == s else "moved", a, a + len(exact), 1.0, exact)
    kept = sum(min(e, p + n) - max(s, p) for p, _, n in over)
    if kept < MIN_KEPT * len(exact):
        # gone from its place: the very words may have arrived in new text (moved)
        hits = [lo + h for lo, hi in d.inserted for h in _find_all(text[lo:hi], exact, 2)]
        if len(hits) == 1:
            return Anchor("moved", hits[0], hits[0] + len(exact), 1.0, exact)
        return _ORPHAN
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
        return Anchor("exact" if a == s else "moved", a, b, 1.0, exact)
    if fold(found).strip() == fold(exact).strip():
        return Anchor("normalized", a, b, 1.0, found)
    score = _word_sim(_words(fold(exact)), _words(fold(found)))
    return Anchor("fuzzy", a, b, round(score, 4), found, _changes(exact, found))


# --------------------------------------------------------------------------- locate


def locate(
    text: str,
    exact: str,
    prefix: str = "",
    suffix: str = "",
    hint: int | None = None,
    previous: str | None = None,
) -> Anchor:
    """Find the quote ``exact`` in ``text``; see the module docstring for the statuses.

    ``prefix``/``suffix`` are the stored context (TextQuoteSelector), ``hint`` the stored start
    offset (TextPositionSelector). A hint outside [0, len(text)] is clamped for distance
    purposes and can never yield ``exact``. Raises ValueError when ``exact`` is empty.
    """
    if not exact:
        raise ValueError("exact must be a non-empty string")
    if previous is not None:
        s = _in_previous(previous, exact, hint)
        through = _through(text, previous, exact, s) if s is not None else None
        if through is not None:
            return through
        if hint is not None and 0 <= hint <= len(previous) and previous != text:
            # the quote was edited since its anchor was written: search, from where the
            # anchor's place went
            hint = _diff(previous, text).map_start(hint)
    n = len(exact)
    h: int | None = None
    if hint is not None:
        h = min(max(int(hint), 0), len(text))
        if h == hint and text.startswith(exact, h):
            return Anchor("exact", h, h + n, 1.0, exact)

    # 1. verbatim
    occ = _find_all(text, exact, MAX_OCCURRENCES)
    if occ:
        if len(occ) == 1:
            s = occ[0]
            return Anchor("exact" if hint is None else "moved", s, s + n, 1.0, exact)
        return _choose_verbatim(text, exact, occ, prefix, suffix, h)

    # 2. folded
    ftext = _folded(text)
    ft = ftext.text
    fq = fold(exact)
    fp = fold(prefix)
    fx = fold(suffix)
    fh = None if h is None else ftext.folded(h)
    if fq.strip():
        focc = _find_all(ft, fq, MAX_OCCURRENCES)
        if focc:
            spans = [(s, s + len(fq)) for s in focc]
            if len(spans) == 1:
                idx, amb = 0, False
            else:
                ctx = [_mean(*_context_sims(ft, s, e, fp, fx)) for s, e in spans]
                idx, amb = _pick(spans, ctx, fh)
            a, b = ftext.span(*spans[idx])
            return Anchor("ambiguous" if amb else "normalized", a, b, 1.0, text[a:b])

    # 3. fuzzy
    if len(fq) > LONG_QUOTE:
        return _fuzzy_long(text, ftext, fq, fp, fx, fh)
    return _fuzzy(text, ftext, fq, fp, fx, fh)


def _in_previous(previous: str, exact: str, hint: int | None) -> int | None:
    """Where ``exact`` is in the previous text: at ``hint``, else its only occurrence."""
    if hint is not None and 0 <= hint and previous.startswith(exact, hint):
        return hint
    occ = _find_all(previous, exact, 2)
    return occ[0] if len(occ) == 1 else None


def _choose_verbatim(
    text: str, exact: str, occ: list[int], prefix: str, suffix: str, h: int | None
) -> Anchor:
    n = len(exact)
    if len(occ) > 256:
        # cheap pre-filter: exact agreement of the context characters nearest the quote
        def quick(s: int) -> int:
            k = 0
            for a, b in zip(
                reversed(prefix), reversed(text[max(0, s - len(prefix)) : s]), strict=False
            ):
                if a != b:
                    break
                k += 1
            j = 0
            for a, b in zip(suffix, text[s + n : s + n + len(suffix)], strict=False):
                if a != b:
                    break
                j += 1
            return k + j

        ranked = sorted(occ, key=quick, reverse=True)[:64]
        if h is not None:
            ranked += sorted(occ, key=lambda s: abs(s - h))[:8]
        occ = sorted(set(ranked))
    fp = fold(prefix)
    fx = fold(suffix)
    spans = [(s, s + n) for s in occ]
    ctx: list[float] = []
    for s, e in spans:
        pre = _sim(fp, fold(text[max(0, s - len(prefix) - 8) : s])[-len(fp) :]) if fp else None
        suf = _sim(fx, fold(text[e : e + len(suffix) + 8])[: len(fx)]) if fx else None
        ctx.append(_mean(pre, suf))
    idx, amb = _pick(spans, ctx, h)
    s = spans[idx][0]
    return Anchor("ambiguous" if amb else "moved", s, s + n, 1.0, exact)


def _snap(ft: str, fq: str, s: int, e: int) -> tuple[int, int]:
    """Snap a folded span to word boundaries where the quote itself starts/ends on one."""
    if fq[0] != " ":
        while s < e and ft[s] == " ":
            s += 1
    if fq[-1] != " ":
        while e > s and ft[e - 1] == " ":
            e -= 1
    if fq[0].isalnum():
        k = 0
        while s > 0 and ft[s - 1].isalnum() and k < 40:
            s -= 1
            k += 1
    if fq[-1].isalnum():
        k = 0
        while e < len(ft) and ft[e].isalnum() and k < 40:
            e += 1
            k += 1
    return s, e


def _seed_regions(ft: str, fq: str, fp: str, fx: str, fh: int | None) -> list[tuple[int, int]]:
    """Candidate regions (folded offsets lo, hi) for the fuzzy verifier."""
    m = len(fq)
    toks = [(t.start(), t.end()) for t in _TOKEN.finditer(fq)]
    if not toks:
        return []
    size = 3 if len(toks) >= 8 else 2 if len(toks) >= 3 else 1
    votes: list[tuple[int, int]] = []  # (diagonal, seed id)
    seen: set[str] = set()
    for i in range(len(toks) - size + 1):
        a, b = toks[i][0], toks[i + size - 1][1]
        piece = fq[a:b]
        if piece in seen or len(piece) < 4:
            continue
        seen.add(piece)
        hits = _find_all(ft, piece, MAX_SEED_HITS + 1)
        if len(hits) > MAX_SEED_HITS:
            continue
        votes.extend((p - a, i) for p in hits)
    extra = len(toks) + 1
    if fh is not None:
        votes.append((fh, extra))
    if len(fp) >= 8:
        tail = fp[-16:]
        votes.extend((p + len(tail), extra + 1) for p in _find_all(ft, tail, 8))
    if len(fx) >= 8:
        head = fx[:16]
        votes.extend((p - m, extra + 2) for p in _find_all(ft, head, 8))
    if not votes:
        return []
    votes.sort()
    tol = max(8, m // 4)
    groups: list[tuple[int, int, int]] = []  # (support, lo_diag, hi_diag)
    g_lo = g_hi = votes[0][0]
    ids = {votes[0][1]}
    for d, sid in votes[1:]:
        if d - g_hi <= tol:
            g_hi = d
            ids.add(sid)
        else:
            groups.append((len(ids), g_lo, g_hi))
            g_lo = g_hi = d
            ids = {sid}
    groups.append((len(ids), g_lo, g_hi))

    def rank(g: tuple[int, int, int]) -> tuple[int, int]:
        return (-g[0], abs(g[1] - fh) if fh is not None else 0)

    groups.sort(key=rank)
    slack = m // 3 + 10
    regions: list[tuple[int, int]] = []
    for _, lo_d, hi_d in groups[:MAX_REGIONS]:
        lo = max(0, lo_d - slack)
        hi = min(len(ft), hi_d + m + slack)
        if hi - lo < 1:
            continue
        regions.append((lo, hi))
    # merge overlapping regions
    regions.sort()
    merged: list[tuple[int, int]] = []
    for lo, hi in regions:
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged


def _fuzzy(text: str, ftext: _Folded, fq: str, fp: str, fx: str, fh: int | None) -> Anchor:
    ft = ftext.text
    m = len(fq)
    if m == 0 or not fq.strip():
        return _ORPHAN
    qwords = _words(fq)
    cands: dict[tuple[int, int], tuple[float, float, float]] = {}  # span -> rank, wsim, ctx
    for lo, hi in _seed_regions(ft, fq, fp, fx, fh):
        for dist, s, e in _align(fq, ft[lo:hi]):
            csim = 1.0 - dist / m
            if csim < MIN_CHAR_SIM:
                continue
            s, e = _snap(ft, fq, lo + s, lo + e)
            if (s, e) in cands or e <= s:
                continue
            wsim = _word_sim(qwords, _words(ft[s:e])) if qwords else csim
            pre, suf = _context_sims(ft, s, e, fp, fx)
            # context agreement weighted by the stored widths: a 1-character suffix at the
            # end of a text agrees with anything
            wp, wx = (len(fp) if pre is not None else 0), (len(fx) if suf is not None else 0)
            support = ((pre or 0.0) * wp + (suf or 0.0) * wx) / (wp + wx) if wp + wx else 0.0
            if wsim < MIN_SIM or support < MIN_CONTEXT or wsim * support < MIN_EVIDENCE:
                continue
            rank = 0.7 * wsim + 0.3 * _mean(pre, suf)
            cands[(s, e)] = (rank, wsim, support)
    if not cands:
        return _ORPHAN
    spans = list(cands)
    ranks = [cands[sp][0] for sp in spans]
    # overlapping spans are the same place: keep the better of them only
    order = sorted(range(len(spans)), key=lambda i: -ranks[i])
    kept: list[int] = []
    for i in order:
        s, e = spans[i]
        if all(e <= spans[k][0] or s >= spans[k][1] for k in kept):
            kept.append(i)
    kspans = [spans[i] for i in kept]
    kranks = [ranks[i] for i in kept]
    idx, amb = _pick(kspans, kranks, fh)
    s, e = kspans[idx]
    wsim = cands[(s, e)][1]
    a, b = ftext.span(s, e)
    return Anchor("ambiguous" if amb else "fuzzy", a, b, round(wsim, 4), text[a:b])


def _fuzzy_long(text: str, ftext: _Folded, fq: str, fp: str, fx: str, fh: int | None
                ) -> Anchor:
    """A long quote placed piece by piece, in time linear in the quote and the text.

    The folded quote is cut into equal pieces (at most about 512). A few pieces spread along
    it, found verbatim in the text, propose where the quote would start (at most 8 places,
    plus the hint). From each place the pieces are looked for in order, each near where the
    previous one ended (an edit shifts the rest: the shift is followed). The share of the
    quote's characters found is its similarity; the same acceptance rules as for a short
    quote then apply (similarity >= ``MIN_SIM``, context support >= ``MIN_CONTEXT``, ties
    ``ambiguous``)."""
    ft = ftext.text
    m = len(fq)
    size = max(64, m // 512)
    pieces = [(o, fq[o:o + size]) for o in range(0, m - size + 1, size)]
    origins: dict[int, None] = {}
    if fh is not None:
        origins[fh] = None
    step = max(1, len(pieces) // 16)
    for o, piece in pieces[::step]:
        for pos in _find_all(ft, piece, 8):
            origins.setdefault(pos - o)
        if len(origins) >= 8:
            break
    slack = max(256, 2 * size)
    cands: dict[tuple[int, int], tuple[float, float, float]] = {}
    for origin in list(origins)[:9]:
        drift = 0
        found = 0
        first = last = None
        for o, piece in pieces:
            expect = origin + o + drift
            pos = ft.find(piece, max(0, expect - slack), max(0, expect + size + slack))
            if pos < 0:
                continue
            drift = pos - origin - o
            found += size
            if first is None:
                first = (pos, o)
            last = (pos, o)
        if first is None or last is None:
            continue
        s = max(0, first[0] - first[1])
        e = min(len(ft), last[0] + m - last[1])
        sim = found / m
        pre, suf = _context_sims(ft, s, e, fp, fx)
        support = _mean(pre, suf)
        if e <= s or sim < MIN_SIM or support < MIN_CONTEXT or (s, e) in cands:
            continue
        cands[(s, e)] = (0.7 * sim + 0.3 * support, sim, support)
    if not cands:
        return _ORPHAN
    spans = sorted(cands, key=lambda sp: -cands[sp][0])
    kept: list[tuple[int, int]] = []
    for s, e in spans:  # overlapping spans are the same place: the better one stays
        if all(e <= ks or s >= ke for ks, ke in kept):
            kept.append((s, e))
    idx, amb = _pick(kept, [cands[sp][0] for sp in kept], fh)
    s, e = kept[idx]
    a, b = ftext.span(s, e)
    return Anchor("ambiguous" if amb else "fuzzy", a, b, round(cands[(s, e)][1], 4), text[a:b])


def quote_span(q: Any, text: str | None, anchor: Any | None) -> tuple[int, int] | None:
    """Where quote ``q`` sits in its source ``text`` now, as best we know (no I/O): its
    stored ``anchor`` while the text there is still the anchor's exact text, else where a
    re-anchoring found it, else the quote's first verbatim occurrence. The one rule for the
    panes, the source view and search."""
    if text is None:
        return None
    a = anchor
    if a is not None and a.source == q.source:
        if 0 <= a.start <= a.end <= len(text) and text[a.start:a.end] == a.exact:
            return a.start, a.end
        if a.found_start is not None and a.found_end is not None \
                and 0 <= a.found_start <= a.found_end <= len(text):
            return a.found_start, a.found_end
    i = text.find(q.text) if q.text else -1
    if i >= 0:
        return i, i + len(q.text)
    return None
