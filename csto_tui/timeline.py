"""Layout of the membership timeline as plain strings (no textual).

Years run across, one row per state that has membership spans. Member years are filled
with a solid glyph, observer years with a lighter one, so exits and re-entries (Uzbekistan:
member 1994-1999, out, member 2006-2012, out) show as separate runs with a gap. Everything
here is pure and tested in ``tests/test_timeline.py``; the widget only styles the strings.

A span covers its start year through its end year inclusive (an open span runs to the last
year of the chart): dates are known to a year at best for most spans, and "left in 1999"
means the state was still a member during part of 1999.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .model import Event, State
from .textsafe import one_line
from .values import PartialDate

#: what separates the items of a legend (a chart's screen packs them into its width)
LEGEND_GAP = "   "


@dataclass(frozen=True)
class Glyphs:
    member: str
    observer: str
    empty: str
    axis: str
    tick: str
    event: str
    name: str
    #: a suspended membership; a signatory or partner (not a member)
    suspended: str = ":"
    other: str = "-"
    #: the first column of a span whose start the sources do not give (the years drawn
    #: before it are where the chart starts, not a known start)
    vague: str = "?"
    #: the last column of a span that has not ended (what reaches the edge and goes on)
    ongoing: str = ">"

    def legend(self, drawn: Iterable[str] = (), events: bool = True) -> str:
        """What each glyph on a chart means: those in ``drawn`` (the glyphs its rows use), the
        event mark if it has ``events``, and what a blank is."""
        on = set(drawn)
        items = [f"{glyph * (1 if glyph in (self.vague, self.ongoing) else 2)} {meaning}"
                 for glyph, meaning in ((self.member, "member"), (self.suspended, "suspended"),
                                        (self.other, "signatory/partner"),
                                        (self.observer, "observer"),
                                        (self.vague, "start not known"),
                                        (self.ongoing, "goes on"))
                 if glyph in on]
        if events:
            items.append(f"{self.event} event")
        items.append("blank: outside the alliance")
        return LEGEND_GAP.join(items)

    def of(self, kind: str) -> str:
        """The glyph of a span kind (withdrawn: blank, the state is out)."""
        if kind in ("member", "restored"):
            return self.member
        if kind == "observer":
            return self.observer
        if kind == "suspended":
            return self.suspended
        if kind == "withdrawn":
            return self.empty
        return self.other


UNICODE = Glyphs(member="\u2588", observer="\u2591", empty=" ", axis="\u2500", tick="\u252c",
                 event="\u25b2", name="unicode", suspended="\u2592", other="\u254c",
                 ongoing="\u25ba")
ASCII = Glyphs(member="#", observer=".", empty=" ", axis="-", tick="+", event="^", name="ascii")


def glyphs_for(encoding: str | None) -> Glyphs:
    """Unicode block glyphs when the terminal's encoding is UTF-8, plain ASCII otherwise."""
    enc = (encoding or "").lower().replace("-", "").replace("_", "")
    return UNICODE if enc.startswith("utf") else ASCII


@dataclass(frozen=True)
class Scale:
    """Maps years to chart columns: year ``y`` occupies ``[col(y), col(y + 1))``."""

    first: int
    last: int
    width: int  # columns used by the chart (may be less than what was available)

    @property
    def years(self) -> int:
        return self.last - self.first + 1

    def col(self, year: int) -> int:
        """First column of ``year`` (clamped to the chart); ``col(last + 1) == width``."""
        year = min(max(year, self.first), self.last + 1)
        return (year - self.first) * self.width // self.years

    def cols_of(self, year: int) -> tuple[int, int]:
        """Columns ``[a, b)`` of one year, at least one column wide."""
        a = self.col(year)
        b = max(self.col(year + 1), a + 1)
        return a, min(b, self.width)

    def year_at(self, column: int) -> int:
        """The year shown at a column."""
        column = min(max(column, 0), self.width - 1)
        return self.first + column * self.years // self.width


@dataclass(frozen=True)
class Run:
    kind: str  # "member" or "observer"
    start: int  # first year
    end: int  # last year, inclusive
    open: bool = False  # no end date: still running
    vague: bool = False  # its start is not known: ``start`` is the chart's first year
    #: how the summary names its end when the sources bound it ("before 2022"), else ""
    end_text: str = ""
    #: how the summary names its start when the sources bound it ("after 2010"), else ""
    start_text: str = ""


@dataclass(frozen=True)
class Row:
    state_id: str
    label: str  # padded to the label width
    cells: str  # exactly ``scale.width`` characters
    runs: tuple[Run, ...]
    summary: str  # "member 1994-1999, member 2006-2012"


@dataclass(frozen=True)
class Chart:
    rows: list[Row]
    scale: Scale
    label_width: int
    axis: str  # tick line under the rows (chart columns only)
    labels: str  # year labels aligned with the ticks (chart columns only)
    events: str  # event markers (chart columns only)
    legend: str
    glyphs: Glyphs

    # a Chart reads as its list of rows
    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, i: int) -> Row:
        return self.rows[i]

    def row(self, state_id: str) -> Row | None:
        return next((r for r in self.rows if r.state_id == state_id), None)


#: Statuses shown on the timeline without recorded years, and what their row says.
UNDATED_ROWS = {"observer": "observer (years not given by the sources)",
                "former-observer": "former observer (years not given by the sources)"}


def _span_runs(state: State, last: int, first: int | None = None) -> list[Run]:
    """The state's spans as runs of years; a span whose start is unknown (or only bounded:
    "before 2010") runs from ``first`` (the chart's first year), marked vague."""
    runs = []
    for sp in state.membership:
        known = sp.start.year
        vague = known is None or sp.start.kind == "before"
        start = (first or last) if vague or known is None else known
        end = (sp.end.year or last) if sp.end is not None else last
        runs.append(Run(sp.kind, start, max(end, start), sp.end is None, vague,
                        _bound(sp.end), _bound(sp.start)))
    return sorted(runs, key=lambda r: (r.start, r.end))


def _bound(when: Any) -> str:
    """``before 2022``, ``after 2010``, ``about 2019`` for a date the sources only bound;
    "" for any other."""
    if when is not None and when.kind in ("before", "after", "about") and when.year:
        return f"{when.kind} {when.year}"
    return ""


def _summary(run: Run) -> str:
    """A run as the detail line says it: ``member 1994-1999``, ``member 1994-now``,
    ``observer ?-before 2022``, ``observer before 2010-now``, ``member 2002``."""
    start = run.start_text or ("?" if run.vague else str(run.start))
    end = "now" if run.open else (run.end_text or str(run.end))
    return f"{run.kind} {start}" if start == end else f"{run.kind} {start}-{end}"


def legend_lines(legend: str, width: int) -> list[str]:
    """A legend's items packed into lines of at most ``width`` characters (an item longer
    than that on a line of its own)."""
    lines: list[str] = []
    line = ""
    for item in legend.split(LEGEND_GAP):
        if line and len(line) + len(LEGEND_GAP) + len(item) > width:
            lines.append(line)
            line = ""
        line = f"{line}{LEGEND_GAP}{item}" if line else item
    return [*lines, line]


def year_range(states: Iterable[State], events: Iterable[Event] = (),
               extra: Iterable[PartialDate] = ()) -> tuple[int, int]:
    """First and last year to show: every span's start and end, every event, ``extra`` dates."""
    years: list[int] = []
    for st in states:
        for sp in st.membership:
            if sp.start.year is not None:
                years.append(sp.start.year)
            if sp.end is not None and sp.end.year is not None:
                years.append(sp.end.year)
    years.extend(e.date.year for e in events if e.date.year is not None)
    years.extend(d.year for d in extra if d.year is not None)
    if not years:
        return 1992, 2022
    return min(years), max(years)


def make_scale(first: int, last: int, available: int) -> Scale:
    """A scale for ``available`` columns: whole columns per year when there is room."""
    years = last - first + 1
    available = max(available, 1)
    if available >= years:
        return Scale(first, last, (available // years) * years)
    return Scale(first, last, available)


def _label_width(states: Sequence[State], total: int) -> int:
    longest = max((len(one_line(s.name)) for s in states), default=5)
    return max(5, min(longest, 14, max(5, total // 4)))


def axis_lines(scale: Scale, glyphs: Glyphs) -> tuple[str, str]:
    """The tick line and the year labels, both ``scale.width`` characters long.

    Ticks go on years divisible by 5 (by 10 when columns are scarce), labels do not overlap.
    """
    width = scale.width
    step = 5 if scale.width >= scale.years * 2 or scale.years <= 12 else 10
    if scale.width / max(scale.years, 1) * step < 5:
        step = 10 if step < 10 else 20
    axis = [glyphs.axis] * width
    labels = [" "] * width
    next_free = 0
    ticks = [y for y in range(scale.first, scale.last + 1) if y % step == 0]
    if not ticks or ticks[0] - scale.first >= 3:
        ticks.insert(0, scale.first)
    for y in ticks:
        c = scale.col(y)
        if c >= width:
            continue
        axis[c] = glyphs.tick
        text = str(y)
        if c >= next_free and c + len(text) <= width:
            labels[c:c + len(text)] = list(text)
            next_free = c + len(text) + 1
    return "".join(axis), "".join(labels)


def layout(states: Iterable[State], width: int, glyphs: Glyphs = UNICODE, *,
           events: Iterable[Event] = (), first: int | None = None,
           last: int | None = None) -> Chart:
    """Lay out one row per state with membership spans, in the order given, for ``width``
    columns in total (label, one space, chart)."""
    # observers are on it too, even when the sources give them no years
    with_spans = [s for s in states if s.membership or s.status in UNDATED_ROWS]
    evs = list(events)
    lo, hi = year_range(with_spans, evs)
    first = lo if first is None else first
    last = hi if last is None else last
    if last < first:
        first, last = last, first
    label_w = _label_width(with_spans, width)
    scale = make_scale(first, last, width - label_w - 1)
    rows: list[Row] = []
    for st in with_spans:
        cells = [glyphs.empty] * scale.width
        runs = _span_runs(st, last, first)
        # observer first, so that member years win where both are recorded
        marks: dict[int, str] = {}
        for run in sorted(runs, key=lambda r: r.kind in ("member", "restored")):
            ch = glyphs.of(run.kind)
            a = scale.cols_of(max(run.start, first))[0]
            b = scale.cols_of(min(run.end, last))[1]
            if run.end < first or run.start > last:
                continue
            for c in range(a, b):
                cells[c] = ch
            if ch == glyphs.empty or b - a < 2:
                continue  # a mark on one column would hide what the span is
            if run.vague:  # years the sources do not give are not drawn as if they did
                marks[a] = glyphs.vague
            if run.open and run.end >= last:
                marks[b - 1] = glyphs.ongoing  # reaches the edge and goes on
        for c, mark in marks.items():  # after every run: a later one does not hide them
            cells[c] = mark
        summary = ", ".join(map(_summary, runs))
        if not runs:
            note = UNDATED_ROWS[st.status]
            summary = note
            cells = list(note[:scale.width].ljust(scale.width))
        label = one_line(st.name, label_w).ljust(label_w)[:label_w]
        rows.append(Row(st.id, label, "".join(cells), tuple(runs), summary))
    ev_cells = [" "] * scale.width
    for e in evs:
        if e.date.year is not None and first <= e.date.year <= last:
            a, b = scale.cols_of(e.date.year)
            ev_cells[a] = glyphs.event
    axis, labels = axis_lines(scale, glyphs)
    drawn = {c for row in rows if row.runs for c in row.cells}
    return Chart(rows, scale, label_w, axis, labels, "".join(ev_cells),
                 glyphs.legend(drawn, events=glyphs.event in ev_cells), glyphs)


def runs_in(cells: str, glyph: str) -> list[tuple[int, int]]:
    """Column ranges ``[a, b)`` of consecutive ``glyph`` characters (used by the tests)."""
    out: list[tuple[int, int]] = []
    start = None
    for i, ch in enumerate(cells + "\0"):
        if ch == glyph and start is None:
            start = i
        elif ch != glyph and start is not None:
            out.append((start, i))
            start = None
    return out
