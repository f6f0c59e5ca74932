"""Load and validate a dataset: TOML file, companion anchors file and source documents.

Never imports textual. Fatal problems (the file cannot be read or parsed) raise
:class:`~csto_tui.errors.DatasetError`; every other problem is collected, the faulty record is
left out, and the rest of the dataset still loads, so that ``check`` lists everything at once and
the dashboard can show what is sound.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .atomic import Stamp
from .errors import DatasetError, Problem
from .model import (
    ENTITY_KINDS,
    METRIC_CATEGORIES,
    RESPONSES,
    SPAN_KINDS,
    STATE_STATUSES,
    Anchor,
    Conflict,
    Dataset,
    Entity,
    Event,
    Metric,
    PartialDate,
    Quote,
    Reading,
    Source,
    Span,
    State,
    Uncited,
)

ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_TOML_POS_RE = re.compile(r"\(at line (\d+), column (\d+)\)")
_TOML_EOF_RE = re.compile(r"\(at end of document\)")

BUNDLE_DIR = Path(__file__).resolve().parent / "_bundle"


def default_dataset_path() -> Path:
    """The bundled dataset: inside the installed package, or the checkout's ``data/``."""
    bundled = BUNDLE_DIR / "data" / "csto.toml"
    if bundled.is_file():
        return bundled
    return Path(__file__).resolve().parent.parent / "data" / "csto.toml"


def anchors_path_for(dataset_path: Path) -> Path:
    return dataset_path.with_name(dataset_path.stem + ".anchors.toml")


@dataclass
class LoadResult:
    dataset: Dataset
    problems: list[Problem] = field(default_factory=list)
    anchors_stamp: Stamp | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


# --------------------------------------------------------------------------------------------
# reading files


def read_toml(path: Path) -> tuple[dict[str, Any], str, bytes]:
    """Parse a TOML file; raise DatasetError with file, line and column on any failure."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DatasetError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise DatasetError(f"{path}: is a folder, not a TOML file") from None
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read: {exc.strerror or exc}") from None
    holder: dict[str, str] = {}

    def parse() -> dict[str, Any]:
        text = _decode_toml(path, raw)
        holder["text"] = text
        return _parse_toml(path, text)

    from .cache import parse_cached

    data = parse_cached(raw, parse)
    text = holder.get("text")
    if text is None:  # served from the cache: the text is only needed to locate errors
        text = raw.decode("utf-8", errors="replace").lstrip("\ufeff")
    return data, text, raw


def _decode_toml(path: Path, raw: bytes) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        prob = Problem("toml", "not valid UTF-8", str(path), line, col)
        raise DatasetError(prob.format(), (prob,)) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def _parse_toml(path: Path, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        line: int | None
        col: int | None
        m = _TOML_POS_RE.search(msg)
        if m:
            line, col = int(m.group(1)), int(m.group(2))
            msg = _TOML_POS_RE.sub("", msg).strip()
        elif _TOML_EOF_RE.search(msg):
            line = text.count("\n") + 1
            col = len(text) - (text.rfind("\n") + 1) + 1
            msg = _TOML_EOF_RE.sub("", msg).strip() + " (at end of file)"
        else:
            line = col = None
        prob = Problem("toml", f"TOML syntax error: {msg}", str(path), line, col)
        raise DatasetError(prob.format(), (prob,)) from None


class _Locator:
    """Finds the line of a record (by its id) and of a field within it, for messages.

    Built lazily: a clean dataset never pays for scanning its lines.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._lines: list[str] | None = None
        self._ids: dict[str, int] = {}

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self._text.splitlines()
            id_re = re.compile(r"""^\s*id\s*=\s*["']([^"']*)["']""")
            for n, line in enumerate(self._lines, 1):
                m = id_re.match(line)
                if m:
                    self._ids.setdefault(m.group(1), n)
        return self._lines

    def line_of(self, rec_id: str, fld: str = "") -> int | None:
        _ = self.lines  # builds the id index on first use
        start = self._ids.get(rec_id)
        if start is None:
            return None
        if not fld:
            return start
        # search around the record (tables may put the id after other keys)
        lo = start - 1
        while lo > 0 and not self.lines[lo - 1].lstrip().startswith("[["):
            lo -= 1
        fre = re.compile(rf"^\s*{re.escape(fld)}\s*=")
        for n in range(lo, len(self.lines)):
            line = self.lines[n]
            if n >= start and line.lstrip().startswith("[[") and n + 1 != start:
                break
            if fre.match(line):
                return n + 1
        return start


def read_source(path: Path) -> str:
    """Read a source document as text: UTF-8, BOM skipped, line ends kept as they are."""
    raw = path.read_bytes()
    text = raw.decode("utf-8")  # UnicodeDecodeError is reported by the caller
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def safe_source_path(base: Path, file: str) -> tuple[Path | None, str]:
    """Resolve ``file`` under ``base``; refuse anything that leaves it. Return (path, error)."""
    if not isinstance(file, str) or not file.strip():
        return None, "must be a non-empty relative path"
    if "\x00" in file:
        return None, "contains a NUL character"
    p = Path(file)
    if p.is_absolute() or file.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", file):
        return None, f"{file!r} is an absolute path; source paths must be relative to the dataset"
    if any(part == ".." for part in p.parts) or ".." in file.replace("\\", "/").split("/"):
        return None, f"{file!r} leaves the dataset's folder ('..' is not allowed)"
    base_real = Path(os.path.realpath(base))
    target = base / p
    real = Path(os.path.realpath(target))
    try:
        real.relative_to(base_real)
    except ValueError:
        return None, f"{file!r} is a link that points outside the dataset's folder"
    return target, ""


# --------------------------------------------------------------------------------------------
# schema helpers


class _Validator:
    def __init__(self, file: str, loc: _Locator) -> None:
        self.file = file
        self.loc = loc
        self.problems: list[Problem] = []

    def add(self, code: str, msg: str, record: str = "", fld: str = "", sev: str = "error",
            line: int | None = None) -> None:
        if line is None and record:
            line = self.loc.line_of(record, fld.split(".")[0].split("[")[0] if fld else "")
        self.problems.append(Problem(code, msg, self.file, line, None, record, fld, sev))

    def table_list(self, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
        val = data.get(key, [])
        if not isinstance(val, list) or not all(isinstance(x, dict) for x in val):
            self.add("schema", f"'{key}' must be an array of tables ([[{key}]])", fld=key)
            return []
        return val

    def rec_id(self, tbl: dict[str, Any], kind: str, index: int) -> str | None:
        rid = tbl.get("id")
        if not isinstance(rid, str) or not rid:
            self.add("schema", f"{kind} #{index + 1} has no 'id' (a string)", fld="id",
                     record=f"{kind}[{index + 1}]")
            return None
        if not ID_RE.match(rid):
            self.add("schema", f"id {rid!r} must match [a-z0-9][a-z0-9._-]*", rid, "id")
            return None
        return rid

    def string(self, tbl: dict[str, Any], key: str, rid: str, required: bool = True,
               choices: Iterable[str] | None = None) -> str | None:
        val = tbl.get(key)
        if val is None:
            if required:
                self.add("schema", f"missing required field '{key}'", rid, key)
                return None
            return ""
        if not isinstance(val, str):
            self.add("schema", f"'{key}' must be a string, not {_tname(val)}", rid, key)
            return None
        if required and not val.strip():
            self.add("schema", f"'{key}' must not be empty", rid, key)
            return None
        if choices is not None and val not in choices:
            self.add("schema", f"{val!r} is not one of: {', '.join(choices)}", rid, key)
            return None
        return val

    def strings(self, tbl: dict[str, Any], key: str, rid: str) -> tuple[str, ...] | None:
        val = tbl.get(key, [])
        if not isinstance(val, list) or not all(isinstance(x, str) for x in val):
            self.add("schema", f"'{key}' must be an array of strings", rid, key)
            return None
        return tuple(val)

    def date(self, tbl: dict[str, Any], key: str, rid: str, required: bool = True,
             fld: str | None = None) -> PartialDate | None | bool:
        val = tbl.get(key)
        name = fld or key
        if val is None:
            if required:
                self.add("schema", f"missing required date '{key}'", rid, name)
                return False
            return None
        if not isinstance(val, str):
            self.add("schema", f"'{key}' must be a string date (\"YYYY\", \"YYYY-MM\" or "
                     f"\"YYYY-MM-DD\"), not {_tname(val)}", rid, name)
            return False
        try:
            return PartialDate.parse(val)
        except ValueError as exc:
            self.add("schema", str(exc), rid, name)
            return False

    def unknown_keys(self, tbl: dict[str, Any], allowed: set[str], rid: str) -> None:
        for k in tbl:
            if k not in allowed:
                self.add("schema", f"unknown field '{k}' (allowed: {', '.join(sorted(allowed))})",
                         rid, k, sev="warning")


def _tname(v: object) -> str:
    return {str: "a string", int: "an integer", float: "a number", bool: "a boolean",
            list: "an array", dict: "a table"}.get(type(v), type(v).__name__)


# --------------------------------------------------------------------------------------------
# the loader


def load(path: Path | str | None = None) -> LoadResult:
    """Load a dataset with its anchors and sources; collect every non-fatal problem."""
    import gc

    # Loading allocates many small objects and frees none: the cyclic collector would only
    # rescan them again and again (a third of the load time on big datasets).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(Path(path) if path is not None else default_dataset_path())
    finally:
        if enabled:
            gc.enable()


def _load(path: Path) -> LoadResult:
    data, text, _raw = read_toml(path)
    fname = str(path)
    v = _Validator(fname, _Locator(text))

    meta = data.get("dataset", {})
    if not isinstance(meta, dict):
        v.add("schema", "[dataset] must be a table", fld="dataset")
        meta = {}
    title = meta.get("title", "") if isinstance(meta.get("title", ""), str) else ""
    base_s = meta.get("base", ".")
    if base_s not in (".", ".."):
        v.add("path", f"[dataset] base must be \".\" or \"..\", not {base_s!r}", fld="base")
        base_s = "."
    root = (path.parent / base_s).resolve() if base_s == ".." else path.parent.resolve()

    known_top = {"dataset", "sources", "quotes", "states", "entities", "metrics", "events",
                 "conflicts", "uncited"}
    for k in data:
        if k not in known_top:
            v.add("schema", f"unknown top-level key '{k}'", fld=k, sev="warning")

    seen_ids: dict[str, str] = {}

    def claim(rid: str, kind: str) -> bool:
        if rid in seen_ids:
            v.add("duplicate-id", f"id {rid!r} is used twice (first by a {seen_ids[rid]})",
                  rid, "id", line=_nth_line(v.loc, rid, 2))
            return False
        seen_ids[rid] = kind
        return True

    # ---- sources
    sources: list[Source] = []
    texts: dict[str, str] = {}
    for i, t in enumerate(v.table_list(data, "sources")):
        rid = v.rec_id(t, "sources", i)
        if rid is None or not claim(rid, "source"):
            continue
        v.unknown_keys(t, {"id", "file", "title", "date", "publisher", "url"}, rid)
        file = v.string(t, "file", rid)
        stitle = v.string(t, "title", rid, required=False) or rid
        d = v.date(t, "date", rid, required=False)
        if file is None or d is False:
            continue
        spath, err = safe_source_path(root, file)
        if spath is None:
            v.add("path", f"source path refused: {err}", rid, "file")
            continue
        try:
            texts[rid] = read_source(spath)
        except FileNotFoundError:
            v.add("source", f"source file not found: {spath}", rid, "file")
        except IsADirectoryError:
            v.add("source", f"source path is a folder: {spath}", rid, "file")
        except UnicodeDecodeError as exc:
            v.add("source", f"{spath} is not UTF-8 text (bad byte at offset {exc.start})",
                  rid, "file")
        except OSError as exc:
            v.add("source", f"cannot read {spath}: {exc.strerror or exc}", rid, "file")
        sources.append(Source(rid, file, stitle, spath, d if isinstance(d, PartialDate) else None,
                              str(t.get("publisher", "") or ""), str(t.get("url", "") or "")))
    source_ids = {s.id for s in sources}

    # ---- quotes
    quotes: list[Quote] = []
    for i, t in enumerate(v.table_list(data, "quotes")):
        rid = v.rec_id(t, "quotes", i)
        if rid is None or not claim(rid, "quote"):
            continue
        v.unknown_keys(t, {"id", "source", "text", "note"}, rid)
        src = v.string(t, "source", rid)
        qtext = v.string(t, "text", rid)
        note = v.string(t, "note", rid, required=False)
        if src is None or qtext is None or note is None:
            continue
        if src not in source_ids and src not in seen_ids:
            v.add("unknown-ref", f"source {src!r} does not exist", rid, "source")
            continue
        quotes.append(Quote(rid, src, qtext, note))
    quote_ids = {q.id for q in quotes}
    # quotes that failed validation still "exist" for reference purposes (reported once)
    declared_quotes = {rid for rid, kind in seen_ids.items() if kind == "quote"}

    def check_quotes(ids: tuple[str, ...] | None, rid: str, fld: str, need: bool = True
                     ) -> tuple[str, ...] | None:
        if ids is None:
            return None
        ok = True
        for q in ids:
            if q not in declared_quotes:
                v.add("unknown-ref", f"quote {q!r} does not exist", rid, fld)
                ok = False
        if need and not ids:
            v.add("uncited-record", "cites no quote: every fact needs at least one", rid, fld)
            ok = False
        return tuple(q for q in ids if q in quote_ids) if ok else None

    # ---- entities
    entities: list[Entity] = []
    for i, t in enumerate(v.table_list(data, "entities")):
        rid = v.rec_id(t, "entities", i)
        if rid is None or not claim(rid, "entity"):
            continue
        v.unknown_keys(t, {"id", "kind", "name", "aliases", "summary", "quotes"}, rid)
        kind = v.string(t, "kind", rid, choices=ENTITY_KINDS)
        name = v.string(t, "name", rid)
        aliases = v.strings(t, "aliases", rid)
        summary = v.string(t, "summary", rid, required=False)
        qs = check_quotes(v.strings(t, "quotes", rid), rid, "quotes")
        if None in (kind, name, aliases, summary, qs):
            continue
        entities.append(Entity(rid, kind, name, aliases, summary, qs))  # type: ignore[arg-type]

    # ---- states
    states: list[State] = []
    for i, t in enumerate(v.table_list(data, "states")):
        rid = v.rec_id(t, "states", i)
        if rid is None or not claim(rid, "state"):
            continue
        v.unknown_keys(t, {"id", "name", "status", "aliases", "role", "membership", "quotes"}, rid)
        name = v.string(t, "name", rid)
        status = v.string(t, "status", rid, choices=STATE_STATUSES)
        aliases = v.strings(t, "aliases", rid)
        role = v.string(t, "role", rid, required=False)
        qs = check_quotes(v.strings(t, "quotes", rid), rid, "quotes",
                          need=not t.get("membership"))
        spans = _spans(v, t, rid, check_quotes)
        if None in (name, status, aliases, role, qs, spans):
            continue
        assert spans is not None
        if status == "member" and not any(s.end is None and s.kind == "member" for s in spans):
            v.add("membership", "status is 'member' but no open member span (one without 'to')",
                  rid, "membership")
        if status == "former-member" and any(s.end is None and s.kind == "member" for s in spans):
            v.add("membership", "status is 'former-member' but a member span is still open",
                  rid, "membership")
        if not qs and not any(s.quotes for s in spans):
            v.add("uncited-record", "cites no quote: every fact needs at least one", rid, "quotes")
            continue
        states.append(State(rid, name, status, aliases, role, spans, qs))  # type: ignore[arg-type]
    state_ids = {s.id for s in states}
    declared_states = {rid for rid, k in seen_ids.items() if k == "state"}
    declared_entities = {rid for rid, k in seen_ids.items() if k == "entity"}

    # ---- metrics
    metrics: list[Metric] = []
    for i, t in enumerate(v.table_list(data, "metrics")):
        rid = v.rec_id(t, "metrics", i)
        if rid is None or not claim(rid, "metric"):
            continue
        v.unknown_keys(t, {"id", "state", "category", "measure", "value", "unit", "year",
                           "qualifier", "present", "counterpart", "detail", "quotes"}, rid)
        st = v.string(t, "state", rid)
        cat = v.string(t, "category", rid, choices=METRIC_CATEGORIES)
        measure = v.string(t, "measure", rid)
        unit = v.string(t, "unit", rid, required=False)
        qual = v.string(t, "qualifier", rid, required=False)
        cp = v.string(t, "counterpart", rid, required=False)
        detail = v.string(t, "detail", rid, required=False)
        qs = check_quotes(v.strings(t, "quotes", rid), rid, "quotes")
        bad = None in (st, cat, measure, unit, qual, cp, detail, qs)
        value = t.get("value")
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            v.add("schema", f"'value' must be a number, not {_tname(value)}", rid, "value")
            bad = True
        year = t.get("year")
        if year is not None and (isinstance(year, bool) or not isinstance(year, int)
                                 or not 1000 <= year <= 9999):
            v.add("schema", "'year' must be a four-digit integer", rid, "year")
            bad = True
        present = t.get("present", True)
        if not isinstance(present, bool):
            v.add("schema", f"'present' must be true or false, not {_tname(present)}",
                  rid, "present")
            bad = True
        if value is not None and not unit:
            v.add("schema", "a figure ('value') needs a 'unit'", rid, "unit")
            bad = True
        if st and st not in declared_states:
            v.add("unknown-ref", f"state {st!r} does not exist", rid, "state")
            bad = True
        if cp and cp not in declared_states and cp not in declared_entities:
            v.add("unknown-ref", f"counterpart {cp!r} is neither a state nor an entity",
                  rid, "counterpart")
            bad = True
        if bad or (st and st not in state_ids):
            continue
        metrics.append(Metric(rid, st, cat, measure,  # type: ignore[arg-type]
                              float(value) if value is not None else None, unit or "",
                              year, qual or "", present, cp or "", detail or "", qs or ()))

    # ---- events
    events: list[Event] = []
    for i, t in enumerate(v.table_list(data, "events")):
        rid = v.rec_id(t, "events", i)
        if rid is None or not claim(rid, "event"):
            continue
        v.unknown_keys(t, {"id", "date", "title", "response", "summary", "states", "actors",
                           "category", "quotes"}, rid)
        d = v.date(t, "date", rid)
        etitle = v.string(t, "title", rid)
        resp = v.string(t, "response", rid, choices=RESPONSES)
        summary = v.string(t, "summary", rid)
        sts = v.strings(t, "states", rid)
        actors = v.strings(t, "actors", rid)
        cat = v.string(t, "category", rid, required=False)
        qs = check_quotes(v.strings(t, "quotes", rid), rid, "quotes")
        bad = d is False or d is None or None in (etitle, resp, summary, sts, actors, cat, qs)
        for s in sts or ():
            if s not in declared_states:
                v.add("unknown-ref", f"state {s!r} does not exist", rid, "states")
                bad = True
        for a in actors or ():
            if a not in declared_entities and a not in declared_states:
                v.add("unknown-ref", f"actor {a!r} is neither an entity nor a state", rid, "actors")
                bad = True
        if bad:
            continue
        events.append(Event(rid, d, etitle, resp, summary,  # type: ignore[arg-type]
                            tuple(s for s in sts if s in state_ids),  # type: ignore[union-attr]
                            actors, cat, qs))  # type: ignore[arg-type]

    all_declared = set(seen_ids)

    # ---- conflicts
    conflicts: list[Conflict] = []
    for i, t in enumerate(v.table_list(data, "conflicts")):
        rid = v.rec_id(t, "conflicts", i)
        if rid is None or not claim(rid, "conflict"):
            continue
        v.unknown_keys(t, {"id", "topic", "records", "readings", "note"}, rid)
        topic = v.string(t, "topic", rid)
        recs = v.strings(t, "records", rid)
        note = v.string(t, "note", rid, required=False)
        readings: list[Reading] = []
        bad = None in (topic, recs, note)
        for r in recs or ():
            if r not in all_declared:
                v.add("unknown-ref", f"record {r!r} does not exist", rid, "records")
                bad = True
        raw_readings = t.get("readings", [])
        if not isinstance(raw_readings, list) or len(raw_readings) < 2:
            v.add("schema", "a conflict needs at least two [[conflicts.readings]]", rid, "readings")
            bad = True
            raw_readings = []
        for j, r in enumerate(raw_readings):
            if not isinstance(r, dict):
                v.add("schema", "each reading must be a table", rid, f"readings[{j + 1}]")
                bad = True
                continue
            q, says = r.get("quote"), r.get("says")
            if not isinstance(q, str) or not isinstance(says, str) or not says.strip():
                v.add("schema", "a reading needs 'quote' and 'says' strings", rid,
                      f"readings[{j + 1}]")
                bad = True
                continue
            if q not in declared_quotes:
                v.add("unknown-ref", f"quote {q!r} does not exist", rid, f"readings[{j + 1}]")
                bad = True
                continue
            readings.append(Reading(q, says))
        if bad:
            continue
        conflicts.append(Conflict(rid, topic, recs, tuple(readings), note or ""))  # type: ignore[arg-type]

    # ---- uncited
    uncited: list[Uncited] = []
    for i, t in enumerate(v.table_list(data, "uncited")):
        where = f"uncited[{i + 1}]"
        src = t.get("source")
        utext = t.get("text")
        reason = t.get("reason")
        if not all(isinstance(x, str) and x.strip() for x in (src, utext, reason)):
            v.add("schema", "needs 'source', 'text' and 'reason' strings", where)
            continue
        if src not in source_ids:
            v.add("unknown-ref", f"source {src!r} does not exist", where, "source")
            continue
        uncited.append(Uncited(src, utext, reason))  # type: ignore[arg-type]

    # ---- anchors (machine-written companion)
    anchors, stamp = _load_anchors(anchors_path_for(path), v, declared_quotes)

    ds = Dataset(
        path=path, root=root, title=title or "CSTO dataset",
        sources=tuple(sources), quotes=tuple(quotes), states=tuple(states),
        metrics=tuple(metrics), events=tuple(events), entities=tuple(entities),
        conflicts=tuple(conflicts), uncited=tuple(uncited), anchors=anchors, texts=texts,
    )
    if not any(k in ("state", "event", "metric", "entity") for k in seen_ids.values()):
        v.add("schema", "the dataset has no states, events, metrics or entities", fld="states")
    _alias_clashes(v, states, entities)
    return LoadResult(ds, v.problems, stamp)


def _nth_line(loc: _Locator, rid: str, n: int) -> int | None:
    count = 0
    pat = re.compile(rf"""^\s*id\s*=\s*["']{re.escape(rid)}["']""")
    for i, line in enumerate(loc.lines, 1):
        if pat.match(line):
            count += 1
            if count == n:
                return i
    return loc.line_of(rid)


def _spans(v: _Validator, t: dict[str, Any], rid: str, check_quotes: Any
           ) -> tuple[Span, ...] | None:
    raw = t.get("membership", [])
    if not isinstance(raw, list) or not all(isinstance(x, dict) for x in raw):
        v.add("schema", "'membership' must be an array of tables ([[states.membership]])",
              rid, "membership")
        return None
    spans: list[Span] = []
    bad = False
    for j, s in enumerate(raw):
        fld = f"membership[{j + 1}]"
        kind = s.get("kind")
        if kind not in SPAN_KINDS:
            v.add("schema", f"{fld}.kind must be one of: {', '.join(SPAN_KINDS)}", rid, fld)
            bad = True
            continue
        start = v.date(s, "from", rid, fld=f"{fld}.from")
        end = v.date(s, "to", rid, required=False, fld=f"{fld}.to")
        qs = check_quotes(v.strings(s, "quotes", rid), rid, f"{fld}.quotes")
        note = s.get("note", "")
        if start is False or start is None or end is False or qs is None:
            bad = True
            continue
        if end is not None and end.sort_key() < start.sort_key():  # type: ignore[union-attr]
            v.add("membership", f"{fld} ends ({end}) before it starts ({start})", rid, fld)
            bad = True
            continue
        spans.append(Span(kind, start, end, qs, note if isinstance(note, str) else ""))  # type: ignore[arg-type]
    if bad:
        return None
    for kind in SPAN_KINDS:
        ks = sorted((s for s in spans if s.kind == kind), key=lambda s: s.start.sort_key())
        for a, b in zip(ks, ks[1:], strict=False):
            if a.end is None or b.start.sort_key() < a.end.sort_key():
                v.add("membership", f"{kind} spans overlap: {a.label()} and {b.label()}",
                      rid, "membership")
                return None
    return tuple(spans)


def _alias_clashes(v: _Validator, states: list[State], entities: list[Entity]) -> None:
    owner: dict[str, str] = {}
    records: list[State | Entity] = [*states, *entities]
    for rec in records:
        for name in (rec.name, *rec.aliases):
            key = name.casefold().strip()
            prev = owner.get(key)
            if prev is not None and prev != rec.id:
                v.add("alias", f"name or alias {name!r} is also used by {prev!r}", rec.id,
                      "aliases", sev="warning")
            owner.setdefault(key, rec.id)


def _load_anchors(apath: Path, v: _Validator, declared_quotes: set[str]
                  ) -> tuple[dict[str, Anchor], Stamp]:
    stamp = Stamp.of(apath)
    if not stamp.exists:
        return {}, stamp
    try:
        data, _text, _ = read_toml(apath)
    except DatasetError as exc:
        for p in exc.problems or (Problem("toml", exc.message, str(apath)),):
            v.problems.append(p)
        return {}, stamp
    table = data.get("anchors", {})
    anchors: dict[str, Anchor] = {}
    if not isinstance(table, dict):
        v.problems.append(Problem("schema", "[anchors] must be a table", str(apath)))
        return {}, stamp
    for qid, a in table.items():
        try:
            if not isinstance(a, dict):
                raise TypeError
            fs, fe = a.get("found_start"), a.get("found_end")
            anchors[qid] = Anchor(
                quote=qid, source=str(a["source"]), exact=str(a["exact"]),
                prefix=str(a.get("prefix", "")), suffix=str(a.get("suffix", "")),
                start=_int(a["start"]), end=_int(a["end"]), review=str(a.get("review", "")),
                found=str(a.get("found", "")),
                found_start=_int(fs) if fs is not None else None,
                found_end=_int(fe) if fe is not None else None,
            )
        except (KeyError, TypeError, ValueError):
            v.problems.append(Problem("schema", "malformed anchor (run csto-tui sync to rewrite)",
                                      str(apath), None, None, qid))
    return anchors, stamp


def _int(x: object) -> int:
    if isinstance(x, bool) or not isinstance(x, int) or x < 0:
        raise ValueError(x)
    return x
