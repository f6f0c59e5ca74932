"""``csto-tui sync``: re-anchor every quote after its source changed (no textual).

The hand-written dataset is never touched. Anchors live in the companion
``<name>.anchors.toml``, written atomically with a ``.bak`` backup, and only when something
changed, so that a second sync writes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .anchoring import context
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
    #: stored texts to write (key -> text), then the keys written and the files pruned
    store: dict[str, str] = field(default_factory=dict)
    stored: list[str] = field(default_factory=list)
    pruned: list[Path] = field(default_factory=list)
    #: (size, mtime) of the dataset file and of every source when the plan read them
    inputs: dict[str, tuple[int, int] | None] = field(default_factory=dict)

    def by_status(self, status: str) -> list[str]:
        return sorted(q for q, s in self.statuses.items() if s == status)

    @property
    def needs_review(self) -> list[str]:
        return sorted(q for q, s in self.statuses.items() if s in REVIEW_STATUSES)

    @property
    def ok(self) -> bool:
        return not self.needs_review and not self.skipped and not self.result.errors


def reanchor(ds: Dataset, q: Quote, old: Anchor | None, previous: str | None = None,
             key: str = "") -> tuple[str, Anchor]:
    """Locate one quote again; return its status and the anchor to store.

    ``previous`` is the stored text ``old`` indexes into (None when it is not kept: the quote
    is then searched by its words and context only); ``key`` the content key of the source's
    current text, recorded in a settled anchor. An anchor that needs review keeps its place in
    the text it was written against (and that text's key), with what the source says now."""
    from .anchoring import locate

    text = ds.texts[q.source]
    same = old is not None and old.source == q.source
    if old is not None and same:
        loc = locate(text, q.text, old.prefix, old.suffix, old.start,
                     previous=previous if old.text_key else None)
    else:
        loc = locate(text, q.text)
    status = loc.status
    if status in ("exact", "moved", "normalized") and loc.start is not None:
        assert loc.end is not None
        prefix, suffix = context(text, loc.start, loc.end)
        return status, Anchor(q.id, q.source, text[loc.start:loc.end], prefix, suffix,
                              loc.start, loc.end, text_key=key)
    found = text[loc.start:loc.end] if loc.start is not None and loc.end is not None else ""
    if old is not None and same and (old.text_key == "" or previous is not None):
        base = old
    else:
        # never anchored before (or its text is gone): keep what we can say about it, flagged,
        # against the current text
        s = loc.start if loc.start is not None else 0
        e = loc.end if loc.end is not None else 0
        prefix, suffix = context(text, s, e) if loc.start is not None else ("", "")
        base = Anchor(q.id, q.source, q.text, prefix, suffix, s, e, text_key=key)
    return status, base.replace(review=status, found=found,
                                found_start=loc.start, found_end=loc.end)


def sync(path: Path | str | None = None, dry_run: bool = False,
         result: LoadResult | None = None) -> SyncReport:
    """Re-anchor every quote and write the anchors file if anything changed (not when
    ``dry_run``)."""
    rep = plan(path, result)
    if not dry_run:
        write(rep)
    return rep


Progress = Callable[[int, int], None]


def plan(path: Path | str | None = None, result: LoadResult | None = None,
         progress: Progress | None = None, every: int = 2000) -> SyncReport:
    """What sync would do: every quote located again, nothing written. ``progress(done,
    total)`` is called every ``every`` quotes and at the end (a UI shows it).

    A quote is located through the diff of the stored text its anchor indexes into against
    the source's current text (:mod:`csto_tui.textstore`); quotes are taken source by source,
    so that each changed source is diffed once."""
    from . import textstore

    res = result or load(path)
    ds = res.dataset
    rep = SyncReport(res)
    rep.inputs = _inputs(ds)
    apath = anchors_path_for(ds.path)
    texts = ds.texts
    anchors = ds.anchors
    statuses, kept = rep.statuses, rep.anchors
    keys: dict[str, str] = {sid: textstore.key_of(t) for sid, t in texts.items()}
    stored = textstore.keys(apath)
    quotes = sorted(ds.quotes, key=lambda q: q.source)
    total = len(quotes)
    changed: set[str] = set()
    for n, q in enumerate(quotes):
        if progress is not None and n % every == 0:
            progress(n, total)
        old = anchors.get(q.id)
        text = texts.get(q.source)
        if text is None:
            rep.skipped.append(q.id)
            if old is not None:
                kept[q.id] = old
            continue
        key = keys[q.source]
        if (old is not None and not old.review and old.source == q.source
                and old.exact == q.text and old.end == old.start + len(q.text)):
            if old.text_key == key and key in stored:
                # written against this very text: nothing to do
                statuses[q.id] = "exact"
                kept[q.id] = old
                continue
            if (text.startswith(q.text, old.start)
                    and (old.prefix, old.suffix) == context(text, old.start, old.end)):
                # same place, same words, same context: what locate would answer, recorded
                # against the current text
                statuses[q.id] = "exact"
                kept[q.id] = new = old.replace(text_key=key)
                if new != old:
                    changed.add(q.id)
                continue
        previous = None
        if old is not None and old.text_key:
            previous = text if old.text_key == key else textstore.get(apath, old.text_key)
        status, new = reanchor(ds, q, old, previous, key)
        statuses[q.id] = status
        kept[q.id] = new
        if new != old:
            changed.add(q.id)
    rep.changed = [q.id for q in ds.quotes if q.id in changed]
    declared = {q.id for q in ds.quotes}
    rep.dropped = sorted(k for k in ds.anchors if k not in declared)
    # texts to store: the current text of a source an anchor now indexes into, if not kept
    for a in kept.values():
        if a.text_key and a.text_key not in stored and a.text_key == keys.get(a.source):
            rep.store[a.text_key] = texts[a.source]
    if progress is not None:
        progress(total, total)
    return rep


def write(rep: SyncReport) -> SyncReport:
    """Write the anchors file of a :func:`plan`, if anything changed: atomically, with a
    ``.bak``, refused (WriteConflictError) if the file changed since the plan read it."""
    from . import textstore

    ds = rep.result.dataset
    res = rep.result
    apath = anchors_path_for(ds.path)
    if rep.written is None and rep.store and not (rep.changed or rep.dropped):
        # the anchors are right, but a text they index into is missing from the store
        for text in rep.store.values():
            textstore.put(apath, text)
        rep.stored = sorted(rep.store)
        rep.store = {}
    if (rep.changed or rep.dropped) and rep.written is None:
        if rep.inputs and _inputs(ds) != rep.inputs:
            from .errors import WriteConflictError

            raise WriteConflictError(
                f"{ds.path} or one of its sources changed since the quotes were located; "
                "nothing written. Sync again to locate them in the current text.")
        stored = {q.id: _stored(rep.anchors[q.id]) for q in ds.quotes if q.id in rep.anchors}
        data = render_anchors(stored, list(stored))
        # the texts first: an anchors file never names a text that is not stored
        for text in rep.store.values():
            textstore.put(apath, text)
        rep.stored = sorted(rep.store)
        rep.store = {}
        rep.backup = atomic_write(apath, data, expected=res.anchors_stamp)
        rep.written = apath
        rep.pruned = textstore.prune(apath, {a.text_key for a in stored.values()})
        # What the file now says, as the loader would read it back: the next load is warm.
        from .snapshot import anchor_columns, write_anchors

        write_anchors(str(apath), data, anchor_columns(stored), [])
    return rep


HEADER = (
    "# Anchors of the quotes in {name}: W3C TextQuoteSelector (exact, prefix, suffix)\n"
    "# plus TextPositionSelector (start, end in code points, end exclusive) into the stored\n"
    "# text named by text_key (kept, compressed, in the .texts folder beside this file).\n"
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


def _str(value: str) -> str:
    """:func:`_toml_str`, skipping the translate for the usual string with nothing to escape."""
    if value.isprintable() and '"' not in value and "\\" not in value:
        return '"' + value + '"'
    return '"' + value.translate(_TOML_ESCAPES) + '"'


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _toml_str(key)


def _inputs(ds: Dataset) -> dict[str, tuple[int, int] | None]:
    """(size, mtime) of the files a plan is computed from, to refuse writing a stale one."""
    out: dict[str, tuple[int, int] | None] = {}
    for p in (ds.path, *(s.path for s in ds.sources)):
        try:
            st = p.stat()
            out[str(p)] = (st.st_size, st.st_mtime_ns)
        except OSError:
            out[str(p)] = None
    return out


def _stored(a: Anchor) -> Anchor:
    """The anchor as the file keeps it: what a review found only while under review."""
    if a.review:
        if (a.found_start is None) != (a.found_end is None):
            return a.replace(found_start=None, found_end=None)
        return a
    if a.found or a.found_start is not None or a.found_end is not None:
        return a.replace(found="", found_start=None, found_end=None)
    return a


def anchors_table(anchors: dict[str, Anchor], order: list[str]) -> dict[str, dict[str, object]]:
    """The anchors file's [anchors] table as tomllib would read it back."""
    table: dict[str, dict[str, object]] = {}
    for qid in order:
        a = anchors.get(qid)
        if a is None:
            continue
        row: dict[str, object] = {"source": a.source, "exact": a.exact, "prefix": a.prefix,
                                  "suffix": a.suffix, "start": a.start, "end": a.end}
        if a.text_key:
            row["text_key"] = a.text_key
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
    add = out.append
    for qid in order:
        a = anchors.get(qid)
        if a is None:
            continue
        add(f"[anchors.{_toml_key(qid)}]\nsource = {_str(a.source)}\nexact = {_str(a.exact)}\n"
            f"prefix = {_str(a.prefix)}\nsuffix = {_str(a.suffix)}\n"
            f"start = {a.start}\nend = {a.end}\n")
        if a.text_key:
            add(f"text_key = {_str(a.text_key)}\n")
        if a.review:
            add(f"review = {_str(a.review)}\nfound = {_str(a.found)}\n")
            if a.found_start is not None and a.found_end is not None:
                add(f"found_start = {a.found_start}\nfound_end = {a.found_end}\n")
        add("\n")
    return "".join(out).rstrip("\n").encode("utf-8") + b"\n"
