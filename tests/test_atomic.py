"""Writes that never trust their target (csto_tui/atomic.py): links written through, anything
but a regular file refused, permissions kept or taken from the umask, and another writer's
file never lost. Rows of docs/robustness.md."""

from __future__ import annotations

import os
import re
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from csto_tui.atomic import WriteRefusedError, atomic_write, atomic_write_keyed
from csto_tui.errors import WriteConflictError
from csto_tui.loader import anchors_path_for, load
from csto_tui.syncing import sync


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, CSTO_TUI_CACHE="0")
    return subprocess.run([sys.executable, "-m", "csto_tui", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=120, env=env)


def _no_leftovers(folder: Path) -> None:
    assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] == []


def test_a_link_is_written_through_to_its_file(tmp_path: Path) -> None:
    real = tmp_path / "notes" / "brief.md"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "brief.md"
    link.symlink_to(real)
    atomic_write(link, b"new", backup=False)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes() == b"new"
    dangling = tmp_path / "later.md"
    dangling.symlink_to(tmp_path / "notes" / "later.md")  # a link to a file not written yet
    atomic_write(dangling, b"first")
    assert dangling.is_symlink() and (tmp_path / "notes" / "later.md").read_bytes() == b"first"
    _no_leftovers(real.parent)


def test_anything_but_a_regular_file_is_refused(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    monkeypatch.chdir(tmp_path)  # a socket's name must be short
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind("sock")
        cases = {fifo: "a FIFO (named pipe)", tmp_path / "sock": "a socket",
                 tmp_path: "a folder", Path("/dev/null"): "a character device"}
        for target, what in cases.items():
            kind = stat.S_IFMT(os.stat(target).st_mode)
            with pytest.raises(WriteRefusedError, match=re.escape(f"is {what}; csto-tui")):
                atomic_write(target, b"x")
            assert stat.S_IFMT(os.stat(target).st_mode) == kind  # still what it was
            assert not Path(f"{target}.bak").exists()
        link = tmp_path / "to-null"
        link.symlink_to("/dev/null")
        with pytest.raises(WriteRefusedError, match=r"to-null \(a link to /dev/null\) is a "
                                                    "character device"):
            atomic_write(link, b"x")
    _no_leftovers(tmp_path)


def test_export_to_a_device_fifo_or_folder_says_what_it_is(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for target, what in ((fifo, "a FIFO (named pipe)"), (tmp_path, "a folder"),
                         (Path("/dev/null"), "a character device")):
        r = cli("export", "--state", "kaz", "-o", str(target))
        assert r.returncode == 1
        assert r.stderr == (f"csto-tui: {target} is {what}; csto-tui writes only regular "
                            "files, nothing written\n")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode) and stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_an_existing_file_keeps_its_mode_a_new_one_follows_the_umask(tmp_path: Path) -> None:
    old = tmp_path / "kept.md"
    old.write_text("x", encoding="utf-8")
    old.chmod(0o640)
    before = os.umask(0o022)
    try:
        atomic_write(old, b"y")
        assert stat.S_IMODE(old.stat().st_mode) == 0o640
        atomic_write(tmp_path / "new-022.md", b"y")
        os.umask(0o077)
        atomic_write(tmp_path / "new-077.md", b"y")
        os.umask(0o002)
        atomic_write(tmp_path / "new-002.md", b"y")
    finally:
        os.umask(before)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.glob("new-*")}
    assert modes == {"new-022.md": 0o644, "new-077.md": 0o600, "new-002.md": 0o664}
    assert stat.S_IMODE((tmp_path / "kept.md.bak").stat().st_mode) == 0o640


def test_a_keyed_file_gets_its_fixed_mode_without_backup_or_fsync(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file named by its content's key (a stored text): mode 0644 whatever the umask or the
    mode of what it replaces, no .bak, nothing synced to disk, no temporary file left."""
    synced: list[int] = []
    monkeypatch.setattr(os, "fsync", synced.append)
    target = tmp_path / "0123abcd.txt.gz"
    before = os.umask(0o077)
    try:
        atomic_write_keyed(target, b"first")
        assert stat.S_IMODE(target.stat().st_mode) == 0o644
        target.chmod(0o600)  # a damaged copy, written again
        atomic_write_keyed(target, b"second")
    finally:
        os.umask(before)
    assert target.read_bytes() == b"second"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert synced == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0123abcd.txt.gz"]


def test_a_keyed_name_is_replaced_never_written_through(tmp_path: Path) -> None:
    """The name is the store's own: a link there is replaced (the file it led to untouched),
    a FIFO too; a folder is an error naming the file, and no temporary file is left."""
    elsewhere = tmp_path / "precious.txt"
    elsewhere.write_bytes(b"not the store's")
    store = tmp_path / "store"
    store.mkdir()
    link = store / "k1.txt.gz"
    link.symlink_to(elsewhere)
    atomic_write_keyed(link, b"stored")
    assert not link.is_symlink() and link.read_bytes() == b"stored"
    assert elsewhere.read_bytes() == b"not the store's"
    fifo = store / "k2.txt.gz"
    os.mkfifo(fifo)
    atomic_write_keyed(fifo, b"stored too")
    assert fifo.is_file() and fifo.read_bytes() == b"stored too"
    (store / "k3.txt.gz").mkdir()
    with pytest.raises(OSError, match=r"cannot write: .*k3\.txt\.gz"):
        atomic_write_keyed(store / "k3.txt.gz", b"x")
    _no_leftovers(store)


def test_home_is_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    atomic_write("~/brief.md", b"x")
    assert (tmp_path / "brief.md").read_bytes() == b"x"


def test_an_edit_made_during_the_write_is_kept_and_ours_written_beside(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another program saves the file while ours is being written (here: while it is flushed
    to disk): their file stays, ours goes beside it, and the error says both names."""
    target = tmp_path / "brief.md"
    target.write_bytes(b"theirs, first version")
    real_fsync = os.fsync
    pending = [b"theirs, saved while we wrote"]  # saved once, during our write

    def other_writer_saves(fd: int) -> None:
        real_fsync(fd)
        if pending:
            target.write_bytes(pending.pop())

    monkeypatch.setattr(os, "fsync", other_writer_saves)
    with pytest.raises(WriteConflictError) as err:
        atomic_write(target, b"ours")
    assert target.read_bytes() == b"theirs, saved while we wrote"
    assert (tmp_path / "brief.md.new").read_bytes() == b"ours"
    assert "changed on disk while it was written" in err.value.message
    assert f"wrote this one to {tmp_path / 'brief.md.new'}" in err.value.message
    pending.append(b"theirs, once more")
    with pytest.raises(WriteConflictError):  # a second time: a second name, nothing replaced
        atomic_write(target, b"ours again")
    assert (tmp_path / "brief.md.new").read_bytes() == b"ours"
    assert (tmp_path / "brief.md.new.2").read_bytes() == b"ours again"
    assert target.read_bytes() == b"theirs, once more"
    _no_leftovers(tmp_path)


def test_sync_keeps_an_anchors_file_edited_while_it_writes(project_copy: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    """The case that lost an edit 10 times out of 10 on a big dataset: the anchors file is
    saved by someone else after sync read it, during sync's write."""
    src = load(project_copy).dataset.sources[0].path
    assert src is not None
    src.write_text("Inserted first.\n" + src.read_text(encoding="utf-8"), encoding="utf-8")
    anchors = anchors_path_for(project_copy)
    edited = anchors.read_text(encoding="utf-8") + "\n# someone's edit, mid-write\n"
    real_fsync = os.fsync
    done = False

    def edit_during_write(fd: int) -> None:
        nonlocal done
        real_fsync(fd)
        if not done:
            done = True
            anchors.write_text(edited, encoding="utf-8")

    monkeypatch.setattr(os, "fsync", edit_during_write)
    with pytest.raises(WriteConflictError, match="while it was written"):
        sync(project_copy)
    assert anchors.read_text(encoding="utf-8") == edited
    ours = anchors.with_name("csto.anchors.toml.new").read_text(encoding="utf-8")
    assert "Inserted first." not in ours and ours != edited  # the re-anchored file, beside


def test_an_edit_before_the_write_started_is_kept_too(project_copy: Path) -> None:
    src = load(project_copy).dataset.sources[0].path
    assert src is not None
    src.write_text("Inserted first.\n" + src.read_text(encoding="utf-8"), encoding="utf-8")
    res = load(project_copy)
    anchors = anchors_path_for(project_copy)
    anchors.write_text(anchors.read_text(encoding="utf-8") + "\n# edit\n", encoding="utf-8")
    edited = anchors.read_bytes()
    with pytest.raises(WriteConflictError, match="since it was read"):
        sync(project_copy, result=res)
    assert anchors.read_bytes() == edited
    assert anchors.with_name("csto.anchors.toml.new").exists()
