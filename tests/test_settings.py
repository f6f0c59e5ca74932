"""The user's config file (keys and theme): read, checked, located, never fatal."""

from __future__ import annotations

from pathlib import Path

import pytest

from csto_tui import settings

IDS = {"quit", "search", "help"}
THEMES = {"ansi-dark", "high-contrast", "textual-dark"}


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "config.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_path_follows_xdg_and_the_override(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(settings.CONFIG_ENV, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert settings.config_path() == tmp_path / "csto-tui" / "config.toml"
    monkeypatch.setenv(settings.CONFIG_ENV, str(tmp_path / "mine.toml"))
    assert settings.config_path() == tmp_path / "mine.toml"


def test_a_missing_file_is_the_defaults(tmp_path: Path) -> None:
    s = settings.load(tmp_path / "none.toml", IDS, THEMES)
    assert (s.found, s.theme, s.keys, s.problems) == (False, None, {}, [])


def test_keys_and_theme_are_read(tmp_path: Path) -> None:
    p = write(tmp_path, 'theme = "ansi-dark"\n[keys]\nquit = "ctrl+q"\nsearch = "f, ctrl+f"\n')
    s = settings.load(p, IDS, THEMES)
    assert s.problems == []
    assert s.theme == "ansi-dark"
    assert s.keys == {"quit": "ctrl+q", "search": "f,ctrl+f"}


def test_unknown_id_is_located_and_the_rest_still_applies(tmp_path: Path) -> None:
    p = write(tmp_path, '[keys]\nquit = "ctrl+q"\n  qiut = "x"\n')
    s = settings.load(p, IDS, THEMES)
    assert s.keys == {"quit": "ctrl+q"}
    [prob] = s.problems
    assert (prob.file, prob.line, prob.column, prob.field) == (str(p), 3, 3, "keys.qiut")
    assert "unknown binding id" in prob.format()


def test_unknown_theme_names_the_known_ones(tmp_path: Path) -> None:
    p = write(tmp_path, '\ntheme = "solarised"\n')
    s = settings.load(p, IDS, THEMES)
    assert s.theme is None
    [prob] = s.problems
    assert prob.line == 2 and "ansi-dark" in prob.message


@pytest.mark.parametrize("value, what", [
    ("5", "a key is a string"),
    ('""', "a key is a string"),
    ('"ctrl + q"', "not a key name"),
    ('"[b]x"', "not a key name"),
])
def test_bad_key_values(tmp_path: Path, value: str, what: str) -> None:
    p = write(tmp_path, f"[keys]\nquit = {value}\n")
    s = settings.load(p, IDS, THEMES)
    assert s.keys == {}
    assert what in s.problems[0].message and s.problems[0].line == 2


def test_broken_toml_gives_line_and_column_and_no_settings(tmp_path: Path) -> None:
    p = write(tmp_path, '[keys]\nquit = "ctrl+q\n')
    s = settings.load(p, IDS, THEMES)
    assert s.keys == {} and s.theme is None
    assert s.problems and s.problems[0].line == 2 and s.problems[0].file == str(p)


def test_unknown_setting_and_not_utf8(tmp_path: Path) -> None:
    s = settings.load(write(tmp_path, 'colour = "red"\n'), IDS, THEMES)
    assert s.problems[0].field == "colour" and s.problems[0].line == 1
    p = tmp_path / "latin1.toml"
    p.write_bytes(b'theme = "caf\xe9"\n')
    s = settings.load(p, IDS, THEMES)
    assert s.problems[0].message == "not UTF-8 text" and s.problems[0].line == 1


def test_a_folder_instead_of_a_file_is_a_plain_message(tmp_path: Path) -> None:
    (tmp_path / "config.toml").mkdir()
    s = settings.load(tmp_path / "config.toml", IDS, THEMES)
    assert s.problems and "Traceback" not in s.problems[0].format()


def test_known_ids_are_asked_for_only_when_the_file_names_keys(tmp_path: Path) -> None:
    asked: list[str] = []

    def ids() -> set[str]:
        asked.append("ids")
        return IDS

    settings.load(write(tmp_path, 'theme = "ansi-dark"\n'), ids, THEMES)
    assert asked == []
    settings.load(write(tmp_path, '[keys]\nquit = "x"\n'), ids, THEMES)
    assert asked == ["ids"]
