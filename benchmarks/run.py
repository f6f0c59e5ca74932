"""The performance benchmark: one table of figures at 1x, 10x, 100x (and 1000x) the shipped data.

    python benchmarks/run.py            # 1x, 10x, 100x
    python benchmarks/run.py --full     # and 1000x (2,000 documents, ~20 MB, ~100,000 quotes)
    python benchmarks/run.py --scales 1 100 --no-screen

For each scale it generates a deterministic synthetic corpus (benchmarks/corpus.py), then runs
every measurement in a fresh Python process, so that figures and peak memory are not polluted
by each other:

- load: parse + validate the dataset, its anchors and every source, cold (empty parse cache)
  and warm (the content-keyed cache of csto_tui.cache filled by the cold run);
- check: verifying every quote's anchor once loaded (the part of `csto-tui check` that grows
  with quotes), the whole `check` command warm (nothing changed since the last load), and
  right after an edit (the edit-then-check loop): the median of 10 edits, a record, a source
  entry and a conflict in turn, each in another data file of a folder dataset;
- peak memory: the largest resident set of the warm check process;
- sync: `csto-tui sync` after 10% of the sources were edited (a paragraph inserted at the top,
  so every quote in them moved);
- search: building the index once, then per-keystroke latency (median and 95th percentile) while
  typing a realistic query set key by key (benchmarks/search_bench.py's QUERIES);
- first screen: time until the dashboard has painted its panes with data, as a ratio against a
  bare Textual app (header, a list, footer) launched the same way in the same run (both in a
  pseudo-terminal, in turns, medians of 7; 15 for the shipped dataset), so that a noisy
  machine still gives a stable figure.

Figures only: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

PY = sys.executable

MEASURE = r"""
import gc, json, resource, sys, time, statistics
sys.path.insert(0, {root!r}); sys.path.insert(0, {here!r})
# the cyclic collector off while the dataset is loaded and checked, as the CLI and the app's
# start-up do at their own boundaries (cli.main; the loader itself never touches it)
gc.disable()
t0 = time.perf_counter()
c0 = time.process_time()
from csto_tui.loader import load
from csto_tui.checking import check
res = load({path!r})
t1 = time.perf_counter()
c1 = time.process_time()
rep = check(result=res)
t2 = time.perf_counter()
gc.freeze()  # as the dashboard does once a dataset is loaded
gc.enable()
out = {{"load": t1 - t0, "load_cpu": c1 - c0, "verify": t2 - t1, "ok": rep.ok,
       "quotes": len(res.dataset.quotes)}}
if {search!r}:
    from csto_tui.search import SearchIndex
    from search_bench import keystrokes
    t3 = time.perf_counter()
    gc.disable()  # as the dashboard does while it builds the index ...
    idx = SearchIndex.build(res.dataset)
    gc.freeze()  # ... and after
    gc.enable()
    out["index"] = time.perf_counter() - t3
    lat = []
    for q in keystrokes():
        s = time.perf_counter(); idx.search(q, limit=50); lat.append(time.perf_counter() - s)
    lat.sort()
    out["search_p50"] = statistics.median(lat)
    out["search_p95"] = lat[int(0.95 * (len(lat) - 1))]
# The peak of this process: /proc's VmHWM where there is one. (ru_maxrss keeps, across the
# exec that started this process, the peak of the process it was forked from: right after
# run.py generated a 1000x corpus in its own process, it read ~440 MiB here for ~260.)
try:
    with open("/proc/self/status", encoding="ascii") as fh:
        out["rss_mb"] = next(int(line.split()[1]) for line in fh
                             if line.startswith("VmHWM:")) / 1024
except (OSError, StopIteration):
    out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def measure(path: Path, cache: Path, search: bool) -> dict[str, float]:
    env = dict(os.environ, XDG_CACHE_HOME=str(cache))
    code = MEASURE.format(root=str(ROOT), here=str(HERE), path=str(path), search=search)
    r = subprocess.run([PY, "-c", code], capture_output=True, text=True, env=env, check=True)
    return json.loads(r.stdout.strip().splitlines()[-1])


def timed_cli(args: list[str], cache: Path) -> tuple[float, int, float]:
    """Run ``csto-tui args``: (elapsed seconds, exit code, CPU seconds: user + system)."""
    import resource

    env = dict(os.environ, XDG_CACHE_HOME=str(cache))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    r = subprocess.run([PY, "-m", "csto_tui", *args], capture_output=True, text=True, env=env,
                       cwd=ROOT)
    elapsed = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, r.returncode, cpu


def edit_tenth(folder: Path) -> int:
    docs = sorted((folder / "seeds").glob("*.txt"))
    edited = docs[:: 10]
    for d in edited:
        d.write_text("An editor's note was added to this article.\n\n"
                     + d.read_text(encoding="utf-8"), encoding="utf-8")
    return len(edited)


#: What an edit changes, in turn: a record, a source entry, a conflict (the key edited in the
#: first table of that kind in the file, written as a table or inline).
EDITS = ((("[[events]]", "events = ["), 'title = "'),
         (("[[sources]]", "sources = ["), 'title = "'),
         (("[[conflicts]]", "conflicts = ["), 'topic = "'))


def _table_at(text: str, tables: tuple[str, ...]) -> int:
    return min((text.index(t) for t in tables if t in text), default=-1)


def check_after_edit(path: Path, cache: Path, edits: int = 10) -> tuple[float, int, float]:
    """`csto-tui check` right after an edit (the file is put back afterwards): the analyst's
    edit-then-check loop. The median of ``edits`` edits, a record, a source entry and a
    conflict in turn, each in another data file when ``path`` is a folder; (seconds, the
    worst exit code, CPU seconds), medians."""
    import statistics

    from csto_tui.loader import data_files

    files = data_files(path)
    times, cpus, worst = [], [], 0
    for i in range(edits):
        f = files[(i * 7919) % len(files)] if path.is_dir() else path
        # the edit in turn; one whose kind no file holds (an older corpus without
        # conflicts, given with --keep) gives way to the next
        for edit in EDITS[i % len(EDITS):] + EDITS[:i % len(EDITS)]:
            tables = edit[0]
            original = f.read_bytes()
            text = original.decode("utf-8")
            if _table_at(text, tables) >= 0:
                break
            # not in this file: the first file that has one
            g = next((g for g in files if _table_at(g.read_text(encoding="utf-8"), tables) >= 0),
                     None)
            if g is not None:
                f = g
                original = f.read_bytes()
                text = original.decode("utf-8")
                break
        else:
            raise SystemExit(f"{path}: no record, source entry or conflict to edit")
        key = edit[1]
        at = text.index(key, _table_at(text, tables)) + len(key)
        f.write_bytes((text[:at] + f"Edited {i}: " + text[at:]).encode("utf-8"))
        try:
            seconds, rc, cpu = timed_cli(["check", "--data", str(path)], cache)
        finally:
            f.write_bytes(original)
        times.append(seconds)
        cpus.append(cpu)
        worst = max(worst, rc)
    return statistics.median(times), worst, statistics.median(cpus)


def first_screen(path: Path | None, cache: Path, runs: int = 7
                 ) -> tuple[float | None, float | None] | None:
    """(dashboard seconds, bare app seconds): medians of ``runs`` launches of each, taken in
    turns (bare, dashboard, bare, ...) so that both see the same moments of a noisy machine;
    None for a side whose launches mostly timed out (benchmarks/screen_timing.py). None if no
    pty is available."""
    try:
        import pty  # noqa: F401
    except ImportError:
        return None
    from screen_timing import time_app

    # As installed from a wheel: byte-compiled. (With PYTHONDONTWRITEBYTECODE set, as on some
    # machines, an edited checkout would otherwise compile its modules on every launch.)
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "csto_tui")], check=False,
                   capture_output=True)
    env = dict(os.environ, XDG_CACHE_HOME=str(cache))
    dash_args = ["-m", "csto_tui", *(["--data", str(path)] if path else [])]
    time_app(dash_args, env)  # a first launch fills the cache, as any earlier use would have
    dash: list[float | None] = []
    bare: list[float | None] = []
    for _ in range(runs):
        bare.append(time_app([str(HERE / "bare_app.py")], env))
        dash.append(time_app(dash_args, env))
    return _median(dash), _median(bare)


def _median(times: list[float | None]) -> float | None:
    """The median of launches, a timed-out one counting as the slowest; None if that is one."""
    import math
    import statistics

    m = statistics.median([math.inf if t is None else t for t in times])
    return None if math.isinf(m) else m


def _seconds(t: float | None) -> str:
    return "timeout" if t is None else f"{t:.2f}s"


def _ratio(screen: tuple[float | None, float | None] | None) -> str:
    if not screen or screen[0] is None or not screen[1]:
        return "-"
    return f"{screen[0] / screen[1]:.2f}"


def main() -> int:
    ap = argparse.ArgumentParser(description="csto-tui performance table")
    ap.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    ap.add_argument("--full", action="store_true", help="add 1000x")
    ap.add_argument("--no-screen", action="store_true", help="skip the first-screen timing")
    ap.add_argument("--screen-runs", type=int, default=7, metavar="N",
                    help="launches of each app per scale for the first screen (default 7; the "
                         "shipped dataset always 15)")
    ap.add_argument("--no-keys", action="store_true",
                    help="skip the bytes per key and slow-link columns (benchmarks/key_bytes.py)")
    ap.add_argument("--keep", type=Path, help="keep generated corpora in this folder")
    ap.add_argument("--folder-from", type=int, default=10, metavar="SCALE",
                    help="corpora of this scale and above are folders, one file per document "
                         "(default 10; smaller ones are one file, as the shipped data)")
    a = ap.parse_args()
    scales = a.scales + ([1000] if a.full and 1000 not in a.scales else [])
    from corpus import generate

    # Every command timed as installed from a wheel: byte-compiled (with PYTHONDONTWRITEBYTECODE
    # set, as on some machines, a checkout would otherwise compile its modules on every run)
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "csto_tui")], check=False,
                   capture_output=True)

    work = a.keep or Path(tempfile.mkdtemp(prefix="csto-bench-"))
    rows = []
    for scale in scales:
        folder = work / f"x{scale}"
        layout = "folder" if scale >= a.folder_from else "file"
        path = folder / "data" / ("csto.toml" if layout == "file" else "")
        if not path.exists() or (layout == "folder" and not any(path.glob("*.toml"))):
            path = generate(scale, folder, layout=layout)
        cache = Path(tempfile.mkdtemp(prefix="csto-cache-"))
        cold = measure(path, cache, search=False)
        warm = measure(path, cache, search=True)
        # the first check after the loads checks the whole dataset and keeps each file's
        # share; the next ones (nothing changed) take them: the median of three
        first_s, first_rc, _first_cpu = timed_cli(["check", "--data", str(path)], cache)
        again = sorted(timed_cli(["check", "--data", str(path)], cache) for _ in range(3))
        check_s, check_rc, check_cpu = again[1]
        check_rc = max(check_rc, first_rc)
        edited = folder.parent / f"x{scale}-edited"
        shutil.rmtree(edited, ignore_errors=True)
        shutil.copytree(folder, edited)
        n_edit = edit_tenth(edited)
        sync_s, sync_rc, _sync_cpu = timed_cli(
            ["sync", "--data", str(edited / path.relative_to(folder))], cache)
        screen = None if a.no_screen else first_screen(path, cache, runs=a.screen_runs)
        edit_s, edit_rc, edit_cpu = check_after_edit(path, cache)
        rows.append((scale, cold, warm, first_s, check_s, check_rc, sync_s, sync_rc, n_edit,
                     screen, edit_s, edit_rc, check_cpu, edit_cpu))
        print(f"x{scale} done", file=sys.stderr)
        shutil.rmtree(cache, ignore_errors=True)

    print()
    head = ("scale", "quotes", "load cold", "load warm", "verify", "check 1st", "check cmd",
            "check edit",
            "cpu warm", "cpu check", "cpu edit",
            "peak MB", "sync 10%", "index", "search p50", "search p95", "screen", "bare",
            "ratio")
    print(" | ".join(f"{h:>10}" for h in head))
    print("-" * (13 * len(head)))
    for (scale, cold, warm, first_s, check_s, check_rc, sync_s, sync_rc, _n_edit, screen,
         edit_s, edit_rc, check_cpu, edit_cpu) in rows:
        ratio = _ratio(screen)
        cells = [
            f"{scale}x" + (" dir" if scale >= a.folder_from else ""), f"{int(warm['quotes'])}",
            f"{cold['load']:.2f}s", f"{warm['load']:.2f}s",
            f"{warm['verify']:.2f}s", f"{first_s:.2f}s",
            f"{check_s:.2f}s" + ("" if check_rc == 0 else "!"),
            f"{edit_s:.2f}s" + ("" if edit_rc == 0 else "!"),
            f"{warm['load_cpu']:.2f}s", f"{check_cpu:.2f}s", f"{edit_cpu:.2f}s",
            f"{warm['rss_mb']:.0f}", f"{sync_s:.2f}s" + ("" if sync_rc == 0 else "!"),
            f"{warm['index']:.2f}s", f"{warm['search_p50'] * 1000:.1f}ms",
            f"{warm['search_p95'] * 1000:.1f}ms",
            _seconds(screen[0]) if screen else "-", _seconds(screen[1]) if screen else "-", ratio,
        ]
        print(" | ".join(f"{c:>10}" for c in cells))
    if not a.no_screen:
        cache = Path(tempfile.mkdtemp(prefix="csto-cache-"))
        shipped = first_screen(None, cache, runs=15)
        shutil.rmtree(cache, ignore_errors=True)
        if shipped:
            print(f"\nshipped dataset (data/csto.toml): first screen {_seconds(shipped[0])}, "
                  f"bare {_seconds(shipped[1])}, ratio {_ratio(shipped)} (medians of 15)")
    if not a.no_keys:
        import key_bytes

        print("\nBytes per key on the shipped dataset, beside a plain Textual app "
              "(benchmarks/key_bytes.py):")
        key_bytes.print_table(key_bytes.table([(80, 24), (200, 50)], None, link=True), link=True)
    print("\nThe cpu columns: CPU seconds (user + system) of the warm load, the check command and "
          "the check after an edit (medians), beside their elapsed times.")
    print(f"'!' marks a command that exited non-zero. Screen and bare times are medians of "
          f"{a.screen_runs} launches each, in turns, in a pty at 80x24.")
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
