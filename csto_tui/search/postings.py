"""Postings: a list of ints in ``[0, 2**32)`` per key (a word), in about half the memory of an
``array("I")``.

Each int is stored as its low 16 bits (one flat ``array("H")``); the high bits are stored once
per *run*, a stretch of a key's list whose ints share them. A word's text positions ascend, so
it has one run per 65,536 tokens it occurs in; a word's units, best first, change their high
bits a few times per band. At 1000x the shipped data: 7.0 million ints in 220 thousand runs,
15 MB instead of 28.

:class:`Filling` builds them by a counting sort (each key's count known first), the ints put in
place one by one, with no list of all the ints at their full width. :meth:`Postings.get` gives
a key's ints in order as a C-level iterator (a ``memoryview`` of the low bits, or a ``map``
adding the high bits): nothing is decoded in Python code.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from functools import partial
from itertools import accumulate, chain
from sys import getsizeof

__all__ = ["Postings", "Filling"]


class Postings:
    """Ints per key: key ``k`` has runs ``key_run[k]:key_run[k + 1]``; run ``j`` is the low
    bits ``lo[run_at[j]:run_at[j + 1]]``, each plus ``run_hi[j]``."""

    __slots__ = ("lo", "run_at", "run_hi", "key_run", "_lo")

    def __init__(self, lo: array[int] | None = None, run_at: array[int] | None = None,
                 run_hi: array[int] | None = None, key_run: array[int] | None = None) -> None:
        self.lo = array("H") if lo is None else lo
        self.run_at = array("I", [0]) if run_at is None else run_at
        self.run_hi = array("I") if run_hi is None else run_hi
        self.key_run = array("I", [0]) if key_run is None else key_run
        self._lo = memoryview(self.lo)

    def __len__(self) -> int:
        return len(self.lo)

    def count(self, k: int) -> int:
        """How many ints key ``k`` has."""
        run_at, key_run = self.run_at, self.key_run
        return run_at[key_run[k + 1]] - run_at[key_run[k]]

    def get(self, k: int) -> Iterable[int]:
        """The ints of key ``k``, in order."""
        r0, r1 = self.key_run[k], self.key_run[k + 1]
        if r1 - r0 == 1:
            return self._run(r0)
        return chain.from_iterable(map(self._run, range(r0, r1)))

    def _run(self, j: int) -> Iterator[int] | memoryview:
        lo = self._lo[self.run_at[j]:self.run_at[j + 1]]
        hi = self.run_hi[j]
        return map(hi.__add__, lo) if hi else lo

    def nbytes(self) -> int:
        return sum(map(getsizeof, (self.lo, self.run_at, self.run_hi, self.key_run)))


class Filling:
    """Postings being filled: ``counts[k]`` ints for key ``k``, put in place one at a time
    (keys in any order, each key's ints in its order) by :meth:`put`, or by a loop doing what
    it does inline (the index's loops, for speed); then :meth:`postings`."""

    def __init__(self, counts: array[int]) -> None:
        off = self.off = array("I", [0])  # key k's ints go to lo[off[k]:off[k + 1]]
        off.extend(accumulate(counts))
        self.cur = off[:-1]  # where each key's next int goes
        self.lo = array("H", [0]) * off[-1]
        self.last = array("i", [-1]) * len(counts)  # the high bits of each key's last run
        self.run_at = array("I")  # each run's start and high bits, in the order begun
        self.run_hi = array("I")

    def put(self, k: int, v: int) -> None:
        i = self.cur[k]
        h = v >> 16
        if self.last[k] != h:
            self.last[k] = h
            self.run_at.append(i)
            self.run_hi.append(h)
        self.lo[i] = v & 0xFFFF
        self.cur[k] = i + 1

    def put_positions(self, keys: array[int], a: int, b: int) -> None:
        """:meth:`put` ``(keys[g], g)`` for each ``g`` in ``range(a, b)``: positions, put in
        ascending order (``a`` is the last call's ``b``). A key's run begins once per piece
        of 65,536 positions, not checked at each."""
        lo, cur, last, run_at, run_hi = self.lo, self.cur, self.last, self.run_at, self.run_hi
        while a < b:
            h = a >> 16
            end = min(b, (h + 1) << 16)
            piece = keys[a:end]
            for k in set(piece):
                if last[k] != h:
                    last[k] = h
                    run_at.append(cur[k])
                    run_hi.append(h)
            v0 = a & 0xFFFF
            for v, k in zip(range(v0, v0 + end - a), piece, strict=True):
                i = cur[k]
                lo[i] = v
                cur[k] = i + 1
            a = end

    def postings(self) -> Postings:
        """The postings (every int put); this filling is spent."""
        at, hi = self.run_at, self.run_hi
        order = sorted(range(len(at)), key=at.__getitem__)  # key after key: the lo's order
        run_at = array("I", map(at.__getitem__, order))
        run_hi = array("I", (hi[j] << 16 for j in order))
        del order, self.run_at, self.run_hi, self.last, self.cur
        run_at.append(len(self.lo))
        key_run = array("I", map(partial(bisect_left, run_at), self.off))
        return Postings(self.lo, run_at, run_hi, key_run)
