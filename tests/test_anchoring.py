"""Tests of csto_tui.anchoring: re-anchoring real seed quotes in edited copies of the seeds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from csto_tui.anchoring import context, locate
from csto_tui.folding import fold
from csto_tui.located import STATUSES, Anchor
from csto_tui.values import FrozenInstanceError

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
A1 = (SEEDS / "000_3015bca6c6aaec53.txt").read_text(encoding="utf-8")
A2 = (SEEDS / "001_c73d3d911059dc49.txt").read_text(encoding="utf-8")

Q1 = [
    "2,500 of its troops entered Kazakhstan to help in restoring order",
    "The Kyrgyz authorities had sought assist from the CSTO in 2010",
    "In 2021, Tajikistan declared not enough was being completed by the CSTO to assist it cope "
    "with instability in neighboring Afghanistan.",
    "In 2020, Armenia called on the CSTO for aid throughout its battle with Azerbaijan",
    "Uzbekistan, which rejoined the CSTO in 2006 and left once more in 2012, stays the highest "
    "precedence for the Kremlin.",
    "In early 2019, Armenia deployed dozens of its soldiers to Syria for a “Russian-backed "
    "demining and humanitarian mission.”",
    "the intervention in Kazakhstan was the CSTO’s first notable operation",
    "three of the 9 members—Azerbaijan, Georgia and Uzbekistan—selected to depart in 1999",
    "creating the CSTO Collective Rapid Reaction Forces in 2009",
    "Belarusian President Alexander Lukashenko did not appeal to the CSTO for assistance in 2020",
    "The CSTO can be prone to take a bigger function in mediating disagreements between member "
    "states",
]
Q2 = [
    "This led to the signing of the Collective Safety Treaty (CST), which got here into impact "
    "in 1994",
    "In September 2010, the CSTO additionally refrainedfrom intervening to assist Tajikistan "
    "suppress rising militancy within the nation.",
    "And in 2021, Tajikistan’s management complained in regards to the CSTO’s lack of help as "
    "U.S. troops pulled out of neighboring Afghanistan.",
    "2,500 CSTO troops have been despatched in to safe Kazakhstan’s vital infrastructure",
    "the Russian-led CSTO intervention efficiently left every week later",
    "accounted for greater than 26 p.c of Tajikistan’s gross home product (GDP) in 2020",
    "And all CSTO members aside from Tajikistan are additionally members of the Russian-led "
    "financial bloc, the Eurasian Financial Union (EAEU).",
    "The CSTO has additionally been used to handle the border dispute between Tajikistan and "
    "Kyrgyzstan.",
    "a Collective Fast Response Pressure—“designed to reply shortly to the challenges and threats "
    "to the safety of the CSTO member states”—and a joint air protection system",
    "Whether or not member states will be satisfied or coerced by Russia to intervene in Ukraine "
    "is but to be seen.",
    "Russia’s makes an attempt to construct an alliance between former Soviet states started "
    "shortly after the Soviet collapse in 1991.",
]
ALL = [(A1, q) for q in Q1] + [(A2, q) for q in Q2]
IDS = [q[:30] for _, q in ALL]

TAJIK_2021 = Q1[2]
A2_FIRST = Q2[10]
A2_LAST = Q2[9]


def selector(text: str, quote: str) -> tuple[int, str, str]:
    """(start, prefix, suffix) of a quote that occurs once in text."""
    assert text.count(quote) == 1, quote
    start = text.index(quote)
    prefix, suffix = context(text, start, start + len(quote))
    return start, prefix, suffix


def relocate(new: str, old: str, quote: str, hint: bool = True) -> Anchor:
    start, prefix, suffix = selector(old, quote)
    return locate(new, quote, prefix, suffix, start if hint else None)


def paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n+", text) if p]


def check_span(a: Anchor, text: str) -> None:
    assert a.start is not None and a.end is not None
    assert a.found == text[a.start : a.end]


# --------------------------------------------------------------------------- basics


def test_statuses_constant() -> None:
    assert STATUSES == ("exact", "moved", "normalized", "fuzzy", "ambiguous", "orphaned")


def test_anchor_is_frozen() -> None:
    a = locate(A1, Q1[0], hint=140)
    with pytest.raises(FrozenInstanceError):
        a.start = 3  # type: ignore[misc]


@pytest.mark.parametrize(("text", "quote"), ALL, ids=IDS)
def test_quotes_are_verbatim_once(text: str, quote: str) -> None:
    assert text.count(quote) == 1


@pytest.mark.parametrize(("text", "quote"), ALL, ids=IDS)
def test_exact_at_hint(text: str, quote: str) -> None:
    start, prefix, suffix = selector(text, quote)
    a = locate(text, quote, prefix, suffix, start)
    assert (a.status, a.start, a.end, a.score, a.found) == (
        "exact",
        start,
        start + len(quote),
        1.0,
        quote,
    )


@pytest.mark.parametrize(("text", "quote"), ALL, ids=IDS)
def test_exact_without_hint_when_unique(text: str, quote: str) -> None:
    a = locate(text, quote)
    assert a.status == "exact"
    assert a.start == text.index(quote)


def test_known_offsets() -> None:
    assert locate(A1, Q1[0]).start == 140
    assert locate(A1, TAJIK_2021).start == 2730
    assert locate(A2, A2_FIRST).start == 0
    assert locate(A2, A2_LAST).end == len(A2)


def test_empty_exact_raises() -> None:
    with pytest.raises(ValueError):
        locate(A1, "")


@pytest.mark.parametrize("hint", [-5, len(A1) + 100, 10**9])
def test_hint_out_of_range(hint: int) -> None:
    a = locate(A1, Q1[1], hint=hint)
    assert a.status == "moved"
    assert a.start == 2144 and a.found == Q1[1]


def test_hint_at_text_end_is_valid() -> None:
    a = locate(A2, A2_LAST, hint=len(A2))
    assert a.status == "moved"
    assert a.end == len(A2)


def test_quote_at_start_and_end() -> None:
    a = locate(A2, A2_FIRST, "", " This led to the signing of the C", 0)
    assert (a.status, a.start, a.end) == ("exact", 0, len(A2_FIRST))
    s = len(A2) - len(A2_LAST)
    b = locate(A2, A2_LAST, *context(A2, s, len(A2))[:1], "", s)
    assert (b.status, b.start, b.end) == ("exact", s, len(A2))


def test_quote_at_very_start_after_insert() -> None:
    new = "Preface.\n" + A2
    a = relocate(new, A2, A2_FIRST)
    assert (a.status, a.start) == ("moved", 9)


def test_quote_at_very_end_typography() -> None:
    new = A2[: -len(A2_LAST)] + A2_LAST.replace(" ", "\u00a0", 2)
    a = relocate(new, A2, A2_LAST)
    assert a.status == "normalized"
    assert a.end == len(new)
    assert a.start == len(A2) - len(A2_LAST)


# --------------------------------------------------------------------------- context


def test_context_widths() -> None:
    start = A1.index(Q1[0])
    prefix, suffix = context(A1, start, start + len(Q1[0]))
    assert prefix == A1[start - 32 : start] and len(prefix) == 32
    assert suffix == " throughout anti-government prot"
    assert context(A2, 0, 6, width=4) == ("", "’s m")
    assert context(A2, len(A2) - 3, len(A2)) == (A2[len(A2) - 35 : len(A2) - 3], "")


def test_context_invalid_span() -> None:
    with pytest.raises(ValueError):
        context(A1, 10, 5)
    with pytest.raises(ValueError):
        context(A1, 0, len(A1) + 1)


# --------------------------------------------------------------------------- edits


@pytest.mark.parametrize(("text", "quote"), ALL, ids=IDS)
def test_text_inserted_before(text: str, quote: str) -> None:
    ins = "Editor’s note: this analysis was updated in March 2022.\n\n"
    new = ins + text
    a = relocate(new, text, quote)
    assert a.status == "moved"
    assert a.start == text.index(quote) + len(ins)
    assert a.end == a.start + len(quote)
    check_span(a, new)


def test_paragraph_deleted() -> None:
    paras = A1.split("\n\n")
    deleted = paras[3]  # "Though the CSTO is usually merely considered ..."
    new = A1.replace(deleted + "\n\n", "")
    assert new.count(Q1[0]) == 1
    # before the deleted paragraph: untouched
    a = relocate(new, A1, Q1[0])
    assert (a.status, a.start) == ("exact", 140)
    # after it: shifted back by the paragraph's length
    for q in (TAJIK_2021, Q1[4], Q1[5]):
        b = relocate(new, A1, q)
        assert b.status == "moved"
        assert b.start == A1.index(q) - len(deleted) - 2
        check_span(b, new)
    # inside it: gone
    c = relocate(new, A1, Q1[1])
    assert (c.status, c.start, c.end, c.found, c.score) == ("orphaned", None, None, "", 0.0)


def test_paragraphs_reordered() -> None:
    new = "\n".join(reversed(A2.split("\n")))
    for q in Q2:
        a = relocate(new, A2, q)
        assert a.status in ("moved", "exact")
        assert a.start == new.index(q)
        check_span(a, new)
    assert relocate(new, A2, A2_FIRST).status == "moved"


_STRAIGHT = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "–"})


@pytest.mark.parametrize(("text", "quote"), ALL, ids=IDS)
def test_typography_changed(text: str, quote: str) -> None:
    start = text.index(quote)
    typed = quote.translate(_STRAIGHT)
    i = typed.index(" ")
    typed = typed[:i] + "\u00a0" + typed[i + 1 :]  # an NBSP
    j = typed.rindex(" ")
    typed = typed[:j] + "  " + typed[j + 1 :]  # a doubled space
    before = text[:start].translate(_STRAIGHT).replace(". ", ".  ")
    new = before + typed + text[start + len(quote) :].translate(_STRAIGHT)
    a = relocate(new, text, quote)
    assert a.status == "normalized"
    assert a.start == len(before)
    assert a.end == len(before) + len(typed)
    assert a.found == typed  # a slice of the new text, not the old quote
    assert fold(a.found) == fold(quote)
    assert a.score == 1.0


def test_typography_curly_quotes_and_dashes() -> None:
    quote = Q1[5]  # In early 2019, ... a “Russian-backed demining and humanitarian mission.”
    new = A1.replace("“", '"').replace("”", '"')
    a = relocate(new, A1, quote)
    assert a.status == "normalized"
    assert a.found == quote.replace("“", '"').replace("”", '"')
    assert a.start == A1.index(quote)  # 1:1 replacement keeps offsets
    dashed = Q1[7]  # three of the 9 members—Azerbaijan ...
    new2 = A1.replace("—", " \u2013 ")
    b = relocate(new2, A1, dashed)
    assert b.status == "fuzzy"  # spaces added around the dash: not a pure fold
    check_span(b, new2)
    assert b.found == dashed.replace("—", " \u2013 ")
    new3 = A1.replace("—", "\u2013")
    c = relocate(new3, A1, dashed)
    assert (c.status, c.start) == ("normalized", A1.index(dashed))


def test_whitespace_runs_and_newlines_normalized() -> None:
    quote = Q2[3]  # 2,500 CSTO troops have been despatched in to safe ...
    start = A2.index(quote)
    edited = quote.replace(" have been ", " \n have\u202fbeen\t ")
    new = A2[:start] + edited + A2[start + len(quote) :]
    a = relocate(new, A2, quote)
    assert (a.status, a.start, a.end) == ("normalized", start, start + len(edited))
    assert a.found == edited


def test_word_changed_inside_quote() -> None:
    old_sentence = TAJIK_2021
    new_sentence = old_sentence.replace("declared", "complained")
    new = A1.replace(old_sentence, new_sentence)
    a = relocate(new, A1, old_sentence)
    assert a.status == "fuzzy"
    assert a.start == A1.index(old_sentence)
    assert a.end == a.start + len(new_sentence)
    assert a.found == new_sentence
    assert 0.85 <= a.score < 1.0


@pytest.mark.parametrize(
    ("text", "quote", "old", "new_word"),
    [
        (A1, Q1[0], "entered", "invaded"),
        (A1, Q1[4], "rejoined", "re-entered"),
        (A1, Q1[9], "Lukashenko", "Lukaschenka"),
        (A2, Q2[3], "despatched", "sent"),
        (A2, Q2[6], "financial", "economic"),
        (A2, Q2[7], "handle", "manage"),
        (A2, A2_LAST, "satisfied", "persuaded"),
        (A2, A2_FIRST, "construct", "build"),
    ],
    ids=lambda v: v[:20] if isinstance(v, str) else None,
)
def test_word_changed_parametrized(text: str, quote: str, old: str, new_word: str) -> None:
    edited = quote.replace(old, new_word, 1)
    new = text.replace(quote, edited)
    a = relocate(new, text, quote)
    assert a.status == "fuzzy"
    assert a.start == text.index(quote)
    assert a.found == edited
    assert a.score >= 0.75


def test_word_inserted_and_deleted() -> None:
    quote = Q1[2]
    ins = A1.replace(quote, quote.replace("not enough", "clearly not enough"))
    a = relocate(ins, A1, quote)
    assert a.status == "fuzzy" and a.found == quote.replace("not enough", "clearly not enough")
    dele = A1.replace(quote, quote.replace(" neighboring", ""))
    b = relocate(dele, A1, quote)
    assert b.status == "fuzzy" and b.found == quote.replace(" neighboring", "")


def test_word_changed_and_moved() -> None:
    quote = Q2[7]
    new = "A new first paragraph.\n" + A2.replace(quote, quote.replace("handle", "settle"))
    a = relocate(new, A2, quote)
    assert a.status == "fuzzy"
    assert a.start == A2.index(quote) + len("A new first paragraph.\n")
    assert a.found == quote.replace("handle", "settle")


def test_quote_deleted_with_look_alikes_remaining() -> None:
    # The sentence goes; "In 2020, Armenia called on the CSTO ..." and "... in 2021." remain.
    new = A1.replace(TAJIK_2021 + " ", "")
    assert "In 2020, Armenia called on the CSTO" in new
    a = relocate(new, A1, TAJIK_2021)
    assert (a.status, a.start, a.end, a.score, a.found) == ("orphaned", None, None, 0.0, "")


def test_quote_deleted_with_paraphrase_elsewhere() -> None:
    # Both articles in one text: A2's paraphrase of the deleted A1 sentence remains.
    both = A1 + "\n\n" + A2
    new = both.replace(TAJIK_2021 + " ", "")
    assert Q2[2] in new  # "And in 2021, Tajikistan’s management complained ... Afghanistan."
    a = relocate(new, both, TAJIK_2021)
    assert a.status == "orphaned"
    b = relocate(both.replace(Q2[2], ""), both, Q2[2])
    assert b.status == "orphaned"


@pytest.mark.parametrize(("text", "quote"), ALL, ids=IDS)
def test_quote_deleted(text: str, quote: str) -> None:
    new = text.replace(quote, "")
    a = relocate(new, text, quote)
    assert a.status == "orphaned"
    assert a.start is None and a.end is None and a.found == ""


def test_short_quote_with_word_changed_and_no_context_is_orphaned() -> None:
    # 4 words, one changed (0.75), no context given: not enough evidence.
    new = A1.replace("first notable operation", "first major operation")
    a = locate(new, "CSTO’s first notable operation")
    assert a.status == "orphaned"
    start = A1.index("CSTO’s first notable operation")
    prefix, suffix = context(A1, start, start + 30)
    b = locate(new, "CSTO’s first notable operation", prefix, suffix, start)
    assert b.status == "fuzzy"
    assert b.found == "CSTO’s first major operation"


# --------------------------------------------------------------------------- duplicates


def test_sentence_duplicated_hint_at_original() -> None:
    quote = Q1[1]  # The Kyrgyz authorities had sought assist from the CSTO in 2010
    start = A1.index(quote)
    sentence_end = A1.index(". ", start) + 2
    sentence = A1[start:sentence_end]
    new = A1[:sentence_end] + sentence + A1[sentence_end:]
    assert new.count(quote) == 2
    a = relocate(new, A1, quote)
    assert (a.status, a.start) == ("exact", start)


def test_sentence_duplicated_context_distinguishes() -> None:
    quote = TAJIK_2021
    start = A1.index(quote)
    # copy the sentence into the start of the last paragraph
    last = A1.rindex("\n\n") + 2
    new = A1[:last] + quote + " " + A1[last:]
    assert new.count(quote) == 2
    a = relocate(new, A1, quote, hint=False)
    assert (a.status, a.start) == ("moved", start)
    # stale hint: text inserted before both copies; context still picks the original
    new2 = "Intro.\n\n" + new
    b = relocate(new2, A1, quote)
    assert (b.status, b.start) == ("moved", start + len("Intro.\n\n"))
    # copy placed *before* the original: the hint points at the copy's text, but the original
    # moved; with context the original wins
    new3 = A1[:140] + quote + " " + A1[140:]
    c = relocate(new3, A1, quote, hint=False)
    assert (c.status, c.start) == ("moved", start + len(quote) + 1)


def test_duplicated_identical_contexts_is_ambiguous() -> None:
    quote = Q1[4]
    twice = A1 + "\n\n" + A1
    first = A1.index(quote)
    second = len(A1) + 2 + first
    a = relocate(twice, A1, quote, hint=False)
    assert a.status == "ambiguous"
    assert a.start == first and a.found == quote
    # a hint separates them
    b = locate(twice, quote, *context(A1, first, first + len(quote)), hint=second + 7)
    assert (b.status, b.start) == ("moved", second)
    # an equidistant hint does not
    thrice = A1 + "\n\n\n" + A1  # an even gap between the copies
    second = len(A1) + 3 + first
    mid = (first + second) // 2
    assert mid - first == second - mid
    c = locate(thrice, quote, *context(A1, first, first + len(quote)), hint=mid)
    assert c.status == "ambiguous"
    assert c.start == first


def test_duplicated_identical_contexts_normalized_is_ambiguous() -> None:
    quote = Q1[6]  # the intervention in Kazakhstan was the CSTO’s first notable operation
    twice = (A1 + "\n\n" + A1).replace("’", "'")
    a = relocate(twice, A1, quote, hint=False)
    assert a.status == "ambiguous"
    assert a.found == quote.replace("’", "'")


# --------------------------------------------------------------------------- unicode, scale


def test_offsets_are_code_points() -> None:
    quote = Q2[5]  # ... Tajikistan’s gross home product ...
    a = locate(A2, quote)
    assert a.start == A2.index(quote) == 5206
    assert A2[a.start : a.end] == quote
    # astral characters before the quote count as one code point each
    new = "\U0001f600\U0001f4a5 " + A2
    b = relocate(new, A2, quote)
    assert (b.status, b.start) == ("moved", 5209)


def test_nbsp_and_narrow_nbsp_are_mapped_back() -> None:
    new = A1.replace(" ", "\u202f", 50).replace("  ", " \u00a0")
    quote = Q1[0]
    a = relocate(new, A1, quote)
    assert a.status == "normalized"
    check_span(a, new)
    assert a.start == A1.index(quote)


def test_large_text_exact_and_moved() -> None:
    filler = A1.replace("Kazakhstan", "Kasakhstan") + "\n\n"
    big = filler * 120 + A2 + "\n\n" + filler * 120  # ~2.4 MB
    quote = Q2[7]
    start = big.index(quote)
    a = locate(big, quote, *context(big, start, start + len(quote)), hint=start)
    assert (a.status, a.start) == ("exact", start)
    b = locate(big, quote, hint=5)
    assert (b.status, b.start) == ("moved", start)
    c = locate(big, quote.replace(" ", "  "), hint=5)
    assert (c.status, c.start) == ("normalized", start)
