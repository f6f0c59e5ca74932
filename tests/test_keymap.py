"""Keys the user remaps in the config file: in the app, in the help, in `csto-tui keys`, and in
a real terminal (tmux)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tmux_term import TMUX, Term

from csto_tui import settings
from csto_tui.app import CstoApp
from csto_tui.keymap import binding_ids, keys_table

CONFIG = '[keys]\nquit = "ctrl+x"\nsearch = "s"\n'


def remapped(tmp_path: Path, text: str = CONFIG) -> settings.Settings:
    p = tmp_path / "config.toml"
    p.write_text(text, encoding="utf-8")
    from csto_tui.keymap import theme_names

    return settings.load(p, binding_ids, theme_names)


def test_every_binding_id_is_unique() -> None:
    ids = [i for _, i, _, _ in keys_table()]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


async def test_quit_and_search_move_to_the_users_keys(tmp_path: Path) -> None:
    app = CstoApp(settings=remapped(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        await pilot.press("slash")
        await pilot.pause(0.2)
        assert type(app.screen).__name__ == "DashboardScreen", "/ still opens search"
        await pilot.press("s")
        await pilot.pause(0.3)
        assert type(app.screen).__name__ == "SearchScreen"
        await pilot.press("escape")
        await pilot.pause(0.2)
        await pilot.press("q")
        await pilot.pause(0.2)
        assert app.is_running, "q still quits"
        await pilot.press("ctrl+x")
        await pilot.pause(0.2)
        assert not app.is_running


async def test_the_help_shows_the_users_keys(tmp_path: Path) -> None:
    from csto_tui.screens.help_screen import help_text

    text = help_text({"search": "s", "quit": "ctrl+x"}).plain
    line = next(ln for ln in text.splitlines() if "Search -" in ln or ln.strip().endswith("Search"))
    assert line.split()[0] == "s"
    # keys are spelled one way everywhere: Ctrl+X, as in the footer and the palette
    assert any(ln.split()[:2] == ["Ctrl+X", "Quit"] for ln in text.splitlines())


async def test_a_broken_config_keeps_the_defaults_and_says_where(tmp_path: Path) -> None:
    conf = remapped(tmp_path, '[keys]\nquit = "ctrl+x"\nnope = "z"\n')
    assert conf.keys == {"quit": "ctrl+x"} and conf.problems[0].line == 3
    broken = remapped(tmp_path, "[keys\n")
    app = CstoApp(settings=broken)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        notes = [n.message for n in app._notifications]
        assert any("config.toml:1" in n for n in notes), notes
        await pilot.press("q")
        await pilot.pause(0.2)
        assert not app.is_running


def checked(tmp_path: Path, keys: str) -> settings.Settings:
    """``[keys]`` with ``keys``, read as the app reads it (clashes checked)."""
    from csto_tui.keymap import clashes, theme_names

    p = tmp_path / "config.toml"
    p.write_text(f"# mine\n[keys]\n{keys}", encoding="utf-8")
    return settings.load(p, binding_ids, theme_names, clashes)


def test_a_key_clashing_on_a_screen_is_kept_and_reported_at_its_line(tmp_path: Path) -> None:
    conf = checked(tmp_path, 'quit = "ctrl+x"\nsearch = "q"\n')
    assert conf.keys == {"quit": "ctrl+x", "search": "q"}  # applied: q is free now
    assert conf.problems == []
    conf = checked(tmp_path, 'help = "f1"\nsearch = "q"\n')
    assert conf.keys == {"help": "f1", "search": "q"}  # kept, never fatal
    [warn] = conf.problems
    assert (warn.line, warn.column, warn.severity) == (4, 1, "warning")
    assert warn.format() == (
        f"{tmp_path / 'config.toml'}:4:1 [key-clash] keys.search: 'q' is also the key of quit "
        "(Quit) on the dashboard: only one of the two can work there")


@pytest.mark.parametrize(("keys", "mine", "other", "where"), [
    ('cursor_down = "3"', "cursor_down", "pane_3", "the dashboard"),
    ('state_filter = "a"', "state_filter", "toggle_all_events",
     "the dashboard (1 States pane)"),
    ('search_cancel = "q"', "search_cancel", "quit", "the Search (/) screen"),
    ('pane_1 = "x"\npane_2 = "x"', "pane_1", "pane_2", "the dashboard"),
])
def test_each_clash_names_both_bindings_and_the_screen(tmp_path: Path, keys: str, mine: str,
                                                       other: str, where: str) -> None:
    conf = checked(tmp_path, keys + "\n")
    assert conf.problems and conf.problems[0].field == f"keys.{mine}"
    assert f"also the key of {other} (" in conf.problems[0].message
    assert f" on {where}: " in conf.problems[0].message


@pytest.mark.parametrize("keys", [
    'search_cancel = "b"',  # b opens the briefing on the dashboard, not on the search screen
    'export = "e"',  # e is also the states pane's export, by default: no clash of the user's
    'state_filter = "x"\nevent_all = "x"',  # two panes: never live together
])
def test_keys_of_different_screens_or_shared_by_default_do_not_clash(tmp_path: Path,
                                                                      keys: str) -> None:
    conf = checked(tmp_path, keys + "\n")
    assert conf.problems == [] and conf.keys


def test_keys_command_and_the_app_report_a_clash(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('[keys]\nsearch = "q"\n', encoding="utf-8")
    env = dict(os.environ, CSTO_TUI_CONFIG=str(tmp_path / "config.toml"))
    out = run_cli("keys", env=env)
    assert out.returncode == 0
    assert "config.toml:2:1 [key-clash] keys.search: 'q' is also the key of quit" in out.stderr
    rows = {ln.split()[1]: ln for ln in out.stdout.splitlines() if ln.startswith("Everywhere")}
    assert "q*" in rows["search"].split()


async def test_the_app_applies_a_clashing_key_and_says_so(tmp_path: Path) -> None:
    conf = checked(tmp_path, 'search = "q"\n')
    app = CstoApp(settings=conf)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        notes = [n.message for n in app._notifications]
        assert any(n.startswith("Settings applied, with a warning: ") and "config.toml:3:1"
                   in n and "keys.search" in n for n in notes), notes
        await pilot.press("q")  # the search's priority binding wins over quit
        await pilot.pause(0.3)
        assert type(app.screen).__name__ == "SearchScreen"


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "csto_tui", *args], capture_output=True,
                          text=True, env=env, timeout=60)


def test_keys_command_lists_ids_and_the_users_keys(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(CONFIG, encoding="utf-8")
    env = dict(os.environ, CSTO_TUI_CONFIG=str(tmp_path / "config.toml"))
    out = run_cli("keys", env=env)
    assert out.returncode == 0, out.stderr
    rows = {ln.split()[1]: ln for ln in out.stdout.splitlines()
            if ln.startswith("Everywhere")}
    assert "ctrl+x*" in rows["quit"].split() and "s*" in rows["search"].split()
    data = json.loads(run_cli("keys", "--format", "json", env=env).stdout)
    by_id = {d["id"]: d for d in data}
    assert by_id["quit"]["keys"] == "ctrl+x" and by_id["quit"]["remapped"]
    assert by_id["help"]["keys"] == "?" and not by_id["help"]["remapped"]
    assert len(data) == len(binding_ids())


def test_keys_command_reports_a_broken_file_and_still_lists(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('[keys]\nquti = "x"\n', encoding="utf-8")
    env = dict(os.environ, CSTO_TUI_CONFIG=str(tmp_path / "config.toml"))
    out = run_cli("keys", env=env)
    assert out.returncode == 0
    assert "config.toml:2:1 [config] keys.quti: unknown binding id" in out.stderr
    assert "Traceback" not in out.stderr and "quit" in out.stdout


def test_help_names_the_config_file(tmp_path: Path) -> None:
    env = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path))
    env.pop(settings.CONFIG_ENV, None)
    out = run_cli("--help", env=env)
    assert str(tmp_path / "csto-tui" / "config.toml") in out.stdout.replace("\n", " ")


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_remapped_quit_and_search_in_tmux(tmp_path: Path) -> None:
    exe = shutil.which("csto-tui", path=str(Path(sys.executable).parent))
    assert exe
    (tmp_path / "config.toml").write_text(CONFIG, encoding="utf-8")
    env = dict(os.environ, TERM="xterm-256color", CSTO_TUI_CONFIG=str(tmp_path / "config.toml"),
               XDG_CACHE_HOME=str(tmp_path / "cache"))
    env.pop("TMUX", None)
    term = Term(exe, tmp_path, env)
    try:
        term.wait_for("1 States")
        term.keys("/")
        import time

        time.sleep(0.5)
        assert "Type a name" not in term.screen(), "/ still opens search"
        term.keys("s")
        term.wait_for("Type a name")
        term.keys("k", "a", "z")
        term.wait_for("Kazakhstan")
        term.keys("Escape")
        term.wait_for("1 States")
        term.keys("q")
        assert term.alive() and "1 States" in term.screen()
        term.keys("C-x")
        for _ in range(50):
            if not term.alive():
                break
            time.sleep(0.1)
        assert not term.alive(), term.screen()
    finally:
        term.close()


async def test_a_notice_names_what_was_ignored_and_that_the_rest_applies(tmp_path: Path) -> None:
    """Three settings, two of them wrong: the notice (two lines at 80 columns) says that
    those two were ignored and the rest applied, names both with their lines, and the valid
    one is in force; a key written as its character ("@") is that key."""
    from csto_tui.keymap import clashes, key_name, theme_names

    p = tmp_path / "config.toml"
    p.write_text('theme = "nosuch"\n[keys]\nquit = "ctrl+x"\nbriefing = "@"\nbogus = "x"\n',
                 encoding="utf-8")
    conf = settings.load(p, binding_ids, theme_names, clashes, key_name)
    assert conf.keys == {"quit": "ctrl+x", "briefing": "at"}
    assert [q.field for q in conf.problems] == ["theme", "keys.bogus"]
    app = CstoApp(settings=conf)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        [note] = [n.message for n in app._notifications]
        assert note.startswith("2 settings ignored, the rest applied: ")
        assert "theme (config.toml:1:1)" in note and "keys.bogus (config.toml:5:1)" in note
        await pilot.press("ctrl+x")
        await pilot.pause(0.2)
        assert not app.is_running


def test_a_key_written_as_its_character_is_named_as_textual_names_it() -> None:
    from csto_tui.keymap import key_name

    assert [key_name(c) for c in "/?\\@-+_.q5"] == [
        "slash", "question_mark", "backslash", "at", "minus", "plus", "underscore",
        "full_stop", "q", "5"]


async def test_the_notice_tells_an_ignored_setting_from_one_applied_with_a_warning(
        tmp_path: Path) -> None:
    """An unknown theme (ignored) and a key that clashes (applied, with a warning): the
    notice does not list the applied one as ignored; a key found at no line is named
    without an empty place."""
    from csto_tui.keymap import clashes, key_name, theme_names

    p = tmp_path / "config.toml"
    p.write_text('theme = "nosuch"\n[keys]\nsearch = "q"\n\'bogus\' = "x"\n',
                 encoding="utf-8")
    conf = settings.load(p, binding_ids, theme_names, clashes, key_name)
    app = CstoApp(settings=conf)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        [note] = [n.message for n in app._notifications]
        ignored, _, warned = note.partition("applied with a warning: ")
        assert ignored.startswith("2 settings ignored, the rest applied: ")
        assert "theme (config.toml:1:1)" in ignored and "keys.search" not in ignored
        assert "keys.bogus" in ignored and "config.toml:)" not in note
        assert warned.startswith("keys.search (config.toml:3:1)")

