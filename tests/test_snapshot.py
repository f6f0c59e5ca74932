"""Snapshots of a validated dataset (csto_tui/snapshot.py): a load from a snapshot is the same
load as a full parse and validation, on sound and on damaged data, and never a stale one."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from csto_tui import loader
from csto_tui.loader import LoadResult, load


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    monkeypatch.delenv("CSTO_TUI_CACHE", raising=False)
    return folder / "csto-tui"


def _uncached(path: Path, monkeypatch: pytest.MonkeyPatch) -> LoadResult:
    with monkeypatch.context() as m:
        m.setenv("CSTO_TUI_CACHE", "0")
        return load(path)


def _from_snapshot(path: Path, monkeypatch: pytest.MonkeyPatch) -> LoadResult:
    """Load ``path``, failing if any record or anchor had to be validated again."""
    def boom(*_a: object, **_k: object) -> None:
        raise AssertionError("validated again instead of using the snapshot")

    with monkeypatch.context() as m:
        m.setattr(loader, "_load_validating", boom)
        m.setattr(loader, "_validate_anchors", boom)
        return load(path)


def _same(a: LoadResult, b: LoadResult) -> None:
    da, db = a.dataset, b.dataset
    assert da == db  # every record, in order
    assert da.anchors == db.anchors and list(da.anchors) == list(db.anchors)
    assert da.texts == db.texts
    assert (da.path, da.root, da.title) == (db.path, db.root, db.title)
    assert a.problems == b.problems  # same messages, lines and order
    assert a.anchors_stamp == b.anchors_stamp


def _damage(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    text = text.replace('base = ".."', 'base = ".."\nsurprise = 1', 1)
    text += '''
[[quotes]]
id = "q-bad-source"
source = "nowhere"
text = "a quote from nowhere"

[[quotes]]
id = "q-bad-source"
source = "a1"
text = "twice"

[[events]]
id = "ev-bad-date"
date = "2022-13"
title = "A thirteenth month"
response = "none"
summary = "x"
quotes = ["q-bad-source"]

[[metrics]]
id = "m-bad"
state = "atlantis"
category = "military"
measure = "x"
value = 3
quotes = []
colour = "blue"

[[entities]]
id = "e-clash"
kind = "organization"
name = "Kazakhstan"
quotes = ["q-a1-kaz-headlines"]

[[entities]]
id = "e-unknown-quote"
kind = "organization"
name = "Somebody"
quotes = ["q-unknown"]
'''
    path.write_text(text, encoding="utf-8")
    anchors = path.with_name("csto.anchors.toml")
    anchors.write_text(anchors.read_text(encoding="utf-8")
                       + '\n[anchors.q-broken]\nsource = "a1"\nexact = 5\n', encoding="utf-8")


def test_sound_dataset_loads_the_same_from_its_snapshot(
        project_copy: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    full = _uncached(project_copy, monkeypatch)
    first = load(project_copy)  # validates and writes the snapshots
    assert len(list(cache.glob("*.marshal"))) == 2  # the dataset's and the anchors file's
    again = _from_snapshot(project_copy, monkeypatch)
    _same(full, first)
    _same(full, again)
    assert not [p for p in again.problems if p.severity == "error"]


def test_damaged_dataset_reports_the_same_problems_from_its_snapshot(
        project_copy: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _damage(project_copy)
    full = _uncached(project_copy, monkeypatch)
    codes = {p.code for p in full.problems}
    assert {"schema", "unknown-ref", "duplicate-id", "alias"} <= codes
    assert any(p.line for p in full.problems)  # lines are part of what must survive
    load(project_copy)
    _same(full, _from_snapshot(project_copy, monkeypatch))


def test_a_copy_elsewhere_uses_the_snapshot_and_names_itself(
        project_copy: Path, cache: Path, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    _damage(project_copy)
    load(project_copy)
    other = tmp_path / "elsewhere"
    shutil.copytree(project_copy.parent.parent, other, ignore=shutil.ignore_patterns("cache"))
    copy = other / "data" / "csto.toml"
    res = _from_snapshot(copy, monkeypatch)
    _same(_uncached(copy, monkeypatch), res)
    files = {p.file for p in res.problems}
    assert str(copy) in files and str(project_copy) not in files


def test_an_edited_file_is_never_served_stale(
        project_copy: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = load(project_copy)
    q = before.dataset.quotes[0]
    text = project_copy.read_text(encoding="utf-8")
    assert text.count(f'"{q.id}"') >= 1
    project_copy.write_text(text.replace(f'id = "{q.id}"', f'id = "{q.id}-renamed"', 1),
                            encoding="utf-8")
    after = load(project_copy)
    ids = {x.id for x in after.dataset.quotes}
    assert f"{q.id}-renamed" in ids and q.id not in ids
    _same(_uncached(project_copy, monkeypatch), after)


def test_sources_are_read_again_on_every_load(
        project_copy: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    res = load(project_copy)
    src = res.dataset.sources[0]
    src.path.write_text(src.path.read_text(encoding="utf-8").replace("CSTO", "ODKB", 1),
                        encoding="utf-8")
    again = _from_snapshot(project_copy, monkeypatch)
    assert again.dataset.texts[src.id] != res.dataset.texts[src.id]
    src.path.unlink()
    gone = _from_snapshot(project_copy, monkeypatch)
    assert any(p.code == "source" and p.record == src.id for p in gone.problems)
    _same(_uncached(project_copy, monkeypatch), gone)


def test_a_source_turned_into_a_link_outside_validates_everything_again(
        project_copy: Path, cache: Path, monkeypatch: pytest.MonkeyPatch,
        tmp_path_factory: pytest.TempPathFactory) -> None:
    res = load(project_copy)
    src = res.dataset.sources[0]
    outside = tmp_path_factory.mktemp("outside") / "outside.txt"
    outside.write_text("elsewhere", encoding="utf-8")
    src.path.unlink()
    os.symlink(outside, src.path)
    again = load(project_copy)
    assert any(p.code == "path" and p.record == src.id for p in again.problems)
    assert src.id not in {s.id for s in again.dataset.sources}
    _same(_uncached(project_copy, monkeypatch), again)


def test_a_damaged_cache_entry_is_ignored(
        project_copy: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load(project_copy)
    for entry in cache.glob("*.marshal"):
        entry.write_bytes(b"\x00not marshal at all")
    _same(_uncached(project_copy, monkeypatch), load(project_copy))
    for entry in cache.glob("*.marshal"):
        entry.write_bytes(__import__("marshal").dumps(("wrong", "shape")))
    _same(_uncached(project_copy, monkeypatch), load(project_copy))


def test_sync_leaves_the_snapshot_of_what_it_wrote(
        project_copy: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from csto_tui.syncing import sync

    res = load(project_copy)
    src = res.dataset.sources[0]
    src.path.write_text("A note added on top.\n\n" + src.path.read_text(encoding="utf-8"),
                        encoding="utf-8")
    rep = sync(project_copy)
    assert rep.written is not None and rep.changed
    after = _from_snapshot(project_copy, monkeypatch)  # the new anchors file is warm
    _same(_uncached(project_copy, monkeypatch), after)
    assert after.dataset.anchors == {k: v for k, v in rep.anchors.items()
                                     if k in after.dataset.anchors}


def test_cache_can_be_turned_off(project_copy: Path, cache: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSTO_TUI_CACHE", "off")
    load(project_copy)
    assert not cache.exists()


def test_equal_strings_are_one_object_after_a_snapshot_load(
        project_copy: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = load(project_copy).dataset  # validated: the anchors share the quotes' strings too
    for a in first.anchors.values():
        q = first.quote(a.quote)
        assert q is not None and a.quote is q.id and a.source is q.source
        assert a.exact is q.text or a.exact != q.text
    ds = _from_snapshot(project_copy, monkeypatch).dataset
    by_value: dict[str, set[int]] = {}
    for m in ds.metrics:
        by_value.setdefault(m.category, set()).add(id(m.category))
    for q in ds.quotes:
        by_value.setdefault(q.source, set()).add(id(q.source))
    assert by_value and all(len(ids) == 1 for ids in by_value.values())
    cited = {id(q) for rec in ds.metrics for q in rec.quotes}
    assert cited <= {id(q.id) for q in ds.quotes}  # citations hold the quotes' own ids
    quotes = {q.id: q for q in ds.quotes}
    for key, a in ds.anchors.items():  # every anchor holds its quote's own strings
        q = quotes[a.quote]
        assert a.quote is q.id and key is q.id and a.source is q.source
        assert a.exact is q.text or a.exact != q.text


def test_a_file_is_hashed_once_until_it_changes(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import hashlib
    import os

    from csto_tui import cache, reading

    f = tmp_path / "big.toml"
    f.write_bytes(b"x" * 3_000_000)
    opened: list[str] = []
    real_open = reading.open_regular

    def counting(file, *a, **k):  # type: ignore[no-untyped-def]
        opened.append(os.fspath(file))
        return real_open(file, *a, **k)

    monkeypatch.setattr(reading, "open_regular", counting)
    monkeypatch.setattr(cache, "SETTLED_NS", -10**12)  # file times as if long ago
    first = cache.file_key(f)
    assert cache.file_key(f) == first and opened.count(str(f)) == 1  # remembered
    f.write_bytes(b"y" * 3_000_000)  # same size: the change time tells
    second = cache.file_key(f)
    assert second != first and opened.count(str(f)) == 2
    assert second == (hashlib.sha256(b"y" * 3_000_000).digest(), 3_000_000)


def test_a_file_changed_within_the_last_moments_is_hashed_every_time(tmp_path: Path) -> None:
    """Two writes of the same size within one clock tick leave the same file times: a file
    that changed just now is never remembered, so the second write is never missed."""
    import hashlib

    from csto_tui import cache

    f = tmp_path / "fresh.toml"
    for text in (b"a = 1\n", b"a = 2\n", b"a = 3\n"):
        f.write_bytes(text)
        assert cache.file_key(f) == (hashlib.sha256(text).digest(), len(text))
