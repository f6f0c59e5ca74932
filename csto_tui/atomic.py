"""Safe writes: temporary file, fsync, backup, then an atomic replace (no textual).

A crash at any point leaves either the old file or the new one, never a half-written file.
What the write never trusts:

- **the target's kind**: a link is written through, to the file it points at (the link stays);
  a folder, FIFO, socket or device is refused with a message saying what it is, never replaced
  by a regular file;
- **the target's permissions**: an existing file keeps its mode (and, where allowed, its owner);
  a new file gets the user's umask, as any program's would (the temporary file is created with
  mode 0666 and the umask applied by the system, not mkstemp's 0600);
- **other writers**: the target's stamp (size and SHA-256) is taken when the write starts (or
  given by the caller, from when it read the file) and taken again right before the rename. If
  another program wrote the file meanwhile, its file is kept, ours is written beside it
  (``NAME.new``, ``NAME.new.2``, ...) and :class:`WriteConflictError` says where.

A file named by the key of its content (a stored text, :mod:`csto_tui.textstore`; an undo
journal's copy of a file, :mod:`csto_tui.journal`) is written by :func:`atomic_write_keyed`:
the same temporary file and rename, without what a file people edit needs (no stamp: every
writer of that name writes the same bytes; no backup; no fsync: a file a crash left torn fails
its reader's key check and counts as absent), its own mode, and the name replaced whatever
holds it (a link is not written through).
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path

from . import reading
from .errors import CstoError, WriteConflictError
from .values import _set, _Value


class WriteRefusedError(CstoError):
    """The target is not a regular file (a folder, FIFO, socket or device): nothing written."""


class Stamp(_Value):
    """What a file looked like when it was read: absent, or its size and content hash."""

    __slots__ = _fields = ("exists", "size", "digest")

    exists: bool
    size: int
    digest: str

    def __init__(self, exists: bool, size: int = 0, digest: str = "") -> None:
        _set(self, "exists", exists)
        _set(self, "size", size)
        _set(self, "digest", digest)

    @classmethod
    def of(cls, path: Path) -> Stamp:
        try:
            data = reading.read_bytes(path)
        except FileNotFoundError:
            return cls(False)
        return cls.of_bytes(data)

    @classmethod
    def of_bytes(cls, data: bytes) -> Stamp:
        return cls(True, len(data), hashlib.sha256(data).hexdigest())


def target_of(path: Path | str) -> Path:
    """The file a write to ``path`` goes to: ``path`` itself, or where its links lead
    (``~`` expanded). Refuses (:class:`WriteRefusedError`) anything but a regular file or a
    name not taken yet."""
    path = Path(os.path.expanduser(os.fspath(path)))
    target = Path(os.path.realpath(path)) if os.path.islink(path) else path
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return target  # a new file (or a link to a file not yet written)
    if not stat.S_ISREG(mode):
        what = reading.what_is(mode)
        shown = f"{path} (a link to {target})" if target != path else str(path)
        raise WriteRefusedError(f"{shown} is {what}; csto-tui writes only regular files, "
                                "nothing written")
    return target


def atomic_write(
    path: Path | str,
    data: bytes,
    *,
    expected: Stamp | None = None,
    backup: bool = True,
) -> Path | None:
    """Write ``data`` to ``path`` atomically; return the backup's path, if one was made.

    ``expected`` is the stamp taken when the caller read the file; without it, the file as it
    is when the write starts. If the file differs from it, at the start or right before the
    rename, the other writer's file is kept, ``data`` is written beside it and
    :class:`WriteConflictError` names both.
    """
    target = Path(os.path.expanduser(os.fspath(path)))
    try:
        target = target_of(path)
        return _write(target, data, expected, backup)
    except OSError as exc:
        raise _named(exc, target) from None


def atomic_write_keyed(path: Path | str, data: bytes, *, mode: int | None = 0o644) -> None:
    """Write ``data`` to ``path``, a file named by the key of its content, atomically: a
    temporary file beside it renamed over it, removed if the write fails.

    No stamp is taken (any writer of that name writes the same bytes), no backup made and
    nothing synced to disk (a file a crash left torn fails its reader's key check and counts
    as absent). The file gets ``mode`` whatever the umask (None: 0666 less the umask, as
    :func:`atomic_write` gives a new file). The name is the writer's own (a store's, never a
    file a person edits): whatever holds it is replaced, a link included (never written
    through: its file is left alone), and a folder there is an error.
    """
    target = Path(path)
    try:
        _replace(_temporary(target, data, mode=mode, sync=False), target)
    except OSError as exc:
        raise _named(exc, target) from None


def _named(exc: OSError, target: Path) -> OSError:
    """``exc`` named after the file written, not its temporary file."""
    return type(exc)(exc.errno, f"cannot write: {exc.strerror or exc}", str(target))


def _replace(tmp: Path, target: Path) -> None:
    """Rename the finished temporary file ``tmp`` over ``target`` (removed if that fails)."""
    try:
        os.replace(tmp, target)
    except BaseException:
        _unlink(tmp)
        raise


def _write(target: Path, data: bytes, expected: Stamp | None, backup: bool) -> Path | None:
    if expected is None:
        expected = Stamp.of(target)
    elif Stamp.of(target) != expected:
        raise _conflict(target, data, "since it was read")
    tmp = _temporary(target, data)
    placed = False  # tmp renamed (to the target, or beside it)
    backup_path: Path | None = None
    try:
        try:
            st = os.stat(target)
        except FileNotFoundError:
            st = None
        if st is not None:
            _same_permissions(tmp, st)
            if backup:
                backup_path = target.with_name(target.name + ".bak")
                _copy_atomic(target, backup_path)
        # the last look before the rename: another writer may have come in meanwhile
        if Stamp.of(target) != expected:
            beside = _beside(target, tmp)
            placed = True
            raise WriteConflictError(_conflict_message(target, beside, "while it was written"))
        os.replace(tmp, target)
        placed = True
    finally:
        if not placed:
            _unlink(tmp)
    _fsync_dir(target.parent)
    return backup_path


def _temporary(target: Path, data: bytes, *, mode: int | None = None,
               sync: bool = True) -> Path:
    """A new file beside ``target`` holding ``data``, synced to disk unless ``sync`` is False;
    its mode is ``mode``, or else 0666 less the umask (applied by the system)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        tmp = target.with_name(f".{target.name}.{os.urandom(4).hex()}.tmp")
        try:
            fd = os.open(tmp, flags, 0o666)
        except FileExistsError:
            continue
        break
    else:  # pragma: no cover - 100 random names taken
        raise FileExistsError(errno.EEXIST, "no free temporary name", str(target.parent))
    try:
        with os.fdopen(fd, "wb") as fh:
            if mode is not None:
                os.fchmod(fh.fileno(), mode)
            fh.write(data)
            if sync:
                fh.flush()
                os.fsync(fh.fileno())
    except BaseException:
        _unlink(tmp)
        raise
    return tmp


def _same_permissions(tmp: Path, st: os.stat_result) -> None:
    """Give the new file the old one's mode, and its owner where the system allows it."""
    try:
        if (st.st_uid, st.st_gid) != (os.getuid(), os.getgid()):
            os.chown(tmp, st.st_uid, st.st_gid)
    except (OSError, AttributeError):
        pass  # not ours to give away: the mode still follows
    os.chmod(tmp, stat.S_IMODE(st.st_mode))


def _conflict(target: Path, data: bytes, when: str) -> WriteConflictError:
    tmp = _temporary(target, data)
    try:
        beside = _beside(target, tmp)
    except BaseException:
        _unlink(tmp)
        raise
    return WriteConflictError(_conflict_message(target, beside, when))


def _conflict_message(target: Path, beside: Path, when: str) -> str:
    return (f"{target} changed on disk {when} (another program wrote it): kept that version, "
            f"not overwriting it; wrote this one to {beside}. Compare the two, or run the "
            "command again to work from the current file.")


def _beside(target: Path, tmp: Path) -> Path:
    """Give the finished temporary file ``tmp`` a free name beside ``target`` (``NAME.new``,
    ``NAME.new.2``, ...), never replacing anything; return it."""
    for n in range(1, 1000):
        name = target.with_name(target.name + (".new" if n == 1 else f".new.{n}"))
        try:
            os.link(tmp, name)  # fails if the name is taken: nothing replaced
        except FileExistsError:
            continue
        except OSError:  # no hard links here: a rename to a name that was free just now
            if os.path.lexists(name):
                continue
            os.replace(tmp, name)
            return name
        _unlink(tmp)
        return name
    raise FileExistsError(errno.EEXIST, "no free name beside the file", str(target))


def _copy_atomic(src: Path, dst: Path) -> None:
    import shutil

    tmp = _temporary(dst, b"")
    try:
        shutil.copy2(src, tmp)
        os.replace(tmp, dst)
    except BaseException:
        _unlink(tmp)
        raise


def _unlink(p: Path) -> None:
    try:
        os.unlink(p)
    except FileNotFoundError:
        pass


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
