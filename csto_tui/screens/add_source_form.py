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

from ..dataset import Dataset
from ..journal import Change
from ..widgets.footer import KeysFooter
from .cite_form import announce
from .form_fields import FORM_CSS

#: (field, label, placeholder) of the form, in order (the field is also the ``[[sources]]``
#: key it is written to, which the validator's messages name)
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

        def __init__(self, message: str, field: str = "") -> None:
            super().__init__()
            self.message = message
            #: the field the refusal is about ("": none in particular, e.g. the file)
            self.field = field

    def __init__(self, data: Path, dataset: Dataset | None = None) -> None:
        """``dataset``: the dataset as loaded, to check a field against as the user leaves
        it (None: each field checked on saving only)."""
        super().__init__()
        self.data = data
        self.dataset = dataset
        #: the file being added (None: the form is being filled)
        self.adding: str | None = None
        #: the field the error shown is about ("": the file, or none)
        self.error_field = ""

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

    def problem_of(self, key: str) -> str:
        """What the validator says of field ``key`` as typed ("" if nothing, or if it cannot
        be asked yet): the one validator a save runs (:func:`csto_tui.authoring.validate_fields`),
        on a would-be source holding the value."""
        value = self.value(key)
        if self.dataset is None or not value or key == "file":
            return ""
        from ..authoring import validate_fields

        row = {"file": "article.txt", "title": "-", key: value}
        return next((p.message for p in validate_fields(self.dataset, "source", row)
                     if p.field == key and p.severity == "error"), "")

    @on(Input.Blurred)
    def left(self, event: Input.Blurred) -> None:
        """A field left: checked at once (an error said, an error mended taken away)."""
        key = (event.input.id or "").removeprefix("source-")
        if self.adding is not None or key == "file":
            return
        problem = self.problem_of(key)
        if problem:
            self.show_error(f"{key}: {problem}", key)
        elif self.error_field == key:
            self.show_error("")

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
        for key, _label, _hint in FIELDS:
            problem = self.problem_of(key)
            if problem:
                self.show_error(f"{key}: {problem}", key)
                self.query_one(f"#source-{key}", Input).focus()
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
            field = next((p.field for p in exc.problems if p.field), "")
            self.post_message(self.Failed(exc.message, field))
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
        # the field in error, else the file (unreadable, already there...)
        key = message.field if message.field in {k for k, _, _ in FIELDS} else "file"
        self.query_one(f"#source-{key}", Input).focus()
        self.show_error(f"Not added: {message.message}", key)

    def show_status(self, message: str) -> None:
        status = self.query_one("#source-status", Static)
        status.update(Text(message))
        status.set_class(not message, "-empty")

    def show_error(self, message: str, field: str = "") -> None:
        """Say ``message`` ("": nothing) about ``field`` under the fields."""
        self.error_field = field if message else ""
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
