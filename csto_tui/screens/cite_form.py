"""The forms that write a selection of a source into the dataset: cite it (``c``) and mark it
deliberately uncited (``u``).

:class:`CiteScreen` attaches the passage as a new quote to an existing record (picked from a
filterable list) or creates a record of any kind that cites quotes, with every field of the
kind: choices and references as :class:`~textual.widgets.Select`, the rest as
:class:`~textual.widgets.Input`. Each key press runs the registry's one validator
(:func:`csto_tui.authoring.validate_fields`) and shows each message under its field, as
:class:`~rich.text.Text` (never markup). Enter in a text field (or on a record) saves through
:func:`csto_tui.authoring.cite`; an error stays in the form with everything typed. The screen
closes with the :class:`~csto_tui.journal.Change` written (None: cancelled).
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from .. import records
from ..dataset import Dataset
from ..journal import Change
from ..selection import describe
from ..textsafe import one_line
from ..vocabulary import UNCITED_REASONS
from ..widgets.cursor_list import CursorList
from ..widgets.footer import KeysFooter
from .form_fields import FORM_CSS, HINTS, FieldError, HintInput

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.app import App

    from ..errors import Problem
    from ..records import Field, Kind

def undo_key(app: App[Any]) -> str:
    """How the user types the undo key (their own keys if they remapped it)."""
    from ..app import CstoApp
    from ..keys import DASHBOARD, key_label

    binding = next(b for b in DASHBOARD if b.id == "undo")
    return key_label(binding, app.user_keys if isinstance(app, CstoApp) else None)


def announce(node: Widget, change: Change, *, undoes: bool = True) -> None:
    """Say what a write (or an undo: ``undoes=False``) did, and how to undo it; a step
    whose files were written but whose journal could not be kept says that instead, as a
    warning."""
    said = f"{change.summary[:1].upper()}{change.summary[1:]}"
    if change.warning:
        node.notify(f"{said}; {change.warning}", severity="warning", timeout=12,
                    markup=False)
    elif undoes:
        node.notify(f"{said} ({undo_key(node.app)} undoes it)", timeout=8, markup=False)
    else:
        node.notify(said, timeout=8, markup=False)


def undo_last(node: Widget, data: Path, then: Callable[[Change], None] | None) -> None:
    """Undo the last write to the dataset at ``data`` and say what was undone (or why not);
    ``then`` is told of the change (to load the data again)."""
    from ..journal import AuthoringError, undo

    try:
        change = undo(data)
    except AuthoringError as exc:
        node.notify(f"Nothing undone: {exc.message}", severity="warning", timeout=8,
                    markup=False)
        return
    except OSError as exc:
        from ..errors import os_message

        node.notify(f"Nothing undone: {os_message(exc)}", severity="error", timeout=8,
                    markup=False)
        return
    announce(node, change, undoes=False)
    if then is not None:
        then(change)


#: The first choice of "Cite as": the passage goes to a record that exists.
ATTACH = "attach"

#: The most records the attach list shows (the first that match the filter): at 1000x the
#: shipped data a list of every record took seconds to build and to draw on each key.
SHOWN_RECORDS = 200


def citing_kinds() -> list[Kind]:
    """The registry's kinds a passage can back: those with an id and a field of citations."""
    return [k for k in records.kinds() if k.has_id and any(f.cites for f in k.fields)]


def form_fields(kind: Kind) -> list[Field]:
    """The fields of a kind the form asks for: every one but its citations (the new quote),
    nested tables and notes (written in the TOML afterwards)."""
    return [f for f in kind.fields if not f.cites and f.type not in ("tables", "notes")]


def toml_value(f: Field, raw: str) -> Any:
    """What the text typed into a field is, as a TOML value (None: left out). A number that
    does not parse is passed on as text, for the validator to say so."""
    raw = raw.strip()
    if not raw:
        return None
    if f.type == "strs":
        return [p.strip() for p in raw.split(",") if p.strip()]
    if f.type in ("number", "year"):
        try:
            return int(raw.replace(",", "").replace("_", ""))
        except ValueError:
            pass
        if f.type == "number":
            try:
                return float(raw.replace(",", ""))
            except ValueError:
                pass
        return raw
    return raw


def located(problems: list[Problem], keys: set[str]) -> tuple[dict[str, list[str]], list[str]]:
    """Problems by the form field they concern (``membership[2].from`` -> ``membership``), and
    the rest."""
    by_field: dict[str, list[str]] = {}
    rest: list[str] = []
    for p in problems:
        key = re.split(r"[.\[]", p.field, maxsplit=1)[0] if p.field else ""
        if key in keys:
            by_field.setdefault(key, []).append(p.message)
        else:
            rest.append(p.message if not p.field else f"{p.field}: {p.message}")
    return by_field, rest


class FieldSelect(Select[str], inherit_bindings=False):
    """A field's choices: Space or Down opens the list (type to search in it); Enter is left to
    the form, which saves, as from a text field."""

    BINDINGS = [Binding("space,down,up", "show_overlay", "Show choices", show=False)]


class PassageForm(ModalScreen[Change | None]):
    """A form about a passage of a source (``[start, end)`` of its text): closes with the
    Change written, or None."""

    def __init__(self, data: Path, ds: Dataset, source_id: str, start: int, end: int) -> None:
        super().__init__()
        self.data = data
        self.ds = ds
        self.source_id = source_id
        self.start = start
        self.end = end
        self.passage = ds.text_of(source_id)[start:end]


class CiteScreen(PassageForm):
    """Cite the selected passage: into an existing record or a new record of any kind."""

    DEFAULT_CSS = FORM_CSS
    #: the form opens on the record filter: type to find the record to attach to
    AUTO_FOCUS = "#cite-filter"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cite_cancel",
                tooltip="Close the form without writing anything"),
        Binding("enter", "save", "Save", id="cite_save",
                tooltip="Write the quote and the record (Enter in any text field, or on a "
                        "record in the list)"),
        Binding("tab", "app.focus_next", "Next field", id="cite_next_field", show=False),
        Binding("shift+tab", "app.focus_previous", "Previous field",
                id="cite_previous_field", show=False),
        Binding("down", "step(1)", "Next field or record", id="cite_down", show=False,
                tooltip="From a text field: the next field (the next record, from the "
                        "filter)"),
        Binding("up", "step(-1)", "Previous field or record", id="cite_up", show=False),
    ]

    def __init__(self, data: Path, ds: Dataset, source_id: str, start: int, end: int) -> None:
        super().__init__(data, ds, source_id, start, end)
        self.kinds = {k.name: k for k in citing_kinds()}
        #: the kind of the new record (None: attach to an existing record)
        self.kind: Kind | None = None
        #: fields the user has changed, whose messages show (all of them after a save)
        self.touched: set[str] = set()
        #: the validator's messages shown under each field (by field key)
        self.said: dict[str, list[str]] = {}
        self.tried = False
        self.saving = False

    # ---- layout ------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        options = [(Text("Attach to an existing record"), ATTACH)]
        options += [(Text(f"New {k.name}"), k.name) for k in self.kinds.values()]
        with Vertical(classes="form-box") as box:
            box.border_title = "Cite the selection"
            box.border_subtitle = "Enter saves \u00b7 Esc cancels"
            head = Text("Passage ", style="bold")
            head.append(one_line(describe(self.passage, 0, len(self.passage), lead=12)))
            head.append(f" ({one_line(self.source_id)} {self.start}-{self.end})")
            yield Static(head, classes="form-head")
            yield Horizontal(Label(Text("Cite as", style="bold")),
                             Select(options, value=ATTACH, allow_blank=False, id="cite-as",
                                    compact=True),
                             classes="field-row")
            yield Static(classes="form-error -empty", id="cite-error")
            with VerticalScroll(id="cite-fields", can_focus=False):
                yield from self.attach_widgets()
        yield KeysFooter()

    def show_body(self) -> None:
        """The part of the form below "Cite as": the record list, or the new record's
        fields."""
        body = self.query_one("#cite-fields", VerticalScroll)
        body.remove_children()
        self.touched.clear()
        self.said.clear()
        self.tried = False
        self.show_error("")
        if self.kind is None:
            body.mount_all(self.attach_widgets())
            self.call_after_refresh(self.query_one("#cite-filter", Input).focus)
        else:
            body.mount_all(self.field_widgets(self.kind))
            self.call_after_refresh(self.validate)

    def attach_widgets(self) -> list[Widget]:
        records_list = CursorList(id="cite-records", classes="-driven")
        widgets: list[Widget] = [
            Label(Text("Record (type to filter, Up/Down to pick, Enter saves)"),
                  classes="field-label"),
            Input(placeholder="filter by title, kind or id", id="cite-filter", compact=True),
            records_list,
            Static(classes="form-status -empty", id="cite-more"),
        ]
        self.matched = None
        self.shown_ids = ()
        self.picked = None
        self.fill_records("", records_list)
        return widgets

    @cached_property
    def record_choices(self) -> list[tuple[str, str, str]]:
        """(label, id, what the filter matches) of every record a passage can back, kind by
        kind: worked out once per form, not on every key typed into the filter."""
        out = []
        for k in self.kinds.values():
            for rec in self.ds.records_of(k.name):
                label = f"{records.word(rec)}: {records.title(self.ds, rec)}"
                out.append((label, rec.id, f"{label} {rec.id}".lower()))
        return out

    #: the records matching the filter: (the filter's words, indexes into record_choices)
    matched: tuple[tuple[str, ...], list[int]] | None = None
    #: the ids in the list, in order
    shown_ids: tuple[str, ...] = ()

    def matching(self, query: str) -> list[int]:
        """Indexes (into :attr:`record_choices`) of the records whose label or id holds every
        word of ``query``. A query that narrows the last one (each of its words holds one of
        the last words) searches the last matches only, not every record."""
        words = tuple(query.lower().split())
        choices = self.record_choices
        pool: range | list[int] = range(len(choices))
        if self.matched is not None:
            last, hits = self.matched
            if words == last:
                return hits
            if all(any(o in w for w in words) for o in last):
                pool = hits
        hits = [i for i in pool if all(w in choices[i][2] for w in words)]
        self.matched = (words, hits)
        return hits

    #: the record last picked in the list (Down from the filter, or moving in the list)
    picked: str | None = None

    def fill_records(self, query: str, target: OptionList | None = None) -> None:
        """The records matching ``query``, the first :data:`SHOWN_RECORDS` of them, in the
        list; the list is rebuilt only when they change. No record is under the cursor until
        one is picked (Down from the filter lands on the first): Enter saves to the record
        marked, never to one the user has not seen picked. The picked record stays under the
        cursor while it matches (and again when it matches again)."""
        lst = target or self.query_one("#cite-records", OptionList)
        hits = self.matching(query)
        choices = self.record_choices
        shown = hits[:SHOWN_RECORDS]
        ids = tuple(choices[i][1] for i in shown)
        if ids != self.shown_ids or lst.option_count != len(ids):
            keep = self.picked
            options = []
            for i in shown:
                label, rid, _ = choices[i]
                t = Text(one_line(label, 70))
                t.append(f"  {one_line(rid)}", style="italic")
                options.append(Option(t, id=rid))
            lst.clear_options()
            lst.add_options(options)
            self.shown_ids = ids
            if keep in ids:
                lst.highlighted = ids.index(keep)
        more = len(hits) - len(shown)
        if target is None:
            self.show_more(more, len(hits))
        elif more:
            self.call_after_refresh(self.show_more, more, len(hits))

    def show_more(self, more: int, total: int) -> None:
        """Under the list: how many more records match than it shows."""
        note = self.query_one("#cite-more", Static)
        note.update(Text(f"{SHOWN_RECORDS:,} of {total:,} records shown: type to narrow"
                         if more else ""))
        note.set_class(not more, "-empty")

    def field_widgets(self, kind: Kind) -> list[Widget]:
        """One line per field (its name, * if required, and its input), its messages under
        it."""
        out: list[Widget] = [Static(Text(f"A new {kind.name} citing the passage. * required. "
                                         "Tab moves between fields, Space opens a list of "
                                         "choices, Enter saves.", style="italic"))]
        for f in form_fields(kind):
            label = Text(f.key, style="bold")
            if f.required and f.key != "id":  # an id left blank is made from the title
                label.append(" *")
            out.append(Horizontal(Label(label), self.field_widget(kind, f),
                                  classes="field-row"))
            out.append(FieldError(classes="field-error -empty", id=f"err-{f.key}"))
        left = [f.key for f in kind.fields if not f.cites and f not in form_fields(kind)]
        if left:
            out.append(Static(Text(f"Not in this form: {', '.join(left)} (nested tables and "
                                   "notes): add them in the data file afterwards.",
                                   style="italic"), classes="field-label"))
        return out

    def field_widget(self, kind: Kind, f: Field) -> Widget:
        wid = f"field-{f.key}"
        if f.key == "id":
            return Input(placeholder="blank: made from the title or name", id=wid,
                         compact=True)
        choices = self.choices_of(f)
        if choices is not None:
            return FieldSelect([(Text(one_line(label, 60)), value) for label, value in choices],
                               allow_blank=True, id=wid, prompt="(not given)", compact=True)
        hint = HINTS.get(f.type, "")
        if f.refs and f.type == "strs":
            hint = "ids, comma-separated: " + ", ".join(
                r.id for k in f.refs if k != "*" for r in self.ds.records_of(k)[:3])
        return HintInput(hint, id=wid)

    def choices_of(self, f: Field) -> list[tuple[str, str]] | None:
        """(label, value) a field is picked from: its choices, the records it may name (one),
        true/false; None: typed."""
        if f.choices is not None:
            return [(c, c) for c in f.choices]
        if f.type == "bool":
            return [("true", "true"), ("false", "false")]
        if f.refs and f.type == "str" and "*" not in f.refs:
            out = [(f"{w} (not a record)", w) for w in f.also]
            for k in f.refs:
                for rec in self.ds.records_of(k):
                    out.append((f"{records.title(self.ds, rec)} ({rec.id})", rec.id))
            return out
        return None

    # ---- values and validation ---------------------------------------------------------
    def values(self) -> dict[str, Any]:
        """The new record's fields as TOML values (blank ones left out)."""
        assert self.kind is not None
        out: dict[str, Any] = {}
        for f in form_fields(self.kind):
            w = self.query_one(f"#field-{f.key}")
            if isinstance(w, Select):
                v = w.value
                if v is Select.NULL or v is None:
                    continue
                out[f.key] = (v == "true") if f.type == "bool" else str(v)
            elif isinstance(w, Input):
                val = toml_value(f, w.value)
                if val is not None:
                    out[f.key] = val
        return out

    def problems(self) -> list[Problem]:
        from ..authoring import validate_fields

        assert self.kind is not None
        return list(validate_fields(self.ds, self.kind.name, self.values(),
                                    passage=self.passage))

    def validate(self) -> list[Problem]:
        """Run the validator on what is typed; show each message under its field (those the
        user has not touched yet only after a save was tried)."""
        if self.kind is None or not self.is_attached:
            return []
        problems = self.problems()
        keys = {f.key for f in form_fields(self.kind)}
        by_field, rest = located(problems, keys)
        for key in keys:
            self.said[key] = by_field.get(key, []) if self.tried or key in self.touched else []
            self.show_field(key)
        self.show_error("\n".join(rest) if (self.tried or self.touched) else "")
        return problems

    def show_field(self, key: str) -> None:
        """Under field ``key``: the validator's messages about it, else its whole hint while
        it has the focus and the hint is cut in it."""
        said = self.said.get(key, [])
        w = self.query_one(f"#field-{key}")
        hint = w.hint if isinstance(w, HintInput) and w.has_focus and w.hint_cut else ""
        self.query_one(f"#err-{key}", FieldError).show(said, "" if said else hint)

    def on_descendant_focus(self) -> None:
        self.show_hints()

    def on_descendant_blur(self) -> None:
        self.show_hints()

    def show_hints(self) -> None:
        """The focused field's whole hint under it (and no other field's)."""
        if self.kind is not None and self.is_attached:
            for f in form_fields(self.kind):
                if self.query(f"#err-{f.key}"):
                    self.show_field(f.key)

    def show_error(self, message: str) -> None:
        err = self.query_one("#cite-error", Static)
        err.update(Text(message))
        err.set_class(not message, "-empty")

    @on(Select.Changed, "#cite-as")
    def kind_chosen(self, event: Select.Changed) -> None:
        value = event.value
        kind = self.kinds.get(str(value)) if value != ATTACH else None
        if kind is not self.kind:
            self.kind = kind
            self.show_body()

    @on(Input.Changed)
    @on(Select.Changed)
    def field_changed(self, event: Input.Changed | Select.Changed) -> None:
        wid = event.control.id or ""
        if wid == "cite-filter":
            self.fill_records(str(event.value))
        elif wid.startswith("field-"):
            self.touched.add(wid.removeprefix("field-"))
            self.validate()

    @on(Input.Submitted)
    def submitted(self) -> None:
        self.action_save()

    @on(OptionList.OptionSelected, "#cite-records")
    def record_picked(self) -> None:
        self.action_save()

    @on(OptionList.OptionHighlighted, "#cite-records")
    def record_moved(self, event: OptionList.OptionHighlighted) -> None:
        self.picked = event.option.id

    # ---- saving ------------------------------------------------------------------------
    def action_save(self) -> None:
        from ..authoring import cite
        from ..journal import AuthoringError

        if self.saving:
            return
        if self.kind is None:
            lst = self.query_one("#cite-records", OptionList)
            if lst.highlighted is None:
                self.show_error("Pick a record to attach the passage to: type to filter, "
                                "Down to the list.")
                self.app.bell()
                return
            option = lst.get_option_at_index(lst.highlighted)
            kwargs: dict[str, Any] = {"record_id": option.id}
        else:
            self.tried = True
            if self.validate():
                self.app.bell()
                self.focus_first_error()
                return
            kwargs = {"new_kind": self.kind.name, "fields": self.values()}
        self.saving = True
        try:
            change = cite(self.data, self.ds, self.source_id, self.start, self.end, **kwargs)
        except AuthoringError as exc:
            self.show_error(f"Not written: {exc}")
            self.app.bell()
            return
        except OSError as exc:
            from ..errors import os_message

            self.show_error(f"Not written: {os_message(exc)}")
            self.app.bell()
            return
        finally:
            self.saving = False
        self.dismiss(change)

    def focus_first_error(self) -> None:
        for err in self.query(FieldError):
            if not err.has_class("-empty") and err.id:
                self.query_one(f"#field-{err.id.removeprefix('err-')}").focus()
                return

    def action_step(self, step: int) -> None:
        """Down/Up from a text field (Select and the list use them themselves): the next or
        previous record from the filter, else the next or previous field."""
        if self.kind is None and isinstance(self.focused, Input):
            lst = self.query_one("#cite-records", OptionList)
            if lst.option_count:
                at = lst.highlighted if lst.highlighted is not None else -step
                lst.highlighted = max(0, min(lst.option_count - 1, at + step))
            return
        if step > 0:
            self.focus_next()
        else:
            self.focus_previous()

    def action_cancel(self) -> None:
        self.dismiss(None)


#: What each reason for leaving a passage uncited means (model.UNCITED_REASONS).
REASON_HELP = {
    "opinion": "the author's opinion",
    "rhetoric": "a question, a transition, a flourish",
    "repeats": "repeats a passage that is quoted",
    "no-fact": "nothing a record could state",
}


class UncitedScreen(PassageForm):
    """Mark the selected passage as deliberately uncited: pick the reason, Enter writes it."""

    DEFAULT_CSS = FORM_CSS
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="uncited_cancel",
                tooltip="Close without writing anything"),
        Binding("enter", "save", "Mark uncited", id="uncited_save",
                tooltip="Write the passage as uncited, for the reason under the cursor"),
    ]


    def compose(self) -> ComposeResult:
        with Vertical(classes="form-box") as box:
            box.border_title = "Leave the selection uncited"
            box.border_subtitle = "Enter marks it \u00b7 Esc cancels"
            head = Text("Passage ", style="bold")
            head.append(one_line(describe(self.passage, 0, len(self.passage), lead=12)))
            yield Static(head, classes="form-head")
            yield Label(Text("Why is it left without a citation?"), classes="field-label")
            yield CursorList(*[Option(Text.assemble((r.ljust(9), "bold"),
                                                    f" {REASON_HELP.get(r, '')}"), id=r)
                               for r in UNCITED_REASONS], id="uncited-reasons")
            yield Static(classes="form-error -empty", id="uncited-error")
        yield KeysFooter()

    def on_mount(self) -> None:
        lst = self.query_one(OptionList)
        lst.highlighted = 0
        lst.focus()

    @on(OptionList.OptionSelected)
    def picked(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        from ..authoring import mark_uncited
        from ..journal import AuthoringError

        lst = self.query_one(OptionList)
        if lst.highlighted is None:
            return
        reason = lst.get_option_at_index(lst.highlighted).id or ""
        err = self.query_one("#uncited-error", Static)
        try:
            change = mark_uncited(self.data, self.ds, self.source_id, self.start, self.end,
                                  reason)
        except AuthoringError as exc:
            err.update(Text(f"Not written: {exc}"))
            err.remove_class("-empty")
            self.app.bell()
            return
        except OSError as exc:
            from ..errors import os_message

            err.update(Text(f"Not written: {os_message(exc)}"))
            err.remove_class("-empty")
            self.app.bell()
            return
        self.dismiss(change)

    def action_cancel(self) -> None:
        self.dismiss(None)
