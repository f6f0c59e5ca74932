"""SVG snapshots of citing from the source view, at 80x24 and 120x40: a selection drawn in the
article with the panel saying what it holds, and the cite form (a new event, a validation
message under its field). The frozen dataset of test_svg_snapshots.py; regenerate with
``pytest tests/test_cite_snapshots.py --snapshot-update``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_svg_snapshots import SIZES, _make_dataset, _settle

pytest.importorskip("pytest_textual_snapshot")


@pytest.fixture
def snapshot_dataset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return _make_dataset(tmp_path)


async def _select_a_sentence_and_a_word(pilot: Any) -> None:
    """Article a1 at the 1994 quote; v, ) and w: the sentence and the next word selected."""
    await _settle(pilot)
    pilot.app.dashboard.go_to_record("q-a1-cst-1994")
    await pilot.pause()
    await pilot.press("o")
    await _settle(pilot)
    await pilot.press("v", "right_parenthesis", "w")
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_selection_in_the_article(snap_compare: Any, snapshot_dataset: Path,
                                  size: tuple[int, int]) -> None:
    from csto_tui.app import CstoApp

    assert snap_compare(CstoApp(snapshot_dataset), terminal_size=size,
                        run_before=_select_a_sentence_and_a_word)


@pytest.mark.parametrize("size", SIZES)
def test_cite_form_attach_to_a_record(snap_compare: Any, snapshot_dataset: Path,
                                      size: tuple[int, int]) -> None:
    """c: the form opens on "attach to an existing record", the records filtered by what is
    typed."""
    from csto_tui.app import CstoApp

    async def before(pilot: Any) -> None:
        await _select_a_sentence_and_a_word(pilot)
        await pilot.press("b", "c")
        await pilot.pause()
        await pilot.press(*"kaz")
        await pilot.pause()

    assert snap_compare(CstoApp(snapshot_dataset), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_cite_form_new_event_with_a_message(snap_compare: Any, snapshot_dataset: Path,
                                            size: tuple[int, int]) -> None:
    """A new event: every field of the kind, a date the validator refuses, said under it."""
    from csto_tui.app import CstoApp
    from csto_tui.screens.cite_form import citing_kinds

    async def before(pilot: Any) -> None:
        await _select_a_sentence_and_a_word(pilot)
        await pilot.press("b", "c")
        await pilot.pause()
        await pilot.press("shift+tab", "enter")
        names = [k.name for k in citing_kinds()]
        await pilot.press(*["down"] * (names.index("event") + 1), "enter")
        await pilot.pause()
        pilot.app.screen.query_one("#field-date").focus()
        await pilot.press(*"1994-13")
        await pilot.pause()

    assert snap_compare(CstoApp(snapshot_dataset), terminal_size=size, run_before=before)
