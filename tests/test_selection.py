"""The source view's keyboard selection as data (csto_tui/selection.py): words, sentences and
paragraphs of a text, a selection moved by them, always on word boundaries."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from csto_tui.coverage import sentences
from csto_tui.selection import UNITS, Selection, Words, describe

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "seeds" / "000_3015bca6c6aaec53.txt").read_text(encoding="utf-8")

TEXT = ("The treaty came into force in 1994. It was “a loose club.” Was it?\n\n"
        "A second paragraph, with one sentence\n"
        "Then a line of its own.")


def picked(words: Words, sel: Selection) -> str:
    s, e = sel.span(words)
    return words.text[s:e]


def test_sentences_end_at_stops_closing_quotes_and_paragraph_ends() -> None:
    w = Words(TEXT)
    sel = Selection.word_at(w, 0)
    assert picked(w, sel) == "The"
    sel = sel.move(w, "sentence", True)
    assert picked(w, sel) == "The treaty came into force in 1994."
    sel = sel.move(w, "sentence", True)
    assert picked(w, sel).endswith("“a loose club.”")
    sel = sel.move(w, "sentence", True)
    assert picked(w, sel).endswith("Was it?")
    # no stop before the line end: the paragraph's end ends the sentence
    sel = sel.move(w, "sentence", True)
    assert picked(w, sel).endswith("with one sentence")
    sel = sel.move(w, "sentence", False).move(w, "sentence", False)
    assert picked(w, sel).endswith("“a loose club.”")


def test_paragraphs_and_words() -> None:
    w = Words(TEXT)
    sel = Selection.word_at(w, 0).move(w, "paragraph", True)
    assert picked(w, sel) == TEXT.split("\n\n")[0]
    sel = sel.move(w, "word", True)
    assert picked(w, sel).endswith("\n\nA")
    sel = sel.move(w, "word", False).move(w, "word", False)
    assert picked(w, sel).endswith("Was")


def test_shrinking_stops_at_the_first_word() -> None:
    w = Words(TEXT)
    sel = Selection.word_at(w, TEXT.index("It was"))
    assert sel.move(w, "sentence", False) == Selection(w.at(TEXT.index("1994")),
                                                       w.at(TEXT.index("1994")))
    sel = sel.move(w, "sentence", True)
    assert picked(w, sel) == "It was “a loose club.”"
    # the end cannot go back past the start: it pushes it along
    back = sel.move(w, "paragraph", False)
    assert back.first == back.last == 0


def test_the_other_end_moves_after_o() -> None:
    w = Words(TEXT)
    sel = Selection.word_at(w, 0).move(w, "sentence", True).move(w, "sentence", True)
    sel = sel.swap().move(w, "word", True)
    assert picked(w, sel).startswith("treaty came")
    sel = sel.move(w, "sentence", True)
    assert picked(w, sel) == "It was “a loose club.”"
    # walking the start past the end pushes the end along (o then ) walks on)
    sel = sel.move(w, "sentence", True)
    assert picked(w, sel) == "Was"
    sel = sel.move(w, "word", False).move(w, "sentence", False)
    assert picked(w, sel).startswith("It was")


def test_describe_says_words_characters_and_the_first_words() -> None:
    assert describe(TEXT, 0, 35) == ("7 words, 35 characters: "
                                     "\u201cThe treaty came into force in \u2026\u201d")
    assert describe("one", 0, 3) == "1 word, 3 characters: \u201cone\u201d"


def test_an_empty_text_has_no_words() -> None:
    w = Words("  \n ")
    assert len(w) == 0
    assert Selection(0, 0).move(w, "word", True) == Selection(0, 0)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, len(SEED) - 1),
       st.lists(st.tuples(st.sampled_from(UNITS), st.booleans(), st.booleans()), max_size=25))
def test_any_selection_of_a_seed_is_whole_words(pos: int,
                                                moves: list[tuple[str, bool, bool]]) -> None:
    """Whatever the keys, the selection starts and ends on word boundaries of the seed (spun
    punctuation and curly quotes included) and holds at least one word."""
    w = Words(SEED)
    sel = Selection.word_at(w, pos)
    for unit, forward, swap in moves:
        sel = (sel.swap() if swap else sel).move(w, unit, forward)
        s, e = sel.span(w)
        assert 0 <= s < e <= len(SEED)
        assert s == 0 or SEED[s - 1].isspace()
        assert e == len(SEED) or SEED[e].isspace()
        assert not SEED[s].isspace() and not SEED[e - 1].isspace()
        assert sel.first <= sel.last


def test_covering_takes_the_words_a_span_touches() -> None:
    w = Words(TEXT)
    s = TEXT.index("came into")
    sel = Selection.covering(w, s + 1, s + len("came in"))
    assert picked(w, sel) == "came into"
    # a span ending on white space stops at the word before it
    sel = Selection.covering(w, 0, TEXT.index(" It was") + 1)
    assert picked(w, sel) == "The treaty came into force in 1994."


def test_first_sentence_of_a_long_span() -> None:
    w = Words(TEXT)
    sel = Selection.first_sentence(w, 0, len(TEXT))
    assert picked(w, sel) == "The treaty came into force in 1994."
    s = TEXT.index("was")
    sel = Selection.first_sentence(w, s, len(TEXT))
    assert picked(w, sel) == "was “a loose club.”"
    # a span within one sentence: all of it
    sel = Selection.first_sentence(w, 0, len("The treaty"))
    assert picked(w, sel) == "The treaty"


ABBREVIATED = ("The U.S. embassy said the envoys met at 9 a.m. on Friday, e.g. to talk. "
               "Nothing followed.")


def test_a_sentence_is_what_check_counts_as_one_abbreviations_and_all() -> None:
    """``)`` selects a sentence as check counts it (coverage.sentences, the one definition):
    a full stop inside "U.S." or "a.m." does not end it (it did: ``)`` stopped at "U.S.", so
    the coverage view's first sentence and the selection made from it differed)."""
    w = Words(ABBREVIATED)
    sel = Selection.word_at(w, 0).move(w, "sentence", True)
    assert picked(w, sel) == sentences(ABBREVIATED)[0].text
    assert picked(w, sel).endswith("to talk.")
    first = Selection.first_sentence(w, 0, len(ABBREVIATED))
    assert picked(w, first) == picked(w, sel)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["The", "U.S.", "army", "left.", "Why?", "it", "said:",
                                 "\u201cNo.\u201d", "Then", "1994.", "e.g.", "\n", "\n\n",
                                 "Mr.", "(in", "2020).", "ok!"]), min_size=1, max_size=40))
def test_sentence_steps_are_coverages_sentences(parts: list[str]) -> None:
    """From the first word of each sentence check counts, the selection's sentence (what
    ``v`` on an uncovered passage selects, and ``)`` extends to) is exactly that sentence."""
    text = " ".join(parts)
    w = Words(text)
    for s in sentences(text):
        sel = Selection.first_sentence(w, s.start, len(text))
        assert sel.span(w) == (s.start, s.end), (s.text, picked(w, sel))
        if sel.first == sel.last:
            continue
        one = Selection.word_at(w, s.start).move(w, "sentence", True)
        assert one.span(w) == (s.start, s.end)
