"""Where a quote comes from, in words an analyst reads: ``Article 1 (4 Feb 2022), paragraph 3``.

One definition of a citation for every screen and the clipboard: the article's place in the
dataset (``Article 1`` is its first source), its date when known and the paragraph the quote
sits in (each line of the source text with words on it is a paragraph). Character offsets and
the source's id and title are kept for a detail line (:func:`detail`), never for the label.
No textual here: the core uses it too.
"""

from __future__ import annotations

from .anchoring import quote_span
from .dataset import Dataset
from .textsafe import one_line

#: A title ending the dataset uses to say it was made up, not the article's own.
DESCRIPTIVE = "(descriptive title)"


def article_number(ds: Dataset, source_id: str) -> int | None:
    """1 for the dataset's first source, 2 for its second..."""
    for i, src in enumerate(ds.sources, 1):
        if src.id == source_id:
            return i
    return None


def article(ds: Dataset, source_id: str) -> str:
    """``Article 1 (4 Feb 2022)``, ``Article 2`` when the article is undated."""
    n = article_number(ds, source_id)
    name = f"Article {n}" if n is not None else f"Source {one_line(source_id)}"
    src = ds.source(source_id)
    if src is not None and src.date is not None:
        name += f" ({src.date.display()})"
    return name


def paragraph(text: str, start: int) -> int:
    """The number (from 1) of the paragraph of ``text`` holding character ``start``: each
    line with text is a paragraph (blank lines between them do not count)."""
    before = text[:start].split("\n")
    return 1 + sum(1 for line in before[:-1] if line.strip())


def span(ds: Dataset, qid: str) -> tuple[int, int] | None:
    """Where the quote sits in its source's current text, as best known (no I/O)."""
    q = ds.quote(qid)
    if q is None:
        return None
    return quote_span(q, ds.texts.get(q.source), ds.anchors.get(qid))


def label(ds: Dataset, qid: str) -> str:
    """``Article 1 (4 Feb 2022), paragraph 3`` (no paragraph when the quote is not found)."""
    q = ds.quote(qid)
    if q is None:
        return ""
    out = article(ds, q.source)
    where = span(ds, qid)
    text = ds.texts.get(q.source)
    if where is not None and text is not None:
        out += f", paragraph {paragraph(text, where[0])}"
    return out


def title(ds: Dataset, source_id: str) -> str:
    """The article's title without the dataset's "(descriptive title)" note."""
    src = ds.source(source_id)
    if src is None:
        return ""
    t = one_line(src.title)
    if t.endswith(DESCRIPTIVE):
        t = t[: -len(DESCRIPTIVE)].rstrip()
    return t


def detail(ds: Dataset, qid: str) -> str:
    """The detail line: ``Title (publisher, language...), source a1, characters 1010-1217``."""
    from .details import source_details

    q = ds.quote(qid)
    if q is None:
        return ""
    parts = []
    t = title(ds, q.source)
    src = ds.source(q.source)
    about = one_line(source_details(src)) if src is not None else ""
    if about:
        t = f"{t} ({about})" if t else about
    if t:
        parts.append(t)
    parts.append(f"source {one_line(q.source)}")
    a = ds.anchors.get(qid)
    parts.append(f"characters {a.start}-{a.end}" if a is not None else "not anchored yet")
    return ", ".join(parts)


def quote_with_citation(ds: Dataset, qid: str) -> str:
    """What `y` copies: ``“quote” (Article 1 (4 Feb 2022), paragraph 3: “Title”)``."""
    q = ds.quote(qid)
    if q is None:
        return ""
    t = title(ds, q.source)
    where = label(ds, qid) + (f": \u201c{t}\u201d" if t else "")
    return f"\u201c{one_line(q.text)}\u201d ({where})"
