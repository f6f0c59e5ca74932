"""The one TOML-editing module: a value changes, every other character of the file stays;
refused when the file changed meanwhile; nothing written when the edit is not safe."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from csto_tui import tomledit
from csto_tui.atomic import Stamp
from csto_tui.errors import WriteConflictError

DOC = '''# a hand-written file
[dataset]
title = "T"   # trailing comment

[[quotes]]
id = "q1"
source = 'a1'
text = """multi
line with "quotes" and ] # not a comment"""
tags = ["x]", 'y#', { k = "}" }]  # comment [

[[quotes]]
"id" = "q2"
text = 'literal \\ kept'
n = 3

[[states]]
id = "q1"
text = "same id, other array"
'''


def only_changed_line(before: str, after: str) -> list[tuple[str, str]]:
    a, b = before.splitlines(), after.splitlines()
    return [(x, y) for x, y in zip(a, b, strict=False) if x != y]


def test_scan_finds_every_value() -> None:
    keys = [(e.table, e.index, e.key) for e in tomledit.scan(DOC)]
    assert keys == [("dataset", 0, "title"), ("quotes", 0, "id"), ("quotes", 0, "source"),
                    ("quotes", 0, "text"), ("quotes", 0, "tags"), ("quotes", 1, "id"),
                    ("quotes", 1, "text"), ("quotes", 1, "n"), ("states", 0, "id"),
                    ("states", 0, "text")]


@pytest.mark.parametrize("new", ["plain", 'with "quotes" and \\ and \n newline', "é ’ —",
                                 "tab\there \x1b[31m"])
@pytest.mark.parametrize("rid", ["q1", "q2"])
def test_set_value_changes_that_value_only(rid: str, new: str) -> None:
    out = tomledit.set_value(DOC, "quotes", rid, "text", new)
    data = tomllib.loads(out)
    want = tomllib.loads(DOC)
    i = 0 if rid == "q1" else 1
    want["quotes"][i]["text"] = new
    assert data == want
    # the characters around the value are the original's
    e = next(e for e in tomledit.scan(DOC) if e.table == "quotes" and e.index == i
             and e.key == "text")
    assert out.startswith(DOC[: e.start]) and out.endswith(DOC[e.end :])


def test_bundled_dataset_edit_changes_one_line(tmp_path: Path) -> None:
    src = Path(__file__).resolve().parent.parent / "data" / "csto.toml"
    doc = src.read_text(encoding="utf-8")
    rows = tomllib.loads(doc)["quotes"]
    for q in rows[:: max(1, len(rows) // 10)]:
        out = tomledit.set_value(doc, "quotes", q["id"], "text", q["text"] + " (edited)",
                                 old=q["text"])
        changed = only_changed_line(doc, out)
        assert len(changed) == 1 and changed[0][1].endswith(' (edited)"')


def test_missing_record_or_key_is_refused() -> None:
    with pytest.raises(tomledit.EditError, match="no \\[\\[quotes\\]\\]"):
        tomledit.set_value(DOC, "quotes", "nope", "text", "x")
    with pytest.raises(tomledit.EditError, match="has no 'note'"):
        tomledit.set_value(DOC, "quotes", "q2", "note", "x")


def test_value_not_what_was_reviewed_is_a_conflict() -> None:
    with pytest.raises(WriteConflictError):
        tomledit.set_value(DOC, "quotes", "q2", "text", "x", old="something else")


def test_rewrite_is_atomic_with_backup_and_refuses_a_changed_file(tmp_path: Path) -> None:
    f = tmp_path / "d.toml"
    f.write_text(DOC, encoding="utf-8")
    seen = Stamp.of(f)
    bak = tomledit.rewrite(f, "quotes", "q1", "text", "new words", expected=seen)
    assert bak is not None and bak.read_text(encoding="utf-8") == DOC
    assert tomllib.loads(f.read_text(encoding="utf-8"))["quotes"][0]["text"] == "new words"
    # the file changed since `seen`: refused, nothing written
    now = f.read_bytes()
    with pytest.raises(WriteConflictError):
        tomledit.rewrite(f, "quotes", "q1", "text", "again", expected=seen)
    assert f.read_bytes() == now
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_unparsable_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(tomledit.EditError):
        tomledit.set_value(DOC + "\n[[quotes]\n", "quotes", "q1", "text", "x")


# ------------------------------------------------------------------ append_string


LAYOUTS = [
    ('quotes = ["a", "b"]  # two\n', 'quotes = ["a", "b", "n\\"1"]  # two\n'),
    ('quotes = []\n', 'quotes = ["n\\"1"]\n'),
    ('quotes = [\n  "a",  # one\n  "b",  # two ]\n]\n',
     'quotes = [\n  "a",  # one\n  "b",  # two ]\n  "n\\"1",\n]\n'),
    ('quotes = [\n    "a",\n    "b"\n]\n', 'quotes = [\n    "a",\n    "b",\n    "n\\"1"\n]\n'),
    ('quotes = ["a",\n  "b",]\n', 'quotes = ["a",\n  "b", "n\\"1"]\n'),
]
HEAD = '# kept\n[[states]]\nid = "s1"   # kept too\n'
TAIL = '\n[[states.membership]]\nquotes = ["m"]\n\n[[states]]\nid = "s2"\nquotes = ["a"]\n'


@pytest.mark.parametrize(("layout", "expected"), LAYOUTS)
def test_append_string_adds_one_element_in_the_arrays_own_layout(layout: str,
                                                                 expected: str) -> None:
    head, tail = HEAD, TAIL
    doc = head + layout + tail
    new = tomledit.append_string(doc, "states", "s1", "quotes", 'n"1')
    assert new == head + expected + tail
    parsed = tomllib.loads(new)
    assert parsed["states"][0]["quotes"][-1] == 'n"1'
    assert parsed["states"][1]["quotes"] == ["a"]


def test_append_string_adds_the_key_when_the_table_has_none() -> None:
    doc = '[[states]]\nid = "s1"\nname = "S"  # c\n\n[[states.membership]]\nquotes = ["m"]\n'
    new = tomledit.append_string(doc, "states", "s1", "quotes", "q9")
    assert new == ('[[states]]\nid = "s1"\nname = "S"  # c\nquotes = ["q9"]\n\n'
                   '[[states.membership]]\nquotes = ["m"]\n')


@pytest.mark.parametrize(("layout", "expected"), [
    *LAYOUTS, ("", 'quotes = ["n\\"1"]\n')])
def test_append_string_keeps_a_crlf_file_crlf(layout: str, expected: str) -> None:
    """A file with Windows line ends gets its added element or key on a line ending as its
    others do (it got a bare LF: a file of mixed line ends)."""
    def crlf(s: str) -> str:
        return s.replace("\n", "\r\n")

    doc = crlf(HEAD + layout + TAIL)
    new = tomledit.append_string(doc, "states", "s1", "quotes", 'n"1')
    assert new == crlf(HEAD + expected + TAIL)
    assert new.count("\n") == new.count("\r\n")


def test_append_string_is_refused_when_unsafe_or_changed() -> None:
    doc = '[[states]]\nid = "s1"\nquotes = ["a"]\nname = "x"\n'
    with pytest.raises(tomledit.EditError):
        tomledit.append_string(doc, "states", "nobody", "quotes", "q")
    with pytest.raises(tomledit.EditError, match="not an array"):
        tomledit.append_string(doc, "states", "s1", "name", "q")
    with pytest.raises(WriteConflictError):
        tomledit.append_string(doc, "states", "s1", "quotes", "q", old=["a", "b"])
    assert tomledit.append_string(doc, "states", "s1", "quotes", "q", old=("a",)).count('"q"') == 1
