"""`csto-tui check` by file against the whole check, over a seeded random walk of edits to
the folder dataset: after each edit the check from what the last one kept
(``summarize(folder)``) and the whole check (``summarize(folder, whole=True)``) must report
the same, problem for problem (as in tests/test_filecheck.py).

The edits change values of every kind of field (titles, dates, references to ids that exist
and that do not, citations, prose with and without quotation marks, names and aliases, quote
texts, uncited passages, ids; records added and removed), and what lies around the data
files (an anchors file removed, unreadable or back, a source's text, a source that becomes a
link out of the folder, a data file renamed so that the files' order changes, a file that
does not parse); many edits go back to an earlier version of a file, so that what the files
declare to each other is often as it was and the check by file is taken. The dataset is
checked by its absolute path, or for stretches of steps by a relative one; every few steps
(and after every edit around the data files) the whole check is compared with one made with
no cache at all."""

from __future__ import annotations

import random
import tomllib
from copy import deepcopy
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from test_filecheck import _what

from csto_tui import records
from csto_tui.errors import DatasetError
from csto_tui.filecheck import summarize
from csto_tui.loader import anchors_path_for

SEED = 20261128
STEPS = 200
NAMES = ("a1", "a2", "shared")


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("CSTO_TUI_CACHE", raising=False)


_KIND = {k.table: k for k in records.kinds()}


class Walk:
    """The folder dataset's files as documents, edited at random and written back."""

    def __init__(self, folder: Path, rng: random.Random) -> None:
        self.folder = folder
        self.rng = rng
        self.file = {n: f"{n}.toml" for n in NAMES}  # a file's name now (it may be renamed)
        self.docs = {n: tomllib.loads((folder / self.file[n]).read_text(encoding="utf-8"))
                     for n in NAMES}
        self.history: dict[str, list[dict[str, Any]]] = {n: [deepcopy(self.docs[n])]
                                                         for n in NAMES}
        self.anchors = {n: anchors_path_for(folder / self.file[n]).read_bytes()
                        for n in NAMES if anchors_path_for(folder / self.file[n]).exists()}
        self.seeds = sorted((folder.parent / "seeds").glob("*.txt"))
        self.seed_texts = [s.read_text(encoding="utf-8") for s in self.seeds]
        self.fresh = 0
        #: ids given by this walk's edits since the start was restored: what refers to them
        #: (a citation, a reference, prose) is edited more often
        self.recent: list[str] = []
        #: the uncited passages edits gave since then
        self.passages: list[str] = []

    # -- what the dataset holds now

    def records(self, table: str | None = None) -> list[tuple[str, str, dict[str, Any]]]:
        """(file, table, record) of every record (of a table)."""
        return [(n, t, r) for n, doc in self.docs.items() for t, recs in doc.items()
                if t != "dataset" and isinstance(recs, list) and (table is None or t == table)
                for r in recs if isinstance(r, dict)]

    def ids(self, table: str | None = None) -> list[str]:
        return [r["id"] for _n, _t, r in self.records(table) if isinstance(r.get("id"), str)]

    def quote_text(self, qid: str) -> str:
        return next((r.get("text", "") for _n, _t, r in self.records("quotes")
                     if r.get("id") == qid), "")

    def new_id(self, stem: str) -> str:
        self.fresh += 1
        return f"{stem}-{self.fresh}"

    def some_id(self, table: str | None = None) -> str:
        """An id that exists (of a table, or of any), one an edit gave, or one that does not."""
        roll = self.rng.random()
        if self.recent and roll < 0.5:
            return self.rng.choice(self.recent)
        ids = self.ids(table)
        return self.rng.choice(ids) if ids and roll < 0.85 else self.new_id("nowhere")

    def prose(self, cites: list[str]) -> str:
        """A sentence: plain, quoting words of a quote cited (verbatim), quoting words of no
        quote, a quoted single word, or starting a line as an uncited passage's value does."""
        rng = self.rng
        how = rng.randrange(5)
        if how == 1 and cites:
            words = self.quote_text(rng.choice(cites)).split()
            if len(words) >= 3:
                i = rng.randrange(len(words) - 2)
                return f"It said \u201c{' '.join(words[i:i + 3])}\u201d, then more"
        if how == 2:
            return f'It said "not a word of the sources {rng.randrange(9)}" once'
        if how == 3:
            return "the so-called \u2018army\u2019 of it"
        if how == 4:  # a line of its own that reads as an uncited passage's value
            passages = self.passages or [r.get("text", "") for _n, _t, r in self.records(
                "uncited")]
            if passages:
                return "see\ntext = " + rng.choice(passages)[:60]
        return f"edited {self.new_id('words')}"

    # -- edits: each returns what it did, for a failure's message

    def edit(self) -> str:
        rng = self.rng
        ops = [(self.prose_field, 5), (self.date, 1), (self.reference, 3),
               (self.citation, 4), (self.naming, 2), (self.quote, 2), (self.uncited, 2),
               (self.rename_id, 2), (self.add_or_remove, 1), (self.revert, 6),
               (self.anchors_file, 2), (self.source, 1), (self.rename_file, 0.5),
               (self.broken, 0.3)]
        op = rng.choices([o for o, _w in ops], [w for _o, w in ops])[0]
        return op()

    def pick(self, table: str | None = None, has: str | None = None
             ) -> tuple[str, str, dict[str, Any]] | None:
        got = [x for x in self.records(table) if has is None or has in x[2]]
        again = [x for x in got if x[2].get("id") in self.recent]
        if again and self.rng.random() < 0.5:
            return self.rng.choice(again)
        return self.rng.choice(got) if got else None

    def prose_field(self) -> str:
        got = self.pick()
        if got is None:
            return "nothing"
        n, t, r = got
        kind = _KIND.get(t)
        if kind is None:
            return "nothing"
        skip = {"id", "text"} if t in ("quotes", "uncited") else {"id"}
        keys = [f.key for f in kind.fields if f.type == "str" and not f.refs and not f.choices
                and f.key not in skip and f.key != "file"]
        if not keys:
            return "nothing"
        key = self.rng.choice(keys)
        r[key] = self.prose(list(r.get("quotes", ())))
        return f"{n}: {t} {r.get('id')} {key} = {r[key]!r}"

    def date(self) -> str:
        got = self.pick("events", "date") or self.pick("sources", "date")
        if got is None:
            return "nothing"
        n, t, r = got
        r["date"] = self.rng.choice(["1992", "2001-05", "2022-01-06", "2001-13", "sometime"])
        return f"{n}: {t} {r.get('id')} date = {r['date']}"

    def reference(self) -> str:
        n, t, r = self.rng.choice([x for x in self.records()
                                   if x[1] in ("events", "metrics", "relations", "conflicts")])
        kind = _KIND[t]
        fields = [f for f in kind.fields if f.refs and not f.cites]
        f = self.rng.choice(fields)
        if f.type == "strs":
            vals = list(r.get(f.key, ()))
            if vals and self.rng.random() < 0.5:
                vals[self.rng.randrange(len(vals))] = self.some_id()
            else:
                vals.append(self.some_id())
            r[f.key] = vals
        else:
            r[f.key] = self.some_id()
        return f"{n}: {t} {r.get('id')} {f.key} = {r[f.key]!r}"

    def citation(self) -> str:
        got = self.pick(None, "quotes")
        if got is None:
            return "nothing"
        n, t, r = got
        quotes = list(r["quotes"])
        how = self.rng.randrange(4)
        if how == 0:
            quotes.insert(self.rng.randrange(len(quotes) + 1), self.some_id("quotes"))
        elif how == 1:
            quotes.append(self.new_id("q-missing"))
        elif how == 2 and len(quotes) > 1:
            quotes.pop(self.rng.randrange(len(quotes)))
        else:
            quotes = [self.new_id("q-missing")]
        r["quotes"] = quotes
        return f"{n}: {t} {r.get('id')} quotes = {quotes}"

    def naming(self) -> str:
        got = self.pick(self.rng.choice(["states", "entities"]))
        if got is None:
            return "nothing"
        n, t, r = got
        others = [o.get("name", "") for _n, _t, o in self.records("states") + self.records(
            "entities") if o is not r]
        how = self.rng.randrange(3)
        if how == 0:
            r["name"] = self.rng.choice(others)
        elif how == 1:
            r["aliases"] = [*r.get("aliases", ()), self.rng.choice(others)]
        else:
            r["aliases"] = []
        return f"{n}: {t} {r.get('id')} name {r.get('name')!r} aliases {r.get('aliases')}"

    def quote(self) -> str:
        got = self.pick("quotes")
        if got is None:
            return "nothing"
        n, t, r = got
        words = r.get("text", "").split()
        if words:
            words[self.rng.randrange(len(words))] = "changed"
        r["text"] = " ".join(words)
        return f"{n}: quote {r.get('id')} text = {r['text']!r}"

    def uncited(self) -> str:
        got = self.pick("uncited")
        if got is None:
            return "nothing"
        n, t, r = got
        how = self.rng.randrange(4)
        if how == 0:
            r["text"] = r.get("text", "") + " Indeed."
        elif how == 1:
            r["text"] = self.quote_text(self.rng.choice(self.ids("quotes") or ["none"]))
        elif how == 2:
            r["text"] = ""
        else:
            r["reason"] = self.rng.choice(["opinion", "background", "no reason"])
        self.passages.append(r.get("text", ""))
        return f"{n}: uncited {r.get('text', '')[:30]!r} {r.get('reason')}"

    def rename_id(self) -> str:
        got = self.pick(None, "id")
        if got is None:
            return "nothing"
        n, t, r = got
        old = r["id"]
        # a new id, or one of a table's (of the record's own kind or another: an id two
        # kinds claim)
        tables = sorted({x[1] for x in self.records() if "id" in x[2]})
        r["id"] = (self.new_id("id") if self.rng.random() < 0.3
                   else self.rng.choice(self.ids(self.rng.choice(tables))))
        self.recent.append(r["id"])
        return f"{n}: {t} id {old} -> {r['id']}"

    def add_or_remove(self) -> str:
        n = self.rng.choice(NAMES)
        events = self.docs[n].setdefault("events", [])
        mine = [e for e in events if str(e.get("id", "")).startswith("ev-new-")]
        if mine and self.rng.random() < 0.4:
            events.remove(mine[-1])
            return f"{n}: removed event {mine[-1]['id']}"
        cites = self.rng.sample(self.ids("quotes"), 2)
        ev = {"id": self.new_id("ev-new"), "date": "2010", "title": "A new event",
              "category": "institutional", "response": "milestone",
              "states": [self.rng.choice(self.ids("states") or ["none"])],
              "summary": self.prose(cites), "quotes": cites}
        events.append(ev)
        return f"{n}: added event {ev['id']} summary {ev['summary']!r}"

    def restore(self) -> str:
        """Every file, anchors file and source as at the start (so that the walk does not
        wander off into a dataset where every file has problems found together)."""
        for n in NAMES:
            self.docs[n] = deepcopy(self.history[n][0])
            path = anchors_path_for(self.folder / self.file[n])
            if path.is_dir():
                path.rmdir()
            if n in self.anchors and not path.exists():
                path.write_bytes(self.anchors[n])
        for seed, text in zip(self.seeds, self.seed_texts, strict=True):
            if seed.is_symlink() or seed.read_text(encoding="utf-8") != text:
                seed.unlink()
                seed.write_text(text, encoding="utf-8")
        self.recent.clear()
        self.passages.clear()
        return "all as at the start"

    def revert(self) -> str:
        n = self.rng.choice(NAMES)
        hist = self.history[n]
        i = 0 if self.rng.random() < 0.4 else self.rng.randrange(len(hist))
        self.docs[n] = deepcopy(hist[i])
        return f"{n}: back to version {i}"

    def anchors_file(self) -> str:
        n = self.rng.choice([m for m in NAMES if m in self.anchors])
        path = anchors_path_for(self.folder / self.file[n])
        if path.is_dir():
            path.rmdir()
            return f"{path.name}: the folder removed"
        if path.exists():
            path.unlink()
            if self.rng.random() < 0.5:
                path.mkdir()  # an anchors "file" that cannot be read
                return f"{path.name}: a folder"
            return f"{path.name}: removed"
        path.write_bytes(self.anchors[n])
        return f"{path.name}: back"

    def source(self) -> str:
        i = self.rng.randrange(len(self.seeds))
        seed = self.seeds[i]
        how = self.rng.randrange(3)
        if seed.is_symlink() or how == 0:
            seed.unlink()
            seed.write_text(self.seed_texts[i], encoding="utf-8")
            return f"{seed.name}: as it was"
        if how == 1:
            seed.write_text(self.seed_texts[i].replace(" the ", " a ", 3), encoding="utf-8")
            return f"{seed.name}: edited"
        # the dataset's folder is the test's own (base ".."): out of it, beside it
        outside = self.folder.parent.parent / f"{self.folder.parent.name}-{seed.name}"
        outside.write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
        seed.unlink()
        seed.symlink_to(outside)
        return f"{seed.name}: a link out of the folder"

    def rename_file(self) -> str:
        n = self.rng.choice(NAMES)
        old = self.file[n]
        new = f"z{old}" if not old.startswith("z") else old[1:]
        for a, b in ((old, new), (Path(old).stem + ".anchors.toml",
                                  Path(new).stem + ".anchors.toml")):
            if (self.folder / a).exists():
                (self.folder / a).rename(self.folder / b)
        self.file[n] = new
        return f"{old} renamed {new}"

    def broken(self) -> str:
        n = self.rng.choice(NAMES)
        (self.folder / self.file[n]).write_text("[[events]\nid = ", encoding="utf-8")
        return f"{n}: does not parse"

    def write(self, what: str) -> None:
        """Every file as its document now (a file broken by this edit aside: the next edit
        writes it again)."""
        for n in NAMES:
            if what == f"{n}: does not parse":
                continue
            text = tomli_w.dumps(self.docs[n], multiline_strings=True)
            path = self.folder / self.file[n]
            if path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
            if self.docs[n] != self.history[n][-1]:
                self.history[n].append(deepcopy(self.docs[n]))


def _check(path: Path, whole: bool) -> Any:
    """A check's summary, or the error's message."""
    try:
        return summarize(path, whole=whole)
    except DatasetError as exc:
        return ("error", exc.message)


def _both(path: Path) -> tuple[Any, Any]:
    """(by file, whole) of a check: the summaries compared, or the errors' messages."""
    return _check(path, False), _check(path, True)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, tuple) or isinstance(b, tuple):
        return bool(a == b)
    return bool(_what(a) == _what(b))


def _why(a: Any, b: Any) -> object:
    """What one check reports that the other does not, and the reverse (for a failure)."""
    if isinstance(a, tuple) or isinstance(b, tuple):
        return a, b
    out: list[object] = [("first only", p) for p in a.problems if p not in b.problems]
    out += [("second only", p) for p in b.problems if p not in a.problems]
    out += [(x, y) for x, y in zip(_what(a)[1:], _what(b)[1:], strict=True) if x != y]
    return out


def test_edit_after_edit_by_file_is_the_whole_check(
        folder_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    walk = Walk(folder_copy, random.Random(SEED))
    monkeypatch.chdir(folder_copy.parent)
    by_file = 0
    codes: set[str] = set()
    done: list[str] = []
    for step in range(STEPS):
        what = walk.restore() if step % 8 == 7 else walk.edit()
        walk.write(what)
        done.append(what)
        # by its absolute path, or for a stretch of steps by a relative one
        path = Path(folder_copy.name) if step // 20 % 4 == 3 else folder_copy
        got, whole = _both(path)
        assert _same(got, whole), (step, path, done[-5:], _why(got, whole))
        if step % 3 == 0 or not what.startswith(NAMES):
            # the whole check itself against one with no cache at all (an anchors file or a
            # source changed: every time)
            with monkeypatch.context() as m:
                m.setenv("CSTO_TUI_CACHE", "0")
                bare = _check(path, True)
            assert _same(whole, bare), (step, path, done[-5:], _why(whole, bare))
        if not isinstance(got, tuple):
            by_file += got.report is None
            codes |= {p.code for p in whole.problems}
    # the walk went where it should: many checks by file, problems of every kind made
    assert by_file >= STEPS // 5, by_file
    assert {"quote-marks", "unknown-ref", "uncited-record", "alias", "duplicate-id",
            "uncited", "toml", "path"} <= codes, codes
