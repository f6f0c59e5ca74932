"""The base of the four list panes: an OptionList with a numbered border title."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ..keys import NAVIGATION


class Pane(OptionList):
    """A focusable, virtually rendered list with a number (1-4) and a title."""

    BINDINGS = NAVIGATION
    NUMBER = 0
    TITLE = ""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="pane")
        self.border_title = f"{self.NUMBER} {self.TITLE}"
        #: Called at once, in order, whenever the cursor moves (the OptionHighlighted message
        #: arrives only after keys already queued, which would let panes fall out of sync).
        self.on_cursor: Callable[[Pane], None] | None = None

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        if self.on_cursor is not None and highlighted is not None:
            self.on_cursor(self)

    def on_mount(self) -> None:
        self.show_message("Loading...")

    def on_resize(self) -> None:
        # the pane in focus grows and the others shrink: keep each cursor in view
        self.call_after_refresh(self.keep_cursor_in_view)

    def keep_cursor_in_view(self) -> None:
        self.scroll_to_highlight()

    def show_message(self, message: str | Text) -> None:
        """Replace the content by a single, unselectable line of text."""
        prompt = message if isinstance(message, Text) else Text(message, style="italic")
        self.set_options([Option(prompt, disabled=True)])

    @property
    def record_id(self) -> str | None:
        """The id of the record under the cursor, if any."""
        opt = self.highlighted_option
        if opt is None or opt.disabled or not opt.id:
            return None
        return opt.id

    def highlight_id(self, option_id: str | None) -> bool:
        """Move the cursor to the option with this id; return whether it was found."""
        if option_id is None:
            return False
        try:
            index = self.get_option_index(option_id)
        except Exception:
            return False
        self.highlighted = index
        return True

    def highlight_first(self) -> None:
        for i, opt in enumerate(self.options):
            if not opt.disabled:
                self.highlighted = i
                return
        self.highlighted = None
