"""What a record says, field by field, as plain text: one definition for the Sources pane, the
briefing and the Markdown export (the JSON export writes the same fields structured).

Each function returns plain strings (never markup); widgets wrap them in ``Text``. Who says a
thing is always said ("according to X") unless it is the article itself, and an inferred value
is always followed by :data:`~csto_tui.facts.INFERRED_MARK`.

Plain Python: this module never imports textual.
"""

from __future__ import annotations

from typing import Any

from .dataset import Dataset
from .facts import (
    AUTHOR,
    INFERRED_MARK,
    LINK_KINDS,
    RELATION_INVERSE,
    RELATION_KINDS,
    RESPONSE_CODES,
    RESPONSE_LABELS,
    RESPONSE_MARKERS,
    attribution_text,
    figure_text,
)
from .model import Conflict, Event, Metric, Quantity, Relation, Source, Span, State
from .values import _set, _Value
from .vocabulary import CONFLICT_KIND_LABELS, SPAN_LABELS


class Detail(_Value):
    """One line of what a record says: a label (``Actor``), the text, and the quotes behind it
    when they are not the record's own."""

    __slots__ = _fields = ("label", "text", "quotes")

    label: str
    text: str
    quotes: tuple[str, ...]

    def __init__(self, label: str, text: str, quotes: tuple[str, ...] = ()) -> None:
        _set(self, "label", label)
        _set(self, "text", text)
        _set(self, "quotes", quotes)


def name_of(ds: Dataset, rid: str) -> str:
    """The display name of a state or entity id (the id itself if it names nothing)."""
    if not rid or rid == AUTHOR:
        return ""
    rec = ds.get(rid)
    return str(getattr(rec, "name", "") or getattr(rec, "title", "") or rid)


def names(ds: Dataset, ids: tuple[str, ...]) -> str:
    return ", ".join(name_of(ds, i) for i in ids)


def inferred_of(rec: Any, field: str) -> str:
    """The reasoning when ``field`` of ``rec`` was inferred, else ""."""
    for key, why in getattr(rec, "inferred", ()):
        if key == field:
            return str(why)
    return ""


def mark(rec: Any, field: str, text: str) -> str:
    """``text`` followed by the inferred marker when the field was inferred."""
    return text + INFERRED_MARK if text and inferred_of(rec, field) else text


def footing(ds: Dataset, rec: Any) -> str:
    """``claim, according to Russia`` for a record, or "" for a fact the article states."""
    return attribution_text(getattr(rec, "stance", "fact"),
                            name_of(ds, getattr(rec, "claimant", AUTHOR)))


def field_footing(ds: Dataset, rec: Any, field: str) -> str:
    """The footing of one field: its own attribution if it has one, else ""."""
    for att in getattr(rec, "attributions", ()):
        if field in att.fields:
            return attribution_text(att.stance, name_of(ds, att.claimant))
    return ""


def with_footing(text: str, foot: str) -> str:
    return f"{text} ({foot})" if text and foot else text


def shown(ds: Dataset, rec: Any, field: str, text: str) -> str:
    """A field's text as shown: inferred marker, then its own footing."""
    return with_footing(mark(rec, field, text), field_footing(ds, rec, field))


# ---- dates ---------------------------------------------------------------------------------

def event_when(ds: Dataset, e: Event) -> str:
    """``5 Jan 2022 - Jan 2022 (a week)``; ``2021? (a few months after: Drills)``."""
    text = shown(ds, e, "date", e.date.display())
    if e.end is not None:
        text += " - " + shown(ds, e, "end", e.end.display())
    if e.duration is not None:
        text += f" ({shown(ds, e, 'duration', e.duration.display())})"
    rel = relative_text(ds, e)
    if rel:
        text += f" ({rel})"
    return text


def relative_text(ds: Dataset, e: Event) -> str:
    """``a few months after: Russian, Tajik and Uzbek drills``."""
    other = e.after or e.before
    if not other:
        return ""
    word = "after" if e.after else "before"
    off = e.offset.display() + " " if e.offset is not None else ""
    o = ds.get(other)
    title = getattr(o, "title", other)
    return f"{off}{word}: {title}"


def date_short(e: Event) -> str:
    """An event's date as every list shows it (the Crises pane's first column, the search's
    results, the timeline): at its real precision (``Jun 2010``, ``5 Jan 2022``), an inferred
    one marked."""
    return mark(e, "date", e.date.display())


# ---- events --------------------------------------------------------------------------------

def event_details(ds: Dataset, e: Event) -> list[Detail]:
    out: list[Detail] = [Detail("When", event_when(ds, e))]
    foot = footing(ds, e)
    if foot:
        out.append(Detail("Footing", foot))
    if e.actor or e.action is not None:
        who = shown(ds, e, "actor", names(ds, e.actor)) or "?"
        act = shown(ds, e, "action", e.action.display()) if e.action is not None else ""
        out.append(Detail("Actor", f"{who} - {act}" if act else who))
    resp = e.response_code
    finer = resp is not None and RESPONSE_CODES.get(resp.response) != resp.code
    if resp is not None and finer:
        # a code finer than its marker's word says more than the marker: show it
        out.append(Detail("CSTO", shown(ds, e, "response", f"{resp.marker} {resp.display()}")))
    elif field_footing(ds, e, "response") or inferred_of(e, "response"):
        # the marker's word, with who says it (or the inferred mark): the pane's marker and
        # the briefing's label alone would not say it is someone's claim
        word = e.response
        out.append(Detail("CSTO", shown(ds, e, "response", f"{RESPONSE_MARKERS[word]} "
                                        f"{RESPONSE_LABELS.get(word, word)}")))
    if e.location:
        out.append(Detail("Where", shown(ds, e, "location", name_of(ds, e.location))))
    if e.participants:
        out.append(Detail("Roles", "; ".join(
            mark(p, "role", f"{name_of(ds, p.who)} {p.role}") for p in e.participants)))
    for q in e.quantities:
        out.append(Detail("Number", quantity_text(ds, q), q.quotes))
    for link in e.links:
        o = ds.get(link.event)
        if not isinstance(o, Event):  # left out (facts only)
            continue
        label = LINK_KINDS.get(link.kind, (link.kind, link.kind))[0]
        note = f" ({link.note})" if link.note else ""
        out.append(Detail("Link", f"{label}: {o.title}{note}", link.quotes))
    for other, link in ds.links_to(e.id):
        label = LINK_KINDS.get(link.kind, (link.kind, link.kind))[1]
        out.append(Detail("Link", f"{label}: {other.title}"))
    out.extend(inferred_details(e))
    return out


def quantity_text(ds: Dataset, q: Quantity) -> str:
    """``about 2,500 troops``, ``more than 80 missiles (as of 11 Mar 2022; claim, according to
    a senior U.S. defense official)``."""
    fig = q.text()
    what = q.what if q.what and q.what != q.unit else ""
    text = f"{what}: {fig}" if what else fig
    text = mark(q, "value", text) if q.value is not None else mark(q, "magnitude", text)
    extra = []
    if q.as_of is not None:
        extra.append("as of " + mark(q, "as_of", q.as_of.display()))
    foot = footing(ds, q)
    if foot:
        extra.append(foot)
    return f"{text} ({'; '.join(extra)})" if extra else text


def inferred_text(key: str, why: str) -> str:
    """One of a record's ``inferred`` notes as the panes, the briefing and its export say it:
    the field in words, not its TOML key (``as_of`` -> ``as of``), then why."""
    return f"{key.replace('_', ' ')}: {why}"


def inferred_details(rec: Any) -> list[Detail]:
    return [Detail("Inferred", inferred_text(key, why))
            for key, why in getattr(rec, "inferred", ())]


# ---- metrics, relations, spans -------------------------------------------------------------

def metric_value(ds: Dataset, m: Metric) -> str:
    """``more than 26% of GDP (2020)``, ``billions USD (claim, according to observers)``."""
    if not m.is_figure:
        return "yes" if m.present else "no"
    when = metric_when(m)
    return metric_figure(ds, m) + (f" ({when})" if when else "")


def metric_figure(ds: Dataset, m: Metric) -> str:
    """A figure's value without its date: ``more than 26% of GDP``."""
    fig = figure_text(m.value, m.low, m.high, m.qualifier, m.magnitude, m.unit, m.currency)
    key = "value" if m.value is not None else ("magnitude" if m.magnitude else "low")
    return shown(ds, m, key, fig)


def metric_date(m: Metric) -> str:
    """When a figure holds, as its date says it: ``2020``, ``Jun 2010``; "" if undated."""
    return m.as_of.display() if m.as_of is not None else (str(m.year) if m.year else "")


def metric_when(m: Metric) -> str:
    """:func:`metric_date`, an inferred date marked: ``2020``, ``2020?``."""
    when = metric_date(m)
    return mark(m, "as_of", when) if when else ""


def series_text(m: Metric) -> str:
    """``2019: 28, 2020: more than 26`` (the metric's unit once, after the list)."""
    parts = []
    for p in sorted(m.series, key=lambda p: p.as_of.sort_key()):
        fig = figure_text(p.value, p.low, p.high, p.qualifier, p.magnitude)
        parts.append(f"{mark(p, 'as_of', p.as_of.display())}: {mark(p, 'value', fig)}"
                     + (f" ({p.stance})" if p.stance != "fact" else ""))
    return ", ".join(parts)


def metric_details(ds: Dataset, m: Metric) -> list[Detail]:
    out = [Detail("Value", metric_value(ds, m))]
    foot = footing(ds, m)
    if foot:
        out.append(Detail("Footing", foot))
    if m.series:
        unit = f" ({m.unit or m.currency})" if (m.unit or m.currency) else ""
        out.append(Detail("Series", series_text(m) + unit))
    if m.counterpart:
        out.append(Detail("On", shown(ds, m, "counterpart", name_of(ds, m.counterpart))))
    out.extend(inferred_details(m))
    return out


def relation_text(ds: Dataset, r: Relation, seen_from: str | None = None) -> str:
    """``Tajikistan hosts a base of Russia via Russian 201st military base (since 1990s?)``;
    seen from ``r.to`` for a directed kind: ``Russia has a base in Tajikistan ...``."""
    label, symmetric = RELATION_KINDS.get(r.kind, (r.kind, False))
    a, b = r.from_, r.to
    if seen_from is not None and seen_from == r.to:
        if symmetric:
            a, b = r.to, r.from_
        else:
            label = RELATION_INVERSE.get(r.kind, label)
            a, b = r.to, r.from_
    text = f"{name_of(ds, a)} {label} {name_of(ds, b)}"
    if r.purpose:
        text += " for " + shown(ds, r, "for", r.purpose)
    if r.via:
        text += " via " + shown(ds, r, "via", name_of(ds, r.via))
    span = []
    if r.since is not None:
        span.append("since " + shown(ds, r, "since", r.since.display()))
    if r.until is not None:
        span.append("until " + shown(ds, r, "until", r.until.display()))
    if span:
        text += f" ({', '.join(span)})"
    return with_footing(text, footing(ds, r))


def relation_details(ds: Dataset, r: Relation) -> list[Detail]:
    out = [Detail("Relation", relation_text(ds, r))]
    if r.summary:
        out.append(Detail("Summary", r.summary))
    out.extend(inferred_details(r))
    return out


def span_text(ds: Dataset, sp: Span) -> str:
    """``Withdrawn 1999 - 2006``, ``Observer unknown start - present (in CSTO Parliamentary
    Assembly)``."""
    start = "unknown start" if not sp.start.known else sp.start.display()
    end = sp.end.display() if sp.end is not None else "present"
    label = SPAN_LABELS.get(sp.kind, sp.kind)
    text = f"{label[0].upper()}{label[1:]} {mark(sp, 'from', start)} - {mark(sp, 'to', end)}"
    extra = []
    if sp.body:
        extra.append("in " + name_of(ds, sp.body))
    if sp.note:
        extra.append(sp.note)
    foot = footing(ds, sp)
    if foot:
        extra.append(foot)
    return f"{text} ({'; '.join(extra)})" if extra else text


# ---- conflicts, sources --------------------------------------------------------------------

def conflict_heading(c: Conflict) -> str:
    """``Sources differ (contradiction): When the treaty was signed``."""
    kind = f" ({CONFLICT_KIND_LABELS.get(c.kind, c.kind)})" if c.kind else ""
    return f"Sources differ{kind}: {c.topic}"


def source_details(s: Source) -> str:
    """``csto-tui tests, en, retrieved 20 Mar 2022: synthetic text written for the tests``."""
    parts = [p for p in (s.publisher, s.language) if p]
    if s.retrieved is not None:
        parts.append("retrieved " + s.retrieved.display())
    if s.url:
        parts.append(s.url)
    text = ", ".join(parts)
    if s.reliability:
        text = f"{text}: {s.reliability}" if text else s.reliability
    return text


def state_details(ds: Dataset, st: State) -> list[Detail]:
    """A state's membership spans (as legal states) and its relations."""
    out = [Detail("Membership", span_text(ds, sp), sp.quotes) for sp in st.membership]
    out += [Detail("Relation", relation_text(ds, r, st.id), r.quotes)
            for r in ds.relations_of(st.id)]
    out.extend(inferred_details(st))
    return out


def conflict_details(ds: Dataset, c: Conflict) -> list[Detail]:
    out = [Detail("Differ", conflict_heading(c))]
    for r in c.readings:
        q = ds.quote(r.quote)
        out.append(Detail(q.source if q is not None else "?", r.says, (r.quote,)))
    if c.note:
        out.append(Detail("Reading", c.note))
    return out
