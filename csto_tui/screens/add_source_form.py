"""Add an article to the dataset from the app (the palette's "Add source..."): its file, and
the title, date and publisher its ``[[sources]]`` table records. Enter writes it through
:func:`csto_tui.authoring.add_source` in a worker thread (it reads the whole dataset: seconds
at 1000x the shipped data), the form saying "Adding..." meanwhile and answering keys; the
worker's outcome comes back as a typed message (:class:`AddSourceScreen.Added`,
:class:`AddSourceScreen.Failed`). An error stays in the form with everything typed."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from ..journal import Change
from ..widgets.footer import KeysFooter
from .cite_form import announce
from .form_fields import FORM_CSS

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

    class Added(Message):
        """From the worker: the article is in the dataset."""

        def __init__(self, change: Change) -> None:
            super().__init__()
            self.change = change

    class Failed(Message):
        """From the worker: the article was not added, and why."""

        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    def __init__(self, data: Path) -> None:
        super().__init__()
        self.data = data
        #: the file being added (None: the form is being filled)
        self.adding: str | None = None

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
            yield Static(classes="form-status -empty", id="source-status")
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
        if self.adding is not None:
            self.show_status(f"Still adding {self.adding}: a moment...")
            return
        file = self.value("file")
        if not file:
            self.show_error("Give the path of the article's file.")
            self.query_one("#source-file", Input).focus()
            return
        path = Path(file).expanduser()
        self.adding = path.name
        self.show_error("")
        self.show_status(f"Adding {path.name}: reading the dataset, copying the article and "
                         "storing its text...")
        for w in self.query(Input):
            w.disabled = True
        self.add_in_worker(path, self.value("title") or None, self.value("date") or None,
                           self.value("publisher") or None)

    @work(thread=True, exclusive=True, group="add-source", description="add an article")
    def add_in_worker(self, path: Path, title: str | None, date: str | None,
                      publisher: str | None) -> None:
        """Add the article off the UI thread; the outcome comes back as a message."""
        from ..authoring import add_source
        from ..errors import CstoError, os_message

        try:
            change = add_source(self.data, path, title=title, date=date, publisher=publisher)
        except CstoError as exc:
            self.post_message(self.Failed(exc.message))
        except OSError as exc:
            self.post_message(self.Failed(os_message(exc)))
        except Exception as exc:  # a bug: said in the form, never a traceback
            self.post_message(self.Failed(f"internal error: {type(exc).__name__}: {exc}"))
        else:
            self.post_message(self.Added(change))

    @on(Added)
    def added(self, message: Added) -> None:
        self.adding = None
        announce(self, message.change)
        self.dismiss(message.change)

    @on(Failed)
    def failed(self, message: Failed) -> None:
        self.adding = None
        self.show_status("")
        for w in self.query(Input):
            w.disabled = False
        self.query_one("#source-file", Input).focus()
        self.show_error(f"Not added: {message.message}")

    def show_status(self, message: str) -> None:
        status = self.query_one("#source-status", Static)
        status.update(Text(message))
        status.set_class(not message, "-empty")

    def show_error(self, message: str) -> None:
        err = self.query_one("#source-error", Static)
        err.update(Text(message))
        err.set_class(not message, "-empty")
        if message:
            self.app.bell()

    def action_cancel(self) -> None:
        if self.adding is not None:
            self.show_status(f"Adding {self.adding} cannot be stopped halfway: a moment...")
            return
        self.dismiss(None)
