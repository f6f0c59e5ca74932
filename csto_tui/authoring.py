"""Building the dataset from the keyboard: add an article, cite a passage, mark one uncited
(no textual; each is one step of :mod:`csto_tui.journal`, which writes it and undoes it).

Every function here is one **step**: it reads the files it will change, works out their new
bytes, proves them, writes them all, and returns a :class:`Change` naming them. A step:

* **appends** new records as new tables at the end of a data file (formatted with tomli-w,
  one ``[[table]]`` per record, short arrays on one line as the file has them), and adds a
  reference to an existing record's quote list in place
  (:func:`csto_tui.tomledit.append_string`): every other byte of the dataset stays,
  comments included. Each new document is parsed again and must be the old one plus exactly
  what was added;
* is **validated first**, by the loader's one validator (:func:`validate_fields` runs
  :func:`csto_tui.validator.validate_file` on the would-be record and
  :func:`csto_tui.loader.reference_problems` on its references; an uncited passage goes
  through :func:`csto_tui.coverage.uncited_problems`, prose through
  :func:`csto_tui.prose.quotation_problems`), so that ``csto-tui check`` is clean after it;
* writes the **anchor** of a new quote (the rows of :func:`csto_tui.syncing.anchor_rows`,
  appended to the data file's anchors file) and the **stored text** it indexes into
  (:func:`csto_tui.textstore.put`) in the same step: no ``sync`` needed;
* is written by :func:`csto_tui.journal.commit`: each file atomically, refused if it is not
  what the step read (and a source, if it is not the text the passage was selected in), all
  or none, and journaled for :func:`csto_tui.journal.undo`.

Where things go (docs/dataset.md, "Authoring"): a new article is copied into the dataset's
``sources/`` folder (beside the single file, or inside the folder; never ``seeds/``); in a
single-file dataset every table is appended to that file; in a folder, a new article gets its
own ``<source-id>.toml`` (and anchors file), and its quotes, records and uncited passages go
there, so two analysts working on different articles never write the same file.
"""

from __future__ import annotations

import os
import re
import tomllib
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import tomli_w

from . import reading, records, schema, textstore
from .anchorsfile import load_anchors
from .dataset import Dataset
from .errors import CstoError, Problem, os_message
from .journal import AuthoringError, Change, Step, Write, commit, home, read_optional
from .loader import anchors_path_for, data_files, load
from .model import Anchor, Quote, Uncited
from .references import reference_problems
from .sources import read_source
from .validator import ID_RE, validate_file
from .vocabulary import UNCITED_REASONS

__all__ = ["add_source", "cite", "mark_uncited", "new_quote_id", "quote_at", "sources_dir",
           "target_file", "uncovered", "validate_fields"]


# --------------------------------------------------------------------------------- layout

def sources_dir(data: Path | str) -> Path:
    """Where :func:`add_source` keeps the articles it copies: ``sources/`` beside the single
    data file, or inside the dataset's folder (never ``seeds/``, which is not the dataset's)."""
    return home(Path(data)) / "sources"


def target_file(data: Path | str, source_id: str | None = None, *,
                ds: Dataset | None = None) -> Path:
    """The data file new tables about ``source_id`` go to: the single file itself; in a
    folder, the file holding that source's quotes, else the file of its ``[[sources]]``
    entry, else a new ``<source_id>.toml`` (``ds``: the dataset as loaded, else loaded)."""
    data = Path(data)
    if not data.is_dir():
        return data
    if source_id is None:
        files = data_files(data)
        if not files:
            raise AuthoringError(f"{data}: a folder with no dataset (*.toml) file")
        return files[0]
    if ds is None:
        ds = load(data).dataset
    index = ds.file_index()
    for q in ds.quotes:
        if q.source == source_id and q.id in index:
            return ds.files[index[q.id]]
    if source_id in index:
        return ds.files[index[source_id]]
    return data / f"{source_id}.toml"


# ------------------------------------------------------------------------------ ids


_STOP = frozenset("a an the of in to and or for on by with its it is was as at that this from be "
                  "has have had were are which who their his her s".split())


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.findall(r"[a-z0-9]+", folded)


class _Taken:
    """The ids a dataset uses (faulty records' too, as the files declare them) and every
    anchored quote id, plus those a step has just claimed: looked up in the dataset's own
    indexes (built once per dataset), never gathered into a set of every id."""

    def __init__(self, ds: Dataset) -> None:
        self.ds = ds
        self.claimed: set[str] = set()

    def __contains__(self, rid: object) -> bool:
        if not isinstance(rid, str):
            return False
        ds = self.ds
        return (rid in self.claimed or rid in ds.file_index() or rid in ds.anchors
                or ds.get(rid) is not None)

    def add(self, rid: str) -> None:
        self.claimed.add(rid)


def _unique(base: str, taken: _Taken) -> str:
    base = base.strip("-.") or "x"
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _slug(text: str, most: int = 3) -> str:
    words = [w for w in _words(text) if w not in _STOP] or _words(text)
    return "-".join(words[:most])[:32].strip("-")


def new_quote_id(ds: Dataset, source_id: str, text: str) -> str:
    """A readable id for a new quote of ``source_id`` that no record or anchor uses:
    ``q-<source>-<three words of the passage>`` (``-2``, ``-3``... when taken)."""
    slug = _slug(text)
    return _unique(f"q-{source_id}-{slug}" if slug else f"q-{source_id}", _Taken(ds))


#: the prefix of a new record's id, by kind (others: none), as the bundled dataset names them
_ID_PREFIX = {"event": "ev-", "metric": "m-", "relation": "r-", "conflict": "c-"}
_NAMING = ("title", "name", "measure", "topic", "summary", "kind")


def _record_id(ds: Dataset, kind: str, row: Mapping[str, Any], taken: _Taken) -> str:
    words = next((row[k] for k in _NAMING if isinstance(row.get(k), str) and row[k].strip()),
                 "")
    slug = _slug(words, 4) if words else ""
    return _unique(_ID_PREFIX.get(kind, "") + (slug or kind), taken)


# ------------------------------------------------------------------------------ validation


def _row(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The fields as TOML values (tuples as arrays), without empty optional ones."""
    def plain(v: Any) -> Any:
        if isinstance(v, tuple | list):
            return [plain(x) for x in v]
        if isinstance(v, Mapping):
            return {str(k): plain(x) for k, x in v.items()}
        return v

    return {str(k): plain(v) for k, v in fields.items() if v is not None}


def _cite_field(kind: records.Kind) -> records.Field | None:
    return next((f for f in kind.fields if f.cites), None)


_PLACEHOLDER_QUOTE = "q-new-passage"


def validate_fields(ds: Dataset, kind: str, fields: Mapping[str, Any], *,
                    passage: str | None = None, quote_id: str | None = None) -> list[Problem]:
    """The loader's one validator run on a would-be record of ``kind`` (the form calls it as
    its fields change): each field as a load checks it (types, choices, required, the kind's
    rules), its references against ``ds``, its id (when given) unused. Each problem names the
    record and the field; none has a file or line (the record is not written yet).

    ``passage``: the record will cite a new quote of this text (id ``quote_id``), added to its
    quote list, and its prose's quotation marks are checked against it."""
    try:
        k = records.kind(kind)
    except KeyError:
        return [Problem("schema", f"unknown kind of record {kind!r} (one of "
                        f"{', '.join(x.name for x in records.kinds())})")]
    row = _row(fields)
    given_id = row.get("id") if k.has_id else None
    rid = given_id if isinstance(given_id, str) and given_id else f"new-{k.name}"
    shown = rid if given_id else f"(new {k.name})"
    if k.has_id:
        row = {"id": rid, **{key: v for key, v in row.items() if key != "id"}}
    qid = quote_id or _PLACEHOLDER_QUOTE
    cf = _cite_field(k)
    if passage is not None and cf is not None:
        have = row.get(cf.key)
        row[cf.key] = [*(have if isinstance(have, list) else []), qid]
    out: list[Problem] = []
    if given_id and given_id in _Taken(ds):
        out.append(Problem("duplicate-id", f"id {given_id!r} is already used", "", None, None,
                           shown, "id"))
    try:
        part = validate_file(Path(f"(new {k.name})"), _tables_text([(k.table, row)]).encode())
    except (CstoError, TypeError, ValueError) as exc:  # a value tomli-w cannot write
        return [*out, Problem("schema", _message(exc), "", None, None, shown, "")]
    for p in part.problems:
        out.append(Problem(p.code, p.message, "", None, None, shown, p.field, p.severity))
    built = part.records.get(k.name, [])
    if not built:
        return out
    rec = built[0]
    also = {"quote": {qid}} if passage is not None else None
    for p in reference_problems(ds, k, rec, also):
        out.append(Problem(p.code, p.message, "", None, None, shown, p.field, p.severity))
    if passage is not None and k.has_id:
        from .prose import quotation_problems

        mini = _mini(ds, quotes=(Quote(qid, "", passage),), extra=(k, rec))
        for p in quotation_problems(mini):
            if p.record == rid:
                out.append(Problem(p.code, p.message, "", None, None, shown, p.field,
                                   p.severity))
    return out



def _message(exc: BaseException) -> str:
    return exc.message if isinstance(exc, CstoError) else str(exc)


def _mini(ds: Dataset, *, quotes: tuple[Quote, ...] = (), uncited: tuple[Uncited, ...] = (),
          extra: tuple[records.Kind, Any] | None = None) -> Dataset:
    """A dataset holding only some records (beside ``ds``'s sources, texts and anchors), to
    run one of check's own checks on a would-be record."""
    by_table: dict[str, tuple[Any, ...]] = {}
    more: dict[str, tuple[Any, ...]] = {}
    if extra is not None:
        k, rec = extra
        if k.name in schema.BUILTIN:
            by_table[k.table] = (rec,)
        else:
            more[k.name] = (rec,)
    return Dataset(
        path=ds.path, root=ds.root, title=ds.title, sources=ds.sources,
        quotes=(*quotes, *by_table.pop("quotes", ())), states=by_table.pop("states", ()),
        metrics=by_table.pop("metrics", ()), events=by_table.pop("events", ()),
        entities=by_table.pop("entities", ()), conflicts=by_table.pop("conflicts", ()),
        uncited=uncited, anchors=ds.anchors, texts=ds.texts, more=more, files=ds.files)


def _refuse(problems: list[Problem], what: str) -> None:
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise AuthoringError(f"{what}: " + "; ".join(p.format() for p in errors)
                             + "; nothing written", tuple(errors))


# --------------------------------------------------------------------------- TOML text


def _key(k: str) -> str:
    return tomli_w.dumps({k: 0}).rsplit(" = ", 1)[0]


def _literal(v: Any) -> str:
    """One value's TOML text, as tomli-w writes it."""
    return tomli_w.dumps({"v": v})[4:].rstrip("\n")


def _inline(d: Mapping[str, Any]) -> str:
    if not d:
        return "{}"
    return "{ " + ", ".join(_key(k) + " = " + (_inline(v) if isinstance(v, Mapping)
                                               else _literal(v))
                            for k, v in d.items()) + " }"


#: the longest ``key = [...]`` line written on one line (tomli-w's own limit for an inline
#: table); a longer array is written one element per line
ONE_LINE_MAX = 100

_SCALARS = (str, int, float, bool)


def _array_line(k: str, v: list[Any]) -> str | None:
    """``key = ["a", "b"]`` on one line, each element as tomli-w writes it, if the array
    holds plain values only and the line is short; else None."""
    if not v or not all(isinstance(x, _SCALARS) for x in v):
        return None
    line = f"{_key(k)} = [" + ", ".join(_literal(x) for x in v) + "]"
    return line + "\n" if len(line) <= ONE_LINE_MAX and "\n" not in line else None


def _table_text(table: str, row: Mapping[str, Any], one_line: bool = True) -> str:
    """One record as ``[[table]]`` with its keys (tomli-w's formatting; tables of keys as
    inline tables, as the dataset writes ``inferred``; short arrays of plain values on one
    line when ``one_line``, as the hand-written files have them), then its nested tables."""
    out = [f"[[{table}]]\n"]
    nested = []
    for k, v in row.items():
        if isinstance(v, list) and v and all(isinstance(x, Mapping) for x in v):
            nested.append((k, v))
        elif isinstance(v, Mapping):
            out.append(f"{_key(k)} = {_inline(v)}\n")
        else:
            line = _array_line(k, v) if one_line and isinstance(v, list) else None
            out.append(line or tomli_w.dumps({k: v}))
    for k, subs in nested:
        for sub in subs:
            out.append(_table_text(f"{table}.{k}", sub, one_line))
    return "".join(out)


def _tables_text(rows: Sequence[tuple[str, Mapping[str, Any]]], one_line: bool = True) -> str:
    return "\n".join(_table_text(t, r, one_line) for t, r in rows)


#: an array opened at the end of its line (``key = [``): written one element per line
_OPEN_ARRAY = re.compile(r"^[ \t]*[^#\s=][^=\n]*=[ \t]*\[[ \t]*(?:#[^\n]*)?\r?$", re.M)
#: an array closed on the line it opens
_LINE_ARRAY = re.compile(r"^[ \t]*[^#\s=\[][^=\n]*=[ \t]*\[[^\n]*\][ \t]*(?:#[^\n]*)?\r?$",
                         re.M)
#: how much of a file's end is read for its style (the tables next to the appended ones)
_STYLE_TAIL = 64_000


def one_line_arrays(doc: str) -> bool:
    """Whether the file writes its arrays on one line (the hand-written dataset does), judged
    by the arrays near its end: unless most of them are written one element per line (a file
    written by tomli-w), and for a file with none."""
    tail = doc[-_STYLE_TAIL:]
    return len(_OPEN_ARRAY.findall(tail)) <= len(_LINE_ARRAY.findall(tail))


def _parse(doc: str, where: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(doc)
    except tomllib.TOMLDecodeError as exc:
        raise AuthoringError(f"{where}: not valid TOML ({exc}); nothing written") from None


def _append_tables(doc: str, rows: list[tuple[str, dict[str, Any]]], where: Path) -> str:
    """``doc`` with each record appended as a new table, proven by parsing again: the result
    must be ``doc``'s document with exactly those records added to their arrays."""
    before = _parse(doc, where) if doc.strip() else {}
    nl = "\r\n" if "\r\n" in doc else "\n"
    text = _tables_text(rows, one_line_arrays(doc)).replace("\n", nl)
    if doc and not doc.endswith("\n"):
        doc += nl
    new = (doc + nl if doc.strip() else doc) + text
    after = _parse(new, where)
    for table, row in rows:
        arr = before.setdefault(table, [])
        if not isinstance(arr, list):
            raise AuthoringError(f"{where}: '{table}' is not an array of tables; nothing written")
        arr.append(row)
    if after != before:
        raise AuthoringError(f"{where}: appending {', '.join(t for t, _ in rows)} would change "
                             "more than the new tables; nothing written")
    return new


# ------------------------------------------------------------------------------ passages


def _passage(ds: Dataset, source_id: str, start: int, end: int) -> tuple[str, int, int]:
    """The source's text and the span, whitespace at its edges left out; refused if the span
    is not in the text or the source changed on disk since ``ds`` read it."""
    src = ds.source(source_id)
    if src is None:
        raise AuthoringError(f"no source {source_id!r} in the dataset")
    text = ds.texts.get(source_id)
    if text is None:
        raise AuthoringError(f"source {source_id!r} ({src.path}) could not be read")
    if not 0 <= start < end <= len(text):
        raise AuthoringError(f"[{start}, {end}) is not a passage of source {source_id!r} "
                             f"(its text has {len(text)} characters)")
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        raise AuthoringError("the selected passage is blank")
    try:
        now = read_source(src.path)
    except (OSError, UnicodeDecodeError) as exc:
        why = os_message(exc) if isinstance(exc, OSError) else "not UTF-8 text"
        raise AuthoringError(f"source {source_id!r}: {why}") from None
    if now != text:
        raise AuthoringError(f"source {source_id!r} ({src.path}) changed since it was loaded: "
                             "reload, then select the passage again; nothing written")
    return text, start, end


def _overlapping_uncited(ds: Dataset, source_id: str, text: str, start: int, end: int
                         ) -> Uncited | None:
    from .coverage import uncited_span

    for u in ds.uncited:
        if u.source == source_id:
            span = uncited_span(text, u)
            if span is not None and span[0] < end and start < span[1]:
                return u
    return None


def quote_at(ds: Dataset, source_id: str, start: int, end: int) -> Quote | None:
    """The quote of ``source_id`` that spans exactly [start, end) of its text (its settled
    anchor there, holding the quote's text), if there is one: citing that passage again
    reuses it rather than writing a second quote of the same words."""
    text = ds.texts.get(source_id)
    if text is None:
        return None
    passage = text[start:end]
    for q in ds.quotes:
        if q.source != source_id or q.text != passage:
            continue
        an = ds.anchors.get(q.id)
        if (an is not None and not an.review and an.source == source_id
                and (an.start, an.end) == (start, end) and an.exact == passage):
            return q
    return None


def uncovered(ds: Dataset, source_id: str) -> list[tuple[int, int]]:
    """The spans of the source's text neither quoted nor explained as uncited, in text order
    (:func:`csto_tui.coverage.coverage`)."""
    from .coverage import coverage

    return [(p.start, p.end) for c in coverage(ds, only=source_id) for p in c.uncovered]


# ------------------------------------------------------------------------------ steps


def cite(data: Path | str, ds: Dataset, source_id: str, start: int, end: int, *,
         record_id: str | None = None, new_kind: str | None = None,
         fields: Mapping[str, Any] | None = None, quote_id: str | None = None) -> Change:
    """Cite the passage [start, end) of ``ds.text_of(source_id)`` (code points; whitespace at
    its edges left out) as a new quote, appended to the source's data file with its anchor,
    and either attach it to the existing record ``record_id`` (the one reference added to its
    quote list, nothing else changed) or create a record of ``new_kind`` with ``fields`` (TOML
    values; ``id`` optional: made from its title or name) citing it.

    A passage that is exactly an existing quote of the source (:func:`quote_at`) is not
    quoted twice: that quote is reused (no quote table, no anchor written; ``Change.ids[0]``
    is its id, the summary says it was reused), and attaching it to a record that already
    cites it is refused. ``quote_id``: the id of a new quote (else one is made)."""
    data = Path(data)
    if (record_id is None) == (new_kind is None):
        raise AuthoringError("cite: give either a record to attach the passage to or a kind of "
                             "record to create")
    text, start, end = _passage(ds, source_id, start, end)
    passage = text[start:end]
    u = _overlapping_uncited(ds, source_id, text, start, end)
    if u is not None:
        raise AuthoringError(f"the passage overlaps a passage marked uncited ({u.reason}): "
                             f"\u201c{_short(u.text)}\u201d. A passage is quoted or explained, "
                             "not both; nothing written")
    taken = _Taken(ds)
    same = quote_at(ds, source_id, start, end)
    qid = same.id if same is not None else quote_id or new_quote_id(ds, source_id, passage)
    qrow = {"id": qid, "source": source_id, "text": passage}
    #: the new tables: the quote's, unless one of this very span exists (then it is reused)
    qrows = [] if same is not None else [("quotes", qrow)]
    if same is None:
        _refuse(validate_fields(ds, "quote", qrow), f"quote {qid}")
    taken.add(qid)
    step = Step(data)
    qfile = target_file(data, source_id, ds=ds)
    if new_kind is not None:
        try:
            kind = records.kind(new_kind)
        except KeyError:
            raise AuthoringError(f"unknown kind of record {new_kind!r}") from None
        cf = _cite_field(kind)
        if cf is None:
            raise AuthoringError(f"a {kind.name} does not cite quotes in a list of its own")
        given = _row(fields or {})
        cited = given.pop(cf.key, [])
        rid = given.get("id") or _record_id(ds, kind.name, given, taken)
        given["id"] = rid
        _refuse(validate_fields(ds, kind.name, {**given, cf.key: cited} if cited else given,
                                passage=passage, quote_id=qid), f"{kind.name} {rid}")
        row = {"id": rid, **{k: v for k, v in given.items() if k != "id"},
               cf.key: [*(c for c in cited if c != qid), qid]}
        step.set_doc(qfile, _append_tables(step.doc(qfile), [*qrows, (kind.table, row)],
                                           qfile))
        ids = (qid, str(rid))
        summary = (f"added {kind.name} {rid} to {qfile.name}; reused quote {qid} (the same "
                   "passage)" if same is not None else
                   f"added quote {qid} and {kind.name} {rid} to {qfile.name}")
    else:
        assert record_id is not None
        rec = ds.get(record_id)
        kind_of = records.kind_of(rec) if rec is not None else None
        if rec is None or kind_of is None:
            raise AuthoringError(f"no record {record_id!r} in the dataset")
        cf = _cite_field(kind_of)
        if cf is None:
            raise AuthoringError(f"{kind_of.name} {record_id} does not cite quotes in a list "
                                 "of its own; nothing written")
        if qid in _listed(rec, cf):
            raise AuthoringError(f"{kind_of.name} {record_id} already cites quote {qid}, "
                                 "which is this very passage; nothing written")
        if qrows:
            step.set_doc(qfile, _append_tables(step.doc(qfile), qrows, qfile))
        index = ds.file_index()
        if record_id not in index:
            raise AuthoringError(f"cannot tell which file declares {record_id!r}")
        rfile = ds.files[index[record_id]]
        from .tomledit import EditError, append_string

        try:
            step.set_doc(rfile, append_string(step.doc(rfile), kind_of.table, record_id,
                                              cf.key, qid))
        except EditError as exc:
            raise AuthoringError(f"{rfile}: {exc}; nothing written") from None
        ids = (qid, record_id)
        if same is not None:
            summary = (f"reused quote {qid} (the same passage) for {kind_of.name} "
                       f"{record_id} in {rfile.name}")
        else:
            where = qfile.name if rfile == qfile else f"{qfile.name}, {rfile.name}"
            summary = f"added quote {qid} to {kind_of.name} {record_id} ({where})"
    if same is None:
        _add_anchor(step, ds, qfile, Quote(qid, source_id, passage), text, start, end)
    return commit(step, summary, ids)


def _listed(rec: Any, cf: records.Field) -> tuple[str, ...]:
    """The quote ids in a record's own list of citations (``cf``)."""
    got = getattr(rec, cf.attr or cf.key, ())
    return tuple(got) if isinstance(got, tuple | list) else ()


def _add_anchor(step: Step, ds: Dataset, data_file: Path, q: Quote, text: str, start: int,
                end: int) -> None:
    """The new quote's anchor appended to its data file's anchors file, and the text it
    indexes into stored (if not yet)."""
    from .anchoring import context
    from .syncing import anchor_rows, render_anchors

    apath = anchors_path_for(data_file)
    key = textstore.key_of(text)
    prefix, suffix = context(text, start, end)
    a = Anchor(q.id, q.source, q.text, prefix, suffix, start, end, text_key=key)
    raw = read_optional(apath)
    if raw is None:
        after = render_anchors({q.id: a}, [q.id])
    else:
        old = raw.decode("utf-8", errors="replace")
        rows = anchor_rows({q.id: a}, [q.id]).rstrip("\n") + "\n"
        after = (old.rstrip("\n") + "\n\n" + rows).encode("utf-8") if old.strip() else \
            render_anchors({q.id: a}, [q.id])
        had, _ = load_anchors(apath, raw)
        got, problems = load_anchors(apath, after)
        if problems or got != {**had, q.id: a}:
            raise AuthoringError(f"{apath}: adding the anchor of {q.id} would change more than "
                                 "that row (run `csto-tui sync` first); nothing written")
    if key not in textstore.keys(apath) or textstore.get(apath, key) is None:
        step.writes.append(Write(textstore.store_dir(apath) / (key + textstore.SUFFIX), None,
                                  b"", store=(apath, text)))
    step.writes.append(Write(apath, raw, after))


def mark_uncited(data: Path | str, ds: Dataset, source_id: str, start: int, end: int,
                 reason: str) -> Change:
    """Mark the passage [start, end) as deliberately uncited, for ``reason`` (one of
    :data:`csto_tui.vocabulary.UNCITED_REASONS`): an ``[[uncited]]`` table appended to the
    source's data file. Checked as ``check`` checks it: verbatim once in the source, one
    sentence at most, overlapping no quote."""
    from .coverage import uncited_problems

    data = Path(data)
    if reason not in UNCITED_REASONS:
        raise AuthoringError(f"reason {reason!r} is not one of {', '.join(UNCITED_REASONS)}; "
                             "nothing written")
    text, start, end = _passage(ds, source_id, start, end)
    passage = text[start:end]
    row = {"source": source_id, "text": passage, "reason": reason}
    _refuse(validate_fields(ds, "uncited", row), "uncited passage")
    problems = uncited_problems(_mini(ds, quotes=ds.quotes,
                                      uncited=(Uncited(source_id, passage, reason),)))
    _refuse([p.__class__(p.code, p.message, "", None, None, p.record, p.field, p.severity)
             for p in problems], f"uncited passage \u201c{_short(passage)}\u201d")
    step = Step(data)
    file = target_file(data, source_id, ds=ds)
    step.set_doc(file, _append_tables(step.doc(file), [("uncited", row)], file))
    return commit(step, f"marked \u201c{_short(passage, 40)}\u201d of {source_id} uncited "
                   f"({reason}) in {file.name}", ())


def _short(s: str, n: int = 60) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 3] + "..."


def add_source(data: Path | str, article: Path | str, *, title: str | None = None,
               date: str | None = None, publisher: str | None = None,
               source_id: str | None = None) -> Change:
    """Copy ``article`` byte for byte into the dataset's ``sources/`` folder (a file of the
    same name there must hold the same bytes: a different one is never overwritten), register
    it as a ``[[sources]]`` table (in a folder, in a new ``<id>.toml``) and store its text
    beside that file's anchors. Its id is ``source_id`` or made from the file's name; its
    title, when not given, is its first line. An article whose text is a source's already
    (the same bytes, under any name) is refused, naming that source."""
    data = Path(data)
    article = Path(article)
    try:
        raw = reading.read_bytes(article)
        text = read_source(article)
    except UnicodeDecodeError as exc:
        raise AuthoringError(f"{article}: not UTF-8 text (bad byte at offset {exc.start}); "
                             "nothing added") from None
    except OSError as exc:
        raise AuthoringError(f"{os_message(exc)}; nothing added") from None
    if not text.strip():
        raise AuthoringError(f"{article}: the article is empty; nothing added")
    ds = load(data).dataset
    dest = sources_dir(data) / article.name
    existing = read_optional(dest)
    if existing is not None and existing != raw:
        raise AuthoringError(f"{dest} already exists and differs from {article}: not "
                             "overwritten. Rename the article (or remove that file) and add it "
                             "again; nothing added")
    for s in ds.sources:
        if s.path and os.path.realpath(s.path) == os.path.realpath(dest):
            raise AuthoringError(f"{dest} is already registered as source {s.id!r}; "
                                 "nothing added")
    for s in ds.sources:  # the same article under another name
        have = ds.texts.get(s.id)
        if have is not None and len(have) == len(text) and have == text:
            raise AuthoringError(f"{article} holds the same text as source {s.id!r} "
                                 f"({s.file}): the article is "
                                 "already in the dataset; nothing added")
    taken = _Taken(ds)
    sid = source_id or _unique(_slug(article.stem, 5) or "source", taken)
    if not ID_RE.fullmatch(sid):
        raise AuthoringError(f"source id {sid!r} must match [a-z0-9][a-z0-9._-]*; nothing added")
    if sid in taken:
        raise AuthoringError(f"id {sid!r} is already used; give another with --id; "
                             "nothing added")
    step = Step(data)
    dfile = target_file(data, sid, ds=ds)
    doc = step.doc(dfile)
    meta = _parse(doc, dfile).get("dataset", {}) if doc.strip() else {}
    base = meta.get("base", ".") if isinstance(meta, dict) else "."
    root = dfile.parent.parent if base == ".." else dfile.parent
    rel = Path(os.path.relpath(dest, root)).as_posix()
    first = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    row: dict[str, Any] = {"id": sid, "file": rel,
                           "title": title if title is not None else _short(first, 100)}
    if date:
        row["date"] = date
    if publisher:
        row["publisher"] = publisher
    row = {k: v for k, v in row.items() if v != ""}
    _refuse(validate_fields(ds, "source", row), f"source {sid}")
    if not doc.strip():
        doc = (f"# Source {sid} ({article.name}): its quotes, the records they support and "
               "its uncited passages.\n# Written by csto-tui add-source; edit freely.\n")
    step.set_doc(dfile, _append_tables(doc, [("sources", row)], dfile))
    if existing is None:
        step.writes.append(Write(dest, None, raw))
    apath = anchors_path_for(dfile)
    if read_optional(apath) is None:
        from .syncing import render_anchors

        step.writes.append(Write(apath, None, render_anchors({}, [])))
    key = textstore.key_of(text)
    if textstore.get(apath, key) is None:
        step.writes.insert(0, Write(textstore.store_dir(apath) / (key + textstore.SUFFIX),
                                     None, b"", store=(apath, text)))
    return commit(step, f"added source {sid} ({article.name}) to {dfile.name}", (sid,))
