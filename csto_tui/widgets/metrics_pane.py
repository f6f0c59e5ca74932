"""Pane 2: the selected state's dependencies on Russia (and others).

Each figure is drawn as a bar, the selected state's first, then the other states' values of
the same measure below it. Bars of the same unit share one scale starting at zero (percentages
run 0-100); figures of different units never share a scale. Yes/no dependencies are a
checklist. Each metric is one selectable row.
"""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import BindingType
from textual.message import Message

from ..dataset import Dataset
from ..details import metric_date, metric_when
from ..keys import METRICS
from ..model import Metric
from ..textsafe import plural, use_ascii
from .pane import Pane, Row
from .render import (
    bar,
    bar_value,
    comparison_key,
    metric_heading,
    relation_line,
    safe,
    short_value,
    tie_line,
)


class MetricsPane(Pane):
    BINDINGS: ClassVar[list[BindingType]] = [*METRICS]
    NUMBER = 2
    TITLE = "Dependencies"

    class OpenSources(Message):
        """Enter on a metric: look at its sources."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._dataset: Dataset | None = None
        self._state: str | None = None
        self._width = 0
        self._ascii = use_ascii()
        self._peers_of: Dataset | None = None
        self._peers: dict[tuple[str, str], list[Metric]] = {}
        self._scales: dict[str, float] = {}

    def show_state(self, ds: Dataset, state_id: str | None, keep: str | None = None) -> None:
        self._dataset = ds
        self._state = state_id
        self._fill(keep)

    def _fill(self, keep: str | None = None) -> None:
        ds, sid = self._dataset, self._state
        if ds is None:
            return
        st = ds.state(sid) if sid else None
        if st is None:
            self.set_subtitle("")
            self.show_message("No state selected")
            return
        ms = ds.metrics_of(st.id)
        figures = sorted((m for m in ms if m.is_figure), key=lambda m: (m.category, m.measure))
        ties = sorted((m for m in ms if not m.is_figure),
                      key=lambda m: (not m.present, m.category, m.measure))
        rels = ds.relations_of(st.id)
        self.set_subtitle(  # data: never markup (set_subtitle makes Content of it)
            f"{safe(st.name, 16)}: {plural(len(figures), 'figure')}, {len(ties)} yes/no"
            + (f", {plural(len(rels), 'relation')}" if rels else ""))
        if not ms and not rels:
            self.show_message(Text.assemble(("No dependencies recorded for ", "italic"),
                                            (safe(st.name), "italic")))
            return
        self._width = 0  # no figure built yet: the first one takes the pane's width then
        opts: list[Row] = [Row(partial(self._lazy_figure, ds, m), id=m.id)
                              for m in figures]
        opts += [Row(tie_line(m, ds), id=m.id) for m in ties]
        opts += [Row(relation_line(ds, r, st.id), id=r.id) for r in rels]
        self.set_rows(opts)
        if not self.highlight_id(keep):
            self.highlight_first()

    def _peer_table(self, ds: Dataset) -> tuple[dict[tuple[str, str], list[Metric]],
                                                  dict[str, float]]:
        """Figures grouped by what they measure (largest first) and each unit's scale, built
        once per dataset: a scan of every metric per figure stalls on big datasets."""
        if self._peers_of is not ds:
            groups: dict[tuple[str, str], list[Metric]] = {}
            scales: dict[str, float] = {}
            for x in ds.metrics:
                if x.is_figure:
                    key = comparison_key(x)
                    groups.setdefault(key, []).append(x)
                    scales[key[1]] = max(scales.get(key[1], 0.0), bar_value(x))
            for unit in scales:
                if unit.startswith("%"):
                    scales[unit] = 100.0  # a share is drawn out of the whole
            for peers in groups.values():
                peers.sort(key=lambda x: (-bar_value(x), x.state))
            self._peers = groups
            self._scales = scales
            self._peers_of = ds
        return self._peers, self._scales

    def _lazy_figure(self, ds: Dataset, m: Metric) -> Text:
        """A figure, built when first measured or shown: by then the pane has its width (a
        pane filled before the first layout is not built twice)."""
        if not self._width:
            self._width = max(30, self.width_for_rows or 50)
        return self._figure(ds, m, self._width)

    def _figure(self, ds: Dataset, m: Metric, width: int) -> Text:
        groups, scales = self._peer_table(ds)
        key = comparison_key(m)
        peers = groups.get(key) or [m]
        # one scale per unit, across every figure in that unit
        scale = scales.get(key[1], bar_value(m))
        shown = _window(peers, m)
        names = {x.state: safe(st.name if (st := ds.state(x.state)) else x.state)
                 for x in [m, *shown] if x is not None}
        name_w = min(14, max(len(n) for n in names.values()))
        vals = {x.id: short_value(x) for x in [m, *shown] if x is not None}
        val_w = max(len(v) for v in vals.values())
        # a peer's date, where it differs from the figure's, follows its value on its row
        whens = {x.id: f" ({safe(when)})" for x in shown
                 if x is not None and metric_date(x) != metric_date(m)
                 and (when := metric_when(x))}
        when_w = max(map(len, whens.values()), default=0)
        bar_w = max(4, min(40, width - name_w - val_w - when_w - 5))
        t = metric_heading(m, ds)

        def row(x: Metric) -> None:
            mine = x.id == m.id
            t.append("\n")
            t.append("> " if mine else "  ", "bold")
            t.append(safe(names[x.state], name_w).ljust(name_w), "bold" if mine else "")
            t.append(" ")
            t.append(bar(bar_value(x), scale, bar_w, self._ascii), "bold" if mine else "dim")
            t.append(" ")
            t.append(vals[x.id].rjust(val_w), "bold" if mine else "")
            if x.id in whens:
                t.append(whens[x.id], "dim")

        # the selected state's own bar first, then the others, largest first
        row(m)
        index = {x.id: i for i, x in enumerate(peers)}
        last = -1
        for x in shown:
            if x is None or x.id == m.id:
                continue
            at = index[x.id]
            gap = [y for y in peers[last + 1:at] if y.id != m.id]
            if gap:
                t.append("\n")
                t.append(f"  ... {len(gap):,} more", "dim")
            row(x)
            last = at
        rest = [y for y in peers[last + 1:] if y.id != m.id]
        if rest:
            t.append("\n")
            t.append(f"  ... {len(rest):,} more", "dim")
        return t

    def on_resize(self, event: events.Resize) -> None:
        super().on_resize(event)
        width = self.width_for_rows
        if (self._dataset is not None and width and self._width
                and max(30, width) != self._width):
            self._fill(self.record_id)  # figures were built for another width

    def action_open_sources(self) -> None:
        self.post_message(self.OpenSources())


#: A figure lists at most this many peers; beyond it, the top ones and those around the
#: selected state, with "... N more" lines between (only big datasets ever reach it).
MAX_PEERS = 30
TOP_PEERS = 10
AROUND = 4


def _window(peers: list[Metric], m: Metric) -> list[Metric | None]:
    """The peers to draw: all of them, or (over MAX_PEERS) the top TOP_PEERS, the AROUND
    neighbours on each side of ``m`` and the last one; None marks a gap."""
    n = len(peers)
    if n <= MAX_PEERS:
        return list(peers)
    try:
        at = next(i for i, x in enumerate(peers) if x.id == m.id)
    except StopIteration:
        at = 0
    keep = set(range(TOP_PEERS)) | set(range(max(0, at - AROUND), min(n, at + AROUND + 1)))
    keep.add(n - 1)
    out: list[Metric | None] = []
    last = -1
    for i in sorted(keep):
        if i > last + 1:
            out.append(None)
        out.append(peers[i])
        last = i
    return out
