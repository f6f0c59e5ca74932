"""The reference for start-up timing: a bare Textual app (header, a list, footer)."""

import os
import time

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, OptionList


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield OptionList(*[f"item {i}" for i in range(20)])
        yield Footer()

    def on_mount(self) -> None:
        if os.environ.get("CSTO_TUI_BENCH_EXIT"):
            self.call_after_refresh(self._bench_exit)

    def _bench_exit(self) -> None:
        target = os.environ.get("CSTO_TUI_BENCH_EXIT", "")
        if target not in ("", "1"):
            with open(target, "w", encoding="utf-8") as fh:
                fh.write(repr(time.time()))
        self.exit()


if __name__ == "__main__":
    BareApp().run()
