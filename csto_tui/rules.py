"""The rules of the built-in kinds that a field list cannot say: a span may not end before
it starts, spans of one track may not overlap, a figure is one of value, range or magnitude,
an assessment is the author's own, an inferred value is a field the record sets... Each kind
points at its rule (:attr:`csto_tui.records.Kind.check`, declared in :mod:`csto_tui.kinds`);
``error(code, message, field[, severity])`` reports a problem, located by the validator.

Plain Python: this module never imports textual.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .facts import AUTHOR, number_text
from .model import Span
from .vocabulary import CONFLICT_KINDS, MEMBER_SPANS, SPAN_TRACKS

if TYPE_CHECKING:
    from .records import Field

#: ``error(code, message, field[, severity])``: how a kind's check reports
Error = Callable[..., None]


def figure_check(v: dict[str, Any], error: Error, required: bool, unit: bool) -> bool:
    given = [k for k, there in (("value", v["value"] is not None),
                                ("low", v["low"] is not None or v["high"] is not None),
                                ("magnitude", bool(v["magnitude"]))) if there]
    if len(given) > 1:
        error("schema", "give one of 'value', 'low'/'high' or 'magnitude', not several",
              given[1])
        return False
    if not given:
        if required:
            error("schema", "a figure needs one of 'value', 'low'/'high' or 'magnitude'", "")
            return False
        return True
    low, high = v["low"], v["high"]
    if low is not None and high is not None and low > high:
        error("schema", f"'low' ({number_text(low)}) is above 'high' ({number_text(high)})",
              "high")
        return False
    if unit and not v["unit"] and not v["currency"]:
        error("schema", "a figure needs a 'unit' or a 'currency'",
              "value" if given[0] == "value" else given[0])
        return False
    return True


def claims_check(kind_name: str) -> Callable[[dict[str, Any], Error], bool]:
    """The rules every claim-bearing kind shares: an assessment is the author's; what is
    inferred is a field the record sets; attributions name fields of the kind."""

    fields: dict[str, Field] = {}

    def check(v: dict[str, Any], error: Error) -> bool:
        ok = True
        if v.get("stance") == "assessment" and v.get("claimant", AUTHOR) != AUTHOR:
            error("schema", "an assessment is the author's own: with claimant "
                  f"{v['claimant']!r} it is a claim (stance = \"claim\")", "claimant")
            ok = False
        inferred, attributions = v.get("inferred"), v.get("attributions")
        if not inferred and not attributions:
            return ok  # most records: nothing more to look at
        if not fields:  # the kind's fields by key, once (the kind exists by now)
            from .records import declared

            k = declared(kind_name)
            fields.update((f.key, f) for f in k.fields)
        by_key = fields
        for key, _why in inferred or ():
            f = by_key.get(key)
            if f is None or f.key in ("id", "inferred"):
                error("schema", f"{key!r} is not a field of {_a(kind_name)}",
                      f"inferred.{key}")
                ok = False
            elif v.get(f.name) in (None, "", ()):
                error("schema", f"{key!r} is not set in this record: only a value can be "
                      "inferred", f"inferred.{key}")
                ok = False
        for i, att in enumerate(attributions or (), 1):
            if not att.fields:
                error("schema", "an attribution must name at least one field",
                      f"attributions[{i}].fields")
                ok = False
            for key in att.fields:
                f = by_key.get(key)
                if f is None or f.type == "tables" or f.cites or key in (
                        "id", "inferred", "claimant", "stance"):
                    error("schema", f"{key!r} is not a field of {_a(kind_name)} that can be "
                          "attributed", f"attributions[{i}].fields")
                    ok = False
        return ok

    return check


def both(*checks: Callable[[dict[str, Any], Error], bool]
          ) -> Callable[[dict[str, Any], Error], bool]:
    """Every check run (each reports its own problems); sound only if all pass."""

    def check(v: dict[str, Any], error: Error) -> bool:
        results = [c(v, error) for c in checks]
        return all(results)

    return check


def _a(kind_name: str) -> str:
    return ("an " if kind_name[0] in "aeiou" else "a ") + kind_name



def dated_check(start_key: str, end_key: str) -> Callable[[dict[str, Any], Error], bool]:
    def check(v: dict[str, Any], error: Error) -> bool:
        start, end = v[start_key], v[end_key]
        if (start is not None and end is not None and start.known and end.known
                and end.sort_key() < start.sort_key()):
            error("schema", f"ends ({end}) before it starts ({start})", end_key)
            return False
        return True

    return check


def span_check(v: dict[str, Any], error: Error) -> bool:
    start, end = v["start"], v["end"]
    if end is not None and start.known and end.known and end.sort_key() < start.sort_key():
        error("membership", f"ends ({end}) before it starts ({start})", "")
        return False
    return True



def state_check(v: dict[str, Any], error: Error) -> bool:
    spans: tuple[Span, ...] = v["membership"]
    tracks: dict[tuple[str, str], list[tuple[int, Span]]] = {}
    for i, s in enumerate(spans, 1):
        tracks.setdefault((SPAN_TRACKS.get(s.kind, s.kind), s.body), []).append((i, s))
    for group in tracks.values():
        ks = sorted(group, key=lambda x: x[1].start.sort_key() if x[1].start.known
                    else (0, 0, 0))
        for (_i, a), (j, b) in zip(ks, ks[1:], strict=False):
            if a.end is None or (b.start.known and a.end.known
                                 and b.start.sort_key() < a.end.sort_key()):
                what = (f"{a.kind} spans" if a.kind == b.kind
                        else "membership spans" if SPAN_TRACKS.get(a.kind) == "membership"
                        else f"{SPAN_TRACKS.get(a.kind, a.kind)} spans")
                error("membership", f"{what} overlap: {a.label()} and {b.label()}",
                      f"membership[{j}]" if a.kind != b.kind else "membership")
                return False
    open_member = any(s.end is None and s.kind in MEMBER_SPANS for s in spans)
    if v["status"] == "member" and not open_member:
        error("membership", "status is 'member' but no open member span (one without 'to')",
              "membership")
    if v["status"] == "former-member" and open_member:
        error("membership", "status is 'former-member' but a member span is still open",
              "membership")
    return True


def metric_check(v: dict[str, Any], error: Error) -> bool:
    if not figure_check(v, error, required=False, unit=True):
        return False
    if v["year"] is not None and v["as_of"] is not None:
        error("schema", "give 'year' or 'as_of', not both", "as_of")
        return False
    seen: set[str] = set()
    for i, p in enumerate(v["series"], 1):
        if p.as_of.text in seen:
            error("schema", f"the series has two figures as of {p.as_of.text}",
                  f"series[{i}].as_of")
            return False
        seen.add(p.as_of.text)
    return True


def event_check(v: dict[str, Any], error: Error) -> bool:
    ok = dated_check("date", "end")(v, error)
    if v["after"] and v["before"]:
        error("schema", "'after' and 'before' exclude each other", "before")
        ok = False
    elif v["offset"] is not None and not (v["after"] or v["before"]):
        error("schema", "'offset' needs 'after' or 'before' (the event it is counted from)",
              "offset")
        ok = False
    for key in ("after", "before"):
        if v[key] and v[key] == v["id"]:
            error("schema", "an event cannot be dated relative to itself", key)
            ok = False
    return ok


def relation_check(v: dict[str, Any], error: Error) -> bool:
    ok = dated_check("since", "until")(v, error)
    if v["from_"] == v["to"]:
        error("schema", "a relation links two different records (from and to are both "
              f"{v['to']!r})", "to")
        ok = False
    if v["kind"] == "depends-on" and not v["purpose"]:
        error("schema", "'depends-on' needs 'for': what the dependence is for", "for")
        ok = False
    return ok


def conflict_check(v: dict[str, Any], error: Error) -> bool:
    if len(v["readings"]) < 2:
        error("schema", "a conflict needs at least two [[conflicts.readings]]", "readings")
        return False
    if "\n" in v["note"] or "\r" in v["note"]:
        error("schema", "the reading ('note') must be one line", "note")
        return False
    if not v["kind"]:
        error("conflict-kind", "a conflict should say how the sources differ: kind = "
              f"{' | '.join(CONFLICT_KINDS)}", "kind", "warning")
    return True

