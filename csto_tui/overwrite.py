"""No key loses data: a write over a file that holds something else asks for its key twice.

The first press says what would be replaced and how to go on; the same key again within
:data:`CONFIRM_SECONDS` writes (the old file is kept as ``.bak`` by :mod:`csto_tui.atomic`).
A new file, or one that already holds exactly these bytes, is written at once. No textual.
"""

from __future__ import annotations

import time
from pathlib import Path

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
        try:
            old = path.read_bytes()
        except OSError:
            old = None  # no file (or unreadable: the write itself will say why)
        now = time.monotonic()
        if old is None or old == data:
            self.armed = None
            return True
        if self.armed == path and now - self.armed_at <= CONFIRM_SECONDS:
            self.armed = None
            return True
        self.armed, self.armed_at = path, now
        return False
