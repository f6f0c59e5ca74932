"""The typo index: words within one or two edits of what was typed (SymSpell-style).

Every word of the vocabulary is stored with its one-character deletions; the words of names and
aliases also with two deletions and the deletions of their prefixes, so that a misspelt name is
found while it is still being typed ("Tadjik"). Each of the three tables is one flat sorted
:mod:`array` of ``hash32(deletion) << 32 | word id`` (:func:`matching` looks one up): no string
or list per deletion. A query word's own deletions are looked up, and each candidate is
verified by its Damerau-Levenshtein (optimal string alignment) distance, so that a hash shared
by two deletions only costs a check.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Generator, Iterable

__all__ = ["TypoIndex", "osa", "deletes", "max_typos", "is_del1", "matching", "HASH_MASK"]

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


def matching(keys: array[int], d: str) -> set[int]:
    """The word ids stored in ``keys`` (sorted ``hash32 << 32 | word id``) under the hash of
    ``d``: a superset of the words that have ``d`` among their deletions."""
    h = hash(d) & HASH_MASK
    lo = bisect_left(keys, h << 32)
    hi = bisect_left(keys, (h + 1) << 32, lo)
    return {k & HASH_MASK for k in keys[lo:hi]}


def _put(buckets: list[array[int]], ds: Iterable[str], w: int) -> None:
    """Note ``hash32(d) << 32 | w`` for each deletion ``d``, in the bucket of its top byte."""
    for d in ds:
        h = hash(d) & HASH_MASK
        buckets[h >> 24].append(h << 32 | w)


def _sort_into(keys: array[int], buckets: list[array[int]]) -> Generator[None, None, None]:
    """The buckets' keys appended to ``keys`` in order, each once; the buckets are emptied."""
    for i, bucket in enumerate(buckets):
        keys.extend(sorted(set(bucket)))
        buckets[i] = array("Q")
        if i % 16 == 15:
            yield


class TypoIndex:
    """Deletion neighbourhoods of a vocabulary (``words``: word id -> word, shared with the
    search index), three sorted arrays of ``hash32(deletion) << 32 | word id``."""

    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.del_keys = array("Q")  # 1-deletions of every word
        self.name_keys = array("Q")  # up to 2-deletions of the words of names
        self.prefix_keys = array("Q")  # 1-deletions of those words' prefixes (4 letters up)

    def build_steps(self, name_words: Iterable[int], every: int) -> Generator[None, None, None]:
        """Fill the tables, yielding after about ``every`` words."""
        words = self.words
        buckets = [array("Q") for _ in range(256)]
        for w, word in enumerate(words):
            if w % every == 0:
                yield
            if len(word) >= 3 and word.isalpha():
                _put(buckets, deletes(word, 1), w)
        yield from _sort_into(self.del_keys, buckets)
        prefixes = [array("Q") for _ in range(256)]
        for k, w in enumerate(name_words):
            if k % every == 0:
                yield
            word = words[w]
            if len(word) >= 3 and word.isalpha():
                _put(buckets, deletes(word, 2 if len(word) >= 7 else 1), w)
                _put(prefixes, set().union(*(deletes(word[:n], 1)
                                             for n in range(4, len(word)))), w)
        yield from _sort_into(self.name_keys, buckets)
        yield from _sort_into(self.prefix_keys, prefixes)

    def similar(self, text: str, bound: int) -> dict[int, int]:
        """Word id -> edit distance, for the words within ``bound`` edits of ``text``."""
        cands: set[int] = set()
        words = self.words
        for d in deletes(text, bound):
            for w in matching(self.del_keys, d):
                if is_del1(words[w], d):  # not another deletion of the same hash
                    cands.add(w)
            cands |= matching(self.name_keys, d)
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
        """(word id, prefix length) of the name words whose prefix (4 letters up, not the whole
        word) is one edit from ``text``."""
        cands: set[int] = set()
        for d in deletes(text, 1):
            cands |= matching(self.prefix_keys, d)
        out: list[tuple[int, int]] = []
        n = len(text)
        for w in sorted(cands):  # in word order, whatever the order of the hashes
            word = self.words[w]
            for k in range(max(4, n - 1), min(len(word), n + 2)):
                if osa(text, word[:k], 1) <= 1:
                    out.append((w, k))
        return out

    def nbytes(self) -> int:
        from sys import getsizeof as size

        return size(self.del_keys) + size(self.name_keys) + size(self.prefix_keys)
