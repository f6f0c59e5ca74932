"""``csto-tui add-source FILE`` and ``csto-tui undo``, as a user runs them: what they print,
what they write, and plain messages (exit 1, never a traceback) when they refuse."""

from __future__ import annotations

from pathlib import Path

import pytest

from csto_tui.cli import main

ARTICLE = Path(__file__).resolve().parent / "data" / "articles" / "border_deal.txt"


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_add_source_copies_registers_and_prints_the_coverage(
        project_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(["add-source", str(ARTICLE), "--data", str(project_copy), "--id", "a3",
               "--title", "Border deal", "--date", "2023-03-14", "--publisher", "Test wire"])
    out = capsys.readouterr().out
    assert rc == 0
    copied = project_copy.parent / "sources" / ARTICLE.name
    assert copied.read_bytes() == ARTICLE.read_bytes()
    chars = sum(1 for c in ARTICLE.read_text() if not c.isspace())
    assert out.startswith("added source a3 (border_deal.txt) to csto.toml\n")
    assert f"  wrote {copied}\n" in out
    assert (f"coverage a3: {chars} characters (whitespace aside), 0 quoted, 0 explained as "
            f"uncited, {chars} neither (100.0%) in 1 passage") in out
    assert "  a3:0-" in out
    assert 'publisher = "Test wire"' in project_copy.read_text()
    assert main(["check", "--data", str(project_copy)]) == 0


def test_add_source_refuses_a_different_file_of_the_same_name(
        project_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["add-source", str(ARTICLE), "--data", str(project_copy), "--id", "a3"]) == 0
    other = tmp_path / "other" / ARTICLE.name
    other.parent.mkdir()
    other.write_text("A different article with the same name.\n")
    before = files_under(project_copy.parent)
    capsys.readouterr()
    assert main(["add-source", str(other), "--data", str(project_copy), "--id", "a4"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("csto-tui: ")
    assert "already exists and differs" in err and "not overwritten" in err
    assert "Traceback" not in err
    assert files_under(project_copy.parent) == before


@pytest.mark.parametrize(("target", "words"), [
    ("missing.txt", "No such file or directory; nothing added"),
    (".", "is a folder, not a file; nothing added"),
])
def test_add_source_says_plainly_why_it_cannot_read_the_file(
        project_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], target: str,
        words: str) -> None:
    rc = main(["add-source", str(tmp_path / target), "--data", str(project_copy)])
    err = capsys.readouterr().err
    assert rc == 1
    assert words in err and "Traceback" not in err
    assert err.count("\n") == 1


def test_undo_prints_what_it_undid_and_leaves_the_files_as_they_were(
        project_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = project_copy.parent
    before = files_under(home)
    assert main(["add-source", str(ARTICLE), "--data", str(project_copy), "--id", "a3"]) == 0
    capsys.readouterr()
    assert main(["undo", "--data", str(project_copy)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("undid: added source a3 (border_deal.txt) to csto.toml\n")
    assert f"  removed {home / 'sources' / ARTICLE.name}\n" in out
    assert f"  restored {project_copy}\n" in out
    assert files_under(home) == before  # the journal too is gone with its last step
    assert main(["undo", "--data", str(project_copy)]) == 1
    err = capsys.readouterr().err
    assert "nothing to undo" in err and "Traceback" not in err


def test_undo_refuses_when_the_file_was_edited_since(
        project_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["add-source", str(ARTICLE), "--data", str(project_copy), "--id", "a3"]) == 0
    with project_copy.open("a", encoding="utf-8") as fh:
        fh.write("# edited by hand\n")
    edited = project_copy.read_bytes()
    capsys.readouterr()
    assert main(["undo", "--data", str(project_copy)]) == 1
    err = capsys.readouterr().err
    assert "changed since" in err and "nothing undone" in err
    assert project_copy.read_bytes() == edited


def test_add_source_says_when_the_undo_journal_cannot_be_written(
        project_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The article is added (the files are written) though the journal is not: stdout says
    what was added, stderr warns that this step cannot be undone; exit 0, no traceback."""
    (project_copy.parent / ".csto-undo").write_text("a file where the journal's folder goes\n")
    rc = main(["add-source", str(ARTICLE), "--data", str(project_copy), "--id", "a3"])
    out, err = capsys.readouterr()
    assert rc == 0
    assert out.startswith("added source a3 (border_deal.txt) to csto.toml\n")
    assert "csto-tui undo" not in out
    assert err.startswith("csto-tui: warning: this step cannot be undone: the undo journal "
                          "could not record it (")
    assert err.endswith("); its files are written\n") and "Traceback" not in err
    assert (project_copy.parent / "sources" / ARTICLE.name).read_bytes() == \
        ARTICLE.read_bytes()
    assert main(["check", "--data", str(project_copy)]) == 0


def test_add_source_refuses_an_article_already_in_the_dataset_under_another_name(
        project_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed = sorted((project_copy.parent.parent / "seeds").glob("*.txt"))[0]
    renamed = tmp_path / "the_same_article.txt"
    renamed.write_bytes(seed.read_bytes())
    before = files_under(project_copy.parent)
    assert main(["add-source", str(renamed), "--data", str(project_copy)]) == 1
    err = capsys.readouterr().err
    assert f"holds the same text as source 'a1' (seeds/{seed.name})" in err
    assert "already in the dataset; nothing added" in err and "Traceback" not in err
    assert files_under(project_copy.parent) == before
