"""Every key binding of the dashboard, as data.

The app, the pane widgets, the footer, the ``?`` help screen and the command palette all read
these lists, so a key is defined once and shown the same way everywhere. Each binding has an
``id`` (for keymaps) and a description. Keys that terminals or multiplexers take for themselves
(ctrl+j, ctrl+o, ctrl+s, ctrl+b, ctrl+a) are never used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from textual.binding import Binding

from .facts import FACTS_ONLY_LEFT_OUT

#: Keys of the app itself: they work on every screen.
APP: list[Binding] = [
    Binding("question_mark", "help", "Keys", id="help",
            tooltip="This screen: every key, where it works", key_display="?"),
    Binding("q", "quit", "Quit", id="quit",
            tooltip="Quit csto-tui"),
    Binding("ctrl+p", "command_palette", "palette", id="palette", show=False,
            priority=True, tooltip="The command palette: every action and record, by name"),
]

#: Keys of the dashboard screen (with its panes' own, below).
DASHBOARD: list[Binding] = [
    # "/", b, t and o open a screen: they are priority bindings, handled as soon as they
    # arrive, so that keys typed right after them (a fast typist, tmux send-keys) already go
    # to the new screen, not to the panes
    Binding("slash", "search", "Search", id="search", key_display="/", priority=True,
            tooltip="Search states, crises, figures, quotes and the articles "
                    "(typos and spun names work)"),
    Binding("n", "search_step(1)", "Next search result", id="search_next",
            tooltip="After a search: go to its next result", show=False),
    Binding("N", "search_step(-1)", "Previous search result", id="search_previous",
            tooltip="After a search: go to its previous result",
            show=False),
    Binding("b", "briefing", "Brief", id="briefing", priority=True,
            tooltip="Full-screen briefing of the selected state; left/right page through the list"),
    Binding("t", "timeline", "Timeline", id="timeline", priority=True,
            tooltip="Membership timeline of every state, years across"),
    Binding("v", "pivot", "Counts", id="pivot", priority=True,
            tooltip="Pivot view: count crises by response, year, action, actor, state or "
                    "stance, and figures by category; Enter lists a count's records",
            show=False),
    Binding("o", "open_source", "Open source", id="open_source", priority=True,
            tooltip="Open the article at the quote, every cited passage marked", show=False),
    Binding("y", "copy_quote", "Copy quote", id="copy_quote",
            tooltip="Copy the quote with its citation to the clipboard", show=False),
    Binding("e", "export", "Export", id="export",
            tooltip="Write the selected state's briefing as Markdown and say where", show=False),
    Binding("a", "toggle_all_events", "All crises", id="toggle_all_events",
            tooltip="Crises pane: the selected state's crises, or all of them", show=False),
    Binding("c", "toggle_facts_only", "Facts only", id="facts_only",
            tooltip="Every pane, the briefing and the export: facts only, or facts and claims "
                    f"({FACTS_ONLY_LEFT_OUT})", show=False),
    Binding("S", "sync_anchors", "Sync & review quotes", id="sync_anchors", priority=True,
            tooltip="Re-anchor every quote after an article changed, then review each quote "
                    "that needs it with the diff in view (accept the new wording, keep it "
                    "orphaned or skip); w writes the anchors file", show=False),
    Binding("C", "coverage", "Coverage", id="coverage", priority=True,
            tooltip="What is left to cite in the focused quote's article: every passage "
                    "neither quoted nor explained highlighted; ] / [ step through them, Enter "
                    "cites there", show=False),
    Binding("ctrl+z", "undo", "Undo last write", id="undo", show=False,
            tooltip="Undo the last write to the dataset (a cite, an uncited passage, an "
                    "added article): its files as they were before it"),
    Binding("A", "add_source", "Add source\u2026", id="add_source", show=False,
            tooltip="Add an article to the dataset: its file, title, date and publisher; "
                    "it opens to be cited (v selects, c cites)"),
    Binding("r", "reload", "Reload", id="reload",
            tooltip="Reload the dataset and sources now (edits are also picked up "
                    "by themselves)", show=False),
]

#: What the help screen lists as working everywhere: the app's keys and the dashboard's.
GLOBAL: list[Binding] = [APP[0], *DASHBOARD, APP[1]]

#: Moving between panes (dashboard screen).
PANES: list[Binding] = [
    Binding("tab", "focus_pane_next", "Next pane", id="pane_next", show=False),
    Binding("shift+tab", "focus_pane_previous", "Previous pane", id="pane_previous",
            show=False),
    Binding("1", "focus_pane(1)", "States pane", id="pane_1", show=False),
    Binding("2", "focus_pane(2)", "Dependencies pane", id="pane_2", show=False),
    Binding("3", "focus_pane(3)", "Crises pane", id="pane_3", show=False),
    Binding("4", "focus_pane(4)", "Sources pane", id="pane_4", show=False),
    Binding("z", "maximize_pane", "Maximise pane", id="maximize_pane",
            tooltip="The focused pane fills the screen; z again (or Esc) restores the panes",
            show=False),
    Binding("escape", "back", "Back to states", id="back",
            tooltip="Back out: close a screen, or return to the states list", show=False),
]

#: Moving the cursor inside any list pane (arrows work as well: up/down/home/end/pgup/pgdn).
NAVIGATION: list[Binding] = [
    Binding("j", "cursor_down", "Down", id="cursor_down", show=False),
    Binding("k", "cursor_up", "Up", id="cursor_up", show=False),
]

#: Pane 1: the member-state list.
STATES: list[Binding] = [
    Binding("enter", "open_crises", "Crises", id="state_crises",
            tooltip="Go to the selected state's crises"),
    Binding("f", "cycle_filter", "Filter", id="state_filter",
            tooltip="Show all states, members, former members, observers or outside actors"),
    Binding("e", "screen.export", "Export", id="state_export", show=False),
]

#: Pane 2: dependency metrics.
METRICS: list[Binding] = [
    Binding("enter", "open_sources", "Sources", id="metric_sources",
            tooltip="Go to the quotes behind this dependency"),
]

#: Pane 3: crisis history.
EVENTS: list[Binding] = [
    Binding("enter", "open_sources", "Sources", id="event_sources",
            tooltip="Go to the quotes behind this crisis"),
    Binding("a", "screen.toggle_all_events", "All/state", id="event_all"),
]

#: Pane 4: source excerpts.
EXCERPTS: list[Binding] = [
    Binding("enter", "screen.open_source", "Open source", id="excerpt_open",
            tooltip="Open the article at this quote"),
    Binding("o", "screen.open_source", "Open", id="excerpt_open_o", show=False),
    Binding("y", "screen.copy_quote", "Copy", id="excerpt_copy"),
]


@dataclass(frozen=True)
class KeyGroup:
    title: str
    bindings: list[Binding]
    note: str = ""


#: What the help screen shows, grouped by where the keys apply.
GROUPS: list[KeyGroup] = [
    KeyGroup("Everywhere", GLOBAL + [APP[2]]),
    KeyGroup("Panes", PANES),
    KeyGroup("In every list", NAVIGATION, "arrows, Home/End and PgUp/PgDn work too"),
    KeyGroup("1 States", STATES),
    KeyGroup("2 Dependencies", METRICS),
    KeyGroup("3 Crises", EVENTS),
    KeyGroup("4 Sources", EXCERPTS),
]

#: Key names shown in the help screen, footer and palette: one spelling for each key, as a
#: person reads it on the keyboard.
KEY_NAMES: dict[str, str] = {
    "question_mark": "?",
    "slash": "/",
    "right_square_bracket": "]",
    "left_square_bracket": "[",
    "right_parenthesis": ")",
    "left_parenthesis": "(",
    "right_curly_bracket": "}",
    "left_curly_bracket": "{",
    "enter": "Enter",
    "escape": "Esc",
    "tab": "Tab",
    "space": "Space",
    "backspace": "Backspace",
    "pageup": "PgUp",
    "pagedown": "PgDn",
}


def key_name(key: str) -> str:
    """One key as a person types it: ``Enter``, ``Esc``, ``Ctrl+P``, ``Shift+Tab``, ``Right``,
    ``j``, ``N``."""
    key = key.strip()
    if key in KEY_NAMES:
        return KEY_NAMES[key]
    if "+" in key:
        *mods, last = key.split("+")
        return "+".join([m.capitalize() for m in mods]
                        + [key_name(last) if len(last) > 1 else last.upper()])
    return key.capitalize() if len(key) > 1 else key


def key_label(binding: Binding, keymap: Mapping[str, str] | None = None) -> str:
    """How a person types a binding's keys: ``Right/Space``, ``]/j``, ``?`` (the user's own
    keys when the keymap remaps it)."""
    keys = keymap[binding.id] if keymap and binding.id and binding.id in keymap else binding.key
    return "/".join(key_name(k) for k in keys.split(","))
