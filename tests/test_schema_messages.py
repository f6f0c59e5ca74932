"""Every field of the analyst schema (docs/dataset.md) reports a bad value at its place:
file:line:col, the record's id and the field (nested ones as ``participants[2].role``).

Each case appends one faulty record to the analyst test dataset (tests/data/analyst), which is
clean on its own; the line marked ``# <-`` is where the problem must be reported.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from csto_tui.loader import load

ANALYST = Path(__file__).resolve().parent / "data" / "analyst"

EVENT = '''
[[events]]
id = "ev-bad"
date = "2022"
title = "t"
response = "none"
summary = "s"
quotes = ["q-sun"]
'''

METRIC = '''
[[metrics]]
id = "m-bad"
state = "kaz"
category = "economic"
measure = "m"
quotes = ["q-remit"]
'''

RELATION = '''
[[relations]]
id = "r-bad"
kind = "depends-on"
from = "arm"
to = "rus"
for = "security"
quotes = ["q-arm-depends"]
'''

STATE = '''
[[states]]
id = "st-bad"
name = "Badland"
status = "outside"
quotes = ["q-sun"]
'''

SPAN = '''
[[states]]
id = "st-bad"
name = "Badland"
status = "former-member"
quotes = ["q-sun"]
[[states.membership]]
kind = "member"
from = "1994"
to = "1999"
quotes = ["q-sun"]
'''

CONFLICT = '''
[[conflicts]]
id = "c-bad"
topic = "t"
records = ["ev-1991-sun"]
[[conflicts.readings]]
quote = "q-signed-1992"
says = "a"
[[conflicts.readings]]
quote = "q-signed-1993"
says = "b"
'''

SOURCE = '''
[[sources]]
id = "r-bad"
file = "report.txt"
'''

QUANTITY = EVENT + '''[[events.quantities]]
what = "troops"
'''

SERIES = METRIC + '''unit = "%"
value = 1
[[metrics.series]]
'''

# (name, TOML appended, record, field, message pattern); the line ending in "# <-" is the
# problem's line
CASES: list[tuple[str, str, str, str, str]] = [
    # ---- attribution
    ("stance", EVENT + 'stance = "rumour"  # <-\n', "ev-bad", "stance",
     r"'rumour' is not one of: fact, claim, assessment, forecast, hypothetical"),
    ("claimant", EVENT + 'claimant = "nobody"  # <-\n', "ev-bad", "claimant",
     r"claimant 'nobody' is neither 'author' nor a state or entity"),
    ("assessment-not-author", EVENT + 'claimant = "rus"  # <-\nstance = "assessment"\n',
     "ev-bad", "claimant",
     r"an assessment is the author's own: with claimant 'rus' it is a claim"),
    ("attribution-field", EVENT + '[[events.attributions]]\nfields = ["colour"]  # <-\n'
     'claimant = "rus"\n', "ev-bad", "attributions[1].fields",
     r"'colour' is not a field of an event"),
    ("attribution-no-field", EVENT + '[[events.attributions]]\nfields = []  # <-\n'
     'claimant = "rus"\n', "ev-bad", "attributions[1].fields",
     r"name at least one field"),
    ("attribution-claimant", RELATION + '[[relations.attributions]]\nfields = ["for"]\n'
     'claimant = "x"  # <-\n', "r-bad", "attributions[1].claimant",
     r"claimant 'x' is neither 'author' nor a state or entity"),
    ("metric-attribution-stance", METRIC + 'present = true\n[[metrics.attributions]]\n'
     'fields = ["measure"]\nstance = "maybe"  # <-\n', "m-bad", "attributions[1].stance",
     r"'maybe' is not one of: fact, claim"),
    # ---- inferred
    ("inferred-unknown-field", EVENT + 'inferred = { colour = "why"}  # <-\n', "ev-bad",
     "inferred.colour", r"'colour' is not a field of an event"),
    ("inferred-unset-field", EVENT + 'inferred = { end = "why"}  # <-\n', "ev-bad",
     "inferred.end", r"'end' is not set in this record: only a value can be inferred"),
    ("inferred-blank", EVENT + 'inferred = { date = " "}  # <-\n', "ev-bad", "inferred.date",
     r"the reasoning must be one non-blank line"),
    ("inferred-not-table", EVENT + 'inferred = "date"  # <-\n', "ev-bad", "inferred",
     r"'inferred' must be a table of field = \"reasoning\""),
    ("inferred-on-state", STATE + 'inferred = { role = "why" }  # <-\n', "st-bad",
     "inferred.role", r"'role' is not set in this record"),
    # ---- dates
    ("date-form", EVENT.replace('date = "2022"', 'date = "spring 2019"  # <-'), "ev-bad",
     "date", r"'spring 2019' is not a date of the form YYYY, YYYY-MM, YYYY-MM-DD, "
     r"'early\|mid\|late"),
    ("end-before-date", EVENT + 'end = "2021"  # <-\n', "ev-bad", "end",
     r"ends \(2021\) before it starts \(2022\)"),
    ("duration", EVENT + 'duration = "a fortnight"  # <-\n', "ev-bad", "duration",
     r"'a fortnight' is not an amount of time"),
    ("offset", EVENT + 'after = "ev-1991-sun"\noffset = "3 parsecs"  # <-\n', "ev-bad",
     "offset", r"'3 parsecs' is not an amount of time"),
    ("after-and-before", EVENT + 'after = "ev-1991-sun"\nbefore = "ev-growth"  # <-\n',
     "ev-bad", "before", r"'after' and 'before' exclude each other"),
    ("offset-alone", EVENT + 'offset = "a week"  # <-\n', "ev-bad", "offset",
     r"'offset' needs 'after' or 'before'"),
    ("after-unknown", EVENT + 'after = "ev-nowhere"  # <-\n', "ev-bad", "after",
     r"event 'ev-nowhere' does not exist"),
    ("after-itself", EVENT + 'after = "ev-bad"  # <-\n', "ev-bad", "after",
     r"an event cannot be dated relative to itself"),
    # ---- events: actor, action, response, location, participants, quantities, links
    ("actor", EVENT + 'actor = ["kaz", "nobody"]  # <-\n', "ev-bad", "actor",
     r"actor 'nobody' is neither a state nor an entity"),
    ("action-category", EVENT + 'action = "frobnicate"  # <-\n', "ev-bad", "action",
     r"'frobnicate' is not a PLOVER category or extension"),
    ("action-mode", EVENT + 'action = "reject:troops"  # <-\n', "ev-bad", "action",
     r"'troops' is not a mode of 'reject' \(modes: assist, change, yield, meet\)"),
    ("response", EVENT.replace('response = "none"', 'response = "ignored"  # <-'), "ev-bad",
     "response", r"'ignored' is not a PLOVER category or extension .*or one of intervened, "
     r"declined"),
    ("location", EVENT + 'location = "atlantis"  # <-\n', "ev-bad", "location",
     r"location 'atlantis' is neither a state nor an entity"),
    ("participant-role", EVENT + '[[events.participants]]\nwho = "kaz"\n'
     '[[events.participants]]\nwho = "rus"\nrole = "bystander"  # <-\n', "ev-bad",
     "participants[2].role", r"'bystander' is not one of: requester, target, host, responder"),
    ("participant-who", EVENT + '[[events.participants]]\nwho = "nobody"  # <-\n'
     'role = "host"\n', "ev-bad", "participants[1].who",
     r"participant 'nobody' is neither a state nor an entity"),
    ("participant-missing-who", EVENT + '[[events.participants]]  # <-\nrole = "host"\n',
     "ev-bad", "participants[1].who", r"missing required field 'who'"),
    ("quantity-no-figure", QUANTITY.replace("quantities]]", "quantities]]  # <-")
     + 'unit = "troops"\n', "ev-bad",
     "quantities[1]", r"a figure needs one of 'value', 'low'/'high' or 'magnitude'"),
    ("quantity-two-figures", QUANTITY + 'value = 3\nmagnitude = "dozens"  # <-\n'
     'unit = "troops"\n', "ev-bad", "quantities[1].magnitude",
     r"give one of 'value', 'low'/'high' or 'magnitude', not several"),
    ("quantity-range", QUANTITY + 'low = 30\nhigh = 20  # <-\nunit = "troops"\n', "ev-bad",
     "quantities[1].high", r"'low' \(30\) is above 'high' \(20\)"),
    ("quantity-qualifier", QUANTITY + 'value = 3\nqualifier = "loads of"  # <-\n'
     'unit = "troops"\n', "ev-bad", "quantities[1].qualifier",
     r"'loads of' is not one of: more than, over, at least"),
    ("quantity-magnitude", QUANTITY + 'magnitude = "heaps"  # <-\nunit = "troops"\n',
     "ev-bad", "quantities[1].magnitude", r"'heaps' is not one of: a few, several, dozens"),
    ("quantity-currency", QUANTITY + 'value = 3\ncurrency = "dollars"  # <-\n', "ev-bad",
     "quantities[1].currency", r"'dollars' is not an ISO 4217 currency code"),
    ("quantity-unit", QUANTITY + 'value = 3  # <-\n', "ev-bad", "quantities[1].value",
     r"a figure needs a 'unit' or a 'currency'"),
    ("quantity-as-of", QUANTITY + 'value = 3\nunit = "t"\nas_of = "soon"  # <-\n', "ev-bad",
     "quantities[1].as_of", r"'soon' is not a date of the form"),
    ("quantity-stance", QUANTITY + 'value = 3\nunit = "t"\nstance = "guess"  # <-\n',
     "ev-bad", "quantities[1].stance", r"'guess' is not one of: fact, claim"),
    ("link-kind", EVENT + '[[events.links]]\nkind = "causes"  # <-\nevent = "ev-1991-sun"\n',
     "ev-bad", "links[1].kind", r"'causes' is not one of: responds-to, ends, follows, part-of"),
    ("link-event", EVENT + '[[events.links]]\nkind = "ends"\nevent = "ev-nowhere"  # <-\n',
     "ev-bad", "links[1].event", r"event 'ev-nowhere' does not exist"),
    # ---- membership
    ("span-kind", SPAN + '[[states.membership]]\nkind = "associate"  # <-\nfrom = "2000"\n'
     'quotes = ["q-sun"]\n', "st-bad", "membership[2].kind",
     r"'associate' is not one of: signatory, member, suspended, restored, withdrawn, "
     r"observer, partner"),
    ("span-body", SPAN + '[[states.membership]]\nkind = "observer"\nfrom = "unknown"\n'
     'body = "nobody"  # <-\nquotes = ["q-sun"]\n', "st-bad", "membership[2].body",
     r"body 'nobody' is not an entity"),
    ("span-overlap", SPAN + '[[states.membership]]  # <-\nkind = "withdrawn"\n'
     'from = "1998"\nquotes = ["q-sun"]\n', "st-bad", "membership[2]",
     r"membership spans overlap: member 1994-1999 and withdrawn 1998-now"),
    ("span-from", SPAN + '[[states.membership]]\nkind = "withdrawn"\n'
     'from = "recently"  # <-\nquotes = ["q-sun"]\n', "st-bad", "membership[2].from",
     r"'recently' is not a date of the form"),
    ("span-open-former", SPAN.replace("[[states.membership]]",
                                       "[[states.membership]]  # <-")
     + '[[states.membership]]\nkind = "restored"\n'
     'from = "2006"\nquotes = ["q-sun"]\n', "st-bad", "membership",
     r"status is 'former-member' but a member span is still open"),
    # ---- entities
    ("entity-kind", '\n[[entities]]\nid = "en-bad"\nkind = "empire"  # <-\nname = "x"\n'
     'quotes = ["q-sun"]\n', "en-bad", "kind",
     r"'empire' is not one of: organization, body, .*mechanism.*base.*group.*"
     r"de-facto-state, defunct-state"),
    # ---- metrics: figures and series
    ("metric-year-and-as-of", METRIC + 'value = 1\nunit = "%"\nyear = 2020\n'
     'as_of = "2020"  # <-\n', "m-bad", "as_of", r"give 'year' or 'as_of', not both"),
    ("metric-range", METRIC + 'low = 5\nhigh = 1  # <-\nunit = "%"\n', "m-bad", "high",
     r"'low' \(5\) is above 'high' \(1\)"),
    ("metric-currency", METRIC + 'magnitude = "billions"\ncurrency = "usd"  # <-\n', "m-bad",
     "currency", r"'usd' is not an ISO 4217 currency code"),
    ("series-as-of", SERIES.replace("series]]", "series]]  # <-") + 'value = 3\n', "m-bad",
     "series[1].as_of",
     r"missing required field 'as_of'"),
    ("series-repeat", SERIES + 'as_of = "2020"\nvalue = 3\n[[metrics.series]]\n'
     'as_of = "2020"  # <-\nvalue = 4\n', "m-bad", "series[2].as_of",
     r"the series has two figures as of 2020"),
    ("series-figure", SERIES.replace("series]]", "series]]  # <-") + 'as_of = "2020"\n',
     "m-bad", "series[1]",
     r"a figure needs one of 'value', 'low'/'high' or 'magnitude'"),
    # ---- relations
    ("relation-kind", RELATION.replace('kind = "depends-on"', 'kind = "likes"  # <-'),
     "r-bad", "kind", r"'likes' is not one of: hosts-base-of, member-of, depends-on"),
    ("relation-from", RELATION.replace('from = "arm"', 'from = "nobody"  # <-'), "r-bad",
     "from", r"'nobody' is neither a state nor an entity"),
    ("relation-self", RELATION.replace('to = "rus"', 'to = "arm"  # <-'), "r-bad", "to",
     r"a relation links two different records \(from and to are both 'arm'\)"),
    ("relation-for", RELATION.replace('for = "security"\n', '').replace(
        'id = "r-bad"', 'id = "r-bad"  # <-'),
     "r-bad", "for", r"'depends-on' needs 'for': what the dependence is for"),
    ("relation-until", RELATION + 'since = "2010"\nuntil = "2000"  # <-\n', "r-bad", "until",
     r"ends \(2000\) before it starts \(2010\)"),
    ("relation-via", RELATION + 'via = "nowhere"  # <-\n', "r-bad", "via",
     r"via 'nowhere' is not an entity"),
    ("relation-uncited", RELATION.replace('quotes = ["q-arm-depends"]', 'quotes = []  # <-'),
     "r-bad", "quotes", r"cites no quote"),
    # ---- conflicts
    ("conflict-kind", CONFLICT.replace('topic = "t"', 'topic = "t"\nkind = "disagreement"  # <-'),
     "c-bad", "kind",
     r"'disagreement' is not one of: contradiction, precision, framing"),
    ("conflict-note", CONFLICT.replace('topic = "t"',
                                       'topic = "t"\nkind = "framing"\nnote = "one\\ntwo"  # <-'),
     "c-bad",
     "note", r"the reading \('note'\) must be one line"),
    # ---- sources
    ("source-url", SOURCE + 'url = "example.org/x"  # <-\n', "r-bad", "url",
     r"'example.org/x' is not an http\(s\) URL"),
    ("source-language", SOURCE + 'language = "English"  # <-\n', "r-bad", "language",
     r"'English' is not a BCP 47 language tag"),
    ("source-retrieved", SOURCE + 'retrieved = "last week"  # <-\n', "r-bad", "retrieved",
     r"'last week' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"),
]


@pytest.fixture
def analyst(tmp_path: Path) -> Path:
    shutil.copytree(ANALYST, tmp_path / "analyst")
    return tmp_path / "analyst" / "analyst.toml"


def test_the_analyst_dataset_is_clean(analyst: Path) -> None:
    res = load(analyst)
    assert [p.format() for p in res.problems] == []


@pytest.mark.parametrize("name, extra, record, fld, pattern", CASES, ids=[c[0] for c in CASES])
def test_each_field_reports_at_its_place(analyst: Path, name: str, extra: str, record: str,
                                         fld: str, pattern: str) -> None:
    text = analyst.read_text(encoding="utf-8") + extra
    analyst.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    want_line = next(n for n, line in enumerate(lines, 1) if line.endswith("# <-"))
    res = load(analyst)
    mine = [p for p in res.problems if p.record == record and p.field == fld
            and re.search(pattern, p.message)]
    assert mine, "\n".join(p.format() for p in res.problems)
    p = mine[0]
    assert p.file == str(analyst)
    assert p.line == want_line, p.format()
    # the column points at the value (after "key = ") on that line, or at the table header
    line = lines[want_line - 1]
    assert p.column is not None and 1 <= p.column <= len(line), p.format()
    assert f"{analyst}:{want_line}:{p.column}" in p.format()
    assert f"{record}.{fld}" in p.format()


def test_an_optional_word_left_blank_is_not_given(analyst: Path) -> None:
    """``qualifier = ""`` or ``stance = ""`` (as generated datasets write them) mean "not given":
    no problem, the default."""
    text = analyst.read_text(encoding="utf-8") + METRIC + (
        'value = 3\nunit = "%"\nqualifier = ""\nstance = ""\n')
    analyst.write_text(text, encoding="utf-8")
    res = load(analyst)
    assert [p.format() for p in res.problems] == []
    m = next(m for m in res.dataset.metrics if m.id == "m-bad")
    assert (m.qualifier, m.stance) == ("", "fact")
