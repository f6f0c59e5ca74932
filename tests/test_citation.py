"""Citations in words: ``Article 1 (4 Feb 2022), paragraph 3``; offsets only in the detail."""

from __future__ import annotations

import pytest

from csto_tui import citation
from csto_tui.checking import check


@pytest.fixture(scope="module")
def ds():  # type: ignore[no-untyped-def]
    return check(None).dataset


def test_paragraph_counts_lines_with_words() -> None:
    text = "first line\n\nsecond para\nthird para\n\n\nfourth"
    assert citation.paragraph(text, 0) == 1
    assert citation.paragraph(text, text.index("second")) == 2
    assert citation.paragraph(text, text.index("third")) == 3
    assert citation.paragraph(text, text.index("fourth")) == 4
    assert citation.paragraph(text, text.index("para")) == 2  # inside a paragraph


def test_label_is_article_date_and_paragraph(ds) -> None:  # type: ignore[no-untyped-def]
    for q in ds.quotes:
        label = citation.label(ds, q.id)
        n = [s.id for s in ds.sources].index(q.source) + 1
        src = ds.source(q.source)
        start = ds.anchors[q.id].start
        para = citation.paragraph(ds.texts[q.source], start)
        date = f" ({src.date.display()})" if src.date else ""
        assert label == f"Article {n}{date}, paragraph {para}"
        assert str(start) not in label.split("paragraph")[0]
    first = ds.quotes[0]
    assert citation.label(ds, first.id).startswith("Article 1 (4 Feb 2022), paragraph ")


def test_detail_keeps_the_offsets_and_drops_the_descriptive_note(ds) -> None:  # type: ignore[no-untyped-def]
    q = ds.quotes[0]
    a = ds.anchors[q.id]
    detail = citation.detail(ds, q.id)
    assert f"characters {a.start}-{a.end}" in detail and f"source {q.source}" in detail
    assert detail.startswith(citation.title(ds, q.source) + ", source ")
    assert "(descriptive title)" in ds.source(q.source).title
    assert "(descriptive title)" not in detail


def test_the_copied_text_is_the_quote_then_its_citation(ds) -> None:  # type: ignore[no-untyped-def]
    q = ds.quotes[-1]
    text = citation.quote_with_citation(ds, q.id)
    assert text.startswith("\u201c" + q.text[:30])
    assert f"\u201d ({citation.label(ds, q.id)}: \u201c" in text
