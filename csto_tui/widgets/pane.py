"""The base of the four list panes: an OptionList with a numbered border title.

The panes that grow with the data (states, crises) hold one-line rows. For them the pane skips
what makes a stock OptionList slow on big lists: every row's prompt is built on first use
(:class:`LazyOption`), and the line bookkeeping (which screen line shows which row, each row's
height) is arithmetic instead of a rendering of every prompt up front. Only the rows on screen
are ever turned into text and strips, so 40,000 crises cost what a screenful does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from rich.text import Text
from textual.geometry import Size
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ..keys import NAVIGATION


class LazyOption(Option):
    """An option whose prompt is built by ``build()`` the first time it is needed."""

    def __init__(self, build: Callable[[], Text], id: str | None = None,
                 disabled: bool = False) -> None:
        super().__init__("", id=id, disabled=disabled)
        self._build: Callable[[], Text] | None = build

    @property
    def prompt(self) -> Text:  # type: ignore[override]
        if self._build is not None:
            self._prompt = self._build()
            self._build = None
        return self._prompt  # type: ignore[return-value]


class _OneLineRows(Sequence[tuple[int, int]]):
    """``OptionList._lines`` for one-line rows: line y shows row y, its first line."""

    __slots__ = ("_n",)

    def __init__(self, n: int) -> None:
        self._n = n

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, y):  # type: ignore[override]
        if isinstance(y, slice):
            return [(i, 0) for i in range(*y.indices(self._n))]
        if y < 0:
            y += self._n
        if not 0 <= y < self._n:
            raise IndexError(y)
        return (y, 0)


class _Same(dict):
    """``OptionList._index_to_line`` for one-line rows: row i is on line i."""

    def __init__(self, n: int) -> None:
        super().__init__()
        self._n = n

    def __missing__(self, i: int) -> int:
        if not isinstance(i, int) or not 0 <= i < self._n:
            raise KeyError(i)
        return i

    def __contains__(self, i: object) -> bool:
        return isinstance(i, int) and 0 <= i < self._n


class _Ones(_Same):
    """``OptionList._heights`` for one-line rows: every row is one line high."""

    def __missing__(self, i: int) -> int:
        super().__missing__(i)
        return 1


class Pane(OptionList):
    """A focusable, virtually rendered list with a number (1-4) and a title."""

    BINDINGS = NAVIGATION
    NUMBER = 0
    TITLE = ""

    def __init__(self, *, id: str | None = None) -> None:
        #: True while every option is known to be one line high (see set_options)
        self._one_line = False
        super().__init__(id=id, classes="pane")
        self.border_title = f"{self.NUMBER} {self.TITLE}"

    # ---- virtual rows ---------------------------------------------------------------------
    def set_options(self, options: Iterable[Option], *,  # type: ignore[override]
                    one_line: bool = False) -> Pane:
        """Replace the options. ``one_line=True`` promises that every prompt is a single
        line (no newline, no wrapping: ``Text(no_wrap=True)``), so no prompt is built or
        measured until it scrolls into view."""
        self._one_line = one_line
        super().set_options(options)
        return self

    def clear_options(self) -> Pane:
        self._one_line = False
        super().clear_options()
        return self

    def add_options(self, new_options: Iterable[Option | None]) -> Pane:  # type: ignore[override]
        new_options = list(new_options)
        if self._one_line and any(o is None for o in new_options):
            self._one_line = False  # separators make rows two lines high
        super().add_options(new_options)
        return self

    def _update_lines(self) -> None:
        if not self._one_line:
            super()._update_lines()
            return
        region = self.scrollable_content_region
        if not region:
            return
        virtual_size = Size(region.width - self._get_left_gutter_width(), len(self._options))
        if virtual_size != self.virtual_size:
            self.virtual_size = virtual_size
            self._scroll_update(virtual_size)

    @property
    def _lines(self) -> Sequence[tuple[int, int]]:
        if self._one_line:
            # no _update_lines() here: it is asked for every line drawn, and the virtual size
            # it keeps is already brought up to date by render_lines, scroll_to_highlight and
            # every change of the options
            return _OneLineRows(len(self._options))
        return OptionList._lines.fget(self)  # type: ignore[attr-defined]

    @property
    def _heights(self) -> dict[int, int]:
        if self._one_line:
            return _Ones(len(self._options))
        return OptionList._heights.fget(self)  # type: ignore[attr-defined]

    @property
    def _index_to_line(self) -> dict[int, int]:
        if self._one_line:
            return _Same(len(self._options))
        return OptionList._index_to_line.fget(self)  # type: ignore[attr-defined]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if self._one_line:
            return len(self._options)
        return super().get_content_height(container, viewport, width)

    def on_mount(self) -> None:
        self.show_message("Loading...")

    def on_resize(self) -> None:
        # the pane in focus grows and the others shrink: keep each cursor in view
        self.call_after_refresh(self.keep_cursor_in_view)

    def keep_cursor_in_view(self) -> None:
        self.scroll_to_highlight()

    def show_message(self, message: str | Text) -> None:
        """Replace the content by a single, unselectable line of text."""
        prompt = message if isinstance(message, Text) else Text(message, style="italic")
        self.set_options([Option(prompt, disabled=True)])

    @property
    def record_id(self) -> str | None:
        """The id of the record under the cursor, if any."""
        opt = self.highlighted_option
        if opt is None or opt.disabled or not opt.id:
            return None
        return opt.id

    def highlight_id(self, option_id: str | None) -> bool:
        """Move the cursor to the option with this id; return whether it was found."""
        if option_id is None:
            return False
        try:
            index = self.get_option_index(option_id)
        except Exception:
            return False
        self.highlighted = index
        return True

    def highlight_first(self) -> None:
        for i, opt in enumerate(self.options):
            if not opt.disabled:
                self.highlighted = i
                return
        self.highlighted = None
