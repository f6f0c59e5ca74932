"""csto_tui.authoring: steps that append to the dataset, each checked byte for byte, validated
by the loader's one validator, refused on a changed file, undone byte for byte."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from csto_tui import authoring, journal, textstore
from csto_tui.checking import check
from csto_tui.dataset import Dataset
from csto_tui.journal import AuthoringError
from csto_tui.loader import anchors_path_for, load
from csto_tui.syncing import sync

ARTICLE = Path(__file__).resolve().parent / "data" / "articles" / "border_deal.txt"

EVENT = {"date": "2023-03", "title": "Kyrgyz-Tajik border deal", "response": "none",
         "summary": "Both withdraw heavy weapons from their border", "states": ["kgz", "tjk"]}


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def span(ds: Dataset, source: str, words: str) -> tuple[int, int]:
    text = ds.text_of(source)
    at = text.index(words)
    return at, at + len(words)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (the undo journal aside) with its bytes."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if d != ".csto-undo"]
        for name in filenames:
            p = Path(dirpath) / name
            out[str(p.relative_to(folder))] = p.read_bytes()
    return out


def without_reference(text: str, qid: str) -> str:
    """``text`` with one added reference to ``qid`` taken out of a one-line or a one-per-line
    array (what appending it wrote)."""
    import re

    out, n = re.subn(rf'(, "{qid}"(?=\])|\n[ \t]*"{qid}",)', "", text, count=1)
    assert n == 1, f"no reference to {qid} was added"
    return out


def with_third_article(data: Path) -> Dataset:
    authoring.add_source(data, ARTICLE, source_id="a3", title="Border deal", date="2023-03-14")
    return load(data).dataset


# ------------------------------------------------------------------------- add_source


def test_add_source_copies_the_article_byte_for_byte_and_registers_it(project_copy: Path
                                                                      ) -> None:
    before = project_copy.read_bytes()
    ch = authoring.add_source(project_copy, ARTICLE, source_id="a3", title="Border deal")
    copied = project_copy.parent / "sources" / ARTICLE.name
    assert copied.read_bytes() == ARTICLE.read_bytes()
    assert copied in ch.files and project_copy in ch.files
    after = project_copy.read_bytes()
    assert after.startswith(before)
    assert after[len(before):].decode() == (
        '\n[[sources]]\nid = "a3"\nfile = "data/sources/border_deal.txt"\n'
        'title = "Border deal"\n')
    ds = load(project_copy).dataset
    assert ds.text_of("a3") == ARTICLE.read_text()
    # its stored text is beside the anchors, and everything is uncovered at first
    assert textstore.get(anchors_path_for(project_copy), textstore.key_of(ds.text_of("a3")))
    assert authoring.uncovered(ds, "a3") == [(0, len(ds.text_of("a3").rstrip()))]
    assert check(project_copy).ok
    # nothing is written into seeds/
    assert sorted(p.name for p in (project_copy.parent.parent / "seeds").iterdir()) == sorted(
        p.name for p in (Path(__file__).resolve().parent.parent / "seeds").iterdir())


def test_add_source_refuses_a_different_file_of_the_same_name(project_copy: Path,
                                                              tmp_path: Path) -> None:
    other = tmp_path / "elsewhere" / ARTICLE.name
    other.parent.mkdir()
    other.write_text("Another article entirely.\n")
    authoring.add_source(project_copy, ARTICLE, source_id="a3")
    before = snapshot(project_copy.parent)
    with pytest.raises(AuthoringError, match="already exists and differs"):
        authoring.add_source(project_copy, other, source_id="a4")
    assert snapshot(project_copy.parent) == before


def test_add_source_takes_a_same_bytes_copy_and_refuses_a_registered_one(
        project_copy: Path) -> None:
    dest = project_copy.parent / "sources" / ARTICLE.name
    dest.parent.mkdir()
    shutil.copyfile(ARTICLE, dest)
    ch = authoring.add_source(project_copy, ARTICLE, source_id="a3")
    assert dest not in ch.files  # already there, byte for byte
    with pytest.raises(AuthoringError, match="already registered as source 'a3'"):
        authoring.add_source(project_copy, ARTICLE, source_id="a4")


def test_the_same_article_under_another_name_is_refused_naming_its_source(
        project_copy: Path, tmp_path: Path) -> None:
    """Same bytes = already in the dataset: a seed article, or one added before, copied under
    another file name is not a second source."""
    ds = load(project_copy).dataset
    seed = ds.source("a1")
    assert seed is not None
    renamed = tmp_path / "kazakhstan_intervention_copy.txt"
    shutil.copyfile(seed.path, renamed)
    before = snapshot(project_copy.parent)
    with pytest.raises(AuthoringError, match=r"holds the same text as source 'a1' "
                       r"\(seeds/.*\): the article is already in the dataset; "
                       "nothing added"):
        authoring.add_source(project_copy, renamed)
    assert snapshot(project_copy.parent) == before
    authoring.add_source(project_copy, ARTICLE, source_id="a3")
    again = tmp_path / "border_deal_2.txt"
    again.write_bytes(ARTICLE.read_bytes())
    with pytest.raises(AuthoringError, match="same text as source 'a3'"):
        authoring.add_source(project_copy, again, source_id="a4")
    # one changed byte is another article
    again.write_bytes(ARTICLE.read_bytes().replace(b"Bishkek", b"Bishkak", 1))
    assert authoring.add_source(project_copy, again, source_id="a4").ids == ("a4",)
    assert check(project_copy).ok


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"source_id": "a1"}, "'a1' is already used"),
    ({"source_id": "Bad Id"}, "must match"),
    ({"source_id": "a3", "date": "14 March"}, r"a3\.date"),
])
def test_add_source_refuses_bad_fields(project_copy: Path, kwargs: dict[str, str],
                                       message: str) -> None:
    before = snapshot(project_copy.parent)
    with pytest.raises(AuthoringError, match=message):
        authoring.add_source(project_copy, ARTICLE, **kwargs)
    assert snapshot(project_copy.parent) == before


def test_add_source_refuses_what_is_not_text(project_copy: Path, tmp_path: Path) -> None:
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\xff\xfe\x00 not utf-8")
    with pytest.raises(AuthoringError, match="not UTF-8"):
        authoring.add_source(project_copy, binary)
    with pytest.raises(AuthoringError, match="no such file|No such file"):
        authoring.add_source(project_copy, tmp_path / "missing.txt")


# ------------------------------------------------------------------------------ cite


def test_cite_into_a_new_event_appends_two_tables_and_nothing_else(project_copy: Path) -> None:
    ds = with_third_article(project_copy)
    before = project_copy.read_bytes()
    anchors_before = anchors_path_for(project_copy).read_bytes()
    s, e = span(ds, "a3", "Kyrgyzstan and Tajikistan agreed on Tuesday to withdraw heavy "
                "weapons from their shared border")
    ch = authoring.cite(project_copy, ds, "a3", s, e, new_kind="event", fields=EVENT)
    qid, eid = ch.ids
    assert qid.startswith("q-a3-") and eid == "ev-kyrgyz-tajik-border-deal"
    after = project_copy.read_bytes()
    assert after.startswith(before)
    added = after[len(before):].decode()
    assert added.startswith(f'\n[[quotes]]\nid = "{qid}"\nsource = "a3"\n')
    assert "\n[[events]]\n" in added and added.count("[[") == 2
    # the anchor is appended to the anchors file in the same step
    anchors_after = anchors_path_for(project_copy).read_bytes()
    assert anchors_after.startswith(anchors_before.rstrip(b"\n"))
    assert anchors_after[len(anchors_before):].decode().count("[anchors.") == 1
    rep = check(project_copy)
    assert rep.ok, [p.format() for p in rep.errors]
    ds2 = rep.dataset
    assert ds2.get(eid) is not None and ds2.quotes_of(ds2.get(eid)) == (qid,)
    assert rep.quote_status[qid] == "exact"


def test_new_tables_write_short_arrays_on_one_line_as_the_file_does(project_copy: Path
                                                                    ) -> None:
    """The hand-written dataset writes ``states = ["kgz", "tjk"]``: the appended tables do
    too (tomli-w alone wrote each element on a line of its own), byte for byte."""
    ds = with_third_article(project_copy)
    before = project_copy.read_bytes()
    words = "Kyrgyzstan and Tajikistan agreed"
    s, e = span(ds, "a3", words)
    ch = authoring.cite(project_copy, ds, "a3", s, e, new_kind="event", fields=EVENT)
    qid, eid = ch.ids
    added = project_copy.read_bytes()[len(before):].decode()
    assert added == (
        f'\n[[quotes]]\nid = "{qid}"\nsource = "a3"\ntext = "{words}"\n'
        f'\n[[events]]\nid = "{eid}"\ndate = "2023-03"\ntitle = "Kyrgyz-Tajik border deal"\n'
        'response = "none"\nsummary = "Both withdraw heavy weapons from their border"\n'
        f'states = ["kgz", "tjk"]\nquotes = ["{qid}"]\n')
    assert check(project_copy).ok


def test_a_long_array_or_a_file_of_one_element_per_line_keeps_that_layout(
        tmp_path: Path) -> None:
    """An array too long for a line, and every array in a file whose arrays are written one
    element per line (as tomli-w writes them), are appended one element per line."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copyfile(ARTICLE, seeds / "a.txt")
    data = tmp_path / "data.toml"
    data.write_text('[[sources]]\nid = "s"\nfile = "seeds/a.txt"\n\n'
                    '[[quotes]]\nid = "q1"\nsource = "s"\ntext = "Bishkek, 14 March 2023"\n\n'
                    '[[states]]\nid = "kgz"\nname = "Kyrgyzstan"\nstatus = "member"\n'
                    'aliases = [\n    "Kyrgyz Republic",\n    "Kirghizia",\n]\n'
                    'quotes = [\n    "q1",\n]\n\n'
                    '[[states]]\nid = "tjk"\nname = "Tajikistan"\nstatus = "member"\n'
                    'quotes = [\n    "q1",\n]\n')
    assert "quotes = [\n" in data.read_text()
    sync(data)
    ds = load(data).dataset
    before = data.read_text()
    s, e = span(ds, "s", "Kyrgyzstan and Tajikistan agreed")
    ch = authoring.cite(data, ds, "s", s, e, new_kind="event",
                        fields={**EVENT, "id": "ev-x"})
    added = data.read_text()[len(before):]
    assert f'states = [\n    "kgz",\n    "tjk",\n]\nquotes = [\n    "{ch.ids[0]}",\n]\n' \
        in added
    # the one-line file of the other tests, with an array too long for a line
    seeds_file = tmp_path / "one.toml"
    seeds_file.write_text('[[sources]]\nid = "s"\nfile = "seeds/a.txt"\n\n'
                          '[[quotes]]\nid = "q1"\nsource = "s"\ntext = "Bishkek, 14 March 2023"'
                          '\n\n[[states]]\nid = "kgz"\nname = "Kyrgyzstan"\nstatus = "observer"\n'
                          'quotes = ["q1"]\n')
    sync(seeds_file)
    ds = load(seeds_file).dataset
    before = seeds_file.read_text()
    many = [f"a-rather-long-alias-number-{i}" for i in range(4)]
    ch = authoring.cite(seeds_file, ds, "s", s, e, new_kind="state",
                        fields={"id": "xyz", "name": "Xyz", "status": "outside",
                                "aliases": many})
    added = seeds_file.read_text()[len(before):]
    assert 'aliases = [\n    "a-rather-long-alias-number-0",\n' in added
    assert f'quotes = ["{ch.ids[0]}"]\n' in added
    rep = check(seeds_file)
    assert rep.ok, [p.format() for p in rep.errors]


def test_attaching_adds_the_one_reference_and_changes_nothing_else(project_copy: Path) -> None:
    ds = with_third_article(project_copy)
    before = project_copy.read_text()
    s, e = span(ds, "a3", "The Collective Security Treaty Organization did not send troops "
                "during the September clashes")
    ch = authoring.cite(project_copy, ds, "a3", s, e, record_id="kgz")
    qid = ch.ids[0]
    assert ch.ids == (qid, "kgz")
    after = project_copy.read_text()
    quote_table = after[after.rindex("\n[[quotes]]"):]
    body = after[: len(after) - len(quote_table)]
    # the state's list gained exactly one reference, in place; every other character stays
    assert without_reference(body, qid) == before
    assert body.count(qid) == 1
    state = check(project_copy).dataset.state("kgz")
    assert state is not None and state.quotes[-1] == qid
    assert check(project_copy).ok


def test_comments_and_layout_of_a_quote_list_survive(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copyfile(ARTICLE, seeds / "a.txt")
    data = tmp_path / "data.toml"
    data.write_text(
        "# my dataset\n[dataset]\ntitle = \"T\"\n\n"
        "[[sources]]\nid = \"s\"\nfile = \"seeds/a.txt\"\n\n"
        "[[quotes]]\nid = \"q1\"\nsource = \"s\"\ntext = \"Bishkek, 14 March 2023\"\n\n"
        "[[states]]\nid = \"kgz\"   # keep me\nname = \"Kyrgyzstan\"\nstatus = \"observer\"\n"
        "quotes = [\n    \"q1\",  # the dateline\n]\n# after the list\n")
    sync(data)
    original = data.read_text()
    ds = load(data).dataset
    s, e = span(ds, "s", "Kyrgyzstan and Tajikistan agreed")
    ch = authoring.cite(data, ds, "s", s, e, record_id="kgz")
    text = data.read_text()
    assert f'    "q1",  # the dateline\n    "{ch.ids[0]}",\n]\n# after the list\n' in text
    assert text.replace(f'    "{ch.ids[0]}",\n', "", 1).startswith(original)
    rep = check(data)
    assert rep.ok, [p.format() for p in rep.errors]


def test_a_state_without_a_quote_list_gets_one(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copyfile(ARTICLE, seeds / "a.txt")
    data = tmp_path / "data.toml"
    data.write_text(
        "[[sources]]\nid = \"s\"\nfile = \"seeds/a.txt\"\n\n"
        "[[quotes]]\nid = \"q1\"\nsource = \"s\"\ntext = \"Bishkek, 14 March 2023\"\n\n"
        "[[states]]\nid = \"kgz\"\nname = \"Kyrgyzstan\"\nstatus = \"member\"\n\n"
        "[[states.membership]]\nkind = \"member\"\nfrom = \"2002\"\nquotes = [\"q1\"]\n")
    sync(data)
    ds = load(data).dataset
    s, e = span(ds, "s", "Kyrgyzstan and Tajikistan agreed")
    ch = authoring.cite(data, ds, "s", s, e, record_id="kgz")
    assert f'status = "member"\nquotes = ["{ch.ids[0]}"]\n\n[[states.membership]]' in \
        data.read_text()
    rep = check(data)
    assert rep.ok, [p.format() for p in rep.errors]


@pytest.mark.parametrize(("fields", "field", "words"), [
    ({**EVENT, "response": "bogus"}, "response", "bogus"),
    ({**EVENT, "states": ["atlantis"]}, "states", "atlantis"),
    ({k: v for k, v in EVENT.items() if k != "title"}, "title", "missing"),
    ({**EVENT, "id": "kgz"}, "id", "already used"),
    ({**EVENT, "summary": "The CSTO \u201cdid nothing at all\u201d"}, "summary",
     "not verbatim"),
])
def test_a_faulty_record_is_refused_naming_its_field(project_copy: Path,
                                                     fields: dict[str, object], field: str,
                                                     words: str) -> None:
    ds = with_third_article(project_copy)
    before = snapshot(project_copy.parent)
    s, e = span(ds, "a3", "Kyrgyzstan and Tajikistan agreed")
    with pytest.raises(AuthoringError, match=words) as err:
        authoring.cite(project_copy, ds, "a3", s, e, new_kind="event", fields=fields)
    assert any(p.field == field for p in err.value.problems)
    assert f".{field}:" in err.value.message
    assert snapshot(project_copy.parent) == before


def test_validate_fields_runs_the_loaders_validator_as_you_type(project_copy: Path) -> None:
    ds = load(project_copy).dataset
    assert authoring.validate_fields(ds, "event", EVENT, passage="Kyrgyzstan agreed") == []
    probs = authoring.validate_fields(ds, "event", {**EVENT, "date": "sometime"},
                                      passage="x")
    assert [(p.record, p.field, p.code) for p in probs] == [("(new event)", "date", "schema")]
    # the same message a load gives for the same value in a file
    assert "sometime" in probs[0].message
    probs = authoring.validate_fields(ds, "metric", {"id": "m-x", "state": "kgz"}, passage="x")
    assert {p.field for p in probs} == {"category", "measure"}
    assert all(p.record == "m-x" for p in probs)
    assert authoring.validate_fields(ds, "treaty", {})[0].message.startswith("unknown kind")


def test_a_passage_overlapping_an_uncited_one_is_refused(project_copy: Path) -> None:
    ds = load(project_copy).dataset
    u = next(u for u in ds.uncited if u.source == "a1")
    s, e = span(ds, "a1", u.text)
    with pytest.raises(AuthoringError, match="marked uncited"):
        authoring.cite(project_copy, ds, "a1", s, e + 5, record_id="kgz")


def test_a_source_changed_since_the_load_is_refused(project_copy: Path) -> None:
    ds = with_third_article(project_copy)
    copied = project_copy.parent / "sources" / ARTICLE.name
    copied.write_text("Breaking: " + copied.read_text())
    before = snapshot(project_copy.parent)
    s, e = span(ds, "a3", "Kyrgyzstan and Tajikistan agreed")
    with pytest.raises(AuthoringError, match="changed since it was loaded"):
        authoring.cite(project_copy, ds, "a3", s, e, record_id="kgz")
    assert snapshot(project_copy.parent) == before


def test_a_data_file_changed_during_the_write_is_refused_and_nothing_kept(
        project_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ds = with_third_article(project_copy)
    apath = anchors_path_for(project_copy)
    anchors_before = apath.read_bytes()
    journal_before = journal.undoable(project_copy)
    real = journal.atomic_write
    theirs = project_copy.read_text() + "\n# another analyst's edit\n"

    def meanwhile(path: Path | str, data: bytes, **kw: object) -> Path | None:
        if Path(path) == project_copy:  # between the step's read and its write
            project_copy.write_text(theirs)
        return real(path, data, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(journal, "atomic_write", meanwhile)
    s, e = span(ds, "a3", "Kyrgyzstan and Tajikistan agreed")
    with pytest.raises(AuthoringError, match="changed on disk"):
        authoring.cite(project_copy, ds, "a3", s, e, new_kind="event", fields=EVENT)
    assert project_copy.read_text() == theirs  # the other writer's file is kept
    assert apath.read_bytes() == anchors_before  # the anchor written first is put back
    assert journal.undoable(project_copy) == journal_before  # no step journaled


def test_citing_an_existing_quotes_span_again_reuses_that_quote(project_copy: Path) -> None:
    """The exact span of a quote cited a second time (into another record) does not write a
    second quote of the same words: the one reference to the existing quote is added."""
    ds = with_third_article(project_copy)
    words = ("Russia, which keeps a military base in Tajikistan, offered to mediate.")
    s, e = span(ds, "a3", words)
    first = authoring.cite(project_copy, ds, "a3", s, e, record_id="kgz")
    qid = first.ids[0]
    ds = load(project_copy).dataset
    assert authoring.quote_at(ds, "a3", s, e) == ds.quote(qid)
    before = project_copy.read_text()
    anchors_before = anchors_path_for(project_copy).read_bytes()
    # the selection may hold the white space around the words: it is trimmed, then matched
    again = authoring.cite(project_copy, ds, "a3", s - 1, e + 1, record_id="tjk")
    assert again.ids == (qid, "tjk")
    assert again.summary == f"reused quote {qid} (the same passage) for state tjk in csto.toml"
    after = project_copy.read_text()
    assert after.count("[[quotes]]") == before.count("[[quotes]]")
    at = after.rindex(f', "{qid}"]')  # tjk's one-line list (kgz's reference comes first)
    assert after[:at] + after[at + len(qid) + 4:] == before  # that one reference, nothing else
    assert anchors_path_for(project_copy).read_bytes() == anchors_before
    assert set(again.files) == {project_copy}
    rep = check(project_copy)
    assert rep.ok, [p.format() for p in rep.errors]
    assert [q.id for q in rep.dataset.quotes if q.text == words] == [qid]
    assert rep.dataset.state("tjk").quotes[-1] == qid  # type: ignore[union-attr]
    journal.undo(project_copy)
    assert project_copy.read_text() == before


def test_a_new_record_on_an_existing_quotes_span_cites_that_quote(project_copy: Path) -> None:
    ds = load(project_copy).dataset
    q = next(q for q in ds.quotes if q.source == "a1" and ds.anchors[q.id].start > 0)
    an = ds.anchors[q.id]
    before = project_copy.read_bytes()
    ch = authoring.cite(project_copy, ds, "a1", an.start, an.end, new_kind="event",
                        fields={**EVENT, "id": "ev-again"})
    assert ch.ids == (q.id, "ev-again")
    assert f"reused quote {q.id}" in ch.summary
    added = project_copy.read_bytes()[len(before):].decode()
    assert project_copy.read_bytes().startswith(before)
    assert added.count("[[") == 1 and added.startswith("\n[[events]]\n")
    assert f'"{q.id}"' in added
    rep = check(project_copy)
    assert rep.ok, [p.format() for p in rep.errors]
    assert rep.dataset.quotes_of(rep.dataset.get("ev-again")) == (q.id,)


def test_attaching_a_quote_a_record_already_cites_is_refused(project_copy: Path) -> None:
    ds = load(project_copy).dataset
    state = next(st for st in ds.states if st.quotes)
    an = ds.anchors[state.quotes[0]]
    before = snapshot(project_copy.parent)
    with pytest.raises(AuthoringError, match=f"already cites quote {state.quotes[0]}"):
        authoring.cite(project_copy, ds, an.source, an.start, an.end, record_id=state.id)
    assert snapshot(project_copy.parent) == before


def test_a_longer_span_than_an_existing_quote_is_a_new_quote(project_copy: Path) -> None:
    ds = with_third_article(project_copy)
    s, e = span(ds, "a3", "Russia, which keeps a military base in Tajikistan")
    first = authoring.cite(project_copy, ds, "a3", s, e, record_id="kgz")
    ds = load(project_copy).dataset
    s2, e2 = span(ds, "a3", "Russia, which keeps a military base in Tajikistan, offered to "
                  "mediate.")
    assert authoring.quote_at(ds, "a3", s2, e2) is None
    again = authoring.cite(project_copy, ds, "a3", s2, e2, record_id="tjk")
    assert again.ids[0] != first.ids[0] and again.summary.startswith("added quote")
    assert check(project_copy).ok


# ----------------------------------------------------------------------- mark_uncited


def test_mark_uncited_appends_one_table_and_explains_the_passage(project_copy: Path) -> None:
    ds = with_third_article(project_copy)
    before = project_copy.read_bytes()
    s, e = span(ds, "a3", "It remains to be seen whether the deal will hold.")
    uncovered = authoring.uncovered(ds, "a3")
    authoring.mark_uncited(project_copy, ds, "a3", s, e, "opinion")
    added = project_copy.read_bytes()[len(before):].decode()
    assert added == ('\n[[uncited]]\nsource = "a3"\ntext = "It remains to be seen whether the '
                     'deal will hold."\nreason = "opinion"\n')
    rep = check(project_copy)
    assert rep.ok
    after = authoring.uncovered(rep.dataset, "a3")
    assert sum(b - a for a, b in after) < sum(b - a for a, b in uncovered)


@pytest.mark.parametrize(("words", "reason", "message"), [
    ("Analysts say the alliance's credibility in Central Asia has suffered. It remains",
     "opinion", "more than one sentence"),
    ("Bishkek", "no-fact", "occurs 2 times"),
    ("It remains to be seen", "guess", "not one of"),
])
def test_mark_uncited_refuses_what_check_would_report(project_copy: Path, words: str,
                                                      reason: str, message: str) -> None:
    ds = with_third_article(project_copy)
    before = snapshot(project_copy.parent)
    s, e = span(ds, "a3", words)
    with pytest.raises(AuthoringError, match=message):
        authoring.mark_uncited(project_copy, ds, "a3", s, e, reason)
    assert snapshot(project_copy.parent) == before


def test_mark_uncited_refuses_a_quoted_passage(project_copy: Path) -> None:
    ds = load(project_copy).dataset
    q = next(q for q in ds.quotes if q.source == "a1")
    s, e = span(ds, "a1", q.text)
    with pytest.raises(AuthoringError, match="overlaps quote"):
        authoring.mark_uncited(project_copy, ds, "a1", s, e, "rhetoric")


# ------------------------------------------------------------------------------ undo


def test_undo_reverts_each_step_byte_for_byte(project_copy: Path) -> None:
    home = project_copy.parent
    original = snapshot(home)
    ds = with_third_article(project_copy)
    after_add = snapshot(home)
    s, e = span(ds, "a3", "Kyrgyzstan and Tajikistan agreed")
    authoring.cite(project_copy, ds, "a3", s, e, new_kind="event", fields=EVENT)
    ds = load(project_copy).dataset
    s, e = span(ds, "a3", "Russia, which keeps a military base in Tajikistan, offered to "
                "mediate.")
    authoring.cite(project_copy, ds, "a3", s, e, record_id="kgz")
    assert (journal.undoable(project_copy) or "").startswith("added quote q-a3-russia")
    ch = journal.undo(project_copy)
    assert ch.summary.startswith("undid: added quote q-a3-russia")
    ch = journal.undo(project_copy)
    assert "ev-kyrgyz-tajik-border-deal" in ch.ids
    assert snapshot(home) == after_add
    journal.undo(project_copy)
    assert snapshot(home) == original  # the copied article, its stored text, sources/ gone
    assert not (home / "sources").exists()
    with pytest.raises(AuthoringError, match="nothing to undo"):
        journal.undo(project_copy)


def test_undo_is_refused_when_a_file_changed_since(project_copy: Path) -> None:
    ds = with_third_article(project_copy)
    s, e = span(ds, "a3", "Kyrgyzstan and Tajikistan agreed")
    authoring.cite(project_copy, ds, "a3", s, e, new_kind="event", fields=EVENT)
    with project_copy.open("a") as fh:
        fh.write("# a later hand edit\n")
    edited = snapshot(project_copy.parent)
    with pytest.raises(AuthoringError, match="changed since .* nothing undone"):
        journal.undo(project_copy)
    assert snapshot(project_copy.parent) == edited


def test_a_journal_that_cannot_be_written_is_said_and_the_step_kept(project_copy: Path
                                                                     ) -> None:
    """The undo journal failing after the files were written (here its folder's name is
    taken by a file): the step is written and says so, with no undo; never "nothing
    written", never a traceback."""
    ds = with_third_article(project_copy)
    before = project_copy.read_bytes()
    undo_home = project_copy.parent / ".csto-undo"
    shutil.rmtree(undo_home)
    undo_home.write_text("not a folder\n")
    s, e = span(ds, "a3", "Kyrgyzstan and Tajikistan agreed")
    ch = authoring.cite(project_copy, ds, "a3", s, e, new_kind="event", fields=EVENT)
    assert ch.warning.startswith("this step cannot be undone: the undo journal could not "
                                 "record it (")
    assert ch.warning.endswith("); its files are written")
    assert project_copy in ch.files and project_copy.read_bytes().startswith(before)
    assert len(project_copy.read_bytes()) > len(before)
    rep = check(project_copy)
    assert rep.ok, [p.format() for p in rep.errors]
    assert rep.dataset.get("ev-kyrgyz-tajik-border-deal") is not None
    with pytest.raises(AuthoringError, match="undo journal cannot be read"):
        journal.undo(project_copy)


def test_an_undo_whose_journal_cannot_be_updated_says_so(
        project_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The files are put back, then the journal cannot be rewritten (the disk is full):
    the undo says both, and a second undo of the same step is refused."""
    import errno

    ds = with_third_article(project_copy)
    after_add = project_copy.read_bytes()
    s, e = span(ds, "a3", "Kyrgyzstan and Tajikistan agreed")
    authoring.cite(project_copy, ds, "a3", s, e, new_kind="event", fields=EVENT)
    real = journal.atomic_write

    def full_disk(path: Path | str, data: bytes, **kw: object) -> Path | None:
        if Path(path).name == "journal.json":
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(path, data, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(journal, "atomic_write", full_disk)
    ch = journal.undo(project_copy)
    assert ch.summary.startswith("undid: added quote")
    assert project_copy.read_bytes() == after_add
    assert ch.warning.startswith("the undo journal still lists this step (")
    assert ch.warning.endswith("undo will refuse it again; its files are back as they were")
    assert "No space left on device" in ch.warning
    monkeypatch.setattr(journal, "atomic_write", real)
    with pytest.raises(AuthoringError, match="changed since"):
        journal.undo(project_copy)  # refused: it would undo the same step again
    assert project_copy.read_bytes() == after_add


# -------------------------------------------------------------------- folder dataset


def test_a_folder_dataset_gets_a_file_per_new_article(folder_copy: Path) -> None:
    shared = folder_copy / "shared.toml"
    shared_before = shared.read_text()
    others = {p.name: p.read_bytes() for p in folder_copy.glob("a[12]*.toml")}
    ch = authoring.add_source(folder_copy, ARTICLE, source_id="a3", title="Border deal")
    mine = folder_copy / "a3.toml"
    assert mine in ch.files and anchors_path_for(mine) in ch.files
    assert (folder_copy / "sources" / ARTICLE.name).read_bytes() == ARTICLE.read_bytes()
    assert 'file = "sources/border_deal.txt"' in mine.read_text()
    ds = load(folder_copy).dataset
    s, e = span(ds, "a3", "Kyrgyzstan and Tajikistan agreed")
    authoring.cite(folder_copy, ds, "a3", s, e, new_kind="event", fields=EVENT)
    ds = load(folder_copy).dataset
    s, e = span(ds, "a3", "Talks between the two governments resumed in January 2023 under "
                "Russian supervision.")
    ch = authoring.cite(folder_copy, ds, "a3", s, e, record_id="kgz")
    qid = ch.ids[0]
    assert set(ch.files) == {mine, anchors_path_for(mine), shared}
    # the shared file gained the one reference; the other articles' files are untouched
    assert without_reference(shared.read_text(), qid) == shared_before
    assert {p.name: p.read_bytes() for p in folder_copy.glob("a[12]*.toml")} == others
    assert authoring.target_file(folder_copy, "a3") == mine
    assert authoring.target_file(folder_copy, "a1") == folder_copy / "a1.toml"
    rep = check(folder_copy)
    assert rep.ok, [p.format() for p in rep.errors]
    assert rep.quote_status[qid] == "exact"
    for _ in range(3):
        journal.undo(folder_copy)
    assert shared.read_text() == shared_before
    assert not mine.exists() and not anchors_path_for(mine).exists()


def test_new_quote_ids_are_readable_and_unique(project_copy: Path) -> None:
    ds = load(project_copy).dataset
    qid = authoring.new_quote_id(ds, "a1", "The Collective Security Treaty Organization")
    assert qid == "q-a1-collective-security-treaty"
    taken = {q.id for q in ds.quotes}
    assert authoring.new_quote_id(ds, "a1", "2,500 of its troops entered") not in taken
    assert authoring.new_quote_id(ds, "a1", "…") == "q-a1"


def test_a_file_with_a_byte_order_mark_and_crlf_line_ends_keeps_them(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copyfile(ARTICLE, seeds / "a.txt")
    data = tmp_path / "data.toml"
    body = ('[[sources]]\r\nid = "s"\r\nfile = "seeds/a.txt"\r\n\r\n'
            '[[quotes]]\r\nid = "q1"\r\nsource = "s"\r\ntext = "Bishkek, 14 March 2023"\r\n\r\n'
            '[[states]]\r\nid = "kgz"\r\nname = "Kyrgyzstan"\r\nstatus = "observer"\r\n'
            'quotes = ["q1"]\r\n')
    data.write_bytes(b"\xef\xbb\xbf" + body.encode())
    sync(data)
    ds = load(data).dataset
    s, e = span(ds, "s", "Kyrgyzstan and Tajikistan agreed")
    ch = authoring.cite(data, ds, "s", s, e, record_id="kgz")
    raw = data.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf" + body.replace('["q1"]', f'["q1", "{ch.ids[0]}"]')
                          .encode())
    assert b"\n[[quotes]]" not in raw.replace(b"\r\n", b"")  # the new table has CRLF ends
    rep = check(data)
    assert rep.ok, [p.format() for p in rep.errors]


def test_an_id_is_taken_by_a_faulty_record_an_anchor_or_a_record_alike(project_copy: Path
                                                                       ) -> None:
    """The id check looks the id up (no set of every id built per key press): an id declared
    only by a record left out as faulty, or only by an anchor whose quote is gone, is as taken
    as a record's."""
    text = project_copy.read_text(encoding="utf-8")
    project_copy.write_text(text + '\n[[events]]\nid = "ev-faulty"\ndate = "sometime"\n',
                            encoding="utf-8")
    ds = load(project_copy).dataset
    assert ds.get("ev-faulty") is None  # left out, yet declared
    orphan = next(iter(ds.anchors))
    ds = Dataset(path=ds.path, root=ds.root, title=ds.title, sources=ds.sources,
                 quotes=tuple(q for q in ds.quotes if q.id != orphan), states=ds.states,
                 metrics=ds.metrics, events=ds.events, entities=ds.entities,
                 conflicts=ds.conflicts, uncited=ds.uncited, anchors=ds.anchors,
                 texts=ds.texts, more=dict(ds.more), files=ds.files, owners=ds.owners)
    for rid in ("ev-faulty", orphan, "kgz"):
        probs = authoring.validate_fields(ds, "event", {**EVENT, "id": rid})
        assert [p.field for p in probs if p.code == "duplicate-id"] == ["id"], rid
    assert not [p for p in authoring.validate_fields(ds, "event", {**EVENT, "id": "ev-new"})
                if p.code == "duplicate-id"]
