"""Quotation marks in a record's prose must quote its own sources (no textual).

A summary, detail, note, title, role, reading... may put words in quotation marks only when
those words are verbatim in a quote that the record cites: otherwise a paraphrase reads as the
source's words. Apostrophes (``Russia's``, ``members'``) are not quotation marks, and a
quoted single word (a scare quote, a term: “army”) is let be.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .dataset import Dataset
from .errors import Problem

__all__ = ["Quoted", "quotation_problems", "quoted_spans", "unverified"]

#: kinds whose strings are not prose about the sources: the quotes' own text, the sources'
#: paths and titles, and uncited passages (the source's own words)
_SKIP_KINDS = frozenset({"source", "uncited"})

_WORD = re.compile(r"\w+")
_ELLIPSIS = re.compile(r"\.\.\.|\u2026")
_EDGE = " \t\n,.;:!?\u2014\u2013-()[]"


@dataclass(frozen=True)
class Quoted:
    """A run of prose inside quotation marks: [start, end) includes the marks."""

    start: int
    end: int
    inner: str


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def quoted_spans(s: str) -> list[Quoted]:
    """The runs of ``s`` inside quotation marks: “...”, "...", and ‘...’ or '...' opened at
    the start of a word and closed at the end of one (so that apostrophes never pair)."""
    out: list[Quoted] = []
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        close = ""
        if c == "\u201c":
            close = "\u201d"
        elif c == '"':
            close = '"'
        elif c in "\u2018'" and (i == 0 or not _is_word_char(s[i - 1])) and i + 1 < n \
                and not s[i + 1].isspace():
            close = "\u2019'"
        if not close:
            i += 1
            continue
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
            i += 1
            continue
        out.append(Quoted(i, found + 1, s[i + 1:found]))
        i = found + 1
    return out


def _norm(s: str) -> str:
    from .folding import fold

    return " ".join(fold(s).casefold().split())


def unverified(prose: str, quotes: list[str]) -> list[Quoted]:
    """The quoted runs of ``prose`` of two words or more whose words are not verbatim in any
    of ``quotes`` (typography and case aside; an ellipsis may join pieces of one quote)."""
    folded = [_norm(q) for q in quotes]
    bad = []
    for qd in quoted_spans(prose):
        if len(_WORD.findall(qd.inner)) < 2:
            continue
        pieces = [_norm(p.strip(_EDGE)) for p in _ELLIPSIS.split(qd.inner)]
        pieces = [p for p in pieces if p]
        if not pieces or not any(all(p in q for p in pieces) for q in folded):
            bad.append(qd)
    return bad


def _prose(kind: Any, rec: Any, prefix: str = "") -> Iterator[tuple[str, str, str]]:
    """(field path, field key, text) of every prose string of a record and its nested
    tables: strings that are not references, choices or ids."""
    for f in kind.fields:
        val = getattr(rec, f.name, None)
        if f.key == "id" or f.refs or f.choices:
            continue
        if f.type == "tables" and f.of is not None:
            for i, sub in enumerate(val or (), 1):
                yield from _prose(f.of, sub, f"{prefix}{f.key}[{i}].")
        elif isinstance(val, str):
            if kind.name == "quote" and f.key == "text":
                continue
            yield f"{prefix}{f.key}", f.key, val
        elif isinstance(val, Mapping):
            for k, v in val.items():
                if isinstance(v, str):
                    yield f"{prefix}{f.key}.{k}", f.key, v
        elif isinstance(val, tuple) and val and all(
                isinstance(p, tuple) and len(p) == 2 and isinstance(p[1], str) for p in val):
            for k, v in val:
                yield f"{prefix}{f.key}.{k}", f.key, v


def quotation_problems(ds: Dataset) -> list[Problem]:
    """One problem per quoted run of prose that its record's cited quotes do not hold."""
    from . import records
    from .loader import Locator

    text_of = {q.id: q.text for q in ds.quotes}
    locators: dict[Path, Locator] = {}
    out: list[Problem] = []
    for kind in records.kinds():
        if kind.name in _SKIP_KINDS or not kind.has_id:
            continue
        for rec in ds.records_of(kind.name):
            if kind.name == "quote":
                cited = [rec.text]
            else:
                cited = [text_of[q] for q in records.cited_quotes(rec) if q in text_of]
            for path, key, text in _prose(kind, rec):
                for qd in unverified(text, cited):
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
