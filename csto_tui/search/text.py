"""Normalising and tokenising: what counts as a word, for the index and for a query alike.

``normalize`` folds case, diacritics, curly quotes and dashes; ``tokenize`` cuts a text into
``(word, start, end)`` with code-point offsets. Numbers lose their thousands separators
("2,500" -> "2500"); the clitic after an apostrophe ("Kazakhstan's") is dropped.

The index scans big texts with :data:`SCAN_RE` instead (``findall`` in pieces cut at whitespace,
the apostrophe before a token kept in the match): the same tokens as :func:`tokenize`, proved
by a test.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalize", "tokenize", "has_word", "stem", "STOP_WORDS"]

_FOLD = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u02bc": "'", "\u0060": "'", "\u00b4": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-", "\ufe58": "-", "\ufe63": "-", "\uff0d": "-",
        "\u00f8": "o", "\u00d8": "o", "\u0142": "l", "\u0141": "l", "\u0111": "d",
        "\u0110": "d", "\u00e6": "ae", "\u00c6": "ae", "\u0153": "oe", "\u0152": "oe",
        "\u00fe": "th", "\u00de": "th", "\u0131": "i", "\u00df": "ss",
    }
)

#: Words a question is made of that say nothing about what is asked for: question words,
#: articles, prepositions, auxiliaries. A query's other words must match; these need not
#: (a query made of nothing else still searches for them). Not "us" (the United States).
STOP_WORDS: frozenset[str] = frozenset("""
    a an the this that these those there here it its it's they them their he she his her
    of in on at to for from by with about into onto over under after before during since
    between among against within without through than then
    and or but nor not no so if as
    is are was were be been being am do does did done has have had having
    will would shall should can could may might must
    how many much what which who whom whose why when where whether
    ever any some all each every more most other such only own same just also very
    i me my we our you your
""".split())


def normalize(s: str) -> str:
    """Fold ``s`` for matching: casefold, strip diacritics (NFKD), curly quotes to straight,
    dashes to ``-``, whitespace collapsed (and stripped)."""
    if s.isascii():
        return " ".join(s.translate(_FOLD).lower().split())
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.translate(_FOLD).casefold()
    return " ".join(s.split())


# A token: a number ("2,500", "26", "0.5"), else a run of letters/digits (with combining marks).
TOKEN_RE = re.compile(
    r"\d+(?:,\d{3})+(?:\.\d+)?(?![^\W_])"
    r"|\d+(?:\.\d+)?(?![^\W_])"
    r"|(?:[^\W_]|[\u0300-\u036f])+"
)
_APOSTROPHES = frozenset("'\u2019\u2018\u02bc`\u00b4")
CLITICS = frozenset({"s", "t", "d", "ll", "re", "ve", "m"})
NORM_CACHE: dict[str, str] = {}


def norm_raw(raw: str) -> str:
    """One raw token, normalized: a number keeps its digits and decimal point only, a word
    its letters and digits."""
    s = normalize(raw)
    if s and (s[0].isdigit()):
        s = s.replace(",", "")
        if not s.replace(".", "").isalnum():  # (nearly always it is: nothing to drop)
            s = "".join(c for c in s if c.isalnum() or c == ".")
    elif not s.isalnum():
        s = "".join(filter(str.isalnum, s))
    return s


def norm_token(raw: str) -> str:
    """:func:`norm_raw`, remembered (raw tokens repeat)."""
    got = NORM_CACHE.get(raw)
    if got is not None:
        return got
    s = norm_raw(raw)
    if len(NORM_CACHE) < 500_000:
        NORM_CACHE[raw] = s
    return s


# The index's own scanner: the tokens of TOKEN_RE, each with the apostrophe before it, if any,
# in the match ("'s"), so that findall() alone tells a clitic from a word. Only apostrophes
# that are not word characters can precede a token (U+02BC is a letter: always inside one), so
# the matches are TOKEN_RE's, one for one. Whitespace never is inside a match: a text can be
# scanned in pieces cut at whitespace. A word that begins with a letter and has no combining
# mark (most) is matched by a first alternative that never backtracks (40% quicker).
PRE_APOS = "".join(sorted(c for c in _APOSTROPHES if not TOKEN_RE.match(c)))
SCAN_RE = re.compile(
    r"(?=[\w\u0300-\u036f" + re.escape(PRE_APOS) + "])"  # a quick test first
    "[" + re.escape(PRE_APOS) + "]?"
    r"(?:[^\W\d_][^\W_]*+(?![\u0300-\u036f])"  # as the last alternative would match it
    r"|\d+(?:,\d{3})+(?:\.\d+)?(?![^\W_])"
    r"|\d+(?:\.\d+)?(?![^\W_])"
    r"|(?:[^\W_]+|[\u0300-\u036f]+)+)"  # as TOKEN_RE's, a run at a time
)
SPACE_RE = re.compile(r"\s")


def scan_word(raw: str) -> tuple[str, int]:
    """(normalized word, length of the apostrophe prefix) of one SCAN_RE match; the word is ""
    for a token tokenize() drops (nothing left once normalized, or a clitic)."""
    if raw[0] in PRE_APOS:
        norm = norm_token(raw[1:])
        return ("" if norm in CLITICS else norm), 1
    return norm_token(raw), 0


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """``(normalized word, start, end)`` for each word of ``text``; offsets are code points of
    ``text``. Numbers lose their thousands separators ("2,500" -> "2500"); the clitic after an
    apostrophe ("Kazakhstan’s" -> "kazakhstan") is dropped."""
    out: list[tuple[str, int, int]] = []
    for m in TOKEN_RE.finditer(text):
        s = m.start()
        norm = norm_token(m.group())
        if not norm:
            continue
        if norm in CLITICS and s > 0 and text[s - 1] in _APOSTROPHES:
            continue
        out.append((norm, s, m.end()))
    return out


def has_word(text: str) -> bool:
    """Whether ``tokenize(text)`` is not empty."""
    return any(scan_word(m.group())[0] for m in SCAN_RE.finditer(text))


# Inflections stripped by stem(), longest first: plurals, verb forms, a few derivations.
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ers", "er", "ed", "es", "ly",
             "s", "e", "y")


def stem(word: str) -> str:
    """A light stem (a normalized word less one inflection, at least 3 letters left), so that
    "vote", "votes", "voted" and "voting" meet, as "refuse" and "refused" do. Conservative on
    purpose: a word of a name is matched exactly first, a stem only widens a query word."""
    if not word.isalpha():
        return word
    for suf in _SUFFIXES:
        if word.endswith(suf) and len(word) - len(suf) >= 3:
            base = word[: -len(suf)]  # "countries", "country": "countr"
            return base.rstrip("e") if len(base) > 3 else base
    return word
