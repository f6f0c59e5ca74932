"""Re-anchoring of quotes (W3C TextQuoteSelector + TextPositionSelector) in changed sources.

Pure Python, standard library only (never imports textual or rich).

``locate(text, exact, prefix, suffix, hint, previous)`` answers "where is this quote now?" with
an :class:`csto_tui.located.Anchor` (its statuses: :data:`csto_tui.located.STATUSES`):

* **with the previous text** (``previous``: the text the stored ``hint`` indexes into, which
  ``csto-tui sync`` keeps, see :mod:`csto_tui.textstore`), nothing is searched: the quote's
  span is mapped through the diff of ``previous`` against ``text``
  (:func:`csto_tui.textdiff.through`). If ``previous`` does not hold ``exact`` (the dataset's
  quote was edited since), or the span lies in a change too big to diff word by word, the
  search below runs from where the anchor's place went;
* **without it**, :func:`csto_tui.quotesearch.search`: verbatim, then with typography folded
  (:func:`csto_tui.folding.fold`), then fuzzy, where a fuzzy candidate is accepted only when
  its surroundings agree with the stored prefix and suffix: a quote with no context is never
  placed fuzzily. Otherwise it is ``orphaned``.

Also the selectors' context (:func:`context`) and where a quote sits now as best we know,
without I/O (:func:`quote_span`, from :mod:`csto_tui.located`: search needs it without the
machinery above). See docs/anchoring.md.
"""

from __future__ import annotations

from .folding import find_all
from .located import Anchor, quote_span
from .quotesearch import search
from .textdiff import diff, through

__all__ = ["context", "locate", "quote_span"]

#: Characters of context kept either side of a quote (TextQuoteSelector prefix and suffix).
CONTEXT = 32


def context(text: str, start: int, end: int, width: int = CONTEXT) -> tuple[str, str]:
    """TextQuoteSelector prefix and suffix (``width`` characters each, fewer at the edges)
    of the span [start, end) of ``text``."""
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"span [{start}, {end}) outside text of length {len(text)}")
    if width < 0:
        raise ValueError("width must be >= 0")
    return text[max(0, start - width) : start], text[end : end + width]


def locate(
    text: str,
    exact: str,
    prefix: str = "",
    suffix: str = "",
    hint: int | None = None,
    previous: str | None = None,
) -> Anchor:
    """Find the quote ``exact`` in ``text``; see the module docstring.

    ``prefix``/``suffix`` are the stored context (TextQuoteSelector), ``hint`` the stored start
    offset (TextPositionSelector). A hint outside [0, len(text)] is clamped for distance
    purposes and can never yield ``exact``. Raises ValueError when ``exact`` is empty.
    """
    if not exact:
        raise ValueError("exact must be a non-empty string")
    if previous is not None:
        s = _in_previous(previous, exact, hint)
        mapped = through(text, previous, exact, s) if s is not None else None
        if mapped is not None:
            return mapped
        if hint is not None and 0 <= hint <= len(previous) and previous != text:
            # the quote was edited since its anchor was written: search, from where the
            # anchor's place went
            hint = diff(previous, text).map_start(hint)
    return search(text, exact, prefix, suffix, hint)


def _in_previous(previous: str, exact: str, hint: int | None) -> int | None:
    """Where ``exact`` is in the previous text: at ``hint``, else its only occurrence."""
    if hint is not None and 0 <= hint and previous.startswith(exact, hint):
        return hint
    occ = find_all(previous, exact, 2)
    return occ[0] if len(occ) == 1 else None
