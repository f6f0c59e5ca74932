"""The data feed as a user meets it: what a reload gives the search."""

from __future__ import annotations

from pathlib import Path

from csto_tui.app import CstoApp


async def _settled(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def test_a_reload_with_facts_only_on_rebuilds_the_search_index(
        project_copy: Path) -> None:
    """`c` (facts only), then an edit and `r`: the search finds the edited dataset, not the
    one before the edit (the index was built, then dropped as out of date, and the old one
    stayed in use)."""
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settled(pilot)
        before = app.data.search_index
        assert before is not None
        assert not before.search("Zembla")
        await pilot.press("c")
        assert app.data.facts_only
        text = project_copy.read_text(encoding="utf-8")
        project_copy.write_text(text.replace('name = "Armenia"', 'name = "Zembla"', 1),
                                encoding="utf-8")
        await pilot.press("r")
        await _settled(pilot)
        await _settled(pilot)
        index = app.data.search_index
        assert index is not None and index is not before
        assert [h.id for h in index.search("Zembla")][:1] == ["arm"]
