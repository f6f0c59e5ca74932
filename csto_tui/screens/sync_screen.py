"""The ``S`` screen: re-anchor every quote from the dashboard, with progress, then write.

Runs the same :func:`csto_tui.syncing.plan` and :func:`~csto_tui.syncing.write` as
``csto-tui sync``, in a worker thread, so the screen keeps answering keys while 100,000 quotes
are located again. Nothing is written until the analyst has seen what would change and pressed
``w``; the write is atomic, keeps a ``.bak`` and is refused if the anchors file changed since it
was read. The dashboard reloads the data once the file is written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import ProgressBar, Static

from ..textsafe import one_line
from ..widgets.footer import KeysFooter

SHOWN_IDS = 12  # quote ids listed per status; the rest are counted


class _Closed(Exception):
    """The screen was closed while quotes were being located."""


class SyncScreen(ModalScreen[bool]):
    """Dismissed with True when the anchors file was written."""

    CSS_PATH = "screens.tcss"

    BINDINGS = [
        Binding("w", "write", "Write anchors", id="sync_write",
                tooltip="Write the re-anchored quotes to the anchors file (a .bak keeps the "
                        "old one)"),
        Binding("escape,q", "close", "Close", id="sync_close",
                tooltip="Leave the anchors file as it is (a running check goes on unseen)"),
    ]

    def __init__(self, path: Path, on_written: Callable[[], None] | None = None,
                 **kwargs: Any) -> None:
        """``on_written`` is called once the anchors file is written (the dashboard reloads)."""
        super().__init__(**kwargs)
        self.path = path
        self.on_written = on_written
        self.report: Any = None  # the SyncReport once planned
        self.state = "loading"  # loading -> planning -> planned -> writing -> written / failed
        self.written = False

    def compose(self) -> ComposeResult:
        with Vertical(id="sync-box"):
            yield Static(Text(" SYNC ANCHORS ", style="bold reverse"), id="sync-title")
            yield Static(Text(f"Loading {one_line(str(self.path))} ..."), id="sync-status")
            yield ProgressBar(total=None, show_eta=False, id="sync-progress")
            with VerticalScroll(id="sync-scroll"):
                yield Static(id="sync-summary")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.run_worker(self._plan, thread=True, exclusive=True, group="sync")

    # ---- worker (thread) ---------------------------------------------------------------
    def _plan(self) -> None:
        from textual.worker import get_current_worker

        from ..errors import CstoError
        from ..syncing import plan

        worker = get_current_worker()

        def progress(done: int, total: int) -> None:
            if worker.is_cancelled:  # the screen was closed: stop locating
                raise _Closed
            self.app.call_from_thread(self._progress, done, total)

        try:
            rep = plan(self.path, progress=progress)
        except _Closed:
            return
        except CstoError as exc:
            self._from_thread(worker, self._failed, exc.message)
            return
        except OSError as exc:
            self._from_thread(worker, self._failed, f"cannot read: {exc}")
            return
        except Exception as exc:  # a bug or an unexpected file state: keep the app alive
            self._from_thread(worker, self._failed,
                              f"could not sync: {type(exc).__name__}: {exc}")
            return
        self._from_thread(worker, self._planned, rep)

    def _from_thread(self, worker: Any, fn: Any, *args: Any) -> None:
        if not worker.is_cancelled:
            self.app.call_from_thread(fn, *args)

    def _write(self) -> None:
        from ..errors import CstoError
        from ..syncing import write

        try:
            write(self.report)
        except CstoError as exc:
            self.app.call_from_thread(self._failed, exc.message)
            return
        except OSError as exc:
            self.app.call_from_thread(self._failed, f"cannot write: {exc}")
            return
        except Exception as exc:  # as in _plan: the screen fails, the app stays
            self.app.call_from_thread(self._failed,
                                      f"could not write: {type(exc).__name__}: {exc}")
            return
        self.app.call_from_thread(self._wrote)

    # ---- UI thread ---------------------------------------------------------------------
    def _status(self, text: str | Text) -> None:
        if not self.is_attached:
            return
        self.query_one("#sync-status", Static).update(
            text if isinstance(text, Text) else Text(text))

    def _progress(self, done: int, total: int) -> None:
        if not self.is_attached:
            return
        self.state = "planning"
        bar = self.query_one(ProgressBar)
        bar.update(total=max(total, 1), progress=done)
        self._status(f"Locating every quote in its source: {done:,} / {total:,}")

    def _planned(self, rep: Any) -> None:
        from ..syncing import REVIEW_STATUSES

        self.report = rep
        self.state = "planned"
        if not self.is_attached:
            return
        bar = self.query_one(ProgressBar)
        bar.update(total=max(len(rep.statuses), 1), progress=max(len(rep.statuses), 1))
        t = Text()
        counts = [(s, len(rep.by_status(s))) for s in
                  ("exact", "moved", "normalized", "fuzzy", "ambiguous", "orphaned")]
        t.append(f"{len(rep.statuses):,} quotes: ", style="bold")
        t.append(", ".join(f"{n:,} {s}" for s, n in counts if n) or "none")
        t.append("\n")
        for s, label in (("moved", "moved (re-anchored)"),
                         ("normalized", "normalized (re-anchored)")):
            self._ids(t, label, rep.by_status(s))
        for s in REVIEW_STATUSES:
            self._ids(t, f"{s} (needs review: anchor kept)", rep.by_status(s))
        if rep.skipped:
            self._ids(t, "skipped (source unreadable)", rep.skipped)
        if rep.dropped:
            self._ids(t, "stale anchors to remove", rep.dropped)
        errors = rep.result.errors
        if errors:
            t.append(f"\n{len(errors)} problem{'s' if len(errors) != 1 else ''} in the "
                     "dataset (csto-tui check lists them)\n", style="bold")
        self.query_one("#sync-summary", Static).update(t)
        n = len(rep.changed) + len(rep.dropped)
        if n:
            self._status(Text.assemble(
                (f"{n:,} anchor{'s' if n != 1 else ''} would change. ", "bold"),
                "w writes the anchors file (a .bak keeps the old one); Escape leaves it."))
        else:
            self._status(Text("Nothing to write: every anchor is current. Escape closes.",
                              style="bold"))
        self.refresh_bindings()

    @staticmethod
    def _ids(t: Text, label: str, ids: list[str]) -> None:
        if not ids:
            return
        t.append(f"\n{label}: ", style="bold")
        t.append(", ".join(one_line(i) for i in ids[:SHOWN_IDS]))
        if len(ids) > SHOWN_IDS:
            t.append(f" ... and {len(ids) - SHOWN_IDS:,} more")
        t.append("\n")

    def _wrote(self) -> None:
        self.state = "written"
        self.written = True
        rep = self.report
        msg = f"Wrote {one_line(str(rep.written))}" if rep.written else "Nothing was written"
        if rep.backup:
            msg += f" (backup: {one_line(str(rep.backup))})"
        self._status(Text(msg + ". The dashboard reloads. Escape closes.", style="bold"))
        self.refresh_bindings()
        if self.on_written is not None:
            self.on_written()

    def _failed(self, message: str) -> None:
        self.state = "failed"
        self._status(Text(one_line(message), style="bold"))
        self.refresh_bindings()

    # ---- actions -------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "write":
            rep = self.report
            return (self.state == "planned" and rep is not None
                    and bool(rep.changed or rep.dropped))
        return True

    def action_write(self) -> None:
        if not self.check_action("write", ()):
            return
        self.state = "writing"
        self._status("Writing the anchors file ...")
        self.refresh_bindings()
        self.run_worker(self._write, thread=True, exclusive=True, group="sync")

    def action_close(self) -> None:
        if self.state == "writing":
            self.notify("Writing the anchors file: a moment.", timeout=2)
            return
        self.dismiss(self.written)
