"""The index: every searchable field of every record, and the full text of the sources, in
flat :mod:`array` columns (about 51 MB at 1000x the shipped data; the records and texts are
the dataset's, referred to, never copied). Lists of word ids, unit ids and positions are
:class:`~.postings.Postings` (two bytes an entry), filled in place by a counting sort.

* a vocabulary (word id -> word; sorted, for prefix lookup with :mod:`bisect`);
* the records' fields ("units", see ``records.py``): their words, and per band (names,
  fields, quotes) the units holding each word. Each word's units are listed best first (a
  short name before a long one, a heavy field before a light one), so that a search can stop
  after the first few hundred and still have the best;
* the source texts: the word of each token, the positions of each word, and a checkpoint per
  piece of about ``CHUNK`` characters from which a token's offsets are found again;
* the typo index (``typos.py``) over the vocabulary.

:meth:`SearchIndex.build_steps` does all of it in small steps; ``ranking.py`` answers queries.
"""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Sequence
from heapq import merge
from itertools import compress
from typing import TYPE_CHECKING, Any, TypeVar

from ..located import quote_span
from .postings import Filling, Postings
from .records import BAND_NAME, SearchKind, Unit, search_kinds
from .text import (
    CLITICS,
    NORM_CACHE,
    PRE_APOS,
    SCAN_RE,
    SPACE_RE,
    has_word,
    norm_raw,
    scan_word,
)
from .typos import TypoIndex

if TYPE_CHECKING:
    from .hits import Hit

__all__ = ["SearchIndex"]

_T = TypeVar("_T")
_K = TypeVar("_K")
#: records whose title and units (and spans of source tokens) :class:`SearchIndex` keeps once
#: a hit showed them
SHOWN = 1024
CHUNK = 256  # source texts are scanned in pieces of about this many characters (cut at spaces)


def _prior(band: int, weight: int, length: int) -> int:
    """Rank (0 best, below 64) of a unit among those holding a word, known before any query:
    for names the shorter the better (a query that is the whole name scores highest), for
    fields the heavier and then the shorter (see ``ranking.score_record``)."""
    if band == BAND_NAME:
        return min(length, 63)
    return max(0, min(63, int(60 - 8 * weight - 10 * min(1.0, 12 / length))))


#: The bucket of a unit, ``band * 64 + _prior(band, weight, length)``, at
#: ``[band][min(weight, 8)][min(length, _LONG)]``, length 1 up (from weight 8 every prior is 0;
#: from length 120 none changes: a name's is 63 from 63, another unit's ``59 - 8 * weight``
#: once ``10 * 12 / length`` is 1 or less, one less at lengths 60-119)
_LONG = 120
_BUCKETS = tuple(tuple(bytes(band * 64 + _prior(band, weight, max(1, n))
                             for n in range(_LONG + 1))
                       for weight in range(9)) for band in range(3))


def _count_into(counts: array[int], ids: array[int]) -> None:
    """Add one to ``counts[w]`` for each ``w`` of ``ids``, and empty ``ids``."""
    for w, c in Counter(ids).items():
        counts[w] += c
    del ids[:]


class _Memo(dict[str, int]):
    """A dict that computes a missing key's value with ``make`` (and is filled by it): looked
    up by ``map(memo.__getitem__, keys)``, a C-level loop for the keys already met."""

    def __init__(self, make: Callable[[str], int]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: str) -> int:
        return self.make(key)


class SearchIndex:
    """An index over one :class:`~csto_tui.dataset.Dataset`; build once, search per keystroke."""

    def __init__(self, kinds: Sequence[SearchKind] | None = None) -> None:
        self.kinds: tuple[SearchKind, ...] = tuple(kinds if kinds is not None
                                                   else search_kinds())
        # vocabulary
        self.words: list[str] = []  # word id -> word
        self.freq = array("I")  # word id -> units and text tokens holding it
        self.sorted_words: list[str] = []
        self.sorted_ids = array("I")
        self.name_sorted: list[str] = []  # words of names and aliases, sorted
        self.name_ids = array("I")  # their ids
        self.typos = TypoIndex(self.words)
        # records, kind by kind in the order of self.kinds
        self.rec_kind = bytearray()  # index in self.kinds
        self.rec_obj: list[Any] = []
        self.rec_unit0 = array("I", [0])  # record r has units rec_unit0[r]:rec_unit0[r + 1]
        self.rec_cited = bytearray()  # quotes citing the record (at most 255)
        self.rec_start = array("i")  # a located record: its span in the source text, or -1
        self.rec_end = array("i")
        self.names: dict[str, str] = {}  # named record id -> name
        self.src_titles: dict[str, str] = {}
        # units (the fields of the records)
        self.unit_rec = array("I")
        self.unit_band = bytearray()
        self.unit_weight = bytearray()
        self.unit_main = bytearray()
        self.unit_off = array("I", [0])  # unit u has words unit_tok[unit_off[u]:unit_off[u + 1]]
        self.unit_tok = array("H")  # word ids ("I" once the vocabulary outgrows 16 bits)
        # per band: units holding each word, best first (word w: post[b].get(w))
        self.post: tuple[Postings, ...] = (Postings(), Postings(), Postings())
        # texts
        self.doc_ids: list[str] = []
        self.doc_titles: list[str] = []
        self.doc_texts: list[str] = []
        self.doc_start = array("I")  # first global token of each document (and a sentinel)
        self.tok_word = array("H")  # word id of each token of the source texts
        self.ck_tok = array("I")  # checkpoints: first token of a piece of text ...
        self.ck_char = array("I")  # ... and the piece's first character in its document
        self.tpost = Postings()  # positions of each word (word w: tpost.get(w))
        # what hits showed of the records lately (each keystroke of a query shows most of the
        # records the last one showed): record -> (title, context line) / its units
        self._titles: dict[int, tuple[str, str]] = {}
        self._units: dict[int, list[Unit]] = {}
        self._spans: dict[tuple[int, int], tuple[int, int]] = {}  # tok_span's, lately

    # ---- building -------------------------------------------------------------------------
    @classmethod
    def build(cls, dataset: Any, kinds: Sequence[SearchKind] | None = None) -> SearchIndex:
        """Index every record and source text of ``dataset`` (all the work is here)."""
        steps = cls.build_steps(dataset, kinds=kinds)
        while True:
            try:
                next(steps)
            except StopIteration as done:
                return done.value

    @classmethod
    def build_steps(cls, dataset: Any, every: int = 256,
                    kinds: Sequence[SearchKind] | None = None,
                    ) -> Generator[None, None, SearchIndex]:
        """:meth:`build` in small steps: yields after about ``every`` records (or ``every * 64``
        tokens, words, postings) and returns the index. A UI runs the steps between key
        presses, so that a big build never holds the interpreter for more than a moment."""
        self = cls(kinds)
        step = every * 64
        words = self.words
        freq = self.freq
        word_ids: dict[str, int] = {}
        counts = (array("I"), array("I"), array("I"))  # per band: units holding each word

        def new_raw(raw: str) -> int:
            """The word id of a raw token not met before (-1 if dropped), noted."""
            if raw[0] in PRE_APOS:
                norm = norm_raw(raw[1:])
                if norm in CLITICS:
                    norm = ""
            else:
                norm = norm_raw(raw)
                if norm == raw:
                    norm = raw  # one string for both (the raw tokens go after the scan)
            if not norm:
                w = -1
            else:
                got = word_ids.get(norm)
                if got is None:
                    w = len(words)
                    word_ids[norm] = w
                    words.append(norm)
                    freq.append(0)
                    for c in counts:
                        c.append(0)
                else:
                    w = got
            raw_ids[raw] = w
            return w

        raw_ids = _Memo(new_raw)  # raw scanned token -> word id, -1 if dropped
        findall = SCAN_RE.findall
        id_of = raw_ids.__getitem__

        def ids_of(text: str, pos: int = 0, endpos: int = 2**62) -> list[int]:
            """Word ids of the tokens of ``text[pos:endpos]``, as tokenize() would give them."""
            ids = list(map(id_of, findall(text, pos, endpos)))
            if -1 in ids:
                ids = [w for w in ids if w >= 0]
            return ids

        names = self.names
        for kind in self.kinds:
            if kind.named:
                for obj in kind.records(dataset):
                    names[obj.id] = obj.name
        yield
        texts: dict[str, str] = {}
        for src in dataset.sources:
            t = dataset.text_of(src.id)
            if not t:
                from ..reading import read_bytes  # a regular file, within the limits

                try:
                    t = read_bytes(src.path).decode("utf-8-sig") if src.path else ""
                except (OSError, UnicodeDecodeError):
                    t = ""
            texts[src.id] = t
        self.src_titles = {src.id: src.title or src.id for src in dataset.sources}
        anchors = getattr(dataset, "anchors", {}) or {}
        yield

        # Records, kind by kind.
        unit_tok = self.unit_tok
        unit_off = self.unit_off
        unit_rec, unit_band = self.unit_rec, self.unit_band
        unit_weight, unit_main = self.unit_weight, self.unit_main
        rec_kind, rec_obj, rec_cited = self.rec_kind, self.rec_obj, self.rec_cited
        rec_unit0, rec_start, rec_end = self.rec_unit0, self.rec_start, self.rec_end
        # units by band and prior (a unit's bucket: _BUCKETS), each bucket in unit order
        by_prior: list[array[int]] = [array("I") for _ in range(3 * 64)]
        buckets = _BUCKETS
        known: dict[str, tuple[list[int], tuple[int, ...]]] = {}  # unit text -> its words
        # per band: the words of units not yet counted into counts[band] (counted by Counter,
        # a batch at a time: a C-level loop instead of one per word)
        uncounted = (array("I"), array("I"), array("I"))
        narrow = True  # unit_tok is still "H"
        tick = 0
        for k, kind in enumerate(self.kinds):
            units_of, located = kind.units, kind.located
            for obj in kind.records(dataset):
                r = len(rec_obj)
                rec_kind.append(k)
                rec_obj.append(obj)
                rec_cited.append(0 if located else min(255, len(getattr(obj, "quotes", ()))))
                for band, weight, _label, text, main in units_of(obj, names):
                    if not text:
                        continue
                    got = known.get(text)
                    if got is None:
                        ids = ids_of(text)
                        got = (ids, tuple(set(ids)))
                        if not located:  # fields repeat (status, kind...), passages less
                            if len(known) >= 1 << 14:  # most repeats, ~2 MB at most
                                known.clear()
                            known[text] = got
                    ids, distinct = got
                    if not ids:
                        continue
                    if narrow and len(words) > 0x10000:
                        self.unit_tok = unit_tok = array("I", unit_tok)
                        narrow = False
                    n = len(ids)
                    by_prior[buckets[band][min(weight, 8)][n if n < _LONG else _LONG]].append(
                        len(unit_rec))
                    unit_tok.extend(ids)
                    unit_off.append(len(unit_tok))
                    unit_rec.append(r)
                    unit_band.append(band)
                    unit_weight.append(weight)
                    unit_main.append(main)
                    todo = uncounted[band]
                    todo.extend(distinct)
                    if len(todo) >= 1 << 12:  # a small Counter: a big one leaves memory held
                        _count_into(counts[band], todo)
                rec_unit0.append(len(unit_rec))
                if located:
                    span = quote_span(obj, texts.get(obj.source), anchors.get(obj.id))
                    rec_start.append(span[0] if span else -1)
                    rec_end.append(span[1] if span else -1)
                else:
                    rec_start.append(-1)
                    rec_end.append(-1)
                tick += 1 + len(unit_rec) - rec_unit0[r]
                if tick >= every:  # every records, or fewer with many fields
                    tick = 0
                    yield
        for b in range(3):
            _count_into(counts[b], uncounted[b])
        del uncounted

        # Source texts: the word of each token, and a checkpoint per piece of text.
        tw = self.tok_word
        ck_tok, ck_char = self.ck_tok, self.ck_char
        space = SPACE_RE.search
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
                end = pos + CHUNK
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
        word_ids.clear()
        yield
        known.clear()
        yield
        nwords = len(words)

        # Positions of each word in the texts (counting sort: no list of Python ints).
        tcount = array("I", [0]) * nwords
        for a in range(0, len(tw), step):
            _count_into(tcount, tw[a:a + step])
            yield
        fill = Filling(tcount)
        for a in range(0, len(tw), step):
            fill.put_positions(tw, a, min(a + step, len(tw)))
            yield
        self.tpost = fill.postings()
        del fill
        c0, c1, c2 = counts
        for w in range(nwords):
            freq[w] = c0[w] + c1[w] + c2[w] + tcount[w]
            if w % step == 0:
                yield
        del tcount

        # Units holding each word, per band, best first: units bucketed by band and prior,
        # then a counting sort per band (stable: in a bucket, in unit order).
        posts = []
        for b in range(3):
            fill = Filling(counts[b])
            lo, cur, last, run_at, run_hi = fill.lo, fill.cur, fill.last, fill.run_at, fill.run_hi
            for p in range(b * 64, b * 64 + 64):
                bucket = by_prior[p]
                for a in range(0, len(bucket), every):
                    for u in bucket[a:a + every]:
                        h = u >> 16
                        v = u & 0xFFFF
                        for w in set(unit_tok[unit_off[u]:unit_off[u + 1]]):  # fill.put(w, u)
                            i = cur[w]
                            if last[w] != h:
                                last[w] = h
                                run_at.append(i)
                                run_hi.append(h)
                            lo[i] = v
                            cur[w] = i + 1
                    yield
                by_prior[p] = array("I")
            del lo, cur, last, run_at, run_hi
            posts.append(fill.postings())
            del fill
            yield
        self.post = tuple(posts)
        del by_prior, c0, c1, c2

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
        # whether each word is in a name or alias: in a unit of the names' band
        name_words = bytearray(map(bool, counts[BAND_NAME]))
        yield
        for k, w in enumerate(sorted_ids):
            if name_words[w]:
                self.name_ids.append(w)
                self.name_sorted.append(words[w])
            if k % (every * 16) == 0:
                yield

        yield from self.typos.build_steps(compress(range(nwords), name_words), every)
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
            elif isinstance(v, Postings):
                n += v.nbytes()
            elif isinstance(v, tuple):
                n += size(v) + sum(x.nbytes() if isinstance(x, Postings) else size(x) for x in v)
            elif isinstance(v, (list, dict)):
                n += size(v)
        n += sum(size(w) for w in self.words)
        return n + self.typos.nbytes()

    def word_id(self, word: str) -> int | None:
        """The id of ``word`` (normalized), or None."""
        sw = self.sorted_words
        i = bisect_left(sw, word)
        if i < len(sw) and sw[i] == word:
            return self.sorted_ids[i]
        return None

    def search(self, query: str, limit: int = 50) -> list[Hit]:
        """The hits for ``query``, best first (see ``ranking.py``)."""
        from .ranking import search

        return search(self, query, limit)

    def upost(self, band: int, w: int) -> Iterable[int]:
        """The units of ``band`` holding word ``w``, best first."""
        return self.post[band].get(w)

    def ucount(self, band: int, w: int) -> int:
        return self.post[band].count(w)

    def tpost_of(self, w: int) -> Iterable[int]:
        """The positions of word ``w`` in the source texts (global token numbers), in order."""
        return self.tpost.get(w)

    def tcount(self, w: int) -> int:
        return self.tpost.count(w)

    def toks(self, u: int) -> tuple[int, ...]:
        return tuple(self.unit_tok[self.unit_off[u]:self.unit_off[u + 1]])

    def ulen(self, u: int) -> int:
        return self.unit_off[u + 1] - self.unit_off[u]

    def units(self, r: int) -> range:
        return range(self.rec_unit0[r], self.rec_unit0[r + 1])

    def kind(self, r: int) -> SearchKind:
        return self.kinds[self.rec_kind[r]]

    def unit(self, r: int, u: int) -> Unit:
        """The (band, weight, label, text, main) of unit ``u`` of record ``r``, derived again
        from the record (nothing is copied; the units of up to :data:`SHOWN` records
        asked for lately are kept)."""
        units = self._units.get(r)
        if units is None:
            units = [x for x in self.kind(r).units(self.rec_obj[r], self.names) if x[3]]
            if len(units) != self.rec_unit0[r + 1] - self.rec_unit0[r]:
                units = [x for x in units if has_word(x[3])]  # the build skipped those
            _remember(self._units, r, units)
        return units[u - self.rec_unit0[r]]

    def title_context(self, r: int) -> tuple[str, str]:
        """The title and context line of a hit on record ``r`` (those of up to
        :data:`SHOWN` records asked for lately are kept)."""
        got = self._titles.get(r)
        if got is None:
            got = self.kind(r).title(self.rec_obj[r], self.names, self.src_titles)
            _remember(self._titles, r, got)
        return got

    def tok_span(self, a: int, b: int) -> tuple[int, int]:
        """Character offsets: start of source token ``a``, end of token ``b`` (same text),
        found again from the checkpoint before ``a`` (up to :data:`SHOWN` spans asked for
        lately are kept: a query typed key by key shows the same passages)."""
        got = self._spans.get((a, b))
        if got is None:
            got = self._tok_span(a, b)
            _remember(self._spans, (a, b), got)
        return got

    def _tok_span(self, a: int, b: int) -> tuple[int, int]:
        c = bisect_right(self.ck_tok, a) - 1
        d = bisect_right(self.doc_start, a) - 1
        text = self.doc_texts[d]
        g = self.ck_tok[c]
        s = -1
        cached = NORM_CACHE.get
        pre = 0
        for m in SCAN_RE.finditer(text, self.ck_char[c]):
            raw = m.group()
            if raw[0] in PRE_APOS or not cached(raw):
                norm, pre = scan_word(raw)
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


def _remember(memo: dict[_K, _T], key: _K, value: _T) -> None:
    """Keep ``value`` for ``key`` (a record, a span of tokens): at most :data:`SHOWN` (then
    the memo starts again: no order kept, nothing a search in another thread could trip
    over)."""
    if len(memo) >= SHOWN:
        memo.clear()
    memo[key] = value
