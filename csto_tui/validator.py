"""The one validator: one data file on its own (:func:`validate_file`). TOML parsed, every
record's fields checked against its kind in the registry (:mod:`csto_tui.records`): types,
required fields, choices, unknown fields, nested tables; ids claimed within the file; the
kind's rules applied. What comes out (:class:`FilePart`) depends only on the file's bytes, so
it is what the cache keeps (:mod:`csto_tui.cache`); the checks across files are the loader's
(:mod:`csto_tui.loader`).

Plain Python: this module never imports textual.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from itertools import chain
from operator import attrgetter
from pathlib import Path
from typing import Any

from . import reading, records
from .errors import Problem
from .facts import Action, Amount, When
from .locator import Locator
from .model import Anchor
from .records import Field, Kind
from .values import PartialDate, _Mutable

#: A record's id, matched whole (``fullmatch``: a "$" would let "kaz\n" through).
ID_RE = re.compile(r"[a-z0-9][a-z0-9._-]*")


def _tname(v: object) -> str:
    return {str: "a string", int: "an integer", float: "a number", bool: "a boolean",
            list: "an array", dict: "a table"}.get(type(v), type(v).__name__)


def _finite(x: int | float) -> bool:
    """Whether a number is an ordinary finite one (a float can hold it)."""
    try:
        return math.isfinite(float(x))
    except OverflowError:
        return False


class FilePart(_Mutable):
    """What one data file says, validated on its own (and what the cache keeps of it)."""

    _fields = ("title", "base", "records", "declared", "problems", "anchors", "anchor_problems")
    __slots__ = (*_fields, "said")

    title: str
    base: str
    #: sound records by kind name, in file order
    records: dict[str, list[Any]]
    #: every id the file claims (sound or not: a reference to a faulty record is not reported
    #: again), by kind name, in the order claimed
    declared: dict[str, list[str]]
    problems: list[Problem]
    anchors: dict[str, Anchor]
    anchor_problems: list[Problem]
    #: (anchors file's key, :func:`declares`) once worked out (or read back from the cache);
    #: derived from the rest, so neither compared nor shown
    said: tuple[bytes | None, bytes] | None

    def __init__(
        self,
        title: str,
        base: str,
        records: dict[str, list[Any]],
        declared: dict[str, list[str]],
        problems: list[Problem],
        anchors: dict[str, Anchor] | None = None,
        anchor_problems: list[Problem] | None = None,
    ) -> None:
        self.title = title
        self.base = base
        self.records = records
        self.declared = declared
        self.problems = problems
        self.anchors = {} if anchors is None else anchors
        self.anchor_problems = [] if anchor_problems is None else anchor_problems
        self.said = None


_QUOTE = attrgetter("id", "source", "text")
_SOURCE = attrgetter("id", "file")
_NAMED = attrgetter("id", "name", "aliases")
_UNCITED = attrgetter("source", "text", "reason")


def declares(part: FilePart, anchors_digest: bytes | None) -> bytes:
    """The digest of what the rest of a check reads of a file: its ``base`` (where its
    sources are), the ids it claims and those of its records that passed its own validation,
    its quotes' ids, sources and words, its sources' ids and paths, its states' and
    entities' names and aliases, its uncited passages and its anchors file. Anything else (a
    record's title, a date, a figure, a reference, a citation, prose; the dataset's title,
    which no check reads) only its own share reads (:mod:`csto_tui.filecheck`).

    Kept on the part (:attr:`FilePart.said`) and in the cache's pack beside it, so that a
    check of a dataset loaded from the cache does not work it out again (~45 us a file)."""
    got = part.said
    if got is not None and got[0] == anchors_digest:
        return got[1]
    digest = _declared(part, anchors_digest)
    part.said = (anchors_digest, digest)
    return digest


def _declared(part: FilePart, anchors_digest: bytes | None) -> bytes:
    """:func:`declares`, worked out."""
    import hashlib
    import marshal

    recs = part.records
    valid = {k.name: [r.id for r in recs.get(k.name, ())] for k in records.kinds() if k.has_id}
    what = (part.base, part.declared, valid,
            list(map(_QUOTE, recs.get("quote", ()))),
            list(map(_SOURCE, recs.get("source", ()))),
            list(map(_NAMED, chain(recs.get("state", ()), recs.get("entity", ())))),
            list(map(_UNCITED, recs.get("uncited", ()))),
            anchors_digest)
    # version 2: no back-references, so equal values give equal bytes however shared
    return hashlib.sha256(marshal.dumps(what, 2)).digest()


class _Reporter:
    """Collects problems of one file, each located at its record's (and field's) line."""

    def __init__(self, file: str, loc: Locator) -> None:
        self.file = file
        self.loc = loc
        self.problems: list[Problem] = []

    def add(self, code: str, msg: str, record: str = "", fld: str = "", sev: str = "error",
            line: int | None = None) -> None:
        col: int | None = None
        if line is None and record:
            line, col = self.loc.position_of(record, fld)
        self.problems.append(Problem(code, msg, self.file, line, col, record, fld, sev))


#: stands for "no CSTO act" among parsed responses (a memo cannot hold None)
_NO_ACTION = object()


def _response(val: object) -> object:
    act = Action.parse(val, words=True)
    return _NO_ACTION if act is None else act


def _text_only(parse: Callable[[object], Any], what: str) -> Callable[[object], Any]:
    def run(val: object) -> Any:
        if type(val) is not str:
            raise ValueError(f"must be a string ({what}), not {_tname(val)}")
        return parse(val)

    return run


#: the analyst's field types (docs/dataset.md) and their parsers, each raising ValueError with
#: the message to report
_PARSED: dict[str, Callable[[object], Any]] = {
    "when": _text_only(When.parse, "a date"),
    "amount": _text_only(Amount.parse, "an amount of time"),
    "action": _text_only(Action.parse, "an action code"),
    "response": _text_only(_response, "an action code or a response word"),
}


_EMPTY = object()


#: What an absent optional field of each scalar type is (``_EMPTY``: the field's own empty
#: value); a required one is reported missing, the same way for every type.
_WHEN_MISSING: dict[str, Any] = {
    "str": _EMPTY, "number": _EMPTY, "year": _EMPTY, "bool": _EMPTY, "strs": (),
    **{t: None for t in _PARSED},
}


class _Validator:
    """Checks the records of one file against their kinds (the only record validator)."""

    def __init__(self, rep: _Reporter) -> None:
        self.rep = rep
        self.dates: dict[str, PartialDate] = {}
        self.claimed: dict[str, str] = {}
        #: parsed values of the analyst's types, by type and text (equal texts shared)
        self.parsed: dict[str, dict[str, Any]] = {}

    # ---- one field --------------------------------------------------------------------
    def value(self, f: Field, t: dict[str, Any], rid: str, path: str) -> tuple[bool, Any]:
        """(sound, value) of one field of the table ``t``; a fault reported at ``path``."""
        key = f.key
        val = t.get(key)
        typ = f.type
        add = self.rep.add
        if val is None and typ in _WHEN_MISSING:  # every scalar type: one rule for absence
            if f.required:
                add("schema", f"missing required field '{key}'", rid, path)
                return False, None
            default = _WHEN_MISSING[typ]
            return True, f.empty() if default is _EMPTY else default
        if typ == "str":
            if type(val) is not str:
                add("schema", f"'{key}' must be a string, not {_tname(val)}", rid, path)
                return False, None
            if f.required and not val.strip():
                add("schema", f"'{key}' must not be empty", rid, path)
                return False, None
            if f.choices is not None and val not in f.choices:
                if not val and not f.required:
                    return True, f.empty()  # an optional word left blank: not given
                add("schema", f"{val!r} is not one of: {', '.join(f.choices)}", rid, path)
                return False, None
            if f.parse is not None and val:
                try:
                    val = f.parse(val)
                except ValueError as exc:
                    add("schema", str(exc), rid, path)
                    return False, None
            return True, val
        if typ == "strs":
            if type(val) is list:
                for x in val:
                    if type(x) is not str:
                        break
                else:
                    return True, tuple(val)
            add("schema", f"'{key}' must be an array of strings", rid, path)
            return False, None
        if typ == "date":
            if val is None:
                if f.required:
                    add("schema", f"missing required date '{key}'", rid, path)
                    return False, None
                return True, None
            if type(val) is not str:
                add("schema", f"'{key}' must be a string date (\"YYYY\", \"YYYY-MM\" or "
                    f"\"YYYY-MM-DD\"), not {_tname(val)}", rid, path)
                return False, None
            d = self.dates.get(val)
            if d is None:
                try:
                    d = self.dates[val] = PartialDate.parse(val)
                except ValueError as exc:
                    add("schema", str(exc), rid, path)
                    return False, None
            return True, d
        if typ in _PARSED:
            memo = self.parsed.setdefault(typ, {})
            got = memo.get(val) if type(val) is str else None
            if got is None:
                try:
                    got = _PARSED[typ](val)
                except ValueError as exc:
                    add("schema", str(exc), rid, path)
                    return False, None
                if type(val) is str:
                    memo[val] = got
            return True, (None if got is _NO_ACTION else got)
        if typ == "notes":
            if val is None:
                return True, ()
            if type(val) is not dict:
                add("schema", f"'{key}' must be a table of field = \"reasoning\" "
                    "(an inline table: { date = \"why\" })", rid, path)
                return False, None
            pairs = []
            for k2, why in val.items():
                if type(why) is not str or not why.strip() or "\n" in why or "\r" in why:
                    add("schema", "the reasoning must be one non-blank line", rid,
                        f"{path}.{k2}")
                    return False, None
                pairs.append((k2, why))
            return True, tuple(pairs)
        if typ == "number":
            if type(val) is bool or not isinstance(val, int | float):
                add("schema", f"'{key}' must be a number, not {_tname(val)}", rid, path)
                return False, None
            if not _finite(val):
                add("schema", f"'{key}' must be a finite number (not nan, inf or hundreds of "
                    "digits)", rid, path)
                return False, None
            return True, float(val)
        if typ == "year":
            if type(val) is not int or not 1000 <= val <= 9999:
                add("schema", f"'{key}' must be a four-digit integer", rid, path)
                return False, None
            return True, val
        if typ == "bool":
            if type(val) is not bool:
                add("schema", f"'{key}' must be true or false, not {_tname(val)}", rid, path)
                return False, None
            return True, val
        # tables
        assert f.of is not None
        if val is None:
            val = []
        if type(val) is not list or not all(type(x) is dict for x in val):
            add("schema", f"'{key}' must be an array of tables ([[{self.table}.{key}]])",
                rid, path)
            return False, None
        subs = []
        sound = True
        for j, sub in enumerate(val):
            rec = self.record(f.of, sub, rid, f"{path}[{j + 1}]")
            if rec is None:
                sound = False
            else:
                subs.append(rec)
        return sound, tuple(subs) if sound else None

    # ---- one record -------------------------------------------------------------------
    table = ""

    def record(self, kind: Kind, t: dict[str, Any], rid: str, path: str = "") -> Any | None:
        """The record built from table ``t`` (id ``rid`` already claimed), or None (each
        fault reported). ``path`` is where a nested record sits (``membership[2]``)."""
        values: dict[str, Any] = {}
        sound = True
        prefix = f"{path}." if path else ""
        for f in kind.fields:
            if f.key == "id":
                values["id"] = rid
                continue
            ok, val = self.value(f, t, rid, prefix + f.key)
            if ok:
                values[f.name] = val
            else:
                sound = False
        if kind.needs_quote:
            cites = [f for f in kind.fields if f.cites]
            carriers = [f for f in kind.fields if f.cites or f.type == "tables"]
            if cites and all(f.name in values for f in carriers) and not any(
                    kind.cited_quotes(_Values(values))):
                self.rep.add("uncited-record", "cites no quote: every fact needs at least one",
                             rid, prefix + cites[0].key)
                sound = False
        if not sound:
            return None
        if kind.check is not None:
            def error(code: str, msg: str, fld: str, sev: str = "error") -> None:
                where = prefix + fld if fld else path
                self.rep.add(code, msg, rid, where, sev)

            if not kind.check(values, error):
                return None
        return kind.cls(**values)

    def claim(self, rid: str, kind: str) -> bool:
        """Register a record's id; report it (once per repeat) if an earlier record took it."""
        first = self.claimed.get(rid)
        if first is not None:
            self.rep.add("duplicate-id", f"id {rid!r} is used twice (first by a {first})",
                         rid, "id", line=self.rep.loc.line_of(rid, nth=2))
            return False
        self.claimed[rid] = kind
        return True


class _Values:
    """Attribute access to a dict of field values (to read citations before building)."""

    def __init__(self, values: dict[str, Any]) -> None:
        self._v = values

    def __getattr__(self, name: str) -> Any:
        return self._v[name]


def validate_file(path: Path, raw: bytes) -> FilePart:
    """Parse and validate one data file on its own."""
    text = reading.decode_toml(path, raw)
    data = reading.parse_toml(path, text)
    rep = _Reporter(str(path), Locator(text))
    v = _Validator(rep)

    meta = data.get("dataset", {})
    if not isinstance(meta, dict):
        rep.add("schema", "[dataset] must be a table", fld="dataset")
        meta = {}
    title = meta.get("title", "") if isinstance(meta.get("title", ""), str) else ""
    base = meta.get("base", ".")
    if base not in (".", ".."):
        rep.add("path", f"[dataset] base must be \".\" or \"..\", not {base!r}", fld="base")
        base = "."

    kinds = records.kinds()
    tables = {k.table for k in kinds}
    for key in data:
        if key != "dataset" and key not in tables:
            rep.add("schema", f"unknown top-level key '{key}'", fld=key, sev="warning")

    found: dict[str, list[Any]] = {}
    for kind in kinds:
        rows = data.get(kind.table)
        if rows is None:
            continue
        if not isinstance(rows, list) or not all(isinstance(x, dict) for x in rows):
            rep.add("schema", f"'{kind.table}' must be an array of tables ([[{kind.table}]])",
                    fld=kind.table)
            continue
        out = found[kind.name] = []
        allowed = kind.keys
        v.table = kind.table
        for i, t in enumerate(rows):
            if kind.has_id:
                rid = t.get("id")
                if not isinstance(rid, str) or not rid:
                    rep.add("schema", f"{kind.table} #{i + 1} has no 'id' (a string)", fld="id",
                            record=f"{kind.table}[{i + 1}]")
                    continue
                if not ID_RE.fullmatch(rid):
                    rep.add("schema", f"id {rid!r} must match [a-z0-9][a-z0-9._-]* (lower-case "
                            "ASCII letters, digits, '.', '_', '-'; no spaces or control "
                            "characters)", rid, "id")
                    continue
                if not v.claim(rid, kind.name):
                    continue
            else:
                rid = f"{kind.table}[{i + 1}]"
            if not t.keys() <= allowed:
                for k in t:
                    if k not in allowed:
                        rep.add("schema", f"unknown field '{k}' (allowed: "
                                f"{', '.join(sorted(allowed))})", rid, k, sev="warning")
            rec = v.record(kind, t, rid)
            if rec is not None:
                out.append(rec)
    declared: dict[str, list[str]] = {}
    for rid, kname in v.claimed.items():
        declared.setdefault(kname, []).append(rid)
    return FilePart(title, base, found, declared, rep.problems)
