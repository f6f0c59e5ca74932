"""The cite form's record filter, per key, on a big dataset (1000x: benchmarks/corpus.py).

    python benchmarks/cite_filter.py /tmp/csto-1000x/data ["state afghanistan 1004"]

Opens the cite form (attach to a record) on the loaded dataset (once its search index is
built: building it competes for the CPU), types the query one key at a
time, then three backspaces, and prints how long opening the form took, each key from the
press until the app is idle again (Pilot's press + pause: an upper bound of what a user
waits), and the filter's own share. Figures are noisy on a loaded machine: say so.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from csto_tui.app import CstoApp  # noqa: E402
from csto_tui.screens.cite_form import CiteScreen  # noqa: E402


async def run(data: Path, query: str) -> None:
    from textual.widgets import OptionList

    app = CstoApp(data)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(3000):
            await pilot.pause(0.2)
            if app.data.loaded is not None:
                break
        for _ in range(3000):  # the search index is built after the load: let it finish
            await app.workers.wait_for_complete()
            if app.data.search_index is not None:
                break
            await pilot.pause(0.2)
        ds = app.data.loaded
        assert ds is not None, "the dataset did not load"
        form = CiteScreen(data, ds, ds.sources[0].id, 0, 20)
        t0 = time.perf_counter()
        app.push_screen(form)
        await pilot.pause()
        print(f"open the form: {time.perf_counter() - t0:.3f} s "
              f"({len(form.record_choices):,} records)")
        calls: list[float] = []
        fill = form.fill_records

        def timed(*args: Any, **kwargs: Any) -> None:
            t = time.perf_counter()
            fill(*args, **kwargs)
            calls.append(time.perf_counter() - t)

        form.fill_records = timed  # type: ignore[method-assign]
        per_key = []
        for key in [("space" if ch == " " else ch) for ch in query] + ["backspace"] * 3:
            t = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            per_key.append(time.perf_counter() - t)
        shown = form.query_one("#cite-records", OptionList).option_count
        print(f"records listed at the end: {shown}")
        print("per key, ms:", " ".join(f"{x * 1000:.0f}" for x in per_key))
        print(f"per key: median {statistics.median(per_key) * 1000:.0f} ms, "
              f"max {max(per_key) * 1000:.0f} ms")
        print("the filter's share, ms:", " ".join(f"{x * 1000:.0f}" for x in calls))


if __name__ == "__main__":
    asyncio.run(run(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2
                    else "state afghanistan 1004"))
