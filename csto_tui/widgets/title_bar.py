"""The top line: app title, dataset title and counts, left-aligned; what does not fit is cut
with an ellipsis."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class TitleBar(Static):
    """Shows ``App.title`` and ``App.sub_title``; follows both as they change."""

    def on_mount(self) -> None:
        self.watch(self.app, "title", self._refresh_title)
        self.watch(self.app, "sub_title", self._refresh_title)

    def _refresh_title(self, _value: object = None) -> None:
        t = Text()  # cut with an ellipsis where it does not fit (#title-bar in app.tcss)
        t.append(" ")
        t.append(self.app.title, "bold")
        if self.app.sub_title:
            t.append("  ")
            t.append(self.app.sub_title)
        self.update(t)
