"""Key bindings as data: every binding of every screen and widget has its own id.

A keymap rebinds by id, so two bindings sharing one id (say the dashboard's ``n`` and the
search screen's down arrow) would both move when a user rebinds either.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections import defaultdict

from textual.binding import Binding
from textual.dom import DOMNode

import csto_tui


def _bindings() -> dict[str, list[str]]:
    """Each binding id, with where it is declared; one Binding object reused counts once."""
    for mod in pkgutil.walk_packages(csto_tui.__path__, "csto_tui."):
        importlib.import_module(mod.name)
    seen: set[int] = set()
    where: dict[str, list[str]] = defaultdict(list)
    todo = [DOMNode]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if not cls.__module__.startswith("csto_tui."):
            continue
        for b in cls.__dict__.get("BINDINGS", []):
            if isinstance(b, Binding) and b.id and id(b) not in seen:
                seen.add(id(b))
                where[b.id].append(f"{cls.__qualname__} {b.key}")
    return where


def test_every_binding_id_is_declared_once() -> None:
    where = _bindings()
    assert len(where) > 40  # the app's, the dashboard's, the panes' and the screens' keys
    assert {i: w for i, w in where.items() if len(w) > 1} == {}
