"""A selection of a source's text by whole words, as an editor's visual mode moves it.

The source view's keyboard selection (``v``, then ``w``/``b``, ``)``/``(``, ``}``/``{``) is
plain data over the text: :class:`Words` cuts the text into words (runs of characters that are
not white space, punctuation attached, as a quote is cut), sentences (as
:func:`csto_tui.coverage.sentences` cuts them, the one definition check uses) and paragraphs;
:class:`Selection` is a range of words with one moving end. Offsets are code points into the
text the source view shows (``Dataset.text_of``), so ``text[start:end]`` is the passage a quote
would hold, verbatim. No textual here.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace

from .coverage import sentences
from .textsafe import plural

_WORD = re.compile(r"\S+")

#: The units a selection moves by.
UNITS = ("word", "sentence", "paragraph")


class Words:
    """The words of a text, with where its sentences and paragraphs end."""

    def __init__(self, text: str) -> None:
        self.text = text
        spans = [(m.start(), m.end()) for m in _WORD.finditer(text)]
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]
        n = len(spans)
        para_end = [False] * n
        for i in range(n - 1):
            para_end[i] = "\n" in text[self.ends[i]:self.starts[i + 1]]
        if n:
            para_end[-1] = True
        # a sentence as check counts one (an uncited passage is at most one): its one
        # definition, coverage.sentences
        ends = {s.end for s in sentences(text)}
        sent_end = [para_end[i] or self.ends[i] in ends for i in range(n)]
        #: indices of the last word of each unit, by unit
        self._last = {"word": list(range(n)),
                      "sentence": [i for i in range(n) if sent_end[i]],
                      "paragraph": [i for i in range(n) if para_end[i]]}
        #: indices of the first word of each unit, by unit
        self._first = {u: sorted({0, *(i + 1 for i in ends if i + 1 < n)}) if n else []
                       for u, ends in self._last.items()}

    def __len__(self) -> int:
        return len(self.starts)

    def at(self, pos: int) -> int:
        """The word at or after character ``pos`` (the last word if none follows)."""
        i = bisect_right(self.ends, pos)
        return min(i, len(self.starts) - 1)

    def next_end(self, unit: str, i: int) -> int:
        """The last word of the first ``unit`` that ends after word ``i`` (else the last
        word)."""
        ends = self._last[unit]
        k = bisect_right(ends, i)
        return ends[k] if k < len(ends) else len(self.starts) - 1

    def previous_end(self, unit: str, i: int) -> int:
        """The last word of the ``unit`` before the one ending at or after word ``i`` (-1 if
        there is none)."""
        ends = self._last[unit]
        k = bisect_left(ends, i) - 1
        return ends[k] if k >= 0 else -1

    def next_start(self, unit: str, i: int) -> int:
        """The first word of the first ``unit`` that starts after word ``i`` (else past the
        last word)."""
        starts = self._first[unit]
        k = bisect_right(starts, i)
        return starts[k] if k < len(starts) else len(self.starts)

    def previous_start(self, unit: str, i: int) -> int:
        """The first word of the last ``unit`` that starts before word ``i`` (else the first
        word)."""
        starts = self._first[unit]
        k = bisect_left(starts, i) - 1
        return starts[k] if k >= 0 else 0

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Character offsets [start, end) of words ``first`` to ``last``."""
        return self.starts[first], self.ends[last]


@dataclass(frozen=True)
class Selection:
    """Words ``first`` to ``last`` (inclusive) of a text; ``at_end``: the end moves (else the
    start does, after :meth:`swap`). The moving end goes by a unit (word, sentence,
    paragraph) forwards or backwards; moved past the other end, it pushes that end along, so
    the selection is never empty (and ``o`` then ``)`` walks the selection on)."""

    first: int
    last: int
    at_end: bool = True

    @classmethod
    def word_at(cls, words: Words, pos: int) -> Selection:
        i = words.at(pos)
        return cls(i, i)

    @classmethod
    def covering(cls, words: Words, start: int, end: int) -> Selection:
        """The words that overlap [start, end) (at least the word at ``start``)."""
        first = words.at(start)
        last = max(first, bisect_left(words.starts, end) - 1)
        return cls(first, last)

    @classmethod
    def first_sentence(cls, words: Words, start: int, end: int) -> Selection:
        """The words of [start, end) up to the end of the first sentence that starts there:
        what a long span (an uncovered passage) is cited or explained by, one sentence at a
        time."""
        sel = cls.covering(words, start, end)
        return cls(sel.first, min(sel.last, words.next_end("sentence", sel.first - 1)))

    def move(self, words: Words, unit: str, forward: bool) -> Selection:
        """``w``/``)``/``}`` (forward) and ``b``/``(``/``{``: the moving end by one unit."""
        if not len(words):
            return self
        if self.at_end:
            if forward:
                return replace(self, last=words.next_end(unit, self.last))
            last = max(words.previous_end(unit, self.last), 0)
            return replace(self, first=min(self.first, last), last=last)
        if forward:
            first = min(words.next_start(unit, self.first), len(words) - 1)
            return replace(self, first=first, last=max(self.last, first))
        return replace(self, first=words.previous_start(unit, self.first))

    def swap(self) -> Selection:
        """``o``: the other end moves from now on."""
        return replace(self, at_end=not self.at_end)

    def span(self, words: Words) -> tuple[int, int]:
        return words.span(self.first, self.last)


def describe(text: str, start: int, end: int, lead: int = 6) -> str:
    """What is selected, in a line: ``12 words, 74 characters: “The treaty finally got …”``."""
    passage = text[start:end]
    words = passage.split()
    head = " ".join(words[:lead]) + (" \u2026" if len(words) > lead else "")
    return (f"{plural(len(words), 'word')}, {plural(end - start, 'character')}: "
            f"\u201c{head}\u201d")
