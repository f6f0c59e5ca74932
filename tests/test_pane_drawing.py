"""The panes draw only what changed (issue #17: bytes over SSH), and what they draw is right.

A pane repaints only the lines that differ from what it last painted (``Pane.repaint_soon``):
a line it wrongly thought unchanged would stay stale on screen. The screen as Textual's
compositor holds it (``App.export_screenshot``: lines not repainted come from its caches, as
on the terminal) must show every pane's current lines after every key. The bytes themselves
are guarded in ``test_bytes_per_key.py``.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from screen_text import visible_text

from csto_tui.app import CstoApp
from csto_tui.loader import default_dataset_path
from csto_tui.widgets.pane import Pane

TEXT = re.compile(r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="[\d.]+" '
                  r'clip-path="url\(#[^)]*line-(\d+)\)">([^<]*)</text>')


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    src = default_dataset_path()
    (tmp_path / "data").mkdir()
    shutil.copy2(src, tmp_path / "data" / "csto.toml")
    anchors = src.with_name(src.stem + ".anchors.toml")
    if anchors.exists():
        shutil.copy2(anchors, tmp_path / "data" / "csto.anchors.toml")
    shutil.copytree(src.parent.parent / "seeds", tmp_path / "seeds")
    return tmp_path / "data" / "csto.toml"


def screen_rows(app: CstoApp) -> list[str]:
    """The screen's text, row by row, read back from Textual's SVG screenshot."""
    rows: dict[int, list[tuple[int, str]]] = {}
    for m in TEXT.finditer(app.export_screenshot()):
        rows.setdefault(int(m.group(2)), []).append((round(float(m.group(1)) / 12.2),
                                                     html.unescape(m.group(3))))
    out = []
    for n in range(max(rows) + 1 if rows else 0):
        line = ""
        for col, text in sorted(rows.get(n, [])):
            line = line.ljust(col) + text
        out.append(line.replace("\u00a0", " "))
    return out


def stale_lines(app: CstoApp) -> list[str]:
    """Lines of a pane that the screen does not show as the pane has them now."""
    shown = screen_rows(app)
    bad = []
    for pane in app.screen.query(Pane):
        region = pane.scrollable_content_region
        for i, text in enumerate(visible_text(pane)):
            row = shown[region.y + i] if region.y + i < len(shown) else ""
            if row[region.x:region.x + region.width].rstrip() != text:
                bad.append(f"{pane.id} line {i}: screen {row[region.x:].rstrip()!r}, "
                           f"pane {text!r}")
    return bad


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_every_line_on_screen_is_current_after_each_key(
        dataset: Path, size: tuple[int, int]) -> None:
    app = CstoApp(dataset)
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        assert not stale_lines(app)
        keys = ["down"] * 17 + ["up"] * 6 + ["3", "down", "down", "a", "pagedown", "a",
                                             "4", "down", "down", "2", "down", "1", "f", "down"]
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
            assert not stale_lines(app), f"after {key!r}"


async def test_the_cursor_row_takes_the_colours_of_the_focus(dataset: Path) -> None:
    """The cursor's style follows the pane's focus: reverse video in the focused pane, not in
    the others (a line cache keyed by row alone kept the style a row was first drawn with)."""
    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        states, metrics = app.screen.query_one("#states", Pane), app.screen.query_one(
            "#metrics", Pane)

        def cursor_reverse(pane: Pane) -> object:
            assert pane.highlighted is not None
            region = pane.row_region(pane.highlighted)
            assert region is not None
            first = list(pane.render_line(region.y - pane.scroll_offset.y))[0]
            return bool(first.style and first.style.reverse)

        for key, focused, blurred in (("2", metrics, states), ("1", states, metrics),
                                      ("2", metrics, states)):
            await pilot.press(key)
            await pilot.pause()
            assert focused.has_focus
            assert cursor_reverse(focused) and not cursor_reverse(blurred)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_figures_dates_stay_on_their_lines(project_copy: Path,
                                                   size: tuple[int, int]) -> None:
    """Pane 2 at 80 columns: the figure's date is not left alone on a line of its own (it
    wrapped: 'Remittances from Russia: more than 26% of GDP' then '(2020)'), and a peer's
    bar whose date differs keeps the date on its row (tester's defect 21)."""
    from csto_tui.widgets.metrics_pane import MetricsPane

    text = project_copy.read_text(encoding="utf-8")
    at = text.index('id = "m-kgz-remit-2020"')
    text = text[:at] + text[at:].replace('as_of = "2020"', 'as_of = "2019"', 1)
    project_copy.write_text(text, encoding="utf-8")
    app = CstoApp(project_copy)
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.dashboard.go_to_record("m-tjk-remit-2020")
        await pilot.pause()
        pane = app.query_one(MetricsPane)
        lines = [ln.strip(" ►") for ln in visible_text(pane)]
        assert not [ln for ln in lines if re.fullmatch(r"\(\d{4}\??\)", ln)], lines
        assert any(ln.startswith("Remittances from Russia") and "(2020)" in ln
                   for ln in lines), lines
        kgz = [ln for ln in lines if "Kyrgyzstan" in ln and "~31%" in ln]
        assert kgz and kgz[0].endswith("(2019?)"), lines
