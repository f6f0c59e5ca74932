"""A dataset's source documents (no textual): where each one's file is (under its data file's
folder, or its parent's: nothing that leaves it, through a link either) and reading them (UTF-8,
a byte-order mark skipped, line ends kept), with the mode they were read with (a check's report
quotes their words: what it keeps gets their mode)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from . import reading


def root_of(data_file: Path, base: str) -> Path:
    """The folder a data file's sources are under: its own, or its parent's (``base = ".."``)."""
    return (data_file.parent / base).resolve() if base == ".." else data_file.parent.resolve()


def read_source(path: Path) -> str:
    """Read a source document as text: UTF-8, BOM skipped, line ends kept as they are."""
    return read_source_with_mode(path)[0]


def read_source_with_mode(path: Path) -> tuple[str, int]:
    """:func:`read_source`'s text and the mode it was read with
    (:func:`csto_tui.reading.read_with_mode`)."""
    raw, mode = reading.read_with_mode(path)  # a regular file within the limits, or OSError
    text = raw.decode("utf-8")  # UnicodeDecodeError is reported by the caller
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, mode


def safe_source_path(base: Path, file: str, memo: dict[str, str] | None = None
                     ) -> tuple[Path | None, str]:
    """Resolve ``file`` under ``base``; refuse anything that leaves it. Return (path, error).

    ``memo`` (one dict per load) keeps the resolved folders, so that thousands of sources in
    a few folders cost one ``lstat`` each rather than one per part of their path."""
    if not isinstance(file, str) or not file.strip():
        return None, "must be a non-empty relative path"
    if "\x00" in file:
        return None, "contains a NUL character"
    # (string tests, no Path parsed: a big load checks thousands; a drive letter as Windows'
    # absolute paths have, and a '..' between backslashes too)
    if (file.startswith(("/", "\\")) or file[1:2] == ":" and file[:1].isascii()
            and file[:1].isalpha() or os.path.isabs(file)):
        return None, f"{file!r} is an absolute path; source paths must be relative to the dataset"
    if ".." in file.replace("\\", "/").split("/"):
        return None, f"{file!r} leaves the dataset's folder ('..' is not allowed)"
    target = base / file
    if memo is None:
        memo = {}
    base_s = str(base)
    base_real = memo.get(base_s)
    if base_real is None:
        base_real = memo[base_s] = os.path.realpath(base)
    parent, name = os.path.split(str(target))
    real_parent = memo.get(parent)
    if real_parent is None:
        real_parent = memo[parent] = os.path.realpath(parent)
    real = os.path.join(real_parent, name)
    if os.path.islink(real):  # the file itself is a link: follow it all the way
        real = os.path.realpath(real)
    if real != base_real and not real.startswith(base_real.rstrip(os.sep) + os.sep):
        return None, f"{file!r} is a link that points outside the dataset's folder"
    return target, ""


def read_sources(entries: list[tuple[int, str, str]], files: list[Path], bases: list[str],
                 add: Callable[..., None]
                 ) -> tuple[dict[str, Path | None], dict[str, str], int]:
    """Each source (the index of the file that declares it, its id, its ``file``) checked
    against that file's folder and read: its path (None: refused) and its text (when read),
    by id, and the most restrictive mode they were read with (a check's report quotes their
    words); what went wrong reported with ``add`` (:func:`csto_tui.loader.problem_adder`)."""
    mode = 0o666
    texts: dict[str, str] = {}
    paths: dict[str, Path | None] = {}
    memo: dict[str, str] = {}
    roots: dict[tuple[Path, str], Path] = {}
    for n, sid, file in entries:
        where = (files[n].parent, bases[n])
        root = roots.get(where)
        if root is None:
            root = roots[where] = root_of(files[n], bases[n])
        spath, err = safe_source_path(root, file, memo)
        paths[sid] = spath
        if spath is None:
            add(n, "path", f"source path refused: {err}", sid, "file")
            continue
        try:
            texts[sid], smode = read_source_with_mode(spath)
            mode &= smode
        except FileNotFoundError:
            add(n, "source", f"source file not found: {spath}", sid, "file")
        except IsADirectoryError:
            add(n, "source", f"source path is a folder: {spath}", sid, "file")
        except UnicodeDecodeError as exc:
            add(n, "source", f"{spath} is not UTF-8 text (bad byte at offset {exc.start})",
                sid, "file")
        except OSError as exc:
            add(n, "source", f"cannot read {spath}: {exc.strerror or exc}", sid, "file")
    return paths, texts, mode
