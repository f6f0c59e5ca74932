"""``csto-tui sync``: re-anchor every quote after its source changed, and the review of what
it could not settle (no textual).

Anchors live in the companion ``<name>.anchors.toml``, written atomically with a ``.bak``
backup, and only when something changed, so that a second sync writes nothing. Each anchor
indexes into a stored text of its source (:mod:`csto_tui.textstore`), through which the quote
is mapped when the source changed (:func:`csto_tui.anchoring.locate` with ``previous``).

Sync never touches the hand-written dataset. The review does, one decision at a time:

* :func:`accept` takes the source's new wording of a ``fuzzy`` (or ``ambiguous``) quote: the
  quote's ``text`` is rewritten in the dataset file in place (:mod:`csto_tui.tomledit`: that
  value only, atomic, refused if the file changed since the review started) and its anchor
  settles on the new place;
* :func:`keep_orphaned` records that the analyst keeps a quote the source no longer holds
  (status ``kept``: still marked wherever it is quoted, no longer waiting for review).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from .anchoring import context
from .atomic import atomic_write
from .dataset import Dataset
from .loader import AnchorsFile, LoadResult, anchors_path_for, load
from .model import Anchor, Quote
from .tomledit import basic_string
from .values import _Mutable, _set, _Value
from .vocabulary import EXACT, KEPT, ORPHANED, QUOTE_STATUSES

#: What locating gives that needs review (the sync screen's review).
REVIEW_STATUSES = tuple(s.name for s in QUOTE_STATUSES if s.located and s.review)
#: What locating gives that needs no review: the quote is anchored where it was found.
ANCHORED = tuple(s.name for s in QUOTE_STATUSES if s.located and not s.review)
#: Every status a sync gives a quote, in the order its counts are said (``sync`` and the
#: sync screen): what locating gives, then kept by review.
SYNC_STATUSES = (*(s.name for s in QUOTE_STATUSES if s.located), KEPT)


class SyncReport(_Mutable):
    __slots__ = _fields = ("result", "statuses", "anchors", "changed", "dropped", "skipped",
                           "written", "backup", "store", "stored", "pruned", "accepted", "inputs")

    result: LoadResult
    statuses: dict[str, str]  # quote id -> status
    anchors: dict[str, Anchor]
    changed: list[str]  # quote ids whose anchor changed
    dropped: list[str]  # stale anchors removed
    skipped: list[str]  # quotes whose source is unreadable
    written: Path | None
    backup: Path | None
    #: stored texts to write (key -> text), then the keys written and the files pruned
    #: (the anchors file whose store keeps it, key) -> text
    store: dict[tuple[Path, str], str]
    stored: list[str]
    pruned: list[Path]
    #: quotes whose new wording the review accepted (their text rewritten in the dataset)
    accepted: list[str]
    #: (size, mtime) of the dataset file and of every source when the plan read them
    inputs: dict[str, tuple[int, int] | None]

    def __init__(
        self,
        result: LoadResult,
        statuses: dict[str, str] | None = None,
        anchors: dict[str, Anchor] | None = None,
        changed: list[str] | None = None,
        dropped: list[str] | None = None,
        skipped: list[str] | None = None,
        written: Path | None = None,
        backup: Path | None = None,
        store: dict[tuple[Path, str], str] | None = None,
        stored: list[str] | None = None,
        pruned: list[Path] | None = None,
        accepted: list[str] | None = None,
        inputs: dict[str, tuple[int, int] | None] | None = None,
    ) -> None:
        self.result = result
        self.statuses = {} if statuses is None else statuses
        self.anchors = {} if anchors is None else anchors
        self.changed = [] if changed is None else changed
        self.dropped = [] if dropped is None else dropped
        self.skipped = [] if skipped is None else skipped
        self.written = written
        self.backup = backup
        self.store = {} if store is None else store
        self.stored = [] if stored is None else stored
        self.pruned = [] if pruned is None else pruned
        self.accepted = [] if accepted is None else accepted
        self.inputs = {} if inputs is None else inputs

    def by_status(self, status: str) -> list[str]:
        return sorted(q for q, s in self.statuses.items() if s == status)

    def re_anchored(self, status: str) -> list[str]:
        """The quotes of ``status`` whose anchor this sync changes (a quote that stays
        ``normalized`` or ``moved`` as already written is not re-anchored again)."""
        changed = set(self.changed)
        return [q for q in self.by_status(status) if q in changed]

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
    if status in ANCHORED and loc.start is not None:
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
    texts = ds.texts
    anchors = ds.anchors
    statuses, kept = rep.statuses, rep.anchors
    keys: dict[str, str] = {sid: textstore.key_of(t) for sid, t in texts.items()}
    # each data file's anchors file has its store (one for a single-file dataset)
    index = ds.file_index()
    apaths = [anchors_path_for(f) for f in ds.files]
    in_store: dict[int, set[str]] = {}

    def stored_in(n: int) -> set[str]:
        got = in_store.get(n)
        if got is None:
            got = in_store[n] = textstore.keys(apaths[n])
        return got
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
        n_file = index.get(q.id, 0)
        if (old is not None and not old.review and old.source == q.source
                and old.exact == q.text and old.end == old.start + len(q.text)):
            if old.text_key == key and key in stored_in(n_file):
                # written against this very text: nothing to do
                statuses[q.id] = EXACT
                kept[q.id] = old
                continue
            if (text.startswith(q.text, old.start)
                    and (old.prefix, old.suffix) == context(text, old.start, old.end)):
                # same place, same words, same context: what locate would answer, recorded
                # against the current text
                statuses[q.id] = EXACT
                kept[q.id] = new = old.replace(text_key=key)
                if new != old:
                    changed.add(q.id)
                continue
        previous = None
        if old is not None and old.text_key:
            previous = (text if old.text_key == key
                        else textstore.get(apaths[n_file], old.text_key))
        status, new = reanchor(ds, q, old, previous, key)
        if status == ORPHANED and old is not None and old.review == KEPT:
            status, new = KEPT, old  # still gone, as the review decided
        statuses[q.id] = status
        kept[q.id] = new
        if new != old:
            changed.add(q.id)
    rep.changed = [q.id for q in ds.quotes if q.id in changed]
    declared = {q.id for q in ds.quotes}
    rep.dropped = sorted(k for k in ds.anchors if k not in declared)
    # texts to store: the current text of a source an anchor now indexes into, if not kept
    for qid, a in kept.items():
        n_file = index.get(qid, 0)
        if (a.text_key and a.text_key not in stored_in(n_file)
                and a.text_key == keys.get(a.source)):
            rep.store[(apaths[n_file], a.text_key)] = texts[a.source]
    if progress is not None:
        progress(total, total)
    return rep


def write(rep: SyncReport) -> SyncReport:
    """Write the anchors files of a :func:`plan` whose rows changed: each atomically, with a
    ``.bak``, refused (WriteConflictError) if the file changed since the plan read it.

    Each data file has its own anchors file (``name.anchors.toml``), holding the anchors of the
    quotes declared in that data file, and its own store of texts: a folder dataset's files are
    written apart, and only those whose rows change."""
    from . import textstore

    ds = rep.result.dataset
    res = rep.result
    change = bool(rep.changed or rep.dropped or _misplaced(res))
    if rep.written is None and rep.store and not change:
        # the anchors are right, but a text they index into is missing from its store
        for (apath, _key), text in rep.store.items():
            textstore.put(apath, text)
        rep.stored = sorted({key for _apath, key in rep.store})
        rep.store = {}
    if change and rep.written is None:
        if rep.inputs and _inputs(ds) != rep.inputs:
            from .errors import WriteConflictError

            raise WriteConflictError(
                f"{ds.path} or one of its sources changed since the quotes were located; "
                "nothing written. Sync again to locate them in the current text.")
        _write_anchors(rep)
    return rep


def _write_anchors(rep: SyncReport) -> None:
    """Write the anchors file of each data file whose rows changed (stored texts first: an
    anchors file never names a text that is not stored), each refused if it is not what was
    read (or last written)."""
    from . import textstore
    from .atomic import Stamp

    ds = rep.result.dataset
    res = rep.result
    if not res.anchor_files:
        res.anchor_files.append(_only_file(ds))
    changed = set(rep.changed)
    index = ds.file_index()
    per_file: dict[int, list[str]] = {}
    for q in ds.quotes:
        per_file.setdefault(index.get(q.id, 0), []).append(q.id)
    for n, af in enumerate(res.anchor_files):
        qids = per_file.get(n, [])
        stored = {qid: _stored(rep.anchors[qid]) for qid in qids if qid in rep.anchors}
        if not (changed.intersection(qids) or not all(map(stored.__contains__, af.ids))):
            continue  # this file's rows are what it holds already
        data = render_anchors(stored, list(stored))
        for (apath, _key), text in rep.store.items():
            if apath == af.path:
                textstore.put(apath, text)
        backup = atomic_write(af.path, data, expected=af.stamp)
        res.anchor_files[n] = AnchorsFile(af.data, af.path, Stamp.of_bytes(data),
                                          tuple(stored))
        rep.backup = rep.backup or backup
        rep.written = rep.written or af.path
        rep.pruned += textstore.prune(af.path, {a.text_key for a in stored.values()})
    for (apath, _key), text in rep.store.items():  # texts whose anchors file was unchanged
        textstore.put(apath, text)
    rep.stored = sorted(set(rep.stored) | {key for _apath, key in rep.store})
    rep.store = {}


def _misplaced(res: LoadResult) -> bool:
    """Whether an anchors file holds a row for a quote of another data file."""
    index = res.dataset.file_index()
    return any(index.get(qid, n) != n for n, af in enumerate(res.anchor_files) for qid in af.ids)


def _only_file(ds: Dataset) -> AnchorsFile:
    """The anchors file of a dataset built without the loader (tests): as it is on disk."""
    from .atomic import Stamp

    apath = anchors_path_for(ds.path)
    return AnchorsFile(ds.path, apath, Stamp.of(apath), tuple(ds.anchors))


# --------------------------------------------------------------------------- review


def needs_review(rep: SyncReport) -> list[str]:
    """The quotes waiting for a decision, in dataset order."""
    return [q.id for q in rep.result.dataset.quotes
            if rep.statuses.get(q.id) in REVIEW_STATUSES]


class ReviewItem(_Value):
    """A quote awaiting review, as the review screen shows it: the dataset's wording, what
    the source says now at the candidate place ("" when orphaned), and where in the current
    text to open the article (the candidate, or where the quote stood)."""

    __slots__ = _fields = ("quote", "source", "status", "stored", "now", "at")

    quote: str
    source: str
    status: str
    stored: str
    now: str
    at: tuple[int, int] | None

    def __init__(
        self,
        quote: str,
        source: str,
        status: str,
        stored: str,
        now: str,
        at: tuple[int, int] | None,
    ) -> None:
        _set(self, "quote", quote)
        _set(self, "source", source)
        _set(self, "status", status)
        _set(self, "stored", stored)
        _set(self, "now", now)
        _set(self, "at", at)


def review_item(rep: SyncReport, qid: str) -> ReviewItem:
    from . import textstore
    from .textdiff import map_offset

    ds = rep.result.dataset
    q = ds.quote(qid)
    assert q is not None
    a = rep.anchors[qid]
    text = ds.texts.get(q.source, "")
    at: tuple[int, int] | None = None
    accepted = qid in rep.accepted  # its anchor settled on the source's wording, now its text
    if a.found_start is not None and a.found_end is not None:
        at = (a.found_start, a.found_end)
    elif accepted:
        at = (a.start, a.end)
    else:
        prev = textstore.get(anchors_path_for(ds.path), a.text_key) if a.text_key else None
        if prev is not None and a.start <= len(prev) and text:
            p = min(map_offset(prev, text, a.start), max(0, len(text) - 1))
            at = (p, min(len(text), p + 1))
    return ReviewItem(qid, q.source, rep.statuses.get(qid, ""), a.exact if accepted else q.text,
                      a.found, at)


def _unchanged_or_refuse(rep: SyncReport, qid: str) -> None:
    from .errors import WriteConflictError

    if rep.inputs and _inputs(rep.result.dataset) != rep.inputs:
        raise WriteConflictError(
            f"{rep.result.dataset.path} or one of its sources changed since the review "
            "started; nothing written. Sync again to review the current text.")
    if rep.statuses.get(qid) not in REVIEW_STATUSES:
        raise ValueError(f"quote {qid!r} does not await review")


def accept(rep: SyncReport, qid: str) -> None:
    """Take the source's current wording for quote ``qid`` (fuzzy or ambiguous): its ``text``
    in the dataset file becomes what the source says at the found place (nothing else in the
    file changes), and its anchor settles there. Both files are written at once; refused
    (WriteConflictError) if the dataset or a source changed since the plan."""
    from . import textstore, tomledit

    _unchanged_or_refuse(rep, qid)
    ds = rep.result.dataset
    a = rep.anchors[qid]
    if a.found_start is None or a.found_end is None or not a.found:
        raise ValueError(f"quote {qid!r} has no new wording to accept (orphaned)")
    q = ds.quote(qid)
    assert q is not None
    text = ds.texts[q.source]
    found = text[a.found_start:a.found_end]
    data_file = ds.file_of(qid)
    tomledit.rewrite(data_file, "quotes", qid, "text", found, old=q.text)
    st = data_file.stat()
    rep.inputs[str(data_file)] = (st.st_size, st.st_mtime_ns)
    key = textstore.key_of(text)
    apath = anchors_path_for(data_file)
    if key not in textstore.keys(apath):
        rep.store[(apath, key)] = text
    prefix, suffix = context(text, a.found_start, a.found_end)
    rep.anchors[qid] = Anchor(qid, q.source, found, prefix, suffix, a.found_start, a.found_end,
                              text_key=key)
    rep.statuses[qid] = EXACT
    rep.accepted.append(qid)
    if qid not in rep.changed:
        rep.changed.append(qid)
    _write_anchors(rep)


def keep_orphaned(rep: SyncReport, qid: str) -> None:
    """Keep quote ``qid`` as an orphan: the source is not (or no longer) its place. Recorded in
    the anchors file (``review = "kept"``); the dataset is not touched."""
    _unchanged_or_refuse(rep, qid)
    a = rep.anchors[qid]
    rep.anchors[qid] = a.replace(review=KEPT, found="", found_start=None, found_end=None)
    rep.statuses[qid] = KEPT
    if qid not in rep.changed:
        rep.changed.append(qid)
    _write_anchors(rep)


HEADER = (
    "# Anchors of the quotes in {name}: W3C TextQuoteSelector (exact, prefix, suffix)\n"
    "# plus TextPositionSelector (start, end in code points, end exclusive) into the stored\n"
    "# text named by text_key (kept, compressed, in the .texts folder beside this file).\n"
    "# Written by `csto-tui sync`. Do not edit by hand: edit the dataset, then sync.\n\n"
)


_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _str(value: str) -> str:
    """:func:`csto_tui.tomledit.basic_string`, skipping the translate for the usual string
    with nothing to escape."""
    if value.isprintable() and '"' not in value and "\\" not in value:
        return '"' + value + '"'
    return basic_string(value)


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else basic_string(key)


def _inputs(ds: Dataset) -> dict[str, tuple[int, int] | None]:
    """(size, mtime) of the files a plan is computed from, to refuse writing a stale one."""
    out: dict[str, tuple[int, int] | None] = {}
    for p in (*ds.files, *(s.path for s in ds.sources)):
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
    return (HEADER.format(name=name) + anchor_rows(anchors, order)).rstrip("\n").encode(
        "utf-8") + b"\n"


def anchor_rows(anchors: dict[str, Anchor], order: list[str]) -> str:
    """The ``[anchors.<id>]`` tables of an anchors file, each followed by a blank line: what
    :func:`render_anchors` writes under its header, and what authoring appends to a file
    (:mod:`csto_tui.authoring`)."""
    out: list[str] = []
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
    return "".join(out)
