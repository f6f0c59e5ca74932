"""The dashboard's side of authoring (#18): the writes it starts, and what follows a write.

A write (a cite, an uncited passage, an undo, an added article) is announced by the screen
that made it, which hands the :class:`~csto_tui.journal.Change` to the dashboard
(:func:`written`): the dataset is loaded again at once, quietly. After that load
(:func:`after_load`) a view of an article no longer in the dataset (its adding undone)
closes, an open coverage view measures again, every open article shows its new passages, and
an article just added opens. From the dashboard itself: ctrl+z undoes the last write
(:func:`undo`), the palette's "Add source..." adds an article (:func:`add_source`), C opens
the coverage view (:func:`coverage`), whose Enter opens the article at a passage
(:func:`open_passage`).

The dashboard's actions and its ``written`` hook are one-line calls into here, so every key's
action is still found on the screen; what the reload after a write does is the screen's
``quiet_reload`` and ``open_after_load``.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from ..textsafe import one_line

if TYPE_CHECKING:
    from ..journal import Change
    from .coverage_view import CoverageScreen
    from .dashboard import DashboardScreen
    from .source_view import SourceScreen


def written(screen: DashboardScreen, change: Change, open_source: str | None = None) -> None:
    """A step was written to the dataset (and announced): load it now, so the panes, the
    briefing and an open article show it at once; ``open_source``: then open that article."""
    screen.quiet_reload = True
    screen.open_after_load = open_source
    screen.feed.reload(quiet=True)


def after_load(screen: DashboardScreen) -> None:
    """After a load: an open coverage view measures again (its count goes down), open
    articles show the new passages, an article just added opens."""
    from .coverage_view import CoverageScreen
    from .source_view import SourceScreen

    ds = screen.data.dataset
    # an article no longer in the dataset (its adding undone, or taken out by hand): its
    # views on top close, saying so, rather than show what is gone (one under another
    # screen closes when it is back on top: :func:`close_if_gone` on its resume)
    while isinstance(top := screen.app.screen, (SourceScreen, CoverageScreen)) \
            and close_if_gone(top):
        pass
    for other in screen.app.screen_stack:
        if isinstance(other, CoverageScreen):
            other.reloaded()
    for other in screen.app.screen_stack:
        if isinstance(other, SourceScreen):
            other.reloaded()
    sid, screen.open_after_load = screen.open_after_load, None
    if sid and ds is not None and ds.source(sid) is not None:
        screen.app.push_screen(SourceScreen(screen.data, sid, None, on_written=screen.written),
                               callback=screen.after_source)


def undo(screen: DashboardScreen) -> None:
    """Undo the last write to the dataset (ctrl+z): the files as they were before it."""
    from .cite_form import undo_last

    undo_last(screen, screen.data.path, screen.written)


def close_if_gone(view: SourceScreen | CoverageScreen) -> bool:
    """Close ``view``, an article's view on top of the screens, if its article is no longer in
    the dataset, saying so; whether it did."""
    ds = view.data.dataset
    if ds is None or ds.source(view.source_id) is not None or view.app.screen is not view:
        return False
    view.notify(f"{one_line(view.source_id, 40)} is no longer in the dataset: its view is "
                "closed", timeout=6, markup=False)
    view.app.pop_screen()
    return True


def add_source(screen: DashboardScreen) -> None:
    """Add an article to the dataset: a form for its file, title, date and publisher; the
    article opens once it is loaded."""
    from .add_source_form import AddSourceScreen

    def added(change: Change | None) -> None:
        if change is not None:
            screen.written(change, open_source=change.ids[0] if change.ids else None)

    screen.app.push_screen(AddSourceScreen(screen.data.path, screen.data.loaded),
                           callback=added)


def coverage(screen: DashboardScreen) -> None:
    """The focused quote's article (else the first) with what is neither quoted nor
    explained highlighted; Enter there opens the article at the passage to cite it."""
    ds = screen.data.dataset
    if ds is None or not ds.sources:
        screen.notify("No article to measure", severity="warning")
        return
    qid = screen.focused_quote()
    q = ds.quote(qid) if qid is not None else None
    from .coverage_view import CoverageScreen

    screen.app.push_screen(CoverageScreen(screen.data, q.source if q else ds.sources[0].id,
                                          open_passage=partial(open_passage, screen),
                                          on_written=screen.written))


def open_passage(screen: DashboardScreen, source_id: str, start: int, end: int) -> None:
    """The article opened at the passage [start, end) (from the coverage view)."""
    from .source_view import SourceScreen

    screen.app.push_screen(SourceScreen(screen.data, source_id, None, at=(start, end),
                                        on_written=screen.written),
                           callback=screen.after_source)
