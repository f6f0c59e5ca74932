"""Ids and dates that only look right (the one validator, csto_tui/validator.py and
PartialDate.parse): a trailing newline, control or bidi characters in an id, digits of other
scripts in a date, each refused with its file, line, record and field. Rows of
docs/robustness.md."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from csto_tui.checking import check
from csto_tui.loader import anchors_path_for
from csto_tui.syncing import sync
from csto_tui.values import PartialDate


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSTO_TUI_CACHE", "0")


def _line_of(path: Path, needle: str) -> int:
    for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if needle in line:
            return n
    raise AssertionError(needle)


@pytest.mark.parametrize(("written", "value"), [
    (r"kaz\n", "kaz\n"), (r"kaz\u0007", "kaz\u0007"), (r"k\u202eaz", "k\u202eaz"),
    ("kaz ", "kaz "), (r"\u041aaz", "\u041aaz"), (r"kaz\r", "kaz\r"),
])
def test_an_id_with_a_control_character_or_a_lookalike_is_refused(
        project_copy: Path, written: str, value: str) -> None:
    text = project_copy.read_text(encoding="utf-8")
    project_copy.write_text(text.replace('id = "kaz"', f'id = "{written}"', 1), encoding="utf-8")
    line = _line_of(project_copy, f'id = "{written}"')
    rep = check(project_copy)
    (p,) = [p for p in rep.errors if p.field == "id" and p.record == value]
    assert (p.code, p.file, p.line) == ("schema", str(project_copy), line)
    assert p.message.startswith(f"id {value!r} must match [a-z0-9][a-z0-9._-]*")
    assert not rep.ok


def test_a_quote_id_with_a_trailing_newline_never_reaches_the_anchors_file(
        project_copy: Path) -> None:
    text = project_copy.read_text(encoding="utf-8")
    qid = "q-a1-nine-members"
    project_copy.write_text(text.replace(f'id = "{qid}"', f'id = "{qid}\\n"', 1),
                            encoding="utf-8")
    assert any(p.record == qid + "\n" and p.field == "id" for p in check(project_copy).errors)
    sync(project_copy)
    anchors = tomllib.loads(anchors_path_for(project_copy).read_text(encoding="utf-8"))
    assert not any("\n" in k for k in anchors.get("anchors", {}))


@pytest.mark.parametrize("date", [
    "\u0662\u0660\u0662\u0662",  # Arabic-Indic 2022
    "\uff12\uff10\uff12\uff12",  # fullwidth 2022
    "2022-0\u0661",  # a month in Arabic-Indic digits
    "\u0968\u0966\u0968\u0968-01-05",  # Devanagari
    "2022\n", "2022\t", "2022-01-05\x00",
])
def test_a_date_in_other_digits_or_with_a_control_character_is_refused(
        project_copy: Path, date: str) -> None:
    with pytest.raises(ValueError, match="ASCII digits"):
        PartialDate.parse(date)
    escaped = json.dumps(date)[1:-1]  # JSON's escapes are TOML's too
    text = project_copy.read_text(encoding="utf-8")
    project_copy.write_text(text.replace('date = "2022-02-04"', f'date = "{escaped}"', 1),
                            encoding="utf-8")
    line = _line_of(project_copy, f'date = "{escaped}"')
    errors = [p for p in check(project_copy).errors if p.field == "date"]
    assert [(p.code, p.record, p.line) for p in errors] == [("schema", "a1", line)]
    assert f"{date!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD" in errors[0].message


def test_ascii_dates_still_parse() -> None:
    assert PartialDate.parse("2022-02-04").iso() == "2022-02-04"
    assert PartialDate.parse(" 1994 ").iso() == "1994"


def test_line_numbers_count_newlines_only(project_copy: Path) -> None:
    """A string may hold U+2028, U+0085 or U+2029 raw; lines still end at newlines only,
    so a problem after it is reported at its own line."""
    text = project_copy.read_text(encoding="utf-8")
    text = text.replace('title = "CSTO briefing dataset"',
                        'title = "CSTO\u2028briefing\x85dataset\u2029"', 1)
    project_copy.write_text(text.replace('id = "kaz"', 'id = "Kaz"', 1), encoding="utf-8")
    (p,) = [p for p in check(project_copy).errors if p.record == "Kaz"]
    assert p.line == _line_of(project_copy, 'id = "Kaz"')


def test_days_in_month_is_the_calendars_for_every_year_a_date_may_have() -> None:
    import calendar

    from csto_tui.values import days_in_month

    assert [(y, m) for y in range(1, 10000) for m in range(1, 13)
            if days_in_month(y, m) != calendar.monthrange(y, m)[1]] == []
