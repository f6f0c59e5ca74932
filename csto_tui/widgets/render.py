"""Turning records into rich Text for the panes (no widgets here, no markup ever).

Every string that comes from the dataset or a source goes through :func:`safe` (control
characters made visible, one line) and is appended to a :class:`rich.text.Text` as plain text,
so ``[bold]`` in a role or an escape sequence in a source is shown literally.
"""

from __future__ import annotations

from rich.text import Text

from .. import citation as cite
from .. import details
from ..anchoring import quote_span as anchored_span
from ..dataset import Dataset
from ..facts import figure_text
from ..model import Metric, Quote, Relation
from ..textsafe import ellipsis, one_line, visible

#: Style of the quoted passage inside its context: bold + underline, never colour alone.
QUOTE_STYLE = "bold underline"
CONTEXT_STYLE = "dim"
#: How much surrounding source text to show on each side of a quote.
CONTEXT_CHARS = 100

_SHORT_QUALIFIERS = {
    "more than": ">", "over": ">", "above": ">", "in excess of": ">",
    "less than": "<", "under": "<", "below": "<", "fewer than": "<",
    "at least": ">=", "at most": "<=", "up to": "<=",
    "roughly": "~", "about": "~", "around": "~", "approximately": "~", "nearly": "~",
    "almost": "~", "some": "~", "an estimated": "~", "estimated": "~", "close to": "~",
}


def safe(text: str, width: int | None = None) -> str:
    """A data string made printable on one line (control characters visible), cut to
    ``width`` with the ellipsis mark only when it is longer (textsafe's ``one_line``)."""
    return one_line(text or "", width)


def bar(value: float, scale: float, width: int, ascii_only: bool = False) -> str:
    """A horizontal bar of ``value`` on a scale where ``scale`` fills ``width`` cells."""
    if width <= 0:
        return ""
    frac = 0.0 if scale <= 0 else max(0.0, min(1.0, value / scale))
    if ascii_only:
        n = round(frac * width)
        if value > 0 and n == 0:
            n = 1
        return ("#" * n).ljust(width)
    eighths = round(frac * width * 8)
    if value > 0 and eighths == 0:
        eighths = 1
    full, rest = divmod(eighths, 8)
    partial = " ▏▎▍▌▋▊▉"[rest] if rest else ""
    return ("█" * full + partial).ljust(width)


def short_value(m: Metric) -> str:
    """A figure in a few characters for comparison columns: ``>26%``, ``~31%``, ``24-31%``,
    ``billions``."""
    if not m.is_figure:
        return "yes" if m.present else "no"
    pct = "%" if m.unit.strip().startswith("%") else ""
    if m.value is None:
        return figure_text(None, m.low, m.high, magnitude=m.magnitude) + (
            pct if not m.magnitude else "")
    v = m.value
    num = f"{int(v)}" if float(v).is_integer() else f"{v:g}"
    q = _SHORT_QUALIFIERS.get(m.qualifier.strip().lower(), "") if m.qualifier else ""
    if m.qualifier and not q:
        q = "~"
    return f"{q}{num}{pct}"


def bar_value(m: Metric) -> float:
    """The length a figure's bar stands for: its value, else the top of its range."""
    if m.value is not None:
        return m.value
    return m.high if m.high is not None else (m.low or 0.0)


def comparison_key(m: Metric) -> tuple[str, str]:
    """Metrics compare with each other when they measure the same thing in the same unit."""
    return (" ".join(m.measure.lower().split()), " ".join(m.unit.lower().split()))


def metric_heading(m: Metric, ds: Dataset | None = None) -> Text:
    """``Remittances from Russia (2020): more than 26% of GDP``, who says it when it is not
    the article (``according to X``), an inferred value marked ``?``. The date goes with the
    measure, not after the value: at the end, the pane's wrapping left it alone on a line."""
    t = Text()
    t.append(safe(m.measure), "bold")
    if m.is_figure:
        when = details.metric_when(m) if ds is not None else ""
        if when:
            t.append(f" ({safe(when)})")
        t.append(": ")
        t.append(safe(details.metric_figure(ds, m) if ds is not None else m.value_text()))
    elif m.year:
        t.append(f" ({m.year})")
    foot = details.footing(ds, m) if ds is not None else ""
    if foot:
        t.append(f" ({safe(foot)})", "italic")
    if m.series:
        t.append("\n  series: ", "dim")
        t.append(safe(details.series_text(m)), "dim")
    return t


def tick(present: bool) -> str:
    """The mark of a yes/no dependency: words, not ``[n]`` (which reads as a footnote)."""
    return "[yes] " if present else "[no]  "


def tie_line(m: Metric, ds: Dataset | None = None) -> Text:
    """``[yes] Russian military base (2022): detail`` for a yes/no dependency."""
    t = Text()
    t.append(tick(m.present), "bold")
    t.append(safe(m.measure))
    when = details.metric_when(m)
    if when:
        t.append(f" ({safe(when)})")
    foot = details.footing(ds, m) if ds is not None else ""
    if foot:
        t.append(f" ({safe(foot)})", "italic")
    if m.detail:
        t.append(": ")
        t.append(safe(m.detail), CONTEXT_STYLE)
    return t


def relation_line(ds: Dataset, r: Relation, seen_from: str) -> Text:
    """``<> Tajikistan hosts a base of Russia via ... (since 1990s?)``: one relation of the
    state, read from its side."""
    t = Text()
    t.append("<> ", "bold")
    t.append(safe(details.relation_text(ds, r, seen_from)))
    return t


def quote_span(ds: Dataset, q: Quote) -> tuple[int, int] | None:
    """Where a quote sits in its source text now, as best we know (no I/O): the one rule of
    :func:`csto_tui.anchoring.quote_span`, which search uses too."""
    return anchored_span(q, ds.texts.get(q.source), ds.anchors.get(q.id))


def quote_in_context(ds: Dataset, q: Quote, chars: int = CONTEXT_CHARS) -> Text:
    """The quote inside ±``chars`` of its source text, the quote itself bold+underlined."""
    text = ds.texts.get(q.source)
    span = quote_span(ds, q)
    t = Text()
    if text is None or span is None:
        t.append("\u201c")
        t.append(visible(q.text, keep_newlines=False), QUOTE_STYLE)
        t.append("\u201d")
        return t
    start, end = span
    lo = max(0, start - chars)
    hi = min(len(text), end + chars)
    # snap to word boundaries so the context does not start or end mid-word
    if lo > 0:
        sp = text.find(" ", lo, start)
        lo = sp + 1 if sp >= 0 else lo
    if hi < len(text):
        sp = text.rfind(" ", end, hi)
        hi = sp if sp >= 0 else hi
    before = _squash(visible(text[lo:start], keep_newlines=False))
    quote = _squash(visible(text[start:end], keep_newlines=False))
    after = _squash(visible(text[end:hi], keep_newlines=False))
    if lo > 0:
        t.append("\u2026", CONTEXT_STYLE)
    t.append(before, CONTEXT_STYLE)
    t.append(quote, QUOTE_STYLE)
    t.append(after, CONTEXT_STYLE)
    if hi < len(text):
        t.append("\u2026", CONTEXT_STYLE)
    return t


def _squash(s: str) -> str:
    """Collapse runs of spaces (from newlines) without trimming the ends."""
    out = []
    prev_space = False
    for ch in s:
        if ch == " ":
            if not prev_space:
                out.append(ch)
            prev_space = True
        else:
            out.append(ch)
            prev_space = False
    return "".join(out)


def citation(ds: Dataset, qid: str) -> str:
    """The quote with its citation, for the clipboard (see :mod:`csto_tui.citation`)."""
    return cite.quote_with_citation(ds, qid)


def fit(text: Text, width: int, mark: str | None = None) -> Text:
    """``text`` on one line of ``width`` cells: as it is when it fits, else cut with the
    ellipsis mark (only when it must be)."""
    if text.cell_len <= width:
        return text
    mark = ellipsis() if mark is None else mark
    if width <= len(mark):
        return Text(mark[:max(0, width)])
    out = text.copy()
    out.truncate(width - len(mark), overflow="crop")
    out.append(mark, "dim")
    return out
