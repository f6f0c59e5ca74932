"""One search box over the whole dataset: records, quotes and the full text of the sources.

Plain Python, stdlib only: this module never imports textual (nor rich).

* :meth:`SearchIndex.build` does all the indexing work once: a tokenizer that keeps code-point
  offsets, a vocabulary (sorted, for prefix lookup with :mod:`bisect`), an inverted index of the
  records' fields (per band: names, fields, quotes) and a positional index of the source texts,
  a SymSpell-style deletion index for typo tolerance and the alias table of states/entities.
* :meth:`SearchIndex.search` is the per-keystroke path: no I/O, bounded work (candidate caps,
  early stop), context lines computed only for the hits returned.

Ranking (``Hit.score``), highest first::

    600+  exact name or alias of a state/entity (a typo of one included)
    500+  the query is a prefix of a name or alias ("Kaz", "collective rapid")
    450+  all query words inside one name or alias ("rapid reaction")
    300+  record titles and fields (event title/summary/date, metric measure/value/year, role...)
    200+  quotes
    100+  the full text of the sources ("text" hits)

Within a band, exact words beat prefixes beat typo matches, and phrases beat scattered words.
The last query word is a prefix (unless the query ends with a space), so results follow each key
typed. A query naming a state or entity (name or alias) also finds that record's other names in
quotes and source text: "rapid reaction" finds "Collective Fast Response Pressure".
"""

from __future__ import annotations

import json
import re
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from heapq import nlargest
from typing import Any

from .textsafe import ALL_CONTROLS

__all__ = ["Hit", "SearchIndex", "format_hits", "normalize", "tokenize", "KINDS"]

#: Hit kinds, in the order the bands usually rank them.
KINDS: tuple[str, ...] = ("state", "entity", "event", "metric", "quote", "text")

# ---- normalization ------------------------------------------------------------------------

_FOLD = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u02bc": "'", "\u0060": "'", "\u00b4": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-", "\ufe58": "-", "\ufe63": "-", "\uff0d": "-",
        "\u00f8": "o", "\u00d8": "o", "\u0142": "l", "\u0141": "l", "\u0111": "d",
        "\u0110": "d", "\u00e6": "ae", "\u00c6": "ae", "\u0153": "oe", "\u0152": "oe",
        "\u00fe": "th", "\u00de": "th", "\u0131": "i", "\u00df": "ss",
    }
)


def normalize(s: str) -> str:
    """Fold ``s`` for matching: casefold, strip diacritics (NFKD), curly quotes to straight,
    dashes to ``-``, whitespace collapsed (and stripped)."""
    if s.isascii():
        return " ".join(s.translate(_FOLD).lower().split())
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.translate(_FOLD).casefold()
    return " ".join(s.split())


# A token: a number ("2,500", "26", "0.5"), else a run of letters/digits (with combining marks).
_TOKEN_RE = re.compile(
    r"\d+(?:,\d{3})+(?:\.\d+)?(?![^\W_])"
    r"|\d+(?:\.\d+)?(?![^\W_])"
    r"|(?:[^\W_]|[\u0300-\u036f])+"
)
_APOSTROPHES = frozenset("'\u2019\u2018\u02bc`\u00b4")
_CLITICS = frozenset({"s", "t", "d", "ll", "re", "ve", "m"})
_NORM_CACHE: dict[str, str] = {}


def _norm_token(raw: str) -> str:
    got = _NORM_CACHE.get(raw)
    if got is not None:
        return got
    s = normalize(raw)
    if s and (s[0].isdigit()):
        s = s.replace(",", "")
        s = "".join(c for c in s if c.isalnum() or c == ".")
    else:
        s = "".join(c for c in s if c.isalnum())
    if len(_NORM_CACHE) < 500_000:
        _NORM_CACHE[raw] = s
    return s


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """``(normalized word, start, end)`` for each word of ``text``; offsets are code points of
    ``text``. Numbers lose their thousands separators ("2,500" -> "2500"); the clitic after an
    apostrophe ("Kazakhstan’s" -> "kazakhstan") is dropped."""
    out: list[tuple[str, int, int]] = []
    for m in _TOKEN_RE.finditer(text):
        s = m.start()
        norm = _norm_token(m.group())
        if not norm:
            continue
        if norm in _CLITICS and s > 0 and text[s - 1] in _APOSTROPHES:
            continue
        out.append((norm, s, m.end()))
    return out


# ---- edit distance -------------------------------------------------------------------------


def _osa(a: str, b: str, bound: int) -> int:
    """Damerau-Levenshtein (optimal string alignment) distance, or ``bound + 1`` if above."""
    if a == b:
        return 0
    la, lb = len(a), len(b)
    if abs(la - lb) > bound:
        return bound + 1
    prev2: list[int] = []
    prev = list(range(lb + 1))
    for i in range(1, la + 1):
        cur = [i] + [0] * lb
        ai = a[i - 1]
        row_min = cur[0]
        for j in range(1, lb + 1):
            cost = 0 if ai == b[j - 1] else 1
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ai == b[j - 2] and a[i - 2] == b[j - 1]:
                v = min(v, prev2[j - 2] + 1)
            cur[j] = v
            if v < row_min:
                row_min = v
        if row_min > bound:
            return bound + 1
        prev2, prev = prev, cur
    return prev[lb]


def _deletes(word: str, depth: int) -> set[str]:
    out = {word}
    frontier = {word}
    for _ in range(depth):
        nxt = set()
        for w in frontier:
            if len(w) <= 1:
                continue
            for i in range(len(w)):
                nxt.add(w[:i] + w[i + 1:])
        out |= nxt
        frontier = nxt
    return out


def _max_typos(term: str) -> int:
    n = len(term)
    if n < 4:
        return 0
    return 1 if n <= 7 else 2


# ---- hits -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """One search result.

    ``highlights`` are ``(start, end)`` ranges of matched words inside ``context``;
    ``title_highlights`` the same inside ``title``. For ``quote`` hits ``start``/``end`` locate
    the whole quote in its source text; for ``text`` hits, the matched words
    (``dataset.texts[source][start:end]``).
    """

    kind: str
    id: str
    title: str
    context: str
    score: float
    highlights: tuple[tuple[int, int], ...] = ()
    source: str = ""
    start: int | None = None
    end: int | None = None
    title_highlights: tuple[tuple[int, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["highlights"] = [list(h) for h in self.highlights]
        d["title_highlights"] = [list(h) for h in self.title_highlights]
        return d


# ---- query terms ------------------------------------------------------------------------------

Q_EXACT = 1.0
Q_FUZZY = 0.7  # minus 0.1 per edit
Q_FUZZY_PREFIX = 0.45


@dataclass
class _Term:
    text: str
    prefix: bool
    words: dict[int, float] = field(default_factory=dict)  # word id -> match quality
    full: set[int] = field(default_factory=set)  # whole-word matches (exact or typo)
    order: list[int] = field(default_factory=list)  # word ids, best quality first
    fuzzy_prefixes: tuple[str, ...] = ()  # name prefixes matched with a typo (highlighting)

    def finish(self) -> None:
        self.order = sorted(self.words, key=lambda w: -self.words[w])


# ---- bands and tiers --------------------------------------------------------------------------

BAND_NAME, BAND_FIELD, BAND_QUOTE = 0, 1, 2
T_EXACT, T_PREFIX, T_NAME, T_FIELD, T_QUOTE, T_TEXT = 600.0, 500.0, 450.0, 300.0, 200.0, 100.0
ALT_PENALTY = 8.0

_PREFIX_CAP = 64  # words a prefix may expand to (most frequent first)
_SCAN_CAP = 20_000  # postings looked at per band / per text search
_TEXT_WINDOW = 8  # tokens either side for words of one text hit
_CONTEXT = 40  # characters either side of a text match
_QUERY_CHARS = 400  # a pasted paragraph is cut to this ...
_QUERY_TERMS = 16  # ... and to this many words
# fields already shown by a hit's title: such a hit shows the record's own context line
_PLAIN_LABELS = frozenset({"date", "value", "status", "kind", "state"})


def _clip(s: str, n: int = 100) -> str:
    s = " ".join(s.split())
    if len(s) <= n:
        return s
    cut = s.rfind(" ", 0, n)
    if cut < n // 2:
        cut = n
    return s[:cut].rstrip(" ,;:") + "\u2026"


def _snippet(text: str, s: int, e: int, radius: int = _CONTEXT) -> str:
    """One line: ``text[s:e]`` with about ``radius`` characters either side, cut at spaces."""
    a = max(0, s - radius)
    b = min(len(text), e + radius)
    if a > 0:
        while a < s and not text[a - 1].isspace():
            a += 1
    if b < len(text):
        while b > e and not text[b].isspace():
            b -= 1
    body = " ".join(text[a:b].split())
    return ("\u2026" if a > 0 else "") + body + ("\u2026" if b < len(text) else "")


class SearchIndex:
    """An index over one :class:`~csto_tui.model.Dataset`; build once, search per keystroke."""

    def __init__(self) -> None:
        # vocabulary
        self.word_ids: dict[str, int] = {}
        self.words: list[str] = []
        self.freq: list[int] = []
        self.sorted_words: list[str] = []
        self.sorted_ids: list[int] = []
        self.name_sorted: list[str] = []  # words of names and aliases, sorted
        self.deletes: dict[str, list[int]] = {}  # 1-deletion neighbourhood of all words
        self.name_deletes: dict[str, list[int]] = {}  # 2-deletion neighbourhood of name words
        self.prefix_deletes: dict[str, list[tuple[int, int]]] = {}  # name-word prefixes
        # records
        self.rec_kind: list[str] = []
        self.rec_id: list[str] = []
        self.rec_obj: list[Any] = []
        self.rec_units: list[list[int]] = []
        self.rec_words: list[frozenset[int]] = []
        self.rec_title: list[str] = []
        self.rec_context: list[str] = []
        self.rec_source: list[str] = []
        self.rec_span: list[tuple[int, int] | None] = []
        self.unit_rec: list[int] = []
        self.unit_band: list[int] = []
        self.unit_weight: list[float] = []
        self.unit_label: list[str] = []
        self.unit_text: list[str] = []
        self.unit_toks: list[tuple[int, ...]] = []
        self.unit_main: list[bool] = []
        self.upost: tuple[dict[int, list[int]], ...] = ({}, {}, {})
        # texts
        self.doc_ids: list[str] = []
        self.doc_titles: list[str] = []
        self.doc_texts: list[str] = []
        self.doc_start: list[int] = []  # first global token of each document
        self.tok_word = array("I")
        self.tok_start = array("I")
        self.tok_end = array("I")
        self.tpost: dict[int, array[int]] = {}

    # ---- building -------------------------------------------------------------------------
    def _wid(self, w: str) -> int:
        i = self.word_ids.get(w)
        if i is None:
            i = len(self.words)
            self.word_ids[w] = i
            self.words.append(w)
            self.freq.append(0)
        return i

    def _add_record(self, kind: str, rid: str, obj: Any, title: str, context: str,
                    units: Iterable[tuple[int, float, str, str, bool]],
                    source: str = "", span: tuple[int, int] | None = None) -> None:
        r = len(self.rec_kind)
        self.rec_kind.append(kind)
        self.rec_id.append(rid)
        self.rec_obj.append(obj)
        self.rec_title.append(title)
        self.rec_context.append(context)
        self.rec_source.append(source)
        self.rec_span.append(span)
        uids: list[int] = []
        allw: set[int] = set()
        for band, weight, label, text, main in units:
            if not text:
                continue
            toks = tuple(self._wid(t[0]) for t in tokenize(text))
            if not toks:
                continue
            u = len(self.unit_rec)
            self.unit_rec.append(r)
            self.unit_band.append(band)
            self.unit_weight.append(weight)
            self.unit_label.append(label)
            self.unit_text.append(text)
            self.unit_toks.append(toks)
            self.unit_main.append(main)
            uids.append(u)
            post = self.upost[band]
            for w in set(toks):
                self.freq[w] += 1
                lst = post.get(w)
                if lst is None:
                    post[w] = [u]
                else:
                    lst.append(u)
            allw.update(toks)
        self.rec_units.append(uids)
        self.rec_words.append(frozenset(allw))

    @classmethod
    def build(cls, dataset: Any) -> SearchIndex:
        """Index every record, quote and source text of ``dataset`` (all the work is here)."""
        steps = cls.build_steps(dataset)
        while True:
            try:
                next(steps)
            except StopIteration as done:
                return done.value  # type: ignore[no-any-return]

    @classmethod
    def build_steps(cls, dataset: Any, every: int = 256) -> Generator[None, None, SearchIndex]:
        """:meth:`build` in small steps: yields after about ``every`` records (or tokens / 64)
        and returns the index. A UI runs the steps between key presses, so that a big build
        (20 s at 1000x the shipped data) never holds the interpreter for more than a moment."""
        from .model import RESPONSE_LABELS, STATUS_LABELS

        self = cls()
        tick = 0
        names: dict[str, str] = {}
        for s in dataset.states:
            names[s.id] = s.name
        for e in dataset.entities:
            names[e.id] = e.name
        texts: dict[str, str] = {}
        for src in dataset.sources:
            t = dataset.text_of(src.id)
            if not t:
                try:
                    t = src.path.read_text(encoding="utf-8-sig")
                except (OSError, UnicodeDecodeError, AttributeError):
                    t = ""
            texts[src.id] = t

        # Records, band 0 (names) first so that name postings come first.
        for s in dataset.states:
            ctx = STATUS_LABELS.get(s.status, s.status) + (f" \u2014 {s.role}" if s.role else "")
            units: list[tuple[int, float, str, str, bool]] = [(BAND_NAME, 5, "name", s.name, True)]
            units += [(BAND_NAME, 4, "alias", a, False) for a in s.aliases]
            units.append((BAND_FIELD, 3, "role", s.role, False))
            units.append((BAND_FIELD, 1, "status",
                          f"{s.status} {STATUS_LABELS.get(s.status, '')}", False))
            for span in s.membership:
                end = span.end.iso() if span.end else "now"
                units.append((BAND_FIELD, 3, "membership",
                              f"{span.label()} ({span.start.iso()}-{end}) {span.note}", False))
            self._add_record("state", s.id, s, s.name, ctx, units)
            tick += 1
            if tick % every == 0:
                yield
        for e in dataset.entities:
            ctx = e.kind + (f" \u2014 {e.summary}" if e.summary else "")
            units = [(BAND_NAME, 5, "name", e.name, True)]
            units += [(BAND_NAME, 4, "alias", a, False) for a in e.aliases]
            units.append((BAND_FIELD, 3, "summary", e.summary, False))
            units.append((BAND_FIELD, 1, "kind", e.kind, False))
            self._add_record("entity", e.id, e, e.name, ctx, units)
            tick += 1
            if tick % every == 0:
                yield
        for ev in dataset.events:
            involved = " ".join(names.get(x, x) for x in (*ev.states, *ev.actors))
            title = f"{ev.date.iso()} {ev.title}"
            ctx = f"{RESPONSE_LABELS.get(ev.response, ev.response)} \u2014 {ev.summary}"
            units = [
                (BAND_FIELD, 5, "title", ev.title, True),
                (BAND_FIELD, 3, "summary", ev.summary, False),
                (BAND_FIELD, 4, "date", f"{ev.date.iso()} {ev.date.display()}", False),
                (BAND_FIELD, 1, "category",
                 f"{ev.category} {ev.response} {RESPONSE_LABELS.get(ev.response, '')}", False),
                (BAND_FIELD, 2, "involves", involved, False),
            ]
            self._add_record("event", ev.id, ev, title, ctx, units)
            tick += 1
            if tick % every == 0:
                yield
        for m in dataset.metrics:
            state = names.get(m.state, m.state)
            vt = m.value_text()
            title = f"{state}: {m.measure} \u2014 {vt}" + (f" ({m.year})" if m.year else "")
            ctx = m.detail or m.category
            units = [
                (BAND_FIELD, 5, "measure", m.measure, True),
                (BAND_FIELD, 3, "detail", m.detail, False),
                (BAND_FIELD, 4, "value",
                 f"{vt} {m.year if m.year is not None else ''}", False),
                (BAND_FIELD, 2, "state",
                 f"{state} {names.get(m.counterpart, m.counterpart)}", False),
                (BAND_FIELD, 1, "category", m.category, False),
            ]
            self._add_record("metric", m.id, m, title, ctx, units)
            tick += 1
            if tick % every == 0:
                yield
        anchors = getattr(dataset, "anchors", {}) or {}
        src_titles = {src.id: src.title or src.id for src in dataset.sources}
        for q in dataset.quotes:
            span = None
            text = texts.get(q.source, "")
            a = anchors.get(q.id)
            if a is not None and text[a.start:a.end] == q.text:
                span = (a.start, a.end)
            elif q.text and text:
                i = text.find(q.text)
                if i >= 0:
                    span = (i, i + len(q.text))
            units = [(BAND_QUOTE, 5, "quote", q.text, True), (BAND_QUOTE, 1, "note", q.note, False)]
            self._add_record("quote", q.id, q, _clip(q.text, 100),
                             src_titles.get(q.source, q.source), units, q.source, span)
            tick += 1
            if tick % every == 0:
                yield

        # Source texts: positional index.
        tw, ts, te = self.tok_word, self.tok_start, self.tok_end
        tpost: dict[int, list[int]] = {}
        finditer = _TOKEN_RE.finditer
        word_ids = self.word_ids
        freq = self.freq
        for src in dataset.sources:
            text = texts.get(src.id, "")
            self.doc_ids.append(src.id)
            self.doc_titles.append(src.title or src.id)
            self.doc_texts.append(text)
            self.doc_start.append(len(tw))
            g = len(tw)
            for m in finditer(text):
                raw = m.group()
                norm = _NORM_CACHE.get(raw)
                if norm is None:
                    norm = _norm_token(raw)
                if not norm:
                    continue
                s = m.start()
                if norm in _CLITICS and s > 0 and text[s - 1] in _APOSTROPHES:
                    continue
                w = word_ids.get(norm)
                if w is None:
                    w = self._wid(norm)
                freq[w] += 1
                tw.append(w)
                ts.append(s)
                te.append(m.end())
                lst = tpost.get(w)
                if lst is None:
                    tpost[w] = [g]
                else:
                    lst.append(g)
                g += 1
                if g % (every * 64) == 0:
                    yield
        self.doc_start.append(len(tw))  # sentinel
        self.tpost = {w: array("I", lst) for w, lst in tpost.items()}

        # Vocabulary: sorted for prefixes; deletion neighbourhoods for typos.
        self.sorted_words = sorted(self.words)
        self.sorted_ids = [word_ids[w] for w in self.sorted_words]
        name_words: set[int] = set()
        for u, band in enumerate(self.unit_band):
            if band == BAND_NAME:
                name_words.update(self.unit_toks[u])
        self.name_sorted = sorted(self.words[w] for w in name_words)
        dels = self.deletes
        for w, word in enumerate(self.words):
            if w % (every * 8) == 0:
                yield
            if len(word) < 3 or not word.isalpha():
                continue
            for d in _deletes(word, 1):
                lst2 = dels.get(d)
                if lst2 is None:
                    dels[d] = [w]
                else:
                    lst2.append(w)
        for w in name_words:
            word = self.words[w]
            if len(word) < 3 or not word.isalpha():
                continue
            for d in _deletes(word, 2 if len(word) >= 7 else 1):
                self.name_deletes.setdefault(d, []).append(w)
            for k in range(4, len(word)):
                for d in _deletes(word[:k], 1):
                    self.prefix_deletes.setdefault(d, []).append((w, k))
        return self

    # ---- query parsing --------------------------------------------------------------------
    def _expand(self, text: str, prefix: bool) -> _Term:
        t = _Term(text, prefix)
        words = t.words
        exact = self.word_ids.get(text)
        if exact is not None:
            words[exact] = Q_EXACT
            t.full.add(exact)
        if prefix:
            lo = bisect_left(self.sorted_words, text)
            hi = bisect_left(self.sorted_words, text + "\uffff", lo)
            ids = self.sorted_ids[lo:hi]
            if len(ids) > _PREFIX_CAP:
                freq = self.freq
                ids = nlargest(_PREFIX_CAP, ids, key=freq.__getitem__)
            # names always take part, however rare
            nlo = bisect_left(self.name_sorted, text)
            nhi = bisect_left(self.name_sorted, text + "\uffff", nlo)
            ids = list(ids) + [self.word_ids[w] for w in self.name_sorted[nlo:nhi]]
            n = len(text)
            for w in ids:
                if w not in words:
                    words[w] = 0.6 + 0.3 * n / len(self.words[w])
        if not words and text.isalpha():
            bound = _max_typos(text)
            if bound:
                self._fuzzy(t, bound)
                if prefix and not words:
                    self._fuzzy_prefix(t)
        t.finish()
        return t

    def _fuzzy(self, t: _Term, bound: int) -> None:
        text = t.text
        cands: set[int] = set()
        qdel = _deletes(text, bound)
        for d in qdel:
            got = self.deletes.get(d)
            if got:
                cands.update(got)
            got = self.name_deletes.get(d)
            if got:
                cands.update(got)
        for w in cands:
            word = self.words[w]
            if abs(len(word) - len(text)) > bound:
                continue
            dist = _osa(text, word, bound)
            if dist <= bound:
                t.words[w] = Q_FUZZY - 0.1 * dist
                t.full.add(w)

    def _fuzzy_prefix(self, t: _Term) -> None:
        text = t.text
        found: list[str] = []
        for d in _deletes(text, 1):
            for w, k in self.prefix_deletes.get(d, ()):
                word = self.words[w]
                if abs(k - len(text)) <= 1 and _osa(text, word[:k], 1) <= 1:
                    if w not in t.words:
                        t.words[w] = Q_FUZZY_PREFIX
                    found.append(word[:k])
        t.fuzzy_prefixes = tuple(sorted(set(found)))

    def parse(self, query: str) -> list[_Term]:
        toks = tokenize(query[:_QUERY_CHARS])[:_QUERY_TERMS]
        if not toks:
            return []
        ends_in_word = not query[-1:].isspace()
        terms = []
        for i, (norm, _s, _e) in enumerate(toks):
            terms.append(self._expand(norm, prefix=ends_in_word and i == len(toks) - 1))
        return terms

    # ---- records --------------------------------------------------------------------------
    def _candidates(self, terms: list[_Term], caps: tuple[int, int, int]) -> list[int]:
        upost = self.upost

        def total(t: _Term) -> int:
            return sum(len(p.get(w, ())) for p in upost for w in t.words)

        driver = min(terms, key=total)
        others = [t.words.keys() for t in terms if t is not driver]
        rec_words = self.rec_words
        unit_rec = self.unit_rec
        seen: set[int] = set()
        out: list[int] = []
        for band in (BAND_NAME, BAND_FIELD, BAND_QUOTE):
            post = upost[band]
            cap = caps[band]
            got = scanned = 0
            for w in driver.order:
                plist = post.get(w)
                if not plist:
                    continue
                for u in plist:
                    r = unit_rec[u]
                    if r in seen:
                        continue
                    seen.add(r)
                    scanned += 1
                    rw = rec_words[r]
                    if all(not rw.isdisjoint(o) for o in others):
                        out.append(r)
                        got += 1
                        if got >= cap:
                            break
                    if scanned >= _SCAN_CAP:
                        break
                if got >= cap or scanned >= _SCAN_CAP:
                    break
        return out

    def _score_record(self, r: int, terms: list[_Term]) -> tuple[float, int]:
        """(score, best unit) of a record all of whose query terms are somewhere in it."""
        n = len(terms)
        best = -1.0
        best_u = -1
        rec_q = [0.0] * n
        for u in self.rec_units[r]:
            toks = self.unit_toks[u]
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
            band = self.unit_band[u]
            if band == BAND_NAME:
                m = len(toks)
                main = 5.0 if self.unit_main[u] else 0.0
                if m == n and all(toks[i] in terms[i].full for i in range(n)):
                    score = T_EXACT + 40 * avgq + main
                elif m >= n and all(toks[i] in terms[i].words for i in range(n)):
                    score = T_PREFIX + 20 * avgq + 20 * n / m + main
                else:
                    score = T_NAME + 20 * avgq + 20 * min(1.0, n / m) + main
            else:
                phrase = n > 1 and all(pos[i + 1] == pos[i] + 1 for i in range(n - 1))
                base = T_FIELD if band == BAND_FIELD else T_QUOTE
                score = (base + 8 * self.unit_weight[u] + 20 * avgq + (8.0 if phrase else 0.0)
                         + 10 * min(1.0, 12 / len(toks)))
            if score > best:
                best, best_u = score, u
        if best < 0 and min(rec_q) > 0:
            # the words are spread over several fields of the record
            base = T_QUOTE if self.rec_kind[r] == "quote" else T_FIELD
            best = base + 10 * sum(rec_q) / n
            best_u = -1
        return best, best_u

    def _phrase_records(self, phrase: tuple[int, ...], cap: int) -> list[tuple[int, int]]:
        """(record, unit) pairs whose field or quote units contain ``phrase`` word for word."""
        if not phrase:
            return []
        out: list[tuple[int, int]] = []
        driver = min(phrase, key=lambda w: sum(len(self.upost[b].get(w, ())) for b in (1, 2)))
        k = len(phrase)
        for band in (BAND_FIELD, BAND_QUOTE):
            for u in self.upost[band].get(driver, ())[:_SCAN_CAP]:
                toks = self.unit_toks[u]
                if k == 1 or any(toks[i:i + k] == phrase for i in range(len(toks) - k + 1)):
                    out.append((self.unit_rec[u], u))
                    if len(out) >= cap:
                        return out
        return out

    # ---- texts ----------------------------------------------------------------------------
    def _text_hits(self, terms: list[_Term], alts: list[tuple[int, ...]],
                   need: int) -> list[tuple[float, int, int]]:
        """Ranked (score, first token, last token) windows of the source texts."""
        if need <= 0 or not self.tok_word:
            return []
        tpost = self.tpost
        tw = self.tok_word
        dstart = self.doc_start
        W = _TEXT_WINDOW
        want = need * 3
        found: list[tuple[float, int, int]] = []
        n = len(terms)

        def total(t: _Term) -> int:
            return sum(len(tpost.get(w, ())) for w in t.words)

        di = min(range(n), key=lambda i: total(terms[i]))
        driver = terms[di]
        scanned = 0
        for w in driver.order:
            q0 = driver.words[w]
            for p in tpost.get(w, ()):
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
                        if scanned >= _SCAN_CAP:
                            break
                        continue
                    spread = (last - first + 1 - n) / (2 * W)
                    bonus = 15.0 if phrase else 10.0 * (1 - min(1.0, spread))
                    found.append((T_TEXT + 40 * qsum / n + bonus, first, last))
                if len(found) >= want or scanned >= _SCAN_CAP:
                    break
            if len(found) >= want or scanned >= _SCAN_CAP:
                break
        for alt in alts:
            k = len(alt)
            if not k:
                continue
            ai = min(range(k), key=lambda i: len(tpost.get(alt[i], ())))
            got = 0
            for p in tpost.get(alt[ai], ())[:_SCAN_CAP]:
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

    # ---- the search -----------------------------------------------------------------------
    def search(self, query: str, limit: int = 50, per_kind: int | None = None) -> list[Hit]:
        """Ranked hits for ``query`` (best first); at most ``limit`` in all and, if given,
        ``per_kind`` of each kind. The last word of the query is taken as a prefix unless the
        query ends with a space."""
        if limit <= 0:
            return []
        terms = self.parse(query)
        if not terms:
            return []
        n = len(terms)
        if any(not t.words for t in terms):
            return []
        want = limit if per_kind is None else max(limit, per_kind * len(KINDS))
        cap = max(4 * want, 200)
        scored: dict[int, tuple[float, int]] = {}
        for r in self._candidates(terms, (2000, cap, cap)):
            s, u = self._score_record(r, terms)
            if s > 0:
                scored[r] = (s, u)

        # Alias expansion: a query naming a state/entity also looks for its other names.
        alts: list[tuple[int, ...]] = []
        qlen = sum(len(t.text) for t in terms)
        if qlen >= 3:
            named = sorted(
                (r for r, (s, u) in scored.items()
                 if u >= 0 and self.unit_band[u] == BAND_NAME
                 and n / len(self.unit_toks[u]) >= 0.5),
                key=lambda r: -scored[r][0],
            )[:5]
            seen_alt: set[tuple[int, ...]] = set()
            for r in named:
                best_u = scored[r][1]
                for u in self.rec_units[r]:
                    if self.unit_band[u] != BAND_NAME or u == best_u:
                        continue
                    ph = self.unit_toks[u]
                    if ph in seen_alt or (len(ph) == 1 and len(self.words[ph[0]]) < 2):
                        continue
                    seen_alt.add(ph)
                    alts.append(ph)
        for ph in alts:
            for r, u in self._phrase_records(ph, cap):
                band = self.unit_band[u]
                base = T_FIELD if band == BAND_FIELD else T_QUOTE
                s = base + 8 * self.unit_weight[u] + 20 + 8 - ALT_PENALTY \
                    + 10 * min(1.0, 12 / len(self.unit_toks[u]))
                old = scored.get(r)
                if old is None or old[0] < s:
                    scored[r] = (s, u)

        ranked = sorted(scored.items(), key=lambda kv: (-kv[1][0], kv[0]))
        counts: dict[str, int] = {}
        chosen: list[tuple[float, int, int]] = []  # (score, rec, unit)
        for r, (s, u) in ranked:
            kind = self.rec_kind[r]
            if per_kind is not None and counts.get(kind, 0) >= per_kind:
                continue
            counts[kind] = counts.get(kind, 0) + 1
            chosen.append((s, r, u))
            if len(chosen) >= limit:
                break
        need = limit - len(chosen)
        if per_kind is not None:
            need = min(need, per_kind)
        text = self._text_hits(terms, alts, need)

        pred = self._predicate(terms, alts)
        hits = [self._record_hit(s, r, u, pred) for s, r, u in chosen]
        hits += [self._text_hit(s, a, b, pred) for s, a, b in text]
        return hits

    # ---- presentation ---------------------------------------------------------------------
    def _predicate(self, terms: list[_Term], alts: list[tuple[int, ...]]) -> Callable[[str], bool]:
        exact = {self.words[w] for t in terms for w in t.words}
        exact.update(self.words[w] for ph in alts for w in ph)
        prefixes = tuple(t.text for t in terms if t.prefix) + tuple(
            p for t in terms for p in t.fuzzy_prefixes
        )

        def pred(norm: str) -> bool:
            return norm in exact or (bool(prefixes) and norm.startswith(prefixes))

        return pred

    @staticmethod
    def _marks(text: str, pred: Callable[[str], bool]) -> tuple[tuple[int, int], ...]:
        return tuple((s, e) for norm, s, e in tokenize(text) if pred(norm))

    def _record_hit(self, score: float, r: int, u: int, pred: Callable[[str], bool]) -> Hit:
        kind = self.rec_kind[r]
        title = self.rec_title[r]
        if kind == "quote":
            text = self.unit_text[u] if u >= 0 else self.rec_obj[r].text
            marks = self._marks(text, pred)
            if marks:
                context = _snippet(text, marks[0][0], marks[-1][1] if
                                   marks[-1][1] - marks[0][0] < 60 else marks[0][1])
            else:
                context = _clip(text)
            if u >= 0 and self.unit_label[u] == "note":
                context = "note: " + context
        elif (u < 0 or self.unit_main[u] or self.unit_band[u] == BAND_NAME
              or self.unit_label[u] in _PLAIN_LABELS):
            context = _clip(self.rec_context[r])
            if u >= 0 and self.unit_label[u] == "alias":
                context = _clip(f"aka {self.unit_text[u]} \u00b7 {self.rec_context[r]}")
        else:
            text = self.unit_text[u]
            marks = self._marks(text, pred)
            body = _snippet(text, marks[0][0], marks[0][1]) if marks else _clip(text)
            context = f"{self.unit_label[u]}: {body}"
        span = self.rec_span[r]
        return Hit(
            kind=kind,
            id=self.rec_id[r],
            title=title,
            context=context,
            score=round(score, 3),
            highlights=self._marks(context, pred),
            source=self.rec_source[r],
            start=span[0] if span else None,
            end=span[1] if span else None,
            title_highlights=self._marks(title, pred),
        )

    def _text_hit(self, score: float, a: int, b: int, pred: Callable[[str], bool]) -> Hit:
        d = bisect_right(self.doc_start, a) - 1
        text = self.doc_texts[d]
        s, e = self.tok_start[a], self.tok_end[b]
        context = _snippet(text, s, e)
        title = self.doc_titles[d]
        return Hit(
            kind="text",
            id=self.doc_ids[d],
            title=title,
            context=context,
            score=round(score, 3),
            highlights=self._marks(context, pred),
            source=self.doc_ids[d],
            start=s,
            end=e,
            title_highlights=self._marks(title, pred),
        )


# ---- output -------------------------------------------------------------------------------------


_JSON_UNSAFE = {c: f"\\u{c:04x}" for c in ALL_CONTROLS if c >= 0x7F}


def visible(s: str) -> str:
    """``s`` with every control character made visible (textsafe's one table), so a terminal
    never interprets them; a hit stays on one line."""
    return s.translate(ALL_CONTROLS)


def format_hits(hits: Sequence[Hit], fmt: str = "text") -> str:
    """Plain text (grouped by kind, in ranked order, one line per hit) or a JSON list."""
    if fmt == "json":
        out = json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=2)
        return out.translate(_JSON_UNSAFE)
    if fmt != "text":
        raise ValueError(f"unknown format {fmt!r} (text or json)")
    groups: dict[str, list[Hit]] = {}
    for h in hits:
        groups.setdefault(h.kind, []).append(h)
    lines: list[str] = []
    for kind, group in groups.items():
        lines.append(f"{kind} ({len(group)})")
        for h in group:
            where = h.id
            if h.kind == "text" and h.start is not None:
                where = f"{h.id}@{h.start}-{h.end}"
            line = f"  {where}  {h.title}"
            if h.context:
                line += f"  \u2014 {h.context}"
            lines.append(visible(line))
    return "\n".join(lines)
