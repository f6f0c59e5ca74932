"""The `/` search: one box over states, entities, events, metrics, quotes and the articles.

Results follow every key typed, grouped by kind, with the matching words highlighted and a
context line. Up/Down move through the results without leaving the box; Enter goes to the
highlighted result; Escape restores where you were. The engine (csto_tui.search) is built once
by the app, off the keystroke path; this screen only asks it.
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

from ..search import Hit, SearchIndex, group_hits
from ..textsafe import one_line
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


@dataclass(frozen=True)
class SearchOutcome:
    """What the search screen hands back: the query, its ranked hits, the chosen one."""

    query: str
    hits: tuple[Hit, ...]
    index: int

    @property
    def hit(self) -> Hit:
        return self.hits[self.index]


def _marked(s: str, spans: tuple[tuple[int, int], ...], width: int, base: str = "") -> Text:
    """``s`` as Text (never markup) with ``spans`` in reverse+bold, cut to ``width``."""
    clean = one_line(s)
    text = Text(clean, style=base, no_wrap=True, overflow="ellipsis")
    if len(clean) == len(s):  # offsets still line up after making control characters visible
        for a, b in spans:
            if 0 <= a < b <= len(clean):
                text.stylize("bold reverse", a, b)
    # keep the first highlight in view on narrow screens
    if spans and len(clean) > width:
        first = min(a for a, _ in spans)
        if first > width // 2:
            cut = max(0, first - width // 3)
            text = Text("...", style=base) + text[cut:]
    text.truncate(width, overflow="ellipsis")
    return text


def hit_prompt(h: Hit, width: int) -> Text:
    title = _marked(h.title, tuple(getattr(h, "title_highlights", ()) or ()), width - 2)
    ctx = _marked(h.context, tuple(h.highlights), width - 4, base="dim") if h.context else None
    out = Text("  ") + title
    if ctx is not None and one_line(h.context) != one_line(h.title):
        out += Text("\n    ") + ctx
    return out


class SearchScreen(ModalScreen[SearchOutcome | None]):
    """Incremental, ranked search; dismisses with a SearchOutcome or None."""

    CSS_PATH = "search_screen.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Back", id="search_cancel"),
        # not a priority binding: Enter must reach the box after the keys typed before it (a
        # burst of keys is queued on the box), so the box submits and the screen then chooses
        Binding("enter", "choose", "Go to", id="search_choose"),
        Binding("down", "move(1)", "Next", id="search_next", show=False, priority=True),
        Binding("up", "move(-1)", "Previous", id="search_previous", show=False, priority=True),
        Binding("pagedown", "move(8)", "Page down", id="search_page_down", show=False),
        Binding("pageup", "move(-8)", "Page up", id="search_page_up", show=False),
    ]

    def __init__(self, index: SearchIndex | None, query: str = "") -> None:
        super().__init__()
        self.index = index
        self.initial = query
        self.hits: list[Hit] = []
        self.query_text = ""
        #: Enter was pressed before the index arrived: go to the best hit once it is there
        self._choose_when_ready = False

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box"):
            yield Input(value=self.initial, placeholder="Search states, crises, figures, "
                        "quotes, articles (typos and spun names welcome)", id="search-input")
            yield Static(id="search-count")
            yield OptionList(id="search-results")
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

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_choose()

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        self.refresh_results(event.value)

    def set_index(self, index: SearchIndex) -> None:
        """The index arrived (it is built after the first paint): show results for what was
        typed meanwhile. Before the screen is composed, on_mount does it."""
        self.index = index
        inputs = self.query("#search-input").results(Input)
        inp = next(iter(inputs), None)
        if inp is not None:
            self.refresh_results(inp.value)
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
            count.update(Text("Type a name, alias, year, figure or phrase.", style="dim"))
            return
        self.hits = group_hits(self.index.search(query, limit=LIMIT))
        width = max(20, (results.size.width or self.app.size.width) - 4)
        options: list[Option] = []
        kind = None
        n = 0
        for i, h in enumerate(self.hits):
            if h.kind != kind:
                kind = h.kind
                n_kind = sum(1 for x in self.hits if x.kind == kind)
                label = Text(f"{KIND_LABELS.get(kind, kind)} ({n_kind})", style="bold underline")
                options.append(Option(label, id=f"group-{kind}", disabled=True))
            options.append(Option(hit_prompt(h, width), id=f"hit-{i}"))
            n += 1
        results.add_options(options)
        if self.hits:
            results.highlighted = 1  # the first hit, under its group header
            count.update(Text(f"{n} result{'s' if n != 1 else ''} - Enter goes there, "
                              "n / N step through them later", style="dim"))
        else:
            count.update(Text(f"No result for {one_line(query)!r}", style="dim"))

    def _hit_index(self) -> int | None:
        results = self.query_one("#search-results", OptionList)
        if results.highlighted is None:
            return None
        opt = results.get_option_at_index(results.highlighted)
        if opt.id and opt.id.startswith("hit-"):
            return int(opt.id[4:])
        return None

    def action_move(self, step: int) -> None:
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
        i = self._hit_index()
        if i is None:
            return
        self.dismiss(SearchOutcome(self.query_text, tuple(self.hits), i))

    def action_cancel(self) -> None:
        self.dismiss(None)
