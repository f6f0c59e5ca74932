"""The closed word lists of the record kinds' own fields, each with its label: a state's
status (and its text marker), membership span kinds, metric categories, entity kinds, conflict
kinds, reasons a passage is left uncited; and a quote's status against its source
(:data:`QUOTE_STATUSES`, with what each means wherever it is shown). The registry
(:mod:`csto_tui.records`) declares the fields that take them as ``choices``. The analyst's
vocabulary every claim shares (stances, dates, actions, figures, roles, links, relations) is
:mod:`csto_tui.facts`.

Plain Python: this module never imports textual.
"""

from __future__ import annotations

from .values import _set, _Value

#: A state's place in or around the alliance, in list order (current members first).
STATE_STATUSES: tuple[str, ...] = (
    "member",
    "former-member",
    "observer",
    "former-observer",
    "proposed",
    "outside",
)
STATUS_LABELS: dict[str, str] = {
    "member": "member",
    "former-member": "former",
    "observer": "observer",
    "former-observer": "ex-observer",
    "proposed": "proposed",
    "outside": "outside",
}
#: A text marker for each status, so that status is never conveyed by colour alone.
STATUS_MARKERS: dict[str, str] = {
    "member": "M",
    "former-member": "F",
    "observer": "O",
    "former-observer": "o",
    "proposed": "P",
    "outside": "-",
}

#: Legal states of membership over time (as ATOP and COW record them); ``member`` is the
#: treaty in force for the state.
SPAN_KINDS: tuple[str, ...] = (
    "signatory", "member", "suspended", "restored", "withdrawn", "observer", "partner")
SPAN_LABELS: dict[str, str] = {
    "signatory": "signatory", "member": "member", "suspended": "suspended",
    "restored": "member again", "withdrawn": "withdrawn", "observer": "observer",
    "partner": "partner",
}
#: Spans during which a state is a member (a suspended member still is one).
MEMBER_SPANS: frozenset[str] = frozenset({"member", "restored", "suspended"})
#: Spans of one track may not overlap (for the same body).
SPAN_TRACKS: dict[str, str] = {
    "member": "membership", "restored": "membership", "suspended": "membership",
    "withdrawn": "membership", "signatory": "signatory", "observer": "observer",
    "partner": "partner",
}

#: Categories of dependency.
METRIC_CATEGORIES: tuple[str, ...] = (
    "economic",
    "military",
    "political",
    "bloc",
    "minority",
    "energy",
)

#: Kinds of named entity that are not states.
ENTITY_KINDS: tuple[str, ...] = (
    "organization", "body", "treaty", "mechanism", "force", "base", "person", "group", "place",
    "de-facto-state", "defunct-state")

#: How two sources differ (a conflict's ``kind``).
CONFLICT_KINDS: tuple[str, ...] = ("contradiction", "precision", "framing")
CONFLICT_KIND_LABELS: dict[str, str] = {
    "contradiction": "contradiction", "precision": "different precision",
    "framing": "different framing"}

#: Why a passage of a source is left without a citation: the author's opinion, rhetoric (a
#: question, a transition, a flourish), a repeat of another passage that is quoted, or
#: nothing a record could state (no fact).
UNCITED_REASONS = ("opinion", "rhetoric", "repeats", "no-fact")



class QuoteStatus(_Value):
    """A quote's status against its source: what locating it found, or why it was not
    located; how each place that shows a status says it."""

    __slots__ = _fields = ("name", "located", "review", "severity", "note", "meaning")

    name: str
    #: an outcome of locating the quote in its source (:data:`csto_tui.located.STATUSES`)
    located: bool
    #: needs a person's review: counted on the dashboard, held back by an export unless
    #: review is allowed, listed by the sync screen when it is an outcome of locating
    review: bool
    #: ``check`` reports it as a problem of this severity, coded by the status (None: not a
    #: problem of the quote's anchor)
    severity: str | None
    #: a few words: the sources pane, after the status
    note: str
    #: what it means: a briefing (and its Markdown export), before the quote
    meaning: str

    def __init__(
        self,
        name: str,
        located: bool,
        review: bool,
        severity: str | None,
        note: str,
        meaning: str,
    ) -> None:
        _set(self, "name", name)
        _set(self, "located", located)
        _set(self, "review", review)
        _set(self, "severity", severity)
        _set(self, "note", note)
        _set(self, "meaning", meaning)


#: A quote's statuses by name, for the code that sets or tests one (what each means is in
#: :data:`QUOTE_STATUSES`, below, made of these names).
EXACT, MOVED, NORMALIZED, FUZZY, AMBIGUOUS, ORPHANED, UNANCHORED, KEPT, SOURCE = (
    "exact", "moved", "normalized", "fuzzy", "ambiguous", "orphaned", "unanchored", "kept",
    "source")

#: Every status a quote can have, in the order they are listed (the located ones first).
QUOTE_STATUSES: tuple[QuoteStatus, ...] = (
    QuoteStatus(EXACT, True, False, None, "", ""),
    QuoteStatus(MOVED, True, False, "error", "moved in its source: run csto-tui sync",
                "moved: verbatim at another place of the source"),
    QuoteStatus(NORMALIZED, True, False, "error", "typography differs: run csto-tui sync",
                "normalized: the source differs in typography only"),
    QuoteStatus(FUZZY, True, True, "error", "anchor needs review",
                "fuzzy: the source's wording changed"),
    QuoteStatus(AMBIGUOUS, True, True, "error", "found in several places",
                "ambiguous: several places of the source fit"),
    QuoteStatus(ORPHANED, True, True, "error", "no longer in its source",
                "orphaned: no longer in the source"),
    QuoteStatus(UNANCHORED, False, True, "error", "not anchored yet: run csto-tui sync",
                "unanchored: never located in the source"),
    QuoteStatus(KEPT, False, False, "warning", "orphaned, kept by review",
                "orphaned, kept by review: not in the source's current text"),
    # not one to review: nothing can be compared until the source is back, and that is the
    # dataset's own error ([source] ... file, line), which is what is counted and reported
    QuoteStatus(SOURCE, False, False, None, "source unreadable",
                "the source could not be read"),
)
QUOTE_STATUS: dict[str, QuoteStatus] = {s.name: s for s in QUOTE_STATUSES}
#: the statuses of a quote found again, elsewhere or in other typography, that sync re-anchors
#: without a review (moved, normalized)
RELOCATED: tuple[str, ...] = tuple(s.name for s in QUOTE_STATUSES
                                   if s.located and not s.review and s.name != EXACT)
