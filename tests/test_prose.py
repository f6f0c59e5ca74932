"""Quotation marks in a record's prose quote the record's own sources (``check``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csto_tui.checking import check
from csto_tui.cli import main
from csto_tui.prose import _OPENING, _opening, quoted_spans, unverified
from csto_tui.syncing import sync

TEXT = "The CSTO “helped stabilize” the federal government sufficient to end the unrest."
QUOTE = "The CSTO “helped stabilize” the federal government sufficient"


def dataset(tmp_path: Path, summary: str, note: str = "") -> Path:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    path = tmp_path / "d.toml"
    path.write_text(
        '[dataset]\ntitle = "t"\n\n[[sources]]\nid = "a"\nfile = "a.txt"\ntitle = "A"\n\n'
        f'[[quotes]]\nid = "q1"\nsource = "a"\ntext = {json.dumps(QUOTE, ensure_ascii=False)}\n'
        f'note = {json.dumps(note, ensure_ascii=False)}\n\n'
        '[[entities]]\nid = "csto"\nkind = "organization"\nname = "CSTO"\n'
        f'summary = {json.dumps(summary, ensure_ascii=False)}\nquotes = ["q1"]\n',
        encoding="utf-8")
    sync(path)
    return path


@pytest.mark.parametrize("summary", [
    "It “helped stabilize” the government",                 # verbatim
    "It \"helped stabilize\" the government",               # straight marks, same words
    "Its troops “Helped Stabilize” it",                     # case aside
    "“the federal government ... sufficient”",               # an ellipsis joins pieces
    "A so-called “stabilisation” force",                     # one word: a scare quote
    "Russia's troops and the members' government",          # apostrophes are not marks
    "The government was 'helped' by it",                    # one word in single marks
])
def test_quoted_words_verbatim_in_the_cited_quotes_pass(tmp_path: Path, summary: str) -> None:
    rep = check(dataset(tmp_path, summary))
    assert not [p for p in rep.problems if p.code == "quote-marks"], summary


@pytest.mark.parametrize("summary, shown", [
    ("It “restored order” in the country", "restored order"),
    ("It \"helped stabilise\" the government", "helped stabilise"),
    ("The members' view: 'a loose club' of states", "a loose club"),
    ("“the federal government ... ended the unrest”",
     "the federal government ... ended the unrest"),
])
def test_paraphrase_in_quotation_marks_is_a_located_error(tmp_path: Path, summary: str,
                                                          shown: str) -> None:
    path = dataset(tmp_path, summary)
    rep = check(path)
    assert not rep.ok
    (p,) = [p for p in rep.problems if p.code == "quote-marks"]
    assert p.record == "csto" and p.field == "summary"
    assert f"\u201c{shown}\u201d" in p.message
    line = path.read_text(encoding="utf-8").splitlines()[p.line - 1]
    assert line.startswith("summary = ")
    # the column points at the opening quotation mark
    assert line[p.column - 1] in "\u201c\"'\\"


def test_a_quote_note_is_checked_against_the_quote_itself(tmp_path: Path, capsys) -> None:
    path = dataset(tmp_path, "fine", note="the spun text for “restored the government”")
    assert main(["check", "--data", str(path)]) == 1
    out = capsys.readouterr().out
    assert "[quote-marks] q1.note: quotation marks around words that are not verbatim" in out
    assert f"{path}:" in out


def test_quoted_spans() -> None:
    s = "A “b c” and \"d e\" and 'f g' but Russia's and members' x"
    assert [q.inner for q in quoted_spans(s)] == ["b c", "d e", "f g"]
    assert unverified("the “b c” thing", ["a b c d"]) == []
    assert [q.inner for q in unverified("the “b x” thing", ["a b c d"])] == ["b x"]


def _opens_at(s: str) -> list[int]:
    """Where a run may open, as :func:`quoted_spans` opens one, character by character."""
    out = []
    for i, c in enumerate(s):
        if c in "\u201c\"":
            out.append(i)
        elif c in "\u2018'" and (i == 0 or not (s[i - 1].isalnum() or s[i - 1] == "_")) \
                and i + 1 < len(s) and not s[i + 1].isspace():
            out.append(i)
    return out


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(alphabet="ab_ 7\u0663\u00e9\u00a0\u2003\n\t.\u2019\u201d\u201c\"\u2018'-",
                        max_size=12), max_size=6))
def test_opening_marks_found_in_joined_texts_as_in_each_text(texts: list[str]) -> None:
    """The prose check finds the texts with a mark that may open a quoted run by searching
    them joined: exactly the texts where the mark opens in the text alone."""
    want = [i for i, t in enumerate(texts) if _opens_at(t)]
    assert _opening(texts) == want
    for t in texts:
        assert [m.start() for m in _OPENING.finditer(t)] == _opens_at(t)
        assert {qd.start for qd in quoted_spans(t)} <= set(_opens_at(t))
