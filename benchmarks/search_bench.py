"""Per-keystroke latency of csto_tui.search at 1x, 10x, 100x (and 1000x with --full).

The dataset of scale N is benchmarks/corpus.py's (the one the other benchmarks use): 2N
article-like documents made of the seeds' sentences, with states, entities, metrics, events and
conflicts in the shipped proportions and ~50 anchored quotes per document, written to a
temporary folder and loaded. Everything is seeded, so a run is deterministic.

Then ~16 realistic queries are typed key by key ("k", "ka", "kaz", ...) and every keystroke is
timed: median, 95th percentile and worst case per scale. Also the build time and the index's own
memory (``idx MB``: SearchIndex.nbytes(); the JSON adds ``build_rss_mb``, the growth of resident
memory over the build, which can be less when freed memory is reused). Figures only, no
assertions.

    python benchmarks/search_bench.py           # 1x, 10x, 100x
    python benchmarks/search_bench.py --full    # and 1000x (~20 MB of text)
    python benchmarks/search_bench.py --scales 1 50 --json
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for _p in (str(ROOT), str(HERE)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

from csto_tui.dataset import Dataset  # noqa: E402
from csto_tui.search import SearchIndex  # noqa: E402

QUERIES: tuple[str, ...] = (
    "kazakhstan",
    "remittances",
    "rapid reaction",
    "2010",
    "lukashenka",
    "eurasian economic union",
    "26",
    "uzbekistan left",
    "csto intervention",
    "tadjikistan",
    "collective security treaty",
    "armenia azerbaijan",
    "2,500",
    "nagorno karabakh",
    "kyrgyztan",
    "peacekeepers in ukraine",
)

def make_dataset(scale: int, work: Path) -> Dataset:
    """The corpus of benchmarks/corpus.py at ``scale`` (the one definition of the benchmarks'
    data: 2N documents of the seeds' sentences with their records), written under ``work``
    (one file below 10x, a folder from 10x, as benchmarks/run.py does) and loaded as the
    dashboard loads it, with a cache of its own."""
    from corpus import generate

    from csto_tui.loader import load

    folder = work / f"x{scale}"
    layout = "folder" if scale >= 10 else "file"
    path = generate(scale, folder, layout=layout)
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(work / "cache")
    try:
        return load(path).dataset
    finally:
        if old is None:
            del os.environ["XDG_CACHE_HOME"]
        else:
            os.environ["XDG_CACHE_HOME"] = old


def keystrokes(queries: tuple[str, ...] = QUERIES) -> list[str]:
    return [q[:i] for q in queries for i in range(1, len(q) + 1)]


def _rss_mb() -> float:
    """Resident memory now (Linux), else 0."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * resource.getpagesize() / 1e6
    except (OSError, ValueError, IndexError):
        return 0.0


def _pct(xs: list[float], p: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def run(scale: int, work: Path, limit: int = 50, repeat: int = 1) -> dict[str, Any]:
    """Build the index for a dataset of ``scale`` and time every keystroke of QUERIES."""
    t0 = time.perf_counter()
    ds = make_dataset(scale, work)
    t_make = time.perf_counter() - t0
    rss0 = _rss_mb()
    t0 = time.perf_counter()
    index = SearchIndex.build(ds)
    t_build = time.perf_counter() - t0
    rss_build = _rss_mb() - rss0
    keys = keystrokes()
    index.search("warm up")
    times: list[float] = []
    slowest = ("", 0.0)
    for _ in range(repeat):
        for k in keys:
            t = time.perf_counter()
            index.search(k, limit=limit)
            dt = (time.perf_counter() - t) * 1000
            times.append(dt)
            if dt > slowest[1]:
                slowest = (k, dt)
    return {
        "scale": scale,
        "documents": len(ds.sources),
        "text_mb": round(sum(len(t) for t in ds.texts.values()) / 1e6, 2),
        "quotes": len(ds.quotes),
        "records": len(ds.states) + len(ds.entities) + len(ds.events) + len(ds.metrics),
        "tokens": len(index.tok_word),
        "vocabulary": len(index.words),
        "make_s": round(t_make, 2),  # generating the corpus and loading it
        "build_s": round(t_build, 3),
        "index_mb": round(index.nbytes() / 1e6, 1),
        "build_rss_mb": round(rss_build, 1),
        "keystrokes": len(times),
        "median_ms": round(statistics.median(times), 3),
        "p95_ms": round(_pct(times, 95), 3),
        "max_ms": round(max(times), 3),
        "slowest": slowest[0],
        "maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full", action="store_true", help="also run 1000x (~20 MB of text)")
    ap.add_argument("--scales", type=int, nargs="*", help="scales to run (default 1 10 100)")
    ap.add_argument("--repeat", type=int, default=1, help="type the query set this many times")
    ap.add_argument("--json", action="store_true", help="print one JSON object per scale")
    args = ap.parse_args(argv)
    scales = args.scales or ([1, 10, 100, 1000] if args.full else [1, 10, 100])
    if not args.json:
        print(f"{'scale':>6} {'docs':>6} {'MB':>6} {'quotes':>7} {'tokens':>9} {'vocab':>7} "
              f"{'build s':>8} {'idx MB':>7} {'keys':>5} {'median ms':>10} {'p95 ms':>8} "
              f"{'max ms':>8}  slowest key")
    with tempfile.TemporaryDirectory(prefix="csto-search-bench-") as tmp:
        for scale in scales:
            _row(run(scale, Path(tmp), repeat=args.repeat), args.json)
    return 0


def _row(r: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(r), flush=True)
        return
    print(f"{r['scale']:>6} {r['documents']:>6} {r['text_mb']:>6} {r['quotes']:>7} "
          f"{r['tokens']:>9} {r['vocabulary']:>7} {r['build_s']:>8} "
          f"{r['index_mb']:>7} {r['keystrokes']:>5} {r['median_ms']:>10} {r['p95_ms']:>8} "
          f"{r['max_ms']:>8}  {r['slowest']!r}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
