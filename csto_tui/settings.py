"""The user's own settings: keys and theme, from one TOML file (no textual).

The file is ``$XDG_CONFIG_HOME/csto-tui/config.toml`` (``~/.config/csto-tui/config.toml``), or
the file ``$CSTO_TUI_CONFIG`` names; ``csto-tui --help`` prints where it is looked for::

    theme = "ansi-dark"          # or --theme; `csto-tui keys --themes` lists them

    [keys]                       # binding id = key(s); `csto-tui keys` lists every id
    quit = "ctrl+q"
    search = "f,ctrl+f"          # several keys: comma-separated

A file that is missing is no error. A broken one (bad TOML, an unknown binding id or theme, a
key that is not a string) never stops the app: every problem is reported with file, line and
column, and what is sound in the file still applies; the rest keeps its defaults. A key that
another binding of the same screen already has is applied, and reported as a warning.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Collection
from pathlib import Path

from . import reading
from .errors import CstoError, Problem
from .values import _Mutable

CONFIG_ENV = "CSTO_TUI_CONFIG"
#: The largest config file read (a keymap is a few hundred bytes).
MAX_CONFIG_BYTES = 1024 * 1024
#: A key as Textual names it: ``q``, ``ctrl+q``, ``f5``, ``question_mark``, ``shift+tab``.
_KEY_RE = re.compile(r"^[a-z0-9_]+(\+[a-z0-9_]+)*$|^[A-Z]$")


def config_path() -> Path:
    """Where the settings are read from."""
    named = os.environ.get(CONFIG_ENV)
    if named:
        return Path(named).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "csto-tui" / "config.toml"


class Settings(_Mutable):
    """What the config file says, already checked."""

    __slots__ = _fields = ("path", "theme", "keys", "problems", "found")

    path: Path
    theme: str | None
    keys: dict[str, str]
    problems: list[Problem]
    found: bool

    def __init__(
        self,
        path: Path,
        theme: str | None = None,
        keys: dict[str, str] | None = None,
        problems: list[Problem] | None = None,
        found: bool = False,
    ) -> None:
        self.path = path
        self.theme = theme
        self.keys = {} if keys is None else keys
        self.problems = [] if problems is None else problems
        self.found = found


Known = Collection[str] | Callable[[], Collection[str]]
#: The app's check of the user's keys: (binding id, message) for each key that clashes with
#: another live in the same place (:func:`csto_tui.keymap.clashes`).
ClashCheck = Callable[[dict[str, str]], list[tuple[str, str]]]


def load_for_app(path: Path | None = None) -> Settings:
    """:func:`load`, checked against the app's bindings and themes (:mod:`csto_tui.keymap`,
    imported only when the file has something to check)."""

    def ids() -> set[str]:
        from .keymap import binding_ids

        return binding_ids()

    def themes() -> list[str]:
        from .keymap import theme_names

        return theme_names()

    def clashes(keys: dict[str, str]) -> list[tuple[str, str]]:
        from .keymap import clashes

        return clashes(keys)

    def key_name(character: str) -> str:
        from .keymap import key_name

        return key_name(character)

    return load(path, binding_ids=ids, themes=themes, clashes=clashes, key_name=key_name)


def load(path: Path | None = None, binding_ids: Known = (), themes: Known = (),
         clashes: ClashCheck | None = None,
         key_name: Callable[[str], str] | None = None) -> Settings:
    """Read and check the settings. ``binding_ids`` and ``themes`` are what the app knows
    (empty: not checked; a function: called only if the file names a key or a theme, so a
    launch without a config file imports nothing more). ``clashes``: a key clashing with
    another is kept, and reported as a warning at its line. ``key_name``: the name of the key
    a single character is (``/`` -> ``slash``), for a key written as the character itself.
    Never raises for anything in the file."""
    path = path or config_path()
    out = Settings(path)
    try:
        raw = reading.read_bytes(path, MAX_CONFIG_BYTES)
    except FileNotFoundError:
        return out
    except OSError as exc:
        from .errors import os_message

        out.problems.append(Problem("config", os_message(exc), str(path)))
        return out
    out.found = True
    try:
        text = raw.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        prefix = raw[:exc.start].decode("utf-8", "replace")
        line, col = reading.line_col(prefix, len(prefix))
        out.problems.append(Problem("config", "not UTF-8 text", str(path), line, col))
        return out
    try:
        doc = reading.parse_toml(path, text)
    except CstoError as exc:
        out.problems.extend(exc.problems or (Problem("config", exc.message, str(path)),))
        return out
    lines = text.split("\n")

    def where(key: str, table: str = "") -> tuple[int | None, int | None]:
        """Line and column of ``key`` (inside ``[table]`` when given)."""
        inside = not table
        pat = re.compile(rf"^\s*(\"?){re.escape(key)}\1\s*=")
        for n, line in enumerate(lines, 1):
            stripped = line.strip()
            if table and stripped.startswith("["):
                inside = stripped.strip("[] ") == table
                continue
            if inside and pat.match(line):
                return n, len(line) - len(line.lstrip()) + 1
        return None, None

    def problem(msg: str, key: str, table: str = "", code: str = "config",
                severity: str = "error") -> None:
        line, col = where(key, table)
        name = f"{table}.{key}" if table else key
        out.problems.append(Problem(code, msg, str(path), line, col, field=name,
                                    severity=severity))

    known_themes: Collection[str] = ()
    if "theme" in doc:
        known_themes = themes() if callable(themes) else themes
    known_ids: Collection[str] = ()
    if doc.get("keys"):
        known_ids = binding_ids() if callable(binding_ids) else binding_ids
    for key in doc:
        if key not in ("theme", "keys"):
            problem("unknown setting (known: theme, [keys])", key)
    theme = doc.get("theme")
    if theme is not None:
        if not isinstance(theme, str):
            problem("the theme is a name in quotes, e.g. theme = \"ansi-dark\"", "theme")
        elif known_themes and theme not in known_themes:
            problem(f"unknown theme {theme!r} (known: {', '.join(sorted(known_themes))})",
                    "theme")
        else:
            out.theme = theme
    keys = doc.get("keys", {})
    if not isinstance(keys, dict):
        problem("[keys] is a table: binding id = \"key\"", "keys")
        keys = {}
    for bid, value in keys.items():
        if known_ids and bid not in known_ids:
            problem("unknown binding id (`csto-tui keys` lists them)", bid, "keys")
            continue
        if not isinstance(value, str) or not value.strip():
            problem("a key is a string, e.g. \"ctrl+q\" (several: \"f,ctrl+f\")", bid, "keys")
            continue
        parts = [p.strip() for p in value.split(",")]
        if key_name is not None:  # "/" as its key's name, "slash"
            parts = [key_name(p) if len(p) == 1 and not p.isalnum() else p for p in parts]
        bad = [p for p in parts if not _KEY_RE.match(p)]
        if bad:
            problem(f"not a key name: {', '.join(repr(b) for b in bad)} (examples: \"q\", "
                    "\"ctrl+q\", \"f5\", \"shift+tab\", \"question_mark\")", bid, "keys")
            continue
        out.keys[bid] = ",".join(parts)
    if clashes is not None and out.keys:
        for bid, msg in clashes(out.keys):
            problem(msg, bid, "keys", code="key-clash", severity="warning")
    return out
