"""A dataset with errors loses nothing quietly: a mistyped quote id in a record's citations
drops that citation (reported), not the record; a record left out says why; every export made
despite errors says so (the CLI on stderr with exit 1, the file at its top, the dashboard in its
notice); a source file that cannot be read is a problem the app names (title bar and S agree),
not quotes "to review" that S cannot review. Counts agree in number (``1 quote needs``)."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from conftest import planned_sync, settle
from textual.widgets import Static

from csto_tui.app import CstoApp
from csto_tui.checking import check
from csto_tui.cli import _coverage_lines, main
from csto_tui.loader import load
from csto_tui.widgets import ExcerptsPane

pytestmark = pytest.mark.usefixtures("private_dirs")

ARM_QUOTES = '"q-a2-arm-102nd", "q-a1-borisov-2019"]'


def bad_citation(data: Path) -> int:
    """Armenia's quotes with one more, that does not exist; returns the line it is on."""
    text = data.read_text(encoding="utf-8")
    assert text.count(ARM_QUOTES) == 1
    data.write_text(text.replace(ARM_QUOTES, ARM_QUOTES[:-1] + ', "q-nope"]'), encoding="utf-8")
    return next(i for i, line in enumerate(data.read_text(encoding="utf-8").splitlines(), 1)
                if '"q-nope"' in line)


def test_an_unknown_quote_id_drops_the_citation_not_the_state(project_copy: Path) -> None:
    res0 = load(project_copy)
    before = res0.dataset.state("arm")
    assert before is not None and not res0.errors
    line = bad_citation(project_copy)
    res = load(project_copy)
    arm = res.dataset.state("arm")
    assert arm is not None and arm.quotes == before.quotes  # kept, every quote that exists
    assert arm.membership == before.membership
    (prob,) = res.errors
    assert (prob.code, prob.record, prob.field, prob.line) == ("unknown-ref", "arm", "quotes", line)
    assert prob.format().startswith(f"{project_copy}:{line}:")
    assert "quote 'q-nope' does not exist" in prob.message
    assert res.dataset.states == res0.dataset.states  # nothing else changed


def test_a_record_left_citing_nothing_is_left_out_and_says_why(project_copy: Path) -> None:
    """An event whose every quote is mistyped cannot stand (every fact needs a quote): it is
    left out as before, and a problem now says so; an unknown state still leaves it out."""
    res0 = load(project_copy)
    ev = next(e for e in res0.dataset.events if len(e.quotes) == 1)
    ev2 = next(e for e in res0.dataset.events if e is not ev and len(e.states) == 1)
    text = project_copy.read_text(encoding="utf-8")
    lines = text.splitlines()
    start = lines.index(f'id = "{ev.id}"')
    at = next(i for i in range(start, len(lines)) if lines[i].startswith("quotes = "))
    lines[at] = 'quotes = ["q-typo"]'
    start2 = lines.index(f'id = "{ev2.id}"')
    at2 = next(i for i in range(start2, len(lines)) if lines[i].startswith("states = "))
    lines[at2] = 'states = ["atlantis"]'
    project_copy.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = load(project_copy)
    assert {e.id for e in res.dataset.events} == {e.id for e in res0.dataset.events} - {
        ev.id, ev2.id}
    got = {(p.code, p.record, p.field) for p in res.errors}
    assert got == {("unknown-ref", ev.id, "quotes"), ("uncited-record", ev.id, "quotes"),
                   ("unknown-ref", ev2.id, "states")}
    left = next(p for p in res.errors if p.code == "uncited-record")
    assert "left out" in left.message and left.line == at + 1


def test_export_says_what_the_errors_are_and_exits_1(project_copy: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    line = bad_citation(project_copy)
    where = f"{project_copy}:{line}:"
    for extra in ([], ["--allow-review"]):  # review is not what is wrong: no way around it
        assert main(["export", "--data", str(project_copy), *extra]) == 1
        out, err = capsys.readouterr()
        assert "# Armenia" in out
        assert "The dataset has 1 problem" in out.split("# ")[0]  # at the top, before any state
        assert "csto.toml:" in out and "arm.quotes: quote 'q-nope' does not exist" in out
        assert "the dataset has 1 problem" in err and "Traceback" not in err
        assert f"{where}" in err and "[unknown-ref] arm.quotes" in err
    assert main(["export", "--data", str(project_copy), "--format", "json"]) == 1
    import json

    doc = json.loads(capsys.readouterr().out)
    assert [(p["record"], p["field"], p["line"]) for p in doc["problems"]] == [
        ("arm", "quotes", line)]
    # a clean dataset: no note, exit 0, the same bytes as before
    shutil.copy(Path(__file__).resolve().parent.parent / "data" / "csto.toml", project_copy)
    assert main(["export", "--data", str(project_copy), "--allow-review"]) == 0
    out, err = capsys.readouterr()
    assert "problem" not in out and "problem" not in err


def test_export_of_a_state_left_out_says_why(project_copy: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """Armenia citing only a mistyped quote, in its own quotes and its spans': left out."""
    lines = project_copy.read_text(encoding="utf-8").splitlines()
    start = lines.index('id = "arm"')
    end = next(i for i in range(start, len(lines)) if lines[i] == "[[states]]")
    for i in range(start, end):
        if lines[i].startswith("quotes = "):
            lines[i] = 'quotes = ["q-nope"]'
    project_copy.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = load(project_copy)
    assert res.dataset.state("arm") is None
    assert ("uncited-record", "arm") in {(p.code, p.record) for p in res.errors}
    assert main(["export", "--data", str(project_copy), "--state", "arm"]) == 2
    err = capsys.readouterr().err
    assert "arm was left out of the dataset" in err and "q-nope" in err


async def test_in_app_export_says_it_was_made_despite_problems(
        project_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSTO_TUI_EXPORT_DIR", str(tmp_path / "out"))
    (tmp_path / "out").mkdir()
    bad_citation(project_copy)
    app = CstoApp(project_copy)
    notices: list[tuple[str, str, str]] = []
    real = app.notify

    def notify(message: str, *, title: str = "", severity: Any = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        notices.append((title, message, severity))
        real(message, title=title, severity=severity, timeout=timeout, markup=markup)

    app.notify = notify  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "1 problem: S" in app.sub_title
        await pilot.press("e")
        await settle(pilot)
    title, message, severity = notices[-1]
    assert (title, severity) == ("Exported despite 1 problem (S)", "warning")
    written = next((tmp_path / "out").iterdir())
    assert str(written) in message
    assert "arm.quotes: quote 'q-nope' does not exist" in written.read_text(encoding="utf-8")


async def test_a_missing_source_is_a_problem_the_title_and_s_agree_on(project_copy: Path) -> None:
    ds = load(project_copy).dataset
    src = ds.sources[0]
    n = sum(1 for q in ds.quotes if q.source == src.id)
    assert src.path is not None
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "need" not in app.sub_title
        src.path.rename(src.path.with_name("moved-away.txt"))
        for _ in range(100):
            await pilot.pause(0.05)
            if "problem" in app.sub_title:
                break
        await settle(pilot)
        sub = app.sub_title
        assert "1 problem: S" in sub and "review" not in sub  # nothing S cannot review
        pane = app.dashboard.query_one(ExcerptsPane)
        unread = sum(1 for q in pane.quote_ids if ds.quote(q).source == src.id)  # type: ignore[union-attr]
        assert unread and pane.subtitle.endswith(f", {unread} source unreadable")
        assert "to review" not in pane.subtitle
        await pilot.press("S")
        screen = await planned_sync(pilot)
        summary = str(screen.query_one("#sync-summary", Static).render())
        status = str(screen.query_one("#sync-status", Static).render())
    assert f"[source] {src.id}.file: source file not found: {src.path}" in summary
    assert f"{n} quotes of {src.id} cannot be checked" in summary
    assert "1 problem in the dataset" in status and "every anchor is current" not in status
    assert not screen.items


def test_missing_source_export_advice_points_at_the_problem(
        project_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ds = load(project_copy).dataset
    src = ds.sources[0]
    assert src.path is not None
    src.path.rename(src.path.with_name("moved-away.txt"))
    assert main(["export", "--data", str(project_copy)]) == 1
    err = capsys.readouterr().err
    assert f"[source] {src.id}.file: source file not found: {src.path}" in err
    assert "sync screen (S)" not in err  # nothing there to review
    assert not check(project_copy).ok


def test_counts_agree_in_number() -> None:
    one = SimpleNamespace(source="a1", chars=10, quoted=5, explained=0, uncovered_chars=5,
                          uncovered_share=0.5, uncovered=[SimpleNamespace(start=0, end=5,
                                                                          text="words")])
    assert _coverage_lines(one)[0].endswith("in 1 passage")
    two = SimpleNamespace(**{**vars(one), "uncovered": one.uncovered * 2})
    assert _coverage_lines(two)[0].endswith("in 2 passages")


async def test_one_quote_to_review_is_said_in_the_singular(project_copy: Path) -> None:
    """One word of one quote changed in its article while the dashboard runs: the reload's
    notice and the title say "1 quote needs review" (the notice said "1 quotes need")."""
    ds = load(project_copy).dataset
    q = next(q for q in ds.quotes if len(q.text.split()) > 8)
    src = ds.source(q.source)
    assert src is not None and src.path is not None
    app = CstoApp(project_copy)
    notices: list[str] = []
    real = app.notify

    def notify(message: str, **kw: Any) -> None:
        notices.append(message)
        real(message, **kw)

    app.notify = notify  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        text = src.path.read_text(encoding="utf-8")
        words = q.text.split(" ")
        words[len(words) // 2] = "curiously"
        assert text.count(q.text) == 1
        src.path.write_text(text.replace(q.text, " ".join(words)), encoding="utf-8")
        for _ in range(100):
            await pilot.pause(0.05)
            if any(n.startswith("Dataset reloaded") for n in notices):
                break
        await settle(pilot)
        assert "1 quote needs review: S" in app.sub_title
    assert "Dataset reloaded: 1 quote needs review (S)" in notices
