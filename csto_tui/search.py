"""One search box over the whole dataset: records, quotes and the full text of the sources.

Plain Python, stdlib only: this module never imports textual (nor rich).

* :meth:`SearchIndex.build` does all the indexing work once: a tokenizer that keeps code-point
  offsets, a vocabulary (sorted, for prefix lookup with :mod:`bisect`), an inverted index of the
  records' fields (per band: names, fields, quotes) and a positional index of the source texts,
  a SymSpell-style deletion index for typo tolerance and the alias table of states/entities.
  All of it in flat :mod:`array` columns (about 65 MB at 1000x the shipped data): the records
  and texts are the dataset's, referred to, never copied.
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
import sys
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Generator, Sequence
from dataclasses import asdict, dataclass, field
from heapq import merge, nlargest
from itertools import accumulate
from typing import Any

from .model import RESPONSE_LABELS, STATUS_LABELS
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


def _norm_raw(raw: str) -> str:
    s = normalize(raw)
    if s and (s[0].isdigit()):
        s = s.replace(",", "")
        s = "".join(c for c in s if c.isalnum() or c == ".")
    else:
        s = "".join(c for c in s if c.isalnum())
    return s


def _norm_token(raw: str) -> str:
    got = _NORM_CACHE.get(raw)
    if got is not None:
        return got
    s = _norm_raw(raw)
    if len(_NORM_CACHE) < 500_000:
        _NORM_CACHE[raw] = s
    return s


# The index's own scanner: the tokens of _TOKEN_RE, each with the apostrophe before it, if any,
# in the match ("'s"), so that findall() alone tells a clitic from a word. Only apostrophes
# that are not word characters can precede a token (U+02BC is a letter: always inside one), so
# the matches are _TOKEN_RE's, one for one. Whitespace never is inside a match: a text can be
# scanned in pieces cut at whitespace.
_PRE_APOS = "".join(sorted(c for c in _APOSTROPHES if not _TOKEN_RE.match(c)))
_SCAN_RE = re.compile(
    r"(?=[\w\u0300-\u036f" + re.escape(_PRE_APOS) + "])"  # a quick test first
    "[" + re.escape(_PRE_APOS) + "]?"
    r"(?:\d+(?:,\d{3})+(?:\.\d+)?(?![^\W_])"
    r"|\d+(?:\.\d+)?(?![^\W_])"
    r"|(?:[^\W_]+|[\u0300-\u036f]+)+)"  # as _TOKEN_RE's, a run at a time
)
_SPACE_RE = re.compile(r"\s")


def _scan_word(raw: str) -> tuple[str, int]:
    """(normalized word, length of the apostrophe prefix) of one _SCAN_RE match; the word is ""
    for a token tokenize() drops (nothing left once normalized, or a clitic)."""
    if raw[0] in _PRE_APOS:
        norm = _norm_token(raw[1:])
        return ("" if norm in _CLITICS else norm), 1
    return _norm_token(raw), 0


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


_KIND_CODE = {"state": 0, "entity": 1, "event": 2, "metric": 3, "quote": 4}
_CHUNK = 256  # source texts are scanned in pieces of about this many characters (cut at spaces)
_HASH_MASK = 0xFFFFFFFF
_Unit = tuple[int, int, str, str, bool]  # band, weight, label, text, main


def _units_of(kind: int, obj: Any, names: dict[str, str]) -> list[_Unit]:
    """The searchable fields of one record: (band, weight, label, text, main). The build
    tokenizes them; a hit derives its context line from them again (nothing is copied)."""
    if kind == 0:
        s = obj
        units: list[_Unit] = [(BAND_NAME, 5, "name", s.name, True)]
        units += [(BAND_NAME, 4, "alias", a, False) for a in s.aliases]
        units.append((BAND_FIELD, 3, "role", s.role, False))
        units.append((BAND_FIELD, 1, "status",
                      f"{s.status} {STATUS_LABELS.get(s.status, '')}", False))
        for span in s.membership:
            end = span.end.iso() if span.end else "now"
            units.append((BAND_FIELD, 3, "membership",
                          f"{span.label()} ({span.start.iso()}-{end}) {span.note}", False))
        return units
    if kind == 1:
        e = obj
        units = [(BAND_NAME, 5, "name", e.name, True)]
        units += [(BAND_NAME, 4, "alias", a, False) for a in e.aliases]
        units.append((BAND_FIELD, 3, "summary", e.summary, False))
        units.append((BAND_FIELD, 1, "kind", e.kind, False))
        return units
    if kind == 2:
        ev = obj
        involved = " ".join(names.get(x, x) for x in (*ev.states, *ev.actors))
        return [
            (BAND_FIELD, 5, "title", ev.title, True),
            (BAND_FIELD, 3, "summary", ev.summary, False),
            (BAND_FIELD, 4, "date", f"{ev.date.iso()} {ev.date.display()}", False),
            (BAND_FIELD, 1, "category",
             f"{ev.category} {ev.response} {RESPONSE_LABELS.get(ev.response, '')}", False),
            (BAND_FIELD, 2, "involves", involved, False),
        ]
    if kind == 3:
        m = obj
        return [
            (BAND_FIELD, 5, "measure", m.measure, True),
            (BAND_FIELD, 3, "detail", m.detail, False),
            (BAND_FIELD, 4, "value",
             f"{m.value_text()} {m.year if m.year is not None else ''}", False),
            (BAND_FIELD, 2, "state",
             f"{names.get(m.state, m.state)} {names.get(m.counterpart, m.counterpart)}", False),
            (BAND_FIELD, 1, "category", m.category, False),
        ]
    q = obj
    return [(BAND_QUOTE, 5, "quote", q.text, True), (BAND_QUOTE, 1, "note", q.note, False)]


def _has_word(text: str) -> bool:
    """Whether ``tokenize(text)`` is not empty."""
    return any(_scan_word(m.group())[0] for m in _SCAN_RE.finditer(text))


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


def _is_del1(word: str, d: str) -> bool:
    """Whether ``d`` is ``word`` or ``word`` less one character (``d in _deletes(word, 1)``)."""
    n = len(d)
    if n == len(word):
        return d == word
    if n != len(word) - 1:
        return False
    i = 0
    while i < n and word[i] == d[i]:
        i += 1
    return word[i + 1:] == d[i:]


def _offsets(counts: array[int]) -> tuple[array[int], array[int]]:
    """CSR offsets (``len(counts) + 1``) of lists of the given sizes, and a copy of the starts
    to fill them with."""
    off = array("I", [0])
    off.extend(accumulate(counts))
    return off, off[:-1]


def _quote_span(q: Any, text: str, anchors: dict[str, Any]) -> tuple[int, int] | None:
    a = anchors.get(q.id)
    if a is not None and text[a.start:a.end] == q.text:
        return a.start, a.end
    if q.text and text:
        i = text.find(q.text)
        if i >= 0:
            return i, i + len(q.text)
    return None


class SearchIndex:
    """An index over one :class:`~csto_tui.model.Dataset`; build once, search per keystroke.

    Compact: flat :mod:`array` columns rather than Python objects per word or posting. Records
    are kept by reference and their titles, context lines and field texts derived again for the
    hits shown; a text hit's character offsets are found by scanning again from the nearest
    checkpoint (one per piece of about ``_CHUNK`` characters)."""

    def __init__(self) -> None:
        # vocabulary
        self.words: list[str] = []  # word id -> word
        self.freq = array("I")  # word id -> units and text tokens holding it
        self.sorted_words: list[str] = []
        self.sorted_ids = array("I")
        self.name_sorted: list[str] = []  # words of names and aliases, sorted
        self.name_ids = array("I")  # their ids
        # 1-deletion neighbourhood of all words: sorted (hash32(deletion) << 32 | word id)
        self.del_keys = array("Q")
        self.name_deletes: dict[str, list[int]] = {}  # 2-deletion neighbourhood of name words
        self.prefix_deletes: dict[str, list[tuple[int, int]]] = {}  # name-word prefixes
        # records (in build order: states, entities, events, metrics, quotes)
        self.rec_kind = bytearray()  # index in KINDS
        self.rec_obj: list[Any] = []
        self.rec_unit0 = array("I", [0])  # record r has units rec_unit0[r]:rec_unit0[r + 1]
        self.quote0 = 0  # first quote record
        self.quote_start = array("i")  # per quote: its span in the source text, or -1
        self.quote_end = array("i")
        self.names: dict[str, str] = {}  # state/entity id -> name
        self.src_titles: dict[str, str] = {}
        # units (the fields of the records)
        self.unit_rec = array("I")
        self.unit_band = bytearray()
        self.unit_weight = bytearray()
        self.unit_main = bytearray()
        self.unit_off = array("I", [0])  # unit u has words unit_tok[unit_off[u]:unit_off[u + 1]]
        self.unit_tok = array("H")  # word ids ("I" once the vocabulary outgrows 16 bits)
        # per band: units holding each word, in order; word w at post[b][post_off[b][w]:...[w + 1]]
        self.post: tuple[array[int], ...] = (array("I"), array("I"), array("I"))
        self.post_off: tuple[array[int], ...] = (array("I"), array("I"), array("I"))
        # texts
        self.doc_ids: list[str] = []
        self.doc_titles: list[str] = []
        self.doc_texts: list[str] = []
        self.doc_start = array("I")  # first global token of each document (and a sentinel)
        self.tok_word = array("H")  # word id of each token of the source texts
        self.ck_tok = array("I")  # checkpoints: first token of a piece of text ...
        self.ck_char = array("I")  # ... and the piece's first character in its document
        self.tpost = array("I")  # positions of each word: tpost[tpost_off[w]:tpost_off[w + 1]]
        self.tpost_off = array("I")
        self._post_mv: tuple[memoryview, ...] = ()
        self._tpost_mv = memoryview(self.tpost)

    # ---- building -------------------------------------------------------------------------
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
        """:meth:`build` in small steps: yields after about ``every`` records (or ``every * 64``
        tokens, words, postings) and returns the index. A UI runs the steps between key
        presses, so that a big build never holds the interpreter for more than a moment."""
        self = cls()
        step = every * 64
        words = self.words
        freq = self.freq
        word_ids: dict[str, int] = {}
        counts = (array("I"), array("I"), array("I"))  # per band: units holding each word
        raw_ids: dict[str, int] = {}  # raw scanned token -> word id, -1 if dropped

        def raw_id(raw: str) -> int:
            w = raw_ids.get(raw)
            if w is None:
                if raw[0] in _PRE_APOS:
                    norm = _norm_raw(raw[1:])
                    if norm in _CLITICS:
                        norm = ""
                else:
                    norm = _norm_raw(raw)
                if not norm:
                    w = -1
                else:
                    w = word_ids.get(norm)
                    if w is None:
                        w = len(words)
                        word_ids[norm] = w
                        words.append(norm)
                        freq.append(0)
                        for c in counts:
                            c.append(0)
                raw_ids[raw] = w
            return w

        findall = _SCAN_RE.findall
        get_raw = raw_ids.get

        def ids_of(text: str, pos: int = 0, endpos: int = 2**62) -> list[int]:
            """Word ids of the tokens of ``text[pos:endpos]``, as tokenize() would give them."""
            raws = findall(text, pos, endpos)
            ids: list[Any] = list(map(get_raw, raws))
            if None in ids:
                for i, w in enumerate(ids):
                    if w is None:
                        ids[i] = raw_id(raws[i])
            if -1 in ids:
                ids = [w for w in ids if w >= 0]
            return ids

        names = self.names
        for s in dataset.states:
            names[s.id] = s.name
        for e in dataset.entities:
            names[e.id] = e.name
        yield
        texts: dict[str, str] = {}
        for src in dataset.sources:
            t = dataset.text_of(src.id)
            if not t:
                try:
                    from .reading import read_bytes

                    t = read_bytes(src.path).decode("utf-8-sig")
                except (OSError, UnicodeDecodeError, AttributeError):
                    t = ""
            texts[src.id] = t
        self.src_titles = {src.id: src.title or src.id for src in dataset.sources}

        yield

        # Records, band 0 (names) first so that name postings come first.
        anchors = getattr(dataset, "anchors", {}) or {}
        groups = ((0, dataset.states), (1, dataset.entities), (2, dataset.events),
                  (3, dataset.metrics), (4, dataset.quotes))
        unit_tok = self.unit_tok
        unit_off = self.unit_off
        unit_rec, unit_band = self.unit_rec, self.unit_band
        unit_weight, unit_main = self.unit_weight, self.unit_main
        known: dict[str, tuple[list[int], tuple[int, ...]]] = {}  # unit text -> its words
        tick = 0
        for kind, recs in groups:
            if kind == 4:
                self.quote0 = len(self.rec_obj)
            for obj in recs:
                r = len(self.rec_obj)
                self.rec_kind.append(kind)
                self.rec_obj.append(obj)
                for band, weight, _label, text, main in _units_of(kind, obj, names):
                    if not text:
                        continue
                    got = known.get(text)
                    if got is None:
                        ids = ids_of(text)
                        got = (ids, tuple(set(ids)))
                        if kind != 4:  # fields repeat (status, kind, category...), quotes less
                            if len(known) >= 1 << 16:
                                known.clear()
                            known[text] = got
                    ids, distinct = got
                    if not ids:
                        continue
                    if unit_tok.typecode == "H" and len(words) > 0x10000:
                        self.unit_tok = unit_tok = array("I", unit_tok)
                    unit_tok.extend(ids)
                    unit_off.append(len(unit_tok))
                    unit_rec.append(r)
                    unit_band.append(band)
                    unit_weight.append(weight)
                    unit_main.append(main)
                    cnt = counts[band]
                    for w in distinct:
                        cnt[w] += 1
                self.rec_unit0.append(len(unit_rec))
                if kind == 4:
                    span = _quote_span(obj, texts.get(obj.source, ""), anchors)
                    self.quote_start.append(span[0] if span else -1)
                    self.quote_end.append(span[1] if span else -1)
                tick += 1 + len(unit_rec) - self.rec_unit0[r]
                if tick >= every:  # every records, or fewer with many fields
                    tick = 0
                    yield

        # Source texts: the word of each token, and a checkpoint per piece of text.
        tw = self.tok_word
        ck_tok, ck_char = self.ck_tok, self.ck_char
        space = _SPACE_RE.search
        pending = 0
        for src in dataset.sources:
            text = texts.get(src.id, "")
            self.doc_ids.append(src.id)
            self.doc_titles.append(src.title or src.id)
            self.doc_texts.append(text)
            self.doc_start.append(len(tw))
            n = len(text)
            pos = 0
            while pos < n:
                end = pos + _CHUNK
                if end >= n:
                    end = n
                else:
                    cut = text.find(" ", end)  # any whitespace would do; a space is quickest
                    if cut < 0:
                        m = space(text, end)
                        cut = m.start() if m else n
                    end = cut
                ids = ids_of(text, pos, end)
                if ids:
                    ck_tok.append(len(tw))
                    ck_char.append(pos)
                    if tw.typecode == "H" and len(words) > 0x10000:
                        self.tok_word = tw = array("I", tw)
                    tw.extend(ids)
                    pending += len(ids)
                    if pending >= every * 16:
                        pending = 0
                        yield
                pos = end
        self.doc_start.append(len(tw))  # sentinel
        raw_ids.clear()
        yield
        known.clear()
        yield
        nwords = len(words)

        # Positions of each word in the texts (counting sort: no list of Python ints).
        tcount = array("I", [0]) * nwords
        for a in range(0, len(tw), step):
            for w, c in Counter(tw[a:a + step]).items():
                tcount[w] += c
            yield
        self.tpost_off, tcur = _offsets(tcount)
        tpost = self.tpost = array("I", [0]) * len(tw)
        for a in range(0, len(tw), step):
            for g in range(a, min(a + step, len(tw))):
                w = tw[g]
                i = tcur[w]
                tpost[i] = g
                tcur[w] = i + 1
            yield
        c0, c1, c2 = counts
        for w in range(nwords):
            freq[w] = c0[w] + c1[w] + c2[w] + tcount[w]
            if w % step == 0:
                yield
        del tcount, tcur

        # Units holding each word, per band, in unit order.
        curs = []
        offs = []
        for b in range(3):
            off, start = _offsets(counts[b])
            offs.append(off)
            curs.append(start)
            yield
        self.post_off = tuple(offs)
        yield
        post = self.post = tuple(array("I", [0]) * off[-1] for off in offs)
        nunits = len(unit_rec)
        for u in range(nunits):
            ucur = curs[unit_band[u]]
            plist = post[unit_band[u]]
            for w in set(unit_tok[unit_off[u]:unit_off[u + 1]]):
                i = ucur[w]
                plist[i] = u
                ucur[w] = i + 1
            if u % every == 0:
                yield
        del curs

        # Vocabulary: sorted for prefixes (in runs, then merged: no long step).
        runs = []
        for a in range(0, nwords, every * 16):
            runs.append(sorted(range(a, min(a + every * 16, nwords)), key=words.__getitem__))
            yield
        sorted_ids = self.sorted_ids
        sorted_words = self.sorted_words
        for k, w in enumerate(merge(*runs, key=words.__getitem__)):
            sorted_ids.append(w)
            sorted_words.append(words[w])
            if k % (every * 8) == 0:
                yield
        del runs
        name_words: set[int] = set()
        for u in range(self.rec_unit0[len(dataset.states) + len(dataset.entities)]):
            if unit_band[u] == BAND_NAME:  # states and entities come first
                name_words.update(unit_tok[unit_off[u]:unit_off[u + 1]])
            if u % (every * 16) == 0:
                yield
        for k, w in enumerate(sorted_ids):
            if w in name_words:
                self.name_ids.append(w)
                self.name_sorted.append(words[w])
            if k % (every * 16) == 0:
                yield

        # Deletion neighbourhoods for typos: hashed, in 256 buckets, each sorted.
        buckets = [array("Q") for _ in range(256)]
        for w, word in enumerate(words):
            if w % every == 0:
                yield
            if len(word) < 3 or not word.isalpha():
                continue
            for d in _deletes(word, 1):
                h = hash(d) & _HASH_MASK
                buckets[h >> 24].append(h << 32 | w)
        keys = self.del_keys
        for i, bucket in enumerate(buckets):
            keys.extend(array("Q", sorted(bucket)))
            buckets[i] = array("Q")
            if i % 16 == 15:
                yield
        for k, w in enumerate(name_words):
            if k % every == 0:
                yield
            word = words[w]
            if len(word) < 3 or not word.isalpha():
                continue
            for d in _deletes(word, 2 if len(word) >= 7 else 1):
                self.name_deletes.setdefault(d, []).append(w)
            for k in range(4, len(word)):
                for d in _deletes(word[:k], 1):
                    self.prefix_deletes.setdefault(d, []).append((w, k))
        self._post_mv = tuple(memoryview(p) for p in self.post)
        self._tpost_mv = memoryview(self.tpost)
        return self

    # ---- lookups --------------------------------------------------------------------------
    def nbytes(self) -> int:
        """About the memory the index holds of its own (its columns, the vocabulary, the
        typo tables); the records and texts it refers to belong to the dataset."""
        size = sys.getsizeof
        n = 0
        for v in vars(self).values():
            if isinstance(v, (array, bytearray, memoryview)):
                n += size(v)
            elif isinstance(v, tuple):
                n += size(v) + sum(size(x) for x in v)
            elif isinstance(v, (list, dict)):
                n += size(v)
        n += sum(size(w) for w in self.words)
        for table in (self.name_deletes, self.prefix_deletes):
            n += sum(size(k) + size(v) + 32 * len(v) for k, v in table.items())
        return n

    def word_id(self, word: str) -> int | None:
        """The id of ``word`` (normalized), or None."""
        sw = self.sorted_words
        i = bisect_left(sw, word)
        if i < len(sw) and sw[i] == word:
            return self.sorted_ids[i]
        return None

    def _upost(self, band: int, w: int) -> memoryview:
        off = self.post_off[band]
        return self._post_mv[band][off[w]:off[w + 1]]

    def _ucount(self, band: int, w: int) -> int:
        off = self.post_off[band]
        return off[w + 1] - off[w]

    def _tpost(self, w: int) -> memoryview:
        off = self.tpost_off
        return self._tpost_mv[off[w]:off[w + 1]]

    def _tcount(self, w: int) -> int:
        off = self.tpost_off
        return off[w + 1] - off[w]

    def _toks(self, u: int) -> tuple[int, ...]:
        return tuple(self.unit_tok[self.unit_off[u]:self.unit_off[u + 1]])

    def _ulen(self, u: int) -> int:
        return self.unit_off[u + 1] - self.unit_off[u]

    def _units(self, r: int) -> range:
        return range(self.rec_unit0[r], self.rec_unit0[r + 1])

    def _unit(self, r: int, u: int) -> _Unit:
        """The (band, weight, label, text, main) of unit ``u`` of record ``r``."""
        units = [x for x in _units_of(self.rec_kind[r], self.rec_obj[r], self.names) if x[3]]
        if len(units) != self.rec_unit0[r + 1] - self.rec_unit0[r]:
            units = [x for x in units if _has_word(x[3])]  # the build skipped those
        return units[u - self.rec_unit0[r]]

    def _title_context(self, r: int) -> tuple[str, str]:
        kind = self.rec_kind[r]
        obj = self.rec_obj[r]
        names = self.names
        if kind == 0:
            ctx = STATUS_LABELS.get(obj.status, obj.status) + (
                f" \u2014 {obj.role}" if obj.role else "")
            return obj.name, ctx
        if kind == 1:
            return obj.name, obj.kind + (f" \u2014 {obj.summary}" if obj.summary else "")
        if kind == 2:
            return (f"{obj.date.iso()} {obj.title}",
                    f"{RESPONSE_LABELS.get(obj.response, obj.response)} \u2014 {obj.summary}")
        if kind == 3:
            title = (f"{names.get(obj.state, obj.state)}: {obj.measure} \u2014 "
                     f"{obj.value_text()}" + (f" ({obj.year})" if obj.year else ""))
            return title, obj.detail or obj.category
        return _clip(obj.text, 100), self.src_titles.get(obj.source, obj.source)

    def _tok_span(self, a: int, b: int) -> tuple[int, int]:
        """Character offsets: start of source token ``a``, end of token ``b`` (same text)."""
        c = bisect_right(self.ck_tok, a) - 1
        d = bisect_right(self.doc_start, a) - 1
        text = self.doc_texts[d]
        g = self.ck_tok[c]
        s = -1
        cached = _NORM_CACHE.get
        pre = 0
        for m in _SCAN_RE.finditer(text, self.ck_char[c]):
            raw = m.group()
            if raw[0] in _PRE_APOS or not cached(raw):
                norm, pre = _scan_word(raw)
                if not norm:
                    continue
            else:
                pre = 0
            if g == a:
                s = m.start() + pre
            if g == b:
                return s, m.end()
            g += 1
        raise AssertionError(f"token {b} not found again")  # pragma: no cover

    # ---- query parsing --------------------------------------------------------------------
    def _expand(self, text: str, prefix: bool) -> _Term:
        t = _Term(text, prefix)
        words = t.words
        exact = self.word_id(text)
        if exact is not None:
            words[exact] = Q_EXACT
            t.full.add(exact)
        if prefix:
            lo = bisect_left(self.sorted_words, text)
            hi = bisect_left(self.sorted_words, text + "\uffff", lo)
            ids: Sequence[int] = self.sorted_ids[lo:hi]
            if len(ids) > _PREFIX_CAP:
                freq = self.freq
                ids = nlargest(_PREFIX_CAP, ids, key=freq.__getitem__)
            # names always take part, however rare
            nlo = bisect_left(self.name_sorted, text)
            nhi = bisect_left(self.name_sorted, text + "\uffff", nlo)
            ids = list(ids) + list(self.name_ids[nlo:nhi])
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
        keys = self.del_keys
        words = self.words
        for d in qdel:
            h = hash(d) & _HASH_MASK
            lo = bisect_left(keys, h << 32)
            hi = bisect_left(keys, (h + 1) << 32, lo)
            for k in keys[lo:hi]:
                w = k & _HASH_MASK
                if _is_del1(words[w], d):  # not another deletion of the same hash
                    cands.add(w)
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
        count = self._ucount

        def total(t: _Term) -> int:
            return sum(count(b, w) for b in (0, 1, 2) for w in t.words)

        driver = min(terms, key=total)
        others = [t.words.keys() for t in terms if t is not driver]
        unit_rec = self.unit_rec
        rec_unit0, unit_off, unit_tok = self.rec_unit0, self.unit_off, self.unit_tok
        seen: set[int] = set()
        out: list[int] = []
        for band in (BAND_NAME, BAND_FIELD, BAND_QUOTE):
            mv = self._post_mv[band]
            off = self.post_off[band]
            cap = caps[band]
            got = scanned = 0
            for w in driver.order:
                a, b = off[w], off[w + 1]
                if a == b:
                    continue
                plist = mv[a:b]
                for u in plist:
                    r = unit_rec[u]
                    if r in seen:
                        continue
                    seen.add(r)
                    scanned += 1
                    ok = True
                    if others:
                        rw = unit_tok[unit_off[rec_unit0[r]]:unit_off[rec_unit0[r + 1]]].tolist()
                        ok = all(not o.isdisjoint(rw) for o in others)
                    if ok:
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
        unit_off = self.unit_off
        u0, u1 = self.rec_unit0[r], self.rec_unit0[r + 1]
        base0 = unit_off[u0]
        rec_toks = self.unit_tok[base0:unit_off[u1]].tolist()  # Python ints made once
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
            base = T_QUOTE if self.rec_kind[r] == 4 else T_FIELD
            best = base + 10 * sum(rec_q) / n
            best_u = -1
        return best, best_u

    def _phrase_records(self, phrase: tuple[int, ...], cap: int) -> list[tuple[int, int]]:
        """(record, unit) pairs whose field or quote units contain ``phrase`` word for word."""
        if not phrase:
            return []
        out: list[tuple[int, int]] = []
        driver = min(phrase, key=lambda w: self._ucount(1, w) + self._ucount(2, w))
        k = len(phrase)
        want = list(phrase)
        unit_off, unit_tok = self.unit_off, self.unit_tok
        for band in (BAND_FIELD, BAND_QUOTE):
            for u in self._upost(band, driver)[:_SCAN_CAP]:
                if k == 1 or _find(unit_tok[unit_off[u]:unit_off[u + 1]].tolist(), want):
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
        tpost = self._tpost
        tcount = self._tcount
        tw = self.tok_word
        dstart = self.doc_start
        W = _TEXT_WINDOW
        want = need * 3
        found: list[tuple[float, int, int]] = []
        n = len(terms)

        def total(t: _Term) -> int:
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
            ai = min(range(k), key=lambda i: tcount(alt[i]))
            got = 0
            for p in tpost(alt[ai])[:_SCAN_CAP]:
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
        # One or two letters match the start of thousands of names at 100x the shipped data,
        # all as "prefix" hits of the same kind: a few hundred are plenty to rank the first
        # screenful (the most frequent words' records come first); the next letter narrows.
        short = sum(len(t.text) for t in terms) <= 2
        for r in self._candidates(terms, (cap if short else 2000, cap, cap)):
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
                 and n / self._ulen(u) >= 0.5),
                key=lambda r: -scored[r][0],
            )[:5]
            seen_alt: set[tuple[int, ...]] = set()
            for r in named:
                best_u = scored[r][1]
                for u in self._units(r):
                    if self.unit_band[u] != BAND_NAME or u == best_u:
                        continue
                    ph = self._toks(u)
                    if ph in seen_alt or (len(ph) == 1 and len(self.words[ph[0]]) < 2):
                        continue
                    seen_alt.add(ph)
                    alts.append(ph)
        for ph in alts:
            for r, u in self._phrase_records(ph, cap):
                band = self.unit_band[u]
                base = T_FIELD if band == BAND_FIELD else T_QUOTE
                s = base + 8 * self.unit_weight[u] + 20 + 8 - ALT_PENALTY \
                    + 10 * min(1.0, 12 / self._ulen(u))
                old = scored.get(r)
                if old is None or old[0] < s:
                    scored[r] = (s, u)

        ranked = sorted(scored.items(), key=lambda kv: (-kv[1][0], kv[0]))
        counts: dict[str, int] = {}
        chosen: list[tuple[float, int, int]] = []  # (score, rec, unit)
        for r, (s, u) in ranked:
            kind = KINDS[self.rec_kind[r]]
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
        kind = KINDS[self.rec_kind[r]]
        obj = self.rec_obj[r]
        title, rec_context = self._title_context(r)
        label, utext = ("", "") if u < 0 else self._unit(r, u)[2:4]
        if kind == "quote":
            text = utext if u >= 0 else obj.text
            marks = self._marks(text, pred)
            if marks:
                context = _snippet(text, marks[0][0], marks[-1][1] if
                                   marks[-1][1] - marks[0][0] < 60 else marks[0][1])
            else:
                context = _clip(text)
            if label == "note":
                context = "note: " + context
        elif (u < 0 or self.unit_main[u] or self.unit_band[u] == BAND_NAME
              or label in _PLAIN_LABELS):
            context = _clip(rec_context)
            if label == "alias":
                context = _clip(f"aka {utext} \u00b7 {rec_context}")
        else:
            marks = self._marks(utext, pred)
            body = _snippet(utext, marks[0][0], marks[0][1]) if marks else _clip(utext)
            context = f"{label}: {body}"
        source = ""
        start = end = None
        if kind == "quote":
            source = obj.source
            i = r - self.quote0
            if self.quote_start[i] >= 0:
                start, end = self.quote_start[i], self.quote_end[i]
        return Hit(
            kind=kind,
            id=obj.id,
            title=title,
            context=context,
            score=round(score, 3),
            highlights=self._marks(context, pred),
            source=source,
            start=start,
            end=end,
            title_highlights=self._marks(title, pred),
        )

    def _text_hit(self, score: float, a: int, b: int, pred: Callable[[str], bool]) -> Hit:
        d = bisect_right(self.doc_start, a) - 1
        text = self.doc_texts[d]
        s, e = self._tok_span(a, b)
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
