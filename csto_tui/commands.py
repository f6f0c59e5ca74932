"""The command palette's "actions" provider: every key binding's action, by name.

The record provider (record_commands.py) sits beside this one and uses the search engine.
"""

from __future__ import annotations

from functools import partial
from typing import cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from .keys import APP, GROUPS, NAVIGATION, key_label

#: Pane group title -> the pane's widget id, for actions that live on a pane.
_PANE_IDS = {"1 States": "states", "2 Dependencies": "metrics", "3 Crises": "events",
             "4 Sources": "excerpts"}


def literal_help(text: str) -> str | None:
    """A hit's help shown as it is, never read as markup (a role from data such as
    "[/citation needed]", a key such as "["): the palette reads ``help`` with
    ``Content.from_markup``, which returns a :class:`Content` unchanged, so the text is handed
    over as Content (the parameter is typed ``str``: hence the cast)."""
    return cast(str, Content(text)) if text else None


def palette_actions() -> list[tuple[str, str, str, str | None]]:
    """(name, help, action, pane id or None) for every binding, each action once. An action
    without a pane carries its namespace: ``app.`` (the app's keys) or ``screen.`` (the
    dashboard's)."""
    out: list[tuple[str, str, str, str | None]] = []
    seen: set[str] = set()
    for group in GROUPS:
        if group.bindings is NAVIGATION:
            continue
        pane = _PANE_IDS.get(group.title)
        for b in group.bindings:
            action = b.action
            if action == "command_palette":
                continue
            if action.startswith("screen."):
                target = None
            elif pane is not None:
                target = pane
            else:
                action = ("app." if b in APP else "screen.") + action
                target = None
            if action in seen:
                continue
            seen.add(action)
            where = f" ({group.title} pane)" if target else ""
            out.append((b.description, f"key {key_label(b)}{where}", action, target))
    return out


class ActionsProvider(Provider):
    """Offers every dashboard action in the command palette."""

    def _run(self, action: str, pane: str | None) -> None:
        app = self.app
        if pane is None:
            app.call_later(app.run_action, action)
            return
        try:
            widget = app.query_one(f"#{pane}")
        except Exception:
            return
        widget.focus()
        app.call_later(app.run_action, action, widget)

    async def discover(self) -> Hits:
        for name, help_text, action, pane in palette_actions():
            yield DiscoveryHit(name, partial(self._run, action, pane),
                               help=literal_help(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, action, pane in palette_actions():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self._run, action, pane),
                          text=name, help=literal_help(help_text))
