"""The key line at the bottom of every screen: the keys that work now, in one widget.

textual's Footer is a container of one widget per key, rebuilt (removed, mounted, styled and
laid out again) whenever the bindings may have changed: at start-up twice, and once after
each focus change. The dashboard shows nine keys; those ten widgets cost more of the first
screen than the four panes' content. This footer is one widget that renders one line of text
from the screen's active bindings, and repaints only when the keys it shows change.

Like textual's Footer it shows each action once (its first key), dims keys that are disabled
just now, keeps the command palette's key at the right edge, and runs a key when it is
clicked. Colours: ``KeysFooter`` and its component classes in app.tcss.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.widget import Widget

from ..keys import key_label
from ..textsafe import ellipsis

if TYPE_CHECKING:
    from textual.screen import Screen

#: (key, shown as, description, enabled, the app's own key) of each key shown
Keys = tuple[tuple[str, str, str, bool, bool], ...]


class KeysFooter(Widget, can_focus=False):
    """One line: the active bindings' keys and descriptions, the palette key on the right."""

    COMPONENT_CLASSES = {"keys-footer--key", "keys-footer--description"}
    ALLOW_SELECT = False
    # where it sits (on any screen, in any app); its colours are in app.tcss
    DEFAULT_CSS = """
    KeysFooter {
        dock: bottom;
        height: 1;
    }
    KeysFooter > .keys-footer--key {
        text-style: bold;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._keys: Keys = ()
        self._palette: Keys = ()
        #: (first column, last column + 1, key) of each key drawn, for clicks
        self._spans: list[tuple[int, int, str]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._update_keys()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen:
            self._update_keys()

    def _update_keys(self) -> None:
        app = self.app
        active = self.screen.active_bindings
        keys: list[tuple[str, str, str, bool, bool]] = []
        actions: set[str] = set()
        palette: Keys = ()
        for key, (node, binding, enabled, _tooltip) in active.items():
            if key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                palette = ((binding.key, key_label(binding), binding.description,
                            enabled, True),)
                continue
            if not binding.show or binding.action in actions:
                continue
            actions.add(binding.action)
            keys.append((binding.key, key_label(binding), binding.description,
                         enabled, node is app))
        shown = tuple(keys)
        if (shown, palette) != (self._keys, self._palette):
            self._keys, self._palette = shown, palette
            self.refresh()

    @property
    def keys(self) -> list[str]:
        """The keys shown, left to right (the palette's last)."""
        return [k[0] for k in self._keys + self._palette]

    def render(self) -> Text:
        key_style = self.get_component_rich_style("keys-footer--key", partial=True)
        desc_style = self.get_component_rich_style("keys-footer--description", partial=True)
        width = self.size.width
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        spans: list[tuple[int, int, str]] = []

        def put(text: Text, keys: Keys) -> None:
            for key, display, description, enabled, _app in keys:
                start = text.cell_len
                text.append(display, key_style)
                if description:
                    text.append(" " + description, desc_style)
                if not enabled:
                    text.stylize("dim", start)
                spans.append((start, text.cell_len, key))
                text.append(" ")

        right = Text(no_wrap=True, end="")
        if self._palette:
            right.append("\u258f", desc_style + Style(dim=True))  # a faint rule before it
            palette_spans: list[tuple[int, int, str]] = []
            saved, spans = spans, palette_spans
            put(right, self._palette)
            spans = saved
            right.rstrip()
        room = max(0, width - right.cell_len)
        shown, cut = self.fitting(room)
        kept = [k for k in self._keys if k[0] in shown]
        put(line, tuple(k for k in kept if not k[4]))
        if cut:  # keys left out: marked where they would be; ? lists every key
            line.append(ellipsis() + " ", desc_style)
        put(line, tuple(k for k in kept if k[4]))
        line.rstrip()
        if line.cell_len > room:  # not even the app's own keys fit: cut, as a last resort
            line.truncate(room, overflow="ellipsis" if room else "crop")
            spans = [s for s in spans if s[1] <= room]
        if right:
            offset = room
            line.pad_right(room - line.cell_len)
            line.append_text(right)
            spans.extend((a + offset, b + offset, k) for a, b, k in palette_spans)
        self._spans = spans
        return line

    def fitting(self, room: int) -> tuple[set[str], bool]:
        """The keys shown in ``room`` cells, and whether some are left out: each key whole,
        never cut in two; the app's own keys (? lists every key, q quits) kept, the screen's
        in their order while they fit with an ellipsis marking the rest."""

        def cells(keys: Keys) -> int:
            return sum(cell_len(d) + (1 + cell_len(t) if t else 0) + 1 for _, d, t, _, _ in keys)

        if cells(self._keys) - 1 <= room:
            return {k[0] for k in self._keys}, False
        app_keys = tuple(k for k in self._keys if k[4])
        left = room - cells(app_keys) - cell_len(ellipsis()) - 1
        shown = {k[0] for k in app_keys}
        for key in self._keys:
            if key[4]:
                continue
            need = cells((key,))
            if need > left:
                break
            shown.add(key[0])
            left -= need
        return shown, True

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                event.stop()
                self.app.simulate_key(key)
                return
