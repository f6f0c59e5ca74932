"""One step of writes to a dataset: all of its files written or none, journaled, undone
byte for byte (no textual).

A step (:class:`Step`) collects the new bytes of every file it will change (data files read
once through :meth:`Step.doc`, anchors files, stored texts); :func:`commit` writes them,
each atomically (:func:`csto_tui.atomic.atomic_write`) and refused if the file is not what the
step read; a failure half-way puts back the files already written. The step is then
**journaled** in ``.csto-undo/`` beside the dataset (the folder of a folder dataset;
``<folder>/.csto-undo/<name>/`` for a single file): the bytes each file had before, and the
stamp it had after. :func:`undo` reverts the last step, refused if any of its files changed
since. The steps themselves (cite, mark uncited, add a source) are :mod:`csto_tui.authoring`'s.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from . import reading, textstore
from .atomic import Stamp, atomic_write, atomic_write_keyed
from .errors import CstoError, WriteConflictError, os_message
from .values import _Mutable, _set, _Value

__all__ = ["AuthoringError", "Change", "Step", "Write", "commit", "home", "journal_dir",
           "read_optional", "undo", "undoable"]


class Change(_Value):
    """One step, as written (and undoable)."""

    __slots__ = _fields = ("files", "summary", "ids", "warning")

    #: every file written (data files, anchors file, stored texts, a copied article)
    files: tuple[Path, ...]
    #: what the step did, in plain words
    summary: str
    #: ids created or changed, in order (a new quote first)
    ids: tuple[str, ...]
    #: what went wrong after the files were written (the undo journal could not be kept):
    #: said to the user beside the summary; "" when all went well
    warning: str

    def __init__(
        self,
        files: tuple[Path, ...],
        summary: str,
        ids: tuple[str, ...],
        warning: str = "",
    ) -> None:
        _set(self, "files", files)
        _set(self, "summary", summary)
        _set(self, "ids", ids)
        _set(self, "warning", warning)


class AuthoringError(CstoError):
    """A step refused: what, and which file, record or field. Nothing was written (a
    failure after the files were written is a :attr:`Change.warning` instead)."""


def home(data: Path) -> Path:
    """The folder everything a step writes lives in."""
    return data if data.is_dir() else data.parent


def journal_dir(data: Path | str) -> Path:
    """The undo journal of a dataset: ``<folder>/.csto-undo`` for a folder dataset (not read
    as data: hidden), ``<folder>/.csto-undo/<name>`` for the single file ``<name>.toml``."""
    data = Path(data)
    if data.is_dir():
        return data / ".csto-undo"
    return data.parent / ".csto-undo" / data.stem


_BOM = "\ufeff"


class Write(_Mutable):
    __slots__ = _fields = ("path", "before", "after", "store")

    path: Path
    before: bytes | None  # None: the file does not exist yet
    after: bytes
    #: a stored text (written by textstore.put, its one writer): (anchors file, text)
    store: tuple[Path, str] | None

    def __init__(
        self,
        path: Path,
        before: bytes | None,
        after: bytes,
        store: tuple[Path, str] | None = None,
    ) -> None:
        self.path = path
        self.before = before
        self.after = after
        self.store = store


class Step(_Mutable):
    __slots__ = _fields = ("data", "writes", "docs")

    data: Path
    writes: list[Write]
    #: data file -> its text as read and as it will be
    docs: dict[Path, tuple[bytes | None, str]]

    def __init__(
        self,
        data: Path,
        writes: list[Write] | None = None,
        docs: dict[Path, tuple[bytes | None, str]] | None = None,
    ) -> None:
        self.data = data
        self.writes = [] if writes is None else writes
        self.docs = {} if docs is None else docs

    def doc(self, path: Path) -> str:
        if path not in self.docs:
            raw = read_optional(path)
            if raw is None:
                self.docs[path] = (None, "")
            else:
                try:
                    text = raw.decode("utf-8").removeprefix(_BOM)  # kept when written
                except UnicodeDecodeError:
                    raise AuthoringError(f"{path}: not UTF-8 text; nothing written") from None
                self.docs[path] = (raw, text)
        return self.docs[path][1]

    def set_doc(self, path: Path, text: str) -> None:
        self.doc(path)
        self.docs[path] = (self.docs[path][0], text)

    def all_writes(self) -> list[Write]:
        """Stored texts first, then anchors files, then the data files (an anchor never
        names a text that is not stored; a quote is never written before its anchor)."""
        docs = []
        for p, (raw, text) in self.docs.items():
            after = (_BOM if raw is not None and raw.startswith(_BOM.encode()) else "") + text
            if raw is None or after.encode("utf-8") != raw:
                docs.append(Write(p, raw, after.encode("utf-8")))
        return [*self.writes, *docs]


def read_optional(path: Path) -> bytes | None:
    try:
        return reading.read_bytes(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise AuthoringError(f"{os_message(exc)}; nothing written") from None


def commit(step: Step, summary: str, ids: tuple[str, ...]) -> Change:
    """Write every file of a step, atomically each, refused if it is not what the step read;
    put back what was written if a later write fails; journal the step for undo."""
    writes = step.all_writes()
    done: list[Write] = []
    made: list[Path] = []
    try:
        for w in writes:
            made += _mkdirs(w.path.parent)
            if w.store is not None:
                textstore.put(*w.store)
            else:
                expected = Stamp.of_bytes(w.before) if w.before is not None else Stamp(False)
                atomic_write(w.path, w.after, expected=expected, backup=False)
            done.append(w)
    except WriteConflictError as exc:
        _put_back(done, made)
        raise AuthoringError(f"{exc.message} Nothing of this step was kept: wait for the "
                             "reload and try again") from None
    except (OSError, CstoError) as exc:
        _put_back(done, made)
        msg = exc.message if isinstance(exc, CstoError) else os_message(exc)
        raise AuthoringError(f"{msg}; nothing written") from None
    files = tuple(w.path for w in done)
    try:
        _journal_add(step.data, summary, ids, done, made)
    except (OSError, CstoError) as exc:
        # the files are written (and stay so): say that, and that this step has no undo
        msg = exc.message if isinstance(exc, CstoError) else os_message(exc)
        return Change(files, summary, ids,
                      f"this step cannot be undone: the undo journal could not record it "
                      f"({msg}); its files are written")
    return Change(files, summary, ids)


def _mkdirs(folder: Path) -> list[Path]:
    """Create ``folder`` and missing parents; return those created, outermost first."""
    missing: list[Path] = []
    p = folder
    while not p.exists():
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        d.mkdir()
    return list(reversed(missing))


def _put_back(done: list[Write], made: list[Path]) -> None:
    for w in reversed(done):
        try:
            if w.before is None:
                w.path.unlink(missing_ok=True)
            else:
                atomic_write(w.path, w.before, backup=False)
        except OSError:
            pass
    for d in reversed(made):
        try:
            d.rmdir()
        except OSError:
            pass


# ------------------------------------------------------------------------------ journal

_JOURNAL = "journal.json"
_MAX_STEPS = 50


def _journal_read(data: Path) -> list[dict[str, Any]]:
    path = journal_dir(data) / _JOURNAL
    try:
        doc = json.loads(reading.read_bytes(path).decode("utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:
        raise AuthoringError(f"{path}: the undo journal cannot be read ({exc})") from None
    steps = doc.get("steps") if isinstance(doc, dict) else None
    return steps if isinstance(steps, list) else []


def _journal_write(data: Path, steps: list[dict[str, Any]]) -> None:
    """Write the journal (with the earlier bytes its steps name); with no step left, remove
    it, and its folders once empty."""
    folder = journal_dir(data)
    if not steps:
        for name in (os.listdir(folder) if folder.is_dir() else ()):
            if name == _JOURNAL or name.endswith(".bin"):
                (folder / name).unlink(missing_ok=True)
        for d in (folder, folder.parent):
            if d.name == ".csto-undo" or d == folder:
                try:
                    d.rmdir()
                except OSError:
                    pass
        return
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write(folder / _JOURNAL, json.dumps({"version": 1, "steps": steps}, indent=1)
                 .encode("utf-8"), backup=False)
    keep = {f["before"] for s in steps for f in s["files"] if f.get("before")}
    for name in os.listdir(folder):
        if name.endswith(".bin") and name[:-4] not in keep:
            (folder / name).unlink(missing_ok=True)


def _rel(data: Path, path: Path) -> str:
    return os.path.relpath(path, home(data))


def _journal_add(data: Path, summary: str, ids: tuple[str, ...], done: list[Write],
                 made: list[Path]) -> None:
    folder = journal_dir(data)
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for w in done:
        blob = None
        if w.before is not None:
            blob = hashlib.sha256(w.before).hexdigest()
            # named by its hash (checked by undo): written whole or not at all, never over
            # an earlier step's copy of the same bytes
            atomic_write_keyed(folder / f"{blob}.bin", w.before, mode=None)
        after = Stamp.of(w.path)
        files.append({"path": _rel(data, w.path), "before": blob,
                      "after": [after.size, after.digest] if after.exists else None})
    steps = _journal_read(data)
    steps.append({"summary": summary, "ids": list(ids), "files": files,
                  "dirs": [_rel(data, d) for d in made]})
    _journal_write(data, steps[-_MAX_STEPS:])


def undoable(data: Path | str) -> str | None:
    """What :func:`undo` would undo (its summary), or None."""
    try:
        steps = _journal_read(Path(data))
    except AuthoringError:
        return None
    return str(steps[-1].get("summary", "")) if steps else None


def undo(data: Path | str) -> Change:
    """Revert the last step made on this dataset: every file it wrote back to its bytes
    before it (a file it created is removed), refused if any of them changed since."""
    data = Path(data)
    steps = _journal_read(data)
    if not steps:
        raise AuthoringError("nothing to undo: no step of this dataset is recorded in "
                             f"{journal_dir(data)}")
    step = steps[-1]
    root = home(data)
    folder = journal_dir(data)
    plan: list[tuple[Path, bytes | None, Stamp]] = []
    for f in step["files"]:
        path = root / f["path"]
        after = Stamp(True, f["after"][0], f["after"][1]) if f["after"] else Stamp(False)
        now = Stamp.of(path)
        if now != after:
            raise AuthoringError(
                f"{path} changed since \"{step['summary']}\" was written; nothing undone")
        before = None
        if f["before"]:
            try:
                before = (folder / f"{f['before']}.bin").read_bytes()
            except OSError as exc:
                raise AuthoringError(f"the undo journal lost {path}'s earlier bytes "
                                     f"({os_message(exc)}); nothing undone") from None
            if hashlib.sha256(before).hexdigest() != f["before"]:
                raise AuthoringError(f"the undo journal's copy of {path} is damaged; "
                                     "nothing undone")
        plan.append((path, before, now))
    written: list[Path] = []
    for path, before, now in reversed(plan):
        try:
            if before is None:
                path.unlink(missing_ok=True)
            else:
                atomic_write(path, before, expected=now, backup=False)
        except (OSError, CstoError) as exc:
            msg = exc.message if isinstance(exc, CstoError) else os_message(exc)
            raise AuthoringError(f"undo stopped at {path}: {msg} (undone so far: "
                                 f"{', '.join(map(str, written)) or 'nothing'})") from None
        written.append(path)
    for d in reversed(step.get("dirs", [])):
        try:
            (root / d).rmdir()
        except OSError:
            pass
    undone = tuple(p for p, _, _ in plan)
    summary = f"undid: {step['summary']}"
    try:
        _journal_write(data, steps[:-1])
    except (OSError, CstoError) as exc:
        msg = exc.message if isinstance(exc, CstoError) else os_message(exc)
        return Change(undone, summary, tuple(step.get("ids", ())),
                      f"the undo journal still lists this step ({msg}): undo will refuse it "
                      "again; its files are back as they were")
    return Change(undone, summary, tuple(step.get("ids", ())))
