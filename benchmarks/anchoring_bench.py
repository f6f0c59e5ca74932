"""Benchmark of quote re-anchoring: csto_tui.anchoring.locate vs a Hypothesis-style matcher.

Run from the repository root:

    /work/venv/bin/python benchmarks/anchoring_bench.py            # all quotes
    /work/venv/bin/python benchmarks/anchoring_bench.py --sample 40  # 40 quotes per article
    /work/venv/bin/python benchmarks/anchoring_bench.py --verbose    # list every failure of ours

Every sentence of the two seed articles (or, for a long sentence, its leading 60-150 character
clause) is a quote, stored with its real prefix/suffix (32 chars) and start offset (the hint).
Each kind of edit is applied to a copy of the article and both matchers re-anchor the quote:

    insert before      a new paragraph inserted before the quote's paragraph
    delete paragraph   a neighbouring paragraph deleted
    reorder            the article's paragraphs in reverse order
    typography         curly -> straight quotes, em -> en dash, doubled spaces after full stops,
                       an NBSP and a doubled space inside the quote
    word changed       one word in the middle of the quote replaced
    word inserted      one word inserted in the middle of the quote
    word deleted       one word in the middle of the quote deleted
    quote deleted      the quote's whole sentence deleted (look-alike text remains)
    duplicated+hint    the quote's sentence copied into the next paragraph, hint = old start
    duplicated,nohint  the same, without a hint (context must decide)

"correct": for "quote deleted", the matcher orphaned the quote; for the others, the span
overlaps the true new location (for the word edits it must also cover >= 90% of the edited
quote). "wrong": a span elsewhere (or not covering the edit). "orphaned": no span.

The baseline re-implements the Hypothesis client's ``matchQuote`` (src/annotator/anchoring/
match-quote.ts) over ``approx-string-match``: verbatim occurrences if any, else Myers'
approximate search with max errors = min(256, len(quote) // 2), keeping only the lowest-error
matches (start = longest span with the same error count); each match is scored
(50 * quote + 20 * prefix + 20 * suffix + 2 * position) / 92 and the best is returned. It never
orphans when anything lies within the error budget. Timings are mean wall-clock per quote.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from csto_tui.anchoring import _myers_ends as myers_ends  # noqa: E402
from csto_tui.anchoring import context, locate  # noqa: E402

# --------------------------------------------------------------------------- baseline


def _myers_ends(pattern: str, text: str, max_errors: int) -> tuple[int, list[int]]:
    """Lowest error count <= max_errors of pattern vs a substring of text, and its ends: the
    engine's own bit-parallel Myers search, cut to the baseline's error budget."""
    best, ends = myers_ends(pattern, text)
    return (best, ends) if best <= max_errors else (max_errors, [])


def _approx_search(text: str, pattern: str, max_errors: int) -> list[tuple[int, int, int]]:
    """approx-string-match's search(): (start, end, errors) of the lowest-error matches."""
    errors, ends = _myers_ends(pattern, text, min(max_errors, len(pattern)))
    rpat = pattern[::-1]
    out = []
    for e in ends:
        lo = max(0, e - len(pattern) - errors)
        _, rends = _myers_ends(rpat, text[lo:e][::-1], errors)
        start = e - max(rends) if rends else e - len(pattern)
        out.append((start, e, errors))
    return out


def _search(text: str, s: str, max_errors: int) -> list[tuple[int, int, int]]:
    out = []
    i = text.find(s)
    while i != -1:
        out.append((i, i + len(s), 0))
        i = text.find(s, i + 1)
    if out:
        return out
    return _approx_search(text, s, max_errors)


def _text_match_score(text: str, s: str) -> float:
    if not s or not text:
        return 0.0
    matches = _search(text, s, len(s))
    return 1 - matches[0][2] / len(s) if matches else 0.0


def hypothesis_match(
    text: str, quote: str, prefix: str = "", suffix: str = "", hint: int | None = None
) -> tuple[int, int] | None:
    """Faithful re-implementation of the Hypothesis client's matchQuote."""
    if not quote:
        return None
    max_errors = min(256, len(quote) // 2)
    matches = _search(text, quote, max_errors)
    if not matches:
        return None
    best: tuple[float, int, int] | None = None
    for start, end, errors in matches:
        q = 1 - errors / len(quote)
        p = _text_match_score(text[max(0, start - len(prefix)) : start], prefix) if prefix else 1.0
        s = _text_match_score(text[end : end + len(suffix)], suffix) if suffix else 1.0
        pos = 1.0 - abs(start - hint) / len(text) if hint is not None else 1.0
        score = (50 * q + 20 * p + 20 * s + 2 * pos) / 92
        if best is None or score > best[0]:
            best = (score, start, end)
    assert best is not None
    return best[1], best[2]


# --------------------------------------------------------------------------- corpus


@dataclass(frozen=True)
class Quote:
    text: str  # the article
    start: int
    end: int
    sent_start: int
    sent_end: int
    para: int  # index of the paragraph holding it

    @property
    def exact(self) -> str:
        return self.text[self.start : self.end]


_SPLIT = re.compile(r"[.!?][”\"’)]*\s+(?=[A-Z“\"(])")


def paragraphs(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"[^\n]+", text)]


def _clauses(sent: str) -> list[tuple[int, int]]:
    """Split a long sentence into clause-sized quotes of 40-150 characters."""
    cuts = [0] + [m.end() for m in re.finditer(r"[,;]\s+|—", sent)] + [len(sent)]
    out = []
    i = 0
    while i < len(cuts) - 1:
        j = i + 1
        while j < len(cuts) - 1 and len(sent[cuts[i] : cuts[j]].rstrip(" ,;—")) < 40:
            j += 1
        a, b = cuts[i], cuts[i] + len(sent[cuts[i] : cuts[j]].rstrip(" ,;—"))
        if b - a > 150:
            b = a + sent[a : a + 150].rindex(" ")
        if b - a >= 40:
            out.append((a, b))
        i = j
    return out


def quotes_of(text: str) -> list[Quote]:
    """Each sentence of 40-150 characters, and the 40-150 character clauses of longer ones."""
    out = []
    for pi, (pa, pb) in enumerate(paragraphs(text)):
        para = text[pa:pb]
        cuts = [0] + [m.end() for m in _SPLIT.finditer(para)] + [len(para)]
        for a, b in zip(cuts, cuts[1:], strict=False):
            sent = para[a:b]
            lead = len(sent) - len(sent.lstrip())
            sent = sent.strip()
            s = pa + a + lead
            e = s + len(sent)
            if len(sent) < 40:
                continue
            spans = [(0, len(sent))] if len(sent) <= 150 else _clauses(sent)
            for qa, qb in spans:
                out.append(Quote(text, s + qa, s + qb, s, e, pi))
    return out


# --------------------------------------------------------------------------- edits

Edit = tuple[str, tuple[int, int] | None, bool]  # new text, expected span, use hint

_SUBST = ["remarkably", "scarcely", "purportedly", "northern", "gradually", "official"]


def _mid_word(q: Quote) -> tuple[int, int]:
    """Span (article offsets) of an alphabetic word near the middle of the quote."""
    words = [m.span() for m in re.finditer(r"[A-Za-z]{3,}", q.exact)]
    words = [w for w in words if 0 < w[0] and w[1] < len(q.exact)] or words
    a, b = words[len(words) // 2]
    return q.start + a, q.start + b


def e_insert_before(q: Quote) -> Edit:
    pa = paragraphs(q.text)[q.para][0]
    ins = "Editor's note: this article was updated to reflect developments in the region.\n\n"
    t = q.text[:pa] + ins + q.text[pa:]
    return t, (q.start + len(ins), q.end + len(ins)), True


def e_delete_paragraph(q: Quote) -> Edit:
    paras = paragraphs(q.text)
    k = q.para - 1 if q.para > 0 else q.para + 1
    if k >= len(paras):
        return q.text, (q.start, q.end), True
    a, b = paras[k]
    if k < q.para:
        nb = paras[k + 1][0]
        t = q.text[:a] + q.text[nb:]
        d = nb - a
        return t, (q.start - d, q.end - d), True
    t = q.text[: paras[q.para][1]] + q.text[b:]
    return t, (q.start, q.end), True


def e_reorder(q: Quote) -> Edit:
    paras = paragraphs(q.text)
    sep = "\n\n" if "\n\n" in q.text else "\n"
    pieces = [q.text[a:b] for a, b in paras]
    order = list(range(len(paras)))[::-1]
    pos = 0
    new_start = 0
    for i in order:
        if i == q.para:
            new_start = pos + (q.start - paras[i][0])
        pos += len(pieces[i]) + len(sep)
    t = sep.join(pieces[i] for i in order)
    return t, (new_start, new_start + len(q.exact)), True


_TYPO = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "–"})


def e_typography(q: Quote) -> Edit:
    def outer(s: str) -> str:
        return s.translate(_TYPO).replace(". ", ".  ")

    quote = q.exact.translate(_TYPO)
    spaces = [i for i, c in enumerate(quote) if c == " "]
    if spaces:
        i = spaces[len(spaces) // 3]
        quote = quote[:i] + "\u00a0" + quote[i + 1 :]
        j = spaces[(2 * len(spaces)) // 3]
        if j != i:
            quote = quote[:j] + "  " + quote[j + 1 :]
    pre = outer(q.text[: q.start])
    t = pre + quote + outer(q.text[q.end :])
    return t, (len(pre), len(pre) + len(quote)), True


def e_word_changed(q: Quote) -> Edit:
    a, b = _mid_word(q)
    old = q.text[a:b]
    new = next(w for w in _SUBST[(a % len(_SUBST)) :] + _SUBST if w.lower() != old.lower())
    t = q.text[:a] + new + q.text[b:]
    return t, (q.start, q.end + len(new) - len(old)), True


def e_word_inserted(q: Quote) -> Edit:
    a, _ = _mid_word(q)
    ins = "reportedly "
    t = q.text[:a] + ins + q.text[a:]
    return t, (q.start, q.end + len(ins)), True


def e_word_deleted(q: Quote) -> Edit:
    a, b = _mid_word(q)
    if q.text[b : b + 1] == " ":
        b += 1
    t = q.text[:a] + q.text[b:]
    return t, (q.start, q.end - (b - a)), True


def e_quote_deleted(q: Quote) -> Edit:
    a, b = q.sent_start, q.sent_end
    while b < len(q.text) and q.text[b] == " ":
        b += 1
    return q.text[:a] + q.text[b:], None, True


def _dup(q: Quote) -> str:
    paras = paragraphs(q.text)
    sent = q.text[q.sent_start : q.sent_end]
    if q.para + 1 < len(paras):
        at = paras[q.para + 1][0]
        return q.text[:at] + sent + " " + q.text[at:]
    return q.text + "\n\n" + sent


def e_dup_hint(q: Quote) -> Edit:
    return _dup(q), (q.start, q.end), True


def e_dup_nohint(q: Quote) -> Edit:
    return _dup(q), (q.start, q.end), False


EDITS: list[tuple[str, Callable[[Quote], Edit]]] = [
    ("insert before", e_insert_before),
    ("delete paragraph", e_delete_paragraph),
    ("reorder", e_reorder),
    ("typography", e_typography),
    ("word changed", e_word_changed),
    ("word inserted", e_word_inserted),
    ("word deleted", e_word_deleted),
    ("quote deleted", e_quote_deleted),
    ("duplicated+hint", e_dup_hint),
    ("duplicated,nohint", e_dup_nohint),
]

_WORD_EDITS = {"word changed", "word inserted", "word deleted"}


def judge(kind: str, span: tuple[int, int] | None, expected: tuple[int, int] | None) -> str:
    if span is None:
        return "correct" if expected is None else "orphaned"
    if expected is None:
        return "wrong"
    s, e = span
    a, b = expected
    overlap = min(e, b) - max(s, a)
    if overlap <= 0:
        return "wrong"
    if kind in _WORD_EDITS and overlap < 0.9 * (b - a):
        return "wrong"
    return "correct"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sample", type=int, default=0, help="quotes per article (0 = all)")
    ap.add_argument("--verbose", action="store_true", help="print each failure of ours")
    args = ap.parse_args()

    quotes: list[Quote] = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        qs = quotes_of(path.read_text(encoding="utf-8"))
        if args.sample and len(qs) > args.sample:
            qs = random.Random(7).sample(qs, args.sample)
        quotes += qs

    print(f"{len(quotes)} quotes from {len(list((ROOT / 'seeds').glob('*.txt')))} articles\n")
    head = (
        f"{'edit':<18} {'n':>4} | {'ours ok':>7} {'wrong':>7} {'orph':>7} {'amb':>7} {'ms':>6}"
        f" | {'base ok':>7} {'wrong':>7} {'orph':>7} {'ms':>6}"
    )
    print(head)
    print("-" * len(head))
    totals = {"ours": [0, 0.0], "base": [0, 0.0]}
    for kind, edit in EDITS:
        res: dict[str, dict[str, int]] = {
            "ours": {"correct": 0, "wrong": 0, "orphaned": 0},
            "base": {"correct": 0, "wrong": 0, "orphaned": 0},
        }
        t_ours = t_base = 0.0
        amb = 0
        for q in quotes:
            prefix, suffix = context(q.text, q.start, q.end)
            new, expected, use_hint = edit(q)
            hint = q.start if use_hint else None

            t0 = time.perf_counter()
            a = locate(new, q.exact, prefix, suffix, hint)
            t_ours += time.perf_counter() - t0
            span = None if a.start is None or a.end is None else (a.start, a.end)
            verdict = judge(kind, span, expected)
            res["ours"][verdict] += 1
            amb += a.status == "ambiguous"
            if args.verbose and verdict != "correct":
                exp = new[expected[0] : expected[1]] if expected else None
                print(f"  [{kind}] {verdict} {a.status} {a.score:.2f}\n    quote: {q.exact!r}")
                print(f"    found: {a.found!r}\n    want:  {exp!r}")

            t0 = time.perf_counter()
            bspan = hypothesis_match(new, q.exact, prefix, suffix, hint)
            t_base += time.perf_counter() - t0
            res["base"][judge(kind, bspan, expected)] += 1

        n = len(quotes)
        totals["ours"][0] += res["ours"]["correct"]
        totals["base"][0] += res["base"]["correct"]
        totals["ours"][1] += t_ours
        totals["base"][1] += t_base

        def pct(x: int, n: int = n) -> str:
            return f"{100 * x / n:6.1f}%"

        o, b = res["ours"], res["base"]
        print(
            f"{kind:<18} {n:>4} | {pct(o['correct'])} {pct(o['wrong'])} {pct(o['orphaned'])}"
            f" {pct(amb)}"
            f" {1000 * t_ours / n:6.2f} | {pct(b['correct'])} {pct(b['wrong'])}"
            f" {pct(b['orphaned'])} {1000 * t_base / n:6.2f}"
        )
    n_all = len(quotes) * len(EDITS)
    print("-" * len(head))
    print(
        f"{'all':<18} {n_all:>4} | {100 * totals['ours'][0] / n_all:6.1f}%"
        f" {'':>7} {'':>7} {'':>7} {1000 * totals['ours'][1] / n_all:6.2f}"
        f" | {100 * totals['base'][0] / n_all:6.1f}%"
        f" {'':>7} {'':>7} {1000 * totals['base'][1] / n_all:6.2f}"
    )


if __name__ == "__main__":
    main()
