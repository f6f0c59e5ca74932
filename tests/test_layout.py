"""Space goes where the content is: the right column shared by what each pane shows; z."""

from __future__ import annotations

from pathlib import Path

import pytest

from csto_tui.app import CstoApp
from csto_tui.screens.dashboard import PANE_FLOOR, share
from csto_tui.widgets import EventsPane, ExcerptsPane, MetricsPane, StateList


def test_share_gives_small_content_small_panes() -> None:
    # one line of content: three rows; the rest to the focused pane, then to the bottom one
    assert share(48, [3, 3, 60], [2, 0, 1]) == [3, 3, 42]
    # everyone fits: the rows left over go to the bottom pane (the blank is below it all)
    assert share(48, [10, 12, 8], [0, 2, 1]) == [10, 12, 26]


def test_share_gives_a_tall_column_to_every_pane_with_content() -> None:
    # 200x50, the states list in focus: nine crises shown whole, not cut to four lines
    assert share(48, [30, 11, 82], [2, 0, 1]) == [16, 11, 21]
    # the dependencies in focus: they come first, the others keep a fair share
    assert share(48, [30, 11, 82], [0, 2, 1], focused=0) == [25, 11, 12]


def test_share_keeps_unfocused_panes_readable() -> None:
    heights = share(22, [30, 30, 30], [0, 2, 1], focused=0)
    assert sum(heights) == 22
    assert min(heights) >= PANE_FLOOR
    assert heights[0] == max(heights)  # the focused pane first


def test_share_never_overflows_a_small_column() -> None:
    heights = share(9, [30, 30, 30], [1, 2, 0])
    assert sum(heights) == 9 and min(heights) == 3


@pytest.fixture
def dataset(project_copy: Path) -> Path:
    """A private copy of the bundled dataset and seeds (conftest's project_copy)."""
    return project_copy


async def _ready(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    for _ in range(3):
        await pilot.pause()


async def test_a_state_without_figures_leaves_no_empty_rows(dataset: Path) -> None:
    app = CstoApp(dataset)
    async with app.run_test(size=(200, 50)) as pilot:
        await _ready(pilot)
        app.dashboard.select_state("srb")
        await _ready(pilot)
        metrics, events = app.query_one(MetricsPane), app.query_one(EventsPane)
        excerpts = app.query_one(ExcerptsPane)
        assert metrics.outer_size.height == 3 and events.outer_size.height == 3
        assert excerpts.outer_size.height == 48 - 6


async def test_unfocused_panes_keep_four_lines_at_80x24(dataset: Path) -> None:
    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        app.dashboard.select_state("tjk")
        await pilot.press("2")
        await _ready(pilot)
        panes = [app.query_one(MetricsPane), app.query_one(EventsPane),
                 app.query_one(ExcerptsPane)]
        assert sum(p.outer_size.height for p in panes) == 22
        assert all(p.outer_size.height >= PANE_FLOOR for p in panes)
        assert panes[0].outer_size.height == max(p.outer_size.height for p in panes)
        # the selected state's own figure comes first, before the other states'
        lines = panes[0].rows[0].prompt.plain.splitlines()
        assert lines[-2].startswith("> Tajikistan") or lines[1].startswith("> Tajikistan")
        first_bar = next(line for line in lines if line.startswith(("> ", "  ")))
        assert first_bar.startswith("> Tajikistan")


async def test_z_maximises_the_focused_pane_and_restores_it(dataset: Path) -> None:
    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        excerpts = app.query_one(ExcerptsPane)
        before = excerpts.outer_size
        await pilot.press("4", "z")
        await _ready(pilot)
        assert app.screen.maximized is excerpts
        assert excerpts.outer_size.width == 80 and excerpts.outer_size.height == 22
        await pilot.press("1")  # another pane: shown maximised in its place
        await _ready(pilot)
        assert app.screen.maximized is app.query_one(StateList)
        await pilot.press("z")
        await _ready(pilot)
        assert app.screen.maximized is None
        await pilot.press("4")
        await _ready(pilot)
        assert excerpts.outer_size.width == before.width
        await pilot.press("z", "escape")  # Esc restores too
        await _ready(pilot)
        assert app.screen.maximized is None
