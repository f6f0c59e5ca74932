"""Parsing TOML piece by piece (csto_tui/tomlchunks.py) gives tomllib's answer or none at all."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csto_tui import tomlchunks

ROOT = Path(__file__).resolve().parent.parent
DATASET = (ROOT / "data" / "csto.toml").read_text(encoding="utf-8")


def _agrees(text: str, known: tomlchunks.Pieces | None = None) -> tomlchunks.Pieces | None:
    """Piecewise parse of ``text``: the same data as tomllib when it gives any; None when
    tomllib fails too or when it declines."""
    res = tomlchunks.parse(text, known or {})
    try:
        whole = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        assert res is None, "accepted a document tomllib rejects"
        return None
    if res is None:
        return None
    assert res[0] == whole
    return res[1]


def test_the_shipped_dataset_parses_piece_by_piece() -> None:
    pieces = _agrees(DATASET)
    assert pieces is not None and len(pieces) > 250


def test_an_edit_reparses_only_the_piece_that_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    pieces = _agrees(DATASET)
    assert pieces is not None
    edited = DATASET.replace('id = "q-a1-kaz-headlines"', 'id = "q-a1-kaz-headlines-2"', 1)
    calls: list[str] = []
    real = tomllib.loads

    def counting(s: str) -> dict[str, object]:
        calls.append(s)
        return real(s)

    monkeypatch.setattr(tomlchunks.tomllib, "loads", counting)
    res = tomlchunks.parse(edited, pieces)
    monkeypatch.undo()
    assert res is not None and res[0] == tomllib.loads(edited)
    assert len(calls) == 1 and "q-a1-kaz-headlines-2" in calls[0]


@pytest.mark.parametrize("text", [
    # a header-like line inside a multi-line string
    '[[quotes]]\nid = "a"\ntext = """first\n[[quotes]]\nstill the string"""\n',
    "[[quotes]]\nid = 'a'\ntext = '''x\n[dataset]\ny'''\n",
    # inside a multi-line array
    'x = [\n  1,\n[[quotes]]\n]\n',
    # a sub-table extending a table of another piece
    '[[states]]\nid = "a"\n[[quotes]]\nid = "q"\n[[states.membership]]\nkind = "member"\n',
    '[dataset]\ntitle = "t"\n[[quotes]]\nid = "q"\n[dataset.more]\nx = 1\n',
    '[a.b]\nx = 1\n[a]\ny = 2\n',
    # defined twice, or as two kinds
    '[dataset]\nx = 1\n[dataset]\ny = 2\n',
    'quotes = [1]\n[[quotes]]\nid = "q"\n',
    '[quotes]\nx = 1\n[[quotes]]\nid = "q"\n',
    '[[quotes]]\nid = "q"\n[quotes]\nx = 1\n',
    'dataset = { x = 1 }\n[dataset]\ny = 2\n',
    # malformed headers and values
    '[[quotes]\nid = "q"\n',
    '[quotes]]\nid = "q"\n',
    '[[quotes]]\nid = \n',
    '[[quotes]]\nid = "q"\nid = "r"\n',
])
def test_tricky_documents_agree_with_tomllib_or_decline(text: str) -> None:
    _agrees(text)
    _agrees(text.replace("\n", "\r\n"))


def test_sub_tables_comments_and_identical_pieces() -> None:
    text = ('title = "x"  # top\n\n[dataset]  # the table\nbase = ".."\n\n'
            '[[states]]\nid = "s"\n[[states.membership]]\nkind = "member"\nfrom = "1992"\n'
            '[[states.membership]]\nkind = "observer"\nfrom = "1990"\n\n'
            '[[quotes]]\nid = "q"\n\n[[quotes]]\nid = "q"\n\n'
            '  [[ events ]]\nid = "e"\n')
    pieces = _agrees(text)
    assert pieces is not None
    data = tomlchunks.parse(text, pieces)
    assert data is not None and data[0] == tomllib.loads(text)
    assert len(data[0]["quotes"]) == 2


_FRAGMENTS = [
    '[[quotes]]\nid = "q{n}"\ntext = "a [[b]] c"\n',
    '[[quotes]]\nid = "q{n}"\ntext = """x\n[[quotes]]\ny"""\n',
    "[[quotes]]\nid = 'q{n}'\nnote = '''\n[dataset]\n'''\n",
    '[[states]]\nid = "s{n}"\n[[states.membership]]\nkind = "member"\n',
    '[[states.membership]]\nkind = "observer"\n',
    '[dataset]\ntitle = "t{n}"\n',
    '[dataset.sub]\nx = {n}\n',
    'top{n} = {n}\n',
    'arr = [\n[[1]],\n]\n',
    '# [[quotes]]\n',
    '[[events]]  # comment\nid = "e{n}"\nstates = ["a", "b"]\n',
    '[x]\n[x.y]\nz = {n}\n',
    '[[quotes]]\nid = "q{n}"\ntext = "unterminated\n',
]


@settings(max_examples=int(os.environ.get("CSTO_FUZZ_EXAMPLES", "300")), deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_FRAGMENTS), st.integers(0, 3)), max_size=8),
       st.lists(st.tuples(st.sampled_from(_FRAGMENTS), st.integers(0, 3)), max_size=8))
def test_any_mix_of_pieces_agrees_with_tomllib(
        first: list[tuple[str, int]], second: list[tuple[str, int]]) -> None:
    a = "".join(f.replace("{n}", str(n)) for f, n in first)
    b = "".join(f.replace("{n}", str(n)) for f, n in second)
    pieces = _agrees(a)
    _agrees(a + b, pieces)  # reusing the pieces of an earlier version of the file
    _agrees(b + a, pieces)
