"""SVG snapshots of every screen a user sees, at 80x24 and 120x40, after the data has loaded:
the dashboard, search results, the source view at a passage, the sync review, the help and the
timeline.
(The briefing's are in test_screens.py, beside its other tests.)

The dataset is a small frozen one written here (quotes verbatim from the bundled seeds, which
never change), so that the pictures do not move when data/csto.toml grows. Regenerate with
``pytest tests/test_svg_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pytest_textual_snapshot")

ROOT = Path(__file__).resolve().parent.parent

DATASET = """\
[dataset]
title = "CSTO snapshot dataset"
base = ".."

[[sources]]
id = "a1"
file = "seeds/000_3015bca6c6aaec53.txt"
title = "The CSTO after the Kazakhstan intervention"
date = "2022-02-04"

[[sources]]
id = "a2"
file = "seeds/001_c73d3d911059dc49.txt"
title = "Could the CSTO be drawn into the Russia-Ukraine war?"

[[quotes]]
id = "q-a1-nine-members"
source = "a1"
text = "Consisting of Armenia, Georgia, Belarus, Kazakhstan, Kyrgyzstan, Russia, Tajikistan, Azerbaijan and Uzbekistan, the treaty was meant to assist coordinate army insurance policies between former Soviet states."

[[quotes]]
id = "q-a1-cst-1994"
source = "a1"
text = "The treaty finally got here into power two years later in 1994."

[[quotes]]
id = "q-a1-kaz-headlines"
source = "a1"
text = "the Collective Security Treaty Organization (CSTO), created headlines in January 2022 after 2,500 of its troops entered Kazakhstan to help in restoring order throughout anti-government protests within the nation"

[[quotes]]
id = "q-a2-kaz-jan5"
source = "a2"
text = "the CSTO’s intervention in Kazakhstan on January 5, 2022, proved that the alliance might present advantages to different members in addition to Russia"

[[quotes]]
id = "q-a1-kgz-2010"
source = "a1"
text = "The Kyrgyz authorities had sought assist from the CSTO in 2010, however the group declined to help restore order following clashes between ethnic Kyrgyz and Uzbeks within the southern a part of the nation."

[[quotes]]
id = "q-a2-remit"
source = "a2"
text = "annual remittances despatched from Russia to the house nations of migrant employees belonging to the CSTO member states of Tajikistan and Kyrgyzstan"

[[quotes]]
id = "q-a2-remit-tjk"
source = "a2"
text = "accounted for greater than 26 p.c of Tajikistan’s gross home product (GDP) in 2020"

[[quotes]]
id = "q-a2-remit-kgz"
source = "a2"
text = "roughly 31 p.c of Kyrgyzstan’s GDP for a similar 12 months"

[[quotes]]
id = "q-a2-tjk-201st"
source = "a2"
text = "the lingering presence of the Russian 201st military base helps assure the nation’s inner stability and border with Afghanistan"

[[quotes]]
id = "q-a2-eaeu"
source = "a2"
text = "And all CSTO members aside from Tajikistan are additionally members of the Russian-led financial bloc, the Eurasian Financial Union (EAEU)."

[[quotes]]
id = "q-a1-uzb-2006"
source = "a1"
text = "Uzbekistan, which rejoined the CSTO in 2006 and left once more in 2012, stays the highest precedence for the Kremlin."

[[states]]
id = "kaz"
name = "Kazakhstan"
status = "member"
role = "Founding member; host of the CSTO's January 2022 intervention"
quotes = ["q-a1-nine-members", "q-a1-kaz-headlines", "q-a2-kaz-jan5"]

[[states.membership]]
kind = "member"
from = "1994"
quotes = ["q-a1-cst-1994", "q-a1-nine-members"]

[[states]]
id = "kgz"
name = "Kyrgyzstan"
status = "member"
role = "Founding member; refused CSTO help in 2010"
quotes = ["q-a1-nine-members", "q-a1-kgz-2010"]

[[states.membership]]
kind = "member"
from = "1994"
quotes = ["q-a1-cst-1994", "q-a1-nine-members"]

[[states]]
id = "rus"
name = "Russia"
status = "member"
role = "Founding member and leader of the alliance"
quotes = ["q-a1-nine-members"]

[[states.membership]]
kind = "member"
from = "1994"
quotes = ["q-a1-cst-1994", "q-a1-nine-members"]

[[states]]
id = "tjk"
name = "Tajikistan"
status = "member"
role = "Founding member; hosts the Russian 201st military base"
quotes = ["q-a1-nine-members", "q-a2-tjk-201st"]

[[states.membership]]
kind = "member"
from = "1994"
quotes = ["q-a1-cst-1994", "q-a1-nine-members"]

[[states]]
id = "uzb"
name = "Uzbekistan"
status = "former-member"
role = "Rejoined in 2006, left again in 2012"
quotes = ["q-a1-uzb-2006"]

[[states.membership]]
kind = "member"
from = "2006"
to = "2012"
quotes = ["q-a1-uzb-2006"]

[[metrics]]
id = "m-tjk-remit-2020"
state = "tjk"
category = "economic"
measure = "Remittances from Russia"
value = 26
unit = "% of GDP"
year = 2020
qualifier = "more than"
counterpart = "rus"
quotes = ["q-a2-remit", "q-a2-remit-tjk"]

[[metrics]]
id = "m-kgz-remit-2020"
state = "kgz"
category = "economic"
measure = "Remittances from Russia"
value = 31
unit = "% of GDP"
year = 2020
qualifier = "roughly"
counterpart = "rus"
quotes = ["q-a2-remit", "q-a2-remit-kgz"]

[[metrics]]
id = "m-tjk-base-201"
state = "tjk"
category = "military"
measure = "Russian 201st military base"
present = true
counterpart = "rus"
detail = "Helps guarantee internal stability"
quotes = ["q-a2-tjk-201st"]

[[metrics]]
id = "m-tjk-eaeu"
state = "tjk"
category = "bloc"
measure = "Eurasian Economic Union membership"
present = false
detail = "The only CSTO member outside the EAEU"
quotes = ["q-a2-eaeu"]

[[events]]
id = "ev-2010-06-kgz"
date = "2010-06"
title = "Kyrgyzstan's appeal over ethnic clashes refused"
response = "declined"
states = ["kgz"]
summary = "The CSTO refused to help end clashes between ethnic Kyrgyz and Uzbeks"
quotes = ["q-a1-kgz-2010"]

[[events]]
id = "ev-2022-01-kaz"
date = "2022-01-05"
title = "CSTO intervention in Kazakhstan"
response = "intervened"
states = ["kaz", "rus"]
summary = "2,500 CSTO troops secured critical infrastructure during nationwide protests"
quotes = ["q-a1-kaz-headlines", "q-a2-kaz-jan5"]
"""


def _make_dataset(folder: Path) -> Path:
    from csto_tui.syncing import sync

    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    if not (folder / "seeds").exists():
        shutil.copytree(ROOT / "seeds", folder / "seeds")
    path = data / "csto.toml"
    path.write_text(DATASET, encoding="utf-8")
    sync(path)
    return path


@pytest.fixture
def snapshot_dataset(tmp_path: Path) -> Path:
    return _make_dataset(tmp_path)


async def _wait_loaded(pilot: Any) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def test_dashboard_80x24(snap_compare: Any, snapshot_dataset: Path) -> None:
    from csto_tui.app import CstoApp

    assert snap_compare(CstoApp(snapshot_dataset), terminal_size=(80, 24),
                        run_before=_wait_loaded)


def test_dashboard_120x40(snap_compare: Any, snapshot_dataset: Path) -> None:
    from csto_tui.app import CstoApp

    assert snap_compare(CstoApp(snapshot_dataset), terminal_size=(120, 40),
                        run_before=_wait_loaded)


def test_dashboard_metrics_80x24(snap_compare: Any, snapshot_dataset: Path) -> None:
    """Tajikistan's dependencies: bars compared with Kyrgyzstan, ties as a checklist."""
    from csto_tui.app import CstoApp

    async def before(pilot: Any) -> None:
        await _wait_loaded(pilot)
        pilot.app.dashboard.go_to_record("m-tjk-remit-2020")
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(CstoApp(snapshot_dataset), terminal_size=(80, 24), run_before=before)


def test_dashboard_with_a_two_line_notice_80x24(snap_compare: Any,
                                                snapshot_dataset: Path) -> None:
    """A reload's notice, then one of two lines in its place (an export's, with a path fixed
    for the picture): on the title bar and the panes' top border, the first rows of panes 1
    and 2 (the cursor's row among them) still readable."""
    from csto_tui.app import CstoApp

    async def before(pilot: Any) -> None:
        await _wait_loaded(pilot)
        await pilot.press("r")
        await _wait_loaded(pilot)
        await pilot.pause(0.1)
        pilot.app.notify("Exported: Briefing written to /home/analyst/briefings/2026/"
                         "november/csto-briefing-arm.md", markup=False)
        await pilot.pause(0.1)
        await pilot.pause()

    assert snap_compare(CstoApp(snapshot_dataset), terminal_size=(80, 24), run_before=before)


def test_dashboard_too_small(snap_compare: Any, snapshot_dataset: Path) -> None:
    from csto_tui.app import CstoApp

    assert snap_compare(CstoApp(snapshot_dataset), terminal_size=(60, 20),
                        run_before=_wait_loaded)


async def _search_kazakstan(pilot: Any) -> None:
    """`/kazakstan`: the results screen, one ranked list with the kind on each row."""
    from textual.widgets import Input

    await _wait_loaded(pilot)
    await pilot.press("slash")
    await pilot.pause()
    pilot.app.screen.query_one(Input).cursor_blink = False
    await pilot.press(*"kazakstan")
    await pilot.pause()
    await pilot.pause()


def test_search_results_80x24(snap_compare: Any, snapshot_dataset: Path) -> None:
    from csto_tui.app import CstoApp

    assert snap_compare(CstoApp(snapshot_dataset), terminal_size=(80, 24),
                        run_before=_search_kazakstan)


def test_search_results_120x40(snap_compare: Any, snapshot_dataset: Path) -> None:
    from csto_tui.app import CstoApp

    assert snap_compare(CstoApp(snapshot_dataset), terminal_size=(120, 40),
                        run_before=_search_kazakstan)


SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def _settle(pilot: Any) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


class TestSourceView:
    @pytest.mark.parametrize("size", SIZES)
    def test_open_at_a_passage(self, snap_compare: Any, snapshot_dataset: Path,
                               size: tuple[int, int]) -> None:
        """`o` on Tajikistan's remittances: article a2 scrolled to the quote, marked."""
        from csto_tui.app import CstoApp

        async def before(pilot: Any) -> None:
            await _settle(pilot)
            pilot.app.dashboard.go_to_record("m-tjk-remit-2020")
            await pilot.pause()
            await pilot.press("o")
            await _settle(pilot)

        assert snap_compare(CstoApp(snapshot_dataset), terminal_size=size, run_before=before)


class TestSyncReview:
    @pytest.mark.parametrize("size", SIZES)
    def test_what_would_change(self, snap_compare: Any, snapshot_dataset: Path,
                               size: tuple[int, int]) -> None:
        """`S` after article a1 gained a paragraph at its top: the quotes moved, listed before
        anything is written."""
        from csto_tui.app import CstoApp
        from csto_tui.screens.sync_screen import SyncScreen

        seed = snapshot_dataset.parent.parent / "seeds" / "000_3015bca6c6aaec53.txt"
        seed.write_text("A note added on top.\n\n" + seed.read_text(encoding="utf-8"),
                        encoding="utf-8")

        async def before(pilot: Any) -> None:
            await _settle(pilot)
            await pilot.press("S")
            screen = pilot.app.screen
            assert isinstance(screen, SyncScreen)
            for _ in range(500):
                if screen.state == "planned":
                    break
                await pilot.pause(0.02)
            assert screen.state == "planned"
            await pilot.pause()

        assert snap_compare(CstoApp(snapshot_dataset), terminal_size=size, run_before=before)


class TestHelp:
    @pytest.mark.parametrize("size", SIZES)
    def test_every_key(self, snap_compare: Any, snapshot_dataset: Path,
                       size: tuple[int, int]) -> None:
        from csto_tui.app import CstoApp

        async def before(pilot: Any) -> None:
            await _settle(pilot)
            await pilot.press("question_mark")
            await pilot.pause()

        assert snap_compare(CstoApp(snapshot_dataset), terminal_size=size, run_before=before)


class TestThemes:
    """The dashboard in the terminal's own 16 colours, in high contrast, and with NO_COLOR over
    an ANSI theme: the markers carry the meaning in each."""

    @pytest.mark.parametrize("theme", ["ansi-dark", "ansi-light", "high-contrast"])
    def test_dashboard_80x24(self, snap_compare: Any, snapshot_dataset: Path,
                             theme: str) -> None:
        from csto_tui.app import CstoApp

        assert snap_compare(CstoApp(snapshot_dataset, theme=theme), terminal_size=(80, 24),
                            run_before=_settle)

    def test_no_color_over_ansi_dark_80x24(self, snap_compare: Any, snapshot_dataset: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
        from csto_tui.app import CstoApp

        monkeypatch.setenv("NO_COLOR", "1")
        assert snap_compare(CstoApp(snapshot_dataset, theme="ansi-dark"),
                            terminal_size=(80, 24), run_before=_settle)


class TestCounts:
    @pytest.mark.parametrize("size", SIZES)
    def test_crises_by_action_and_year(self, snap_compare: Any, snapshot_dataset: Path,
                                       size: tuple[int, int]) -> None:
        from csto_tui.app import CstoApp

        async def before(pilot: Any) -> None:
            await _settle(pilot)
            await pilot.press("v")
            await pilot.pause()

        assert snap_compare(CstoApp(snapshot_dataset), terminal_size=size, run_before=before)


class TestTimeline:
    """The membership timeline (t): spans that go on end with their mark at the edge."""

    @pytest.mark.parametrize("size", SIZES)
    def test_membership_over_the_years(self, snap_compare: Any, snapshot_dataset: Path,
                                       size: tuple[int, int]) -> None:
        from csto_tui.app import CstoApp

        async def before(pilot: Any) -> None:
            await _settle(pilot)
            await pilot.press("t")
            await pilot.pause()

        assert snap_compare(CstoApp(snapshot_dataset), terminal_size=size, run_before=before)


class TestBrieferScreens:
    """The briefer's screens (#14): a pane maximised, a state's own figure first, the copy
    box when nothing can confirm the copy."""

    @pytest.mark.parametrize("size", SIZES)
    def test_dependencies_maximised(self, snap_compare: Any, snapshot_dataset: Path,
                                    size: tuple[int, int]) -> None:
        """Tajikistan's dependencies, z: its own remittances bar first, out of 100%."""
        from csto_tui.app import CstoApp

        async def before(pilot: Any) -> None:
            await _settle(pilot)
            pilot.app.dashboard.go_to_record("tjk")
            await pilot.pause()
            await pilot.press("2", "z")
            await _settle(pilot)

        assert snap_compare(CstoApp(snapshot_dataset), terminal_size=size, run_before=before)

    @pytest.mark.parametrize("size", SIZES)
    def test_copy_box(self, snap_compare: Any, snapshot_dataset: Path, size: tuple[int, int],
                      monkeypatch: pytest.MonkeyPatch) -> None:
        """`y` outside tmux: what was done, and the text to select by hand."""
        from csto_tui.app import CstoApp

        monkeypatch.delenv("TMUX", raising=False)
        app = CstoApp(snapshot_dataset)
        app.copy_to_clipboard = lambda text: None  # type: ignore[method-assign]

        async def before(pilot: Any) -> None:
            await _settle(pilot)
            await pilot.press("4", "y")
            await _settle(pilot)

        assert snap_compare(app, terminal_size=size, run_before=before)
