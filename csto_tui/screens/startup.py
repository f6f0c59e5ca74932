"""The end of the start-up, once the dashboard's first screen (pane 1 with its rows) is shown.

The cyclic garbage collector, disabled by ``csto-tui`` for the start-up (``gc_held``), is
enabled again with what the start-up made frozen out of its scans; and, for the benchmarks
(``benchmarks/screen_timing.py`` sets ``CSTO_TUI_BENCH_EXIT``), the time that first screen was
painted is written down and the app leaves.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App
    from textual.widget import Widget


class StartUp:
    """Whether the first screen was shown, and whether the collector is still held."""

    def __init__(self, gc_held: bool) -> None:
        self.gc_held = gc_held
        #: Pane 1 has shown rows (from the data, or known from the last load).
        self.first_shown = False

    def first_screen_shown(self, node: Widget) -> None:
        """Pane 1 has its rows: the first screen (benchmarks/screen_timing.py times it)."""
        if not self.first_shown:
            self.first_shown = True
            if os.environ.get("CSTO_TUI_BENCH_EXIT"):
                node.call_after_refresh(bench_exit, node.app)

    def release_gc(self) -> None:
        """After the first screen: the cyclic collector back on, what start-up made frozen
        out of its scans (see ``gc_held``)."""
        if self.gc_held:
            import gc

            self.gc_held = False
            gc.freeze()
            gc.enable()


def bench_exit(app: App[object]) -> None:
    """Benchmarks (benchmarks/screen_timing.py): note when the first screen with pane 1's
    rows was painted, then leave."""
    import time

    target = os.environ.get("CSTO_TUI_BENCH_EXIT", "")
    if target not in ("", "1"):
        Path(target).write_text(repr(time.time()), encoding="utf-8")
    app.exit()
