"""How the row under a list's cursor is marked: one rule for every list the user moves in
(the four panes, the search results, the cite form's records and reasons, the sync review
list, the pivot's records).

- The cursor row carries a text marker, ``►`` (``>`` where the terminal is not UTF-8), in a
  gutter of :data:`GUTTER` cells at the left of every row; the other rows have blanks there.
  The marker stays while the list is not focused, so the state picked in pane 1 is still
  marked while another pane has the focus.
- In the focused list (or the list an input drives, class ``-driven``: the search results,
  the cite form's records) the cursor row is also in reverse video and bold (:data:`CURSOR_CSS`),
  in every theme: reverse shows with 16 colours, with the terminal's own colours (the ``ansi``
  themes) and with ``NO_COLOR``, where backgrounds turn into near-identical greys.
- Nothing else in a list is reversed: search matches are bold and underlined
  (:data:`MATCH_STYLE`), so they never look like the cursor.

:class:`Pane` draws the gutter itself (``widgets/pane.py``); an ``OptionList`` the user moves
in is a ``CursorList`` (``widgets/cursor_list.py``), whose options carry the gutter in their
prompts.
"""

from __future__ import annotations

from rich.text import Text

from ..textsafe import use_ascii

#: Cells at the left of each row for the marker (the marker and a blank).
GUTTER = 2
#: The style of words matched by a search in a list (never reverse: that is the cursor's).
MATCH_STYLE = "bold underline"

#: The focused list's cursor row: reverse video and bold, over the theme's own colours.
#: (Textual's component classes of the lists; the panes' is ``pane--cursor``. An OptionList's
#: option styles drop ``reverse``: ``CursorList`` draws it.)
CURSOR_CSS = """
Pane:focus > .pane--cursor,
CursorList:focus > .option-list--option-highlighted,
CursorList.-driven > .option-list--option-highlighted,
DataTable:focus > .datatable--cursor {
    color: $foreground;
    background: transparent;
    text-style: bold reverse;
}
Pane > .pane--cursor,
CursorList > .option-list--option-highlighted {
    color: $foreground;
    background: transparent;
    text-style: bold;
}
"""


def marker(ascii_only: bool | None = None) -> str:
    """The cursor's marker: ``►``, or ``>`` where the terminal is not UTF-8 (``ascii_only``:
    the caller's own finding, by default :func:`~csto_tui.textsafe.use_ascii`'s)."""
    return ">" if (use_ascii() if ascii_only is None else ascii_only) else "\u25ba"


def gutter(on: bool, ascii_only: bool | None = None) -> str:
    """The gutter of a row: the marker and a blank on the cursor row (drawn bold), else
    blanks."""
    return (marker(ascii_only) + " ") if on else " " * GUTTER


def marked(prompt: Text, on: bool) -> Text:
    """``prompt`` with its gutter before each of its lines, the marker before the first
    (a new Text; ``prompt`` is left as it is)."""
    out = Text(end="", no_wrap=prompt.no_wrap, overflow=prompt.overflow)
    for i, line in enumerate(prompt.split("\n", allow_blank=True)):
        if i:
            out.append("\n")
        first = on and not i
        out.append(gutter(first), "bold" if first else "")
        out.append_text(line)
    return out


def unmarked(prompt: Text) -> Text:
    """A prompt made by :func:`marked`, without its gutter."""
    return Text("\n", end="").join(line[GUTTER:] for line in
                                    prompt.split("\n", allow_blank=True))
