"""The classes of fields of the commands (load, check, export, sync, add-source, undo: written
out on values._Value and values._Mutable, see tests/test_import_cost.py) behave as the
dataclasses they replaced: compared by value, frozen ones hashed and raising
FrozenInstanceError, mutable ones assignable and unhashable, repr as a dataclass writes it,
mutable defaults fresh for each instance."""

from __future__ import annotations

import copy
import pickle
from pathlib import Path
from typing import Any

import pytest

from csto_tui.atomic import Stamp
from csto_tui.briefing import Briefing, Footnote, Line, Section
from csto_tui.checking import CheckReport, SourceChange
from csto_tui.coverage import Sentence, SourceCoverage
from csto_tui.dataset import Dataset
from csto_tui.details import Detail
from csto_tui.errors import Problem
from csto_tui.export import Export, Request
from csto_tui.filecheck import Summary
from csto_tui.journal import Change, Step, Write
from csto_tui.loader import AnchorsFile, LoadResult
from csto_tui.located import Anchor
from csto_tui.model import Quote, State
from csto_tui.prose import Quoted
from csto_tui.records import Field, Kind
from csto_tui.settings import Settings
from csto_tui.syncing import ReviewItem, SyncReport
from csto_tui.tomledit import Entry
from csto_tui.validator import FilePart
from csto_tui.values import FrozenInstanceError
from csto_tui.vocabulary import QuoteStatus

DS = Dataset(Path("d.toml"), Path("."), "T", (), (), (), (), ())
STAMP = Stamp(True, 3, "abc")
SENTENCE = Sentence("a1", 0, 5, "Words")
FIELD = Field("id", required=True, refs=("quote",))

FROZEN = [
    Problem("schema", "bad", "d.toml", 3, 7, "kaz", "name"),
    FIELD,
    Kind("note", "notes", Quote, (FIELD,)),
    STAMP,
    QuoteStatus("exact", True, False, None, "exact", "verbatim"),
    AnchorsFile(Path("d.toml"), Path("d.anchors.toml"), STAMP, ("q1", "q2")),
    SENTENCE,
    SourceCoverage("a1", 10, 5, 0, (SENTENCE,)),
    Quoted(0, 7, "inner"),
    Anchor("fuzzy", 3, 9, 0.9, "found", (("a", "b"),)),
    Request(("kaz",), "json"),
    Export(Request(), "text", ("q1",), (), (Problem("c", "m"),)),
    Footnote(1, "q1", "a1", "Article", 0, 5, "Words"),
    LINE := Line("text", (1,), "-", 1),
    Detail("Actor", "Kazakhstan", ("q1",)),
    Change((Path("d.toml"),), "added", ("q1",)),
    Entry("states", True, 0, "name", 3, 9),
    ReviewItem("q1", "a1", "fuzzy", "stored", "now", (3, 9)),
]
MUTABLE = [
    SourceChange("a1", True, {"exact": 2}),
    FilePart("T", ".", {"quote": []}, {"quote": ["q1"]}, [FROZEN[0]]),
    LoadResult(DS, [FROZEN[0]]),
    CheckReport(LoadResult(DS), [FROZEN[0]], {"q1": "exact"}),
    Summary(Path("d.toml"), [], {"state": 1}, {"a1": 2}, 1, 2, {}),
    Settings(Path("config.toml"), "ansi-dark", {"quit": "q"}),
    Section("Events", [LINE]),
    Briefing(State("kaz", "Kazakhstan", "member"), "T", "S", [Section("E")], [], ("kaz",)),
    SyncReport(LoadResult(DS), {"q1": "exact"}),
    Write(Path("d.toml"), None, b"x"),
    Step(Path("d.toml")),
]


def _twin(obj: Any) -> Any:
    """An equal instance built again from its fields (not the same object)."""
    return type(obj)(*[copy.copy(getattr(obj, f)) for f in obj._fields])


def _shown(obj: Any, hidden: tuple[str, ...] = ()) -> str:
    fields = ", ".join(f"{f}={getattr(obj, f)!r}" for f in obj._fields if f not in hidden)
    return f"{type(obj).__qualname__}({fields})"


@pytest.mark.parametrize("obj", FROZEN, ids=lambda o: type(o).__name__)
def test_frozen_ones_are_values(obj: Any) -> None:
    twin = _twin(obj)
    assert twin == obj and hash(twin) == hash(obj) and twin is not obj and len({obj, twin}) == 1
    first = obj._fields[0]
    other = obj.replace(**{first: "changed"})
    assert other != obj and getattr(other, first) == "changed" and getattr(obj, first) != "changed"
    assert obj != tuple(getattr(obj, f) for f in obj._fields)
    assert repr(obj) == _shown(obj)
    for change in (lambda: setattr(obj, first, 1), lambda: delattr(obj, first),
                   lambda: setattr(obj, "surprise", 1)):
        with pytest.raises(FrozenInstanceError):
            change()
    assert issubclass(FrozenInstanceError, AttributeError)
    assert not hasattr(obj, "__dict__")
    assert copy.deepcopy(obj) == obj and copy.copy(obj) == obj


@pytest.mark.parametrize("obj", [o for o in FROZEN if not isinstance(o, Kind)],
                         ids=lambda o: type(o).__name__)
def test_frozen_ones_pickle(obj: Any) -> None:
    assert pickle.loads(pickle.dumps(obj)) == obj


@pytest.mark.parametrize("obj", MUTABLE, ids=lambda o: type(o).__name__)
def test_mutable_ones_compare_by_value_and_are_not_hashed(obj: Any) -> None:
    twin = _twin(obj)
    assert twin == obj and twin is not obj
    with pytest.raises(TypeError):
        hash(obj)
    # how a load read its files (the mode an entry made from them gets) is not what it holds
    unseen = ("mode",) if isinstance(obj, LoadResult) else ()
    for name in unseen:
        setattr(twin, name, 0o640)
        assert twin == obj
    last = [f for f in obj._fields if f not in unseen][-1]
    setattr(twin, last, "changed")
    assert twin != obj and getattr(twin, last) == "changed"
    hidden = ("report",) if isinstance(obj, Summary) else unseen
    assert repr(obj) == _shown(obj, hidden)


def test_defaults_as_before() -> None:
    assert Problem("c", "m") == Problem("c", "m", "", None, None, "", "", "error")
    assert Problem("c", "m", line=3, field="f").to_dict() == {
        "code": "c", "message": "m", "line": 3, "field": "f", "severity": "error"}
    assert Stamp(False) == Stamp(False, 0, "")
    assert Field("k") == Field("k", "str", False, None, (), "keep", "", "", None, None, (), None)
    kind = Kind("note", "notes", Quote, ())
    assert (kind.has_id, kind.needs_quote, kind.search, kind.passage) == (True, False, (), False)
    assert kind.title(DS, Quote("q1", "a1", "t")) == "q1" and kind.describe(DS, None) == ""
    assert Anchor("exact", 0, 1, 1.0, "x").changes == ()
    assert Summary(Path("d"), [], {}, {}, 0, 0, {}).report is None
    with pytest.raises(TypeError):
        Problem("c")  # type: ignore[call-arg]


def test_mutable_defaults_are_fresh_for_each_instance() -> None:
    a, b = LoadResult(DS), LoadResult(DS)
    for f in ("problems", "anchor_files", "keys", "source_problems"):
        assert getattr(a, f) == [] and getattr(a, f) is not getattr(b, f)
    assert (a.parts, a.kept, a.repeats) == (None, None, None)
    r, s = CheckReport(a), CheckReport(a)
    for f in ("problems", "quote_status", "sources", "keys"):
        assert not getattr(r, f) and getattr(r, f) is not getattr(s, f)
    p, q = FilePart("T", ".", {}, {}, []), FilePart("T", ".", {}, {}, [])
    assert p.anchors == {} and p.anchors is not q.anchors
    assert p.anchor_problems == [] and p.anchor_problems is not q.anchor_problems
    assert SourceChange("a1", None).quotes == {} and \
        SourceChange("a1", None).quotes is not SourceChange("a1", None).quotes
    assert Settings(Path("c")).keys is not Settings(Path("c")).keys
    assert Section("E").lines == [] and Section("E").lines is not Section("E").lines
    assert SyncReport(a).changed == [] and SyncReport(a).store is not SyncReport(a).store
    assert Step(Path("d")).writes == [] and Step(Path("d")).docs is not Step(Path("d")).docs



def _classes(cls: type) -> list[type]:
    out: list[type] = []
    sub: type
    for sub in cls.__subclasses__():
        out += [sub, *_classes(sub)]
    return out


def test_every_class_of_fields_takes_its_fields_in_order() -> None:
    """What ``replace``, pickling and ``repr`` read (``_fields``) is what the constructor
    takes, by name and in order, for every class of fields of the core (search included)."""
    import inspect

    import csto_tui.search.ranking  # noqa: F401  (Term, Hit, SearchKind)
    from csto_tui.values import _Fields

    seen = 0
    for cls in _classes(_Fields):
        if not cls.__module__.startswith("csto_tui.") or "_fields" not in vars(cls):
            continue
        params = inspect.signature(cls).parameters.values()
        if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params):
            continue  # a registry-made class (records.record_class): takes any of its fields
        assert [p.name for p in params] == list(vars(cls)["_fields"]), cls.__qualname__
        seen += 1
    assert seen >= len({type(o) for o in FROZEN + MUTABLE})


def test_a_search_term_is_replaced_as_any_class_of_fields() -> None:
    from csto_tui.search.ranking import Term

    t = Term("kazak", True)
    t.words[3] = 0.5
    u = t.replace(stop=True)
    assert (u.text, u.prefix, u.stop, u.words) == ("kazak", True, True, {3: 0.5})
    assert Term("a", False).words is not Term("a", False).words


@pytest.mark.parametrize("obj", [o for o in FROZEN if not isinstance(o, Kind)],
                         ids=lambda o: type(o).__name__)
def test_frozen_ones_built_from_columns_are_their_constructors(obj: Any) -> None:
    """What a load from the cache builds (values._Value.from_columns: a subclass fills the
    slots, then each instance is given the class itself) is the constructor's value: of
    exactly its class, equal, hashed alike, frozen, with no __dict__; columns of another
    length than asked for build nothing."""
    from itertools import repeat

    cls = type(obj)
    values = [getattr(obj, f) for f in cls._fields]
    built = cls.from_columns(3, [[v, v, v] if i % 2 else repeat(v)
                                 for i, v in enumerate(values)])
    assert len(built) == 3 and len({id(b) for b in built}) == 3
    for b in built:
        assert type(b) is cls and b == obj and hash(b) == hash(obj) and repr(b) == repr(obj)
        assert not hasattr(b, "__dict__")
        with pytest.raises(FrozenInstanceError):
            setattr(b, cls._fields[0], "changed")
        with pytest.raises(FrozenInstanceError):
            delattr(b, cls._fields[0])
        assert pickle.loads(pickle.dumps(b)) == obj
    assert cls.from_columns(2, [repeat(v) for v in values]) == [obj, obj]  # all repeated
    with pytest.raises(ValueError, match="other lengths"):
        cls.from_columns(4, [[v, v, v] for v in values])
    with pytest.raises(ValueError, match="other lengths"):
        cls.from_columns(3, [[v, v, v] for v in values][:-1])
