"""The CLI's answer to ordinary OS failures and empty arguments: one plain line naming the
file and the cause, exit 1 (2 for a usage error), never "internal error" nor a traceback.
Each case is a row of docs/robustness.md; the faults are real (a full or read-only file
system in a private mount namespace, a closed or full standard output, another user)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _env() -> dict[str, str]:
    return dict(os.environ, CSTO_TUI_CACHE="0", PYTHONPATH=str(ROOT))


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "csto_tui", *args], capture_output=True,
                          text=True, timeout=120, env=_env())


def sh(script: str, *prefix: str) -> subprocess.CompletedProcess[str]:
    """``script`` run by sh, with CSTO standing for the command."""
    csto = f"{sys.executable} -m csto_tui"
    return subprocess.run([*prefix, "sh", "-c", script.replace("CSTO", csto)],
                          capture_output=True, text=True, timeout=120, env=_env())


def plain(r: subprocess.CompletedProcess[str], line: str, code: int = 1) -> None:
    assert (r.returncode, r.stderr) == (code, f"csto-tui: {line}\n")


def _can_mount() -> bool:
    if shutil.which("unshare") is None:
        return False
    r = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs tmpfs /mnt"],
                       capture_output=True, timeout=30)
    return r.returncode == 0


needs_mount = pytest.mark.skipif(not _can_mount(), reason="no private mount namespace here")


@pytest.mark.parametrize("args", [
    ["--data", ""], ["--data="], ["check", "--data", ""], ["export", "--data="],
    ["sync", "--data", ""], ["search", "x", "--data", ""],
])
def test_an_empty_data_path_is_a_usage_error(args: list[str]) -> None:
    r = cli(*args)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.startswith("usage: csto-tui")
    assert r.stderr.endswith("csto-tui: --data needs the path of a dataset; an empty one names "
                             "nothing (leave --data out for the bundled dataset)\n")


@needs_mount
def test_disk_full(tmp_path: Path) -> None:
    r = sh(f"mount -t tmpfs -o size=16k tmpfs {tmp_path} && "
           f"CSTO export -o {tmp_path}/brief.md; echo rc=$?; ls -A {tmp_path}", "unshare", "-rm")
    assert r.stderr == f"csto-tui: {tmp_path}/brief.md: cannot write: No space left on device\n"
    assert r.stdout == "rc=1\n"  # and no file left behind, not even a temporary one


@needs_mount
def test_read_only_file_system(tmp_path: Path) -> None:
    r = sh(f"mount -t tmpfs tmpfs {tmp_path} && echo mine > {tmp_path}/brief.md && "
           f"mount -o remount,ro {tmp_path} && CSTO export -o {tmp_path}/brief.md; "
           f"echo rc=$?; cat {tmp_path}/brief.md", "unshare", "-rm")
    assert r.stderr == f"csto-tui: {tmp_path}/brief.md: cannot write: Read-only file system\n"
    assert r.stdout == "rc=1\nmine\n"


def test_standard_output_closed() -> None:
    r = sh("CSTO export >&-")
    plain(r, "standard output: cannot write: it is closed")


@pytest.mark.parametrize("args", ["keys", "keys --themes", "keys --format json"])
def test_keys_on_a_closed_or_full_standard_output(args: str) -> None:
    plain(sh(f"CSTO {args} >&-"), "standard output: cannot write: it is closed")
    if os.path.exists("/dev/full"):
        plain(sh(f"CSTO {args} > /dev/full"),
              "standard output: cannot write: No space left on device")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
def test_standard_output_on_a_full_disk() -> None:
    r = sh("CSTO check > /dev/full")
    plain(r, "standard output: cannot write: No space left on device")


def test_a_file_where_a_folder_is_expected(tmp_path: Path) -> None:
    (tmp_path / "notes").write_text("x", encoding="utf-8")
    r = cli("export", "-o", str(tmp_path / "notes" / "brief.md"))
    plain(r, f"{tmp_path}/notes/brief.md: cannot write: Not a directory")
    r = cli("export", "-o", str(tmp_path / "missing" / "brief.md"))
    plain(r, f"{tmp_path}/missing/brief.md: cannot write: No such file or directory")


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A folder another user can reach (pytest's own is private to root)."""
    d = Path(tempfile.mkdtemp(prefix="csto-eacces-"))
    d.chmod(0o755)
    yield d
    shutil.rmtree(d)


def test_permission_denied(shared_tmp: Path) -> None:
    """Writing into a folder one may not write to, reading a dataset one may not read."""
    prefix: tuple[str, ...] = ()
    if os.geteuid() == 0:  # root may write anywhere: run as nobody
        if shutil.which("setpriv") is None:
            pytest.skip("root without setpriv")
        prefix = ("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups")
    locked = shared_tmp / "locked"
    locked.mkdir(mode=0o555)
    secret = shared_tmp / "secret.toml"
    secret.write_text("[dataset]\n", encoding="utf-8")
    secret.chmod(0o600)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*prefix, sys.executable, "-m", "csto_tui", *args],
                              capture_output=True, text=True, timeout=120, env=_env(),
                              cwd=shared_tmp)

    plain(run("export", "-o", f"{locked}/brief.md"),
          f"{locked}/brief.md: cannot write: Permission denied")
    plain(run("check", "--data", str(secret)), f"{secret}: cannot read: Permission denied")


def test_undo_on_a_dataset_that_does_not_exist_says_so(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """As every other command: "no such file" (it said there was nothing to undo, naming the
    journal's folder)."""
    from csto_tui.cli import main

    missing = tmp_path / "nonexist.toml"
    assert main(["undo", "--data", str(missing)]) == 1
    err = capsys.readouterr().err
    assert f"{missing}: no such file" in err and "nothing to undo" not in err


@pytest.mark.parametrize("args", [
    ["check", "--data", "{anchors}"], ["export", "--data", "{anchors}"],
    ["sync", "--data", "{anchors}"], ["undo", "--data", "{anchors}"],
    ["--data", "{anchors}"], ["check", "--data", "{texts}"],
])
def test_an_anchors_file_given_as_the_dataset_is_named_for_what_it_is(
        project_copy: Path, args: list[str]) -> None:
    """`--data x.anchors.toml` (or the x.texts folder beside it): said what it is and which data
    file to give, a usage error; nothing is read or written (it was checked as a dataset
    with no records, 'unknown top-level key anchors') (tester's defect 19)."""
    anchors = project_copy.with_name(project_copy.stem + ".anchors.toml")
    texts = project_copy.with_name(project_copy.stem + ".texts")
    assert anchors.is_file() and texts.is_dir()
    before = anchors.read_bytes()
    r = cli(*(a.format(anchors=anchors, texts=texts) for a in args))
    given = texts if "{texts}" in args else anchors
    what = ("the folder of stored texts" if given == texts else "an anchors file")
    assert r.returncode == 2 and r.stdout == "", r.stdout + r.stderr
    assert r.stderr == (f"csto-tui: {given} is {what} (written by csto-tui beside the data file "
                        f"{project_copy}), not a dataset: give --data {project_copy}\n")
    assert anchors.read_bytes() == before
