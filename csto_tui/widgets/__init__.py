"""The dashboard's panes: one widget per module."""

from .events_pane import EventsPane
from .excerpts_pane import ExcerptsPane
from .metrics_pane import MetricsPane
from .state_list import StateList

__all__ = ["EventsPane", "ExcerptsPane", "MetricsPane", "StateList"]
