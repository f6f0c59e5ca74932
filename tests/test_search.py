"""Tests of csto_tui.search on a small dataset built here from the model classes.

The quotes and source texts are the real seed articles (seeds/*.txt), so the spun wording
("Collective Fast Response Pressure", "Eurasian Financial Union", curly quotes) is exercised.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csto_tui.dataset import Dataset
from csto_tui.model import Entity, Event, Metric, Quote, Source, Span, State
from csto_tui.search import Hit, SearchIndex, format_hits, group_hits, normalize, tokenize
from csto_tui.values import PartialDate

ROOT = Path(__file__).resolve().parent.parent
SEED1 = ROOT / "seeds" / "000_3015bca6c6aaec53.txt"
SEED2 = ROOT / "seeds" / "001_c73d3d911059dc49.txt"


def _q(qid: str, source: str, text: str, texts: dict[str, str]) -> Quote:
    assert text in texts[source], f"{qid} is not verbatim in {source}"
    return Quote(qid, source, text)


def make_dataset() -> Dataset:
    texts = {
        "a1": SEED1.read_text(encoding="utf-8"),
        "a2": SEED2.read_text(encoding="utf-8"),
    }
    sources = (
        Source("a1", SEED1.name, "The CSTO after Kazakhstan", SEED1, PartialDate(2022, 2, 4)),
        Source("a2", SEED2.name, "CSTO and the war in Ukraine", SEED2),
    )
    quotes = (
        _q("q-a1-kaz-troops", "a1",
           "2,500 of its troops entered Kazakhstan to help in restoring order", texts),
        _q("q-a1-crrf-2009", "a1", "creating the CSTO Collective Rapid Reaction Forces in 2009",
           texts),
        _q("q-a2-crrf", "a2", "a Collective Fast Response Pressure\u2014\u201cdesigned to reply "
           "shortly to the challenges and threats to the safety of the CSTO member states\u201d",
           texts),
        _q("q-a2-remit", "a2", "accounted for greater than 26 p.c of Tajikistan\u2019s gross "
           "home product (GDP) in 2020", texts),
        _q("q-a2-eaeu", "a2", "And all CSTO members aside from Tajikistan are additionally "
           "members of the Russian-led financial bloc, the Eurasian Financial Union (EAEU).",
           texts),
        _q("q-a2-kgz-2010", "a2", "Kyrgyzstan appealed to the CSTO to assist finish ethnic "
           "clashes within the nation in June 2010", texts),
        _q("q-a1-uzb-2012", "a1", "Uzbekistan, which rejoined the CSTO in 2006 and left once "
           "more in 2012, stays the highest precedence for the Kremlin.", texts),
        _q("q-a1-left-1999", "a1", "Azerbaijan, Georgia and Uzbekistan\u2014selected to depart "
           "in 1999", texts),
        _q("q-a1-luk-2020", "a1", "Belarusian President Alexander Lukashenko did not appeal to "
           "the CSTO for assistance in 2020", texts),
        _q("q-a2-kaz-jan5", "a2", "the CSTO\u2019s intervention in Kazakhstan on January 5, "
           "2022", texts),
    )
    states = (
        State("kaz", "Kazakhstan", "member", aliases=("Kazakh",),
              role="Host of the first CSTO intervention",
              membership=(Span("member", PartialDate(1994)),), quotes=("q-a1-kaz-troops",)),
        State("tjk", "Tajikistan", "member", aliases=("Tajik",),
              role="Most dependent on remittances from Russia",
              membership=(Span("member", PartialDate(1994)),), quotes=("q-a2-remit",)),
        State("kgz", "Kyrgyzstan", "member", aliases=("Kyrgyz",),
              role="Asked for help in 2010 and was refused",
              membership=(Span("member", PartialDate(1994)),), quotes=("q-a2-kgz-2010",)),
        State("uzb", "Uzbekistan", "former-member", aliases=("Uzbek", "Uzbeks"),
              role="Left in 1999, rejoined in 2006, left again in 2012",
              membership=(Span("member", PartialDate(1994), PartialDate(1999)),
                          Span("member", PartialDate(2006), PartialDate(2012))),
              quotes=("q-a1-uzb-2012", "q-a1-left-1999")),
        State("blr", "Belarus", "member", aliases=("Belarusian",),
              role="Closest ally of Russia", membership=(Span("member", PartialDate(1994)),)),
        State("rus", "Russia", "member", aliases=("Russian", "Kremlin"),
              role="Leads the alliance", membership=(Span("member", PartialDate(1994)),)),
        State("arm", "Armenia", "member", role="Appealed for help against Azerbaijan"),
    )
    entities = (
        Entity("csto", "organization", "Collective Security Treaty Organization",
               aliases=("CSTO", "Collective Safety Treaty Group"), summary="Named in 2002"),
        Entity("crrf", "force", "Collective Rapid Reaction Force",
               aliases=("Collective Rapid Reaction Forces", "Collective Fast Response Pressure"),
               summary="Created in 2009", quotes=("q-a1-crrf-2009", "q-a2-crrf")),
        Entity("eaeu", "organization", "Eurasian Economic Union",
               aliases=("EAEU", "Eurasian Financial Union"), summary="Russian-led economic bloc",
               quotes=("q-a2-eaeu",)),
        Entity("lukashenko", "person", "Alexander Lukashenko", aliases=("Lukashenko",),
               summary="President of Belarus", quotes=("q-a1-luk-2020",)),
    )
    events = (
        Event("ev-2022-01-kaz", PartialDate(2022, 1, 5), "CSTO intervention in Kazakhstan",
              "intervened", "2,500 troops secured critical infrastructure during nationwide "
              "protests; left a week later", states=("kaz", "rus"), actors=("csto",),
              category="intervention", quotes=("q-a1-kaz-troops", "q-a2-kaz-jan5")),
        Event("ev-2010-06-kgz", PartialDate(2010, 6), "Kyrgyzstan asks for help after ethnic "
              "clashes", "declined", "The CSTO said it lacked the mandate to intervene",
              states=("kgz",), category="appeal", quotes=("q-a2-kgz-2010",)),
        Event("ev-2012-uzb", PartialDate(2012), "Uzbekistan leaves the CSTO again", "none",
              "Second withdrawal", states=("uzb",), category="institutional",
              quotes=("q-a1-uzb-2012",)),
    )
    metrics = (
        Metric("m-tjk-remit-2020", "tjk", "economic", "Remittances from Russia", value=26,
               unit="% of GDP", year=2020, qualifier="more than", counterpart="rus",
               quotes=("q-a2-remit",)),
        Metric("m-kgz-remit-2020", "kgz", "economic", "Remittances from Russia", value=31,
               unit="% of GDP", year=2020, qualifier="roughly", counterpart="rus"),
        Metric("m-tjk-eaeu", "tjk", "bloc", "Eurasian Economic Union membership",
               present=False, counterpart="eaeu",
               detail="The only CSTO member outside the EAEU", quotes=("q-a2-eaeu",)),
    )
    return Dataset(
        path=ROOT / "data" / "test.toml", root=ROOT, title="test", sources=sources,
        quotes=quotes, states=states, metrics=metrics, events=events, entities=entities,
        texts=texts,
    )


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return make_dataset()


@pytest.fixture(scope="module")
def index(ds: Dataset) -> SearchIndex:
    return SearchIndex.build(ds)


def ids(hits: list[Hit], kind: str | None = None) -> list[str]:
    return [h.id for h in hits if kind is None or h.kind == kind]


def first(hits: list[Hit], kind: str) -> Hit:
    return next(h for h in hits if h.kind == kind)


# ---- normalization ------------------------------------------------------------------------


def test_normalize() -> None:
    assert normalize("  Kazakhstan\u2019s  \u201cBIG\u201d\n\tday \u2014 ok ") == \
        "kazakhstan's \"big\" day - ok"
    assert normalize("Dušanbe Ærø Straße") == "dusanbe aero strasse"
    assert normalize("Nur\u2011Sultan\u2013Astana") == "nur-sultan-astana"


def test_tokenize_offsets_numbers_and_clitics() -> None:
    text = "In 2020, 2,500 troops entered Kazakhstan\u2019s capital; 26.5 p.c"
    toks = tokenize(text)
    words = [t[0] for t in toks]
    assert words == ["in", "2020", "2500", "troops", "entered", "kazakhstan", "capital",
                     "26.5", "p", "c"]
    for norm, s, e in toks:
        assert normalize(text[s:e]).replace(",", "") == norm


# ---- the module stays plain --------------------------------------------------------------


def test_no_textual_import() -> None:
    import csto_tui.search as pkg

    files = sorted(Path(pkg.__file__).parent.glob("*.py"))
    assert len(files) >= 6  # a package by concern
    for f in files:
        src = f.read_text(encoding="utf-8")
        assert "import textual" not in src and "from textual" not in src, f
        assert "from rich" not in src and "import rich" not in src, f


def test_one_control_character_rule_and_one_quote_span_rule() -> None:
    """search uses textsafe and quote_span, the renderer's rules: no copies (quote_span is
    in located.py, anchoring's without its machinery)."""
    import csto_tui.search as pkg
    from csto_tui import anchoring, located
    from csto_tui.search import index

    src = "".join(f.read_text(encoding="utf-8")
                  for f in Path(pkg.__file__).parent.glob("*.py"))
    assert "def visible" not in src and "def _quote_span" not in src and ".translate(ALL" \
        not in src
    assert "from ..located import quote_span" in src and "from ..textsafe import" in src
    assert index.quote_span is located.quote_span is anchoring.quote_span


# ---- ranking ------------------------------------------------------------------------------


def test_every_kind_is_searched(index: SearchIndex) -> None:
    kinds = {h.kind for h in index.search("kazakhstan", limit=200)}
    assert {"state", "event", "quote", "text"} <= kinds
    assert {h.kind for h in index.search("remittances", limit=200)} >= {"metric", "state",
                                                                          "text"}
    assert "entity" in {h.kind for h in index.search("eurasian", limit=200)}


def test_exact_name_first_then_alias_quote_then_text(index: SearchIndex) -> None:
    hits = index.search("Collective Rapid Reaction Force", limit=100)
    assert hits[0].kind == "entity" and hits[0].id == "crrf"
    kinds = [h.kind for h in hits]
    # the quote that only says "Collective Fast Response Pressure" is found, before free text
    assert "q-a2-crrf" in ids(hits, "quote")
    assert kinds.index("quote") < kinds.index("text")
    # records holding every word come before the passages; records holding only some of the
    # words (partial matches) after them
    full = [i for i, h in enumerate(hits) if h.kind != "text" and h.score >= 100]
    assert max(full) < kinds.index("text")
    assert all(h.score < 100 for h in hits[kinds.index("text"):] if h.kind != "text")
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)


def test_exact_state_name_before_prefix_and_fields(index: SearchIndex) -> None:
    hits = index.search("Kazakhstan")
    assert (hits[0].kind, hits[0].id) == ("state", "kaz")
    # the event titled "... in Kazakhstan" comes after the name, before quotes
    kinds = [h.kind for h in hits]
    assert kinds.index("event") < kinds.index("quote") < kinds.index("text")
    assert hits[0].score > hits[1].score


def test_alias_exact_match(index: SearchIndex) -> None:
    hits = index.search("CSTO")
    assert (hits[0].kind, hits[0].id) == ("entity", "csto")
    hits = index.search("Uzbeks")
    assert (hits[0].kind, hits[0].id) == ("state", "uzb")
    assert "aka Uzbeks" in hits[0].context


def test_within_kind_order_is_kept_in_groups(index: SearchIndex) -> None:
    hits = index.search("kaz", limit=100)
    for kind in {h.kind for h in hits}:
        group = [h.score for h in hits if h.kind == kind]
        assert group == sorted(group, reverse=True)


def test_one_ranked_list_across_kinds(index: SearchIndex) -> None:
    """One list, best first, whatever the kind; grouping is a view of it."""
    hits = index.search("csto", limit=100)
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert len({h.kind for h in hits[:10]}) > 1
    grouped = group_hits(hits)
    assert sorted(grouped, key=hits.index) == hits  # the same hits
    kinds = list(dict.fromkeys(h.kind for h in grouped))
    assert kinds == list(dict.fromkeys(h.kind for h in hits))  # kinds where their best ranks
    for kind in kinds:
        assert [h for h in grouped if h.kind == kind] == [h for h in hits if h.kind == kind]


# ---- aliases and paraphrase ---------------------------------------------------------------


def test_rapid_reaction_finds_entity_and_spun_passage(index: SearchIndex, ds: Dataset) -> None:
    hits = index.search("rapid reaction", limit=100)
    assert hits[0].kind == "entity" and hits[0].id == "crrf"
    texts = [h for h in hits if h.kind == "text"]
    spun = [h for h in texts if h.source == "a2"]
    assert spun, "the a2 passage saying 'Collective Fast Response Pressure' is found"
    h = spun[0]
    assert h.start is not None and h.end is not None
    assert normalize(ds.texts["a2"][h.start:h.end]) == "collective fast response pressure"
    assert "Fast Response Pressure" in h.context
    assert any(h.source == "a1" for h in texts)  # and the literal "Rapid Reaction Forces"
    assert "q-a2-crrf" in ids(hits, "quote")


def test_spun_name_finds_canonical(index: SearchIndex) -> None:
    hits = index.search("collective fast response pressure", limit=100)
    assert hits[0].id == "crrf"
    assert "q-a1-crrf-2009" in ids(hits, "quote")  # says "Rapid Reaction Forces"
    assert any(h.source == "a1" for h in hits if h.kind == "text")


def test_eurasian_economic_union_finds_financial_union(index: SearchIndex, ds: Dataset) -> None:
    hits = index.search("Eurasian Economic Union", limit=100)
    assert (hits[0].kind, hits[0].id) == ("entity", "eaeu")
    assert "m-tjk-eaeu" in ids(hits, "metric")
    assert "q-a2-eaeu" in ids(hits, "quote")
    text = [h for h in hits if h.kind == "text"]
    assert any(
        normalize(ds.texts[h.source][h.start:h.end]) == "eurasian financial union"  # type: ignore[misc]
        for h in text
    )
    back = index.search("eurasian financial union", limit=100)
    assert back[0].id == "eaeu" and "m-tjk-eaeu" in ids(back, "metric")


# ---- typos --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typo", "kind", "rid"),
    [
        ("Kazakstan", "state", "kaz"),
        ("Tadjikistan", "state", "tjk"),
        ("Kyrgyztan", "state", "kgz"),
        ("Uzbekstan", "state", "uzb"),
        ("Lukashenka", "entity", "lukashenko"),
        ("Kazakhstna", "state", "kaz"),  # transposition
        ("Uzbekistam ", "state", "uzb"),  # not a prefix (ends with a space)
    ],
)
def test_typos(index: SearchIndex, typo: str, kind: str, rid: str) -> None:
    hits = index.search(typo)
    assert hits, typo
    assert (hits[0].kind, hits[0].id) == (kind, rid)
    # the typo also reaches the quotes and the text
    assert any(h.kind in ("quote", "text") for h in index.search(typo, limit=200))


def test_short_words_are_not_fuzzed(index: SearchIndex) -> None:
    assert not [h for h in index.search("uzb ") if h.kind == "state"]
    assert index.search("zzzzzz") == []


def test_typo_while_typing(index: SearchIndex) -> None:
    hits = index.search("Tadjik")
    assert "tjk" in ids(hits, "state")


# ---- years, figures -----------------------------------------------------------------------


def test_year_alone(index: SearchIndex) -> None:
    hits = index.search("2010", limit=100)
    assert "ev-2010-06-kgz" in ids(hits, "event")
    assert "q-a2-kgz-2010" in ids(hits, "quote")
    assert "kgz" in ids(hits, "state")  # role: "Asked for help in 2010"
    hits = index.search("2012", limit=100)
    assert "uzb" in ids(hits, "state") and "ev-2012-uzb" in ids(hits, "event")
    hits = index.search("1999", limit=100)
    assert "uzb" in ids(hits, "state")  # membership span end
    hits = index.search("2020", limit=100)
    assert {"m-tjk-remit-2020", "m-kgz-remit-2020"} <= set(ids(hits, "metric"))


def test_figure_alone(index: SearchIndex) -> None:
    hits = index.search("26", limit=100)
    assert ids(hits, "metric")[0] == "m-tjk-remit-2020"
    assert "q-a2-remit" in ids(hits, "quote")
    assert "m-kgz-remit-2020" not in ids(hits, "metric")
    hits = index.search("2,500", limit=100)
    assert "ev-2022-01-kaz" in ids(hits, "event")
    assert "q-a1-kaz-troops" in ids(hits, "quote")
    assert ids(index.search("2500", limit=100), "quote") == ids(hits, "quote")


# ---- incremental --------------------------------------------------------------------------


def test_prefix_incremental(index: SearchIndex) -> None:
    assert ids(index.search("Kaz"), "state")[0] == "kaz"
    assert index.search("Kaz")[0].id == "kaz"
    hits = index.search("remit", limit=100)
    assert {"m-tjk-remit-2020", "m-kgz-remit-2020"} <= set(ids(hits, "metric"))
    assert any(h.kind == "text" for h in index.search("remit", limit=100))
    word = "kazakhstan"
    for i in range(3, len(word) + 1):
        assert index.search(word[:i])[0].id == "kaz", word[:i]
    # the words before the last one are whole words
    hits = index.search("uzbekistan left", limit=100)
    assert "uzb" in ids(hits, "state")
    assert "q-a1-uzb-2012" in ids(hits, "quote")
    assert "ev-2012-uzb" in ids(index.search("uzbekistan lea"), "event")


def test_prefix_only_for_last_word(index: SearchIndex) -> None:
    # "kaz" is not a word of its own: only "troops" matches, a partial match
    hits = index.search("kaz troops")
    assert hits and all(h.score < 100 for h in hits)
    assert all("troops" in normalize(h.title + " " + h.context) for h in hits[:3])
    assert index.search("troops kaz")[0].score >= 100  # the last word is a prefix


# ---- insensitivity ------------------------------------------------------------------------


def test_case_diacritics_quotes_insensitive(index: SearchIndex) -> None:
    base = [(h.kind, h.id, h.start) for h in index.search("kazakhstan's", limit=100)]
    for variant in ("KAZAKHSTAN\u2019S", "Kázakhstan's", "kazakhstan\u2019s",
                    "  kazakhstan\u2019s"):
        assert [(h.kind, h.id, h.start) for h in index.search(variant, limit=100)] == base
    hits = index.search("\u201chelped stabilize\u201d", limit=100)
    assert any(h.kind == "text" and h.source == "a1" for h in hits)
    assert index.search("tajik-kyrgyz", limit=100)


# ---- document hits ------------------------------------------------------------------------


def test_text_hits_offsets_and_context(index: SearchIndex, ds: Dataset) -> None:
    hits = [h for h in index.search("nagorno karabakh", limit=100) if h.kind == "text"]
    assert len(hits) == 2
    for h in hits:
        assert h.start is not None and h.end is not None
        assert normalize(ds.texts[h.source][h.start:h.end]) == "nagorno-karabakh"
        assert "\n" not in h.context and len(h.context) <= 2 * 40 + 40
        for s, e in h.highlights:
            assert normalize(h.context[s:e]) in ("nagorno", "karabakh")
    for h in index.search("lukashenko", limit=100):
        if h.kind == "text":
            assert ds.texts[h.source][h.start:h.end] == "Lukashenko"


def test_quote_hits_locate_the_quote(index: SearchIndex, ds: Dataset) -> None:
    for h in index.search("troops", limit=100):
        if h.kind == "quote":
            q = ds.quote(h.id)
            assert q is not None and h.source == q.source
            assert ds.texts[h.source][h.start:h.end] == q.text


def test_highlights_mark_matched_words(index: SearchIndex) -> None:
    for q in ("kaz", "rapid reaction", "2010", "Kazakstan"):
        for h in index.search(q, limit=100):
            assert h.highlights or h.title_highlights, (q, h)
            for s, e in h.highlights:
                assert 0 <= s < e <= len(h.context)
            for s, e in h.title_highlights:
                assert 0 <= s < e <= len(h.title)
    h = index.search("Kaz")[0]
    assert h.title_highlights == ((0, 10),)


# ---- output -------------------------------------------------------------------------------


def test_format_text_ranks_groups_on_request_and_escapes_controls() -> None:
    hits = [
        Hit("state", "kaz", "Kaza\x1b[31mkhstan", "member\nrole\x07", 600.0, ((0, 6),)),
        Hit("quote", "q1", "a quote \x9b1m", "ctx \u202egnp", 200.0),
        Hit("state", "tjk", "Tajikistan", "member", 190.0),
        Hit("text", "a1", "Source", "…context…", 100.0, source="a1", start=3, end=9),
    ]
    out = format_hits(hits)
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out and "\u202e" not in out
    assert "^[[31m" in out and "^G" in out and "\\x9b" in out and "\\u202e" in out
    lines = out.splitlines()
    assert [line.split()[:3] for line in lines] == [
        ["1.", "state", "kaz"], ["2.", "quote", "q1"], ["3.", "state", "tjk"],
        ["4.", "article", "a1@3-9"]]
    assert all(line.isprintable() for line in lines)
    grouped = format_hits(hits, group=True).splitlines()
    assert grouped[0] == "state (2)" and grouped[1].split()[:3] == ["1.", "state", "kaz"]
    assert grouped[2].split()[:3] == ["3.", "state", "tjk"] and grouped[3] == "quote (1)"


def test_format_json_parses(index: SearchIndex) -> None:
    hits = index.search("rapid reaction", limit=20)
    data = json.loads(format_hits(hits, "json"))
    assert isinstance(data, list) and len(data) == len(hits)
    assert data[0]["kind"] == "entity" and data[0]["id"] == "crrf"
    assert set(data[0]) == {"rank", "kind", "id", "title", "context", "score", "highlights",
                            "source", "start", "end", "title_highlights"}
    assert [d["rank"] for d in data] == list(range(1, len(hits) + 1))
    weird = [Hit("text", "a1", "t\x1b\x9b\u202e", "c\x00", 1.0)]
    raw = format_hits(weird, "json")
    assert "\x1b" not in raw and "\x9b" not in raw and "\u202e" not in raw
    assert json.loads(raw)[0]["title"] == "t\x1b\x9b\u202e"
    with pytest.raises(ValueError):
        format_hits(hits, "xml")


def test_empty_and_odd_queries(index: SearchIndex) -> None:
    assert index.search("") == []
    assert index.search("   ") == []
    assert index.search("\u2014 \u201c") == []
    assert index.search("kazakhstan", limit=0) == []
    assert len(index.search("the", limit=5)) == 5


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=30) | st.sampled_from(["kaz", "Tadj", "2,5", "rapid r", "\u201c", "’s"])
       | st.text(alphabet="kazhstnuibe ’\u0301-", max_size=14))
def test_any_query_is_safe(index: SearchIndex, ds: Dataset, query: str) -> None:
    hits = index.search(query, limit=30)
    assert len(hits) <= 30
    for h in hits:
        assert h.kind in ("state", "entity", "event", "metric", "quote", "text")
        for s, e in h.highlights:
            assert 0 <= s < e <= len(h.context)
        for s, e in h.title_highlights:
            assert 0 <= s < e <= len(h.title)
        if h.kind in ("quote", "text"):
            assert h.start is not None and h.end is not None
            assert 0 <= h.start < h.end <= len(ds.texts[h.source])
    format_hits(hits)
    json.loads(format_hits(hits, "json"))


def test_long_query_is_cut(index: SearchIndex) -> None:
    assert isinstance(index.search(SEED1.read_text(encoding="utf-8")), list)


def test_empty_dataset() -> None:
    empty = Dataset(path=ROOT / "x.toml", root=ROOT, title="", sources=(), quotes=(), states=(),
                    metrics=(), events=())
    idx = SearchIndex.build(empty)
    assert idx.search("anything") == []


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))


# ---- the shipped dataset ------------------------------------------------------------------


@pytest.fixture(scope="module")
def real() -> tuple[Dataset, SearchIndex]:
    from csto_tui.loader import load

    res = load(ROOT / "data" / "csto.toml")
    data = res.dataset
    return data, SearchIndex.build(data)


def test_real_exact_names_and_typos(real: tuple[Dataset, SearchIndex]) -> None:
    data, idx = real
    for state in data.states:
        assert (idx.search(state.name)[0].kind, idx.search(state.name)[0].id) == \
            ("state", state.id), state.name
    for q, rid in [("Kazakstan", "kaz"), ("Tadjikistan", "tjk"), ("Kyrgyztan", "kgz"),
                   ("Uzbekstan", "uzb"), ("Kaz", "kaz"), ("Lukashenka", "lukashenko")]:
        assert idx.search(q)[0].id == rid, q


def test_real_aliases_reach_spun_text(real: tuple[Dataset, SearchIndex]) -> None:
    data, idx = real
    for query, top, spun in [
        ("rapid reaction", "crrf", "collective fast response pressure"),
        ("Eurasian Economic Union", "eaeu", "eurasian financial union"),
        ("Collective Security Treaty Organization", "csto", "collective safety treaty group"),
    ]:
        hits = idx.search(query, limit=300)
        assert hits[0].id == top, query
        found = {normalize(data.texts[h.source][h.start:h.end])  # type: ignore[misc]
                 for h in hits if h.kind == "text"}
        assert spun in found, query


def test_real_years_and_figures(real: tuple[Dataset, SearchIndex]) -> None:
    data, idx = real
    for year in (1994, 2010, 2020):
        hits = idx.search(str(year), limit=500)
        got = set(ids(hits, "event"))
        assert {e.id for e in data.events if e.date.year == year} <= got, year
        assert {m.id for m in data.metrics if m.year == year} <= set(ids(hits, "metric"))
    for m in data.metrics:
        if m.value is not None and float(m.value).is_integer():
            assert m.id in ids(idx.search(str(int(m.value)), limit=500), "metric"), m.id


def test_real_offsets(real: tuple[Dataset, SearchIndex]) -> None:
    data, idx = real
    for q in ("kazakhstan", "csto", "remittances", "2,500", "rapid reaction"):
        for h in idx.search(q, limit=300):
            if h.kind == "quote":
                quote = data.quote(h.id)
                assert quote is not None
                assert data.texts[h.source][h.start:h.end] == quote.text
            elif h.kind == "text":
                assert h.start is not None and h.end is not None
                assert normalize(data.texts[h.source][h.start:h.end])
    assert json.loads(format_hits(idx.search("csto", limit=300), "json"))


def test_stepwise_build_yields_often_and_equals_the_one_shot_build() -> None:
    """The dashboard builds the index in slices between key presses (build_steps); the result
    must be the same index as build()."""
    from csto_tui.loader import load

    ds = load().dataset
    steps = SearchIndex.build_steps(ds, every=16)
    n = 0
    while True:
        try:
            next(steps)
            n += 1
        except StopIteration as done:
            stepped = done.value
            break
    assert n >= len(ds.quotes) // 16  # it really hands control back, again and again
    whole = SearchIndex.build(ds)
    for q in ("Kazakstan", "rapid reaction", "2010", "26", "refrainedfrom"):
        assert [(h.kind, h.id, h.score) for h in stepped.search(q)] == \
               [(h.kind, h.id, h.score) for h in whole.search(q)]


# ---- the compact index: what it derives again must be what was indexed ----------------------

_TEXT_ALPHABET = st.sampled_from(
    list("ab zé\u0301K9_,.'\u2019\u2018\u02bc`\u00b4-\n\t") + ["2,500", "26.5", "s", "ll", " "])


@given(st.lists(_TEXT_ALPHABET, max_size=60).map("".join))
@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
def test_scanner_finds_the_tokens_of_tokenize(text: str) -> None:
    """The index scans with findall() (the apostrophe before a token kept in the match), in
    pieces cut at whitespace, and finds its offsets again with finditer(): all must agree
    with tokenize()."""
    from csto_tui.search.text import SCAN_RE as _SCAN_RE
    from csto_tui.search.text import SPACE_RE as _SPACE_RE
    from csto_tui.search.text import scan_word as _scan_word

    want = tokenize(text)
    got = []
    for m in _SCAN_RE.finditer(text):
        norm, pre = _scan_word(m.group())
        if norm:
            got.append((norm, m.start() + pre, m.end()))
    assert got == want
    # in pieces, cut at whitespace
    words: list[str] = []
    pos = 0
    while pos < len(text):
        m = _SPACE_RE.search(text, pos + 3)
        end = m.start() if m else len(text)
        words += [w for w in (_scan_word(r)[0] for r in _SCAN_RE.findall(text, pos, end)) if w]
        pos = end
    assert words == [w for w, _s, _e in want]


def test_text_offsets_are_found_again_for_every_token(index: SearchIndex, ds: Dataset) -> None:
    """Token offsets are not stored: each is found by scanning from a checkpoint."""
    g = 0
    for d, sid in enumerate(index.doc_ids):
        assert index.doc_start[d] == g
        toks = tokenize(ds.texts[sid])
        for k, (_norm, s, e) in enumerate(toks):
            assert index.words[index.tok_word[g + k]] == _norm
            assert index.tok_span(g + k, g + k) == (s, e)
        assert index.tok_span(g, g + len(toks) - 1) == (toks[0][1], toks[-1][2])
        g += len(toks)
    assert len(index.tok_word) == g


def test_postings_list_each_unit_once_best_first(index: SearchIndex) -> None:
    """Each word's units, per band: every unit holding it once, best (prior) first, then in
    unit order; the text positions of each word in order."""
    from csto_tui.search.index import _prior

    def prior(u: int) -> int:
        return _prior(index.unit_band[u], index.unit_weight[u], index.ulen(u))

    for band in range(3):
        seen: dict[int, list[int]] = {}
        for u in range(len(index.unit_rec)):
            if index.unit_band[u] == band:
                for w in sorted(set(index.toks(u))):
                    seen.setdefault(w, []).append(u)
        for w in range(len(index.words)):
            want = sorted(seen.get(w, []), key=lambda u: (prior(u), u))
            assert list(index.upost(band, w)) == want
    positions: dict[int, list[int]] = {}
    for g, w in enumerate(index.tok_word):
        positions.setdefault(w, []).append(g)
    for w in range(len(index.words)):
        assert list(index.tpost_of(w)) == positions.get(w, [])


@given(st.text("abc", min_size=1, max_size=6), st.text("abc", max_size=7))
@settings(max_examples=300, deadline=None)
def test_is_del1_is_deletion_membership(word: str, d: str) -> None:
    from csto_tui.search.typos import deletes as _deletes
    from csto_tui.search.typos import is_del1 as _is_del1

    if len(word) >= 2:
        assert _is_del1(word, d) == (d in _deletes(word, 1))


@given(st.lists(st.integers(0, 3), max_size=12), st.lists(st.integers(0, 3), min_size=1,
                                                          max_size=3))
@settings(max_examples=300, deadline=None)
def test_find_phrase(toks: list[int], phrase: list[int]) -> None:
    from csto_tui.search.ranking import _find

    k = len(phrase)
    assert _find(toks, phrase) == any(toks[i:i + k] == phrase
                                      for i in range(len(toks) - k + 1))


def test_field_hits_show_the_field_they_matched(index: SearchIndex) -> None:
    """Field texts are derived again from the record for the hit: label and text must be
    those of the unit that matched (units without words are skipped at build and at hit)."""
    hit = first(index.search("ethnic clashes", limit=50), "event")
    assert hit.id == "ev-2010-06-kgz"
    for r in range(len(index.rec_obj)):
        for u in index.units(r):
            band, weight, _label, text, main = index.unit(r, u)
            assert (band, weight, main) == (index.unit_band[u], index.unit_weight[u],
                                            index.unit_main[u])
            assert [index.words[w] for w in index.toks(u)] == [t[0] for t in tokenize(text)]


def test_wide_vocabulary_switches_to_32_bit_word_ids() -> None:
    """Word ids fit 16 bits up to 65,536 words; beyond, the columns widen on the fly."""
    vocab = [f"w{i}x" for i in range(70_000)]
    text = " ".join(vocab) + " Zanzibarian tail"
    src = Source("big", "big.txt", "Big", ROOT / "big.txt")
    data = Dataset(path=ROOT / "data" / "big.toml", root=ROOT, title="big", sources=(src,),
                   quotes=(Quote("q-tail", "big", "Zanzibarian tail"),), states=(),
                   metrics=(), events=(), entities=(Entity("z", "place", "w69999x Zanzibar"),),
                   texts={"big": text})
    idx = SearchIndex.build(data)
    assert len(idx.words) > 0x10000
    assert idx.tok_word.typecode == "I" and idx.unit_tok.typecode == "H"
    # wide already while the records are indexed
    wide = data.replace(entities=(
        Entity("y", "place", "Yonder", summary=" ".join(vocab[::-1])), *data.entities))
    idy = SearchIndex.build(wide)
    assert idy.unit_tok.typecode == "I"
    hit = first(idy.search("w3x"), "entity")
    assert hit.id == "y" and hit.context.startswith("summary: ")
    hits = idx.search("w69999x zanzibar", limit=10)
    assert hits[0].kind == "entity"
    hits = idx.search("zanzibarian tail")
    assert ("quote", "q-tail") in [(h.kind, h.id) for h in hits]
    t = first(hits, "text")
    assert text[t.start:t.end] == "Zanzibarian tail"
    t = first(idx.search("w69998x"), "text")
    assert text[t.start:t.end] == "w69998x"


def test_fields_without_words_are_skipped_alike_at_build_and_hit(ds: Dataset) -> None:
    odd = ds.states[0].replace(aliases=("\u2014", "Qazaqstan", "?!"), role="\u2026")
    data = ds.replace(states=(odd, *ds.states[1:]))
    idx = SearchIndex.build(data)
    r = idx.rec_obj.index(odd)
    assert [idx.unit(r, u)[3] for u in idx.units(r)][:2] == ["Kazakhstan", "Qazaqstan"]
    for u in idx.units(r):
        assert [idx.words[w] for w in idx.toks(u)] == [t[0] for t in tokenize(idx.unit(r, u)[3])]
    hit = idx.search("qazaqstan")[0]
    assert (hit.kind, hit.id) == ("state", odd.id) and hit.context.startswith("aka Qazaqstan")


def test_nbytes_counts_the_index_columns(index: SearchIndex) -> None:
    n = index.nbytes()
    assert n > len(index.tok_word) * index.tok_word.itemsize + len(index.tpost) * 2
    assert SearchIndex().nbytes() < n


def test_one_or_two_letters_still_put_names_first(real: tuple[Dataset, SearchIndex]) -> None:
    """Short queries look at fewer name candidates (a few hundred, not 2,000): the first hits
    are still the states and entities whose names start with the letters."""
    data, idx = real
    for q in ("k", "ka", "ru", "b", "ta"):
        hits = idx.search(q, limit=50)
        names = [h for h in hits if h.kind in ("state", "entity")]
        assert names and hits[0].kind in ("state", "entity"), q
        starts = {s.id for s in data.states if any(w.lower().startswith(q) for w in
                                                   s.name.split())}
        assert starts <= {h.id for h in names}, (q, starts - {h.id for h in names})


# ---- partial matches, question words ------------------------------------------------------


def test_question_words_need_not_match(index: SearchIndex) -> None:
    plain = [(h.kind, h.id) for h in index.search("troops kazakhstan", limit=20)]
    asked = [(h.kind, h.id) for h in index.search("how many troops in kazakhstan", limit=20)]
    assert asked == plain and plain[0] == ("event", "ev-2022-01-kaz")
    assert index.search("the", limit=5)  # a query of nothing else still searches for them


def test_partial_matches_rank_by_how_much_matches(index: SearchIndex) -> None:
    """No record holds every word: records holding more of the query's weight come first,
    instead of nothing."""
    hits = index.search("kazakhstan troops zzyzxq", limit=50)
    assert hits and all(h.score < 100 for h in hits)
    assert hits[0].id == "ev-2022-01-kaz"  # holds both known words
    by_id = {h.id: h.score for h in hits}
    assert by_id["ev-2022-01-kaz"] > by_id["kaz"]  # "Kazakhstan" alone holds less
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    # a rare word weighs more than a common one
    rare_first = index.search("remittances csto zzyzxq", limit=50)
    assert rare_first[0].id in ("m-tjk-remit-2020", "m-kgz-remit-2020", "q-a2-remit")
    assert index.search("zzyzxq qqxzzy") == []


def test_full_matches_always_before_partial_ones(index: SearchIndex) -> None:
    hits = index.search("kazakhstan troops", limit=100)
    full = [h.score >= 100 for h in hits]
    assert full == sorted(full, reverse=True) and full[0]


# ---- names as people type them ------------------------------------------------------------


@pytest.mark.parametrize(("query", "rid"), [
    ("Kirgizia", "kgz"), ("Kirghizia", "kgz"), ("Tadzhikistan", "tjk"),
    ("Byelorussia", "blr"), ("Qazaqstan", "kaz"), ("Kazakstan", "kaz"),
    ("ODKB", "csto"), ("Kyrgyz Republic", "kgz"),
])
def test_older_and_local_names_find_their_record(index: SearchIndex, query: str,
                                                 rid: str) -> None:
    hits = index.search(query)
    assert hits[0].id == rid, query
    assert hits[0].score >= 600  # as good as the name itself


def test_name_variants_are_data_for_any_dataset() -> None:
    """The variants table is keyed by canonical names, not by this dataset's ids: a dataset
    naming a state Moldova finds it by Moldavia; a record no key names gets none."""
    from csto_tui.search.names import NAME_VARIANTS, variants_of

    assert "Moldavia" in NAME_VARIANTS["Moldova"]
    assert variants_of(("Moldova",)) == NAME_VARIANTS["Moldova"]
    assert variants_of(("Kazakhstan", "Kazakh")) == tuple(
        v for v in NAME_VARIANTS["Kazakhstan"] if v != "Kazakh")
    assert variants_of(("Atlantis",)) == ()
    src = Source("a", "a.txt", "A", ROOT / "a.txt")
    data = Dataset(path=ROOT / "d.toml", root=ROOT, title="", sources=(src,), quotes=(),
                   states=(State("mda", "Moldova", "observer"),
                           State("atl", "Atlantis", "observer")),
                   metrics=(), events=(), texts={"a": "Nothing on Moldavia here."})
    idx = SearchIndex.build(data)
    hit = idx.search("moldavia")[0]
    assert (hit.kind, hit.id) == ("state", "mda") and "aka Moldavia" in hit.context
    assert [h.kind for h in idx.search("moldova", limit=10)] == ["state", "text"]


def test_a_declared_kind_is_searchable(ds: Dataset) -> None:
    """Search knows kinds by their declaration (records.SearchKind), not by class: a new
    kind declared once is indexed, ranked and shown."""
    from csto_tui.search import SEARCH_KINDS, SearchKind
    from csto_tui.search.records import BAND_FIELD, BAND_NAME

    treaties = [Entity("tashkent", "treaty", "Tashkent Accord", summary="Signed in 1992")]
    kind = SearchKind(
        "treaty", lambda d: treaties,
        lambda t, names: [(BAND_NAME, 5, "name", t.name, True),
                          (BAND_FIELD, 3, "summary", t.summary, False)],
        lambda t, names, sources: (t.name, t.summary), named=True)
    idx = SearchIndex.build(ds, kinds=(*SEARCH_KINDS, kind))
    hit = idx.search("tashkent accord")[0]
    assert (hit.kind, hit.id, hit.title) == ("treaty", "tashkent", "Tashkent Accord")
    assert "tashkent" in [h.id for h in idx.search("signed 1992", limit=50)]


def test_inflections_meet() -> None:
    from csto_tui.search.text import stem

    for group in (("vote", "votes", "voted", "voting"), ("refuse", "refused", "refuses"),
                  ("country", "countries"), ("protest", "protests", "protested")):
        assert len({stem(w) for w in group}) == 1, group
    assert stem("csto") == "csto" and stem("2010") == "2010"


def test_another_inflection_of_a_word_matches_below_the_word(index: SearchIndex) -> None:
    hits = index.search("kyrgyzstan appeals ", limit=20)  # the event says "asks for help"
    assert hits and hits[0].score >= 100  # "appealed" in the quote: a full match
    assert any(h.id == "q-a2-kgz-2010" for h in hits)
    exact = index.search("appealed ", limit=5)[0].score
    inflected = index.search("appeals ", limit=5)[0].score
    assert exact > inflected


def test_records_matched_by_the_same_words_make_room_for_others(ds: Dataset) -> None:
    """Five states' identical figure do not fill the top: each repeat is a little lower."""
    same = [m.replace(id=f"m-{s}-veto", state=s, measure="Veto on new foreign bases",
                      quotes=()) for s, m in zip(("kaz", "kgz", "tjk", "uzb"),
                                                 [ds.metrics[0]] * 4, strict=True)]
    ev = ds.events[0].replace(id="ev-veto", title="Members gain a veto on new foreign bases",
                              quotes=())
    idx = SearchIndex.build(ds.replace(metrics=(*ds.metrics, *same),
                                       events=(*ds.events, ev)))
    top = [h.id for h in idx.search("veto foreign bases", limit=5)]
    assert "ev-veto" in top[:2]


_MARK_TEXT = st.lists(st.sampled_from(
    ["ka", "Kaz", "KAZAKH", "s", "ll", "ab", "2,500", "26.5", "20s", "_", " ", "'", "\u2019",
     "\u2014", "-", ".", ",", "\u00e9", "b", "\n", "re", "Ready", "`", "ve", "1", "0", "c0",
     "S"]), max_size=25).map("".join)


@given(_MARK_TEXT, st.sets(st.sampled_from(["ka", "kaz", "kazakh", "ab", "b", "s", "2500",
                                            "26.5", "re", "c0", "20s", "1", "2,5"]),
                           max_size=3),
       st.sets(st.sampled_from(["k", "ka", "a", "ll", "r", "l", "v", "2", "25", "1", "c",
                                "26."]), max_size=2))
@settings(max_examples=600, deadline=None)
def test_marker_regex_marks_what_tokenize_would(text: str, exact: set[str],
                                                prefixes: set[str]) -> None:
    """Highlights are found by str.find when the text is plain and the query's words begin
    with a letter: the same ranges as tokenizing the text and testing each word (numbers,
    which are tokenized, a clitic after an apostrophe as in "they're" for the prefix "r",
    words with digits)."""
    from csto_tui.search.hits import Marker

    m = Marker(set(exact), tuple(sorted(prefixes)))
    slow = tuple((s, e) for norm, s, e in tokenize(text) if m(norm))
    assert m.marks(text) == slow


def test_a_clitic_is_not_marked_by_a_prefix() -> None:
    """"they're": tokenize() drops the clitic "re", so typing "r" marks "ready" alone."""
    from csto_tui.search.hits import Marker

    assert Marker(set(), ("r",)).marks("they're ready") == ((8, 13),)
    assert Marker({"2500"}, ("l",)).marks("2,500 they`ll leave") == ((0, 5), (14, 19))


def test_hits_are_the_same_whatever_the_index_kept_of_records_shown(
        ds: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    """The titles and fields of records a hit showed, and the character spans of the passages,
    are kept by the index (a query typed key by key shows the same records and passages
    again): hits come out the same when nothing was kept, when everything was, and when the
    memo overflows and starts again (it never holds more than SHOWN of each)."""
    from csto_tui.search import index as index_module

    queries = [q[:i] for q in ("kazakhstan troops", "rapid reaction", "2010", "kirgizia",
                               "csto intervention") for i in range(1, len(q) + 1)]
    fresh = [[SearchIndex.build(ds).search(q, limit=30)] for q in queries[:6]]
    kept = SearchIndex.build(ds)
    assert [[kept.search(q, limit=30)] for q in queries[:6]] == fresh
    first = [kept.search(q, limit=30) for q in queries]
    assert [kept.search(q, limit=30) for q in queries] == first  # from what was kept
    monkeypatch.setattr(index_module, "SHOWN", 5)
    small = SearchIndex.build(ds)
    assert [small.search(q, limit=30) for q in queries] == first
    assert 0 < len(small._titles) <= 5 and 0 < len(small._units) <= 5
    assert 0 < len(small._spans) <= 5  # passages of the sources (text hits) too
