"""Full-screen briefing of one state, paged through a list of states.

Renders :func:`csto_tui.briefing.build` line for line, the same structure that
``csto-tui export --format markdown`` writes, so the room and the file never differ.
``e`` writes the state on screen through the one export path (:func:`csto_tui.export.make`,
:func:`csto_tui.export.write`), byte for byte what `csto-tui export --state` writes.
"""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from .. import briefing as briefing_mod
from .. import citation
from ..dataset import Dataset
from ..overwrite import OverwriteGuard
from ..shared import Shared
from ..textsafe import one_line, plural
from ..vocabulary import EXACT, STATUS_MARKERS
from ..widgets.footer import KeysFooter
from .exporting import export_briefing


def _grid() -> Table:
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    return grid


def line_text(line: briefing_mod.Line) -> Text:
    """One briefing line: marker, text and its footnote numbers, as plain text."""
    t = Text()
    if line.marker.startswith("["):
        t.append(one_line(line.marker), style="bold")
        t.append(" ")
    t.append(one_line(line.text), style="dim" if line.depth else "")
    t.append(briefing_mod.note_marks(line.notes), style="bold")
    return t


def footnote_text(fn: briefing_mod.Footnote, ds: Dataset | None = None) -> Text:
    t = Text()
    t.append("\u201c" + one_line(fn.text) + "\u201d")
    t.append(" - ")
    if ds is not None:
        t.append(citation.label(ds, fn.quote), style="bold")
        t.append("\n")
        t.append(citation.detail(ds, fn.quote), style="dim italic")
    else:
        t.append(one_line(fn.source_title), style="italic")
        if fn.source_about:
            t.append(f" ({one_line(fn.source_about)})")
        pos = f", characters {fn.start}-{fn.end}" if fn.start is not None else ""
        t.append(f" ({one_line(fn.source)}{pos})")
    if fn.status != EXACT:
        t.append(" ")
        t.append(f"[{one_line(fn.status)}]", style="bold reverse")
    return t


def briefing_renderable(b: briefing_mod.Briefing, ds: Dataset | None = None) -> Group:
    """The body of a briefing (sections, then footnotes) with hanging indents; never markup."""
    parts: list[Any] = []
    for sec in b.sections:
        parts.append(Text(one_line(sec.title).upper(), style="bold underline"))
        grid = _grid()
        for line in sec.lines:
            grid.add_row(Text("    -" if line.depth else "  *"), line_text(line))
        parts.append(grid)
        parts.append(Text(""))
    parts.append(Text("SOURCES", style="bold underline"))
    if not b.footnotes:
        parts.append(Text("  (no cited quotes)", style="italic"))
    else:
        grid = _grid()
        for fn in b.footnotes:
            grid.add_row(Text(f"[{fn.n}]".rjust(5), style="bold"), footnote_text(fn, ds))
        parts.append(grid)
    return Group(*parts)


class BriefingScreen(Screen[None]):
    """One state's briefing, large and readable; left/right page through the states."""

    CSS_PATH = "screens.tcss"

    BINDINGS = [
        Binding("escape", "close", "Close", id="briefing_close"),
        Binding("right,space", "page(1)", "Next state", id="briefing_next", priority=True),
        Binding("left,shift+space,backspace", "page(-1)", "Previous state",
                id="briefing_previous", priority=True),
        Binding("e", "export", "Export .md", id="briefing_export"),
        Binding("home", "top", "Top", id="briefing_top", show=False),
        Binding("end", "bottom", "Bottom", id="briefing_bottom", show=False),
    ]

    def __init__(self, data: Shared, state_ids: list[str], index: int = 0,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data = data
        self.state_ids = list(state_ids)
        self.index = min(max(index, 0), max(len(self.state_ids) - 1, 0))
        self.current: briefing_mod.Briefing | None = None
        #: `e` over an export holding something else asks for `e` again.
        self.overwrite = OverwriteGuard()

    @property
    def state_id(self) -> str | None:
        return self.state_ids[self.index] if self.state_ids else None

    # ---- layout ------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="briefing-banner"):
            yield Static(id="briefing-title")
            yield Static(id="briefing-page")
        yield Static(id="briefing-subtitle")
        with VerticalScroll(id="briefing-scroll"):
            yield Static(id="briefing-body")
        yield KeysFooter()

    def on_mount(self) -> None:
        self._show()
        self.query_one("#briefing-scroll").focus()

    def _show(self) -> None:
        title = self.query_one("#briefing-title", Static)
        page = self.query_one("#briefing-page", Static)
        sub = self.query_one("#briefing-subtitle", Static)
        body = self.query_one("#briefing-body", Static)
        total = len(self.state_ids)
        page.update(Text(f" {self.index + 1}/{total} " if total else " 0/0 ", style="bold"))
        ds = self.data.dataset
        self.current = None
        sid = self.state_id
        if ds is None or sid is None:
            title.update(Text(" BRIEFING ", style="bold reverse"))
            sub.update(Text("No dataset loaded." if ds is None else "No state to brief."))
            body.update(Text(""))
            return
        try:
            b = briefing_mod.build(ds, sid, self.data.statuses)
        except KeyError:
            title.update(Text(f" {one_line(sid).upper()} ", style="bold reverse"))
            sub.update(Text(f"Unknown state id {one_line(sid)!r}."))
            body.update(Text(""))
            return
        self.current = b
        title.update(Text(f" {one_line(b.title).upper()} ", style="bold reverse"))
        marker = STATUS_MARKERS.get(b.state.status, "?")
        n = len(b.footnotes)
        sub_text = Text()
        sub_text.append(f"[{marker}] ", style="bold")
        sub_text.append(one_line(b.subtitle), style="bold")
        sub_text.append(f"  -  {plural(n, 'cited quote')}; "
                        "[1] is a source, listed at the end")
        if self.data.facts_only:  # as the exported briefing says it
            from ..facts import FACTS_ONLY_LEFT_OUT

            sub_text.append(f"\nFacts only (c on the dashboard): {FACTS_ONLY_LEFT_OUT} are "
                            "left out", style="italic")
        sub.update(sub_text)
        body.update(briefing_renderable(b, ds))
        self.query_one("#briefing-scroll", VerticalScroll).scroll_home(animate=False)

    # ---- actions -----------------------------------------------------------------------
    def action_page(self, step: int) -> None:
        if not self.state_ids:
            return
        new = min(max(self.index + step, 0), len(self.state_ids) - 1)
        if new == self.index:
            self.app.bell()
            return
        self.index = new
        self._show()

    def action_top(self) -> None:
        self.query_one("#briefing-scroll", VerticalScroll).scroll_home(animate=False)

    def action_bottom(self) -> None:
        self.query_one("#briefing-scroll", VerticalScroll).scroll_end(animate=False)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_export(self) -> None:
        """e: the briefing on screen, to its file: the same bytes and mode as
        `csto-tui export --state`, the same notice as the dashboard's e (screens/exporting.py)."""
        export_briefing(self, self.overwrite, self.data,
                        self.state_id if self.current is not None else None)
