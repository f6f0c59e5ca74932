"""Review of the late commits: versions kept as changes (snapshot/incremental), the loader's
cache-off path, the dashboard's settle wait and width class, panes' one-line measure."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_incremental import Spy, _agree, _first_id, _table, big  # noqa: F401

from csto_tui import cache, incremental, loader, snapshot
from csto_tui.loader import LoadResult, load


def _blocks(text: str, kind: str) -> tuple[int, int]:
    """Start of the first [[kind]] table and end of the last (they are contiguous)."""
    s = text.index(f"\n[[{kind}]]") + 1
    last = [m.start() for m in re.finditer(rf"(?m)^\[\[{kind}\]\]", text)][-1]
    m = re.compile(r"(?m)^\[\[?[a-z]+\]\]?\s*$").search(text, last + 3)
    return s, (m.start() if m else len(text))


@pytest.mark.parametrize("case", ["all-metrics", "all-events", "blank-line-moved",
                                  "blank-into-next-table", "shrink-then-grow"])
def test_chained_versions_read_back_as_a_full_validation(
        case: str, big: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    _agree(big, monkeypatch)
    text = big.read_text(encoding="utf-8")
    edits = []
    if case in ("all-metrics", "all-events"):
        s, e = _blocks(text, case[4:])
        edits.append(text[:s] + text[e:])
    elif case == "blank-line-moved":  # the same length: a blank line from one table to another
        s1, e1 = _table(text, _first_id(text, "events", 2))
        s2, e2 = _table(text, _first_id(text, "events", 5))
        assert text[e1 - 2:e1] == "\n\n"
        edits.append(text[:e1 - 1] + text[e1:e2] + "\n" + text[e2:])
    elif case == "blank-into-next-table":
        s, e = _table(text, _first_id(text, "events", 2))
        # "...\n\n[[events]]\nid" -> "...\n[[events]]\n\nid"
        edits.append(text[:e - 1] + "[[events]]\n\n" + text[e + len("[[events]]\n"):])
    else:  # shrink-then-grow: offsets shifted back, then forward, through the chain
        s, e = _table(text, _first_id(text, "metrics", 3))
        t1 = text[:s] + text[e:]
        edits.append(t1)
        s, e = _table(t1, _first_id(t1, "events", 1))
        t2 = t1[:s] + t1[s:e].replace('title = "', 'title = "Longer title: ', 1) + t1[e:]
        edits.append(t2)
        s, e = _table(t2, _first_id(t2, "quotes", 1))
        edits.append(t2[:s] + t2[s:e].replace('text = "', 'text = "x', 1) + t2[e:])
    spy = Spy(monkeypatch)
    for t in edits:
        big.write_text(t, encoding="utf-8")
        got = _agree(big, monkeypatch)
        # and read back through the stored chain
        with monkeypatch.context() as m:
            m.setattr(loader, "_load_validating", _boom)
            m.setattr(incremental, "revalidate", _boom)
            again = load(big)
        from test_snapshot import _same
        assert isinstance(got, LoadResult)
        _same(again, got)
    if case != "all-events":  # conflicts name events: validated in full
        assert spy.taken == len(edits)


def _boom(*_a: object, **_k: object) -> None:
    raise AssertionError("validated again")


def _one_quick_edit(path: Path, monkeypatch: pytest.MonkeyPatch) -> bytes:
    """A sound version, then an edit stored as a change to it; the edited version's key."""
    _agree(path, monkeypatch)
    text = path.read_text(encoding="utf-8")
    s, e = _table(text, _first_id(text, "events", 3))
    path.write_text(text[:s] + text[s:e].replace('title = "', 'title = "E: ', 1) + text[e:],
                   encoding="utf-8")
    spy = Spy(monkeypatch)
    _agree(path, monkeypatch)
    assert spy.taken == 1
    key = cache.file_key(path)[0]
    assert cache.has(snapshot.VERSION + b"dataset-change", key)
    assert not cache.has(snapshot.VERSION + b"dataset", key)
    return key


def test_has_snapshot_is_false_when_the_chain_cannot_be_read(
        big: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """The dashboard loads on the UI thread when has_snapshot says a load will be quick."""
    key = _one_quick_edit(big, monkeypatch)
    assert loader.has_snapshot(big)
    base = cache.get(snapshot.VERSION + b"dataset-change", key)[0]
    folder = cache.cache_dir()
    assert folder is not None
    cache._entry(folder, snapshot.VERSION + b"dataset", base).unlink()  # pruned
    assert snapshot.read_blob(key) is None
    assert not loader.has_snapshot(big)


@pytest.mark.parametrize("junk", [(5, []), ("text", []), (None, None), ([b"k"], [])])
def test_a_damaged_change_entry_is_ignored(
        junk: object, big: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    key = _one_quick_edit(big, monkeypatch)
    cache.put(snapshot.VERSION + b"dataset-change", key, junk)
    assert snapshot.read_blob(key) is None
    assert not snapshot.has_dataset(key)
    _agree(big, monkeypatch)  # validated in full, no exception


# ---- the dashboard waits for a save to finish, not for a file time in the future ----------------

async def test_a_future_file_time_delays_a_reload_at_most_the_cap_and_never_the_exit(
        project_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import threading
    import time

    from csto_tui import feed as app_module
    from csto_tui.app import CstoApp

    monkeypatch.setenv("CSTO_TUI_CACHE", "0")
    monkeypatch.setattr(app_module, "SETTLE_MAX_SECONDS", 1.0)
    app = CstoApp(project_copy)
    done: list[tuple[bool, float]] = []
    returned = threading.Event()
    real = app_module.DataFeed.wait_until_written

    def wait(feed: app_module.DataFeed) -> bool:
        out = real(feed)
        done.append((out, time.monotonic()))
        returned.set()
        return out

    monkeypatch.setattr(app_module.DataFeed, "wait_until_written", wait)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert app.data.dataset is not None
        future = time.time() + 86400  # `touch -d tomorrow`
        _retitle(project_copy, "Tomorrow")
        os.utime(project_copy, (future, future))
        t0 = time.monotonic()
        app.dashboard.feed.reload()
        while app.dashboard.feed.busy and time.monotonic() - t0 < 5:
            await pilot.pause(0.05)
        assert done and done[0][0] and 0.9 <= done[0][1] - t0 < 2.0  # the cap held
        assert app.data.dataset.title.startswith("Tomorrow")  # reloaded
        returned.clear()
        app.dashboard.feed.reload()  # and quitting during the wait does not wait for it
        await pilot.pause(0.1)
        t_exit = time.monotonic()
    assert returned.wait(0.6), "the load worker kept the app from exiting"
    assert done[-1][0] is False and done[-1][1] - t_exit < 0.5


def _retitle(path: Path, title: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r'(?m)^title = "', f'title = "{title} ', text, count=1),
                    encoding="utf-8")


# ---- the loader without the cache ---------------------------------------------------------------

def test_without_the_cache_nothing_is_hashed_or_written(
        big: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    from csto_tui import cache as cache_module

    monkeypatch.setenv("CSTO_TUI_CACHE", "0")

    def boom(*_a: object, **_k: object) -> None:
        raise AssertionError("hashed or wrote with the cache off")

    for name in ("content_key", "file_key", "put", "put_copy", "_store"):
        monkeypatch.setattr(cache_module, name, boom)
    calls: list[int] = []
    monkeypatch.setattr(loader, "on_full_load", lambda _p, n: calls.append(n))
    res = load(big)
    assert isinstance(res, LoadResult) and calls == [big.stat().st_size]
    assert not loader.has_snapshot(big)
    assert not (big.parent.parent / "cache").exists()


def test_put_copy_on_a_full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno
    import shutil

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("CSTO_TUI_CACHE", raising=False)
    src = tmp_path / "f.toml"
    src.write_bytes(b"new bytes")

    def full(*_a: object, **_k: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shutil, "copyfile", full)
    cache.put_copy(b"k", b"a", src, b"what was read")  # the copy failed: the bytes written
    assert cache.get_copy(b"k", b"a") == b"what was read"
    monkeypatch.setattr(Path, "write_bytes", full)
    cache.put_copy(b"k", b"b", src, b"x")  # nothing written at all: no error, nothing left
    assert cache.get_copy(b"k", b"b") is None
    assert not list((tmp_path / "cache").rglob("*.tmp"))
