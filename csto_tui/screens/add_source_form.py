"""Add an article to the dataset from the app (the palette's "Add source..."): its file, and
the title, date and publisher its ``[[sources]]`` table records. Enter writes it through
:func:`csto_tui.authoring.add_source`; an error stays in the form with everything typed."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from ..journal import Change
from ..widgets.footer import KeysFooter
from .cite_form import FORM_CSS, announce

#: (field, label, placeholder) of the form, in order
FIELDS = (
    ("file", "file *", "path of a plain-text article, e.g. ~/news/article.txt"),
    ("title", "title", "blank: the article's first line"),
    ("date", "date", "YYYY, YYYY-MM or YYYY-MM-DD (blank: not known)"),
    ("publisher", "publisher", "who published it"),
)


class AddSourceScreen(ModalScreen[Change | None]):
    """The article's file and what to record about it; Enter adds it, Esc cancels."""

    DEFAULT_CSS = FORM_CSS + """
    AddSourceScreen {
        align: center middle;
    }
    AddSourceScreen .form-box {
        height: auto;
        max-height: 100%;
    }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="add_source_cancel",
                tooltip="Close the form without adding anything"),
        Binding("enter", "save", "Add", id="add_source_save",
                tooltip="Copy the article into the dataset's sources and register it"),
        Binding("down", "app.focus_next", "Next field", id="add_source_down", show=False),
        Binding("up", "app.focus_previous", "Previous field", id="add_source_up",
                show=False),
    ]

    def __init__(self, data: Path) -> None:
        super().__init__()
        self.data = data

    def compose(self) -> ComposeResult:
        with Vertical(classes="form-box") as box:
            box.border_title = "Add an article to the dataset"
            box.border_subtitle = "Enter adds \u00b7 Esc cancels"
            yield Static(Text("The file is copied byte for byte into the dataset's sources; "
                              "then it opens, to be cited (v selects, c cites)."),
                         classes="form-head")
            for key, label, hint in FIELDS:
                yield Horizontal(Label(Text(label, style="bold")),
                                 Input(placeholder=hint, id=f"source-{key}", compact=True),
                                 classes="field-row")
            yield Static(classes="form-error -empty", id="source-error")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#source-file", Input).focus()

    def value(self, key: str) -> str:
        return self.query_one(f"#source-{key}", Input).value.strip()

    @on(Input.Submitted)
    def submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        from ..authoring import add_source
        from ..journal import AuthoringError

        file = self.value("file")
        if not file:
            self.show_error("Give the path of the article's file.")
            self.query_one("#source-file", Input).focus()
            return
        try:
            change = add_source(self.data, Path(file).expanduser(),
                                title=self.value("title") or None,
                                date=self.value("date") or None,
                                publisher=self.value("publisher") or None)
        except AuthoringError as exc:
            self.show_error(f"Not added: {exc.message}")
            return
        except OSError as exc:
            from ..errors import os_message

            self.show_error(f"Not added: {os_message(exc)}")
            return
        announce(self, change)
        self.dismiss(change)

    def show_error(self, message: str) -> None:
        err = self.query_one("#source-error", Static)
        err.update(Text(message))
        err.set_class(not message, "-empty")
        self.app.bell()

    def action_cancel(self) -> None:
        self.dismiss(None)
