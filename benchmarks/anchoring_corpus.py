"""Synthetic prose for the anchoring benchmark: not the seeds, full of near-duplicates.

    python benchmarks/anchoring_corpus.py --docs 2 --seed 1     # print two documents

Each document is about 12 KB of paragraphs (one per line, blank lines between them) of
sentences drawn from a small grammar about fictional river towns, councils and harvests, with
curly apostrophes, quotation marks and em dashes here and there (so that typography edits have
something to change). Every sentence is unique, except the *look-alikes*: for a share of the
quotes (``LOOK_ALIKE_SHARE``, 60%), a copy of the quote's sentence with exactly one word changed
is put in another paragraph, with other surroundings. That is the text a matcher pins a deleted
or edited quote to when it has nothing but the quote's words and context to go on.

:func:`corpus` returns the documents and their quotes (sentences of 40-150 characters), each
quote knowing whether it has a look-alike and where its sentence and paragraph are.
Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import random
import re
from dataclasses import dataclass

#: Share of the quotes given a one-word-different look-alike elsewhere in their document.
LOOK_ALIKE_SHARE = 0.6
#: Quotes taken per document.
QUOTES_PER_DOC = 30

_SYL = ["vel", "mar", "ost", "tor", "en", "ika", "bar", "lun", "dre", "sa", "kor", "phe", "ul",
        "min", "ga", "res", "tho", "wen", "ald", "ry", "cas", "nov", "ber", "is"]
_ADJ = ["northern", "old", "eastern", "narrow", "wealthy", "quiet", "flooded", "stubborn",
        "ancient", "crowded", "distant", "newly built", "wooden", "upper", "lower", "rival",
        "western", "salt", "frozen", "busy", "ruined", "small", "proud", "coastal"]
_NOUN = ["harbour", "council", "mill", "granary", "bridge", "guild", "ferry", "market",
         "archive", "orchard", "quarry", "toll road", "garrison", "chapel", "canal", "brewery",
         "printing house", "vineyard", "customs post", "lighthouse", "school", "hospital",
         "tannery", "observatory"]
_VERB = ["approved", "postponed", "questioned", "rebuilt", "abandoned", "inspected", "taxed",
         "defended", "expanded", "sold", "closed", "reopened", "surveyed", "mortgaged",
         "flooded", "renamed", "repaired", "blockaded", "financed", "praised", "condemned",
         "licensed", "measured", "divided"]
_WHO = ["the mayor", "the elders", "a merchant family", "the river wardens", "the bishop",
        "a travelling engineer", "the harbour master", "the weavers", "two young clerks",
        "the customs officers", "a widow", "the schoolteachers", "the boatmen", "the magistrate"]
_MONTH = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
_WHY = ["after a long quarrel over water rights", "despite a petition signed by the tenants",
        "because the spring floods had ruined the road", "before the autumn fair began",
        "while the council was still divided", "to the surprise of the neighbouring towns",
        "without waiting for the regional governor", "once the salt trade recovered",
        "after the harvest failed for a second year", "as the old treaty expired",
        "although nobody could agree on the price", "when the ferry stopped running"]
_LINK = ["Meanwhile", "Later that year", "By then", "In the end", "Some weeks afterwards",
         "For a while", "Even so", "At first", "Soon after", "In those days"]
_QUOTED = ["a matter of honour", "the last good road", "our common purse", "a needless luxury",
           "the river’s gift", "an old injustice"]


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(_SYL) for _ in range(rng.randint(2, 3))).capitalize()


def _sentence(rng: random.Random, places: list[str]) -> str:
    place = rng.choice(places)
    form = rng.randrange(6)
    year = rng.randint(1790, 1899)
    if form == 0:
        s = (f"In {rng.choice(_MONTH)} {year}, {rng.choice(_WHO)} of {place} "
             f"{rng.choice(_VERB)} the {rng.choice(_ADJ)} {rng.choice(_NOUN)} "
             f"{rng.choice(_WHY)}.")
    elif form == 1:
        s = (f"{rng.choice(_LINK)}, {place}’s {rng.choice(_NOUN)} was {rng.choice(_VERB)} by "
             f"{rng.choice(_WHO)}, who called it “{rng.choice(_QUOTED)}”.")
    elif form == 2:
        s = (f"The {rng.choice(_ADJ)} {rng.choice(_NOUN)} of {place} — "
             f"{rng.choice(_VERB)} in {year} — still stands beside the "
             f"{rng.choice(_ADJ)} {rng.choice(_NOUN)}.")
    elif form == 3:
        s = (f"{rng.choice(_WHO).capitalize()} {rng.choice(_VERB)} the {rng.choice(_NOUN)} "
             f"at {place} {rng.choice(_WHY)}, and {rng.choice(_WHO)} "
             f"{rng.choice(_VERB)} the {rng.choice(_NOUN)}.")
    elif form == 4:
        s = (f"According to the {rng.choice(_ADJ)} archive, {rng.choice(_WHO)} "
             f"{rng.choice(_VERB)} {rng.randint(2, 90)} barges of grain at {place} in {year}.")
    else:
        other = rng.choice([x for x in places if x != place])
        s = (f"{place} and {other} {rng.choice(_VERB)} the {rng.choice(_ADJ)} "
             f"{rng.choice(_NOUN)} together {rng.choice(_WHY)}.")
    return s[0].upper() + s[1:]


_WORD = re.compile(r"[A-Za-z]{3,}")
_SWAP = ["harbour", "granary", "council", "bridge", "market", "eastern", "western", "narrow",
         "inspected", "repaired", "closed", "quietly", "elders", "wardens", "winter", "summer"]


def look_alike(sentence: str, rng: random.Random) -> str:
    """``sentence`` with exactly one word (3+ letters) replaced by another."""
    words = list(_WORD.finditer(sentence))
    m = rng.choice(words)
    new = rng.choice([w for w in _SWAP if w != m.group().lower()])
    if m.group()[0].isupper():
        new = new.capitalize()
    return sentence[: m.start()] + new + sentence[m.end() :]


@dataclass(frozen=True)
class Quote:
    """A quote of a benchmark document: a whole sentence, with where it is."""

    text: str  # the document
    start: int
    end: int
    para: int  # index of its paragraph
    look_alike: str  # its one-word-different copy elsewhere, "" if none

    @property
    def exact(self) -> str:
        return self.text[self.start : self.end]


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph (each non-empty line)."""
    return [m.span() for m in re.finditer(r"[^\n]+", text)]


def document(rng: random.Random, paras: int = 22) -> tuple[str, list[Quote]]:
    """One document and its quotes."""
    places = [_name(rng) for _ in range(6)]
    seen: set[str] = set()
    body: list[list[str]] = []
    for _ in range(paras):
        sents: list[str] = []
        while len(sents) < rng.randint(3, 6):
            s = _sentence(rng, places)
            if s not in seen and 40 <= len(s) <= 150:
                seen.add(s)
                sents.append(s)
        body.append(sents)
    # quotes: random sentences; a share get a look-alike, put in another paragraph (never the
    # quote's own or a neighbouring one)
    cells = [(p, i) for p, sents in enumerate(body) for i in range(len(sents))]
    rng.shuffle(cells)
    chosen = cells[:QUOTES_PER_DOC]
    alike: dict[tuple[int, int], str] = {}
    for p, i in chosen[: round(LOOK_ALIKE_SHARE * len(chosen))]:
        copy = look_alike(body[p][i], rng)
        if copy in seen:
            continue
        seen.add(copy)
        alike[(p, i)] = copy
    inserts: list[tuple[int, str]] = []
    for (p, _), copy in alike.items():
        q = rng.choice([x for x in range(len(body)) if abs(x - p) > 1])
        inserts.append((q, copy))
    for q, copy in inserts:
        body[q].insert(rng.randint(0, len(body[q])), copy)
    # where each chosen sentence ended up
    texts = [" ".join(sents) for sents in body]
    text = "\n\n".join(texts) + "\n"
    offs = [m.start() for m in re.finditer(r"[^\n]+", text)]
    quotes: list[Quote] = []
    for p, i in chosen:
        sent = _original(body, p, i, alike)
        para_text = texts[p]
        a = para_text.index(sent)
        start = offs[p] + a
        quotes.append(Quote(text, start, start + len(sent), p, alike.get((p, i), "")))
    assert all(text.count(q.exact) == 1 for q in quotes)
    return text, quotes


def _original(body: list[list[str]], p: int, i: int, alike: dict[tuple[int, int], str]) -> str:
    # sentence (p, i) before the look-alikes were inserted: inserts only shift indexes, so find
    # the chosen sentence by content: it is the i-th of the sentences that are not copies
    copies = set(alike.values())
    originals = [s for s in body[p] if s not in copies]
    return originals[i]


def corpus(docs: int, seed: int = 1) -> list[Quote]:
    """The quotes of ``docs`` documents."""
    rng = random.Random(seed)
    out: list[Quote] = []
    for _ in range(docs):
        out.extend(document(rng)[1])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    for _ in range(args.docs):
        text, quotes = document(rng)
        print(text)
        print(f"--- {len(text)} characters, {len(quotes)} quotes, "
              f"{sum(bool(q.look_alike) for q in quotes)} with a look-alike\n")


if __name__ == "__main__":
    main()
