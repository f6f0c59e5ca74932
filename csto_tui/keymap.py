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

from .keys import APP, GROUPS

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
    from .screens.add_source_form import AddSourceScreen
    from .screens.briefing_view import BriefingScreen
    from .screens.cite_form import CiteScreen, UncitedScreen
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
                          ("Coverage (C)", CoverageScreen),
                          ("Cite form (c in the article)", CiteScreen),
                          ("Uncited (u in the article)", UncitedScreen),
                          ("Add source (A)", AddSourceScreen)):
        out.append((title, [b for b in screen.BINDINGS if isinstance(b, Binding)]))
    return out


def scopes() -> list[tuple[str, list[Binding], list[Binding]]]:
    """Where keys are live together: (where, the bindings live there besides, its own
    bindings). The dashboard's keys everywhere on it; each pane's own with them while the pane
    has focus; each other screen's with the app's (?, q, Ctrl+P)."""
    groups = binding_groups()
    common = [b for _, group in groups[:3] for b in group]
    out: list[tuple[str, list[Binding], list[Binding]]] = [("the dashboard", [], common)]
    out += [(f"the dashboard ({title} pane)", common, group)
            for title, group in groups[3:len(GROUPS)]]
    out += [(f"the {title} screen", list(APP), group) for title, group in groups[len(GROUPS):]]
    return out


def clashes(keymap: Mapping[str, str]) -> list[tuple[str, str]]:
    """(binding id, message) for each key the user's ``keymap`` gives a binding that another
    binding live in the same place has too (a key two bindings share by default, as ``e`` for
    the dashboard's and the states pane's export, is no clash). One of the two cannot work
    there; which one, Textual's order decides: the user is told, nothing is refused."""
    def keys(b: Binding, mine: bool = True) -> set[str]:
        given = keymap[b.id] if mine and b.id and b.id in keymap else b.key
        return {k.strip() for k in given.split(",")}

    out: dict[tuple[str, str, str], str] = {}
    for where, base, own in scopes():
        pairs = [(a, b) for i, a in enumerate(own) for b in own[i + 1:]]
        pairs += [(a, b) for a in own for b in base]
        for a, b in pairs:
            if not a.id or not b.id or a.id == b.id:
                continue
            for key in sorted((keys(a) & keys(b)) - (keys(a, False) & keys(b, False))):
                for mine, other in ((a, b), (b, a)):
                    if mine.id in keymap and key not in keys(mine, False):
                        assert mine.id and other.id
                        out.setdefault((mine.id, key, other.id), (
                            f"{key!r} is also the key of {other.id} ({other.description}) on "
                            f"{where}: only one of the two can work there"))
    return [(bid, msg) for (bid, _, _), msg in out.items()]


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


def key_name(character: str) -> str:
    """The name of the key a single character is, as Textual names the key it sends and as a
    binding is written (``/`` -> ``slash``, ``?`` -> ``question_mark``); anything else as it
    is. (The config file may then say ``search = "/"``.)"""
    if len(character) != 1 or character.isalnum() or not character.isprintable() \
            or character.isspace():
        return character
    import unicodedata

    from textual.keys import KEY_NAME_REPLACEMENTS

    try:
        name = unicodedata.name(character).lower().replace("-", "_").replace(" ", "_")
    except ValueError:
        return character
    return KEY_NAME_REPLACEMENTS.get(name, name)
