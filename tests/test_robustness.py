"""Hostile and broken inputs through the CLI: a clear message, a non-zero exit, no traceback,
nothing lost. Each case here is a row of docs/robustness.md."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from csto_tui.cli import main


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "csto_tui", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


DATASET = '''
[dataset]
title = "t"

[[sources]]
id = "a"
file = "a.txt"

[[quotes]]
id = "q"
source = "a"
text = "QUOTE-HERE"

[[states]]
id = "s"
name = "State"
status = "outside"
role = "{role}"
quotes = ["q"]
'''


def make(tmp: Path, source: bytes, role: str = "r") -> Path:
    (tmp / "a.txt").write_bytes(source)
    p = tmp / "d.toml"
    p.write_text(DATASET.format(role=role), encoding="utf-8")
    return p


def no_traceback(r: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in r.stdout + r.stderr


def test_empty_dataset(tmp_path: Path) -> None:
    p = tmp_path / "d.toml"
    p.write_text("", encoding="utf-8")
    r = cli("check", "--data", str(p))
    assert r.returncode == 1 and "no states" in r.stdout
    no_traceback(r)


def test_dataset_is_a_folder_or_binary(tmp_path: Path) -> None:
    r = cli("check", "--data", str(tmp_path))
    assert r.returncode == 1 and "folder" in r.stderr
    b = tmp_path / "b.toml"
    b.write_bytes(b"\xff\xfe\x00garbage")
    r = cli("check", "--data", str(b))
    assert r.returncode == 1 and "UTF-8" in r.stderr
    no_traceback(r)


def test_very_large_source_with_one_long_line(tmp_path: Path) -> None:
    big = b"x" * (50 * 1024 * 1024) + b" QUOTE-HERE end"
    p = make(tmp_path, big)
    r = cli("sync", "--data", str(p))
    assert r.returncode == 0, r.stdout + r.stderr
    r = cli("check", "--data", str(p))
    assert r.returncode == 0, r.stdout + r.stderr


def test_crlf_and_bom_sources_anchor(tmp_path: Path) -> None:
    p = make(tmp_path, b"\xef\xbb\xbfline one\r\nQUOTE-HERE\r\nend")
    assert cli("sync", "--data", str(p)).returncode == 0
    r = cli("check", "--data", str(p))
    assert r.returncode == 0, r.stdout


def test_unreadable_source(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    p = make(tmp_path, b"QUOTE-HERE")
    (tmp_path / "a.txt").chmod(0)
    r = cli("check", "--data", str(p))
    assert r.returncode == 1 and "cannot read" in r.stdout


def test_control_characters_in_data_never_reach_the_terminal(tmp_path: Path) -> None:
    p = make(tmp_path, b"QUOTE-HERE \x1b[2J\x1b]0;owned\x07", role="\\u001b[31m[bold]x[/]")
    assert cli("sync", "--data", str(p)).returncode == 0
    for args in (["export", "--state", "s"], ["export", "--format", "json"],
                 ["search", "QUOTE"], ["check", "--coverage"]):
        r = cli(*args, "--data", str(p))
        assert "\x1b" not in r.stdout and "\x07" not in r.stdout, args
        no_traceback(r)
    md = cli("export", "--state", "s", "--data", str(p)).stdout
    assert "^\\[\\[31m" in md and "\\[bold\\]x\\[/\\]" in md


def test_broken_anchors_file_is_reported(tmp_path: Path) -> None:
    p = make(tmp_path, b"QUOTE-HERE")
    (tmp_path / "d.anchors.toml").write_text("[anchors.q\n", encoding="utf-8")
    r = cli("check", "--data", str(p), "--format", "json")
    doc = json.loads(r.stdout)
    assert r.returncode == 1
    assert any(x["code"] == "toml" and x["file"].endswith("d.anchors.toml")
               for x in doc["problems"])


def test_keyboard_interrupt_and_broken_pipe_are_quiet(tmp_path: Path) -> None:
    r = subprocess.run(f"{sys.executable} -m csto_tui export --format json | head -c 10",
                       shell=True, capture_output=True, text=True, timeout=120)
    no_traceback(r)
    assert r.stderr == ""


def test_export_refuses_to_overwrite_with_partial_file(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "brief.md"
    out.write_text("my notes", encoding="utf-8")
    real = os.replace

    def crash(a, b):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    assert main(["export", "--state", "kaz", "-o", str(out)]) == 1
    monkeypatch.setattr(os, "replace", real)
    assert out.read_text(encoding="utf-8") == "my notes"
