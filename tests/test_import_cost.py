"""What loading and checking import: neither ``dataclasses`` nor ``inspect``.

Importing dataclasses (with inspect, ast, dis, tokenize...) costs ~8 ms and ~1.5 MiB of
resident memory, and each ``@dataclass`` ~0.7 ms (it writes and compiles source), paid by every
``check``, ``export`` and ``search`` before it does any work. The classes of the core are written
out on :class:`csto_tui.values._Value` (frozen) and :class:`csto_tui.values._Mutable` instead;
this proves no module on the path of a load, a check and ``csto-tui check`` brings dataclasses
back, imported at the top or lazily (the dashboard imports textual, which imports dataclasses
anyway).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import DATA

#: what must stay out of a process that loads and checks
HEAVY = ("dataclasses", "inspect")

_CHILD = """
import contextlib, io, sys
from pathlib import Path

from csto_tui.checking import check
from csto_tui.loader import load
import csto_tui.cli
import csto_tui.filecheck

for path in map(Path, sys.argv[1:]):
    for _ in range(2):  # the second time: from the cache, and from what a check kept
        load(path)
        check(path)
        csto_tui.filecheck.summarize(path)
    csto_tui.filecheck.summarize(path, whole=True)
    with contextlib.redirect_stdout(io.StringIO()):  # what a user runs: `csto-tui check`
        assert csto_tui.cli.main(["check", "--data", str(path)]) == 0
        assert csto_tui.cli.main(["check", "--coverage", "--data", str(path)]) == 0
print(",".join(m for m in {heavy!r} if m in sys.modules))
"""


def _imported_by_load_and_check(tmp_path: Path, *datasets: Path, also: str = "") -> list[str]:
    """Which of :data:`HEAVY` a fresh interpreter holds once it has loaded and checked
    ``datasets`` (``also``: one more module it imports first)."""
    code = _CHILD.format(heavy=HEAVY)
    if also:
        code = f"import {also}\n{code}"
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    out = subprocess.run([sys.executable, "-c", code, *map(str, datasets)],
                         capture_output=True, text=True, env=env, check=False)
    assert out.returncode == 0, out.stderr
    return [m for m in out.stdout.strip().split(",") if m]


def test_loading_and_checking_import_neither_dataclasses_nor_inspect(
        tmp_path: Path, folder_copy: Path) -> None:
    assert folder_copy.is_dir() and len(list(folder_copy.glob("*.toml"))) > 1
    assert _imported_by_load_and_check(tmp_path, DATA / "csto.toml", folder_copy) == []


_COMMANDS = """
import contextlib, io, sys
import csto_tui.cli

data, art, out = sys.argv[1:]
for args in (["export", "-o", out + ".md"], ["export", "--format", "json", "-o", out + ".json"],
             ["sync"], ["add-source", art, "--title", "New"], ["undo"]):
    with contextlib.redirect_stdout(io.StringIO()):
        assert csto_tui.cli.main([*args, "--data", data]) == 0, args
print(",".join(m for m in {heavy!r} if m in sys.modules))
"""


def test_the_commands_that_print_and_write_import_neither(tmp_path: Path,
                                                          project_copy: Path) -> None:
    """``export`` (both formats), ``sync``, ``add-source`` and ``undo``, as a user runs them."""
    art = tmp_path / "article.txt"
    art.write_text("A new article. It says what the CSTO did.\n", encoding="utf-8")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    got = subprocess.run([sys.executable, "-c", _COMMANDS.format(heavy=HEAVY),
                          str(project_copy), str(art), str(tmp_path / "out")],
                         capture_output=True, text=True, env=env, check=False)
    assert got.returncode == 0, got.stderr
    assert got.stdout.strip() == ""
    assert (tmp_path / "out.md").stat().st_size and (tmp_path / "out.json").stat().st_size


def test_the_probe_sees_an_import(tmp_path: Path) -> None:
    """What the child imported is what it reports (the test above cannot pass by looking at
    nothing)."""
    assert _imported_by_load_and_check(tmp_path, DATA / "csto.toml", also="inspect") == \
        ["inspect"]


_WARM = """
import sys
from pathlib import Path
from csto_tui.loader import load

res = load(Path(sys.argv[1]))
print(len(res.problems), ",".join(m for m in ("tomllib", "csto_tui.tomledit") if m in sys.modules))
"""


def test_a_clean_load_from_the_cache_parses_no_toml(tmp_path: Path) -> None:
    """A load served by the cache imports neither tomllib nor the scanner that locates an
    item of an array (:mod:`csto_tui.locator`): only a problem to locate needs them (the
    first, cold load parses the files, and shows the probe sees tomllib)."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    got = [subprocess.run([sys.executable, "-c", _WARM, str(DATA / "csto.toml")],
                          capture_output=True, text=True, env=env, check=True).stdout.split()
           for _ in range(2)]
    assert got == [["0", "tomllib"], ["0"]]


_FROM_THE_CACHE = """
import contextlib, io, sys
import csto_tui.cli

for args in sys.argv[2:]:
    with contextlib.redirect_stdout(io.StringIO()):
        assert csto_tui.cli.main([args, "--data", sys.argv[1]]) == 0, args
from csto_tui import reading
compiled = ["reading's patterns"] if reading._compiled.cache_info().currsize else []
print(",".join([*(m for m in ("tomllib", "dataclasses", "inspect") if m in sys.modules),
                *compiled]))
"""


def _warm(tmp_path: Path, data: Path) -> dict[str, str]:
    """The environment of a cache that holds ``data`` (loaded once: the first load parses
    it, and the probe of :func:`_from_the_cache` sees tomllib then)."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys; from csto_tui.loader import load; "
         "load(sys.argv[1]); print('tomllib' in sys.modules)", str(data)],
        capture_output=True, text=True, env=env, check=False)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.strip() == "True"
    return env


def _from_the_cache(env: dict[str, str], data: Path, *commands: str) -> list[str]:
    """Which of tomllib, dataclasses and inspect a fresh interpreter holds once it has run
    these commands on ``data``, and whether it compiled the patterns that read TOML
    (:mod:`csto_tui.reading`: ~1 ms)."""
    got = subprocess.run([sys.executable, "-c", _FROM_THE_CACHE, str(data), *commands],
                         capture_output=True, text=True, env=env, check=False)
    assert got.returncode == 0, got.stderr
    return [m for m in got.stdout.strip().split(",") if m]


def test_check_from_the_cache_parses_no_toml(tmp_path: Path, project_copy: Path) -> None:
    """`csto-tui check` once the dataset is in the cache (the first check, which checks the
    whole dataset, then one from what it kept): no TOML is parsed, so tomllib (~4 ms to
    import, with datetime and string) is never imported, nor the patterns that read TOML
    compiled; that is done where a problem is located or a file parsed."""
    env = _warm(tmp_path, project_copy)
    assert _from_the_cache(env, project_copy, "check", "check") == []


def test_sync_after_a_source_changed_parses_no_toml(tmp_path: Path, project_copy: Path) -> None:
    """`csto-tui sync` once an article changed: the dataset comes from the cache and the
    anchors file is written, not parsed, so tomllib is never imported; nor are dataclasses
    and inspect."""
    env = _warm(tmp_path, project_copy)
    seed = sorted((project_copy.parent.parent / "seeds").glob("*.txt"))[0]
    seed.write_text("An editor's note was added.\n\n" + seed.read_text(encoding="utf-8"),
                    encoding="utf-8")
    assert _from_the_cache(env, project_copy, "sync") == []
