"""Make text from data safe to print: control characters become visible (no textual).

Source documents and dataset strings may carry ANSI/OSC escape sequences or other control
characters. Nothing from data is ever sent to a terminal raw: ESC becomes ``^[``, other C0/C1
controls become ``^X`` or ``\\x9b``-style escapes. Newlines and tabs are kept.
"""

from __future__ import annotations

import re

_CTRL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _visible(m: re.Match[str]) -> str:
    c = m.group(0)
    o = ord(c)
    if o < 0x20:
        return "^" + chr(o + 0x40)
    if o == 0x7F:
        return "^?"
    return f"\\x{o:02x}" if o <= 0xFF else f"\\u{o:04x}"


def visible(text: str, keep_newlines: bool = True) -> str:
    """Return ``text`` with every control character replaced by a visible form."""
    text = text.replace("\r\n", "\n")
    out = _CTRL.sub(_visible, text)
    if not keep_newlines:
        out = out.replace("\r\n", " ").replace("\n", " ").replace("\r", " ").replace("\t", " ")
    return out


def one_line(text: str, width: int | None = None) -> str:
    s = " ".join(visible(text, keep_newlines=False).split())
    if width is not None and len(s) > width:
        s = s[: max(0, width - 3)] + "..."
    return s
