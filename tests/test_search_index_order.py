"""The search index's postings: the units holding a word, best first, as ``index._prior``
ranks them (then in unit order), whatever the units' lengths."""

from __future__ import annotations

from pathlib import Path

from csto_tui.dataset import Dataset
from csto_tui.model import Quote, Source
from csto_tui.search import SearchIndex
from csto_tui.search.index import _BUCKETS, _LONG, _prior

ROOT = Path(__file__).resolve().parent.parent


def _words(n: int, tag: str) -> str:
    return " ".join(["zebra", *(f"{tag}{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}"
                                for i in range(n - 1))])


def test_postings_are_in_order_of_prior_for_units_of_every_length() -> None:
    # quotes of 1 to 400 words, longest first (unit order alone would put them first), each
    # holding "zebra": the long ones rank below the shorter ones, as _prior says
    lengths = [400, 300, 200, 150, 130, 121, 120, 119, 100, 80, 70, 64, 63, 40, 12, 5, 1]
    quotes = [_words(n, f"w{k}x") for k, n in enumerate(lengths)]
    text = "\n\n".join(quotes)
    src = Source("s1", "s1.txt", "A source", ROOT / "s1.txt")
    ds = Dataset(path=ROOT / "data" / "t.toml", root=ROOT, title="t", sources=(src,), states=(),
                 metrics=(), events=(),
                 quotes=tuple(Quote(f"q{k}", "s1", q) for k, q in enumerate(quotes)),
                 texts={"s1": text})
    index = SearchIndex.build(ds)
    for band in range(3):
        for w in range(len(index.words)):
            units = list(index.upost(band, w))
            assert units == sorted(units, key=lambda u: (
                _prior(band, index.unit_weight[u], index.ulen(u)), u)), index.words[w]
    zebra = index.word_id("zebra")
    assert zebra is not None
    lens = [index.ulen(u) for b in range(3) for u in index.upost(b, zebra)
            if index.ulen(u) > 1]
    assert 400 in lens and 63 in lens


def test_the_table_of_buckets_is_the_prior_of_every_length() -> None:
    for band in range(3):
        for weight in range(12):
            for n in range(1, 2000):
                assert _BUCKETS[band][min(weight, 8)][min(n, _LONG)] == (
                    band * 64 + _prior(band, weight, n)), (band, weight, n)
