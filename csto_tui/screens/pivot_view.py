"""The pivot view (``v``): crises or figures counted by two fields, drilled down by Enter.

The counts come from :mod:`csto_tui.pivot`; this screen only shows them in a stock
``DataTable`` (one row per value of the row field, one column per value of the column field,
totals last), lets the analyst pick the fields and the kind by key, and hands a cell's records
to :class:`PivotRecordsScreen`. Every label from the data is a ``Text``, never markup.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from .. import pivot
from ..dataset import Dataset
from ..overwrite import OverwriteGuard
from ..shared import Shared
from ..textsafe import one_line
from ..widgets.cursor_list import CursorList
from ..widgets.footer import KeysFooter
from .exporting import counts_job, nothing_to_export, run_export

KINDS = ("event", "metric")


class PivotScreen(Screen[str | None]):
    """Counts of crises or figures by two fields. Dismisses with a record id to show in the
    panes (or None)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="pivot_close"),
        Binding("enter", "drill", "Records", id="pivot_drill", priority=True),
        Binding("r", "field('row', 1)", "Row field", id="pivot_row"),
        Binding("R", "field('row', -1)", "Previous row field", id="pivot_row_previous",
                show=False),
        Binding("c", "field('column', 1)", "Column field", id="pivot_column"),
        Binding("C", "field('column', -1)", "Previous column field",
                id="pivot_column_previous", show=False),
        Binding("m", "kind", "Crises/figures", id="pivot_kind"),
        Binding("x", "swap", "Swap", id="pivot_swap", show=False),
        Binding("e", "export('markdown')", "Export .md", id="pivot_export_markdown"),
        Binding("s", "export('csv')", "Export .csv", id="pivot_export_csv"),
    ]
    DEFAULT_CSS = """
    PivotScreen { layout: vertical; }
    PivotScreen > #pivot-title { height: 1; padding: 0 1; text-style: bold; }
    PivotScreen > #pivot-note { height: auto; padding: 0 1; color: $text-muted; }
    PivotScreen > DataTable { height: 1fr; }
    """

    def __init__(self, data: Shared, kind: str = "event") -> None:
        super().__init__()
        self.data = data
        self.kind = kind
        self.fields: dict[str, tuple[str, str]] = {}
        self.counts: pivot.Pivot | None = None
        #: `e` / `s` over a file holding something else ask for the key again.
        self.overwrite = OverwriteGuard()

    def compose(self) -> ComposeResult:
        yield Static(id="pivot-title")
        yield Static(id="pivot-note")
        yield DataTable(cursor_type="cell", zebra_stripes=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.show()

    @property
    def dataset(self) -> Dataset | None:
        return self.data.dataset

    def names(self) -> list[str]:
        ds = self.dataset
        return [d.name for d in pivot.dimensions(ds, self.kind)] if ds is not None else []

    def current(self) -> tuple[str, str]:
        names = self.names()
        row, column = self.fields.get(self.kind, ("", ""))
        if row not in names:
            row = names[0] if names else ""
        if column not in names or column == row:
            column = next((n for n in names if n not in (row, "state", "actor", "claimant")),
                          next((n for n in names if n != row), row))
        return row, column

    def show(self) -> None:
        ds = self.dataset
        table = self.query_one(DataTable)
        table.clear(columns=True)
        if ds is None:
            self.query_one("#pivot-title", Static).update(Text("No dataset loaded"))
            return
        row, column = self.current()
        self.fields[self.kind] = (row, column)
        p = self.counts = pivot.count(ds, self.kind, row, column)
        title = Text(p.title(), style="bold")
        title.append(f"  ({p.records} records)", style="not bold")
        self.query_one("#pivot-title", Static).update(title)
        note = Text(f"Fields: {', '.join(self.names())}. ")
        note.append("A record with two values (an event naming two states) counts in each "
                    "row; totals count it once.", style="dim")
        self.query_one("#pivot-note", Static).update(note)
        grid = p.table()
        head = grid[0]
        table.add_columns(*(Text(one_line(h)) for h in head))
        for cells in grid[1:]:
            label = Text(one_line(cells[0]), style="bold")
            values = [Text(c, justify="right", style="dim" if c == "0" else "")
                      for c in cells[1:]]
            table.add_row(label, *values)
        table.move_cursor(row=0, column=1 if len(head) > 1 else 0)

    # ---- actions ----------------------------------------------------------------------------
    def action_close(self) -> None:
        self.dismiss(None)

    def action_field(self, which: str, step: int) -> None:
        names = self.names()
        if len(names) < 2:
            return
        row, column = self.current()
        if which == "row":
            i = (names.index(row) + step) % len(names)
            if names[i] == column:
                i = (i + step) % len(names)
            row = names[i]
        else:
            i = (names.index(column) + step) % len(names)
            if names[i] == row:
                i = (i + step) % len(names)
            column = names[i]
        self.fields[self.kind] = (row, column)
        self.show()

    def action_swap(self) -> None:
        row, column = self.current()
        self.fields[self.kind] = (column, row)
        self.show()

    def action_kind(self) -> None:
        self.kind = KINDS[(KINDS.index(self.kind) + 1) % len(KINDS)]
        self.show()

    def cell_ids(self) -> tuple[str, list[str]]:
        """The records under the cursor: (what they are, their ids)."""
        p = self.counts
        table = self.query_one(DataTable)
        if p is None or not table.row_count:
            return "", []
        r, c = table.cursor_coordinate.row, table.cursor_coordinate.column
        row = p.rows[r] if r < len(p.rows) else None          # the total row: every row
        col = p.columns[c - 1] if 1 <= c <= len(p.columns) else None  # label/total: all
        what = " and ".join(
            f"{name} {value}" for name, value in ((p.row, row), (p.column, col))
            if value is not None) or "all"
        return what, p.ids(row, col)

    def action_drill(self) -> None:
        ds = self.dataset
        what, ids = self.cell_ids()
        if ds is None or not ids:
            self.notify("No records in this cell", severity="warning", timeout=3)
            return
        kind = pivot.KIND_NAMES.get(self.kind, self.kind)
        self.app.push_screen(PivotRecordsScreen(ds, f"{len(ids)} {kind}: {what}", ids),
                             self.drilled)

    def drilled(self, record_id: str | None) -> None:
        if record_id is not None:
            self.dismiss(record_id)

    def action_export(self, fmt: str) -> None:
        """e / s: the counts as Markdown / CSV, to their file, with the notices every export
        gives (screens/exporting.py)."""
        counts = self.counts
        if counts is None:
            nothing_to_export(self)
            return
        title = self.dataset.title if self.dataset else ""
        key = "s" if fmt == "csv" else "e"
        run_export(self, self.overwrite, key, lambda: counts_job(counts, fmt, title))


class PivotRecordsScreen(ModalScreen[str | None]):
    """The records behind a count: Enter shows one in the panes, Escape goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back to the counts", id="pivot_records_back"),
    ]
    DEFAULT_CSS = """
    PivotRecordsScreen { align: center middle; }
    PivotRecordsScreen > #pivot-records {
        width: 90%; max-width: 100; height: 80%;
        border: round $accent; padding: 0 1;
    }
    """

    def __init__(self, ds: Dataset, title: str, ids: list[str]) -> None:
        super().__init__()
        self.ds = ds
        self.title_text = title
        self.ids = ids

    def compose(self) -> ComposeResult:
        from .. import records

        options = []
        for rid in self.ids:
            rec = self.ds.get(rid)
            label = records.title(self.ds, rec) if rec is not None else rid
            options.append(Option(Text(one_line(label)), id=rid))
        box = CursorList(*options, id="pivot-records")
        box.border_title = Text(one_line(self.title_text))
        box.border_subtitle = Text("Enter: show in the panes  Esc: back")
        yield box

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_back(self) -> None:
        self.dismiss(None)
