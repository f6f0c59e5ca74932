"""Pane 1: the member states, current members first, filterable by status."""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import BindingType
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive

from ..keys import STATES
from ..model import STATUS_LABELS, STATUS_MARKERS, Dataset, State
from .pane import Pane, Row
from .render import safe

#: Filter name -> statuses it shows (None: every state), in the order `f` cycles through.
FILTERS: dict[str, frozenset[str] | None] = {
    "all": None,
    "members": frozenset({"member"}),
    "former": frozenset({"former-member"}),
    "observers": frozenset({"observer", "former-observer"}),
    "outside": frozenset({"outside", "proposed"}),
}


class StateList(Pane):
    """Every state with its status marker and label."""

    BINDINGS: ClassVar[list[BindingType]] = [*STATES]
    NUMBER = 1
    TITLE = "States"

    filter: reactive[str] = reactive("all", init=False)

    class OpenCrises(Message):
        """Enter on a state: show its crises."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.dataset: Dataset | None = None
        self._width = 0
        self.border_subtitle = "f: all"

    @property
    def state_ids(self) -> list[str]:
        """Ids of the states shown, in list order."""
        return [o.id for o in self.rows if o.id and not o.disabled]

    def set_dataset(self, ds: Dataset, keep: str | None = None) -> None:
        self.dataset = ds
        self._fill(keep)

    def shows(self, state_id: str) -> bool:
        return state_id in self.state_ids

    def _fill(self, keep: str | None) -> None:
        ds = self.dataset
        if ds is None:
            return
        wanted = FILTERS.get(self.filter)
        states = [s for s in ds.states_sorted() if wanted is None or s.status in wanted]
        self.border_subtitle = Content(f"f: {self.filter} ({len(states)})")
        if not states:
            self.show_message(f"No {self.filter} states (f: next filter)")
            return
        self._width = 0  # no row built yet: the first one takes the pane's width then
        row = self._row
        self.set_rows([Row(partial(row, s), id=s.id) for s in states],
                         one_line=True)
        if not self.highlight_id(keep):
            self.highlight_first()

    def _row(self, s: State) -> Text:
        """A row, built when it first shows: by then the pane has its width (a list filled
        before the first layout is not built twice)."""
        if not self._width:
            self._width = self.scrollable_content_region.width or 26
        return self._prompt(s, max(16, self._width))

    def _prompt(self, s: State, width: int) -> Text:
        """``M Kazakhstan     member``: marker, name, label at the right edge."""
        label = STATUS_LABELS.get(s.status, s.status)
        full = safe(s.name)
        if len(full) > width - 3 - len(label):
            label = ""  # the name first: the marker at the left still says the status
        name = safe(s.name, max(6, width - 3 - len(label)))
        t = Text(no_wrap=True, overflow="ellipsis")
        t.append(STATUS_MARKERS.get(s.status, "?"), "bold")
        t.append(" ")
        t.append(name)
        t.append(" " * max(1, width - 2 - len(name) - len(label)))
        t.append(label, "dim")
        return t

    def on_resize(self, event: events.Resize) -> None:
        super().on_resize(event)
        width = self.scrollable_content_region.width
        if self.dataset is not None and width and self._width and width != self._width:
            self._fill(self.record_id)  # rows were built for another width

    def watch_filter(self, value: str) -> None:
        keep = self.record_id
        self._fill(keep)

    def action_cycle_filter(self) -> None:
        names = list(FILTERS)
        self.filter = names[(names.index(self.filter) + 1) % len(names)]

    def action_open_crises(self) -> None:
        self.post_message(self.OpenCrises())
