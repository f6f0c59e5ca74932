"""Reading what a dataset points at (csto_tui/reading.py): only regular files, within limits
that sit far above the 1000x corpus, with located messages. Rows of docs/robustness.md."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csto_tui import reading
from csto_tui.checking import check
from csto_tui.cli import main
from csto_tui.errors import DatasetError
from csto_tui.loader import load

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = int(os.environ.get("CSTO_FUZZ_EXAMPLES", "300"))


def cli(*args: str, cwd: Path | None = None, timeout: float = 60
        ) -> subprocess.CompletedProcess[str]:
    """The command in a fresh process: a hang fails the test (timeout) instead of the run."""
    env = dict(os.environ, CSTO_TUI_CACHE="0")
    return subprocess.run([sys.executable, "-m", "csto_tui", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=timeout, env=env)


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def _source_file(dataset: Path) -> Path:
    ds = load(dataset).dataset
    path = ds.sources[0].path
    assert path is not None
    return path


# ------------------------------------------------------------------ files that are not files


def test_a_fifo_as_dataset_source_or_anchors_file_is_refused_without_waiting(
        project_copy: Path) -> None:
    fifo = project_copy.parent / "pipe.toml"
    os.mkfifo(fifo)
    r = cli("check", "--data", str(fifo))
    assert r.returncode == 1
    assert f"{fifo}: cannot read: is a FIFO (named pipe), not a regular file" in r.stderr

    src = _source_file(project_copy)
    src.unlink()
    os.mkfifo(src)
    r = cli("check", "--data", str(project_copy))
    assert r.returncode == 1
    assert f"cannot read {src}: is a FIFO (named pipe), not a regular file" in r.stdout
    assert "[source] a1.file" in r.stdout  # located: the record and field that names it

    anchors = project_copy.with_name("csto.anchors.toml")
    anchors.unlink()
    os.mkfifo(anchors)
    r = cli("check", "--data", str(project_copy))
    assert f"{anchors}: cannot read: is a FIFO (named pipe)" in r.stdout


def test_a_device_is_never_read(project_copy: Path) -> None:
    r = cli("check", "--data", "/dev/zero")
    assert (r.returncode, r.stderr) == (
        1, "csto-tui: /dev/zero: cannot read: is a character device, not a regular file\n")
    anchors = project_copy.with_name("csto.anchors.toml")
    anchors.unlink()
    anchors.symlink_to("/dev/zero")  # a link is followed, to what it points at
    r = cli("check", "--data", str(project_copy))
    assert "cannot read: is a character device" in r.stdout
    r = cli("sync", "--data", str(project_copy))
    assert r.returncode == 1 and stat.S_ISCHR(os.stat(anchors).st_mode)  # nothing replaced


def test_a_socket_as_a_source_is_refused(project_copy: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    src = _source_file(project_copy)
    src.unlink()
    monkeypatch.chdir(src.parent)  # a socket's name must be short: bind it relatively
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(src.name)
        rep = check(project_copy)
    msgs = [p.format() for p in rep.errors]
    assert any(f"cannot read {src}: is a socket, not a regular file" in m for m in msgs), msgs


def test_a_folder_as_a_source(project_copy: Path) -> None:
    src = _source_file(project_copy)
    src.unlink()
    src.mkdir()
    msgs = [p.format() for p in check(project_copy).errors]
    assert any(f"source path is a folder: {src}" in m for m in msgs), msgs


def test_a_file_over_the_size_limit_is_refused(project_copy: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    size = project_copy.stat().st_size
    monkeypatch.setattr(reading, "MAX_BYTES", size - 1)
    assert main(["check", "--data", str(project_copy)]) == 1
    err = capsys.readouterr().err
    assert f"{project_copy}: cannot read: is larger than {size - 1:,} bytes" in err
    monkeypatch.setattr(reading, "MAX_BYTES", size)
    assert main(["check", "--data", str(project_copy)]) == 0


def test_read_bytes_refuses_before_opening(tmp_path: Path) -> None:
    fifo = tmp_path / "f"
    os.mkfifo(fifo)
    # opening a FIFO for reading blocks until a writer comes: refused from its stat instead
    with pytest.raises(reading.NotRegularFile, match="FIFO"):
        reading.read_bytes(fifo)
    with pytest.raises(IsADirectoryError):
        reading.read_bytes(tmp_path)
    with pytest.raises(reading.FileTooLarge):
        reading.read_bytes("/proc/self/maps", limit=10)  # a file whose stat says size 0
    assert reading.read_bytes("/proc/self/maps", limit=10**7).count(b"\n") > 3


@pytest.mark.parametrize("stated", [0, 1, 40, 99, 100, 101, 5000])
def test_read_bytes_reads_the_whole_file_whatever_its_stat_said(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stated: int) -> None:
    """The file as it is when read, though it grew or shrank after its stat: one read of the
    size stated, then more until the end."""
    f = tmp_path / "grew.txt"
    data = bytes(range(100))
    f.write_bytes(data)
    real = os.fstat

    def fstat(fd: int) -> os.stat_result:
        st = real(fd)
        if stat.S_ISREG(st.st_mode):
            return os.stat_result((*st[:6], stated, *st[7:]))
        return st

    monkeypatch.setattr(reading.os, "fstat", fstat)
    assert reading.read_bytes(f) == data
    with pytest.raises(reading.FileTooLarge):
        reading.read_bytes(f, limit=99)


def test_read_bytes_reads_a_proc_like_file_to_its_end(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file whose stat says size 0 and whose reads come back short before its end (as
    /proc/self/maps, /proc/kallsyms give a page or so a read) is read to its end, not cut at
    its first short read."""
    f = tmp_path / "maps"
    data = bytes(range(256)) * 50  # 12,800 bytes: more than a page
    f.write_bytes(data)
    real_fstat, real_read = os.fstat, os.read

    def fstat(fd: int) -> os.stat_result:
        st = real_fstat(fd)
        return os.stat_result((*st[:6], 0, *st[7:])) if stat.S_ISREG(st.st_mode) else st

    monkeypatch.setattr(reading.os, "fstat", fstat)
    monkeypatch.setattr(reading.os, "read", lambda fd, n: real_read(fd, min(n, 4096)))
    assert reading.read_bytes(f) == data
    with pytest.raises(reading.FileTooLarge):
        reading.read_bytes(f, limit=len(data) - 1)


def test_read_with_mode_gives_the_mode_of_the_file_its_bytes_came_from(tmp_path: Path) -> None:
    """The mode is the open descriptor's: a file replaced by a private one after a stat saw
    it readable is read as private (what a cache entry holding its bytes gets)."""
    f = tmp_path / "a.toml"
    f.write_bytes(b"a = 1\n")
    f.chmod(0o644)
    seen = os.stat(f)
    other = tmp_path / "b.toml"
    other.write_bytes(b"a = 2\n")
    other.chmod(0o600)
    os.replace(other, f)
    data, mode = reading.read_with_mode(f)
    assert stat.S_IMODE(seen.st_mode) == 0o644
    assert data == b"a = 2\n" and stat.S_IMODE(mode) == 0o600 and stat.S_ISREG(mode)
    assert reading.read_bytes(f) == data


# ------------------------------------------------------------------------------- TOML limits

def _located(r: subprocess.CompletedProcess[str], where: str, what: str) -> None:
    assert r.returncode == 1
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr
    assert f"{where} [toml]: {what}" in r.stderr, r.stderr


@pytest.mark.parametrize(("text", "where", "what"), [
    ('a = "[[[["\nb = ' + "[" * 100_000 + "]" * 100_000, "2:69",
     "arrays and inline tables nested more than 64 deep"),
    ("b = " + "{x = " * 500 + "1" + "}" * 500, "1:325", "arrays and inline tables nested"),
    ("# a.b.c\nx = 1\n" + ".".join(["a"] * 300_000) + " = 1", "3:128",
     "a key with more than 64 dotted parts"),
    ("[" + ".".join(['"a"'] * 70) + "]", "1:257", "a key with more than 64 dotted parts"),
    ("t = {" + ".".join(["'k'"] * 70) + " = 1}", "1:261", "a key with more than 64"),
    ('s = "1111"\nn = ' + "1" * 5000, "2:5", "a number with more than 4,000 digits"),
], ids=["arrays", "inline-tables", "dotted-key", "dotted-header", "inline-dotted", "number"])
def test_toml_beyond_the_limits_is_located_not_a_crash(tmp_path: Path, text: str, where: str,
                                                       what: str) -> None:
    p = tmp_path / "d.toml"
    p.write_text(text, encoding="utf-8")
    r = cli("check", "--data", str(p))  # seconds at most (a 300,000-part key: minutes before)
    _located(r, f"{p}:{where}", what)


def test_an_anchors_file_beyond_the_limits_is_located(project_copy: Path) -> None:
    anchors = project_copy.with_name("csto.anchors.toml")
    anchors.write_text("[anchors]\nq = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    r = cli("check", "--data", str(project_copy))
    assert r.returncode == 1
    assert f"{anchors}:2:69 [toml]: arrays and inline tables nested more than 64" in r.stdout


def test_within_the_limits_is_read_as_tomllib_reads_it(tmp_path: Path) -> None:
    deep = "a = " + "[" * 64 + "]" * 64 + "\n" + ".".join(["k"] * 64) + " = 1\n"
    assert reading.within_limits(deep)
    assert reading.parse_toml(tmp_path / "x.toml", deep)["k"]["k"]["k"]
    with pytest.raises(DatasetError, match="nested more than 64"):
        reading.parse_toml(tmp_path / "x.toml", "a = " + "[" * 65 + "]" * 65)


def test_the_limits_sit_far_above_the_benchmark_corpus(tmp_path: Path) -> None:
    """The corpus of benchmarks/corpus.py grows in records, not in shape: at 10x it nests and
    dots 16 times below the limits, and its size at 1000x is far below MAX_BYTES."""
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "corpus.py"), "--scale", "10",
                    "--out", str(tmp_path), "--layout", "file"], check=True, capture_output=True,
                   timeout=300)
    for name in ("csto.toml", "csto.anchors.toml"):
        text = (tmp_path / "data" / name).read_text(encoding="utf-8")
        assert reading.within_limits(text, reading.MAX_NESTING // 16,
                                     reading.MAX_KEY_PARTS // 16)
        assert len(text.encode()) * 100 * 4 < reading.MAX_BYTES  # 1000x, four times over
    shipped = (ROOT / "data" / "csto.toml").read_text(encoding="utf-8")
    assert reading.within_limits(shipped, reading.MAX_NESTING // 16, reading.MAX_KEY_PARTS // 16)


_PIECES = st.sampled_from(["[", "]", "{", "}", ".", "a", "b-c", " ", "\n", "=", ",", '"',
                           "'", '"""', "'''", "#", "\\", '"x"', "'y'", "1.5", "# c\n"])


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(_PIECES, max_size=60))
def test_the_fast_check_and_the_locating_scan_agree(pieces: list[str]) -> None:
    """within_limits (regular expressions over the whole text) and beyond_limits (token by
    token, to locate) are two spellings of one rule: they agree on any text."""
    text = "".join(pieces)
    for nesting, parts in ((2, 2), (3, 4)):
        fast = reading.within_limits(text, nesting, parts)
        assert fast == (reading.beyond_limits(text, nesting, parts) is None), text


# ------------------------------------------------------------------------ TOML syntax errors

@pytest.mark.parametrize(("text", "where"), [
    ('title = "x"\nitems = [\n  "a",\n  "b",\n\n[[states]]\nid = "kaz"\n', "6:3"),
    ('title = "x"\n\n[meta]\nitems = ["a", # the first\n  "b",\n', "6:1"),
    ('a = [[1, 2], [3,\n  4]\nb = 1\n', "3:1"),
], ids=["a-table-after-it", "end-of-file", "nested"])
def test_an_unclosed_array_is_named_where_it_opened(tmp_path: Path, text: str,
                                                    where: str) -> None:
    """tomllib says where it gave up, far below the '[' left open: the message also names the
    line and column where that array opened (tester's defect 19)."""
    p = tmp_path / "d.toml"
    p.write_text(text, encoding="utf-8")
    line, col = next((i + 1, ln.index("[") + 1) for i, ln in enumerate(text.splitlines())
                     if "= [" in ln)
    r = cli("check", "--data", str(p))
    _located(r, f"{p}:{where}", "TOML syntax error")
    assert f"the array opened at line {line}, column {col}" in r.stderr, r.stderr


def test_a_syntax_error_inside_closed_arrays_names_no_array(tmp_path: Path) -> None:
    p = tmp_path / "d.toml"
    p.write_text('items = [\n  "a",\n]\nb = = 1\n', encoding="utf-8")
    r = cli("check", "--data", str(p))
    _located(r, f"{p}:4:5", "TOML syntax error")
    assert "array" not in r.stderr, r.stderr
