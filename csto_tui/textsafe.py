"""Make text from data safe to print: control characters become visible (no textual).

Source documents and dataset strings may carry ANSI/OSC escape sequences or other control
characters. Nothing from data is ever sent to a terminal raw: ESC becomes ``^[``, other C0
controls ``^X``, DEL ``^?``, C1 controls ``\\x9b``, and the invisible format characters that
can reorder or hide text (bidi overrides and isolates, zero-width characters, line and
paragraph separators, BOM) ``\\u202e``. One table serves the panes, the CLI, the exports and the
search output; each call is a single ``str.translate``.
"""

from __future__ import annotations

import os
import sys


def _table() -> dict[int, str]:
    table: dict[int, str] = {c: "^" + chr(c + 64) for c in range(0x20)}
    table[0x7F] = "^?"
    table.update({c: f"\\x{c:02x}" for c in range(0x80, 0xA0)})
    for c in (*range(0x200B, 0x2010), *range(0x2028, 0x202F), *range(0x2060, 0x2070),
              0xFEFF, 0x061C):
        table[c] = f"\\u{c:04x}"
    return table


#: Every character made visible, newlines and tabs included (one-line output, search hits).
ALL_CONTROLS: dict[int, str] = _table()
#: The same, but newlines and tabs are kept (multi-line text such as a source document).
_KEEP_LINES = {c: v for c, v in ALL_CONTROLS.items() if c not in (0x0A, 0x09)}


def visible(text: str, keep_newlines: bool = True) -> str:
    """Return ``text`` with every control character replaced by a visible form.

    CRLF line ends count as newlines; a lone carriage return (which would move the cursor back
    over the line) becomes ``^M``. Without ``keep_newlines``, line breaks and tabs are spaces.
    """
    text = text.replace("\r\n", "\n")
    if keep_newlines:
        return text.translate(_KEEP_LINES)
    return text.replace("\n", " ").replace("\r", " ").replace("\t", " ").translate(ALL_CONTROLS)


def use_ascii() -> bool:
    """True where the terminal's encoding is not UTF-8 (bars drawn with '#', the cursor '>',
    a cut marked '...'); ``CSTO_TUI_ASCII`` set forces it."""
    if os.environ.get("CSTO_TUI_ASCII"):
        return True
    stream = sys.__stdout__
    enc = (getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "")
    return not enc.startswith("utf")


def ellipsis() -> str:
    """The mark of text cut short: ``\u2026``, or ``...`` where the terminal is not UTF-8."""
    return "..." if use_ascii() else "\u2026"


def one_line(text: str, width: int | None = None) -> str:
    """``text`` on one line, control characters visible; longer than ``width``: cut, ending
    with the :func:`ellipsis` mark (the one rule for cutting a string, on screen and off)."""
    s = " ".join(visible(text, keep_newlines=False).split())
    if width is not None and len(s) > width:
        mark = ellipsis()
        s = s[: max(0, width - len(mark))] + mark
    return s


def said(words: str, width: int | None = None) -> str:
    """What the user typed, quoted as typed: ``'kaz'`` (one line, control characters
    visible, cut at ``width``); never ``repr``, which doubles a backslash."""
    return f"'{one_line(words, width)}'"


def clip(s: str, n: int = 100) -> str:
    """``s`` on one line, cut at a space before ``n`` characters (with an ellipsis)."""
    s = " ".join(s.split())
    if len(s) <= n:
        return s
    cut = s.rfind(" ", 0, n)
    if cut < n // 2:
        cut = n
    return s[:cut].rstrip(" ,;:") + "\u2026"


def plural(n: int, word: str, many: str | None = None) -> str:
    """A count and its noun, agreeing: ``1 quote``, ``2 quotes``, ``0 quotes`` (``many``: the
    plural when it is not ``word + "s"``). Thousands are grouped (``1,234 quotes``). The one
    definition of a counted noun: the CLI, the screens and the exports say counts with it."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def agrees(n: int, one: str, many: str) -> str:
    """The word agreeing with a count ``n``: ``one`` for 1 (``needs``), else ``many``."""
    return one if n == 1 else many
