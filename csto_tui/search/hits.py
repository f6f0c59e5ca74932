"""Hits and their formatting: what a search returns, for the dashboard, the palette and the
CLI alike.

A :class:`Hit` carries its title and a one-line context, with the matched words' ranges in each;
the record's texts are derived again from the record for the hits shown only. The CLI prints
hits one per line through :func:`csto_tui.textsafe.one_line` (control characters made visible),
or as JSON (snake_case keys).
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..textsafe import ALL_CONTROLS, one_line
from ..values import _set, _Value
from .records import BAND_NAME, clip
from .text import CLITICS, PRE_APOS, tokenize

if TYPE_CHECKING:
    from .index import SearchIndex
    from .ranking import Term

__all__ = ["Hit", "format_hits", "group_hits", "kind_cell", "KIND_COLUMN", "KIND_WORDS"]

#: How a row names each kind of hit (the kinds of records, and "text": a source passage).
KIND_WORDS = {"state": "state", "entity": "name", "event": "event", "metric": "figure",
              "relation": "relation", "quote": "quote", "text": "article"}
#: The kind column of a row, on the screen and in ``csto-tui search``: the longest word and
#: two blanks, so that no kind runs into what follows it.
KIND_COLUMN = max(map(len, KIND_WORDS.values())) + 2


def kind_cell(kind: str) -> str:
    """A hit's kind as its row shows it: the word, padded to :data:`KIND_COLUMN`."""
    return f"{KIND_WORDS.get(kind, kind):<{KIND_COLUMN - 2}}  "

CONTEXT = 40  # characters either side of a text match
# fields already shown by a hit's title: such a hit shows the record's own context line
_PLAIN_LABELS = frozenset({"date", "value", "status", "kind", "state"})


class Hit(_Value):
    """One search result.

    ``highlights`` are ``(start, end)`` ranges of matched words inside ``context``;
    ``title_highlights`` the same inside ``title``. For ``quote`` hits ``start``/``end`` locate
    the whole quote in its source text; for ``text`` hits, the matched words
    (``dataset.texts[source][start:end]``).
    """

    __slots__ = _fields = ("kind", "id", "title", "context", "score", "highlights", "source",
                           "start", "end", "title_highlights")
    kind: str
    id: str
    title: str
    context: str
    score: float
    highlights: tuple[tuple[int, int], ...]
    source: str
    start: int | None
    end: int | None
    title_highlights: tuple[tuple[int, int], ...]

    def __init__(self, kind: str, id: str, title: str, context: str, score: float,
                 highlights: tuple[tuple[int, int], ...] = (), source: str = "",
                 start: int | None = None, end: int | None = None,
                 title_highlights: tuple[tuple[int, int], ...] = ()) -> None:
        _set(self, "kind", kind)
        _set(self, "id", id)
        _set(self, "title", title)
        _set(self, "context", context)
        _set(self, "score", score)
        _set(self, "highlights", highlights)
        _set(self, "source", source)
        _set(self, "start", start)
        _set(self, "end", end)
        _set(self, "title_highlights", title_highlights)

    def to_dict(self) -> dict[str, Any]:
        d = {f: getattr(self, f) for f in self._fields}
        d["highlights"] = [list(h) for h in self.highlights]
        d["title_highlights"] = [list(h) for h in self.title_highlights]
        return d


def snippet(text: str, s: int, e: int, radius: int = CONTEXT) -> str:
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


# Characters outside ASCII that tokenize() only ever treats as separators (curly quotes, dashes,
# an ellipsis, a no-break space): a text with no others is a plain text, marked without
# tokenizing it (Marker.marks).
_NOT_PLAIN = re.compile("[^\x00-\x7f\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00a0]")
_RUN = re.compile(r"[^\W_]*", re.ASCII)  # the rest of a word: in a plain text, [a-zA-Z0-9]*


class Marker:
    """Which words of a hit's texts the query matched: ``marker(norm)`` for one normalized
    word, ``marker.marks(text)`` for the ``(start, end)`` ranges of such words in a text.

    In a plain text (ASCII, and separators) every token begins after a character that is not
    a letter or digit, and one that begins with a letter runs to the next such character and
    is, lower-cased, its normalized word. So the words of the query that begin with a letter
    are looked for in the text lower-cased (``str.find``: no regex made for each query,
    whose compiling would cost more than the marking), each found where a token begins and
    kept if it is the whole token (an exact word) or begins it (a prefix), unless it is a
    clitic after an apostrophe ("they're"), which :func:`tokenize` drops. A query with a word
    that begins otherwise (a number: "2,500", "26.5", "20s" are tokens as tokenize() reads
    them, one definition) has every text tokenized."""

    def __init__(self, exact: set[str], prefixes: tuple[str, ...]) -> None:
        self.exact = exact
        self.prefixes = prefixes
        #: (word, whether it must be the whole token) to find in a plain text; None: tokenize
        self._find: tuple[tuple[str, bool], ...] | None = None
        #: the texts marked (a hit's title, context and field are often one text)
        self._marked: dict[str, tuple[tuple[int, int], ...]] = {}
        needles = [*exact, *prefixes]
        if not all(n.isascii() and n[:1].isalpha() and n.isalnum() for n in needles):
            return  # a number, or a needle no plain token begins so: every text tokenized
        starts = sorted(set(prefixes))
        # a prefix that begins with another, or a word that does, marks nothing more
        starts = [p for p in starts if not p.startswith(tuple(q for q in starts if q != p))]
        words = sorted(w for w in exact if not w.startswith(tuple(starts)))
        self._find = (*((p, False) for p in starts), *((w, True) for w in words))

    def __call__(self, norm: str) -> bool:
        return norm in self.exact or (bool(self.prefixes) and norm.startswith(self.prefixes))

    def marks(self, text: str) -> tuple[tuple[int, int], ...]:
        got = self._marked.get(text)
        if got is None:
            got = self._marked[text] = self._marks(text)
        return got

    def _marks(self, text: str) -> tuple[tuple[int, int], ...]:
        if self._find is None or not (text.isascii() or not _NOT_PLAIN.search(text)):
            return tuple((s, e) for norm, s, e in tokenize(text) if self(norm))
        low = text.lower()  # as long as text: ASCII and separators
        found: list[tuple[int, int]] = []
        size = len(low)
        run = _RUN.match
        for needle, whole in self._find:
            i = low.find(needle)
            while i >= 0:
                if i == 0 or not low[i - 1].isalnum():  # a token begins here
                    j = i + len(needle)
                    if j < size and low[j].isalnum():  # and goes on
                        j = -1 if whole else run(low, j).end()  # type: ignore[union-attr]
                    if j >= 0 and not (i and low[i - 1] in PRE_APOS and low[i:j] in CLITICS):
                        found.append((i, j))
                i = low.find(needle, i + 1)
        if len(found) > 1:
            found = sorted(set(found))
        return tuple(found)


def make_marker(index: SearchIndex, terms: Iterable[Term],
                alts: Sequence[tuple[int, ...]]) -> Marker:
    """The words a query matched: its terms' words, the other names it looked for, and the
    prefixes it was typing."""
    terms = list(terms)
    exact = {index.words[w] for t in terms for w in t.words}
    exact.update(index.words[w] for ph in alts for w in ph)
    prefixes = tuple(t.text for t in terms if t.prefix) + tuple(
        p for t in terms for p in t.fuzzy_prefixes
    )
    return Marker(exact, prefixes)


def record_hit(index: SearchIndex, score: float, r: int, u: int, pred: Marker) -> Hit:
    kind = index.kind(r)
    obj = index.rec_obj[r]
    title, rec_context = index.title_context(r)
    label, utext = ("", "") if u < 0 else index.unit(r, u)[2:4]
    if kind.located:
        text = utext if u >= 0 else obj.text
        m = pred.marks(text)
        if m:
            context = snippet(text, m[0][0], m[-1][1] if m[-1][1] - m[0][0] < 60 else m[0][1])
        else:
            context = clip(text)
        if label != "quote" and label:
            context = f"{label}: {context}"
    elif (u < 0 or index.unit_main[u] or index.unit_band[u] == BAND_NAME
          or label in _PLAIN_LABELS):
        context = clip(rec_context)
        if label == "alias":
            context = clip(f"aka {utext} \u00b7 {rec_context}")
    else:
        m = pred.marks(utext)
        body = snippet(utext, m[0][0], m[0][1]) if m else clip(utext)
        context = f"{label}: {body}"
    source = ""
    start = end = None
    if kind.located:
        source = obj.source
        if index.rec_start[r] >= 0:
            start, end = index.rec_start[r], index.rec_end[r]
    return Hit(
        kind=kind.name,
        id=obj.id,
        title=title,
        context=context,
        score=round(score, 3),
        highlights=pred.marks(context),
        source=source,
        start=start,
        end=end,
        title_highlights=pred.marks(title),
    )


def text_hit(index: SearchIndex, score: float, a: int, b: int, pred: Marker) -> Hit:
    d = bisect_right(index.doc_start, a) - 1
    text = index.doc_texts[d]
    s, e = index.tok_span(a, b)
    context = snippet(text, s, e)
    title = index.doc_titles[d]
    return Hit(
        kind="text",
        id=index.doc_ids[d],
        title=title,
        context=context,
        score=round(score, 3),
        highlights=pred.marks(context),
        source=index.doc_ids[d],
        start=s,
        end=e,
        title_highlights=pred.marks(title),
    )


def group_hits(hits: Sequence[Hit]) -> list[Hit]:
    """The hits grouped by kind, each kind where its best hit ranks, ranked order kept within
    each kind (grouping is an option of the view; the ranking is one list)."""
    by_kind: dict[str, list[Hit]] = {}
    for h in hits:
        by_kind.setdefault(h.kind, []).append(h)
    return [h for group in by_kind.values() for h in group]


# ---- output -------------------------------------------------------------------------------

_JSON_UNSAFE = {c: f"\\u{c:04x}" for c in ALL_CONTROLS if c >= 0x7F}


def hit_line(h: Hit) -> str:
    """One hit as one printable line: kind, where, title and context."""
    where = h.id
    if h.kind == "text" and h.start is not None:
        where = f"{h.id}@{h.start}-{h.end}"
    line = f"{kind_cell(h.kind)}{one_line(where)}  {one_line(h.title)}"
    if h.context:
        line += f"  \u2014 {one_line(h.context)}"
    return line


def format_hits(hits: Sequence[Hit], fmt: str = "text", group: bool = False) -> str:
    """Plain text (one ranked line per hit, or grouped by kind with ``group``) or a JSON list
    of objects with snake_case keys, in ranked order with their ``rank`` (from 1)."""
    if fmt == "json":
        rows = [{"rank": i, **h.to_dict()} for i, h in enumerate(hits, 1)]
        return json.dumps(rows, ensure_ascii=False, indent=2).translate(_JSON_UNSAFE)
    if fmt != "text":
        raise ValueError(f"unknown format {fmt!r} (text or json)")
    width = len(str(len(hits)))
    lines: list[str] = []
    if not group:
        return "\n".join(f"{i:>{width}}. {hit_line(h)}" for i, h in enumerate(hits, 1))
    rank = {id(h): i for i, h in enumerate(hits, 1)}
    kind = None
    for h in group_hits(hits):
        if h.kind != kind:
            kind = h.kind
            n = sum(1 for x in hits if x.kind == kind)
            lines.append(f"{KIND_WORDS.get(kind, kind)} ({n})")
        lines.append(f"  {rank[id(h)]:>{width}}. {hit_line(h)}")
    return "\n".join(lines)
