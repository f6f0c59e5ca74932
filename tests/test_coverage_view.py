"""The coverage view (C on the dashboard): an article with every passage neither quoted nor
explained highlighted, ] / [ through them, the count going down as the analyst cites, Enter
to cite there. Driven through Pilot as a user would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from csto_tui import authoring
from csto_tui.app import CstoApp
from csto_tui.coverage import coverage
from csto_tui.loader import load
from csto_tui.screens.coverage_view import CoverageScreen
from csto_tui.screens.source_view import SourceScreen
from csto_tui.widgets.source_document import SourceDocument

ARTICLE = Path(__file__).resolve().parent / "data" / "articles" / "border_deal.txt"


pytestmark = pytest.mark.usefixtures("private_dirs")


@pytest.fixture
def third_article(project_copy: Path) -> Path:
    """The bundled dataset with a third article added (nothing of it cited yet)."""
    authoring.add_source(project_copy, ARTICLE, source_id="a3", title="Border deal")
    return project_copy


async def settle(pilot: Any) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def title_of(app: Any) -> str:
    return str(app.screen.query_one("#coverage-title").render())


async def open_coverage(pilot: Any, source: str) -> CoverageScreen:
    """C on the dashboard, then right until the article is ``source``."""
    await settle(pilot)
    await pilot.press("C")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, CoverageScreen)
    for _ in range(5):
        if screen.source_id == source:
            break
        await pilot.press("right")
        await pilot.pause()
    assert screen.source_id == source
    return screen


async def test_a_new_article_is_uncovered_and_the_count_goes_down_as_you_cite(
        third_article: Path) -> None:
    app = CstoApp(third_article)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_coverage(pilot, "a3")
        text = ARTICLE.read_text()
        chars = sum(1 for c in text if not c.isspace())
        assert screen.passages and screen.report is not None
        assert screen.report.uncovered_chars == chars
        assert f"uncovered 1 of 1, {chars} chars" in title_of(app)
        # another analyst's step (the cite form does the same): a passage in the middle
        ds = load(third_article).dataset
        words = "Russia, which keeps a military base in Tajikistan, offered to mediate."
        at = text.index(words)
        authoring.cite(third_article, ds, "a3", at, at + len(words), record_id="tjk")
        app.dashboard.feed.reload()
        await settle(pilot)
        assert app.screen is screen
        left = chars - sum(1 for c in words if not c.isspace())
        assert screen.report.uncovered_chars == left
        assert f"of 2, {left} chars" in title_of(app)
        # the view stays where the analyst was: the passage before the cited one
        assert screen.current is not None and screen.current.end <= at
        # ctrl+z here undoes it: the count comes back
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert "q-a3-russia" not in third_article.read_text()
        assert f"uncovered 1 of 1, {chars} chars" in title_of(app)


async def test_brackets_step_through_the_uncovered_passages(third_article: Path) -> None:
    text = ARTICLE.read_text()
    for words in ("Kyrgyz officials criticised the alliance for its silence",
                  "Russia, which keeps a military base in Tajikistan, offered to mediate."):
        ds = load(third_article).dataset
        at = text.index(words)
        authoring.cite(third_article, ds, "a3", at, at + len(words), record_id="kgz")
    expected = coverage(load(third_article).dataset, only="a3")[0]
    n = len(expected.uncovered)
    assert n == 3
    app = CstoApp(third_article)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_coverage(pilot, "a3")
        assert [(p.start, p.end) for p in screen.passages] == [
            (p.start, p.end) for p in expected.uncovered]
        assert f"uncovered 1 of {n}, {expected.uncovered_chars} chars" in title_of(app)
        await pilot.press("right_square_bracket")
        assert f"uncovered 2 of {n}" in title_of(app)
        assert screen.document.current == 1
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert f"uncovered {n} of {n}" in title_of(app)  # wraps around
        await pilot.press("j")
        assert "uncovered 1 of" in title_of(app)


async def test_enter_opens_the_article_at_the_passage_to_cite_it(third_article: Path) -> None:
    app = CstoApp(third_article)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_coverage(pilot, "a3")
        p = screen.current
        assert p is not None
        await pilot.press("enter")
        await pilot.pause()
        article = app.screen
        assert isinstance(article, SourceScreen)
        # at the passage's first sentence (the dateline): v there selects it to cite
        assert article.source_id == "a3" and article.at == (p.start, p.start + len(
            "Bishkek, 14 March 2023"))
        await pilot.press("v")
        await pilot.pause()
        assert article.query_one(SourceDocument).selection == article.at
        await pilot.press("escape")
        # cited there (the cite form calls the same core), the dataset reloads
        ds = load(third_article).dataset
        words = "Kyrgyz officials criticised the alliance for its silence"
        at = ds.text_of("a3").index(words)
        authoring.cite(third_article, ds, "a3", at, at + len(words), record_id="kgz")
        app.dashboard.feed.reload()
        await settle(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen  # back to the coverage view, measured again meanwhile
        assert "uncovered 1 of 2" in title_of(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CoverageScreen)


#: A one-article dataset whose article is all quoted or explained as uncited.
COVERED = (
    '[[sources]]\nid = "s"\nfile = "seeds/a.txt"\n\n'
    '[[quotes]]\nid = "q1"\nsource = "s"\ntext = "Kazakhstan joined."\n\n'
    '[[states]]\nid = "kaz"\nname = "Kazakhstan"\nstatus = "observer"\nquotes = ["q1"]\n'
    '\n[[uncited]]\nsource = "s"\ntext = "It was cold."\nreason = "no-fact"\n')


def covered_dataset(tmp_path: Path) -> Path:
    from csto_tui.syncing import sync

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text("Kazakhstan joined. It was cold.\n")
    data = tmp_path / "d.toml"
    data.write_text(COVERED)
    sync(data)
    return data


async def test_a_fully_covered_article_says_so(tmp_path: Path) -> None:
    app = CstoApp(covered_dataset(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await pilot.pause()
        assert "nothing uncovered" in title_of(app)
        await pilot.press("enter")  # nothing to cite: stays, says so
        await pilot.pause()
        assert isinstance(app.screen, CoverageScreen)


def bracket_keys(app: Any) -> set[str]:
    """The ] / [ keys among those the coverage view's key line shows."""
    from csto_tui.widgets.footer import KeysFooter

    shown = app.screen.query_one(KeysFooter).keys
    return {k for k in ("right_square_bracket", "left_square_bracket") if k in shown}


async def test_brackets_are_in_the_key_line_only_when_there_is_a_passage_to_jump_to(
        tmp_path: Path) -> None:
    data = covered_dataset(tmp_path)
    app = CstoApp(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        assert "nothing uncovered" in title_of(app)
        assert bracket_keys(app) == set()
        # the passage explained no more (an edit by hand): one to jump to, ] / [ shown
        data.write_text(COVERED[:COVERED.index("\n[[uncited]]")])
        app.dashboard.feed.reload()
        await settle(pilot)
        assert "uncovered 1 of 1" in title_of(app)
        assert bracket_keys(app) == {"right_square_bracket", "left_square_bracket"}
        # and explained again: gone again
        data.write_text(COVERED)
        app.dashboard.feed.reload()
        await settle(pilot)
        assert "nothing uncovered" in title_of(app)
        assert bracket_keys(app) == set()


def test_the_coverage_key_is_listed_in_help_and_keys() -> None:
    from csto_tui.commands import palette_actions
    from csto_tui.keymap import keys_table

    rows = {(where, bid): keys for where, bid, keys, _ in keys_table()}
    assert any(bid == "coverage" and keys == "C" for (_, bid), keys in rows.items())
    assert ("Coverage (C)", "coverage_next") in rows
    assert any(action == "screen.coverage" for _, _, action, _ in palette_actions())


SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


class TestCoverageSnapshots:
    @pytest.mark.parametrize("size", SIZES)
    def test_an_article_with_what_is_left(self, snap_compare: Any, tmp_path: Path,
                                          size: tuple[int, int]) -> None:
        """C on Tajikistan's remittances: article a2 of the small frozen snapshot dataset,
        its uncovered passages underlined, the second one current."""
        from test_svg_snapshots import _make_dataset

        data = _make_dataset(tmp_path)

        async def before(pilot: Any) -> None:
            await settle(pilot)
            pilot.app.dashboard.go_to_record("m-tjk-remit-2020")
            await pilot.pause()
            await pilot.press("C")
            await pilot.pause()
            await pilot.press("right_square_bracket")
            await settle(pilot)

        assert snap_compare(CstoApp(data), terminal_size=size, run_before=before)

    @pytest.mark.parametrize("size", SIZES)
    def test_a_fully_covered_article(self, snap_compare: Any, tmp_path: Path,
                                     size: tuple[int, int]) -> None:
        """C on an article all quoted or explained: "nothing uncovered", and no ] / [ in the
        key line (nothing to jump to)."""
        data = covered_dataset(tmp_path)

        async def before(pilot: Any) -> None:
            await settle(pilot)
            await pilot.press("C")
            await settle(pilot)

        assert snap_compare(CstoApp(data), terminal_size=size, run_before=before)
