"""The csto-tui app: it picks the dashboard screen and holds what every screen shares.

Everything the dashboard does lives in :class:`~csto_tui.screens.dashboard.DashboardScreen`
(panes, keys, selection) and the :class:`~csto_tui.feed.DataFeed` it holds (loading, polling,
indexing); the data they share is a :class:`~csto_tui.shared.Shared`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import App
from textual.binding import BindingType

from .keymap import EXTRA_THEMES
from .keyorder import KeyOrder
from .keys import APP
from .screens.dashboard import DashboardScreen
from .shared import Shared
from .textsafe import plural
from .widgets.cursor import CURSOR_CSS

if TYPE_CHECKING:
    from textual.driver import Driver
    from textual.notifications import SeverityLevel

    from .errors import Problem
    from .settings import Settings


class CstoApp(App[None]):
    """csto-tui: member states, their dependence on Russia and the CSTO's crisis record."""

    TITLE = "csto-tui"
    CSS_PATH = "app.tcss"
    #: How a list's cursor row is marked, in every list of every screen (one rule).
    CSS = CURSOR_CSS
    BINDINGS: ClassVar[list[BindingType]] = [*APP]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    def __init__(self, path: Path | str | None = None, *, gc_held: bool = False,
                 settings: Settings | None = None, theme: str | None = None) -> None:
        """``gc_held``: the caller disabled the cyclic garbage collector for the start-up; the
        app enables it again (with the start-up's objects frozen) after its first screen.
        ``settings``: the user's keys and theme (:mod:`csto_tui.settings`); ``theme`` (the
        command line's) wins over the settings' one."""
        super().__init__()
        from .loader import default_dataset_path

        self.data = Shared(Path(path) if path else default_dataset_path())
        self.gc_held = gc_held
        self.settings = settings
        for extra in EXTRA_THEMES:
            self.register_theme(extra)
        chosen = theme or (settings.theme if settings else None)
        if chosen:
            self.theme = chosen
        #: The user's keys (binding id -> keys), as the help screen shows them.
        self.user_keys: dict[str, str] = dict(settings.keys) if settings else {}
        if self.user_keys:
            self.set_keymap(self.user_keys)
        self.key_order = KeyOrder(self, super().on_event)

    async def on_event(self, event: events.Event) -> None:
        """Keys and pastes one at a time, each handled before the next is handed out
        (:mod:`csto_tui.keyorder`); every other event as Textual handles it."""
        if KeyOrder.takes(event):
            await self.key_order.take(event)
        else:
            await super().on_event(event)

    def get_driver_class(self) -> type[Driver]:
        """Textual's choice of driver, except that its Linux/macOS driver becomes one that
        takes a burst of keys (an unbracketed paste) in as a paste (:mod:`csto_tui.driver`)."""
        chosen = super().get_driver_class()
        if (chosen.__module__, chosen.__name__) == ("textual.drivers.linux_driver",
                                                    "LinuxDriver"):
            from .driver import BurstDriver

            return BurstDriver
        return chosen

    def on_mount(self) -> None:
        if self.settings and self.settings.problems:
            self.call_after_refresh(self.report_settings)

    def report_settings(self) -> None:
        """Say what in the config file was ignored, or is applied but clashes (once the first
        screen is up to show it)."""
        if not self.settings or not self.settings.problems:
            return
        problems = self.settings.problems
        where = Path(problems[0].file).name or "config.toml"

        def named(p: Problem) -> str:
            at = ":".join(str(n) for n in (p.line, p.column) if n is not None)
            place = f"{where}:{at}" if at else where
            return f"{p.field} ({place})" if p.field else place

        errors = [p for p in problems if p.severity == "error"]
        warned = [p for p in problems if p.severity != "error"]
        # a notice has two lines: what, where, and where the whole story is
        if len(problems) == 1:
            p = problems[0]
            what = f"{named(p)}: {p.message}"
            if len(what) > 90:
                what = what[:89] + "\u2026"
        else:
            def listed(ps: list[Problem]) -> str:
                return ", ".join(map(named, ps[:3])) + (
                    f" and {len(ps) - 3} more" if len(ps) > 3 else "")

            what = "; ".join(part for part in (
                listed(errors), f"applied with a warning: {listed(warned)}" if warned else "")
                if part)
        if any(not p.field for p in errors):
            title = "Settings ignored (defaults kept)"  # the file unreadable, or not TOML
        elif errors:
            title = f"{plural(len(errors), 'setting')} ignored, the rest applied"
        else:
            title = "Settings applied, with a warning"
        self.notify(f"{what}; `csto-tui keys` says why", title=title, severity="warning",
                    timeout=12, markup=False)

    @property
    def dashboard(self) -> DashboardScreen:
        """The dashboard (the default screen, always at the bottom of the stack)."""
        screen = self.screen_stack[0]
        assert isinstance(screen, DashboardScreen)
        return screen

    def get_default_screen(self) -> DashboardScreen:
        """The dashboard, already with the width class (``-narrow``/``-wide``) that the first
        resize would give it: the panes are styled once, not again a moment later."""
        screen = DashboardScreen(self.data, gc_held=self.gc_held)
        width = self.size.width
        classes = [name for least, name in self.HORIZONTAL_BREAKPOINTS if width >= least]
        if classes:
            screen.add_class(classes[-1], update=False)
        return screen

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """One notice at a time, of one or two lines (app.tcss: longer text is clipped on
        screen, kept whole in the notification): a new notice replaces the one shown (so a
        successful reload clears "Dataset not loaded"); the title leads the same line.
        Notices sit at the top right, over the title bar, never over the quote being read.
        Thread-safe, as textual's."""
        if title:
            from textual.markup import escape

            message = f"{escape(title) if markup else title}: {message}"
        self.call_later(self._clear_notices)
        super().notify(message, severity=severity, timeout=timeout, markup=markup)

    def _clear_notices(self) -> None:
        """The notices shown forgotten and taken off every screen, each with its holder:
        Textual's ``clear_notifications`` removes a toast but leaves its (empty) holder in the
        rack, one row high, so each replaced notice would push the next one a row further
        down, onto the panes' rows."""
        self.clear_notifications()
        for screen in self.screen_stack:
            for holder in screen.query("ToastHolder"):
                holder.remove()

    def action_help(self) -> None:
        from .screens.help_screen import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.user_keys))


