"""Coverage by characters (``check --coverage``) and the uncited passages it counts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from csto_tui.checking import check
from csto_tui.cli import main
from csto_tui.coverage import coverage, sentences
from csto_tui.syncing import sync

TEXT = ("The CSTO sent 2,500 troops in January. They left a week later, and many observers "
        "were surprised. Surely this was a turning point? Nobody can say.\n\n"
        "Armenia asked for help in 2020. It got none.")


def dataset(tmp_path: Path, quotes: list[str], uncited: list[tuple[str, str]]) -> Path:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    body = ['[dataset]\ntitle = "t"\n\n[[sources]]\nid = "a"\nfile = "a.txt"\ntitle = "A"\n']
    for i, q in enumerate(quotes, 1):
        body.append(f'[[quotes]]\nid = "q{i}"\nsource = "a"\ntext = {json.dumps(q)}\n')
    ids = ", ".join(f'"q{i}"' for i in range(1, len(quotes) + 1))
    body.append('[[entities]]\nid = "csto"\nkind = "organization"\nname = "CSTO"\n'
                f"quotes = [{ids}]\n")
    for text, reason in uncited:
        body.append(f'[[uncited]]\nsource = "a"\ntext = {json.dumps(text)}\n'
                    f'reason = "{reason}"\n')
    path = tmp_path / "d.toml"
    path.write_text("\n".join(body), encoding="utf-8")
    sync(path)
    return path


def nonspace(s: str) -> int:
    return sum(1 for c in s if not c.isspace())


def test_characters_are_counted_quoted_explained_or_neither(tmp_path: Path) -> None:
    q1 = "The CSTO sent 2,500 troops in January."
    q2 = "They left a week later"
    u1 = "Surely this was a turning point?"
    path = dataset(tmp_path, [q1, q2], [(u1, "rhetoric")])
    rep = check(path)
    assert rep.ok, [p.format() for p in rep.problems]
    (cov,) = coverage(rep.dataset)
    assert cov.chars == nonspace(TEXT)
    assert cov.quoted == nonspace(q1) + nonspace(q2)
    assert cov.explained == nonspace(u1)
    assert cov.uncovered_chars == cov.chars - cov.quoted - cov.explained
    # the rest of a sentence that a quote only touches is uncovered, character by character
    texts = [p.text for p in cov.uncovered]
    assert texts == [", and many observers were surprised.", "Nobody can say.\n\n"
                     "Armenia asked for help in 2020. It got none."]
    for p in cov.uncovered:
        assert TEXT[p.start:p.end] == p.text
    assert cov.uncovered_share == pytest.approx(cov.uncovered_chars / cov.chars)


def test_a_clause_explained_beside_a_quote_covers_the_sentence(tmp_path: Path) -> None:
    path = dataset(tmp_path, ["They left a week later"],
                   [(", and many observers were surprised.", "opinion")])
    rep = check(path)
    assert rep.ok, [p.format() for p in rep.problems]
    (cov,) = coverage(rep.dataset)
    assert all("observers" not in p.text for p in cov.uncovered)


@pytest.mark.parametrize("text, reason, message", [
    ("Surely this was a turning point? Nobody can say.", "opinion",
     "spans more than one sentence"),
    ("Surely this was not a turning point?", "opinion", "is not verbatim in source 'a'"),
    ("week later", "opinion", "overlaps quote 'q1'"),
    ("an", "opinion", f"occurs {TEXT.count('an')} times in source 'a'"),
])
def test_bad_uncited_passages_are_located_errors(tmp_path: Path, text: str, reason: str,
                                                  message: str) -> None:
    path = dataset(tmp_path, ["They left a week later"], [(text, reason)])
    rep = check(path)
    assert not rep.ok
    (p,) = [p for p in rep.problems if p.code == "uncited"]
    assert message in p.message
    assert p.file == str(path) and p.field == "text" and p.record == "uncited[a]"
    line = path.read_text(encoding="utf-8").splitlines()[p.line - 1]
    assert line.startswith("text = ") and line[p.column:].startswith(text[:10])
    # an uncounted passage explains nothing
    (cov,) = coverage(rep.dataset)
    assert cov.explained == 0


def test_reason_is_one_word_of_the_vocabulary(tmp_path: Path, capsys) -> None:
    path = dataset(tmp_path, ["They left a week later"],
                   [("Surely this was a turning point?", "speculation about the future")])
    assert main(["check", "--data", str(path)]) == 1
    out = capsys.readouterr().out
    assert "uncited[1].reason: 'speculation about the future' is not one of: opinion, " \
           "rhetoric, repeats, no-fact" in out


def test_check_coverage_reports_characters_and_passages(tmp_path: Path, capsys) -> None:
    path = dataset(tmp_path, ["The CSTO sent 2,500 troops in January."],
                   [("Surely this was a turning point?", "rhetoric")])
    assert main(["check", "--coverage", "--data", str(path)]) == 0
    out = capsys.readouterr().out
    cov = coverage(check(path).dataset)[0]
    assert (f"coverage a: {cov.chars} characters (whitespace aside), {cov.quoted} quoted, "
            f"{cov.explained} explained as uncited, {cov.uncovered_chars} neither") in out
    assert "a:39-97: They left a week later, and many observers were surprised." in out
    assert main(["check", "--coverage", "--format", "json", "--data", str(path)]) == 0
    doc = json.loads(capsys.readouterr().out)
    (c,) = doc["coverage"]
    assert c["characters"] == cov.chars and c["quoted"] == cov.quoted
    assert c["uncovered"][0] == {"start": 39, "end": 97,
                                 "text": "They left a week later, and many observers were "
                                         "surprised."}


def test_sentences_split_at_ends_and_blank_lines() -> None:
    got = [s.text for s in sentences(TEXT)]
    assert got == ["The CSTO sent 2,500 troops in January.",
                   "They left a week later, and many observers were surprised.",
                   "Surely this was a turning point?", "Nobody can say.",
                   "Armenia asked for help in 2020.", "It got none."]



def test_a_quote_edited_since_its_sync_covers_nothing_until_synced(tmp_path: Path) -> None:
    path = dataset(tmp_path, ["The CSTO sent 2,500 troops in January."], [])
    body = path.read_text(encoding="utf-8")
    path.write_text(body.replace("The CSTO sent 2,500 troops in January.",
                                 "The CSTO sent 2,500 troops"), encoding="utf-8")
    (cov,) = coverage(check(path).dataset)
    assert cov.quoted == 0
    sync(path)
    (cov,) = coverage(check(path).dataset)
    assert cov.quoted == nonspace("The CSTO sent 2,500 troops")
