"""The pieces of the forms that write to the dataset (cite, uncited, add source): each
field's hint (what its type takes), the message or hint line under a field, and the forms'
styles."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Input, Static

from ..facts import response_hint
from ..textsafe import one_line

#: What each field type takes, said under an empty text field.
HINTS = {
    "strs": "comma-separated",
    "date": "YYYY, YYYY-MM or YYYY-MM-DD",
    "when": "as precise as the text: 2022, early 2019, 2022-01-05, 1990s",
    "amount": "an amount of time: a week, a few months",
    "action": "an action code, category[:mode]",
    "response": response_hint(),
    "number": "a number",
    "year": "a four-digit year",
}

FORM_CSS = """
CiteScreen, UncitedScreen, AddSourceScreen {
    align: center middle;
}
.form-box {
    width: 100%;
    max-width: 110;
    height: 100%;
    border: heavy $foreground;
    border-title-align: left;
    border-subtitle-align: right;
    background: $surface;
    padding: 0 1;
}
UncitedScreen .form-box {
    height: auto;
    max-height: 100%;
}
.form-head {
    height: auto;
    max-height: 3;
}
.form-error {
    height: auto;
    text-style: bold;
}
.form-status {
    height: auto;
    text-style: italic;
}
.form-error.-empty, .field-error.-empty, .form-status.-empty {
    display: none;
}
#cite-as {
    margin: 0 0 0 0;
}
#cite-fields {
    height: 1fr;
}
.field-label {
    margin: 1 0 0 0;
    text-style: bold;
}
.field-row {
    height: auto;
}
.field-row > Label {
    width: 16;
    margin: 0 1 0 0;
}
.field-row:focus-within > Label {
    text-style: bold reverse;
}
.field-row > Input, .field-row > Select {
    width: 1fr;
}
.field-error {
    margin: 0 0 0 17;
}
Input.-textual-compact:focus, Select.-textual-compact:focus > SelectCurrent {
    text-style: bold;
}
.field-error {
    height: auto;
    text-style: italic;
}
#cite-records {
    height: 1fr;
    min-height: 5;
    border: none;
}
#uncited-reasons {
    height: auto;
}
"""


class FieldError(Static):
    """The validator's message under one field, else the field's whole hint while the field
    has the focus and its hint does not fit it (nothing: hidden)."""

    def show(self, messages: list[str], hint: str = "") -> None:
        self.update(Text("\n".join(one_line(m) for m in messages)) if messages
                    else Text(hint, style="dim"))
        self.set_class(not messages and not hint, "-empty")
        self.set_class(not messages and bool(hint), "-hint")


class HintInput(Input):
    """A text field whose hint (its placeholder) is cut with an ellipsis to the field's width
    (:func:`~csto_tui.textsafe.one_line`); the form says the whole hint under the field."""

    def __init__(self, hint: str, *, id: str) -> None:
        super().__init__(placeholder=hint, id=id, compact=True)
        self.hint = hint

    def on_resize(self) -> None:
        width = self.content_region.width
        self.placeholder = one_line(self.hint, width) if width > 0 else self.hint

    @property
    def hint_cut(self) -> bool:
        """Whether the placeholder shows only part of the hint."""
        return self.placeholder != self.hint

