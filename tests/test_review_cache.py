"""Review findings on the cache (csto_tui/cache.py): a failed or interrupted write leaves
nothing behind in the cache folder (its temporary files are never pruned otherwise)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from csto_tui import cache


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("CSTO_TUI_CACHE", raising=False)
    return tmp_path / "cache" / "csto-tui"


@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_a_failed_write_leaves_no_temporary_file(folder: Path, monkeypatch: pytest.MonkeyPatch,
                                                 error: BaseException) -> None:
    cache.put(b"kind", b"first", ("a value",))  # the folder exists, with one entry
    real = Path.write_bytes

    def half_then_fail(self: Path, data: bytes) -> int:
        real(self, data[: len(data) // 2])  # the disk filled up (or Ctrl-C) mid-write
        raise error

    with monkeypatch.context() as m:
        m.setattr(Path, "write_bytes", half_then_fail)
        if isinstance(error, OSError):
            cache.put(b"kind", b"second", ("x" * 100_000,))  # ignored, as documented
        else:
            with pytest.raises(KeyboardInterrupt):
                cache.put(b"kind", b"second", ("x" * 100_000,))
    assert sorted(p.suffix for p in folder.iterdir()) == [".marshal"]
    assert cache.get(b"kind", b"second") is None
    assert cache.get(b"kind", b"first") == ("a value",)


def test_a_failed_replace_leaves_no_temporary_file(folder: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    with monkeypatch.context() as m:
        m.setattr(os, "replace", refuse)
        cache.put(b"kind", b"key", ("a value",))
    assert [p for p in folder.iterdir() if p.suffix == ".tmp"] == []
