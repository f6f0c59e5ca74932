"""The registry of record kinds (csto_tui/records.py): a kind declared in one place, here in a
test, loads, is validated with located messages, is searchable and appears in both exports,
with no other change to the program."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from csto_tui import records
from csto_tui.checking import check
from csto_tui.cli import main
from csto_tui.records import BAND_FIELD, BAND_NAME, Field, Kind

TREATIES = '''
[[treaties]]
id = "tr-eaeu"
name = "Treaty on the Eurasian Economic Union"
parties = ["kaz", "rus", "blr"]
signed = "2014-05"
summary = "the economic union beside the alliance"
quotes = ["q-a1-kaz-headlines"]

[[treaties]]
id = "tr-broken"
name = ""
parties = ["kaz", "atlantis"]
signed = "2014-13"
quotes = ["q-a1-kaz-headlines", "q-nowhere"]
colour = "blue"
'''


@pytest.fixture
def treaty() -> Iterator[Kind]:
    """The whole declaration of a new kind of record: a class and a Kind."""
    cls = records.record_class(
        "Treaty", ("id", "name", "parties", "signed", "summary", "quotes"))
    kind = records.register(Kind(
        "treaty", "treaties", cls,
        (Field("id", required=True), Field("name", required=True),
         Field("parties", "strs", refs=("state",), dangling="filter",
               ref_message="party {value!r} is not a state"),
         Field("signed", "date"), Field("summary"),
         Field("quotes", "strs", refs=("quote",), dangling="filter")),
        needs_quote=True,
        title=lambda ds, t: t.name,
        describe=lambda ds, t: f"signed {t.signed.display()}" if t.signed else "",
        search=((BAND_NAME, 5, "name", lambda t, n: t.name),
                (BAND_FIELD, 3, "summary", lambda t, n: t.summary)),
        search_title=lambda t, n, sources: (t.name, t.summary),
        briefing="Treaties",
    ))
    yield kind
    records.unregister("treaty")


@pytest.fixture
def dataset(project_copy: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("CSTO_TUI_CACHE", raising=False)
    project_copy.write_text(project_copy.read_text(encoding="utf-8") + TREATIES,
                            encoding="utf-8")
    return project_copy


def test_a_new_kind_loads_and_is_validated_with_located_messages(
        treaty: Kind, dataset: Path) -> None:
    rep = check(dataset)
    ds = rep.dataset
    (t,) = ds.records_of("treaty")
    assert t.id == "tr-eaeu" and t.parties == ("kaz", "rus", "blr")
    assert t.signed.display() == "May 2014"
    assert ds.get("tr-eaeu") is t and "tr-eaeu" in ds.citers("q-a1-kaz-headlines")
    lines = dataset.read_text(encoding="utf-8").splitlines()
    start = lines.index('id = "tr-broken"')

    def at(prefix: str) -> int:
        return next(i for i in range(start, len(lines)) if lines[i].startswith(prefix)) + 1

    got = {(p.code, p.field, p.line, p.message) for p in rep.problems if p.record == "tr-broken"}
    assert got == {
        ("schema", "name", at("name ="), "'name' must not be empty"),
        ("schema", "signed", at("signed ="), "'2014-13': month 13 is not 1-12"),
        ("schema", "colour", at("colour ="),
         "unknown field 'colour' (allowed: id, name, parties, quotes, signed, summary)"),
    }
    assert all(p.file == str(dataset) for p in rep.problems if p.record == "tr-broken")
    assert not rep.ok


def test_references_of_a_new_kind_are_checked(treaty: Kind, dataset: Path) -> None:
    text = dataset.read_text(encoding="utf-8").replace('name = ""', 'name = "Fixed"')
    text = text.replace('signed = "2014-13"\n', "").replace('colour = "blue"\n', "")
    dataset.write_text(text, encoding="utf-8")
    rep = check(dataset)
    got = {(p.code, p.field, p.message) for p in rep.problems if p.record == "tr-broken"}
    assert got == {("unknown-ref", "parties", "party 'atlantis' is not a state"),
                   ("unknown-ref", "quotes", "quote 'q-nowhere' does not exist")}
    p = next(p for p in rep.problems if p.record == "tr-broken")
    assert p.format().startswith(f"{dataset}:{p.line}:{p.column} [unknown-ref] tr-broken.")


def test_a_new_kind_is_searchable(treaty: Kind, dataset: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    from csto_tui.loader import load
    from csto_tui.search import SearchIndex

    index = SearchIndex.build(load(dataset).dataset)
    hits = index.search("treaty on the eurasian economic union", limit=5)
    hit = next(h for h in hits if h.id == "tr-eaeu")
    assert hit.kind == "treaty" and hit.title == "Treaty on the Eurasian Economic Union"
    assert main(["search", "--data", str(dataset), "--format", "json", "eurasian"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert any(h["id"] == "tr-eaeu" and h["kind"] == "treaty" for h in doc)


def test_a_new_kind_appears_in_both_exports(treaty: Kind, dataset: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    # the dataset's broken treaty (tr-broken) is left out and said: exit 1, listed in both
    assert main(["export", "--data", str(dataset), "--format", "json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert {p["record"] for p in doc["problems"]} == {"tr-broken"}
    assert doc["treaties"] == [{
        "id": "tr-eaeu", "name": "Treaty on the Eurasian Economic Union",
        "parties": ["kaz", "rus", "blr"], "signed": {"value": "2014-05", "precision": "month"},
        "summary": "the economic union beside the alliance", "quotes": ["q-a1-kaz-headlines"],
        "sources_backing": 1}]
    assert main(["export", "--data", str(dataset), "--state", "kaz"]) == 1
    md = capsys.readouterr().out
    assert "tr-broken.name: 'name' must not be empty" in md.split("# ")[0]
    section = md.split("## Treaties", 1)[1].split("##", 1)[0]
    assert "Treaty on the Eurasian Economic Union: signed May 2014[^kaz-" in section
    n = section.split("[^kaz-", 1)[1].split("]", 1)[0]
    assert f"[^kaz-{n}]: \u201cThe Russian-led army alliance" in md


def test_a_new_kind_is_cached_apart_from_the_kinds_before_it(
        treaty: Kind, dataset: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The registry is part of the cache's key: declaring a kind never reads an entry
    written without it, and the cached load equals the uncached one."""
    from csto_tui import loader

    first = loader.load(dataset)
    calls: list[Path] = []
    monkeypatch.setattr(loader, "on_full_load", lambda p, n: calls.append(p))
    again = loader.load(dataset)
    assert calls == [] and again.dataset == first.dataset and again.problems == first.problems
    records.unregister("treaty")
    try:
        without = loader.load(dataset)
        assert calls == [dataset] and "treaty" not in dict(without.dataset.more)
        assert any(p.message == "unknown top-level key 'treaties'" for p in without.problems)
    finally:
        records.register(treaty)


def test_a_kind_must_be_declared_consistently() -> None:
    cls = records.record_class("Thing", ("id", "name"))
    with pytest.raises(ValueError, match="already registered"):
        records.register(Kind("state", "things", cls, (Field("id"),)))
    with pytest.raises(ValueError, match="already taken"):
        records.register(Kind("thing", "states", cls, (Field("id"),)))
    with pytest.raises(ValueError, match="no attribute"):
        records.register(Kind("thing", "things", cls, (Field("id"), Field("colour"))))
    with pytest.raises(ValueError, match="unknown field type"):
        records.register(Kind("thing", "things", cls, (Field("id"), Field("name", "colour"))))
    assert "thing" not in {k.name for k in records.kinds()}


def test_every_record_has_a_kind_title_and_description(project_copy: Path) -> None:
    ds = check(project_copy).dataset
    for name, recs in ds.all_records():
        for r in recs:
            assert records.kind_name(r) == name
            assert isinstance(records.title(ds, r), str) and records.title(ds, r)
            assert isinstance(records.describe(ds, r), str)
    st = ds.state("kaz")
    assert records.cited_quotes(st) == ds.quotes_of(st)
