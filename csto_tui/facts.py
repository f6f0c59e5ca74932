"""The analyst's vocabulary: who says what and how firmly, dates as precise as the text,
amounts of time, actions (PLOVER), figures, roles, links and relations.

Every word a dataset may use in these fields is defined here once, with its label; the
registry (:mod:`csto_tui.records`) declares the fields that use them, and the panes, the
briefing and both exports show them through the functions below. ``docs/dataset.md``
documents each word with an example.

Plain Python: this module never imports textual.
"""

from __future__ import annotations

import re
from typing import Any

from .values import MONTHS, PartialDate, _set, _Value, days_in_month

# --------------------------------------------------------------------------------------------
# attribution: who makes a claim, and how firmly


#: The claimant when the article itself says it (the default).
AUTHOR = "author"

#: How firmly a record is asserted, and by whom (``claimant``).
STANCES: tuple[str, ...] = ("fact", "claim", "assessment", "forecast", "hypothetical")
#: What facts only leaves out, in words, as every view of it says so (the ``c`` key's help and
#: notice, the briefing screen, ``export --facts-only`` and its exported briefing): every
#: stance but fact ("claims, assessments, forecasts and hypotheticals").
FACTS_ONLY_LEFT_OUT = ", ".join(f"{s}s" for s in STANCES[1:-1]) + f" and {STANCES[-1]}s"
STANCE_LABELS: dict[str, str] = {
    "fact": "reported fact",
    "claim": "claim",
    "assessment": "author's assessment",
    "forecast": "forecast",
    "hypothetical": "hypothetical",
}


def attribution_text(stance: str, claimant_name: str = "") -> str:
    """What the reader is told about a record's footing: ``""`` for a fact the article states
    itself, ``according to Russia`` for a fact reported from someone, ``claim, according to
    Russia``, ``author's assessment``, ``forecast, according to Stanislav Zas``..."""
    according = f"according to {claimant_name}" if claimant_name else ""
    if stance == "fact" or not stance:
        return according
    label = STANCE_LABELS.get(stance, stance)
    return f"{label}, {according}" if according else label


#: The marker shown after a value inferred from context rather than stated.
INFERRED_MARK = "?"


# --------------------------------------------------------------------------------------------
# dates at the precision of the text

#: Parts of a year or month: the months (or days) each covers.
PARTS: dict[str, tuple[int, int]] = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}
_PART_DAYS: dict[str, tuple[int, int]] = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}

# ASCII digits only, matched against the whole text (fullmatch)
_ISO = r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?"
_ISO_RE = re.compile(_ISO)
_PART_RE = re.compile(r"(early|mid|late) ([0-9]{4})(?:-([0-9]{2}))?")
_DECADE_RE = re.compile(r"([0-9]{3})0s")
_BOUND_RE = re.compile(rf"(about|before|after) {_ISO}")

#: Kinds of date, from the most to the least precise.
WHEN_KINDS: tuple[str, ...] = (
    "day", "month", "year", "part", "decade", "about", "before", "after", "unknown")

WHEN_GRAMMAR = ("YYYY, YYYY-MM, YYYY-MM-DD, 'early|mid|late YYYY[-MM]', 'YYY0s', "
                "'about|before|after YYYY[-MM[-DD]]' or 'unknown'")


class When(_Value):
    """A date as precise as the text gives it: a day, a month, a year, part of a year or month
    (``early 2019``), a decade (``1990s``), about / before / after a date, or ``unknown``.

    ``lo`` and ``hi`` are the first and last day it may mean, as ``(year, month, day)``
    (``None`` when unbounded); ``date`` is the exact date inside it, for the kinds that have one.
    """

    __slots__ = _fields = ("text", "kind", "date", "lo", "hi")
    text: str
    kind: str
    date: PartialDate | None
    lo: tuple[int, int, int] | None
    hi: tuple[int, int, int] | None

    def __init__(self, text: str, kind: str, date: PartialDate | None,
                 lo: tuple[int, int, int] | None, hi: tuple[int, int, int] | None) -> None:
        _set(self, "text", text)
        _set(self, "kind", kind)
        _set(self, "date", date)
        _set(self, "lo", lo)
        _set(self, "hi", hi)

    @classmethod
    def parse(cls, text: object) -> When:
        """Parse one of :data:`WHEN_GRAMMAR`; raise ``ValueError`` saying what is wrong."""
        if not isinstance(text, str):
            raise ValueError(f"{text!r} is not a date ({WHEN_GRAMMAR})")
        s = text.strip(" ")
        if s == "unknown":
            return cls(s, "unknown", None, None, None)
        m = _ISO_RE.fullmatch(s)
        if m:
            d = PartialDate.parse(s)
            return cls(s, d.precision, d, _first_day(d), _last_day(d))
        m = _PART_RE.fullmatch(s)
        if m:
            part, year, month = m.group(1), int(m.group(2)), m.group(3)
            if month is None:
                a, b = PARTS[part]
                return cls(s, "part", None, (year, a, 1), (year, b, _days(year, b)))
            mo = int(month)
            if not 1 <= mo <= 12:
                raise ValueError(f"{text!r}: month {mo} is not 1-12")
            a, b = _PART_DAYS[part]
            return cls(s, "part", None, (year, mo, a), (year, mo, min(b, _days(year, mo))))
        m = _DECADE_RE.fullmatch(s)
        if m:
            start = int(m.group(1)) * 10
            return cls(s, "decade", None, (start, 1, 1), (start + 9, 12, 31))
        m = _BOUND_RE.fullmatch(s)
        if m:
            word = m.group(1)
            d = PartialDate.parse(s.split(" ", 1)[1])
            if word == "about":
                return cls(s, "about", d, _first_day(d), _last_day(d))
            if word == "before":
                return cls(s, "before", d, None, _first_day(d))
            return cls(s, "after", d, _last_day(d), None)
        raise ValueError(f"{text!r} is not a date of the form {WHEN_GRAMMAR}")

    @classmethod
    def of(cls, d: PartialDate) -> When:
        """The exact date ``d`` as a :class:`When`."""
        return cls(d.iso(), d.precision, d, _first_day(d), _last_day(d))

    # ---- what the rest of the program asks of a date ------------------------------------
    @property
    def precision(self) -> str:
        return self.kind

    @property
    def approximate(self) -> bool:
        return self.kind not in ("day", "month", "year")

    @property
    def known(self) -> bool:
        return self.kind != "unknown"

    @property
    def year(self) -> int | None:
        """The year it falls in, or the first year it may mean (None when unknown)."""
        if self.date is not None:
            return self.date.year
        if self.lo is not None:
            return self.lo[0]
        if self.hi is not None:
            return self.hi[0]
        return None

    def iso(self) -> str:
        """The date as written in the dataset (normalised spaces)."""
        return self.text

    def display(self) -> str:
        """Human form: ``5 Jan 2022``, ``Jan 2022``, ``2022``, ``early 2019``, ``early Mar
        2022``, ``1990s``, ``about 2019``, ``before 2022``, ``undated``."""
        if self.kind in ("day", "month", "year"):
            assert self.date is not None
            return self.date.display()
        if self.kind == "part":
            part, rest = self.text.split(" ", 1)
            if "-" in rest:
                y, mo = rest.split("-")
                return f"{part} {MONTHS[int(mo) - 1]} {y}"
            return self.text
        if self.kind in ("about", "before", "after"):
            assert self.date is not None
            return f"{self.kind} {self.date.display()}"
        if self.kind == "unknown":
            return "undated"
        return self.text

    def sort_key(self) -> tuple[int, int, int]:
        """Order of dates, as :meth:`PartialDate.sort_key`: a period sorts at its end, after the
        precise dates inside it; ``before X`` just before X; ``unknown`` last."""
        if self.kind in ("day", "month", "year", "about"):
            assert self.date is not None
            return self.date.sort_key()
        if self.kind == "part" or self.kind == "decade":
            assert self.hi is not None
            y, m, d = self.hi
            return (y, m, d + 1) if self.kind == "part" else (y, 13, 32)
        if self.kind == "before":
            assert self.hi is not None
            y, m, d = self.hi
            return (y, m - 1 if d == 1 and m > 1 else m, 0)
        if self.kind == "after":
            assert self.date is not None
            y, m, d = self.date.sort_key()
            return (y, m, d + 1)
        return (9999, 13, 32)

    def json(self) -> dict[str, Any]:
        """The JSON export of a date: as written, its kind, the first and last day it may mean."""
        return {"value": self.text, "precision": self.kind,
                "earliest": _iso3(self.lo), "latest": _iso3(self.hi)}

    def __str__(self) -> str:
        return self.text

    # an exact date equals the PartialDate it holds (records made by hand compare either way)
    def __eq__(self, other: object) -> bool:
        if type(other) is PartialDate:
            return self.date == other and self.kind in ("day", "month", "year")
        return super().__eq__(other)

    def __hash__(self) -> int:
        if self.kind in ("day", "month", "year"):
            return hash(self.date)
        return super().__hash__()


_days = days_in_month


def _first_day(d: PartialDate) -> tuple[int, int, int]:
    return (d.year, d.month or 1, d.day or 1)


def _last_day(d: PartialDate) -> tuple[int, int, int]:
    month = d.month or 12
    return (d.year, month, d.day or _days(d.year, month))


def _iso3(t: tuple[int, int, int] | None) -> str | None:
    return None if t is None else f"{t[0]:04d}-{t[1]:02d}-{t[2]:02d}"


# --------------------------------------------------------------------------------------------
# amounts of time: durations and offsets ("a week", "a few months", "just days")

#: Units of time, singular.
TIME_UNITS: tuple[str, ...] = ("day", "week", "month", "year", "decade")
#: Words for a count the text leaves vague.
VAGUE_COUNTS: tuple[str, ...] = ("a few", "several", "some", "many")
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
                 "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twelve": 12}
#: Hedges before an amount of time.
TIME_HEDGES: tuple[str, ...] = ("about", "just", "nearly", "more than", "less than")

_AMOUNT_RE = re.compile(
    r"(?:(" + "|".join(TIME_HEDGES) + r") )?"
    r"(?:([0-9]+|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
    + "|" + "|".join(VAGUE_COUNTS) + r") )?"
    r"(" + "|".join(TIME_UNITS) + r")s?")

AMOUNT_GRAMMAR = ("'[about|just|nearly|more than|less than] [N|a|two|...|a few|several|some|"
                  "many] day|week|month|year|decade[s]' or 'shortly'")


class Amount(_Value):
    """An amount of time as the text gives it: ``a week``, ``2 months``, ``a few months``,
    ``just days``, ``shortly``. ``count`` is None when the text leaves it vague."""

    __slots__ = _fields = ("text", "hedge", "count", "vague", "unit")
    text: str
    hedge: str
    count: int | None
    vague: str
    unit: str

    def __init__(self, text: str, hedge: str, count: int | None, vague: str, unit: str) -> None:
        _set(self, "text", text)
        _set(self, "hedge", hedge)
        _set(self, "count", count)
        _set(self, "vague", vague)
        _set(self, "unit", unit)

    @classmethod
    def parse(cls, text: object) -> Amount:
        if not isinstance(text, str):
            raise ValueError(f"{text!r} is not an amount of time ({AMOUNT_GRAMMAR})")
        s = text.strip(" ")
        if s == "shortly":
            return cls(s, "", None, "shortly", "")
        m = _AMOUNT_RE.fullmatch(s)
        if not m:
            raise ValueError(f"{text!r} is not an amount of time of the form {AMOUNT_GRAMMAR}")
        hedge, count, unit = m.group(1) or "", m.group(2) or "", m.group(3)
        if count.isdigit():
            n: int | None = int(count)
        else:
            n = _NUMBER_WORDS.get(count)
        vague = count if count in VAGUE_COUNTS or not count else ""
        if not count:
            vague = "some"  # "just days": an unstated number of days
        return cls(s, hedge, n, vague, unit)

    def display(self) -> str:
        return self.text

    def json(self) -> dict[str, Any]:
        return {"text": self.text, "count": self.count, "vague": self.vague or None,
                "hedge": self.hedge or None, "unit": self.unit or None}

    def __str__(self) -> str:
        return self.text


# --------------------------------------------------------------------------------------------
# actions: PLOVER categories and modes, with this project's documented extensions

#: PLOVER event categories (lower case), with their modes. An empty tuple: PLOVER defines no
#: modes for the category (``EXTENSION_MODES`` may add some).
PLOVER: dict[str, tuple[str, ...]] = {
    "agree": (),
    "consult": ("visit", "third-party", "multilateral", "phone"),
    "support": (),
    "concede": (),
    "cooperate": (),
    "aid": (),
    "retreat": ("withdraw", "release", "disarm", "ceasefire", "access", "resign"),
    "request": ("assist", "change", "yield", "meet"),
    "accuse": ("disapprove", "investigate", "allege"),
    "reject": ("assist", "change", "yield", "meet"),
    "threaten": ("restrict", "arrest", "relations", "expel", "territory", "violence"),
    "protest": ("demo", "riot", "strike", "hunger", "boycott", "obstruct"),
    "sanction": ("convict", "expel", "withdraw", "discontinue"),
    "mobilize": ("troops", "weapons", "police", "militia"),
    "coerce": ("seize", "restrict", "censor", "curfew", "martial-law", "arrest", "deport",
               "withhold", "misinformation", "cyber"),
    "assault": ("abduct", "beat", "torture", "sexual", "targeted", "destroy", "primitive",
                "firearms", "explosives", "suicide-attack", "aerial", "drone",
                "heavy-weapons", "crowd-control", "unconventional"),
}
#: Categories this project adds to PLOVER (documented in docs/dataset.md).
EXTENSION_CATEGORIES: dict[str, str] = {
    "statement": "statement only: a public statement that fits no PLOVER category "
                 "(PLOVER dropped CAMEO's 'make public statement')",
    "no-response": "declined / no response: asked or expected to act, and did not "
                   "(PLOVER's negation, as a category)",
    "minimal": "some response, which the text calls minimal or insufficient without saying "
               "what it was",
}
#: Modes this project adds to PLOVER categories that have none (PLOVER's own examples).
EXTENSION_MODES: dict[str, tuple[str, ...]] = {
    "aid": ("military", "humanitarian", "economic"),
    "cooperate": ("exercise", "military", "economic"),
    "support": ("sign", "recognize", "status"),
}
ACTION_CATEGORIES: tuple[str, ...] = (*PLOVER, *EXTENSION_CATEGORIES)


def modes_of(category: str) -> tuple[str, ...]:
    return PLOVER.get(category, ()) + EXTENSION_MODES.get(category, ())


#: The CSTO's response as the panes show it: a response class, its label and a text
#: marker; :attr:`Action.response` maps every action code onto one of them.
RESPONSES: tuple[str, ...] = (
    "intervened",
    "declined",
    "no-action",
    "limited",
    "mediated",
    "statement",
    "drill",
    "deployment",
    "milestone",
    "none",
)
RESPONSE_LABELS: dict[str, str] = {
    "intervened": "intervened",
    "declined": "declined",
    "no-action": "no action",
    "limited": "minimal",
    "mediated": "mediated",
    "statement": "statement",
    "drill": "drill",
    "deployment": "deployment",
    "milestone": "milestone",
    "none": "not a CSTO act",
}
#: Plain ASCII markers for responses: readable without colour, in any terminal.
RESPONSE_MARKERS: dict[str, str] = {
    "intervened": "[+]",
    "declined": "[x]",
    "no-action": "[ ]",
    "limited": "[~]",
    "mediated": "[=]",
    "statement": "[!]",
    "drill": "[d]",
    "deployment": "[>]",
    "milestone": "[*]",
    "none": "[.]",
}

#: Each response class written as a word (the form datasets have always used) is shorthand for
#: one action code.
RESPONSE_CODES: dict[str, str] = {
    "intervened": "aid:military",
    "declined": "reject:assist",
    "no-action": "no-response",
    "limited": "minimal",
    "mediated": "consult:third-party",
    "statement": "statement",
    "drill": "cooperate:exercise",
    "deployment": "mobilize:troops",
    "milestone": "support",
    "none": "",
}

#: Category (or ``category:mode``) -> response class: the marker an action code shows.
_CLASS_OF: dict[str, str] = {
    "aid": "intervened", "coerce": "intervened", "assault": "intervened",
    "retreat": "intervened",
    "reject": "declined",
    "no-response": "no-action",
    "minimal": "limited",
    "consult:third-party": "mediated",
    "statement": "statement", "consult": "statement", "request": "statement",
    "accuse": "statement", "threaten": "statement", "protest": "statement",
    "cooperate:exercise": "drill", "mobilize": "drill",
    "mobilize:troops": "deployment",
    "support": "milestone", "agree": "milestone", "concede": "milestone",
    "cooperate": "milestone", "sanction": "milestone",
}


def response_hint() -> str:
    """What a response field takes, said from what :meth:`Action.parse` takes there (its
    ``words``): one of the response words, which it reads as their codes, or an action code.
    The cite form's hint; no other list of the words."""
    return f"one of {', '.join(RESPONSE_CODES)}; or an action code, category[:mode]"


class Action(_Value):
    """An action code: a PLOVER category (or an extension) and optionally one of its modes."""

    __slots__ = _fields = ("category", "mode")
    category: str
    mode: str

    def __init__(self, category: str, mode: str = "") -> None:
        _set(self, "category", category)
        _set(self, "mode", mode)

    @classmethod
    def parse(cls, text: object, words: bool = False) -> Action | None:
        """``category`` or ``category:mode``; with ``words``, also a response word
        (``declined``), the shorthand of its code (``none``: no action, None)."""
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"{text!r} is not an action (category or category:mode)")
        s = text.strip()
        if words and s in RESPONSE_CODES:
            code = RESPONSE_CODES[s]
            return cls.parse(code) if code else None
        cat, _, mode = s.partition(":")
        if cat not in ACTION_CATEGORIES:
            extra = f", or one of {', '.join(RESPONSE_CODES)}" if words else ""
            raise ValueError(f"{cat!r} is not a PLOVER category or extension "
                             f"({', '.join(ACTION_CATEGORIES)}{extra})")
        if mode and mode not in modes_of(cat):
            allowed = ", ".join(modes_of(cat)) or "none"
            raise ValueError(f"{mode!r} is not a mode of {cat!r} (modes: {allowed})")
        return cls(cat, mode)

    @property
    def code(self) -> str:
        return f"{self.category}:{self.mode}" if self.mode else self.category

    @property
    def response(self) -> str:
        """The response class (and so the marker) this action shows as."""
        return (_CLASS_OF.get(self.code) or _CLASS_OF.get(self.category) or "statement")

    @property
    def marker(self) -> str:
        return RESPONSE_MARKERS[self.response]

    @property
    def extension(self) -> bool:
        return self.category in EXTENSION_CATEGORIES or (
            bool(self.mode) and self.mode not in PLOVER.get(self.category, ()))

    def display(self) -> str:
        """``reject (assist)``, ``statement``."""
        cat = self.category.replace("-", " ")
        return f"{cat} ({self.mode})" if self.mode else cat

    def __str__(self) -> str:
        return self.code


# --------------------------------------------------------------------------------------------
# figures: a value, a range or a bound, a vague magnitude; unit, currency, as-of date

#: The text's own hedges before a number, and what they make of it.
QUALIFIERS: dict[str, str] = {
    "more than": "lower", "over": "lower", "at least": "lower",
    "less than": "upper", "under": "upper", "at most": "upper", "up to": "upper",
    "nearly": "upper", "almost": "upper",
    "about": "approximate", "roughly": "approximate", "around": "approximate",
    "approximately": "approximate", "some": "approximate",
}
#: Numbers the text gives only as an order of magnitude ("dozens of soldiers").
MAGNITUDES: dict[str, tuple[float, float | None]] = {
    "a few": (2, 9), "several": (3, 9), "dozens": (24, 99), "scores": (40, 99),
    "hundreds": (200, 999), "thousands": (2_000, 9_999), "millions": (2e6, 999e6),
    "billions": (2e9, 999e9), "many": (2, None),
}
_CURRENCY_RE = re.compile(r"[A-Z]{3}")


def check_currency(code: str) -> str:
    """An ISO 4217 code (``USD``); raise ``ValueError`` otherwise."""
    if not _CURRENCY_RE.fullmatch(code):
        raise ValueError(f"{code!r} is not an ISO 4217 currency code (three capitals: USD)")
    return code


def number_text(v: float) -> str:
    if float(v).is_integer():
        return f"{int(v):,}"
    return f"{v:g}"


def figure_text(value: float | None, low: float | None = None, high: float | None = None,
                qualifier: str = "", magnitude: str = "", unit: str = "",
                currency: str = "") -> str:
    """``more than 26% of GDP``, ``2,500 troops``, ``dozens of soldiers``, ``24-31%``,
    ``billions USD``."""
    if magnitude:
        num = magnitude
    elif low is not None or high is not None:
        lo = number_text(low) if low is not None else "?"
        hi = number_text(high) if high is not None else "?"
        num = f"{lo}-{hi}"
    elif value is not None:
        num = number_text(value)
    else:
        return ""
    q = f"{qualifier} " if qualifier else ""
    text = f"{q}{num}"
    if currency:
        text += f" {currency}" if not magnitude else f" {currency}"
    if unit:
        if unit.startswith("%"):
            text += unit
        elif magnitude:
            text += f" of {unit}"
        else:
            text += f" {unit}"
    return text


# --------------------------------------------------------------------------------------------
# roles, links, relations, sources

#: What a participant was to an event.
ROLES: tuple[str, ...] = (
    "requester", "target", "host", "responder", "mediator", "supporter", "participant")

#: Links from one event to another: kind -> (label forward, label seen from the other event).
LINK_KINDS: dict[str, tuple[str, str]] = {
    "responds-to": ("responds to", "answered by"),
    "ends": ("ends", "ended by"),
    "follows": ("follows", "followed by"),
    "part-of": ("part of", "includes"),
}

#: Typed, directed relations between states and entities: kind -> (label, symmetric).
RELATION_KINDS: dict[str, tuple[str, bool]] = {
    "hosts-base-of": ("hosts a base of", False),
    "member-of": ("member of", False),
    "depends-on": ("depends on", False),
    "dispute-with": ("in dispute with", True),
    "rivalry-with": ("rivalry with", True),
    "tension-with": ("in tension with", True),
}
#: How a relation reads from its other end.
RELATION_INVERSE: dict[str, str] = {
    "hosts-base-of": "has a base in",
    "member-of": "has as member",
    "depends-on": "is depended on by",
}

_LANGUAGE_RE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
_URL_RE = re.compile(r"https?://[^\s/$.?#][^\s]*")


def check_language(code: str) -> str:
    if not _LANGUAGE_RE.fullmatch(code):
        raise ValueError(f"{code!r} is not a BCP 47 language tag (en, ru, en-GB)")
    return code


def check_url(url: str) -> str:
    if not _URL_RE.fullmatch(url):
        raise ValueError(f"{url!r} is not an http(s) URL")
    return url
