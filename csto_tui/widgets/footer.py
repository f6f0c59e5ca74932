"""The dashboard's footer: textual's Footer, rebuilt only when the keys it shows change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen


class KeysFooter(Footer):
    """A :class:`~textual.widgets.Footer` that skips rebuilds which would show the same keys.

    textual's Footer rebuilds every key widget each time the screen's bindings may have
    changed. At start-up that signal comes twice in a row (the focus arrives on the state
    list, then the refresh that follows it) and each rebuild restyles every key: the second
    one, for the same keys, delayed the first full screen, and both came after it.
    """

    def __init__(self, *, compact: bool = False) -> None:
        super().__init__(compact=compact)
        self._shown: tuple[object, ...] | None = None

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            # call_later, not after the next refresh: at start-up the keys then come with the
            # first screen (and while the dataset loads), not in a repaint after it
            self.call_later(self._recompose_if_changed)

    def _keys(self) -> tuple[object, ...]:
        """Everything :meth:`Footer.compose` reads, as one comparable value."""
        app = self.app
        active = self.screen.active_bindings
        shown = tuple((b.key, app.get_key_display(b), b.description, b.action, b.group,
                       enabled, tooltip)
                      for (_, b, enabled, tooltip) in active.values() if b.show)
        palette = None
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            entry = active.get(app.COMMAND_PALETTE_BINDING)
            if entry is not None:
                _node, b, enabled, tooltip = entry
                palette = (b.key, app.get_key_display(b), b.description, b.tooltip, enabled,
                           tooltip)
        return (shown, palette, self.compact)

    async def _recompose_if_changed(self) -> None:
        if not self.is_attached:
            return
        keys = self._keys()
        if keys == self._shown:
            return
        self._shown = keys
        await self.recompose()
