"""Long quotes (csto_tui/quotesearch.py, csto_tui/textdiff.py): a quote as long as a whole 1 MB
article, with one word changed, is placed as fuzzy at its place with and without the previous
text, in time linear in its length (benchmarks/anchoring_bounds.py prints the times: well under
a second, where it once took most of an hour). Rows of docs/robustness.md."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from csto_tui import quotesearch, textdiff
from csto_tui.anchoring import context, locate

ROOT = Path(__file__).resolve().parent.parent


def _article(size: int, seed: int = 1) -> str:
    words = (ROOT / "seeds" / "000_3015bca6c6aaec53.txt").read_text(encoding="utf-8").split()
    rng = random.Random(seed)
    out: list[str] = []
    n = 0
    while n < size:
        w = rng.choice(words)
        out.append(w)
        n += len(w) + 1
    return " ".join(out)


@pytest.fixture(scope="module")
def long_quote() -> tuple[str, str, int, int, str]:
    """(text, quote, start, end, the text with one word of the quote changed)."""
    body = _article(1_000_000)
    text = "An opening line.\n" + body + "\nA closing line.\n"
    start = text.index(body)
    end = start + len(body)
    mid = text.index(" ", (start + end) // 2)
    nxt = text.index(" ", mid + 1)
    changed = text[:mid + 1] + "XYZZY" + text[nxt:]
    return text, body, start, end, changed


def test_a_one_mb_quote_with_one_word_changed_is_fuzzy_at_its_place(long_quote) -> None:
    text, quote, start, end, changed = long_quote
    assert len(quote) > quotesearch.LONG_QUOTE
    prefix, suffix = context(text, start, end)
    shift = len(changed) - len(text)
    for hint in (None, start):
        a = locate(changed, quote, prefix, suffix, hint=hint)
        assert (a.status, a.start, a.end) == ("fuzzy", start, end + shift)
        assert a.score > 0.99
    a = locate(changed, quote, prefix, suffix, hint=start, previous=text)
    assert (a.status, a.start, a.end) == ("fuzzy", start, end + shift)
    (old, new), = a.changes
    assert new == "XYZZY" and old and " " not in old


def test_a_long_quote_that_is_gone_or_doubled(long_quote) -> None:
    text, quote, start, end, changed = long_quote
    prefix, suffix = context(text, start, end)
    other = _article(len(quote), seed=2)  # another article of the same words
    assert locate(other, quote, prefix, suffix).status == "orphaned"
    assert locate(changed, quote).status == "orphaned"  # no context: never placed fuzzily
    doubled = changed + "\n" + changed
    a = locate(doubled, quote, prefix, suffix)
    assert a.status == "ambiguous"
    a = locate(doubled, quote, prefix, suffix, hint=start)
    assert (a.status, a.start) == ("fuzzy", start)


def test_word_diffs_of_long_texts_are_bounded() -> None:
    """The review's word diff and a fuzzy quote's changes align only what lies between the
    common head and tail; a middle too long to align is one change."""
    old = _article(200_000)
    new = old.replace(" ", "  ", 1)
    pieces = textdiff.word_diff(old, new)
    assert "".join(p for op, p in pieces if op != "+") == old
    assert "".join(p for op, p in pieces if op != "-") == new
    other = _article(200_000, seed=3)
    pieces = textdiff.word_diff(old, other)
    assert [op for op, _ in pieces if op != "="] == ["-", "+"] or len(pieces) > 2
    assert "".join(p for op, p in pieces if op != "+") == old
    assert "".join(p for op, p in pieces if op != "-") == other
