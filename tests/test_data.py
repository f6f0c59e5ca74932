"""The bundled dataset (data/csto.toml) against its two source articles.

Reads the TOML with tomllib and the seeds directly, so that it does not depend on the
loader; only ``csto_tui.model.PartialDate`` is used, to validate dates.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

import pytest

from csto_tui.model import (
    ENTITY_KINDS,
    METRIC_CATEGORIES,
    RESPONSES,
    SPAN_KINDS,
    STATE_STATUSES,
    PartialDate,
)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "csto.toml"

MEMBERS = {"arm", "blr", "kaz", "kgz", "rus", "tjk"}


@pytest.fixture(scope="module")
def data() -> dict:
    with DATA.open("rb") as fh:
        return tomllib.load(fh)


@pytest.fixture(scope="module")
def texts(data: dict) -> dict[str, str]:
    base = (DATA.parent / data["dataset"].get("base", ".")).resolve()
    out = {}
    for src in data["sources"]:
        raw = (base / src["file"]).read_text(encoding="utf-8")
        out[src["id"]] = raw.removeprefix("\ufeff")
    return out


@pytest.fixture(scope="module")
def quotes(data: dict) -> dict[str, dict]:
    return {q["id"]: q for q in data["quotes"]}


@pytest.fixture(scope="module")
def by_id(data: dict) -> dict[str, tuple[str, dict]]:
    out: dict[str, tuple[str, dict]] = {}
    for group in ("sources", "quotes", "states", "entities", "metrics", "events", "conflicts"):
        for rec in data.get(group, []):
            out.setdefault(rec["id"], (group, rec))
    return out


def _records(data: dict) -> list[tuple[str, dict]]:
    return [(g, r) for g in ("states", "entities", "metrics", "events") for r in data.get(g, [])]


def _cited(rec: dict) -> list[str]:
    ids = list(rec.get("quotes", []))
    for span in rec.get("membership", []):
        ids.extend(span.get("quotes", []))
    return ids


# ---- sources and quotes -------------------------------------------------------------------


def test_sources_are_the_two_seeds(data: dict) -> None:
    assert data["dataset"]["base"] == ".."
    files = {s["id"]: s["file"] for s in data["sources"]}
    assert files == {
        "a1": "seeds/000_3015bca6c6aaec53.txt",
        "a2": "seeds/001_c73d3d911059dc49.txt",
    }
    a1 = next(s for s in data["sources"] if s["id"] == "a1")
    assert a1["date"] == "2022-02-04"


def test_ids_are_unique(data: dict) -> None:
    ids = [r["id"] for g in ("sources", "quotes", "states", "entities", "metrics", "events",
                             "conflicts") for r in data.get(g, [])]
    dupes = [i for i, n in Counter(ids).items() if n > 1]
    assert not dupes, f"duplicate ids: {dupes}"


def test_every_quote_occurs_verbatim_exactly_once(data: dict, texts: dict[str, str]) -> None:
    bad = []
    for q in data["quotes"]:
        assert q["source"] in texts, f"{q['id']}: unknown source {q['source']!r}"
        n = texts[q["source"]].count(q["text"])
        if n != 1:
            bad.append(f"{q['id']} occurs {n} times in {q['source']}")
    assert not bad, "\n".join(bad)


def test_quotes_are_of_sensible_length(data: dict) -> None:
    for q in data["quotes"]:
        assert 15 <= len(q["text"]) <= 260, q["id"]


def test_both_sources_are_cited(data: dict) -> None:
    per = Counter(q["source"] for q in data["quotes"])
    assert per["a1"] >= 30 and per["a2"] >= 30, per


def test_every_quote_is_cited_by_some_record(data: dict) -> None:
    used: set[str] = set()
    for _g, rec in _records(data):
        used.update(_cited(rec))
    for c in data.get("conflicts", []):
        used.update(r["quote"] for r in c["readings"])
    unused = {q["id"] for q in data["quotes"]} - used
    assert not unused, f"quotes no record cites: {sorted(unused)}"


# ---- references -----------------------------------------------------------------------------


def test_every_record_cites_at_least_one_existing_quote(data: dict, quotes: dict) -> None:
    for group, rec in _records(data):
        assert rec.get("quotes"), f"{group} {rec['id']} cites no quote"
        for qid in _cited(rec):
            assert qid in quotes, f"{rec['id']} cites unknown quote {qid!r}"
        for span in rec.get("membership", []):
            assert span.get("quotes"), f"{rec['id']}: a membership span cites no quote"


def test_references_resolve(data: dict, by_id: dict, quotes: dict) -> None:
    def kind(x: str) -> str | None:
        return by_id[x][0] if x in by_id else None

    for m in data["metrics"]:
        assert kind(m["state"]) == "states", f"{m['id']}: state {m['state']!r}"
        if "counterpart" in m:
            assert kind(m["counterpart"]) in ("states", "entities"), m["id"]
    for e in data["events"]:
        for s in e.get("states", []):
            assert kind(s) == "states", f"{e['id']}: state {s!r}"
        for a in e.get("actors", []):
            assert kind(a) == "entities", f"{e['id']}: actor {a!r}"
    for c in data.get("conflicts", []):
        assert c["records"], c["id"]
        for r in c["records"]:
            assert kind(r) in ("states", "entities", "metrics", "events"), f"{c['id']}: {r!r}"
        assert len(c["readings"]) >= 2, c["id"]
        for rd in c["readings"]:
            assert rd["quote"] in quotes, f"{c['id']}: {rd['quote']!r}"
            assert rd["says"].strip()
    for u in data.get("uncited", []):
        assert kind(u["source"]) == "sources"


def test_enumerations(data: dict) -> None:
    for s in data["states"]:
        assert s["status"] in STATE_STATUSES, s["id"]
        for span in s.get("membership", []):
            assert span["kind"] in SPAN_KINDS, s["id"]
    for e in data["entities"]:
        assert e["kind"] in ENTITY_KINDS, e["id"]
    for m in data["metrics"]:
        assert m["category"] in METRIC_CATEGORIES, m["id"]
        if "value" in m:
            assert isinstance(m["value"], (int, float)) and m.get("unit"), m["id"]
        else:
            assert isinstance(m.get("present"), bool), f"{m['id']}: a tie needs present"
    for e in data["events"]:
        assert e["response"] in RESPONSES, e["id"]
        assert e["summary"].strip() and e["title"].strip(), e["id"]


# ---- dates and membership -----------------------------------------------------------------


def test_dates_are_valid_partial_dates(data: dict) -> None:
    for e in data["events"]:
        PartialDate.parse(e["date"])
    for s in data["states"]:
        for span in s.get("membership", []):
            PartialDate.parse(span["from"])
            if "to" in span:
                PartialDate.parse(span["to"])
    for src in data["sources"]:
        if "date" in src:
            PartialDate.parse(src["date"])


def test_membership_spans_are_consistent(data: dict) -> None:
    for s in data["states"]:
        spans = s.get("membership", [])
        for kind in SPAN_KINDS:
            mine = [sp for sp in spans if sp["kind"] == kind]
            starts = [PartialDate.parse(sp["from"]).sort_key() for sp in mine]
            assert starts == sorted(starts), f"{s['id']}: spans out of order"
            for i, sp in enumerate(mine):
                a = PartialDate.parse(sp["from"])
                if "to" in sp:
                    assert PartialDate.parse(sp["to"]).sort_key() >= a.sort_key(), (
                        f"{s['id']}: span ends before it starts")
                else:
                    assert i == len(mine) - 1, f"{s['id']}: only the last span may be open"
                if i:
                    prev = mine[i - 1]
                    assert PartialDate.parse(prev["to"]).sort_key() <= a.sort_key(), (
                        f"{s['id']}: spans overlap")


def test_status_agrees_with_spans(data: dict) -> None:
    for s in data["states"]:
        open_member = any(sp["kind"] == "member" and "to" not in sp
                          for sp in s.get("membership", []))
        if s["status"] == "member":
            assert open_member, f"{s['id']} is a member without an open member span"
        else:
            assert not open_member, f"{s['id']} is {s['status']} with an open member span"


def test_current_members_are_the_six(data: dict) -> None:
    members = {s["id"] for s in data["states"] if s["status"] == "member"}
    assert members == MEMBERS
    for s in data["states"]:
        if s["id"] in MEMBERS:
            first = s["membership"][0]
            assert first["from"] == "1994" and "to" not in first, s["id"]


def test_former_members(data: dict) -> None:
    states = {s["id"]: s for s in data["states"]}
    for sid in ("aze", "geo", "uzb"):
        assert states[sid]["status"] == "former-member", sid
        assert (states[sid]["membership"][0]["from"], states[sid]["membership"][0]["to"]) == (
            "1994", "1999")


def test_uzbekistan_spans(data: dict) -> None:
    uzb = next(s for s in data["states"] if s["name"] == "Uzbekistan")
    spans = [(sp["kind"], sp["from"], sp.get("to")) for sp in uzb["membership"]]
    assert spans == [("member", "1994", "1999"), ("member", "2006", "2012")]


def test_observers(data: dict) -> None:
    status = {s["name"]: s["status"] for s in data["states"]}
    assert status["Serbia"] == "observer"
    assert status["Afghanistan"] == "former-observer"
    for name in ("Turkey", "Ukraine", "United States", "China", "Syria"):
        assert status[name] == "outside", name


# ---- names --------------------------------------------------------------------------------


def test_names_and_aliases_are_unique(data: dict) -> None:
    owner: dict[str, str] = {}
    clashes = []
    for rec in [*data["states"], *data["entities"]]:
        for name in {rec["name"], *rec.get("aliases", [])}:
            key = name.casefold().strip()
            if key in owner and owner[key] != rec["id"]:
                clashes.append(f"{name!r}: {owner[key]} and {rec['id']}")
            owner.setdefault(key, rec["id"])
    assert not clashes, "\n".join(clashes)


def test_aliases_occur_in_the_sources(data: dict, texts: dict[str, str]) -> None:
    corpus = "\n".join(texts.values())
    for rec in [*data["states"], *data["entities"]]:
        for alias in rec.get("aliases", []):
            assert alias in corpus, f"{rec['id']}: alias {alias!r} is not in either source"


def test_spun_names_are_aliases(data: dict) -> None:
    ents = {e["id"]: e for e in data["entities"]}
    assert "Collective Safety Treaty Group" in ents["csto"]["aliases"]
    assert "Collective Fast Response Pressure" in ents["crrf"]["aliases"]
    assert "Eurasian Financial Union" in ents["eaeu"]["aliases"]
    assert "Shanghai Cooperation Group" in ents["sco"]["aliases"]
    assert "Impartial Media Institute" in ents["imi"]["aliases"]


# ---- key facts ----------------------------------------------------------------------------


def test_kazakhstan_intervention(data: dict, quotes: dict) -> None:
    ev = next(e for e in data["events"] if e["id"] == "ev-2022-01-kaz")
    assert ev["date"] == "2022-01-05"
    assert ev["response"] == "intervened"
    assert "kaz" in ev["states"]
    assert {quotes[q]["source"] for q in ev["quotes"]} == {"a1", "a2"}


def test_tajikistan_outside_the_eaeu(data: dict) -> None:
    eaeu = {m["state"]: m for m in data["metrics"] if m.get("counterpart") == "eaeu"}
    assert eaeu["tjk"].get("present") is False and "value" not in eaeu["tjk"]
    for sid in MEMBERS - {"tjk"}:
        assert eaeu[sid].get("present", True) is True, sid


def test_remittance_figures_keep_the_hedges(data: dict) -> None:
    m = {x["id"]: x for x in data["metrics"]}
    assert (m["m-tjk-remit-2020"]["value"], m["m-tjk-remit-2020"]["qualifier"],
            m["m-tjk-remit-2020"]["year"]) == (26, "more than", 2020)
    assert (m["m-kgz-remit-2020"]["value"], m["m-kgz-remit-2020"]["qualifier"],
            m["m-kgz-remit-2020"]["year"]) == (31, "roughly", 2020)
    assert (m["m-blr-exports"]["value"], m["m-blr-exports"]["qualifier"]) == (40, "more than")


def test_conflicts_cite_both_sources(data: dict, quotes: dict) -> None:
    assert data["conflicts"]
    for c in data["conflicts"]:
        srcs = {quotes[r["quote"]]["source"] for r in c["readings"]}
        assert srcs == {"a1", "a2"}, c["id"]


# ---- coverage -----------------------------------------------------------------------------


def test_uncited_entries_point_at_real_sentences(data: dict, texts: dict[str, str]) -> None:
    for u in data.get("uncited", []):
        assert len(u["text"]) >= 30, u["text"]
        assert texts[u["source"]].count(u["text"]) == 1, u["text"]
        assert u["reason"].strip()


def test_uncited_sentences_are_not_also_quoted(data: dict, texts: dict[str, str]) -> None:
    """A sentence marked deliberately uncited must not also carry a quote (stale entry)."""
    for u in data.get("uncited", []):
        text = texts[u["source"]]
        start = text.index(u["text"])
        end = start + len(u["text"])
        for q in data["quotes"]:
            if q["source"] != u["source"]:
                continue
            a = text.index(q["text"])
            b = a + len(q["text"])
            assert not (a < end and b > start), f"{q['id']} overlaps uncited {u['text']!r}"


# ---- review of both articles: facts added or fixed ------------------------------------------


def _ev(data: dict, eid: str) -> dict:
    return next(e for e in data["events"] if e["id"] == eid)


def _sources(rec: dict, quotes: dict) -> set[str]:
    return {quotes[q]["source"] for q in _cited(rec)}


@pytest.mark.parametrize(("eid", "date", "response"), [
    ("ev-1991-soviet-collapse", "1991", "none"),
    ("ev-1992-cst-signed", "1992", "milestone"),
    ("ev-1994-cst-in-force", "1994", "milestone"),
    ("ev-1999-exits", "1999", "milestone"),
    ("ev-2002-csto", "2002", "milestone"),
    ("ev-2006-uzb-rejoins", "2006", "milestone"),
    ("ev-2009-crrf", "2009", "milestone"),
    ("ev-2010-06-kgz", "2010-06", "declined"),
    ("ev-2010-09-tjk", "2010-09", "no-action"),
    ("ev-2011-bases-veto", "2011", "milestone"),
    ("ev-2012-uzb-leaves", "2012", "milestone"),
    ("ev-2014-ukr", "2014", "none"),
    ("ev-2014-bordyuzha", "2014", "statement"),
    ("ev-2015-turkey-bomber", "2015", "no-action"),
    ("ev-2019-arm-syria", "2019", "deployment"),
    ("ev-2019-aze-partner", "2019", "statement"),
    ("ev-2019-gulf-concept", "2019", "none"),
    ("ev-2020-arm-aze-war", "2020", "declined"),
    ("ev-2020-blr-protests", "2020", "none"),
    ("ev-2021-us-afg", "2021", "none"),
    ("ev-2021-tjk-complaint", "2021", "limited"),
    ("ev-2021-border-drills", "2021", "drill"),
    ("ev-2021-csto-ct-drills", "2021", "drill"),
    ("ev-2021-tjk-kgz-border", "2021", "mediated"),
    ("ev-2021-blr-crimea", "2021", "none"),
    ("ev-2022-01-kaz", "2022-01-05", "intervened"),
    ("ev-2022-01-kaz-reactions", "2022-01", "none"),
    ("ev-2022-02-19-zas", "2022-02-19", "statement"),
    ("ev-2022-artsakh-recognition", "2022", "none"),
    ("ev-2022-invasion", "2022", "none"),
    ("ev-2022-blr-mobilisation", "2022", "none"),
    ("ev-2022-02-27-missiles", "2022-02-27", "none"),
    ("ev-2022-03-11-missiles", "2022-03-11", "statement"),
    ("ev-2022-03-11-lukashenko", "2022-03-11", "statement"),
    ("ev-2022-03-11-false-flag", "2022-03-11", "none"),
    ("ev-2022-03-un-vote", "2022-03", "none"),
])
def test_dated_events_of_both_articles(data: dict, eid: str, date: str, response: str) -> None:
    ev = _ev(data, eid)
    assert (ev["date"], ev["response"]) == (date, response)


@pytest.mark.parametrize("rid", [
    "ev-1991-soviet-collapse", "ev-1992-cst-signed", "ev-1994-cst-in-force", "ev-1999-exits",
    "ev-2002-csto", "ev-2009-crrf", "ev-2010-06-kgz", "ev-2019-arm-syria",
    "ev-2020-arm-aze-war", "ev-2020-blr-protests", "ev-2021-us-afg", "ev-2021-tjk-complaint",
    "ev-2021-border-drills", "ev-2021-tjk-kgz-border", "ev-2022-01-kaz",
    "ev-2022-01-kaz-withdrawal", "csto", "cst", "crrf", "putin", "lukashenko", "sun", "syr",
    "uzb", "m-kaz-reliance", "m-tjk-border-drills",
])
def test_facts_told_by_both_articles_cite_both(by_id: dict, quotes: dict, rid: str) -> None:
    _group, rec = by_id[rid]
    assert _sources(rec, quotes) == {"a1", "a2"}, rid


def test_more_drills_under_putin_is_corroborated(data: dict, quotes: dict) -> None:
    ev = _ev(data, "ev-2009-crrf")
    assert {"q-a1-drills-integration", "q-a2-drills-frequent"} <= set(ev["quotes"])
    assert quotes["q-a1-kaz-headlines"]["text"].startswith("The Russian-led army alliance")


def test_dates_keep_the_texts_hedges(data: dict) -> None:
    assert "early 2019" in _ev(data, "ev-2019-arm-syria")["summary"]
    assert "according to Russia" in _ev(data, "ev-2015-turkey-bomber")["summary"]
    assert "south" in _ev(data, "ev-2010-06-kgz")["summary"]
    assert "just days after february 19" in _ev(data, "ev-2022-02-recognition")["summary"].lower()
    assert "a few weeks after" in _ev(data, "ev-2022-03-danilov")["summary"].lower()
    assert "undated" in _ev(data, "ev-2020-arm-aze-war")["summary"]
    assert "q-a1-azeri-fire" in _ev(data, "ev-2020-arm-aze-war")["quotes"]


def test_states_involved(data: dict) -> None:
    # Uzbekistan was a member from 2006 to 2012, so it gained the 2011 veto too
    assert set(_ev(data, "ev-2011-bases-veto")["states"]) == MEMBERS | {"uzb"}
    assert set(_ev(data, "ev-2021-border-drills")["states"]) == {"rus", "tjk", "uzb", "afg"}
    assert set(_ev(data, "ev-2022-03-un-vote")["states"]) >= MEMBERS
    assert {"kaz", "chn", "usa"} <= set(_ev(data, "ev-2022-01-kaz-reactions")["states"])
    assert {"sco", "eu", "nato"} <= set(_ev(data, "ev-2022-01-kaz-reactions")["actors"])


def test_march_11_events_are_apart(data: dict) -> None:
    luk = _ev(data, "ev-2022-03-11-lukashenko")
    ff = _ev(data, "ev-2022-03-11-false-flag")
    assert "q-a2-article4" in ff["quotes"] and "art4" in ff["actors"]
    assert "q-a2-ukr-accuses" in ff["quotes"] and "q-a2-ukr-accuses" not in luk["quotes"]


def test_dependencies_added_in_review(data: dict) -> None:
    m = {x["id"]: x for x in data["metrics"]}
    for sid in MEMBERS - {"rus"}:
        arms = m[f"m-{sid}-rus-arms"]
        assert (arms["present"], arms["counterpart"], arms["quotes"]) == (
            True, "rus", ["q-a2-arms-exports"]), sid
    for sid in ("arm", "blr", "kaz", "kgz"):
        assert m[f"m-{sid}-china-economy"]["counterpart"] == "chn", sid
    for sid in ("arm", "kaz", "kgz", "tjk"):
        assert m[f"m-{sid}-un-abstain"]["year"] == 2022, sid
    assert "blr" not in {x["state"] for x in data["metrics"] if x["id"].endswith("-un-abstain")}
    assert "five" in m["m-blr-un-vote"]["detail"]
    assert m["m-blr-mobilisation"]["category"] == "military"
    assert m["m-blr-sanctions"]["present"] is True
    assert m["m-kgz-uzbek-minority"]["category"] == "minority"
    assert m["m-arm-turkey-tensions"]["state"] == "arm"
    assert m["m-blr-missiles"]["value"] == 80 and m["m-blr-missiles"]["qualifier"] == "more than"


def test_brief_checklist_records_exist(by_id: dict) -> None:
    for rid in ("srb", "afg", "artsakh", "base-102", "base-201", "rus-border-guards", "imi",
                "air-defence", "art4", "taliban", "persian-gulf", "csto-pa", "m-tjk-civil-war",
                "m-kaz-china-investment", "m-blr-kremlin-2020", "m-blr-crimea",
                "m-kgz-recognition", "m-arm-base-102", "m-arm-border-guards", "m-kaz-minority",
                "m-blr-oil-transit", "m-blr-energy"):
        assert rid in by_id, rid


def test_more_spun_aliases(data: dict) -> None:
    recs = {r["id"]: r for r in [*data["states"], *data["entities"]]}
    assert "Secretary-Common" in recs["csto-secgen"]["aliases"]
    assert "Nationwide Safety and Protection Council" in recs["ukr-nsdc"]["aliases"]
    assert "Chinese language" in recs["chn"]["aliases"]
    assert "Islamic Republic of Afghanistan" in recs["afg"]["aliases"]


def test_conflicts_are_the_real_disagreements(data: dict) -> None:
    # The 2019 Syria deployment is told alike by both (non-military / non-combat demining):
    # not a conflict.
    assert {c["id"] for c in data["conflicts"]} == {
        "c-cst-signing", "c-2020-armenia-appeal", "c-2021-border-drills"}


def test_uncited_sentences_hold_no_figure_or_year(data: dict, texts: dict[str, str]) -> None:
    """Uncited entries are opinion, speculation or forecast: their sentence has no digit."""
    import re
    for u in data.get("uncited", []):
        text = texts[u["source"]]
        start = text.index(u["text"])
        m = re.search(r"[.!?](?=\s|$)", text[start + len(u["text"]) - 1:])
        end = start + len(u["text"]) - 1 + (m.end() if m else 0)
        assert not re.search(r"\d", text[start:end]), u["text"]
