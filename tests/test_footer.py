"""The keys footer (csto_tui/widgets/footer.py) at widths too narrow for its keys: what is
drawn and what a click runs agree, down to one column."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from csto_tui.widgets.footer import KeysFooter


class _Keys(App[None]):
    BINDINGS = [Binding("q", "quit", "Quit"), Binding("z", "nothing", "Disabled"),
                Binding("x", "bell", "Ring the bell")]

    def compose(self) -> ComposeResult:
        yield Static("body")
        yield KeysFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "nothing" else True

    def action_nothing(self) -> None:
        pass


@pytest.mark.parametrize("width", [80, 20, 12, 11, 10, 1])
async def test_a_narrow_footer_draws_what_its_clicks_run(width: int) -> None:
    app = _Keys()
    async with app.run_test(size=(width, 5)) as pilot:
        await pilot.pause()
        footer = app.query_one(KeysFooter)
        line = footer.render()
        palette = "\u258fCtrl+P palette"
        # the keys give way to the palette's key on the right, never the other way round
        assert line.plain.endswith(palette)
        assert line.cell_len == max(width, len(palette))
        for start, end, key in footer._spans:
            drawn = line.plain[start:end]
            assert drawn.startswith({"q": "q", "z": "z", "x": "x", "ctrl+p": "Ctrl+P"}[key]), (
                key, drawn)
        if width == 80:
            assert [k for _, _, k in footer._spans] == ["q", "z", "x", "ctrl+p"]
            dim = [(s.start, s.end) for s in line.spans if "dim" in str(s.style)]
            assert (7, 17) in dim  # "z Disabled": disabled just now
