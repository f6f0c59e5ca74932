"""The one place that loads, polls and indexes: a non-visual widget on the dashboard screen.

:class:`DataFeed` loads the dataset with :func:`csto_tui.loader.load` and
:func:`csto_tui.checking.check` (in a worker thread, or before the first paint when that is
quick), writes the outcome to :class:`~csto_tui.shared.Shared` and posts a typed message
(:mod:`csto_tui.messages`): ``DatasetLoaded`` or ``LoadFailed``, then ``IndexReady`` once the
search index is built, in slices between key presses. It polls the files the data came from
(stat only) and loads again when one changed and its save is finished.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from textual import work
from textual.widget import Widget

from .messages import DatasetLoaded, IndexReady, LoadFailed, LoadProgress, StatesKnown
from .reading import stat_of
from .shared import Shared
from .textsafe import one_line

if TYPE_CHECKING:
    from .checking import CheckReport
    from .dataset import Dataset
    from .errors import DatasetError
    from .search import SearchIndex

POLL_SECONDS = 1.0
#: A changed file is reloaded once it has been left alone this long (see wait_until_written).
SETTLE_SECONDS = 0.3
SETTLE_MAX_SECONDS = 3.0
#: A first load of a dataset file this big says what it is doing (loading, checking, listing).
PROGRESS_BYTES = 1_000_000
#: A dataset file smaller than this is loaded before the first paint rather than in a worker.
INLINE_LOAD_BYTES = 256 * 1024
#: ... and one smaller than this whose files are all in the cache (bigger ones show progress,
#: and the states their last load listed). From the cache a load and check take ~0.1 s per MB
#: of data files (100x the shipped data: 2.4 MB, 0.25 s): a first paint waiting for that was
#: 2.4x a bare app's at 100x, against 1.8x for 1000x listing its last states first.
INLINE_SNAPSHOT_BYTES = 1_000_000
#: Longest stretch (seconds) the search-index build runs before letting keys through.
INDEX_SLICE = 0.008
#: ...and how long it then leaves the event loop to everything else: handling a key takes many
#: loop turns, so merely yielding (sleep(0)) would let the build take a slice at each turn.
INDEX_PAUSE = 0.008

Stamps = dict[str, tuple[int, ...] | None]
T = TypeVar("T")

#: Format of the file of states known from the last load (see first_states_file).
FIRST_STATES_FORMAT = 1


def give_back_memory() -> None:
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


def stat_stamp(path: Path) -> tuple[int, ...] | None:
    """What a polled file's stat says (:func:`csto_tui.reading.stat_of`; None: not there)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return stat_of(st)


def stat_all(paths: list[Path]) -> Stamps:
    return {str(p): stat_stamp(p) for p in paths}


def first_states_file(path: Path) -> Path | None:
    """Where the states of a dataset's last load are kept for its next first screen: a small
    file in the cache folder (none with the cache off). Disposable, like the cache: it only
    lets pane 1 show before a big dataset is loaded again, and the load replaces what it
    shows."""
    import hashlib

    from .cache import cache_dir

    folder = cache_dir()
    if folder is None:
        return None
    name = hashlib.sha256(str(path.resolve()).encode("utf-8")).hexdigest()[:32]
    return folder / "first-states" / f"{name}.json"


def remember_states(path: Path, stamps: Stamps, ds: Dataset) -> None:
    """After a good load: its states in list order, with the stamps of the files it read."""
    import json

    from .atomic import atomic_write

    where = first_states_file(path)
    if where is None:
        return
    doc = {"format": FIRST_STATES_FORMAT, "stamps": stamps,
           "states": [[s.id, s.status, s.name] for s in ds.states_sorted()]}
    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(where, json.dumps(doc).encode("utf-8"), backup=False)
    except OSError:
        pass  # a read-only or full cache folder: the first screen waits for the load


def recall_states(path: Path, stamps: Stamps) -> list[tuple[str, str, str]] | None:
    """The states remembered for this dataset, if its files are as they were then."""
    import json

    where = first_states_file(path)
    try:
        doc = json.loads(where.read_bytes()) if where is not None else None
        if (not isinstance(doc, dict) or doc.get("format") != FIRST_STATES_FORMAT
                or doc.get("stamps") != {k: list(v) if v else v for k, v in stamps.items()}):
            return None
        return [(str(i), str(st), str(n)) for i, st, n in doc["states"]]
    except (OSError, ValueError, TypeError, KeyError):
        return None


class DataFeed(Widget):
    """Loads, polls and indexes the dataset of :attr:`data`; posts what happened."""

    DEFAULT_CSS = "DataFeed { display: none; }"

    def __init__(self, data: Shared) -> None:
        super().__init__()
        self.data = data
        #: True from the start of a load until its outcome is applied.
        self.busy = False
        self.reload_pending = False
        self.stamps: Stamps = {}

    def start(self) -> None:
        """The first load (before the first paint when it is quick), then poll."""
        self.busy = True
        if self.quick_to_load():
            # A small dataset (the shipped one takes ~15 ms), or a middling one in the cache
            # (100x the shipped data: ~0.2 s), loads before the first paint.
            self.apply(*self.load_outcome())
        else:
            from .loader import watched_files

            known = recall_states(self.data.path, stat_all(watched_files(self.data.path)))
            if known:
                self.post_message(StatesKnown(known))
            self.load_in_worker()
        self.set_interval(POLL_SECONDS, self.poll, name="poll")

    def quick_to_load(self) -> bool:
        from .loader import dataset_size, is_cached

        size = dataset_size(self.data.path)
        if not size:
            return False  # the worker says what is wrong with it
        if size < INLINE_LOAD_BYTES:
            return True
        return size < INLINE_SNAPSHOT_BYTES and is_cached(self.data.path)

    # ---- polling ----------------------------------------------------------------------------
    def watched_paths(self) -> list[Path]:
        from .loader import watched_files

        paths = watched_files(self.data.path)
        if self.data.dataset is not None:
            paths += [s.path for s in self.data.dataset.sources]
        return paths

    def poll(self) -> None:
        """Stat the dataset, its anchors and its sources; reload when one changed."""
        if self.busy:
            self.reload_pending = True
            return
        now = stat_all(self.watched_paths())
        if now != {k: self.stamps.get(k) for k in now}:
            self.stamps.update(now)
            self.busy = True
            self.load_in_worker()

    def reload(self, quiet: bool = False) -> None:
        """Load again now (``r``, or after the anchors were written; ``quiet``: after a write
        the screen has already announced)."""
        if self.busy:
            self.reload_pending = True
            return
        if not quiet:
            self.notify("Reloading the dataset...", timeout=2)
        self.busy = True
        self.load_in_worker()

    # ---- loading ----------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="load", description="load the dataset")
    def load_in_worker(self) -> None:
        """Load and check the dataset off the UI thread, then apply the outcome."""
        if self.data.dataset is not None and not self.wait_until_written():
            return  # the app is closing: neither wait nor load (its exit waits for this thread)
        outcome = self.unless_cancelled(self.load_outcome)
        if outcome is not None:
            self.app.call_from_thread(self.apply, *outcome)

    @staticmethod
    def unless_cancelled(job: Callable[[], T]) -> T | None:
        """From a worker: ``job()``, run in a daemon thread and waited for while the worker is
        not cancelled (None once it is). The app's exit waits for its workers' threads: a first
        load of 1000x the shipped data would keep a quit waiting for seconds; a daemon thread
        ends with the process (its writes are atomic: a cache entry half-written is a
        temporary file, never an entry)."""
        import threading

        from textual.worker import get_current_worker

        worker = get_current_worker()
        box: list[T] = []
        failed: list[BaseException] = []
        done = threading.Event()

        def run() -> None:
            try:
                box.append(job())
            except BaseException as exc:  # handed to the worker, which reports it
                failed.append(exc)
            finally:
                done.set()

        threading.Thread(target=run, name="csto-tui load", daemon=True).start()
        while not done.wait(0.05):
            if worker.is_cancelled:
                return None
        if failed:
            raise failed[0]
        return box[0] if box and not worker.is_cancelled else None

    def wait_until_written(self) -> bool:
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
        paths = watched_files(self.data.path)
        end = time.monotonic() + SETTLE_MAX_SECONDS
        while time.monotonic() < end:
            if worker.is_cancelled:
                return False
            # the last change of any: its mtime or its ctime (reading.stat_of's last two)
            newest = max((max(st[3:]) for st in stat_all(paths).values() if st), default=0)
            if time.time_ns() - newest >= SETTLE_SECONDS * 1e9:
                return True
            time.sleep(SETTLE_SECONDS / 3)
        return not worker.is_cancelled

    def load_outcome(self) -> tuple[CheckReport | DatasetError, Stamps]:
        """Load and check the dataset (from the load worker, or inline for a small one)."""
        import gc

        from .checking import check
        from .errors import DatasetError
        from .loader import dataset_size, load, watched_files

        path = self.data.path
        file_stamps = stat_all(watched_files(path))
        stamps = dict(file_stamps)
        size = dataset_size(path)
        progress = size >= PROGRESS_BYTES and self.data.dataset is None
        try:
            if progress:
                self.post_message(LoadProgress((f"Loading {one_line(path.name)}",
                                                f"({size / 1e6:.1f} MB)...")))
            res = load(path)
            stamps.update(stat_all([s.path for s in res.dataset.sources]))
            ds = res.dataset
            if progress:
                self.post_message(LoadProgress((f"Checking {len(ds.quotes):,} quotes",
                                                f"in {len(ds.sources):,} sources...")))
            rep = check(result=res)
            # the lookups the panes start with, built here (off the UI thread when loading in
            # the worker): at 1000x the shipped data they take most of a second
            ds.get("")
            ds.metrics_of("")
            ds.citers("")
            # the dataset lives until the next load: take its million objects (at 1000x) out
            # of the cyclic collector's scans, each of which would stall the UI for seconds
            gc.freeze()
            remember_states(path, file_stamps, ds)
            if progress:
                self.post_message(LoadProgress((f"Listing {len(ds.states):,} states,",
                                                f"{len(ds.events):,} events...")))
        except DatasetError as exc:
            return exc, stamps
        except Exception as exc:  # a bug or an unexpected file state: keep the app alive
            return DatasetError(f"{path}: could not load: {type(exc).__name__}: {exc}"), \
                stamps
        return rep, stamps

    def apply(self, outcome: CheckReport | DatasetError, stamps: Stamps) -> None:
        """Write a load's outcome to the shared state and say what happened."""
        from .checking import CheckReport

        data = self.data
        first = data.dataset is None
        if isinstance(outcome, CheckReport):
            after_error = data.load_error is not None
            if self.big(stamps):
                give_back_memory()  # the load's leftovers, before the panes and index grow
            data.show(outcome.dataset)
            data.report = outcome
            data.statuses = dict(outcome.quote_status)
            data.load_error = None
            data.version += 1
            self.stamps = {}
            self.finish(stamps)
            self.post_message(DatasetLoaded(outcome, first, after_error))
            # build the search index once the panes have been painted: started earlier, it
            # would compete with the first paint on big datasets
            self.call_after_refresh(self.build_index, outcome.dataset)
        else:
            data.load_error = outcome.message
            self.finish(stamps)
            self.post_message(LoadFailed(outcome, first))

    def finish(self, stamps: Stamps) -> None:
        self.stamps.update(stamps)
        self.busy = False
        if self.reload_pending:
            self.reload_pending = False
            self.poll()

    def big(self, stamps: Stamps) -> bool:
        """Whether the dataset file is big enough for its load to leave much memory behind."""
        from .loader import dataset_size

        return dataset_size(self.data.path) >= PROGRESS_BYTES

    # ---- the search index -------------------------------------------------------------------
    # an explicit description: by default textual builds one from repr() of the arguments,
    # and the repr of a dataset at 100x the shipped data takes a sixth of a second
    @work(exclusive=True, group="search-index", description="build the search index")
    async def build_index(self, ds: Dataset) -> None:
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
        index: SearchIndex
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
                    if ds is not self.data.loaded:  # a newer load replaced this dataset
                        return
                    deadline = time.perf_counter() + INDEX_SLICE
            gc.freeze()
        finally:
            if enabled:
                gc.enable()
        # (``loaded``, not ``dataset``: with facts only on, ``dataset`` is a filtered copy)
        if ds is not self.data.loaded:  # a newer load is under way; its own index follows
            return
        self.data.search_index = index
        if self.big(self.stamps):
            give_back_memory()
        self.post_message(IndexReady(index))
