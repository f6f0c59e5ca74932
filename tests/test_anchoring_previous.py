"""Tests of csto_tui.anchoring.locate with the previous text (the stored text the anchor
indexes into), and of its stricter search without it: every status, on edited copies of the
seeds and of generated prose full of one-word-different look-alikes."""

from __future__ import annotations

import importlib.util
import random
import re
import sys
import unicodedata
from pathlib import Path

import pytest

from csto_tui.anchoring import context, locate
from csto_tui.located import Anchor

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
A1 = (SEEDS / "000_3015bca6c6aaec53.txt").read_text(encoding="utf-8")
A2 = (SEEDS / "001_c73d3d911059dc49.txt").read_text(encoding="utf-8")

_spec = importlib.util.spec_from_file_location("anchoring_corpus",
                                               ROOT / "benchmarks" / "anchoring_corpus.py")
assert _spec is not None and _spec.loader is not None
corpus_mod = importlib.util.module_from_spec(_spec)
sys.modules["anchoring_corpus"] = corpus_mod
_spec.loader.exec_module(corpus_mod)

PROSE, PROSE_QUOTES = corpus_mod.document(random.Random(5))
# prose quotes that have a look-alike (one word different, in another paragraph)
ALIKE = [q for q in PROSE_QUOTES if q.look_alike][:6]

SEED_QUOTES = [
    (A1, "In 2021, Tajikistan declared not enough was being completed by the CSTO to assist it "
         "cope with instability in neighboring Afghanistan."),
    (A1, "In 2020, Armenia called on the CSTO for aid throughout its battle with Azerbaijan"),
    (A2, "The CSTO has additionally been used to handle the border dispute between Tajikistan "
         "and Kyrgyzstan."),
    (A2, "And all CSTO members aside from Tajikistan are additionally members of the Russian-led "
         "financial bloc, the Eurasian Financial Union (EAEU)."),
]
CASES = SEED_QUOTES + [(PROSE, q.exact) for q in ALIKE]
IDS = [("seed:" if t is not PROSE else "prose:") + q[:24] for t, q in CASES]


def through(new: str, old: str, quote: str) -> Anchor:
    """Locate ``quote`` (once in ``old``) in ``new`` with the previous text, as sync does."""
    assert old.count(quote) == 1
    start = old.index(quote)
    prefix, suffix = context(old, start, start + len(quote))
    return locate(new, quote, prefix, suffix, start, previous=old)


def without(new: str, old: str, quote: str) -> Anchor:
    start = old.index(quote)
    prefix, suffix = context(old, start, start + len(quote))
    return locate(new, quote, prefix, suffix, start)


def mid_word(quote: str) -> re.Match[str]:
    words = [m for m in re.finditer(r"[A-Za-z]{4,}", quote) if m.start() > 0]
    return words[len(words) // 2]


# --------------------------------------------------------------------------- with previous


@pytest.mark.parametrize(("text", "quote"), CASES, ids=IDS)
def test_unchanged_text_is_exact(text: str, quote: str) -> None:
    a = through(text, text, quote)
    assert (a.status, a.start, a.found) == ("exact", text.index(quote), quote)


@pytest.mark.parametrize(("text", "quote"), CASES, ids=IDS)
def test_text_inserted_before_is_moved(text: str, quote: str) -> None:
    ins = "A paragraph added at the top, about something else entirely.\n\n"
    a = through(ins + text, text, quote)
    assert (a.status, a.start, a.end) == ("moved", text.index(quote) + len(ins),
                                          text.index(quote) + len(ins) + len(quote))


@pytest.mark.parametrize(("text", "quote"), CASES, ids=IDS)
def test_paragraphs_reordered_is_moved(text: str, quote: str) -> None:
    paras = [p for p in text.split("\n") if p]
    new = "\n\n".join(reversed(paras)) + "\n"
    a = through(new, text, quote)
    assert a.status in ("moved", "exact")
    assert a.start == new.index(quote) and a.found == quote


@pytest.mark.parametrize(("text", "quote"), CASES, ids=IDS)
def test_typography_inside_the_quote_is_normalized(text: str, quote: str) -> None:
    typed = quote.replace(" ", "\u00a0", 1).replace("’", "'").replace(" ", "  ", 1)
    new = text.replace(quote, typed)
    a = through(new, text, quote)
    assert (a.status, a.start, a.found) == ("normalized", text.index(quote), typed)


@pytest.mark.parametrize(("text", "quote"), CASES, ids=IDS)
def test_rewrapped_is_normalized(text: str, quote: str) -> None:
    i = quote.index(" ", len(quote) // 2)
    new = text.replace(quote, quote[:i] + "\n" + quote[i + 1 :])
    a = through(new, text, quote)
    assert (a.status, a.start, a.end) == ("normalized", text.index(quote),
                                          text.index(quote) + len(quote))


@pytest.mark.parametrize(("text", "quote"), CASES, ids=IDS)
def test_one_word_changed_is_fuzzy_in_place_with_the_change(text: str, quote: str) -> None:
    m = mid_word(quote)
    edited = quote[: m.start()] + "curiously" + quote[m.end() :]
    new = text.replace(quote, edited)
    a = through(new, text, quote)
    assert (a.status, a.start, a.found) == ("fuzzy", text.index(quote), edited)
    assert a.changes == ((m.group(), "curiously"),)
    assert 0.8 <= a.score < 1.0


@pytest.mark.parametrize(("text", "quote"), CASES, ids=IDS)
def test_deleted_quote_is_orphaned_despite_a_look_alike(text: str, quote: str) -> None:
    m = mid_word(quote)
    alike = quote[: m.start()] + "curiously" + quote[m.end() :]
    # the look-alike stands at the end of the text, then the quote goes
    old = text.rstrip("\n") + "\n\n" + alike + "\n"
    new = old.replace(quote, "", 1)
    assert alike in new
    assert through(new, old, quote).status == "orphaned"


@pytest.mark.parametrize(("text", "quote"), CASES, ids=IDS)
def test_untouched_quote_stays_put_whatever_look_alikes_arrive(text: str, quote: str) -> None:
    # a verbatim copy inserted earlier in the text: the quote itself did not move
    new = quote + "\n\n" + text
    a = through(new, text, quote)
    assert (a.status, a.start) == ("moved", len(quote) + 2 + text.index(quote))


def test_edited_quote_beside_an_older_verbatim_copy_is_fuzzy_in_place() -> None:
    quote = SEED_QUOTES[0][1]
    old = A1 + "\n\nQuoted again: " + quote + "\n"
    start = old.index(quote)  # the first one
    m = mid_word(quote)
    edited = quote[: m.start()] + "curiously" + quote[m.end() :]
    new = old[:start] + edited + old[start + len(quote):]
    prefix, suffix = context(old, start, start + len(quote))
    a = locate(new, quote, prefix, suffix, start, previous=old)
    assert (a.status, a.start, a.found) == ("fuzzy", start, edited)
    # without the previous text the verbatim copy wins: that is what the stored text fixes
    assert locate(new, quote, prefix, suffix, start).status == "moved"


def test_sentence_moved_within_its_paragraph_is_moved() -> None:
    quote = SEED_QUOTES[3][1]
    start = A2.index(quote)
    para = A2.rindex("\n", 0, start) + 1  # the start of its paragraph
    assert para < start
    without_it = A2[:start] + A2[start + len(quote) + 1 :]
    new = without_it[:para] + quote + " " + without_it[para:]
    assert new != A2 and new.count(quote) == 1
    a = through(new, A2, quote)
    assert (a.status, a.start) == ("moved", new.index(quote))


def test_quote_edited_in_the_dataset_is_searched_from_its_mapped_place() -> None:
    quote = SEED_QUOTES[2][1]
    start = A2.index(quote)
    prefix, suffix = context(A2, start, start + len(quote))
    new = "New opening line.\n\n" + A2
    # the dataset now quotes a shorter piece of the same sentence
    shorter = quote[:40]
    a = locate(new, shorter, prefix, suffix, start, previous=A2)
    assert (a.status, a.start) == ("moved", new.index(quote))


# --------------------------------------------------------------------------- NFC / NFD


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_quote_in_one_normal_form_source_in_the_other_is_normalized(form: str) -> None:
    text = unicodedata.normalize(form, A1.replace("Kazakhstan", "Kazakhstán"))
    other = "NFD" if form == "NFC" else "NFC"
    raw = "2,500 of its troops entered Kazakhstán to help in restoring order"
    quote = unicodedata.normalize(other, raw)
    assert quote not in text
    a = locate(text, quote)
    assert a.status == "normalized"
    assert a.found == unicodedata.normalize(form, raw)
    assert unicodedata.normalize("NFC", a.found) == unicodedata.normalize("NFC", quote)


def test_source_changing_normal_form_is_normalized_with_previous() -> None:
    raw = A2.replace("Tajikistan", "Tājikistan")
    old = unicodedata.normalize("NFC", raw)
    new = unicodedata.normalize("NFD", raw)
    quote = unicodedata.normalize("NFC", SEED_QUOTES[2][1].replace("Tajikistan", "Tājikistan"))
    a = through(new, old, quote)
    assert a.status == "normalized"
    assert a.found == unicodedata.normalize("NFD", quote)


# --------------------------------------------------------------------------- without previous


@pytest.mark.parametrize(("text", "quote"), CASES, ids=IDS)
def test_without_previous_deleted_quote_is_not_pinned_to_its_look_alike(text: str,
                                                                        quote: str) -> None:
    m = mid_word(quote)
    alike = quote[: m.start()] + "curiously" + quote[m.end() :]
    old = text.rstrip("\n") + "\n\nElsewhere we read that " + alike + "\n"
    new = old.replace(quote, "", 1)
    assert without(new, old, quote).status == "orphaned"


@pytest.mark.parametrize(("text", "quote"), CASES, ids=IDS)
def test_without_previous_one_word_change_is_fuzzy_where_context_agrees(text: str,
                                                                        quote: str) -> None:
    m = mid_word(quote)
    edited = quote[: m.start()] + "curiously" + quote[m.end() :]
    new = text.replace(quote, edited)
    a = without(new, text, quote)
    assert (a.status, a.start, a.found) == ("fuzzy", text.index(quote), edited)


def test_without_context_a_fuzzy_candidate_is_never_accepted() -> None:
    quote = SEED_QUOTES[0][1]
    new = A1.replace("neighboring", "nearby")
    assert locate(new, quote).status == "orphaned"


@pytest.mark.parametrize("text", [A1, PROSE], ids=["seed", "prose"])
def test_copies_with_identical_context_are_ambiguous(text: str) -> None:
    block = "\n\nOne line that will be copied, word for word, twice over.\n\n"
    new = text + block + "Filler paragraph." + block
    quote = "One line that will be copied, word for word, twice over."
    a = locate(new, quote, "\n\n", "\n\n")
    assert a.status == "ambiguous"
    assert a.found == quote


def test_a_change_too_big_to_diff_word_by_word_falls_back_to_search(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from csto_tui import textdiff

    monkeypatch.setattr(textdiff, "MAX_DIFF_TOKENS", 50)
    textdiff.diff.cache_clear()
    quote = SEED_QUOTES[0][1]
    old = A1.replace("\n", " ")  # one line: every edit changes the one line
    new = "Prepended words. " + old.replace("neighboring", "nearby", 1)
    start = old.index(quote)
    prefix, suffix = context(old, start, start + len(quote))
    a = locate(new, quote, prefix, suffix, start, previous=old)
    b = locate(new, quote, prefix, suffix, start)
    assert a == b and a.status == "fuzzy"
    textdiff.diff.cache_clear()
