"""Hits and their formatting: what a search returns, for the dashboard, the palette and the
CLI alike.

A :class:`Hit` carries its title and a one-line context, with the matched words' ranges in each;
the record's texts are derived again from the record for the hits shown only. The CLI prints
hits one per line through :func:`csto_tui.textsafe.one_line` (control characters made visible),
or as JSON (snake_case keys).
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from ..textsafe import ALL_CONTROLS, one_line
from .records import BAND_NAME, clip
from .text import tokenize

if TYPE_CHECKING:
    from .index import SearchIndex
    from .ranking import Term

__all__ = ["Hit", "format_hits", "group_hits", "KIND_WORDS"]

#: How a row names each kind of hit (the kinds of records, and "text": a source passage).
KIND_WORDS = {"state": "state", "entity": "name", "event": "event", "metric": "figure",
              "quote": "quote", "text": "article"}

CONTEXT = 40  # characters either side of a text match
# fields already shown by a hit's title: such a hit shows the record's own context line
_PLAIN_LABELS = frozenset({"date", "value", "status", "kind", "state"})


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


Predicate = Callable[[str], bool]


def make_predicate(index: SearchIndex, terms: Iterable[Term],
                   alts: Sequence[tuple[int, ...]]) -> Predicate:
    """Whether a (normalized) word of a hit's text is one the query matched."""
    terms = list(terms)
    exact = {index.words[w] for t in terms for w in t.words}
    exact.update(index.words[w] for ph in alts for w in ph)
    prefixes = tuple(t.text for t in terms if t.prefix) + tuple(
        p for t in terms for p in t.fuzzy_prefixes
    )

    def pred(norm: str) -> bool:
        return norm in exact or (bool(prefixes) and norm.startswith(prefixes))

    return pred


def marks(text: str, pred: Predicate) -> tuple[tuple[int, int], ...]:
    return tuple((s, e) for norm, s, e in tokenize(text) if pred(norm))


def record_hit(index: SearchIndex, score: float, r: int, u: int, pred: Predicate) -> Hit:
    kind = index.kind(r)
    obj = index.rec_obj[r]
    title, rec_context = index.title_context(r)
    label, utext = ("", "") if u < 0 else index.unit(r, u)[2:4]
    if kind.located:
        text = utext if u >= 0 else obj.text
        m = marks(text, pred)
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
        m = marks(utext, pred)
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
        highlights=marks(context, pred),
        source=source,
        start=start,
        end=end,
        title_highlights=marks(title, pred),
    )


def text_hit(index: SearchIndex, score: float, a: int, b: int, pred: Predicate) -> Hit:
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
        highlights=marks(context, pred),
        source=index.doc_ids[d],
        start=s,
        end=e,
        title_highlights=marks(title, pred),
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
    line = f"{KIND_WORDS.get(h.kind, h.kind):<7} {one_line(where)}  {one_line(h.title)}"
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
