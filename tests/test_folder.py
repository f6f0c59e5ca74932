"""A dataset may be a folder of TOML files: it loads, checks, syncs, exports and searches the
same as the single file it was split from; ids are global and references cross files."""

from __future__ import annotations

import json
import os
import re
import tomllib
from pathlib import Path

import pytest

from csto_tui.checking import check
from csto_tui.cli import main
from csto_tui.dataset import Dataset
from csto_tui.loader import anchors_path_for, data_files, load

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSTO_TUI_CACHE", "0")


def _by_kind(ds: Dataset) -> dict[str, list[object]]:
    return {name: sorted(recs, key=repr) for name, recs in ds.all_records()}


def test_the_folder_holds_the_same_dataset_as_the_single_file(folder_copy: Path) -> None:
    single = check(ROOT / "data" / "csto.toml")
    split = check(folder_copy)
    assert [f.name for f in data_files(folder_copy)] == ["a1.toml", "a2.toml", "shared.toml"]
    assert split.ok and split.problems == []
    a, b = _by_kind(single.dataset), _by_kind(split.dataset)
    for kind in a:
        if kind == "source":  # the same files, found from another folder
            assert [(s.id, s.file, s.title) for s in a[kind]] == \
                [(s.id, s.file, s.title) for s in b[kind]]  # type: ignore[attr-defined]
        else:
            assert a[kind] == b[kind], kind
    assert single.dataset.anchors == split.dataset.anchors
    assert single.dataset.texts == split.dataset.texts
    assert single.quote_status == split.quote_status
    assert split.dataset.title == single.dataset.title


def test_records_know_their_file(folder_copy: Path) -> None:
    ds = load(folder_copy).dataset
    assert ds.file_of("q-a1-kaz-headlines").name == "a1.toml"
    assert ds.file_of("kaz").name == "shared.toml"


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_references_across_files_are_checked_and_located(folder_copy: Path) -> None:
    _append(folder_copy / "a2.toml", '''
[[events]]
id = "ev-cross"
date = "2022"
title = "Cites a quote of the other file"
response = "none"
summary = "s"
states = ["kaz", "atlantis"]
quotes = ["q-a1-kaz-headlines", "q-nowhere"]

[[events]]
id = "kaz"
date = "2022"
title = "Takes a state's id"
response = "none"
summary = "s"
quotes = ["q-a1-kaz-headlines"]
''')
    res = load(folder_copy)
    lines = (folder_copy / "a2.toml").read_text(encoding="utf-8").splitlines()
    refs = {(p.record, p.field, p.message, p.file, p.line) for p in res.problems
            if p.code == "unknown-ref"}
    at = lines.index('states = ["kaz", "atlantis"]') + 1
    assert ("ev-cross", "states", "state 'atlantis' does not exist",
            str(folder_copy / "a2.toml"), at) in refs
    assert ("ev-cross", "quotes", "quote 'q-nowhere' does not exist",
            str(folder_copy / "a2.toml"), at + 1) in refs
    dup = [p for p in res.problems if p.code == "duplicate-id"]
    assert len(dup) == 1 and dup[0].record == "kaz" and "first by a state" in dup[0].message
    assert dup[0].file == str(folder_copy / "a2.toml")
    assert dup[0].line == lines.index('id = "kaz"') + 1
    # the state in shared.toml (the first file to claim the id) is kept
    assert load(folder_copy).dataset.state("kaz") is not None
    assert re.match(rf"{re.escape(str(folder_copy / 'a2.toml'))}:\d+:\d+ \[unknown-ref\]",
                    next(p for p in res.problems if p.code == "unknown-ref").format())


def test_an_empty_folder_is_a_clear_error(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--data", str(tmp_path)]) == 1
    assert "no dataset" in capsys.readouterr().err


def test_check_sync_export_and_search_take_a_folder(
        folder_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--data", str(folder_copy)]) == 0
    assert capsys.readouterr().out.strip().endswith("ok")
    assert main(["export", "--data", str(folder_copy), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    bundled = tomllib.loads((ROOT / "data" / "csto.toml").read_text(encoding="utf-8"))
    assert len(doc["quotes"]) == len(bundled["quotes"]) and len(doc["states"]) == 18
    assert main(["export", "--data", str(folder_copy), "--state", "kaz"]) == 0
    assert "# Kazakhstan" in capsys.readouterr().out
    assert main(["search", "--data", str(folder_copy), "Collective Safety Treaty Group"]) == 0
    assert "csto" in capsys.readouterr().out
    assert main(["sync", "--data", str(folder_copy), "--dry-run"]) == 0
    assert "nothing written" in capsys.readouterr().out


def test_sync_writes_only_the_anchors_files_whose_quotes_moved(folder_copy: Path) -> None:
    from csto_tui.syncing import sync

    seed = next((folder_copy.parent / "seeds").glob("001_*.txt"))  # source a2
    seed.write_text("A new first paragraph.\n\n" + seed.read_text(encoding="utf-8"),
                    encoding="utf-8")
    before = {f.name: f.read_bytes() for f in folder_copy.glob("*.anchors.toml")}
    rep = sync(folder_copy)
    assert rep.changed and rep.written == anchors_path_for(folder_copy / "a2.toml")
    after = {f.name: f.read_bytes() for f in folder_copy.glob("*.anchors.toml")}
    assert after["a1.anchors.toml"] == before["a1.anchors.toml"]
    assert after["a2.anchors.toml"] != before["a2.anchors.toml"]
    assert check(folder_copy).ok
    assert not sync(folder_copy).changed  # a second sync writes nothing


def test_sync_moves_an_anchor_kept_in_the_wrong_file(folder_copy: Path) -> None:
    from csto_tui.syncing import sync

    a1 = anchors_path_for(folder_copy / "a1.toml")
    a2 = anchors_path_for(folder_copy / "a2.toml")
    moved = a1.read_text(encoding="utf-8").split("\n[anchors.", 2)[1]
    _append(a2, "\n[anchors." + moved)
    rep = sync(folder_copy)
    assert rep.written is not None
    assert check(folder_copy).ok
    assert "[anchors." + moved.split("]")[0] + "]" not in a2.read_text(encoding="utf-8")


@pytest.mark.parametrize("edit", ["a2.toml", "shared.toml", "a1.anchors.toml", "new.toml",
                                  "shared.toml, size and mtime kept"])
async def test_the_dashboard_shows_a_folder_and_reloads_any_file_of_it(
        folder_copy: Path, edit: str) -> None:
    """Every file of the folder is watched: a data file, an anchors file, a file added; an
    edit that keeps a file's size and mtime (`rsync -t`, `cp -p`, `touch -r`) too: the poll
    compares what a file's stat says that any write changes (reading.stat_of: its ctime and
    inode too)."""
    pytest.importorskip("textual")
    from csto_tui.app import CstoApp

    app = CstoApp(folder_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        data = app.data
        assert data.dataset is not None and data.report is not None and data.report.ok
        assert len(data.dataset.states) == 18 and len(data.dataset.files) == 3
        version = data.version
        path = folder_copy / edit.split(",")[0]
        if edit.endswith("kept"):
            st = path.stat()
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace('title = "CSTO briefing dataset"',
                                         'title = "CSTO briefing DATASET"', 1), encoding="utf-8")
            os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
            assert (path.stat().st_size, path.stat().st_mtime_ns) == (st.st_size,
                                                                      st.st_mtime_ns)
        elif edit == "new.toml":
            path.write_text('[[entities]]\nid = "e-new"\nkind = "person"\nname = "Someone"\n'
                            'quotes = ["q-a1-kaz-headlines"]\n', encoding="utf-8")
        elif edit.endswith(".anchors.toml"):
            _append(path, "\n# touched\n")
        else:
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace('name = "Kazakhstan"', 'name = "Qazaqstan"')
                            + "\n# touched\n", encoding="utf-8")
        app.dashboard.feed.poll()
        for _ in range(50):  # the reload waits until the file is left alone a moment
            await pilot.pause(0.1)
            if data.version > version:
                break
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert data.version == version + 1
        if edit == "new.toml":
            assert data.dataset.get("e-new") is not None
        if edit == "shared.toml":
            assert data.dataset.state("kaz").name == "Qazaqstan"  # type: ignore[union-attr]
        if edit.endswith("kept"):
            assert data.dataset.title == "CSTO briefing DATASET"  # type: ignore[union-attr]


def test_the_same_id_in_two_files_is_reported_in_the_second(folder_copy: Path) -> None:
    lines = (folder_copy / "a1.toml").read_text(encoding="utf-8")
    quote = lines[lines.index("[[quotes]]"):].split("\n\n", 1)[0]
    _append(folder_copy / "a2.toml", "\n" + quote + "\n")
    res = load(folder_copy)
    (dup,) = [p for p in res.problems if p.code == "duplicate-id"]
    assert dup.file == str(folder_copy / "a2.toml") and "first by a quote" in dup.message
    assert [q.id for q in res.dataset.quotes].count(dup.record) == 1


def test_a_link_that_loops_or_leads_nowhere_is_not_a_data_file(folder_copy: Path) -> None:
    """A folder's bad entries (a link to itself, a link to nothing) are left aside as files
    that are not there: the rest of the folder is the dataset (one bad entry made the whole
    folder unreadable, with a message naming no entry)."""
    before = data_files(folder_copy)
    (folder_copy / "loop.toml").symlink_to(folder_copy / "loop.toml")
    (folder_copy / "gone.toml").symlink_to(folder_copy / "nothing-here.toml")
    assert data_files(folder_copy) == before
    assert load(folder_copy).dataset.states

