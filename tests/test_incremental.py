"""Validating a big dataset from what changed (csto_tui/incremental.py): after any edit, a load
gives exactly what a full parse and validation gives, and the quick way is taken when (and only
when) it can be sure of that.

The shipped dataset is small, so the size from which files are cut into tables is lowered to
nothing here; it has every kind of table, conflicts that name records, and uncited passages.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from conftest import DATA
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_snapshot import _same

from csto_tui import incremental, loader, tomlchunks
from csto_tui.errors import DatasetError
from csto_tui.loader import LoadResult, load


@pytest.fixture
def big(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, project_copy: Path) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("CSTO_TUI_CACHE", raising=False)
    monkeypatch.setattr(tomlchunks, "MIN_SIZE", 0)
    return project_copy


class Spy:
    """Counts the loads that took the incremental way."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.taken = 0
        real = incremental.revalidate

        def revalidate(path: str, raw: bytes) -> Any:
            out = real(path, raw)
            self.taken += out is not None
            return out

        monkeypatch.setattr(incremental, "revalidate", revalidate)


def _full(path: Path, monkeypatch: pytest.MonkeyPatch) -> LoadResult | str:
    with monkeypatch.context() as m:
        m.setenv("CSTO_TUI_CACHE", "0")
        try:
            return load(path)
        except DatasetError as exc:
            return str(exc)


def _cached(path: Path) -> LoadResult | str:
    try:
        return load(path)
    except DatasetError as exc:
        return str(exc)


def _agree(path: Path, monkeypatch: pytest.MonkeyPatch) -> LoadResult | str:
    got, want = _cached(path), _full(path, monkeypatch)
    if isinstance(want, str) or isinstance(got, str):
        assert got == want
    else:
        _same(got, want)
    return got


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _table(text: str, rid: str) -> tuple[int, int]:
    """Start and end of the top-level table whose id is ``rid``."""
    at = text.index(f'id = "{rid}"')
    start = text.rindex("\n[[", 0, at) + 1
    m = re.compile(r"^\[\[?[a-z]+\]\]?\s*$", re.M).search(text, at)
    return start, (m.start() if m else len(text))


def _first_id(text: str, kind: str, skip: int = 0) -> str:
    ids = re.findall(rf'^\[\[{kind}\]\]\s*\nid = "([^"]+)"', text, re.M)
    return ids[skip]


# ---- the quick way, when it is sure ------------------------------------------------------------

def test_a_sound_dataset_is_validated_from_its_changed_tables(
        big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _agree(big, monkeypatch)
    assert isinstance(first, LoadResult) and not first.problems
    spy = Spy(monkeypatch)
    text = big.read_text(encoding="utf-8")
    ev = _first_id(text, "events", 3)
    s, e = _table(text, ev)
    big.write_text(text[:s] + text[s:e].replace('title = "', 'title = "Edited: ', 1) + text[e:],
                   encoding="utf-8")

    def boom(*_a: object) -> None:
        raise AssertionError("parsed and validated everything again")

    with monkeypatch.context() as m:
        m.setattr(loader, "_load_validating", boom)
        res = load(big)
    assert spy.taken == 1
    assert next(x for x in res.dataset.events if x.id == ev).title.startswith("Edited: ")
    _same(res, _full(big, monkeypatch))  # type: ignore[arg-type]
    again = _agree(big, monkeypatch)  # now from the snapshot the quick way wrote
    assert isinstance(again, LoadResult)


@pytest.mark.parametrize("case", [
    "quote-note", "metric-value", "state-span", "delete-event", "append-quote-and-cite",
    "first-table", "append-at-end", "non-ascii", "move-quote", "whitespace-only",
])
def test_edits_within_record_tables_take_the_quick_way(
        case: str, big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _agree(big, monkeypatch)
    spy = Spy(monkeypatch)
    text = big.read_text(encoding="utf-8")
    if case == "quote-note":
        q = _first_id(text, "quotes", 5)
        s, e = _table(text, q)
        text = text[:s] + text[s:e].rstrip("\n") + '\nnote = "checked again"\n\n' + text[e:]
    elif case == "metric-value":
        text = re.sub(r"(?m)^value = (\d+)", lambda m: f"value = {int(m.group(1)) + 1}", text,
                      count=1)
    elif case == "state-span":
        text = text.replace('[[states.membership]]\nkind = "member"\nfrom = "1994"\n',
                            '[[states.membership]]\nkind = "member"\nfrom = "1994-05"\n'
                            'note = "month added"\n', 1)
    elif case == "delete-event":
        s, e = _table(text, _first_id(text, "events", 2))
        text = text[:s] + text[e:]
    elif case == "append-quote-and-cite":
        q = _first_id(text, "quotes")
        src = re.search(rf'id = "{q}"\nsource = "([^"]+)"', text)
        assert src
        last_q = re.findall(r'(?m)^\[\[quotes\]\]\s*\nid = "([^"]+)"', text)[-1]
        _s, e = _table(text, last_q)
        text = (text[:e] + f'[[quotes]]\nid = "q-added"\nsource = "{src.group(1)}"\n'
                f'text = "a new quote"\n\n' + text[e:])
        ev = _first_id(text, "events")
        s, e = _table(text, ev)
        cited = re.sub(r"quotes = \[", 'quotes = ["q-added", ', text[s:e], count=1)
        text = text[:s] + cited + text[e:]
    elif case == "first-table":
        first_record = min(text.index(f"\n[[{k}]]") for k in ("quotes", "states", "events"))
        s, e = _table(text, re.search(r'id = "([^"]+)"', text[first_record:]).group(1))  # type: ignore[union-attr]
        text = text[:s] + text[s:e].replace('"\n', '"  # reviewed\n', 2) + text[e:]
    elif case == "append-at-end":
        ev = _first_id(text, "events")
        s, e = _table(text, ev)  # a copy of an event, under another id, after the last table
        text += "\n" + text[s:e].replace(f'id = "{ev}"', 'id = "ev-appended"')
    elif case == "non-ascii":
        q = _first_id(text, "quotes", 7)
        s, e = _table(text, q)
        text = text[:s] + text[s:e].rstrip("\n") + '\nnote = "vérifié — ещё раз"\n\n' + text[e:]
    elif case == "move-quote":
        s, e = _table(text, _first_id(text, "quotes", 1))
        piece = text[s:e]
        text = text[:s] + text[e:]
        s2, e2 = _table(text, _first_id(text, "quotes", 40))
        text = text[:e2] + piece + text[e2:]
    elif case == "whitespace-only":
        s, e = _table(text, _first_id(text, "metrics", 4))
        text = text[:e] + "\n\n\n" + text[e:]
    big.write_text(text, encoding="utf-8")
    res = _agree(big, monkeypatch)
    assert spy.taken == 1, "validated everything again"
    assert isinstance(res, LoadResult) and not res.problems
    # and a second edit starts from the version the quick way remembered
    text = big.read_text(encoding="utf-8")
    s, e = _table(text, _first_id(text, "events", 10))
    big.write_text(text[:s] + text[s:e].replace('summary = "', 'summary = "Again. ', 1)
                   + text[e:], encoding="utf-8")
    _agree(big, monkeypatch)
    assert spy.taken == 2


# ---- the full way, whenever the quick one could be wrong ---------------------------------------

@pytest.mark.parametrize("case", [
    "delete-cited-quote", "duplicate-id", "unknown-field", "alias-clash", "glued-header",
    "header-in-string", "dataset-title", "source-table", "rename-conflicted-record",
    "unknown-state", "broken-toml", "plain-table", "dotted-other-table", "conflict-edit",
])
def test_edits_the_quick_way_cannot_vouch_for_are_validated_in_full(
        case: str, big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _agree(big, monkeypatch)
    text = big.read_text(encoding="utf-8")
    q = _first_id(text, "quotes", 3)
    if case == "delete-cited-quote":
        cited = re.search(r'quotes = \["([^"]+)"', text[text.index("[[events]]"):]).group(1)  # type: ignore[union-attr]
        s, e = _table(text, cited)
        text = text[:s] + text[e:]
    elif case == "duplicate-id":
        s, e = _table(text, q)
        text = text[:e] + text[s:e] + text[e:]
    elif case == "unknown-field":
        s, e = _table(text, q)
        text = text[:s] + text[s:e].rstrip("\n") + "\ncolour = 'blue'\n\n" + text[e:]
    elif case == "alias-clash":
        ent = _first_id(text, "entities", 2)
        state_name = re.search(r'(?m)^\[\[states\]\]\s*\nid = "[^"]+"\nname = "([^"]+)"', text)
        assert state_name
        s, e = _table(text, ent)
        body = re.sub(r'(?m)^name = "[^"]*"', f'name = "{state_name.group(1)}"', text[s:e], count=1)
        text = text[:s] + body + text[e:]
    elif case == "glued-header":
        s, e = _table(text, q)
        text = text[:e].rstrip("\n") + " " + text[e:]  # the next header no longer starts a line
    elif case == "header-in-string":
        s, e = _table(text, q)
        note = '\nnote = """\n[[events]]\nid = "x"\n"""\n\n'
        text = text[:s] + text[s:e].rstrip("\n") + note + text[e:]
    elif case == "dataset-title":
        text = text.replace('title = "CSTO briefing dataset"', 'title = "Renamed"', 1)
    elif case == "source-table":
        text = text.replace('date = "2022-02-04"', 'date = "2022-02"', 1)
    elif case == "rename-conflicted-record":
        recs = re.search(r'(?m)^records = \["([^"]+)"', text)
        assert recs
        text = text.replace(f'id = "{recs.group(1)}"', 'id = "renamed-record"', 1)
    elif case == "unknown-state":
        s, e = _table(text, _first_id(text, "metrics", 2))
        body = re.sub(r'(?m)^state = "[^"]+"', 'state = "atlantis"', text[s:e], count=1)
        text = text[:s] + body + text[e:]
    elif case == "broken-toml":
        s, e = _table(text, q)
        text = text[:s] + text[s:e].replace('text = "', 'text = ', 1) + text[e:]
    elif case == "plain-table":
        s, e = _table(text, q)
        text = text[:e] + "[quotes]\nid = 'x'\n\n" + text[e:]
    elif case == "dotted-other-table":
        s, e = _table(text, q)
        text = text[:e] + "[[events.extra]]\nid = 'x'\n\n" + text[e:]
    elif case == "conflict-edit":
        text = re.sub(r'(?m)^(\[\[conflicts\]\]\s*\nid = "[^"]+"\ntopic = ")', r"\1Edited: ",
                      text, count=1)
    big.write_text(text, encoding="utf-8")
    spy = Spy(monkeypatch)
    _agree(big, monkeypatch)
    assert spy.taken == 0, "took the quick way where the full validation was needed"


def test_a_problem_fixed_again_is_quick_from_the_last_sound_version(
        big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _agree(big, monkeypatch)
    sound = big.read_text(encoding="utf-8")
    q = _first_id(sound, "quotes", 3)
    s, e = _table(sound, q)
    big.write_text(sound[:e] + sound[s:e] + sound[e:], encoding="utf-8")  # a duplicate id
    bad = _agree(big, monkeypatch)
    assert isinstance(bad, LoadResult) and any(p.code == "duplicate-id" for p in bad.problems)
    spy = Spy(monkeypatch)
    big.write_text(sound[:s] + sound[s:e].replace('text = "', 'text = "', 1)
                   + 'note = "fixed"\n\n' + sound[e:], encoding="utf-8")
    _agree(big, monkeypatch)
    assert spy.taken == 1


def test_a_damaged_remembered_version_falls_back_to_the_full_way(
        big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from csto_tui import cache, snapshot

    _agree(big, monkeypatch)
    for junk in ((b"key", 5), ("x",), (b"nokey", b"old bytes")):
        cache.put(snapshot.VERSION + b"last", cache.path_key(big), junk)
        _edit(big, 'title = "', 'title = "x', 1)
        spy = Spy(monkeypatch)
        _agree(big, monkeypatch)
        assert spy.taken == 0


def test_common_prefix_and_suffix() -> None:
    a = bytes(range(256)) * 5000
    for at in (0, 1, 65535, 65536, 65537, 300000, len(a) - 1):
        b = a[:at] + b"!" + a[at + 1:]
        assert incremental._common_prefix(a, b) == at
        assert incremental._common_suffix(a, b, len(a)) == len(a) - at - 1
    assert incremental._common_prefix(a, a[:1000]) == 1000
    assert incremental._common_suffix(a, a[-1000:], 1000) == 1000
    assert incremental._common_suffix(a, a, 70000) == 70000


# ---- any edit: the two ways agree ----------------------------------------------------------------

_EXAMPLES = [0]
_FREE_TEXT = re.compile(r'(?m)^(?:title|text|summary|note|detail|measure) = "')
_PIECES = ["", "\n", "é", '"', "x", "[[quotes]]\n", "id = \"q-a1-1\"\n", "]", " ", "#",
           "\n[[events]]\nid = \"ev-x\"\n", "'''", "\\", "\r\n"]


@settings(max_examples=int(__import__("os").environ.get("INC_EX", "60")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(edits=st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 40),
                                st.sampled_from(_PIECES),
                                st.sampled_from(["put", "cut", "copy", "in-string"])),
                      min_size=1, max_size=3))
def test_any_edit_loads_as_a_full_validation_would(
        edits: list[tuple[int, int, str, str]], big: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    base = (DATA / "csto.toml").read_text(encoding="utf-8")  # not the last example's edits
    big.write_text(base, encoding="utf-8")
    _EXAMPLES[0] += 1  # a cache of its own: edits are compared with the shipped version
    monkeypatch.setenv("XDG_CACHE_HOME", str(big.parent.parent / f"cache-{_EXAMPLES[0]}"))
    _agree(big, monkeypatch)  # remembers the sound version
    text = base
    for where, length, piece, how in edits:
        at = len(text) * where >> 20
        if how == "in-string":  # the commonest edit: a string value reworded
            m = _FREE_TEXT.search(text, at) or _FREE_TEXT.search(text)
            at = m.end() if m else at
            text = text[:at] + "é x"[length % 3] * (length // 3 + 1) + text[at:]
        elif how == "put":
            text = text[:at] + piece + text[at:]
        elif how == "cut":
            text = text[:at] + text[at + length:]
        else:  # a copy of a stretch of the file elsewhere (a duplicated or moved table)
            text = text[:at] + text[max(0, at - 200):at - 200 + length * 10] + text[at:]
        big.write_bytes(text.encode("utf-8", "surrogatepass"))
        _agree(big, monkeypatch)


def test_versions_are_kept_as_changes_then_in_full(big: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """After each quick edit the new version is stored as its change to the one before (a few
    records and bytes, not the whole snapshot again), read back through the chain, and stored
    in full again after MAX_CHAIN changes; a chain whose start was pruned is not used."""
    from csto_tui import cache, snapshot

    _agree(big, monkeypatch)
    folder = cache.cache_dir()
    assert folder is not None
    spy = Spy(monkeypatch)
    base = big.read_text(encoding="utf-8")
    full_entries, keys = [], []
    for n in range(snapshot.MAX_CHAIN + 3):
        m = list(_FREE_TEXT.finditer(base))[10 + 3 * n]
        text = base[:m.end()] + f"Edit {n}: " + base[m.end():]
        big.write_text(text, encoding="utf-8")
        first = _agree(big, monkeypatch)  # validated from the change
        assert spy.taken == n + 1
        with monkeypatch.context() as mp:  # read back from what was stored: no validation
            mp.setattr(loader, "_load_validating", _boom)
            mp.setattr(incremental, "revalidate", _boom)
            again = load(big)
        assert isinstance(first, LoadResult)
        _same(again, first)
        key = cache.content_key(text.encode("utf-8"))
        keys.append(key)
        found = snapshot.read_blob(key)
        assert found is not None
        first, lengths, kinds = found[0][8]  # the layout still covers the file exactly
        assert first + sum(lengths) == len(text.encode("utf-8")) and len(lengths) == len(kinds)
        full_entries.append(cache.has(snapshot.VERSION + b"dataset", key))
        kept = snapshot.read_bytes_and_base(key)
        assert kept is not None and kept[0] == text.encode("utf-8")
        base = text
    # MAX_CHAIN changes, then in full, then changes again
    assert full_entries == [False] * snapshot.MAX_CHAIN + [True, False, False]
    found = snapshot.read_blob(keys[-1])
    assert found is not None and found[1] == 2
    # the start of the chain pruned: the versions after it are validated again, correctly
    cache._entry(folder, snapshot.VERSION + b"dataset", keys[-3]).unlink()
    assert snapshot.read_blob(keys[-1]) is None
    m = list(_FREE_TEXT.finditer(base))[3]
    big.write_text(base[:m.end()] + "Once more: " + base[m.end():], encoding="utf-8")
    _agree(big, monkeypatch)
    assert spy.taken == snapshot.MAX_CHAIN + 3  # not the quick way: nothing to start from


def test_rewording_any_record_field_is_quick(big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The commonest edit (a quote, title, summary, note, measure or detail reworded) in every
    record table of the shipped dataset is validated from the changed table alone."""
    base = big.read_text(encoding="utf-8")
    _agree(big, monkeypatch)
    spy = Spy(monkeypatch)
    tried = 0
    records_from = base.index("\n[[quotes]]")  # after [dataset] and the sources
    x_from = min(base.index(f"\n[[{k}]]") for k in ("conflicts", "uncited"))
    for i, m in enumerate(_FREE_TEXT.finditer(base, records_from, x_from)):
        if i % 5:
            continue  # one in five: every kind of record, a few seconds
        tried += 1
        big.write_text(base[:m.end()] + "Reworded: " + base[m.end():], encoding="utf-8")
        res = _agree(big, monkeypatch)
        assert isinstance(res, LoadResult) and not res.problems
        assert spy.taken == tried, base[m.start():m.end() + 30]
    assert tried > 40


def _boom(*_a: object, **_k: object) -> None:
    raise AssertionError("validated again instead of reading what was stored")


def test_the_bytes_of_an_edited_version_are_kept_as_a_change(
        big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A quick edit keeps its bytes as the stretch that differs from the last version kept in
    full (no new copy of the file); losing that copy sends the next edit the full way."""
    from csto_tui import cache

    _agree(big, monkeypatch)
    folder = cache.cache_dir()
    assert folder is not None
    copies = set(folder.glob("*.copy"))
    assert len(copies) == 1
    base = big.read_text(encoding="utf-8")
    spy = Spy(monkeypatch)
    for n, m in enumerate(list(_FREE_TEXT.finditer(base))[20:23]):
        text = base[:m.end()] + f"Edit {n}: " + base[m.end():]
        big.write_text(text, encoding="utf-8")
        _agree(big, monkeypatch)
        assert spy.taken == n + 1
        assert set(folder.glob("*.copy")) == copies  # no new copy of the file
    m = list(_FREE_TEXT.finditer(base))[20]
    big.write_text(base[:m.end()] + "Once more: " + base[m.end():], encoding="utf-8")
    _agree(big, monkeypatch)
    assert spy.taken == 4  # a record edit: the quick way, as before
    copies.pop().unlink()
    big.write_text(base[:m.end()] + "Lost: " + base[m.end():], encoding="utf-8")
    _agree(big, monkeypatch)
    assert spy.taken == 4  # nothing to compare with: validated in full
