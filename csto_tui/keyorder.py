"""Keys in order: each key (or paste) is handled before the next one is handed out.

Textual hands a key to the focused widget by posting it to that widget's queue; a key the
widget does not use then bubbles up, queue by queue, to the app, which runs the bindings (the
focused widget's, its screen's, the app's). Meanwhile the app goes on handing out the keys
that came with it. Keys typed one at a time never notice; keys that arrive together (over SSH,
``tmux send-keys``, a burst the driver frames as a paste, see :mod:`csto_tui.driver`) do: in a
form, ``path Down title`` put the title into the path's field (the Down reached the app, which
moved the focus, after the title's keys had already been handed to the path's field), and a
Backspace deleted a character typed after it.

:class:`KeyOrder` holds each key or paste that comes while one is still on its way, and hands
it out once the one before has been handled: it has been through every queue it can bubble to
(each widget from the one it was handed to up to the app has handled what was queued before a
callback of ours queued after it). When a key opened or closed a screen, the next one waits
until that screen has been drawn once (its ``on_mount`` has focused its first field), so keys
typed right after ``A`` or ``/`` reach the form's field or the search box. A key that went
nowhere (its widget removed meanwhile) holds nothing up for more than :data:`STUCK_S`.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from textual import events

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode
    from textual.screen import Screen

#: Seconds after which a key still on its way no longer holds back the keys after it.
STUCK_S = 1.0


class KeyOrder:
    """The app's keys and pastes, one at a time (see the module). ``dispatch`` is Textual's
    own handling of an input event (``App.on_event``)."""

    def __init__(self, app: App[Any], dispatch: Callable[[events.Event], Awaitable[None]]) -> None:
        self.app = app
        self.dispatch = dispatch
        #: keys and pastes that came while one was on its way, in order
        self.held: deque[events.Event] = deque()
        #: the one on its way (its number; 0: none)
        self.on_way = 0
        self.sent_at = 0.0
        self.numbered = 0
        self.watching = False

    @staticmethod
    def takes(event: events.Event) -> bool:
        """A key or a paste from the terminal (not one already handed to a widget)."""
        return isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded

    async def take(self, event: events.Event) -> None:
        if self.on_way:
            self.held.append(event)
            if not self.watching:
                self.watching = True
                self.app.set_timer(STUCK_S, self.watch)
            return
        await self.send(event)

    async def send(self, event: events.Event) -> None:
        self.numbered += 1
        number = self.on_way = self.numbered
        self.sent_at = time.monotonic()
        screen = self.current_screen()
        target: DOMNode | None = self.app.focused or screen
        try:
            await self.dispatch(event)
        finally:
            if target is None:
                await self.done(number)
            else:
                self.after(target, screen, number)

    def current_screen(self) -> Screen[Any] | None:
        try:
            return self.app.screen
        except Exception:  # no screen (starting or closing): nothing to wait for
            return None

    def after(self, node: DOMNode, screen: Screen[Any] | None, number: int) -> None:
        """Once ``node`` has handled what is queued on it now, go on to its parent."""
        if not node.call_later(self.handled, node, screen, number):
            self.handled(node, screen, number)  # closed: nothing more comes from it

    def handled(self, node: DOMNode, screen: Screen[Any] | None, number: int) -> None:
        if number != self.on_way:
            return
        parent = node.parent
        if parent is not None:
            self.after(parent, screen, number)
            return
        now = self.current_screen()
        if now is not None and now is not screen:  # a screen opened or closed: drawn once
            if now.call_after_refresh(self.drawn, number):
                return
        self.app.call_later(self.done, number)

    def drawn(self, number: int) -> None:
        """The new screen has been drawn: what its mount queued on the app (its focus) first."""
        if not self.app.call_later(self.done, number):
            self.on_way = 0

    async def done(self, number: int) -> None:
        if number != self.on_way:
            return
        self.on_way = 0
        if self.held:
            await self.send(self.held.popleft())

    async def watch(self) -> None:
        """A key on its way for :data:`STUCK_S` holds nothing back any more."""
        self.watching = False
        if not self.on_way:
            return
        if time.monotonic() - self.sent_at >= STUCK_S:
            self.on_way = 0
            while self.held and not self.on_way:
                await self.send(self.held.popleft())
        if self.held:
            self.watching = True
            self.app.set_timer(STUCK_S, self.watch)


def keys_waiting(app: App[Any]) -> bool:
    """More keys or pastes have come and wait for the one on its way (a burst is coming in):
    work done once per burst (a search for what the box holds) can wait for the rest."""
    order = getattr(app, "key_order", None)
    return isinstance(order, KeyOrder) and bool(order.held)
