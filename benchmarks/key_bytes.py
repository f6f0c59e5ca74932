"""Bytes written to the terminal per key press, and the time to a settled screen over a slow link.

What a key costs over SSH is what the app writes to the terminal. Each app runs in a real
pseudo-terminal of the given size; after its first screen has settled, keys are sent one at a
time, and after each key everything the app writes is read until it has been quiet for
``IDLE`` seconds. Bytes are deterministic for a given app, size and key; time is not.

The slow link is a real relay: the pty is read no faster than ``LINK_BPS`` bits per second (the
app sees the back-pressure a slow SSH channel gives it), each key reaches the app ``DELAY``
seconds after it was "typed", and each byte reaches the screen ``DELAY`` seconds after it was
read. A key's time is from typing it to the arrival of the last byte of its answer.

Run alone: ``python benchmarks/key_bytes.py [--sizes 80x24 200x50] [--link]``;
``benchmarks/run.py`` prints the same columns.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PY = sys.executable

IDLE = 0.35          # quiet this long after a key: the screen has settled
FIRST_IDLE = 1.0     # quiet this long after launch: the first screen has settled
LINK_BPS = 1_000_000
DELAY = 0.05

DOWN, UP = b"\x1b[B", b"\x1b[A"
PAGE_DOWN, PAGE_UP = b"\x1b[6~", b"\x1b[5~"
ESCAPE = b"\x1b"


@dataclass
class Run:
    """One app in one pty."""

    args: list[str]
    cols: int
    rows: int
    env: dict[str, str]
    link: bool = False
    proc: subprocess.Popen[bytes] | None = None
    master: int = -1
    log: list[tuple[float, int]] = field(default_factory=list)

    def __enter__(self) -> Run:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", self.rows, self.cols, 0, 0))
        self.proc = subprocess.Popen([PY, *self.args], stdin=slave, stdout=slave, stderr=slave,
                                     env=self.env, close_fds=True, cwd=str(ROOT))
        os.close(slave)
        self.master = master
        self.settle(FIRST_IDLE, first=True)
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.proc is not None
        try:
            os.write(self.master, b"\x11")  # ctrl+q, Textual's quit
            self.proc.wait(timeout=3)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        os.close(self.master)

    def settle(self, idle: float, first: bool = False, timeout: float = 60.0) -> tuple[int, float]:
        """Read until the app has been quiet for ``idle`` s: (bytes read, time of the last byte
        read). Through the slow link, reads are paced to ``LINK_BPS``."""
        total = 0
        last = time.perf_counter()
        start = last
        budget = 0.0
        tick = last
        # wait for a first byte for up to a few seconds (an app starting, a key being handled)
        while True:
            now = time.perf_counter()
            if now - start > timeout:
                break
            if total == 0 and not first and now - start > 3.0:
                break
            if total and now - last > idle:
                break
            if first and total == 0 and now - start > timeout:
                break
            if self.link:
                budget = min(budget + (now - tick) * LINK_BPS / 8, 65536.0)
                tick = now
                if budget < 1:
                    time.sleep(0.001)
                    continue
                want = max(1, int(budget))
            else:
                want = 65536
            r, _, _ = select.select([self.master], [], [], 0.01)
            if not r:
                continue
            try:
                chunk = os.read(self.master, want)
            except OSError:
                break
            if not chunk:
                break
            total += len(chunk)
            budget -= len(chunk)
            last = time.perf_counter()
            self.log.append((last, len(chunk)))
        return total, last

    def key(self, seq: bytes) -> tuple[int, float]:
        """Send one key; (bytes of the answer, seconds from typing to the answer's last byte
        on screen)."""
        typed = time.perf_counter()
        if self.link:
            time.sleep(DELAY)
        os.write(self.master, seq)
        n, last = self.settle(IDLE)
        arrived = last + (DELAY if self.link else 0.0)
        return n, (arrived - typed) if n else 0.0


def app_args(which: str, data: Path | None) -> list[str]:
    if which == "plain":
        return [str(HERE / "plain_app.py"), *([str(data.parent if data.is_file() else data)]
                                              if data else [])]
    return ["-m", "csto_tui", *(["--data", str(data)] if data else [])]


def environment(cache: Path) -> dict[str, str]:
    env = dict(os.environ, XDG_CACHE_HOME=str(cache), TERM="xterm-256color", COLORTERM="")
    env.pop("NO_COLOR", None)
    return env


@dataclass
class Figures:
    nav: float
    page: float
    search: float | None
    nav_link: float | None = None


def measure(which: str, cols: int, rows: int, data: Path | None, cache: Path,
            link: bool) -> Figures:
    env = environment(cache)
    with Run(app_args(which, data), cols, rows, env) as run:
        nav = [run.key(DOWN)[0] for _ in range(20)] + [run.key(UP)[0] for _ in range(20)]
        page = [run.key(k)[0] for k in (PAGE_DOWN, PAGE_UP) * 3]
        search: list[int] = []
        if which == "csto":
            run.key(b"/")
            search = [run.key(c.encode())[0] for c in "kazakhstan"]
            run.key(ESCAPE)
    nav_link = None
    if link:
        with Run(app_args(which, data), cols, rows, env, link=True) as run:
            times = [run.key(DOWN)[1] for _ in range(8)] + [run.key(UP)[1] for _ in range(8)]
        nav_link = statistics.median(t for t in times if t > 0)
    return Figures(moved(nav), moved(page), moved(search) if search else None, nav_link)


def moved(sizes: list[int]) -> float:
    """Mean bytes of the keys that changed the screen (a cursor already at the end of its list
    draws nothing, and is not a navigation)."""
    drawn = [n for n in sizes if n > 0]
    return statistics.mean(drawn) if drawn else 0.0


def table(sizes: list[tuple[int, int]], data: Path | None, link: bool) -> list[list[str]]:
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "csto_tui")], check=False,
                   capture_output=True)
    cache = Path(tempfile.mkdtemp(prefix="csto-keybytes-"))
    rows: list[list[str]] = []
    for cols, lines in sizes:
        plain = measure("plain", cols, lines, data, cache, link)
        csto = measure("csto", cols, lines, data, cache, link)
        row = [f"{cols}x{lines}", f"{csto.nav / 1024:.1f}K", f"{plain.nav / 1024:.1f}K",
               f"{csto.nav / plain.nav:.2f}", f"{csto.page / 1024:.1f}K",
               f"{plain.page / 1024:.1f}K",
               f"{csto.search / 1024:.1f}K" if csto.search is not None else "-"]
        if link:
            assert csto.nav_link is not None and plain.nav_link is not None
            row += [f"{csto.nav_link * 1000:.0f}ms", f"{plain.nav_link * 1000:.0f}ms",
                    f"{csto.nav_link / plain.nav_link:.2f}"]
        rows.append(row)
    return rows


HEAD = ["size", "nav key", "plain nav", "ratio", "page key", "plain page", "search key"]
HEAD_LINK = ["link nav", "plain link", "link ratio"]


def print_table(rows: list[list[str]], link: bool) -> None:
    head = HEAD + (HEAD_LINK if link else [])
    print(" | ".join(f"{h:>10}" for h in head))
    print("-" * (13 * len(head)))
    for r in rows:
        print(" | ".join(f"{c:>10}" for c in r))
    print("\nBytes are means per key that changed the screen (20 down + 20 up for navigation, "
          "page down and page up 3 times in turn, the 10 letters of 'kazakhstan' typed into "
          "search), in a pty, after each key read until "
          f"{IDLE}s quiet.")
    if link:
        print(f"Link: {LINK_BPS // 1000} kbit/s, {DELAY * 1000:.0f} ms each way; median of 16 "
              "cursor keys, from typing to the answer's last byte on screen.")


def main() -> int:
    ap = argparse.ArgumentParser(description="bytes per key, csto-tui beside a plain app")
    ap.add_argument("--sizes", nargs="+", default=["80x24", "200x50"])
    ap.add_argument("--data", type=Path, help="dataset (default: the bundled one)")
    ap.add_argument("--link", action="store_true", help="also time keys over a slow link")
    a = ap.parse_args()
    sizes = [(int(s.split("x")[0]), int(s.split("x")[1])) for s in a.sizes]
    print_table(table(sizes, a.data, a.link), a.link)
    return 0


if __name__ == "__main__":
    sys.exit(main())
