"""Hostile text from data on every screen, in the palette, in notifications and in both
exports: shown literally, never read as markup, never a crash, never an escape sequence to
the terminal. One dataset carries Textual/Rich markup (a closing tag with no opening one,
styles, a link, a click action), terminal escapes (an OSC title, an OSC 8 hyperlink, SGR) and
a bidi override in names, roles, titles, measures, summaries and in the very folder the
dataset lives in (which messages and notifications name). Rows of docs/robustness.md."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from screen_text import screen_text

from csto_tui import export
from csto_tui.app import CstoApp

NAME = "Foo [/x] [bold red]R[/]"
ROLE = "[/citation needed] [link=https://evil.example]L[/link]"
TITLE = "T [b]x[/b] \x1b]0;pwned\x07"
SOURCE = "[@click=app.quit]S[/] \x1b]8;;http://evil.example\x07here\x1b]8;;\x07"
EVENT = "[blink]E[/blink] \u202eRTL"
MEASURE = "[reverse]M[/] \x1b[31mred"
SUMMARY = "[on red]sum[/on red] [$accent]v[/]"
ARTICLE = "Ru[/x]ssia\x1b]0;t\x07[bold]B"
FOLDER = "p [red]q [@click=app.bell]z"  # a folder name: no "/"

# what each looks like on screen: the same characters, control characters made visible
SHOWN = {
    "name": "Foo [/x] [bold red]R[/]",
    "role": "[/citation needed] [link=https://evil.example]L[/link]",
    "role_start": "role: [/citation needed]",
    "title": "T [b]x[/b] ^[]0;pwned^G",
    "source": "[@click=app.quit]S[/] ^[]8;;http://evil.example^Ghere",
    "event": "[blink]E[/blink] \\u202eRTL",
    "measure": "[reverse]M[/] ^[[31mred",
    "folder": "p [red]q [@click=app.bell]z",
    "article": "Ru[/x]ssia^[]0;t^G[bold]B",
}


def _toml(s: str) -> str:
    return json.dumps(s)  # JSON's escapes are TOML's too


def _set(block: str, key: str, value: str) -> str:
    new, n = re.subn(rf"^{key} = .*$", lambda _m: f"{key} = {_toml(value)}", block, count=1,
                     flags=re.M)
    assert n == 1, key
    return new


def _after(text: str, needle: str, key: str, value: str) -> str:
    head, tail = text.split(needle, 1)
    return head + needle + _set(tail, key, value)


@pytest.fixture
def hostile(project_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    root = tmp_path / FOLDER
    root.mkdir()
    shutil.move(str(project_copy.parent), root / "data")
    shutil.move(str(tmp_path / "seeds"), root / "seeds")
    path = root / "data" / "csto.toml"
    text = path.read_text(encoding="utf-8")
    text = _set(text, "title", TITLE)
    text = _after(text, 'id = "a1"\n', "title", SOURCE)
    text = _after(text, 'id = "kaz"\n', "name", NAME)
    text = _after(text, 'id = "kaz"\n', "role", ROLE)
    text = _after(text, 'state = "kaz"\n', "measure", MEASURE)
    text = _after(text, 'id = "ev-1992-cst-signed"\n', "title", EVENT)
    text = _after(text, 'id = "ev-1992-cst-signed"\n', "summary", SUMMARY)
    path.write_text(text, encoding="utf-8")
    # a word of a quoted sentence changed in its article, to hostile text: the quote needs
    # review, and the review screen shows what the article says now
    seed = root / "seeds" / "000_3015bca6c6aaec53.txt"
    words = seed.read_text(encoding="utf-8")
    assert "Kyrgyzstan, Russia, Tajikistan" in words
    seed.write_text(words.replace("Kyrgyzstan, Russia, Tajikistan",
                                  f"Kyrgyzstan, {ARTICLE}, Tajikistan", 1), encoding="utf-8")
    out = root / "exports"
    out.mkdir()
    monkeypatch.setenv(export.EXPORT_DIR_ENV, str(out))
    return path


def toasts(app: CstoApp) -> str:
    """The notifications on screen, each as its widget renders it (not cut into lines)."""
    return "\n".join(str(t.render()) for t in app.screen.query("Toast"))


def _literal(shown: str, *keys: str) -> None:
    for k in keys:
        assert SHOWN[k] in shown, (k, shown)
    assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown


async def _ready(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def _until(pilot, app: CstoApp, text: str) -> None:  # type: ignore[no-untyped-def]
    """Wait (at most ten seconds or so) for ``text`` to be on screen; the caller checks."""
    for _ in range(200):
        await _ready(pilot)
        if text in screen_text(app):
            return
        await pilot.pause(0.05)


async def _to_kaz(pilot, app: CstoApp) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("1")
    for _ in range(30):
        if app.dashboard.selected_state == "kaz":
            return
        await pilot.press("down")
        await _ready(pilot)
    raise AssertionError("kaz not reached")


async def test_every_screen_shows_hostile_data_literally(hostile: Path) -> None:
    app = CstoApp(hostile)
    async with app.run_test(size=(220, 50)) as pilot:
        await _ready(pilot)
        await _to_kaz(pilot, app)
        await _ready(pilot)
        shown = screen_text(app)
        _literal(shown, "name", "title")  # the state list, the title bar, pane subtitles
        assert "Foo [/x] [bold r" in shown  # the metrics pane's border subtitle
        for pane in "234":  # every pane in focus: its own lines and subtitle
            await pilot.press(pane)
            await _ready(pilot)
            _literal(screen_text(app), "name")
        await pilot.press("3", "a")  # every crisis, the hostile event among them
        await _ready(pilot)
        _literal(screen_text(app), "event")
        await pilot.press("a")
        await _ready(pilot)

        await pilot.press("b")  # the briefing of kaz
        await _ready(pilot)
        _literal(screen_text(app), "role", "measure")
        assert "FOO [/X] [BOLD RED]R[/]" in screen_text(app)
        await pilot.press("escape")
        await _ready(pilot)

        await pilot.press("t")  # the membership timeline
        await _ready(pilot)
        _literal(screen_text(app), "name")
        await pilot.press("escape")
        await _ready(pilot)

        await pilot.press("4")  # the sources pane, then the article at its quote
        await _ready(pilot)
        _literal(screen_text(app), "source")
        await pilot.press("o")
        await _ready(pilot)
        assert type(app.screen).__name__ == "SourceScreen"
        _literal(screen_text(app), "source")
        await pilot.press("escape")
        await _ready(pilot)

        await pilot.press("C")  # the coverage of that article: its title, its passages
        await _ready(pilot)
        assert type(app.screen).__name__ == "CoverageScreen"
        _literal(screen_text(app), "source")
        for _ in range(60):  # on through the uncovered passages to the edited sentence
            if SHOWN["article"] in screen_text(app):
                break
            await pilot.press("right_square_bracket")
            await _ready(pilot)
        _literal(screen_text(app), "source", "article")
        await pilot.press("enter")  # the article opened at the passage, to cite it
        await _ready(pilot)
        assert type(app.screen).__name__ == "SourceScreen"
        _literal(screen_text(app), "source")
        await pilot.press("escape")
        await _ready(pilot)
        assert type(app.screen).__name__ == "CoverageScreen"
        await pilot.press("escape")
        await _ready(pilot)

        await pilot.press("slash", *"Foo", "enter")  # search, its results
        await _ready(pilot)
        _literal(screen_text(app), "name")
        await pilot.press("escape")
        await _ready(pilot)

        await pilot.press("question_mark")  # help
        await _ready(pilot)
        _literal(screen_text(app), "title")
        await pilot.press("escape")
        await _ready(pilot)

        await pilot.press("v")  # the pivot view: counts, then the records of a cell
        await _ready(pilot)
        assert type(app.screen).__name__ == "PivotScreen"
        _literal(screen_text(app))
        await pilot.press("enter")
        await _ready(pilot)
        _literal(screen_text(app))
        while type(app.screen).__name__ != "DashboardScreen":
            await pilot.press("escape")
            await _ready(pilot)

        await pilot.press("S")  # sync and review: what the article says now
        for _ in range(100):
            await _ready(pilot)
            if SHOWN["article"] in screen_text(app):
                break
            await pilot.pause(0.05)
        assert type(app.screen).__name__ == "SyncScreen"
        _literal(screen_text(app), "article")
        await pilot.press("escape")
        await _ready(pilot)
        assert app.is_running


async def test_the_palette_shows_hostile_data_literally(hostile: Path) -> None:
    app = CstoApp(hostile)
    async with app.run_test(size=(220, 50)) as pilot:
        await _ready(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"citation needed")  # a hit whose help is the role it matched
        await _until(pilot, app, SHOWN["role_start"])
        _literal(screen_text(app), "role_start")  # the help: the search's context, cut short
        await pilot.press(*["backspace"] * 15, *"Foo")  # the state by its name
        await _until(pilot, app, SHOWN["name"])
        _literal(screen_text(app), "name")
        await pilot.press(*["backspace"] * 3)  # the first list: actions, then member states
        await _ready(pilot)
        await pilot.press("escape")
        await _ready(pilot)
        assert app.is_running


async def test_notifications_and_both_exports_show_hostile_data_literally(
        hostile: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.widgets import TextArea

    from csto_tui.screens.copy_screen import CopyScreen

    monkeypatch.delenv("TMUX", raising=False)  # y: OSC 52 and the copy box, not tmux
    out = hostile.parent.parent / "exports"
    app = CstoApp(hostile)
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    async with app.run_test(size=(220, 50), notifications=True) as pilot:
        await _ready(pilot)
        await _to_kaz(pilot, app)
        await pilot.press("e")  # the dashboard's export: a notification names the file
        await _ready(pilot)
        await pilot.pause(0.3)
        _literal(toasts(app), "folder")
        dashboard_md = (out / "csto-briefing-kaz.md").read_text(encoding="utf-8")
        (out / "csto-briefing-kaz.md").unlink()
        await pilot.press("b", "e")  # the briefing's export
        await _ready(pilot)
        await pilot.pause(0.3)
        _literal(toasts(app), "folder")
        await pilot.press("escape")
        await _ready(pilot)
        briefing_md = (out / "csto-briefing-kaz.md").read_text(encoding="utf-8")
        for pane in ("4",):  # a quote of a1 copied: the copy box holds its citation
            await pilot.press(pane)
            await _ready(pilot)
        shown_copy = ""
        while "[@click" not in (copied[-1] if copied else ""):
            await pilot.press("y")
            await _ready(pilot)
            if isinstance(app.screen, CopyScreen):  # the text, to be selected by hand
                shown_copy = app.screen.query_one(TextArea).text
                await pilot.press("escape")
                await _ready(pilot)
            if len(copied) > 40:
                raise AssertionError("no quote of a1 reached")
            await pilot.press("down")
            await _ready(pilot)
        await pilot.pause(0.3)
        _literal(shown_copy, "source")
        hostile.write_text(hostile.read_text(encoding="utf-8") + "\n[broken\n",
                           encoding="utf-8")
        await pilot.press("r")  # a failed reload: the notification names the folder
        await _ready(pilot)
        await pilot.pause(0.5)
        await _ready(pilot)
        _literal(toasts(app), "folder")
        assert app.is_running
    assert dashboard_md == briefing_md
    for md in (dashboard_md,):
        assert "\x1b" not in md and "\x07" not in md and "\u202e" not in md
        assert r"Foo \[/x\] \[bold red\]R\[/\]" in md
        assert r"\[/citation needed\] \[link=https://evil.example\]L\[/link\]" in md
        assert r"\[reverse\]M\[/\] ^\[\[31mred" in md
        assert md.startswith("<!-- T \\[b\\]x\\[/b\\] ^[]0;pwned^G") or md.startswith(
            "<!-- T [b]x[/b] ^[]0;pwned^G")
    data = json.loads(export.make(app.data.dataset, app.data.statuses,
                                  export.Request(("kaz",), "json")).text)
    assert data["title"] == TITLE and data["states"][0]["name"] == NAME


# ---- authoring: the palette's "Add source...", the selection, the cite and uncited forms, undo

ARTICLE_FILE = "wire [@click=app.bell]b [red]r.txt"  # a file name: no "/"
ARTICLE_TEXT = ("[@click=app.quit]Wire[/] \x1b]0;pwned\x07 \u202eRTL\n\n"
                "Foo [bold red]R[/] said [link=https://evil.example]L[/link] on Monday. "
                "The [blink]bloc[/blink] \x1b[31mdid nothing.\n\n"
                "A [on red]second[/on red] paragraph [$accent]here[/].\n")
TYPED_TITLE = "[b]x[/b] [@click=app.quit]q"
AUTHORED = {
    "file": ARTICLE_FILE,
    "article_title": "[@click=app.quit]Wire[/] ^[]0;pwned^G \\u202eRTL",
    "sentence": "Foo [bold red]R[/] said [link=https://evil.example]L[/link] on Monday.",
    "second": "The [blink]bloc[/blink] ^[[31mdid nothing.",
    "third": "A [on red]second[/on red] paragraph [$accent]here[/].",
    "typed": TYPED_TITLE,
}


def _shown(shown: str, *keys: str) -> None:
    for k in keys:
        assert AUTHORED[k] in shown, (k, shown)
    assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown


async def _select(pilot, paragraph: int, sentence: int = 1) -> None:  # type: ignore[no-untyped-def]
    """v, { to the article's first word, o } o to the paragraph, ) to its n-th sentence."""
    from csto_tui.widgets.source_document import SourceDocument

    screen = pilot.app.screen
    screen.query_one(SourceDocument).scroll_to(y=0, animate=False, immediate=True)
    await pilot.pause()
    await pilot.press("v", *["left_curly_bracket"] * 6)
    await pilot.press("o", *["right_curly_bracket"] * (paragraph - 1), "o")
    await pilot.press(*["right_parenthesis"] * sentence)
    if sentence > 1:
        await pilot.press("o", *["right_parenthesis"] * (sentence - 1), "o")
    await pilot.pause()


async def _written(pilot) -> None:  # type: ignore[no-untyped-def]
    """A write's reload finished (the feed waits for the files to settle)."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.1)


async def test_authoring_screens_show_hostile_data_literally(hostile: Path) -> None:
    """An article whose file name, first line (its title) and sentences hold markup, escapes
    and a bidi override, added from the palette, cited into an existing state (whose name is
    hostile) and into a new event with a hostile title typed in the form, a sentence marked
    uncited, the last write undone: every form, list, panel and notice shows it literally."""
    from csto_tui.screens.add_source_form import AddSourceScreen
    from csto_tui.screens.cite_form import CiteScreen, UncitedScreen, citing_kinds
    from csto_tui.screens.source_view import SourceScreen

    article = hostile.parent.parent / ARTICLE_FILE
    article.write_text(ARTICLE_TEXT, encoding="utf-8")
    app = CstoApp(hostile)
    async with app.run_test(size=(220, 50), notifications=True) as pilot:
        await _ready(pilot)
        await pilot.press("ctrl+p")  # the palette's "Add source...", the title left blank
        await pilot.press(*"Add source")
        await pilot.pause(0.3)
        await _ready(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AddSourceScreen)
        app.screen.query_one("#source-file").insert_text_at_cursor(str(article))  # type: ignore[attr-defined]
        await pilot.pause()
        _literal(screen_text(app))
        # the path typed, cut short where the field ends (how much shows depends on the
        # length of the test's folder: pytest-999 and pytest-1000 differ), markup literal
        row = next(line for line in screen_text(app).splitlines() if "file *" in line)
        shown = row.split("file *", 1)[1].split("\u2503", 1)[0].strip()
        assert str(article).startswith(shown) and "p [red]q [@click" in shown, shown
        await pilot.press("enter")
        await _written(pilot)
        assert isinstance(app.screen, SourceScreen), app.screen
        _shown(toasts(app), "file")  # "added source ... (wire [@click=...]...txt)"
        _shown(screen_text(app), "article_title", "sentence", "second", "third")
        source = app.screen

        await _select(pilot, 2)  # the selection, then the cite form: its passage, the records
        _shown(screen_text(app), "sentence")
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CiteScreen)
        assert "Foo [bold red]R" in screen_text(app)  # the passage, cut short
        await pilot.press(*"Foo")  # the record list filtered to the hostile state's name
        await pilot.pause()
        _literal(screen_text(app), "name")
        await pilot.press("down", "enter")  # Down onto it (the first match), attached to it
        await _written(pilot)
        assert app.screen is source
        _literal(screen_text(app), "name")  # the panel: cited by the state
        _shown(toasts(app))
        assert "Added quote q-wire-click-app-bell-b-foo-bold-red to state kaz" in toasts(app)

        await _select(pilot, 2, 2)  # a new event, its title typed with markup
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CiteScreen)
        _shown(screen_text(app))
        await pilot.press("shift+tab", "enter")  # "Cite as": a new event
        names = [k.name for k in citing_kinds()]
        await pilot.press(*["down"] * (names.index("event") + 1), "enter")
        await pilot.pause()
        for key, value in (("date", "2024"), ("title", TYPED_TITLE), ("response", "none"),
                           ("summary", "[i]said[/i] nothing"), ("states", "kaz")):
            form.query_one(f"#field-{key}").focus()
            await pilot.pause()
            await pilot.press(*value)
        await pilot.pause()
        _shown(screen_text(app), "typed")  # in its field
        form.query_one("#field-location").focus()  # a list of the records it may name
        await pilot.press("space")
        await pilot.pause()
        _literal(screen_text(app))
        assert f"{SHOWN['name']} (kaz)" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is form
        await pilot.press("enter")
        await _written(pilot)
        assert app.screen is source, [str(w.render()) for w in form.query(".field-error")]
        _shown(screen_text(app), "typed")  # the panel: "event: 2024 [b]x[/b] ..."
        _shown(toasts(app))
        assert "and event ev-b-x-b-click" in toasts(app), toasts(app)

        await _select(pilot, 3)  # the uncited form: its passage, then the notice
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, UncitedScreen)
        assert "A [on red]second[/on red]" in screen_text(app)
        _shown(screen_text(app))
        await pilot.press("enter")
        await _written(pilot)
        assert app.screen is source
        _shown(toasts(app))
        assert "Marked “A [on red]second[/on red] paragraph [" in toasts(app), toasts(app)
        _shown(screen_text(app), "third")

        await pilot.press("ctrl+z")  # undo: the notice says what was undone
        await _written(pilot)
        _shown(toasts(app))
        assert "Undid: marked “A [on red]second[/on red] paragraph [" in toasts(app), toasts(app)
        await pilot.press("escape")
        await _ready(pilot)
        await pilot.press("ctrl+z")  # and from the dashboard, the new event
        await _written(pilot)
        _shown(toasts(app))
        assert "Undid: added quote" in toasts(app), toasts(app)
        assert app.is_running
