"""Deterministic synthetic corpora at N times the shipped data, for the benchmarks.

    python benchmarks/corpus.py --scale 100 --out /tmp/csto-100x             # a folder dataset
    python benchmarks/corpus.py --scale 10 --out /tmp/csto-10x --layout file  # one TOML file

writes ``<out>/seeds/*.txt``: 2*N article-like documents of about 10 KB (sentences of the two
seeds, shuffled and varied, so that the text reads like the real thing), and states, entities,
metrics, events, conflicts and quotes in the shipped proportions (about 50 quotes per document),
every quote anchored verbatim. At 1000x that is 2,000 documents, about 20 MB of text and 100,000
quotes.

The dataset is either a folder, ``<out>/data/`` (the default): one file per document
(``docNNNNN.toml``: the document's source entry and quotes, and its share of the states,
entities, metrics, events and conflicts, which cite quotes of any document) with its anchors
file beside it, plus ``dataset.toml`` for the title; or one file, ``<out>/data/csto.toml`` and
``csto.anchors.toml``.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

import tomli_w

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from csto_tui import textstore  # noqa: E402
from csto_tui.anchoring import context  # noqa: E402
from csto_tui.model import Anchor  # noqa: E402
from csto_tui.syncing import render_anchors  # noqa: E402
from csto_tui.vocabulary import CONFLICT_KINDS  # noqa: E402

QUOTES_PER_DOC = 50
DOC_CHARS = 10_000
NAMES = ["Armenia", "Belarus", "Kazakhstan", "Kyrgyzstan", "Russia", "Tajikistan", "Uzbekistan",
         "Azerbaijan", "Georgia", "Serbia", "Afghanistan", "Turkey", "Ukraine", "China"]
WORDS = ["alliance", "treaty", "border", "troops", "summit", "pipeline", "remittances", "drills",
         "mandate", "council", "minister", "protests", "sanctions", "observers", "deployment"]
RESPONSES = ["intervened", "declined", "no-action", "statement", "drill", "milestone", "none"]


#: double quotation marks: a summary is the analyst's paraphrase, and words in quotation
#: marks would have to be verbatim in the record's cited quotes (csto_tui.prose; the seeds'
#: single marks are apostrophes, which never pair)
_MARKS = str.maketrans("", "", "\"\u201c\u201d")


def paraphrase(sentence: str) -> str:
    """An event's summary: the start of a seed sentence, without quotation marks."""
    return sentence.translate(_MARKS)[:120]


def seed_sentences() -> list[str]:
    out: list[str] = []
    for f in sorted((ROOT / "seeds").glob("*.txt")):
        text = f.read_text(encoding="utf-8")
        for s in re.split(r"(?<=[.!?])\s+", text):
            s = " ".join(s.split())
            if 40 <= len(s) <= 400:
                out.append(s)
    return out


def make_document(rng: random.Random, sentences: list[str], doc: int) -> tuple[str, list[str]]:
    """Return (text, quotable sentences). Each sentence is made unique by a varied tail."""
    parts: list[str] = []
    quotable: list[str] = []
    size = 0
    n = 0
    while size < DOC_CHARS:
        base = rng.choice(sentences)
        words = base.split(" ")
        for _ in range(rng.randint(0, 2)):
            words[rng.randrange(len(words))] = rng.choice(WORDS)
        n += 1
        sent = " ".join(words).rstrip(".") + (
            f", {rng.choice(NAMES)} noted in {rng.randint(1992, 2024)} (report {doc}-{n})."
        )
        parts.append(sent)
        quotable.append(sent)
        size += len(sent) + 1
        if rng.random() < 0.2:
            parts.append("\n\n")
    text = " ".join(parts).replace(" \n\n ", "\n\n")
    return text, quotable


def generate(scale: int, out: Path, seed: int = 1, layout: str = "folder") -> Path:
    """Write the corpus; return the dataset's path (the folder, or the file)."""
    rng = random.Random(seed * 1_000_003 + scale)
    sentences = seed_sentences()
    (out / "data").mkdir(parents=True, exist_ok=True)
    (out / "seeds").mkdir(parents=True, exist_ok=True)
    n_docs = 2 * scale
    sources, quotes = [], []
    texts: list[str] = []
    anchors: dict[str, Anchor] = {}
    for d in range(n_docs):
        text, quotable = make_document(rng, sentences, d)
        fname = f"doc{d:05d}.txt"
        (out / "seeds" / fname).write_text(text, encoding="utf-8")
        key = textstore.key_of(text)
        texts.append(text)
        sid = f"s{d}"
        sources.append({"id": sid, "file": f"seeds/{fname}", "title": f"Synthetic article {d}",
                        "date": f"{rng.randint(2010, 2024)}"})
        picks = rng.sample(quotable, min(QUOTES_PER_DOC, len(quotable)))
        for k, sent in enumerate(picks):
            # a clause of the sentence, ending at its unique tail
            words = sent.split(" ")
            cut = rng.randint(0, max(0, len(words) - 12))
            exact = " ".join(words[cut:])
            start = text.find(exact)
            assert start >= 0 and text.find(exact, start + 1) < 0
            qid = f"q{d}-{k}"
            quotes.append({"id": qid, "source": sid, "text": exact})
            pre, suf = context(text, start, start + len(exact))
            anchors[qid] = Anchor(qid, sid, exact, pre, suf, start, start + len(exact),
                                  text_key=key)
    qids = [q["id"] for q in quotes]

    def cite(k: int = 1) -> list[str]:
        return rng.sample(qids, k)

    states = []
    for i in range(20 * scale):
        name = NAMES[i % len(NAMES)] + ("" if i < len(NAMES) else f" {i}")
        left = rng.random() < 0.3
        span: dict[str, object] = {"kind": "member", "from": str(rng.randint(1992, 2000)),
                                   "quotes": cite()}
        if left:
            span["to"] = str(rng.randint(2001, 2012))
        status = "former-member" if left else "member"
        states.append({"id": f"st{i}", "name": name, "status": status,
                       "aliases": [f"{name} Republic"], "quotes": cite(), "membership": [span]})
    entities = [{"id": f"en{i}", "kind": "organization",
                 "name": f"Council {i} of {rng.choice(WORDS)}",
                 "aliases": [f"C{i}"], "quotes": cite()} for i in range(30 * scale)]
    metrics = []
    for i in range(40 * scale):
        m: dict[str, object] = {"id": f"m{i}", "state": f"st{rng.randrange(len(states))}",
                                "category": rng.choice(["economic", "military", "bloc"]),
                                "measure": f"{rng.choice(WORDS).capitalize()} share",
                                "quotes": cite()}
        if rng.random() < 0.6:
            m.update(value=rng.randint(1, 90), unit="% of GDP", year=rng.randint(2000, 2022))
            qualifier = rng.choice(["", "more than", "roughly"])
            if qualifier:
                m["qualifier"] = qualifier
        else:
            m["present"] = rng.random() < 0.8
        metrics.append(m)
    events = [{
        "id": f"ev{i}", "date": f"{rng.randint(1992, 2022)}-{rng.randint(1, 12):02d}",
        "title": f"{rng.choice(WORDS).capitalize()} in {rng.choice(NAMES)}",
        "response": rng.choice(RESPONSES), "summary": paraphrase(rng.choice(sentences)),
        "states": [f"st{rng.randrange(len(states))}" for _ in range(2)], "quotes": cite(2),
    } for i in range(40 * scale)]
    conflicts = [{
        "id": f"c{i}", "topic": f"When the {rng.choice(WORDS)} began",
        "kind": rng.choice(CONFLICT_KINDS),
        "records": [f"ev{rng.randrange(len(events))}"],
        "readings": [{"quote": q, "says": f"reading {j}"} for j, q in enumerate(cite(2))],
    } for i in range(2 * scale)]
    title = f"Synthetic CSTO dataset x{scale}"
    if layout == "file":
        doc = {"dataset": {"title": title, "base": ".."},
               "sources": sources, "quotes": quotes, "states": states, "entities": entities,
               "metrics": metrics, "events": events, "conflicts": conflicts}
        path = out / "data" / "csto.toml"
        path.write_text(tomli_w.dumps(doc), encoding="utf-8")
        apath = out / "data" / "csto.anchors.toml"
        for text in texts:
            textstore.put(apath, text)  # as sync keeps it
        apath.write_bytes(render_anchors(anchors, qids))
        return path
    # a folder: one file per document, each record in the file of one document
    folder = out / "data"
    (folder / "dataset.toml").write_text(tomli_w.dumps({"dataset": {"title": title}}),
                                         encoding="utf-8")
    parts: list[dict[str, list[dict[str, object]]]] = [
        {"sources": [s], "quotes": []} for s in sources]
    for q in quotes:
        parts[int(str(q["source"])[1:])]["quotes"].append(q)
    for key, recs in (("states", states), ("entities", entities), ("metrics", metrics),
                      ("events", events), ("conflicts", conflicts)):
        for i, rec in enumerate(recs):
            parts[i % n_docs].setdefault(key, []).append(rec)
    for d, (part, text) in enumerate(zip(parts, texts, strict=True)):
        path = folder / f"doc{d:05d}.toml"
        path.write_text(tomli_w.dumps({"dataset": {"base": ".."}, **part}), encoding="utf-8")
        apath = path.with_name(path.stem + ".anchors.toml")
        textstore.put(apath, text)  # as sync keeps it
        mine = [str(q["id"]) for q in part["quotes"]]
        apath.write_bytes(render_anchors(anchors, mine))
    return folder


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--layout", choices=("folder", "file"), default="folder")
    a = ap.parse_args()
    print(generate(a.scale, a.out, a.seed, a.layout))


if __name__ == "__main__":
    main()
