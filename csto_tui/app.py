"""The dashboard: four synced panes over the dataset, keyboard only.

A thin layer over the core: it loads with :func:`csto_tui.loader.load` and
:func:`csto_tui.checking.check` in a worker thread, fills the panes, keeps the selection in
reactive attributes (``selected_state``, ``focused_record``) and polls the files it was built
from (stat only) to reload when they change.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import OptionList, Static

from .commands import ActionsProvider
from .keys import GLOBAL, PANES
from .widgets import EventsPane, ExcerptsPane, MetricsPane, StateList
from .widgets.footer import KeysFooter
from .widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from textual.command import Provider
    from textual.screen import Screen

    from .checking import CheckReport
    from .errors import DatasetError
    from .model import Dataset
    from .search import Hit, SearchIndex

MIN_WIDTH, MIN_HEIGHT = 80, 24
POLL_SECONDS = 1.0
#: A changed file is reloaded once it has been left alone this long (see _wait_until_written).
SETTLE_SECONDS = 0.3
SETTLE_MAX_SECONDS = 3.0
#: A first load of a dataset file this big says what it is doing (loading, checking, listing).
PROGRESS_BYTES = 1_000_000
#: A dataset file smaller than this is loaded before the first paint rather than in a worker.
INLINE_LOAD_BYTES = 256 * 1024
#: ... and one smaller than this whose snapshot is in the cache (bigger ones show progress).
INLINE_SNAPSHOT_BYTES = 16_000_000
#: Longest stretch (seconds) the search-index build runs before letting keys through.
INDEX_SLICE = 0.008
#: ...and how long it then leaves the event loop to everything else: handling a key takes many
#: loop turns, so merely yielding (sleep(0)) would let the build take a slice at each turn.
INDEX_PAUSE = 0.008
PANE_IDS = ("states", "metrics", "events", "excerpts")

Stamps = dict[str, tuple[int, int] | None]


def _give_back_memory() -> None:
    """Return the C heap's free pages to the system (glibc's ``malloc_trim``; elsewhere
    nothing). A big load leaves tens of MB of freed, still resident memory behind, much of it
    in the load worker's own heap arena, which the UI thread never reuses: at 1000x the
    shipped data, 27 MB after the load and 11 MB after the search index is built."""
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (musl, say): nothing to do
        pass


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


class LoadProgress(Message):
    """From the load worker: what a first load of a big dataset is doing."""

    def __init__(self, lines: tuple[str, ...]) -> None:
        super().__init__()
        self.lines = lines


def _records_provider() -> type[Provider]:
    """The record provider (same engine as `/`), imported only when the palette opens."""
    from .record_commands import RecordsProvider

    return RecordsProvider


class CstoApp(App[None]):
    """csto-tui: member states, their dependence on Russia and the CSTO's crisis record."""

    TITLE = "csto-tui"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {ActionsProvider, _records_provider}
    BINDINGS = [*GLOBAL, *PANES]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    #: The id of the state selected in the state list.
    selected_state: reactive[str | None] = reactive(None, init=False)
    #: The id of the record under the cursor of the focused pane (state, metric or event).
    focused_record: reactive[str | None] = reactive(None, init=False)
    #: True while the crises pane shows every event rather than the selected state's.
    all_events: reactive[bool] = reactive(False, init=False)
    #: Bumped after every successful (re)load, for screens that want to follow the data.
    data_version: reactive[int] = reactive(0, init=False)

    def __init__(self, path: Path | str | None = None, *, gc_held: bool = False) -> None:
        """``gc_held``: the caller disabled the cyclic garbage collector for the start-up; the
        app enables it again (with the start-up's objects frozen) after its first screen."""
        super().__init__()
        self._gc_held = gc_held
        from .loader import default_dataset_path

        self.path = Path(path) if path else default_dataset_path()
        self.dataset: Dataset | None = None
        self.report: CheckReport | None = None
        #: quote id -> "exact" / "moved" / "fuzzy" / "orphaned" / ...
        self.statuses: dict[str, str] = {}
        self.load_error: str | None = None
        #: The search engine over the current dataset (built off the UI thread after a load).
        self.search_index: SearchIndex | None = None
        #: The last search that went somewhere, for n / N.
        self.last_search: object | None = None
        self._search_pos = 0
        self._stamps: Stamps = {}
        self._loading = False
        self._reload_pending = False
        #: True while _refill fills the panes (cursor moves then follow nothing)
        self._refilling = False

    #: Actions that only make sense on the dashboard itself, not over another screen.
    _DASHBOARD_ONLY = frozenset({
        "search", "briefing", "timeline", "open_source", "copy_quote", "export",
        "toggle_all_events", "reload", "focus_pane", "focus_pane_next", "focus_pane_previous",
        "back", "search_step", "sync_anchors",
    })

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self._DASHBOARD_ONLY and len(self.screen_stack) > 1:
            return False
        return True

    @property
    def quote_status(self) -> dict[str, str]:
        """Alias of :attr:`statuses` (quote id -> "exact", "fuzzy", ...), for the screens."""
        return self.statuses

    # ---- layout ---------------------------------------------------------------------------
    def get_default_screen(self) -> Screen:
        """The dashboard's screen, already with the width class (``-narrow``/``-wide``) that
        the first resize would give it: the first styling of the panes is then the right one,
        not redone for every widget a moment later."""
        from textual.screen import Screen

        screen = Screen(id="_default")
        width = self.size.width
        classes = [name for least, name in self.HORIZONTAL_BREAKPOINTS if width >= least]
        if classes:
            screen.add_class(classes[-1], update=False)
        return screen

    def compose(self) -> ComposeResult:
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
        for pane in self._panes():
            pane.on_cursor = self._cursor_moved  # type: ignore[attr-defined]
        self.sub_title = "Loading..."
        self._check_size(self.size.width, self.size.height)
        self.query_one(StateList).focus()
        if self._quick_to_load():
            # A small dataset (the shipped one takes ~15 ms), or a middling one with a
            # snapshot (100x the shipped data: ~0.2 s), loads before the first paint: the
            # first screen already shows the data, with no "Loading..." screen painted and
            # replaced.
            self._loading = True
            self._apply_load(*self._load_outcome())
        else:
            self.load_data()
        self.set_interval(POLL_SECONDS, self.poll_files, name="poll")

    # ---- loading --------------------------------------------------------------------------
    def _quick_to_load(self) -> bool:
        from .loader import dataset_size, is_cached

        size = dataset_size(self.path)
        if not size:
            return False  # the worker says what is wrong with it
        if size < INLINE_LOAD_BYTES:
            return True
        return size < INLINE_SNAPSHOT_BYTES and is_cached(self.path)

    def _watched_paths(self) -> list[Path]:
        from .loader import watched_files

        paths = watched_files(self.path)
        if self.dataset is not None:
            paths += [s.path for s in self.dataset.sources]
        return paths

    def _stat_all(self, paths: list[Path]) -> Stamps:
        return {str(p): _stat(p) for p in paths}

    @work(thread=True, exclusive=True, group="load", description="load the dataset")
    def load_data(self) -> None:
        """Load and check the dataset off the UI thread, then show it."""
        self._loading = True
        if self.dataset is not None and not self._wait_until_written():
            return  # the app is closing: neither wait nor load (its exit waits for this thread)
        self.call_from_thread(self._apply_load, *self._load_outcome())

    def _wait_until_written(self) -> bool:
        """From the load worker, before a reload: wait while the dataset or anchors file is
        still being written. An editor saving a 47 MB dataset writes for a tenth of a second;
        read halfway (empty, say), it would load as a dataset with no records and flash an
        empty dashboard until the next poll. A file counts as written once it has not changed
        for SETTLE_SECONDS (at most SETTLE_MAX_SECONDS in all: a file time in the future).
        False if the worker was cancelled meanwhile (the app is closing)."""
        import time

        from textual.worker import get_current_worker

        from .loader import watched_files

        worker = get_current_worker()
        paths = watched_files(self.path)
        end = time.monotonic() + SETTLE_MAX_SECONDS
        while time.monotonic() < end:
            if worker.is_cancelled:
                return False
            newest = max((st[0] for st in self._stat_all(paths).values() if st), default=0)
            if time.time_ns() - newest >= SETTLE_SECONDS * 1e9:
                return True
            time.sleep(SETTLE_SECONDS / 3)
        return not worker.is_cancelled

    def _apply_load(self, outcome: CheckReport | DatasetError, stamps: Stamps) -> None:
        from .checking import CheckReport

        if isinstance(outcome, CheckReport):
            self._loaded(outcome, stamps)
        else:
            self._load_failed(outcome, stamps)

    def _load_outcome(self) -> tuple[CheckReport | DatasetError, Stamps]:
        """Load and check the dataset (from the load worker, or inline for a small one)."""
        import gc

        from .checking import check
        from .errors import DatasetError
        from .loader import dataset_size, load, watched_files

        stamps = self._stat_all(watched_files(self.path))
        size = dataset_size(self.path)
        progress = size >= PROGRESS_BYTES and self.dataset is None
        try:
            if progress:
                self._progress(f"Loading {self.path.name}", f"({size / 1e6:.1f} MB)...")
            res = load(self.path)
            stamps.update(self._stat_all([s.path for s in res.dataset.sources]))
            if progress:
                ds = res.dataset
                self._progress(f"Checking {len(ds.quotes):,} quotes",
                               f"in {len(ds.sources):,} sources...")
            rep = check(result=res)
            # the dataset lives until the next load: take its million objects (at 1000x) out
            # of the cyclic collector's scans, each of which would stall the UI for seconds
            gc.freeze()
            if progress:
                self._progress(f"Listing {len(ds.states):,} states,",
                               f"{len(ds.events):,} events...")
        except DatasetError as exc:
            return exc, stamps
        except Exception as exc:  # a bug or an unexpected file state: keep the app alive
            return DatasetError(f"{self.path}: could not load: {type(exc).__name__}: {exc}"), \
                stamps
        return rep, stamps

    def _progress(self, *lines: str) -> None:
        """From the load worker: say what a first load of a big dataset is doing. A message,
        not call_from_thread: the worker goes on loading instead of waiting for a repaint."""
        self.post_message(LoadProgress(lines))

    def on_load_progress(self, message: LoadProgress) -> None:
        self._show_progress(message.lines)

    def _show_progress(self, lines: tuple[str, ...]) -> None:
        if self.dataset is not None or not self._loading:  # late: the load is over
            return
        self.sub_title = " ".join(lines)
        self.query_one(StateList).show_message("\n".join(lines))

    def _finish_loading(self, stamps: Stamps) -> None:
        self._stamps.update(stamps)
        self._loading = False
        if self._reload_pending:
            self._reload_pending = False
            self.poll_files()

    def _load_failed(self, exc: DatasetError, stamps: Stamps) -> None:
        from .textsafe import one_line

        self.load_error = exc.message
        self._finish_loading(stamps)
        self.call_after_refresh(self._release_gc)
        kept = " Showing the last good data." if self.dataset is not None else ""
        self.notify(one_line(exc.message) + kept, title="Dataset not loaded",
                    severity="error", timeout=30, markup=False)
        if self.dataset is None:
            self.sub_title = "dataset could not be loaded"
            for pane in self.query(".pane").results(OptionList):
                if isinstance(pane, StateList):
                    pane.show_message(Text("Could not load the dataset:\n" +
                                           one_line(exc.message)))
                else:
                    pane.show_message("-")

    def _loaded(self, rep: CheckReport, stamps: Stamps) -> None:
        first = self.dataset is None
        was_error = self.load_error is not None
        if self._big(stamps):
            _give_back_memory()  # the load's leftovers, before the panes and the index grow
        self.dataset = rep.dataset
        self.report = rep
        self.statuses = dict(rep.quote_status)
        self.load_error = None
        self._stamps = {}
        self._finish_loading(stamps)
        self._update_sub_title()
        self._refill(keep_state=self.selected_state, keep_record=self.focused_record)
        self.data_version += 1
        self.call_after_refresh(self._release_gc)
        # build the search index once the panes have been painted: a thread started earlier
        # would compete (GIL) with the first paint on big datasets
        self.call_after_refresh(self._build_search_index, rep.dataset)
        if first and os.environ.get("CSTO_TUI_BENCH_EXIT"):
            self.call_after_refresh(self._bench_exit)
        if not first:
            review = self._review_count()
            msg = "Dataset reloaded" + (f": {review} quotes need review" if review else "")
            self.notify(msg, severity="warning" if review else "information",
                        timeout=4 if not was_error else 6, markup=False)

    def _big(self, stamps: Stamps) -> bool:
        """Whether the dataset file is big enough for its load to leave much memory behind."""
        from .loader import dataset_size

        return dataset_size(self.path) >= PROGRESS_BYTES

    def _release_gc(self) -> None:
        """After the first screen: the cyclic collector back on, what start-up made frozen
        out of its scans (see ``gc_held``)."""
        if self._gc_held:
            import gc

            self._gc_held = False
            gc.freeze()
            gc.enable()

    def _bench_exit(self) -> None:
        """Benchmarks (benchmarks/screen_timing.py): note when the first full screen with data
        was painted, then leave."""
        import time

        target = os.environ.get("CSTO_TUI_BENCH_EXIT", "")
        if target not in ("", "1"):
            Path(target).write_text(repr(time.time()), encoding="utf-8")
        self.exit()

    # an explicit description: by default textual builds one from repr() of the arguments,
    # and the repr of a dataset at 100x the shipped data takes a sixth of a second
    @work(exclusive=True, group="search-index", description="build the search index")
    async def _build_search_index(self, ds: Dataset) -> None:
        """Build the search index on the UI thread in slices of a few milliseconds, between
        key presses. (A thread would compete for the GIL: at 1000x the shipped data a key
        took seconds while it ran.)"""
        import asyncio
        import gc
        import time

        from .search import SearchIndex

        # The build allocates millions of long-lived objects: left on, the cyclic collector
        # would run ever-longer full collections over them. Off during the build, then the
        # index is frozen out of its scans, as the dataset is.
        enabled = gc.isenabled()
        gc.disable()
        try:
            steps = SearchIndex.build_steps(ds)
            deadline = time.perf_counter() + INDEX_SLICE
            while True:
                try:
                    next(steps)
                except StopIteration as done:
                    index = done.value
                    break
                if time.perf_counter() >= deadline:
                    await asyncio.sleep(INDEX_PAUSE)  # let pending keys and repaints through
                    if ds is not self.dataset:  # a newer load replaced this dataset
                        return
                    deadline = time.perf_counter() + INDEX_SLICE
            gc.freeze()
        finally:
            if enabled:
                gc.enable()
        self._index_ready(ds, index)

    def _index_ready(self, ds: Dataset, index: SearchIndex) -> None:
        if ds is not self.dataset:  # a newer load is under way; its own index follows
            return
        self.search_index = index
        if self._big(self._stamps):
            _give_back_memory()
        set_index = getattr(self.screen, "set_index", None)
        if callable(set_index):
            set_index(index)

    def _review_count(self) -> int:
        return sum(1 for s in self.statuses.values() if s != "exact")

    def _update_sub_title(self) -> None:
        ds = self.dataset
        if ds is None:
            return
        from .textsafe import one_line

        # what needs attention first: at 80 columns the end of the line is cut off
        alerts: list[str] = []
        review = self._review_count()
        if review:
            alerts.append(f"{review} {'quote needs' if review == 1 else 'quotes need'} review")
        if self.report is not None:
            errors = len([p for p in self.report.problems
                          if p.severity == "error" and p.code not in
                          ("moved", "normalized", "fuzzy", "orphaned", "ambiguous",
                           "unanchored")])
            if errors:
                alerts.append(f"{errors} problem{'s' if errors != 1 else ''}: csto-tui check")
        parts = [one_line(ds.title, 40), *alerts, f"{len(ds.states)} states",
                 f"{len(ds.events)} events", f"{len(ds.quotes)} quotes"]
        self.sub_title = " \u00b7 ".join(parts)

    def _refill(self, keep_state: str | None, keep_record: str | None) -> None:
        ds = self.dataset
        if ds is None:
            return
        states = self.query_one(StateList)
        metrics = self.query_one(MetricsPane)
        events = self.query_one(EventsPane)
        excerpts = self.query_one(ExcerptsPane)
        keep_metric = metrics.record_id
        keep_event = events.record_id
        keep_quote = excerpts.record_id
        # each pane is filled once, below: the cursor moves that filling makes must not fill
        # the panes that follow it on their own (through _cursor_moved and the watchers)
        self._refilling = True
        try:
            states.set_dataset(ds, keep_state)
            sid = states.record_id
            self._show_state(sid, keep_metric=keep_metric, keep_event=keep_event)
        finally:
            self._refilling = False
        self.set_reactive(CstoApp.selected_state, sid)
        rec = keep_record if keep_record and ds.get(keep_record) is not None else None
        self.set_reactive(CstoApp.focused_record, rec or self._record_in_focus())
        excerpts.show_record(ds, self.focused_record, self.statuses, keep=keep_quote)

    # ---- polling --------------------------------------------------------------------------
    def poll_files(self) -> None:
        """Stat the dataset, its anchors and its sources; reload when one changed."""
        if self._loading:
            self._reload_pending = True
            return
        now = self._stat_all(self._watched_paths())
        if now != {k: self._stamps.get(k) for k in now}:
            self._stamps.update(now)
            self._loading = True
            self.load_data()

    def action_reload(self) -> None:
        if self._loading:
            self._reload_pending = True
            return
        self.notify("Reloading the dataset...", timeout=2)
        self._loading = True
        self.load_data()

    # ---- selection sync -------------------------------------------------------------------
    def _show_state(self, sid: str | None, keep_metric: str | None = None,
                    keep_event: str | None = None) -> None:
        ds = self.dataset
        if ds is None:
            return
        self.query_one(MetricsPane).show_state(ds, sid, keep=keep_metric)
        self.query_one(EventsPane).show_state(ds, sid, self.all_events, keep=keep_event)

    def _record_in_focus(self) -> str | None:
        focused = self.focused
        if isinstance(focused, (MetricsPane, EventsPane)):
            rid = focused.record_id
            if rid:
                return rid
        if isinstance(focused, ExcerptsPane):
            return self.focused_record or self.selected_state
        return self.selected_state

    def sync_selection(self) -> None:
        """Catch up with cursor moves whose messages are still queued (fast typing)."""
        if self.dataset is None:
            return
        sid = self.query_one(StateList).record_id
        if sid is not None and sid != self.selected_state:
            self.selected_state = sid
        self._sync_focus_record()

    def _sync_focus_record(self) -> None:
        self.focused_record = self._record_in_focus()

    def watch_selected_state(self, sid: str | None) -> None:
        self._show_state(sid)
        self._sync_focus_record()

    def watch_focused_record(self, rid: str | None) -> None:
        if self.dataset is not None:
            self.query_one(ExcerptsPane).show_record(self.dataset, rid, self.statuses)

    def watch_all_events(self, value: bool) -> None:
        ds = self.dataset
        if ds is None:
            return
        events = self.query_one(EventsPane)
        events.show_state(ds, self.selected_state, value, keep=events.record_id)
        self._sync_focus_record()

    def _cursor_moved(self, pane: OptionList) -> None:
        """A pane's cursor moved (called synchronously by the pane)."""
        if self._refilling:  # _refill fills the other panes itself, once
            return
        if isinstance(pane, StateList):
            sid = pane.record_id
            if sid is not None and sid != self.selected_state:
                self.selected_state = sid
        elif isinstance(pane, (MetricsPane, EventsPane)) and self.focused is pane:
            self._sync_focus_record()

    def on_descendant_focus(self) -> None:
        if not self.screen_stack:  # shutting down: focus events may still arrive
            return
        self._sync_focus_record()

    @on(StateList.OpenCrises)
    def _open_crises(self) -> None:
        self.action_focus_pane(3)

    @on(MetricsPane.OpenSources)
    @on(EventsPane.OpenSources)
    def _open_sources(self) -> None:
        rid = self._record_in_focus()
        self.action_focus_pane(4)
        self.focused_record = rid

    def go_to_record(self, record_id: str) -> None:
        """Select a record in the panes: its state in the list, the cursor on it.

        Works for states, metrics, events, quotes (the first record citing it), entities and
        conflicts (shown in the sources pane).
        """
        from .model import Conflict, Event, Metric, Quote, State

        ds = self.dataset
        if ds is None:
            return
        rec = ds.get(record_id)
        if isinstance(rec, Quote):
            citers = ds.citers(rec.id)
            if citers:
                self.go_to_record(citers[0])
            else:
                self.action_focus_pane(4)
            excerpts = self.query_one(ExcerptsPane)
            excerpts.highlight_id(rec.id)
            return
        if isinstance(rec, Conflict):
            if rec.records:
                self.go_to_record(rec.records[0])
            return
        states = self.query_one(StateList)
        if isinstance(rec, State):
            self._select_state(rec.id)
            self.action_focus_pane(1)
        elif isinstance(rec, Metric):
            self._select_state(rec.state)
            self.query_one(MetricsPane).highlight_id(rec.id)
            self.action_focus_pane(2)
        elif isinstance(rec, Event):
            target = self.selected_state if self.selected_state in rec.states else None
            if target is None:
                target = next((s for s in rec.states if ds.state(s) is not None), None)
            if target is not None:
                self._select_state(target)
            elif not self.all_events:
                self.all_events = True
            events = self.query_one(EventsPane)
            if not events.highlight_id(rec.id) and not self.all_events:
                self.all_events = True
                events.highlight_id(rec.id)
            self.action_focus_pane(3)
        elif rec is not None:
            self.focused_record = record_id
            self.action_focus_pane(4)
            return
        else:
            self.notify(f"No record {record_id!r} in the dataset", severity="warning",
                        markup=False)
            return
        del states
        self.focused_record = self._record_in_focus()

    def _select_state(self, sid: str) -> None:
        states = self.query_one(StateList)
        if not states.shows(sid):
            states.filter = "all"
        states.highlight_id(sid)
        if self.selected_state != sid:
            self.selected_state = sid

    # ---- size -----------------------------------------------------------------------------
    def on_resize(self, event: events.Resize) -> None:
        self._check_size(event.size.width, event.size.height)

    def _check_size(self, width: int, height: int) -> None:
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        self.screen.set_class(small, "-too-small")
        if small:
            self.query_one("#too-small", Static).update(Text(
                f"csto-tui needs at least {MIN_WIDTH}x{MIN_HEIGHT}; "
                f"this terminal is {width}x{height}.\n\nEnlarge the window, or press q to quit.",
                justify="center"))

    # ---- pane focus -----------------------------------------------------------------------
    def _panes(self) -> list[OptionList]:
        return [self.query_one(f"#{i}", OptionList) for i in PANE_IDS]

    def _focus_now(self, pane: OptionList) -> None:
        """Focus at once (not after queued keys), so "3jj" typed fast moves the crises."""
        if pane.screen is self.screen:
            self.screen.set_focus(pane)
        else:
            pane.focus()

    def action_focus_pane(self, number: int) -> None:
        self._focus_now(self._panes()[int(number) - 1])

    def _cycle(self, step: int) -> None:
        panes = self._panes()
        focused = self.focused
        idx = panes.index(focused) if focused in panes else -step
        self._focus_now(panes[(idx + step) % len(panes)])

    def action_focus_pane_next(self) -> None:
        self._cycle(1)

    def action_focus_pane_previous(self) -> None:
        self._cycle(-1)

    def action_back(self) -> None:
        """Escape: back to the state list (screens close themselves; never quits)."""
        states = self.query_one(StateList)
        if self.focused is not states:
            self._focus_now(states)

    def action_toggle_all_events(self) -> None:
        self.all_events = not self.all_events

    # ---- other screens --------------------------------------------------------------------
    def action_help(self) -> None:
        from .screens.help_screen import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_search(self) -> None:
        self.open_search()

    def open_search(self, query: str = "") -> None:
        """Record search (`/`): the search screen over :attr:`search_index`.

        The screen shows "still being built" until the index arrives (see ``_index_ready``).
        Choosing a hit goes to it (:meth:`go_to_hit`); Escape leaves the panes as they were.
        """
        from .screens.search_screen import SearchScreen

        self.push_screen(SearchScreen(self.search_index, query), callback=self._after_search)

    def _after_search(self, outcome: object) -> None:
        hit = getattr(outcome, "hit", None)
        if hit is not None:
            self.last_search = outcome
            self._search_pos = int(getattr(outcome, "index", 0))
            self.go_to_hit(hit)

    def action_search_step(self, step: int) -> None:
        """n / N: the next or previous result of the last search, without reopening it."""
        hits = tuple(getattr(self.last_search, "hits", ()) or ())
        if not hits:
            self.notify("No search yet: press / to search", timeout=3)
            return
        self._search_pos = (self._search_pos + int(step)) % len(hits)
        hit = hits[self._search_pos]
        self.notify(f"Result {self._search_pos + 1}/{len(hits)}", timeout=2)
        self.go_to_hit(hit)

    def go_to_hit(self, hit: Hit) -> None:
        """Show a search hit: a record in the panes, or a passage of an article."""
        if hit.kind == "text":
            if self.dataset is None or self.dataset.source(hit.source) is None:
                return
            from .screens.source_view import SourceScreen

            at = (hit.start, hit.end) if hit.start is not None and hit.end is not None else None
            self.push_screen(SourceScreen(hit.source, None, at=at), callback=self._after_source)
            return
        self.go_to_record(hit.id)

    def focused_quote(self) -> str | None:
        """The quote under the cursor in the sources pane, else the focused record's first."""
        excerpts = self.query_one(ExcerptsPane)
        if self.focused is excerpts:
            return excerpts.quote_id
        return excerpts.quote_ids[0] if excerpts.quote_ids else excerpts.quote_id

    def action_open_source(self) -> None:
        self.sync_selection()
        ds = self.dataset
        qid = self.focused_quote()
        if ds is None or qid is None:
            self.notify("No quote to open here", severity="warning")
            return
        q = ds.quote(qid)
        if q is None:
            return
        from .screens.source_view import SourceScreen

        self.push_screen(SourceScreen(q.source, qid, origin=self.focused_record),
                         callback=self._after_source)

    def _after_source(self, result: object) -> None:
        if isinstance(result, str) and result:
            self.go_to_record(result)

    def action_briefing(self) -> None:
        self.sync_selection()
        if self.dataset is None:
            return
        states = self.query_one(StateList)
        ids = states.state_ids
        if not ids:
            return
        sid = self.selected_state
        index = ids.index(sid) if sid in ids else 0
        from .screens.briefing_view import BriefingScreen

        self.push_screen(BriefingScreen(ids, index), callback=self._after_source)

    def action_timeline(self) -> None:
        self.sync_selection()
        if self.dataset is None:
            return
        from .screens.timeline_view import TimelineScreen

        self.push_screen(TimelineScreen(), callback=self._after_source)

    def action_sync_anchors(self) -> None:
        """Re-anchor the quotes (csto-tui sync) from the dashboard, in a screen with progress."""
        from .screens.sync_screen import SyncScreen

        self.push_screen(SyncScreen(self.path))

    def action_copy_quote(self) -> None:
        self.sync_selection()
        ds = self.dataset
        qid = self.focused_quote()
        if ds is None or qid is None:
            self.notify("No quote to copy here", severity="warning")
            return
        from .widgets.render import citation

        text = citation(ds, qid)
        self.copy_to_clipboard(text)
        self.notify(text, title="Copied to the clipboard", timeout=6, markup=False)

    def action_export(self) -> None:
        self.sync_selection()
        ds = self.dataset
        sid = self.selected_state
        if ds is None or sid is None:
            self.notify("No state selected to export", severity="warning")
            return
        self._export(ds, sid, dict(self.statuses))

    @work(thread=True, group="export", description="export a briefing")
    def _export(self, ds: Dataset, sid: str, statuses: dict[str, str]) -> None:
        from .atomic import atomic_write
        from .errors import CstoError
        from .export import markdown

        folder = Path(os.environ.get("CSTO_TUI_EXPORT_DIR") or os.getcwd())
        path = (folder / f"csto-briefing-{sid}.md").absolute()
        try:
            text = markdown(ds, [sid], statuses)
            atomic_write(path, text.encode("utf-8"), backup=False)
        except (OSError, CstoError) as exc:
            msg = getattr(exc, "message", None) or str(exc)
            self.call_from_thread(self.notify, f"Export failed: {msg}", severity="error",
                                  timeout=15, markup=False)
            return
        self.call_from_thread(self.notify, str(path), title="Briefing exported",
                              timeout=8, markup=False)


def run(path: Path | str | None = None) -> None:
    CstoApp(path).run()


__all__ = ["Binding", "CstoApp", "run"]
