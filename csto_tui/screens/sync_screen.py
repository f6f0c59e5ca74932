"""The ``S`` screen: re-anchor every quote from the dashboard, then review what needs it.

Runs the same :func:`csto_tui.syncing.plan` and :func:`~csto_tui.syncing.write` as
``csto-tui sync``, in a worker thread, so the screen keeps answering keys while 100,000 quotes
are located again. Nothing is written until the analyst has seen what would change and pressed
``w``; the write is atomic, keeps a ``.bak`` and is refused if the anchors file changed since it
was read. The dashboard reloads the data once the file is written.

Every quote that needs review (fuzzy, ambiguous, orphaned) is listed (a scrollable list, arrow
keys), and the highlighted one is shown with a word-level diff of the dataset's wording against
what the source says now. ``a`` accepts the source's wording (the quote's text is rewritten in
the dataset file, nothing else: :func:`csto_tui.syncing.accept`), ``x`` keeps the quote
orphaned (:func:`~csto_tui.syncing.keep_orphaned`), ``s`` skips it for now, ``o`` opens the
article at the place. Each decision is written at once, refused if a file changed meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from ..textsafe import agrees, one_line, plural, visible
from ..vocabulary import AMBIGUOUS, FUZZY, RELOCATED
from ..widgets.cursor import GUTTER
from ..widgets.cursor_list import CursorList
from ..widgets.footer import KeysFooter

SHOWN_IDS = 12  # quote ids listed per status; the rest are counted
SHOWN_PROBLEMS = 12  # the dataset's problems listed; the rest are counted


#: How each quote of the review list is marked, by what was decided for it: words, in a
#: column of their own, never a crisis's response marker ('[ ]' is "no action" there).
DECISION_MARKS = {"": "to review", "accepted": "accepted", "kept": "kept", "skipped": "skipped"}
MARK_WIDTH = max(map(len, DECISION_MARKS.values()))
#: A review decision is written at once, outside the undo journal (which holds the authoring
#: steps: cite, uncited, add source): said in the help of a and x, and once it is made.
NOT_UNDONE = ("Written at once; Ctrl+Z does not undo it (the file's .bak keeps it as it was "
              "before)")


class _Closed(Exception):
    """The screen was closed while quotes were being located."""


class SyncScreen(ModalScreen[bool]):
    """Dismissed with True when the anchors file was written."""

    CSS_PATH = "screens.tcss"

    BINDINGS = [
        Binding("w", "write", "Write anchors", id="sync_write",
                tooltip="Write the re-anchored quotes to the anchors file (a .bak keeps the "
                        "old one)"),
        Binding("a", "accept", "Accept new wording", id="review_accept",
                tooltip="Rewrite the highlighted quote in the dataset as the source now words "
                        "it (nothing else in the file changes). " + NOT_UNDONE),
        Binding("x", "keep_orphaned", "Keep orphaned", id="review_keep",
                tooltip="Keep the highlighted quote although the source no longer holds it. "
                        + NOT_UNDONE),
        Binding("s", "skip", "Skip", id="review_skip",
                tooltip="Leave the highlighted quote for later; go to the next"),
        Binding("o", "open_place", "Open article", id="review_open",
                tooltip="Open the article at the highlighted quote's place"),
        Binding("right_square_bracket", "review_step(1)", "Next", id="review_next",
                key_display="]", show=False, tooltip="The next quote to review"),
        Binding("left_square_bracket", "review_step(-1)", "Previous", id="review_previous",
                key_display="[", show=False, tooltip="The previous quote to review"),
        Binding("escape,q", "close", "Close", id="sync_close",
                tooltip="Leave the anchors file as it is (a running check goes on unseen)"),
    ]

    def __init__(self, path: Path, on_written: Callable[[], None] | None = None,
                 data: Any = None, **kwargs: Any) -> None:
        """``on_written`` is called once the anchors file is written (the dashboard reloads);
        ``data`` (the dashboard's Shared) lets ``o`` open the article."""
        super().__init__(**kwargs)
        self.path = path
        self.on_written = on_written
        self.data = data
        self.report: Any = None  # the SyncReport once planned
        # loading -> planning -> planned -> (deciding -> planned)* / writing -> written / failed
        self.state = "loading"
        self.written = False
        #: the quotes to review, in dataset order, and what was decided for each
        self.items: list[str] = []
        self.decided: dict[str, str] = {}  # quote id -> "accepted" / "kept" / "skipped"

    def compose(self) -> ComposeResult:
        with Vertical(id="sync-box"):
            yield Static(Text(" SYNC & REVIEW QUOTES ", style="bold reverse"), id="sync-title")
            yield Static(Text(f"Loading {one_line(str(self.path))} ..."), id="sync-status")
            yield ProgressBar(total=None, show_eta=False, id="sync-progress")
            with VerticalScroll(id="sync-scroll"):
                yield Static(id="sync-summary")
            with Vertical(id="review"):
                yield CursorList(id="review-list")
                with VerticalScroll(id="review-detail-scroll"):
                    yield Static(id="review-detail")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.run_worker(self._plan, thread=True, exclusive=True, group="sync")

    # ---- worker (thread) ---------------------------------------------------------------
    def _plan(self) -> None:
        from textual.worker import get_current_worker

        from ..errors import CstoError
        from ..syncing import plan

        worker = get_current_worker()

        def progress(done: int, total: int) -> None:
            if worker.is_cancelled:  # the screen was closed: stop locating
                raise _Closed
            self.app.call_from_thread(self._progress, done, total)

        try:
            rep = plan(self.path, progress=progress)
        except _Closed:
            return
        except CstoError as exc:
            self._from_thread(worker, self._failed, exc.message)
            return
        except OSError as exc:
            self._from_thread(worker, self._failed, f"cannot read: {exc}")
            return
        except Exception as exc:  # a bug or an unexpected file state: keep the app alive
            self._from_thread(worker, self._failed,
                              f"could not sync: {type(exc).__name__}: {exc}")
            return
        self._from_thread(worker, self._planned, rep)

    def _from_thread(self, worker: Any, fn: Any, *args: Any) -> None:
        if not worker.is_cancelled:
            self.app.call_from_thread(fn, *args)

    def _write(self) -> None:
        from ..errors import CstoError
        from ..syncing import write

        try:
            write(self.report)
        except CstoError as exc:
            self.app.call_from_thread(self._failed, exc.message)
            return
        except OSError as exc:
            self.app.call_from_thread(self._failed, f"cannot write: {exc}")
            return
        except Exception as exc:  # as in _plan: the screen fails, the app stays
            self.app.call_from_thread(self._failed,
                                      f"could not write: {type(exc).__name__}: {exc}")
            return
        self.app.call_from_thread(self._wrote)

    # ---- UI thread ---------------------------------------------------------------------
    @property
    def shown(self) -> bool:
        """On the screen stack (perhaps under a modal), its widgets all there. A screen being
        closed is off the stack while its widgets are removed one by one, still attached: a
        report of the worker arriving then found some widgets and not others."""
        return self.is_attached and self in self.app.screen_stack

    def _status(self, text: str | Text) -> None:
        # closed meanwhile: the screen may still be attached with its widgets already gone
        for status in self.query("#sync-status").results(Static):
            status.update(text if isinstance(text, Text) else Text(text))

    def _progress(self, done: int, total: int) -> None:
        bars = self.query(ProgressBar)
        if not self.is_attached or not bars:  # closed meanwhile (see _status)
            return
        self.state = "planning"
        bar = bars.first()
        bar.update(total=max(total, 1), progress=done)
        self._status(f"Locating every quote in its source: {done:,} / {total:,}")

    def _planned(self, rep: Any) -> None:
        self.report = rep
        self.state = "planned"
        if not self.shown:
            return
        bar = self.query_one(ProgressBar)
        bar.update(total=max(len(rep.statuses), 1), progress=max(len(rep.statuses), 1))
        problems = self._summary(rep)
        self._show_review(rep)
        n = len(rep.changed) + len(rep.dropped)
        if self.items:
            k = len(self.items)
            self._status(Text.assemble(
                (f"{plural(k, 'quote')} {agrees(k, 'needs', 'need')} review. ", "bold"),
                "a accept · x keep orphaned · s skip · o open; w writes the rest."))
        elif n:
            self._status(Text.assemble(
                (f"{plural(n, 'anchor')} would change. ", "bold"),
                "w writes the anchors file (a .bak keeps the old one); Escape leaves it."))
        elif problems:
            self._status(Text.assemble(
                (f"{plural(problems, 'problem')} in the dataset, listed below. ", "bold"),
                "Fix what it names (the dashboard reloads); no anchor to write. Escape closes."))
        else:
            self._status(Text("Nothing to write: every anchor is current. Escape closes.",
                              style="bold"))
        self.refresh_bindings()

    def _summary(self, rep: Any) -> int:
        """The dataset's problems, then the counts of the plan, by status as they stand (after
        each decision too: an accepted quote counts as exact, a kept one as kept). Returns how
        many problems."""
        from ..syncing import REVIEW_STATUSES, SYNC_STATUSES

        t = Text()
        problems = self._problems(t, rep)
        counts = [(s, len(rep.by_status(s))) for s in SYNC_STATUSES]
        t.append(f"{len(rep.statuses):,} quotes: ", style="bold")
        t.append(", ".join(f"{n:,} {s}" for s, n in counts if n) or "none")
        t.append("\n")
        for s in RELOCATED:
            self._ids(t, f"{s} (re-anchored)", rep.re_anchored(s))  # only what writing would change
        for s in REVIEW_STATUSES:
            self._ids(t, f"{s} (needs review: anchor kept)", rep.by_status(s))
        if rep.skipped:
            self._ids(t, "not checked (their source cannot be read: see the problems above)",
                      rep.skipped)
        if rep.dropped:
            self._ids(t, "stale anchors to remove", rep.dropped)
        self.query_one("#sync-summary", Static).update(t)
        return problems

    def _problems(self, t: Text, rep: Any) -> int:
        """The dataset's problems, each located as ``check`` says it (what the dashboard's
        title counts: :func:`csto_tui.checking.dataset_errors`), appended to ``t``; and, for a
        source that cannot be read, how many quotes cannot be checked. Returns how many."""
        from collections import Counter

        from ..checking import dataset_errors

        report = getattr(self.data, "report", None)
        errors = dataset_errors(report.problems if report is not None else rep.result.problems)
        if not errors:
            return 0
        per_source = Counter(q.source for q in rep.result.dataset.quotes)
        t.append(f"{plural(len(errors), 'problem')} in the dataset:\n", style="bold")
        for p in errors[:SHOWN_PROBLEMS]:
            t.append(visible(p.format()) + "\n")
            n = per_source.get(p.record, 0) if p.code == "source" else 0
            if n:
                t.append(f"  {plural(n, 'quote')} of {one_line(p.record)} cannot be checked "
                         "until it can be read\n", style="bold")
        if len(errors) > SHOWN_PROBLEMS:
            t.append(f"... and {len(errors) - SHOWN_PROBLEMS:,} more (csto-tui check lists "
                     "every one)\n")
        t.append("\n")
        return len(errors)

    @staticmethod
    def _ids(t: Text, label: str, ids: list[str]) -> None:
        if not ids:
            return
        t.append(f"\n{label}: ", style="bold")
        t.append(", ".join(one_line(i) for i in ids[:SHOWN_IDS]))
        if len(ids) > SHOWN_IDS:
            t.append(f" ... and {len(ids) - SHOWN_IDS:,} more")
        t.append("\n")

    # ---- review --------------------------------------------------------------------------
    def _show_review(self, rep: Any) -> None:
        from ..syncing import needs_review

        self.items = needs_review(rep)
        box = self.query_one("#sync-box")
        box.set_class(bool(self.items), "-reviewing")
        if not self.items:
            return
        ol = self.query_one("#review-list", OptionList)
        ol.clear_options()
        ol.add_options([Option(self._prompt(q), id=q) for q in self.items])
        ol.highlighted = 0
        ol.focus()
        self._detail()

    def _prompt(self, qid: str) -> Text:
        from ..syncing import review_item

        it = review_item(self.report, qid)
        mark = DECISION_MARKS[self.decided.get(qid, "")]
        t = Text(f"{mark:<{MARK_WIDTH}}  ", style="bold", no_wrap=True, overflow="ellipsis")
        t.append(f"{it.status:<9} ", style="bold")
        t.append(one_line(qid, 32))
        t.append("  " + one_line(it.stored, 200), style="dim")
        # one line per quote: the list stays a list at 80 columns
        width = self.query_one("#sync-box").scrollable_content_region.width - 4 - GUTTER
        t.truncate(max(30, width), overflow="ellipsis")
        return t

    @property
    def current(self) -> str | None:
        if not self.items or not self.shown:
            return None
        i = self.query_one("#review-list", OptionList).highlighted
        return self.items[i] if i is not None and 0 <= i < len(self.items) else None

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._detail()
        self.refresh_bindings()

    def _detail(self) -> None:
        from ..syncing import review_item
        from ..textdiff import word_diff

        qid = self.current
        if qid is None:
            return
        it = review_item(self.report, qid)
        t = Text()
        t.append(one_line(qid), style="bold")
        t.append(f"  {it.status}  source {one_line(it.source)}")
        if it.at is not None:
            t.append(f", characters {it.at[0]}-{it.at[1]}")
        done = self.decided.get(qid)
        if done:
            t.append(f"  ({done})", style="bold")
        t.append("\n\n")
        if done == "accepted":
            t.append("Accepted: the dataset now quotes the source's wording:\n", style="italic")
            t.append(one_line(it.stored, 10_000))
            t.append(f"\n\n{NOT_UNDONE}. o opens the article there", style="dim")
        elif done == "kept":
            t.append("Kept as an orphan (not anchored again): the dataset keeps its words:\n",
                     style="italic")
            t.append(one_line(it.stored, 10_000))
            t.append(f"\n\n{NOT_UNDONE}. o opens the article where it stood", style="dim")
        elif it.now:
            t.append("The dataset's quote against what the source says now "
                     "([-removed-] {+added+}):\n", style="italic")
            for op, piece in word_diff(it.stored, it.now):
                piece = visible(piece, keep_newlines=False)
                if op == "-":
                    t.append("[-" + piece + "-]", style="bold red strike")
                elif op == "+":
                    t.append("{+" + piece + "+}", style="bold green underline")
                else:
                    t.append(piece)
            t.append("\n\na accepts the source's wording · x keeps it orphaned · s skips · "
                     "o opens the article there", style="dim")
        else:
            t.append("The source no longer holds this quote:\n", style="italic")
            t.append(one_line(it.stored, 10_000))
            t.append("\n\nx keeps it orphaned · s skips · o opens the article where it stood",
                     style="dim")
        self.query_one("#review-detail", Static).update(t)

    def _decided(self, qid: str, what: str) -> None:
        """A decision was written (or a skip made): mark it, go to the next undecided."""
        self.state = "planned"
        self.decided[qid] = what
        if not self.shown:
            return
        ol = self.query_one("#review-list", OptionList)
        i = self.items.index(qid)
        ol.replace_option_prompt_at_index(i, self._prompt(qid))
        # the next quote nobody decided on, else the next one skipped
        order = [*range(i + 1, len(self.items)), *range(0, i)]
        nxt = next((j for j in order if self.items[j] not in self.decided),
                   next((j for j in order if self.decided.get(self.items[j]) == "skipped"),
                        None))
        if nxt is not None:
            ol.highlighted = nxt
        self._detail()
        self._summary(self.report)
        left = sum(1 for q in self.items if self.decided.get(q) in (None, "skipped"))
        if what != "skipped":
            self.written = True
            if self.on_written is not None:
                self.on_written()
        self._status(Text.assemble(
            (f"{qid}: {what}. ", "bold"),
            f"{left} left to review." if left else "Every quote was reviewed. Escape closes."))
        self.refresh_bindings()

    def _decide(self, qid: str, what: str) -> None:
        from ..errors import CstoError
        from ..syncing import accept, keep_orphaned

        try:
            (accept if what == "accepted" else keep_orphaned)(self.report, qid)
        except (CstoError, ValueError) as exc:
            msg = exc.message if isinstance(exc, CstoError) else str(exc)
            self.app.call_from_thread(self._refused, msg)
            return
        except OSError as exc:
            self.app.call_from_thread(self._refused, f"cannot write: {exc}")
            return
        except Exception as exc:  # keep the app alive
            self.app.call_from_thread(self._refused,
                                      f"could not write: {type(exc).__name__}: {exc}")
            return
        self.app.call_from_thread(self._decided, qid, what)

    def _refused(self, message: str) -> None:
        self.state = "planned"
        self._status(Text("Nothing written: " + one_line(message), style="bold"))
        self.refresh_bindings()

    def _start_decision(self, what: str) -> None:
        qid = self.current
        if qid is None or not self.check_action(
                "accept" if what == "accepted" else "keep_orphaned", ()):
            return
        self.state = "deciding"
        self._status(f"Writing: {qid} {what} ...")
        self.refresh_bindings()
        self.run_worker(lambda: self._decide(qid, what), thread=True, exclusive=True,
                        group="review")

    def action_accept(self) -> None:
        self._start_decision("accepted")

    def action_keep_orphaned(self) -> None:
        self._start_decision("kept")

    def action_review_step(self, step: int) -> None:
        """] / [: the next or previous quote to review (the screen's own list; n / N belong to
        the search)."""
        ol = self.query_one("#review-list", OptionList)
        if not ol.option_count:
            return
        cur = ol.highlighted if ol.highlighted is not None else -1
        ol.highlighted = max(0, min(ol.option_count - 1, cur + step))

    def action_skip(self) -> None:
        qid = self.current
        if qid is not None and self.check_action("skip", ()):
            self._decided(qid, "skipped")

    def action_open_place(self) -> None:
        from ..syncing import review_item
        from .source_view import SourceScreen

        qid = self.current
        if qid is None or not self.check_action("open_place", ()):
            return
        it = review_item(self.report, qid)
        self.app.push_screen(SourceScreen(self.data, it.source, None, at=it.at))

    def _wrote(self) -> None:
        self.state = "written"
        self.written = True
        rep = self.report
        msg = f"Wrote {one_line(str(rep.written))}" if rep.written else "Nothing was written"
        if rep.backup:
            msg += f" (backup: {one_line(str(rep.backup))})"
        self._status(Text(msg + ". The dashboard reloads. Escape closes.", style="bold"))
        self.refresh_bindings()
        if self.on_written is not None:
            self.on_written()

    def _failed(self, message: str) -> None:
        self.state = "failed"
        self._status(Text(one_line(message), style="bold"))
        self.refresh_bindings()

    # ---- actions -------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        rep = self.report
        if action == "write":
            return (self.state == "planned" and rep is not None and rep.written is None
                    and bool(rep.changed or rep.dropped))
        if action in ("accept", "keep_orphaned", "skip", "open_place"):
            qid = self.current
            if self.state != "planned" or qid is None:
                return False
            if action == "open_place":
                from ..syncing import review_item

                return self.data is not None and review_item(rep, qid).at is not None
            if self.decided.get(qid) in ("accepted", "kept"):
                return False
            if action == "accept":
                return bool(rep.anchors[qid].found) and rep.statuses.get(qid) in (
                    FUZZY, AMBIGUOUS)
        return True

    def action_write(self) -> None:
        if not self.check_action("write", ()):
            return
        self.state = "writing"
        self._status("Writing the anchors file ...")
        self.refresh_bindings()
        self.run_worker(self._write, thread=True, exclusive=True, group="sync")

    def action_close(self) -> None:
        if self.state in ("writing", "deciding"):
            self.notify("Writing the anchors file: a moment.", timeout=2)
            return
        self.dismiss(self.written)
