"""Full-screen source document, scrolled to a quote, every cited passage highlighted.

The document is drawn with the Line API (a :class:`~textual.scroll_view.ScrollView`): it is cut
into blocks at line ends (very long lines into pieces of at most ``BLOCK_CHARS``), and a block
is wrapped only when it comes into view. Small documents are wrapped up front so the scroll bar
is exact; large ones (megabytes) start from an estimate of each block's height that is
corrected as blocks are drawn, so opening a 50 MB document does not hang.

Text from the source is never markup: each slice goes through :func:`textsafe.visible` into a
:class:`rich.text.Text`, and passages are styled by offset. The current passage is reverse +
bold, the other cited passages underline + bold (never colour alone); a quote whose anchor is
not exact carries an inline ``[fuzzy]`` (or other status) marker.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import Size
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Static

from .. import records
from ..dataset import Dataset
from ..selection import Selection, Words, describe
from ..shared import Shared
from ..textsafe import one_line, visible
from ..widgets.footer import KeysFooter

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..journal import Change
    from .search_screen import SearchSession

BLOCK_CHARS = 2000  # longest block: very long lines are cut into pieces
EAGER_CHARS = 400_000  # documents up to this size are wrapped in full up front
CACHE_BLOCKS = 4000  # wrapped blocks kept in memory

CURRENT_STYLE = Style(reverse=True, bold=True)
CITED_STYLE = Style(underline=True, bold=True)
#: The keyboard selection (``v``): reverse video, italic, so it differs from the current
#: passage (reverse + bold) even without colour.
SELECTION_STYLE = Style(reverse=True, italic=True)
MARKER_STYLE = Style(italic=True, bold=True)


@dataclass(frozen=True)
class Passage:
    quote_id: str
    start: int
    end: int
    status: str

    @property
    def exact(self) -> bool:
        return self.status == "exact"


def passages_of(ds: Dataset, source_id: str, statuses: dict[str, str] | None = None
                ) -> list[Passage]:
    """Every anchored quote of a source, in document order (unlocatable ones left out)."""
    statuses = statuses or {}
    text_len = len(ds.texts.get(source_id, ""))
    out = []
    for qid, a in ds.anchors.items():
        if a.source != source_id:
            continue
        q = ds.quote(qid)
        if q is not None and q.source != source_id:
            continue
        status = statuses.get(qid) or (a.review or "exact")
        if status in ("orphaned", "source", "unanchored"):
            continue
        start, end = a.start, a.end
        if a.review and a.found_start is not None and a.found_end is not None:
            start, end = a.found_start, a.found_end
        if not 0 <= start < end <= text_len:
            continue
        out.append(Passage(qid, start, end, status))
    out.sort(key=lambda p: (p.start, p.end, p.quote_id))
    return out


def split_blocks(text: str, max_chars: int = BLOCK_CHARS) -> list[tuple[int, int]]:
    """(start, end) of each line of ``text`` (newline excluded), long lines cut in pieces."""
    blocks: list[tuple[int, int]] = []
    n = len(text)
    pos = 0
    find, rfind = text.find, text.rfind
    while True:
        nl = find("\n", pos)
        end = n if nl == -1 else nl
        s = pos
        while end - s > max_chars:
            cut = rfind(" ", s + max_chars // 2, s + max_chars)
            cut = s + max_chars if cut == -1 else cut + 1
            blocks.append((s, cut))
            s = cut
        blocks.append((s, end))
        if nl == -1:
            return blocks
        pos = nl + 1


def _disp(s: str) -> str:
    return visible(s).replace("\t", "    ")


def line_starts(plain: str, lines: list[str]) -> list[int]:
    """Where each wrapped line starts in ``plain``: the lines are consecutive slices of it,
    less the whitespace and line ends that wrapping dropped between them."""
    starts = []
    pos = 0
    for line in lines:
        while pos < len(plain) and not plain.startswith(line, pos):
            pos += 1
        starts.append(pos)
        pos += len(line)
    return starts


@dataclass
class _Wrapped:
    strips: list[Strip]
    offsets: list[int]  # visible-text offsets where lines 2.. start
    starts: dict[int, int]  # passage index -> visible offset of its start in this block


class SourceDocument(ScrollView, can_focus=True):
    """A source document drawn lazily, line-wrapped to the widget's width."""

    DEFAULT_CSS = """
    SourceDocument {
        overflow-x: hidden;
        overflow-y: scroll;
    }
    """

    def __init__(self, text: str, passages: list[Passage], current: int = 0,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.text = text
        self.passages = passages
        self.current = current
        self._starts = [p.start for p in passages]
        self._longest = max((p.end - p.start for p in passages), default=0)
        self._blocks = split_blocks(text)
        self._block_starts = [b[0] for b in self._blocks]
        self._heights: list[int] = []
        self._tops: list[int] = [0]
        self._cache: OrderedDict[int, _Wrapped] = OrderedDict()
        self._width = 0
        self._dirty = False
        self._fix_pending = False
        self._pending_scroll = True
        #: [start, end) of the keyboard selection, drawn over the passages; None: none
        self.selection: tuple[int, int] | None = None

    # ---- geometry ----------------------------------------------------------------------
    @property
    def wrap_width(self) -> int:
        return max(self.scrollable_content_region.width - 1, 10)

    def _relayout(self) -> None:
        width = self.wrap_width
        self._width = width
        self._cache.clear()
        if len(self.text) <= EAGER_CHARS:
            self._heights = [len(self._wrap(i).strips) for i in range(len(self._blocks))]
        else:
            self._heights = [max(1, -(-(e - s) // width)) for s, e in self._blocks]
        self._retop()

    def _retop(self) -> None:
        tops = [0]
        acc = 0
        for h in self._heights:
            acc += h
            tops.append(acc)
        self._tops = tops
        self._dirty = False
        self.virtual_size = Size(self._width, acc)

    def on_resize(self) -> None:
        if self.wrap_width != self._width or not self._heights:
            self._relayout()
            self._pending_scroll = True
        if self._pending_scroll and self.size.height > 0:
            self._pending_scroll = False
            self.show_passage(self.current)
        self.refresh()

    # ---- wrapping ----------------------------------------------------------------------
    def _block_text(self, i: int) -> tuple[Text, dict[int, int]]:
        text = self.text
        bs, be = self._blocks[i]
        if be > bs and text[be - 1] == "\r":
            be -= 1
        lo = bisect_left(self._starts, bs - self._longest)
        hi = bisect_left(self._starts, be)
        hits = [(k, max(p.start, bs), min(p.end, be)) for k, p in
                enumerate(self.passages[lo:hi], lo) if p.end > bs and p.start < be]
        sel = self.selection
        picked = (max(sel[0], bs), min(sel[1], be)) if sel and sel[1] > bs and sel[0] < be \
            else None
        if not hits and picked is None:
            return Text(_disp(text[bs:be]), end=""), {}
        cuts = sorted({bs, be, *(h[1] for h in hits), *(h[2] for h in hits),
                       *(picked or ())})
        begins_here: dict[int, list[int]] = {}
        for k, s, _e in hits:
            if self.passages[k].start == s:
                begins_here.setdefault(s, []).append(k)
        out = Text(end="")
        vis_begin: dict[int, int] = {}
        vis_end: dict[int, int] = {}
        for a, b in zip(cuts, [*cuts[1:], None], strict=True):
            vis_end[a] = len(out)
            for k in begins_here.get(a, ()):
                p = self.passages[k]
                if not p.exact:
                    out.append(f"[{one_line(p.status)}]", style=MARKER_STYLE)
                    out.append(" ")
            vis_begin[a] = len(out)
            if b is not None:
                out.append(_disp(text[a:b]))
        starts: dict[int, int] = {}
        for k, s, e in sorted(hits, key=lambda h: h[0] == self.current):
            style = CURRENT_STYLE if k == self.current else CITED_STYLE
            out.stylize(style, vis_begin[s], vis_end[e])
            if self.passages[k].start == s:
                starts[k] = vis_begin[s]
        if picked is not None:
            out.stylize(SELECTION_STYLE, vis_begin[picked[0]], vis_end[picked[1]])
        return out, starts

    def _wrap(self, i: int) -> _Wrapped:
        hit = self._cache.get(i)
        if hit is not None:
            self._cache.move_to_end(i)
            return hit
        t, starts = self._block_text(i)
        width = self._width or self.wrap_width
        console = self.app.console
        if t.plain:
            lines = list(t.wrap(console, width, overflow="fold"))
            offsets = line_starts(t.plain, [line.plain for line in lines])[1:]
        else:
            offsets, lines = [], [t]
        strips = []
        for line in lines:
            line.rstrip()
            line.rstrip_end(width)
            strips.append(Strip(list(line.render(console))))
        w = _Wrapped(strips, offsets, starts)
        self._cache[i] = w
        if len(self._cache) > CACHE_BLOCKS:
            self._cache.popitem(last=False)
        if self._heights and len(strips) != self._heights[i]:
            self._heights[i] = len(strips)
            self._dirty = True
        return w

    def _fix_geometry(self) -> None:
        """Apply corrected block heights, keeping the first visible line where it is."""
        self._fix_pending = False
        if not self._dirty:
            return
        y = int(self.scroll_y)
        b = max(0, bisect_right(self._tops, y) - 1)
        within = y - self._tops[b]
        self._retop()
        if b < len(self._heights):
            new_y = self._tops[b] + min(within, self._heights[b] - 1)
            self.scroll_to(y=new_y, animate=False, immediate=True)
        self.refresh()

    # ---- Line API ----------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        style = self.rich_style
        line_y = int(self.scroll_y) + y
        if not self._heights or line_y >= self._tops[-1]:
            return Strip.blank(width, style)
        b = bisect_right(self._tops, line_y) - 1
        w = self._wrap(b)
        k = line_y - self._tops[b]
        if self._dirty and not self._fix_pending:
            self._fix_pending = True
            self.call_after_refresh(self._fix_geometry)
        if k >= len(w.strips):
            return Strip.blank(width, style)
        return w.strips[k].crop_extend(0, width, None).apply_style(style)

    # ---- passages ----------------------------------------------------------------------
    def line_of(self, pos: int, passage: int | None = None) -> int:
        """Virtual line of a character offset of the source (of a passage's start if given)."""
        if not self._heights:
            return 0
        b = max(0, bisect_right(self._block_starts, pos) - 1)
        w = self._wrap(b)
        if self._dirty:
            self._retop()
        if passage is not None and passage in w.starts:
            vis = w.starts[passage]
        else:
            bs = self._blocks[b][0]
            vis = len(_disp(self.text[bs:pos]))
        return self._tops[b] + bisect_right(w.offsets, vis)

    def _restyle(self, start: int, end: int) -> None:
        """Draw the blocks holding characters [start, end) again."""
        b0 = max(0, bisect_right(self._block_starts, start) - 1)
        b1 = max(0, bisect_right(self._block_starts, max(end - 1, start)) - 1)
        for b in range(b0, b1 + 1):
            self._cache.pop(b, None)

    def set_current(self, index: int) -> None:
        """Make passage ``index`` the current one (restyles the blocks it touches); -1: none."""
        old = self.current
        self.current = index
        for k in (old, index):
            if 0 <= k < len(self.passages):
                p = self.passages[k]
                self._restyle(p.start, p.end)
        self.refresh()

    def set_selection(self, span: tuple[int, int] | None) -> None:
        """Draw ``span`` (start, end) as the keyboard selection (None: no selection) and
        scroll so that its moving end stays in view."""
        old = self.selection
        self.selection = span
        for s in (old, span):
            if s is not None:
                self._restyle(*s)
        self.refresh()

    def scroll_to_offset(self, pos: int) -> None:
        """Scroll the least that brings character ``pos`` into view."""
        if not self._heights:
            return
        line = self.line_of(pos)
        top = int(self.scroll_y)
        height = max(self.scrollable_content_region.height, 1)
        if line < top:
            self.scroll_to(y=line, animate=False, immediate=True)
        elif line >= top + height:
            self.scroll_to(y=line - height + 1, animate=False, immediate=True)

    def top_offset(self) -> int:
        """The character offset of the first line in view."""
        if not self._heights:
            return 0
        y = int(self.scroll_y)
        b = max(0, bisect_right(self._tops, y) - 1)
        if b >= len(self._blocks):
            return len(self.text)
        w = self._wrap(b)
        k = y - self._tops[b]
        bs = self._blocks[b][0]
        if k <= 0 or not w.offsets:
            return bs
        vis = w.offsets[min(k, len(w.offsets)) - 1]
        # visible offsets count display characters: walk the block to the matching source one
        raw = bs
        shown = 0
        while shown < vis and raw < self._blocks[b][1]:
            shown += len(_disp(self.text[raw]))
            raw += 1
        return raw

    def set_passages(self, passages: list[Passage], current: int) -> None:
        """New passages (after a write): restyle everything, keep the scroll position."""
        self.passages = passages
        self.current = current
        self._starts = [p.start for p in passages]
        self._longest = max((p.end - p.start for p in passages), default=0)
        self._cache.clear()
        if self._heights:
            y = self.scroll_y
            self._relayout()
            self.scroll_to(y=y, animate=False, immediate=True)
        self.refresh()

    def show_passage(self, index: int) -> None:
        """Scroll so the passage's first line sits in the upper third of the view."""
        if not (0 <= index < len(self.passages)) or not self._heights:
            return
        height = max(self.scrollable_content_region.height, 1)
        # wrap the blocks around the passage first, so their heights are exact and the
        # view does not shift when they are drawn
        b = max(0, bisect_right(self._block_starts, self.passages[index].start) - 1)
        lines = 0
        k = b
        while k >= 0 and lines <= height:
            lines += len(self._wrap(k).strips)
            k -= 1
        lines = 0
        k = b + 1
        while k < len(self._blocks) and lines <= height:
            lines += len(self._wrap(k).strips)
            k += 1
        line = self.line_of(self.passages[index].start, index)
        target = max(0, line - height // 3)
        self.scroll_to(y=target, animate=False, immediate=True)
        self.refresh()


def describe_record(ds: Dataset, rec_id: str) -> tuple[str, str]:
    """(kind, title) of a record, for the "cited by" panel."""
    rec = ds.get(rec_id)
    if records.kind_of(rec) is None:
        return "record", rec_id
    return records.word(rec), records.title(ds, rec)


@dataclass(frozen=True)
class SearchStep:
    """What the article screen closes with when n / N asks for another search result."""

    step: int


#: What the article screen closes with: a record to go to, a search step, or nothing.
SourceResult = str | SearchStep | None


class SourceScreen(Screen[SourceResult]):
    """A source document with its cited passages; Enter returns to a citing record.

    ``]`` / ``[`` step through the document's own passages; ``n`` / ``N`` through the results
    of the search that led here (the screen closes and the dashboard shows the next result)."""

    CSS_PATH = "screens.tcss"

    BINDINGS = [
        # the keyboard selection, as an editor's visual mode: v starts it at the current
        # passage (or the top of the view), the keys below move its moving end
        Binding("escape", "drop_selection", "Drop selection", id="source_select_drop",
                tooltip="Drop the selection (the article stays open)"),
        Binding("c", "cite", "Cite", id="source_cite",
                tooltip="Cite the selection: a new quote for an existing record or a new "
                        "record of any kind (a form)"),
        Binding("u", "uncited", "Uncited", id="source_uncited",
                tooltip="Mark the selection as deliberately uncited, with a reason"),
        Binding("w", "extend('word', True)", "+word", id="source_select_word",
                tooltip="Selection: the moving end on by a word"),
        Binding("b", "extend('word', False)", "-word", id="source_select_word_back",
                show=False, tooltip="Selection: the moving end back by a word"),
        Binding("right_parenthesis", "extend('sentence', True)", "+sentence",
                id="source_select_sentence", key_display=")",
                tooltip="Selection: the moving end on to the end of a sentence"),
        Binding("left_parenthesis", "extend('sentence', False)", "-sentence",
                id="source_select_sentence_back", key_display="(", show=False,
                tooltip="Selection: the moving end back by a sentence"),
        Binding("right_curly_bracket", "extend('paragraph', True)", "+paragraph",
                id="source_select_paragraph", key_display="}", show=False,
                tooltip="Selection: the moving end on to the end of a paragraph"),
        Binding("left_curly_bracket", "extend('paragraph', False)", "-paragraph",
                id="source_select_paragraph_back", key_display="{", show=False,
                tooltip="Selection: the moving end back by a paragraph"),
        Binding("o", "swap_ends", "Other end", id="source_select_swap", show=False,
                tooltip="Selection: move the other end from now on (o then ) walks the "
                        "selection on)"),
        Binding("v", "select", "Select", id="source_select",
                tooltip="Start selecting text to cite, at the current passage or the top of "
                        "the view (Esc drops it)"),
        Binding("escape", "close", "Close", id="source_close"),
        Binding("enter", "choose", "Go to record", id="source_choose"),
        Binding("right_square_bracket,j", "passage(1)", "Next passage", id="source_next"),
        Binding("left_square_bracket,k", "passage(-1)", "Previous passage",
                id="source_previous"),
        Binding("n", "search_step(1)", "Next result", id="source_search_next",
                tooltip="The next result of the last search", show=False),
        Binding("N", "search_step(-1)", "Previous result", id="source_search_previous",
                tooltip="The previous result of the last search", show=False),
        Binding("right,tab", "citer(1)", "Next record", id="source_citer_next", priority=True,
                tooltip="The next record this passage backs"),
        Binding("left,shift+tab", "citer(-1)", "Previous record", id="source_citer_previous",
                priority=True, show=False, tooltip="The previous record this passage backs"),
        Binding("ctrl+z", "undo", "Undo last write", id="source_undo", show=False,
                tooltip="Undo the last write to the dataset"),
    ]

    #: the actions that need a selection (hidden from the key line without one)
    SELECTION_ACTIONS = frozenset({"extend", "swap_ends", "cite", "uncited",
                                   "drop_selection"})
    #: the actions hidden while selecting (the key line shows what the selection takes)
    BROWSING_ACTIONS = frozenset({"close", "choose", "citer", "search_step", "select"})
    #: the actions that act on the cited passages (not offered in an article without any)
    PASSAGE_ACTIONS = frozenset({"choose", "citer", "passage"})

    def __init__(self, data: Shared, source_id: str, quote_id: str | None = None,
                 at: tuple[int, int] | None = None, origin: str | None = None,
                 search: SearchSession | None = None,
                 on_written: Callable[[Change], None] | None = None, **kwargs: Any) -> None:
        """``at`` (start, end) opens the document at a span, e.g. a search hit in the text:
        the cited passage there if there is one, else the span itself, marked as a match.
        ``search``: the search this screen was reached from (n / N step through it).
        ``on_written``: told of each write made here (cite, uncited, undo), to reload the
        data at once (without it, the feed's polling picks the write up)."""
        super().__init__(**kwargs)
        self.on_written = on_written
        self.search = search
        self.data = data
        self.source_id = source_id
        self.quote_id = quote_id
        self.at = at
        #: The record the user came from: preselected among the quote's citers, so that
        #: Enter goes back to it.
        self.origin = origin
        self.passages: list[Passage] = []
        self.index = 0
        self.citer_index = 0
        self._missing_quote = False
        #: the keyboard selection (None: not selecting) over the words of the text
        self.selection: Selection | None = None
        self._words: Words | None = None

    @property
    def dataset(self) -> Dataset | None:
        return self.data.dataset

    @property
    def current(self) -> Passage | None:
        return self.passages[self.index] if self.passages else None

    @property
    def citers(self) -> tuple[str, ...]:
        ds, p = self.dataset, self.current
        return ds.citers(p.quote_id) if ds is not None and p is not None else ()

    @property
    def selected_record(self) -> str | None:
        c = self.citers
        return c[min(self.citer_index, len(c) - 1)] if c else None

    def compose(self) -> ComposeResult:
        ds = self.dataset
        statuses = dict(self.data.statuses)
        text = ds.texts.get(self.source_id, "") if ds is not None else ""
        if ds is not None:
            self.passages = passages_of(ds, self.source_id, statuses)
        ids = [p.quote_id for p in self.passages]
        if self.quote_id in ids:
            self.index = ids.index(self.quote_id)
        elif self.at is not None and self.quote_id is None:
            self.index = self._place_match(len(text))
        else:
            self.index = 0
            self._missing_quote = self.quote_id is not None
        yield Static(self._title(ds, text), id="source-title")
        yield SourceDocument(text, self.passages, self.index, id="source-doc")
        yield Static(id="source-panel")
        yield KeysFooter()

    def _place_match(self, text_len: int) -> int:
        """Index of the passage to open at ``self.at``: a cited one covering it, else a
        search-match passage inserted in document order."""
        assert self.at is not None
        s, e = self.at
        s = max(0, min(s, text_len))
        e = max(s + 1, min(e, text_len))
        for i, p in enumerate(self.passages):
            if p.start <= s and e <= p.end:
                return i
        match = Passage("", s, e, "match")
        i = bisect_left([(p.start, p.end) for p in self.passages], (s, e))
        self.passages.insert(i, match)
        return i

    def _title(self, ds: Dataset | None, text: str) -> Text:
        src = ds.source(self.source_id) if ds is not None else None
        t = Text(" SOURCE ", style="bold reverse")
        t.append(" ")
        if self.search is not None:
            t.append(f"[{self.search.status()}] ", style="bold")
        t.append(one_line(src.title if src else self.source_id), style="bold")
        extra = [one_line(self.source_id)]
        if src is not None and src.date is not None:
            extra.append(src.date.display())
        if src is not None and src.publisher:
            extra.append(one_line(src.publisher))
        t.append(f"  ({', '.join(extra)}; {len(self.passages)} cited passages)")
        if ds is not None and not text:
            t.append("  [source text unavailable]", style="bold")
        t.no_wrap = True
        t.overflow = "ellipsis"
        return t

    def on_mount(self) -> None:
        if self.origin in self.citers:
            self.citer_index = self.citers.index(self.origin)
        self.query_one(SourceDocument).focus()
        self._update_panel()
        if self._missing_quote:
            self.notify(f"Quote {one_line(self.quote_id or '')} cannot be located in this "
                        "source; showing its other passages.", severity="warning",
                        markup=False)

    @property
    def text(self) -> str:
        return self.query_one(SourceDocument).text

    @property
    def words(self) -> Words:
        if self._words is None:
            self._words = Words(self.text)
        return self._words

    @property
    def selected_span(self) -> tuple[int, int] | None:
        """[start, end) of the selection in the source's text (None: no selection)."""
        return self.selection.span(self.words) if self.selection is not None else None

    def _update_panel(self) -> None:
        panel = self.query_one("#source-panel", Static)
        ds = self.dataset
        p = self.current
        t = Text()
        span = self.selected_span
        if span is not None:
            t.append("Selected", style="bold reverse")
            t.append(" " + one_line(describe(self.text, *span)))
            t.append(f"  characters {span[0]}-{span[1]}\n")
            t.append("w/b word  )/( sentence  }/{ paragraph  o other end  Esc drop",
                     style="italic")
            panel.update(t)
            return
        if ds is None or p is None:
            t.append("No cited passages in this source.", style="italic")
            if ds is not None and self.text:
                t.append(" v selects text to cite (c) or to mark uncited (u).")
            panel.update(t)
            return
        if not p.quote_id:
            t.append("Search match", style="bold reverse")
            t.append(f"  characters {p.start}-{p.end}, not a cited passage. "
                     "] / [ move through the cited passages; Escape goes back.")
            panel.update(t)
            return
        t.append(f"Passage {self.index + 1}/{len(self.passages)}", style="bold")
        t.append(f"  {one_line(p.quote_id)}  characters {p.start}-{p.end}  ")
        if p.exact:
            t.append("[exact]")
        else:
            t.append(f"[{one_line(p.status)}]", style="bold reverse")
        t.append("\n")
        citers = self.citers
        if not citers:
            t.append("Cited by no record.", style="italic")
        else:
            t.append(f"Cited by {len(citers)}: ", style="bold")
            for i, rid in enumerate(citers):
                kind, title = describe_record(ds, rid)
                item = f"{kind}: {one_line(title, 40)}"
                if i == self.citer_index:
                    t.append(">" + item + "<", style="bold reverse")
                else:
                    t.append(" " + item + " ")
                if i < len(citers) - 1:
                    t.append(" ")
        panel.update(t)

    # ---- actions -----------------------------------------------------------------------
    def action_passage(self, step: int) -> None:
        if not self.passages:
            self.app.bell()
            return
        new = (self.index + step) % len(self.passages)
        self.index = new
        self.citer_index = 0
        doc = self.query_one(SourceDocument)
        doc.show_passage(new)
        if self.selection is not None:  # the selection starts again at that passage
            self.set_selection(Selection.word_at(self.words, self.passages[new].start))
            return
        doc.set_current(new)
        self._update_panel()

    def action_search_step(self, step: int) -> None:
        if self.search is None or not self.search.hits:
            self.notify("No search yet: press / on the dashboard to search", timeout=3)
            return
        self.dismiss(SearchStep(step))

    def action_citer(self, step: int) -> None:
        c = self.citers
        if len(c) < 2:
            return
        self.citer_index = (self.citer_index + step) % len(c)
        self._update_panel()

    def action_choose(self) -> None:
        rid = self.selected_record
        if rid is None:
            self.notify("No record cites this passage.", severity="warning", markup=False)
            return
        self.dismiss(rid)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_drop_selection(self) -> None:
        self.drop_selection()

    # ---- the keyboard selection --------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.SELECTION_ACTIONS:
            return self.selection is not None
        if action in self.BROWSING_ACTIONS:
            return self.selection is None and (bool(self.passages) or action not in
                                               self.PASSAGE_ACTIONS)
        if action in self.PASSAGE_ACTIONS:  # nothing to step through: not offered
            return bool(self.passages)
        return True

    def action_select(self) -> None:
        """v: a selection of one word, at the current passage if it is in view (the first
        sentence of a span opened as a match: an uncovered passage, a search hit), else at the
        top of the view."""
        doc = self.query_one(SourceDocument)
        if not len(self.words):
            self.notify("Nothing to select: the source text is empty or unavailable",
                        severity="warning", markup=False)
            return
        p = self.current
        if p is not None:
            line = doc.line_of(p.start)
            top = int(doc.scroll_y)
            if top <= line < top + doc.scrollable_content_region.height:
                if not p.quote_id:  # a span shown as a match (a search hit, an uncovered
                    # passage from the coverage view): its first sentence selected
                    self.set_selection(Selection.first_sentence(self.words, p.start, p.end))
                else:
                    self.set_selection(Selection.word_at(self.words, p.start))
                return
        self.set_selection(Selection.word_at(self.words, doc.top_offset()))

    def action_extend(self, unit: str, forward: bool) -> None:
        if self.selection is not None:
            self.set_selection(self.selection.move(self.words, unit, forward))

    def action_swap_ends(self) -> None:
        if self.selection is not None:
            self.set_selection(self.selection.swap())

    def set_selection(self, selection: Selection | None) -> None:
        """Show ``selection`` (None: none): highlighted in the text, said in the panel, its
        moving end scrolled into view; the current passage is not marked meanwhile."""
        was = self.selection
        self.selection = selection
        doc = self.query_one(SourceDocument)
        span = self.selected_span
        doc.set_selection(span)
        if (was is None) != (selection is None):
            doc.set_current(-1 if selection is not None else self.index)
            self.refresh_bindings()
        if selection is not None and span is not None:
            doc.scroll_to_offset(span[1] - 1 if selection.at_end else span[0])
        self._update_panel()

    def drop_selection(self) -> None:
        self.set_selection(None)

    # ---- writing: cite, uncited, undo ----------------------------------------------------
    def action_cite(self) -> None:
        """c: the cite form for the selection; once written, the new quote is the current
        passage."""
        self._write_form("cite")

    def action_uncited(self) -> None:
        """u: mark the selection as deliberately uncited (a reason picked from a list)."""
        self._write_form("uncited")

    def _write_form(self, which: str) -> None:
        from .cite_form import CiteScreen, UncitedScreen

        span = self.selected_span
        ds = self.data.loaded  # every record, never the facts-only view
        if span is None or ds is None:
            return
        if which == "cite":
            self.app.push_screen(CiteScreen(self.data.path, ds, self.source_id, *span),
                                 callback=lambda change: self.written(change, cited=True))
        else:
            self.app.push_screen(UncitedScreen(self.data.path, ds, self.source_id, *span),
                                 callback=self.written)

    def written(self, change: Change | None, cited: bool = False) -> None:
        """A form wrote ``change`` (None: cancelled, the selection stays): say what, drop the
        selection; ``cited``: its first id is the new quote, the current passage once the
        data is loaded again."""
        if change is None:
            return
        from .cite_form import announce

        announce(self, change)
        if cited and change.ids:
            self.quote_id = change.ids[0]
        self.drop_selection()
        if self.on_written is not None:
            self.on_written(change)

    def action_undo(self) -> None:
        from .cite_form import undo_last

        undo_last(self, self.data.path, self.on_written)

    def reloaded(self) -> None:
        """The data was loaded again (after a write): the passages anew, the current one kept
        (or the quote just written), the selection kept when the text is the same."""
        ds = self.dataset
        if ds is None:
            return
        doc = self.query_one(SourceDocument)
        if ds.text_of(self.source_id) != doc.text:
            return  # the article itself changed: its passages are for another text
        self.passages = passages_of(ds, self.source_id, dict(self.data.statuses))
        ids = [p.quote_id for p in self.passages]
        if self.quote_id in ids:
            self.index = ids.index(self.quote_id)
        else:
            self.index = min(self.index, max(len(self.passages) - 1, 0))
        self.citer_index = 0
        doc.set_passages(self.passages, -1 if self.selection is not None else self.index)
        if self.selection is None and self.passages:
            doc.show_passage(self.index)
        self.query_one("#source-title", Static).update(self._title(ds, doc.text))
        self._update_panel()
        self.refresh_bindings()  # the passage keys come and go with the passages
