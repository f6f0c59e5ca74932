"""Full-screen membership timeline: who was in the alliance when, exits and re-entries."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from .. import details
from ..facts import RESPONSE_LABELS
from ..shared import Shared
from ..textsafe import one_line
from ..vocabulary import STATUS_LABELS
from ..widgets.footer import KeysFooter
from ..widgets.timeline_chart import TimelineChart


class TimelineScreen(Screen[str | None]):
    """Enter returns the selected state's id (the app selects it); Escape closes."""

    CSS_PATH = "screens.tcss"

    BINDINGS = [
        Binding("escape", "close", "Close", id="timeline_close"),
        Binding("enter", "choose", "Select state", id="timeline_choose"),
        Binding("up,k", "move(-1)", "Up", id="timeline_screen_up", show=False),
        Binding("down,j", "move(1)", "Down", id="timeline_screen_down", show=False),
    ]

    def __init__(self, data: Shared, selected: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data = data
        self.initial = selected

    def compose(self) -> ComposeResult:
        ds = self.data.dataset
        states = list(ds.states_sorted()) if ds is not None else []
        events = list(ds.events_sorted()) if ds is not None else []
        yield Static(Text(" MEMBERSHIP TIMELINE ", style="bold reverse"), id="timeline-title")
        yield TimelineChart(states, events, id="timeline-chart")
        yield Static(id="timeline-detail")
        yield KeysFooter()

    def on_mount(self) -> None:
        chart = self.query_one(TimelineChart)
        if self.initial is not None:
            chart.select_id(self.initial)
        chart.focus()
        self._describe(chart.selected_state.id if chart.selected_state else None)

    def on_timeline_chart_highlighted(self, msg: TimelineChart.Highlighted) -> None:
        self._describe(msg.state_id)

    def _describe(self, state_id: str | None) -> None:
        detail = self.query_one("#timeline-detail", Static)
        ds = self.data.dataset
        st = ds.state(state_id) if ds is not None and state_id else None
        if ds is None or st is None:
            detail.update(Text("No membership spans in the dataset." if ds is not None
                               else "No dataset loaded.", style="italic"))
            return
        t = Text()
        t.append(one_line(st.name), style="bold")
        t.append(f" ({STATUS_LABELS.get(st.status, st.status)}): ")
        t.append(", ".join(one_line(sp.label()) for sp in st.membership))
        evs = ds.events_of(st.id)
        if evs:
            t.append("\nEvents: ")
            t.append("; ".join(
                f"{one_line(details.date_short(e))} {one_line(e.title)} "
                f"({RESPONSE_LABELS.get(e.response, e.response)})"
                for e in evs))
        detail.update(t)

    def action_move(self, step: int) -> None:
        self.query_one(TimelineChart).action_move(step)

    def action_choose(self) -> None:
        st = self.query_one(TimelineChart).selected_state
        self.dismiss(st.id if st else None)

    def action_close(self) -> None:
        self.dismiss(None)
