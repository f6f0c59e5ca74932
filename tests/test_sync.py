"""check notices source edits; sync repairs what moved, flags what changed or vanished,
writes atomically with a backup, refuses to overwrite a concurrent edit, and is idempotent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from csto_tui.checking import check
from csto_tui.errors import WriteConflictError
from csto_tui.loader import anchors_path_for, load
from csto_tui.syncing import sync


def _source_file(ds_path: Path, source_id: str) -> Path:
    ds = load(ds_path).dataset
    src = ds.source(source_id)
    assert src is not None
    return src.path


def _pick(ds_path: Path):
    ds = load(ds_path).dataset
    qs = sorted((q for q in ds.quotes if q.source == "a1"), key=lambda q: ds.anchors[q.id].start)
    return ds, qs


def test_bundled_copy_is_clean_and_sync_changes_nothing(project_copy: Path) -> None:
    assert check(project_copy).ok
    anchors = anchors_path_for(project_copy)
    before = anchors.read_bytes()
    rep = sync(project_copy)
    assert rep.ok and rep.changed == [] and rep.written is None
    assert anchors.read_bytes() == before


def test_inserted_text_moves_quotes_and_sync_repairs(project_copy: Path) -> None:
    src = _source_file(project_copy, "a1")
    text = src.read_text(encoding="utf-8")
    src.write_text("EDITOR'S NOTE: updated.\n\n" + text, encoding="utf-8")
    rep = check(project_copy)
    assert not rep.ok
    assert {p.code for p in rep.errors} == {"moved"}
    dataset_before = project_copy.read_bytes()
    s = sync(project_copy)
    assert s.ok and s.by_status("moved") and s.written is not None
    assert s.backup is not None and s.backup.exists()
    assert project_copy.read_bytes() == dataset_before  # the hand-written file is never touched
    assert check(project_copy).ok
    # second sync: nothing to do, nothing written
    again = sync(project_copy)
    assert again.changed == [] and again.written is None


def test_word_changed_is_fuzzy_deleted_is_orphaned_and_nothing_is_lost(project_copy: Path) -> None:
    ds, qs = _pick(project_copy)
    changed, deleted = qs[0], qs[-1]
    assert changed.id != deleted.id
    src = _source_file(project_copy, "a1")
    text = src.read_text(encoding="utf-8")
    words = changed.text.split(" ")
    i = max(range(len(words)), key=lambda k: len(words[k]))
    edited_quote = " ".join(words[:i] + ["REPLACED"] + words[i + 1:])
    text = text.replace(changed.text, edited_quote, 1).replace(deleted.text, "", 1)
    src.write_text(text, encoding="utf-8")
    dataset_before = project_copy.read_bytes()
    rep = sync(project_copy)
    assert not rep.ok
    assert changed.id in rep.by_status("fuzzy")
    assert deleted.id in rep.by_status("orphaned")
    after = load(project_copy).dataset
    assert project_copy.read_bytes() == dataset_before
    # the quotes are all still there, and the flagged anchors keep their old position
    assert {q.id for q in after.quotes} == {q.id for q in ds.quotes}
    fa = after.anchors[changed.id]
    assert fa.review == "fuzzy" and "REPLACED" in fa.found
    assert fa.start == ds.anchors[changed.id].start
    assert after.anchors[deleted.id].review == "orphaned"
    chk = check(project_copy)
    codes = {(p.code, p.record) for p in chk.errors}
    assert ("fuzzy", changed.id) in codes and ("orphaned", deleted.id) in codes
    # second sync: same verdicts, no write
    again = sync(project_copy)
    assert again.written is None and not again.ok


def test_dry_run_writes_nothing(project_copy: Path) -> None:
    src = _source_file(project_copy, "a1")
    src.write_text("X\n" + src.read_text(encoding="utf-8"), encoding="utf-8")
    anchors = anchors_path_for(project_copy)
    before = anchors.read_bytes()
    rep = sync(project_copy, dry_run=True)
    assert rep.changed and rep.written is None
    assert anchors.read_bytes() == before


def test_crash_between_write_and_rename_leaves_original(project_copy: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    src = _source_file(project_copy, "a1")
    src.write_text("X\n" + src.read_text(encoding="utf-8"), encoding="utf-8")
    anchors = anchors_path_for(project_copy)
    before = anchors.read_bytes()
    real_replace = os.replace

    def crash(a, b):  # the temporary file is written; the crash comes before the rename
        if Path(b) == anchors:
            raise OSError("simulated crash")
        return real_replace(a, b)

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="simulated crash"):
        sync(project_copy)
    monkeypatch.setattr(os, "replace", real_replace)
    assert anchors.read_bytes() == before
    leftovers = [p.name for p in anchors.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []
    assert sync(project_copy).ok


def test_concurrent_edit_of_anchors_file_is_not_overwritten(project_copy: Path) -> None:
    src = _source_file(project_copy, "a1")
    src.write_text("X\n" + src.read_text(encoding="utf-8"), encoding="utf-8")
    res = load(project_copy)
    anchors = anchors_path_for(project_copy)
    anchors.write_text(anchors.read_text(encoding="utf-8") + "\n# someone's edit\n",
                       encoding="utf-8")
    edited = anchors.read_bytes()
    with pytest.raises(WriteConflictError):
        sync(project_copy, result=res)
    assert anchors.read_bytes() == edited


def test_new_quote_gets_anchored(project_copy: Path) -> None:
    ds = load(project_copy).dataset
    text = ds.texts["a2"]
    # a phrase no uncited passage explains (a quote inside another quote is fine)
    phrase = "Russia has already held talks over Ukraine"
    assert phrase in text
    body = project_copy.read_text(encoding="utf-8")
    body += f'\n[[quotes]]\nid = "q-test-new"\nsource = "a2"\ntext = "{phrase}"\n'
    project_copy.write_text(body, encoding="utf-8")
    rep = check(project_copy)
    assert any(p.code == "unanchored" and p.record == "q-test-new" for p in rep.errors)
    s = sync(project_copy)
    assert s.statuses["q-test-new"] == "exact"
    a = load(project_copy).dataset.anchors["q-test-new"]
    assert text[a.start:a.end] == phrase
    assert check(project_copy).ok


def test_anchors_file_round_trips_through_tomllib_for_any_text() -> None:
    import tomllib

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from csto_tui.model import Anchor
    from csto_tui.syncing import render_anchors

    text = st.text(alphabet=st.characters(codec="utf-8"), max_size=60)

    @settings(max_examples=300, deadline=None)
    @given(text, text, text, st.sampled_from(["", "fuzzy"]),
           st.from_regex(r"[a-z0-9][a-z0-9._-]{0,12}", fullmatch=True))
    def prop(exact: str, prefix: str, found: str, review: str, qid: str) -> None:
        a = Anchor(qid, "a1", exact, prefix, "\x7f\x1b\u2028", 3, 9, review, found,
                   1 if review else None, 2 if review else None)
        doc = tomllib.loads(render_anchors({qid: a}, [qid]).decode("utf-8"))
        row = doc["anchors"][qid]
        assert (row["exact"], row["prefix"], row["suffix"]) == (exact, prefix, "\x7f\x1b\u2028")
        assert (row["start"], row["end"]) == (3, 9)
        assert row.get("review", "") == review
        if review:
            assert row["found"] == found and row["found_start"] == 1

    prop()


def test_anchors_table_is_what_tomllib_reads_back(project_copy: Path) -> None:
    import tomllib

    from csto_tui.syncing import anchors_table, render_anchors

    ds = load(project_copy).dataset
    order = [q.id for q in ds.quotes]
    raw = render_anchors(ds.anchors, order)
    assert tomllib.loads(raw.decode("utf-8")) == {"anchors": anchors_table(ds.anchors, order)}
