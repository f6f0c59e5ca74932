"""A quote's status is defined once (csto_tui.vocabulary.QUOTE_STATUSES) and every place that
uses or shows one follows it: what check reports, what an export holds back, what the sync
screen reviews, what the dashboard counts as a problem, the notes of the briefing and the
sources pane; the help's legends follow the state statuses and response markers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from csto_tui import briefing, export, located, syncing
from csto_tui.checking import ANCHOR_CODES, check
from csto_tui.cli import main
from csto_tui.facts import RESPONSE_LABELS, RESPONSE_MARKERS, RESPONSES
from csto_tui.loader import load
from csto_tui.screens.help_screen import help_text
from csto_tui.vocabulary import (
    QUOTE_STATUS,
    QUOTE_STATUSES,
    STATE_STATUSES,
    STATUS_LABELS,
    STATUS_MARKERS,
)
from csto_tui.widgets.excerpts_pane import STATUS_NOTES as PANE_NOTES


def test_every_use_of_a_status_follows_the_one_table() -> None:
    names = [s.name for s in QUOTE_STATUSES]
    assert len(names) == len(set(names))
    assert set(located.STATUSES) <= set(names)
    for s in QUOTE_STATUSES:
        assert bool(export.needing_review(["q"], {"q": s.name})) == s.review, s
        assert (s.name in syncing.REVIEW_STATUSES) == (s.located and s.review), s
        assert (s.name in ANCHOR_CODES) == (s.severity is not None), s
        assert (s.name in located.STATUSES) == s.located, s
        if s.name == "exact":
            assert briefing.status_label(s.name) == "" and s.name not in PANE_NOTES
            continue
        label = briefing.status_label(s.name)
        assert s.meaning in label and ("NEEDS REVIEW" in label) == s.review, s
        assert PANE_NOTES[s.name] == s.note, s


def test_check_reports_each_status_as_the_table_says(project_copy: Path) -> None:
    """An article edited so that quotes move, change and vanish: every status check gives is
    in the table, and reported (or not) with the severity the table gives it."""
    source = next((project_copy.parent.parent / "seeds").glob("*.txt"))
    text = source.read_text(encoding="utf-8")
    source.write_text("Inserted first.\n\n" + text.replace(" the ", " teh ", 40)[: len(text) // 2],
                      encoding="utf-8")
    rep = check(project_copy)
    seen = set(rep.quote_status.values())
    assert {"exact", "moved"} <= seen and seen & {"fuzzy", "orphaned"}
    by_quote = {p.record: p for p in rep.problems if p.code in QUOTE_STATUS}
    for qid, status in rep.quote_status.items():
        want = QUOTE_STATUS[status].severity
        got = by_quote.get(qid)
        assert (got.severity if got else None) == want, (qid, status, got)


@pytest.mark.usefixtures("private_dirs")
def test_an_orphan_kept_by_review_is_treated_as_the_table_says(
        project_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A quote whose sentence left its source is orphaned; the sync screen's "keep" gives it
    a status the table holds, and check, export and the next sync then treat it by that row:
    check reports it with the row's severity, an export holds it back only if the row asks
    for review, sync lists it for review only if the row is a located status needing one."""
    ds = load(project_copy).dataset
    src = ds.source("a1")
    assert src is not None
    text = src.path.read_text(encoding="utf-8")
    orph = next(q for q in ds.quotes if q.source == "a1" and len(q.text.split()) > 8
                and text.count(q.text) == 1)
    src.path.write_text(text.replace(orph.text, ""), encoding="utf-8")
    rep = syncing.plan(project_copy)
    assert rep.statuses[orph.id] == "orphaned" and syncing.needs_review(rep) == [orph.id]

    syncing.keep_orphaned(rep, orph.id)  # what the sync screen's "keep" does
    status = rep.statuses[orph.id]
    row = QUOTE_STATUS[status]  # a status the table knows (KeyError otherwise)
    assert status != "orphaned"  # kept: no longer awaiting the decision

    reported = check(project_copy)
    assert reported.quote_status[orph.id] == status
    problems = [p for p in reported.problems if p.record == orph.id and p.code in QUOTE_STATUS]
    assert [p.severity for p in problems] == ([row.severity] if row.severity else [])
    assert reported.ok == (row.severity != "error")

    assert (orph.id in syncing.needs_review(syncing.plan(project_copy))) == (
        row.located and row.review)

    code = main(["export", "--data", str(project_copy), "--format", "json"])
    doc = json.loads(capsys.readouterr().out or "{}")
    assert code == (1 if row.review else 0)
    if not row.review:
        quotes = {x["id"]: (x["status"], x["needs_review"]) for x in doc["quotes"]}
        assert quotes[orph.id] == (status, False)


def test_the_help_legends_list_every_state_status_and_response() -> None:
    text = help_text({}).plain.replace("\u00a0", " ")
    flat = " ".join(line.strip() for line in text.splitlines())
    for s in STATE_STATUSES:
        assert f"{STATUS_MARKERS[s]} {STATUS_LABELS[s]}" in flat, s
    for r in RESPONSES:
        assert f"{RESPONSE_MARKERS[r]} {RESPONSE_LABELS[r]}" in flat, r
