"""The model's records behave as the frozen, slotted dataclasses they replaced (csto_tui/model.py
writes them out to save the start-up time dataclasses spend generating code; assigning raises
values.FrozenInstanceError, an AttributeError as dataclasses' is)."""

from __future__ import annotations

import copy
import pickle
from pathlib import Path

import pytest

from csto_tui.dataset import Dataset
from csto_tui.model import (
    Anchor,
    Conflict,
    Entity,
    Event,
    Metric,
    Quote,
    Reading,
    Source,
    Span,
    State,
    Uncited,
)
from csto_tui.values import FrozenInstanceError, PartialDate

D = PartialDate(2022, 1)
SAMPLES = [
    PartialDate(2022, 1, 5),
    Source("a1", "seeds/a.txt", "Title", Path("/x/seeds/a.txt"), D, "Pub", "https://x"),
    Quote("q1", "a1", "text", "note"),
    Anchor("q1", "a1", "text", "pre", "suf", 3, 7, "fuzzy", "texts", 3, 8),
    Span("member", D, None, ("q1",), "n"),
    Entity("e1", "body", "Body", ("B",), "summary", ("q1",)),
    State("kaz", "Kazakhstan", "member", ("Qazaqstan",), "role", (Span("member", D),), ("q1",)),
    Metric("m1", "kaz", "economic", "Trade", 12.5, "%", 2021, "about", True, "rus", "d", ("q1",)),
    Event("ev1", D, "Title", "intervened", "Summary", ("kaz",), ("csto",), "unrest", ("q1",)),
    Reading("q1", "says"),
    Conflict("c1", "topic", ("kaz",), (Reading("q1", "a"), Reading("q2", "b")), "note"),
    Uncited("a1", "text", "why"),
]


def _twin(obj: object) -> object:
    """An equal record built again from its fields (not the same object)."""
    return type(obj)(*[copy.copy(getattr(obj, f)) for f in obj._fields])  # type: ignore[attr-defined]


@pytest.mark.parametrize("rec", SAMPLES, ids=lambda r: type(r).__name__)
def test_records_are_values(rec: object) -> None:
    twin = _twin(rec)
    assert twin == rec and hash(twin) == hash(rec) and twin is not rec
    assert len({rec, twin}) == 1
    first = rec._fields[0]  # type: ignore[attr-defined]
    other = rec.replace(**{first: 7})  # type: ignore[attr-defined]
    assert other != rec and getattr(other, first) == 7 and getattr(rec, first) != 7
    assert rec != tuple(getattr(rec, f) for f in rec._fields)  # type: ignore[attr-defined]
    # repr as a dataclass writes it
    shown = ", ".join(f"{f}={getattr(rec, f)!r}" for f in rec._fields)  # type: ignore[attr-defined]
    assert repr(rec) == f"{type(rec).__name__}({shown})"
    # immutable, and no room for other attributes
    with pytest.raises(FrozenInstanceError):
        setattr(rec, first, 1)
    with pytest.raises(FrozenInstanceError):
        delattr(rec, first)
    with pytest.raises(FrozenInstanceError):
        rec.surprise = 1  # type: ignore[attr-defined]
    assert not hasattr(rec, "__dict__")
    assert pickle.loads(pickle.dumps(rec)) == rec
    assert copy.deepcopy(rec) == rec and copy.copy(rec) == rec


def test_defaults_as_before() -> None:
    assert Quote("q", "a", "t").note == ""
    assert Span("member", D).end is None and Span("member", D).quotes == ()
    m = Metric("m", "s", "economic", "X")
    assert (m.value, m.unit, m.year, m.present, m.quotes) == (None, "", None, True, ())
    a = Anchor("q", "a", "t", "", "", 0, 1)
    assert (a.review, a.found, a.found_start, a.found_end) == ("", "", None, None)
    with pytest.raises(TypeError):
        Quote("q", "a")  # type: ignore[call-arg]
    assert Quote(id="q", source="a", text="t") == Quote("q", "a", "t")


def test_dates_order_by_year_month_day() -> None:
    a, b, c = PartialDate(2021, 12, 31), PartialDate(2022, 1, 1), PartialDate(2022, 1, 2)
    assert a < b < c and c > b >= b and a <= a
    assert sorted([c, a, b]) == [a, b, c]
    assert PartialDate(2022) == PartialDate(2022, None, None)
    with pytest.raises(TypeError):
        _ = PartialDate(2022) < Quote("q", "a", "t")  # type: ignore[operator]


def test_a_dataset_compares_its_records_not_its_texts_or_anchors() -> None:
    ds = Dataset(Path("d.toml"), Path("."), "T", (), (SAMPLES[2],), (), (), ())
    other = ds.replace(texts={"a1": "different"}, anchors={"q1": SAMPLES[3]})
    assert other == ds and hash(other) == hash(ds)
    assert ds.replace(title="U") != ds
    assert "texts=" not in repr(other) and "anchors=" in repr(other)
    assert ds.quote("q1") == SAMPLES[2] and other.texts == {"a1": "different"}
    assert Dataset(Path("d"), Path("."), "T", (), (), (), (), ()).anchors == {}


def test_a_dataset_with_records_of_an_added_kind_is_replaced_with_them() -> None:
    """``replace`` hands the constructor what the dataset keeps: the records of kinds added to
    the registry (``more``) as (kind name, records) pairs, taken as a mapping is."""
    ds = Dataset(Path("d.toml"), Path("."), "T", (), (SAMPLES[2],), (), (), (),
                 more={"treaty": (SAMPLES[0],)})
    other = ds.replace(title="U")
    assert other.title == "U" and other.more == ds.more == (("treaty", (SAMPLES[0],)),)
    assert other.replace(title="T") == ds
