"""The pivot view: counts that match the dataset (computed here independently), drill-down into
the records, and the counts exported as Markdown and CSV."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pytest

from csto_tui import pivot
from csto_tui.facts import RESPONSE_LABELS
from csto_tui.loader import load


@pytest.fixture(scope="module")
def ds():  # type: ignore[no-untyped-def]
    return load().dataset


def test_action_by_year_counts_every_event_once(ds) -> None:  # type: ignore[no-untyped-def]
    events = ds.records_of("event")
    expected = Counter((RESPONSE_LABELS[e.response],
                        str(e.date.year) if e.date.year is not None else pivot.NONE)
                       for e in events)
    p = pivot.count(ds, "event", "response", "year")
    got = Counter()
    for (r, c), ids in p.cells.items():
        got[(r.split("] ", 1)[1], c)] += len(ids)  # "[ ] no action": the marker, then the word
    assert got == expected
    assert p.records == len(events)
    assert sum(p.row_total(r) for r in p.rows) == len(events)
    assert p.table()[-1][-1] == str(len(events))


def test_an_event_naming_two_states_counts_in_both_rows(ds) -> None:  # type: ignore[no-untyped-def]
    p = pivot.count(ds, "event", "state", "action")
    per_state = Counter(ds.get(s).name for e in ds.records_of("event") for s in set(e.states))
    for state, n in per_state.items():
        assert p.row_total(state) == n
    stateless = [e.id for e in ds.records_of("event") if not e.states]
    assert p.row_total(pivot.NONE) == len(stateless)
    # the grand total counts each record once
    assert p.records == len(ds.records_of("event")) < sum(per_state.values()) + len(stateless)


def test_figures_by_category_and_state(ds) -> None:  # type: ignore[no-untyped-def]
    p = pivot.count(ds, "metric", "category", "state")
    expected = Counter((m.category, ds.get(m.state).name) for m in ds.records_of("metric"))
    assert {k: len(v) for k, v in p.cells.items()} == dict(expected)


def test_rows_keep_a_useful_order(ds) -> None:  # type: ignore[no-untyped-def]
    years = pivot.count(ds, "event", "year", "response").rows
    dated = [y for y in years if y != pivot.NONE]
    assert dated == sorted(dated, key=int) and years[len(dated):] in ([], [pivot.NONE])
    responses = pivot.count(ds, "event", "response", "year").rows
    assert responses[0].endswith("intervened")


def test_actions_stances_and_claimants_from_the_schema(ds) -> None:  # type: ignore[no-untyped-def]
    events = ds.records_of("event")
    by_stance = pivot.count(ds, "event", "stance", "response")
    assert sum(by_stance.row_total(r) for r in by_stance.rows) == len(events)
    by_action = pivot.count(ds, "event", "action", "response")
    expected = Counter(e.action.category for e in events if e.action is not None)
    for cat, n in expected.items():
        assert by_action.row_total(cat) == n
    claimants = pivot.count(ds, "event", "claimant", "stance").rows
    assert "the article's author" in claimants


def test_unknown_field_is_refused(ds) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(KeyError):
        pivot.count(ds, "event", "colour", "year")


def test_markdown_and_csv_say_the_same_counts(ds) -> None:  # type: ignore[no-untyped-def]
    p = pivot.count(ds, "event", "response", "year")
    rows = list(csv.reader(io.StringIO(pivot.csv_text(p))))
    assert rows == p.table()
    md = pivot.markdown(p, "CSTO")
    body = [ln for ln in md.splitlines() if ln.startswith("| ")]
    assert len(body) == len(p.table()) + 1  # and the separator line
    assert "\\[+\\] intervened" in md  # markers escaped for Markdown


def test_hostile_labels_are_escaped_in_both_formats() -> None:
    p = pivot.Pivot("event", "actor", "year", rows=["=cmd|' /C calc'!A0", "[link](x) *b*"],
                    columns=["2022"], records=2,
                    cells={("=cmd|' /C calc'!A0", "2022"): ["a"],
                           ("[link](x) *b*", "2022"): ["b"]})
    rows = list(csv.reader(io.StringIO(pivot.csv_text(p))))
    assert rows[1][0].startswith("'=")
    md = pivot.markdown(p)
    assert "\\[link\\](x) \\*b\\*" in md and "=cmd\\|" in md


def test_write_goes_through_the_atomic_write(tmp_path: Path, ds) -> None:  # type: ignore[no-untyped-def]
    p = pivot.count(ds, "event", "response", "year")
    out = pivot.write(p, "csv", tmp_path / "counts.csv")
    assert out.read_bytes().decode("utf-8") == pivot.csv_text(p)
    (tmp_path / "dir.md").mkdir()
    with pytest.raises(Exception) as exc:
        pivot.write(p, "markdown", tmp_path / "dir.md")
    assert "Traceback" not in str(exc.value)


async def test_pivot_screen_counts_drills_down_and_comes_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from csto_tui.app import CstoApp
    from csto_tui.screens.pivot_view import PivotRecordsScreen, PivotScreen

    monkeypatch.setenv("CSTO_TUI_EXPORT_DIR", str(tmp_path))
    app = CstoApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        await pilot.press("v")
        await pilot.pause(0.3)
        screen = app.screen
        assert isinstance(screen, PivotScreen)
        assert (screen.counts.row, screen.counts.column) == ("response", "year")
        await pilot.press("c")  # column field: the next one, action
        await pilot.pause(0.1)
        assert screen.counts.column == "action"
        await pilot.press("m")  # figures
        await pilot.pause(0.1)
        assert screen.counts.kind == "metric"
        await pilot.press("m")
        await pilot.pause(0.1)
        # the Total column of the first row: every intervention
        from textual.widgets import DataTable

        table = screen.query_one(DataTable)
        table.move_cursor(row=0, column=len(screen.counts.columns) + 1)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, PivotRecordsScreen)
        interventions = [e.id for e in app.data.dataset.records_of("event")
                         if e.response == "intervened"]
        assert app.screen.ids == interventions
        await pilot.press("escape")
        await pilot.pause(0.2)
        assert app.screen is screen
        await pilot.press("e", "s")
        await pilot.pause(1.0)
        md = list(tmp_path.glob("csto-counts-event-response-action.md"))
        cs = list(tmp_path.glob("csto-counts-event-response-action.csv"))
        assert md and cs
        await pilot.press("enter")
        await pilot.pause(0.3)
        await pilot.press("enter")  # the first intervention, in the panes
        await pilot.pause(0.5)
        assert type(app.screen).__name__ == "DashboardScreen"
        assert app.screen.focused_record == interventions[0]


async def test_pivot_footer_names_keys_as_every_other_screen(tmp_path: Path) -> None:
    """Its key line is the one every screen has (widgets/footer.py): keys named as the keymap
    names them ('Enter', 'Ctrl+P'), not textual's own footer ('⏎', '^p') (tester's defect 20)."""
    from screen_text import screen_text

    from csto_tui.app import CstoApp
    from csto_tui.screens.pivot_view import PivotScreen

    app = CstoApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        await pilot.press("v")
        await pilot.pause(0.3)
        assert isinstance(app.screen, PivotScreen)
        footer = screen_text(app).splitlines()[-1]
        for key in ("Enter Records", "Esc Close", "r Row field", "Ctrl+P palette"):
            assert key in footer, footer
        assert "⏎" not in footer and "^p" not in footer, footer
