"""Loader errors come with their locations; bad input is reported, never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import minimal

from csto_tui.errors import DatasetError
from csto_tui.loader import load
from csto_tui.sources import safe_source_path
from csto_tui.values import PartialDate

SEED = "seeds/000_3015bca6c6aaec53.txt"


def write(tmp: Path, body: str, name: str = "d.toml") -> Path:
    p = tmp / name
    p.write_text(body, encoding="utf-8")
    return p


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = Path(__file__).resolve().parent.parent
    (tmp_path / "a1.txt").write_bytes((root / SEED).read_bytes())
    return tmp_path


def test_minimal_dataset_loads(folder: Path) -> None:
    res = load(write(folder, minimal()))
    assert [p for p in res.problems if p.severity == "error"] == []
    st = res.dataset.state("kaz")
    assert st is not None and st.membership[0].start == PartialDate(1994)


def test_toml_syntax_error_has_file_line_and_column(folder: Path) -> None:
    body = minimal() + '\n[[events]]\nid = "e1"\ndate = "2022-01\n'
    p = write(folder, body)
    with pytest.raises(DatasetError) as exc:
        load(p)
    prob = exc.value.problems[0]
    assert prob.file == str(p)
    assert prob.line == body.count("\n") and prob.column is not None
    assert f"{p}:{prob.line}:{prob.column}" in exc.value.message


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no such file"):
        load(tmp_path / "nope.toml")


def test_schema_error_names_record_field_and_line(folder: Path) -> None:
    body = minimal().replace('status = "member"', 'status = "memebr"')
    p = write(folder, body)
    res = load(p)
    errs = [x for x in res.problems if x.code == "schema"]
    assert len(errs) == 1
    assert errs[0].record == "kaz" and errs[0].field == "status"
    assert errs[0].line == body.splitlines().index('status = "memebr"') + 1
    assert "memebr" in errs[0].format() and "kaz.status" in errs[0].format()


def test_wrong_type_and_missing_field(folder: Path) -> None:
    body = minimal(extra='''
[[metrics]]
id = "m1"
state = "kaz"
category = "economic"
measure = "x"
value = "lots"
unit = "%"
quotes = ["q1"]

[[events]]
id = "e1"
title = "no date"
response = "intervened"
summary = "s"
quotes = ["q1"]
''')
    res = load(write(folder, body))
    got = {(p.record, p.field) for p in res.problems if p.severity == "error"}
    assert ("m1", "value") in got
    assert ("e1", "date") in got


@pytest.mark.parametrize("value", ["1" + "0" * 400, "nan", "inf", "-inf"])
def test_a_figure_too_big_or_not_a_number_is_a_schema_error(folder: Path, value: str) -> None:
    """TOML takes integers of any length and nan/inf floats: a figure must still be one that
    can be shown and compared (found by a review: 400 digits raised OverflowError)."""
    body = minimal(extra=f'''
[[metrics]]
id = "m1"
state = "kaz"
category = "economic"
measure = "x"
value = {value}
unit = "%"
quotes = ["q1"]

[[metrics]]
id = "m2"
state = "kaz"
category = "economic"
measure = "y"
value = 12.5
unit = "%"
quotes = ["q1"]
''')
    res = load(write(folder, body))
    bad = [p for p in res.problems if p.record == "m1"]
    assert [(p.code, p.field) for p in bad] == [("schema", "value")]
    assert "finite" in bad[0].message
    assert [m.id for m in res.dataset.metrics] == ["m2"]


def test_duplicate_ids_and_unknown_references(folder: Path) -> None:
    body = minimal(extra='''
[[events]]
id = "kaz"
date = "2022-01-05"
title = "dup"
response = "intervened"
summary = "s"
states = ["kaz"]
quotes = ["q1"]

[[events]]
id = "e2"
date = "2022-01-05"
title = "refs"
response = "intervened"
summary = "s"
states = ["kaz", "atlantis"]
quotes = ["q1", "q-missing"]
''')
    res = load(write(folder, body))
    codes = {(p.code, p.record) for p in res.problems}
    assert ("duplicate-id", "kaz") in codes
    dup = next(p for p in res.problems if p.code == "duplicate-id")
    lines = body.splitlines()
    second = [i for i, line in enumerate(lines) if line == 'id = "kaz"'][1]
    assert dup.line == second + 1
    refs = {(p.record, p.field) for p in res.problems if p.code == "unknown-ref"}
    assert refs == {("e2", "states"), ("e2", "quotes")}


def test_invalid_dates_are_rejected(folder: Path) -> None:
    for bad in ("2022-13", "2022-02-30", "22", "January 2022"):
        body = minimal().replace('from = "1994"', f'from = "{bad}"')
        res = load(write(folder, body))
        assert any(p.record == "kaz" and "from" in p.field for p in res.problems), bad


def test_membership_overlap_and_exit_before_entry(folder: Path) -> None:
    body = minimal().replace('from = "1994"\nquotes = ["q1"]', '''from = "1994"
to = "1999"
quotes = ["q1"]
[[states.membership]]
kind = "member"
from = "1998"
quotes = ["q1"]''')
    res = load(write(folder, body))
    assert any(p.code == "membership" and "overlap" in p.message for p in res.problems)
    body2 = minimal().replace('from = "1994"', 'from = "1999"\nto = "1994"')
    res2 = load(write(folder, body2))
    assert any(p.code == "membership" and "before" in p.message for p in res2.problems)


def test_record_without_quote_is_an_error(folder: Path) -> None:
    body = minimal(extra='''
[[events]]
id = "e1"
date = "2022"
title = "t"
response = "none"
summary = "s"
quotes = []
''')
    res = load(write(folder, body))
    assert any(p.code == "uncited-record" and p.record == "e1" for p in res.problems)


@pytest.mark.parametrize("path", ["../a1.txt", "/etc/passwd", "sub/../../x.txt", "C:\\x.txt"])
def test_source_paths_leaving_the_folder_are_refused(folder: Path, path: str) -> None:
    target, err = safe_source_path(folder, path)
    assert target is None and err


def test_symlink_pointing_outside_is_refused(folder: Path, tmp_path_factory) -> None:
    outside = tmp_path_factory.mktemp("outside") / "secret.txt"
    outside.write_text("secret", encoding="utf-8")
    os.symlink(outside, folder / "link.txt")
    body = minimal().replace('file = "a1.txt"', 'file = "link.txt"')
    res = load(write(folder, body))
    assert any(p.code == "path" and p.record == "a1" for p in res.problems)
    assert "a1" not in res.dataset.texts


def test_symlink_inside_the_folder_is_fine(folder: Path) -> None:
    os.symlink(folder / "a1.txt", folder / "alias.txt")
    res = load(write(folder, minimal().replace('file = "a1.txt"', 'file = "alias.txt"')))
    assert "a1" in res.dataset.texts


def test_missing_and_non_utf8_sources(folder: Path) -> None:
    (folder / "bad.txt").write_bytes(b"caf\xe9 latin-1")
    res = load(write(folder, minimal().replace('file = "a1.txt"', 'file = "bad.txt"')))
    assert any(p.code == "source" and "UTF-8" in p.message for p in res.problems)
    res2 = load(write(folder, minimal().replace('file = "a1.txt"', 'file = "gone.txt"')))
    assert any(p.code == "source" and "not found" in p.message for p in res2.problems)


def test_bom_is_skipped_and_crlf_kept(folder: Path) -> None:
    (folder / "a1.txt").write_bytes(b"\xef\xbb\xbfline one\r\nline two")
    res = load(write(folder, minimal(quote="line two")))
    assert res.dataset.texts["a1"] == "line one\r\nline two"


def test_bad_base_is_refused(folder: Path) -> None:
    res = load(write(folder, minimal().replace('base = "."', 'base = "/"')))
    assert any(p.code == "path" and p.field == "base" for p in res.problems)


def test_a_name_used_by_two_records_is_a_warning_and_an_own_alias_is_not(folder: Path) -> None:
    """An alias clash is found however the name is cased and spaced; a record that lists its
    own name among its aliases (as the shipped CSTO entity does) clashes with nothing."""
    own = minimal('''
[[entities]]
id = "csto"
kind = "organization"
name = "Collective Security Treaty Organization"
aliases = ["CSTO", "Collective Security Treaty Organization"]
quotes = ["q1"]
''')
    res = load(write(folder, own))
    assert [p for p in res.problems if p.code == "alias"] == []
    clash = own + '''
[[entities]]
id = "kaz-army"
kind = "force"
name = "Armed Forces"
aliases = ["  kazakhstan "]
quotes = ["q1"]
'''
    res = load(write(folder, clash))
    alias = [p for p in res.problems if p.code == "alias"]
    assert [(p.record, p.field, p.severity) for p in alias] == [
        ("kaz-army", "aliases", "warning")]
    assert "'kaz'" in alias[0].message
