"""The membership timeline chart: csto_tui.timeline's strings, styled, with a selected row."""

from __future__ import annotations

import sys
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from ..model import Event, State
from ..timeline import (
    ASCII,
    UNDATED_ROWS,
    UNICODE,
    Chart,
    Glyphs,
    glyphs_for,
    layout,
    legend_lines,
)


def terminal_glyphs(app: Any = None) -> Glyphs:
    """Unicode glyphs only when both the app's console and the real stdout speak UTF-8."""
    encodings = []
    console = getattr(app, "console", None)
    if console is not None:
        encodings.append(getattr(console, "encoding", None))
    stream = sys.__stdout__ or sys.stdout
    encodings.append(getattr(stream, "encoding", None))
    known = [e for e in encodings if e]
    if not known:
        return ASCII
    return UNICODE if all(glyphs_for(e) is UNICODE for e in known) else ASCII


class TimelineChart(Widget, can_focus=True):
    """Rows of membership spans across the years; up/down move the selection."""

    BINDINGS = [
        Binding("up,k", "move(-1)", "Up", id="timeline_up", show=False),
        Binding("down,j", "move(1)", "Down", id="timeline_down", show=False),
        Binding("home", "jump(0)", "First", id="timeline_first", show=False),
        Binding("end", "jump(-1)", "Last", id="timeline_last", show=False),
    ]

    selected: reactive[int] = reactive(0)

    class Highlighted(Message):
        def __init__(self, chart: TimelineChart, state_id: str | None) -> None:
            super().__init__()
            self.chart = chart
            self.state_id = state_id

    def __init__(self, states: list[State], events: list[Event] | None = None,
                 glyphs: Glyphs | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.states = [s for s in states if s.membership or s.status in UNDATED_ROWS]
        self.events = list(events or [])
        self._glyphs = glyphs

    @property
    def glyphs(self) -> Glyphs:
        if self._glyphs is None:
            self._glyphs = terminal_glyphs(self.app)
        return self._glyphs

    def chart(self, width: int | None = None) -> Chart:
        w = width if width is not None else max(self.size.width, 20)
        # one column is kept for the selection marker in front of the labels
        return layout(self.states, w - 1, self.glyphs, events=self.events)

    @property
    def selected_state(self) -> State | None:
        if not self.states:
            return None
        return self.states[min(self.selected, len(self.states) - 1)]

    def select_id(self, state_id: str) -> None:
        for i, s in enumerate(self.states):
            if s.id == state_id:
                self.selected = i
                return

    def validate_selected(self, value: int) -> int:
        return min(max(value, 0), max(len(self.states) - 1, 0))

    def watch_selected(self, _old: int, _new: int) -> None:
        st = self.selected_state
        self.post_message(self.Highlighted(self, st.id if st else None))

    def action_move(self, step: int) -> None:
        self.selected = self.selected + step

    def action_jump(self, where: int) -> None:
        self.selected = 0 if where == 0 else len(self.states) - 1

    def get_content_height(self, container: Any, viewport: Any, width: int) -> int:
        if not self.states:
            return 1
        ch = self.chart(width)
        # the year labels and the axis, a row per state, the events, the legend's lines
        return 2 + len(ch.rows) + (1 if self.events else 0) + len(self._legend(ch, width))

    @staticmethod
    def _legend(ch: Chart, width: int) -> list[str]:
        """The chart's own legend (what is on it), packed into the width under the chart."""
        return legend_lines(ch.legend, max(width - ch.label_width - 2, 20))

    def render(self) -> Text:
        if not self.states:
            return Text("No state has recorded membership spans.", style="italic")
        ch = self.chart()
        pad = " " * (ch.label_width + 2)
        out = Text(no_wrap=True, overflow="crop")
        out.append(pad + ch.labels + "\n")
        out.append(pad + ch.axis + "\n")
        for i, row in enumerate(ch.rows):
            sel = i == self.selected
            mark = ">" if sel else " "
            out.append(mark, style="bold" if sel else "")
            out.append(row.label, style="bold reverse" if sel else "")
            out.append(" ")
            out.append(row.cells, style="bold" if sel else "")
            out.append("\n")
        if self.events:
            out.append(" " + "events".ljust(ch.label_width)[: ch.label_width] + " ",
                       style="italic")
            out.append(ch.events + "\n")
        out.append("\n".join(pad + line for line in self._legend(ch, self.size.width)),
                   style="italic")
        return out
