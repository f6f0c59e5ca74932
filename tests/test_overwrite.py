"""No key loses data: `e` over an export that holds something else asks for `e` again."""

from __future__ import annotations

from pathlib import Path

import pytest

from csto_tui.app import CstoApp
from csto_tui.overwrite import OverwriteGuard


def test_a_new_or_identical_file_is_written_at_once(tmp_path: Path) -> None:
    guard = OverwriteGuard()
    path = tmp_path / "out.md"
    assert guard.allows(path, b"new")
    path.write_bytes(b"same")
    assert guard.allows(path, b"same")


def test_other_content_needs_the_key_twice(tmp_path: Path) -> None:
    guard = OverwriteGuard()
    path = tmp_path / "out.md"
    path.write_bytes(b"someone's notes")
    assert not guard.allows(path, b"briefing")
    assert guard.allows(path, b"briefing")
    # armed for one file only
    other = tmp_path / "other.md"
    other.write_bytes(b"x")
    assert not guard.allows(other, b"y")
    assert not guard.allows(path, b"briefing")


@pytest.fixture
def dataset(project_copy: Path) -> Path:
    """A private copy of the bundled dataset and seeds (conftest's project_copy)."""
    return project_copy


async def _ready(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    for _ in range(3):
        await pilot.pause()


@pytest.mark.parametrize("where", ["dashboard", "briefing"])
async def test_e_twice_replaces_an_export_that_differs(dataset: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      where: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setenv("CSTO_TUI_EXPORT_DIR", str(out))
    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        sid = app.dashboard.selected_state
        path = out / f"csto-briefing-{sid}.md"
        path.write_text("my own notes\n", encoding="utf-8")
        if where == "briefing":
            await pilot.press("b")
            await _ready(pilot)
        await pilot.press("e")
        await _ready(pilot)
        assert path.read_text(encoding="utf-8") == "my own notes\n"
        assert any("e again" in n.message for n in app._notifications)
        await pilot.press("e")
        await _ready(pilot)
        assert path.read_text(encoding="utf-8") != "my own notes\n"
        assert Path(str(path) + ".bak").read_text(encoding="utf-8") == "my own notes\n"
