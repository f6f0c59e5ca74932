"""Reading an anchors file (``name.anchors.toml``, machine-written by ``csto-tui sync`` beside
each data file): its rows as :class:`csto_tui.model.Anchor` values and its problems. Kept apart
from the records: the anchors file has a format of its own.

Plain Python: this module never imports textual.
"""

from __future__ import annotations

from pathlib import Path

from . import reading
from .errors import DatasetError, Problem
from .model import Anchor


def load_anchors(apath: Path, raw: bytes | None) -> tuple[dict[str, Anchor], list[Problem]]:
    """The rows of an anchors file whose bytes are ``raw`` (None: there is no such file), and
    its problems. Kept apart from the records: the anchors file has a format of its own."""
    if raw is None:
        return {}, []
    problems: list[Problem] = []
    try:
        data = reading.parse_toml(apath, reading.decode_toml(apath, raw))
    except DatasetError as exc:
        return {}, list(exc.problems or (Problem("toml", exc.message, str(apath)),))
    table = data.get("anchors", {})
    anchors: dict[str, Anchor] = {}
    if not isinstance(table, dict):
        return {}, [Problem("schema", "[anchors] must be a table", str(apath))]
    for qid, a in table.items():
        anchor = _anchor(qid, a)
        if anchor is None:
            problems.append(Problem("schema", "malformed anchor (run csto-tui sync to rewrite)",
                                    str(apath), None, None, qid))
        else:
            anchors[qid] = anchor
    return anchors, problems


def _anchor(qid: str, a: object) -> Anchor | None:
    """An anchor row whose fields all have their types, or None."""
    if type(a) is not dict:
        return None
    src, exact, start, end = a.get("source"), a.get("exact"), a.get("start"), a.get("end")
    prefix, suffix = a.get("prefix", ""), a.get("suffix", "")
    review, found = a.get("review", ""), a.get("found", "")
    fs, fe = a.get("found_start"), a.get("found_end")
    tk = a.get("text_key", "")
    if (type(tk) is str and type(src) is str and type(exact) is str and type(prefix) is str
            and type(suffix) is str and type(review) is str and type(found) is str
            and type(start) is int and start >= 0 and type(end) is int and end >= 0
            and (fs is None or type(fs) is int and fs >= 0)
            and (fe is None or type(fe) is int and fe >= 0)):
        return Anchor(qid, src, exact, prefix, suffix, start, end, review, found, fs, fe, tk)
    try:  # the strings as text, the positions strictly
        return Anchor(qid, str(a["source"]), str(a["exact"]), str(prefix), str(suffix),
                      _int(start), _int(end), str(review), str(found),
                      _int(fs) if fs is not None else None,
                      _int(fe) if fe is not None else None, str(tk))
    except (KeyError, ValueError):
        return None


def _int(x: object) -> int:
    if type(x) is not int or x < 0:
        raise ValueError(x)
    return x


def not_a_dataset(path: Path) -> str | None:
    """What to tell a user who gave an anchors file (``x.anchors.toml``) or the folder of
    stored texts beside it (``x.texts``) where a dataset is expected: what it is and which
    data file to give instead. None for any other path."""
    from .loader import ANCHORS_SUFFIX

    name = path.name
    for tail, what in ((ANCHORS_SUFFIX, "an anchors file"),
                       (".texts", "the folder of stored texts")):
        if name.endswith(tail) and len(name) > len(tail) and (tail != ".texts" or path.is_dir()):
            data = path.with_name(name[: -len(tail)] + ".toml")
            if not data.is_file():
                return (f"{path} is {what} (written by csto-tui beside a data file), not a "
                        f"dataset: give the data file it belongs to ({data} is not there)")
            return (f"{path} is {what} (written by csto-tui beside the data file {data}), not "
                    f"a dataset: give --data {data}")
    return None
