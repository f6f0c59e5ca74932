"""`csto-tui search` as a user runs it: the ranked order, grouping on request, JSON keys,
usage errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from csto_tui.cli import main
from csto_tui.loader import load
from csto_tui.search import SearchIndex


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.mark.parametrize("limit", ["0", "-1", "two"])
def test_limit_below_one_is_a_usage_error(limit: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "kazakstan", "--limit", limit]) == 2
    err = capsys.readouterr().err
    assert "--limit" in err and "Traceback" not in err


def test_text_is_the_ranked_list_of_the_dashboard(capsys: pytest.CaptureFixture[str]) -> None:
    """The CLI prints the engine's order (the one the dashboard and palette show), one row
    per hit with its rank and kind."""
    assert main(["search", "kazakstan", "--limit", "8"]) == 0
    rows = capsys.readouterr().out.splitlines()
    want = SearchIndex.build(load().dataset).search("kazakstan", limit=8)
    assert len(rows) == len(want) == 8
    for i, (row, hit) in enumerate(zip(rows, want, strict=True), 1):
        rank, _kind, rid = row.split()[:3]
        assert rank == f"{i}." and rid.split("@")[0] == hit.id
    assert rows[0].split()[1:3] == ["state", "kaz"]
    assert "ev-2022-01-kaz" in [r.split()[2] for r in rows[:3]]


def test_group_keeps_the_ranks(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "csto", "--limit", "12", "--group"]) == 0
    lines = capsys.readouterr().out.splitlines()
    heads = [line for line in lines if not line.startswith(" ")]
    assert heads[0].startswith("name (")  # the organisation ranks first
    ranks = sorted(int(line.split()[0].rstrip(".")) for line in lines if line.startswith(" "))
    assert ranks == list(range(1, 13))


def test_json_rows_have_snake_case_keys(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "troops", "kazakhstan", "--format", "json", "--limit", "5"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["rank"] for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0]["id"] == "ev-2022-01-kaz"
    for r in rows:
        for key in r:
            assert key == key.lower() and "-" not in key and " " not in key, key
        assert "title_highlights" in r


def test_a_question_finds_its_answer(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "how", "many", "troops", "did", "the", "csto", "send", "to",
                 "kazakhstan", "--limit", "3"]) == 0
    assert capsys.readouterr().out.splitlines()[0].split()[1:3] == ["event", "ev-2022-01-kaz"]


def test_nothing_found_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "zzyzxq"]) == 1
    assert "no result" in capsys.readouterr().err


@pytest.mark.parametrize("query", ["", "   "])
def test_an_empty_query_is_a_usage_error(query: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """Nothing to look for is a usage error (exit 2, as argparse's), not "no result" (1)."""
    assert main(["search", query]) == 2
    assert "search needs words to look for" in capsys.readouterr().err


def test_every_kind_in_one_column_before_the_ids(capsys: pytest.CaptureFixture[str]) -> None:
    """Each row's id starts in the same column, 'relation' rows too (its kind word was wider
    than the column and pushed its id out of line)."""
    assert main(["search", "tajik", "--limit", "20"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert any(" relation " in r for r in rows)
    columns = {r.index(r.split()[2]) for r in rows}
    assert len(columns) == 1, rows


_CHILD = """
import contextlib, io, sys
import csto_tui.cli

for query in sys.argv[1:]:  # hits of every kind: states, names, events, figures, quotes, text
    with contextlib.redirect_stdout(io.StringIO()):
        assert csto_tui.cli.main(["search", query, "--limit", "50"]) == 0, query
print(",".join(m for m in ("dataclasses", "inspect", "difflib") if m in sys.modules))
"""


def test_search_imports_neither_dataclasses_nor_inspect_nor_difflib(tmp_path: Path) -> None:
    """A search needs none of them (dataclasses and inspect: ~1.5 MiB and ~8 ms; difflib
    comes with the locating of quotes, of which search needs where a quote is only)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    got = subprocess.run([sys.executable, "-c", _CHILD, "kazakstan", "Tadjik", "2010",
                          "remittances", "rapid reaction force", "uzbekistan left"],
                         capture_output=True, text=True, env=env, check=False)
    assert got.returncode == 0, got.stderr
    assert got.stdout.strip() == ""
