"""The reference for bytes per key: a plain Textual app of the dashboard's shape.

Header, Footer, a stock ``OptionList`` of the dataset's states at the left and three bordered
``Static`` panes whose text follows the highlighted row: what a developer would write first with
stock widgets. ``benchmarks/key_bytes.py`` drives it beside csto-tui with the same keys.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, OptionList, Static

ROOT = Path(__file__).resolve().parent.parent


def state_names(data: Path = ROOT / "data") -> list[str]:
    """The states' names, from every TOML file of the dataset (one file or a folder)."""
    files = sorted(data.rglob("*.toml")) if data.is_dir() else [data]
    names: list[str] = []
    for f in files:
        if f.name.endswith(".anchors.toml"):
            continue
        with f.open("rb") as fh:
            doc = tomllib.load(fh)
        names += [str(s.get("name", "")) for s in doc.get("states", []) if isinstance(s, dict)]
    return names or [f"State {i}" for i in range(18)]


class PlainApp(App[None]):
    CSS = """
    OptionList { width: 30; height: 1fr; }
    Static { border: round $accent; height: 1fr; width: 1fr; }
    """
    BINDINGS = [("q", "quit", "Quit")]

    def __init__(self, names: list[str]) -> None:
        super().__init__()
        self.names = names

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield OptionList(*(Text(n) for n in self.names), id="states")
            with Vertical():
                yield Static(id="metrics")
                yield Static(id="events")
                yield Static(id="quotes")
        yield Footer()

    def on_mount(self) -> None:
        for pane, title in (("metrics", "Dependencies"), ("events", "Crises"),
                            ("quotes", "Sources")):
            self.query_one(f"#{pane}", Static).border_title = title
        self.query_one(OptionList).highlighted = 0

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        name = self.names[event.option_index]
        self.query_one("#metrics", Static).update(Text(f"{name}: figures"))
        self.query_one("#events", Static).update(Text(f"{name}: crises"))
        self.query_one("#quotes", Static).update(Text(f"{name}: quotes"))


if __name__ == "__main__":
    PlainApp(state_names(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "data")).run()
