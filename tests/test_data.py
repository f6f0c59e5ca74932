"""The bundled dataset (data/csto.toml) against its two source articles.

Reads the TOML with tomllib and the seeds directly, so that most of it does not depend on the
loader; the vocabularies and date grammar come from ``csto_tui.vocabulary`` and ``csto_tui.facts``.
The last part holds one test per fact that an audit of the earlier dataset found wrong (issue
#11), asserting the corrected structure.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from pathlib import Path

import pytest

from csto_tui.facts import Action, When
from csto_tui.vocabulary import ENTITY_KINDS, METRIC_CATEGORIES, SPAN_KINDS, STATE_STATUSES

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "csto.toml"

MEMBERS = {"arm", "blr", "kaz", "kgz", "rus", "tjk"}
GROUPS = ("states", "entities", "metrics", "relations", "events")


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
    for group in ("sources", "quotes", *GROUPS, "conflicts"):
        for rec in data.get(group, []):
            out.setdefault(rec["id"], (group, rec))
    return out


def _records(data: dict) -> list[tuple[str, dict]]:
    return [(g, r) for g in GROUPS for r in data.get(g, [])]


def _cited(rec: dict) -> list[str]:
    """Every quote a record cites, its nested tables' included."""
    ids = list(rec.get("quotes", []))
    for key in ("membership", "participants", "quantities", "links", "attributions", "series"):
        for sub in rec.get(key, []):
            ids.extend(sub.get("quotes", []))
    return ids


def _ev(data: dict, eid: str) -> dict:
    return next(e for e in data["events"] if e["id"] == eid)


def _metric(data: dict, mid: str) -> dict:
    return next(m for m in data["metrics"] if m["id"] == mid)


def _sources(rec: dict, quotes: dict) -> set[str]:
    return {quotes[q]["source"] for q in _cited(rec)}


# ---- the dataset as the program sees it -----------------------------------------------------


def test_check_is_clean_and_each_article_is_covered() -> None:
    from csto_tui.checking import check
    from csto_tui.coverage import coverage

    rep = check(DATA)
    assert rep.ok, [p.format() for p in rep.errors]
    assert not [p for p in rep.problems if p.severity == "warning"], [
        p.format() for p in rep.problems]
    for cov in coverage(rep.dataset):
        assert cov.uncovered_share <= 0.05, (cov.source, [p.text for p in cov.uncovered])


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
    ids = [r["id"] for g in ("sources", "quotes", *GROUPS, "conflicts")
           for r in data.get(g, [])]
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


def test_every_quote_is_cited_by_some_record(data: dict) -> None:
    used: set[str] = set()
    for _g, rec in _records(data):
        used.update(_cited(rec))
    for c in data.get("conflicts", []):
        used.update(r["quote"] for r in c["readings"])
    unused = {q["id"] for q in data["quotes"]} - used
    assert not unused, f"quotes no record cites: {sorted(unused)}"


def test_every_record_cites_at_least_one_existing_quote(data: dict, quotes: dict) -> None:
    for group, rec in _records(data):
        assert rec.get("quotes"), f"{group} {rec['id']} cites no quote"
        for qid in _cited(rec):
            assert qid in quotes, f"{rec['id']} cites unknown quote {qid!r}"
        for span in rec.get("membership", []):
            assert span.get("quotes"), f"{rec['id']}: a membership span cites no quote"


def test_vocabularies_and_dates(data: dict) -> None:
    for s in data["states"]:
        assert s["status"] in STATE_STATUSES, s["id"]
        for span in s.get("membership", []):
            assert span["kind"] in SPAN_KINDS, s["id"]
            When.parse(span["from"])
            if "to" in span:
                When.parse(span["to"])
    for e in data["entities"]:
        assert e["kind"] in ENTITY_KINDS, e["id"]
    for m in data["metrics"]:
        assert m["category"] in METRIC_CATEGORIES, m["id"]
    for e in data["events"]:
        When.parse(e["date"])
        Action.parse(e["response"], words=True)
        if "action" in e:
            Action.parse(e["action"])
        assert e["summary"].strip() and e["title"].strip(), e["id"]


# ---- membership ---------------------------------------------------------------------------


def test_current_members_are_the_six(data: dict) -> None:
    members = {s["id"] for s in data["states"] if s["status"] == "member"}
    assert members == MEMBERS
    for s in data["states"]:
        if s["id"] in MEMBERS:
            first = s["membership"][0]
            assert (first["kind"], first["from"]) == ("member", "1994") and "to" not in first


def test_former_members_left_in_1999(data: dict) -> None:
    states = {s["id"]: s for s in data["states"]}
    for sid in ("aze", "geo", "uzb"):
        spans = [(sp["kind"], sp["from"], sp.get("to")) for sp in states[sid]["membership"]]
        assert states[sid]["status"] == "former-member", sid
        assert spans[:2] == [("member", "1994", "1999"),
                             ("withdrawn", "1999", "2006" if sid == "uzb" else None)], sid


def test_uzbekistan_left_rejoined_and_left_again(data: dict) -> None:
    uzb = next(s for s in data["states"] if s["id"] == "uzb")
    spans = [(sp["kind"], sp["from"], sp.get("to")) for sp in uzb["membership"]]
    assert spans == [("member", "1994", "1999"), ("withdrawn", "1999", "2006"),
                     ("restored", "2006", "2012"), ("withdrawn", "2012", None)]


def test_observers_name_their_body(data: dict) -> None:
    states = {s["id"]: s for s in data["states"]}
    assert states["srb"]["status"] == "observer"
    (srb,) = states["srb"]["membership"]
    assert (srb["kind"], srb["from"], srb["body"]) == ("observer", "unknown", "csto-pa")
    assert states["afg"]["status"] == "former-observer"
    (afg,) = states["afg"]["membership"]
    assert afg["kind"] == "observer" and afg["from"] == "unknown" and "to" in afg["inferred"]
    for sid in ("tur", "ukr", "usa", "chn", "syr"):
        assert states[sid]["status"] == "outside", sid


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
    recs = {r["id"]: r for r in [*data["states"], *data["entities"]]}
    assert "Collective Safety Treaty Group" in recs["csto"]["aliases"]
    assert "Collective Fast Response Pressure" in recs["crrf"]["aliases"]
    assert "Eurasian Financial Union" in recs["eaeu"]["aliases"]
    assert "Shanghai Cooperation Group" in recs["sco"]["aliases"]
    assert "Impartial Media Institute" in recs["imi"]["aliases"]
    assert "Secretary-Common" in recs["csto-secgen"]["aliases"]
    assert "Nationwide Safety and Protection Council" in recs["ukr-nsdc"]["aliases"]
    assert "Chinese language" in recs["chn"]["aliases"]
    assert "Islamic Republic of Afghanistan" in recs["afg"]["aliases"]


# ---- figures and facts kept from before ------------------------------------------------------


def test_kazakhstan_intervention(data: dict, quotes: dict) -> None:
    ev = _ev(data, "ev-2022-01-kaz")
    assert (ev["date"], ev["response"], ev["actor"]) == ("2022-01-05", "intervened", ["csto"])
    assert {quotes[q]["source"] for q in ev["quotes"]} == {"a1", "a2"}


def test_tajikistan_outside_the_eaeu(data: dict) -> None:
    eaeu = {m["state"]: m for m in data["metrics"] if m.get("counterpart") == "eaeu"}
    assert eaeu["tjk"].get("present") is False and "value" not in eaeu["tjk"]
    for sid in MEMBERS - {"tjk"}:
        assert eaeu[sid].get("present", True) is True, sid


def test_remittance_figures_keep_the_hedges(data: dict) -> None:
    tjk, kgz = _metric(data, "m-tjk-remit-2020"), _metric(data, "m-kgz-remit-2020")
    assert (tjk["value"], tjk["qualifier"], tjk["as_of"]) == (26, "more than", "2020")
    assert (kgz["value"], kgz["qualifier"], kgz["as_of"]) == (31, "roughly", "2020")
    blr = _metric(data, "m-blr-exports")
    assert (blr["value"], blr["qualifier"]) == (40, "more than")


@pytest.mark.parametrize("rid", [
    "ev-1991-soviet-collapse", "ev-1992-cst-signed", "ev-1994-cst-in-force", "ev-1999-exits",
    "ev-2002-csto", "ev-2009-crrf", "ev-2010-06-kgz", "ev-2019-arm-syria",
    "ev-2020-arm-aze-war", "ev-2020-blr-protests", "ev-2021-us-afg", "ev-2021-tjk-complaint",
    "ev-2021-border-drills", "ev-2021-tjk-kgz-border", "ev-2022-01-kaz",
    "ev-2022-01-kaz-withdrawal", "ev-2022-01-limits-lifted", "csto", "cst", "crrf", "putin",
    "lukashenko", "sun", "syr", "uzb", "m-kaz-reliance",
])
def test_facts_told_by_both_articles_cite_both(by_id: dict, quotes: dict, rid: str) -> None:
    _group, rec = by_id[rid]
    assert _sources(rec, quotes) == {"a1", "a2"}, rid


def test_conflicts_cite_both_sources_and_are_typed(data: dict, quotes: dict) -> None:
    for c in data["conflicts"]:
        assert c["kind"] in ("contradiction", "precision", "framing"), c["id"]
        srcs = {quotes[r["quote"]]["source"] for r in c["readings"]}
        assert srcs == {"a1", "a2"}, c["id"]


# ---- uncited passages ----------------------------------------------------------------------


def test_uncited_passages_are_verbatim_once_and_not_quoted(data: dict,
                                                           texts: dict[str, str]) -> None:
    spans = {}
    for q in data["quotes"]:
        a = texts[q["source"]].index(q["text"])
        spans.setdefault(q["source"], []).append((q["id"], a, a + len(q["text"])))
    for u in data.get("uncited", []):
        text = texts[u["source"]]
        assert text.count(u["text"]) == 1, u["text"]
        start = text.index(u["text"])
        end = start + len(u["text"])
        for qid, a, b in spans[u["source"]]:
            assert not (a < end and b > start), f"{qid} overlaps uncited {u['text']!r}"


def test_uncited_passages_hold_no_figure_or_year(data: dict) -> None:
    """Opinion and rhetoric state no figure; only the dateline (no-fact) has digits."""
    for u in data.get("uncited", []):
        if u["reason"] != "no-fact":
            assert not re.search(r"\d", u["text"]), u["text"]
    assert [u["text"] for u in data["uncited"] if u["reason"] == "no-fact"] == [
        "date 2022-02-04"]


# ---- facts an audit found wrong before (issue #11), one test each ---------------------------


def test_a_ukrainian_officials_statement_is_not_a_csto_statement(data: dict) -> None:
    ev = _ev(data, "ev-2022-03-danilov")
    assert ev["actor"] == ["danilov"] and ev["response"] == "none"
    assert (ev["claimant"], ev["stance"]) == ("danilov", "claim")


def test_border_drills_the_text_says_were_not_the_cstos_are_not_a_csto_drill(data: dict
                                                                            ) -> None:
    ev = _ev(data, "ev-2021-border-drills")
    assert ev["response"] == "none" and ev["action"] == "cooperate:exercise"
    assert set(ev["actor"]) == {"rus", "tjk", "uzb"} and "csto" not in ev["actor"]
    own = _ev(data, "ev-2021-csto-ct-drills")
    assert (own["response"], own["actor"], own["after"]) == (
        "drill", ["csto"], "ev-2021-border-drills")


@pytest.mark.parametrize(("eid", "actor"), [
    ("ev-2022-03-11-missiles", "us-official"),
    ("ev-2022-03-11-lukashenko", "lukashenko"),
    ("ev-2019-aze-partner", "borisov"),
    ("ev-2022-02-27-missiles", "ukr"),
    ("ev-2022-03-11-false-flag", "ukr"),
])
def test_statements_of_others_are_theirs_not_the_cstos(data: dict, eid: str, actor: str
                                                       ) -> None:
    ev = _ev(data, eid)
    assert ev["actor"] == [actor] and ev["response"] == "none", eid
    assert ev["claimant"] == actor and ev["stance"] == "claim", eid


def test_acts_of_states_are_not_csto_milestones(data: dict) -> None:
    for eid in ("ev-1999-exits", "ev-2006-uzb-rejoins", "ev-2012-uzb-leaves",
                "ev-2019-arm-syria"):
        ev = _ev(data, eid)
        assert ev["response"] == "none" and "csto" not in ev["actor"], eid


def test_the_withdrawal_from_kazakhstan_is_a_withdrawal(data: dict) -> None:
    ev = _ev(data, "ev-2022-01-kaz-withdrawal")
    assert ev["response"] == "retreat:withdraw" and ev["after"] == "ev-2022-01-kaz"
    assert ev["offset"] == "a week" and "date" in ev["inferred"]
    assert {"kind": "ends", "event": "ev-2022-01-kaz"} in ev["links"]


def test_first_notable_operation_is_the_observers_view(data: dict) -> None:
    assert "first notable" not in _ev(data, "ev-2022-01-kaz")["summary"]
    view = _ev(data, "ev-2022-01-kaz-first-notable")
    assert (view["claimant"], view["stance"], view["actor"]) == (
        "observers", "claim", ["observers"])
    ents = {e["id"]: e for e in data["entities"]}
    assert ents["observers"]["kind"] == "group"


def test_the_bomber_over_syria_is_according_to_russia(data: dict) -> None:
    ev = _ev(data, "ev-2015-turkey-bomber")
    assert ev["location"] == "syr" and ev["actor"] == ["tur"]
    (att,) = ev["attributions"]
    assert (att["fields"], att["claimant"], att["stance"]) == (["location"], "rus", "claim")
    assert "according to Russia" in ev["summary"]


def test_tajikistans_complaint_is_tajikistans_claim(data: dict) -> None:
    ev = _ev(data, "ev-2021-tjk-complaint")
    # the CSTO's limited response is what Tajikistan says of it: the whole record is its claim
    assert ev["actor"] == ["tjk"] and ev["response"] == "limited"
    assert (ev["claimant"], ev["stance"]) == ("tjk", "claim")


def test_arms_exports_are_the_independent_media_institutes(data: dict) -> None:
    for sid in MEMBERS - {"rus"}:
        m = _metric(data, f"m-{sid}-rus-arms")
        assert (m["claimant"], m["quotes"]) == ("imi", ["q-a2-arms-exports"]), sid


def test_no_prose_speaks_of_sanctions_its_quotes_do_not(data: dict, quotes: dict) -> None:
    prose_keys = ("summary", "detail", "role", "title", "measure", "note")
    for _g, rec in _records(data):
        prose = " ".join(str(rec.get(k, "")) for k in prose_keys)
        if "sanction" in prose.lower():
            said = " ".join(quotes[q]["text"] for q in _cited(rec)).lower()
            assert "sanction" in said, rec["id"]
    for sid in ("arm", "blr", "kaz", "kgz"):
        assert "sanction" not in _metric(data, f"m-{sid}-china-economy").get("detail", "")


def test_quoted_words_in_summaries_are_the_sources(data: dict, quotes: dict) -> None:
    ev = _ev(data, "ev-2022-03-11-lukashenko")
    inside = re.findall(r"\u201c([^\u201d]+)\u201d", ev["summary"])
    assert inside and all(w in quotes["q-a2-lukashenko-mar11"]["text"] for w in inside)
    crrf = _ev(data, "ev-2009-crrf")
    for w in re.findall(r"\u201c([^\u201d]+)\u201d", crrf["summary"]):
        assert any(w in quotes[q]["text"] for q in crrf["quotes"]), w


@pytest.mark.parametrize("eid", [
    "ev-2021-csto-ct-drills", "ev-2022-02-recognition", "ev-2022-03-danilov",
    "ev-2022-02-19-zas", "ev-2022-02-27-missiles", "ev-2022-03-11-missiles",
    "ev-2022-03-11-lukashenko", "ev-2022-03-11-false-flag", "ev-2022-artsakh-recognition",
    "ev-2022-blr-mobilisation", "ev-2014-ukr",
])
def test_dates_taken_from_context_are_marked_inferred(data: dict, eid: str) -> None:
    ev = _ev(data, eid)
    assert ev["inferred"]["date"].strip(), eid


def test_figures_dated_from_context_are_marked_inferred(data: dict) -> None:
    assert "as_of" in _metric(data, "m-kgz-remit-2020")["inferred"]
    missiles = _metric(data, "m-blr-missiles")
    assert missiles["as_of"] == "2022-03-11" and "as_of" in missiles["inferred"]
    assert (missiles["claimant"], missiles["stance"]) == ("us-official", "claim")
    assert "currency" in _metric(data, "m-blr-oil-transit")["inferred"]


def test_relative_dates_name_their_anchor(data: dict) -> None:
    assert (_ev(data, "ev-2022-02-recognition")["after"],
            _ev(data, "ev-2022-02-recognition")["offset"]) == ("ev-2022-02-19-zas", "just days")
    assert (_ev(data, "ev-2022-03-danilov")["after"],
            _ev(data, "ev-2022-03-danilov")["offset"]) == ("ev-2022-02-19-zas", "a few weeks")
    assert _ev(data, "ev-2019-arm-syria")["date"] == "early 2019"


def test_conflicts_are_real_disagreements_and_hedging_is_recorded(data: dict) -> None:
    conflicts = {c["id"]: c for c in data["conflicts"]}
    # Armenia's appeal: a1 gives the reason, a2 the repetition: complementary, not a conflict
    assert "c-2020-armenia-appeal" not in conflicts
    lifted = conflicts["c-limits-lifted"]
    assert lifted["kind"] == "framing"
    assert {r["quote"] for r in lifted["readings"]} == {"q-a1-limits-lifted",
                                                        "q-a2-mandate-lifted"}
    assert {c["kind"] for c in conflicts.values()} >= {"framing", "precision"}
    assert conflicts["c-kgz-2010-date"]["kind"] == "precision"


def test_troops_soldiers_and_votes_are_counted(data: dict) -> None:
    (troops,) = _ev(data, "ev-2022-01-kaz")["quantities"]
    assert (troops["value"], troops["unit"]) == (2500, "troops")
    assert set(troops["quotes"]) == {"q-a1-kaz-headlines", "q-a2-kaz-troops"}
    (soldiers,) = _ev(data, "ev-2019-arm-syria")["quantities"]
    assert (soldiers["magnitude"], soldiers["unit"]) == ("dozens", "soldiers")
    (against,) = _ev(data, "ev-2022-03-un-vote")["quantities"]
    assert (against["value"], against["unit"]) == (5, "countries")
    (missiles,) = _ev(data, "ev-2022-03-11-missiles")["quantities"]
    assert (missiles["value"], missiles["qualifier"], missiles["claimant"]) == (
        80, "more than", "us-official")


def test_rights_and_votes_are_not_dependencies(data: dict) -> None:
    ids = {m["id"] for m in data["metrics"]}
    assert not {i for i in ids if "bases-veto" in i or "un-abstain" in i or "un-vote" in i}
    ents = {e["id"]: e for e in data["entities"]}
    assert ents["bases-veto"]["kind"] == "mechanism"
    assert set(_ev(data, "ev-2011-bases-veto")["states"]) == MEMBERS | {"uzb"}
    rels = {(r["kind"], r["from"], r["to"]) for r in data["relations"]}
    assert {("tension-with", "arm", "tur"), ("hosts-base-of", "tjk", "rus"),
            ("dispute-with", "tjk", "kgz")} <= rels


def test_an_inferred_minority_is_no_longer_stated(data: dict) -> None:
    # "clashes between ethnic Kyrgyz and Uzbeks" says nothing of a minority's size or place
    assert "m-kgz-uzbek-minority" not in {m["id"] for m in data["metrics"]}


def test_azeri_fire_is_its_own_undated_event(data: dict) -> None:
    ev = _ev(data, "ev-azeri-fire")
    assert (ev["date"], ev["actor"], ev["response"]) == ("unknown", ["aze"], "limited")
    assert "q-a1-azeri-fire" not in _ev(data, "ev-2020-arm-aze-war")["quotes"]


def test_requests_and_refusals_are_linked_events(data: dict) -> None:
    for ask, answer in (("ev-2010-kgz-appeal", "ev-2010-06-kgz"),
                        ("ev-2020-arm-appeal", "ev-2020-arm-aze-war")):
        assert _ev(data, ask)["action"] == "request:assist" and _ev(data, ask)["response"] == "none"
        assert _ev(data, answer)["response"] == "declined"
        assert {"kind": "responds-to", "event": ask} in _ev(data, answer)["links"]


def test_the_treatys_signing_year_is_a1s_alone(data: dict) -> None:
    ents = {e["id"]: e for e in data["entities"]}
    assert "a2: signed by the nine states (no year)" in ents["cst"]["summary"]
    assert _ev(data, "ev-1992-cst-signed")["actor"] == ["cis"]
