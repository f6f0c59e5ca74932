"""Stored texts: sync keeps each source as it was when its anchors were written, names it in
the anchors file, re-anchors through it after an edit, and prunes what no anchor names."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from csto_tui import textstore
from csto_tui.loader import anchors_path_for, load
from csto_tui.syncing import sync


def _source(ds_path: Path, sid: str) -> Path:
    src = load(ds_path).dataset.source(sid)
    assert src is not None
    return src.path


def test_store_round_trip_and_damage(tmp_path: Path) -> None:
    apath = tmp_path / "x.anchors.toml"
    assert textstore.store_dir(apath) == tmp_path / "x.texts"
    text = "Prose with an accent: é, and a curly quote ’.\n"
    key = textstore.put(apath, text)
    assert key == textstore.key_of(text) and len(key) == 20
    f = tmp_path / "x.texts" / f"{key}.txt.gz"
    assert gzip.decompress(f.read_bytes()).decode() == text
    assert textstore.put(apath, text) == key  # stored once
    textstore._cache.clear()
    assert textstore.get(apath, key) == text
    # damaged or missing: absent, never a wrong text
    f.write_bytes(gzip.compress(b"something else"))
    textstore._cache.clear()
    assert textstore.get(apath, key) is None
    f.write_bytes(b"not gzip")
    assert textstore.get(apath, key) is None
    f.unlink()
    assert textstore.get(apath, key) is None
    assert textstore.get(apath, "") is None


def test_put_writes_through_the_atomic_keyed_write(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A stored text is written by the project's one atomic write (its keyed form): mode
    0644 whatever the umask, no fsync; a failed write leaves neither the file nor a
    temporary one, and stores nothing in memory."""
    import os
    import stat

    from csto_tui import atomic

    calls: list[tuple[Path, int]] = []
    real = atomic.atomic_write_keyed

    def recorded(path: Path, data: bytes, *, mode: int = 0o644) -> None:
        calls.append((Path(path), mode))
        real(path, data, mode=mode)

    monkeypatch.setattr(textstore, "atomic_write_keyed", recorded)
    synced: list[int] = []
    monkeypatch.setattr(os, "fsync", synced.append)
    apath = tmp_path / "x.anchors.toml"
    before = os.umask(0o077)
    try:
        key = textstore.put(apath, "a text stored once")
    finally:
        os.umask(before)
    f = textstore.store_dir(apath) / f"{key}.txt.gz"
    assert calls == [(f, 0o644)]
    assert stat.S_IMODE(f.stat().st_mode) == 0o644 and synced == []

    def full_disk(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError, match="cannot write: No space left on device"):
        textstore.put(apath, "another text")
    assert textstore.get(apath, textstore.key_of("another text")) is None
    assert sorted(p.name for p in f.parent.iterdir()) == [f.name]


def test_prune_keeps_only_named_texts(tmp_path: Path) -> None:
    apath = tmp_path / "x.anchors.toml"
    k1 = textstore.put(apath, "one")
    k2 = textstore.put(apath, "two")
    gone = textstore.prune(apath, {k1})
    assert [p.name for p in gone] == [f"{k2}.txt.gz"]
    assert textstore.keys(apath) == {k1}
    textstore.prune(apath, set())
    assert not textstore.store_dir(apath).exists()


def test_bundled_anchors_name_stored_texts_of_the_current_sources(project_copy: Path) -> None:
    ds = load(project_copy).dataset
    apath = anchors_path_for(project_copy)
    keys = {a.text_key for a in ds.anchors.values()}
    assert keys == {textstore.key_of(t) for t in ds.texts.values()}
    for a in ds.anchors.values():
        stored = textstore.get(apath, a.text_key)
        assert stored is not None and stored[a.start : a.end] == a.exact


def test_sync_maps_through_the_stored_text_and_prunes(project_copy: Path) -> None:
    apath = anchors_path_for(project_copy)
    src = _source(project_copy, "a1")
    old_text = src.read_text(encoding="utf-8")
    old_key = textstore.key_of(old_text)
    ds = load(project_copy).dataset
    # a quote that no conflict reads (taking one out below leaves every record valid)
    read = {r.quote for c in ds.conflicts for r in c.readings}
    q = next(q for q in ds.quotes
             if q.source == "a1" and q.text.endswith(".") and q.id not in read)
    # the quote's sentence goes; a look-alike (one word different) appears elsewhere; a
    # paragraph is added at the top
    alike = q.text.replace(" the ", " a ", 1)
    assert alike != q.text
    new_text = ("A new first paragraph.\n\n" + old_text.replace(q.text, "", 1).rstrip("\n")
                + "\n\nAs another report put it: " + alike + "\n")
    src.write_text(new_text, encoding="utf-8")
    rep = sync(project_copy)
    assert rep.statuses[q.id] == "orphaned"
    others = [x.id for x in ds.quotes if x.source == "a1" and x.id != q.id]
    assert {rep.statuses[x] for x in others} <= {"moved", "exact"}
    new_key = textstore.key_of(new_text)
    anchors = load(project_copy).dataset.anchors
    # settled anchors index into the new text; the orphan keeps the text it was written in
    assert all(anchors[x].text_key == new_key for x in others)
    assert anchors[q.id].text_key == old_key and anchors[q.id].review == "orphaned"
    assert textstore.keys(apath) >= {old_key, new_key}
    # idempotent: a second sync writes nothing
    assert sync(project_copy).written is None
    # once the quote is gone from the dataset, nothing names the old text: pruned
    data = project_copy.read_text(encoding="utf-8")
    block = f'[[quotes]]\nid = "{q.id}"\n'
    i = data.index(block)
    j = data.index("\n\n", i)
    data = data[:i] + data[j + 2 :]
    # (and from the records citing it)
    project_copy.write_text(data.replace(f'"{q.id}", ', "").replace(f', "{q.id}"', "")
                            .replace(f'"{q.id}"', ""), encoding="utf-8")
    rep = sync(project_copy)
    assert old_key not in textstore.keys(apath)
    assert any(p.name == f"{old_key}.txt.gz" for p in rep.pruned)


def test_missing_stored_text_is_stored_again_without_rewriting_anchors(
        project_copy: Path) -> None:
    apath = anchors_path_for(project_copy)
    before = apath.read_bytes()
    for f in textstore.store_dir(apath).iterdir():
        f.unlink()
    rep = sync(project_copy)
    assert rep.written is None and len(rep.stored) == 2
    assert apath.read_bytes() == before
    assert len(textstore.keys(apath)) == 2


def test_a_stored_text_that_would_inflate_without_bound_or_is_a_fifo_is_absent(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A damaged store never makes a sync allocate without bound or wait (#16): a 100 KB file
    inflating to 100 MB (over a lowered limit), a FIFO, a file cut short are all "absent"."""
    import gzip
    import os

    from csto_tui import reading

    anchors = tmp_path / "csto.anchors.toml"
    key = textstore.put(anchors, "some text")
    path = textstore.store_dir(anchors) / (key + textstore.SUFFIX)
    textstore._cache.clear()
    monkeypatch.setattr(reading, "MAX_BYTES", 10_000_000)
    path.write_bytes(gzip.compress(b"\0" * 100_000_000))
    assert textstore.get(anchors, key) is None
    path.write_bytes(gzip.compress(b"some text")[:-6])
    assert textstore.get(anchors, key) is None
    path.unlink()
    os.mkfifo(path)
    assert textstore.get(anchors, key) is None
