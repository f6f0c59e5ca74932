"""A quote's status is defined once (csto_tui.vocabulary.QUOTE_STATUSES) and every place that
uses or shows one follows it: what check reports, what an export holds back, what the sync
screen reviews, what the dashboard counts as a problem, the notes of the briefing and the
sources pane; the help's legends follow the state statuses and response markers."""

from __future__ import annotations

from pathlib import Path

from csto_tui import briefing, export, located, syncing
from csto_tui.checking import ANCHOR_CODES, check
from csto_tui.facts import RESPONSE_LABELS, RESPONSE_MARKERS, RESPONSES
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
    assert set(located.STATUSES) <= set(names) and syncing.KEPT in names
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


def test_the_help_legends_list_every_state_status_and_response() -> None:
    text = help_text({}).plain.replace("\u00a0", " ")
    flat = " ".join(line.strip() for line in text.splitlines())
    for s in STATE_STATUSES:
        assert f"{STATUS_MARKERS[s]} {STATUS_LABELS[s]}" in flat, s
    for r in RESPONSES:
        assert f"{RESPONSE_MARKERS[r]} {RESPONSE_LABELS[r]}" in flat, r
