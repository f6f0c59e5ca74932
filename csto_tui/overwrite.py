"""No key loses data: a write over a file that holds something else asks for its key twice.

The first press says what would be replaced and how to go on; the same key again within
:data:`CONFIRM_SECONDS` writes (the old file is kept as ``.bak`` by :mod:`csto_tui.atomic`).
A new file, or one that already holds exactly these bytes, is written at once. No textual.
"""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

from .reading import read_bytes

#: How long a first press waits for the second.
CONFIRM_SECONDS = 10.0


class OverwriteGuard:
    """Remembers the file a first press would have replaced."""

    def __init__(self) -> None:
        self.armed: Path | None = None
        self.armed_at = 0.0

    def allows(self, path: Path, data: bytes) -> bool:
        """True when writing ``data`` to ``path`` loses nothing, or when this is the second
        press for the same file; False (and armed) on a first press over other content."""
        now = time.monotonic()
        if not self._holds_other(path, data):
            self.armed = None
            return True
        if self.armed == path and now - self.armed_at <= CONFIRM_SECONDS:
            self.armed = None
            return True
        self.armed, self.armed_at = path, now
        return False

    @staticmethod
    def _holds_other(path: Path, data: bytes) -> bool:
        """Whether ``path`` is a regular file holding other bytes than ``data``: its size
        first, its bytes only when the size is the same. Anything else (no file, a folder, a
        FIFO, a device, unreadable) is the write's to refuse and say why: a FIFO is never
        opened here (reading one would wait for a writer forever)."""
        try:
            st = os.stat(path)
        except OSError:
            return False
        if not stat.S_ISREG(st.st_mode):
            return False
        if st.st_size != len(data):
            return True
        try:
            return read_bytes(path) != data
        except OSError:
            return False
