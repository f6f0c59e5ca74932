"""Each file's digest remembered with what its stat said (csto_tui.cache.known_digests): a
load reads no data file or anchors file whose device, inode, size and times are those
remembered, and never serves a file's old content: an edit that keeps its size and sets its
modification time back, another file renamed over it, a change within the tick of the clock
in which its last change was read, a memo damaged or missing, the cache turned off."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from csto_tui import cache, loader, reading
from csto_tui.filecheck import summarize
from csto_tui.loader import load

TITLE = 'title = "CSTO briefing dataset"'
OTHER = 'title = "CSTO briefing DATASET"'  # as long: the file keeps its size


@pytest.fixture
def cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The cache folder (empty, on)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("CSTO_TUI_CACHE", raising=False)
    return tmp_path / "cache" / "csto-tui"


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written by the test count as settled once read (the real rule wants their last
    change 3 s old, which a test would wait for)."""
    monkeypatch.setattr(cache, "SETTLED_NS", -10**12)


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the TOML files read from now on (their bytes)."""
    got: list[str] = []
    read = reading.read_with_mode  # (what read_bytes reads with, too)

    def counting(path: Path | str, limit: int | None = None) -> tuple[bytes, int]:
        data = read(path, limit)  # one that is not there is not counted
        if str(path).endswith(".toml"):
            got.append(Path(path).name)
        return data

    monkeypatch.setattr(reading, "read_with_mode", counting)
    return got


def _retitle(shared: Path, old: str = TITLE, new: str = OTHER) -> None:
    """Edit the dataset's title in place, keeping the file's size and modification time."""
    st = shared.stat()
    text = shared.read_text(encoding="utf-8")
    assert old in text and len(old) == len(new)
    shared.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(shared, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert shared.stat().st_size == st.st_size and shared.stat().st_mtime_ns == st.st_mtime_ns


def test_a_load_reads_no_file_whose_stat_is_the_one_remembered(
        folder_copy: Path, cached: Path, settled: None, monkeypatch: pytest.MonkeyPatch) -> None:
    first = load(folder_copy)
    assert list(cached.glob("*.stat"))
    reads = _reads(monkeypatch)
    again = load(folder_copy)
    assert reads == []  # neither a data file nor an anchors file
    assert again.dataset == first.dataset and again.problems == first.problems
    assert again.anchor_files == first.anchor_files  # the stamps a write checks against
    assert loader.is_cached(folder_copy) and reads == []


def test_an_edit_that_keeps_size_and_mtime_is_seen(
        folder_copy: Path, cached: Path, settled: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """The file's ctime moved (no one can set it back): it is read again."""
    assert load(folder_copy).dataset.title == "CSTO briefing dataset"
    _retitle(folder_copy / "shared.toml")
    reads = _reads(monkeypatch)
    assert load(folder_copy).dataset.title == "CSTO briefing DATASET"
    assert reads.count("shared.toml") >= 1 and "a1.toml" not in reads
    assert summarize(folder_copy).counts == summarize(folder_copy, whole=True).counts


def test_another_file_renamed_over_one_is_seen(
        folder_copy: Path, cached: Path, settled: None) -> None:
    shared = folder_copy / "shared.toml"
    assert load(folder_copy).dataset.title == "CSTO briefing dataset"
    st = shared.stat()
    twin = folder_copy / "twin.txt"
    twin.write_text(shared.read_text(encoding="utf-8").replace(TITLE, OTHER, 1),
                    encoding="utf-8")
    os.utime(twin, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(twin, shared)
    assert load(folder_copy).dataset.title == "CSTO briefing DATASET"


def test_a_file_read_before_its_last_change_settled_is_read_again(
        folder_copy: Path, cached: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The blind spot of any stat: a change within the same tick of the file system's clock
    keeps it. Played here by a stat that never changes: a file read right after it was
    written (the real SETTLED_NS) is not taken for its memo, so the edit is seen; with the
    rule off, the same edit is missed (what the rule is for)."""
    import time

    now = time.time_ns()  # every file's last change, as its stat says: just now
    monkeypatch.setattr(reading, "stat_of", lambda st: (1, 2, st.st_size, now, now))
    shared = folder_copy / "shared.toml"
    assert load(folder_copy).dataset.title == "CSTO briefing dataset"
    _retitle(shared)
    assert load(folder_copy).dataset.title == "CSTO briefing DATASET"

    monkeypatch.setattr(cache, "SETTLED_NS", -10**12)  # every file settled: the rule off
    assert load(folder_copy).dataset.title == "CSTO briefing DATASET"  # remembered now
    _retitle(shared, OTHER, TITLE)
    assert load(folder_copy).dataset.title == "CSTO briefing DATASET"  # the old bytes


@pytest.mark.parametrize("memo", [b"", b"garbage", b"\xe9\x00\x01",
                                  __import__("marshal").dumps((1, {"x": ((1,), b"d")})),
                                  __import__("marshal").dumps((1, {"x": 3})),
                                  __import__("marshal").dumps((2, {})),
                                  cache.STAT_FORMAT,
                                  cache.STAT_FORMAT + b"\xff\xff\xff\xff" + bytes(72),
                                  cache.STAT_FORMAT + b"\x02\x00\x00\x00" + bytes(144) + b"x"])
def test_a_damaged_memo_is_ignored_and_written_again(
        folder_copy: Path, cached: Path, settled: None, monkeypatch: pytest.MonkeyPatch,
        memo: bytes) -> None:
    first = load(folder_copy)
    (entry,) = cached.glob("*.stat")
    entry.write_bytes(memo)
    reads = _reads(monkeypatch)
    again = load(folder_copy)
    assert "shared.toml" in reads  # read and hashed, as with no memo
    assert again.dataset == first.dataset and again.problems == first.problems
    assert cache.known_digests(folder_copy)  # and remembered again


def test_with_the_cache_off_nothing_is_remembered(
        folder_copy: Path, cached: Path, settled: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSTO_TUI_CACHE", "0")
    load(folder_copy)
    reads = _reads(monkeypatch)
    load(folder_copy)
    assert "shared.toml" in reads and not cached.exists()


def test_a_data_file_gone_or_unreadable_is_still_reported(
        folder_copy: Path, cached: Path, settled: None) -> None:
    load(folder_copy)
    anchors = next(folder_copy.glob("*.anchors.toml"))
    anchors.unlink()
    res = load(folder_copy)  # an anchors file gone: its quotes to find again, as before
    assert not any(a.stamp.exists for a in res.anchor_files if a.path == anchors)
    shared = folder_copy / "shared.toml"
    shared.chmod(0)
    try:
        if os.access(shared, os.R_OK):
            pytest.skip("root reads every file")
        with pytest.raises(loader.DatasetError, match="shared.toml"):
            load(folder_copy)
    finally:
        shared.chmod(0o644)


HOSTILE = [b"(" + (2**31 - 1).to_bytes(4, "little"),  # marshal: a tuple of 2**31 items
           cache.STAT_FORMAT + (2**32 - 1).to_bytes(4, "little")]  # rows beyond the end


@pytest.mark.parametrize("memo", HOSTILE)
def test_a_memo_of_a_few_hostile_bytes_costs_no_memory(
        folder_copy: Path, cached: Path, settled: None, memo: bytes) -> None:
    """Five bytes once made marshal fill a 16 GB tuple (the pack left marshal for that, see
    tests/test_cache_damage.py): a load with a memo of such bytes, in a process that may use
    1 GiB, loads as if there were none."""
    load(folder_copy)
    (entry,) = cached.glob("*.stat")
    entry.write_bytes(memo)
    code = ("import resource, sys\n"
            "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
            "from csto_tui.loader import load\n"
            "print(load(sys.argv[1]).dataset.title)\n")
    run = subprocess.run([sys.executable, "-c", code, str(folder_copy)], capture_output=True,
                         text=True, timeout=120, env={**os.environ, "CSTO_TUI_CACHE": "1"})
    assert (run.returncode, run.stdout.strip()) == (0, "CSTO briefing dataset"), run.stderr


@pytest.mark.parametrize("dev, ino", [(-16777220, 5), (2**40, 2**64 - 1)])
def test_a_stat_of_any_device_and_inode_is_remembered(
        folder_copy: Path, cached: Path, settled: None, monkeypatch: pytest.MonkeyPatch,
        dev: int, ino: int) -> None:
    """A device number negative (macOS's dev_t is an int32) or an inode of 64 bits (NFS,
    overlayfs): remembered as any other, the next load reads nothing."""
    monkeypatch.setattr(reading, "stat_of",
                        lambda st: (dev, ino ^ st.st_ino, st.st_size, st.st_mtime_ns,
                                    st.st_ctime_ns))
    first = load(folder_copy)
    reads = _reads(monkeypatch)
    assert load(folder_copy).dataset == first.dataset and reads == []
