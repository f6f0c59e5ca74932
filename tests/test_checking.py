"""``checking.check`` gives exactly the report of a straightforward reference (kept here, in the
test): the same problems in the same order with the same wording, the same quote statuses and
the same source changes, on the shipped data, the analyst dataset, synthetic corpora, and on
each of them damaged at random in the ways an analyst's edits damage a dataset (sources edited,
quotes retyped, anchors lost or stale, quotation marks in prose, uncited passages that do not
fit).

The reference is ``check`` as it was before it worked by columns: every quote verified one by
one, every record's prose searched for quotation marks one by one.
"""

from __future__ import annotations

import random
import re
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from csto_tui import records, textstore
from csto_tui.checking import (
    CheckReport,
    SourceChange,
    _relocate,
    _short,
    check,
    fold,
    source_changes,
    verify_quote,
)
from csto_tui.coverage import _one_sentence, _UncitedFinder, sentences, uncited_span
from csto_tui.dataset import Dataset
from csto_tui.errors import Problem
from csto_tui.loader import LoadResult, anchors_path_for, data_files, load
from csto_tui.locator import Locator
from csto_tui.model import Quote
from csto_tui.prose import _position, _prose, _prose_fields, quotation_problems, unverified
from csto_tui.vocabulary import QUOTE_STATUS, UNCITED_REASONS

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"


# --------------------------------------------------------------------------- the reference

def ref_verify_quote(ds: Dataset, q: Quote, keys: dict[str, str]) -> tuple[str, str]:
    text = ds.texts.get(q.source)
    if text is None:
        return "source", "its source could not be read"
    a = ds.anchors.get(q.id)
    if a is None:
        return "unanchored", "has no anchor yet: run `csto-tui sync` to anchor it"
    if a.source != q.source:
        return "unanchored", (f"is anchored in source {a.source!r} but cites {q.source!r}: "
                              "run `csto-tui sync`")
    if a.review == "kept":
        return "kept", "kept as an orphan by review: the source does not hold it"
    if a.review:
        where = ""
        if a.found_start is not None:
            where = f" (candidate at {a.found_start}-{a.found_end}: {_short(a.found)!r})"
        return a.review, (f"awaits review: {a.review}{where}; "
                          "review it on the sync screen (S), or edit the quote or the source "
                          "and sync")
    key = keys[q.source]
    unchanged = bool(a.text_key) and a.text_key == key
    verbatim = unchanged or (0 <= a.start <= a.end <= len(text)
                             and text[a.start:a.end] == a.exact)
    if verbatim and (a.exact == q.text or fold(a.exact) == fold(q.text)):
        return "exact", ""
    previous = None
    if a.text_key:
        previous = (text if unchanged
                    else textstore.get(anchors_path_for(ds.file_of(q.id)), a.text_key))
    loc = _relocate(text, q, a, previous)
    status = loc.status
    if verbatim:
        return status, (f"the quote's text was edited and is now {status} in its source: "
                        "run `csto-tui sync`")
    what = ""
    if loc.changes:
        what = " (" + "; ".join(f"{_short(o, 30)!r} -> {_short(n, 30)!r}"
                                for o, n in loc.changes[:3]) + ")"
    return status, (f"the source changed: no longer verbatim at {a.start}-{a.end}; now "
                    f"{status}{what}"
                    + ("; run `csto-tui sync`" if status in ("moved", "normalized") else
                       "; sync, then review it on the sync screen (S)"))


def ref_source_changes(ds: Dataset, statuses: dict[str, str], keys: dict[str, str]
                       ) -> dict[str, SourceChange]:
    named: dict[str, set[str]] = {}
    for a in ds.anchors.values():
        if a.text_key and not a.review:
            named.setdefault(a.source, set()).add(a.text_key)
    out: dict[str, SourceChange] = {}
    for s in ds.sources:
        key = keys.get(s.id)
        have = named.get(s.id)
        changed = None if key is None or not have else have != {key}
        out[s.id] = SourceChange(s.id, changed)
    for q in ds.quotes:
        c = out.get(q.source)
        if c is not None:
            st = statuses.get(q.id, "exact")
            c.quotes[st] = c.quotes.get(st, 0) + 1
    return out


def ref_quotation_problems(ds: Dataset) -> list[Problem]:
    text_of = {q.id: q.text for q in ds.quotes}
    locators: dict[Path, Locator] = {}
    out: list[Problem] = []
    for kind in records.kinds():
        if kind.name in ("source", "uncited") or not kind.has_id:
            continue
        fields = _prose_fields(kind)
        if not fields:
            continue
        for rec in ds.records_of(kind.name):
            if kind.name == "quote":
                cited = [rec.text]
            else:
                cited = [text_of[q] for q in records.cited_quotes(rec) if q in text_of]
            for path, key, text in _prose(kind, rec, fields=fields):
                for qd in unverified(text, cited):
                    f = ds.file_of(rec.id)
                    loc = locators.get(f)
                    if loc is None:
                        loc = locators[f] = Locator(f)
                    line, col = _position(loc, rec.id, key, text[qd.start:qd.end])
                    shown = qd.inner if len(qd.inner) <= 70 else qd.inner[:67] + "..."
                    out.append(Problem(
                        "quote-marks",
                        f"quotation marks around words that are not verbatim in the record's "
                        f"cited quotes: \u201c{shown}\u201d (quote the source exactly, or drop "
                        "the quotation marks)",
                        str(f), line, col, rec.id, path))
    return out


def ref_uncited_problems(ds: Dataset) -> list[Problem]:
    out: list[Problem] = []
    finder = _UncitedFinder(ds.files)
    for u in ds.uncited:
        text = ds.texts.get(u.source)
        if text is None:
            continue
        msg = ""
        span = uncited_span(text, u) if u.text.strip() else None
        if not u.text.strip():
            msg = "is blank"
        elif span is None:
            count = text.count(u.text)
            msg = (f"is not verbatim in source {u.source!r}: an uncited passage is the source's "
                   "own words" if count == 0 else
                   f"occurs {count} times in source {u.source!r}: lengthen it so that it is "
                   "found once")
        elif not _one_sentence(sentences(text), *span):
            msg = ("spans more than one sentence: an uncited passage is at most one sentence "
                   "(split it into one entry per sentence)")
        else:
            a, b = span
            for q in ds.quotes:
                an = ds.anchors.get(q.id)
                if (an is not None and an.source == u.source and an.start < b and an.end > a
                        and text[an.start:an.end] == an.exact):
                    msg = (f"overlaps quote {q.id!r}: a passage is either quoted or explained "
                           "as uncited (shorten the passage, or drop it)")
                    break
        if msg:
            file, line, col = finder.find(u)
            out.append(Problem("uncited", msg, file, line, col, f"uncited[{u.source}]", "text"))
    return out


def reference_check(res: LoadResult) -> CheckReport:
    ds = res.dataset
    rep = CheckReport(res, list(res.problems))
    locs: dict[Path, Locator] = {}

    def line_of(qid: str) -> tuple[str, int | None]:
        f = ds.file_of(qid)
        loc = locs.get(f)
        if loc is None:
            loc = locs[f] = Locator(f)
        return str(f), loc.line_of(qid)

    keys = {sid: textstore.key_of(t) for sid, t in ds.texts.items()}
    statuses = rep.quote_status
    for q in ds.quotes:
        status, msg = ref_verify_quote(ds, q, keys)
        statuses[q.id] = status
        known = QUOTE_STATUS.get(status)
        sev = known.severity if known is not None else "error"
        if sev is None:
            continue
        file, line = line_of(q.id)
        rep.problems.append(Problem(status, msg, file, line, None, q.id, severity=sev))
    rep.sources = ref_source_changes(ds, statuses, keys)
    rep.problems.extend(ref_uncited_problems(ds))
    rep.problems.extend(ref_quotation_problems(ds))
    declared = {q.id for q in ds.quotes}
    for qid in ds.anchors:
        if qid not in declared:
            apath = next((str(af.path) for af in res.anchor_files if qid in af.ids), "")
            rep.problems.append(Problem(
                "stale-anchor", "anchor for a quote that is no longer in the dataset "
                "(sync removes it)", apath, None, None, qid, severity="warning"))
    seen: set[tuple[object, ...]] = set()
    unique: list[Problem] = []
    for p in rep.problems:
        k = (p.code, p.file, p.record, p.field, p.message, p.line, p.column)
        if k not in seen:
            seen.add(k)
            unique.append(p)
    rep.problems = unique
    return rep


def _report(rep: CheckReport) -> tuple[object, ...]:
    """Everything a report says, order included."""
    return ([(p.code, p.message, p.file, p.line, p.column, p.record, p.field, p.severity)
             for p in rep.problems],
            list(rep.quote_status.items()),
            [(c.source, c.changed, list(c.quotes.items())) for c in rep.sources.values()])


def assert_same_report(path: Path) -> CheckReport:
    res = load(path)
    got = check(result=res)
    want = reference_check(res)
    assert _report(got) == _report(want)
    return got


# --------------------------------------------------------------------------- the damage

#: prose an analyst may write, with quotation marks or apostrophes that are not quotation marks
PROSE = ["the “collective security” of members", "it said \"troops were sent\" then",
         "a ‘scare’ term", "the 'two words' here", "Russia's members' view", "“one”",
         "an unclosed “quote of words", "'tis a start", "‘x y’", "a \"b\u201d c",
         "…” tail", "“ spaced words ”", "“Kazakhstan … troops”", "don't 'quote' 'this one'"]


def _quoted_from(rng: random.Random, text: str) -> str:
    """A run of words of ``text`` (verbatim) or near it, in quotation marks."""
    words = text.split()
    if len(words) < 2:
        return "“" + text + "”"
    i = rng.randrange(len(words) - 1)
    run = words[i:i + rng.randint(2, 5)]
    if rng.random() < 0.3:
        run[-1] = run[-1] + "x"
    if rng.random() < 0.2:
        run = [run[0], "...", run[-1]]
    mark = rng.choice(["“{}”", '"{}"', "‘{}’", "'{}'"])
    return mark.format(" ".join(run))


def _damage_prose(rng: random.Random, rec: dict[str, Any], quote_text: dict[str, str]) -> None:
    """Quotation marks put into one prose string of a record (or a nested table's)."""
    cited = [quote_text[q] for q in rec.get("quotes", []) if q in quote_text]
    what = _quoted_from(rng, rng.choice(cited)) if cited and rng.random() < 0.6 \
        else rng.choice(PROSE)
    targets: list[tuple[dict[str, Any], str]] = [
        (rec, k) for k, v in rec.items() if isinstance(v, str) and k not in (
            "id", "kind", "status", "source", "state", "category", "date", "after", "before",
            "from", "to", "stance", "claimant", "via", "for", "currency", "magnitude")]
    for k, v in rec.items():
        if isinstance(v, list) and v and isinstance(v[0], dict):
            for sub in v:
                targets += [(sub, sk) for sk, sv in sub.items()
                            if isinstance(sv, str) and sk in ("note", "says", "what",
                                                              "detail", "summary", "why")]
        if k == "inferred" and isinstance(v, dict) and v:
            targets += [(v, nk) for nk in v]
    if not targets:
        return
    owner, key = rng.choice(targets)
    old = owner[key]
    owner[key] = (old + " " + what) if rng.random() < 0.7 else what


def damage(path: Path, seed: int, amount: float = 0.15) -> None:
    """Damage the dataset at ``path`` (a file or a folder), its anchors and its sources'
    texts, at random (``amount``: the share of things touched)."""
    rng = random.Random(seed)
    ds = load(path).dataset
    # the sources' texts: edited before, inside or after quotes, a quoted sentence dropped
    for s in ds.sources:
        spath = ds.root / s.file
        text = ds.texts.get(s.id)
        if text is None or not spath.is_file() or rng.random() > amount * 2:
            continue
        mine = [ds.anchors[q.id] for q in ds.quotes
                if q.source == s.id and q.id in ds.anchors]
        how = rng.choice(["before", "after", "inside", "drop", "typography", "unreadable"])
        if how == "before":
            text = "An editor's note.\n\n" + text
        elif how == "after":
            text = text + "\n\nA late addition."
        elif mine and how == "inside":
            a = rng.choice(mine)
            mid = (a.start + a.end) // 2
            text = text[:mid] + " not " + text[mid:]
        elif mine and how == "drop":
            a = rng.choice(mine)
            text = text[:a.start] + text[a.end:]
        elif mine and how == "typography":
            a = rng.choice(mine)
            text = (text[:a.start] + a.exact.replace("'", "\u2019").replace(" ", "\u00a0", 1)
                    + text[a.end:])
        elif how == "unreadable":
            spath.write_bytes(b"\xff\xfe not UTF-8")
            continue
        spath.write_text(text, encoding="utf-8")
    for f in data_files(path):
        doc = tomllib.loads(f.read_text(encoding="utf-8"))
        quote_text = {q["id"]: q["text"] for q in doc.get("quotes", [])}
        for q in doc.get("quotes", []):
            if rng.random() < amount / 2:
                q["text"] = rng.choice([
                    q["text"].replace("'", "\u2019").replace("\u2019", "'"),
                    q["text"] + " more",
                    "  " + q["text"].replace(" ", "\n", 1),
                    q["text"][: len(q["text"]) // 2]])
        for table in ("states", "entities", "metrics", "events", "relations", "conflicts",
                      "quotes"):
            for rec in doc.get(table, []):
                if rng.random() < amount:
                    _damage_prose(rng, rec, quote_text)
        if doc.get("quotes") and rng.random() < amount * 3:
            some = rng.choice(doc["quotes"])
            passages = [some["text"][: max(1, len(some["text"]) // 3)],
                        "words no source has", "  ", "the"]
            whole = ds.texts.get(some["source"], "")
            cut = whole.find(". ", rng.randrange(max(1, len(whole))))
            if cut > 30:
                passages.append(whole[cut - 30:cut + 30])  # two sentences
            doc.setdefault("uncited", []).extend(
                {"source": some["source"], "text": t, "reason": rng.choice(UNCITED_REASONS)}
                for t in passages)
        if rng.random() < amount and doc.get("quotes"):
            doc["quotes"].append(dict(doc["quotes"][0]))  # a duplicate id
        f.write_text(tomli_w.dumps(doc), encoding="utf-8")
        apath = anchors_path_for(f)
        if not apath.exists():
            continue
        anchors = tomllib.loads(apath.read_text(encoding="utf-8")).get("anchors", {})
        for qid in list(anchors):
            a = anchors[qid]
            r = rng.random()
            if r < amount / 4:
                del anchors[qid]
            elif r < amount / 2:
                a["review"] = rng.choice(["fuzzy", "orphaned", "ambiguous", "kept"])
                if rng.random() < 0.5:
                    a["found"], a["found_start"], a["found_end"] = "what is there", 3, 9
            elif r < amount * 3 / 4:
                a.pop("text_key", None)
            elif r < amount:
                a["start"] = rng.choice([-5, a["start"] + 1, a["end"] + 10_000])
            elif r < amount * 5 / 4:
                a["source"] = "elsewhere"
        if anchors and rng.random() < amount * 2:
            anchors["q-gone-" + str(seed)] = dict(next(iter(anchors.values())))
        apath.write_text(tomli_w.dumps({"anchors": anchors}), encoding="utf-8")


# --------------------------------------------------------------------------- the datasets

def _shipped(tmp: Path) -> Path:
    shutil.copytree(ROOT / "data", tmp / "data", ignore=shutil.ignore_patterns("*.bak", ".*"))
    shutil.copytree(ROOT / "seeds", tmp / "seeds")
    return tmp / "data" / "csto.toml"


def _shipped_folder(tmp: Path) -> Path:
    from conftest import split_into_folder

    shutil.copytree(ROOT / "seeds", tmp / "seeds")
    return split_into_folder(ROOT / "data" / "csto.toml", tmp / "data")


def _analyst(tmp: Path) -> Path:
    shutil.copytree(ROOT / "tests" / "data", tmp / "tdata")
    return tmp / "tdata" / "analyst" / "analyst.toml"


def _corpus(scale: int) -> Any:
    def make(tmp: Path) -> Path:
        import sys

        sys.path.insert(0, str(BENCH))
        try:
            from corpus import generate
        finally:
            sys.path.remove(str(BENCH))
        return generate(scale, tmp / "corpus", layout="folder")
    return make


DATASETS = {"shipped": _shipped, "shipped-folder": _shipped_folder, "analyst": _analyst,
            "corpus-x1": _corpus(1), "corpus-x3": _corpus(3)}


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_check_reports_as_the_reference_on_intact_datasets(name: str, tmp_path: Path) -> None:
    rep = assert_same_report(DATASETS[name](tmp_path))
    assert rep.quote_status and all(s == "exact" for s in rep.quote_status.values())


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("name", sorted(DATASETS))
def test_check_reports_as_the_reference_on_damaged_datasets(name: str, seed: int,
                                                            tmp_path: Path) -> None:
    path = DATASETS[name](tmp_path)
    damage(path, seed)
    rep = assert_same_report(path)
    # the damage shows: the comparison covered problems of every kind check finds
    assert rep.problems
    if name.startswith("corpus"):
        assert any(s != "exact" for s in rep.quote_status.values())


def test_damage_covers_every_kind_of_problem_check_finds(tmp_path: Path) -> None:
    """Across the damaged datasets, the report has each kind of problem: the comparisons
    above are not comparing empty reports."""
    codes: set[str] = set()
    changed: set[bool | None] = set()
    for i, name in enumerate(sorted(DATASETS)):
        for seed in range(4):
            path = DATASETS[name](tmp_path / f"{i}-{seed}")
            damage(path, seed, amount=0.3)
            rep = check(path)
            codes.update(p.code for p in rep.problems)
            changed.update(c.changed for c in rep.sources.values())
    assert {"moved", "fuzzy", "orphaned", "unanchored", "kept", "stale-anchor",
            "quote-marks", "uncited"} <= codes, codes
    assert {True, False} <= changed


def test_verify_quote_agrees_with_check_on_each_quote(tmp_path: Path) -> None:
    """``verify_quote`` (one quote) says what ``check`` says of every quote of a damaged
    dataset."""
    path = _shipped(tmp_path)
    damage(path, 7, amount=0.3)
    res = load(path)
    rep = check(result=res)
    ds = res.dataset
    keys = {sid: textstore.key_of(t) for sid, t in ds.texts.items()}
    last = {q.id: verify_quote(ds, q, keys)[0] for q in ds.quotes}
    assert last == rep.quote_status
    assert any(s != "exact" for s in last.values())
    by_problem = {p.record: p.message for p in rep.problems if p.code in QUOTE_STATUS}
    for q in ds.quotes:
        status, msg = verify_quote(ds, q)
        if q.id in by_problem and rep.quote_status[q.id] == status:
            assert msg == by_problem[q.id] or status == "exact"


def test_source_changes_counts_statuses_in_the_order_they_first_occur(tmp_path: Path) -> None:
    path = _shipped(tmp_path)
    ds = load(path).dataset
    keys = {sid: textstore.key_of(t) for sid, t in ds.texts.items()}
    statuses = {q.id: "exact" for q in ds.quotes}
    mine = [q.id for q in ds.quotes if q.source == ds.sources[0].id]
    statuses[mine[1]] = "moved"
    statuses[mine[3]] = "fuzzy"
    del statuses[mine[4]]  # no status: counted as exact
    got = source_changes(ds, statuses, keys)
    assert got == ref_source_changes(ds, statuses, keys)
    assert list(got[ds.sources[0].id].quotes) == ["exact", "moved", "fuzzy"]


def test_quotation_problems_as_the_reference_on_marked_prose(tmp_path: Path) -> None:
    """Every record's prose given quotation marks: the prose check finds what the reference
    finds, in its order."""
    path = _shipped(tmp_path)
    text = path.read_text(encoding="utf-8")
    n = 0

    def mark(m: re.Match[str]) -> str:
        nonlocal n
        n += 1
        what = PROSE[n % len(PROSE)]
        return f'{m.group(1)} = "{m.group(2)} {what.replace(chr(34), chr(92) + chr(34))}"'

    keys = "summary|name|title|role|note|detail|says|topic|measure"
    path.write_text(re.sub(rf'^({keys}) = "(.*)"$', mark, text, flags=re.M), encoding="utf-8")
    ds = load(path).dataset
    got = quotation_problems(ds)
    assert got == ref_quotation_problems(ds)
    assert len(got) > 10


@pytest.mark.parametrize("how", ["extra anchor", "quote removed", "anchor renamed"])
def test_stale_anchors_as_the_reference(how: str, tmp_path: Path) -> None:
    """An anchor of no quote is reported whether or not some quote lacks its anchor."""
    path = _shipped(tmp_path)
    apath = anchors_path_for(path)
    anchors = tomllib.loads(apath.read_text(encoding="utf-8"))["anchors"]
    first = next(iter(anchors))
    if how == "extra anchor":
        anchors["q-no-such-quote"] = dict(anchors[first])
    elif how == "anchor renamed":
        anchors["q-no-such-quote"] = anchors.pop(first)
    else:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
        doc["quotes"] = [q for q in doc["quotes"] if q["id"] != first]
        path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    apath.write_text(tomli_w.dumps({"anchors": anchors}), encoding="utf-8")
    rep = assert_same_report(path)
    stale = [p.record for p in rep.problems if p.code == "stale-anchor"]
    assert stale == ([first] if how == "quote removed" else ["q-no-such-quote"])
