"""The issue's "Done when", end to end in a real terminal: the installed `csto-tui` in tmux at
80x24, keyboard only, on a copy of the dataset. Add a third article (written for the tests,
not a seed), cite three passages into a new event, a new figure and an existing state, mark
two passages uncited, undo one write, see the rest in the panes, the briefing and `check`
(clean); apart from the appended tables and the one added reference, the dataset's files are
byte-identical before and after."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
from tmux_term import TMUX, Term

from csto_tui import records

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")

ARTICLE = Path(__file__).resolve().parent / "data" / "articles" / "armenia_freeze.txt"


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def new_record(term: Term, kind: str) -> None:
    """The form is open: Shift+Tab from the record filter to "Cite as", Enter, Down to the
    kind, Enter; then wait for its fields (a person reads the form before typing)."""
    names = [k.name for k in records.kinds() if k.has_id and any(f.cites for f in k.fields)]
    term.wait_for("Cite the selection")
    time.sleep(0.5)
    term.keys("BTab", "Enter")
    term.wait_for("Esc Dismiss menu")
    term.keys(*["Down"] * (names.index(kind) + 1), "Enter")
    term.wait_for(f"A new {kind} citing the passage")
    closed(term)
    time.sleep(0.5)


def select(term: Term, paragraph: int, sentence: int = 1) -> None:
    """v, { to the article's first word, then o } o ) to the paragraph's n-th sentence."""
    term.keys("v", *["{"] * 6)
    if paragraph > 1:
        term.keys("o", *["}"] * (paragraph - 1), "o")
    term.keys(*[")"] * sentence)
    if sentence > 1:
        term.keys("o", *[")"] * (sentence - 1), "o")
    term.wait_for("Selected")


def choose(term: Term, listed: str, typed: str) -> None:
    """A field's choices: Space opens the list (wait until ``listed`` shows), type to find
    ``typed``, Enter picks it (then wait until the list is gone)."""
    term.keys("Space")
    term.wait_for(listed)
    term.keys(typed)
    time.sleep(0.3)
    term.keys("Enter")
    closed(term)


def closed(term: Term) -> None:
    """Wait until no list of choices is open (the key line says Esc cancels the form)."""
    term.wait_for("Esc Cancel")


def test_add_cite_uncited_undo_in_tmux_at_80x24(project_copy: Path, tmp_path: Path) -> None:
    exe = shutil.which("csto-tui", path=str(Path(sys.executable).parent))
    assert exe, "the csto-tui console script is not installed next to this Python"
    data = project_copy
    folder = data.parent
    seeds = folder.parent / "seeds"
    before = files_under(folder)
    seeds_before = files_under(seeds)
    env = dict(os.environ, TERM="xterm-256color", XDG_CACHE_HOME=str(tmp_path / "cache"),
               XDG_CONFIG_HOME=str(tmp_path / "config"))
    env.pop("TMUX", None)
    term = Term(f"{exe} --data {data}; echo EXITED-$?; sleep 30", tmp_path, env)
    try:
        term.wait_for("M Kazakhstan")
        # add the article from the palette: its path, a title, a date, Enter; it opens
        term.keys("C-p")
        term.wait_for("Search for commands")
        term.keys("Add source")
        term.wait_for("Add source")
        term.keys("Enter")
        term.wait_for("Add an article to the dataset")
        term.keys(str(ARTICLE), "Tab", "Armenia freezes CSTO role", "Tab", "2024-02-23",
                  "Enter")
        term.wait_for("No cited passages in this source.")
        term.wait_for("Yerevan, 23 February 2024")
        term.wait_for(" SOURCE ")  # the heading, under the notice of the add until it goes

        # 1. a new event, from the second paragraph's first sentence
        select(term, 2)
        term.keys("c")
        new_record(term, "event")
        term.keys("Tab", "Tab", "2024-02-23", "Tab", "Armenia freezes its CSTO role", "Tab",
                  "none", "Tab", "Pashinyan says Armenia no longer takes part", "Tab", "arm",
                  "Enter")
        screen = term.wait_for("Cited by 1")
        assert "event: 23 Feb 2024 Armenia freezes" in screen

        # 2. a new figure: Russia's share of Armenia's arms imports (Selects: Space, type, Enter)
        select(term, 4)
        term.keys("c")
        new_record(term, "metric")
        term.keys("Tab", "Tab")
        choose(term, "Armenia (arm)", "Armenia")
        term.keys("Tab")
        choose(term, "economic", "military")
        term.keys("Tab", "Arms imports from Russia", "Tab", "94", "Tab", "% of arms imports",
                  "Tab", "2023", "Tab")
        choose(term, "more than", "roughly")
        term.wait_for("roughly")
        term.keys("Enter")
        term.wait_for("metric: Armenia: Arms imports from Russia")

        # 3. the third paragraph's second sentence, attached to an existing state (Armenia)
        select(term, 3, 2)
        term.keys("c")
        term.wait_for("Cite the selection")
        term.keys("state armenia")
        term.wait_for("state: Armenia")
        term.keys("Down")
        term.wait_for("\u25ba state: Armenia")  # Down from the filter: the first record
        term.keys("Enter")
        term.wait_for("Cited by 1: >state: Armenia<")

        # 4. two passages uncited: the question (rhetoric), the last sentence (opinion)
        select(term, 5)
        term.keys("u")
        term.wait_for("Why is it left without a citation?")
        term.keys("Down", "Enter")
        term.wait_for("(rhetoric)")
        select(term, 5, 2)
        term.keys("u")
        term.wait_for("Why is it left without a citation?")
        term.keys("Enter")
        term.wait_for("(opinion)")

        # 5. undo the last write
        term.keys("C-z")
        screen = term.wait_for("Undid")
        assert "opinion" in screen

        # the panes: Armenia's crises show the new event, its dependencies the new figure
        term.keys("Escape")
        term.wait_for("1 States")
        term.keys("1")
        term.keys("/")
        term.wait_for("Esc Back")
        term.keys("Armenia freezes its CSTO role")
        term.wait_for("23 Feb 2024 Armenia freezes")  # the new event, first among the results
        term.keys("Enter")
        screen = term.wait_for("3 Crises")
        assert "Armenia freezes its CSTO" in screen
        term.keys("2")
        screen = term.wait_for("Arms imports from Russia")
        # the briefing of Armenia lists both
        term.keys("b")
        screen = term.wait_for("ARMENIA")
        found = screen
        for _ in range(12):
            if "Armenia freezes its CSTO role" in found and "Arms imports from Russia" in found:
                break
            term.keys("PageDown")
            found += term.screen()
        assert "Armenia freezes its CSTO role" in found and "Arms imports from Russia" in found
        term.keys("Escape")
        term.wait_for("1 States")
        term.keys("q")
        term.wait_for("EXITED-0")
        assert "Traceback" not in term.screen()
    finally:
        term.close()

    # check: clean
    check = subprocess.run([exe, "--data", str(data), "check"], capture_output=True, text=True,
                           env=env, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr

    # the files: the seeds untouched; the data file is its old self plus appended tables, less
    # the one reference added to Armenia's quote list; the anchors file its old rows plus the
    # three new ones; the old stored texts untouched; the article copied byte for byte
    assert files_under(seeds) == seeds_before
    after = files_under(folder)
    doc = tomllib.loads(data.read_text(encoding="utf-8"))
    arm = next(s for s in doc["states"] if s["id"] == "arm")
    added_ref = f', "{arm["quotes"][-1]}"]'
    new_text = after["csto.toml"].decode("utf-8")
    line = next(ln for ln in new_text.splitlines() if ln.endswith(added_ref))
    restored = new_text.replace(line, line[: -len(added_ref)] + "]", 1)
    old_text = before["csto.toml"].decode("utf-8")
    assert restored.startswith(old_text)
    appended = restored[len(old_text):]
    heads = [ln for ln in appended.splitlines() if ln.startswith("[[")]
    assert heads == ["[[sources]]", "[[quotes]]", "[[events]]", "[[quotes]]", "[[metrics]]",
                     "[[quotes]]", "[[uncited]]"], heads
    assert after["csto.anchors.toml"].startswith(before["csto.anchors.toml"].rstrip(b"\n"))
    for name, raw in before.items():
        if name not in ("csto.toml", "csto.anchors.toml"):
            assert after.get(name) == raw, name
    copied = [n for n in after if n.startswith("sources/")]
    assert copied == ["sources/armenia_freeze.txt"]
    assert after["sources/armenia_freeze.txt"] == ARTICLE.read_bytes()
    # every new quote is verbatim the article's text
    text = ARTICLE.read_text(encoding="utf-8")
    new_quotes = [q for q in doc["quotes"] if q["source"] == doc["sources"][-1]["id"]]
    assert len(new_quotes) == 3 and all(q["text"] in text for q in new_quotes)
