"""Shared fixtures: a private copy of the bundled dataset and seeds to edit freely."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SEEDS = ROOT / "seeds"


@pytest.fixture
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache and the settings in the test's own folder: nothing of the user's is read or
    written (use with ``pytestmark = pytest.mark.usefixtures("private_dirs")``)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


async def settle(pilot: Any) -> None:
    """Let the app's workers and a write's reload finish (the feed waits for the files to
    settle). A worker cancelled because its screen closed is finished too: a form that
    dismisses itself on its worker's last message (posted once the work is done) may close
    before the worker's task has recorded its return, and closing cancels the task (seen on a
    loaded machine: the add-source form's worker, after the article was added)."""
    from textual.worker import WorkerCancelled

    for _ in range(3):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            pass
        await pilot.pause(0.1)


async def planned_sync(pilot: Any) -> Any:
    """The sync screen on top, once its plan is made (it is made off the UI thread)."""
    from csto_tui.screens.sync_screen import SyncScreen

    for _ in range(500):
        screen = pilot.app.screen
        if isinstance(screen, SyncScreen) and screen.state == "planned":
            break
        await pilot.pause(0.02)
    screen = pilot.app.screen
    assert isinstance(screen, SyncScreen) and screen.state == "planned"
    return screen


def minimal(extra: str = "", quote: str = "2,500 of its troops entered Kazakhstan") -> str:
    """The smallest sound dataset (a source ``a1`` read from ``a1.txt`` beside it, a quote
    ``q1``, a state ``kaz`` with one membership span), then ``extra``."""
    return f'''
[dataset]
title = "t"
base = "."

[[sources]]
id = "a1"
file = "a1.txt"
title = "Article"

[[quotes]]
id = "q1"
source = "a1"
text = "{quote}"

[[states]]
id = "kaz"
name = "Kazakhstan"
status = "member"
quotes = ["q1"]
[[states.membership]]
kind = "member"
from = "1994"
quotes = ["q1"]
{extra}'''


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A copy of data/ and seeds/ side by side; returns the copied dataset file."""
    shutil.copytree(DATA, tmp_path / "data", ignore=shutil.ignore_patterns("*.bak", ".*"))
    shutil.copytree(SEEDS, tmp_path / "seeds")
    return tmp_path / "data" / "csto.toml"


def split_into_folder(single: Path, folder: Path) -> Path:
    """The single-file dataset ``single`` rewritten as a folder dataset in ``folder``: one file
    per source article (the source, its quotes, its uncited sentences and the metrics and
    events whose first quote is from it) and ``shared.toml`` (states, entities, relations,
    conflicts),
    each with its own anchors file. Records cite quotes across files."""
    import tomllib

    import tomli_w

    from csto_tui.anchorsfile import load_anchors
    from csto_tui.loader import anchors_path_for
    from csto_tui.syncing import render_anchors

    data = tomllib.loads(single.read_text(encoding="utf-8"))
    apath = anchors_path_for(single)
    anchors, _ = load_anchors(apath, apath.read_bytes() if apath.exists() else None)
    folder.mkdir(parents=True, exist_ok=True)
    source_of = {q["id"]: q["source"] for q in data.get("quotes", [])}
    files: dict[str, dict] = {"shared": {"dataset": data["dataset"]}}
    for key in ("states", "entities", "relations", "conflicts"):
        if key in data:
            files["shared"][key] = data[key]
    for src in data.get("sources", []):
        part: dict = {"dataset": {"base": data["dataset"].get("base", ".")},
                      "sources": [src]}
        part["quotes"] = [q for q in data.get("quotes", []) if q["source"] == src["id"]]
        for key in ("metrics", "events"):
            part[key] = [r for r in data.get(key, [])
                         if source_of.get((r.get("quotes") or [""])[0]) == src["id"]]
        part["uncited"] = [u for u in data.get("uncited", []) if u["source"] == src["id"]]
        files[src["id"]] = {k: v for k, v in part.items() if v}
    for name, doc in files.items():
        path = folder / f"{name}.toml"
        path.write_text(tomli_w.dumps(doc), encoding="utf-8")
        qids = [q["id"] for q in doc.get("quotes", [])]
        mine = {q: anchors[q] for q in qids if q in anchors}
        if mine:
            anchors_path_for(path).write_bytes(render_anchors(mine, list(mine)))
    return folder


@pytest.fixture
def folder_copy(tmp_path: Path) -> Path:
    """The bundled dataset as a folder (see :func:`split_into_folder`) beside a copy of the
    seeds; returns the folder."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    return split_into_folder(DATA / "csto.toml", tmp_path / "data")
