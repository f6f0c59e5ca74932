"""How much of each source the dataset covers, counted in characters (no textual).

A character of a source (whitespace aside) is **quoted** when a settled quote's anchor spans
it, **explained** when an ``[[uncited]]`` passage spans it, and **uncovered** otherwise. A
missing fact shows up as an uncovered passage. An uncited passage is verbatim, at most one
sentence, and gives one reason from :data:`UNCITED_REASONS`; :func:`uncited_problems` checks
that (``csto-tui check`` reports them).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .checking import fold
from .dataset import Dataset
from .errors import Problem
from .model import Uncited
from .values import _set, _Value
from .vocabulary import UNCITED_REASONS

__all__ = ["SPACES", "UNCITED_REASONS", "Passage", "Sentence", "SourceCoverage", "coverage",
           "sentences", "uncited_problems", "uncited_span"]

_SENT_END = re.compile(r"(?<=[.!?])[\u201d\"’)]?\s+(?=[\u201c\"A-Z0-9])|\n+")


class Sentence(_Value):
    __slots__ = _fields = ("source", "start", "end", "text")

    source: str
    start: int
    end: int
    text: str

    def __init__(self, source: str, start: int, end: int, text: str) -> None:
        _set(self, "source", source)
        _set(self, "start", start)
        _set(self, "end", end)
        _set(self, "text", text)


#: an uncovered passage of a source: [start, end) in code points
Passage = Sentence


class SourceCoverage(_Value):
    __slots__ = _fields = ("source", "chars", "quoted", "explained", "uncovered")

    source: str
    #: characters of the source, whitespace aside
    chars: int
    #: of those, inside a quote
    quoted: int
    #: of those, not quoted but inside an explained uncited passage
    explained: int
    #: the maximal runs of characters neither quoted nor explained
    uncovered: tuple[Passage, ...]

    def __init__(
        self,
        source: str,
        chars: int,
        quoted: int,
        explained: int,
        uncovered: tuple[Passage, ...],
    ) -> None:
        _set(self, "source", source)
        _set(self, "chars", chars)
        _set(self, "quoted", quoted)
        _set(self, "explained", explained)
        _set(self, "uncovered", uncovered)

    @property
    def uncovered_chars(self) -> int:
        return self.chars - self.quoted - self.explained

    @property
    def uncovered_share(self) -> float:
        """Share of the source's characters (whitespace aside) neither quoted nor explained."""
        return self.uncovered_chars / self.chars if self.chars else 0.0


def sentences(text: str, source: str = "") -> list[Sentence]:
    """The sentences of a text, the one definition of a sentence: one ends after a full stop,
    question or exclamation mark (and a closing quotation mark or bracket) followed by white
    space and a capital, a digit or an opening quotation mark, and at every line end. Check
    holds an uncited passage to one of them; the source view's selection moves by them
    (:class:`csto_tui.selection.Words`)."""
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
    if not stripped:
        return
    lead = len(seg) - len(seg.lstrip())
    a += lead
    b = a + len(stripped)
    out.append(Sentence(source, a, b, stripped))


def uncited_span(text: str, u: Uncited) -> tuple[int, int] | None:
    """Where an uncited passage sits in its source's text: its only verbatim occurrence."""
    if not u.text.strip():
        return None
    at = text.find(u.text)
    if at < 0 or text.find(u.text, at + 1) >= 0:
        return None
    return at, at + len(u.text)


def coverage(ds: Dataset, only: str | None = None) -> list[SourceCoverage]:
    """The coverage of each source (of the source ``only``, when given)."""
    quoted: dict[str, list[tuple[int, int]]] = {}
    for q in ds.quotes:
        if only is not None and q.source != only:
            continue
        an = ds.anchors.get(q.id)
        # only an anchor that holds the quote's current text: a quote edited since its last
        # sync covers nothing until it is anchored again
        if (an is not None and not an.review and an.source == q.source
                and (an.exact == q.text or fold(an.exact) == fold(q.text))):
            quoted.setdefault(an.source, []).append((an.start, an.end))
    uncited: dict[str, list[Uncited]] = {}
    for u in ds.uncited:
        if u.reason in UNCITED_REASONS:
            uncited.setdefault(u.source, []).append(u)
    report = []
    for src in ds.sources:
        text = ds.texts.get(src.id)
        if text is None or only is not None and src.id != only:
            continue
        explained: list[tuple[int, int]] = []
        sents: list[Sentence] | None = None  # found only for a source with uncited passages
        for u in uncited.get(src.id, ()):
            span = uncited_span(text, u)
            if span is not None:
                if sents is None:
                    sents = sentences(text)
                if _one_sentence(sents, *span):
                    explained.append(span)
        report.append(_cover(text, src.id, quoted.get(src.id, []), explained))
    return report


#: every character str.isspace() accepts (a test holds the two equal)
SPACES = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
          "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


def _cover(text: str, source: str, quoted: list[tuple[int, int]],
           explained: list[tuple[int, int]]) -> SourceCoverage:
    """A source's coverage, worked out span by span (never character by character): the
    characters (whitespace aside) inside its quoted spans, inside its explained spans but no
    quoted one, and the maximal runs of the others (whitespace, covered or not, never ends a
    run)."""
    n = len(text)
    spaces = [c for c in SPACES if c in text]

    def solid(a: int, b: int) -> int:  # characters in [a, b), whitespace aside
        k = b - a
        for c in spaces:
            k -= text.count(c, a, b)
        return k

    q_spans = _union(quoted, n)
    covered = _union(q_spans + explained, n) if explained else q_spans
    covered_chars = 0
    uncovered: list[Passage] = []
    run = 0  # where the uncovered run being followed starts
    for a, b in covered:
        chars = solid(a, b)
        if chars:  # (covered whitespace only: the run goes on past it)
            covered_chars += chars
            _run(uncovered, text, source, run, a)
            run = b
    _run(uncovered, text, source, run, n)
    q_chars = sum(solid(a, b) for a, b in q_spans) if explained else covered_chars
    return SourceCoverage(source, solid(0, n), q_chars, covered_chars - q_chars,
                          tuple(uncovered))


def _union(spans: list[tuple[int, int]], n: int) -> list[tuple[int, int]]:
    """The spans, held to [0, n), empty ones dropped, as sorted disjoint spans (touching ones
    joined)."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        a, b = max(0, a), min(n, b)
        if a >= b:
            continue
        if out and a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _run(out: list[Passage], text: str, source: str, a: int, b: int) -> None:
    """The uncovered passage of [a, b), a stretch no covered character interrupts: from its
    first character to its last, whitespace aside (none if it is all whitespace)."""
    seg = text[a:b]
    rest = seg.lstrip()
    if rest:
        start = a + len(seg) - len(rest)
        rest = rest.rstrip()
        out.append(Passage(source, start, start + len(rest), rest))


def _one_sentence(sents: list[Sentence], a: int, b: int) -> bool:
    """Whether [a, b) lies within one sentence."""
    return any(s.start <= a and b <= s.end for s in sents)


def uncited_problems(ds: Dataset) -> list[Problem]:
    """Each uncited passage that is not verbatim once in its source, spans more than one
    sentence, or overlaps a quote (then it is cited after all: remove it or shorten it)."""
    out: list[Problem] = []
    finder = _UncitedFinder(ds.files)
    sents: dict[str, list[Sentence]] = {}  # source id -> its sentences, found once
    # source id -> (quote id, anchor) of each quote anchored in it, in the quotes' order:
    # made when a passage needs it
    anchored: dict[str, list[tuple[str, Any]]] | None = None
    for u in ds.uncited:
        text = ds.texts.get(u.source)
        if text is None:
            continue
        msg = ""
        span = uncited_span(text, u) if u.text.strip() else None
        if not u.text.strip():
            msg = "is blank"
        elif span is None:
            count = text.count(u.text)
            msg = (f"is not verbatim in source {u.source!r}: an uncited passage is the source's "
                   "own words" if count == 0 else
                   f"occurs {count} times in source {u.source!r}: lengthen it so that it is "
                   "found once")
        elif not _one_sentence(sents.get(u.source) or sents.setdefault(u.source,
                                                                      sentences(text)), *span):
            msg = ("spans more than one sentence: an uncited passage is at most one sentence "
                   "(split it into one entry per sentence)")
        else:
            a, b = span
            if anchored is None:
                anchored = {}
                for q in ds.quotes:
                    an = ds.anchors.get(q.id)
                    if an is not None:
                        anchored.setdefault(an.source, []).append((q.id, an))
            for qid, an in anchored.get(u.source, ()):
                if (an.start < b and an.end > a
                        and text[an.start:an.end] == an.exact):  # a stale anchor is its own error
                    msg = (f"overlaps quote {qid!r}: a passage is either quoted or explained "
                           "as uncited (shorten the passage, or drop it)")
                    break
        if msg:
            file, line, col = finder.find(u)
            out.append(Problem("uncited", msg, file, line, col, f"uncited[{u.source}]", "text"))
    return out


class _UncitedFinder:
    """file:line:col of an uncited entry's ``text`` value, found in the data files."""

    def __init__(self, files: tuple[Path, ...]) -> None:
        self.files = files
        self._lines: dict[Path, list[str]] = {}

    def find(self, u: Uncited) -> tuple[str, int | None, int | None]:
        """The first ``text = `` line holding the start of ``u.text`` in an ``[[uncited]]``
        table (not another record's prose that happens to hold such a line)."""
        key = u.text[:60]
        for f in self.files:
            lines = self._lines.get(f)
            if lines is None:
                try:
                    lines = f.read_text(encoding="utf-8", errors="replace").splitlines()
                except OSError:
                    lines = []
                self._lines[f] = lines
            table = ""
            for n, line in enumerate(lines, 1):
                head = line.strip()
                if head.startswith("[") and head.endswith("]") and '"' not in head:
                    table = head.replace(" ", "")  # a table's header
                    continue
                col = line.find(key)
                if col >= 0 and table == "[[uncited]]" and re.match(r"\s*text\s*=", line):
                    return str(f), n, col
        return (str(self.files[0]) if self.files else ""), None, None
