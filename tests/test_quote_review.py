"""The review of quotes after a source changed: accept the source's new wording (the quote's
text rewritten in the dataset file, nothing else), keep an orphan, or leave it for later; and
what check and export then say."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from csto_tui.checking import check
from csto_tui.cli import main
from csto_tui.errors import WriteConflictError
from csto_tui.loader import load
from csto_tui.syncing import accept, keep_orphaned, needs_review, plan, sync


def edit_source(ds_path: Path) -> tuple[str, str, str, str]:
    """In source a1: one word of one quote changed, another quote's sentence deleted.
    Returns (fuzzy id, its new wording, orphaned id, an untouched quote id)."""
    ds = load(ds_path).dataset
    qs = [q for q in ds.quotes if q.source == "a1" and len(q.text.split()) > 8]
    fz, orph, other = qs[3], qs[5], qs[9]  # fz cited by a state, orph by several
    src = ds.source("a1")
    assert src is not None
    text = src.path.read_text(encoding="utf-8")
    words = fz.text.split(" ")
    mid = len(words) // 2
    new_wording = " ".join(words[:mid] + ["curiously"] + words[mid + 1:])
    assert text.count(fz.text) == 1 and text.count(orph.text) == 1
    text = text.replace(fz.text, new_wording).replace(orph.text, "")
    src.path.write_text(text, encoding="utf-8")
    return fz.id, new_wording, orph.id, other.id


def test_review_list_accept_keep_and_skip(project_copy: Path) -> None:
    fz, wording, orph, other = edit_source(project_copy)
    before = project_copy.read_text(encoding="utf-8")
    rep = plan(project_copy)
    assert (rep.statuses[fz], rep.statuses[orph]) == ("fuzzy", "orphaned")
    assert needs_review(rep) == [q for q in (fz, orph, other) if q in needs_review(rep)]
    assert set(needs_review(rep)) == {fz, orph}
    assert rep.anchors[fz].found == wording

    # accept: the quote's text in the dataset becomes the source's wording; nothing else
    accept(rep, fz)
    after = project_copy.read_text(encoding="utf-8")
    old_lines, new_lines = before.splitlines(), after.splitlines()
    diff = [(a, b) for a, b in zip(old_lines, new_lines, strict=True) if a != b]
    assert len(diff) == 1 and wording in diff[0][1]
    ds = load(project_copy).dataset
    q = ds.quote(fz)
    assert q is not None and q.text == wording
    assert ds.anchors[fz].review == "" and ds.anchors[fz].exact == wording

    # keep orphaned: recorded in the anchors file, the dataset untouched
    keep_orphaned(rep, orph)
    assert project_copy.read_text(encoding="utf-8") == after
    assert load(project_copy).dataset.anchors[orph].review == "kept"
    assert needs_review(rep) == []

    # a new sync settles the rest and leaves the decisions alone
    rep2 = sync(project_copy)
    assert rep2.statuses[fz] == "exact" and rep2.statuses[orph] == "kept"
    assert rep2.needs_review == []
    rep3 = check(project_copy)
    assert rep3.ok and rep3.quote_status[orph] == "kept"


def test_skip_leaves_the_quote_waiting(project_copy: Path) -> None:
    fz, _, orph, _ = edit_source(project_copy)
    sync(project_copy)  # writes the review anchors; nobody decides (skip)
    rep = plan(project_copy)
    assert set(needs_review(rep)) == {fz, orph}
    assert not check(project_copy).ok


def test_accept_refused_when_the_dataset_changed_meanwhile(project_copy: Path) -> None:
    fz, _, orph, _ = edit_source(project_copy)
    rep = plan(project_copy)
    # the analyst saved the dataset in an editor after the review started
    data = project_copy.read_text(encoding="utf-8")
    project_copy.write_text(data + "\n# a comment\n", encoding="utf-8")
    with pytest.raises(WriteConflictError):
        accept(rep, fz)
    assert project_copy.read_text(encoding="utf-8") == data + "\n# a comment\n"
    with pytest.raises(ValueError):
        accept(plan(project_copy), orph)  # an orphan has no new wording


def test_check_says_which_source_changed_and_what_it_did(project_copy: Path,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    rep = check(project_copy)
    assert {c.source: c.changed for c in rep.sources.values()} == {"a1": False, "a2": False}
    edit_source(project_copy)
    rep = check(project_copy)
    a1 = rep.sources["a1"]
    assert a1.changed is True and rep.sources["a2"].changed is False
    assert a1.quotes.get("fuzzy") == 1 and a1.quotes.get("orphaned") == 1
    assert main(["check", "--data", str(project_copy)]) == 1
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("source a1 changed"))
    assert "1 fuzzy" in line and "1 orphaned" in line
    assert "curiously" in out  # what changed, in the fuzzy quote's problem


def test_export_marks_statuses_and_exits_1_until_allowed(project_copy: Path,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    fz, _, orph, _ = edit_source(project_copy)
    ds = load(project_copy).dataset
    citing = [s.id for s in ds.states if fz in ds.quotes_of(s)]
    q = ds.quote(fz)
    assert q is not None
    args = ["export", "--data", str(project_copy)]
    assert citing
    args_fz = [*args, *[a for sid in citing for a in ("--state", sid)]]
    assert main(args_fz) == 1
    cap = capsys.readouterr()
    assert "need review" in cap.err and "--allow-review" in cap.err
    line = next(x for x in cap.out.splitlines() if q.text[:20] in x)
    assert "NEEDS REVIEW - fuzzy" in line  # the status where the quote is printed
    assert main([*args_fz, "--allow-review"]) == 0
    cap = capsys.readouterr()
    assert "exported with --allow-review" in cap.out
    assert main([*args, "--format", "json"]) == 1
    capsys.readouterr()
    assert main([*args, "--format", "json", "--allow-review"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc["needs_review"]) == {fz, orph}
    assert doc["exported_with"] == "--allow-review"
    statuses = {x["id"]: (x["status"], x["needs_review"]) for x in doc["quotes"]}
    assert statuses[fz] == ("fuzzy", True) and statuses[orph] == ("orphaned", True)


def test_export_of_a_clean_dataset_exits_0(project_copy: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--data", str(project_copy)]) == 0
    out = capsys.readouterr().out
    assert "NEEDS REVIEW" not in out and "need review" not in out
