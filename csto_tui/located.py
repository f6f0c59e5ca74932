"""What locating a quote found: :class:`Anchor`, a result (where the quote is now and how sure
that is), apart from the stored selector it was located from (:class:`csto_tui.model.Anchor`).
Pure Python, standard library only.

``status`` is one of :data:`STATUSES`:

``exact``
    verbatim at the hinted position (``text.startswith(exact, hint)``), or, without a hint,
    verbatim exactly once.
``moved``
    verbatim elsewhere. Several verbatim occurrences are ranked by context similarity (prefix
    and suffix, compared after folding); candidates whose context scores lie within
    ``TIE_MARGIN`` of the best are separated by distance from the hint.
``normalized``
    found once typography is folded (:func:`csto_tui.folding.fold`); offsets are always
    code-point offsets into the *original* text.
``fuzzy``
    an approximate match (a word changed, inserted or deleted). ``score`` is the word-level
    similarity (difflib ratio of the lower-cased word sequences); ``changes`` says what changed
    (stored words, words now) when it is known from the previous text.
``ambiguous``
    several equally good places; ``start``/``end`` give the first best candidate so a UI can
    show it.
``orphaned``
    not there any more: ``start``/``end`` are None, ``found`` is "" and ``score`` 0.

Also :func:`quote_span`, where a quote sits now as best we know (no I/O): search needs it
without the machinery of :mod:`csto_tui.anchoring` (difflib, the quote search, the diff).
"""

from __future__ import annotations

from typing import Any

from .values import _set, _Value
from .vocabulary import ORPHANED, QUOTE_STATUSES

__all__ = ["Anchor", "ORPHAN", "STATUSES", "quote_span"]

#: The statuses locating gives (:data:`csto_tui.vocabulary.QUOTE_STATUSES` has them all).
STATUSES: tuple[str, ...] = tuple(s.name for s in QUOTE_STATUSES if s.located)


class Anchor(_Value):
    """Where a quote sits in a text now.

    ``start``/``end`` are code-point offsets into the searched text (end exclusive), None when
    orphaned; ``found`` is ``text[start:end]`` ("" when orphaned); ``score`` is in 0..1.
    """

    __slots__ = _fields = ("status", "start", "end", "score", "found", "changes")

    status: str
    start: int | None
    end: int | None
    score: float
    found: str
    #: what an edit changed inside the quote (stored wording, wording now), for ``fuzzy``
    changes: tuple[tuple[str, str], ...]

    def __init__(
        self,
        status: str,
        start: int | None,
        end: int | None,
        score: float,
        found: str,
        changes: tuple[tuple[str, str], ...] = (),
    ) -> None:
        _set(self, "status", status)
        _set(self, "start", start)
        _set(self, "end", end)
        _set(self, "score", score)
        _set(self, "found", found)
        _set(self, "changes", changes)

    @property
    def located(self) -> bool:
        """True unless orphaned."""
        return self.start is not None




#: The answer for a quote that is not there any more.
ORPHAN = Anchor(ORPHANED, None, None, 0.0, "")


def quote_span(q: Any, text: str | None, anchor: Any | None) -> tuple[int, int] | None:
    """Where quote ``q`` sits in its source ``text`` now, as best we know (no I/O): its
    stored ``anchor`` while the text there is still the anchor's exact text, else where a
    re-anchoring found it, else the quote's first verbatim occurrence. The one rule for the
    panes, the source view and search."""
    if text is None:
        return None
    a = anchor
    if a is not None and a.source == q.source:
        if 0 <= a.start <= a.end <= len(text) and text[a.start:a.end] == a.exact:
            return a.start, a.end
        if a.found_start is not None and a.found_end is not None \
                and 0 <= a.found_start <= a.found_end <= len(text):
            return a.found_start, a.found_end
    i = text.find(q.text) if q.text else -1
    if i >= 0:
        return i, i + len(q.text)
    return None
