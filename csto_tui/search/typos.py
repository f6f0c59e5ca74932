"""The typo index: words within one or two edits of what was typed (SymSpell-style).

Every word of the vocabulary is stored with its one-character deletions (hashed, sorted, in a
flat :mod:`array`); the words of names and aliases also with two deletions and the deletions of
their prefixes, so that a misspelt name is found while it is still being typed ("Tadjik").
A query word's own deletions are looked up, and each candidate is verified by its
Damerau-Levenshtein (optimal string alignment) distance.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Generator, Iterable

__all__ = ["TypoIndex", "osa", "deletes", "max_typos", "is_del1", "HASH_MASK"]

HASH_MASK = 0xFFFFFFFF


def osa(a: str, b: str, bound: int) -> int:
    """Damerau-Levenshtein (optimal string alignment) distance, or ``bound + 1`` if above."""
    if a == b:
        return 0
    la, lb = len(a), len(b)
    if abs(la - lb) > bound:
        return bound + 1
    prev2: list[int] = []
    prev = list(range(lb + 1))
    for i in range(1, la + 1):
        cur = [i] + [0] * lb
        ai = a[i - 1]
        row_min = cur[0]
        for j in range(1, lb + 1):
            cost = 0 if ai == b[j - 1] else 1
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ai == b[j - 2] and a[i - 2] == b[j - 1]:
                v = min(v, prev2[j - 2] + 1)
            cur[j] = v
            if v < row_min:
                row_min = v
        if row_min > bound:
            return bound + 1
        prev2, prev = prev, cur
    return prev[lb]


def deletes(word: str, depth: int) -> set[str]:
    """``word`` and every string made from it by deleting up to ``depth`` characters."""
    out = {word}
    frontier = {word}
    for _ in range(depth):
        nxt = set()
        for w in frontier:
            if len(w) <= 1:
                continue
            for i in range(len(w)):
                nxt.add(w[:i] + w[i + 1:])
        out |= nxt
        frontier = nxt
    return out


def max_typos(term: str) -> int:
    """Edits tolerated in a word of this length: none below 4 letters, 1 up to 7, then 2."""
    n = len(term)
    if n < 4:
        return 0
    return 1 if n <= 7 else 2


def is_del1(word: str, d: str) -> bool:
    """Whether ``d`` is ``word`` or ``word`` less one character (``d in deletes(word, 1)``)."""
    n = len(d)
    if n == len(word):
        return d == word
    if n != len(word) - 1:
        return False
    i = 0
    while i < n and word[i] == d[i]:
        i += 1
    return word[i + 1:] == d[i:]


class TypoIndex:
    """Deletion neighbourhoods of a vocabulary (``words``: word id -> word, shared with the
    search index)."""

    def __init__(self, words: list[str]) -> None:
        self.words = words
        # 1-deletion neighbourhood of all words: sorted (hash32(deletion) << 32 | word id)
        self.del_keys = array("Q")
        self.name_deletes: dict[str, list[int]] = {}  # 2-deletion neighbourhood of name words
        self.prefix_deletes: dict[str, list[tuple[int, int]]] = {}  # name-word prefixes

    def build_steps(self, name_words: Iterable[int], every: int) -> Generator[None, None, None]:
        """Fill the tables, yielding after about ``every`` words."""
        words = self.words
        buckets = [array("Q") for _ in range(256)]
        for w, word in enumerate(words):
            if w % every == 0:
                yield
            if len(word) < 3 or not word.isalpha():
                continue
            for d in deletes(word, 1):
                h = hash(d) & HASH_MASK
                buckets[h >> 24].append(h << 32 | w)
        keys = self.del_keys
        for i, bucket in enumerate(buckets):
            keys.extend(array("Q", sorted(bucket)))
            buckets[i] = array("Q")
            if i % 16 == 15:
                yield
        for k, w in enumerate(name_words):
            if k % every == 0:
                yield
            word = words[w]
            if len(word) < 3 or not word.isalpha():
                continue
            for d in deletes(word, 2 if len(word) >= 7 else 1):
                self.name_deletes.setdefault(d, []).append(w)
            for n in range(4, len(word)):
                for d in deletes(word[:n], 1):
                    self.prefix_deletes.setdefault(d, []).append((w, n))

    def lookup(self, d: str) -> set[int]:
        """Ids of the words one of whose 1-deletions has the hash of ``d`` (a superset)."""
        h = hash(d) & HASH_MASK
        keys = self.del_keys
        lo = bisect_left(keys, h << 32)
        hi = bisect_left(keys, (h + 1) << 32, lo)
        return {k & HASH_MASK for k in keys[lo:hi]}

    def similar(self, text: str, bound: int) -> dict[int, int]:
        """Word id -> edit distance, for the words within ``bound`` edits of ``text``."""
        cands: set[int] = set()
        words = self.words
        for d in deletes(text, bound):
            for w in self.lookup(d):
                if is_del1(words[w], d):  # not another deletion of the same hash
                    cands.add(w)
            got = self.name_deletes.get(d)
            if got:
                cands.update(got)
        out: dict[int, int] = {}
        for w in cands:
            word = words[w]
            if abs(len(word) - len(text)) > bound:
                continue
            dist = osa(text, word, bound)
            if dist <= bound:
                out[w] = dist
        return out

    def similar_prefixes(self, text: str) -> list[tuple[int, int]]:
        """(word id, prefix length) of the name words whose prefix is one edit from ``text``."""
        out: list[tuple[int, int]] = []
        for d in deletes(text, 1):
            for w, k in self.prefix_deletes.get(d, ()):
                if abs(k - len(text)) <= 1 and osa(text, self.words[w][:k], 1) <= 1:
                    out.append((w, k))
        return out

    def nbytes(self) -> int:
        from sys import getsizeof as size

        n = size(self.del_keys)
        for table in (self.name_deletes, self.prefix_deletes):
            n += size(table) + sum(size(k) + size(v) + 32 * len(v) for k, v in table.items())
        return n
