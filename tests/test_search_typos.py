"""Tests of csto_tui.search.typos: the typo index finds what its definition says, and a search
finds a misspelt name through it, whole or while it is being typed."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from test_search import make_dataset

from csto_tui.search import SearchIndex
from csto_tui.search.typos import TypoIndex, deletes, matching, max_typos, osa


def _typo_index(words: list[str], names: list[int]) -> TypoIndex:
    t = TypoIndex(words)
    for _ in t.build_steps(names, every=3):
        pass
    return t


def _stored(word: str) -> bool:
    return len(word) >= 3 and word.isalpha()


def _edited(data: st.DataObject, word: str, edits: int) -> str:
    """``word`` with up to ``edits`` typing errors drawn by hypothesis."""
    for _ in range(edits):
        i = data.draw(st.integers(0, len(word) - 1))
        c = "abcd"["abcd".index(word[i]) - 1]  # another letter than word[i]
        op = data.draw(st.sampled_from(("replace", "insert", "delete", "swap")))
        if op == "replace":
            word = word[:i] + c + word[i + 1:]
        elif op == "insert":
            word = word[:i] + c + word[i:]
        elif op == "delete":
            word = word[:i] + word[i + 1:]
        else:
            word = word[:i] + word[i + 1:i + 2] + word[i:i + 1] + word[i + 2:]
    return word


@given(st.lists(st.text("abcd", min_size=3, max_size=12), min_size=1, max_size=25, unique=True),
       st.data())
@settings(max_examples=300, deadline=None)
def test_similar_and_similar_prefixes_are_what_they_say(words: list[str],
                                                        data: st.DataObject) -> None:
    """Names: every word within the typos a query word is allowed, and every prefix (four
    letters up, not the whole word) one edit away; other words: those sharing a deletion with
    the query word (a word or the word less one letter)."""
    names = sorted(data.draw(st.sets(st.sampled_from(range(len(words))))))
    index = _typo_index(words, names)
    text = _edited(data, data.draw(st.sampled_from(words)), data.draw(st.integers(0, 2)))
    assume(len(text) >= 4)
    bound = max_typos(text)
    near = deletes(text, bound)
    want = {w: osa(text, word, bound) for w, word in enumerate(words) if _stored(word)
            and (osa(text, word, bound) <= bound if w in names else bool(near & deletes(word, 1)))}
    assert index.similar(text, bound) == {w: d for w, d in want.items() if d <= bound}
    n = len(text)
    assert set(index.similar_prefixes(text)) == {
        (w, k) for w in names if _stored(words[w]) for k in range(4, len(words[w]))
        if abs(k - n) <= 1 and osa(text, words[w][:k], 1) <= 1}


def test_each_table_holds_every_deletion_of_its_words() -> None:
    index = SearchIndex.build(make_dataset())
    typos, words = index.typos, index.words
    for table in (typos.del_keys, typos.name_keys, typos.prefix_keys):
        assert list(table) == sorted(set(table))
    for w, word in enumerate(words):
        if _stored(word):
            assert all(w in matching(typos.del_keys, d) for d in deletes(word, 1))
    for w in index.name_ids:
        word = words[w]
        if _stored(word):
            assert all(w in matching(typos.name_keys, d)
                       for d in deletes(word, 2 if len(word) >= 7 else 1))
            assert all(w in matching(typos.prefix_keys, d)
                       for n in range(4, len(word)) for d in deletes(word[:n], 1))


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.build(make_dataset())


@pytest.mark.parametrize(
    ("query", "rid"),
    [
        ("Kazokhstun", "kaz"),  # two letters wrong: only the names' two deletions meet it
        ("Uzbrki", "uzb"),  # typing "Uzbekistan" with a typo: a prefix one edit away
        ("Tajukis", "tjk"),
        ("Kyrgyzsatn ", "kgz"),  # a transposition, the word complete
    ],
)
def test_a_misspelt_name_finds_its_state(index: SearchIndex, query: str, rid: str) -> None:
    assert index.word_id(query.strip().lower()) is None
    hits = index.search(query)
    assert (hits[0].kind, hits[0].id) == ("state", rid)
