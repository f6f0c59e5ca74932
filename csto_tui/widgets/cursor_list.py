"""An ``OptionList`` that marks its cursor row by the one rule of :mod:`.cursor`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Self

from rich.style import Style
from rich.text import Text
from textual.strip import Strip
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from .cursor import marked, unmarked

REVERSE = Style(reverse=True)


class CursorList(OptionList):
    """An ``OptionList`` whose highlighted option carries the cursor's marker (see the
    module). Give it options whose prompts are ``Text``; :meth:`plain_prompt` reads one back
    without its gutter."""

    #: The index of the option that carries the marker.
    marked_at: int | None = None

    def on_mount(self) -> None:
        self.move_marker(self.highlighted)

    @staticmethod
    def with_gutter(option: Option) -> Option:
        prompt = option.prompt
        text = prompt if isinstance(prompt, Text) else Text(str(prompt))
        return Option(marked(text, False), id=option.id, disabled=option.disabled)

    def add_options(self, new_options: Iterable[Any]) -> Self:
        """OptionList's, each option given its gutter."""
        return super().add_options([
            None if o is None else self.with_gutter(o if isinstance(o, Option) else Option(o))
            for o in new_options])

    def clear_options(self) -> Self:
        self.marked_at = None
        return super().clear_options()

    def plain_prompt(self, index: int) -> str:
        """The text of the option at ``index``, without its gutter."""
        prompt = self.get_option_at_index(index).prompt
        return unmarked(prompt).plain if isinstance(prompt, Text) else str(prompt)

    def replace_option_prompt_at_index(self, index: int, prompt: Any) -> Self:
        """OptionList's, the new prompt given its gutter (and the marker, on the cursor)."""
        text = prompt if isinstance(prompt, Text) else Text(str(prompt))
        return super().replace_option_prompt_at_index(index, marked(text, index == self.marked_at))

    def render_line(self, y: int) -> Strip:
        """OptionList's line; the cursor row's in reverse video while the list is focused or
        driven (see :mod:`.cursor`): Textual's option styles cannot say reverse."""
        strip = super().render_line(y)
        at = self.highlighted
        if at is None or not (self.has_focus or self.has_class("-driven")):
            return strip
        if any(seg.style is not None and seg.style.meta.get("option") == at for seg in strip):
            return strip.apply_style(REVERSE)
        return strip

    def watch_highlighted(self, highlighted: int | None) -> None:
        self.move_marker(highlighted)
        super().watch_highlighted(highlighted)

    def move_marker(self, to: int | None) -> None:
        """The marker off the option it was on, onto the option at ``to``."""
        for index, on in ((self.marked_at, False), (to, True)):
            if index is None or not 0 <= index < self.option_count:
                continue
            prompt = self.get_option_at_index(index).prompt
            if not isinstance(prompt, Text):
                continue
            super().replace_option_prompt_at_index(index, marked(unmarked(prompt), on))
        self.marked_at = to
