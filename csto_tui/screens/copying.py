"""The one way a screen copies a quote with its citation (y), and says what came of it.

Inside tmux the text is handed to tmux (:mod:`csto_tui.clipboard`, in a thread: tmux is a
process to run), which passes it on to the terminal and says so; elsewhere it goes out as
OSC 52, which nothing confirms, so the text is also shown (:class:`.copy_screen.CopyScreen`)
to be selected by hand. Named apart from ``csto_tui/clipboard.py``, the tmux hand-off without
textual that this module calls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.widget import Widget

    from ..dataset import Dataset


def copy_quote(node: Widget, ds: Dataset | None, qid: str | None) -> None:
    """The quote ``qid`` of ``ds`` with its citation to the clipboard, from ``node``'s
    screen; a notification when there is no quote to copy."""
    if ds is None or qid is None:
        node.notify("No quote to copy here", severity="warning")
        return
    from ..clipboard import in_tmux
    from ..widgets.render import citation

    text = citation(ds, qid)
    if in_tmux():
        copy_through_tmux(node, text)
    else:
        copy_unconfirmed(node, text, "Sent to the terminal's clipboard (OSC 52); many "
                                     "terminals ignore it. If nothing arrives, select "
                                     "the text below by hand.")


def copy_through_tmux(node: Widget, text: str) -> None:
    """Hand ``text`` to tmux in a thread; said when it took it, else shown to be selected."""
    from ..clipboard import to_tmux

    def hand_over() -> None:
        copied = to_tmux(text)
        if copied.done:
            node.app.call_from_thread(node.notify, f"Copied to {copied.where}",
                                      timeout=4, markup=False)
        else:
            node.app.call_from_thread(copy_unconfirmed, node, text,
                                      f"Not copied through tmux ({copied.where}); sent to "
                                      "the terminal's clipboard (OSC 52) instead, which "
                                      "tmux may ignore. Select the text below by hand.")

    node.run_worker(hand_over, name="copy_through_tmux", group="copy",
                    description="hand a copy to tmux", thread=True)


def copy_unconfirmed(node: Widget, text: str, how: str) -> None:
    """Sent as OSC 52, which nothing confirms: the text shown, with ``how``, to select."""
    from .copy_screen import CopyScreen

    node.app.copy_to_clipboard(text)
    node.app.push_screen(CopyScreen(text, how))
