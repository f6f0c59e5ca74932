"""A reference to a record that does not exist (``unknown-ref``) is located at the item that
names it, not at the array that holds it: the line and column of the item's opening quote,
however the array is written (one line or several, comments, trailing commas, literal or
basic strings, escapes, inline tables, ``[[table]]`` and ``[[table.sub]]`` records), in a full
load, in ``csto-tui check`` (the whole check and the check of one edited file) and on the
dashboard. The problem's record, field and message are as they always were."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from conftest import minimal
from hypothesis import given, settings
from hypothesis import strategies as st

from csto_tui.cli import main
from csto_tui.errors import Problem
from csto_tui.filecheck import summarize
from csto_tui.loader import load
from csto_tui.locator import Locator
from csto_tui.tomledit import basic_string

pytestmark = pytest.mark.usefixtures("private_dirs")

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_3015bca6c6aaec53.txt"
QUOTE = "2,500 of its troops entered Kazakhstan"

HEAD = minimal()

EVENT = '''
[[events]]
id = "{rid}"
date = "2022-01-05"
title = "t"
response = "intervened"
summary = "s"
'''


def write(tmp: Path, body: str, name: str = "d.toml") -> Path:
    if not (tmp / "a1.txt").exists():
        (tmp / "a1.txt").write_bytes(SEED.read_bytes())
    path = tmp / name
    path.write_text(body, encoding="utf-8")
    return path


def at(body: str, marker: str, nth: int = 1) -> tuple[int, int]:
    """(line, column), 1-based, of the first character of the ``nth`` ``marker`` in ``body``."""
    pos = -1
    for _ in range(nth):
        pos = body.index(marker, pos + 1)
    line = body.count("\n", 0, pos) + 1
    return line, pos - (body.rfind("\n", 0, pos) + 1) + 1


def refs(problems: list[Problem], rid: str) -> list[tuple[str, str, int | None, int | None]]:
    """(field, message, line, column) of the unknown references of one record, in order."""
    return [(p.field, p.message, p.line, p.column) for p in problems
            if p.code == "unknown-ref" and p.record == rid]


def char_at(path: Path, line: int, col: int) -> str:
    """The text of ``path`` from that line and column on (what an editor jumps to)."""
    return path.read_text(encoding="utf-8").split("\n")[line - 1][col - 1:]


def test_an_array_on_one_line(tmp_path: Path) -> None:
    body = HEAD + EVENT.format(rid="e1") + 'states = ["kaz", "xx"]\nquotes = ["q1", "q-bad"]\n'
    res = load(write(tmp_path, body))
    assert refs(res.problems, "e1") == [
        ("states", "state 'xx' does not exist", *at(body, '"xx"')),
        ("quotes", "quote 'q-bad' does not exist", *at(body, '"q-bad"')),
    ]


def test_an_array_over_several_lines_with_comments_and_a_trailing_comma(tmp_path: Path) -> None:
    body = HEAD + EVENT.format(rid="e1") + '''states = ["kaz"]
quotes = [
    "q1",  # not "q-bad", nor 'q-bad', in a comment
    # "q-bad" commented out
    "q-bad",
    ]
'''
    res = load(write(tmp_path, body))
    line, col = at(body, '    "q-bad",')
    assert refs(res.problems, "e1") == [("quotes", "quote 'q-bad' does not exist", line, col + 4)]
    assert res.dataset.get("e1") is not None  # the citation dropped, not the event


def test_literal_strings_and_strings_with_escapes(tmp_path: Path) -> None:
    body = HEAD + EVENT.format(rid="e1") + (
        "states = ['kaz', 'x\"x', \"kaz\", \"a\\\"b\", \"q\\u002Dz\", 'y\\u002Dz']\n"
        'quotes = ["q1"]\n')
    res = load(write(tmp_path, body))
    got = refs(res.problems, "e1")
    assert got == [
        ("states", "state 'x\"x' does not exist", *at(body, "'x\"x'")),
        ("states", "state 'a\"b' does not exist", *at(body, '"a\\"b"')),
        ("states", "state 'q-z' does not exist", *at(body, '"q\\u002Dz"')),
        ("states", "state 'y\\\\u002Dz' does not exist", *at(body, "'y\\u002Dz'")),
    ]


def test_the_same_unknown_id_twice_is_located_at_each(tmp_path: Path) -> None:
    """Each occurrence is a problem of its own, at its own place: ``check`` lists both (the
    same record, field and message at two places), so both are fixed in one go."""
    body = HEAD + EVENT.format(rid="e1") + (
        'quotes = ["q1", "q-bad",\n  "q-bad"]\nstates = ["kaz"]\n')
    path = write(tmp_path, body)
    first, second = at(body, '"q-bad"'), at(body, '"q-bad"', 2)
    assert first[0] != second[0]
    msg = "quote 'q-bad' does not exist"
    assert refs(load(path).problems, "e1") == [("quotes", msg, *first), ("quotes", msg, *second)]
    listed = [p for p in summarize(path).problems if p.code == "unknown-ref"]
    assert [(p.record, p.field, p.message, p.line, p.column) for p in listed] == [
        ("e1", "quotes", msg, *first), ("e1", "quotes", msg, *second)]


def test_nested_tables_each_at_its_own_item(tmp_path: Path) -> None:
    """``[[states.membership]]``: the bad id of the second span is found in the second span,
    not the first's array (which names it too)."""
    body = HEAD.replace('quotes = ["q1"]\n', 'quotes = ["q1", "q-bad"]\n') + '''
[[states.membership]]
kind = "observer"
from = "1990"
to = "1993"
quotes = [
  "q1", 'q-bad',
]
'''
    res = load(write(tmp_path, body))
    msg = "quote 'q-bad' does not exist"
    assert refs(res.problems, "kaz") == [
        ("quotes", msg, *at(body, '"q-bad"')),
        ("membership[1].quotes", msg, *at(body, '"q-bad"', 2)),
        ("membership[2].quotes", msg, *at(body, "'q-bad'")),
    ]


def test_inline_tables(tmp_path: Path) -> None:
    """Nested records written as inline tables in an array (on one line and over several):
    an item of the second table's array, and a single string of an inline table, found in
    that table."""
    head = HEAD.split("[[states.membership]]")[0]
    body = head + '''membership = [
  {kind = "member", from = "1994", quotes = ["q1"]},  ''' + (
        '{kind = "observer", from = "1990", to = "1993", quotes = ["q1", "q-bad"]},\n]\n'
    ) + EVENT.format(rid="e1") + '''states = ["kaz"]
quotes = ["q1"]
participants = [{who = "kaz", quotes = ["q1"]}, {who = "xx", quotes = [
  "q1",
  "q-bad"]}]
'''
    res = load(write(tmp_path, body))
    msg = "quote 'q-bad' does not exist"
    assert refs(res.problems, "kaz") == [("membership[2].quotes", msg, *at(body, '"q-bad"'))]
    assert refs(res.problems, "e1") == [
        ("participants[2].who", "participant 'xx' is neither a state nor an entity",
         *at(body, '"xx"')),
        ("participants[2].quotes", msg, *at(body, '"q-bad"', 2)),
    ]


def test_a_single_string_and_what_is_left_out(tmp_path: Path) -> None:
    """A field holding one id is located at its value, as before; a record left citing no
    quote (``uncited-record``: about the whole array) at the array, in a nested table the
    nested table's; each unknown quote of it at itself."""
    body = HEAD + EVENT.format(rid="e1") + '''states = ["kaz"]
quotes = ["q1"]
after = "e-none"

[[events]]
id = "e2"
date = "2022-01-05"
title = "t"
response = "intervened"
summary = "s"
states = ["kaz"]
participants = [{who = "kaz", quotes = ["q-bad"]},
  {who = "kaz", quotes = ["q-bad2"]}]
'''
    res = load(write(tmp_path, body))
    assert refs(res.problems, "e1") == [
        ("after", "event 'e-none' does not exist", *at(body, '"e-none"'))]
    assert refs(res.problems, "e2") == [
        ("participants[1].quotes", "quote 'q-bad' does not exist", *at(body, '"q-bad"')),
        ("participants[2].quotes", "quote 'q-bad2' does not exist", *at(body, '"q-bad2"'))]
    assert res.dataset.get("e2") is None  # it cites no quote that exists: left out
    (left,) = [p for p in res.problems if p.code == "uncited-record"]
    assert (left.record, left.field) == ("e2", "participants[1].quotes")
    assert (left.line, left.column) == at(body, '["q-bad"]')


def test_check_after_an_edit_and_the_cli_point_at_the_item(
        folder_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``csto-tui check`` on a folder dataset: after an edit of one file (that file's share
    alone checked again) and on the whole dataset, the file:line:col printed is where the
    bad id's opening quote is."""
    assert main(["check", "--data", str(folder_copy)]) == 0
    capsys.readouterr()
    shared = folder_copy / "shared.toml"
    text = shared.read_text(encoding="utf-8")
    old = 'quotes = [\n    "q-a1-nine-members",\n'
    assert text.count(old) > 1
    shared.write_text(text.replace(old, old + '    "q-nope",\n', 1), encoding="utf-8")
    by_file = summarize(folder_copy)
    assert by_file.report is None  # shared.toml's share alone
    whole = summarize(folder_copy, whole=True)
    for got in (by_file, whole):
        (p,) = [p for p in got.problems if p.code == "unknown-ref"]
        assert (p.line, p.column) == at(shared.read_text(encoding="utf-8"), '"q-nope"')
    assert main(["check", "--data", str(folder_copy)]) == 1
    out = capsys.readouterr().out
    m = re.search(r"^(\S+):(\d+):(\d+) \[unknown-ref\] (\S+): (.*)$", out, re.M)
    assert m is not None, out
    assert m.group(1) == str(shared)
    assert m.group(5) == "quote 'q-nope' does not exist"
    assert char_at(shared, int(m.group(2)), int(m.group(3))).startswith('"q-nope"')


async def test_the_dashboard_shows_the_items_place(project_copy: Path) -> None:
    """The sync screen (S), which lists each problem of the dataset as ``check`` does, gives
    the item's line and column."""
    from conftest import planned_sync, settle
    from textual.widgets import Static

    from csto_tui.app import CstoApp

    text = project_copy.read_text(encoding="utf-8")
    old = '"q-a2-cst-signing", "q-a1-arm-2020"'
    assert text.count(old) == 1
    project_copy.write_text(text.replace(old, '"q-a2-cst-signing", "q-zz", "q-a1-arm-2020"'),
                            encoding="utf-8")
    line, col = at(project_copy.read_text(encoding="utf-8"), '"q-zz"')
    app = CstoApp(project_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "1 problem: S" in app.sub_title
        await pilot.press("S")
        screen = await planned_sync(pilot)
        summary = str(screen.query_one("#sync-summary", Static).render())
    assert (f"{project_copy}:{line}:{col} [unknown-ref] arm.quotes: quote 'q-zz' does not exist"
            in summary.replace("\n", " ")), summary


def test_records_written_as_inline_tables_and_quoted_keys(tmp_path: Path) -> None:
    """Records themselves written as inline tables of a top-level array (before any table
    header), and a key written quoted: the item is found in the record that holds it."""
    event = ('{{id = "{rid}", date = "2022-01-05", title = "t", response = "intervened", '
             'summary = "s", states = ["kaz"], quotes = ["q1"{more}]}}')
    body = ("events = [\n  " + event.format(rid="e0", more="") + ",\n  "
            + event.format(rid="e1", more=', "q-bad"') + ",\n]\n\n"
            + HEAD.replace('quotes = ["q1"]', '"quotes" = [\'q1\', "q-bad"]', 1))
    res = load(write(tmp_path, body))
    msg = "quote 'q-bad' does not exist"
    assert refs(res.problems, "e1") == [("quotes", msg, *at(body, '"q-bad"'))]
    assert refs(res.problems, "kaz") == [("quotes", msg, *at(body, '"q-bad"', 2))]
    assert {e.id for e in res.dataset.events} == {"e0", "e1"}


def _written(rng: Any, value: str) -> str:
    """``value`` as a TOML string, in one of the ways a person may write it."""
    how = rng.choice(["basic", "escaped", "literal", "multi"])
    if how == "literal" and "'" not in value and "\n" not in value:
        return f"'{value}'"
    if how == "escaped":
        return '"' + "".join(f"\\u{ord(c):04X}" if c.isalpha() and rng.random() < 0.5
                             else basic_string(c)[1:-1] for c in value) + '"'
    if how == "multi" and not ({'"', "\\"} & set(value) or value.startswith("\n")):
        return f'"""{value}"""'
    return basic_string(value)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet="ab\"'\\# ,[]{}=\u00e9\n", min_size=1, max_size=5),
                min_size=1, max_size=8), st.randoms(use_true_random=False))
def test_every_item_of_any_array_is_found_at_itself(values: list[str], rng: Any) -> None:
    """However an array of strings is written (strings of every kind holding quotes,
    brackets, commas and '#', comments, blank lines, a trailing comma), each item is located at
    its own opening quote, an id written twice at each occurrence."""
    seps = [",", ", ", " ,\n  ", ",  # a comment, \"x\" [\n", ",\n\n# 'y', ]\n  "]
    parts = [_written(rng, v) for v in values]
    array = "[" + rng.choice(["", "\n  ", " # c [\n "])
    starts = []
    for i, part in enumerate(parts):
        if i:
            array += rng.choice(seps)
        starts.append(len(array))
        array += part
    array += rng.choice(["", ",", ",\n", " ,  # end\n"]) + "]"
    text = f'[[events]]\nid = "e1"\nquotes = {array}\nstates = ["kaz"]\n'
    assert tomllib.loads(text)["events"][0]["quotes"] == values  # what the loader reads
    base = text.index("quotes = ") + len("quotes = ")
    loc = Locator(text)
    for j, v in enumerate(values):
        line, col = loc.position_of("e1", "quotes", item=(j, v))
        pos = base + starts[j]
        assert text[pos:].startswith(parts[j])
        assert (line, col) == (text.count("\n", 0, pos) + 1, pos - text.rfind("\n", 0, pos))


def test_a_key_of_an_inline_table_is_still_located_at_the_key(tmp_path: Path) -> None:
    """A problem about a key of an inline table that is a field's value (``inferred``) is
    located at that key, as before; a field of a nested record written inline at its value."""
    body = HEAD + EVENT.format(rid="e1") + '''states = ["kaz"]
quotes = ["q1"]
inferred = {date = "why", nothing = "x"}
participants = [{who = "kaz", quotes = ["q1"]}, {who = "kaz", role = "boss", quotes = ["q1"]}]
'''
    res = load(write(tmp_path, body))
    assert [(p.field, p.line, p.column) for p in res.problems if p.record == "e1"] == [
        ("participants[2].role", *at(body, '"boss"'))]
    body = body.replace(', role = "boss"', "")
    res = load(write(tmp_path, body))
    assert [(p.field, p.line, p.column) for p in res.problems if p.record == "e1"] == [
        ("inferred.nothing", *at(body, "nothing ="))]


@pytest.mark.parametrize("text, path, expected", [
    # a nested record written inline, with a quoted key tomllib rejects before the field
    ('[[events]]\nid = "e1"\nparticipants = [{"a\\q" = 1, quotes = ["x"]}]\n',
     "participants[1].quotes", (3, 17)),
    # a record written as an inline table whose quoted key tomllib rejects
    ('events = [{"a\\q" = 1, id = "e1", quotes = ["x"]}]\n', "quotes", None),
])
def test_text_the_locator_cannot_read_stops_it_without_an_error(
        text: str, path: str, expected: tuple[int, int] | None) -> None:
    """The loader locates a problem in the file as it is on disk when the problem is reported,
    which may no longer be the text it validated (saved again meanwhile): text the scanner
    cannot read (a quoted key with an escape TOML forbids) stops the locating where it is,
    as far as it was followed, and never raises (before: tomllib's TOMLDecodeError)."""
    got = Locator(text).position_of("e1", path, item=(0, "x"))
    if expected is None:
        assert got == (None, None)
    else:
        assert got == expected
