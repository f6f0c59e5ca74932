"""The base of the four list panes: a list of rows drawn with the Line API.

A :class:`Pane` is a :class:`~textual.scroll_view.ScrollView` that draws only the lines on
screen (``render_line``, as Textual's own ``Log`` widget does). Its rows are :class:`Row`
objects; a row's text may be built on first use, so the panes that grow with the data (states,
crises: 40,000 rows at 1000x the shipped data) cost what a screenful does. Rows are one line
high when the pane is filled with ``one_line=True``; otherwise each row is rendered at the
pane's width when it is filled (those panes hold a handful of rows).

The cursor (``highlighted``, a reactive the dashboard watches) skips disabled rows (headers,
messages). The cursor row is marked by the rule of :mod:`.cursor`: the marker in the gutter
left of every row (drawn here), the ``pane--cursor`` component class (styled there); disabled
rows are styled with ``pane--disabled``.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import ClassVar, Self

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..keys import NAVIGATION
from .cursor import GUTTER, gutter
from .render import fit

BOLD = Style(bold=True)
#: One-line rows rendered and kept (the ones on screen, and some around them).
LINE_CACHE = 512


class Row:
    """One item of a pane: its text (or how to build it), its record id, whether it can
    take the cursor."""

    __slots__ = ("build", "disabled", "id", "text")

    def __init__(self, prompt: Text | Callable[[], Text], id: str | None = None,
                 disabled: bool = False) -> None:
        self.id = id
        self.disabled = disabled
        self.text: Text | None = prompt if isinstance(prompt, Text) else None
        self.build: Callable[[], Text] | None = None if isinstance(prompt, Text) else prompt

    @property
    def prompt(self) -> Text:
        """The row's text, built the first time it is asked for."""
        if self.text is None:
            assert self.build is not None
            self.text = self.build()
            self.build = None
        return self.text


class Pane(ScrollView, can_focus=True):
    """A focusable list of rows with a number (1-4) and a title in its border."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", "Down", show=False),
        Binding("up", "cursor_up", "Up", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        *NAVIGATION,
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"pane--cursor", "pane--disabled"}
    DEFAULT_CSS = """
    Pane {
        overflow-x: hidden;
        & > .pane--disabled {
            color: $text-disabled;
        }
    }
    """
    NUMBER = 0
    TITLE = ""

    class Measured(Message):
        """The pane's content changed height: the dashboard shares the space again."""

    #: Index of the row under the cursor (None: no row can take it).
    highlighted: reactive[int | None] = reactive(None, init=False, repaint=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="pane")
        self.rows: list[Row] = []
        self.one_line = False
        #: For panes of several-line rows: each row's first line, and the total (one more).
        self.tops: list[int] = [0]
        self.row_lines: list[list[Strip]] = []
        #: The width the rows were rendered at (several-line rows).
        self.rendered_width = 0
        self.line_count = 0
        #: The content rows the dashboard gave the pane (see :meth:`fit_virtual`).
        self.rows_given = 0
        self.line_cache: OrderedDict[tuple[int, int, Style], Strip] = OrderedDict()
        #: What ``render_line`` last gave for each line of the pane (what the terminal shows):
        #: new content repaints only the lines that differ from it (bytes over SSH).
        self.painted: dict[int, Strip] = {}
        self.repaint_pending = False
        #: The bottom border's text as last set (see :meth:`set_subtitle`).
        self.subtitle = ""
        #: True while Textual's border-title setter runs: its whole-widget refresh is narrowed
        #: to the border row (see :meth:`refresh`).
        self.narrowing = False
        self.border_title = f"{self.NUMBER} {self.TITLE}"

    # ---- content ---------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[Row], *, one_line: bool = False) -> None:
        """Replace the rows. ``one_line=True`` promises that every row is a single line (no
        newline, no wrapping: ``Text(no_wrap=True)``), so no row is built or measured until it
        scrolls into view."""
        self.rows = list(rows)
        self.one_line = one_line
        self.line_cache.clear()
        self.rendered_width = 0
        self.set_reactive(Pane.highlighted, None)
        self.measure()
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.repaint_soon()

    def set_subtitle(self, text: str) -> None:
        """The text in the bottom border (data: never markup). Set only when it changes, and
        then only the border row is repainted, not the whole pane."""
        if text == self.subtitle:
            return
        before, self.subtitle = self.subtitle, text
        if not self.is_mounted:
            self.border_subtitle = Content(text)
            return
        self.narrowing = True
        try:
            self.border_subtitle = Content(text)
        finally:
            self.narrowing = False
        # the text is at the right of the border row ("─ text ─╯"): the cells from where the
        # longer of the two starts to the corner
        gutter = self.styles.gutter
        outer = self.outer_size
        span = min(outer.width, max(cell_len(before), cell_len(text)) + 5)
        self.refresh(Region(outer.width - span - gutter.left, outer.height - 1 - gutter.top,
                            span, 1))

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False,
                recompose: bool = False) -> Self:
        """Textual's refresh; while the border title is set (see :meth:`set_subtitle`), its
        refresh of the whole widget is left out (the caller refreshes the border row)."""
        if self.narrowing and not regions and not layout and not recompose:
            return self
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def show_message(self, message: str | Text) -> None:
        """Replace the content by a single, unselectable text."""
        prompt = message if isinstance(message, Text) else Text(message, style="italic")
        self.set_rows([Row(prompt, disabled=True)])

    def on_mount(self) -> None:
        self.show_message("Loading...")

    @property
    def width_for_rows(self) -> int:
        """The width a row's text is laid out in: the pane's, less the cursor's gutter."""
        return max(0, self.scrollable_content_region.width - GUTTER)

    def measure(self) -> None:
        """Bring the line count, the virtual size (and the rendered several-line rows) up to
        date."""
        before = self.line_count
        size = self.measured_size()
        self.line_count = size.height
        self.fit_virtual()
        if self.line_count != before:
            self.post_message(self.Measured())

    def fit_virtual(self, rows: int | None = None) -> None:
        """The virtual size: the content's lines, or, when the content fits in the ``rows``
        of the viewport, a height that fits in them too, kept while it can be (the viewport's
        rows when it changes). Content that fits keeps its virtual size when it changes: a new
        virtual size is a new geometry, which repaints the whole pane, borders included
        (bytes over SSH).

        ``rows``: the content rows the dashboard has just given the pane (kept: the resize
        events of the layout that follows report sizes on the way there); by default the rows
        last given, else the pane's present ones."""
        if rows is None:
            rows = self.rows_given or self.scrollable_content_region.height
        else:
            self.rows_given = rows
        lines, height = self.line_count, self.virtual_size.height
        if rows <= 0:  # not laid out yet: the layout shows or hides the scrollbar
            self.virtual_size = Size(self.scrollable_content_region.width, lines)
            return
        if lines > rows:
            height = lines
        elif not lines <= height <= rows:
            height = rows
        # (a height between the lines and the rows stays: any of them shows the content the
        # same way, and a change lays the screen out again, e.g. after each resize)
        self.virtual_size = Size(self.scrollable_content_region.width, height)
        # the scrollbar follows here, with the rows: shown or hidden in the layout pass, it
        # would lay the screen out (and draw the pane) a second time; and a virtual size
        # that changes to the viewport's rows does not hide it in that pass
        show = self.line_count > rows
        if self.styles.overflow_y == "auto" and show != self.show_vertical_scrollbar:
            self.show_vertical_scrollbar = show
            self.vertical_scrollbar.display = show

    def measured_size(self) -> Size:
        width = self.width_for_rows
        if self.one_line:
            return Size(width, len(self.rows))
        if width <= 0:
            return Size(0, len(self.rows))
        if width != self.rendered_width:
            self.rendered_width = width
            self.row_lines = [self.render_row(row, width) for row in self.rows]
            self.tops = [0]
            for lines in self.row_lines:
                self.tops.append(self.tops[-1] + len(lines))
        return Size(width, self.tops[-1])

    @property
    def wanted_height(self) -> int:
        """The height that shows every line of the content, borders included."""
        return self.line_count + self.styles.gutter.height

    def render_row(self, row: Row, width: int) -> list[Strip]:
        console = self.app.console
        options = console.options.update_width(width)
        return [Strip(line, width)
                for line in console.render_lines(row.prompt, options, pad=True)]

    def on_resize(self, event: events.Resize) -> None:
        self.line_cache.clear()
        self.measure()
        # the pane in focus grows and the others shrink: keep each cursor in view
        self.call_after_refresh(self.keep_cursor_in_view)

    # ---- drawing ---------------------------------------------------------------------------
    def row_at(self, y: int) -> tuple[int, int] | None:
        """(row index, line within it) of virtual line ``y``."""
        if self.one_line:
            return (y, 0) if 0 <= y < len(self.rows) else None
        if not 0 <= y < self.tops[-1]:
            return None
        from bisect import bisect_right

        i = bisect_right(self.tops, y) - 1
        return i, y - self.tops[i]

    def render_line(self, y: int) -> Strip:
        strip = self.content_line(y)
        self.painted[y] = strip
        return strip

    def repaint_soon(self) -> None:
        """The content changed (rows, scroll position): once the changes of this key are
        made, repaint the lines that differ from what is on screen, and only those. A line
        diff works while the pane keeps its size: a new size repaints the whole pane anyway."""
        if not self.is_mounted or not self.painted:
            self.refresh()
        elif not self.repaint_pending:
            self.repaint_pending = True
            self.call_next(self.repaint_changed)

    def repaint_changed(self) -> None:
        self.repaint_pending = False
        height = self.scrollable_content_region.height
        start: int | None = None
        for y in range(height + 1):
            changed = False
            if y < height:
                old = self.painted.get(y)
                changed = old is None or old != self.render_line(y)
            if changed and start is None:
                start = y
            elif not changed and start is not None:
                self.refresh(Region(0, start, self.scrollable_content_region.width,
                                    y - start))
                start = None

    def watch_scroll_y(self, old: float, new: float) -> None:
        """ScrollView's, but a scroll repaints only the lines that differ."""
        if self.show_vertical_scrollbar:
            self.vertical_scrollbar.position = new
        if round(old) != round(new):
            self.repaint_soon()

    def content_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if not self.one_line and self.width_for_rows != self.rendered_width:
            self.measure()
        base = self.rich_style
        at = self.row_at(self.scroll_offset.y + y)
        if at is None:
            return Strip.blank(width, base)
        index, line = at
        row = self.rows[index]
        style = base
        if index == self.highlighted:
            style = base + self.get_component_rich_style("pane--cursor")
        elif row.disabled:
            style = base + self.get_component_rich_style("pane--disabled")
        # keyed by the style too: the cursor's follows the focus, and the colours the theme
        key = (index, line, style)
        strip = self.line_cache.get(key)
        if strip is not None and strip.cell_length == width:
            self.line_cache.move_to_end(key)
            return strip
        inner = self.width_for_rows
        if self.one_line:
            # cut with an ellipsis ("..." where the terminal is not UTF-8) only when too long
            strip = self.render_row(Row(fit(row.prompt, inner)), inner)[0]
        else:
            strip = self.row_lines[index][line]
        on = index == self.highlighted and line == 0
        strip = Strip.join([Strip([Segment(gutter(on), BOLD if on else None)], GUTTER), strip])
        # simplified: the gutter and the row's first run, if alike, are written as one
        strip = Strip(Segment.apply_style(strip, style), width).crop_extend(
            0, width, style).simplify()
        self.line_cache[key] = strip
        if len(self.line_cache) > LINE_CACHE:
            self.line_cache.popitem(last=False)
        return strip

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        for index in (old, new):
            if index is not None:
                self.refresh_row(index)
        self.scroll_to_highlight()

    def refresh_row(self, index: int) -> None:
        for key in [k for k in self.line_cache if k[0] == index]:
            del self.line_cache[key]
        region = self.row_region(index)
        if region is not None:
            self.refresh_lines(region.y, region.height)

    def row_region(self, index: int) -> Region | None:
        if not 0 <= index < len(self.rows):
            return None
        width = self.scrollable_content_region.width
        if self.one_line:
            return Region(0, index, width, 1)
        if len(self.tops) <= index + 1:
            return None
        return Region(0, self.tops[index], width, self.tops[index + 1] - self.tops[index])

    def scroll_to_highlight(self) -> None:
        if self.highlighted is None:
            return
        region = self.row_region(self.highlighted)
        if region is not None:
            self.scroll_to_region(region, animate=False, force=True, immediate=True)

    def keep_cursor_in_view(self) -> None:
        self.scroll_to_highlight()

    # ---- the cursor ------------------------------------------------------------------------
    @property
    def highlighted_row(self) -> Row | None:
        i = self.highlighted
        return self.rows[i] if i is not None and 0 <= i < len(self.rows) else None

    @property
    def record_id(self) -> str | None:
        """The id of the record under the cursor, if any."""
        row = self.highlighted_row
        return row.id if row is not None and not row.disabled else None

    def highlight_id(self, row_id: str | None) -> bool:
        """Move the cursor to the row with this id; return whether it was found."""
        if row_id is None:
            return False
        for i, row in enumerate(self.rows):
            if row.id == row_id and not row.disabled:
                self.highlighted = i
                return True
        return False

    def highlight_first(self) -> None:
        self.highlighted = self.next_enabled(0, 1)

    def next_enabled(self, start: int, step: int) -> int | None:
        """The first row from ``start`` on (going by ``step``) that can take the cursor."""
        i = start
        while 0 <= i < len(self.rows):
            if not self.rows[i].disabled:
                return i
            i += step
        return None

    def move(self, steps: int) -> None:
        if self.highlighted is None:
            self.highlight_first()
            return
        step = 1 if steps > 0 else -1
        at = self.highlighted
        for _ in range(abs(steps)):
            nxt = self.next_enabled(at + step, step)
            if nxt is None:
                break
            at = nxt
        self.highlighted = at

    def action_cursor_down(self) -> None:
        self.move(1)

    def action_cursor_up(self) -> None:
        self.move(-1)

    def action_first(self) -> None:
        self.highlighted = self.next_enabled(0, 1)

    def action_last(self) -> None:
        self.highlighted = self.next_enabled(len(self.rows) - 1, -1)

    def page_rows(self) -> int:
        """Rows in a page: one-line rows fill the pane's height; taller rows count as one."""
        return max(1, self.scrollable_content_region.height) if self.one_line else 1

    def action_page_down(self) -> None:
        if self.one_line:
            self.move(self.page_rows())
        else:
            self.move(1)

    def action_page_up(self) -> None:
        if self.one_line:
            self.move(-self.page_rows())
        else:
            self.move(-1)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        at = self.row_at(self.scroll_offset.y + offset.y) if offset is not None else None
        if at is not None and not self.rows[at[0]].disabled:
            self.highlighted = at[0]
