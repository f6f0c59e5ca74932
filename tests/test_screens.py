"""The source, briefing and timeline screens, driven by a tiny host app of the test's own."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from screen_text import briefing_plain, styles_of, visible_text
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from csto_tui import export
from csto_tui.checking import check
from csto_tui.dataset import Dataset
from csto_tui.loader import default_dataset_path, load
from csto_tui.model import Anchor, Event, Quote, Source, Span, State
from csto_tui.screens.briefing_view import BriefingScreen
from csto_tui.screens.source_view import SourceScreen
from csto_tui.screens.timeline_view import TimelineScreen
from csto_tui.shared import Shared
from csto_tui.values import PartialDate
from csto_tui.widgets.source_document import SourceDocument, passages_of
from csto_tui.widgets.timeline_chart import TimelineChart

ROOT = Path(__file__).resolve().parent.parent
SEED_A1 = ROOT / "seeds" / "000_3015bca6c6aaec53.txt"


# --------------------------------------------------------------------------------------------
# host app and datasets


class Host(App[None]):
    """Stands in for the dashboard: exposes the contract and pushes one screen on mount."""

    def __init__(self, dataset: Dataset | None, statuses: dict[str, str],
                 make_screen: Callable[[Shared], Screen[Any]]) -> None:
        super().__init__()
        self.data = Shared(dataset.path if dataset is not None else ROOT, dataset=dataset,
                           statuses=statuses)
        self.results: list[Any] = []
        self.make_screen = make_screen

    def compose(self) -> ComposeResult:
        yield Static("host")

    def on_mount(self) -> None:
        self.push_screen(self.make_screen(self.data), self.results.append)


@pytest.fixture(scope="module")
def real() -> tuple[Dataset, dict[str, str]]:
    result = load(default_dataset_path())
    return result.dataset, check(result=result).quote_status


def _anchor(qid: str, source: str, text: str, exact: str, review: str = "") -> Anchor:
    start = text.index(exact)
    end = start + len(exact)
    return Anchor(qid, source, exact, text[max(0, start - 32):start], text[end:end + 32],
                  start, end, review)


def mini_dataset(text: str | None = None) -> tuple[Dataset, dict[str, str]]:
    """A small, fixed dataset built from real sentences of seed a1 (for snapshots and edge
    cases that must not move when data/csto.toml grows)."""
    text = SEED_A1.read_text(encoding="utf-8") if text is None else text
    sents = {
        "q-left": "But the initiative didn’t spur any actual army integration, and three of the 9 "
                  "members—Azerbaijan, Georgia and Uzbekistan—selected to depart in 1999, in the "
                  "course of the renewal of the treaty.",
        "q-rejoin": "Uzbekistan, which rejoined the CSTO in 2006 and left once more in 2012, stays "
                    "the highest precedence for the Kremlin.",
        "q-force": "The treaty finally got here into power two years later in 1994.",
    }
    quotes = tuple(Quote(qid, "a1", s) for qid, s in sents.items())
    anchors = {qid: _anchor(qid, "a1", text, s) for qid, s in sents.items()}

    def d(s: str) -> PartialDate:
        return PartialDate.parse(s)

    uzb = State("uzb", "Uzbekistan", "former-member", aliases=("Uzbek",),
                role="Left in 1999, rejoined in 2006, left again in 2012",
                membership=(Span("member", d("1994"), d("1999"), ("q-force", "q-left")),
                            Span("member", d("2006"), d("2012"), ("q-rejoin",))),
                quotes=("q-rejoin",))
    rus = State("rus", "Russia", "member", membership=(Span("member", d("1994"), None,
                                                             ("q-force",)),),
                quotes=("q-force",))
    ev = Event("ev-2006", d("2006"), "Uzbekistan rejoins the CSTO", "milestone",
               "Uzbekistan rejoined, only to leave again in 2012", ("uzb",), (), "",
               ("q-rejoin",))
    src = Source("a1", "seeds/000_3015bca6c6aaec53.txt", "The CSTO after the Kazakhstan "
                 "intervention (descriptive title)", SEED_A1, d("2022-02-04"))
    ds = Dataset(ROOT / "data" / "mini.toml", ROOT, "mini", (src,), quotes, (rus, uzb), (),
                 (ev,), anchors=anchors, texts={"a1": text})
    statuses = {qid: "exact" for qid in sents}
    return ds, statuses


# --------------------------------------------------------------------------------------------
# source view


def _last_passage(ds: Dataset, statuses: dict[str, str], source: str = "a1") -> str:
    return passages_of(ds, source, statuses)[-1].quote_id


async def test_source_opens_scrolled_to_the_quote(real: Any) -> None:
    ds, statuses = real
    qid = _last_passage(ds, statuses)
    exact = ds.anchors[qid].exact
    app = Host(ds, statuses, lambda data: SourceScreen(data, "a1", qid))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SourceScreen)
        doc = screen.query_one(SourceDocument)
        assert doc.scroll_y > 0
        shown = " ".join(visible_text(doc))
        words = exact.split()[:4]
        assert " ".join(words) in " ".join(shown.split()), shown
        # the current passage is reverse + bold on screen
        y = next(i for i, line in enumerate(visible_text(doc)) if words[0] in line)
        styles = styles_of(doc, y, words[0])
        assert styles and all(s.reverse and s.bold for s in styles)
        assert screen.current is not None and screen.current.quote_id == qid


async def test_next_and_previous_passage_update_the_cited_by_panel(real: Any) -> None:
    ds, statuses = real
    passages = passages_of(ds, "a1", statuses)
    first = passages[0].quote_id
    app = Host(ds, statuses, lambda data: SourceScreen(data, "a1", first))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SourceScreen)
        panel = screen.query_one("#source-panel", Static)
        assert first in str(panel.content)
        await pilot.press("right_square_bracket")
        assert screen.current is not None
        second = passages[1].quote_id
        assert screen.current.quote_id == second
        text = str(panel.content)
        assert second in text and f"Passage 2/{len(passages)}" in text
        kind_titles = [ds.get(r) for r in ds.citers(second)]
        assert kind_titles, "the second passage is cited"
        await pilot.press("j")
        assert screen.index == 2
        await pilot.press("left_square_bracket")
        await pilot.press("k")
        assert screen.current.quote_id == first
        assert first in str(panel.content)
        # passage 1 was styled as cited (underline), now it is current (reverse)
        doc = screen.query_one(SourceDocument)
        assert doc.current == 0


async def test_enter_dismisses_with_the_citing_record(real: Any) -> None:
    ds, statuses = real
    qid = next(q.id for q in ds.quotes if q.source == "a1" and len(ds.citers(q.id)) >= 2)
    citers = ds.citers(qid)
    app = Host(ds, statuses, lambda data: SourceScreen(data, "a1", qid))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("right")
        assert app.screen.selected_record == citers[1]  # type: ignore[attr-defined]
        await pilot.press("left")
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [citers[0]]
        assert not isinstance(app.screen, SourceScreen)


async def test_enter_picks_the_selected_citer_and_escape_returns_none(real: Any) -> None:
    ds, statuses = real
    qid = next(q.id for q in ds.quotes if q.source == "a1" and len(ds.citers(q.id)) >= 2)
    citers = ds.citers(qid)
    app = Host(ds, statuses, lambda data: SourceScreen(data, "a1", qid))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("tab")
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [citers[1]]
    app2 = Host(ds, statuses, lambda data: SourceScreen(data, "a1", qid))
    async with app2.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app2.results == [None]


async def test_markup_in_a_source_renders_literally() -> None:
    text = ("Intro line.\n\nThe [bold]x[/] of [red]it[/red] stays literal, "
            "and \x1b[31mescapes\x1b[0m show.\nUzbekistan, which rejoined the CSTO in 2006 and "
            "left once more in 2012, stays the highest precedence for the Kremlin.\n")
    src_text = SEED_A1.read_text(encoding="utf-8")
    ds, statuses = mini_dataset(src_text)
    # swap in the odd text, anchoring one quote on it
    anchors = {"q-rejoin": _anchor("q-rejoin", "a1", text, ds.quote("q-rejoin").text)}  # type: ignore[union-attr]
    ds2 = Dataset(ds.path, ds.root, ds.title, ds.sources, ds.quotes, ds.states, (), ds.events,
                  anchors=anchors, texts={"a1": text})
    app = Host(ds2, {"q-rejoin": "exact"}, lambda data: SourceScreen(data, "a1", "q-rejoin"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        doc = app.screen.query_one(SourceDocument)
        shown = "\n".join(visible_text(doc))
        assert "The [bold]x[/] of [red]it[/red] stays literal" in shown
        assert "\x1b" not in shown and "^[[31mescapes^[[0m" in shown
        y = next(i for i, line in enumerate(visible_text(doc)) if "[bold]x[/]" in line)
        assert not any(s.bold for s in styles_of(doc, y, "[bold]x[/]"))


async def test_fuzzy_quotes_are_marked() -> None:
    ds, statuses = mini_dataset()
    statuses["q-left"] = "fuzzy"
    app = Host(ds, statuses, lambda data: SourceScreen(data, "a1", "q-left"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        doc = app.screen.query_one(SourceDocument)
        assert "[fuzzy] But the initiative" in "\n".join(visible_text(doc))
        assert "[fuzzy]" in str(app.screen.query_one("#source-panel", Static).content)


async def test_large_document_opens_at_the_quote() -> None:
    """A 5 MB article opens scrolled to its last quote and pages (how fast: benchmarks, never
    a timed assert here)."""
    base = SEED_A1.read_text(encoding="utf-8")
    big = (base + "\n") * 560  # about 5 MB
    ds, statuses = mini_dataset(base)
    tail = ds.quote("q-rejoin").text  # type: ignore[union-attr]
    start = big.rindex(tail)
    anchors = {"q-rejoin": Anchor("q-rejoin", "a1", tail, "", "", start, start + len(tail))}
    ds2 = Dataset(ds.path, ds.root, ds.title, ds.sources, ds.quotes, ds.states, (), ds.events,
                  anchors=anchors, texts={"a1": big})
    app = Host(ds2, {"q-rejoin": "exact"}, lambda data: SourceScreen(data, "a1", "q-rejoin"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        doc = app.screen.query_one(SourceDocument)
        assert "Uzbekistan, which rejoined" in " ".join(" ".join(visible_text(doc)).split())
        assert doc.scroll_y > 50_000
        await pilot.press("pageup", "pageup", "pagedown")
        await pilot.pause()
        assert 0 < doc.scroll_y < doc.max_scroll_y


# --------------------------------------------------------------------------------------------
# briefing view


def _page(app: App[Any]) -> str:
    return str(app.screen.query_one("#briefing-page", Static).content).strip()


async def test_briefing_pages_with_arrows_and_space(real: Any) -> None:
    ds, statuses = real
    ids = [s.id for s in ds.states_sorted()][:6]
    app = Host(ds, statuses, lambda data: BriefingScreen(data, ids, 2))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BriefingScreen)
        assert _page(app) == "3/6"
        assert screen.state_id == ids[2]
        title = str(screen.query_one("#briefing-title", Static).content)
        assert ds.state(ids[2]).name.upper() in title  # type: ignore[union-attr]
        await pilot.press("right")
        assert _page(app) == "4/6" and screen.state_id == ids[3]
        await pilot.press("space")
        assert _page(app) == "5/6"
        await pilot.press("left")
        await pilot.press("left")
        assert _page(app) == "3/6"
        await pilot.press("backspace")
        assert _page(app) == "2/6"
        for _ in range(8):
            await pilot.press("right")
        assert _page(app) == "6/6"
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


async def test_briefing_shows_the_same_structure_as_the_export(real: Any) -> None:
    ds, statuses = real
    app = Host(ds, statuses, lambda data: BriefingScreen(data, ["uzb"], 0))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BriefingScreen)
        b = screen.current
        assert b is not None
        plain = briefing_plain(b)
        for sec in b.sections:
            assert sec.title.upper() in plain
        assert f"[{len(b.footnotes)}] " in plain
        md = export.markdown(ds, ["uzb"], statuses)
        assert md.count("[^uzb-") - len(b.footnotes) == sum(
            len(line.notes) for sec in b.sections for line in sec.lines)


async def test_briefing_export_writes_the_markdown(real: Any, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    ds, statuses = real
    monkeypatch.setenv("CSTO_TUI_EXPORT_DIR", str(tmp_path))
    ids = [s.id for s in ds.states_sorted()][:3]
    app = Host(ds, statuses, lambda data: BriefingScreen(data, ids, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("right")
        await pilot.press("e")
        await pilot.pause()
    out = tmp_path / f"csto-briefing-{ids[1]}.md"
    assert out.read_text(encoding="utf-8") == export.markdown(ds, [ids[1]], statuses)
    assert not (tmp_path / f"csto-briefing-{ids[0]}.md").exists()


def _snapshot_app() -> Host:
    ds, statuses = mini_dataset()
    statuses["q-left"] = "fuzzy"
    return Host(ds, statuses, lambda data: BriefingScreen(data, ["rus", "uzb"], 1))


def test_briefing_snapshot_80x24(snap_compare: Any) -> None:
    assert snap_compare(_snapshot_app(), terminal_size=(80, 24))


def test_briefing_snapshot_120x40(snap_compare: Any) -> None:
    assert snap_compare(_snapshot_app(), terminal_size=(120, 40))


# --------------------------------------------------------------------------------------------
# timeline view


def _chart_lines(app: App[Any]) -> list[str]:
    chart = app.screen.query_one(TimelineChart)
    return chart.render().plain.splitlines()


async def test_timeline_shows_uzbekistans_gap(real: Any) -> None:
    ds, statuses = real
    if ds.state("uzb") is None or len(ds.state("uzb").membership) < 2:  # type: ignore[union-attr]
        ds, statuses = mini_dataset()
    app = Host(ds, statuses, lambda data: TimelineScreen(data))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lines = _chart_lines(app)
        assert all(len(line) <= 80 for line in lines)
        row = next(line for line in lines if "Uzbekistan" in line)
        cells = row[row.index("Uzbekistan") + len("Uzbekistan"):].strip(" >")
        chunks = [c for c in cells.strip().split(" ") if c]
        assert len(chunks) == 2 and all(set(c) == {"\u2588"} for c in chunks), row
        chart = app.screen.query_one(TimelineChart)
        lay = chart.chart()
        uzb = lay.row("uzb")
        assert uzb is not None
        a, _ = lay.scale.cols_of(2000)
        _, b = lay.scale.cols_of(2005)
        assert set(uzb.cells[a:b]) == {" "}
        # select Uzbekistan with the arrows, Enter returns its id
        index = [s.id for s in chart.states].index("uzb")
        for _ in range(index):
            await pilot.press("down")
        detail = str(app.screen.query_one("#timeline-detail", Static).content)
        assert "Uzbekistan" in detail and "1994-1999" in detail and "2006-2012" in detail
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == ["uzb"]


async def test_timeline_ascii_fallback_and_escape() -> None:
    from csto_tui.timeline import ASCII

    ds, statuses = mini_dataset()
    app = Host(ds, statuses, lambda data: TimelineScreen(data))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        chart = app.screen.query_one(TimelineChart)
        chart._glyphs = ASCII
        chart.refresh()
        lines = _chart_lines(app)
        assert all(line.isascii() for line in lines)
        row = next(line for line in lines if "Uzbekistan" in line)
        assert len([c for c in row.split(" ") if c and set(c) == {"#"}]) == 2
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


async def test_timeline_rescales_on_resize(real: Any) -> None:
    ds, statuses = real
    app = Host(ds, statuses, lambda data: TimelineScreen(data))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        chart = app.screen.query_one(TimelineChart)
        narrow = chart.chart().scale.width
        assert max(len(line) for line in _chart_lines(app)) <= 80
        await pilot.resize_terminal(140, 30)
        await pilot.pause()
        wide = chart.chart().scale.width
        assert wide > narrow
        assert max(len(line) for line in _chart_lines(app)) <= 140


async def test_source_opens_at_the_first_passage_when_the_quote_is_unknown(real: Any) -> None:
    ds, statuses = real
    first = passages_of(ds, "a1", statuses)[0]
    app = Host(ds, statuses, lambda data: SourceScreen(data, "a1", "no-such-quote"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SourceScreen)
        assert screen.current == first
        doc = screen.query_one(SourceDocument)
        assert doc.scroll_y == 0
