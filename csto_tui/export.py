"""Exports: Markdown briefings with numbered citations, or the dataset as JSON (no textual).

The one export path of csto-tui: ``csto-tui export``, the dashboard's ``e``, the briefing
view's ``e`` and the command palette all call :func:`make` and :func:`write`, so the same
request gives the same bytes and the same file mode wherever it comes from:

- a :class:`Request` names the states (none: every current member, or for JSON the whole
  dataset), the format and whether quotes needing review are allowed; ``states`` is honoured
  by both formats (JSON then holds the records those briefings show, their quotes and sources);
- every format escapes for its own syntax: Markdown (every character it may read as markup),
  the HTML comment at the top (no ``--``), JSON (``ensure_ascii``: control characters stay
  ``\u001b``); and in all of them no control character is left raw, so printing an export to
  a terminal can never drive it (retitle it, write its clipboard);
- :func:`write` goes through :func:`csto_tui.atomic.atomic_write` (``~`` expanded, a link
  written through, anything but a regular file refused, the mode of an existing file kept, a
  new one given the umask, a ``.bak`` of what it replaces, another writer's file never lost).

An export never passes for complete when the dataset has errors (a record left out, a citation
dropped, a source that cannot be read: :func:`csto_tui.checking.dataset_errors`): ``make`` is
handed them, the Markdown says so at its top (each problem located, as ``check`` prints it),
the JSON lists them under ``problems``, and every caller says so too (the CLI on standard error,
exit 1; the dashboard in its notice).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import briefing, records
from .dataset import Dataset, facts_only
from .errors import CstoError, Problem
from .facts import FACTS_ONLY_LEFT_OUT, RESPONSE_MARKERS
from .textsafe import agrees, plural
from .values import _set, _Value
from .vocabulary import EXACT, QUOTE_STATUSES

FORMATS = ("markdown", "json")
#: Where the dashboard's and the briefing view's ``e`` write (default: the working folder).
EXPORT_DIR_ENV = "CSTO_TUI_EXPORT_DIR"


class UnknownStateError(CstoError):
    """A request names a state the dataset does not have."""


class Request(_Value):
    """What to export: the same request gives the same bytes, from any caller."""

    __slots__ = _fields = ("states", "format", "allow_review", "facts_only")

    states: tuple[str, ...] | None
    format: str
    allow_review: bool
    #: leave out what is not a reported fact (:func:`csto_tui.dataset.facts_only`)
    facts_only: bool

    def __init__(
        self,
        states: tuple[str, ...] | None = None,
        format: str = "markdown",
        allow_review: bool = False,
        facts_only: bool = False,
    ) -> None:
        _set(self, "states", states)
        _set(self, "format", format)
        _set(self, "allow_review", allow_review)
        _set(self, "facts_only", facts_only)


class Export(_Value):
    """An export made: its text, the quotes it prints and those among them needing review."""

    __slots__ = _fields = ("request", "text", "quotes", "needs_review", "problems")

    request: Request
    text: str
    quotes: tuple[str, ...]
    needs_review: tuple[str, ...]
    #: the dataset's errors it was made despite (the export says so at its top)
    problems: tuple[Problem, ...]

    def __init__(
        self,
        request: Request,
        text: str,
        quotes: tuple[str, ...],
        needs_review: tuple[str, ...],
        problems: tuple[Problem, ...] = (),
    ) -> None:
        _set(self, "request", request)
        _set(self, "text", text)
        _set(self, "quotes", quotes)
        _set(self, "needs_review", needs_review)
        _set(self, "problems", problems)


def resolve_state(ds: Dataset, given: str) -> str | None:
    """The id of the state ``given`` names: its id, its name, one of its aliases, or a name the
    search knows it by (:mod:`csto_tui.search.names`: ``Kirgizia`` for Kyrgyzstan), folded as
    the search folds them (case, accents, spacing: ``kaz``, ``KAZAKHSTAN``, ``kazakh``); the
    states' own names first. None when no state or several states answer to it."""
    if ds.state(given) is not None:
        return given
    from .search.names import variants_of
    from .search.text import normalize

    key = normalize(given)
    for variants in (False, True):
        found = set()
        for st in ds.states:
            names = (st.id, st.name, *st.aliases)
            if key in {normalize(n) for n in (variants_of(names[1:]) if variants else names)}:
                found.add(st.id)
        if found:
            return found.pop() if len(found) == 1 else None
    return None


def make(ds: Dataset, statuses: dict[str, str] | None, request: Request,
         problems: Sequence[Problem] = ()) -> Export:
    """The export of ``request`` (:class:`UnknownStateError` for a state not in ``ds``).
    ``problems``: the dataset's errors (:func:`csto_tui.checking.dataset_errors`), which the
    export lists at its top: what they concern may be missing from it."""
    if request.format not in FORMATS:
        raise ValueError(request.format)
    if request.facts_only:
        ds = facts_only(ds)
    states = [resolve_state(ds, s) or s for s in request.states] if request.states else None
    if states:
        unknown = [s for s in states if ds.state(s) is None]
        if unknown:
            left_out = [p.format() for p in problems if p.record in unknown]
            if left_out:  # declared, but left out of the dataset: say why
                raise UnknownStateError(
                    f"state {', '.join(unknown)} was left out of the dataset: "
                    + "; ".join(left_out[:5]))
            known = ", ".join(f"{s.id} ({s.name})" for s in ds.states_sorted())
            raise UnknownStateError(f"unknown state: {', '.join(unknown)} (known: {known})")
    problems = tuple(problems)
    statuses = statuses or {}
    if request.format == "json":
        doc = _json_doc(ds, statuses, request.allow_review, states)
        if request.facts_only:
            doc["facts_only"] = True
        if problems:
            doc["problems"] = [p.to_dict() for p in problems]
        text = _dumps(doc)
        quotes = tuple(q["id"] for q in doc.get("quotes", []))
    else:
        text = markdown(ds, states, statuses, request.allow_review)
        if request.facts_only:
            head, _, rest = text.partition("\n\n")
            text = f"{head}\n\n> Facts only: {FACTS_ONLY_LEFT_OUT} are left out.\n\n{rest}"
        if problems:
            head, _, rest = text.partition("\n\n")
            text = f"{head}\n\n{problems_note(problems)}\n\n{rest}"
        quotes = tuple(cited(ds, states))
    return Export(request, text, quotes, tuple(needing_review(list(quotes), statuses)),
                  problems)


#: Problems a Markdown export lists at its top; the rest are counted.
SHOWN_PROBLEMS = 20


def problems_note(problems: Sequence[Problem]) -> str:
    """The Markdown export's note on the dataset's errors: how many, each located (the data
    file by its name) as ``check`` says it."""
    n = len(problems)
    lines = [f"> **The dataset has {plural(n, 'problem')}: what "
             f"{agrees(n, 'it concerns', 'they concern')} may be missing from this export** "
             f"(`csto-tui check` lists {agrees(n, 'it', 'them')}):", ">"]
    for p in problems[:SHOWN_PROBLEMS]:
        located = p if not p.file else Problem(p.code, p.message, Path(p.file).name, p.line,
                                                  p.column, p.record, p.field, p.severity)
        lines.append(f"> - {briefing.md_text(located.format())}")
    if n > SHOWN_PROBLEMS:
        lines.append(f"> - ... and {n - SHOWN_PROBLEMS} more")
    return "\n".join(lines)


def default_path(request: Request) -> Path:
    """Where the dashboard writes a request: ``$CSTO_TUI_EXPORT_DIR`` (``~`` expanded) or the
    working folder; ``csto-briefing-<state>.md`` (``.json`` for JSON)."""
    folder = Path(os.path.expanduser(os.environ.get(EXPORT_DIR_ENV) or "."))
    which = "-".join(request.states) if request.states else "members"
    ext = "json" if request.format == "json" else "md"
    return (folder / f"csto-briefing-{which}.{ext}").absolute()


def write(exp: Export, path: Path | str) -> Path:
    """Write an export atomically (see :mod:`csto_tui.atomic`); return the file written (``~``
    expanded, a link followed to its file)."""
    from .atomic import atomic_write, target_of

    atomic_write(path, exp.text.encode("utf-8"))
    return target_of(path)  # the file just written

#: Quote statuses an export prints without asking for review (a kept orphan is printed with
#: its status, as is every status but exact).
SETTLED = tuple(s.name for s in QUOTE_STATUSES if not s.review)


def needing_review(qids: list[str], statuses: dict[str, str]) -> list[str]:
    """The quotes among ``qids`` whose status asks for review (anything not settled)."""
    return [q for q in qids if statuses.get(q, EXACT) not in SETTLED]


def _briefings(ds: Dataset, state_ids: list[str] | None,
               statuses: dict[str, str] | None) -> list[briefing.Briefing]:
    if state_ids is None:
        state_ids = [s.id for s in ds.states_sorted() if s.status == "member"]
    return [briefing.build(ds, sid, statuses) for sid in state_ids]


def cited(ds: Dataset, state_ids: list[str] | None = None) -> list[str]:
    """The quotes the Markdown export of these states prints."""
    seen: dict[str, None] = {}
    for b in _briefings(ds, state_ids, None):
        for fn in b.footnotes:
            seen.setdefault(fn.quote)
    return list(seen)


def markdown(ds: Dataset, state_ids: list[str] | None = None,
             statuses: dict[str, str] | None = None, allow_review: bool = False) -> str:
    """Briefings for the given states, or for every current member in list order. A quote
    that is not exact carries its status where it is printed; with ``allow_review``, the
    export says at the top how many of its quotes need review."""
    bs = _briefings(ds, state_ids, statuses)
    head = f"<!-- {briefing.html_comment(ds.title)}: generated by csto-tui export -->\n\n"
    if allow_review:
        qids = list(dict.fromkeys(fn.quote for b in bs for fn in b.footnotes))
        n = len(needing_review(qids, statuses or {}))
        if n:
            head += (f"> **{plural(n, 'quote')} in this export {agrees(n, 'needs', 'need')}"
                     " review** (exported with --allow-review): "
                     "each is marked where it is quoted.\n\n")
    return head + briefing.to_markdown(bs, ds)


def to_data(ds: Dataset, statuses: dict[str, str] | None = None,
            state_ids: list[str] | None = None) -> dict[str, Any]:
    """The dataset as plain JSON values: every kind of the registry under its table's name,
    each record as its kind exports it (:func:`to_json`). With ``state_ids``,
    only what those states' briefings show: their records, the quotes cited and the sources of
    those quotes."""
    statuses = statuses or {}
    keep: set[str] | None = None
    if state_ids:
        keep = set()
        for b in _briefings(ds, state_ids, statuses):
            keep.update(b.shown)
            keep.update(fn.quote for fn in b.footnotes)
            keep.update(fn.source for fn in b.footnotes)
    out: dict[str, Any] = {"title": ds.title}
    if state_ids:
        out["states_requested"] = list(state_ids)
    for kind in records.kinds():
        recs = ds.records_of(kind.name)
        if keep is not None:
            recs = tuple(r for r in recs if getattr(r, "id", None) in keep)
        if kind.sort_key is not None:
            recs = tuple(sorted(recs, key=kind.sort_key))
        rows = [to_json(ds, r) for r in recs]
        if kind.name == "quote":
            for row in rows:
                row["status"] = statuses.get(row["id"])
                row["needs_review"] = statuses.get(row["id"], EXACT) not in SETTLED
        out[kind.table] = rows
    return out


def json_text(ds: Dataset, statuses: dict[str, str] | None = None,
              allow_review: bool = False, state_ids: list[str] | None = None) -> str:
    return _dumps(_json_doc(ds, statuses, allow_review, state_ids))


def _json_doc(ds: Dataset, statuses: dict[str, str] | None, allow_review: bool,
              state_ids: list[str] | None) -> dict[str, Any]:
    data = to_data(ds, statuses, state_ids)
    data["needs_review"] = needing_review([q["id"] for q in data.get("quotes", [])],
                                          statuses or {})
    if allow_review:
        data["exported_with"] = "--allow-review"
    return data


def _dumps(doc: dict[str, Any]) -> str:
    # ensure_ascii keeps every control character escaped (\u001b), so JSON never drives a terminal
    return json.dumps(doc, indent=2, ensure_ascii=True) + "\n"


# ---- one record as the JSON export writes it


def json_value(f: records.Field, val: Any) -> Any:
    """A field's value as the JSON export writes it."""
    if f.type == "date":
        return None if val is None else {"value": val.iso(), "precision": val.precision}
    if f.type in ("when", "amount"):
        return None if val is None else val.json()
    if f.type in ("action", "response"):
        return None if val is None else val.code
    if f.type == "notes":
        return dict(val) if val else None
    if f.type == "tables":
        assert f.of is not None
        sub = f.of
        return [{g.key: json_value(g, getattr(r, g.name)) for g in sub.fields} for r in val]
    if f.type == "strs":
        return list(val)
    if f.type == "str" and not f.required and val == "":
        return None
    return val


def to_json(ds: Dataset, rec: Any) -> dict[str, Any]:
    """A record as the JSON export writes it: every field by its TOML key, and for a kind that
    cites quotes, the quotes behind it and how many sources back it."""
    k = records.kind_of(rec)
    if k is None:
        raise TypeError(f"not a record: {rec!r}")
    if k.export is not None:
        return k.export(ds, rec)
    out = {f.key: json_value(f, getattr(rec, f.name)) for f in k.fields}
    if any(f.cites or f.type == "tables" for f in k.fields) and k.name != "quote":
        out["quotes"] = list(ds.quotes_of(rec))
        out["sources_backing"] = ds.source_count(rec)
    _json_extras(ds, k, rec, out)
    return out


def _json_extras(ds: Dataset, k: records.Kind, rec: Any, out: dict[str, Any]) -> None:
    """What the screen says beside the fields: who says it (``according to``), and each
    detail line as shown (inferred values marked)."""
    from . import details

    for f in k.fields:
        if f.type == "response":  # the class word (as the panes name it), then the code
            act = getattr(rec, f.name)
            out[f.key] = act.response if act is not None else "none"
            out[f"{f.key}_code"] = act.code if act is not None else None
            out[f"{f.key}_marker"] = RESPONSE_MARKERS[out[f.key]]
    if "claimant" in k.keys:
        out["claimant_name"] = details.name_of(ds, rec.claimant) or None
        out["according_to"] = details.footing(ds, rec) or None
        for f in k.fields:
            if f.type == "tables" and f.of is not None and "claimant" in f.of.keys:
                for row, sub in zip(out[f.key], getattr(rec, f.name), strict=True):
                    row["claimant_name"] = details.name_of(ds, sub.claimant) or None
                    row["according_to"] = details.footing(ds, sub) or None
    if k.details is not None:
        out["shown"] = [{"label": d.label, "text": d.text} for d in k.details(ds, rec)]

