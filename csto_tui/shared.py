"""What the dashboard's screens share: the dataset in use and what was derived from it.

One :class:`Shared` per app. Only :class:`csto_tui.feed.DataFeed` writes it (after each load and
once the search index is built); screens are handed it when they are made and read it. No
textual here: it is plain data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .checking import CheckReport
    from .dataset import Dataset
    from .search import SearchIndex


@dataclass(eq=False)
class Shared:
    """The dataset file, its last good load and the search index over it."""

    path: Path
    #: What the screens show of the last dataset that loaded (kept, with its report, when a
    #: reload fails): all of it, or its facts only (:attr:`facts_only`).
    dataset: Dataset | None = None
    #: Every record of the last load (:meth:`show` derives :attr:`dataset` from it).
    loaded: Dataset | None = None
    #: Leave out claims, assessments, forecasts and hypotheticals (the ``c`` key).
    facts_only: bool = False
    report: CheckReport | None = None
    #: quote id -> "exact" / "moved" / "fuzzy" / "orphaned" / ...
    statuses: dict[str, str] = field(default_factory=dict)
    #: Why the last load failed (None after a good one).
    load_error: str | None = None
    #: The search engine over :attr:`dataset`, once built (after the first screen).
    search_index: SearchIndex | None = None
    #: Bumped after every good load.
    version: int = 0

    def show(self, loaded: Dataset | None = None) -> None:
        """Set :attr:`dataset` from a new load (``loaded``) or, after :attr:`facts_only`
        changed, from the last one."""
        if loaded is not None:
            self.loaded = loaded
        ds = self.loaded
        if ds is not None and self.facts_only:
            from .dataset import facts_only

            ds = facts_only(ds)
        self.dataset = ds

    def review_count(self) -> int:
        """How many quotes need review (fuzzy, orphaned, ambiguous, unanchored...): not
        exact, nor re-anchored verbatim or in typography only, nor kept orphaned by review."""
        from .export import SETTLED

        return sum(1 for s in self.statuses.values() if s not in SETTLED)

    def attention(self) -> list[str]:
        """What needs attention, as the dashboard's title and a reload's notice say it: the
        quotes to review and the dataset's problems (the sync screen, S, lists both)."""
        from .checking import dataset_errors
        from .textsafe import agrees, plural

        out: list[str] = []
        review = self.review_count()
        if review:
            out.append(f"{plural(review, 'quote')} {agrees(review, 'needs', 'need')} review")
        if self.report is not None:
            errors = len(dataset_errors(self.report.problems))
            if errors:
                out.append(plural(errors, "problem"))
        return out
