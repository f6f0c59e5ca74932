"""The ``?`` screen: every key, grouped by where it applies, built from csto_tui.keys."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..facts import (
    ACTION_CATEGORIES,
    RESPONSE_LABELS,
    RESPONSE_MARKERS,
    RESPONSES,
    Action,
    modes_of,
)
from ..keys import GROUPS, key_label
from ..vocabulary import STATE_STATUSES, STATUS_LABELS, STATUS_MARKERS

WRAP = 60  # fits the help box on an 80-column terminal (with a key column of 10)
#: The widest help line: the help box at 80 columns, less its border, padding and scrollbar.
LINE = 70
KEY_COLUMN_MAX = 12

QUICK_START = (
    "Find a state: / and type its name (typos, older names and questions are fine), Enter; "
    "n / N then step through the other results. Its crises and dependencies "
    "fill panes 2 and 3; pane 4 shows the quotes behind whatever the cursor is on. o opens "
    "the article at the quote (] / [ step through its passages); Enter there jumps back to "
    "the record. b shows a full-screen "
    "briefing (left/right page through the states), e writes it as Markdown. After an "
    "article changed, S re-anchors the quotes and lists those that need review, with the diff "
    "in view (w writes the anchors). q quits."
)


def help_text(keymap: Mapping[str, str] | None = None) -> Text:
    """The help as plain Text (also used by tests), with the user's keys (``keymap``)."""
    from ..keymap import binding_groups

    t = Text()
    t.append("Quick start\n", "bold underline")
    t.append(QUICK_START + "\n")
    notes = {g.title: g.note for g in GROUPS}
    groups = [(title, bindings, notes.get(title, "")) for title, bindings in binding_groups()]
    # one key column for every group, so the descriptions line up down the whole screen
    col = min(KEY_COLUMN_MAX,
              max(len(key_label(b, keymap)) for _, bs, _ in groups for b in bs))
    for title, bindings, note in groups:
        t.append("\n")
        t.append(title, "bold underline")
        if note:
            t.append(f"  ({note})", "dim")
        t.append("\n")
        for b in bindings:
            label = key_label(b, keymap)
            what = f"{b.description} - {b.tooltip}" if b.tooltip else b.description
            # hanging indent, so that the keys stay a clean column at 80 columns; a key name
            # longer than the column has its own line
            indent = " " * (col + 3)
            lines = textwrap.wrap(what, LINE - (col + 3)) or [""]
            if len(label) > col:
                t.append(f"  {label}\n", "bold")
                t.append(indent)
            else:
                t.append(f"  {label:<{col}} ", "bold")
            t.append(lines[0] + "\n")
            for more in lines[1:]:
                t.append(indent + more + "\n")
    t.append("\n")
    states = ", ".join(f"{STATUS_MARKERS[s]} {STATUS_LABELS[s]}" for s in STATE_STATUSES)
    crises = ", ".join(f"{RESPONSE_MARKERS[r]} {RESPONSE_LABELS[r]}" for r in RESPONSES)
    for label, legend in (
            ("States: ", states),
            ("Crises: ", crises),
            ("Figures:", "> marks the selected state's bar; bars of one unit share a scale "
                         "from zero, shares (%) run 0-100; [yes]/[no] for yes/no "
                         "dependencies"),
            ("Notes:  ", "[1] or [1-6] after a briefing line: its sources, listed at the "
                         "end")):
        # a marker stays on the line of its word (no-break spaces bind them)
        legend = legend.replace("[ ]", "[\u00a0]").replace("] ", "]\u00a0")
        legend = re.sub(r"(^|, )(\S) ", "\\1\\2\u00a0", legend)
        lines = textwrap.wrap(legend, LINE - 9)
        t.append(label, "bold")
        t.append(" " + lines[0] + "\n")
        for more in lines[1:]:
            t.append(" " * 9 + more + "\n")
    t.append("PLOVER: ", "bold")
    t.append(" the CSTO's response is an action code, shown as its marker:\n")
    for line in textwrap.wrap(marker_codes(), WRAP + 4):
        t.append("         " + line + "\n")
    t.append("Claims: ", "bold")
    t.append(" a value followed by ? was inferred from context, not stated;\n"
             "         (claim, according to X) says who claims it and how firmly;\n"
             "         c shows facts only, or facts and claims")
    return t


def marker_codes() -> str:
    """Which action codes show which marker: ``[+] aid coerce assault retreat; [x] reject...``
    (from :mod:`csto_tui.facts`, so help and data never disagree)."""
    by_marker: dict[str, list[str]] = {}
    for cat in ACTION_CATEGORIES:
        for mode in ("", *modes_of(cat)):
            act = Action(cat, mode)
            codes = by_marker.setdefault(act.marker, [])
            if mode and Action(cat).marker == act.marker:
                continue  # the category says it already
            codes.append(act.code)
    return "; ".join(f"{m} {' '.join(codes)}" for m, codes in by_marker.items())


class HelpScreen(ModalScreen[None]):
    """Keys of the dashboard. Escape, q or ? closes it."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="help_close"),
        Binding("question_mark", "close", "Close", show=False, id="help_close_q"),
        Binding("q", "close", "Close", show=False, id="help_close_qq"),
        Binding("j", "scroll('down')", "Down", show=False, id="help_down"),
        Binding("k", "scroll('up')", "Up", show=False, id="help_up"),
    ]

    def __init__(self, keymap: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self.keymap = dict(keymap or {})

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Keys"
            body.border_subtitle = "Esc closes"
            yield Static(help_text(self.keymap), id="help-text")

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, where: str) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        if where == "down":
            body.scroll_down()
        else:
            body.scroll_up()
