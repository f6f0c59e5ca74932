"""Pane 3: the crisis record, for the selected state or for the whole alliance."""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from rich.text import Text
from textual.binding import BindingType
from textual.message import Message

from .. import details
from ..dataset import Dataset
from ..facts import RESPONSE_MARKERS
from ..keys import EVENTS
from ..model import Event
from .pane import Pane, Row
from .render import safe

DATE_WIDTH = 11  # "12 Jan 2022"


class EventsPane(Pane):
    BINDINGS: ClassVar[list[BindingType]] = [*EVENTS]
    NUMBER = 3
    TITLE = "Crises"

    class OpenSources(Message):
        """Enter on an event: look at its sources."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._dataset: Dataset | None = None
        self._state: str | None = None
        self.show_all = False

    def show_state(self, ds: Dataset, state_id: str | None, show_all: bool,
                   keep: str | None = None) -> None:
        self._dataset = ds
        self._state = state_id
        self.show_all = show_all
        st = ds.state(state_id) if state_id else None
        name = safe(st.name) if st else "-"
        evs = ds.events_sorted() if show_all or st is None else ds.events_of(st.id)
        self.set_subtitle(f"a: all ({len(evs)})" if show_all
                          else f"a: {name} ({len(evs)})")  # data: never markup
        if not evs:
            msg = "No events recorded" if show_all else f"No crises recorded for {name}"
            self.show_message(Text(msg + " (a: all)", style="italic"))
            return
        mark = state_id if show_all else None
        prompt = self._prompt
        self.set_rows([Row(partial(prompt, ds, e, mark), id=e.id) for e in evs],
                         one_line=True)
        if not self.highlight_id(keep):
            self.highlight_first()

    @staticmethod
    def _prompt(ds: Dataset, e: Event, mark_state: str | None) -> Text:
        """``early 2019  [.] Title (claim, according to X): summary``; an inferred date is
        followed by ``?``."""
        t = Text(no_wrap=True, overflow="ellipsis")
        t.append(safe(details.date_short(e)).ljust(DATE_WIDTH))
        t.append(" ")
        t.append(RESPONSE_MARKERS.get(e.response, "[?]"), "bold")
        t.append(" ")
        involved = mark_state is not None and mark_state in e.states
        t.append(safe(details.shown(ds, e, "title", e.title)), "bold" if involved else "")
        foot = details.footing(ds, e)
        if foot:
            t.append(f" ({safe(foot)})", "italic")
        summary = details.shown(ds, e, "summary", e.summary)
        if summary:
            t.append(": ", "dim")
            t.append(safe(summary), "dim")
        return t

    def action_open_sources(self) -> None:
        self.post_message(self.OpenSources())
