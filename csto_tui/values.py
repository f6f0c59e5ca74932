"""Classes of named fields compared by value, and dates known to a year, a month or a day.

The base of every record class (:mod:`csto_tui.model`), of the analyst's vocabulary
(:mod:`csto_tui.facts`) and of every class of fields that loading and checking make
(:class:`_Value`: frozen; :class:`_Mutable`: not). Plain Python: never imports textual, nor
dataclasses (a test says so).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable
from itertools import islice, repeat
from operator import attrgetter
from typing import Any, ClassVar, Literal

Precision = Literal["year", "month", "day"]

MONTHS = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)
# ASCII digits only (\d would take "٢٠٢٢"), the whole text (a "$" would let "2022\n" pass)
_DATE_RE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


def days_in_month(year: int, month: int) -> int:
    """The days of a month of the proleptic Gregorian calendar (``calendar.monthrange``'s,
    without importing calendar, datetime and locale on every command's start: ~1.5 ms)."""
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


class FrozenInstanceError(AttributeError):
    """Assigning to (or deleting) a field of a :class:`_Value`: what
    ``dataclasses.FrozenInstanceError`` is to a frozen dataclass (both are AttributeErrors),
    defined here so that no command imports dataclasses."""


class _Fields:
    """What a class of named fields shares, frozen (:class:`_Value`) or not
    (:class:`_Mutable`): what ``@dataclass(slots=True)`` gives, written out.

    dataclasses generate the source of every ``__init__``, ``__eq__``, ``__hash__`` and
    ``__repr__`` and compile it when the module is imported: about 0.7 ms a class, and
    importing dataclasses itself (with inspect, ast, dis, tokenize) ~8 ms and 1.5 MiB, paid by
    every command before it does any work. Here each class lists its ``_fields`` (its
    ``__slots__``, annotated in its body for type checkers) and writes its ``__init__`` (the
    only method on the hot path: 200,000 records are built on a big load; a mutable default is
    made fresh there, as a ``default_factory``'s); equality, ``repr`` and :meth:`replace` are
    shared and read the fields.
    """

    __slots__ = ()
    #: the fields, in order (``__init__``'s parameters, ``repr``, comparisons)
    _fields: ClassVar[tuple[str, ...]] = ()
    #: fields left out of comparisons and hashing / of repr
    _not_compared: ClassVar[frozenset[str]] = frozenset()
    _not_shown: ClassVar[frozenset[str]] = frozenset()
    _key: ClassVar[Any]  # the compared fields of an instance, as a tuple

    def __init_subclass__(cls) -> None:
        compared = [f for f in cls._fields if f not in cls._not_compared]
        if len(compared) > 1:
            cls._key = staticmethod(attrgetter(*compared))
        else:
            getter = attrgetter(*compared) if compared else None
            cls._key = staticmethod(lambda o: (getter(o),) if getter else ())

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._key(self) == other._key(other)
        return NotImplemented

    def __repr__(self) -> str:
        shown = ", ".join(f"{f}={getattr(self, f)!r}" for f in self._fields
                          if f not in self._not_shown)
        return f"{type(self).__qualname__}({shown})"

    def replace(self, **changes: Any) -> Any:
        """A copy with some fields changed (``dataclasses.replace``)."""
        values = {f: getattr(self, f) for f in self._fields}
        values.update(changes)
        return type(self)(**values)


class _Mutable(_Fields):
    """Fields that may be assigned, compared by value and never hashed: what ``@dataclass``
    (not frozen) gives. For what a load or a check builds up (a file's part, a load's result,
    a check's report)."""

    __slots__ = ()
    __hash__ = None  # type: ignore[assignment]


class _Value(_Fields):
    """An immutable value compared by value: what ``@dataclass(frozen=True, slots=True)``
    gives, written out (see :class:`_Fields`). Hashing, ordering (:class:`PartialDate`), copies
    and pickling are by the fields too; assigning to a field raises
    :class:`FrozenInstanceError`, as a frozen dataclass does. An ``__init__`` sets each field
    with :data:`_set`.
    """

    __slots__ = ()

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __hash__(self) -> int:
        return hash(self._key(self))

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), tuple(getattr(self, f) for f in self._fields))

    def __copy__(self) -> Any:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        return self

    @classmethod
    def from_columns(cls, n: int, columns: Iterable[Iterable[Any]]) -> list[Any]:
        """``n`` records of this class from one column of values per field, in ``_fields``
        order: what ``list(map(cls, *columns))`` makes, without the constructor (a big load
        builds 200,000 records, ~400,000 slots).

        Each record is made by the class's filler (:func:`_filler`): a subclass whose
        ``__init__`` assigns each slot in turn, which CPython does by one specialized
        instruction (a frozen class's own ``__setattr__`` forbids that), then given this
        class: ~30 ns a slot where filling each slot column by column through its descriptor
        took ~45 (and ``object.__setattr__`` ~80).

        The values must be what the constructor keeps (a date as a :class:`When`, an action
        as an :class:`Action`: :mod:`csto_tui.pack` reads back what constructors made);
        ``tests/test_cache.py`` compares every record built so with its constructor's, field
        by field and type by type. A column of another length than ``n`` (a ``repeat`` stands
        for one value in every record) raises ValueError: no record is left half made."""
        columns = list(columns)
        if len(columns) != len(cls._fields) or any(
                type(c) is not repeat and len(c) != n for c in columns):  # type: ignore[arg-type]
            raise ValueError(f"columns of {cls.__name__} of other lengths than {n}")
        filler = cls.__dict__.get("_filler_class") or _filler(cls)
        # every column may be a repeat: the first one taken n times bounds them all
        out = (list(map(filler, islice(columns[0], n), *columns[1:])) if columns
               else [filler() for _ in range(n)])
        deque(map(_set, out, repeat("__class__"), repeat(cls)), 0)
        return out


def _filler(cls: type[_Value]) -> type:
    """A subclass of ``cls`` that adds no slot (so an instance may become a ``cls``: the same
    layout) and whose ``__init__`` takes every field in order and assigns it, with the plain
    ``__setattr__`` and ``__delattr__`` of an object: made once per class, kept on it."""
    names = cls._fields
    assert all(name.isidentifier() for name in names)  # slots: identifiers by construction
    src = (f"def __init__(self, {', '.join(names)}):\n"
           + "".join(f"    self.{name} = {name}\n" for name in names)
           if names else "def __init__(self):\n    pass\n")
    scope: dict[str, Any] = {}
    exec(src, scope)  # noqa: S102 - the class's own slot names, checked above
    filler = type(f"{cls.__name__}Filler", (cls,), {
        # both of the slot's methods an object's own: the class's tp_setattro is then the
        # generic one, which the specialized instruction asks for
        "__slots__": (), "__setattr__": object.__setattr__, "__delattr__": object.__delattr__,
        "__init__": scope["__init__"],
        "__module__": cls.__module__, "__qualname__": f"{cls.__qualname__}.Filler"})
    type.__setattr__(cls, "_filler_class", filler)
    return filler


_set = object.__setattr__


class PartialDate(_Value):
    """A date known to a year, a month or a day."""

    __slots__ = _fields = ("year", "month", "day")
    year: int
    month: int | None
    day: int | None

    def __init__(self, year: int, month: int | None = None, day: int | None = None) -> None:
        _set(self, "year", year)
        _set(self, "month", month)
        _set(self, "day", day)

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ``ValueError`` otherwise."""
        m = _DATE_RE.fullmatch(text.strip(" ")) if isinstance(text, str) else None
        if not m:
            raise ValueError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD "
                             "(ASCII digits)")
        year = int(m.group(1))
        month = int(m.group(2)) if m.group(2) else None
        day = int(m.group(3)) if m.group(3) else None
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"{text!r}: month {month} is not 1-12")
        if day is not None:
            assert month is not None
            last = days_in_month(year, month)
            if not 1 <= day <= last:
                raise ValueError(f"{text!r}: day {day} is not 1-{last}")
        return cls(year, month, day)

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    def iso(self) -> str:
        """The date as written in the dataset, at its own precision."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def display(self) -> str:
        """Human form at the real precision: ``2022``, ``Jan 2022``, ``5 Jan 2022``."""
        if self.month is None:
            return str(self.year)
        if self.day is None:
            return f"{MONTHS[self.month - 1]} {self.year}"
        return f"{self.day} {MONTHS[self.month - 1]} {self.year}"

    # ordered by (year, month, day), as ``@dataclass(order=True)`` orders (a missing month or
    # day compares as None: only dates of the same precision are ever compared this way)
    def __lt__(self, other: PartialDate) -> bool:
        if other.__class__ is not PartialDate:
            return NotImplemented
        return self._key(self) < other._key(other)

    def __le__(self, other: PartialDate) -> bool:
        if other.__class__ is not PartialDate:
            return NotImplemented
        return self._key(self) <= other._key(other)

    def __gt__(self, other: PartialDate) -> bool:
        if other.__class__ is not PartialDate:
            return NotImplemented
        return self._key(self) > other._key(other)

    def __ge__(self, other: PartialDate) -> bool:
        if other.__class__ is not PartialDate:
            return NotImplemented
        return self._key(self) >= other._key(other)

    def sort_key(self) -> tuple[int, int, int]:
        """Order of dates; a date known only to its month or year sorts at the end of that
        period, after the precise dates inside it ("a week later" in "Jan 2022" comes after
        "5 Jan 2022")."""
        return (self.year, self.month or 13, self.day or 32)

    def __str__(self) -> str:
        return self.iso()
