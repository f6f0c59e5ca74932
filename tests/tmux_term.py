"""A real terminal for end-to-end tests: tmux on a private server, keys in, screen out."""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid
from pathlib import Path

TMUX = shutil.which("tmux")


class Term:
    def __init__(self, command: str, cwd: Path, env: dict[str, str],
                 size: tuple[int, int] = (80, 24)) -> None:
        self.sock = f"csto-test-{uuid.uuid4().hex[:8]}"
        self.env = env
        # -f /dev/null: tmux's default settings (set-clipboard external among them)
        subprocess.run([TMUX, "-L", self.sock, "-f", "/dev/null", "new-session", "-d", "-s",
                        "t", "-x", str(size[0]), "-y", str(size[1]), "-c", str(cwd), command],
                       check=True, env=env, timeout=30)

    def tmux(self, *args: str) -> str:
        r = subprocess.run([TMUX, "-L", self.sock, *args], capture_output=True, text=True,
                           env=self.env, timeout=30)
        return r.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "t")

    def keys(self, *keys: str) -> None:
        for k in keys:
            self.tmux("send-keys", "-t", "t", k)
            time.sleep(0.15)

    def paste(self, text: str, folder: Path) -> None:
        """``text`` into the terminal as ordinary key input, all at once, as a terminal without
        bracketed paste delivers a paste (tmux's paste-buffer without -p; line ends as CR)."""
        path = folder / f"paste-{uuid.uuid4().hex[:8]}.txt"
        path.write_text(text, encoding="utf-8")
        self.tmux("load-buffer", "-b", "paste", str(path))
        self.tmux("paste-buffer", "-b", "paste", "-t", "t")

    def wait_for(self, needle: str, timeout: float = 20.0) -> str:
        end = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < end:
            screen = self.screen()
            if needle in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{needle!r} never appeared; screen was:\n{screen}")

    def alive(self) -> bool:
        r = subprocess.run([TMUX, "-L", self.sock, "has-session", "-t", "t"],
                           capture_output=True, env=self.env, timeout=30)
        return r.returncode == 0

    def close(self) -> None:
        subprocess.run([TMUX, "-L", self.sock, "kill-server"], capture_output=True,
                       env=self.env, timeout=30)
