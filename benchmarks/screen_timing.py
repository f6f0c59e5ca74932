"""Time a Textual app from launch to its first full screen, in a real pseudo-terminal.

The app is started with ``CSTO_TUI_BENCH_EXIT=<file>``: csto-tui (and bare_app.py) write the
wall-clock time into that file right after the first screen with data has been painted, then
exit. The figure is spawn to paint (worker threads still winding down do not count), with the
pty drained all along (a terminal that is not read would block the app). A launch that has
not exited after ``timeout`` seconds is killed and reported as None (a figure, not a
traceback).
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import tempfile
import termios
import time


def time_app(args: list[str], env: dict[str, str] | None = None, cols: int = 80,
             rows: int = 24, timeout: float = 60.0) -> float | None:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    e = dict(env or os.environ)
    fd, stamp = tempfile.mkstemp(prefix="csto-screen-")
    os.close(fd)
    os.unlink(stamp)
    e.update(CSTO_TUI_BENCH_EXIT=stamp, TERM=e.get("TERM", "xterm-256color") or "xterm-256color")
    if e["TERM"] == "dumb":
        e["TERM"] = "xterm-256color"
    t = time.perf_counter()
    wall = time.time()
    proc = subprocess.Popen([sys.executable, *args], stdin=slave, stdout=slave, stderr=slave,
                            env=e, close_fds=True)
    os.close(slave)
    deadline = t + timeout
    try:
        while proc.poll() is None and time.perf_counter() < deadline:
            r, _, _ = select.select([master], [], [], 0.05)
            if r:
                try:
                    os.read(master, 65536)
                except OSError:
                    break
        try:
            proc.wait(timeout=max(0.1, deadline - time.perf_counter()))
        except subprocess.TimeoutExpired:
            pass
    finally:
        timed_out = proc.poll() is None
        if timed_out:
            proc.kill()
            proc.wait()
        os.close(master)
    try:
        with open(stamp, encoding="utf-8") as fh:
            painted = float(fh.read())
        os.unlink(stamp)
        return painted - wall
    except (OSError, ValueError):  # the app did not report: its exit time, if it exited
        return None if timed_out else time.perf_counter() - t
