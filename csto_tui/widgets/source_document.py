"""The text of a source document as a scrollable, keyboard-selectable widget (Line API).

The document is drawn with the Line API (a :class:`~textual.scroll_view.ScrollView`): it is cut
into blocks at line ends (very long lines into pieces of at most ``BLOCK_CHARS``), and a block
is wrapped only when it comes into view. Small documents are wrapped up front so the scroll bar
is exact; large ones (megabytes) start from an estimate of each block's height that is
corrected as blocks are drawn, so opening a 50 MB document does not hang.

Text from the source is never markup: each slice goes through :func:`textsafe.visible` into a
:class:`rich.text.Text`, and passages are styled by offset. The current passage is reverse +
bold, the other cited passages underline + bold (never colour alone); a quote whose anchor is
not exact carries an inline ``[fuzzy]`` (or other status) marker; a keyboard selection
(:mod:`csto_tui.selection`) is reverse + italic. Used by the source view and the coverage view.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..dataset import Dataset
from ..textsafe import one_line, visible
from ..vocabulary import EXACT, ORPHANED, SOURCE, UNANCHORED

if TYPE_CHECKING:

    pass

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
        return self.status == EXACT


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
        status = statuses.get(qid) or (a.review or EXACT)
        if status in (ORPHANED, SOURCE, UNANCHORED):
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
