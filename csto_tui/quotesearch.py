"""Finding a quote in a text without the previous text it was anchored in: verbatim, folded,
then fuzzy. Pure Python, standard library only.

Order of work in :func:`search` (cheapest first): hint fast path (``startswith``) -> verbatim
``str.find`` -> folded ``str.find`` -> fuzzy. Exact and moved quotes therefore cost one C-level
scan and scale to very large texts; the fold of a text is computed once and cached (LRU of a
few texts). Measured on a 50 MB text: exact ~25 us, moved ~6 ms; the first fold ~1.5 s, then
normalized ~12 ms and fuzzy ~0.2 s. On the ~10 KB seeds: median 0.2 ms per quote, fuzzy ~1.7 ms
mean, 5 ms worst.

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

import re

from .folding import Folded, find_all, fold, folded, str_sim, word_sim, words
from .located import ORPHAN, Anchor
from .vocabulary import AMBIGUOUS, EXACT, FUZZY, MOVED, NORMALIZED

__all__ = ["search"]

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

_TOKEN = re.compile(r"\S+")


def _context_sims(ft: str, fs: int, fe: int, fp: str, fx: str) -> tuple[float | None, float | None]:
    """Prefix and suffix similarity of the folded span [fs, fe) of folded text ``ft``."""
    pre = str_sim(fp, ft[max(0, fs - len(fp)) : fs]) if fp else None
    suf = str_sim(fx, ft[fe : fe + len(fx)]) if fx else None
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


def search(text: str, exact: str, prefix: str = "", suffix: str = "", hint: int | None = None
           ) -> Anchor:
    """Find the non-empty quote ``exact`` in ``text`` (see the module docstring), cheapest way
    first. ``prefix``/``suffix`` are the stored context, ``hint`` the stored start offset: one
    outside [0, len(text)] is clamped for distance purposes and can never yield ``exact``."""
    n = len(exact)
    h: int | None = None
    if hint is not None:
        h = min(max(int(hint), 0), len(text))
        if h == hint and text.startswith(exact, h):
            return Anchor(EXACT, h, h + n, 1.0, exact)

    # 1. verbatim
    occ = find_all(text, exact, MAX_OCCURRENCES)
    if occ:
        if len(occ) == 1:
            s = occ[0]
            return Anchor(EXACT if hint is None else MOVED, s, s + n, 1.0, exact)
        return _choose_verbatim(text, exact, occ, prefix, suffix, h)

    # 2. folded
    ftext = folded(text)
    ft = ftext.text
    fq = fold(exact)
    fp = fold(prefix)
    fx = fold(suffix)
    fh = None if h is None else ftext.folded(h)
    if fq.strip():
        focc = find_all(ft, fq, MAX_OCCURRENCES)
        if focc:
            spans = [(s, s + len(fq)) for s in focc]
            if len(spans) == 1:
                idx, amb = 0, False
            else:
                ctx = [_mean(*_context_sims(ft, s, e, fp, fx)) for s, e in spans]
                idx, amb = _pick(spans, ctx, fh)
            a, b = ftext.span(*spans[idx])
            return Anchor(AMBIGUOUS if amb else NORMALIZED, a, b, 1.0, text[a:b])

    # 3. fuzzy
    if len(fq) > LONG_QUOTE:
        return _fuzzy_long(text, ftext, fq, fp, fx, fh)
    return _fuzzy(text, ftext, fq, fp, fx, fh)


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
        pre = str_sim(fp, fold(text[max(0, s - len(prefix) - 8) : s])[-len(fp) :]) if fp else None
        suf = str_sim(fx, fold(text[e : e + len(suffix) + 8])[: len(fx)]) if fx else None
        ctx.append(_mean(pre, suf))
    idx, amb = _pick(spans, ctx, h)
    s = spans[idx][0]
    return Anchor(AMBIGUOUS if amb else MOVED, s, s + n, 1.0, exact)


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
        hits = find_all(ft, piece, MAX_SEED_HITS + 1)
        if len(hits) > MAX_SEED_HITS:
            continue
        votes.extend((p - a, i) for p in hits)
    extra = len(toks) + 1
    if fh is not None:
        votes.append((fh, extra))
    if len(fp) >= 8:
        tail = fp[-16:]
        votes.extend((p + len(tail), extra + 1) for p in find_all(ft, tail, 8))
    if len(fx) >= 8:
        head = fx[:16]
        votes.extend((p - m, extra + 2) for p in find_all(ft, head, 8))
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


def _fuzzy(text: str, ftext: Folded, fq: str, fp: str, fx: str, fh: int | None) -> Anchor:
    ft = ftext.text
    m = len(fq)
    if m == 0 or not fq.strip():
        return ORPHAN
    qwords = words(fq)
    cands: dict[tuple[int, int], tuple[float, float, float]] = {}  # span -> rank, wsim, ctx
    for lo, hi in _seed_regions(ft, fq, fp, fx, fh):
        for dist, s, e in _align(fq, ft[lo:hi]):
            csim = 1.0 - dist / m
            if csim < MIN_CHAR_SIM:
                continue
            s, e = _snap(ft, fq, lo + s, lo + e)
            if (s, e) in cands or e <= s:
                continue
            wsim = word_sim(qwords, words(ft[s:e])) if qwords else csim
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
        return ORPHAN
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
    return Anchor(AMBIGUOUS if amb else FUZZY, a, b, round(wsim, 4), text[a:b])


def _fuzzy_long(text: str, ftext: Folded, fq: str, fp: str, fx: str, fh: int | None
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
        for pos in find_all(ft, piece, 8):
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
        return ORPHAN
    spans = sorted(cands, key=lambda sp: -cands[sp][0])
    kept: list[tuple[int, int]] = []
    for s, e in spans:  # overlapping spans are the same place: the better one stays
        if all(e <= ks or s >= ke for ks, ke in kept):
            kept.append((s, e))
    idx, amb = _pick(kept, [cands[sp][0] for sp in kept], fh)
    s, e = kept[idx]
    a, b = ftext.span(s, e)
    return Anchor(AMBIGUOUS if amb else FUZZY, a, b, round(cands[(s, e)][1], 4), text[a:b])
