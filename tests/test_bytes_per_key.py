"""What a key costs over SSH: the bytes the dashboard writes to the terminal per key press.

Bytes are deterministic for a given app, size and key (time is not), so they are guarded here;
``benchmarks/key_bytes.py`` prints the full table beside a plain Textual app. Issue #17's
targets: a cursor key writes at most what a plain Textual app of the same shape writes, at most
7.5 KB at 80x24 and 18 KB at 200x50. Measured when this test was last tightened, over the whole
list (17 down, 17 up): 5.5 KB at 80x24 (the plain app 7.4 KB) and 16.3 KB at 200x50 (the plain
app 21.7 KB). Before the panes repainted only their changed lines: 8.0 and 23.6 KB; before that,
18.7 KB at 80x24 (the screen's and panes' reactive state repainted the whole screen on every
key). The guard keeps a small margin over the figures (see docs/performance.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

key_bytes = pytest.importorskip("key_bytes")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")


def cursor_key_bytes(which: str, tmp_path: Path, size: tuple[int, int]) -> tuple[float, list[int]]:
    env = key_bytes.environment(tmp_path)
    with key_bytes.Run(key_bytes.app_args(which, None), *size, env) as run:
        sizes = [run.key(key_bytes.DOWN)[0] for _ in range(17)]
        sizes += [run.key(key_bytes.UP)[0] for _ in range(17)]
    return key_bytes.moved(sizes), sizes


@pytest.mark.parametrize(("size", "at_most"), [((80, 24), 6.0 * 1024),
                                               ((200, 50), 17.5 * 1024)])
def test_a_cursor_key_writes_less_than_a_plain_textual_app(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int],
        at_most: float) -> None:
    monkeypatch.setattr(key_bytes, "IDLE", 0.2)  # each frame is written at once
    ours, sizes = cursor_key_bytes("csto", tmp_path, size)
    plain, _ = cursor_key_bytes("plain", tmp_path, size)
    assert all(n > 0 for n in sizes), f"a key drew nothing: {sizes}"
    assert ours <= at_most, f"{ours:.0f} bytes per cursor key at {size}: {sizes}"
    assert ours <= plain * 0.8, f"{ours:.0f} bytes per key against the plain app's {plain:.0f}"
