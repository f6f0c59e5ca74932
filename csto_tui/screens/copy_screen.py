"""The text of a copy that could not be confirmed, shown so it can be selected by hand."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea


class CopyScreen(ModalScreen[None]):
    """What was copied and how: the terminal may have ignored it, so the text is here to be
    selected by hand (the mouse, with Shift in most terminals, or Shift+arrows in the box).
    Esc closes."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="copy_close"),
        Binding("q", "close", "Close", show=False, id="copy_close_q"),
    ]
    DEFAULT_CSS = """
    CopyScreen {
        align: center middle;
    }
    #copy-box {
        width: 76;
        max-width: 100%;
        height: auto;
        max-height: 90%;
        border: heavy $foreground;
        border-title-align: left;
        border-subtitle-align: right;
        background: $surface;
        padding: 0 1;
    }
    #copy-text {
        height: auto;
        max-height: 14;
    }
    """

    def __init__(self, text: str, how: str) -> None:
        super().__init__()
        self.text = text
        self.how = how

    def compose(self) -> ComposeResult:
        with Vertical(id="copy-box") as box:
            box.border_title = "Copy"
            box.border_subtitle = "Esc closes"
            yield Static(Text(self.how), id="copy-how")
            yield TextArea(self.text, read_only=True, soft_wrap=True, id="copy-text")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.select_all()

    def action_close(self) -> None:
        self.dismiss(None)
