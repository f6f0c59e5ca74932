"""Counts of records by two fields: the pivot view's data and its exports (no textual).

An analyst's first question of a crisis record is often a count: how many interventions,
refusals, statements, by year, by state. A :class:`Pivot` counts the records of one kind by a
row field and a column field; every cell keeps the ids of the records it counts, so a count can
be drilled down into the records themselves.

A field is a :class:`Dimension`: a name and a function giving a record's values for it. Most
give one value; ``state`` and ``actor`` give one per state or actor an event names, so an event
with two states is counted in both rows (the row totals then add up to more than the records:
the ``records`` figure says how many there are). A record with no value is counted under
``(none)``. Dimensions whose field the dataset's records do not have (``stance`` before the
schema carries it) are not offered.

Exports: Markdown (every cell escaped as the briefings escape text) and CSV (RFC 4180 quoting;
a cell a spreadsheet would read as a formula is prefixed with an apostrophe).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .briefing import md_text
from .dataset import Dataset
from .facts import RESPONSE_LABELS, RESPONSE_MARKERS, RESPONSES
from .textsafe import one_line

NONE = "(none)"
TOTAL = "Total"


@dataclass(frozen=True)
class Dimension:
    """A field records can be counted by."""

    name: str
    values: Callable[[Dataset, Any], tuple[str, ...]]
    #: The attribute a record must have for the dimension to be offered.
    needs: str = ""
    #: Order of the values: by label (default) or by this key of a label.
    order: Callable[[str], Any] | None = None


def _names(ds: Dataset, ids: Iterable[str]) -> tuple[str, ...]:
    out = []
    for rid in ids:
        rec = ds.get(rid)
        out.append(str(getattr(rec, "name", "") or rid))
    return tuple(out)


def _response(ds: Dataset, ev: Any) -> tuple[str, ...]:
    """The CSTO's response, with the marker the panes show."""
    r = str(getattr(ev, "response", "") or "")
    return (f"{RESPONSE_MARKERS.get(r, '[?]')} {RESPONSE_LABELS.get(r, r)}",) if r else ()


def _action(ds: Dataset, ev: Any) -> tuple[str, ...]:
    """What the actor did: its PLOVER category (``aid``, ``accuse``, ``cooperate``...)."""
    a = getattr(ev, "action", None)
    cat = getattr(a, "category", None) if a is not None else None
    return (str(cat),) if cat else ()


def _stance(ds: Dataset, rec: Any) -> tuple[str, ...]:
    from .facts import STANCE_LABELS

    st = str(getattr(rec, "stance", "") or "")
    return (STANCE_LABELS.get(st, st),) if st else ()


def _claimant(ds: Dataset, rec: Any) -> tuple[str, ...]:
    from .facts import AUTHOR

    who = str(getattr(rec, "claimant", "") or "")
    if not who:
        return ()
    return ("the article's author",) if who == AUTHOR else _names(ds, (who,))


def _response_key(label: str) -> tuple[int, str]:
    """Responses in the vocabulary's order (intervened, declined, ...), not by marker."""
    for i, r in enumerate(RESPONSES):
        if label.endswith(" " + RESPONSE_LABELS.get(r, r)):
            return (i, label)
    return (len(RESPONSES), label)


def _year(ds: Dataset, rec: Any) -> tuple[str, ...]:
    """The year (an event's date, a figure's as-of year); none for an undated record."""
    d = getattr(rec, "date", None) or getattr(rec, "as_of", None)
    if d is not None and getattr(d, "year", None) is not None:
        return (str(d.year),)
    y = getattr(rec, "year", None)
    return (str(y),) if isinstance(y, int) else ()


def _attr(name: str) -> Callable[[Dataset, Any], tuple[str, ...]]:
    def values(ds: Dataset, rec: Any) -> tuple[str, ...]:
        v = getattr(rec, name, None)
        if v is None or v == "":
            return ()
        if isinstance(v, (tuple, list)):
            return tuple(str(x) for x in v if x not in (None, ""))
        return (str(v),)
    return values


def _refs(name: str) -> Callable[[Dataset, Any], tuple[str, ...]]:
    def values(ds: Dataset, rec: Any) -> tuple[str, ...]:
        v = getattr(rec, name, None) or ()
        return _names(ds, (v,) if isinstance(v, str) else v)
    return values


def _year_key(label: str) -> tuple[int, str]:
    return (int(label), "") if label.isdigit() else (10**6, label)


#: The kinds the pivot counts, with the fields each can be counted by.
DIMENSIONS: dict[str, tuple[Dimension, ...]] = {
    "event": (
        Dimension("response", _response, order=_response_key),
        Dimension("year", _year, order=_year_key),
        Dimension("action", _action, needs="action"),
        Dimension("actor", _refs("actor"), needs="actor"),
        Dimension("state", _refs("states"), needs="states"),
        Dimension("stance", _stance, needs="stance"),
        Dimension("claimant", _claimant, needs="claimant"),
        Dimension("category", _attr("category"), needs="category"),
    ),
    "metric": (
        Dimension("category", _attr("category")),
        Dimension("state", _refs("state"), needs="state"),
        Dimension("year", _year, order=_year_key),
        Dimension("unit", _attr("unit"), needs="unit"),
    ),
}
#: What each kind is called in titles.
KIND_NAMES = {"event": "crises", "metric": "figures"}


def dimensions(ds: Dataset, kind: str) -> tuple[Dimension, ...]:
    """The fields the records of ``kind`` in ``ds`` can be counted by."""
    recs = ds.records_of(kind)
    return tuple(d for d in DIMENSIONS[kind]
                 if not d.needs or any(hasattr(r, d.needs) for r in recs[:1] or ()))


@dataclass
class Pivot:
    """Records of one kind counted by a row field and a column field."""

    kind: str
    row: str
    column: str
    rows: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    #: (row, column) -> ids of the records counted there.
    cells: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    records: int = 0

    def ids(self, row: str | None = None, column: str | None = None) -> list[str]:
        """The records counted in a cell, a row (``column`` None), a column (``row`` None) or
        in the whole table, each once, in dataset order."""
        seen: dict[str, None] = {}
        for (r, c), ids in self.cells.items():
            if (row is None or r == row) and (column is None or c == column):
                for i in ids:
                    seen.setdefault(i, None)
        return list(seen)

    def count(self, row: str, column: str) -> int:
        return len(self.cells.get((row, column), ()))

    def row_total(self, row: str) -> int:
        return len(self._distinct[0].get(row, ()))

    def column_total(self, column: str) -> int:
        return len(self._distinct[1].get(column, ()))

    @cached_property
    def _distinct(self) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        """The distinct records of each row and of each column, in one pass over the cells
        once they are counted (a total per row by :meth:`ids` walked every cell once per
        row: 2,000 states by 31 years took half a second)."""
        rows: dict[str, set[str]] = {}
        cols: dict[str, set[str]] = {}
        for (r, c), ids in self.cells.items():
            rows.setdefault(r, set()).update(ids)
            cols.setdefault(c, set()).update(ids)
        return rows, cols

    def title(self) -> str:
        return f"{KIND_NAMES.get(self.kind, self.kind).capitalize()} by {self.row} and " \
               f"{self.column}"

    def table(self) -> list[list[str]]:
        """The table as text cells: a header row, a row per value, a total row."""
        head = [f"{self.row} \\ {self.column}", *self.columns, TOTAL]
        per_row, per_column = self._distinct
        body = [[r, *(str(self.count(r, c)) for c in self.columns),
                 str(len(per_row.get(r, ())))] for r in self.rows]
        foot = [TOTAL, *(str(len(per_column.get(c, ()))) for c in self.columns),
                str(self.records)]
        return [head, *body, foot]


def count(ds: Dataset, kind: str, row: str, column: str) -> Pivot:
    """Count the records of ``kind`` by the ``row`` and ``column`` fields."""
    dims = {d.name: d for d in DIMENSIONS[kind]}
    if row not in dims or column not in dims:
        raise KeyError(row if row not in dims else column)
    rd, cd = dims[row], dims[column]
    p = Pivot(kind, row, column)
    rows: dict[str, None] = {}
    cols: dict[str, None] = {}
    recs = ds.records_of(kind)
    p.records = len(recs)
    for rec in recs:
        rv = rd.values(ds, rec) or (NONE,)
        cv = cd.values(ds, rec) or (NONE,)
        for r in dict.fromkeys(rv):
            rows.setdefault(r, None)
            for c in dict.fromkeys(cv):
                cols.setdefault(c, None)
                p.cells.setdefault((r, c), []).append(rec.id)
    p.rows = sorted(rows, key=_sorter(rd))
    p.columns = sorted(cols, key=_sorter(cd))
    return p


def _sorter(d: Dimension) -> Callable[[str], Any]:
    def key(label: str) -> Any:
        if label == NONE:
            return (1, "")
        return (0, d.order(label) if d.order else label.casefold())
    return key


# ---- exports --------------------------------------------------------------------------------

def markdown(p: Pivot, dataset_title: str = "") -> str:
    """The counts as a Markdown table, with a heading and a note on how they were counted."""
    t = p.table()
    out = [f"# {md_text(p.title())}", ""]
    if dataset_title:
        out += [f"Dataset: {md_text(dataset_title)}. {p.records} records.", ""]
    out.append("| " + " | ".join(md_text(c) for c in t[0]) + " |")
    out.append("|" + "|".join([" --- "] + [" ---: "] * (len(t[0]) - 1)) + "|")
    for row in t[1:]:
        out.append("| " + " | ".join(md_text(c) for c in row) + " |")
    out += ["", "A record with several values of a field (an event naming two states) is "
            "counted under each; totals count each record once."]
    return "\n".join(out) + "\n"


def _csv_cell(s: str) -> str:
    s = one_line(s)
    return "'" + s if s[:1] in ("=", "+", "-", "@", "\t", "\r") else s


def default_path(p: Pivot, fmt: str) -> Path:
    """Where the pivot view writes its counts: the briefings' export folder
    (``$CSTO_TUI_EXPORT_DIR`` or the working folder), ``csto-counts-<kind>-<row>-<column>``."""
    from .export import EXPORT_DIR_ENV

    folder = Path(os.path.expanduser(os.environ.get(EXPORT_DIR_ENV) or "."))
    ext = "csv" if fmt == "csv" else "md"
    return (folder / f"csto-counts-{p.kind}-{p.row}-{p.column}.{ext}").absolute()


def write(p: Pivot, fmt: str, path: Path | str, dataset_title: str = "") -> Path:
    """Write the counts as ``fmt`` (``markdown`` or ``csv``) through the one atomic write
    (:mod:`csto_tui.atomic`); return the file written."""
    from .atomic import atomic_write, target_of

    atomic_write(path, text(p, fmt, dataset_title).encode("utf-8"))
    return target_of(path)


def text(p: Pivot, fmt: str, dataset_title: str = "") -> str:
    """The counts as ``fmt``: ``csv`` (:func:`csv_text`) or Markdown (:func:`markdown`)."""
    return csv_text(p) if fmt == "csv" else markdown(p, dataset_title)


def csv_text(p: Pivot) -> str:
    """The counts as CSV (a header row, a row per value, a total row)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    for row in p.table():
        w.writerow([_csv_cell(c) for c in row])
    return buf.getvalue()
