"""One export path (csto_tui/export.py): the CLI, the dashboard's ``e``, the briefing view's
``e`` and the command palette write the same bytes with the same mode for the same request;
``~`` is expanded; ``--state`` is honoured by every format; every format escapes for its own
syntax. Rows of docs/robustness.md."""

from __future__ import annotations

import io
import json
import os
import re
import stat
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from csto_tui import export
from csto_tui.app import CstoApp
from csto_tui.checking import check
from csto_tui.cli import main


@pytest.fixture(autouse=True)
def _private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


async def _ready(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _dashboard_e(data: Path, sid: str, how: str, confirm: bool = False) -> None:
    """Export from the dashboard (`e`), the briefing (`b`, `e`) or the palette; ``confirm``:
    the file holds something else, so `e` is pressed a second time (no key loses data)."""
    app = CstoApp(data)
    async with app.run_test(size=(120, 40)) as pilot:
        await _ready(pilot)
        while app.dashboard.selected_state != sid:
            await pilot.press("down")
            await _ready(pilot)
        if how == "key":
            await pilot.press("e")
        elif how == "briefing":
            await pilot.press("b")
            await _ready(pilot)
            await pilot.press("e")
        else:  # the command palette
            await pilot.press("ctrl+p")
            await _ready(pilot)
            await pilot.press(*"Export")
            await _ready(pilot)
            await pilot.press("enter")
        await _ready(pilot)
        if confirm:
            await pilot.press("e")
            await _ready(pilot)
        await pilot.pause(0.2)
        await _ready(pilot)


@pytest.mark.parametrize("umask", [0o022, 0o077])
async def test_every_caller_writes_the_same_bytes_and_mode(project_copy: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch,
                                                           umask: int) -> None:
    sid = "kaz"
    written: dict[str, tuple[bytes, int]] = {}
    before = os.umask(umask)
    try:
        cli_file = tmp_path / "cli" / f"csto-briefing-{sid}.md"
        cli_file.parent.mkdir()
        code, _, err = _cli("export", "--data", str(project_copy), "--state", sid,
                            "-o", str(cli_file))
        assert code == 0, err
        written["cli"] = (cli_file.read_bytes(), stat.S_IMODE(cli_file.stat().st_mode))
        for how in ("key", "briefing", "palette"):
            folder = tmp_path / how
            folder.mkdir()
            monkeypatch.setenv(export.EXPORT_DIR_ENV, str(folder))
            await _dashboard_e(project_copy, sid, how)
            f = folder / f"csto-briefing-{sid}.md"
            written[how] = (f.read_bytes(), stat.S_IMODE(f.stat().st_mode))
    finally:
        os.umask(before)
    assert len(set(written.values())) == 1, {k: v[1] for k, v in written.items()}
    assert written["cli"][1] == 0o666 & ~umask
    rep = check(project_copy)
    expected = export.make(rep.dataset, rep.quote_status, export.Request((sid,)))
    assert written["cli"][0] == expected.text.encode("utf-8")


async def test_an_existing_file_keeps_its_mode_from_every_caller(
        project_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(export.EXPORT_DIR_ENV, str(tmp_path))
    f = tmp_path / "csto-briefing-kaz.md"
    f.write_text("my notes", encoding="utf-8")
    f.chmod(0o600)
    await _dashboard_e(project_copy, "kaz", "key")
    assert f.read_text("utf-8") == "my notes"  # one `e` never replaces other content
    await _dashboard_e(project_copy, "kaz", "key", confirm=True)
    assert stat.S_IMODE(f.stat().st_mode) == 0o600 and "Kazakhstan" in f.read_text("utf-8")
    assert (tmp_path / "csto-briefing-kaz.md.bak").read_text(encoding="utf-8") == "my notes"
    f.chmod(0o640)
    assert _cli("export", "--data", str(project_copy), "--state", "kaz", "-o", str(f))[0] == 0
    assert stat.S_IMODE(f.stat().st_mode) == 0o640


async def test_home_is_expanded_everywhere(project_copy: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    code, _, err = _cli("export", "--data", str(project_copy), "--state", "kaz", "-o",
                        "~/brief.md")
    assert code == 0 and err == f"wrote {tmp_path / 'brief.md'}\n"
    (tmp_path / "exports").mkdir()
    monkeypatch.setenv(export.EXPORT_DIR_ENV, "~/exports")
    await _dashboard_e(project_copy, "kaz", "key")
    assert (tmp_path / "exports" / "csto-briefing-kaz.md").read_bytes() == (
        tmp_path / "brief.md").read_bytes()
    assert not Path("~").exists()


def test_state_is_honoured_by_every_format(project_copy: Path) -> None:
    data = ("--data", str(project_copy))
    whole = json.loads(_cli("export", *data, "--format", "json")[1])
    one = json.loads(_cli("export", *data, "--format", "json", "--state", "kaz")[1])
    assert [s["id"] for s in one["states"]] == ["kaz"] and len(whole["states"]) > 1
    assert one["states_requested"] == ["kaz"]
    # what the Markdown briefing of kaz cites, and nothing else
    md = _cli("export", *data, "--state", "kaz")[1]
    rep = check(project_copy)
    cited = export.make(rep.dataset, rep.quote_status, export.Request(("kaz",))).quotes
    assert [q["id"] for q in one["quotes"]] == [q.id for q in rep.dataset.quotes
                                                if q.id in set(cited)]
    assert len(re.findall(r"^\[\^kaz-\d+\]:", md, re.M)) == len(cited)
    assert {s["id"] for s in one["sources"]} == {q["source"] for q in one["quotes"]}
    assert all("kaz" in e["states"] for e in one["events"])
    two = json.loads(_cli("export", *data, "--format", "json", "--state", "kaz",
                          "--state", "arm")[1])
    assert [s["id"] for s in two["states"]] == sorted(["kaz", "arm"], key=[
        s["id"] for s in whole["states"]].index)


def test_an_unknown_state_is_a_usage_error_in_every_format(project_copy: Path) -> None:
    for fmt in ("markdown", "json"):
        code, out, err = _cli("export", "--data", str(project_copy), "--format", fmt,
                              "--state", "atlantis")
        assert (code, out) == (2, "") and "unknown state: atlantis" in err


HOSTILE_TITLE = "T\x1b]0;pwned\x07 --> <b>*x*</b> [l](http://e) \x1b[31m\u202e&amp;~~s~~"


def test_every_format_escapes_for_its_own_syntax(project_copy: Path) -> None:
    text = project_copy.read_text(encoding="utf-8")
    title = json.dumps(HOSTILE_TITLE)  # JSON's escapes are TOML's too
    text = re.sub(r'^title = ".*"$', lambda _m: f"title = {title}", text, count=1, flags=re.M)
    role = json.dumps("Role with `code`, *stars*, <script>, [^kaz-1] and \x1b[2J")
    head, kaz = text.split('id = "kaz"\n', 1)  # kaz's own role
    kaz = re.sub(r'^role = ".*"$', lambda _m: f"role = {role}", kaz, count=1, flags=re.M)
    text = head + 'id = "kaz"\n' + kaz
    project_copy.write_text(text, encoding="utf-8")
    data = ("--data", str(project_copy))
    md = _cli("export", *data, "--state", "kaz")[1]
    first = md.split("\n", 1)[0]
    assert first.startswith("<!-- ") and first.endswith(" -->") and first.count("--") == 2
    assert "\x1b" not in md and "\x07" not in md and "\u202e" not in md
    assert "^[]0;pwned^G" in first  # shown, not obeyed
    assert r"\<script\>" in md and r"\`code\`" in md and r"\*stars\*" in md
    assert r"\[^kaz-1\]" in md  # a fake footnote reference stays text
    js = _cli("export", *data, "--format", "json", "--state", "kaz")[1]
    assert js.isascii() and "\x1b" not in js
    assert json.loads(js)["title"] == HOSTILE_TITLE  # the data itself, losslessly
