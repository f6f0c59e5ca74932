"""`csto-tui check` by file: after an edit, only the changed files' shares are checked again
and the rest is taken from the last check, when what the files declare to each other did not
change; edit after edit, the report is the whole check's, problem for problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from csto_tui import filecheck
from csto_tui.cli import main
from csto_tui.errors import DatasetError
from csto_tui.filecheck import Summary, summarize

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("CSTO_TUI_CACHE", raising=False)


def _what(s: Summary) -> tuple[object, ...]:
    return (s.problems, s.counts, s.quotes_per_source, s.exact, s.quotes,
            {k: (c.changed, c.quotes) for k, c in s.sources.items()})


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path.name, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _checked(folder: Path) -> tuple[Summary, Summary]:
    """The check from what the last one kept, then the whole check (which keeps its own)."""
    by_file = summarize(folder)
    whole = summarize(folder, whole=True)
    assert whole.report is not None
    assert _what(by_file) == _what(whole)
    return by_file, whole


#: (file, old text, new text, whether only that file's share is checked again)
EDITS: list[tuple[str, str, str, bool]] = [
    # a record's title, its references, its prose: that file's share alone
    ("a2.toml", 'title = "Collapse of the Soviet Union"', 'title = "The Soviet Union falls"',
     True),
    ("a2.toml", 'states = [\n    "sun",\n    "rus",\n]', 'states = [\n    "sun",\n    "kaz",\n]',
     True),
    ("a2.toml", "summary = \"Russia's attempts",
     "summary = \"Russia said \u201cwe build a new world\u201d and its attempts", True),
    # prose of the shared file, whose states cite quotes held by the articles' files
    ("shared.toml", 'role = "Founding member; largely reliant',
     'role = "Founding member; \u201cnot a word of the sources\u201d; largely reliant', True),
    ("shared.toml", 'topic = "Who signed the Collective Security Treaty"',
     'topic = "Who signed the treaty"', True),
    # the dataset's title: no check reads it
    ("shared.toml", 'title = "CSTO briefing dataset"', 'title = "The CSTO, briefed"', True),
    # an unknown reference leaves a record out: what others see of the file changed
    ("a2.toml", 'states = [\n    "sun",\n    "kaz",\n]',
     'states = [\n    "sun",\n    "nowhere",\n]', False),
    ("a2.toml", 'states = [\n    "sun",\n    "nowhere",\n]',
     'states = [\n    "sun",\n    "rus",\n]', False),
    # what a file declares to the others: a quote's words, a name, an id
    ("a1.toml", "signed the Collective Security Treaty (CST) in 1992",
     "signed the Collective Security Treaty in 1992", False),
    ("shared.toml", 'aliases = [\n    "Armenian",\n]',
     'aliases = [\n    "Armenian",\n    "Kazakh",\n]', False),
    # a file where what the files say together is located (a shared alias): in full
    ("shared.toml", 'topic = "Who signed the treaty"', 'topic = "Who signed it"', False),
    ("a1.toml", 'id = "q-a1-cis-signed"', 'id = "q-a1-cis-signed-2"', False),
    # then a title in a file with no such problem: that file alone again
    ("a2.toml", 'title = "The Soviet Union falls"', 'title = "The USSR falls"', True),
]


def test_edit_after_edit_the_report_is_the_whole_checks(folder_copy: Path) -> None:
    first, _ = _checked(folder_copy)
    assert first.report is not None  # nothing kept yet: the whole check
    again, _ = _checked(folder_copy)
    assert again.report is None  # nothing changed: every share as kept
    for name, old, new, by_file in EDITS:
        _edit(folder_copy / name, old, new)
        got, whole = _checked(folder_copy)
        assert (got.report is None) == by_file, (name, old, new)
    codes = {p.code for p in whole.problems}
    # the edits did make problems of each kind a share holds, and of those found together
    assert {"quote-marks", "unknown-ref", "alias"} <= codes, codes


def test_a_changed_source_or_anchors_file_checks_the_whole_dataset(folder_copy: Path) -> None:
    _checked(folder_copy)
    seed = next((folder_copy.parent / "seeds").glob("*.txt"))
    seed.write_text(seed.read_text(encoding="utf-8").replace(" the ", " a ", 3),
                    encoding="utf-8")
    got, whole = _checked(folder_copy)
    assert got.report is not None and whole.changed_sources
    anchors = folder_copy / "a2.anchors.toml"
    anchors.write_bytes(anchors.read_bytes() + b"\n")
    got, _ = _checked(folder_copy)
    assert got.report is not None


def test_a_file_added_or_removed_checks_the_whole_dataset(folder_copy: Path) -> None:
    _checked(folder_copy)
    (folder_copy / "z.toml").write_text(
        '[[entities]]\nid = "zz"\nname = "Zed"\nkind = "organization"\n'
        'quotes = ["q-a1-cis-signed"]\n', encoding="utf-8")
    got, whole = _checked(folder_copy)
    assert got.report is not None and whole.counts["entities"] > 0
    (folder_copy / "z.toml").unlink()
    got, _ = _checked(folder_copy)
    assert got.report is not None


def test_a_broken_file_is_the_same_error_either_way(folder_copy: Path) -> None:
    _checked(folder_copy)
    _edit(folder_copy / "a2.toml", 'title = "Collapse', 'title = Collapse')
    errors = []
    for whole in (False, True):
        with pytest.raises(DatasetError) as exc:
            summarize(folder_copy, whole=whole)
        errors.append(exc.value.message)
    assert errors[0] == errors[1] and "a2.toml" in errors[0]


def test_what_was_kept_in_doubt_is_not_used(folder_copy: Path) -> None:
    _checked(folder_copy)
    entry = filecheck._entry(folder_copy, ".check")
    assert entry is not None and entry.is_file()
    entry.write_bytes(b"\x00not marshal")
    _edit(folder_copy / "a2.toml", 'title = "Collapse', 'title = "The collapse')
    got, _ = _checked(folder_copy)
    assert got.report is not None
    world = filecheck._entry(folder_copy, ".world")
    assert world is not None
    world.write_bytes(world.read_bytes()[:40])
    _edit(folder_copy / "a2.toml", 'title = "The collapse', 'title = "A collapse')
    got, _ = _checked(folder_copy)
    assert got.report is not None


def test_with_the_cache_off_every_check_is_whole(folder_copy: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSTO_TUI_CACHE", "0")
    assert summarize(folder_copy).report is not None
    assert summarize(folder_copy).report is not None


def test_the_command_prints_the_same_either_way(folder_copy: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    _edit(folder_copy / "a2.toml", "summary = \"Russia's attempts",
          "summary = \"Russia said \u201cwe build a new world\u201d and its attempts")
    outs = []
    for _ in range(2):  # the whole check, then the one from what it kept
        assert main(["check", "--data", str(folder_copy)]) == 1  # the quotation marks
        outs.append(capsys.readouterr().out)
        assert main(["check", "--format", "json", "--data", str(folder_copy)]) == 1
        outs.append(capsys.readouterr().out)
    assert outs[0] == outs[2] and outs[1] == outs[3]
    assert "quote-marks" in outs[0]


def test_the_same_folder_named_another_way_is_checked_again(
        folder_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a check kept names the files as it did: checked by a relative path, then by the
    absolute one after an edit, the problems name the files the second way (the alias
    clash, found together, is in the file edited: it is found again)."""
    _edit(folder_copy / "shared.toml", 'aliases = [\n    "Armenian",\n]',
          'aliases = [\n    "Armenian",\n    "Kazakh",\n]')
    monkeypatch.chdir(folder_copy.parent)
    _checked(Path(folder_copy.name))
    _edit(folder_copy / "shared.toml", 'topic = "Who signed the Collective Security Treaty"',
          'topic = "Who signed"')
    got, _ = _checked(folder_copy)
    assert {p.file for p in got.problems} == {str(folder_copy / "shared.toml")}


def test_an_id_two_kinds_declare_is_the_first_kinds(folder_copy: Path) -> None:
    """A quote whose id a source claimed first is left out (duplicate-id); a citation of that
    id from another file then names no quote, whether that file alone is checked again or
    the whole dataset (unknown-ref either way)."""
    _edit(folder_copy / "a2.toml", "[[quotes]]\n",
          '[[quotes]]\nid = "a1"\nsource = "a2"\ntext = "the Collective Security Treaty"\n\n'
          "[[quotes]]\n")
    _checked(folder_copy)
    _edit(folder_copy / "shared.toml", 'quotes = [\n    "q-a1-nine-members",\n',
          'quotes = [\n    "a1",\n    "q-a1-nine-members",\n')
    got, _ = _checked(folder_copy)
    assert got.report is None  # shared.toml's share alone
    assert any(p.code == "unknown-ref" and "'a1'" in p.message for p in got.problems)


def test_a_record_is_in_the_file_that_holds_it_not_one_that_repeats_its_id(
        folder_copy: Path) -> None:
    """An event of a1.toml that takes the id of a state of shared.toml is left out; a
    problem of the state is in shared.toml (file_of), whichever way it is checked."""
    _edit(folder_copy / "a1.toml", 'id = "ev-1994-cst-in-force"', 'id = "kaz"')
    _checked(folder_copy)
    _edit(folder_copy / "shared.toml", 'role = "Founding member; the CSTO',
          'role = "Founding member; \u201cnot in any source\u201d; the CSTO')
    got, _ = _checked(folder_copy)
    marks = [p for p in got.problems if p.code == "quote-marks"]
    assert [(p.file, p.record) for p in marks] == [(str(folder_copy / "shared.toml"), "kaz")]


def test_an_uncited_passage_is_located_in_an_uncited_table(folder_copy: Path) -> None:
    """A line of another record's prose that reads as an uncited passage's value (a
    multi-line string) is not where that passage is: the problem stays on the passage's
    line, whichever way it is checked."""
    _edit(folder_copy / "a2.toml", 'text = "A CSTO intervention in Ukraine through',
          'text = "A CSTO intervention in Ukraine, through')
    _checked(folder_copy)
    _edit(folder_copy / "a1.toml", 'title = "Collective Security Treaty signed"',
          'title = """Collective Security Treaty signed\ntext = A CSTO intervention in '
          'Ukraine, through the present Russia-Ukraine struggle"""')
    got, _ = _checked(folder_copy)
    (u,) = [p for p in got.problems if p.code == "uncited"]
    assert u.file == str(folder_copy / "a2.toml")


def test_an_anchors_file_unreadable_then_gone_says_nothing_of_it(
        folder_copy: Path) -> None:
    """An anchors file that cannot be read (a folder) is reported; once it is gone, neither
    the check by file nor the whole check (from the loader's cache) still reports it."""
    anchors = folder_copy / "a1.anchors.toml"
    _checked(folder_copy)
    anchors.unlink()
    anchors.mkdir()
    got, _ = _checked(folder_copy)
    assert any(p.file == str(anchors) and p.code == "toml" for p in got.problems)
    anchors.rmdir()
    got, whole = _checked(folder_copy)
    assert not any(p.file == str(anchors) for p in got.problems + whole.problems)


def _imports(module: str, seen: set[str]) -> set[str]:
    """``module`` (a file of the package) and every file of the package it imports, at any
    depth."""
    import ast

    seen.add(module)
    tree = ast.parse((ROOT / "csto_tui" / module).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            names = [node.module.split(".")[0]] if node.module else [a.name for a in node.names]
            for name in names:
                if (ROOT / "csto_tui" / f"{name}.py").is_file() and f"{name}.py" not in seen:
                    _imports(f"{name}.py", seen)
    return seen


def test_what_was_kept_is_signed_with_all_the_code_that_made_it() -> None:
    """A pack is signed with the code of every module a load runs, a kept check with that and
    every module the check runs: a change to any of them, and nothing kept is trusted."""
    from csto_tui import cache

    load_code = _imports("loader.py", set())
    assert load_code <= set(cache.CODE), load_code - set(cache.CODE)
    check_code = _imports("filecheck.py", set())
    signed = set(cache.CODE) | set(filecheck._MODULES)
    assert check_code <= signed, check_code - signed


def test_a_text_stored_beside_an_anchors_file_changed_checks_the_whole_dataset(
        folder_copy: Path) -> None:
    """The texts stored beside an anchors file (a source as it was when its anchors were
    written) are what a quote is found again through once the source changed: one stored
    or removed, and what was kept of the quotes' statuses is not trusted."""
    from csto_tui import textstore
    from csto_tui.loader import anchors_path_for

    seed = next((folder_copy.parent / "seeds").glob("*.txt"))
    old = seed.read_text(encoding="utf-8")
    seed.write_text(old.replace(" the ", " a ", 3), encoding="utf-8")
    _checked(folder_copy)
    for name in ("a1.toml", "a2.toml"):
        textstore.put(anchors_path_for(folder_copy / name), old)
    got, _ = _checked(folder_copy)
    assert got.report is not None
    assert _checked(folder_copy)[0].report is None  # as kept


def test_an_edited_file_whose_anchors_file_did_not_change_keeps_its_anchors_problems(
        folder_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After an edit of a data file alone, its anchors file (the same bytes as the last check
    read) is not read again: its problems are the ones the last check found there, and the
    report is still the whole check's."""
    anchors = folder_copy / "a2.anchors.toml"
    with anchors.open("a", encoding="utf-8") as fh:  # a problem of the anchors file alone
        fh.write('\n[anchors.q-gone]\nsource = "a2"\nexact = "Gone"\nstart = "the top"\n')
    first, _ = _checked(folder_copy)
    assert [p.code for p in first.problems if p.file == str(anchors)] == ["schema"]
    _edit(folder_copy / EDITS[0][0], EDITS[0][1], EDITS[0][2])  # a2.toml

    def not_read(*args: object) -> None:
        raise AssertionError("the anchors file was read again")

    with monkeypatch.context() as m:
        m.setattr(filecheck, "load_anchors", not_read)
        by_file = summarize(folder_copy)
    assert by_file.report is None  # made from what the last check kept
    whole = summarize(folder_copy, whole=True)
    assert _what(by_file) == _what(whole)
    assert [p.code for p in by_file.problems if p.file == str(anchors)] == ["schema"]


@pytest.mark.parametrize("suffix", [".check", ".world"])
@pytest.mark.parametrize("noise", [b"(\xff\xff\xff\x7f", b"[\xff\xff\xff\x7f", b"",
                                   b"csto-tui kept 1 00000000\n(\xff\xff\xff\x7f"])
def test_a_kept_check_of_a_few_hostile_bytes_costs_no_memory(
        folder_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str,
        noise: bytes) -> None:
    """What a check keeps (.check, .world) is read by marshal only behind a checksum of it:
    five bytes of noise (a tuple of 2**31 items) once made `csto-tui check` fill memory until
    it failed; now the entry is ignored and the check is made whole, as with none."""
    import os
    import subprocess
    import sys

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("CSTO_TUI_CACHE", raising=False)
    assert summarize(folder_copy).ok
    (entry,) = (tmp_path / "cache" / "csto-tui").glob("*" + suffix)
    entry.write_bytes(noise)
    code = ("import resource, sys\n"
            "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
            "from csto_tui.filecheck import summarize\n"
            "print(summarize(sys.argv[1]).ok)\n")
    if suffix == ".world":  # read by a check of an edited file only
        (folder_copy / "a2.toml").write_text(
            (folder_copy / "a2.toml").read_text(encoding="utf-8") + "\n# edited\n",
            encoding="utf-8")
    run = subprocess.run([sys.executable, "-c", code, str(folder_copy)], capture_output=True,
                         text=True, timeout=120, env=dict(os.environ))
    assert (run.returncode, run.stdout.strip()) == (0, "True"), run.stderr
