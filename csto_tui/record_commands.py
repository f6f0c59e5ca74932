"""Command-palette provider for records: the same engine as `/`, next to the app's actions."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from .app import CstoApp
from .commands import literal_help
from .search import KIND_WORDS
from .textsafe import one_line


class RecordsProvider(Provider):
    """Offers states, entities, events, metrics, quotes and article passages by search; the
    chosen one is shown on the dashboard."""

    async def discover(self) -> Hits:
        app = self.app
        if not isinstance(app, CstoApp) or app.data.dataset is None:
            return
        for st in app.data.dataset.states_sorted():
            if st.status != "member":
                continue
            yield DiscoveryHit(
                Text.assemble(("state ", "dim"), one_line(st.name)),
                partial(app.dashboard.go_to_record, st.id),
                help=literal_help(one_line(st.role, 80)),
            )

    async def search(self, query: str) -> Hits:
        app = self.app
        if not isinstance(app, CstoApp):
            return
        index = app.data.search_index
        if index is None or not query.strip():
            return
        from .screens.search_screen import SearchSession

        hits = tuple(index.search(query, limit=20))
        for rank, h in enumerate(hits):
            label = Text.assemble((f"{KIND_WORDS.get(h.kind, h.kind)} ", "dim"),
                                  one_line(h.title, 90))
            # the chosen result starts a search n / N step through, as after `/`
            session = SearchSession(query, hits, rank)
            yield Hit(
                1.0 - rank / (len(hits) + 1),  # the palette sorts by score: keep the ranking
                label,
                partial(app.dashboard.follow_search, session),
                help=literal_help(one_line(h.context, 100)),
            )
