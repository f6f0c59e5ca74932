"""Review of the quick validation after an edit (csto_tui/incremental.py): edits and situations
beyond tests/test_incremental.py. Each load with the cache must give what a full validation
without it gives, whichever way it was taken."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from test_incremental import Spy, _agree, _first_id, _full, _table
from test_snapshot import _same

from csto_tui import loader, tomlchunks
from csto_tui.loader import LoadResult, load


@pytest.fixture
def big(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, project_copy: Path) -> Path:
    """The shipped dataset, cut into tables and validated from what changed (as in
    tests/test_incremental.py)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("CSTO_TUI_CACHE", raising=False)
    monkeypatch.setattr(tomlchunks, "MIN_SIZE", 0)
    return project_copy


def _sound(res: object) -> None:
    assert isinstance(res, LoadResult) and not res.problems, res


def _edit_table(text: str, rid: str, old: str, new: str) -> str:
    s, e = _table(text, rid)
    body = text[s:e]
    assert old in body, (rid, old)
    return text[:s] + body.replace(old, new, 1) + text[e:]


def _state_name(text: str, skip: int = 0) -> str:
    return re.findall(r'(?m)^\[\[states\]\]\s*\nid = "[^"]+"\nname = "([^"]+)"', text)[skip]


def _new_entity(eid: str, name: str, quote: str, aliases: str = "[]") -> str:
    return (f'[[entities]]\nid = "{eid}"\nkind = "body"\nname = "{name}"\n'
            f'aliases = {aliases}\nquotes = ["{quote}"]\n\n')


# ---- the file's form: line endings, BOM, header spellings ------------------------------------

@pytest.mark.parametrize("form", ["crlf", "bom", "bom-crlf"])
def test_a_file_in_another_form_is_edited_quickly_and_right(
        form: str, big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = big.read_bytes()
    if "crlf" in form:
        raw = raw.replace(b"\n", b"\r\n")
    if "bom" in form:
        raw = b"\xef\xbb\xbf" + raw
    big.write_bytes(raw)
    _sound(_agree(big, monkeypatch))
    spy = Spy(monkeypatch)
    ev = _first_id(big.read_text(encoding="utf-8").replace("\r\n", "\n"), "events", 4)
    nl = "\r\n" if "crlf" in form else "\n"
    raw = big.read_bytes()
    at = raw.index(f'id = "{ev}"'.encode())
    big.write_bytes(raw[:at] + raw[at:].replace(b'title = "', 'title = "Révisé: '.encode(), 1))
    _sound(_agree(big, monkeypatch))
    # and a new quote, written in the file's own line endings, after the last table
    big.write_bytes(big.read_bytes() + nl.join([
        "[[quotes]]   # added", f'id = "q-review-{form}"', 'source = "a1"',
        'text = "an added quote"', ""]).encode())
    res = _agree(big, monkeypatch)
    _sound(res)
    assert spy.taken == 2
    assert any(x.id == f"q-review-{form}" for x in res.dataset.quotes)  # type: ignore[union-attr]


@pytest.mark.parametrize("header", ["[[ quotes ]]", "[[quotes]]\t# a comment", "\t[[quotes]]",
                                    "[[quotes]]  "])
def test_header_spellings_of_a_new_table(header: str, big: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    _agree(big, monkeypatch)
    text = big.read_text(encoding="utf-8")
    s, _e = _table(text, _first_id(text, "quotes", 10))
    text = (text[:s] + f'{header}\nid = "q-spelled"\nsource = "a2"\ntext = "spelled"\n\n'
            + text[s:])
    big.write_text(text, encoding="utf-8")
    spy = Spy(monkeypatch)
    _sound(_agree(big, monkeypatch))
    assert spy.taken == 1


# ---- TOML that means something else in the whole file ----------------------------------------

@pytest.mark.parametrize("case", [
    "string-with-header-lines", "literal-string-with-header", "inline-membership",
    "array-spanning-lines", "dotted-key-in-table", "subtable-of-record", "quoted-header",
    "header-after-key-on-line", "table-before-dataset", "empty-array-header-at-eof",
    "states-membership-alone", "membership-moved-to-other-state",
])
def test_toml_across_table_boundaries(case: str, big: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    _agree(big, monkeypatch)
    text = big.read_text(encoding="utf-8")
    q = _first_id(text, "quotes", 6)
    s, e = _table(text, q)
    if case == "string-with-header-lines":  # header lines inside a string: one table, not three
        text = (text[:s] + text[s:e].rstrip("\n")
                + '\nnote = """\n[[quotes]]\nid = "x1"\n[dataset]\n"""\n\n' + text[e:])
    elif case == "literal-string-with-header":
        text = text[:s] + text[s:e].rstrip("\n") + "\nnote = '''\n[[events]]\n'''\n\n" + text[e:]
    elif case == "inline-membership":
        ids = re.findall(r'(?m)^\[\[states\]\]\s*\nid = "([^"]+)"', text)
        st = next(i for i in ids if "[[states.membership]]" not in text[slice(*_table(text, i))])
        s2, e2 = _table(text, st)
        body = text[s2:e2]
        cite = re.search(r'quotes = \["([^"]+)"', body).group(1)  # type: ignore[union-attr]
        body = body.rstrip("\n") + (f'\nmembership = [{{kind = "observer", from = "2001", '
                                    f'quotes = ["{cite}"]}}]\n\n')
        text = text[:s2] + body + text[e2:]
    elif case == "array-spanning-lines":
        text = text[:s] + text[s:e].rstrip("\n") + '\nnote = """a\n[b]\n"""\n\n' + text[e:]
    elif case == "dotted-key-in-table":
        text = text[:s] + text[s:e].rstrip("\n") + '\nnote.more = "x"\n\n' + text[e:]
    elif case == "subtable-of-record":
        text = text[:s] + text[s:e].rstrip("\n") + '\n[quotes.extra]\nx = 1\n\n' + text[e:]
    elif case == "quoted-header":
        text = (text[:e] + '[["quotes"]]\nid = "q-quoted"\nsource = "a1"\ntext = "t"\n\n'
                + text[e:])
    elif case == "header-after-key-on-line":
        text = text[:s] + text[s:e].rstrip("\n") + ' [[quotes]]\n\n' + text[e:]
    elif case == "table-before-dataset":
        at = text.index("[dataset]")
        text = text[:at] + '[[quotes]]\nid = "q-first"\nsource = "a1"\ntext = "t"\n\n' + text[at:]
    elif case == "empty-array-header-at-eof":
        text = text.rstrip("\n") + "\n[[events]]"
    elif case == "states-membership-alone":  # a span after a quote: it extends no state there
        text = (text[:e] + '[[states.membership]]\nkind = "member"\nfrom = "1994"\n\n'
                + text[e:])
    elif case == "membership-moved-to-other-state":
        spans = [m.start() for m in re.finditer(r"(?m)^\[\[states\.membership\]\]", text)]
        a = spans[0]
        b = text.index("\n\n", a) + 2
        span = text[a:b]
        text = text[:a] + text[b:]
        st = _first_id(text, "states", 5)
        s2, e2 = _table(text, st)
        text = text[:e2] + span + text[e2:]
    big.write_text(text, encoding="utf-8")
    _agree(big, monkeypatch)


# ---- ids, references, names --------------------------------------------------------------------

@pytest.mark.parametrize("case", [
    "quote-id-of-a-source", "event-id-of-a-conflict", "swap-two-quotes", "swap-ids",
    "entity-becomes-state", "metric-counterpart-new-entity", "event-actor-new-entity",
    "alias-casefold-clash", "alias-own-name", "remove-all-metrics", "remove-all-events",
    "rename-uncited-metric", "new-span-cites-new-quote", "quote-cites-a-quote",
    "overlapping-spans", "conflict-named-event-moved", "huge-year", "state-status-flip",
])
def test_ids_and_references(case: str, big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _agree(big, monkeypatch)
    text = big.read_text(encoding="utf-8")
    q = _first_id(text, "quotes", 6)
    if case == "quote-id-of-a-source":
        text = _edit_table(text, q, f'id = "{q}"', 'id = "a2"')
    elif case == "event-id-of-a-conflict":
        ev = _first_id(text, "events", 5)
        text = _edit_table(text, ev, f'id = "{ev}"', 'id = "c-cst-signing"')
    elif case == "swap-two-quotes":
        s1, e1 = _table(text, _first_id(text, "quotes", 3))
        s2, e2 = _table(text, _first_id(text, "quotes", 4))
        assert e1 == s2
        text = text[:s1] + text[s2:e2] + text[s1:e1] + text[e2:]
    elif case == "swap-ids":  # two metrics exchange their ids
        m1, m2 = _first_id(text, "metrics", 1), _first_id(text, "metrics", 2)
        text = text.replace(f'id = "{m1}"', 'id = "@@"').replace(f'id = "{m2}"', f'id = "{m1}"')
        text = text.replace('id = "@@"', f'id = "{m2}"')
    elif case == "entity-becomes-state":
        ent = _first_id(text, "entities", 5)
        text = _edit_table(text, ent, "[[entities]]", "[[states]]")
    elif case == "metric-counterpart-new-entity":
        m = _first_id(text, "metrics", 3)
        s, e = _table(text, m)
        body = re.sub(r'(?m)^counterpart = "[^"]*"\n', "", text[s:e])
        body = body.replace('category = ', 'counterpart = "new-body"\ncategory = ', 1)
        text = text[:s] + body + _new_entity("new-body", "A new body", q) + text[e:]
    elif case == "event-actor-new-entity":
        ev = _first_id(text, "events", 7)
        s, e = _table(text, ev)
        body = re.sub(r'(?m)^actors = \[', 'actors = ["new-actor", ', text[s:e], count=1)
        if body == text[s:e]:
            body = text[s:e].rstrip("\n") + '\nactors = ["new-actor"]\n\n'
        text = text[:s] + _new_entity("new-actor", "A new actor", q) + body + text[e:]
    elif case == "alias-casefold-clash":
        ev = _first_id(text, "events", 7)
        s, _e = _table(text, ev)
        name = _state_name(text, 3)
        text = text[:s] + _new_entity("x-body", "X body", q, f'["  {name.upper()} "]') + text[s:]
    elif case == "alias-own-name":
        ev = _first_id(text, "events", 7)
        s, _e = _table(text, ev)
        text = text[:s] + _new_entity("x-body", "X body", q, '["x BODY"]') + text[s:]
    elif case in ("remove-all-metrics", "remove-all-events"):
        kind = case.split("-")[-1]
        text = re.sub(rf"(?ms)^\[\[{kind}\]\]\n.*?(?=^\[\[(?!{kind}\]\])[a-z]+|\Z)", "", text)
    elif case == "rename-uncited-metric":
        m = _first_id(text, "metrics", 8)
        text = _edit_table(text, m, f'id = "{m}"', f'id = "{m}-renamed"')
    elif case == "new-span-cites-new-quote":
        at = text.index("[[states.membership]]")
        st_start = text.rindex("\n[[states]]", 0, at) + 1
        st_id = re.search(r'id = "([^"]+)"', text[st_start:]).group(1)  # type: ignore[union-attr]
        s, e = _table(text, st_id)
        body = text[s:e].replace(
            '[[states.membership]]\n', '[[states.membership]]\nquotes = ["q-span-new"]\n', 1)
        text = (text[:s] + '[[quotes]]\nid = "q-span-new"\nsource = "a2"\ntext = "t"\n\n' + body
                + text[e:])
    elif case == "quote-cites-a-quote":  # the full way takes this without a problem
        text = _edit_table(text, q, 'source = "a', f'source = "{_first_id(text, "quotes", 1)}"#')
    elif case == "overlapping-spans":
        text = text.replace('[[states.membership]]\nkind = "member"\nfrom = "1994"\n',
                            '[[states.membership]]\nkind = "member"\nfrom = "1994"\n'
                            'to = "1999"\n\n[[states.membership]]\nkind = "member"\n'
                            'from = "1998"\n', 1)
    elif case == "conflict-named-event-moved":
        s, e = _table(text, "ev-2021-border-drills")
        piece = text[s:e]
        text = text[:s] + text[e:]
        s2, e2 = _table(text, _first_id(text, "events", 0))
        text = text[:s2] + piece + text[s2:]
    elif case == "huge-year":
        m = _first_id(text, "metrics", 0)
        text = _edit_table(text, m, "year = 2020", "year = 99999999999999999999")
    elif case == "state-status-flip":
        st = re.search(r'(?m)^\[\[states\]\]\nid = "([^"]+)"\nname = "[^"]+"\nstatus = "member"',
                       text).group(1)  # type: ignore[union-attr]
        text = _edit_table(text, st, 'status = "member"', 'status = "observer"')
    big.write_text(text, encoding="utf-8")
    _agree(big, monkeypatch)


# ---- where the file is, and what the cache holds ---------------------------------------------

def test_a_dataset_reached_through_a_symlink(big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same file by two names (remembered by its real path), in folders whose sources are
    not the same: each name validates as a full load of that name would."""
    other = big.parent.parent / "elsewhere"
    other.mkdir()
    link = other / "csto.toml"
    link.symlink_to(big)
    _sound(_agree(big, monkeypatch))
    _agree(link, monkeypatch)  # base = "..": its sources are not there
    text = big.read_text(encoding="utf-8")
    big.write_text(_edit_table(text, _first_id(text, "events", 3), 'title = "', 'title = "L '),
                   encoding="utf-8")
    _agree(link, monkeypatch)
    _agree(big, monkeypatch)


def test_two_datasets_share_one_cache(big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    twin_root = big.parent.parent / "twin"
    shutil.copytree(big.parent.parent / "data", twin_root / "data")
    shutil.copytree(big.parent.parent / "seeds", twin_root / "seeds")
    twin = twin_root / "data" / "csto.toml"
    _agree(big, monkeypatch)
    _agree(twin, monkeypatch)
    text = big.read_text(encoding="utf-8")
    ev = _first_id(text, "events", 3)
    a = _edit_table(text, ev, 'title = "', 'title = "A ')
    b = _edit_table(text, ev, 'title = "', 'title = "B ')
    for path, new in ((big, a), (twin, b), (big, b), (twin, a), (big, text)):
        path.write_text(new, encoding="utf-8")
        _sound(_agree(path, monkeypatch))


def test_a_pruned_snapshot_or_a_lost_copy_is_never_used(
        big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _agree(big, monkeypatch)
    text = big.read_text(encoding="utf-8")
    for n in range(3):
        for entry in (big.parent.parent / "cache" / "csto-tui").glob("*"):
            if n == 0 or entry.stat().st_size > 40_000:
                entry.unlink()
        text = _edit_table(text, _first_id(text, "events", 3 + n), 'title = "', 'title = "P ')
        big.write_text(text, encoding="utf-8")
        _sound(_agree(big, monkeypatch))


def test_a_file_rewritten_while_it_is_read_is_not_cached_under_the_other_bytes(
        big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An editor's save and undo (A, then B, then A again) while the loader reads the file: the
    bytes it read (B) must not be stored as the snapshot of the bytes it hashed (A)."""
    _sound(_agree(big, monkeypatch))
    a = big.read_bytes()
    text = a.decode("utf-8")
    b = _edit_table(text, _first_id(text, "events", 3), 'title = "', 'title = "B ').encode()
    big.write_bytes(a + b"\n")  # a version not seen yet: no snapshot for A below
    a = big.read_bytes()
    real = loader._read_bytes

    def read_while_rewritten(path: Path) -> bytes:
        if Path(path) != big:
            return real(path)
        big.write_bytes(b)
        got = real(path)
        big.write_bytes(a)
        return got

    with monkeypatch.context() as m:
        m.setattr(loader, "_read_bytes", read_while_rewritten)
        load(big)  # B, as read
    assert big.read_bytes() == a
    _agree(big, monkeypatch)  # A, as the file now holds


def test_the_quick_way_is_the_same_after_many_edits_in_a_row(
        big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Chained quick loads, each from the one before, agree with a full one at every step."""
    _agree(big, monkeypatch)
    spy = Spy(monkeypatch)
    text = big.read_text(encoding="utf-8")
    steps = 0
    for n, kind in enumerate(["events", "quotes", "metrics", "states", "entities"] * 2):
        rid = _first_id(text, kind, 2 + n)
        s, e = _table(text, rid)
        if n % 3 == 0:  # moved to the end of the file, past conflicts: validated in full
            text = text[:s] + text[e:] + "\n" + text[s:e]
            steps -= 1
        elif n % 3 == 1:
            text = text[:s] + text[s:e].replace('"\n', '"  # n\n', 1) + text[e:]
        else:
            text = text[:e] + "\n# note\n" + text[e:]
        big.write_text(text, encoding="utf-8")
        _sound(_agree(big, monkeypatch))
        steps += 1
    assert spy.taken == steps
    # and from the snapshots those quick loads left, with the cache only
    _same(load(big), _full(big, monkeypatch))  # type: ignore[arg-type]
    assert os.environ.get("CSTO_TUI_CACHE") != "0"
