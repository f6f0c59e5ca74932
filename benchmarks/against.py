"""The benchmark table of this checkout beside another's, run in turns: medians and ratios.

    git worktree add /tmp/ref df33ea8~1      # e.g. the code before issue #8
    python benchmarks/against.py /tmp/ref --scales 1 100 --runs 3

Each run is one ``benchmarks/run.py`` of each checkout (the other's own run.py, on its own
corpora, with the same interpreter), taken in turns (theirs, ours, theirs, ...) so that both see
the same moments of a noisy machine; the table gives each column's median over the runs and our
median as a ratio of theirs. Columns only one of the two has are shown with "-" for the other,
except that an older table's "check cmd" (a check right after the loads: the whole check) is set
beside our "check 1st" (the same moment) as well as our "check cmd" (the next checks).

Figures only: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: the columns compared, in this order (the first-screen ones are run.py's own ratio)
COLUMNS = ("load warm", "check 1st", "check cmd", "check edit", "peak MB", "sync 10%", "index",
           "search p50", "search p95")


def table(out: str) -> dict[str, dict[str, str]]:
    """run.py's printed table: by scale ("1x", "100x"), the cells by column name."""
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("scale |"))
    head = [h.strip() for h in lines[at].split("|")]
    rows: dict[str, dict[str, str]] = {}
    for line in lines[at + 2:]:
        if "|" not in line:
            break
        cells = [c.strip() for c in line.split("|")]
        rows[cells[0].split()[0]] = dict(zip(head, cells, strict=False))
    return rows


def number(cell: str | None) -> float | None:
    m = re.match(r"[0-9.]+", cell or "")
    return float(m.group()) if m else None


def run(root: Path, args: list[str], keep: Path) -> dict[str, dict[str, str]]:
    """One run.py of the checkout at ``root`` (options it does not know are left out)."""
    known = subprocess.run([sys.executable, "benchmarks/run.py", "--help"], cwd=root,
                           capture_output=True, text=True).stdout
    cmd = [sys.executable, "benchmarks/run.py", "--no-screen", "--keep", str(keep), *args]
    if "--no-keys" in known:
        cmd.insert(3, "--no-keys")
    r = subprocess.run(cmd, cwd=root, capture_output=True, text=True)
    if r.returncode:
        raise SystemExit(f"{root}: run.py failed:\n{r.stderr[-2000:]}")
    return table(r.stdout)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("ref", type=Path, help="the other checkout (a git worktree)")
    ap.add_argument("--scales", nargs="+", default=["1", "100"])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", type=Path, default=Path("/tmp/csto-against"),
                    help="where each checkout's corpora are kept between runs")
    a = ap.parse_args()
    sides = {"theirs": a.ref.resolve(), "ours": HERE.parent}
    got: dict[str, list[dict[str, dict[str, str]]]] = {s: [] for s in sides}
    for n in range(a.runs):
        for side, root in sides.items():
            got[side].append(run(root, ["--scales", *a.scales], a.keep / side))
            print(f"run {n + 1}/{a.runs}: {side} done", file=sys.stderr)
    for scale in got["ours"][0]:
        print(f"\n{scale}: column | theirs | ours | ours/theirs (medians of {a.runs}; each run's)")
        for col in COLUMNS:
            med: dict[str, float | None] = {}
            each: dict[str, list[float | None]] = {}
            for side in sides:
                name = col
                if side == "theirs" and col == "check 1st" and col not in got[side][0][scale]:
                    name = "check cmd"  # the whole check right after the loads, as ours 1st
                each[side] = [number(r.get(scale, {}).get(name)) for r in got[side]]
                vals = [v for v in each[side] if v is not None]
                med[side] = statistics.median(vals) if vals else None
            t, o = med["theirs"], med["ours"]
            ratio = f"{o / t:.2f}" if t and o is not None else "-"
            shown = (t if t is not None else "-", o if o is not None else "-")
            print(f"  {col:<11} | {shown[0]:>7} | {shown[1]:>7} | {ratio:>5} | "
                  f"{each['theirs']} {each['ours']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
