"""Which sentences of each source no quote cites (no textual).

A missing fact shows up as an uncited sentence. Sentences left uncited on purpose (opinion,
speculation) are listed in the dataset's ``[[uncited]]`` with a reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .checking import fold
from .model import Dataset

_SENT_END = re.compile(r"(?<=[.!?])[\u201d\"’)]?\s+(?=[\u201c\"A-Z0-9])|\n+")


@dataclass(frozen=True)
class Sentence:
    source: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class SourceCoverage:
    source: str
    sentences: int
    cited: int
    explained: int
    uncovered: tuple[Sentence, ...]


def sentences(text: str, source: str = "") -> list[Sentence]:
    out: list[Sentence] = []
    pos = 0
    for m in _SENT_END.finditer(text):
        end = m.start() + (len(m.group(0)) - len(m.group(0).lstrip("\u201d\"’)")))
        _add(out, text, source, pos, end)
        pos = m.end()
    _add(out, text, source, pos, len(text))
    return out


def _add(out: list[Sentence], text: str, source: str, a: int, b: int) -> None:
    seg = text[a:b]
    stripped = seg.strip()
    if len(stripped) < 3:
        return
    lead = len(seg) - len(seg.lstrip())
    a += lead
    b = a + len(stripped)
    out.append(Sentence(source, a, b, stripped))


def coverage(ds: Dataset) -> list[SourceCoverage]:
    spans: dict[str, list[tuple[int, int]]] = {}
    for q in ds.quotes:
        a = ds.anchors.get(q.id)
        if a is not None and not a.review:
            spans.setdefault(a.source, []).append((a.start, a.end))
    report = []
    for src in ds.sources:
        text = ds.texts.get(src.id)
        if text is None:
            continue
        sents = sentences(text, src.id)
        mine = spans.get(src.id, [])
        explained_keys = [fold(u.text) for u in ds.uncited if u.source == src.id]
        cited = explained = 0
        uncovered = []
        for s in sents:
            if any(a < s.end and b > s.start for a, b in mine):
                cited += 1
            elif any(k and k in fold(s.text) for k in explained_keys):
                explained += 1
            else:
                uncovered.append(s)
        report.append(SourceCoverage(src.id, len(sents), cited, explained, tuple(uncovered)))
    return report
