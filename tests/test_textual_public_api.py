"""The UI uses Textual and Rich through their public APIs only: no ``textual._*`` or ``rich._*``
module is imported anywhere in the package, and no widget, screen or other subclass of a
Textual or Rich class defines or touches a ``_name`` that one of those libraries' classes has
(a private member a minor release may rename or drop)."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from functools import cache
from pathlib import Path

import csto_tui

PACKAGE = Path(csto_tui.__file__).parent
LIBRARIES = ("textual", "rich")


def _modules() -> list[str]:
    names = ["csto_tui"]
    for info in pkgutil.walk_packages([str(PACKAGE)], "csto_tui."):
        names.append(info.name)
    return names


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _from_library(obj: object) -> bool:
    return (getattr(obj, "__module__", "") or "").split(".")[0] in LIBRARIES


@cache
def _private_members(cls: type) -> frozenset[str]:
    """The private names of a library class: its own attributes and the ``self._x`` its
    methods set or read."""
    names = {n for n in vars(cls) if _private(n)}
    try:
        tree = ast.parse(inspect.getsource(cls))
    except (OSError, TypeError):
        return frozenset(names)
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id == "self" and _private(node.attr)):
            names.add(node.attr)
    return frozenset(names)


def _library_classes() -> dict[type, ast.ClassDef]:
    """Every class of the package that subclasses a Textual or Rich class, with its AST."""
    out: dict[type, ast.ClassDef] = {}
    for name in _modules():
        module = importlib.import_module(name)
        tree = ast.parse(Path(module.__file__ or "").read_text(encoding="utf-8"))
        defs = {n.name: n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)}
        for obj in vars(module).values():
            if (inspect.isclass(obj) and obj.__module__ == name and obj.__name__ in defs
                    and any(_from_library(base) for base in obj.__mro__[1:])):
                out[obj] = defs[obj.__name__]
    return out


def test_no_private_module_of_textual_or_rich_is_imported() -> None:
    bad = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            for full in names:
                parts = full.split(".")
                if parts[0] in LIBRARIES and any(_private(p) for p in parts[1:]):
                    bad.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {full}")
    assert not bad, bad


def test_the_package_has_widgets_and_screens_to_check() -> None:
    names = {cls.__name__ for cls in _library_classes()}
    assert {"DashboardScreen", "SourceScreen", "StateList", "SourceDocument"} <= names


def test_no_class_defines_or_touches_a_private_member_of_textual_or_rich() -> None:
    from textual.app import App
    from textual.screen import Screen
    from textual.widget import Widget

    bad = []
    for cls, node in _library_classes().items():
        # what a widget reaches through self.app and self.screen counts as well
        library = [c for c in (*cls.__mro__[1:], App, Screen, Widget) if _from_library(c)]
        taken = frozenset().union(*(_private_members(c) for c in library))
        for sub in ast.walk(node):
            name = None
            if isinstance(sub, ast.Attribute) and _private(sub.attr):
                name = sub.attr
            elif isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef)) and \
                    _private(sub.name):
                name = sub.name
            elif isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store) and \
                    _private(sub.id) and sub in node.body:
                name = sub.id
            if name in taken:
                bad.append(f"{cls.__module__}.{cls.__name__}: {name} (line "
                           f"{getattr(sub, 'lineno', '?')})")
    assert not bad, "\n".join(bad)
