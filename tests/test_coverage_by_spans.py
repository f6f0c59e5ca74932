"""coverage() works span by span, not character by character (its cost at 1000x): its output
is the same as the per-character count it replaced, kept here as the oracle, on the shipped
dataset, on edited and damaged copies of it (texts changed under their anchors, anchors out
of range, overlapping or empty, quotes edited since their sync, uncited passages of every
kind) and on a folder dataset whose source file was edited on disk."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from csto_tui.checking import fold
from csto_tui.coverage import (
    SPACES,
    UNCITED_REASONS,
    Passage,
    SourceCoverage,
    _one_sentence,
    coverage,
    sentences,
    uncited_span,
)
from csto_tui.dataset import Dataset
from csto_tui.loader import load
from csto_tui.model import Uncited

pytestmark = pytest.mark.usefixtures("private_dirs")

DATA = Path(__file__).resolve().parent.parent / "data" / "csto.toml"

#: whitespace of every kind inserted into texts: what the per-character count skipped
INSERTED = [" ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\u00a0", "\u2000",
          "\u2028", "\u2029", "\u202f", "\u3000", "  \n\n\t"]


def oracle(ds: Dataset, only: str | None = None) -> list[SourceCoverage]:
    """coverage() as it was before it worked by spans: a mark per character, then a walk over
    every character (kept verbatim, as the definition the new one must agree with)."""
    quoted: dict[str, list[tuple[int, int]]] = {}
    for q in ds.quotes:
        if only is not None and q.source != only:
            continue
        an = ds.anchors.get(q.id)
        if (an is not None and not an.review and an.source == q.source
                and (an.exact == q.text or fold(an.exact) == fold(q.text))):
            quoted.setdefault(an.source, []).append((an.start, an.end))
    report = []
    for src in ds.sources:
        text = ds.texts.get(src.id)
        if text is None or only is not None and src.id != only:
            continue
        n = len(text)
        mark = bytearray(n)
        sents = sentences(text)
        for u in ds.uncited:
            if u.source == src.id and u.reason in UNCITED_REASONS:
                span = uncited_span(text, u)
                if span is not None and _one_sentence(sents, *span):
                    mark[span[0]:span[1]] = b"\x01" * (span[1] - span[0])
        for a, b in quoted.get(src.id, []):
            a, b = max(0, a), min(n, b)
            if a < b:
                mark[a:b] = b"\x02" * (b - a)
        chars = q_chars = e_chars = 0
        uncovered: list[Passage] = []
        run = -1
        last = -1
        for i, ch in enumerate(text):
            if ch.isspace():
                continue
            chars += 1
            m = mark[i]
            if m == 2:
                q_chars += 1
            elif m == 1:
                e_chars += 1
            if m == 0:
                if run < 0:
                    run = i
                last = i
            elif run >= 0:
                uncovered.append(Passage(src.id, run, last + 1, text[run:last + 1]))
                run = -1
        if run >= 0:
            uncovered.append(Passage(src.id, run, last + 1, text[run:last + 1]))
        report.append(SourceCoverage(src.id, chars, q_chars, e_chars, tuple(uncovered)))
    return report


def same(ds: Dataset) -> None:
    assert coverage(ds) == oracle(ds)
    for src in ds.sources:
        assert coverage(ds, only=src.id) == oracle(ds, only=src.id)


def test_spaces_are_exactly_the_characters_isspace_accepts() -> None:
    """coverage() counts whitespace with SPACES: the characters str.isspace() accepts (and
    str.strip() strips), no more, no fewer, in this Python's Unicode."""
    assert len(set(SPACES)) == len(SPACES)
    assert set(SPACES) == {chr(c) for c in range(0x110000) if chr(c).isspace()}
    assert "".join(SPACES).strip() == ""


def changed(ds: Dataset, **changes: object) -> Dataset:
    """``ds`` with some fields changed (its extra kinds passed back as the dict they came in)."""
    return ds.replace(more=dict(ds.more), **changes)  # type: ignore[no-any-return]


def test_the_shipped_dataset_is_covered_as_character_by_character() -> None:
    ds = load(DATA).dataset
    assert ds.uncited and ds.anchors  # both kinds of cover are exercised
    got = coverage(ds)
    assert got == oracle(ds)
    assert all(c.quoted and c.explained for c in got)  # (and nothing left uncovered)


def _damaged(ds: Dataset, rnd: random.Random) -> Dataset:
    """``ds`` with its texts edited under their anchors (whitespace of every kind inserted,
    stretches cut), anchors moved anywhere (out of range, reversed, empty, overlapping) or
    sent to review, quotes edited, and uncited passages added: valid ones, whitespace-only
    ones, ones over two sentences, repeated ones, ones with a reason not in the vocabulary."""
    texts = {}
    for sid, text in ds.texts.items():
        chars = list(text)
        for _ in range(rnd.randrange(0, 300)):
            at = rnd.randrange(len(chars) + 1)
            if rnd.random() < 0.7:
                chars[at:at] = rnd.choice(INSERTED)
            else:
                del chars[at:at + rnd.randrange(1, 40)]
        texts[sid] = "".join(chars)
    anchors = {}
    for qid, an in ds.anchors.items():
        n = len(texts.get(an.source, ""))
        roll = rnd.random()
        if roll < 0.3:
            a = rnd.randrange(-20, n + 20)
            an = an.replace(start=a, end=a + rnd.randrange(-5, 400))
        elif roll < 0.35:
            an = an.replace(review="stale")
        anchors[qid] = an
    quotes = tuple(q.replace(text=q.text + " edited") if rnd.random() < 0.05 else q
                   for q in ds.quotes)
    uncited = list(ds.uncited)
    for sid, text in texts.items():
        for _ in range(rnd.randrange(0, 25)):
            a = rnd.randrange(len(text))
            b = min(len(text), a + rnd.randrange(1, 300))
            reason = rnd.choice((*UNCITED_REASONS, "not-a-reason"))
            uncited.append(Uncited(sid, text[a:b], reason))
        for sent in rnd.sample(sentences(text), 5):
            uncited.append(Uncited(sid, sent.text, rnd.choice(UNCITED_REASONS)))
    rnd.shuffle(uncited)
    return changed(ds, texts=texts, anchors=anchors, quotes=quotes, uncited=tuple(uncited))


@pytest.mark.parametrize("seed", range(12))
def test_damaged_and_edited_copies_are_covered_as_character_by_character(seed: int) -> None:
    ds = _damaged(load(DATA).dataset, random.Random(seed))
    same(ds)


def test_texts_of_whitespace_or_empty_and_spans_of_whitespace_only() -> None:
    """Edge cases a random edit may miss: an empty text, an all-whitespace one, a quote over
    whitespace only between two uncovered words (it ends no run), a quote over the whole
    text, touching quotes."""
    ds = load(DATA).dataset
    first, second = ds.sources[0].id, ds.sources[1].id
    for text, spans in (("", [(0, 0)]), (" \n\u3000\t", [(0, 2)]),
                        ("one   two three", [(3, 6)]), ("one two", [(0, 7)]),
                        ("ab cd ef", [(0, 2), (2, 5), (5, 6)]), ("a\u2028b c", [(1, 2), (4, 9)])):
        quotes = [q for q in ds.quotes if q.source == first][:len(spans)]
        anchors = dict(ds.anchors)
        for q, (a, b) in zip(quotes, spans, strict=True):
            anchors[q.id] = anchors[q.id].replace(start=a, end=b)
        texts = dict(ds.texts)
        texts[first] = text
        same(changed(ds, texts=texts, anchors=anchors, uncited=()))
        texts[second] = text  # no quote holds: nothing covered
        same(changed(ds, texts=texts, anchors=anchors, uncited=()))


def test_a_folder_dataset_with_a_source_edited_on_disk(folder_copy: Path) -> None:
    folder = folder_copy
    ds = load(folder).dataset
    src = ds.sources[0]
    text = src.path.read_text(encoding="utf-8")
    mid = len(text) // 2
    src.path.write_text(text[:mid] + "\n\n An inserted   paragraph.\u00a0\n" + text[mid + 200:],
                        encoding="utf-8")
    edited = load(folder).dataset
    assert edited.texts[src.id] != ds.texts[src.id]
    same(edited)
