"""The analyst's vocabulary (csto_tui.facts): dates, amounts of time, actions, figures and
attribution texts, each parsed and shown as docs/dataset.md says."""

from __future__ import annotations

import pytest

from csto_tui.facts import (
    ACTION_CATEGORIES,
    PLOVER,
    RESPONSE_CODES,
    RESPONSE_MARKERS,
    Action,
    Amount,
    When,
    attribution_text,
    figure_text,
)


@pytest.mark.parametrize("text, kind, shown, earliest, latest", [
    ("2022", "year", "2022", "2022-01-01", "2022-12-31"),
    ("2010-06", "month", "Jun 2010", "2010-06-01", "2010-06-30"),
    ("2022-01-05", "day", "5 Jan 2022", "2022-01-05", "2022-01-05"),
    ("early 2019", "part", "early 2019", "2019-01-01", "2019-04-30"),
    ("mid 2019", "part", "mid 2019", "2019-05-01", "2019-08-31"),
    ("late 2024-02", "part", "late Feb 2024", "2024-02-21", "2024-02-29"),
    ("1990s", "decade", "1990s", "1990-01-01", "1999-12-31"),
    ("about 2014", "about", "about 2014", "2014-01-01", "2014-12-31"),
    ("before 2022", "before", "before 2022", None, "2022-01-01"),
    ("after 2022-02-19", "after", "after 19 Feb 2022", "2022-02-19", None),
    ("unknown", "unknown", "undated", None, None),
])
def test_when_forms(text: str, kind: str, shown: str, earliest: str | None,
                    latest: str | None) -> None:
    w = When.parse(text)
    assert (w.kind, w.display()) == (kind, shown)
    assert w.json() == {"value": text, "precision": kind, "earliest": earliest,
                        "latest": latest}
    assert w.approximate == (kind not in ("day", "month", "year"))


@pytest.mark.parametrize("text, why", [
    ("spring 2019", "is not a date of the form"),
    ("2019-13", "month 13 is not 1-12"),
    ("early 2019-13", "month 13 is not 1-12"),
    ("2019-02-30", "day 30 is not 1-28"),
    ("199s", "is not a date of the form"),
    ("about early 2019", "is not a date of the form"),
    (2019, "is not a date"),
])
def test_when_refuses(text: object, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        When.parse(text)


def test_when_order_puts_periods_after_their_days_and_unknown_last() -> None:
    texts = ["unknown", "2022", "late 2021", "before 2022", "2022-01-05", "2022-01",
             "after 2022-01-05", "1990s", "early 2019", "about 2019", "2019-03"]
    ordered = [w.text for w in sorted(map(When.parse, texts), key=When.sort_key)]
    assert ordered == ["1990s", "2019-03", "early 2019", "about 2019", "late 2021",
                       "before 2022", "2022-01-05", "after 2022-01-05", "2022-01", "2022",
                       "unknown"]


@pytest.mark.parametrize("text, count, vague, hedge, unit", [
    ("a week", 1, None, None, "week"),
    ("3 days", 3, None, None, "day"),
    ("two decades", 2, None, None, "decade"),
    ("a few months", None, "a few", None, "month"),
    ("just days", None, "some", "just", "day"),
    ("about 3 weeks", 3, None, "about", "week"),
    ("shortly", None, "shortly", None, None),
])
def test_amounts(text: str, count: int | None, vague: str | None, hedge: str | None,
                 unit: str | None) -> None:
    a = Amount.parse(text)
    assert a.json() == {"text": text, "count": count, "vague": vague, "hedge": hedge,
                        "unit": unit}
    assert a.display() == text


@pytest.mark.parametrize("text", ["3 parsecs", "a fortnight", "", "weekly"])
def test_amount_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="is not an amount of time"):
        Amount.parse(text)


def test_every_response_word_is_shorthand_for_a_code_with_its_own_marker() -> None:
    for word, code in RESPONSE_CODES.items():
        act = Action.parse(word, words=True)
        if not code:
            assert act is None
            continue
        assert act is not None and act.code == code
        assert act.response == word
        assert act.marker == RESPONSE_MARKERS[word]


def test_every_category_and_mode_maps_to_a_marker() -> None:
    for cat in ACTION_CATEGORIES:
        for mode in ("", *PLOVER.get(cat, ())):
            act = Action.parse(f"{cat}:{mode}" if mode else cat)
            assert act is not None and act.marker in RESPONSE_MARKERS.values()


@pytest.mark.parametrize("code, marker, shown, extension", [
    ("reject:assist", "[x]", "reject (assist)", False),
    ("no-response", "[ ]", "no response", True),
    ("statement", "[!]", "statement", True),
    ("consult:third-party", "[=]", "consult (third-party)", False),
    ("consult:visit", "[!]", "consult (visit)", False),
    ("mobilize:troops", "[>]", "mobilize (troops)", False),
    ("mobilize:weapons", "[d]", "mobilize (weapons)", False),
    ("aid:humanitarian", "[+]", "aid (humanitarian)", True),
    ("retreat:withdraw", "[+]", "retreat (withdraw)", False),
    ("support:sign", "[*]", "support (sign)", True),
])
def test_action_codes(code: str, marker: str, shown: str, extension: bool) -> None:
    act = Action.parse(code)
    assert act is not None
    assert (act.marker, act.display(), act.extension) == (marker, shown, extension)


@pytest.mark.parametrize("text, why", [
    ("frobnicate", "'frobnicate' is not a PLOVER category or extension"),
    ("reject:troops", "'troops' is not a mode of 'reject' \\(modes: assist, change"),
    ("agree:sign", "'sign' is not a mode of 'agree' \\(modes: none\\)"),
    ("declined", "'declined' is not a PLOVER category"),  # a word only where words are allowed
])
def test_action_refuses(text: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        Action.parse(text)


@pytest.mark.parametrize("kwargs, shown", [
    ({"value": 26, "qualifier": "more than", "unit": "% of GDP"}, "more than 26% of GDP"),
    ({"value": 2500, "unit": "troops"}, "2,500 troops"),
    ({"value": None, "magnitude": "dozens", "unit": "soldiers"}, "dozens of soldiers"),
    ({"value": None, "low": 24, "high": 31, "unit": "%"}, "24-31%"),
    ({"value": None, "magnitude": "billions", "currency": "USD"}, "billions USD"),
    ({"value": 20_000_000, "qualifier": "some", "currency": "USD"}, "some 20,000,000 USD"),
    ({"value": 1.5, "unit": "%"}, "1.5%"),
])
def test_figure_text(kwargs: dict[str, object], shown: str) -> None:
    assert figure_text(**kwargs) == shown  # type: ignore[arg-type]


@pytest.mark.parametrize("stance, name, shown", [
    ("fact", "", ""),
    ("fact", "Independent Media Institute", "according to Independent Media Institute"),
    ("claim", "Russia", "claim, according to Russia"),
    ("assessment", "", "author's assessment"),
    ("forecast", "Stanislav Zas", "forecast, according to Stanislav Zas"),
    ("hypothetical", "", "hypothetical"),
])
def test_attribution_text(stance: str, name: str, shown: str) -> None:
    assert attribution_text(stance, name) == shown
