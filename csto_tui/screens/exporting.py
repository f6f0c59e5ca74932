"""Exporting from a screen: one way to run an export, one wording for what came of it.

The dashboard's ``e``, the briefing view's ``e`` and the pivot view's ``e`` / ``s`` each make an
:class:`ExportJob` (what is exported, where, its bytes, and the core's write for it:
:func:`csto_tui.export.write` or :func:`csto_tui.pivot.write`, both through
:mod:`csto_tui.atomic`) and hand it to :func:`run_export`. It writes off the UI thread, asks for
the key again before replacing a file that holds something else (:mod:`csto_tui.overwrite`),
and says what happened in one wording, never markup (:func:`outcome`):

- written: ``Exported: Briefing written to /home/me/csto-briefing-kaz.md``
- written from a dataset with errors (:func:`csto_tui.checking.dataset_errors`):
  ``Exported despite 1 problem (S): Briefing written to ..., the problem listed at its top``,
  a warning (what the problem concerns may be missing from it; S lists the problems)
- the file holds something else (a first press): ``Not written yet: csto-briefing-kaz.md
  holds something else: e again replaces it (the old one kept as .bak)``
- another program wrote the file meanwhile: ``Written beside: ...`` with the core's message,
  which names both files (theirs kept, ours beside it)
- refused or failed (an OS error, not a regular file, an unknown state): ``Export failed: ...``
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import CstoError, Problem, WriteConflictError, os_message
from ..overwrite import OverwriteGuard
from ..textsafe import agrees, plural

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel
    from textual.screen import Screen

    from ..dataset import Dataset
    from ..export import Request
    from ..pivot import Pivot
    from ..shared import Shared


@dataclass(frozen=True)
class ExportJob:
    """One export to write: ``what`` it is ("Briefing", "Counts"), the file, its bytes, and
    ``write``, which writes them there through the core and returns the file written."""

    what: str
    path: Path
    data: bytes
    write: Callable[[], Path]
    #: how many of the dataset's errors the export was made despite (it lists them)
    problems: int = 0


def briefing_job(ds: Dataset, statuses: dict[str, str], request: Request,
                 problems: Sequence[Problem] = ()) -> ExportJob:
    """A briefing export (:func:`csto_tui.export.make`), to its default file; ``problems``:
    the dataset's errors, which it lists at its top (as ``csto-tui export`` does)."""
    from .. import export

    made = export.make(ds, statuses, request, problems)
    path = export.default_path(request)
    return ExportJob("Briefing", path, made.text.encode("utf-8"),
                     lambda: export.write(made, path), len(made.problems))


def export_briefing(screen: Screen[Any], guard: OverwriteGuard, data: Shared,
                    sid: str | None) -> None:
    """``e`` on the dashboard and the briefing view: the state ``sid``'s briefing to its file,
    byte for byte what `csto-tui export --state` writes (facts only when the app shows them)."""
    from ..export import Request

    ds = data.dataset
    if ds is None or sid is None:
        nothing_to_export(screen)
        return
    from ..checking import dataset_errors

    statuses = dict(data.statuses)
    problems = dataset_errors(data.report.problems) if data.report is not None else []
    request = Request((sid,), facts_only=data.facts_only)
    run_export(screen, guard, "e", lambda: briefing_job(ds, statuses, request, problems))


def counts_job(counts: Pivot, fmt: str, dataset_title: str) -> ExportJob:
    """The pivot view's counts as ``fmt`` (``markdown`` or ``csv``), to their default file."""
    from .. import pivot

    path = pivot.default_path(counts, fmt)
    data = pivot.text(counts, fmt, dataset_title).encode("utf-8")
    return ExportJob("Counts", path, data,
                     lambda: pivot.write(counts, fmt, path, dataset_title))


@dataclass(frozen=True)
class Notice:
    """What an export came to, as the screen says it."""

    title: str
    message: str
    severity: SeverityLevel = "information"
    timeout: float = 8


def outcome(guard: OverwriteGuard, key: str, prepare: Callable[[], ExportJob]) -> Notice:
    """Make the job (``prepare``), write it unless the file holds something else and this is
    the first press of ``key``, and say what came of it."""
    try:
        job = prepare()
        if not guard.allows(job.path, job.data):
            return Notice("Not written yet", f"{job.path.name} holds something else: {key} "
                          "again replaces it (the old one kept as .bak)", "warning", 10)
        written = job.write()
    except WriteConflictError as exc:
        return Notice("Written beside", exc.message, "warning", 15)
    except CstoError as exc:
        return Notice("Export failed", exc.message, "error", 15)
    except OSError as exc:
        return Notice("Export failed", os_message(exc), "error", 15)
    if job.problems:
        n = job.problems
        return Notice(f"Exported despite {plural(n, 'problem')} (S)",
                      f"{job.what} written to {written}, {agrees(n, 'the problem', 'them')} "
                      "listed at its top", "warning", 15)
    return Notice("Exported", f"{job.what} written to {written}")


def nothing_to_export(screen: Screen[Any]) -> None:
    """Said when the screen shows nothing to export (no state selected, no data yet)."""
    screen.notify("Nothing to export here", severity="warning", markup=False)


def run_export(screen: Screen[Any], guard: OverwriteGuard, key: str,
               prepare: Callable[[], ExportJob]) -> None:
    """Run :func:`outcome` in a worker thread (a big export never holds up the keys), then
    notify it (plain text: paths and messages from data are never read as markup)."""
    app = screen.app

    def export() -> None:
        notice = outcome(guard, key, prepare)
        app.call_from_thread(app.notify, notice.message, title=notice.title,
                             severity=notice.severity, timeout=notice.timeout, markup=False)

    screen.run_worker(export, thread=True, group="export", exclusive=True,
                      description="export")
