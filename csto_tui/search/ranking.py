"""Ranking: one list, best first, across every kind of record and the source texts.

A query is cut into words (``text.tokenize``); the last word is a prefix unless the query ends
with a space, so that results follow each key typed. Each word expands to the vocabulary words
it may mean: itself, the words it begins (the last word), and, when there is none, the words
one or two typing errors away (``typos.py``). Stop words and question words ("how many", "the",
"did") need not match when the query has other words.

Score (``Hit.score``), highest first::

    600+  the query is a name or alias of a state/entity (a typo of one, or a name variant
          from names.py, included)
    500+  the query is a prefix of a name or alias ("Kaz", "collective rapid")
    450+  all query words inside one name or alias ("rapid reaction")
    300+  record titles and fields (event title/summary/date, metric measure/value/year...)
    200+  quotes
    100+  the full text of the sources ("text" hits)
      0+  partial matches: records holding some of the words, by the share of the query's
          weight they hold (a rare word weighs more than a common one)

Within a band, exact words beat prefixes beat typo matches, phrases beat scattered words,
heavier and shorter fields beat lighter and longer ones, and a record more quotes cite wins a
tie. A query naming a state or entity also finds that record's other names in quotes and
source text: "rapid reaction" finds "Collective Fast Response Pressure".
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from heapq import nlargest
from itertools import islice
from math import log
from typing import TYPE_CHECKING, Any

from ..values import _Mutable
from .hits import Hit, make_marker, record_hit, text_hit
from .records import BAND_FIELD, BAND_NAME, BAND_QUOTE
from .text import STOP_WORDS, stem, tokenize
from .typos import max_typos

if TYPE_CHECKING:
    from .index import SearchIndex

__all__ = ["search", "parse", "Term"]

Q_EXACT = 1.0
Q_FUZZY = 0.7  # minus 0.1 per edit
Q_FUZZY_PREFIX = 0.45
Q_STEM = 0.8  # another inflection of the word ("voting" for "vote")
STEM_CAP = 24  # vocabulary words looked at for the inflections of one word

T_EXACT, T_PREFIX, T_NAME, T_FIELD, T_QUOTE, T_TEXT = 600.0, 500.0, 450.0, 300.0, 200.0, 100.0
T_PARTIAL = 90.0  # partial matches score below T_TEXT: T_PARTIAL * share + a tie-breaker
ALT_PENALTY = 8.0
REPEAT_PENALTY = 0.5  # per better record matched by the same words

PREFIX_CAP = 64  # words a prefix may expand to (most frequent first)
SCAN_CAP = 5_000  # postings looked at per band / per text search (best first)
HOLDERS_CAP = 10_000  # postings listed to know which records hold a word (a C-level loop)
TEXT_WINDOW = 8  # tokens either side for words of one text hit
QUERY_CHARS = 400  # a pasted paragraph is cut to this ...
QUERY_TERMS = 16  # ... and to this many words
NAMED_ALTS = 2  # records whose other names a query looks for


class Term(_Mutable):
    """One query word and the vocabulary words it may mean."""

    __slots__ = _fields = ("text", "prefix", "stop", "words", "full", "order", "fuzzy_prefixes")
    text: str
    prefix: bool
    stop: bool
    words: dict[int, float]  # word id -> match quality
    full: set[int]  # whole-word matches (exact or typo)
    order: list[int]  # word ids, best quality first
    fuzzy_prefixes: tuple[str, ...]  # name prefixes matched with a typo (highlighting)

    def __init__(self, text: str, prefix: bool, stop: bool = False,
                 words: dict[int, float] | None = None, full: set[int] | None = None,
                 order: list[int] | None = None, fuzzy_prefixes: tuple[str, ...] = ()) -> None:
        self.text = text
        self.prefix = prefix
        self.stop = stop
        self.words = {} if words is None else words
        self.full = set() if full is None else full
        self.order = [] if order is None else order
        self.fuzzy_prefixes = fuzzy_prefixes

    def finish(self) -> None:
        self.order = sorted(self.words, key=lambda w: -self.words[w])


def _expand(index: SearchIndex, text: str, prefix: bool) -> Term:
    t = Term(text, prefix, stop=text in STOP_WORDS)
    words = t.words
    exact = index.word_id(text)
    if exact is not None:
        words[exact] = Q_EXACT
        t.full.add(exact)
    if prefix:
        lo = bisect_left(index.sorted_words, text)
        hi = bisect_left(index.sorted_words, text + "\uffff", lo)
        ids: Sequence[int] = index.sorted_ids[lo:hi]
        if len(ids) > PREFIX_CAP:
            ids = nlargest(PREFIX_CAP, ids, key=index.freq.__getitem__)
        # names always take part, however rare (the first few, alphabetically: the shortest
        # of each stem first)
        nlo = bisect_left(index.name_sorted, text)
        nhi = bisect_left(index.name_sorted, text + "\uffff", nlo)
        ids = list(ids) + list(index.name_ids[nlo:min(nhi, nlo + PREFIX_CAP)])
        n = len(text)
        for w in ids:
            if w not in words:
                words[w] = 0.6 + 0.3 * n / len(index.words[w])
    if len(text) >= 4 and text.isalpha():
        base = stem(text)  # every inflection of a word begins with its stem
        lo = bisect_left(index.sorted_words, base)
        for k in range(lo, min(lo + STEM_CAP, len(index.sorted_words))):
            word = index.sorted_words[k]
            if not word.startswith(base):
                break
            w = index.sorted_ids[k]
            if w not in words and word != text and stem(word) == base:
                words[w] = Q_STEM
                t.full.add(w)
    if not words and text.isalpha():
        bound = max_typos(text)
        if bound:
            for w, dist in index.typos.similar(text, bound).items():
                words[w] = Q_FUZZY - 0.1 * dist
                t.full.add(w)
            if prefix and not words:
                found: set[str] = set()
                for w, k in index.typos.similar_prefixes(text):
                    if w not in words:
                        words[w] = Q_FUZZY_PREFIX
                    found.add(index.words[w][:k])
                t.fuzzy_prefixes = tuple(sorted(found))
    t.finish()
    return t


def parse(index: SearchIndex, query: str) -> list[Term]:
    """The terms of ``query``: its words, the last one a prefix unless a space follows."""
    toks = tokenize(query[:QUERY_CHARS])[:QUERY_TERMS]
    if not toks:
        return []
    ends_in_word = not query[-1:].isspace()
    return [_expand(index, norm, prefix=ends_in_word and i == len(toks) - 1)
            for i, (norm, _s, _e) in enumerate(toks)]


# ---- records ----------------------------------------------------------------------------


def _records_of(index: SearchIndex, t: Term) -> set[int] | None:
    """The records holding ``t`` (any of its words, in any field), or None when that is more
    than ``HOLDERS_CAP`` postings (too many to list per keystroke)."""
    count = index.ucount
    if sum(count(b, w) for b in (0, 1, 2) for w in t.words) > HOLDERS_CAP:
        return None
    rec_of = index.unit_rec.__getitem__
    out: set[int] = set()
    for w in t.words:
        for b in (0, 1, 2):
            out.update(map(rec_of, index.upost(b, w)))  # a C-level loop
    return out


def _candidates(index: SearchIndex, terms: list[Term], cap: int) -> list[int]:
    """Records holding every term (in any of their fields): the driver term's (the rarest)
    units, best first, up to ``cap`` records per band."""
    count = index.ucount

    def total(t: Term) -> int:
        return sum(count(b, w) for b in (0, 1, 2) for w in t.words)

    driver = min(terms, key=total)
    # the other terms: the records holding each (when few), else their words, looked for in
    # each candidate's words
    holders: list[set[int]] = []
    others: list[Any] = []
    for t in terms:
        if t is not driver:
            recs = _records_of(index, t)
            if recs is None:
                others.append(t.words.keys())
            else:
                holders.append(recs)
    unit_rec = index.unit_rec
    rec_unit0, unit_off, unit_tok = index.rec_unit0, index.unit_off, index.unit_tok
    seen: set[int] = set()
    out: list[int] = []
    for band in (BAND_NAME, BAND_FIELD, BAND_QUOTE):
        got = scanned = 0
        for w in driver.order:
            for u in index.upost(band, w):
                r = unit_rec[u]
                if r in seen:
                    continue
                seen.add(r)
                scanned += 1
                ok = True
                for h in holders:
                    if r not in h:
                        ok = False
                        break
                if ok and others:
                    rw = unit_tok[unit_off[rec_unit0[r]]:unit_off[rec_unit0[r + 1]]]
                    for o in others:  # a few words: C-level scans of the record's words
                        if not (any(w in rw for w in o) if len(o) <= 4
                                else not o.isdisjoint(rw.tolist())):
                            ok = False
                            break
                if ok:
                    out.append(r)
                    got += 1
                    if got >= cap:
                        break
                if scanned >= SCAN_CAP:
                    break
            if got >= cap or scanned >= SCAN_CAP:
                break
    return out


def score_record(index: SearchIndex, r: int, terms: list[Term]) -> tuple[float, int]:
    """(score, best unit) of a record all of whose query terms are somewhere in it; the unit
    is -1 when the words are spread over several fields."""
    n = len(terms)
    best = -1.0
    best_u = -1
    rec_q = [0.0] * n
    unit_off = index.unit_off
    u0, u1 = index.rec_unit0[r], index.rec_unit0[r + 1]
    base0 = unit_off[u0]
    rec_toks = index.unit_tok[base0:unit_off[u1]].tolist()  # Python ints made once
    for u in range(u0, u1):
        toks = rec_toks[unit_off[u] - base0:unit_off[u + 1] - base0]
        qs = [0.0] * n
        pos = [-1] * n
        for i, t in enumerate(terms):
            wd = t.words
            bq = 0.0
            bp = -1
            for k, w in enumerate(toks):
                q = wd.get(w)
                if q is not None and q > bq:
                    bq, bp = q, k
                    if q >= 1.0:
                        break
            qs[i] = bq
            pos[i] = bp
            if bq > rec_q[i]:
                rec_q[i] = bq
        if min(qs) <= 0.0:
            continue
        avgq = sum(qs) / n
        band = index.unit_band[u]
        if band == BAND_NAME:
            m = len(toks)
            main = 5.0 if index.unit_main[u] else 0.0
            if m == n and all(toks[i] in terms[i].full for i in range(n)):
                score = T_EXACT + 40 * avgq + main
            elif m >= n and all(toks[i] in terms[i].words for i in range(n)):
                score = T_PREFIX + 20 * avgq + 20 * n / m + main
            else:
                score = T_NAME + 20 * avgq + 20 * min(1.0, n / m) + main
        else:
            phrase = n > 1 and all(pos[i + 1] == pos[i] + 1 for i in range(n - 1))
            base = T_FIELD if band == BAND_FIELD else T_QUOTE
            score = (base + 8 * index.unit_weight[u] + 20 * avgq + (8.0 if phrase else 0.0)
                     + 10 * min(1.0, 12 / len(toks)))
        if score > best:
            best, best_u = score, u
    if best < 0 and min(rec_q) > 0:
        # the words are spread over several fields of the record
        base = T_QUOTE if index.kind(r).located else T_FIELD
        best = base + 10 * sum(rec_q) / n
        best_u = -1
    if best > 0:
        best += 0.5 * min(6, index.rec_cited[r])  # evidence breaks ties
    return best, best_u


def _find(toks: list[int], phrase: list[int]) -> bool:
    """Whether ``phrase`` occurs in ``toks``, word for word."""
    k = len(phrase)
    last = len(toks) - k
    first = phrase[0]
    i = -1
    while True:
        try:
            i = toks.index(first, i + 1, last + 1)
        except ValueError:
            return False
        if toks[i:i + k] == phrase:
            return True


def _phrase_records(index: SearchIndex, phrase: tuple[int, ...],
                    cap: int) -> list[tuple[int, int]]:
    """(record, unit) pairs whose field or quote units contain ``phrase`` word for word."""
    if not phrase:
        return []
    out: list[tuple[int, int]] = []
    driver = min(phrase, key=lambda w: index.ucount(1, w) + index.ucount(2, w))
    k = len(phrase)
    want = list(phrase)
    unit_off, unit_tok = index.unit_off, index.unit_tok
    for band in (BAND_FIELD, BAND_QUOTE):
        for u in islice(index.upost(band, driver), cap):  # best first: the first are enough
            if k == 1 or _find(unit_tok[unit_off[u]:unit_off[u + 1]].tolist(), want):
                out.append((index.unit_rec[u], u))
                if len(out) >= cap:
                    return out
    return out


def _weight(index: SearchIndex, t: Term) -> float:
    """How telling a term is (inverse document frequency): a word in few places weighs more;
    a word found nowhere weighs as much as the rarest."""
    total = len(index.unit_rec) + len(index.tok_word) + 1
    df = sum(index.freq[w] for w in t.words) if t.words else 0
    return log(1 + total / (1 + df))


def _partial(index: SearchIndex, terms: list[Term], limit: int, cap: int,
             scored: dict[int, tuple[float, int]]) -> None:
    """Records holding some, not all, of ``terms``, scored by the share of the terms' weight
    they hold, times how well they hold each (a typo or a prefix holds less), below every full
    match; the best ``limit`` of them are added to ``scored``, ties broken by how well the
    words they hold match (``score_record``)."""
    weights = [_weight(index, t) for t in terms]
    whole = sum(weights)
    unit_off, unit_tok, rec_unit0 = index.unit_off, index.unit_tok, index.rec_unit0
    shares: dict[int, tuple[float, float, list[int]]] = {}
    for t in terms:
        if not t.words:
            continue
        cands = _candidates(index, [t], cap)
        for k, r in enumerate(cands):
            if r in scored or r in shares:
                continue
            rw = set(unit_tok[unit_off[rec_unit0[r]]:unit_off[rec_unit0[r + 1]]].tolist())
            held = []
            share = 0.0
            for i, term in enumerate(terms):
                got = term.words.keys() & rw
                if got:  # a word held with a typo or as a prefix holds less of the term
                    held.append(i)
                    share += weights[i] * max(term.words[w] for w in got)
            share /= whole
            shares[r] = (share, -k / len(cands), held)  # best-first order breaks ties
    best = nlargest(limit, shares.items(), key=lambda kv: kv[1][:2])
    for r, (share, _order, held) in best:
        s, u = score_record(index, r, [terms[i] for i in held])
        scored[r] = (T_PARTIAL * share + 9.0 * min(1.0, max(0.0, s) / 700.0), u)


# ---- texts ------------------------------------------------------------------------------


def _text_hits(index: SearchIndex, terms: list[Term], alts: list[tuple[int, ...]],
               need: int) -> list[tuple[float, int, int]]:
    """Ranked (score, first token, last token) windows of the source texts."""
    if need <= 0 or not index.tok_word:
        return []
    tpost = index.tpost_of
    tcount = index.tcount
    tw = index.tok_word
    dstart = index.doc_start
    W = TEXT_WINDOW
    want = need * 3
    found: list[tuple[float, int, int]] = []
    n = len(terms)

    def total(t: Term) -> int:
        return sum(tcount(w) for w in t.words)

    di = min(range(n), key=lambda i: total(terms[i]))
    driver = terms[di]
    scanned = 0
    for w in driver.order:
        q0 = driver.words[w]
        for p in tpost(w):
            scanned += 1
            if n == 1:
                found.append((T_TEXT + 40 * q0 + 15.0, p, p))
            else:
                d = bisect_right(dstart, p) - 1
                lo = max(dstart[d], p - W)
                hi = min(dstart[d + 1], p + W + 1)
                qsum = q0
                first = last = p
                phrase = True
                ok = True
                for j in range(n):
                    if j == di:
                        continue
                    wd = terms[j].words
                    ep = p + j - di
                    q = wd.get(tw[ep]) if lo <= ep < hi else None
                    if q is not None:
                        bq, bp = q, ep
                    else:
                        phrase = False
                        bq, bp = 0.0, -1
                        for k in range(lo, hi):
                            qk = wd.get(tw[k])
                            if qk is not None and (qk > bq or (qk == bq and bp >= 0
                                                               and abs(k - p) < abs(bp - p))):
                                bq, bp = qk, k
                        if bp < 0:
                            ok = False
                            break
                    qsum += bq
                    first = min(first, bp)
                    last = max(last, bp)
                if not ok:
                    if scanned >= SCAN_CAP:
                        break
                    continue
                spread = (last - first + 1 - n) / (2 * W)
                bonus = 15.0 if phrase else 10.0 * (1 - min(1.0, spread))
                found.append((T_TEXT + 40 * qsum / n + bonus, first, last))
            if len(found) >= want or scanned >= SCAN_CAP:
                break
        if len(found) >= want or scanned >= SCAN_CAP:
            break
    for alt in alts:
        k = len(alt)
        if not k:
            continue
        ai = min(range(k), key=lambda i: tcount(alt[i]))
        got = 0
        for p in islice(tpost(alt[ai]), SCAN_CAP):
            a = p - ai
            if a < 0 or a + k > len(tw):
                continue
            if all(tw[a + i] == alt[i] for i in range(k)):
                d = bisect_right(dstart, a) - 1
                if a + k <= dstart[d + 1]:
                    found.append((T_TEXT + 40 + 15.0 - ALT_PENALTY, a, a + k - 1))
                    got += 1
                    if got >= want:
                        break
    # best first; drop hits overlapping a better one
    found.sort(key=lambda h: (-h[0], h[1]))
    taken: list[tuple[float, int, int]] = []
    for h in found:
        if any(h[1] <= t[2] + 2 and t[1] <= h[2] + 2 for t in taken):
            continue
        taken.append(h)
        if len(taken) >= need:
            break
    return taken


# ---- the search -------------------------------------------------------------------------


def search(index: SearchIndex, query: str, limit: int = 50) -> list[Hit]:
    """Ranked hits for ``query``, best first, at most ``limit``: records of every kind and
    passages of the source texts in one list."""
    if limit <= 0:
        return []
    terms = parse(index, query)
    if not terms:
        return []
    required = [t for t in terms if not t.stop] or terms
    matched = [t for t in required if t.words]
    if not matched:
        return []
    cap = max(limit, 50)  # records per band: the postings are best first
    scored: dict[int, tuple[float, int]] = {}
    complete = len(matched) == len(required)
    alts: list[tuple[int, ...]] = []
    if complete:
        for r in _candidates(index, required, cap):
            s, u = score_record(index, r, required)
            if s > 0:
                scored[r] = (s, u)
        alts = _alternatives(index, required, scored)
        for ph in alts:
            for r, u in _phrase_records(index, ph, cap):
                band = index.unit_band[u]
                base = T_FIELD if band == BAND_FIELD else T_QUOTE
                s = base + 8 * index.unit_weight[u] + 20 + 8 - ALT_PENALTY \
                    + 10 * min(1.0, 12 / index.ulen(u))
                old = scored.get(r)
                if old is None or old[0] < s:
                    scored[r] = (s, u)
    if len(required) > 1 and len(scored) < limit:
        _partial(index, required, limit, cap, scored)

    ranked = _demote_repeats(index, sorted(scored.items(), key=lambda kv: (-kv[1][0], kv[0])),
                             limit)
    # passages rank below every record holding all the words: look for as many as may show
    need = limit - sum(1 for _r, (s, _u) in ranked if s >= T_TEXT)
    text = _text_hits(index, required, alts, need) if complete else []
    merged: list[tuple[float, int, int, int]] = [(s, 0, r, u) for r, (s, u) in ranked]
    merged += [(s, 1, a, b) for s, a, b in text]
    merged.sort(key=lambda h: -h[0])  # stable: records before passages on a tie
    merged = merged[:limit]
    pred = make_marker(index, matched, alts)
    return [record_hit(index, s, x, y, pred) if is_text == 0 else text_hit(index, s, x, y, pred)
            for s, is_text, x, y in merged]


def _demote_repeats(index: SearchIndex, ranked: list[tuple[int, tuple[float, int]]],
                    limit: int) -> list[tuple[int, tuple[float, int]]]:
    """The best ``limit`` of ``ranked``, a record matched by the very words of a better one
    (the same measure for five states) a little lower for each such one before it, so that
    one of them leads and other answers come up between the rest."""
    head = ranked[:2 * limit]
    seen: dict[tuple[int, ...], int] = {}
    out = []
    for r, (s, u) in head:
        if u >= 0:
            key = index.toks(u)
            k = seen.get(key, 0)
            seen[key] = k + 1
            s -= REPEAT_PENALTY * k
        out.append((r, (s, u)))
    out.sort(key=lambda kv: (-kv[1][0], kv[0]))
    return out[:limit]


def _alternatives(index: SearchIndex, terms: list[Term],
                  scored: dict[int, tuple[float, int]]) -> list[tuple[int, ...]]:
    """The other names of the records the query names (a name or alias matched, covering at
    least half of it): word-id phrases to look for in fields, quotes and texts."""
    n = len(terms)
    if sum(len(t.text) for t in terms) < 3:
        return []
    named = sorted(
        (r for r, (s, u) in scored.items()
         if u >= 0 and index.unit_band[u] == BAND_NAME and n / index.ulen(u) >= 0.5),
        key=lambda r: -scored[r][0],
    )[:NAMED_ALTS]
    alts: list[tuple[int, ...]] = []
    seen: set[tuple[int, ...]] = set()
    for r in named:
        best_u = scored[r][1]
        for u in index.units(r):
            if index.unit_band[u] != BAND_NAME or u == best_u:
                continue
            ph = index.toks(u)
            if ph in seen or (len(ph) == 1 and len(index.words[ph[0]]) < 2):
                continue
            seen.add(ph)
            alts.append(ph)
    return alts
