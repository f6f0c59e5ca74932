"""The cache of validated data files (csto_tui/cache.py): a load from the cache is the same
load as without it (sound and damaged data, one file or a folder), never a stale one, and any
entry in doubt is ignored.

Replaces tests/test_snapshot.py (the snapshot module is gone): the same comparisons, on the
cache's entries of one data file each."""

from __future__ import annotations

import gc
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from csto_tui import loader, pack
from csto_tui.loader import LoadResult, load


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The cache folder (empty, on)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("CSTO_TUI_CACHE", raising=False)
    return tmp_path / "cache" / "csto-tui"


def _uncached(path: Path, monkeypatch: pytest.MonkeyPatch) -> LoadResult:
    with monkeypatch.context() as m:
        m.setenv("CSTO_TUI_CACHE", "0")
        return load(path)


def _from_cache(path: Path, monkeypatch: pytest.MonkeyPatch) -> LoadResult:
    """Load ``path``, failing if any data file had to be validated again."""
    def boom(*_a: object, **_k: object) -> None:
        raise AssertionError("validated again instead of using the cache")

    with monkeypatch.context() as m:
        m.setattr(loader, "validate_file", boom)
        m.setattr(loader, "load_anchors", boom)
        return load(path)


def _same(a: LoadResult, b: LoadResult) -> None:
    da, db = a.dataset, b.dataset
    assert da == db  # every record, in order
    assert da.anchors == db.anchors and list(da.anchors) == list(db.anchors)
    assert da.texts == db.texts
    assert (da.path, da.root, da.title, da.files) == (db.path, db.root, db.title, db.files)
    assert a.problems == b.problems  # same messages, lines and order
    assert a.anchor_files == b.anchor_files


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
    anchors = loader.anchors_path_for(path)
    anchors.write_text(anchors.read_text(encoding="utf-8")
                       + '\n[anchors.q-broken]\nsource = "a1"\nexact = 5\n', encoding="utf-8")


def test_a_sound_dataset_loads_the_same_from_the_cache(
        project_copy: Path, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    full = _uncached(project_copy, monkeypatch)
    first = load(project_copy)  # validates and writes the entry
    assert len(list(folder.glob("*.pack"))) == 1  # the data file's, with its anchors
    again = _from_cache(project_copy, monkeypatch)
    _same(full, first)
    _same(full, again)
    assert not again.errors


def test_a_damaged_dataset_reports_the_same_problems_from_the_cache(
        project_copy: Path, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _damage(project_copy)
    full = _uncached(project_copy, monkeypatch)
    codes = {p.code for p in full.problems}
    assert {"schema", "unknown-ref", "duplicate-id", "alias", "uncited-record"} <= codes
    assert any(p.line for p in full.problems)  # lines are part of what must survive
    load(project_copy)
    _same(full, _from_cache(project_copy, monkeypatch))


def test_a_folder_loads_the_same_from_the_cache(
        folder_copy: Path, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _damage(folder_copy / "a1.toml")
    full = _uncached(folder_copy, monkeypatch)
    load(folder_copy)
    assert len(list(folder.glob("*.pack"))) == 1  # the three files' parts in one entry
    _same(full, _from_cache(folder_copy, monkeypatch))


def test_only_the_edited_file_of_a_folder_is_validated_again(
        folder_copy: Path, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load(folder_copy)
    a2 = folder_copy / "a2.toml"
    a2.write_text(a2.read_text(encoding="utf-8").replace(
        'title = "', 'title = "Edited: ', 1), encoding="utf-8")
    seen: list[str] = []
    real = loader.validate_file
    monkeypatch.setattr(loader, "validate_file", lambda p, raw: (seen.append(p.name),
                                                                 real(p, raw))[1])
    res = load(folder_copy)
    assert seen == ["a2.toml"]
    _same(_uncached(folder_copy, monkeypatch), res)
    # the pack written after the edit: the other files' parts as they were, a2's anew
    assert len(list(folder.glob("*.pack"))) == 1  # the one before the edit is gone
    _same(res, _from_cache(folder_copy, monkeypatch))
    # edits in a row, in different files, each read back from the pack the last one wrote
    for name, word in (("a1.toml", "Again"), ("a2.toml", "Twice"), ("a1.toml", "Thrice")):
        f = folder_copy / name
        f.write_text(f.read_text(encoding="utf-8").replace('title = "', f'title = "{word} ', 1),
                     encoding="utf-8")
        seen.clear()
        res = load(folder_copy)
        assert seen == [name]
        _same(_uncached(folder_copy, monkeypatch), res)
        _same(res, _from_cache(folder_copy, monkeypatch))


def _title_with(path: Path, escapes: str) -> None:
    """The first title of ``path`` with characters written as TOML escapes in front."""
    path.write_text(path.read_text(encoding="utf-8").replace(
        'title = "', f'title = "{escapes}', 1), encoding="utf-8")


@pytest.mark.parametrize("escapes", ["\\u0000", "\\u0000\\u0001\\u0002",
                                     "".join(f"\\u{c:04x}" for c in range(32))],
                         ids=["NUL", "three control characters", "every control character"])
def test_strings_holding_the_separators_load_the_same_from_the_cache(
        folder_copy: Path, folder: Path, monkeypatch: pytest.MonkeyPatch,
        escapes: str) -> None:
    """The pack's strings stand one character apart that none of them holds: a string with
    the first ones in it (a TOML escape can write any) makes the pack take another."""
    _title_with(folder_copy / "a1.toml", escapes)
    full = _uncached(folder_copy, monkeypatch)
    ds = full.dataset
    assert any("\0" in r.title for r in (*ds.sources, *ds.events)) and not full.errors
    load(folder_copy)
    (entry,) = folder.glob("*.pack")
    assert pack.Pack(entry, entry.read_bytes()).sep not in escapes.encode().decode(
        "unicode_escape")
    _same(full, _from_cache(folder_copy, monkeypatch))


def test_an_edit_that_writes_the_packs_separator_encodes_the_pack_anew(
        folder_copy: Path, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After an edit the new pack keeps the old one's strings as they are, unless a new
    string holds the character that stands between them: then all are encoded anew."""
    load(folder_copy)
    (entry,) = folder.glob("*.pack")
    sep = pack.Pack(entry, entry.read_bytes()).sep
    _title_with(folder_copy / "a2.toml", f"\\u{ord(sep):04x}")
    res = load(folder_copy)
    _same(_uncached(folder_copy, monkeypatch), res)
    (entry,) = folder.glob("*.pack")
    assert pack.Pack(entry, entry.read_bytes()).sep != sep
    _same(res, _from_cache(folder_copy, monkeypatch))
    _title_with(folder_copy / "a1.toml", "Edited ")  # a plain edit keeps that separator
    res = load(folder_copy)
    _same(_uncached(folder_copy, monkeypatch), res)
    _same(res, _from_cache(folder_copy, monkeypatch))


def _packs_alive() -> int:
    return sum(1 for o in gc.get_objects() if type(o) is pack.Pack)


@pytest.mark.parametrize("edited", [False, True], ids=["as cached", "after an edit"])
def test_no_pack_outlives_the_load_that_read_it(
        folder_copy: Path, folder: Path, edited: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """A one-shot command runs with the cyclic collector off: a pack (its bytes, ~40 MB at
    1000x, and its table of strings) must go as soon as the load is over, freed by reference
    counting alone, not wait for a collection that never comes."""
    load(folder_copy)
    if edited:
        a2 = folder_copy / "a2.toml"
        a2.write_text(a2.read_text(encoding="utf-8").replace(
            'title = "', 'title = "Edited: ', 1), encoding="utf-8")
    read: list[int] = []
    real_init = pack.Pack.__init__

    def counted(self: pack.Pack, *args: Any) -> None:
        read.append(1)
        real_init(self, *args)

    monkeypatch.setattr(pack.Pack, "__init__", counted)
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        before = _packs_alive()
        res = load(folder_copy)
        assert res.dataset.quotes
        assert read  # the load did read a pack (the test is not passing on an empty cache)
        assert _packs_alive() == before
    finally:
        if enabled:
            gc.enable()


def test_a_copy_elsewhere_uses_the_cache_and_names_itself(
        project_copy: Path, folder: Path, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    _damage(project_copy)
    load(project_copy)
    other = tmp_path / "elsewhere"
    shutil.copytree(project_copy.parent.parent, other)
    moved = other / "data" / "csto.toml"
    res = _from_cache(moved, monkeypatch)
    assert res.problems and all(str(other) in p.file for p in res.problems)
    _same(_uncached(moved, monkeypatch), res)


def test_an_edited_file_is_never_served_stale(
        project_copy: Path, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load(project_copy)
    text = project_copy.read_text(encoding="utf-8")
    project_copy.write_text(text.replace('name = "Kazakhstan"', 'name = "Qazaqstan"'),
                            encoding="utf-8")
    assert load(project_copy).dataset.state("kaz").name == "Qazaqstan"  # type: ignore[union-attr]
    anchors = loader.anchors_path_for(project_copy)
    anchors.write_text(anchors.read_text(encoding="utf-8").replace("start = ", "start = 1", 1),
                       encoding="utf-8")
    _same(_uncached(project_copy, monkeypatch), load(project_copy))


def test_sources_are_read_again_on_every_load(
        project_copy: Path, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load(project_copy)
    seed = next((project_copy.parent.parent / "seeds").glob("000_*.txt"))
    seed.write_text("changed", encoding="utf-8")
    res = _from_cache(project_copy, monkeypatch)
    assert res.dataset.texts["a1"] == "changed"
    os.symlink("/etc/hostname", seed.with_name("link.txt"))
    text = project_copy.read_text(encoding="utf-8").replace(seed.name, "link.txt")
    project_copy.write_text(text, encoding="utf-8")
    assert any(p.code == "path" for p in load(project_copy).problems)


@pytest.mark.parametrize("how", ["checksum", "header", "json", "shape", "truncated"])
def test_an_entry_in_doubt_is_ignored(project_copy: Path, folder: Path,
                                      monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    load(project_copy)
    (entry,) = folder.glob("*.pack")
    blob = entry.read_bytes()
    head, body = blob.split(b"\n", 1)

    def signed(body: bytes) -> bytes:
        return pack.FORMAT + b" " + pack.checksum([body]) + b"\n" + body

    if how == "checksum":
        entry.write_bytes(head + b"\n" + body.replace(b"Kazakhstan", b"Kazakhztan", 1))
    elif how == "header":
        entry.write_bytes(head.replace(pack.FORMAT, b"csto-tui-cache 0") + b"\n" + body)
    elif how == "json":
        entry.write_bytes(signed(b"{not json\n"))
    elif how == "shape":
        assert b'"files":[["' in body  # a file's row with one value too many
        entry.write_bytes(signed(body.replace(b'"files":[["', b'"files":[[1,"', 1)))
    else:
        entry.write_bytes(blob[: len(blob) // 2])
    calls: list[Path] = []
    monkeypatch.setattr(loader, "on_full_load", lambda p, n: calls.append(p))
    res = load(project_copy)
    assert calls == [project_copy]  # validated again
    _same(_uncached(project_copy, monkeypatch), res)


def test_the_cache_can_be_turned_off(project_copy: Path, folder: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSTO_TUI_CACHE", "0")
    load(project_copy)
    assert not folder.exists()
    assert not loader.is_cached(project_copy)


@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_a_failed_write_leaves_no_temporary_file(project_copy: Path, folder: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 error: BaseException) -> None:
    other = project_copy.with_name("other.toml")
    shutil.copy(project_copy, other)
    load(other)  # the folder exists, with one entry
    real = Path.open

    class HalfThenFail:
        """A file that takes half of what is written, then the disk is full (or Ctrl-C)."""

        def __init__(self, fh: Any) -> None:
            self.fh = fh

        def __enter__(self) -> HalfThenFail:
            return self

        def __exit__(self, *exc: object) -> None:
            self.fh.close()

        def writelines(self, chunks: Any) -> None:
            data = b"".join(chunks)
            self.fh.write(data[: len(data) // 2])
            raise error

    def half_then_fail(self: Path, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        fh = real(self, mode, *args, **kwargs)
        return HalfThenFail(fh) if "w" in mode and self.suffix == ".tmp" else fh

    with monkeypatch.context() as m:
        m.setattr(Path, "open", half_then_fail)
        if isinstance(error, OSError):
            load(project_copy)  # the cache is only a cache: the load goes on
        else:
            with pytest.raises(KeyboardInterrupt):
                load(project_copy)
    assert sorted(p.suffix for p in folder.iterdir()) == [".last", ".pack"]
    assert loader.is_cached(other) and not loader.is_cached(project_copy)


def test_a_failed_replace_leaves_no_temporary_file(project_copy: Path, folder: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    with monkeypatch.context() as m:
        m.setattr(os, "replace", refuse)
        load(project_copy)
    assert [p for p in folder.iterdir() if p.suffix == ".tmp"] == []


def test_pruning_keeps_the_most_recent_packs_and_drops_old_versions(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from csto_tui import cache

    for i in range(cache.KEEP_PACKS + 3):
        p = tmp_path / f"{i:02d}.pack"
        p.write_bytes(b"x")
        os.utime(p, (1000 + i, 1000 + i))
    for name in ("a.last", "b.last", "old.json", "older.marshal", "notes.txt"):
        (tmp_path / name).write_bytes(b"x")
    monkeypatch.setattr(cache, "_writes", 0)  # the first write of a process looks
    cache._prune(tmp_path)
    left = sorted(p.name for p in tmp_path.iterdir())
    packs = [n for n in left if n.endswith(".pack")]
    assert packs == [f"{i:02d}.pack" for i in range(3, cache.KEEP_PACKS + 3)]  # newest kept
    assert [n for n in left if not n.endswith(".pack")] == ["a.last", "b.last", "notes.txt"]


def _exactly(a: Any, b: Any, where: str) -> None:
    """``a`` and ``b`` equal and of the same types all the way down (``==`` alone takes 1 for
    1.0 and True, a list for a tuple of a record's fields...)."""
    from csto_tui.values import _Value

    assert type(a) is type(b), f"{where}: {type(a).__name__} != {type(b).__name__}"
    if isinstance(a, _Value):
        for name in type(a)._fields:
            _exactly(getattr(a, name), getattr(b, name), f"{where}.{name}")
    elif isinstance(a, tuple | list):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _exactly(x, y, f"{where}[{i}]")
    else:
        assert a == b, where


@pytest.mark.parametrize("which", ["shipped", "analyst", "folder"])
def test_records_read_from_the_pack_are_their_constructors_records_type_for_type(
        project_copy: Path, tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch,
        which: str) -> None:
    """Records read back from a pack are filled slot by slot (values.from_columns), not made
    by their constructors: every field of every record and anchor is what the constructor
    made, type for type, on the shipped data, the analyst dataset (every field of
    docs/dataset.md) and a folder."""
    from conftest import split_into_folder

    if which == "analyst":
        shutil.copytree(Path(__file__).parent / "data" / "analyst", tmp_path / "analyst")
        path = tmp_path / "analyst" / "analyst.toml"
    elif which == "folder":
        path = split_into_folder(project_copy, tmp_path / "ds")
    else:
        path = project_copy
    fresh = _uncached(path, monkeypatch).dataset
    load(path)  # fills the cache
    cached = _from_cache(path, monkeypatch).dataset
    kinds = fresh.all_records()
    assert [k for k, _ in kinds] == [k for k, _ in cached.all_records()]
    assert sum(len(rs) for _, rs in kinds) > 100
    for (kind, a), (_k, b) in zip(kinds, cached.all_records(), strict=True):
        _exactly(a, b, kind)
    _exactly(list(fresh.anchors.items()), list(cached.anchors.items()), "anchors")


def test_what_each_file_declares_comes_back_from_the_pack_as_worked_out(
        folder_copy: Path, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A check of a dataset loaded from the cache takes what each file declares to the others
    (validator.declares: the digest a check after an edit compares) from the pack, and it is
    what working it out from the part gives."""
    from csto_tui import validator
    from csto_tui.filecheck import summarize

    load(folder_copy)  # fills the cache
    res = load(folder_copy, keep_parts=True)
    assert res.parts and all(p.said is not None for p in res.parts)
    for part, (_d, ad) in zip(res.parts, res.keys, strict=True):
        kept = part.said
        part.said = None
        assert validator.declares(part, ad) == kept[1] and kept[0] == ad

    def boom(*_a: object) -> bytes:
        raise AssertionError("worked out again")

    with monkeypatch.context() as m:
        m.setattr(validator, "_declared", boom)
        rep = summarize(folder_copy)
    assert rep.ok == summarize(folder_copy, whole=True).ok
