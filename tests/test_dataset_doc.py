"""docs/dataset.md documents every kind and every field with an example: each kind's table
appears as a TOML example, and each of its fields as ``key = ...`` in one."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from csto_tui import records

DOC = Path(__file__).resolve().parent.parent / "docs" / "dataset.md"


def _toml_blocks() -> list[str]:
    return re.findall(r"```toml\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def test_every_toml_example_of_the_doc_parses() -> None:
    for block in _toml_blocks():
        tomllib.loads(block)


def test_every_kind_and_field_has_an_example() -> None:
    blocks = "\n".join(_toml_blocks())
    missing: list[str] = []

    def walk(kind: records.Kind, table: str) -> None:
        if f"[[{table}]]" not in blocks:
            missing.append(f"[[{table}]]")
        for f in kind.fields:
            if not re.search(rf"^\s*{re.escape(f.key)}\s*=", blocks, flags=re.M) and not (
                    f.type == "tables" and f"[[{table}.{f.key}]]" in blocks):
                missing.append(f"{table}.{f.key}")
            if f.type == "tables" and f.of is not None:
                walk(f.of, f"{table}.{f.key}")

    for kind in records.kinds():
        walk(kind, kind.table)
    assert missing == []
