"""How long one quote takes to re-anchor, for quotes up to a whole 1 MB article (#16).

    .venv/bin/python benchmarks/anchoring_bounds.py

Prose of the seeds' words; the quote is the whole article but its first and last lines, and
one word in its middle is changed. Each case is located with and without the previous text (the
"with previous" time includes the diff of the whole article, computed once per source in sync).
Targets: <= 1 s per quote, <= 5 s for the 1 MB quote. Times are wall-clock; the machine may be
shared, so read them as an upper bound.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from csto_tui.anchoring import context, locate  # noqa: E402


def article(size: int, rng: random.Random) -> str:
    words = (ROOT / "seeds" / "000_3015bca6c6aaec53.txt").read_text(encoding="utf-8").split()
    out: list[str] = []
    n = 0
    while n < size:
        w = rng.choice(words)
        out.append(w)
        n += len(w) + 1
    return " ".join(out)


def main() -> None:
    rng = random.Random(1)
    print(f"{'quote':>9}  {'case':<34} {'seconds':>8}  status")
    for size in (1_000, 10_000, 100_000, 1_000_000):
        text = "An opening line.\n" + article(size, rng) + "\nA closing line.\n"
        qs, qe = 17, len(text) - 17
        quote = text[qs:qe]
        pre, suf = context(text, qs, qe)
        mid = text.index(" ", (qs + qe) // 2)
        changed = text[:mid + 1] + "XYZZY" + text[text.index(" ", mid + 1):]
        cases = [
            ("one word changed, no previous", changed, {"prefix": pre, "suffix": suf}),
            ("one word changed, hint", changed, {"prefix": pre, "suffix": suf, "hint": qs}),
            ("one word changed, previous text", changed,
             {"prefix": pre, "suffix": suf, "hint": qs, "previous": text}),
            ("gone (another article)", article(size, rng), {"prefix": pre, "suffix": suf}),
        ]
        for name, t, kw in cases:
            t0 = time.perf_counter()
            a = locate(t, quote, **kw)  # type: ignore[arg-type]
            dt = time.perf_counter() - t0
            print(f"{len(quote):>9,}  {name:<34} {dt:>8.3f}  {a.status}", flush=True)


if __name__ == "__main__":
    main()
