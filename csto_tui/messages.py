"""The messages the data feed (csto_tui/feed.py) posts; they bubble to the dashboard and app."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from .checking import CheckReport
    from .errors import DatasetError
    from .search import SearchIndex


class LoadProgress(Message):
    """What a first load of a big dataset is doing (one or two short lines)."""

    def __init__(self, lines: tuple[str, ...]) -> None:
        super().__init__()
        self.lines = lines


class StatesKnown(Message):
    """Before a first load that takes a while: the states its files held at their last load
    (the files unchanged since), for pane 1 to show at once. The load that follows replaces
    them."""

    def __init__(self, entries: list[tuple[str, str, str]]) -> None:
        super().__init__()
        #: (id, status, name) of each state, in list order
        self.entries = entries


class DatasetLoaded(Message):
    """A (re)load succeeded; :class:`~csto_tui.shared.Shared` already holds the new data."""

    def __init__(self, report: CheckReport, first: bool, after_error: bool) -> None:
        super().__init__()
        self.report = report
        #: The first dataset of this run (not a reload).
        self.first = first
        #: The load before this one had failed.
        self.after_error = after_error


class LoadFailed(Message):
    """A (re)load failed; the last good dataset, if any, stays in use."""

    def __init__(self, error: DatasetError, first: bool) -> None:
        super().__init__()
        self.error = error
        #: No dataset was ever loaded in this run.
        self.first = first


class IndexReady(Message):
    """The search index over the current dataset is built (and in Shared.search_index)."""

    def __init__(self, index: SearchIndex) -> None:
        super().__init__()
        self.index = index
