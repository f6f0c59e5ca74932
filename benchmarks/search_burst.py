"""How long the dashboard takes to take in a burst of keys pasted into its search box (#16).

    .venv/bin/python benchmarks/search_burst.py [KB ...]     # default 220 KB

The real path: the installed ``csto-tui`` runs in tmux (a private server) at 120x40; `/`
opens the search; the text goes into the terminal as tmux's ``paste-buffer`` without ``-p``
delivers it, that is as a terminal without bracketed paste does: the characters written to the
pty as ordinary key input, read by Textual's driver 4 KB at a time. Right behind it goes
Ctrl+G (group the results), which the app handles only after every pasted character: the time
is taken from the paste until the screen shows the results grouped and the box's end is the
end of the first MAX_QUERY characters of the text. Target: <= 1 s. The machine may be shared
(see ``uptime``): read the figure as an upper bound.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from csto_tui.screens.search_screen import MAX_QUERY  # noqa: E402

TMUX = shutil.which("tmux")


class Tmux:
    """One tmux server of our own (never the user's), one window of 120x40."""

    def __init__(self, command: str, cwd: Path, env: dict[str, str]) -> None:
        self.sock = f"csto-burst-bench-{os.getpid()}"
        self.env = env
        self.run("-f", "/dev/null", "new-session", "-d", "-s", "b", "-x", "120", "-y", "40",
                 "-c", str(cwd), command)

    def run(self, *args: str) -> str:
        assert TMUX
        out = subprocess.run([TMUX, "-L", self.sock, *args], capture_output=True, text=True,
                             env=self.env, timeout=60, check=True)
        return out.stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "b")

    def wait_for(self, done: object, timeout: float, poll: float = 0.02) -> float:
        """Seconds until ``done(screen)`` holds (polled every ``poll`` s)."""
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < timeout:
            if done(self.screen()):  # type: ignore[operator]
                return time.perf_counter() - t0
            time.sleep(poll)
        raise SystemExit(f"not done after {timeout:.0f} s; screen:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run([TMUX or "tmux", "-L", self.sock, "kill-server"], capture_output=True,
                       env=self.env, timeout=60)


def burst(kb: int, tmp: Path, exe: str) -> float:
    text = ("Kazakhstan intervention troops " * (kb * 40))[: kb * 1000]
    taken = text[:MAX_QUERY]
    env = dict(os.environ, TERM="xterm-256color", XDG_CACHE_HOME=str(tmp / "cache"),
               XDG_CONFIG_HOME=str(tmp / "config"))
    env.pop("TMUX", None)
    term = Tmux(f"{exe}; sleep 60", tmp, env)
    try:
        term.wait_for(lambda s: "M Kazakhstan" in s, 60, poll=0.2)
        term.run("send-keys", "-t", "b", "/")
        term.wait_for(lambda s: "Type a name" in s, 60, poll=0.1)
        path = tmp / "burst.txt"
        path.write_text(text, encoding="utf-8")
        term.run("load-buffer", "-b", "burst", str(path))
        end = taken[-40:]
        t0 = time.perf_counter()
        term.run("paste-buffer", "-b", "burst", "-t", "b")  # no -p: never bracketed
        term.run("send-keys", "-t", "b", "C-g")
        term.wait_for(lambda s: "grouped by kind" in s and end in s, 600)
        return time.perf_counter() - t0
    finally:
        term.close()


def main(sizes: list[int]) -> None:
    exe = shutil.which("csto-tui", path=str(Path(sys.executable).parent))
    if not TMUX or not exe:
        raise SystemExit("needs tmux and the csto-tui console script next to this Python")
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} (1, 5 min; "
          f"{os.cpu_count()} cores)")
    for kb in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            took = burst(kb, Path(tmp), exe)
        print(f"{kb * 1000:,} keys pasted (unbracketed) into the search box: taken in "
              f"(box {MAX_QUERY} characters, searched, next key handled) after {took:.2f} s")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [220])
