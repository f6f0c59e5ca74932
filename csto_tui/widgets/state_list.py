"""Pane 1: the member states, current members first, filterable by status."""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import BindingType
from textual.message import Message
from textual.reactive import reactive

from ..dataset import Dataset
from ..keys import STATES
from ..vocabulary import STATUS_LABELS, STATUS_MARKERS
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
        #: (id, status, name) of the states listed, in list order: the dataset's, or (before
        #: it is loaded) those its last load saw
        self.entries: list[tuple[str, str, str]] = []
        self._width = 0
        self.set_subtitle("f: all")

    @property
    def state_ids(self) -> list[str]:
        """Ids of the states shown, in list order."""
        return [o.id for o in self.rows if o.id and not o.disabled]

    def set_dataset(self, ds: Dataset, keep: str | None = None) -> None:
        self.dataset = ds
        self.entries = [(s.id, s.status, s.name) for s in ds.states_sorted()]
        self._fill(keep)

    def show_known(self, entries: list[tuple[str, str, str]]) -> None:
        """The states the dataset's last load saw, shown before it is loaded again."""
        self.entries = list(entries)
        self._fill(None)

    def shows(self, state_id: str) -> bool:
        return state_id in self.state_ids

    def _fill(self, keep: str | None) -> None:
        if self.dataset is None and not self.entries:
            return
        wanted = FILTERS.get(self.filter)
        states = [e for e in self.entries if wanted is None or e[1] in wanted]
        self.set_subtitle(f"f: {self.filter} ({len(states)})")
        if not states:
            self.show_message(f"No {self.filter} states (f: next filter)")
            return
        self._width = 0  # no row built yet: the first one takes the pane's width then
        row = self._row
        self.set_rows([Row(partial(row, *e), id=e[0]) for e in states], one_line=True)
        if not self.highlight_id(keep):
            self.highlight_first()

    def _row(self, state_id: str, status: str, name: str) -> Text:
        """A row, built when it first shows: by then the pane has its width (a list filled
        before the first layout is not built twice)."""
        if not self._width:
            self._width = self.width_for_rows or 24
        return self._prompt(status, name, max(16, self._width))

    @staticmethod
    def _prompt(status: str, full_name: str, width: int) -> Text:
        """``M Kazakhstan     member``: marker, name, label at the right edge; a name too
        long for both is cut (``- Republic of Art… outside``), the label kept, unless that
        would leave fewer than 8 cells of the name."""
        label = STATUS_LABELS.get(status, status)
        if width - 3 - len(label) < 8:
            label = ""  # the name first: the marker at the left still says the status
        name = safe(full_name, max(6, width - 3 - len(label)))
        t = Text(no_wrap=True, overflow="ellipsis")
        t.append(STATUS_MARKERS.get(status, "?"), "bold")
        t.append(" ")
        t.append(name)
        t.append(" " * max(1, width - 2 - len(name) - len(label)))
        t.append(label, "dim")
        return t

    def on_resize(self, event: events.Resize) -> None:
        super().on_resize(event)
        width = self.width_for_rows
        if self.entries and width and self._width and width != self._width:
            self._fill(self.record_id)  # rows were built for another width

    def watch_filter(self, value: str) -> None:
        keep = self.record_id
        self._fill(keep)

    def action_cycle_filter(self) -> None:
        names = list(FILTERS)
        self.filter = names[(names.index(self.filter) + 1) % len(names)]

    def action_open_crises(self) -> None:
        self.post_message(self.OpenCrises())
