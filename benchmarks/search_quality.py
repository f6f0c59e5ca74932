"""Search quality on the golden set (benchmarks/search_golden.toml): top-1 and top-3 accuracy
and the mean reciprocal rank of the answer, over the shipped dataset (or --data).

    python benchmarks/search_quality.py            # a table of every query, then the figures
    python benchmarks/search_quality.py --json     # the figures as one JSON object

The ranking is the one the dashboard, the command palette and `csto-tui search` show.
Figures only, no assertions (tests/test_search_quality.py holds the targets).
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

GOLDEN = ROOT / "benchmarks" / "search_golden.toml"
LIMIT = 50  # ranks beyond this count as not found (reciprocal rank 0)


@dataclass(frozen=True)
class Outcome:
    query: str
    answer: str
    rank: int | None  # 1-based rank of the answer among the hits, None if absent
    also_missing: tuple[str, ...]  # `also` records not in the top 3
    top: tuple[str, ...]  # the first three hits' ids


def golden(path: Path = GOLDEN) -> list[dict[str, Any]]:
    with path.open("rb") as f:
        return list(tomllib.load(f)["query"])


def evaluate(index: Any, cases: list[dict[str, Any]]) -> list[Outcome]:
    out = []
    for case in cases:
        hits = [h for h in index.search(case["q"], limit=LIMIT) if h.kind != "text"]
        ids = [h.id for h in hits]
        rank = ids.index(case["answer"]) + 1 if case["answer"] in ids else None
        missing = tuple(a for a in case.get("also", ()) if a not in ids[:3])
        out.append(Outcome(case["q"], case["answer"], rank, missing, tuple(ids[:3])))
    return out


def figures(outcomes: list[Outcome]) -> dict[str, float]:
    n = len(outcomes)
    return {
        "queries": n,
        "top1": sum(1 for o in outcomes if o.rank == 1) / n,
        "top3": sum(1 for o in outcomes if o.rank is not None and o.rank <= 3) / n,
        "mrr": sum(1 / o.rank for o in outcomes if o.rank) / n,
        "also_top3": sum(1 for o in outcomes if not o.also_missing) / n,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, help="dataset (default: the shipped one)")
    ap.add_argument("--golden", type=Path, default=GOLDEN)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    from csto_tui.loader import load
    from csto_tui.search import SearchIndex

    index = SearchIndex.build(load(args.data).dataset)
    outcomes = evaluate(index, golden(args.golden))
    fig = figures(outcomes)
    if args.json:
        print(json.dumps(fig))
        return 0
    for o in outcomes:
        mark = " " if o.rank == 1 else ("~" if o.rank and o.rank <= 3 else "x")
        extra = f"  also missing: {', '.join(o.also_missing)}" if o.also_missing else ""
        print(f"{mark} {o.rank or '-':>3}  {o.query!r} -> {o.answer}"
              + ("" if o.rank == 1 else f"   (top: {', '.join(o.top)})") + extra)
    print(f"\n{fig['queries']} queries: top-1 {fig['top1']:.1%}, top-3 {fig['top3']:.1%}, "
          f"MRR {fig['mrr']:.3f}, `also` in top 3 {fig['also_top3']:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
