"""``csto-tui check``: every problem of a dataset, each listed once (no textual)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import compress, count, filterfalse, repeat
from operator import attrgetter, ne
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from .dataset import Dataset
from .errors import Problem, Reported
from .loader import LoadResult, anchors_path_for, load
from .model import Anchor, Quote
from .values import _Mutable
from .vocabulary import (
    EXACT,
    KEPT,
    QUOTE_STATUS,
    QUOTE_STATUSES,
    RELOCATED,
    SOURCE,
    UNANCHORED,
)

if TYPE_CHECKING:
    from .located import Anchor as Located


class SourceChange(_Mutable):
    """Whether a source changed since its anchors were written, and what that did to its
    quotes. ``changed`` is None when its anchors name no stored text (written before texts
    were stored, or never synced): then nobody can tell."""

    __slots__ = _fields = ("source", "changed", "quotes")

    source: str
    changed: bool | None
    #: status -> how many of its quotes
    quotes: dict[str, int]

    def __init__(
        self,
        source: str,
        changed: bool | None,
        quotes: dict[str, int] | None = None,
    ) -> None:
        self.source = source
        self.changed = changed
        self.quotes = {} if quotes is None else quotes


class CheckReport(_Mutable, Reported):
    __slots__ = _fields = ("result", "problems", "quote_status", "sources", "keys")

    result: LoadResult
    problems: list[Problem]
    #: quote id -> "exact" or the status that describes what happened to it
    quote_status: dict[str, str]
    #: source id -> whether it changed since its anchors were written, and the effect
    sources: dict[str, SourceChange]
    #: source id -> the content key of its text now (:func:`csto_tui.textstore.key_of`)
    keys: dict[str, str]

    def __init__(
        self,
        result: LoadResult,
        problems: list[Problem] | None = None,
        quote_status: dict[str, str] | None = None,
        sources: dict[str, SourceChange] | None = None,
        keys: dict[str, str] | None = None,
    ) -> None:
        self.result = result
        self.problems = [] if problems is None else problems
        self.quote_status = {} if quote_status is None else quote_status
        self.sources = {} if sources is None else sources
        self.keys = {} if keys is None else keys

    @property
    def changed_sources(self) -> list[SourceChange]:
        return [c for c in self.sources.values() if c.changed]

    @property
    def dataset(self) -> Dataset:
        return self.result.dataset


#: Problem codes that are about a quote's anchor: counted as quotes needing review (the sync
#: screen reviews them), not as problems of the dataset.
ANCHOR_CODES = frozenset(s.name for s in QUOTE_STATUSES if s.severity)


def dataset_errors(problems: Sequence[Problem]) -> list[Problem]:
    """The errors of a dataset that are not a quote to review: a record left out, a citation
    dropped, a source that cannot be read... The one definition of "problems" that the
    dashboard's title counts, the sync screen lists and every export reports."""
    return [p for p in problems if p.severity == "error" and p.code not in ANCHOR_CODES]


def fold(text: str) -> str:
    """Typography-insensitive form, used to tell a 'normalized' anchor from a changed one: the
    same fold the anchoring engine uses to find normalized quotes."""
    from .folding import fold as anchoring_fold

    return anchoring_fold(text).strip()


def verify_quote(ds: Dataset, q: Quote, keys: dict[str, str] | None = None
                 ) -> tuple[str, str]:
    """Return (status, message) for one quote against its stored anchor. ``keys`` are the
    content keys of the sources' current texts (computed when not given). ``check`` calls it
    for the quotes that their anchor does not settle (see :func:`_unsettled`)."""
    text = ds.texts.get(q.source)
    if text is None:
        return SOURCE, "its source could not be read"
    a = ds.anchors.get(q.id)
    if a is None:
        return UNANCHORED, "has no anchor yet: run `csto-tui sync` to anchor it"
    if a.source != q.source:
        return UNANCHORED, (f"is anchored in source {a.source!r} but cites {q.source!r}: "
                            "run `csto-tui sync`")
    if a.review == KEPT:
        return KEPT, "kept as an orphan by review: the source does not hold it"
    if a.review:
        where = ""
        if a.found_start is not None:
            where = f" (candidate at {a.found_start}-{a.found_end}: {_short(a.found)!r})"
        return a.review, (f"awaits review: {a.review}{where}; "
                          "review it on the sync screen (S), or edit the quote or the source "
                          "and sync")
    if keys is not None:
        key = keys[q.source]
    else:
        from . import textstore

        key = textstore.key_of(text)
    unchanged = bool(a.text_key) and a.text_key == key
    verbatim = unchanged or (0 <= a.start <= a.end <= len(text)
                             and text[a.start:a.end] == a.exact)
    if verbatim and (a.exact == q.text or fold(a.exact) == fold(q.text)):
        return EXACT, ""
    previous = None
    if a.text_key:
        from . import textstore

        previous = (text if unchanged
                    else textstore.get(anchors_path_for(ds.file_of(q.id)), a.text_key))
    loc = _relocate(text, q, a, previous)
    status = loc.status
    if verbatim:
        # the source is unchanged at the anchor but the dataset's quote text was edited
        return status, (f"the quote's text was edited and is now {status} in its source: "
                        "run `csto-tui sync`")
    what = ""
    if loc.changes:
        what = " (" + "; ".join(f"{_short(o, 30)!r} -> {_short(n, 30)!r}"
                                for o, n in loc.changes[:3]) + ")"
    return status, (f"the source changed: no longer verbatim at {a.start}-{a.end}; now "
                    f"{status}{what}"
                    + ("; run `csto-tui sync`" if status in RELOCATED else
                       "; sync, then review it on the sync screen (S)"))


def _relocate(text: str, q: Quote, a: Anchor, previous: str | None) -> Located:
    from .anchoring import locate

    return locate(text, q.text, a.prefix, a.suffix, a.start, previous=previous)


def _short(s: str, n: int = 60) -> str:
    return s if len(s) <= n else s[: n - 3] + "..."


_ID = attrgetter("id")
_SOURCE = attrgetter("source")
_TEXT = attrgetter("text")
#: which text of which source an anchor names, and whether it is under review
_NAMES = attrgetter("source", "text_key", "review")
#: an anchor's row: what it must read for its quote to be exact as it stands
_ROW = attrgetter("source", "text_key", "review", "exact")
#: stands for a missing anchor in a column of anchors (its row matches no quote's)
_NO_ANCHOR = SimpleNamespace(source=None, text_key=None, review="none", exact=None)


def _unsettled(quotes: Sequence[Quote], anchors: list[Any], keys: dict[str, str]
               ) -> Iterator[int]:
    """The indexes of the quotes (``anchors``: the anchor of each, or ``_NO_ANCHOR``) that
    their anchor does not settle as exact as they stand, found by comparing columns (no step
    per quote). An anchor settles its quote when it is in the source the quote cites, names
    that source's current text (``text_key``: so its place there holds its words), is not
    under review and holds the quote's very text: :func:`verify_quote` says "exact" of such
    a quote; the others need its steps."""
    srcs = list(map(_SOURCE, quotes))
    settled = zip(srcs, map(keys.get, srcs), repeat(""), map(_TEXT, quotes))
    return compress(count(), map(ne, map(_ROW, anchors), settled))


def check(path: Path | str | None = None, result: LoadResult | None = None) -> CheckReport:
    """Validate a dataset fully. ``DatasetError`` propagates for unreadable/unparsable files."""
    res = result or load(path)
    ds = res.dataset
    rep = CheckReport(res, list(res.problems))
    from .locator import Locator  # reuse the line finder for quote ids

    locs: dict[Path, Locator] = {}  # a file is read only if a quote of it needs its line

    def line_of(qid: str) -> tuple[str, int | None]:
        f = ds.file_of(qid)
        loc = locs.get(f)
        if loc is None:
            loc = locs[f] = Locator(f)
        return str(f), loc.line_of(qid)

    from . import textstore

    keys = rep.keys = {sid: textstore.key_of(t) for sid, t in ds.texts.items()}
    quotes = ds.quotes
    ids = list(map(_ID, quotes))
    anchors = list(map(ds.anchors.get, ids, repeat(_NO_ANCHOR)))
    statuses = [EXACT] * len(quotes)
    # each quote its anchor does not settle, verified in turn (a few, unless sources changed)
    for i in _unsettled(quotes, anchors, keys):
        q = quotes[i]
        status, msg = verify_quote(ds, q, keys)
        statuses[i] = status
        known = QUOTE_STATUS.get(status)
        sev = known.severity if known is not None else "error"
        if sev is None:  # exact, or its source unreadable (the loader says so)
            continue
        file, line = line_of(q.id)
        rep.problems.append(Problem(status, msg, file, line, None, q.id, severity=sev))
    rep.quote_status = dict(zip(ids, statuses, strict=True))  # an id twice: its last quote's
    rep.sources = source_changes(ds, rep.quote_status, keys)
    from .coverage import uncited_problems
    from .prose import quotation_problems

    rep.problems.extend(uncited_problems(ds))
    rep.problems.extend(quotation_problems(ds))
    rows: dict[str, str] | None = None  # quote id -> its anchors file, once one is stale
    for qid in filterfalse(rep.quote_status.__contains__, ds.anchors):
        if rows is None:
            rows = {}
            for af in reversed(res.anchor_files):  # a row in two files: the first file's
                rows.update(dict.fromkeys(af.ids, str(af.path)))
        apath = rows.get(qid, "")
        rep.problems.append(Problem(
            "stale-anchor", "anchor for a quote that is no longer in the dataset "
            "(sync removes it)", apath, None, None, qid, severity="warning"))
    rep.problems = each_once(rep.problems)
    return rep


def problem_key(p: Problem) -> tuple[object, ...]:
    """What makes two problems the same one: the same at two places of a file is two (an
    unknown id written twice in one array: each located at itself, both listed)."""
    return (p.code, p.file, p.record, p.field, p.message, p.line, p.column)


def each_once(problems: Iterable[Problem]) -> list[Problem]:
    """The problems in their order, each only the first time it comes."""
    seen: set[tuple[object, ...]] = set()
    unique: list[Problem] = []
    for p in problems:
        key = problem_key(p)
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def source_changes(ds: Dataset, statuses: dict[str, str], keys: dict[str, str]
                   ) -> dict[str, SourceChange]:
    """Per source: did it change since its anchors were written (its current text is not the
    stored text its settled anchors name), and the statuses of its quotes now (a quote with
    no status is exact), counted in the order they first occur among its quotes. By columns:
    no step per anchor or per quote."""
    # the sources settled anchors name a stored text of, and those they name another text
    # of than the current one (from the anchors' distinct rows: a few per source)
    naming: set[str] = set()
    other: set[str] = set()
    for source, text_key, review in set(map(_NAMES, ds.anchors.values())):
        if text_key and not review:
            naming.add(source)
            if text_key != keys.get(source):
                other.add(source)
    out: dict[str, SourceChange] = {}
    for s in ds.sources:
        changed = None if s.id not in keys or s.id not in naming else s.id in other
        out[s.id] = SourceChange(s.id, changed)
    quotes = ds.quotes
    # (source, status) of every quote, counted at once: a dict keeps the order they first occur
    pairs = zip(map(_SOURCE, quotes),
                map(statuses.get, map(_ID, quotes), repeat(EXACT)), strict=True)
    for (sid, status), n in Counter(pairs).items():
        c = out.get(sid)
        if c is not None:
            c.quotes[status] = n
    return out


def counts(ds: Dataset) -> dict[str, int]:
    return record_counts(ds.records_of)


def record_counts(records_of: Callable[[str], Sequence[Any]]) -> dict[str, int]:
    """How many records of each kind (and membership spans), as ``check`` prints them:
    ``records_of`` gives the records of a kind by its name (a dataset's, or one file's)."""
    states = records_of("state")
    return {
        "sources": len(records_of("source")),
        "quotes": len(records_of("quote")),
        "states": len(states),
        "membership spans": sum(map(len, map(attrgetter("membership"), states))),
        "entities": len(records_of("entity")),
        "metrics": len(records_of("metric")),
        "events": len(records_of("event")),
        "relations": len(records_of("relation")),
        "conflicts": len(records_of("conflict")),
        "uncited (explained)": len(records_of("uncited")),
    }


def quotes_per_source(ds: Dataset) -> dict[str, int]:
    """Quotes of each source: the sources in their order, then any other source quotes cite
    (in the order quotes first cite it)."""
    out = {s.id: 0 for s in ds.sources}
    for sid, n in Counter(map(_SOURCE, ds.quotes)).items():
        out[sid] = out.get(sid, 0) + n
    return out
