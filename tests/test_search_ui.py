"""Search as a user drives it: `/`, type, see one ranked list (grouped on request), Enter,
panes in sync, Escape, n / N through the results on every screen they open, and the same
engine and order in the command palette."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("textual")

from screen_text import screen_text  # noqa: E402
from textual.widgets import Static  # noqa: E402

from csto_tui.app import CstoApp  # noqa: E402
from csto_tui.record_commands import RecordsProvider  # noqa: E402
from csto_tui.screens.search_screen import SearchScreen  # noqa: E402
from csto_tui.screens.source_view import SourceScreen  # noqa: E402
from csto_tui.search import KIND_WORDS  # noqa: E402
from csto_tui.textsafe import one_line  # noqa: E402
from csto_tui.widgets import EventsPane, ExcerptsPane, StateList  # noqa: E402
from csto_tui.widgets.cursor_list import CursorList  # noqa: E402


async def ready(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def search(pilot, query: str) -> SearchScreen:
    await pilot.press("slash")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, SearchScreen)
    await pilot.press(*query)
    await pilot.pause()
    return screen


async def test_typo_finds_the_state_and_enter_syncs_every_pane(project_copy: Path) -> None:
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = await search(pilot, "Kazakstan")
        assert screen.hits and screen.hits[0].kind == "state" and screen.hits[0].id == "kaz"
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, SearchScreen)
        assert app.dashboard.selected_state == "kaz"
        assert app.query_one(StateList).record_id == "kaz"
        events = app.query_one(EventsPane)
        assert any(e.id == "ev-2022-01-kaz-intervention" or "Kazakhstan" in e.title
                   for e in app.data.dataset.events_of("kaz"))
        assert len(events.rows) >= 1
        assert app.query_one(ExcerptsPane).quote_ids


async def test_results_update_per_key_as_one_ranked_list(project_copy: Path) -> None:
    app = CstoApp(project_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        screen = await search(pilot, "rapid")
        first = [h.kind for h in screen.hits]
        await pilot.press(*" reaction")
        await pilot.pause()
        kinds = [h.kind for h in screen.hits]
        assert kinds and first and kinds != first
        scores = [h.score for h in screen.hits]
        assert scores == sorted(scores, reverse=True)  # best first, whatever the kind
        assert screen.hits[0].id == "crrf" and "entity" in kinds and "text" in kinds
        # the spun wording is found through the alias
        contexts = " ".join(h.context + h.title for h in screen.hits)
        assert "Fast Response Pressure" in contexts
        # the kind is on each row
        results = screen.query_one("#search-results", CursorList)
        rows = [results.plain_prompt(i).split()[0] for i in range(results.option_count)]
        assert rows == [KIND_WORDS[k] for k in kinds]


async def test_ctrl_g_groups_the_ranked_list_by_kind(project_copy: Path) -> None:
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = await search(pilot, "csto")
        ranked = list(screen.hits)
        assert ranked[0].id == "csto"
        await pilot.press("down", "down")
        chosen = ranked[screen.hit_index() or 0]
        await pilot.press("ctrl+g")
        await pilot.pause()
        kinds = [h.kind for h in screen.hits]
        runs = [k for i, k in enumerate(kinds) if i == 0 or kinds[i - 1] != k]
        assert len(runs) == len(set(runs))  # each kind in one run
        assert sorted(screen.hits, key=ranked.index) == ranked  # the same results
        assert screen.hits[screen.hit_index() or 0] == chosen  # still on the same one
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert screen.hits == ranked


async def test_the_screen_the_palette_and_the_cli_rank_alike(project_copy: Path) -> None:
    from csto_tui.search import format_hits

    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = await search(pilot, "kazakstan")
        shown = [h.id for h in screen.hits]
        palette = [h async for h in RecordsProvider(app.screen).search("kazakstan")]
        in_palette = sorted(palette, key=lambda h: -h.score)  # as the palette lists them
        assert [h.match_display.plain for h in in_palette] == [
            f"{KIND_WORDS[h.kind]} {one_line(h.title, 90)}" for h in screen.hits[:20]]
        cli = format_hits(app.data.search_index.search("kazakstan", limit=60)).splitlines()
        assert [row.split()[2].split("@")[0] for row in cli] == shown
        assert shown[0] == "kaz" and "ev-2022-01-kaz" in shown[:3]


async def test_a_question_with_words_nothing_holds_still_finds(project_copy: Path) -> None:
    """Partial matches: question words need not match, and a word found nowhere leaves the
    records holding the others, ranked by how much of the query they hold."""
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = await search(pilot, "how many troops went to kazakhstan in 2022")
        assert screen.hits and screen.hits[0].id == "ev-2022-01-kaz"
        await pilot.press("escape")
        await pilot.pause()
        screen = await search(pilot, "kazakhstan troops zzyzxq")
        assert screen.hits and screen.hits[0].id == "ev-2022-01-kaz"
        count = str(screen.query_one("#search-count", Static).content)
        assert "No result" not in count


async def test_document_hit_opens_the_source_at_that_spot(project_copy: Path) -> None:
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = await search(pilot, "refrainedfrom")
        idx = next(i for i, h in enumerate(screen.hits) if h.kind == "text")
        hit = screen.hits[idx]
        # move the highlight onto the text hit, then Enter
        while screen.hit_index() != idx:
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen)
        src = app.screen
        cur = src.current
        assert cur is not None and cur.start <= hit.start and hit.end <= cur.end
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, SourceScreen)


async def test_escape_restores_where_you_were(project_copy: Path) -> None:
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("j", "j", "3")
        await pilot.pause()
        before = (app.dashboard.selected_state, app.focused)
        await search(pilot, "Uzbekistan")
        await pilot.press("down", "down")
        await pilot.press("escape")
        await pilot.pause()
        assert (app.dashboard.selected_state, app.focused) == before


async def test_n_and_shift_n_step_through_results_after_closing(project_copy: Path) -> None:
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = await search(pilot, "Tajikistan")
        hits = [h for h in screen.hits if h.kind in ("state", "event", "metric")]
        assert len(hits) >= 3
        await pilot.press("enter")
        await pilot.pause()
        assert app.dashboard.selected_state == "tjk"
        seen = []
        for _ in range(3):
            await pilot.press("n")
            await pilot.pause()
            seen.append(app.dashboard.focused_record)
        assert len(set(seen)) >= 2
        assert "result 4 of" in app.sub_title
        await pilot.press("N")
        await pilot.pause()
        assert app.dashboard.focused_record == seen[-2]
        assert "result 3 of" in app.sub_title


async def test_n_steps_through_the_search_on_every_screen_it_opens(project_copy: Path) -> None:
    """n / N are the search's on the dashboard and in the article a result opens, with
    "result i of n" shown; ] / [ step through the article's own passages."""
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = await search(pilot, "nagorno karabakh")
        hits = list(screen.hits)
        texts = [i for i, h in enumerate(hits) if h.kind == "text"]
        assert len(texts) >= 2 and texts[0] > 0 and texts[1] == texts[0] + 1
        await pilot.press("enter")
        await pilot.pause()
        assert app.dashboard.last_search is not None
        assert f"result 1 of {len(hits)}" in app.sub_title
        for _ in range(texts[0]):  # on to the first passage of an article
            await pilot.press("n")
            await pilot.pause()
        src = app.screen
        assert isinstance(src, SourceScreen)
        title = str(src.query_one("#source-title", Static).content)
        assert f"result {texts[0] + 1} of {len(hits)}" in title
        cur = src.current
        assert cur is not None and cur.start <= (hits[texts[0]].start or 0) < cur.end
        # the article's own list: ] and [
        before = src.index
        await pilot.press("right_square_bracket")
        assert src.index == (before + 1) % len(src.passages)
        await pilot.press("left_square_bracket")
        assert src.index == before
        # n: the next result, another place in the article
        await pilot.press("n")
        await pilot.pause()
        nxt = app.screen
        assert isinstance(nxt, SourceScreen) and nxt is not src
        title = str(nxt.query_one("#source-title", Static).content)
        assert f"result {texts[1] + 1} of {len(hits)}" in title
        # N twice: back to the article's first result, then to the record before it
        await pilot.press("N")
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen)
        await pilot.press("N")
        await pilot.pause()
        assert not isinstance(app.screen, SourceScreen)
        assert f"result {texts[0]} of {len(hits)}" in app.sub_title
        prev = hits[texts[0] - 1]
        shown = {app.dashboard.focused_record, app.query_one(ExcerptsPane).quote_id}
        assert prev.id in shown


async def test_an_article_opened_with_o_after_a_search_is_not_that_search(
        project_copy: Path) -> None:
    """After a search, o opens the article at the focused quote: a view the search did not
    open, so its header does not show the search's "result i of n" and n / N do not leave
    it for the search's next result (tester's defect 12)."""
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await search(pilot, "kaz")
        await pilot.press("enter")
        await pilot.pause()
        assert "result 1 of" in app.sub_title
        await pilot.press("4", "o")
        await pilot.pause()
        src = app.screen
        assert isinstance(src, SourceScreen)
        for key in ("n", "N"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is src
        assert "result 1 of" in app.sub_title
        title = str(src.query_one("#source-title", Static).content)
        assert "result" not in title and "'kaz'" not in title


async def test_a_result_chosen_in_the_palette_starts_a_search_n_steps_through(
        project_copy: Path) -> None:
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        found = [h async for h in RecordsProvider(app.screen).search("Tadjikistan")]
        found[0].command()
        await pilot.pause()
        assert app.dashboard.selected_state == "tjk"
        assert "result 1 of" in app.sub_title
        await pilot.press("n")
        await pilot.pause()
        assert "result 2 of" in app.sub_title


async def test_palette_offers_records_from_the_same_engine(project_copy: Path) -> None:
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        provider = RecordsProvider(app.screen)
        hits = [h async for h in provider.search("Lukashenka")]
        assert hits
        assert "Lukashenko" in hits[0].match_display.plain
        hits[0].command()
        await pilot.pause()
        found = [h async for h in provider.search("Tadjikistan")]
        found[0].command()
        await pilot.pause()
        assert app.dashboard.selected_state == "tjk"


async def test_search_opened_before_the_index_is_ready(project_copy: Path) -> None:
    """`/` pressed right at start-up: the screen waits for the index, then shows results."""
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        index = app.data.search_index
        screen = SearchScreen(None, "Kazakh")
        screen.set_index(index)  # arrives before the screen is even composed: no error
        await app.push_screen(screen)
        await pilot.pause()
        assert screen.hits and screen.hits[0].id == "kaz"
        late = SearchScreen(None, "Kyrgyz")
        await app.push_screen(late)
        await pilot.pause()
        assert late.hits == []
        late.set_index(index)
        await pilot.pause()
        assert late.hits and late.hits[0].id == "kgz"
        app.pop_screen()
        await pilot.pause()


async def test_enter_before_the_index_is_ready_goes_there_once_it_is(project_copy: Path) -> None:
    """`/`, a name and Enter typed the moment the dashboard appears, before the index is built:
    Enter is not lost, it goes to the best result when the index arrives."""
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        index = app.data.search_index
        early = SearchScreen(None, "Kazakhstan")
        await app.push_screen(early, callback=app.dashboard.after_search)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is early  # nothing to go to yet
        early.set_index(index)
        await pilot.pause()
        await pilot.pause()
        assert app.screen is not early and app.dashboard.selected_state == "kaz"


async def test_enter_right_after_fast_typing_goes_to_the_best_result(project_copy: Path) -> None:
    """Keys sent in one burst (a fast typist, a paste, tmux send-keys): Enter must not be lost
    because the results had not caught up with the box yet."""
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        inp = screen.query_one("#search-input")
        inp.value = "Uzbekstan"  # the box changed; its Changed message is not handled yet
        screen.action_choose()
        await pilot.pause()
        assert not isinstance(app.screen, SearchScreen)
        assert app.dashboard.selected_state == "uzb"


async def test_slash_and_query_in_one_burst(project_copy: Path) -> None:
    """`/Kazakstan` + Enter arriving all at once (tmux send-keys, a fast typist): the letters
    go to the search box, not to the panes, and Enter lands on the state."""
    from textual import events

    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        for ch in "/Kazakstan":
            app.post_message(events.Key("slash" if ch == "/" else ch, ch))
        app.post_message(events.Key("enter", "\r"))
        await pilot.pause()
        await pilot.pause()
        assert not isinstance(app.screen, SearchScreen)
        assert app.dashboard.selected_state == "kaz"
        assert not app.dashboard.all_events  # the 'a' of "Kazakstan" did not toggle the crises pane


async def test_enter_in_the_article_returns_to_the_record_you_came_from(project_copy: Path) -> None:
    """Event -> its quote -> the article (o) -> Enter lands back on that event, even when the
    quote is also cited by the state (listed first among the citers)."""
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        app.dashboard.go_to_record("ev-2022-01-kaz")
        await pilot.pause()
        assert app.dashboard.focused_record == "ev-2022-01-kaz"
        await pilot.press("enter")  # crises pane: go to the quotes
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen)
        citers = app.screen.citers
        assert "ev-2022-01-kaz" in citers and citers[0] != "ev-2022-01-kaz"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert app.dashboard.focused_record == "ev-2022-01-kaz"


async def test_a_problem_alert_stays_in_view_after_a_search_at_80_columns(
        project_copy: Path) -> None:
    """After a search the title line starts with where n / N are; the alert that the data
    has a problem comes next, before the dataset's title, so 80 columns still show it."""
    text = project_copy.read_text(encoding="utf-8")
    project_copy.write_text(text.replace('states = ["sun", "rus"]',
                                         'states = ["sun", "rus", "nosuch"]', 1),
                            encoding="utf-8")
    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await search(pilot, "Tajikistan")
        await pilot.press("enter")
        await ready(pilot)
        sub = app.sub_title
        assert sub.startswith("result 1 of") and "Tajikistan" in sub
        assert sub.index("1 problem: S") < sub.index(app.data.dataset.title)
        header = screen_text(app).splitlines()[0]
        assert "1 problem: S" in header  # as the user sees it: not cut off


async def test_results_show_dates_as_the_panes_and_the_query_as_typed(
        project_copy: Path) -> None:
    """A crisis among the results carries its date as the Crises pane shows it ("5 Jan
    2022", an inferred one marked), never ISO; "No result for" quotes the query as typed, a
    backslash once (tester's defect 15)."""
    import re

    app = CstoApp(project_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = await search(pilot, "kazakhstan intervention")
        ds = app.data.dataset
        events = [h for h in screen.hits if h.kind == "event"]
        assert events
        for h in events:
            e = ds.get(h.id)
            assert h.title.startswith(e.date.display()), h.title  # not e.date.iso()
        shown = screen_text(app)
        assert "5 Jan 2022 CSTO intervention in Kazakhstan" in shown
        assert not re.search(r"\b\d{4}-\d{2}(-\d{2})?\b", shown), shown
        await pilot.press(*["backspace"] * len("kazakhstan intervention"))
        await pilot.press(*"qqzz", "backslash")
        await pilot.pause()
        count = str(screen.query_one("#search-count", Static).content)
        assert count == "No result for 'qqzz\\'", count
