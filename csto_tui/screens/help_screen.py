"""The ``?`` screen: every key, grouped by where it applies, built from csto_tui.keys."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..keys import GROUPS, key_label


def help_text() -> Text:
    """The help as plain Text (also used by tests)."""
    t = Text()
    for i, group in enumerate(GROUPS):
        if i:
            t.append("\n")
        t.append(group.title, "bold underline")
        if group.note:
            t.append(f"  ({group.note})", "dim")
        t.append("\n")
        for b in group.bindings:
            t.append(f"  {key_label(b):<10}", "bold")
            t.append(f" {b.description}\n")
    t.append("\nMarkers: ", "bold")
    t.append("M member, F former, O observer, o ex-observer, P proposed, - outside\n")
    t.append("Crises:  ", "bold")
    t.append("[+] intervened [x] declined [ ] no action [~] minimal [=] mediated\n"
             "         [!] statement [d] drill [>] deployment [*] milestone [.] not a CSTO act")
    return t


class HelpScreen(ModalScreen[None]):
    """Keys of the dashboard. Escape, q or ? closes it."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="help_close"),
        Binding("question_mark", "close", "Close", show=False, id="help_close_q"),
        Binding("q", "close", "Close", show=False, id="help_close_qq"),
        Binding("j", "scroll('down')", "Down", show=False, id="help_down"),
        Binding("k", "scroll('up')", "Up", show=False, id="help_up"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Keys"
            body.border_subtitle = "Esc closes"
            yield Static(help_text(), id="help-text")

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, where: str) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        if where == "down":
            body.scroll_down()
        else:
            body.scroll_up()
