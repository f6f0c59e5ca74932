"""The search index's postings (csto_tui/search/postings.py): lists of ints per key, stored as
their low 16 bits plus the high bits once per run, given back exactly as they went in."""

from __future__ import annotations

import random
from array import array

from hypothesis import given, settings
from hypothesis import strategies as st

from csto_tui.search.postings import Filling, Postings

INTS = st.one_of(st.integers(0, 2**17), st.integers(0, 2**32 - 1),
                 st.sampled_from([0, 65535, 65536, 65537, 2**32 - 1]))


def _postings(lists: list[list[int]], seed: int = 0) -> Postings:
    """Filled as the index fills them: keys interleaved, each key's ints in its order."""
    fill = Filling(array("I", map(len, lists)))
    todo = [k for k, one in enumerate(lists) for _ in one]
    random.Random(seed).shuffle(todo)
    at = [0] * len(lists)
    for k in todo:
        fill.put(k, lists[k][at[k]])
        at[k] += 1
    return fill.postings()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(INTS, max_size=40), min_size=1, max_size=12), st.integers(0, 99))
def test_each_key_gives_back_its_ints_in_order(lists: list[list[int]], seed: int) -> None:
    p = _postings(lists, seed)
    assert len(p) == sum(map(len, lists))
    for k, one in enumerate(lists):
        assert list(p.get(k)) == one
        assert p.count(k) == len(one)


def test_two_bytes_an_int_and_one_run_per_block_of_high_bits() -> None:
    """Positions of two words in 200,000 tokens: 2 bytes each, a run per 65,536 tokens."""
    evens = list(range(0, 200_000, 2))
    odds = list(range(1, 200_000, 2))
    p = _postings([evens, [], odds])
    assert p.lo.itemsize == 2 and len(p.lo) == 200_000
    assert len(p.run_hi) == 2 * 4  # 200,000 tokens span 4 blocks of 65,536
    assert list(p.get(0)) == evens and list(p.get(1)) == [] and list(p.get(2)) == odds
    assert p.nbytes() < 200_000 * 2 + 500


@settings(max_examples=15, deadline=None)
@given(st.integers(1, 40), st.integers(1, 70_000), st.integers(0, 2**16), st.integers(0, 99))
def test_positions_put_in_pieces_are_the_ints_put_one_by_one(keys: int, step: int,
                                                             start: int, seed: int) -> None:
    """put_positions (the index's text positions: 150,000 tokens, so three blocks of high
    bits) gives what put gives, in pieces of any size."""
    rnd = random.Random(seed)
    n = 150_000
    toks = array("I", (rnd.randrange(keys) for _ in range(n)))
    counts = array("I", [0]) * keys
    for k in toks[start:]:
        counts[k] += 1
    one, pieces = Filling(counts), Filling(counts)
    for g in range(start, n):
        one.put(toks[g], g)
    for a in range(start, n, step):
        pieces.put_positions(toks, a, min(a + step, n))
    want, got = one.postings(), pieces.postings()
    assert (got.lo, got.run_at, got.run_hi, got.key_run) == \
        (want.lo, want.run_at, want.run_hi, want.key_run)
