"""One search box over the whole dataset: records of every kind, quotes and the full text of
the sources, in one list ranked by relevance. Plain Python, stdlib only: this package never
imports textual (nor rich).

By concern:

* ``text``: normalising and tokenising (what a word is, stop words);
* ``typos``: the typo index (words one or two edits away);
* ``names``: name variants people type (older, local, adjectival names);
* ``records``: how each record kind is searched (fields, title, context);
* ``index``: :class:`SearchIndex`, built once (in steps, between key presses);
* ``ranking``: the per-keystroke search, partial matches, the score bands;
* ``hits``: :class:`Hit` and its formatting for the CLI.
"""

from __future__ import annotations

from .hits import KIND_COLUMN, KIND_WORDS, Hit, format_hits, group_hits, kind_cell
from .index import SearchIndex
from .records import SEARCH_KINDS, SearchKind
from .text import STOP_WORDS, normalize, tokenize

__all__ = ["Hit", "SearchIndex", "SearchKind", "SEARCH_KINDS", "format_hits", "group_hits",
           "normalize", "tokenize", "KINDS", "KIND_COLUMN", "KIND_WORDS", "STOP_WORDS",
           "kind_cell"]

#: Hit kinds: the record kinds searched, then source passages.
KINDS: tuple[str, ...] = (*(k.name for k in SEARCH_KINDS), "text")
