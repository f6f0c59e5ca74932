"""Safe writes: temporary file, fsync, backup, then an atomic replace.

A crash at any point leaves either the old file or the new one, never a half-written file.
A write is refused when the target changed on disk since it was read (someone else's edit).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from .errors import WriteConflictError


@dataclass(frozen=True)
class Stamp:
    """What a file looked like when it was read: absent, or its size and content hash."""

    exists: bool
    size: int = 0
    digest: str = ""

    @classmethod
    def of(cls, path: Path) -> Stamp:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return cls(False)
        return cls.of_bytes(data)

    @classmethod
    def of_bytes(cls, data: bytes) -> Stamp:
        return cls(True, len(data), hashlib.sha256(data).hexdigest())


def atomic_write(
    path: Path,
    data: bytes,
    *,
    expected: Stamp | None = None,
    backup: bool = True,
) -> Path | None:
    """Write ``data`` to ``path`` atomically; return the backup's path, if one was made.

    ``expected`` is the stamp taken when the file was read: if the file now differs, nothing is
    written and :class:`WriteConflictError` is raised.
    """
    import shutil
    import tempfile

    path = Path(path)
    if expected is not None:
        now = Stamp.of(path)
        if now != expected:
            raise WriteConflictError(
                f"{path} changed on disk since it was read; not overwriting it. "
                "Run the command again to work from the current file."
            )
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    backup_path: Path | None = None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            try:
                shutil.copymode(path, tmp)
            except OSError:
                pass
            if backup:
                backup_path = path.with_name(path.name + ".bak")
                _copy_atomic(path, backup_path)
        os.replace(tmp, path)
    except BaseException:
        try:
            tmp.unlink()
        except FileNotFoundError:
            pass
        raise
    _fsync_dir(path.parent)
    return backup_path


def _copy_atomic(src: Path, dst: Path) -> None:
    import shutil
    import tempfile

    fd, tmp_name = tempfile.mkstemp(prefix=f".{dst.name}.", suffix=".tmp", dir=dst.parent)
    os.close(fd)
    try:
        shutil.copy2(src, tmp_name)
        os.replace(tmp_name, dst)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
