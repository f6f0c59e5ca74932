"""Every binding by id, the themes, and the user's settings applied to the app.

One list of where keys apply (:func:`binding_groups`) serves the ``?`` help screen and
``csto-tui keys``; remapping goes through Textual's keymap (binding id -> keys), so the
footer, the help and the palette show the keys the user chose. The settings themselves are
read and checked by :mod:`csto_tui.settings` (no textual).
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.binding import Binding
from textual.theme import BUILTIN_THEMES, Theme

from .keys import GROUPS

#: Black and white with a yellow accent: the most contrast a terminal can give, for projectors
#: and bright rooms. Meaning is carried by markers, never by colour alone, in every theme.
HIGH_CONTRAST = Theme(
    name="high-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ffff00",
    warning="#ffff00",
    error="#ff5555",
    success="#00ff00",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#000000",
    boost="#000000",
    dark=True,
    variables={
        "block-cursor-background": "#ffff00",
        "block-cursor-foreground": "#000000",
        "block-cursor-blurred-background": "#444444",
        "footer-key-foreground": "#ffff00",
        "border": "#ffffff",
        "border-blurred": "#aaaaaa",
        "text-muted": "#dddddd",
    },
)

#: The themes csto-tui offers: Textual's own (``ansi-dark`` and ``ansi-light`` use the
#: terminal's 16 colours) and the high-contrast one.
EXTRA_THEMES = (HIGH_CONTRAST,)


def theme_names() -> list[str]:
    return sorted([*BUILTIN_THEMES, *(t.name for t in EXTRA_THEMES)])


def binding_groups() -> list[tuple[str, list[Binding]]]:
    """Every binding with an id, grouped by where it applies: the dashboard's groups, then each
    other screen's own keys read from the screen."""
    from .screens.briefing_view import BriefingScreen
    from .screens.coverage_view import CoverageScreen
    from .screens.pivot_view import PivotRecordsScreen, PivotScreen
    from .screens.search_screen import SearchScreen
    from .screens.source_view import SourceScreen
    from .screens.sync_screen import SyncScreen
    from .screens.timeline_view import TimelineScreen

    out = [(g.title, list(g.bindings)) for g in GROUPS]
    for title, screen in (("Search (/)", SearchScreen), ("Article (o)", SourceScreen),
                          ("Briefing (b)", BriefingScreen), ("Timeline (t)", TimelineScreen),
                          ("Counts (v)", PivotScreen), ("Counts: records", PivotRecordsScreen),
                          ("Sync & review quotes (S)", SyncScreen),
                          ("Coverage (C)", CoverageScreen)):
        out.append((title, [b for b in screen.BINDINGS if isinstance(b, Binding)]))
    return out


def binding_ids() -> set[str]:
    return {b.id for _, group in binding_groups() for b in group if b.id}


def keys_table(keymap: Mapping[str, str] | None = None) -> list[tuple[str, str, str, str]]:
    """(where, id, keys, description) of every binding, with the user's keys applied; keys as
    the config file writes them (``ctrl+x``; the screens spell them ``Ctrl+X``)."""
    rows = []
    for where, group in binding_groups():
        for b in group:
            if b.id:
                keys = (keymap[b.id] if keymap and b.id in keymap
                        else b.key_display or b.key)
                rows.append((where, b.id, keys, b.description))
    return rows
