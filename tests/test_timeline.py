"""The membership timeline's pure layout (csto_tui.timeline): no textual involved."""

from __future__ import annotations

import pytest

from csto_tui.model import Event, Span, State
from csto_tui.timeline import ASCII, UNICODE, glyphs_for, layout, make_scale, runs_in
from csto_tui.values import PartialDate


def _span(kind: str, start: str, end: str | None = None) -> Span:
    return Span(kind, PartialDate.parse(start), PartialDate.parse(end) if end else None)


RUS = State("rus", "Russia", "member", membership=(_span("member", "1994"),))
UZB = State("uzb", "Uzbekistan", "former-member", membership=(
    _span("member", "1994", "1999"), _span("member", "2006", "2012")))
SRB = State("srb", "Serbia", "observer", membership=(_span("observer", "2013"),))
NONE = State("usa", "United States", "outside")
SIGNING = Event("ev-1992", PartialDate.parse("1992-05-15"), "CST signed", "milestone", "")
KAZ = Event("ev-2022", PartialDate.parse("2022-01-05"), "Kazakhstan", "intervened", "")
STATES = [RUS, UZB, SRB, NONE]


def _year_cols(chart, year: int) -> tuple[int, int]:
    return chart.scale.cols_of(year)


def test_auto_range_and_one_row_per_state_with_spans() -> None:
    chart = layout(STATES, 80, UNICODE, events=[SIGNING, KAZ])
    assert (chart.scale.first, chart.scale.last) == (1992, 2022)
    assert [r.state_id for r in chart.rows] == ["rus", "uzb", "srb"]
    assert len(chart) == 3 and chart[1].state_id == "uzb"


@pytest.mark.parametrize("width", [60, 80, 120, 200])
def test_fits_the_width(width: int) -> None:
    chart = layout(STATES, width, UNICODE, events=[SIGNING, KAZ])
    for row in chart.rows:
        assert len(row.label) == chart.label_width
        assert len(row.cells) == chart.scale.width
        assert chart.label_width + 1 + len(row.cells) <= width
    assert len(chart.axis) == len(chart.labels) == len(chart.events) == chart.scale.width


def test_uzbekistan_has_two_filled_runs_with_a_gap() -> None:
    chart = layout(STATES, 80, UNICODE, events=[SIGNING, KAZ])
    uzb = chart.row("uzb")
    assert uzb is not None
    runs = runs_in(uzb.cells, UNICODE.member)
    assert len(runs) == 2, uzb.cells
    (a1, b1), (a2, b2) = runs
    # first run 1994..1999, second 2006..2012, a gap of 2000..2005 between them
    assert a1 == _year_cols(chart, 1994)[0]
    assert b1 == _year_cols(chart, 1999)[1]
    assert a2 == _year_cols(chart, 2006)[0]
    assert b2 == _year_cols(chart, 2012)[1]
    assert set(uzb.cells[b1:a2]) == {" "}
    assert set(uzb.cells[b2:]) == {" "}
    assert uzb.summary == "member 1994-1999, member 2006-2012"


def test_columns_map_years() -> None:
    chart = layout(STATES, 80, UNICODE, events=[SIGNING, KAZ])
    sc = chart.scale
    # 31 years in 80 - label - 1 columns: two whole columns per year
    assert sc.width == 62
    assert sc.cols_of(1992) == (0, 2)
    assert sc.cols_of(1994) == (4, 6)
    assert sc.cols_of(2022) == (60, 62)
    assert sc.year_at(5) == 1994
    rus = chart.row("rus")
    assert rus is not None
    # open-ended membership runs from 1994 to the end of the chart, where a mark says it
    # goes on (a span that ended in the chart's last year reaches the edge too)
    assert runs_in(rus.cells, UNICODE.member) == [(4, 61)] and rus.cells[61] == UNICODE.ongoing
    assert rus.summary == "member 1994-now"
    # event markers sit on their years
    assert chart.events[0] == UNICODE.event and chart.events[60] == UNICODE.event
    # the year labels line up with the ticks
    col = sc.col(2000)
    assert chart.labels[col:col + 4] == "2000"
    assert chart.axis[col] == UNICODE.tick


def test_observer_spans_use_the_lighter_glyph() -> None:
    chart = layout(STATES, 80, UNICODE, events=[SIGNING, KAZ])
    srb = chart.row("srb")
    assert srb is not None
    assert UNICODE.member not in srb.cells
    assert runs_in(srb.cells, UNICODE.observer) == [(chart.scale.col(2013),
                                                     chart.scale.width - 1)]
    assert srb.cells[-1] == UNICODE.ongoing


def test_narrow_width_squeezes_years_into_fewer_columns() -> None:
    sc = make_scale(1992, 2022, 20)
    assert sc.width == 20
    assert sc.col(1992) == 0 and sc.col(2023) == 20
    chart = layout(STATES, 40, UNICODE)
    uzb = chart.row("uzb")
    assert uzb is not None
    assert len(runs_in(uzb.cells, UNICODE.member)) == 2


def test_ascii_fallback() -> None:
    assert glyphs_for("utf-8") is UNICODE
    assert glyphs_for("UTF8") is UNICODE
    assert glyphs_for("ascii") is ASCII
    assert glyphs_for("ANSI_X3.4-1968") is ASCII
    assert glyphs_for(None) is ASCII
    chart = layout(STATES, 80, ASCII, events=[SIGNING])
    everything = "".join(r.cells for r in chart.rows) + chart.axis + chart.labels + chart.events
    assert everything.isascii()
    assert chart.legend.isascii()
    uzb = chart.row("uzb")
    assert uzb is not None
    assert len(runs_in(uzb.cells, "#")) == 2
    srb = chart.row("srb")
    assert srb is not None and "." in srb.cells


def test_long_names_are_cut_and_control_characters_made_visible() -> None:
    odd = State("odd", "Some\x1b[31mvery long state name indeed", "member",
                membership=(_span("member", "2000"),))
    chart = layout([odd], 80, UNICODE)
    label = chart.rows[0].label
    assert "\x1b" not in label
    assert len(label) == chart.label_width


def _when_span(kind: str, start: str, end: str | None) -> Span:
    from csto_tui.facts import When

    return Span(kind, When.parse(start), When.parse(end) if end else None)


AFG = State("afg", "Afghanistan", "former-observer",
            membership=(_when_span("observer", "unknown", "before 2022-02-04"),))
SRB_SINCE_WHEN = State("srb", "Serbia", "observer",
                       membership=(_when_span("observer", "unknown", None),))


@pytest.mark.parametrize("glyphs", [UNICODE, ASCII], ids=["unicode", "ascii"])
def test_an_ended_span_and_one_that_goes_on_do_not_look_alike(glyphs) -> None:
    """An observer status that ended before Feb 2022 and one that goes on, both reaching the
    chart's last year (2022): only the one that goes on ends with the mark; a start the
    sources do not give is marked as not known where the chart starts."""
    chart = layout([RUS, AFG, SRB_SINCE_WHEN], 80, glyphs, events=[SIGNING, KAZ])
    afg, srb = chart.row("afg"), chart.row("srb")
    assert afg is not None and srb is not None
    assert afg.cells != srb.cells
    assert afg.cells[-1] == glyphs.observer and srb.cells[-1] == glyphs.ongoing
    assert afg.cells[0] == srb.cells[0] == glyphs.vague
    assert set(afg.cells[1:]) == {glyphs.observer}  # the kind stays visible
    assert afg.summary == "observer ?-before 2022" and srb.summary == "observer ?-now"
    assert f"{glyphs.vague} start not known" in chart.legend
    assert f"{glyphs.ongoing} goes on" in chart.legend
    # a chart shows in its legend only what is on it
    plain = layout([UZB], 80, glyphs)
    assert "not known" not in plain.legend and "goes on" not in plain.legend
    assert "observer" not in plain.legend and "event" not in plain.legend


def test_a_suspension_that_goes_on_keeps_its_mark_over_the_membership_before_it() -> None:
    """Member 1994-2022, suspended 2022-now: the membership, drawn after, does not hide that
    the suspension goes on; a span of one column keeps its own glyph (no mark over it)."""
    arm = State("arm", "Armenia", "member", membership=(
        _span("member", "1994", "2022"), _span("suspended", "2022")))
    chart = layout([arm, RUS], 80, UNICODE, events=[SIGNING])
    row = chart.row("arm")
    assert row is not None and row.cells[-1] == UNICODE.ongoing
    one = State("new", "Newcomer", "member", membership=(_span("member", "2022"),))
    narrow = layout([one, RUS], 40, UNICODE, events=[SIGNING])
    row = narrow.row("new")
    assert row is not None and row.cells.rstrip()[-1] == UNICODE.member


def test_legend_lines_pack_the_items_into_the_width() -> None:
    from csto_tui.timeline import LEGEND_GAP, legend_lines

    legend = layout([RUS, AFG, SRB_SINCE_WHEN], 80, UNICODE, events=[KAZ]).legend
    for width in (20, 30, 50, 200):
        lines = legend_lines(legend, width)
        assert LEGEND_GAP.join(lines) == legend
        assert all(len(line) <= width or LEGEND_GAP not in line for line in lines)


@pytest.mark.parametrize("width", [80, 50])
async def test_the_screen_shows_every_item_of_the_legend_however_narrow(width: int) -> None:
    """The chart widget is as tall as its legend's lines need: at 80 columns with long
    labels and every kind of span, or narrower, the last item is still on screen."""
    from textual.app import App, ComposeResult

    from csto_tui.widgets.timeline_chart import TimelineChart

    long = State("lng", "A state with a long name", "member", membership=(
        _span("member", "1994", "2000"), _span("suspended", "2000", "2004"),
        _span("signatory", "2004", "2008"), _span("member", "2008")))
    states = [long, RUS, UZB, SRB, AFG]

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield TimelineChart(states, [SIGNING, KAZ], glyphs=UNICODE)

    app = One()
    async with app.run_test(size=(width, 30)) as pilot:
        await pilot.pause()
        chart = app.query_one(TimelineChart)
        shown = chart.render().plain.splitlines()
        assert chart.size.height >= len(shown)
        text = " ".join(shown)
        for item in ("suspended", "signatory/partner", "observer", "start not known",
                     "goes on", "event", "blank: outside the alliance"):
            assert item in text, (item, shown)
