"""A state's briefing as structured lines with numbered footnotes (no textual).

The dashboard's briefing view and ``csto-tui export --format markdown`` both render the same
:class:`Briefing`, so what the room sees and what is written to a file never differ.
"""

from __future__ import annotations

from . import details, records
from .dataset import Dataset
from .facts import RESPONSE_LABELS, RESPONSE_MARKERS
from .model import Metric, State
from .textsafe import one_line
from .values import _Mutable, _set, _Value
from .vocabulary import EXACT, QUOTE_STATUSES, STATUS_LABELS


class Footnote(_Value):
    __slots__ = _fields = ("n", "quote", "source", "source_title", "start", "end", "text",
                           "status", "source_about")

    n: int
    quote: str
    source: str
    source_title: str
    start: int | None
    end: int | None
    text: str
    status: str
    #: the source's publisher, language, retrieval date, URL and reliability note
    source_about: str

    def __init__(
        self,
        n: int,
        quote: str,
        source: str,
        source_title: str,
        start: int | None,
        end: int | None,
        text: str,
        status: str = EXACT,
        source_about: str = "",
    ) -> None:
        _set(self, "n", n)
        _set(self, "quote", quote)
        _set(self, "source", source)
        _set(self, "source_title", source_title)
        _set(self, "start", start)
        _set(self, "end", end)
        _set(self, "text", text)
        _set(self, "status", status)
        _set(self, "source_about", source_about)


class Line(_Value):
    __slots__ = _fields = ("text", "notes", "marker", "depth")

    text: str
    notes: tuple[int, ...]
    marker: str
    #: 1 for a detail of the line above (an event's actor, roles, numbers...)
    depth: int

    def __init__(
        self,
        text: str,
        notes: tuple[int, ...] = (),
        marker: str = "",
        depth: int = 0,
    ) -> None:
        _set(self, "text", text)
        _set(self, "notes", notes)
        _set(self, "marker", marker)
        _set(self, "depth", depth)


class Section(_Mutable):
    __slots__ = _fields = ("title", "lines")

    title: str
    lines: list[Line]

    def __init__(self, title: str, lines: list[Line] | None = None) -> None:
        self.title = title
        self.lines = [] if lines is None else lines


class Briefing(_Mutable):
    __slots__ = _fields = ("state", "title", "subtitle", "sections", "footnotes", "shown")

    state: State
    title: str
    subtitle: str
    sections: list[Section]
    footnotes: list[Footnote]
    #: the ids of the records it shows (the state, its metrics, events, ...), in order
    shown: tuple[str, ...]

    def __init__(
        self,
        state: State,
        title: str,
        subtitle: str,
        sections: list[Section],
        footnotes: list[Footnote],
        shown: tuple[str, ...] = (),
    ) -> None:
        self.state = state
        self.title = title
        self.subtitle = subtitle
        self.sections = sections
        self.footnotes = footnotes
        self.shown = shown


class _Notes:
    def __init__(self, ds: Dataset, statuses: dict[str, str] | None) -> None:
        self.ds = ds
        self.statuses = statuses or {}
        self.by_quote: dict[str, int] = {}
        self.notes: list[Footnote] = []

    def cite(self, qids: tuple[str, ...]) -> tuple[int, ...]:
        out = []
        for qid in qids:
            n = self.by_quote.get(qid)
            if n is None:
                q = self.ds.quote(qid)
                if q is None:
                    continue
                src = self.ds.source(q.source)
                a = self.ds.anchors.get(qid)
                n = len(self.notes) + 1
                self.by_quote[qid] = n
                self.notes.append(Footnote(
                    n, qid, q.source, src.title if src else q.source,
                    a.start if a else None, a.end if a else None, q.text,
                    self.statuses.get(qid, EXACT),
                    details.source_details(src) if src is not None else "",
                ))
            out.append(n)
        return tuple(out)


def note_marks(notes: tuple[int, ...]) -> str:
    """Footnote numbers as one mark: `` [1]``, `` [1, 3]``, `` [1-6]`` (runs shortened), so a
    line cited six times does not end ``[1][2][3][4][5][6]``."""
    if not notes:
        return ""
    ns = sorted(set(notes))
    runs: list[str] = []
    i = 0
    while i < len(ns):
        j = i
        while j + 1 < len(ns) and ns[j + 1] == ns[j] + 1:
            j += 1
        runs.append(str(ns[i]) if j == i else
                    f"{ns[i]}, {ns[j]}" if j == i + 1 else f"{ns[i]}-{ns[j]}")
        i = j + 1
    return f" [{', '.join(runs)}]"


def metric_line(ds: Dataset, m: Metric) -> str:
    tick = ""
    if not m.is_figure:
        tick = "[yes] " if m.present else "[no] "
    detail = f": {m.detail}" if m.detail else ""
    val = f": {details.metric_value(ds, m)}" if m.is_figure else ""
    when = details.metric_when(m)
    if not m.is_figure and when:
        val = f" ({when})"
    foot = details.footing(ds, m)
    return f"{tick}{m.measure}{val}{detail}" + (f" ({foot})" if foot else "")


def _detail_lines(ds: Dataset, notes: _Notes, rec: object, skip: tuple[str, ...]) -> list[Line]:
    """The record's details (:mod:`csto_tui.details`) as lines under it."""
    k = records.kind_of(rec)
    if k is None or k.details is None:
        return []
    return [Line(f"{d.label}: {d.text}", notes.cite(d.quotes), depth=1)
            for d in k.details(ds, rec) if d.label not in skip]


def build(ds: Dataset, state_id: str, statuses: dict[str, str] | None = None) -> Briefing:
    st = ds.state(state_id)
    if st is None:
        raise KeyError(state_id)
    notes = _Notes(ds, statuses)
    sections: list[Section] = []

    status = Section("Status and membership")
    status.lines.append(Line(f"Status: {STATUS_LABELS.get(st.status, st.status)}",
                             notes.cite(st.quotes)))
    if st.role:
        status.lines.append(Line(st.role))
    for span in st.membership:
        status.lines.append(Line(details.span_text(ds, span), notes.cite(span.quotes)))
    for key, why in st.inferred:
        status.lines.append(Line(f"Inferred: {details.inferred_text(key, why)}", depth=1))
    if st.aliases:
        status.lines.append(Line("Also written: " + ", ".join(st.aliases)))
    sections.append(status)

    ms = ds.metrics_of(st.id)
    if ms:
        dep = Section("Dependencies")
        for m in sorted(ms, key=lambda m: (not m.is_figure, m.category, m.measure)):
            dep.lines.append(Line(metric_line(ds, m), notes.cite(m.quotes), m.category))
            dep.lines += _detail_lines(ds, notes, m, ("Value", "Footing"))
        sections.append(dep)

    evs = ds.events_of(st.id)
    if evs:
        cr = Section("Crises and events")
        for e in evs:
            marker = RESPONSE_MARKERS.get(e.response, "")
            label = RESPONSE_LABELS.get(e.response, e.response)
            title = details.shown(ds, e, "title", e.title)
            summary = details.shown(ds, e, "summary", e.summary)
            foot = details.footing(ds, e)
            text = f"{details.event_when(ds, e)}  {title} ({label})"
            text += (f": {summary}" if summary else "") + (f" ({foot})" if foot else "")
            cr.lines.append(Line(text, notes.cite(e.quotes), marker))
            cr.lines += _detail_lines(ds, notes, e, ("When", "Footing"))
        sections.append(cr)

    related = {st.id, *(m.id for m in ms), *(e.id for e in evs)}
    # every other kind that says so in the registry: its records that name the state
    for kind in records.kinds():
        if not kind.briefing:
            continue
        named = [r for r in ds.records_of(kind.name) if st.id in kind.references(r, "state")]
        if named:
            sec = Section(kind.briefing)
            for r in named:
                what = kind.describe(ds, r)
                sec.lines.append(Line(kind.title(ds, r) + (f": {what}" if what else ""),
                                      notes.cite(records.cited_quotes(r))))
                sec.lines += [Line(f"Inferred: {details.inferred_text(key, why)}", depth=1)
                              for key, why in getattr(r, "inferred", ())]
                related.add(getattr(r, "id", ""))
            sections.append(sec)

    cons = [c for c in ds.conflicts if related & set(c.records)]
    if cons:
        cs = Section("Where the sources differ")
        for c in cons:
            cs.lines.append(Line(details.conflict_heading(c)
                                 + (f" - {c.note}" if c.note else "")))
            for r in c.readings:
                cs.lines.append(Line(f"{c.topic}: {r.says}", notes.cite((r.quote,)), depth=1))
        sections.append(cs)

    shown = {st.id: None, **{m.id: None for m in ms}, **{e.id: None for e in evs}}
    shown.update((rid, None) for rid in sorted(related) if rid)
    shown.update((getattr(c, "id", ""), None) for c in cons)
    shown.pop("", None)
    sub = STATUS_LABELS.get(st.status, st.status)
    return Briefing(st, st.name, sub, sections, notes.notes, tuple(shown))


def to_markdown(briefings: list[Briefing], ds: Dataset) -> str:
    out: list[str] = []
    for b in briefings:
        out.append(f"# {md_text(b.title)}")
        out.append("")
        out.append(f"*{md_text(b.subtitle)}*")
        out.append("")
        for sec in b.sections:
            out.append(f"## {md_text(sec.title)}")
            out.append("")
            for line in sec.lines:
                refs = "".join(f"[^{b.state.id}-{n}]" for n in line.notes)
                marker = f"`{line.marker}` " if line.marker.startswith("[") else ""
                out.append(f"{'  ' * line.depth}- {marker}{md_text(line.text)}{refs}")
            out.append("")
        for fn in b.footnotes:
            pos = f", characters {fn.start}-{fn.end}" if fn.start is not None else ""
            quote = f"{status_label(fn.status)}\u201c{md_text(fn.text)}\u201d"
            about = f" ({md_text(fn.source_about)})" if fn.source_about else ""
            out.append(f"[^{b.state.id}-{fn.n}]: {quote} - {md_text(fn.source_title)}{about}"
                       f" ({fn.source}{pos})")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


#: What a quote's status means, printed right before a quote that is not exact.
STATUS_NOTES = {s.name: ("NEEDS REVIEW - " if s.review else "") + s.meaning
                for s in QUOTE_STATUSES if s.meaning}


def status_label(status: str) -> str:
    """``**[status: meaning]** `` for a quote that is not exact, "" for an exact one."""
    if status == EXACT:
        return ""
    return f"**\\[{STATUS_NOTES.get(status, status)}\\]** "


def md_text(s: str) -> str:
    """Plain text for Markdown: one line, control characters visible, markup neutralised."""
    return one_line(s).translate(_MD_ESCAPES)


#: Every character Markdown (CommonMark and GitHub's) may read as markup, backslash-escaped:
#: emphasis, code, links and images, raw HTML and entities, headings, tables, strikethrough.
_MD_ESCAPES = {ord(ch): "\\" + ch for ch in "\\`*_[]<>#|&~"}


def html_comment(s: str) -> str:
    """Plain text inside an HTML comment (``<!-- ... -->``): one line, control characters
    visible, and no ``--`` (which could end the comment early, or make it invalid)."""
    s = one_line(s)
    while "--" in s:
        s = s.replace("--", "- -")
    return s.strip("-> ")
