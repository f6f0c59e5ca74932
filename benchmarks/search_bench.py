"""Per-keystroke latency of csto_tui.search at 1x, 10x, 100x (and 1000x with --full).

A synthetic dataset of scale N has 2N documents: the two seed articles as they are, plus
perturbed copies (sentences shuffled, years shifted, ~3% of the words replaced by pseudo-words
so that the vocabulary grows as a real corpus would), each with ~50 quotes anchored in it and
with the events and metrics of the base dataset replicated to cite them. The base records are
the shipped data/csto.toml when it loads, else a small built-in set. Everything is seeded, so a
run is deterministic.

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
import random
import re
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from csto_tui.dataset import Dataset  # noqa: E402
from csto_tui.model import Entity, Event, Metric, Quote, Source, Span, State  # noqa: E402
from csto_tui.search import SearchIndex  # noqa: E402
from csto_tui.values import PartialDate  # noqa: E402

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

QUOTES_PER_DOC = 50
_SENT_RE = re.compile(r"(?<=[.!?\u201d])\s+(?=[A-Z\u201c])")
_WORD_RE = re.compile(r"[A-Za-z]{4,}")
_YEAR_RE = re.compile(r"\b(19[5-9]\d|20[0-2]\d)\b")
_SYLLABLES = ("ka", "zo", "ri", "ten", "mar", "lu", "vo", "sha", "bek", "dor", "an", "is",
              "tro", "pel", "gu", "nov", "sk", "ya", "mir", "el")


def _seed_texts() -> list[tuple[str, str]]:
    return [(p.stem, p.read_text(encoding="utf-8"))
            for p in sorted((ROOT / "seeds").glob("*.txt"))]


def _base_dataset() -> Dataset:
    """The shipped dataset if it loads, else a small built-in one over the seeds."""
    try:
        from csto_tui.loader import load

        res: Any = load(ROOT / "data" / "csto.toml")
        ds = getattr(res, "dataset", res)
        if isinstance(ds, Dataset) and ds.quotes and ds.texts:
            return ds
    except Exception:  # noqa: BLE001 - any failure: fall back to the built-in set
        pass
    seeds = _seed_texts()
    texts = {f"a{i + 1}": t for i, (_n, t) in enumerate(seeds)}
    sources = tuple(Source(sid, f"seeds/{n}.txt", f"Seed {sid}", ROOT / "seeds" / f"{n}.txt")
                    for sid, (n, _t) in zip(texts, seeds, strict=True))
    quotes: list[Quote] = []
    for sid, text in texts.items():
        for k, sent in enumerate(_SENT_RE.split(text)[:QUOTES_PER_DOC]):
            sent = sent.strip()
            if len(sent) > 20:
                quotes.append(Quote(f"q-{sid}-{k}", sid, sent[:160]))
    names = [("kaz", "Kazakhstan", ("Kazakh",)), ("tjk", "Tajikistan", ("Tajik",)),
             ("kgz", "Kyrgyzstan", ("Kyrgyz",)), ("uzb", "Uzbekistan", ("Uzbek", "Uzbeks")),
             ("blr", "Belarus", ("Belarusian",)), ("rus", "Russia", ("Russian", "Kremlin")),
             ("arm", "Armenia", ("Armenian",)), ("aze", "Azerbaijan", ("Azeri",))]
    states = tuple(State(i, n, "member", a, membership=(Span("member", PartialDate(1994)),),
                         quotes=(quotes[0].id,)) for i, n, a in names)
    entities = (
        Entity("csto", "organization", "Collective Security Treaty Organization",
               ("CSTO", "Collective Safety Treaty Group")),
        Entity("crrf", "force", "Collective Rapid Reaction Force",
               ("Collective Rapid Reaction Forces", "Collective Fast Response Pressure")),
        Entity("eaeu", "organization", "Eurasian Economic Union",
               ("Eurasian Financial Union", "EAEU")),
        Entity("lukashenko", "person", "Alexander Lukashenko", ("Lukashenko",)),
    )
    events = (Event("ev-2022-01-kaz", PartialDate(2022, 1, 5), "CSTO intervention in Kazakhstan",
                    "intervened", "2,500 troops secured critical infrastructure",
                    ("kaz",), ("csto",), "intervention", (quotes[0].id,)),
              Event("ev-2010-06-kgz", PartialDate(2010, 6), "Kyrgyzstan's appeal refused",
                    "declined", "The CSTO lacked the mandate", ("kgz",), (), "appeal",
                    (quotes[1].id,)))
    metrics = (Metric("m-tjk-remit-2020", "tjk", "economic", "Remittances from Russia", 26,
                      "% of GDP", 2020, "more than", quotes=(quotes[2].id,)),)
    return Dataset(path=ROOT / "data" / "bench.toml", root=ROOT, title="bench",
                   sources=sources, quotes=tuple(quotes), states=states, metrics=metrics,
                   events=events, entities=entities, texts=texts)


def _pseudo_words(rng: random.Random, n: int) -> list[str]:
    out: set[str] = set()
    while len(out) < n:
        out.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 5))))
    return sorted(out)


def _perturb(text: str, rng: random.Random, pool: list[str]) -> str:
    sents = [s.strip() for s in _SENT_RE.split(text) if s.strip()]
    # shuffle locally (windows of 6 sentences) so passages stay plausible
    for i in range(0, len(sents), 6):
        chunk = sents[i:i + 6]
        rng.shuffle(chunk)
        sents[i:i + 6] = chunk

    def word(m: re.Match[str]) -> str:
        w = m.group()
        if rng.random() < 0.03:
            p = rng.choice(pool)
            return p.capitalize() if w[0].isupper() else p
        return w

    def year(m: re.Match[str]) -> str:
        y = int(m.group())
        return str(y + rng.randint(-3, 3)) if rng.random() < 0.3 else m.group()

    paras = []
    for i in range(0, len(sents), 5):
        para = " ".join(sents[i:i + 5])
        para = _WORD_RE.sub(word, para)
        paras.append(_YEAR_RE.sub(year, para))
    return "\n".join(paras)


def make_dataset(scale: int, seed: int = 20220105) -> Dataset:
    """The base dataset grown to ``scale`` times its documents, quotes, events and metrics."""
    base = _base_dataset()
    if scale <= 1:
        return base
    rng = random.Random(seed)
    pool = _pseudo_words(rng, int(2000 * scale ** 0.5))
    sources = list(base.sources)
    texts = dict(base.texts)
    quotes = list(base.quotes)
    events = list(base.events)
    metrics = list(base.metrics)
    for copy in range(1, scale):
        new_q: list[str] = []
        for src in base.sources:
            sid = f"{src.id}-x{copy}"
            text = _perturb(base.texts.get(src.id, ""), rng, pool)
            sources.append(src.replace(id=sid, title=f"{src.title} #{copy}",
                                       file=f"synthetic/{sid}.txt",
                                       path=ROOT / "synthetic" / f"{sid}.txt"))
            texts[sid] = text
            sents = [s for s in _SENT_RE.split(text) if len(s) > 30]
            for k, sent in enumerate(rng.sample(sents, min(QUOTES_PER_DOC, len(sents)))):
                words = sent.split()
                a = rng.randint(0, max(0, len(words) - 8))
                qtext = " ".join(words[a:a + rng.randint(8, 25)])
                if qtext in text:
                    qid = f"q-{sid}-{k}"
                    quotes.append(Quote(qid, sid, qtext))
                    new_q.append(qid)
        if not new_q:
            continue
        for e in base.events:
            y = e.date.year + rng.randint(-2, 2)
            events.append(e.replace(
                id=f"{e.id}-x{copy}", date=PartialDate(y, e.date.month, None),
                quotes=(rng.choice(new_q),)))
        for m in base.metrics:
            metrics.append(m.replace(
                id=f"{m.id}-x{copy}", year=(m.year or 2020) + rng.randint(-5, 0),
                value=None if m.value is None else round(m.value * rng.uniform(0.8, 1.2), 1),
                quotes=(rng.choice(new_q),)))
    return Dataset(path=base.path, root=base.root, title=f"{base.title} x{scale}",
                   sources=tuple(sources), quotes=tuple(quotes), states=base.states,
                   metrics=tuple(metrics), events=tuple(events), entities=base.entities,
                   texts=texts)


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


def run(scale: int, limit: int = 50, repeat: int = 1) -> dict[str, Any]:
    """Build the index for a dataset of ``scale`` and time every keystroke of QUERIES."""
    t0 = time.perf_counter()
    ds = make_dataset(scale)
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
        "make_s": round(t_make, 2),
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
    for scale in scales:
        r = run(scale, repeat=args.repeat)
        if args.json:
            print(json.dumps(r))
        else:
            print(f"{r['scale']:>6} {r['documents']:>6} {r['text_mb']:>6} {r['quotes']:>7} "
                  f"{r['tokens']:>9} {r['vocabulary']:>7} {r['build_s']:>8} "
                  f"{r['index_mb']:>7} {r['keystrokes']:>5} {r['median_ms']:>10} {r['p95_ms']:>8} "
                  f"{r['max_ms']:>8}  {r['slowest']!r}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
