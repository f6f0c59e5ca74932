"""Copy that arrives: inside tmux the text is handed to tmux, elsewhere the caller sends OSC 52.

tmux, with its default ``set-clipboard external``, ignores an application's OSC 52, so a copy
inside tmux (over SSH too: the tmux server runs where the app runs) goes through
``tmux load-buffer -w -`` (tmux 3.2 or later): tmux keeps it as its paste buffer and passes it
on to the outer terminal's clipboard itself. Older tmux lacks ``-w``: the text then goes to
the paste buffer only. No textual here; the screens say what was done.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass


@dataclass(frozen=True)
class Copied:
    """What became of a copy: ``done`` when tmux took it, and a sentence saying where."""

    done: bool
    where: str


def in_tmux() -> bool:
    return bool(os.environ.get("TMUX"))


def to_tmux(text: str, timeout: float = 3.0) -> Copied:
    """Hand ``text`` to the tmux this app runs in; never raises."""
    tmux = shutil.which("tmux")
    if not in_tmux() or tmux is None:
        return Copied(False, "not inside tmux")
    data = text.encode("utf-8")
    try:
        run = subprocess.run([tmux, "load-buffer", "-w", "-"], input=data, timeout=timeout,
                             capture_output=True, check=False)
        if run.returncode == 0:
            return Copied(True, "tmux's paste buffer and the terminal's clipboard")
        # tmux before 3.2: no -w, the paste buffer only
        run = subprocess.run([tmux, "load-buffer", "-"], input=data, timeout=timeout,
                             capture_output=True, check=False)
        if run.returncode == 0:
            return Copied(True, "tmux's paste buffer (prefix ]) only: this tmux is older "
                                "than 3.2")
        err = run.stderr.decode("utf-8", "replace").strip() or f"exit {run.returncode}"
        return Copied(False, f"tmux refused it: {err}")
    except (OSError, subprocess.SubprocessError) as exc:
        return Copied(False, f"tmux could not be run: {exc}")
