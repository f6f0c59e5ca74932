"""Reviewing quotes on the sync screen (S): every quote that needs review in a scrollable list,
the word-level diff of the dataset's wording against the source's, and a / x / s / o to
accept the new wording, keep a quote orphaned, skip it, or open the article there."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("textual")

from conftest import planned_sync  # noqa: E402
from textual.app import App, ComposeResult  # noqa: E402
from textual.widgets import OptionList, Static  # noqa: E402

from csto_tui.app import CstoApp  # noqa: E402
from csto_tui.checking import check  # noqa: E402
from csto_tui.loader import load  # noqa: E402
from csto_tui.screens.source_view import SourceScreen  # noqa: E402
from csto_tui.screens.sync_screen import SyncScreen  # noqa: E402
from csto_tui.shared import Shared  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def edit_source(ds_path: Path, n_fuzzy: int = 1) -> tuple[list[str], str, str]:
    """In source a1: one word changed in each of ``n_fuzzy`` quotes, one quote's sentence
    deleted. Returns (fuzzy ids, the first fuzzy quote's new wording, the orphaned id)."""
    ds = load(ds_path).dataset
    qs = [q for q in ds.quotes if q.source == "a1" and len(q.text.split()) > 8]
    src = ds.source("a1")
    assert src is not None
    text = src.path.read_text(encoding="utf-8")
    orph = qs[5]
    fuzzy = [q for q in qs if q is not orph][:n_fuzzy]
    wordings = []
    for q in fuzzy:
        words = q.text.split(" ")
        mid = len(words) // 2
        wording = " ".join(words[:mid] + ["curiously"] + words[mid + 1:])
        assert text.count(q.text) == 1
        text = text.replace(q.text, wording)
        wordings.append(wording)
    assert text.count(orph.text) == 1
    text = text.replace(orph.text, "")
    src.path.write_text(text, encoding="utf-8")
    return [q.id for q in fuzzy], wordings[0], orph.id


async def until(pilot: Any, screen: SyncScreen, *states: str) -> None:
    for _ in range(500):
        if screen.state in states:
            return
        await pilot.pause(0.02)
    raise AssertionError(f"sync screen stuck in {screen.state!r}, wanted {states}")


def text_of(screen: Any, wid: str) -> str:
    return str(screen.query_one(wid, Static).render())


async def open_review(pilot: Any) -> SyncScreen:
    app = pilot.app
    await app.workers.wait_for_complete()
    await pilot.press("S")
    screen = app.screen
    assert isinstance(screen, SyncScreen)
    await until(pilot, screen, "planned")
    return screen


async def test_title_bar_count_is_one_key_from_the_list(project_copy: Path) -> None:
    fuzzy, wording, orph = edit_source(project_copy)
    app = CstoApp(project_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        assert "2 quotes need review: S" in app.sub_title
        screen = await open_review(pilot)
        ol = screen.query_one("#review-list", OptionList)
        assert screen.items == [q for q in screen.items if q in {*fuzzy, orph}]
        assert set(screen.items) == {*fuzzy, orph} and ol.option_count == 2
        assert screen.focused is ol


async def test_accept_keep_orphaned_and_skip(project_copy: Path) -> None:
    fuzzy, wording, orph = edit_source(project_copy)
    before = project_copy.read_text(encoding="utf-8")
    app = CstoApp(project_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        ol = screen.query_one("#review-list", OptionList)
        # the fuzzy quote: the word-level diff is in view
        ol.highlighted = screen.items.index(fuzzy[0])
        await pilot.pause()
        detail = text_of(screen, "#review-detail")
        assert "{+curiously+}" in detail and "[-" in detail
        assert screen.check_action("accept", ()) is True
        # skip: nothing written, marked, the cursor moves on
        await pilot.press("s")
        await pilot.pause()
        assert screen.decided[fuzzy[0]] == "skipped"
        assert project_copy.read_text(encoding="utf-8") == before
        assert screen.current == orph
        # the orphan cannot be accepted (no new wording); keep it orphaned
        assert screen.check_action("accept", ()) is False
        assert "no longer holds this quote" in text_of(screen, "#review-detail")
        await pilot.press("x")
        await until(pilot, screen, "planned")
        await pilot.pause()
        assert screen.decided[orph] == "kept"
        ol.highlighted = screen.items.index(orph)
        await pilot.pause()
        detail = text_of(screen, "#review-detail")
        assert "Kept as an orphan" in detail and "(kept)" in detail
        assert "x keeps" not in detail  # what is done is not offered again
        ol.highlighted = screen.items.index(fuzzy[0])
        await pilot.pause()
        # back to the skipped one, accept it
        assert screen.current == fuzzy[0]
        await pilot.press("a")
        await until(pilot, screen, "planned")
        await pilot.pause()
        assert screen.decided[fuzzy[0]] == "accepted"
        assert "Every quote was reviewed" in text_of(screen, "#sync-status")
        assert str(ol.get_option_at_index(screen.items.index(fuzzy[0])).prompt).lstrip(
            " ►>").startswith("accepted ")
        # the accepted quote as it stands now: the source's wording at its new place, the
        # counts as they are (no quote left fuzzy), not "the source no longer holds" it
        detail = text_of(screen, "#review-detail")
        assert "Accepted" in detail and wording in " ".join(detail.split())
        assert "no longer holds" not in detail
        a = screen.report.anchors[fuzzy[0]]
        assert f"characters {a.start}-{a.end}" in detail and a.end - a.start == len(wording)
        summary = text_of(screen, "#sync-summary")
        assert "fuzzy" not in summary and "1 kept" in summary
        await pilot.press("escape")
    after = project_copy.read_text(encoding="utf-8")
    diff = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True)
            if a != b]
    assert len(diff) == 1 and wording in diff[0][1]  # only the accepted quote's text changed
    rep = check(project_copy)
    assert rep.quote_status[fuzzy[0]] == "exact" and rep.quote_status[orph] == "kept"
    assert rep.ok


async def test_every_quote_is_listed_and_reachable_by_keyboard(project_copy: Path) -> None:
    fuzzy, _, orph = edit_source(project_copy, n_fuzzy=14)
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        ol = screen.query_one("#review-list", OptionList)
        assert ol.option_count == len(fuzzy) + 1  # no "... and N more"
        for _ in range(len(screen.items) - 1):
            await pilot.press("down")
        await pilot.pause()
        assert ol.highlighted == len(screen.items) - 1
        assert screen.current == screen.items[-1]
        assert screen.current in text_of(screen, "#review-detail")
        # the list scrolled to keep the cursor in view
        assert ol.scroll_offset.y > 0


async def test_o_opens_the_article_at_the_place(project_copy: Path) -> None:
    fuzzy, wording, _ = edit_source(project_copy)
    app = CstoApp(project_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        screen.query_one("#review-list", OptionList).highlighted = screen.items.index(fuzzy[0])
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        src = app.screen
        assert isinstance(src, SourceScreen)
        text = load(project_copy).dataset.texts["a1"]
        assert src.at is not None and text[src.at[0]:src.at[1]] == wording
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


async def test_accept_refused_when_the_dataset_changed_meanwhile(project_copy: Path) -> None:
    fuzzy, _, _ = edit_source(project_copy)
    app = CstoApp(project_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        screen.query_one("#review-list", OptionList).highlighted = screen.items.index(fuzzy[0])
        edited = project_copy.read_text(encoding="utf-8") + "\n# saved in an editor\n"
        project_copy.write_text(edited, encoding="utf-8")
        await pilot.press("a")
        await until(pilot, screen, "planned")
        await pilot.pause()
        assert "Nothing written" in text_of(screen, "#sync-status")
        assert fuzzy[0] not in screen.decided
    assert project_copy.read_text(encoding="utf-8") == edited


# --------------------------------------------------------------------------- snapshots


class ReviewHost(App[None]):
    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        yield Static("host")

    def on_mount(self) -> None:
        self.push_screen(SyncScreen(self.path, data=Shared(self.path)))


def _review_app(tmp: Path) -> ReviewHost:
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(ROOT / "data", tmp / "data", ignore=shutil.ignore_patterns("*.bak", ".*"))
    shutil.copytree(ROOT / "seeds", tmp / "seeds")
    edit_source(tmp / "data" / "csto.toml", n_fuzzy=3)
    return ReviewHost(tmp / "data" / "csto.toml")


async def _planned(pilot: Any) -> None:
    await planned_sync(pilot)
    await pilot.pause()


def test_review_snapshot_80x24(snap_compare: Any, tmp_path_factory: Any) -> None:
    app = _review_app(tmp_path_factory.mktemp("review80") / "p")
    assert snap_compare(app, terminal_size=(80, 24), run_before=_planned)


def test_review_snapshot_120x40(snap_compare: Any, tmp_path_factory: Any) -> None:
    app = _review_app(tmp_path_factory.mktemp("review120") / "p")
    assert snap_compare(app, terminal_size=(120, 40), run_before=_planned)


async def test_brackets_step_through_the_quotes_to_review(project_copy: Path) -> None:
    """The screen's own list steps with ] / [ (n / N are the search's, on every screen)."""
    fuzzy, _, orph = edit_source(project_copy, n_fuzzy=3)
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        ol = screen.query_one("#review-list", OptionList)
        start = ol.highlighted or 0
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert ol.highlighted == start + 1 and screen.current == screen.items[start + 1]
        assert screen.current in text_of(screen, "#review-detail")
        await pilot.press("left_square_bracket", "left_square_bracket")
        await pilot.pause()
        assert ol.highlighted == 0  # stops at the first


async def test_each_decision_has_its_own_mark_none_a_response_marker(
        project_copy: Path) -> None:
    """The list marks each quote by what was decided for it, in words readable without colour:
    a quote to review was marked '[ ]', the crises' marker of "no action" (tester's defect
    21). The help of a and x says Ctrl+Z does not undo them, as the detail does once done."""
    from csto_tui.facts import RESPONSE_MARKERS
    from csto_tui.screens.help_screen import help_text
    from csto_tui.widgets.cursor_list import CursorList

    fuzzy, _wording, orph = edit_source(project_copy, n_fuzzy=2)
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        ol = screen.query_one("#review-list", CursorList)

        def mark(qid: str) -> str:
            plain = ol.plain_prompt(screen.items.index(qid))
            m = re.match(r"\s*(.*?)\s+(?:fuzzy|ambiguous|orphaned|exact|kept)\s", plain)
            assert m, plain
            return m.group(1)

        assert {mark(q) for q in screen.items} == {"to review"}
        ol.highlighted = screen.items.index(fuzzy[0])
        await pilot.press("s")
        await pilot.pause()
        ol.highlighted = screen.items.index(orph)
        await pilot.press("x")
        await until(pilot, screen, "planned")
        ol.highlighted = screen.items.index(fuzzy[1])
        await pilot.press("a")
        await until(pilot, screen, "planned")
        await pilot.pause()
        marks = [mark(fuzzy[0]), mark(orph), mark(fuzzy[1])]
        assert marks == ["skipped", "kept", "accepted"], marks
        assert not set(marks) & set(RESPONSE_MARKERS.values())
        ol.highlighted = screen.items.index(fuzzy[1])
        await pilot.pause()
        detail = " ".join(text_of(screen, "#review-detail").split())
        assert "Ctrl+Z does not undo it" in detail
    help_words = " ".join(help_text().plain.split())
    for key in ("Accept new wording", "Keep orphaned"):
        at = help_words.index(key)
        assert "Ctrl+Z does not undo it" in help_words[at:at + 300], key
