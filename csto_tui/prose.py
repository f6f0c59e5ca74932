"""Quotation marks in a record's prose must quote its own sources (no textual).

A summary, detail, note, title, role, reading... may put words in quotation marks only when
those words are verbatim in a quote that the record cites: otherwise a paraphrase reads as the
source's words. Apostrophes (``Russia's``, ``members'``) are not quotation marks, and a
quoted single word (a scare quote, a term: “army”) is let be.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import accumulate, chain
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any

from .dataset import Dataset
from .errors import Problem
from .values import _set, _Value

__all__ = ["Quoted", "quotation_problems", "quoted_spans", "unverified"]

#: kinds whose strings are not prose about the sources: the quotes' own text, the sources'
#: paths and titles, and uncited passages (the source's own words)
_SKIP_KINDS = frozenset({"source", "uncited"})

_WORD = re.compile(r"\w+")
_ELLIPSIS = re.compile(r"\.\.\.|\u2026")
_EDGE = " \t\n,.;:!?\u2014\u2013-()[]"


class Quoted(_Value):
    """A run of prose inside quotation marks: [start, end) includes the marks."""

    __slots__ = _fields = ("start", "end", "inner")

    start: int
    end: int
    inner: str

    def __init__(self, start: int, end: int, inner: str) -> None:
        _set(self, "start", start)
        _set(self, "end", end)
        _set(self, "inner", inner)


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


#: the marks that may open a quoted run: double ones (“ ") open one anywhere, single ones
#: (‘ ') only at the start of a word (so that apostrophes never pair)
_DOUBLE_MARKS = "\u201c\""
_SINGLE_MARKS = "\u2018'"
_MARK_CHARS = _DOUBLE_MARKS + _SINGLE_MARKS
#: a mark that opens a quoted run: a double one; a single one not after a word character and
#: before a character that is not a space (``\w`` and ``\S`` are ``str.isalnum() or "_"``
#: and ``not str.isspace()``). It starts with the set of marks, which the regular expression
#: engine scans for fast. :func:`quoted_spans` and the check over many texts both use it.
_OPENING = re.compile(f"[{_MARK_CHARS}](?:(?<=[{_DOUBLE_MARKS}])|(?<!\\w.)(?=\\S))")


def quoted_spans(s: str) -> list[Quoted]:
    """The runs of ``s`` inside quotation marks: “...”, "...", and ‘...’ or '...' opened at
    the start of a word and closed at the end of one (so that apostrophes never pair)."""
    out: list[Quoted] = []
    n = len(s)
    m = _OPENING.search(s)
    while m is not None:
        i = m.start()
        c = s[i]
        close = "\u201d" if c == "\u201c" else '"' if c == '"' else "\u2019'"
        j = i + 1
        found = -1
        while j < n:
            if s[j] in close and (close in ('"', "\u201d") or
                                  ((j + 1 == n or not _is_word_char(s[j + 1]))
                                   and not s[j - 1].isspace())):
                found = j
                break
            j += 1
        if found < 0:
            m = _OPENING.search(s, i + 1)
            continue
        out.append(Quoted(i, found + 1, s[i + 1:found]))
        m = _OPENING.search(s, found + 1)
    return out


def _norm(s: str) -> str:
    from .folding import fold

    return " ".join(fold(s).casefold().split())


def unverified(prose: str, quotes: Iterable[str] | Callable[[], Iterable[str]],
               norm: Callable[[str], str] = _norm) -> list[Quoted]:
    """The quoted runs of ``prose`` of two words or more whose words are not verbatim in any
    of ``quotes`` (typography and case aside; an ellipsis may join pieces of one quote).

    ``quotes`` may be a function giving them, called only when ``prose`` has such a run (most
    prose has none); ``norm`` folds a text (a memo of :func:`_norm` when many records cite the
    same quotes)."""
    runs = [qd for qd in quoted_spans(prose) if len(_WORD.findall(qd.inner)) >= 2]
    if not runs:
        return []
    folded = [norm(q) for q in (quotes() if callable(quotes) else quotes)]
    bad = []
    for qd in runs:
        pieces = [_norm(p.strip(_EDGE)) for p in _ELLIPSIS.split(qd.inner)]
        pieces = [p for p in pieces if p]
        if not pieces or not any(all(p in q for p in pieces) for q in folded):
            bad.append(qd)
    return bad


def _prose_fields(kind: Any) -> list[Any]:
    """The fields of a kind that may hold prose: strings, notes (field = "reasoning") and
    nested tables, not references, choices or ids (nor a quote's own text)."""
    return [f for f in kind.fields
            if f.type in ("str", "notes", "tables")
            and not (f.key == "id" or f.refs or f.choices
                     or (kind.name == "quote" and f.key == "text"))]


def _prose(kind: Any, rec: Any, prefix: str = "",
           fields: list[Any] | None = None) -> Iterator[tuple[str, str, str]]:
    """(field path, field key, text) of every prose string of a record and its nested
    tables: strings that are not references, choices or ids."""
    for f in _prose_fields(kind) if fields is None else fields:
        val = getattr(rec, f.name, None)
        if f.type == "tables":
            if f.of is not None:
                for i, sub in enumerate(val or (), 1):
                    yield from _prose(f.of, sub, f"{prefix}{f.key}[{i}].")
        elif type(val) is str:
            yield f"{prefix}{f.key}", f.key, val
        elif f.type == "notes":
            for k, v in val or ():
                yield f"{prefix}{f.key}.{k}", f.key, v




def _opening(texts: list[str]) -> list[int]:
    """The indexes of ``texts`` that have a mark that may open a quoted run: searched at once,
    joined by a line end (a space, so that a mark at the end or the start of a text is judged
    as in the text alone)."""
    try:
        joined = "\n".join(texts)
    except TypeError:  # a value that is not a string (an absent optional one) holds no prose
        texts = [t if type(t) is str else "" for t in texts]
        joined = "\n".join(texts)
    if not any(c in joined for c in _MARK_CHARS):
        return []
    at = [m.start() for m in _OPENING.finditer(joined)]
    if not at:
        return []
    ends = list(accumulate(len(t) + 1 for t in texts))
    return sorted({bisect_right(ends, i) for i in at})


def _has_prose(kind: Any) -> bool:
    """Whether records of ``kind`` may hold prose (in their nested tables' included)."""
    return any(f.type != "tables" or (f.of is not None and _has_prose(f.of))
               for f in _prose_fields(kind))


def _marked(kind: Any, recs: Sequence[Any]) -> set[int]:
    """The indexes of the records of ``recs`` (of ``kind``) that have a prose string with a
    mark that may open a quoted run. By columns, with no step per record (most records have
    no such mark): every string of every record searched at once, then the notes, then the
    nested tables' records likewise (a column of notes or tables empty in every record, as
    most are, is passed over)."""
    fields = [f for f in _prose_fields(kind)
              if f.type != "tables" or (f.of is not None and _has_prose(f.of))]
    out: set[int] = set()
    if not recs or not fields:
        return out
    n = len(recs)
    # field after field: the j-th string is of the record j % n
    texts = list(chain.from_iterable(map(attrgetter(f.name), recs)
                                     for f in fields if f.type == "str"))
    out.update(j % n for j in _opening(texts))
    for f in fields:
        get = attrgetter(f.name)
        if f.type == "str" or not any(map(get, recs)):
            continue
        vals = list(map(get, recs))
        if f.type == "notes":  # (key, why) pairs
            hit = _opening(list(map(itemgetter(1), chain.from_iterable(vals))))
        else:
            hit = sorted(_marked(f.of, list(chain.from_iterable(vals))))
        if hit:
            ends = list(accumulate(map(len, vals)))
            out.update(bisect_right(ends, j) for j in hit)
    return out


def quotation_problems(ds: Dataset, also: Mapping[str, str] | None = None,
                       missing: set[str] | None = None) -> list[Problem]:
    """One problem per quoted run of prose that its record's cited quotes do not hold.
    ``also``: the texts of quotes cited that ``ds`` does not hold (when ``ds`` is one file
    of a dataset: the quotes it cites in other files); ``missing`` gathers the ids of quotes
    cited that neither holds."""
    from . import records
    from .locator import Locator

    text_of: dict[str, str] = {}  # quote id -> text, made when a record needs it
    locators: dict[Path, Locator] = {}
    out: list[Problem] = []
    norms: dict[str, str] = {}  # each cited quote folded once, however many records cite it

    def norm(q: str) -> str:
        got = norms.get(q)
        if got is None:
            got = norms[q] = _norm(q)
        return got

    for kind in records.kinds():
        if kind.name in _SKIP_KINDS or not kind.has_id:
            continue
        fields = _prose_fields(kind)
        if not fields:
            continue
        recs = ds.records_of(kind.name)
        for i in sorted(_marked(kind, recs)):
            rec = recs[i]

            def cited(rec: Any = rec, kind: Any = kind) -> list[str]:
                if kind.name == "quote":
                    return [rec.text]
                if not text_of:
                    text_of.update(also or ())
                    text_of.update(zip(map(attrgetter("id"), ds.quotes),
                                       map(attrgetter("text"), ds.quotes), strict=True))
                ids = records.cited_quotes(rec)
                if missing is not None:
                    missing.update(q for q in ids if q not in text_of)
                return [text_of[q] for q in ids if q in text_of]

            for path, key, text in _prose(kind, rec, fields=fields):
                for qd in unverified(text, cited, norm):
                    f = ds.file_of(rec.id)
                    loc = locators.get(f)
                    if loc is None:
                        loc = locators[f] = Locator(f)
                    line, col = _position(loc, rec.id, key, text[qd.start:qd.end])
                    shown = qd.inner if len(qd.inner) <= 70 else qd.inner[:67] + "..."
                    out.append(Problem(
                        "quote-marks",
                        f"quotation marks around words that are not verbatim in the record's "
                        f"cited quotes: \u201c{shown}\u201d (quote the source exactly, or drop "
                        "the quotation marks)",
                        str(f), line, col, rec.id, path))
    return out


def _position(loc: Any, rec_id: str, key: str, quoted: str) -> tuple[int | None, int | None]:
    """Line and column of the quoted run in the record's block of the file (the opening
    quotation mark), else the field's line."""
    start = loc.line_of(rec_id)
    if start is None:
        return None, None
    lines = loc.lines
    lo = start - 1
    while lo > 0 and not lines[lo - 1].lstrip().startswith("[["):
        lo -= 1
    table = lines[lo - 1].strip().strip("[]") if lo > 0 else ""
    kre = re.compile(rf"^\s*{re.escape(key)}\s*=")
    probe = quoted[: max(2, min(len(quoted), 25))]
    for n in range(max(lo - 1, 0), len(lines)):
        line = lines[n]
        head = line.strip()
        if n >= start and head.startswith("[[") and not head.strip("[]").startswith(table + "."):
            break
        if kre.match(line):
            col = line.find(probe)
            if col < 0:
                # escapes in TOML (\") may differ from the parsed text
                col = line.find(probe.replace('"', '\\"'))
            if col >= 0:
                return n + 1, col + 1
    return loc.line_of(rec_id, key), None
