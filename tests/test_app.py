"""The dashboard: panes, sync, keys, reload, export, small terminals, literal text."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

pytest.importorskip("textual")

from csto_tui.app import CstoApp  # noqa: E402
from csto_tui.keys import GROUPS, key_label  # noqa: E402
from csto_tui.loader import default_dataset_path  # noqa: E402
from csto_tui.widgets import EventsPane, ExcerptsPane, MetricsPane, StateList  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    """The bundled dataset with its anchors and seeds, copied so that base='..' resolves."""
    src = default_dataset_path()
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy2(src, data / "csto.toml")
    anchors = src.with_name(src.stem + ".anchors.toml")
    if anchors.exists():
        shutil.copy2(anchors, data / "csto.anchors.toml")
    shutil.copytree(src.parent.parent / "seeds", tmp_path / "seeds")
    return data / "csto.toml"


async def _ready(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def _plain(pane) -> str:
    """Every option's text in a pane, as shown (markup never interpreted)."""
    return "\n".join(str(o.prompt) for o in pane.rows)


def _prompts(pane) -> str:
    return "\n".join(o.prompt.plain for o in pane.rows)


async def test_loads_and_fills_the_four_panes(dataset: Path) -> None:
    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        assert app.data.dataset is not None
        assert app.title == "csto-tui"
        assert "states" in app.sub_title and str(len(app.data.dataset.states)) in app.sub_title
        states = app.query_one(StateList)
        first = app.data.dataset.states_sorted()[0]
        assert states.record_id == first.id == app.dashboard.selected_state
        assert app.focused is states
        for pane, title in ((StateList, "1 States"), (MetricsPane, "2 Dependencies"),
                            (EventsPane, "3 Crises"), (ExcerptsPane, "4 Sources")):
            w = app.query_one(pane)
            assert str(w.border_title) == title
            assert w.region.width > 0 and w.region.height > 2, title
        assert "M " in _prompts(states)


async def test_j_k_and_arrows_move_the_state_list(dataset: Path) -> None:
    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        order = [s.id for s in app.data.dataset.states_sorted()]
        await pilot.press("j")
        await pilot.pause()
        assert app.dashboard.selected_state == order[1]
        await pilot.press("down")
        await pilot.pause()
        assert app.dashboard.selected_state == order[2]
        await pilot.press("k")
        await pilot.pause()
        assert app.dashboard.selected_state == order[1]
        await pilot.press("up")
        await pilot.pause()
        assert app.dashboard.selected_state == order[0]


async def test_tab_shift_tab_and_numbers_move_focus(dataset: Path) -> None:
    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        ids = ["states", "metrics", "events", "excerpts"]
        for expected in ids[1:] + ids[:1]:
            await pilot.press("tab")
            await pilot.pause()
            assert app.focused is not None and app.focused.id == expected
        await pilot.press("shift+tab")
        await pilot.pause()
        assert app.focused.id == "excerpts"
        for n, expected in zip("1234", ids, strict=False):
            await pilot.press(n)
            await pilot.pause()
            assert app.focused.id == expected
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused.id == "states"
        await pilot.press("escape")  # never quits
        await pilot.pause()
        assert app.is_running


async def test_selecting_kazakhstan_syncs_crises_and_sources(dataset: Path) -> None:
    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        order = [s.id for s in app.data.dataset.states_sorted()]
        for _ in range(order.index("kaz")):
            await pilot.press("j")
        await pilot.pause()
        assert app.dashboard.selected_state == "kaz"
        events = app.query_one(EventsPane)
        assert "ev-2022-01-kaz" in [o.id for o in events.rows]
        assert "Jan 2022" in _prompts(events)
        assert "[+]" in _prompts(events)
        excerpts = app.query_one(ExcerptsPane)
        assert app.dashboard.focused_record == "kaz"
        assert "Kazakhstan" in _prompts(excerpts)
        # into the crises pane: Enter on a state focuses its crises
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is events
        events.highlight_id("ev-2022-01-kaz")
        await pilot.pause()
        assert app.dashboard.focused_record == "ev-2022-01-kaz"
        ev = app.data.dataset.get("ev-2022-01-kaz")
        shown = [o.id for o in excerpts.rows if o.id]
        for qid in app.data.dataset.quotes_of(ev):
            assert qid in shown
        assert "sources" in str(excerpts.border_subtitle) or "source" in str(
            excerpts.border_subtitle)
        # the quote is cited in words (article, date, paragraph); its offsets only in the
        # detail line below it
        from csto_tui import citation

        ds = app.data.dataset
        q = ds.quote(ds.quotes_of(ev)[0])
        a = ds.anchors[q.id]
        n = [s.id for s in ds.sources].index(q.source) + 1
        assert f"Article {n}" in citation.label(ds, q.id)
        assert ", paragraph " in citation.label(ds, q.id)
        assert citation.label(ds, q.id) in _prompts(excerpts)
        assert f"source {q.source}, characters {a.start}-{a.end}" in _prompts(excerpts)
        assert "(descriptive title)" not in _prompts(excerpts)


async def test_metric_cursor_shows_its_quotes(dataset: Path) -> None:
    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        ds = app.data.dataset
        m = next(m for m in ds.metrics if ds.state(m.state))
        app.dashboard.go_to_record(m.id)
        await pilot.pause()
        await pilot.pause()
        assert app.dashboard.selected_state == m.state
        assert app.focused is app.query_one(MetricsPane)
        assert app.dashboard.focused_record == m.id
        shown = [o.id for o in app.query_one(ExcerptsPane).rows if o.id]
        assert set(ds.quotes_of(m)) <= set(shown)


async def test_figures_are_bars_compared_across_states(dataset: Path) -> None:
    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        ds = app.data.dataset
        figs = [m for m in ds.metrics if m.is_figure]
        if not figs:
            pytest.skip("no figures in the dataset yet")
        m = figs[0]
        app.dashboard.go_to_record(m.id)
        await pilot.pause()
        text = _prompts(app.query_one(MetricsPane))
        assert "\u2588" in text or "#" in text or "\u258f" in text
        assert ds.state(m.state).name in text


async def test_filter_cycles_and_shows_in_subtitle(dataset: Path) -> None:
    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        states = app.query_one(StateList)
        total = len(states.state_ids)
        await pilot.press("f")
        await pilot.pause()
        assert states.filter == "members"
        assert "members" in str(states.border_subtitle)
        members = {s.id for s in app.data.dataset.states if s.status == "member"}
        assert set(states.state_ids) == members
        assert app.dashboard.selected_state in members
        await pilot.press("f")
        await pilot.pause()
        assert states.filter == "former"
        assert all(app.data.dataset.state(i).status == "former-member" for i in states.state_ids)
        for _ in range(3):
            await pilot.press("f")
        await pilot.pause()
        assert states.filter == "all"
        assert len(states.state_ids) == total


async def test_a_toggles_all_events(dataset: Path) -> None:
    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        events = app.query_one(EventsPane)
        mine = len([o for o in events.rows if o.id])
        await pilot.press("a")
        await pilot.pause()
        assert app.dashboard.all_events
        assert len([o for o in events.rows if o.id]) == len(app.data.dataset.events) > mine
        assert "all" in str(events.border_subtitle)
        await pilot.press("a")
        await pilot.pause()
        assert not app.dashboard.all_events
        assert len([o for o in events.rows if o.id]) == mine


async def test_help_lists_every_binding_and_escape_closes(dataset: Path) -> None:
    from csto_tui.screens.help_screen import HelpScreen

    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text").render())
        for group in GROUPS:
            assert group.title in text
        for b in [b for g in GROUPS for b in g.bindings]:
            assert b.description in text, b
            assert key_label(b) in text, b
            assert b.id, f"binding {b.key} has no id"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        assert app.is_running


async def test_palette_offers_the_actions(dataset: Path) -> None:
    from csto_tui.commands import ActionsProvider, palette_actions
    from csto_tui.screens.dashboard import DashboardScreen

    assert ActionsProvider in DashboardScreen.COMMANDS
    names = [n for n, *_ in palette_actions()]
    for wanted in ("Brief", "Timeline", "Export", "Copy quote", "Filter", "All crises",
                   "Reload", "Open source", "Search", "Keys", "Quit"):
        assert wanted in names
    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        provider = ActionsProvider(app.screen)
        hits = [h async for h in provider.search("timeline")]
        assert hits and "Timeline" in str(hits[0].text)
        found = [h.text async for h in provider.discover()]
        assert "Brief" in found
        await pilot.press("ctrl+p")
        await pilot.pause()
        from textual.command import CommandPalette

        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CommandPalette)


async def test_palette_offers_dashboard_actions_and_records_on_the_dashboard_only(
        dataset: Path) -> None:
    """Opened on another screen (the briefing), the palette does not offer the dashboard's
    actions and records: chosen there, they did nothing."""
    from textual.command import CommandList, CommandPalette

    from csto_tui.screens.briefing_view import BriefingScreen

    async def offered(pilot, query: str) -> str:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(pilot.app.screen, CommandPalette)
        await pilot.press(*query)
        await pilot.pause(0.5)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        options = pilot.app.screen.query_one(CommandList).options
        text = "\n".join(str(o.prompt) for o in options)
        await pilot.press("escape")
        await pilot.pause()
        return text

    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        assert "Facts only" in await offered(pilot, "facts only")
        assert "Kyrgyzstan" in await offered(pilot, "kyrgyzstan")
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)
        assert "Facts only" not in await offered(pilot, "facts only")
        assert "Kyrgyzstan" not in await offered(pilot, "kyrgyzstan")
        assert isinstance(app.screen, BriefingScreen)


async def test_palette_runs_a_pane_action(dataset: Path) -> None:
    from csto_tui.commands import ActionsProvider

    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        provider = ActionsProvider(app.screen)
        hit = [h async for h in provider.search("filter")][0]
        hit.command()
        await pilot.pause()
        await pilot.pause()
        assert app.query_one(StateList).filter == "members"


def _first_exact_quote_in(app: CstoApp, source_id: str) -> str:
    ds = app.data.dataset
    for q in ds.quotes:
        if q.source == source_id and app.data.statuses.get(q.id) == "exact" and ds.citers(q.id):
            return q.id
    raise AssertionError("no exact quote")


async def test_reload_on_file_change_flags_changed_quotes(dataset: Path) -> None:
    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        old = app.data.dataset
        version = app.data.version
        order = [s.id for s in old.states_sorted()]
        await pilot.press("j")
        await pilot.pause()
        keep = app.dashboard.selected_state
        assert keep == order[1]
        qid = _first_exact_quote_in(app, "a1")
        q = old.quote(qid)
        src_path = old.source("a1").path
        text = src_path.read_text(encoding="utf-8")
        a = old.anchors[qid]
        # change one word inside the quote, in the copied source
        words = text[a.start:a.end].split(" ")
        i = max(range(len(words)), key=lambda k: len(words[k]))
        words[i] = "zzz" + words[i][::-1]
        src_path.write_text(text[:a.start] + " ".join(words) + text[a.end:], encoding="utf-8")
        with dataset.open("a", encoding="utf-8") as fh:
            fh.write("\n# a harmless comment\n")
        app.dashboard.feed.poll()
        await _ready(pilot)
        assert app.data.version == version + 1
        assert app.data.dataset is not old
        assert app.dashboard.selected_state == keep  # selection kept by id
        assert app.data.statuses[qid] != "exact"
        assert "review" in app.sub_title
        # the alert comes before the counts, which an 80-column title line cuts off first
        assert app.sub_title.index("review") < app.sub_title.index("states")
        app.dashboard.go_to_record(qid)
        await pilot.pause()
        await pilot.pause()
        excerpts = app.query_one(ExcerptsPane)
        assert qid in [o.id for o in excerpts.rows]
        assert f"[{app.data.statuses[qid]}]" in _prompts(excerpts)
        assert q.source in _prompts(excerpts)


async def test_interval_poll_picks_up_changes(dataset: Path) -> None:
    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        version = app.data.version
        with dataset.open("a", encoding="utf-8") as fh:
            fh.write("\n# touched\n")
        for _ in range(30):
            await pilot.pause(0.1)
            if app.data.version > version:
                break
        await _ready(pilot)
        assert app.data.version == version + 1


async def test_a_dataset_caught_halfway_through_a_save_is_not_shown(dataset: Path) -> None:
    """An editor saving a big dataset truncates it, then writes for a moment: a reload that
    reads it then would show an empty dashboard. The reload waits until the file is left
    alone, then shows the saved data, once."""
    import threading
    import time

    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        version = app.data.version
        text = dataset.read_text(encoding="utf-8")
        dataset.write_text("", encoding="utf-8")  # the save has begun

        def finish() -> None:
            time.sleep(0.2)
            dataset.write_text(text + "\n# saved\n", encoding="utf-8")

        writer = threading.Thread(target=finish)
        writer.start()
        app.dashboard.feed.poll()  # the poll comes while the file is empty
        await pilot.pause(0.05)  # the load worker starts meanwhile
        await _ready(pilot)
        writer.join()
        assert app.data.version == version + 1  # one reload, of the saved file
        assert len(app.data.dataset.states) > 10 and app.data.load_error is None


async def test_broken_toml_keeps_last_good_data(dataset: Path) -> None:
    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        good = app.data.dataset
        n_lines = dataset.read_text(encoding="utf-8").count("\n")
        with dataset.open("a", encoding="utf-8") as fh:
            fh.write("\n[[states]\nid = \n")
        app.dashboard.feed.poll()
        await _ready(pilot)
        assert app.data.dataset is good
        assert app.data.load_error is not None
        notes = [n for n in app._notifications]
        errors = [n for n in notes if n.severity == "error"]
        assert errors, notes
        msg = errors[-1].message
        assert "csto.toml" in msg
        m = re.search(r"csto\.toml:(\d+)", msg)
        assert m and int(m.group(1)) > n_lines
        assert errors[-1].timeout >= 10
        # the panes still show the last good data
        assert len(app.query_one(StateList).state_ids) == len(good.states)
        # fixing the file reloads
        text = dataset.read_text(encoding="utf-8")
        dataset.write_text(text.replace("\n[[states]\nid = \n", "\n"), encoding="utf-8")
        app.dashboard.feed.poll()
        await _ready(pilot)
        assert app.data.load_error is None
        assert app.data.dataset is not good


async def test_r_forces_a_reload(dataset: Path) -> None:
    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        version = app.data.version
        await pilot.press("r")
        await _ready(pilot)
        assert app.data.version == version + 1


async def test_too_small_shows_a_message(dataset: Path) -> None:
    app = CstoApp(dataset)
    async with app.run_test(size=(60, 20)) as pilot:
        await _ready(pilot)
        msg = app.query_one("#too-small")
        assert msg.display and msg.region.width > 0
        assert "80x24" in str(msg.render()) and "60x20" in str(msg.render())
        assert app.query_one("#main").region.width == 0
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        assert app.query_one("#too-small").region.width == 0
        assert app.query_one(StateList).region.width > 0


async def test_e_exports_the_selected_briefing(dataset: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setenv("CSTO_TUI_EXPORT_DIR", str(out))
    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        sid = app.dashboard.selected_state
        await pilot.press("e")
        await _ready(pilot)
        path = out / f"csto-briefing-{sid}.md"
        assert path.exists()
        body = path.read_text(encoding="utf-8")
        assert app.data.dataset.state(sid).name in body
        assert any(str(path) in n.message for n in app._notifications)


async def test_y_copies_the_quote_with_its_citation(dataset: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside tmux: OSC 52, which nothing confirms, so the text is also shown in a box from
    which it can be selected by hand."""
    from textual.widgets import TextArea

    from csto_tui import citation
    from csto_tui.screens.copy_screen import CopyScreen

    monkeypatch.delenv("TMUX", raising=False)
    app = CstoApp(dataset)
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        await pilot.press("4")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert copied
        qid = app.query_one(ExcerptsPane).quote_id
        q = app.data.dataset.quote(qid)
        assert copied[0].startswith("\u201c" + q.text[:20])
        assert f"({citation.label(app.data.dataset, qid)}: " in copied[0]
        assert isinstance(app.screen, CopyScreen)
        assert app.screen.query_one(TextArea).text == copied[0]
        assert "OSC 52" in str(app.screen.query_one("#copy-how").render())
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CopyScreen)


async def test_markup_in_data_is_shown_literally(dataset: Path) -> None:
    text = dataset.read_text(encoding="utf-8")
    first = None
    from csto_tui.loader import load

    first = load(dataset).dataset.states_sorted()[0]
    needle = f'id = "{first.id}"'
    start = text.index(needle)
    role_at = text.index("role = ", start)
    end = text.index("\n", role_at)
    text = text[:role_at] + 'role = "[bold]x[/] \\u001b[31m red"' + text[end:]
    dataset.write_text(text, encoding="utf-8")
    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        assert app.dashboard.selected_state == first.id
        excerpts = app.query_one(ExcerptsPane)
        shown = _plain(excerpts)
        assert "[bold]x[/]" in shown
        assert "^[[31m" in shown  # the escape character is made visible
        assert "\x1b" not in shown


async def test_open_source_and_go_back_to_a_record(dataset: Path) -> None:
    pytest.importorskip("csto_tui.screens.source_view")
    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        await pilot.press("4")
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        await pilot.pause()
        from csto_tui.screens.source_view import SourceScreen

        assert isinstance(app.screen, SourceScreen)
        app.screen.dismiss("ev-2022-01-kaz")
        await pilot.pause()
        await pilot.pause()
        assert app.dashboard.selected_state in app.data.dataset.get("ev-2022-01-kaz").states
        assert app.dashboard.focused_record == "ev-2022-01-kaz"
        assert app.focused is app.query_one(EventsPane)


async def test_b_opens_the_briefing_of_the_selected_state_in_list_order(dataset: Path) -> None:
    pytest.importorskip("csto_tui.screens.briefing_view")
    from csto_tui.screens.briefing_view import BriefingScreen

    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        await pilot.press("f", "j", "j", "b")
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)
        states = app.query_one(StateList)
        assert app.screen.state_ids == states.state_ids
        assert app.screen.state_ids[app.screen.index] == app.dashboard.selected_state
        assert app.dashboard.selected_state == states.state_ids[2]
        # dashboard keys do not fire over another screen
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.screen_stack[0]


async def test_t_opens_the_timeline_and_its_choice_selects_a_state(dataset: Path) -> None:
    pytest.importorskip("csto_tui.screens.timeline_view")
    from csto_tui.screens.timeline_view import TimelineScreen

    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TimelineScreen)
        app.screen.dismiss("kgz")
        await pilot.pause()
        await pilot.pause()
        assert app.dashboard.selected_state == "kgz"
        assert app.query_one(StateList).record_id == "kgz"


async def test_go_to_record_resets_a_filter_that_hides_the_state(dataset: Path) -> None:
    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        await pilot.press("f")  # members only
        await pilot.pause()
        outside = next(s for s in app.data.dataset.states if s.status != "member")
        app.dashboard.go_to_record(outside.id)
        await pilot.pause()
        states = app.query_one(StateList)
        assert states.filter == "all"
        assert app.dashboard.selected_state == outside.id == states.record_id
        assert app.focused is states


async def test_a_broken_file_at_start_shows_the_error_not_a_traceback(dataset: Path) -> None:
    dataset.write_text("[dataset\ntitle = 1\n", encoding="utf-8")
    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        assert app.data.dataset is None
        assert app.is_running
        errors = [n for n in app._notifications if n.severity == "error"]
        assert errors and "csto.toml:1" in errors[-1].message
        assert "Could not load" in _prompts(app.query_one(StateList))
        await pilot.press("b", "e", "y", "o", "t", "a", "f", "j", "tab", "enter")
        await pilot.pause()
        assert app.is_running


async def test_slash_searches_and_goes_to_the_chosen_record(dataset: Path) -> None:
    pytest.importorskip("csto_tui.screens.search_screen")
    from csto_tui.screens.search_screen import SearchScreen

    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        assert app.data.search_index is not None
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"kyrgyzstan")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert not isinstance(app.screen, SearchScreen)
        assert app.dashboard.selected_state == "kgz"
        # Escape from search leaves the panes as they were
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.screen_stack[0]
        assert app.dashboard.selected_state == "kgz"


def test_bars_and_short_values() -> None:
    from csto_tui.model import Metric
    from csto_tui.widgets.render import bar, short_value

    assert bar(31, 31, 10) == "\u2588" * 10
    assert bar(0, 31, 10) == " " * 10
    half = bar(15.5, 31, 10)
    assert half.startswith("\u2588" * 5) and len(half) == 10
    assert bar(26, 31, 10, ascii_only=True).rstrip() == "#" * 8
    assert set(bar(26, 31, 10, ascii_only=True)) <= {"#", " "}
    m = Metric("m", "tjk", "economic", "Remittances", value=26, unit="% of GDP",
               qualifier="more than")
    assert short_value(m) == ">26%"
    assert m.value_text() == "more than 26% of GDP"
    k = Metric("k", "kgz", "economic", "Remittances", value=31, unit="% of GDP",
               qualifier="roughly")
    assert short_value(k) == "~31%"


async def test_ascii_bars_when_the_terminal_is_not_utf8(dataset: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSTO_TUI_ASCII", "1")
    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        figs = [m for m in app.data.dataset.metrics if m.is_figure]
        if not figs:
            pytest.skip("no figures in the dataset yet")
        app.dashboard.go_to_record(figs[0].id)
        await pilot.pause()
        text = _prompts(app.query_one(MetricsPane))
        assert "#" in text and "\u2588" not in text


async def test_long_lists_build_only_the_rows_on_screen() -> None:
    """States and crises panes hold one-line rows built lazily: 5,000 rows cost a screenful;
    the cursor, paging and the end key still reach every row."""
    from textual.app import App

    from csto_tui.widgets.pane import Pane, Row

    built: list[int] = []

    def row(i: int):
        from rich.text import Text

        built.append(i)
        return Text(f"row {i}", no_wrap=True)

    class Host(App[None]):
        def compose(self):
            yield Pane(id="p")

    app = Host()
    async with app.run_test(size=(40, 12)) as pilot:
        pane = app.query_one(Pane)
        pane.set_rows([Row(lambda i=i: row(i), id=f"r{i}") for i in range(5000)],
                      one_line=True)
        pane.highlight_first()
        pane.focus()
        await pilot.pause()
        assert len(pane.rows) == 5000 and pane.virtual_size.height == 5000
        assert 0 < len(built) <= 20
        await pilot.press("j", "pagedown")
        await pilot.pause()
        assert pane.highlighted == 1 + pane.scrollable_content_region.height
        await pilot.press("end")
        await pilot.pause()
        assert pane.record_id == "r4999"
        assert "row 4999" in pane.render_line(pane.size.height - 1).text
        assert pane.highlight_id("r2500") and pane.scroll_offset.y <= 2500
        await pilot.pause()
        assert len(built) <= 60


def test_a_figure_with_many_peers_shows_the_top_and_the_neighbours() -> None:
    from csto_tui.model import Metric
    from csto_tui.widgets.metrics_pane import MAX_PEERS, _window

    peers = [Metric(f"m{i}", f"s{i}", "economic", "X", value=1000 - i, unit="%")
             for i in range(500)]
    assert _window(peers[:MAX_PEERS], peers[3]) == peers[:MAX_PEERS]
    shown = _window(peers, peers[250])
    assert len(shown) < 30 and peers[250] in shown and peers[0] in shown
    assert shown[-1] is peers[-1] and shown.count(None) == 2


async def test_a_big_dataset_says_what_it_is_loading(dataset: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import csto_tui.feed as app_module

    monkeypatch.setattr(app_module, "PROGRESS_BYTES", 0)
    monkeypatch.setattr(app_module, "INLINE_LOAD_BYTES", 0)  # loaded by the worker
    monkeypatch.setenv("CSTO_TUI_CACHE", "0")  # no snapshot: not quick to load
    from csto_tui.screens.dashboard import DashboardScreen

    seen: list[str] = []
    show = DashboardScreen.on_load_progress

    def spy(self, message):
        seen.append(" ".join(message.lines))
        show(self, message)

    monkeypatch.setattr(DashboardScreen, "on_load_progress", spy)
    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        assert [s.split()[0] for s in seen] == ["Loading", "Checking", "Listing"]
        assert "quotes" in seen[1] and "states" in seen[2]
        assert "states" in app.sub_title and "Listing" not in app.sub_title


async def test_a_dataset_with_a_snapshot_loads_before_the_first_paint(
        dataset: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import csto_tui.feed as app_module

    monkeypatch.setattr(app_module, "INLINE_LOAD_BYTES", 0)  # as if it were big
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("CSTO_TUI_CACHE", raising=False)
    workers: list[bool] = []
    real = app_module.DataFeed.load_in_worker

    def spy(self):
        workers.append(True)
        return real(self)

    monkeypatch.setattr(app_module.DataFeed, "load_in_worker", spy)

    async def first_load() -> bool:
        """Whether the first load went through the worker."""
        workers.clear()
        app = CstoApp(dataset)
        async with app.run_test(size=(80, 24)) as pilot:
            await _ready(pilot)
            assert app.data.dataset is not None and app.data.statuses
        return bool(workers)

    assert await first_load()  # no snapshot yet: the worker, with progress if big
    assert not await first_load()  # the snapshot written by that load: before the paint
    monkeypatch.setattr(app_module, "INLINE_SNAPSHOT_BYTES", 0)  # too big to block on
    assert await first_load()


async def test_a_load_fills_each_pane_once(dataset: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    for cls, name in ((MetricsPane, "show_state"), (EventsPane, "show_state"),
                      (ExcerptsPane, "show_record")):
        original = getattr(cls, name)

        def spy(self, *args, _original=original, _cls=cls, **kwargs):
            calls.append(_cls.__name__)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(cls, name, spy)
    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        assert sorted(calls) == ["EventsPane", "ExcerptsPane", "MetricsPane"]
        # the panes still follow the state list afterwards
        calls.clear()
        await pilot.press("j")
        await pilot.pause()
        assert app.dashboard.selected_state == app.query_one(StateList).record_id
        assert "MetricsPane" in calls and "ExcerptsPane" in calls


async def test_the_footer_is_repainted_only_when_its_keys_change(dataset: Path) -> None:
    from csto_tui.widgets.footer import KeysFooter

    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        footer = app.query_one(KeysFooter)
        assert not footer.children  # one widget, not one per key
        assert "f" in footer.keys  # the state list's own keys are shown
        assert footer.keys[-1] == "ctrl+p"  # the palette's key last, at the right edge
        line = footer.render().plain
        assert len(line) == 80 and line.endswith("Ctrl+P palette") and "f Filter" in line
        repaints = []
        real = footer.refresh
        footer.refresh = lambda *a, **k: repaints.append(1) or real(*a, **k)  # type: ignore[method-assign]
        app.screen.refresh_bindings()  # same keys: nothing repainted
        await pilot.pause()
        assert not repaints
        await pilot.press("3")  # the crises pane has other keys
        await pilot.pause()
        await pilot.pause()
        assert "a" in footer.keys and "f" not in footer.keys and repaints


async def test_clicking_a_key_in_the_footer_runs_it(dataset: Path) -> None:
    from csto_tui.widgets.footer import KeysFooter

    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        footer = app.query_one(KeysFooter)
        line = footer.render().plain
        await pilot.click(KeysFooter, offset=(line.index("? Keys"), 0))
        await pilot.pause()
        assert app.screen.__class__.__name__ == "HelpScreen"


def test_giving_memory_back_is_safe_anywhere(monkeypatch: pytest.MonkeyPatch) -> None:
    """After a big load the dashboard hands freed heap pages back (glibc); elsewhere, or
    without glibc, it does nothing and says nothing."""
    import sys

    from csto_tui import feed as app_mod

    app_mod.give_back_memory()
    monkeypatch.setattr(sys, "platform", "darwin")
    app_mod.give_back_memory()
    import ctypes

    def no_libc(*_a: object, **_k: object) -> None:
        raise OSError("no libc.so.6 here")

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(ctypes, "CDLL", no_libc)
    app_mod.give_back_memory()


async def test_the_benchmark_hook_notes_the_first_screen_and_exits(
        dataset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """benchmarks/screen_timing.py times the launch until the first screen with data: the
    app writes the time to CSTO_TUI_BENCH_EXIT's file once that screen is painted, then
    leaves by itself."""
    stamp = tmp_path / "painted"
    monkeypatch.setenv("CSTO_TUI_BENCH_EXIT", str(stamp))
    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(100):
            if not app.is_running:
                break
            await pilot.pause(0.02)
        assert not app.is_running
    assert float(stamp.read_text(encoding="utf-8")) > 0


async def test_a_big_dataset_lists_the_states_of_its_last_load_before_loading_again(
        dataset: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A dataset loaded in the worker: its next first screen lists the states its last load
    saw while it loads (keys move the cursor), and the load keeps the state picked meanwhile.
    An edited file, or the cache turned off, and pane 1 waits for the load."""
    import threading

    import csto_tui.feed as feed
    import csto_tui.loader as loader

    monkeypatch.setattr(feed, "INLINE_LOAD_BYTES", 0)
    monkeypatch.setattr(feed, "INLINE_SNAPSHOT_BYTES", 0)  # always the worker
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("CSTO_TUI_CACHE", raising=False)
    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        expected = app.query_one(StateList).state_ids
    assert len(expected) > 3

    release = threading.Event()
    real_load = loader.load

    def slow_load(path):
        assert release.wait(10)
        return real_load(path)

    monkeypatch.setattr(loader, "load", slow_load)
    app = CstoApp(dataset)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        states = app.query_one(StateList)
        assert app.data.dataset is None and states.state_ids == expected
        assert app.query_one(MetricsPane).record_id is None  # the rest waits for the data
        await pilot.press("j", "j")
        assert states.record_id == expected[2]
        release.set()
        await _ready(pilot)
        assert app.data.dataset is not None
        assert app.dashboard.selected_state == expected[2] == states.record_id
        assert app.query_one(MetricsPane).rows  # filled now

    release.clear()
    dataset.write_text(dataset.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    for cache_off in (False, True):
        if cache_off:
            monkeypatch.setenv("CSTO_TUI_CACHE", "0")
        app = CstoApp(dataset)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert app.query_one(StateList).state_ids == []  # not known: the file changed
            release.set()
            await _ready(pilot)
            assert app.query_one(StateList).state_ids == expected
        release.clear()
