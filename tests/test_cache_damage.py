"""The cache under damage (csto_tui/cache.py): hundreds of random damages to its entries
never change what a user sees, a damaged entry can neither crash a load nor make it allocate
without bound, and its files keep the dataset's permissions. Rows of docs/robustness.md.

    CSTO_FUZZ_EXAMPLES=3000 python -m pytest tests/test_cache_damage.py   # a longer run
"""

from __future__ import annotations

import io
import os
import random
import stat
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from csto_tui import loader, pack
from csto_tui.cli import main
from csto_tui.errors import CstoError
from csto_tui.loader import LoadResult, load

DAMAGES = int(os.environ.get("CSTO_FUZZ_EXAMPLES", "200"))


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("CSTO_TUI_CACHE", raising=False)
    return tmp_path / "cache" / "csto-tui"


def _seen(res: LoadResult) -> tuple[object, ...]:
    """Everything a load gives that a user can see, in order."""
    ds = res.dataset
    return (ds, list(ds.anchors.items()), ds.texts, ds.title, ds.files, res.problems,
            res.anchor_files)


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def _outputs(path: Path) -> list[tuple[int, str, str]]:
    data = ("--data", str(path))
    return [_run("check", *data, "--format", "json"), _run("export", *data),
            _run("export", *data, "--format", "json"), _run("search", "Kazakhstan", *data)]


def _damage(rng: random.Random, blob: bytes) -> bytes:
    """One random damage, of the kinds disks, crashes and people cause."""
    n = len(blob)
    how = rng.randrange(8)
    if how == 0:  # bits flipped here and there
        b = bytearray(blob)
        for _ in range(rng.randint(1, 8)):
            b[rng.randrange(n)] ^= 1 << rng.randrange(8)
        out = bytes(b)
    elif how == 1:  # cut short
        out = blob[: rng.randrange(n)]
    elif how == 2:  # bytes inserted
        i = rng.randrange(n)
        out = blob[:i] + rng.randbytes(rng.randint(1, 64)) + blob[i:]
    elif how == 3:  # a stretch lost
        i = rng.randrange(n)
        out = blob[:i] + blob[i + rng.randint(1, 4096):]
    elif how == 4:  # a block of zeros (a crash after the size was written)
        i = rng.randrange(n)
        out = blob[:i] + bytes(min(4096, n - i)) + blob[i + 4096:]
    elif how == 5:  # a tiny file of noise (5 bytes once made marshal allocate 2 GB)
        out = rng.randbytes(rng.randint(0, 16))
    elif how == 6:  # a stretch of another part of the same entry
        i, j = rng.randrange(n), rng.randrange(n)
        k = rng.randint(1, 512)
        out = blob[:i] + blob[j:j + k] + blob[i + k:]
    else:  # the header of another version
        out = blob.replace(pack.FORMAT, pack.FORMAT[:-1] + b"9", 1)
    return out if out != blob else blob + b"x"


def test_random_damage_never_changes_what_the_user_sees(
        project_copy: Path, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as m:
        m.setenv("CSTO_TUI_CACHE", "0")
        expected = _seen(load(project_copy))
        expected_out = _outputs(project_copy)
    load(project_copy)
    (entry,) = folder.glob("*.pack")
    good = entry.read_bytes()
    assert _seen(load(project_copy)) == expected  # the entry as written is used, and right
    rng = random.Random(16)
    for i in range(DAMAGES):
        entry.write_bytes(_damage(rng, good))
        assert _seen(load(project_copy)) == expected, f"damage {i}"
        if i % 25 == 0:  # the commands a user runs, byte for byte
            entry.write_bytes(_damage(rng, good))
            assert _outputs(project_copy) == expected_out, f"damage {i}"


def _signed(body: bytes) -> bytes:
    return pack.FORMAT + b" " + pack.checksum([body]) + b"\n" + body


def test_a_damaged_entry_with_a_good_checksum_never_crashes_a_load(
        project_copy: Path, folder: Path) -> None:
    """Someone who can write the cache can change what it says (as they could change the
    dataset); they still cannot make a load crash, hang or allocate without bound."""
    load(project_copy)
    (entry,) = folder.glob("*.pack")
    body = entry.read_bytes().split(b"\n", 1)[1]
    rng = random.Random(17)
    bodies = [
        b"[" * 1_000_000, b'{"records":' * 100_000, b"1" * 100_000, b"null", b"{}", b"[]",
        b'{"records":{"states":[[]]}}', b'{"records":{"nosuchkind":[]}}',
        body.replace(b'"member"', b"[[[[1]]]]"), body.replace(b'"member"', b"1e999999"),
    ]
    for _ in range(DAMAGES // 2):
        b = bytearray(body)
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(b))
            b[i:i + rng.randint(1, 8)] = rng.choice([b"0", b"-1", b"null", b"[]", b"{}", b'""',
                                                     b"1e308", b"true", b"[[", b"]"])
        bodies.append(bytes(b))
    for damaged in bodies:
        entry.write_bytes(_signed(damaged))
        try:
            res = load(project_copy)
        except CstoError:
            continue
        assert isinstance(res, LoadResult)


def test_an_entry_that_is_not_a_file_or_too_big_is_ignored(
        project_copy: Path, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as m:
        m.setenv("CSTO_TUI_CACHE", "0")
        expected = _seen(load(project_copy))
    load(project_copy)
    (entry,) = folder.glob("*.pack")
    for make in ("fifo", "folder", "sparse"):
        entry.unlink() if not entry.is_dir() else entry.rmdir()
        if make == "fifo":
            os.mkfifo(entry)  # read, it would wait for ever
        elif make == "folder":
            entry.mkdir()
        else:
            with open(entry, "wb") as fh:  # 1 TB that takes no room: never read
                fh.truncate(1 << 40)
        assert _seen(load(project_copy)) == expected


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o644])
def test_the_cache_keeps_the_dataset_permissions(project_copy: Path, folder: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 mode: int) -> None:
    """The pack, the files' digests (cache.remember_digests) and a check's kept entries: none
    readable by someone who cannot read the data files (the pointer to the last pack names
    only a key)."""
    from csto_tui import cache
    from csto_tui.filecheck import summarize

    monkeypatch.setattr(cache, "SETTLED_NS", -10**12)  # the files' digests remembered now
    anchors = loader.anchors_path_for(project_copy)
    project_copy.chmod(mode)
    anchors.chmod(0o644)
    before = os.umask(0o022)
    try:
        load(project_copy)
        summarize(project_copy)
    finally:
        os.umask(before)
    (entry,) = folder.glob("*.pack")
    assert stat.S_IMODE(entry.stat().st_mode) == mode
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    made = {e.suffix: stat.S_IMODE(e.stat().st_mode) for e in folder.iterdir()
            if e.suffix != ".last"}
    assert made == dict.fromkeys((".pack", ".stat", ".check", ".world"), mode)


def test_a_file_made_private_after_a_load_makes_the_next_pack_private(
        project_copy: Path, tmp_path: Path, folder: Path) -> None:
    """After an edit, the new pack keeps the stretches of the files that did not change: it
    still gets the mode of every file it is made from, as they are now."""
    from conftest import split_into_folder

    data = split_into_folder(project_copy, tmp_path / "ds")
    files = loader.data_files(data)
    for f in (*files, *map(loader.anchors_path_for, files)):
        if f.exists():
            f.chmod(0o644)
    before = os.umask(0o022)
    try:
        load(data)
        kept, edited = files[0], files[-1]
        kept.chmod(0o600)  # made private; its bytes unchanged
        edited.write_bytes(edited.read_bytes() + b"\n# edited\n")
        load(data)
    finally:
        os.umask(before)
    (entry,) = folder.glob("*.pack")
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600


def _made_private_after_the_stat(monkeypatch: pytest.MonkeyPatch, module: object,
                                 target: Path) -> None:
    """Once ``module``'s read_and_hash has stat'ed and hashed the files, ``target`` is
    replaced by a private file with other bytes (an editor saving a file just made private):
    what is read of it from then on was read as private."""
    real = loader.read_and_hash

    def racing(dataset: Path, files: list[Path]) -> loader.Hashed:
        got = real(dataset, files)
        monkeypatch.setattr(module, "read_and_hash", real)  # once
        tmp = target.with_name(target.name + ".new")
        tmp.write_bytes(target.read_bytes() + b"\n# private words\n")
        tmp.chmod(0o600)
        os.replace(tmp, target)
        return got

    monkeypatch.setattr(module, "read_and_hash", racing)


def _open_folder(project_copy: Path, tmp_path: Path) -> tuple[Path, list[Path]]:
    from conftest import split_into_folder

    data = split_into_folder(project_copy, tmp_path / "ds")
    files = loader.data_files(data)
    for f in (*files, *map(loader.anchors_path_for, files)):
        if f.exists():
            f.chmod(0o644)
    return data, files


def _kept_check_mode_after(monkeypatch: pytest.MonkeyPatch, folder: Path, data: Path,
                           edit: Callable[[], Path]) -> int:
    """The mode of the kept check after a check (kept, every file 0644), ``edit`` (it
    returns the file to replace by a private one once the next check has stat'ed the files)
    and that next check, which must take the kept shares (the whole check fails the test)."""
    from csto_tui import filecheck

    before = os.umask(0o022)
    try:
        filecheck.summarize(data)
        _made_private_after_the_stat(monkeypatch, filecheck, edit())

        def whole(*_a: object) -> None:
            raise AssertionError("the whole check ran: the kept shares were not taken")

        monkeypatch.setattr(filecheck, "_whole", whole)
        filecheck.summarize(data)
    finally:
        os.umask(before)
    (entry,) = folder.glob("*.check")
    return stat.S_IMODE(entry.stat().st_mode)


def test_a_file_made_private_between_its_stat_and_its_read_makes_the_pack_private(
        project_copy: Path, tmp_path: Path, folder: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The pack holds the bytes a load read: it gets the mode they were read with (the open
    descriptor's), not the mode a stat saw before (the file it replaced)."""
    data, files = _open_folder(project_copy, tmp_path)
    _made_private_after_the_stat(monkeypatch, loader, files[-1])
    before = os.umask(0o022)
    try:
        load(data)  # nothing cached: every file read again after its stat
    finally:
        os.umask(before)
    assert stat.S_IMODE(files[-1].stat().st_mode) == 0o600
    (entry,) = folder.glob("*.pack")
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600


def test_a_file_made_private_between_its_stat_and_its_read_makes_the_kept_check_private(
        project_copy: Path, tmp_path: Path, folder: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A check after an edit keeps the changed file's share, read again after the stat: the
    kept entry gets the mode that file was read with."""
    data, files = _open_folder(project_copy, tmp_path)

    def edit() -> Path:
        files[0].write_bytes(files[0].read_bytes() + b"\n# edited\n")
        return files[0]

    assert _kept_check_mode_after(monkeypatch, folder, data, edit) == 0o600


def test_a_file_made_private_while_it_is_read_and_hashed_makes_the_digests_private(
        project_copy: Path, tmp_path: Path, folder: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The memo of the files' digests gets the mode their bytes were read with, when a file is
    replaced by a private one between read_and_hash's stat of it and its read."""
    from csto_tui import cache, reading

    monkeypatch.setattr(cache, "SETTLED_NS", -10**12)  # the files' digests remembered now
    data, files = _open_folder(project_copy, tmp_path)
    target, real = files[-1], reading.read_with_mode

    def swapped_first(path: Path | str, limit: int | None = None) -> tuple[bytes, int]:
        if Path(path) == target:
            monkeypatch.setattr(reading, "read_with_mode", real)  # once
            tmp = target.with_name(target.name + ".new")
            tmp.write_bytes(target.read_bytes() + b"\n# private words\n")
            tmp.chmod(0o600)
            os.replace(tmp, target)
        return real(path, limit)

    monkeypatch.setattr(reading, "read_with_mode", swapped_first)
    before = os.umask(0o022)
    try:
        loader.read_and_hash(data, files)
    finally:
        os.umask(before)
    (entry,) = folder.glob("*.stat")
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600


def test_a_private_source_makes_the_kept_check_private(
        project_copy: Path, tmp_path: Path, folder: Path) -> None:
    """A check's report quotes the sources' words (a quote now fuzzy: its new wording): what
    it keeps gets their mode too; the pack, which holds none of their words, does not."""
    from csto_tui import filecheck

    data, _files = _open_folder(project_copy, tmp_path)
    source = next((tmp_path / "seeds").glob("*.txt"))
    source.chmod(0o600)
    before = os.umask(0o022)
    try:
        filecheck.summarize(data)
    finally:
        os.umask(before)
    made = {e.suffix: stat.S_IMODE(e.stat().st_mode) for e in folder.iterdir()
            if e.suffix in (".pack", ".check", ".world")}
    assert made == {".pack": 0o644, ".check": 0o600, ".world": 0o600}


def test_a_file_read_for_its_quotes_made_private_makes_the_kept_check_private(
        project_copy: Path, tmp_path: Path, folder: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A changed file's prose quotes words of another file's quote: whether they are verbatim
    (kept in its share) is read from that file, with the mode it is read with."""
    data, _files = _open_folder(project_copy, tmp_path)
    shared, quoted = data / "shared.toml", data / "a1.toml"
    assert b"created headlines in January 2022" in quoted.read_bytes()

    def edit() -> Path:
        text = shared.read_text(encoding="utf-8")
        role = 'role = "Founding member; the CSTO'
        assert role in text
        shared.write_text(text.replace(role, 'role = "Founding member; \u201ccreated headlines '
                                       'in January 2022\u201d; the CSTO', 1), encoding="utf-8")
        return quoted

    assert _kept_check_mode_after(monkeypatch, folder, data, edit) == 0o600


def _column_changed(blob: bytes, column: str, how: str) -> bytes:
    """The pack ``blob`` with one value of ``column`` changed or its last value dropped (the
    header's byte ranges and the table of lengths made to agree), signed again: damage that
    only someone writing the cache on purpose could make."""
    import json
    from array import array

    p = pack.Pack(Path("x.pack"), blob)
    c = [name for name, _code in p.specs].index(column)
    head_end = blob.index(b"\n", blob.index(b"\n") + 1)
    head = json.loads(blob[blob.index(b"\n") + 1:head_end])
    body = bytearray(blob[head_end + 1:])
    start, end = head["ranges"][c + 1]  # after the strings
    assert end > start, f"{column} holds no value in this pack"
    if how == "short":
        del body[end - 4:end]
        head["ranges"] = [[a - 4 * (a >= end), b - 4 * (b >= end)] for a, b in head["ranges"]]
        t0 = head["ranges"][-1][0]  # the table of lengths: the last file holding one, less one
        n_cols = len(p.specs)
        table = array("i", bytes(body[t0:]))
        last = max(f for f in range(len(p.files)) if table[f * n_cols + c])
        table[last * n_cols + c] -= 1
        body[t0:] = table.tobytes()
    else:
        every = how.startswith("all ")  # every value of the column (it holds one value then)
        value = {"zero": 0, "minus one": -1, "none": pack.NONE_INT,
                 "beyond": len(p.strings)}[how.removeprefix("all ")]
        stop = end if every else start + 4
        body[start:stop] = array("i", [value] * ((stop - start) // 4)).tobytes()
    text = json.dumps(head, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
    return _signed(text + bytes(body))


@pytest.mark.parametrize(("column", "how"), [
    ("anchor:source", "short"), ("anchor:start", "short"), ("anchor:found_end", "short"),
    ("quote:text", "short"), ("state:name", "short"),
    ("quote:text", "zero"), ("quote:text", "minus one"), ("quote:text", "beyond"),
    ("anchor:source", "zero"), ("anchor:source", "none"),
    ("anchor:start", "minus one"), ("anchor:end", "none"),
    # columns that hold one value in every row (read as that value repeated, pack._each)
    ("source:publisher", "short"), ("event:end", "short"), ("anchor:found", "short"),
    ("anchor:found_start", "short"),
    ("source:publisher", "all beyond"), ("source:url", "all minus one"),
    ("quote:text", "all zero"), ("event:end", "all beyond"),
    ("anchor:found_start", "all minus one"), ("anchor:start", "all minus one"),
    ("anchor:review", "all beyond"),
])
def test_a_signed_pack_with_a_column_out_of_true_is_validated_again(
        project_copy: Path, folder: Path, monkeypatch: pytest.MonkeyPatch,
        column: str, how: str) -> None:
    """A column one value short, an index of 0 where a string must be, a negative or too big
    index, a negative position: the pack is in doubt, the files are validated again, and the
    user sees what a load without cache shows."""
    with monkeypatch.context() as m:
        m.setenv("CSTO_TUI_CACHE", "0")
        expected = _seen(load(project_copy))
    load(project_copy)
    (entry,) = folder.glob("*.pack")
    entry.write_bytes(_column_changed(entry.read_bytes(), column, how))
    calls: list[Path] = []
    monkeypatch.setattr(loader, "on_full_load", lambda p, n: calls.append(p))
    assert _seen(load(project_copy)) == expected
    assert calls == [project_copy]  # validated again, not read from the doubtful pack


@pytest.mark.parametrize("said", [None, 7, "", "ab", "z" * 64, ["0" * 64]])
def test_a_signed_pack_with_a_file_s_declarations_out_of_true_is_validated_again(
        project_copy: Path, folder: Path, monkeypatch: pytest.MonkeyPatch, said: object) -> None:
    """What a file declares to a check (validator.declares), kept in its row of the pack:
    missing, of another type, not 32 bytes of hex: the pack is in doubt."""
    import json

    load(project_copy)
    (entry,) = folder.glob("*.pack")
    blob = entry.read_bytes()
    head_end = blob.index(b"\n", blob.index(b"\n") + 1)
    head = json.loads(blob[blob.index(b"\n") + 1:head_end])
    head["files"][0][8] = said
    text = json.dumps(head, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
    entry.write_bytes(_signed(text + blob[head_end + 1:]))
    calls: list[Path] = []
    monkeypatch.setattr(loader, "on_full_load", lambda p, n: calls.append(p))
    load(project_copy)
    assert calls == [project_copy]
