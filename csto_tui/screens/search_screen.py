"""The `/` search: one box over states, entities, events, metrics, quotes and the articles.

Results follow every key typed: one list ranked by relevance (the order of the command palette
and of ``csto-tui search``), the kind of each result on its row, the matching words highlighted
and a context line; Ctrl+G groups the same list by kind. Up/Down move through the results
without leaving the box; Enter goes to the highlighted result; Escape restores where you were.
After Enter, n / N step through the same results from the screens a result opens, which show
"result i of n". The engine (csto_tui.search) is built once, off the keystroke path; this
screen only asks it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ..keyorder import keys_waiting
from ..search import KIND_WORDS, Hit, SearchIndex, group_hits
from ..textsafe import one_line, plural, said
from ..widgets.cursor import GUTTER, MATCH_STYLE
from ..widgets.cursor_list import CursorList
from ..widgets.footer import KeysFooter

KIND_LABELS = {
    "state": "States",
    "entity": "Organisations, bodies and people",
    "event": "Crises and events",
    "metric": "Dependencies",
    "quote": "Quotes",
    "text": "In the articles",
}
LIMIT = 60
#: The longest query the box takes: a paste of a whole article stops here (every word that can
#: rank a result is in the first few hundred characters; each key beyond costs nothing).
MAX_QUERY = 500


class QueryInput(Input):
    """The search box. A paste (bracketed, or a burst of keys the driver took in as pastes,
    one per read: csto_tui/driver.py) puts in as much as fits in MAX_QUERY characters, line
    ends, tabs and other control characters made spaces: the pieces of a long paste add up to
    the paste (Textual's Input would refuse a paste that does not fit whole, keep its first
    line only, and keep control characters).
    """

    def on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()  # not Input's own handling as well
        self.take_paste(event.text)

    def take_paste(self, pasted: str) -> None:
        start, end = sorted(self.selection)
        room = MAX_QUERY - (len(self.value) - (end - start))
        text = "".join(c if c.isprintable() else " " for c in pasted[:max(0, room)])
        if text:
            self.replace(text, start, end)


@dataclass(eq=False)
class SearchSession:
    """A search that went somewhere: its query, its ranked hits and the one shown now.
    ``n`` / ``N`` step through the hits on every screen reached from the search."""

    query: str
    hits: tuple[Hit, ...]
    pos: int = 0

    @property
    def hit(self) -> Hit:
        return self.hits[self.pos]

    def step(self, step: int) -> Hit:
        """Move to the next (``step`` 1) or previous (-1) hit, round the end; return it."""
        self.pos = (self.pos + step) % len(self.hits)
        return self.hit

    def status(self) -> str:
        """"result 3 of 12 for 'kazakstan'" (one line, the query cut to 24 characters)."""
        return f"result {self.pos + 1} of {len(self.hits)} for {said(self.query.strip(), 24)}"


def _marked(s: str, spans: tuple[tuple[int, int], ...], width: int, base: str = "") -> Text:
    """``s`` as Text (never markup) with ``spans`` in the style of matches (bold underline:
    reverse is the cursor's), cut to ``width``."""
    clean = one_line(s)
    text = Text(clean, style=base, no_wrap=True, overflow="ellipsis")
    if len(clean) == len(s):  # offsets still line up after making control characters visible
        for a, b in spans:
            if 0 <= a < b <= len(clean):
                text.stylize(MATCH_STYLE, a, b)
    # keep the first highlight in view on narrow screens
    if spans and len(clean) > width:
        first = min(a for a, _ in spans)
        if first > width // 2:
            cut = max(0, first - width // 3)
            text = Text("...", style=base) + text[cut:]
    text.truncate(width, overflow="ellipsis")
    return text


KIND_WIDTH = 9  # the kind column of a row ("relation "): a word and at least one blank


def hit_prompt(h: Hit, width: int) -> Text:
    """Two lines: the kind and the title, then the context, matches highlighted."""
    kind = Text(f"{KIND_WORDS.get(h.kind, h.kind):<{KIND_WIDTH - 1}} ", style="dim")
    title = _marked(h.title, h.title_highlights, width - KIND_WIDTH)
    out = kind + title
    if h.context and one_line(h.context) != one_line(h.title):
        ctx = _marked(h.context, h.highlights, width - KIND_WIDTH, base="dim")
        out += Text("\n" + " " * KIND_WIDTH) + ctx
    return out


class SearchScreen(ModalScreen[SearchSession | None]):
    """Incremental, ranked search; dismisses with a SearchSession or None."""

    CSS_PATH = "search_screen.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Back", id="search_cancel"),
        # not a priority binding: Enter must reach the box after the keys typed before it (a
        # burst of keys is queued on the box), so the box submits and the screen then chooses
        Binding("enter", "choose", "Go to", id="search_choose"),
        Binding("down", "move(1)", "Next", id="search_move_next", show=False, priority=True),
        Binding("up", "move(-1)", "Previous", id="search_move_previous", show=False, priority=True),
        Binding("pagedown", "move(8)", "Page down", id="search_page_down", show=False),
        Binding("pageup", "move(-8)", "Page up", id="search_page_up", show=False),
        Binding("ctrl+g", "toggle_group", "Group", id="search_group",
                tooltip="Group the ranked results by kind, or show them as one list"),
    ]

    #: Show the ranked list grouped by kind (each kind where its best result ranks).
    grouped = False

    def __init__(self, index: SearchIndex | None, query: str = "") -> None:
        super().__init__()
        self.index = index
        self.initial = query
        self.hits: list[Hit] = []
        self.query_text = ""
        #: Enter was pressed before the index arrived: go to the best hit once it is there
        self._choose_when_ready = False
        #: a search for what the box holds is scheduled (see _changed)
        self._search_due = False
        #: Up/Down pressed before the index arrived (steps, down positive): made once it is
        self._moves_due = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box"):
            yield QueryInput(value=self.initial[:MAX_QUERY], placeholder="Search states, "
                             "crises, figures, quotes, articles (typos welcome)",
                             id="search-input", max_length=MAX_QUERY)
            yield Static(id="search-count")
            yield CursorList(id="search-results", classes="-driven")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#search-results", OptionList).can_focus = False
        inp = self.query_one("#search-input", Input)
        inp.focus()
        if self.index is None:
            self.query_one("#search-count", Static).update(
                Text("The search index is still being built; results appear in a moment."))
        self.refresh_results(inp.value)

    def on_key(self, event: events.Key) -> None:
        """Letters typed right after `/`, before the box had focus, reach the screen itself:
        they belong in the box."""
        if event.is_printable and event.character:
            inp = self.query_one("#search-input", Input)
            inp.insert_text_at_cursor(event.character)
            inp.focus()
            event.stop()
            event.prevent_default()

    def on_paste(self, event: events.Paste) -> None:
        """A paste right after `/`, before the box had focus: it belongs in the box."""
        event.stop()
        inp = self.query_one("#search-input", QueryInput)
        inp.focus()
        inp.take_paste(event.text)

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_choose()

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        # A burst of keys (a paste, a fast typist over SSH) changes the box once per key: the
        # search runs once, after the burst, for what the box holds then (Enter catches up
        # at once: action_choose).
        if not self._search_due:
            self._search_due = True
            self.call_after_refresh(self._search_now)

    def _search_now(self) -> None:
        if keys_waiting(self.app):  # a burst still coming in, key by key: search after it
            self.set_timer(0.05, self._search_now)
            return
        self._search_due = False
        value = self.query_one("#search-input", Input).value
        if value != self.query_text:
            self.refresh_results(value)

    def set_index(self, index: SearchIndex) -> None:
        """The index arrived (it is built after the first paint): show results for what was
        typed meanwhile. Before the screen is composed, on_mount does it."""
        self.index = index
        inputs = self.query("#search-input").results(Input)
        inp = next(iter(inputs), None)
        if inp is not None:
            self.refresh_results(inp.value)
            moves, self._moves_due = self._moves_due, 0
            if moves:
                self.action_move(moves)
            if self._choose_when_ready:
                self.action_choose()

    def refresh_results(self, query: str) -> None:
        self.query_text = query
        results = self.query_one("#search-results", OptionList)
        count = self.query_one("#search-count", Static)
        results.clear_options()
        self.hits = []
        if self.index is None:
            return
        if not query.strip():
            count.update(Text("Type a name, alias, year, figure, phrase or question.",
                              style="dim"))
            return
        ranked = self.index.search(query, limit=LIMIT)
        self.hits = group_hits(ranked) if self.grouped else ranked
        width = max(20, (results.size.width or self.app.size.width) - 2 - GUTTER)
        options: list[Option] = []
        kind = None
        for i, h in enumerate(self.hits):
            if self.grouped and h.kind != kind:
                kind = h.kind
                n_kind = sum(1 for x in self.hits if x.kind == kind)
                label = Text(f"{KIND_LABELS.get(kind, kind)} ({n_kind})", style="bold underline")
                options.append(Option(label, id=f"group-{kind}", disabled=True))
            options.append(Option(hit_prompt(h, width), id=f"hit-{i}"))
        results.add_options(options)
        n = len(self.hits)
        if self.hits:
            results.highlighted = 1 if self.grouped else 0  # the first hit
            order = "grouped by kind" if self.grouped else "best first"
            count.update(Text(f"{plural(n, 'result')}, {order} - Enter goes "
                              "there, then n / N step through them", style="dim"))
        else:
            count.update(Text(f"No result for {said(query)}", style="dim"))

    def hit_index(self) -> int | None:
        """The position in :attr:`hits` of the highlighted result."""
        results = self.query_one("#search-results", OptionList)
        if results.highlighted is None:
            return None
        opt = results.get_option_at_index(results.highlighted)
        if opt.id and opt.id.startswith("hit-"):
            return int(opt.id[4:])
        return None

    def action_toggle_group(self) -> None:
        chosen = self.hit_index()
        hit = self.hits[chosen] if chosen is not None else None
        self.grouped = not self.grouped
        self.refresh_results(self.query_one("#search-input", Input).value)
        if hit is not None and hit in self.hits:  # keep the same result highlighted
            results = self.query_one("#search-results", OptionList)
            results.highlighted = results.get_option_index(f"hit-{self.hits.index(hit)}")

    def action_move(self, step: int) -> None:
        """Up/Down (a priority binding: the box keeps the focus). Keys typed ahead (over SSH,
        a burst) reach this before the results for the text typed before them: catch up with
        what the box holds first; before the index is built, the moves wait for it."""
        if self.index is None:
            self._moves_due += step
            return
        value = self.query_one("#search-input", Input).value
        if value != self.query_text:
            self.refresh_results(value)
        results = self.query_one("#search-results", OptionList)
        if not results.option_count:
            return
        cur = results.highlighted if results.highlighted is not None else 0
        nxt = cur
        for _ in range(abs(step)):
            probe = nxt + (1 if step > 0 else -1)
            while 0 <= probe < results.option_count and \
                    results.get_option_at_index(probe).disabled:
                probe += 1 if step > 0 else -1
            if not 0 <= probe < results.option_count:
                break
            nxt = probe
        results.highlighted = nxt

    def action_choose(self) -> None:
        # keys typed fast (or pasted) can reach Enter before the Input's Changed messages:
        # catch up with what the box holds now, so Enter goes to its best result
        value = self.query_one("#search-input", Input).value
        if self.index is None:  # right after start-up: as soon as the index is built
            self._choose_when_ready = True
            return
        if value != self.query_text:
            self.refresh_results(value)
        i = self.hit_index()
        if i is None:
            return
        self.dismiss(SearchSession(self.query_text, tuple(self.hits), i))

    def action_cancel(self) -> None:
        self.dismiss(None)
