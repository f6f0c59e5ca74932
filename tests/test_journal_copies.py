"""The undo journal's copies of the files a step wrote (csto_tui/journal.py): each named by
the hash of its bytes, written whole or not at all."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

FULL_AT_1000_BYTES = """
import resource, signal, sys
from pathlib import Path
from csto_tui import journal
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))
data, before = Path(sys.argv[1]), Path(sys.argv[2]).read_bytes()
try:
    journal._journal_add(data, "a step", (), [journal.Write(data, before, b"after")], [])
except OSError as exc:
    print("failed:", exc)
"""


def test_a_copy_that_cannot_be_written_leaves_the_earlier_copy_of_the_same_bytes(
        tmp_path: Path) -> None:
    """A step whose earlier bytes are already in the journal (an earlier step's copy): when
    the disk fills while the copy is written again, the earlier copy is still whole, and no
    temporary file is left."""
    data = tmp_path / "d.toml"
    before = bytes(range(256)) * 10  # 2,560 bytes: more than the disk takes
    data.write_bytes(before)
    folder = tmp_path / ".csto-undo" / "d"
    folder.mkdir(parents=True)
    copy = folder / f"{hashlib.sha256(before).hexdigest()}.bin"
    copy.write_bytes(before)
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"),
               XDG_CONFIG_HOME=str(tmp_path / "config"))
    out = subprocess.run([sys.executable, "-c", FULL_AT_1000_BYTES, str(data), str(data)],
                         capture_output=True, text=True, timeout=60, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("failed:") and "File too large" in out.stdout
    assert copy.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == [copy.name]
