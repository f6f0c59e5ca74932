"""The project's own error and problem types (no textual, no rich)."""

from __future__ import annotations

from .values import _set, _Value


class Problem(_Value):
    """One thing wrong with a dataset, located as precisely as we can.

    ``code`` is a short machine word (``toml``, ``schema``, ``duplicate-id``, ``unknown-ref``,
    ``source``, ``path``, ``unanchored``, ``moved``, ``normalized``, ``fuzzy``, ``orphaned``,
    ``ambiguous``, ``uncited-record``, ``membership``, ``stale-anchor``).
    ``severity`` is ``error`` (check fails) or ``warning`` (reported, check still passes).
    """

    __slots__ = _fields = ("code", "message", "file", "line", "column", "record", "field",
                           "severity")
    code: str
    message: str
    file: str
    line: int | None
    column: int | None
    record: str
    field: str
    severity: str

    def __init__(self, code: str, message: str, file: str = "", line: int | None = None,
                 column: int | None = None, record: str = "", field: str = "",
                 severity: str = "error") -> None:
        _set(self, "code", code)
        _set(self, "message", message)
        _set(self, "file", file)
        _set(self, "line", line)
        _set(self, "column", column)
        _set(self, "record", record)
        _set(self, "field", field)
        _set(self, "severity", severity)

    def location(self) -> str:
        loc = self.file
        if self.line is not None:
            loc += f":{self.line}"
            if self.column is not None:
                loc += f":{self.column}"
        return loc

    def format(self) -> str:
        where = self.location()
        what = ""
        if self.record:
            what = self.record + (f".{self.field}" if self.field else "")
        elif self.field:
            what = self.field
        parts = [p for p in (where, f"[{self.code}]", what) if p]
        head = " ".join(parts)
        return f"{head}: {self.message}" if head else self.message

    def to_dict(self) -> dict[str, object]:
        return {k: v for k in self._fields if (v := getattr(self, k)) not in ("", None)}


class Reported:
    """What holds a list of ``problems`` (a load, a check, what ``check`` prints): its errors
    (severity "error": the check fails) and whether it has none."""

    __slots__ = ()
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors


class CstoError(Exception):
    """Base of every error csto-tui reports to a user (never shown as a traceback)."""

    def __init__(self, message: str, problems: tuple[Problem, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems


class DatasetError(CstoError):
    """The dataset cannot be loaded at all (unreadable file, TOML syntax error, ...)."""


class WriteConflictError(CstoError):
    """A file changed on disk since it was read: the write was refused."""


def os_message(exc: OSError) -> str:
    """An OS error as one plain line: the file it concerns, then the cause
    (``/mnt/brief.md: cannot write: No space left on device``)."""
    cause = exc.strerror or str(exc) or type(exc).__name__
    if exc.filename is None:
        return cause
    name = str(exc.filename)
    if exc.filename2 is not None:
        name += f" -> {exc.filename2}"
    return f"{name}: {cause}"
