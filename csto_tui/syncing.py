"""``csto-tui sync``: re-anchor every quote after its source changed (no textual).

The hand-written dataset is never touched. Anchors live in the companion
``<name>.anchors.toml``, written atomically with a ``.bak`` backup, and only when something
changed, so that a second sync writes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from .atomic import atomic_write
from .loader import LoadResult, anchors_path_for, load
from .model import Anchor, Dataset, Quote

REVIEW_STATUSES = ("fuzzy", "orphaned", "ambiguous")


@dataclass
class SyncReport:
    result: LoadResult
    statuses: dict[str, str] = field(default_factory=dict)  # quote id -> status
    anchors: dict[str, Anchor] = field(default_factory=dict)
    changed: list[str] = field(default_factory=list)  # quote ids whose anchor changed
    dropped: list[str] = field(default_factory=list)  # stale anchors removed
    skipped: list[str] = field(default_factory=list)  # quotes whose source is unreadable
    written: Path | None = None
    backup: Path | None = None

    def by_status(self, status: str) -> list[str]:
        return sorted(q for q, s in self.statuses.items() if s == status)

    @property
    def needs_review(self) -> list[str]:
        return sorted(q for q, s in self.statuses.items() if s in REVIEW_STATUSES)

    @property
    def ok(self) -> bool:
        return not self.needs_review and not self.skipped and not self.result.errors


def reanchor(ds: Dataset, q: Quote, old: Anchor | None) -> tuple[str, Anchor]:
    """Locate one quote again; return its status and the anchor to store."""
    from .anchoring import context, locate

    text = ds.texts[q.source]
    if old is not None and old.source == q.source:
        loc = locate(text, q.text, old.prefix, old.suffix, old.start)
    else:
        loc = locate(text, q.text)
    status = loc.status
    if status in ("exact", "moved", "normalized") and loc.start is not None:
        assert loc.end is not None
        prefix, suffix = context(text, loc.start, loc.end)
        return status, Anchor(q.id, q.source, text[loc.start:loc.end], prefix, suffix,
                              loc.start, loc.end)
    found = text[loc.start:loc.end] if loc.start is not None and loc.end is not None else ""
    if old is not None and old.source == q.source:
        base = old
    else:
        # never anchored before: keep what we can say about it, flagged
        s = loc.start if loc.start is not None else 0
        e = loc.end if loc.end is not None else 0
        prefix, suffix = context(text, s, e) if loc.start is not None else ("", "")
        base = Anchor(q.id, q.source, q.text, prefix, suffix, s, e)
    return status, replace(base, review=status, found=found,
                           found_start=loc.start, found_end=loc.end)


def sync(path: Path | str | None = None, dry_run: bool = False,
         result: LoadResult | None = None) -> SyncReport:
    res = result or load(path)
    ds = res.dataset
    rep = SyncReport(res)
    for q in ds.quotes:
        old = ds.anchors.get(q.id)
        if q.source not in ds.texts:
            rep.skipped.append(q.id)
            if old is not None:
                rep.anchors[q.id] = old
            continue
        status, new = reanchor(ds, q, old)
        rep.statuses[q.id] = status
        rep.anchors[q.id] = new
        if new != old:
            rep.changed.append(q.id)
    declared = {q.id for q in ds.quotes}
    rep.dropped = sorted(k for k in ds.anchors if k not in declared)
    if (rep.changed or rep.dropped) and not dry_run:
        apath = anchors_path_for(ds.path)
        order = [q.id for q in ds.quotes]
        data = render_anchors(rep.anchors, order)
        rep.backup = atomic_write(apath, data, expected=res.anchors_stamp)
        rep.written = apath
        from .cache import store

        store(data, {"anchors": anchors_table(rep.anchors, order)})
    return rep


HEADER = (
    "# Anchors of the quotes in {name}: W3C TextQuoteSelector (exact, prefix, suffix)\n"
    "# plus TextPositionSelector (start, end in code points, end exclusive).\n"
    "# Written by `csto-tui sync`. Do not edit by hand: edit the dataset, then sync.\n\n"
)


_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


_TOML_ESCAPES = {i: f"\\u{i:04x}" for i in (*range(0x20), 0x7F)}
_TOML_ESCAPES.update({0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r",
                      0x22: '\\"', 0x5C: "\\\\"})


def _toml_str(value: str) -> str:
    """A TOML basic string: quote, backslash and every control character (C0 and DEL, which
    TOML forbids raw) escaped; everything else kept as it is. One C-level translate."""
    return '"' + value.translate(_TOML_ESCAPES) + '"'


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _toml_str(key)


def anchors_table(anchors: dict[str, Anchor], order: list[str]) -> dict[str, dict[str, object]]:
    """The anchors file's [anchors] table as tomllib would read it back."""
    table: dict[str, dict[str, object]] = {}
    for qid in order:
        a = anchors.get(qid)
        if a is None:
            continue
        row: dict[str, object] = {"source": a.source, "exact": a.exact, "prefix": a.prefix,
                                  "suffix": a.suffix, "start": a.start, "end": a.end}
        if a.review:
            row["review"] = a.review
            row["found"] = a.found
            if a.found_start is not None and a.found_end is not None:
                row["found_start"] = a.found_start
                row["found_end"] = a.found_end
        table[qid] = row
    return table


def render_anchors(anchors: dict[str, Anchor], order: list[str], name: str = "the dataset"
                   ) -> bytes:
    """The anchors file as TOML, written directly: tomli-w needs 2 s for 100,000 anchors,
    this a tenth of that. tests/test_sync.py round-trips it through tomllib."""
    out = [HEADER.format(name=name)]
    for qid, row in anchors_table(anchors, order).items():
        lines = [f"[anchors.{_toml_key(qid)}]"]
        for key, value in row.items():
            text = _toml_str(value) if isinstance(value, str) else str(value)
            lines.append(f"{key} = {text}")
        out.append("\n".join(lines) + "\n\n")
    return "".join(out).rstrip("\n").encode("utf-8") + b"\n"
