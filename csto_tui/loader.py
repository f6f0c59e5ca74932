"""Load and validate a dataset: TOML file, companion anchors file and source documents.

Never imports textual. Fatal problems (the file cannot be read or parsed) raise
:class:`~csto_tui.errors.DatasetError`; every other problem is collected, the faulty record is
left out, and the rest of the dataset still loads, so that ``check`` lists everything at once and
the dashboard can show what is sound.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Iterable, Set
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import reading
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

BUNDLE_DIR = Path(__file__).resolve().parent / "_bundle"


#: Called with (path, size in bytes) when a dataset is about to be parsed and validated in
#: full, rather than taken from its snapshot or from what changed (the CLI tells the user why
#: a big one takes a while).
on_full_load: Callable[[Path, int], None] | None = None


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
    raw = _read_bytes(path)
    text = _decode_toml(path, raw)
    return _parse_toml(path, text), text, raw


def _cached_text(raw: bytes) -> str:
    """The text of a file that was not decoded (only needed to locate errors)."""
    return raw.decode("utf-8", errors="replace").lstrip("\ufeff")


def _read_bytes(path: Path) -> bytes:
    try:
        return reading.read_bytes(path)
    except FileNotFoundError:
        raise DatasetError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise DatasetError(f"{path}: is a folder, not a TOML file") from None
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read: {exc.strerror or exc}") from None


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
    return reading.parse_toml(path, text)  # located errors, limits (docs/robustness.md)


def _parse_dataset(path: Path, text: str, cut: list[Any] | None = None) -> dict[str, Any]:
    """Parse a dataset file; a big one piece by piece, reusing the pieces parsed last time
    (see :mod:`csto_tui.tomlchunks`): after an edit only what changed is parsed again. ``cut``
    receives where the file was cut, if it was."""
    from . import cache, tomlchunks

    if len(text) < tomlchunks.MIN_SIZE or cache.cache_dir() is None:
        return _parse_toml(path, text)
    key = cache.path_key(path)
    from .snapshot import VERSION

    kind = VERSION + b"toml-pieces"
    known = cache.get(kind, key)
    if type(known) is not dict or not all(type(v) is dict for v in known.values()):
        known = {}  # only a cache: a damaged entry is parsed again
    res = tomlchunks.parse(text, known, cut)
    if res is None:
        return _parse_toml(path, text)  # the whole file: tomllib's own errors and lines
    data, pieces = res
    if pieces.keys() != known.keys():
        cache.put(kind, key, pieces)
    return data


class _Locator:
    """Finds the line of a record (by its id) and of a field within it, for messages.

    Built lazily: a clean dataset never pays for scanning its lines (nor, given the file's
    bytes, for decoding them).
    """

    def __init__(self, text: str | bytes | Path) -> None:
        self._text = text
        self._lines: list[str] | None = None
        self._ids: dict[str, int] = {}

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            if isinstance(self._text, Path):
                try:
                    self._text = reading.read_bytes(self._text)
                except OSError:
                    self._text = b""
            if isinstance(self._text, bytes):
                self._text = _cached_text(self._text)
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
    raw = reading.read_bytes(path)  # a regular file within the limits, or OSError
    text = raw.decode("utf-8")  # UnicodeDecodeError is reported by the caller
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def safe_source_path(base: Path, file: str, memo: dict[str, str] | None = None
                     ) -> tuple[Path | None, str]:
    """Resolve ``file`` under ``base``; refuse anything that leaves it. Return (path, error).

    ``memo`` (one dict per load) keeps the resolved folders, so that thousands of sources in
    a few folders cost one ``lstat`` each rather than one per part of their path."""
    if not isinstance(file, str) or not file.strip():
        return None, "must be a non-empty relative path"
    if "\x00" in file:
        return None, "contains a NUL character"
    p = Path(file)
    if p.is_absolute() or file.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", file):
        return None, f"{file!r} is an absolute path; source paths must be relative to the dataset"
    if any(part == ".." for part in p.parts) or ".." in file.replace("\\", "/").split("/"):
        return None, f"{file!r} leaves the dataset's folder ('..' is not allowed)"
    target = base / p
    if memo is None:
        memo = {}
    base_s = str(base)
    base_real = memo.get(base_s)
    if base_real is None:
        base_real = memo[base_s] = os.path.realpath(base)
    parent, name = os.path.split(str(target))
    real_parent = memo.get(parent)
    if real_parent is None:
        real_parent = memo[parent] = os.path.realpath(parent)
    real = os.path.join(real_parent, name)
    if os.path.islink(real):  # the file itself is a link: follow it all the way
        real = os.path.realpath(real)
    if real != base_real and not real.startswith(base_real.rstrip(os.sep) + os.sep):
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

    def unknown_keys(self, tbl: dict[str, Any], allowed: Set[str], rid: str) -> None:
        for k in tbl:
            if k not in allowed:
                self.add("schema", f"unknown field '{k}' (allowed: {', '.join(sorted(allowed))})",
                         rid, k, sev="warning")


def _tname(v: object) -> str:
    return {str: "a string", int: "an integer", float: "a number", bool: "a boolean",
            list: "an array", dict: "a table"}.get(type(v), type(v).__name__)


_QUOTE_KEYS = frozenset({"id", "source", "text", "note"})
_ENTITY_KEYS = frozenset({"id", "kind", "name", "aliases", "summary", "quotes"})
_STATE_KEYS = frozenset({"id", "name", "status", "aliases", "role", "membership", "quotes"})
_METRIC_KEYS = frozenset({"id", "state", "category", "measure", "value", "unit", "year",
                          "qualifier", "present", "counterpart", "detail", "quotes"})
_EVENT_KEYS = frozenset({"id", "date", "title", "response", "summary", "states", "actors",
                         "category", "quotes"})


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


def has_snapshot(path: Path | str) -> bool:
    """Whether the dataset file's current bytes have a snapshot (a load will be quick)."""
    from . import cache, snapshot

    if cache.cache_dir() is None:
        return False  # nothing to find: do not hash the file for it
    try:
        return snapshot.has_dataset(cache.file_key(Path(path))[0])
    except OSError:
        return False


def _load(path: Path) -> LoadResult:
    from . import cache, snapshot

    key = b""
    if cache.cache_dir() is not None:
        try:
            key = cache.file_key(path)[0]  # hashed in pieces: not held in memory
        except OSError:  # reading it below says what is wrong
            pass
        snap = snapshot.read_dataset(str(path), key) if key else None
        if snap is not None:
            res = _load_snapshot(path, snap)
            if res is not None:
                return res
    raw = _read_bytes(path)
    cached = cache.cache_dir() is not None
    if cached:
        from . import tomlchunks

        # the key of the bytes actually read: the file may have changed since it was hashed
        # above, even back and forth (A, B, A: the same hash again, but B read)
        key = cache.content_key(raw)
        if len(raw) >= tomlchunks.MIN_SIZE:
            res = _load_incremental(path, raw, key)
            if res is not None:
                return res
    if on_full_load is not None:
        on_full_load(path, len(raw))
    res, snap = _load_validating(path, raw)
    if cached and snap is not None:
        snapshot.write_dataset(str(path), key, snap)
        if snap.layout is not None:
            from . import incremental

            incremental.remember(str(path), key, raw)
    return res


def _load_incremental(path: Path, raw: bytes, key: bytes) -> LoadResult | None:
    """The dataset validated from what changed since its last sound version (see
    :mod:`csto_tui.incremental`), or None (validate it all)."""
    from . import incremental, snapshot

    rev = incremental.revalidate(str(path), raw)
    if rev is None:
        return None
    snap = snapshot.from_blob(str(path), rev.blob)
    res = _load_snapshot(path, snap) if snap is not None else None
    if res is not None:
        incremental.store(str(path), key, raw, rev)
    return res


def _root(path: Path, base: str) -> Path:
    return (path.parent / base).resolve() if base == ".." else path.parent.resolve()


def _load_snapshot(path: Path, snap: Any) -> LoadResult | None:
    """The dataset rebuilt from a snapshot of the same bytes (see :mod:`csto_tui.snapshot`);
    only the sources are checked and read again. None if they are not the same as then."""
    v = _Validator(str(path), _Locator(path))
    v.problems.extend(snap.before)
    sources, texts = _load_sources(v, snap.sources, _root(path, snap.base), {})
    if [s.id for s in sources] != snap.source_ids:
        return None  # a file outside the folder now, say: validate everything again
    v.problems.extend(snap.after)
    quotes, entities, states, metrics, events, conflicts, uncited = snap.records
    anchors, stamp = _load_anchors(anchors_path_for(path), v, quotes)
    v.problems.extend(snap.tail)
    ds = Dataset(
        path=path, root=_root(path, snap.base), title=snap.title,
        sources=tuple(sources), quotes=quotes, states=states, metrics=metrics, events=events,
        entities=entities, conflicts=conflicts, uncited=uncited, anchors=anchors, texts=texts,
    )
    return LoadResult(ds, v.problems, stamp)


def _claim(v: _Validator, seen_ids: dict[str, str], rid: str, kind: str) -> bool:
    """Register a record's id; report it (once per repeat) if an earlier record took it."""
    if rid in seen_ids:
        v.add("duplicate-id", f"id {rid!r} is used twice (first by a {seen_ids[rid]})",
              rid, "id", line=_nth_line(v.loc, rid, 2))
        return False
    seen_ids[rid] = kind
    return True


def _load_sources(v: _Validator, data: dict[str, Any], root: Path, seen_ids: dict[str, str]
                  ) -> tuple[list[Source], dict[str, str]]:
    """Check the ``sources`` table, each file's path, and read each file."""
    sources: list[Source] = []
    texts: dict[str, str] = {}
    memo: dict[str, str] = {}
    for i, t in enumerate(v.table_list(data, "sources")):
        rid = v.rec_id(t, "sources", i)
        if rid is None:
            continue
        if not _claim(v, seen_ids, rid, "source"):
            continue
        v.unknown_keys(t, {"id", "file", "title", "date", "publisher", "url"}, rid)
        file = v.string(t, "file", rid)
        stitle = v.string(t, "title", rid, required=False) or rid
        d = v.date(t, "date", rid, required=False)
        if file is None or d is False:
            continue
        spath, err = safe_source_path(root, file, memo)
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
    return sources, texts


def _load_validating(path: Path, raw: bytes) -> tuple[LoadResult, Any]:
    """Parse and validate every record; return the result and its snapshot (None if it
    cannot be kept)."""
    from .snapshot import DatasetSnapshot

    text = _decode_toml(path, raw)
    cut: list[Any] = []
    data = _parse_dataset(path, text, cut)
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
    root = _root(path, base_s)

    known_top = {"dataset", "sources", "quotes", "states", "entities", "metrics", "events",
                 "conflicts", "uncited"}
    for k in data:
        if k not in known_top:
            v.add("schema", f"unknown top-level key '{k}'", fld=k, sev="warning")

    seen_ids: dict[str, str] = {}

    def claim(rid: str, kind: str) -> bool:
        return _claim(v, seen_ids, rid, kind)

    # ---- sources
    before = list(v.problems)
    sources_data = {"sources": data["sources"]} if "sources" in data else {}
    sources, texts = _load_sources(v, sources_data, root, seen_ids)
    after_start = len(v.problems)
    source_ids = {s.id for s in sources}

    # ---- quotes
    quotes: list[Quote] = []
    for i, t in enumerate(v.table_list(data, "quotes")):
        try:
            quotes.append(_fast_quote(t, seen_ids, source_ids))
            continue
        except _Slow:
            pass
        rid = v.rec_id(t, "quotes", i)
        if rid is None or not claim(rid, "quote"):
            continue
        v.unknown_keys(t, _QUOTE_KEYS, rid)
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
        try:
            entities.append(_fast_entity(t, seen_ids, quote_ids))
            continue
        except _Slow:
            pass
        rid = v.rec_id(t, "entities", i)
        if rid is None or not claim(rid, "entity"):
            continue
        v.unknown_keys(t, _ENTITY_KEYS, rid)
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
    dates: dict[str, PartialDate] = {}
    for i, t in enumerate(v.table_list(data, "states")):
        try:
            states.append(_fast_state(t, seen_ids, quote_ids, dates))
            continue
        except _Slow:
            pass
        rid = v.rec_id(t, "states", i)
        if rid is None or not claim(rid, "state"):
            continue
        v.unknown_keys(t, _STATE_KEYS, rid)
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
        try:
            metrics.append(_fast_metric(t, seen_ids, quote_ids, state_ids, declared_states,
                                        declared_entities))
            continue
        except _Slow:
            pass
        rid = v.rec_id(t, "metrics", i)
        if rid is None or not claim(rid, "metric"):
            continue
        v.unknown_keys(t, _METRIC_KEYS, rid)
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
        elif value is not None and not _finite(value):
            v.add("schema", "'value' must be a finite number (not nan, inf or hundreds of "
                  "digits)", rid, "value")
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
        try:
            events.append(_fast_event(t, seen_ids, quote_ids, state_ids, declared_states,
                                      declared_entities, dates))
            continue
        except _Slow:
            pass
        rid = v.rec_id(t, "events", i)
        if rid is None or not claim(rid, "event"):
            continue
        v.unknown_keys(t, _EVENT_KEYS, rid)
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

    after = v.problems[after_start:]

    # ---- anchors (machine-written companion)
    anchors, stamp = _load_anchors(anchors_path_for(path), v, quotes)
    tail_start = len(v.problems)

    ds = Dataset(
        path=path, root=root, title=title or "CSTO dataset",
        sources=tuple(sources), quotes=tuple(quotes), states=tuple(states),
        metrics=tuple(metrics), events=tuple(events), entities=tuple(entities),
        conflicts=tuple(conflicts), uncited=tuple(uncited), anchors=anchors, texts=texts,
    )
    if not any(k in ("state", "event", "metric", "entity") for k in seen_ids.values()):
        v.add("schema", "the dataset has no states, events, metrics or entities", fld="states")
    _alias_clashes(v, states, entities)
    records = (ds.quotes, ds.entities, ds.states, ds.metrics, ds.events, ds.conflicts,
               ds.uncited)
    tail = v.problems[tail_start:]
    lay = None
    if cut and not (before or after or tail):
        from .incremental import layout

        lay = layout(text, raw, cut, records)
    snap = DatasetSnapshot(ds.title, base_s, before, sources_data, [s.id for s in sources],
                           records, after, tail, lay)
    return LoadResult(ds, v.problems, stamp), snap


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


def _load_anchors(apath: Path, v: _Validator, quotes: Iterable[Quote]
                  ) -> tuple[dict[str, Anchor], Stamp]:
    """The anchors file's rows (its problems added to ``v``), from its snapshot when the file's
    bytes were seen before; holding their quote's own strings where equal (see
    :func:`csto_tui.snapshot.anchors_from_columns`)."""
    from . import cache, snapshot

    try:
        if cache.cache_dir() is not None:
            key, size = cache.file_key(apath)
            snap = snapshot.read_anchors(str(apath), key, quotes)
            if snap is not None:
                v.problems.extend(snap[1])
                return snap[0], Stamp(True, size, key.hex())  # the same SHA-256
        raw = reading.read_bytes(apath)
    except FileNotFoundError:
        return {}, Stamp(False)
    except OSError:
        try:
            _read_bytes(apath)
        except DatasetError as exc:
            v.problems.append(Problem("toml", exc.message, str(apath)))
        # unreadable: a stamp no file matches, so that nothing overwrites it unseen
        return {}, Stamp(True, -1, "unreadable")
    stamp = Stamp.of_bytes(raw)
    problems: list[Problem] = []
    cols = snapshot.anchor_columns(_validate_anchors(apath, raw, problems))
    v.problems.extend(problems)
    if cache.cache_dir() is not None:  # else not hashed again for nothing
        snapshot.write_anchors(str(apath), raw, cols, problems)
    return snapshot.anchors_from_columns(cols, quotes), stamp


def _validate_anchors(apath: Path, raw: bytes, problems: list[Problem]) -> dict[str, Anchor]:
    try:
        data = _parse_toml(apath, _decode_toml(apath, raw))
    except DatasetError as exc:
        problems.extend(exc.problems or (Problem("toml", exc.message, str(apath)),))
        return {}
    table = data.get("anchors", {})
    anchors: dict[str, Anchor] = {}
    if not isinstance(table, dict):
        problems.append(Problem("schema", "[anchors] must be a table", str(apath)))
        return {}
    for qid, a in table.items():
        fast = _fast_anchor(qid, a)
        if fast is not None:
            anchors[qid] = fast
            continue
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
                text_key=str(a.get("text_key", "")),
            )
        except (KeyError, TypeError, ValueError):
            problems.append(Problem("schema", "malformed anchor (run csto-tui sync to rewrite)",
                                    str(apath), None, None, qid))
    return anchors


def _finite(x: int | float) -> bool:
    """Whether a number is an ordinary finite one (a float can hold it)."""
    try:
        return math.isfinite(float(x))
    except OverflowError:
        return False


def _int(x: object) -> int:
    if isinstance(x, bool) or not isinstance(x, int) or x < 0:
        raise ValueError(x)
    return x


# --------------------------------------------------------------------------------------------
# fast paths
#
# A big dataset is almost entirely sound records, and taking each field through the general
# _Validator helpers (ready to explain any fault, with its line) is most of the load time. Each
# _fast_* helper recognises a record that is certainly sound with plain inline checks and
# builds it directly. On anything unusual it raises _Slow before touching any state (it claims
# the record's id only once the record is built), and the caller then runs the full validating
# code on that record alone, so every problem is still reported exactly as before. A check
# here may be stricter than the validating code (``type(x) is str``), never looser.


class _Slow(Exception):
    """The record needs the full validating code."""


_ENTITY_KIND_SET = frozenset(ENTITY_KINDS)
_STATUS_SET = frozenset(STATE_STATUSES)
_CATEGORY_SET = frozenset(METRIC_CATEGORIES)
_RESPONSE_SET = frozenset(RESPONSES)
_SPAN_KIND_SET = frozenset(SPAN_KINDS)


def _fast_id(t: dict[str, Any], allowed: frozenset[str], seen_ids: dict[str, str]) -> str:
    """The id of a record with only known fields and a valid, unused id."""
    if not t.keys() <= allowed:
        raise _Slow
    rid = t.get("id")
    if type(rid) is not str or rid in seen_ids or not ID_RE.match(rid):
        raise _Slow
    return rid


def _req(t: dict[str, Any], key: str) -> str:
    """A required, non-blank string field."""
    val = t.get(key)
    if type(val) is not str or not val.strip():
        raise _Slow
    return val


def _opt(t: dict[str, Any], key: str) -> str:
    """An optional string field ("" when absent)."""
    val = t.get(key)
    if val is None:
        return ""
    if type(val) is not str:
        raise _Slow
    return val


def _choice(t: dict[str, Any], key: str, choices: frozenset[str]) -> str:
    val = t.get(key)
    if type(val) is not str or val not in choices:
        raise _Slow
    return val


def _strs(t: dict[str, Any], key: str) -> tuple[str, ...]:
    """An array of strings (empty when absent)."""
    val = t.get(key, [])
    if type(val) is not list:
        raise _Slow
    for x in val:
        if type(x) is not str:
            raise _Slow
    return tuple(val)


def _cites(ids: tuple[str, ...], quote_ids: set[str], need: bool = True) -> tuple[str, ...]:
    """Quote ids that all name loaded quotes (at least one unless ``need`` is false)."""
    if (need and not ids) or not quote_ids.issuperset(ids):
        raise _Slow
    return ids


def _date(val: object, dates: dict[str, PartialDate]) -> PartialDate:
    """A valid date string, parsed once per distinct text (dates are immutable)."""
    if type(val) is not str:
        raise _Slow
    d = dates.get(val)
    if d is None:
        try:
            d = dates[val] = PartialDate.parse(val)
        except ValueError:
            raise _Slow from None
    return d


def _fast_quote(t: dict[str, Any], seen_ids: dict[str, str], source_ids: set[str]) -> Quote:
    rid = _fast_id(t, _QUOTE_KEYS, seen_ids)
    src = _req(t, "source")
    if src not in source_ids:
        raise _Slow
    q = Quote(rid, src, _req(t, "text"), _opt(t, "note"))
    seen_ids[rid] = "quote"
    return q


def _fast_entity(t: dict[str, Any], seen_ids: dict[str, str], quote_ids: set[str]) -> Entity:
    rid = _fast_id(t, _ENTITY_KEYS, seen_ids)
    e = Entity(rid, _choice(t, "kind", _ENTITY_KIND_SET), _req(t, "name"), _strs(t, "aliases"),
               _opt(t, "summary"), _cites(_strs(t, "quotes"), quote_ids))
    seen_ids[rid] = "entity"
    return e


def _fast_state(t: dict[str, Any], seen_ids: dict[str, str], quote_ids: set[str],
                dates: dict[str, PartialDate]) -> State:
    rid = _fast_id(t, _STATE_KEYS, seen_ids)
    name = _req(t, "name")
    status = _choice(t, "status", _STATUS_SET)
    aliases = _strs(t, "aliases")
    role = _opt(t, "role")
    qs = _cites(_strs(t, "quotes"), quote_ids, need=not t.get("membership"))
    raw = t.get("membership", [])
    if type(raw) is not list:
        raise _Slow
    spans: list[Span] = []
    for s in raw:
        if type(s) is not dict:
            raise _Slow
        kind = _choice(s, "kind", _SPAN_KIND_SET)
        start = _date(s.get("from"), dates)
        end = s.get("to")
        if end is not None:
            end = _date(end, dates)
            if end.sort_key() < start.sort_key():
                raise _Slow
        note = s.get("note", "")
        spans.append(Span(kind, start, end, _cites(_strs(s, "quotes"), quote_ids),
                          note if isinstance(note, str) else ""))
    if len(spans) > 1:  # overlapping spans of a kind
        for k in SPAN_KINDS:
            ks = sorted((s for s in spans if s.kind == k), key=lambda s: s.start.sort_key())
            for a, b in zip(ks, ks[1:], strict=False):
                if a.end is None or b.start.sort_key() < a.end.sort_key():
                    raise _Slow
    open_member = any(s.end is None and s.kind == "member" for s in spans)
    if (status == "member" and not open_member) or (status == "former-member" and open_member):
        raise _Slow
    if not qs and not any(s.quotes for s in spans):
        raise _Slow
    st = State(rid, name, status, aliases, role, tuple(spans), qs)
    seen_ids[rid] = "state"
    return st


def _fast_metric(t: dict[str, Any], seen_ids: dict[str, str], quote_ids: set[str],
                 state_ids: set[str], declared_states: set[str], declared_entities: set[str]
                 ) -> Metric:
    rid = _fast_id(t, _METRIC_KEYS, seen_ids)
    st = _req(t, "state")
    if st not in state_ids:
        raise _Slow
    cat = _choice(t, "category", _CATEGORY_SET)
    measure = _req(t, "measure")
    unit = _opt(t, "unit")
    qual = _opt(t, "qualifier")
    cp = _opt(t, "counterpart")
    detail = _opt(t, "detail")
    qs = _cites(_strs(t, "quotes"), quote_ids)
    value = t.get("value")
    if value is not None and (type(value) is not int and type(value) is not float or not unit
                              or not _finite(value)):
        raise _Slow
    year = t.get("year")
    if year is not None and (type(year) is not int or not 1000 <= year <= 9999):
        raise _Slow
    present = t.get("present", True)
    if type(present) is not bool:
        raise _Slow
    if cp and cp not in declared_states and cp not in declared_entities:
        raise _Slow
    m = Metric(rid, st, cat, measure, float(value) if value is not None else None, unit, year,
               qual, present, cp, detail, qs)
    seen_ids[rid] = "metric"
    return m


def _fast_event(t: dict[str, Any], seen_ids: dict[str, str], quote_ids: set[str],
                state_ids: set[str], declared_states: set[str], declared_entities: set[str],
                dates: dict[str, PartialDate]) -> Event:
    rid = _fast_id(t, _EVENT_KEYS, seen_ids)
    d = _date(t.get("date"), dates)
    title = _req(t, "title")
    resp = _choice(t, "response", _RESPONSE_SET)
    summary = _req(t, "summary")
    sts = _strs(t, "states")
    actors = _strs(t, "actors")
    cat = _opt(t, "category")
    qs = _cites(_strs(t, "quotes"), quote_ids)
    if not declared_states.issuperset(sts):
        raise _Slow
    for a in actors:
        if a not in declared_entities and a not in declared_states:
            raise _Slow
    e = Event(rid, d, title, resp, summary, tuple(s for s in sts if s in state_ids), actors, cat,
              qs)
    seen_ids[rid] = "event"
    return e


def _fast_anchor(qid: str, a: object) -> Anchor | None:
    """An anchor row whose fields all have their expected types, or None (validate it)."""
    if type(a) is not dict:
        return None
    src, exact, start, end = a.get("source"), a.get("exact"), a.get("start"), a.get("end")
    prefix, suffix = a.get("prefix", ""), a.get("suffix", "")
    review, found = a.get("review", ""), a.get("found", "")
    fs, fe = a.get("found_start"), a.get("found_end")
    tk = a.get("text_key", "")
    if (type(tk) is str and type(src) is str and type(exact) is str and type(prefix) is str
            and type(suffix) is str and type(review) is str and type(found) is str
            and type(start) is int and start >= 0 and type(end) is int and end >= 0
            and (fs is None or type(fs) is int and fs >= 0)
            and (fe is None or type(fe) is int and fe >= 0)):
        # positional: a little faster than keywords, in the order of Anchor's fields
        return Anchor(qid, src, exact, prefix, suffix, start, end, review, found, fs, fe, tk)
    return None
