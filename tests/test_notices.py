"""Notices: one at a time, one or two lines, over the title bar; a good reload clears a
failure."""

from __future__ import annotations

from pathlib import Path

import pytest

from csto_tui.app import CstoApp


@pytest.fixture
def dataset(project_copy: Path) -> Path:
    """A private copy of the bundled dataset and seeds (conftest's project_copy)."""
    return project_copy


async def _ready(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    for _ in range(3):
        await pilot.pause()


def _notices(app: CstoApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_a_good_reload_replaces_the_failure_notice(dataset: Path) -> None:
    app = CstoApp(dataset)
    good = dataset.read_text(encoding="utf-8")
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        dataset.write_text(good + "\n[[states]]\nid = \n", encoding="utf-8")
        await pilot.press("r")
        await _ready(pilot)
        assert [m for m in _notices(app) if m.startswith("Dataset not loaded: ")]
        dataset.write_text(good, encoding="utf-8")
        await pilot.press("r")
        await _ready(pilot)
        notices = _notices(app)
        assert len(notices) == 1 and notices[0].startswith("Dataset reloaded"), notices
        assert not any("not loaded" in m for m in notices)


async def test_a_notice_is_one_or_two_lines_on_the_title_bar(dataset: Path) -> None:
    from textual.widgets._toast import Toast

    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await _ready(pilot)
        app.notify("x" * 400, title="A long one", markup=False)
        app.notify("short", title="Briefing exported", markup=False)
        await _ready(pilot)
        assert _notices(app) == ["Briefing exported: short"]
        toasts = list(app.screen.query(Toast))
        assert [t.region.height for t in toasts] == [1] and toasts[0].region.y == 0, [
            (t.region, str(t.render())) for t in toasts]
        app.notify("y" * 400, markup=False)
        await _ready(pilot)
        (message,) = _notices(app)
        assert message == "y" * 400  # kept whole; only the screen clips it
        (toast,) = app.screen.query(Toast)
        # over the title bar and the panes' top border, never a row of their content
        assert toast.region.y == 0 and toast.region.height == 2


async def test_notices_one_after_another_stay_on_the_title_bar(
        dataset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A notice replaced by the next (a reload, an export, a reload...) used to leave an empty
    row behind in Textual's toast rack: each next notice sat a row lower, over the first rows
    of panes 1 and 2 at 80x24, then over the row being worked on. Each one stays at the top,
    its second line over the panes' top border only, on the dashboard and in the briefing."""
    from csto_tui.widgets.pane import Pane

    out = tmp_path / "exports" / "a folder with a name long enough to wrap the notice"
    out.mkdir(parents=True)
    monkeypatch.setenv("CSTO_TUI_EXPORT_DIR", str(out))
    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await _ready(pilot)
        panes = list(app.screen.query(Pane))
        for key in ("r", "e", "r", "j", "e", "r", "j", "e"):
            await pilot.press(key)
            await _ready(pilot)
            await pilot.pause(0.1)
            regions = [t.region for t in app.screen.query("Toast")]
            assert len(regions) == 1, (key, _notices(app))
            (toast,) = regions
            assert toast.y == 0 and toast.height == (2 if key == "e" else 1), (key, toast)
            for pane in panes:
                assert not toast.overlaps(pane.content_region), (key, pane.id, toast)
        assert len(app.screen.query("ToastHolder")) == 1
        assert "Exported: Briefing written to" in _notices(app)[0]
        await pilot.press("b", "r", "e")  # the briefing: its heading lines, not its text
        await _ready(pilot)
        await pilot.pause(0.1)
        (toast,) = [t.region for t in app.screen.query("Toast")]
        assert toast.y == 0 and toast.height == 2, toast


async def test_a_notice_covers_the_title_bar_from_edge_to_edge(dataset: Path) -> None:
    """A notice on the title bar takes its whole row: no piece of the title is left beside it
    (the toast rack's scrollbar column used to show the title's last character at the right
    edge, and a short notice left the title's first letters on its left)."""
    from screen_text import screen_text
    from textual.widgets._toast import Toast

    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await _ready(pilot)
        app.notify("Facts and claims", markup=False)
        await _ready(pilot)
        (toast,) = app.screen.query(Toast)
        assert (toast.region.x, toast.region.right) == (0, 80), toast.region
        top = screen_text(app).splitlines()[0]
        assert top.strip().lstrip("\u258c\u258a\u2590 ") == "Facts and claims", top


@pytest.mark.parametrize("key", ["o", "C"])
async def test_a_two_line_notice_leaves_the_article_text_in_view(dataset: Path,
                                                                 key: str) -> None:
    """In the article (o) and in what is left to cite in it (C), a notice of two lines covers
    the view's heading, never the first row of the text being read."""
    from textual.widgets._toast import Toast

    from csto_tui.screens.coverage_view import CoverageScreen
    from csto_tui.screens.source_view import SourceScreen
    from csto_tui.widgets.source_document import SourceDocument

    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await _ready(pilot)
        await pilot.press("4", key)
        await _ready(pilot)
        assert isinstance(app.screen, SourceScreen if key == "o" else CoverageScreen)
        app.notify("y" * 120, markup=False)
        await _ready(pilot)
        (toast,) = app.screen.query(Toast)
        doc = app.screen.query_one(SourceDocument)
        assert toast.region.height == 2
        assert not toast.region.overlaps(doc.content_region), (toast.region, doc.region)
