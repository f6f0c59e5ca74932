"""What a screen shows, read back as text and styles through public APIs (for the tests)."""

from __future__ import annotations

import html
import re

from rich.style import Style
from textual.app import App
from textual.scroll_view import ScrollView

from csto_tui import briefing
from csto_tui.screens.briefing_view import footnote_text, line_text
from csto_tui.textsafe import one_line


def screen_text(app: App[object]) -> str:
    """Every line of the terminal as the user sees it (from the app's own screenshot)."""
    svg = app.export_screenshot()
    lines: dict[int, list[tuple[float, str]]] = {}
    for m in re.finditer(r'<text [^>]*?x="([\d.]+)"[^>]*?clip-path="url\(#[^)]*-line-(\d+)\)"'
                         r"[^>]*>([^<]*)</text>", svg):
        lines.setdefault(int(m.group(2)), []).append((float(m.group(1)), m.group(3)))
    return "\n".join("".join(html.unescape(t) for _, t in sorted(parts)).replace("\xa0", " ")
                     for _, parts in sorted(lines.items()))


def visible_text(view: ScrollView) -> list[str]:
    """The plain text of a Line API widget's lines on screen."""
    height = view.scrollable_content_region.height
    return ["".join(seg.text for seg in view.render_line(y)).rstrip() for y in range(height)]


def styles_of(view: ScrollView, y: int, needle: str) -> list[Style]:
    """The styles of the characters of ``needle`` on screen line ``y`` ([] if not there)."""
    chars: list[tuple[str, Style | None]] = []
    for seg in view.render_line(y):
        chars.extend((ch, seg.style) for ch in seg.text)
    plain = "".join(c for c, _ in chars)
    at = plain.find(needle)
    if at == -1:
        return []
    return [st or Style() for _, st in chars[at:at + len(needle)]]


def briefing_plain(b: briefing.Briefing) -> str:
    """A briefing's content as one plain string, as the briefing screen lays it out."""
    out = []
    for sec in b.sections:
        out.append(one_line(sec.title).upper())
        out.extend(("    - " if line.depth else "  * ") + line_text(line).plain
                   for line in sec.lines)
        out.append("")
    out.append("SOURCES")
    out.extend(f"[{fn.n}] " + footnote_text(fn).plain for fn in b.footnotes)
    return "\n".join(out)
