"""The analyst test dataset (tests/data/analyst, every field of docs/dataset.md) as a user sees
it: each new field shown in the panes, the briefing, the Markdown and the JSON export; the
facts-only filter (c) applied to all of them; SVG snapshots at 80x24 and 120x40."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from csto_tui import export, records
from csto_tui.briefing import build
from csto_tui.dataset import facts_only
from csto_tui.loader import load

pytest.importorskip("textual")

from screen_text import briefing_plain  # noqa: E402
from textual.widgets import Static  # noqa: E402

from csto_tui.app import CstoApp  # noqa: E402
from csto_tui.screens.briefing_view import BriefingScreen  # noqa: E402
from csto_tui.widgets import EventsPane, ExcerptsPane, MetricsPane, StateList  # noqa: E402

ANALYST = Path(__file__).resolve().parent / "data" / "analyst"

#: (field, what a user reads for it). Every new field of the schema, as the panes, the briefing
#: and the Markdown export show it.
SHOWN: list[tuple[str, str]] = [
    # who says it
    ("claimant+stance claim", "(claim, according to a senior U.S. defense official)"),
    ("stance hypothetical", "(hypothetical, according to Stanislav Zas)"),
    ("stance assessment", "(author's assessment)"),
    ("attributions (event location)", "Where: Syria (claim, according to Russia)"),
    ("attributions (event summary)",
     "first notable operation (claim, according to many political observers)"),
    ("attributions (metric magnitude)", "billions USD (claim, according to many political"),
    ("attributions (relation since)", "since 1988 (claim, according to Armenia)"),
    ("attributions (event response, its word)",
     "CSTO: [=] mediated (claim, according to many political observers)"),
    ("quantity claimant", "(as of 11 Mar 2022; claim, according to a senior U.S. defense"),
    ("span claimant+stance", "(forecast, according to Russia)"),
    # inferred
    ("inferred date", "2021?"),
    ("inferred reasoning", "Inferred: date: 'a few months after' drills of 2021"),
    ("inferred span from", "Partner 2019? - present"),
    ("inferred relation since", "(since 1990s?)"),
    ("inferred participant role", "Kyrgyzstan participant?"),
    ("inferred quantity as_of", "(as of 2021?)"),
    # dates
    ("date part of year", "early 2019"),
    ("date decade", "1990s"),
    ("date before", "before 2022"),
    ("date unknown", "undated"),
    ("end + duration", "5 Jan 2022 - Jan 2022 (a week)"),
    ("after + offset", "(a few months after: Russian, Tajik and Uzbek drills"),
    ("before + offset", "(just days before: Russia recognises two breakaway regions)"),
    # events
    ("actor + action", "Actor: Kyrgyzstan - request (assist)"),
    ("response code finer than its marker's word", "CSTO: [+] retreat (withdraw)"),
    ("location", "Where: Kazakhstan"),
    ("participants", "Roles: Kazakhstan host; Collective Security Treaty Organization responder"),
    ("role requester", "Kazakhstan requester"),
    ("role target", "Russia target"),
    ("role mediator", "Collective Security Treaty Organization mediator"),
    ("role supporter", "Russia supporter"),
    ("quantity value + qualifier", "about 2,500 troops"),
    ("quantity magnitude", "dozens of soldiers"),
    ("quantity range", "1,000-1,500 soldiers"),
    ("quantity currency", "cost: some 20,000,000 USD (claim, according to Russian media)"),
    ("quantity count", "states voting against: 5 states"),
    ("link responds-to", "responds to: Kyrgyzstan asks the alliance for help"),
    ("link inverse", "answered by: The alliance refuses Kyrgyzstan's request"),
    ("link ends", "ends: Intervention in Kazakhstan"),
    ("link ended by", "ended by: The force leaves Kazakhstan"),
    ("link follows + note", "follows: Russian, Tajik and Uzbek drills on the Tajik-Afghan border "
     "(Held after them, no causal claim)"),
    ("link part-of", "part of: Intervention in Kazakhstan"),
    # membership as legal states
    ("span signatory", "Signatory May 1992 - 1994"),
    ("span member", "Member 1994 - early 2024"),
    ("span suspended + note", "Suspended early 2024 - present (Participation suspended"),
    ("span withdrawn", "Withdrawn 1999 - 2006"),
    ("span restored + body", "Member again 2006 - 2012 (in Collective Security Treaty Organ"),
    ("span observer, unknown start, body",
     "Observer unknown start - present (in CSTO Parliamentary Assembly)"),
    # figures
    ("figure bound", "more than 26% of GDP"),
    ("figure range", "24-31% of GDP"),
    ("series", "2019: 28, 2020: more than 26"),
    ("series inferred + stance", "2019?: dozens (hypothetical)"),
    # relations
    ("relation hosts-base-of + via", "Tajikistan hosts a base of Russia via Russian 201st"),
    ("relation member-of + until", "Uzbekistan member of Collective Security Treaty "
     "Organization (since 2006, until 2012)"),
    ("relation depends-on + for", "Armenia depends on Russia for security"),
    ("relation dispute-with", "Tajikistan in dispute with Kyrgyzstan (since 2021)"),
    ("relation rivalry-with", "Armenia rivalry with Azerbaijan"),
    ("relation tension-with", "Armenia in tension with Turkey"),
    # conflicts
    ("conflict contradiction + reading", "Sources differ (contradiction): When the treaty was"),
    ("conflict precision", "Sources differ (different precision): When Kyrgyzstan asked"),
    ("conflict framing", "Sources differ (different framing)"),
    ("conflict reading", "The report hedges ('seem to have been')"),
    # sources
    ("source publisher, language, retrieved, url, reliability",
     "csto-tui tests, en, retrieved 20 Mar 2022, https://example.org/csto-tui/report: "
     "synthetic text written for the tests"),
    ("source language", "Synthetic brief (en-GB)"),
]

#: A figure's date: after its value in the briefing and the export, with its measure in the
#: panes (where, after the value, it was wrapped alone onto a line of its own).
DATED_IN_DOCUMENTS: list[tuple[str, str]] = [
    ("figure bound + as_of", "more than 26% of GDP (2020)"),
    ("figure range + as_of", "24-31% of GDP (2020)"),
]

#: Only in the panes (the Sources pane's header of a record, a quote's source line).
SHOWN_IN_PANES: list[tuple[str, str]] = [
    ("figure bound + as_of", "(2020): more than 26% of GDP"),
    ("figure range + as_of", "(2020): 24-31% of GDP"),
    # an event that names no state is in no state's briefing
    ("stance forecast", "The alliance will need to grow (forecast)"),
    ("date after", "after 15 Mar 2022"),
    ("date about", "about 2014"),
    ("relation seen from its other end", "Russia has a base in Tajikistan"),
    ("entity mechanism", "(mechanism)"), ("entity base", "(base)"),
    ("entity group", "(group)"), ("entity de-facto-state", "(de-facto-state)"),
    ("entity defunct-state", "(defunct-state)"), ("entity force", "(force)"),
    ("entity inferred", "Inferred: name: the text gives only the surname"),
]

#: Claims that "facts only" leaves out, everywhere.
CLAIMS = ["according to a senior U.S. defense official", "hypothetical", "forecast",
          "author's assessment", "Where: Syria (claim", "The alliance's first notable operation",
          "according to Russian media", "(claim, according to Armenia)", "CSTO: [=] mediated"]


@pytest.fixture
def analyst(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    shutil.copytree(ANALYST, tmp_path / "analyst")
    return tmp_path / "analyst" / "analyst.toml"


def _briefings(ds: Any) -> str:
    return "\n".join(briefing_plain(build(ds, s.id)) for s in ds.states_sorted())


def _markdown(ds: Any) -> str:
    # the Markdown escapes brackets and stars; read it as text
    md = export.markdown(ds, [s.id for s in ds.states_sorted()])
    return md.replace("\\", "")


def test_the_analyst_dataset_uses_every_field_of_every_kind(analyst: Path) -> None:
    """Every field the registry declares is set somewhere in the test dataset (so that the
    tests below see each of them), every choice of the new vocabularies is used."""
    import tomllib

    data = tomllib.loads(analyst.read_text(encoding="utf-8"))
    unused: list[str] = []

    def walk(kind: records.Kind, rows: list[dict[str, Any]], where: str) -> None:
        for f in kind.fields:
            got = [r[f.key] for r in rows if f.key in r]
            if not got:
                unused.append(f"{where}.{f.key}")
            if f.type == "tables" and f.of is not None:
                walk(f.of, [x for g in got for x in g], f"{where}.{f.key}")

    for kind in records.kinds():
        if kind.name != "uncited":
            walk(kind, data.get(kind.table, []), kind.table)
    legacy = {"metrics.year", "metrics.detail", "quotes.note", "states.aliases"}
    assert sorted(set(unused) - legacy) == []
    used = {e["kind"] for e in data["entities"]}
    assert used >= {"organization", "body", "treaty", "mechanism", "force", "base", "person",
                    "group", "place", "de-facto-state", "defunct-state"}
    spans = {s["kind"] for st in data["states"] for s in st.get("membership", [])}
    assert spans == {"signatory", "member", "suspended", "restored", "withdrawn", "observer",
                     "partner"}
    assert {r["kind"] for r in data["relations"]} == {
        "hosts-base-of", "member-of", "depends-on", "dispute-with", "rivalry-with",
        "tension-with"}
    assert {c["kind"] for c in data["conflicts"]} == {"contradiction", "precision", "framing"}
    roles = {p["role"] for e in data["events"] for p in e.get("participants", [])}
    assert roles == {"requester", "target", "host", "responder", "mediator", "supporter",
                     "participant"}
    stances = {r.get("stance", "fact") for k in ("events", "metrics", "relations")
               for r in data[k]}
    assert stances == {"fact", "claim", "assessment", "forecast", "hypothetical"}


def test_the_briefing_and_the_markdown_export_show_every_field(analyst: Path) -> None:
    ds = load(analyst).dataset
    brief, md = _briefings(ds), _markdown(ds)
    for what, text in SHOWN + DATED_IN_DOCUMENTS:
        assert text in brief, f"briefing: {what}: {text!r}"
        assert text in md, f"markdown: {what}: {text!r}"


def test_the_json_export_has_every_field_structured_and_as_shown(analyst: Path) -> None:
    ds = load(analyst).dataset
    data = json.loads(export.json_text(ds))
    ev = {e["id"]: e for e in data["events"]}
    kaz = ev["ev-2022-01-kaz"]
    assert kaz["date"] == {"value": "2022-01-05", "precision": "day",
                           "earliest": "2022-01-05", "latest": "2022-01-05"}
    assert kaz["end"]["latest"] == "2022-01-31"
    assert kaz["duration"] == {"text": "a week", "count": 1, "vague": None, "hedge": None,
                               "unit": "week"}
    assert (kaz["response"], kaz["response_code"], kaz["response_marker"]) == (
        "intervened", "aid:military", "[+]")
    assert kaz["actor"] == ["csto"] and kaz["action"] == "aid:military"
    assert kaz["location"] == "kaz"
    assert {"who": "kaz", "role": "host", "quotes": [], "inferred": None} in kaz["participants"]
    cost = next(q for q in kaz["quantities"] if q["what"] == "cost")
    assert (cost["value"], cost["qualifier"], cost["currency"], cost["claimant_name"],
            cost["according_to"]) == (20_000_000, "some", "USD", "Russian media",
                                      "claim, according to Russian media")
    assert kaz["attributions"] == [{"fields": ["summary"], "claimant": "observers",
                                    "stance": "claim", "quotes": ["q-kaz-observers"],
                                    "claimant_name": "many political observers",
                                    "according_to": "claim, according to many political "
                                                    "observers"}]
    shown = {d["label"]: d["text"] for d in kaz["shown"]}
    assert shown["When"] == "5 Jan 2022 - Jan 2022 (a week)"
    mediated = ev["ev-2021-tjk-kgz"]
    assert mediated["attributions"][0]["fields"] == ["response"]
    assert {"label": "CSTO", "text": "[=] mediated (claim, according to many political "
            "observers)"} in mediated["shown"]
    left = ev["ev-2022-01-kaz-left"]
    assert left["after"] == "ev-2022-01-kaz" and left["offset"]["text"] == "a week"
    assert left["links"] == [{"kind": "ends", "event": "ev-2022-01-kaz", "note": None,
                              "quotes": []}]
    assert left["inferred"] == {"date": "a week after 5 January 2022: still January"}
    assert ev["ev-undated-azeri-fire"]["date"]["precision"] == "unknown"
    assert ev["ev-early-2019-arm-syria"]["date"]["precision"] == "part"
    missiles = ev["ev-2022-03-11-missiles"]
    assert (missiles["claimant"], missiles["stance"], missiles["according_to"]) == (
        "us-official", "claim", "claim, according to a senior U.S. defense official")
    m = {x["id"]: x for x in data["metrics"]}
    assert (m["m-kgz-remit"]["low"], m["m-kgz-remit"]["high"]) == (24, 31)
    assert m["m-tjk-remit"]["as_of"]["value"] == "2020"
    assert [p["as_of"]["value"] for p in m["m-tjk-remit"]["series"]] == ["2019", "2020"]
    assert (m["m-blr-oil"]["magnitude"], m["m-blr-oil"]["currency"]) == ("billions", "USD")
    rels = {r["id"]: r for r in data["relations"]}
    assert (rels["r-tjk-base"]["kind"], rels["r-tjk-base"]["via"],
            rels["r-tjk-base"]["since"]["value"]) == ("hosts-base-of", "base-201", "1990s")
    assert rels["r-arm-rus"]["for"] == "security"
    states = {s["id"]: s for s in data["states"]}
    spans = states["uzb"]["membership"]
    assert [s["kind"] for s in spans] == ["member", "withdrawn", "restored", "withdrawn"]
    srb = states["srb"]["membership"][0]
    assert (srb["from"]["precision"], srb["body"]) == ("unknown", "csto-pa")
    assert {c["id"]: c["kind"] for c in data["conflicts"]} == {
        "c-signing-year": "contradiction", "c-kgz-date": "precision", "c-limits": "framing"}
    r1 = next(s for s in data["sources"] if s["id"] == "r1")
    assert (r1["publisher"], r1["url"], r1["language"], r1["retrieved"]["value"],
            r1["reliability"]) == ("csto-tui tests", "https://example.org/csto-tui/report",
                                   "en", "2022-03-20", "synthetic text written for the tests")


def test_facts_only_leaves_claims_out_of_briefing_and_both_exports(analyst: Path) -> None:
    ds = facts_only(load(analyst).dataset)
    brief, md = _briefings(ds), _markdown(ds)
    data = export.json_text(ds)
    for text in CLAIMS:
        assert text not in brief and text not in md, text
    ids = {e["id"] for e in json.loads(data)["events"]}
    assert "ev-2022-03-11-missiles" not in ids and "ev-growth" not in ids
    assert "ev-2022-01-kaz" in ids  # its claimed summary goes, the fact stays
    assert "Where: Syria (claim" not in data and "according to a senior" not in data
    # reported facts stay, with what is a fact in them
    assert "about 2,500 troops" in brief and "1,000-1,500 soldiers" in md


async def _ready(pilot: Any) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def _panes_text(app: CstoApp) -> str:
    return "\n".join(row.prompt.plain for pane in (app.query_one(StateList),
                                                   app.query_one(MetricsPane),
                                                   app.query_one(EventsPane),
                                                   app.query_one(ExcerptsPane))
                     for row in pane.rows)


async def _visit_everything(pilot: Any) -> str:
    """Every record of the dataset gone to (as search or the palette go to it): the text of
    the four panes each time."""
    app = pilot.app
    ds = app.data.dataset
    seen: list[str] = []
    for _name, recs in ds.all_records():
        for rec in recs:
            rid = getattr(rec, "id", None)
            if rid is None:
                continue
            app.dashboard.go_to_record(rid)
            await pilot.pause()
            seen.append(_panes_text(app))
    return "\n".join(seen)


async def test_the_panes_show_every_field(analyst: Path) -> None:
    app = CstoApp(analyst)
    async with app.run_test(size=(120, 40)) as pilot:
        await _ready(pilot)
        text = await _visit_everything(pilot)
    for what, shown in SHOWN + SHOWN_IN_PANES:
        assert shown in text, f"panes: {what}: {shown!r}"


async def test_c_switches_every_pane_the_briefing_and_the_export_to_facts_only(
        analyst: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSTO_TUI_EXPORT_DIR", str(tmp_path))
    app = CstoApp(analyst)
    async with app.run_test(size=(120, 40)) as pilot:
        await _ready(pilot)
        await pilot.press("c")
        await pilot.pause()
        assert "facts only (c)" in app.sub_title
        text = await _visit_everything(pilot)
        for claim in CLAIMS:
            assert claim not in text, claim
        app.dashboard.go_to_record("kaz")
        await pilot.pause()
        await pilot.press("e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        md = (tmp_path / "csto-briefing-kaz.md").read_text(encoding="utf-8")
        assert "> Facts only: claims, assessments, forecasts and hypotheticals" in md
        assert "The alliance's first notable" not in md and "author's assessment" not in md
        assert "about 2,500 troops" in md
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)
        # the screen says it is facts only, as the exported briefing does
        sub = str(app.screen.query_one("#briefing-subtitle", Static).render())
        assert "Facts only" in sub and "claims, assessments, forecasts and hypotheticals" in sub
        body = briefing_plain(build(app.data.dataset, "kaz"))
        assert "author's assessment" not in body and "Intervention in Kazakhstan" in body
        await pilot.press("escape")
        await pilot.pause()
        # c again: the claims are back
        await pilot.press("c")
        await pilot.pause()
        assert "facts only" not in app.sub_title
        app.dashboard.go_to_record("ev-2022-03-11-missiles")
        await pilot.pause()
        assert "according to a senior U.S. defense official" in _panes_text(app)


async def test_a_search_result_hidden_by_facts_only_says_so(analyst: Path) -> None:
    """The search covers every record; choosing one that facts only hides says why it is not
    shown, not that the dataset lacks it."""
    app = CstoApp(analyst)
    async with app.run_test(size=(120, 40)) as pilot:
        await _ready(pilot)
        await pilot.press("c")
        await pilot.pause()
        shown, loaded = app.data.dataset, app.data.loaded
        assert shown is not None and loaded is not None
        hidden = next(e.id for e in loaded.events if shown.get(e.id) is None)
        app.dashboard.go_to_record(hidden)
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert f"{hidden!r} is hidden by facts only: c shows claims too" in said
        app.dashboard.go_to_record("no-such-record")
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert "No record 'no-such-record' in the dataset" in said


async def test_the_palette_offers_facts_only(analyst: Path) -> None:
    from csto_tui.commands import palette_actions

    names = {name: action for name, _help, action, _pane in palette_actions()}
    assert names.get("Facts only") == "screen.toggle_facts_only"


# ---- snapshots -------------------------------------------------------------------------------


async def _on_intervention(pilot: Any) -> None:
    await _ready(pilot)
    pilot.app.dashboard.go_to_record("ev-2022-01-kaz")
    await pilot.pause()
    await pilot.pause()


def test_analyst_dashboard_80x24(snap_compare: Any, analyst: Path) -> None:
    """Kazakhstan's intervention: dates as precise as the text, roles, numbers, links and who
    says what, in the Crises and Sources panes."""
    assert snap_compare(CstoApp(analyst), terminal_size=(80, 24),
                        run_before=_on_intervention)


def test_analyst_dashboard_120x40(snap_compare: Any, analyst: Path) -> None:
    assert snap_compare(CstoApp(analyst), terminal_size=(120, 40),
                        run_before=_on_intervention)


async def _armenia_briefing(pilot: Any) -> None:
    await _ready(pilot)
    pilot.app.dashboard.go_to_record("arm")
    await pilot.pause()
    await pilot.press("b")
    await pilot.pause()
    await pilot.pause()


def test_analyst_briefing_80x24(snap_compare: Any, analyst: Path) -> None:
    """Armenia's briefing: membership as legal states, relations, approximate dates."""
    assert snap_compare(CstoApp(analyst), terminal_size=(80, 24), run_before=_armenia_briefing)


def test_analyst_briefing_120x40(snap_compare: Any, analyst: Path) -> None:
    assert snap_compare(CstoApp(analyst), terminal_size=(120, 40),
                        run_before=_armenia_briefing)


@pytest.mark.parametrize("fmt", ["markdown", "json"])
def test_export_facts_only_on_the_command_line(analyst: Path, fmt: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    from csto_tui.cli import main

    assert main(["export", "--data", str(analyst), "--format", fmt, "--state", "kaz",
                 "--facts-only"]) == 0
    out = capsys.readouterr().out
    assert "first notable operation (claim" not in out and "author's assessment" not in out
    assert ("> Facts only" in out) if fmt == "markdown" else json.loads(out)["facts_only"]
    assert main(["export", "--data", str(analyst), "--format", fmt, "--state", "kaz"]) == 0
    out = capsys.readouterr().out
    assert "author's assessment" in out and "Facts only" not in out


def test_an_inferred_field_is_named_in_words_not_by_its_toml_key() -> None:
    """The shipped data's inferred notes on an ``as_of`` read "as of" in the briefing and
    its Markdown export (where ``as_of`` also came out escaped, ``as\\_of``)."""
    from csto_tui import export
    from csto_tui.loader import load as load_shipped

    ds = load_shipped().dataset
    body = briefing_plain(build(ds, "kgz"))
    assert "Inferred: as of: " in body and "as_of" not in body
    md = export.markdown(ds, ["kgz"], {})
    assert "Inferred: as of: " in md and "as\\_of" not in md and "as_of" not in md
