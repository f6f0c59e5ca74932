"""The dashboard: four panes kept in sync, over the data the feed loads.

:class:`DashboardScreen` owns the panes, their keys and the selection, as reactive attributes
the panes follow: ``selected_state`` (the state under the cursor in pane 1),
``focused_record`` (the record whose quotes pane 4 shows) and ``all_events`` (pane 3 shows
every crisis). Pane 1's cursor is watched, so the other panes follow it at once, even while
keys are still queued. The data arrives as messages from the :class:`~csto_tui.feed.DataFeed`
it holds; the other screens are pushed from here, each handed the shared state it reads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from ..commands import ActionsProvider
from ..feed import DataFeed
from ..keys import DASHBOARD, PANES
from ..messages import DatasetLoaded, IndexReady, LoadFailed, LoadProgress, StatesKnown
from ..overwrite import OverwriteGuard
from ..shared import Shared
from ..textsafe import one_line
from ..widgets import EventsPane, ExcerptsPane, MetricsPane, StateList
from ..widgets.footer import KeysFooter
from ..widgets.pane import Pane
from ..widgets.title_bar import TitleBar
from . import authoring_hooks, copying
from .startup import StartUp

if TYPE_CHECKING:
    from textual.command import Provider

    from ..journal import Change
    from ..search import Hit
    from .search_screen import SearchSession
    from .source_view import SourceResult

MIN_WIDTH, MIN_HEIGHT = 80, 24
#: A pane out of focus keeps at least this many rows (borders included) when its content
#: needs them: four lines of it stay readable.
PANE_FLOOR = 6
#: Blank rows a pane may keep when its content shrinks, rather than the column being laid out
#: again on a cursor key (bytes over SSH).
SLACK = 2


def share(total: int, wants: list[int], order: list[int], floor: int = PANE_FLOOR,
          focused: int | None = None) -> list[int]:
    """Heights of panes stacked in ``total`` rows, space going where the content is.

    ``wants[i]`` is the height that shows all of pane i. Each pane first gets what it wants up
    to ``floor`` (a pane with one line of content gets three rows, not a third of the
    column); then each pane out of focus grows towards a fair share of the column (the
    ``focused`` pane counting twice), so that a tall column shows a crisis list whole; the
    rows left go to the panes in ``order`` (the focused pane first), each up to what it
    wants; rows nobody needs go to the bottom pane (the blank is then below everything).
    Never below three rows (a border and a line)."""
    n = len(wants)
    if n == 0:
        return []
    heights = [max(3, min(w, floor)) for w in wants]
    while sum(heights) > total and max(heights) > 3:
        heights[heights.index(max(heights))] -= 1
    fair = total // (n + (1 if focused is not None else 0))
    for i in range(n):
        if i != focused:
            heights[i] += max(0, min(total - sum(heights), min(wants[i], fair) - heights[i]))
    rest = total - sum(heights)
    for i in order:
        add = max(0, min(rest, wants[i] - heights[i]))
        heights[i] += add
        rest -= add
    if rest > 0:
        heights[n - 1] += rest
    return heights


def _records_provider() -> type[Provider]:
    """The record provider (same engine as `/`), imported only when the palette opens."""
    from ..record_commands import RecordsProvider

    return RecordsProvider


class DashboardScreen(Screen[None]):
    """Member states, their dependencies, their crises and the quotes behind each."""

    BINDINGS = [*DASHBOARD, *PANES]
    #: The palette's actions and records act on the dashboard: offered here only (opened on
    #: another screen, they would do nothing there).
    COMMANDS = Screen.COMMANDS | {ActionsProvider, _records_provider}
    #: With a pane maximised (z), the title bar and the key line stay.
    ALLOW_IN_MAXIMIZED_VIEW = "TitleBar, KeysFooter"

    #: The id of the state selected in the state list.
    selected_state: reactive[str | None] = reactive(None, init=False, repaint=False)
    #: The id of the record under the cursor of the focused pane (state, metric or event).
    focused_record: reactive[str | None] = reactive(None, init=False, repaint=False)
    #: True while the crises pane shows every event rather than the selected state's.
    all_events: reactive[bool] = reactive(False, init=False, repaint=False)

    def __init__(self, data: Shared, *, gc_held: bool = False) -> None:
        """``gc_held``: the cyclic garbage collector was disabled for the start-up; it is
        enabled again (with the start-up's objects frozen) after the first screen."""
        super().__init__()
        self.data = data
        #: The first screen shown, the collector released then (startup.py).
        self.startup = StartUp(gc_held)
        #: The last search that went somewhere, and the result shown: n / N step through it.
        self.last_search: SearchSession | None = None
        #: True while the panes are filled after a load (cursor moves then follow nothing).
        self.refilling = False
        #: The heights last given to the right column's panes (see :meth:`share_space`).
        self.heights: list[int] = []
        self.sharing = False
        #: `e` over an export holding something else asks for `e` again (no key loses data).
        self.overwrite = OverwriteGuard()
        self.focus_before_small: Pane | None = None  # focused again once not too small
        #: After a write (cite, uncited, undo, add source) the reload that follows is not
        #: announced (the write was), and an article just added opens once it is loaded.
        self.quiet_reload = False
        self.open_after_load: str | None = None

    @property
    def feed(self) -> DataFeed:
        return self.query_one(DataFeed)

    def compose(self) -> ComposeResult:
        yield DataFeed(self.data)
        yield TitleBar(id="title-bar")
        with Horizontal(id="main"):
            yield StateList(id="states")
            with Vertical(id="right"):
                yield MetricsPane(id="metrics")
                yield EventsPane(id="events")
                yield ExcerptsPane(id="excerpts")
        yield Static("", id="too-small")
        yield KeysFooter()

    def on_mount(self) -> None:
        states = self.query_one(StateList)
        self.watch(states, "highlighted", self.state_cursor_moved, init=False)
        for pane in (self.query_one(MetricsPane), self.query_one(EventsPane)):
            self.watch(pane, "highlighted", self.record_cursor_moved, init=False)
        self.app.sub_title = "Loading..."
        self.check_size(self.app.size.width, self.app.size.height)
        states.focus()
        self.feed.start()

    # ---- the data ---------------------------------------------------------------------------
    def on_states_known(self, message: StatesKnown) -> None:
        """The states of the dataset's last load, before it is loaded again: pane 1 lists
        them at once (the cursor moves, the other panes wait for the data)."""
        if self.data.dataset is not None:  # late: the load is over
            return
        self.query_one(StateList).show_known(message.entries)
        self.startup.first_screen_shown(self)

    def on_load_progress(self, message: LoadProgress) -> None:
        if self.data.dataset is not None or not self.feed.busy:  # late: the load is over
            return
        self.app.sub_title = " ".join(message.lines)
        states = self.query_one(StateList)
        if not states.entries:  # not over the states known from the last load
            states.show_message("\n".join(message.lines))

    def on_load_failed(self, message: LoadFailed) -> None:
        error = one_line(message.error.message)
        kept = " Showing the last good data." if self.data.dataset is not None else ""
        self.notify(error + kept, title="Dataset not loaded", severity="error", timeout=30,
                    markup=False)
        if self.data.dataset is None:
            self.app.sub_title = "dataset could not be loaded"
            for pane in self.panes():
                if isinstance(pane, StateList):
                    pane.show_message(Text("Could not load the dataset:\n" + error))
                else:
                    pane.show_message("-")
        self.call_after_refresh(self.startup.release_gc)

    def on_dataset_loaded(self, message: DatasetLoaded) -> None:
        self.update_sub_title()
        if message.first:
            self.startup.first_screen_shown(self)
        self.refill(keep_state=self.selected_state, keep_record=self.focused_record)
        self.call_after_refresh(self.startup.release_gc)
        authoring_hooks.after_load(self)
        if self.quiet_reload:
            self.quiet_reload = False
        elif not message.first:
            attention = self.data.attention()
            msg = "Dataset reloaded" + (f": {', '.join(attention)} (S)" if attention else "")
            self.notify(msg, severity="warning" if attention else "information",
                        timeout=6 if message.after_error else 4, markup=False)

    def on_index_ready(self, message: IndexReady) -> None:
        from .search_screen import SearchScreen

        if isinstance(self.app.screen, SearchScreen):
            self.app.screen.set_index(message.index)

    # ---- writes (cite, uncited, undo, add source: authoring_hooks.py) ----------------------
    def written(self, change: Change, open_source: str | None = None) -> None:
        """A write was made and announced: the data loaded again (then ``open_source``)."""
        authoring_hooks.written(self, change, open_source)

    def action_undo(self) -> None:
        """ctrl+z: undo the last write to the dataset."""
        authoring_hooks.undo(self)

    def action_add_source(self) -> None:
        """The palette's "Add source...": an article's form; it opens once loaded."""
        authoring_hooks.add_source(self)

    # ---- the title and the panes, filled from the data ------------------------------------
    def update_sub_title(self) -> None:
        ds = self.data.dataset
        if ds is None:
            return
        # what needs attention early: at 80 columns the end of the line is cut off
        alerts: list[str] = ["facts only (c)"] if self.data.facts_only else []
        attention = self.data.attention()
        if attention:
            alerts.append(", ".join(attention) + ": S")
        # where n / N are in the last search comes first: it is what the keys act on; then
        # what needs attention, before the dataset's title (at 80 columns, after a search,
        # the title line has room for little more than these)
        search = [self.last_search.status()] if self.last_search is not None else []
        parts = [*search, *alerts, one_line(ds.title, 40), f"{len(ds.states)} states",
                 f"{len(ds.events)} events", f"{len(ds.quotes)} quotes"]
        self.app.sub_title = " \u00b7 ".join(parts)

    def refill(self, keep_state: str | None, keep_record: str | None) -> None:
        """Fill every pane from the dataset just loaded, keeping the cursors where they were."""
        ds = self.data.dataset
        if ds is None:
            return
        states = self.query_one(StateList)
        if states.dataset is not None:
            self.fill_panes(keep_state, keep_record)
            return
        # The first dataset: the states first, painted at once; the other panes right after
        # (at 1000x the shipped data they take a second to fill). A state picked among those
        # known before the load stays picked.
        keep_state = states.record_id or keep_state
        self.refilling = True
        try:
            states.set_dataset(ds, keep_state)
        finally:
            self.refilling = False
        self.set_reactive(DashboardScreen.selected_state, states.record_id)
        self.call_after_refresh(self.fill_panes, None, None)

    def fill_panes(self, keep_state: str | None, keep_record: str | None) -> None:
        """Fill the panes from the dataset, keeping their cursors where they were."""
        ds = self.data.dataset
        if ds is None:
            return
        states = self.query_one(StateList)
        metrics = self.query_one(MetricsPane)
        events = self.query_one(EventsPane)
        excerpts = self.query_one(ExcerptsPane)
        keep_metric, keep_event, keep_quote = (metrics.record_id, events.record_id,
                                               excerpts.record_id)
        # each pane is filled once, below: the cursor moves that filling makes must not fill
        # the panes that follow it on their own
        self.refilling = True
        try:
            if states.dataset is not ds:
                states.set_dataset(ds, keep_state)
            sid = states.record_id
            metrics.show_state(ds, sid, keep=keep_metric)
            events.show_state(ds, sid, self.all_events, keep=keep_event)
        finally:
            self.refilling = False
        self.set_reactive(DashboardScreen.selected_state, sid)
        rec = keep_record if keep_record and ds.get(keep_record) is not None else None
        self.set_reactive(DashboardScreen.focused_record, rec or self.record_in_focus())
        excerpts.show_record(ds, self.focused_record, self.data.statuses, keep=keep_quote)
        self.share_space(force=False)

    # ---- the selection ----------------------------------------------------------------------
    def state_cursor_moved(self) -> None:
        if self.refilling:
            return
        sid = self.query_one(StateList).record_id
        if sid is not None and sid != self.selected_state:
            self.selected_state = sid

    def record_cursor_moved(self) -> None:
        if not self.refilling and isinstance(self.focused, (MetricsPane, EventsPane)):
            self.focused_record = self.record_in_focus()

    def watch_selected_state(self, sid: str | None) -> None:
        ds = self.data.dataset
        if ds is not None:
            self.query_one(MetricsPane).show_state(ds, sid)
            self.query_one(EventsPane).show_state(ds, sid, self.all_events)
        self.focused_record = self.record_in_focus()
        # the panes were filled just now: their heights follow in the same frame
        self.share_space(force=False)

    def watch_focused_record(self, rid: str | None) -> None:
        if self.data.dataset is not None:
            self.query_one(ExcerptsPane).show_record(self.data.dataset, rid, self.data.statuses)
            self.share_space(force=False)

    def watch_all_events(self, value: bool) -> None:
        ds = self.data.dataset
        if ds is None:
            return
        events = self.query_one(EventsPane)
        events.show_state(ds, self.selected_state, value, keep=events.record_id)
        self.focused_record = self.record_in_focus()
        self.share_space(force=False)

    def record_in_focus(self) -> str | None:
        focused = self.focused
        if isinstance(focused, (MetricsPane, EventsPane)):
            rid = focused.record_id
            if rid:
                return rid
        if isinstance(focused, ExcerptsPane):
            return self.focused_record or self.selected_state
        return self.selected_state

    def on_descendant_focus(self) -> None:
        self.focused_record = self.record_in_focus()
        self.share_space_soon()

    # ---- space ------------------------------------------------------------------------------
    def on_pane_measured(self, message: Pane.Measured) -> None:
        """A pane's content changed height: share the column now, before the next frame is
        drawn (after it, the new content would be painted twice: at the old heights, then
        at the new)."""
        message.stop()
        self.share_space(force=False)

    def share_space_soon(self) -> None:
        """Share the right column again once the pending changes (a focus change, a resize)
        are drawn; several at once share it once."""
        if not self.sharing:
            self.sharing = True
            self.call_after_refresh(self.shared_soon)

    def shared_soon(self) -> None:
        self.sharing = False
        self.share_space(force=True)

    def share_space(self, force: bool = True) -> None:
        """Give the right column's rows to its panes by what they show (see :func:`share`):
        the focused pane first, then the quotes; only heights that changed are set.
        ``force=False`` (the content changed): keep the heights while they suit it (see
        ``SLACK``), so a cursor key does not lay the column out again (bytes over SSH)."""
        right = self.query_one("#right")
        total = right.size.height
        if total <= 0 or self.maximized is not None:
            return
        panes = [self.query_one(MetricsPane), self.query_one(EventsPane),
                 self.query_one(ExcerptsPane)]
        wants = [p.wanted_height for p in panes]
        if not force and self.heights and sum(self.heights) == total and all(
                min(want, PANE_FLOOR) <= h <= want + SLACK or (i == len(panes) - 1 and h >= want)
                for i, (h, want) in enumerate(zip(self.heights, wants, strict=True))):
            # no pane is squeezed under what it needs, none shows more than SLACK blank rows:
            # the heights stay (a new layout repaints the whole column)
            return
        order = [2, 0, 1]
        at = panes.index(self.focused) if self.focused in panes else None
        if at is not None:
            order = [at, *[i for i in order if i != at]]
        heights = share(total, wants, order, focused=at)
        if heights != self.heights:
            self.heights = heights
            for pane, h in zip(panes, heights, strict=True):
                pane.styles.height = h
                # the virtual size for the new height now, not after the layout (which would
                # then be done, and the panes drawn, twice)
                pane.fit_virtual(h - pane.styles.gutter.height)

    def action_maximize_pane(self) -> None:
        """z: the focused pane fills the screen; z again (or Escape) restores the panes."""
        if self.maximized is not None:
            self.minimize()
        elif isinstance(self.focused, Pane):
            self.maximize(self.focused, container=False)

    def watch_maximized(self, old: Widget | None, new: Widget | None) -> None:
        """A maximised pane takes the whole screen; restored, the panes share it again."""
        if old is not None:
            old.styles.clear_rule("width")
            old.styles.clear_rule("height")
        if new is not None:
            new.styles.width = "1fr"
            new.styles.height = "1fr"
        else:
            self.heights = []
            self.share_space_soon()

    @on(StateList.OpenCrises)
    def open_crises(self) -> None:
        self.action_focus_pane(3)

    @on(MetricsPane.OpenSources)
    @on(EventsPane.OpenSources)
    def open_sources(self) -> None:
        rid = self.record_in_focus()
        self.action_focus_pane(4)
        self.focused_record = rid

    def go_to_record(self, record_id: str) -> None:
        """Select a record in the panes: its state in the list, the cursor on it.

        Works for states, metrics, events, quotes (the first record citing it), entities and
        conflicts (shown in the sources pane).
        """
        from .. import records

        ds = self.data.dataset
        if ds is None:
            return
        rec = ds.get(record_id)
        kind = records.kind_of(rec)
        if kind is None:
            loaded = self.data.loaded
            hidden = loaded is not None and loaded is not ds and loaded.get(record_id)
            self.notify(f"{record_id!r} is hidden by facts only: c shows claims too"
                        if hidden else f"No record {record_id!r} in the dataset",
                        severity="warning", markup=False)
            return
        if kind.name == "quote":  # the first record citing it, the quote under the cursor
            citers = ds.citers(record_id)
            if citers:
                self.go_to_record(citers[0])
            else:
                self.action_focus_pane(4)
            self.query_one(ExcerptsPane).highlight_id(record_id)
            return
        if kind.name == "conflict":  # the first record the sources differ on
            first = next(kind.references(rec, "*"), None)
            if first is not None:
                self.go_to_record(first)
            return
        states = [s for s in kind.references(rec, "state") if ds.state(s) is not None]
        if kind.name == "state":
            self.select_state(record_id)
            self.action_focus_pane(1)
        elif kind.name == "metric" and states:
            self.select_state(states[0])
            self.query_one(MetricsPane).highlight_id(record_id)
            self.action_focus_pane(2)
        elif kind.name == "event":
            self.select_event(record_id, states)
        else:  # a kind without a pane of its own: its quotes in the sources pane
            self.focused_record = record_id
            self.action_focus_pane(4)
            return
        self.focused_record = self.record_in_focus()

    def select_event(self, event_id: str, states: list[str]) -> None:
        """The event among its state's crises (the selected state's, if it is one of them),
        else among all crises."""
        target = self.selected_state if self.selected_state in states else None
        if target is None and states:
            target = states[0]
        if target is not None:
            self.select_state(target)
        elif not self.all_events:
            self.all_events = True
        events = self.query_one(EventsPane)
        if not events.highlight_id(event_id) and not self.all_events:
            self.all_events = True
            events.highlight_id(event_id)
        self.action_focus_pane(3)

    def select_state(self, sid: str) -> None:
        states = self.query_one(StateList)
        if not states.shows(sid):
            states.filter = "all"
        states.highlight_id(sid)
        if self.selected_state != sid:
            self.selected_state = sid

    # ---- size -------------------------------------------------------------------------------
    def on_resize(self, event: events.Resize) -> None:
        self.check_size(event.size.width, event.size.height)
        self.share_space_soon()

    def check_size(self, width: int, height: int) -> None:
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        was_small = self.has_class("-too-small")
        self.set_class(small, "-too-small")
        if small and not was_small and isinstance(self.focused, Pane):
            self.focus_before_small = self.focused  # hidden with the panes: Textual blurs it
        elif was_small and not small:
            self.call_after_refresh(self.focus_now, self.focus_before_small or self.panes()[0])
        if small:
            self.query_one("#too-small", Static).update(Text(
                f"csto-tui needs at least {MIN_WIDTH}x{MIN_HEIGHT}; "
                f"this terminal is {width}x{height}.\n\nEnlarge the window, or press q to quit.",
                justify="center"))

    # ---- panes ------------------------------------------------------------------------------
    def panes(self) -> list[Pane]:
        return list(self.query(".pane").results(Pane))

    def focus_now(self, pane: Pane) -> None:
        """Focus at once (not after queued keys), so "3jj" typed fast moves the crises; with
        a pane maximised, the newly focused pane is shown maximised instead."""
        self.set_focus(pane)
        if self.maximized is not None and self.maximized is not pane:
            self.maximize(pane, container=False)

    def action_focus_pane(self, number: int) -> None:
        self.focus_now(self.panes()[int(number) - 1])

    def cycle(self, step: int) -> None:
        panes = self.panes()
        focused = self.focused
        idx = panes.index(focused) if isinstance(focused, Pane) and focused in panes else -step
        self.focus_now(panes[(idx + step) % len(panes)])

    def action_focus_pane_next(self) -> None:
        self.cycle(1)

    def action_focus_pane_previous(self) -> None:
        self.cycle(-1)

    def action_back(self) -> None:
        """Escape: back to the state list (screens close themselves; never quits)."""
        states = self.query_one(StateList)
        if self.focused is not states:
            self.focus_now(states)

    def action_toggle_all_events(self) -> None:
        self.all_events = not self.all_events

    def action_reload(self) -> None:
        self.feed.reload()

    def action_toggle_facts_only(self) -> None:
        """c: every pane, the briefing and the export show facts only, or facts and claims."""
        data = self.data
        if data.loaded is None:
            return
        data.facts_only = not data.facts_only
        data.show()
        self.refill(keep_state=self.selected_state, keep_record=self.focused_record)
        self.update_sub_title()
        from ..facts import FACTS_ONLY_LEFT_OUT

        self.notify(f"Facts only: {FACTS_ONLY_LEFT_OUT} hidden"
                    if data.facts_only else "Facts and claims", timeout=3, markup=False)

    # ---- other screens ----------------------------------------------------------------------
    def action_search(self) -> None:
        self.open_search()

    def open_search(self, query: str = "") -> None:
        """Record search (`/`): the search screen over the search index.

        The screen shows "still being built" until the index arrives (see ``on_index_ready``).
        Choosing a hit goes to it (:meth:`go_to_hit`); Escape leaves the panes as they were.
        """
        from .search_screen import SearchScreen

        self.app.push_screen(SearchScreen(self.data.search_index, query),
                             callback=self.after_search)

    def after_search(self, session: SearchSession | None) -> None:
        """The search screen closed: go to the chosen result (Escape: stay where you were)."""
        if session is not None:
            self.follow_search(session)

    def follow_search(self, session: SearchSession) -> None:
        """Make ``session`` the search n / N step through, and show its current result (the
        search screen and the command palette both end here)."""
        self.last_search = session
        self.update_sub_title()
        self.go_to_hit(session.hit)

    def action_search_step(self, step: int) -> None:
        """n / N: the next or previous result of the last search, without reopening it."""
        session = self.last_search
        if session is None or not session.hits:
            self.notify("No search yet: press / to search", timeout=3)
            return
        session.step(step)
        self.update_sub_title()
        self.go_to_hit(session.hit)

    def go_to_hit(self, hit: Hit) -> None:
        """Show a search hit: a record in the panes, or a passage of an article (the article
        screen steps on through the search with n / N)."""
        if hit.kind == "text":
            if self.data.dataset is None or self.data.dataset.source(hit.source) is None:
                return
            from .source_view import SourceScreen

            at = (hit.start, hit.end) if hit.start is not None and hit.end is not None else None
            self.app.push_screen(SourceScreen(self.data, hit.source, None, at=at,
                                              search=self.last_search,
                                              on_written=self.written),
                                 callback=self.after_source)
            return
        self.go_to_record(hit.id)

    def focused_quote(self) -> str | None:
        """The quote under the cursor in the sources pane, else the focused record's first."""
        excerpts = self.query_one(ExcerptsPane)
        if self.focused is excerpts:
            return excerpts.quote_id
        return excerpts.quote_ids[0] if excerpts.quote_ids else excerpts.quote_id

    def action_open_source(self) -> None:
        ds = self.data.dataset
        qid = self.focused_quote()
        q = ds.quote(qid) if ds is not None and qid is not None else None
        if q is None:
            self.notify("No quote to open here", severity="warning")
            return
        from .source_view import SourceScreen

        # not the search's: o opens a view of the quote, whatever was searched before
        self.app.push_screen(SourceScreen(self.data, q.source, q.id, origin=self.focused_record,
                                          on_written=self.written),
                             callback=self.after_source)

    def after_source(self, result: SourceResult) -> None:
        """The article closed: go to the record chosen there, or on through the search."""
        from .source_view import SearchStep

        if isinstance(result, SearchStep):
            self.action_search_step(result.step)
        elif result:
            self.go_to_record(result)

    def action_coverage(self) -> None:
        """C: what is left to cite in the focused quote's article (else the first)."""
        authoring_hooks.coverage(self)

    def action_briefing(self) -> None:
        ids = self.query_one(StateList).state_ids
        if self.data.dataset is None or not ids:
            return
        sid = self.selected_state
        from .briefing_view import BriefingScreen

        self.app.push_screen(BriefingScreen(self.data, ids, ids.index(sid) if sid in ids else 0))

    def action_timeline(self) -> None:
        if self.data.dataset is None:
            return
        from .timeline_view import TimelineScreen

        self.app.push_screen(TimelineScreen(self.data, self.selected_state),
                             callback=self.after_source)

    def action_pivot(self) -> None:
        if self.data.dataset is None:
            return
        from .pivot_view import PivotScreen

        self.app.push_screen(PivotScreen(self.data), callback=self.after_source)

    def action_sync_anchors(self) -> None:
        """Re-anchor the quotes (csto-tui sync) from the dashboard, in a screen with progress."""
        from .sync_screen import SyncScreen

        self.app.push_screen(SyncScreen(self.data.path, on_written=self.feed.reload,
                                        data=self.data))

    def action_copy_quote(self) -> None:
        """y: the quote with its citation to the clipboard (copying.py)."""
        copying.copy_quote(self, self.data.dataset, self.focused_quote())

    def action_export(self) -> None:
        """e: the selected state's briefing, to its file (csto_tui/screens/exporting.py)."""
        from .exporting import export_briefing

        export_briefing(self, self.overwrite, self.data, self.selected_state)
