"""The ``csto-tui`` command: the dashboard by default, and check / sync / export / search /
add-source / undo.

Only the dashboard imports textual, and only when it is launched.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from . import __version__
from .errors import CstoError, os_message
from .textsafe import agrees, plural, said, visible

if TYPE_CHECKING:
    import argparse

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    import argparse  # not on the plain dashboard launch's path

    data_help = ("dataset: a TOML file or a folder of TOML files (default: the bundled CSTO "
                 "dataset)")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data", metavar="PATH", default=argparse.SUPPRESS, help=data_help)

    p = argparse.ArgumentParser(
        prog="csto-tui",
        description="Keyboard-first terminal dashboard for CSTO briefings. Every fact on\n"
                    "screen traces to a verbatim quote in a source article.",
        epilog="Run without a command to open the dashboard. Keys: press ? inside it.\n\n"
               "Your own keys and theme are read from (`csto-tui keys` lists every binding "
               "id):\n  " + _config_where(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"csto-tui {__version__}")
    p.add_argument("--data", metavar="PATH", default=None, help=data_help)
    p.add_argument("--theme", metavar="NAME", default=None,
                   help="the dashboard's theme (overrides the config file; `csto-tui keys "
                        "--themes` lists them; NO_COLOR still wins)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    k = sub.add_parser("keys", help="list every key binding with its id (for the config "
                       "file's [keys] table), with your own keys applied")
    k.add_argument("--format", choices=("text", "json"), default="text")
    k.add_argument("--themes", action="store_true", help="list the themes instead")

    c = sub.add_parser("check", parents=[common], help="validate the dataset, its sources and "
                       "every quote's anchor (exit 0 only when all is exact)")
    c.add_argument("--format", choices=("text", "json"), default="text")
    c.add_argument("--coverage", action="store_true",
                   help="also count the characters of each source neither quoted nor explained as "
                   "uncited, and list those passages")

    s = sub.add_parser("sync", parents=[common], help="re-anchor quotes after sources changed "
                       "(writes the .anchors.toml companion, keeps a .bak)")
    s.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")
    s.add_argument("--format", choices=("text", "json"), default="text")

    e = sub.add_parser("export", parents=[common], help="print a briefing (Markdown, numbered "
                       "citations) or the whole dataset (JSON)")
    e.add_argument("--state", action="append", metavar="STATE",
                   help="a state's id, name or alias, as the search knows them, e.g. kgz, "
                        "Kyrgyzstan, Kirgizia (repeatable; "
                        "default: every current member)")
    e.add_argument("--format", choices=("markdown", "json"), default="markdown")
    e.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead "
                   "of standard output")
    e.add_argument("--allow-review", action="store_true",
                   help="exit 0 even when exported quotes need review (the export says so)")
    from .facts import FACTS_ONLY_LEFT_OUT

    e.add_argument("--facts-only", action="store_true",
                   help=f"leave out {FACTS_ONLY_LEFT_OUT} (records and fields whose stance is "
                   "not 'fact'), as the dashboard's c key does")

    a = sub.add_parser("add-source", parents=[common], help="add an article: copy it byte for "
                       "byte into the dataset's sources/ folder, register it, store its text; "
                       "prints its coverage (everything uncovered at first)")
    a.add_argument("file", metavar="FILE", help="the article, a UTF-8 text file")
    a.add_argument("--title", help="its title (default: its first line)")
    a.add_argument("--date", help="its date: YYYY, YYYY-MM or YYYY-MM-DD")
    a.add_argument("--publisher", help="who published it")
    a.add_argument("--id", dest="source_id", metavar="ID",
                   help="its source id (default: made from the file's name)")

    sub.add_parser("undo", parents=[common], help="undo the last write to the dataset "
                   "(add-source, or a cite / uncited / added article in the dashboard): its "
                   "files back as they were; refused if one changed since")

    q = sub.add_parser("search", parents=[common], help="ranked search over records and the "
                       "full text of the sources")
    q.add_argument("query", nargs="+")
    q.add_argument("--format", choices=("text", "json"), default="text")
    q.add_argument("--limit", type=_at_least_one, default=20, metavar="N",
                   help="at most N results (default 20)")
    q.add_argument("--group", action="store_true", help="group the ranked results by kind")
    return p


def _config_where() -> str:
    from .settings import config_path

    return str(config_path())


def _at_least_one(value: str) -> int:
    """``--limit``: a whole number of at least 1 (else argparse's usage error, exit 2)."""
    import argparse

    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {n}")
    return n


def _dashboard_args(argv: list[str]) -> Path | None | bool:
    """The dataset of a plain dashboard launch (``csto-tui`` or ``csto-tui --data PATH``), or
    False for anything else: the usual launch skips building the whole argument parser."""
    if not argv:
        return None
    if len(argv) == 2 and argv[0] == "--data" and argv[1] and not argv[1].startswith("-"):
        return Path(argv[1])
    if len(argv) == 1 and argv[0].startswith("--data=") and len(argv[0]) > 7:
        return Path(argv[0][7:])
    return False


def main(argv: list[str] | None = None) -> int:
    global _one_shot
    _one_shot = False
    _kept.clear()  # an earlier call's (tests run several in one process)
    plain = _dashboard_args(sys.argv[1:] if argv is None else argv)
    if plain is not False:
        return _command(_Dashboard(), plain if isinstance(plain, Path) else None)
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: usage errors exit 2, --help/--version exit 0
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    if getattr(args, "data", None) == "":
        parser.print_usage(sys.stderr)
        _err("--data needs the path of a dataset; an empty one names nothing "
             "(leave --data out for the bundled dataset)")
        return EXIT_USAGE
    data = Path(args.data) if getattr(args, "data", None) else None
    if args.command is None:
        return _command(args, data)
    # A one-shot command keeps everything it loads to the end: the cyclic collector would
    # only walk the whole dataset again and again (a tenth of `check` at 1000x).
    import gc

    _one_shot = True
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _command(args, data)
    finally:
        if enabled:
            gc.enable()


_T = TypeVar("_T")

#: whether :func:`main` ran a one-shot command (check, sync, export, ...), not the dashboard
_one_shot = False
#: whether :func:`run` ends the process with ``os._exit`` after a one-shot command (not if
#: :func:`main` is called otherwise, or under a profiler, a coverage tool, CSTO_TUI_DEBUG)
_ends_at_once = False
#: what a one-shot command loaded, kept to such an end: not taken apart record by record
_kept: list[object] = []  # (freeing 300,000 records at 1000x took ~0.08 s)


def _keep(loaded: _T) -> _T:
    """``loaded``, kept to the end of the process if it ends at once after this command."""
    if _one_shot and _ends_at_once:
        _kept.append(loaded)
    return loaded


def run() -> None:
    """The ``csto-tui`` command (and ``python -m csto_tui``): :func:`main`, its exit code.

    After a one-shot command, once its output is flushed, the process ends at once rather
    than taking apart what it loaded object by object (~0.1 s at 1000x the shipped data; its
    files are all written and closed by then, atomically; nothing registers an exit hook).
    The dashboard exits as usual, and so does a run under a profiler or a coverage tool, or
    with CSTO_TUI_DEBUG set, whose own exit hooks must run."""
    global _ends_at_once
    watched = sys.gettrace() is not None or sys.getprofile() is not None  # coverage, cProfile
    _ends_at_once = not watched and not os.environ.get("CSTO_TUI_DEBUG")
    code = main()
    if _one_shot and _ends_at_once:
        for stream in (sys.stdout, sys.stderr):
            try:
                if stream is not None:  # None: started with that stream closed
                    stream.flush()
            except BrokenPipeError:  # the reader went away (`| head`): nothing more to say
                pass
            except (OSError, ValueError):  # the last of the output was not written
                code = code or EXIT_PROBLEMS
        os._exit(code)
    sys.exit(code)


class _Dashboard:
    """The parsed arguments of a plain dashboard launch."""

    command = None


def _command(args: Any, data: Path | None) -> int:
    if data is not None:  # an anchors file given for its data file: say which to give
        from .anchorsfile import not_a_dataset

        if wrong := not_a_dataset(data):
            _err(wrong)
            return EXIT_USAGE
    try:
        if args.command is None:
            return _run_app(data, getattr(args, "theme", None))
        if args.command == "keys":
            return _keys(args.format, args.themes)
        if args.command == "check":
            return _check(data, args.format, args.coverage)
        if args.command == "sync":
            return _sync(data, args.dry_run, args.format)
        if args.command == "export":
            return _export(data, args.state, args.format, args.output, args.allow_review,
                           args.facts_only)
        if args.command == "add-source":
            return _add_source(data, args.file, args.title, args.date, args.publisher,
                               args.source_id)
        if args.command == "undo":
            return _undo(data)
        if args.command == "search":
            return _search(data, " ".join(args.query), args.format, args.limit, args.group)
    except CstoError as exc:
        _err(exc.message)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_OK
    except OSError as exc:  # disk full, read-only, no permission, a folder for a file, ...
        if exc.filename == STDOUT:
            _quiet_stdout()
        _err(os_message(exc))
        return EXIT_PROBLEMS
    except Exception as exc:  # never a traceback for a user
        if os.environ.get("CSTO_TUI_DEBUG"):
            raise
        _err(f"internal error: {type(exc).__name__}: {exc} (set CSTO_TUI_DEBUG=1 for details)")
        return EXIT_PROBLEMS
    _parser().print_usage(sys.stderr)
    return EXIT_USAGE


#: A dataset this big parsed for the first time takes seconds: say so on stderr.
SLOW_FIRST_LOAD_BYTES = 4_000_000


def _note_first_load(data: Path | None) -> None:
    """Tell the user why a run on a big dataset takes a while when the loader has to parse
    and validate a big data file (later runs use the cache of csto_tui.cache); silent
    otherwise."""
    from . import loader

    def note(path: Path, size: int) -> None:
        loader.on_full_load = None  # once
        if size < SLOW_FIRST_LOAD_BYTES:
            return
        from .cache import cache_dir

        later = ("later runs use the cache" if cache_dir() is not None
                 else "the cache is off (CSTO_TUI_CACHE=0), so every run does this")
        print(f"csto-tui: reading {visible(str(path))} ({size / 1e6:.0f} MB) in full; {later}",
              file=sys.stderr, flush=True)

    loader.on_full_load = note


def _json(doc: object, **kwargs: object) -> str:
    import json  # only for --format json: not on the dashboard's start-up path

    return json.dumps(doc, **kwargs)  # type: ignore[arg-type]


def _err(msg: str) -> None:
    print(f"csto-tui: {visible(msg)}", file=sys.stderr)


#: The name OS errors on standard output carry in messages.
STDOUT = "standard output"


def _out(text: str) -> None:
    import errno

    if sys.stdout is None:  # started with its standard output closed (`>&-`)
        raise OSError(errno.EBADF, "cannot write: it is closed", STDOUT)
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:  # `> /full/disk/file`, a read-only or vanished file
        raise OSError(exc.errno, f"cannot write: {exc.strerror or exc}", STDOUT) from None


def _quiet_stdout() -> None:
    """After standard output failed: nothing more is written to it, not even the last flush
    at exit (which would print "Exception ignored ...")."""
    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, sys.stdout.fileno())
        os.close(fd)
    except (OSError, AttributeError, ValueError):  # no stdout, or not a real file
        pass


# ---------------------------------------------------------------------------------- commands


def _check(data: Path | None, fmt: str, with_coverage: bool) -> int:
    from .errors import DatasetError
    from .filecheck import summarize

    try:
        _note_first_load(data)
        rep = _keep(summarize(data, whole=with_coverage))
    except DatasetError as exc:
        if fmt == "json":
            probs = [p.to_dict() for p in exc.problems] or [{"message": exc.message}]
            _out(_json({"ok": False, "problems": probs}, indent=2) + "\n")
        else:
            _err(exc.message)
        return EXIT_PROBLEMS
    cov = None
    if rep.report is not None and with_coverage:
        from .coverage import coverage

        cov = coverage(rep.report.dataset)
    if fmt == "json":
        doc: dict[str, object] = {
            "ok": rep.ok,
            "dataset": str(rep.path),
            "counts": rep.counts,
            "quotes_per_source": rep.quotes_per_source,
            "sources_changed": {c.source: {"changed": c.changed, "quotes": c.quotes}
                                for c in rep.sources.values()},
            "problems": [p.to_dict() for p in rep.problems],
        }
        if cov is not None:
            doc["coverage"] = [{
                "source": c.source, "characters": c.chars, "quoted": c.quoted,
                "explained": c.explained, "uncovered_characters": c.uncovered_chars,
                "uncovered_share": round(c.uncovered_share, 4),
                "uncovered": [{"start": s.start, "end": s.end, "text": s.text}
                              for s in c.uncovered],
            } for c in cov]
        _out(_json(doc, indent=2, ensure_ascii=True) + "\n")
        return EXIT_OK if rep.ok else EXIT_PROBLEMS
    lines = []
    for p in rep.problems:
        lines.append(("warning: " if p.severity == "warning" else "") + visible(p.format()))
    lines.append(f"{rep.path}: " + ", ".join(f"{v} {k}" for k, v in rep.counts.items()))
    lines.append(_per_source(rep.quotes_per_source))
    lines.append(f"anchors: {rep.exact}/{rep.quotes} exact")
    lines.extend(_source_changes(rep))
    if cov is not None:
        for sc in cov:
            lines.extend(_coverage_lines(sc))
    n_err = len(rep.errors)
    lines.append("ok" if rep.ok else plural(n_err, "problem"))
    _out("\n".join(lines) + "\n")
    return EXIT_OK if rep.ok else EXIT_PROBLEMS


def _coverage_lines(sc: Any, width: int | None = None) -> list[str]:
    """A source's coverage (coverage.SourceCoverage): the counts, then each passage neither
    quoted nor explained (cut to ``width`` characters, when given)."""
    from .textsafe import one_line

    lines = [f"coverage {sc.source}: {sc.chars} characters (whitespace aside), "
             f"{sc.quoted} quoted, {sc.explained} explained as uncited, "
             f"{sc.uncovered_chars} neither ({sc.uncovered_share:.1%}) in "
             f"{plural(len(sc.uncovered), 'passage')}"]
    for s in sc.uncovered:
        text = visible(s.text) if width is None else one_line(s.text, width)
        lines.append(f"  {sc.source}:{s.start}-{s.end}: {text}")
    return lines


def _add_source(data: Path | None, file: str, title: str | None, date: str | None,
                publisher: str | None, source_id: str | None) -> int:
    """``csto-tui add-source FILE``: the article copied, registered and its text stored; its
    coverage printed (everything uncovered at first)."""
    from . import authoring
    from .coverage import coverage
    from .loader import default_dataset_path, load

    path = data or default_dataset_path()
    change = authoring.add_source(path, Path(file), title=title, date=date,
                                  publisher=publisher, source_id=source_id)
    sid = change.ids[0]
    lines = [visible(change.summary)]
    lines += [f"  wrote {visible(str(f))}" for f in change.files]
    for sc in coverage(load(path).dataset, only=sid):
        lines.extend(_coverage_lines(sc, width=100))
    lines.append("cite it in the dashboard (C shows what is left to cite)"
                 + ("" if change.warning else "; `csto-tui undo` takes this back"))
    _out("\n".join(lines) + "\n")
    if change.warning:
        _err(f"warning: {change.warning}")
    return EXIT_OK


def _undo(data: Path | None) -> int:
    """``csto-tui undo``: the last write to the dataset taken back, byte for byte."""
    from . import journal
    from .errors import DatasetError
    from .loader import default_dataset_path

    if data is not None and not data.exists():  # as every other command says it
        raise DatasetError(f"{data}: no such file")
    change = journal.undo(data or default_dataset_path())
    lines = [visible(change.summary)]
    lines += [f"  {'restored' if f.exists() else 'removed'} {visible(str(f))}"
              for f in change.files]
    _out("\n".join(lines) + "\n")
    if change.warning:
        _err(f"warning: {change.warning}")
    return EXIT_OK


def _source_changes(rep: Any, most: int = 12) -> list[str]:
    """One line per source changed since its anchors were written, with what that did to its
    quotes; a line for sources nobody can tell about."""
    lines = []
    changed = rep.changed_sources
    for c in changed[:most]:
        what = ", ".join(f"{n} {st}" for st, n in sorted(c.quotes.items(),
                                                         key=lambda kv: -kv[1]))
        lines.append(f"source {visible(c.source)} changed since its anchors were written: "
                     f"{what or 'no quotes'}")
    if len(changed) > most:
        lines.append(f"... and {len(changed) - most} more changed sources "
                     "(--format json lists every one)")
    unknown = [c.source for c in rep.sources.values() if c.changed is None and c.quotes]
    if unknown:
        lines.append(f"{plural(len(unknown), 'source')} whose anchors "
                     "name no stored text (run `csto-tui sync` to keep it): "
                     + ", ".join(visible(u) for u in unknown[:most])
                     + (" ..." if len(unknown) > most else ""))
    if not changed and not unknown and rep.sources:
        lines.append("sources: none changed since their anchors were written")
    return lines


def _per_source(qps: dict[str, int], limit: int = 12) -> str:
    """Quotes per source: each one for a few sources; for many, the spread and the fewest."""
    if len(qps) <= limit:
        return "quotes per source: " + ", ".join(f"{k} {v}" for k, v in qps.items())
    counts = sorted(qps.values())
    fewest = sorted(qps.items(), key=lambda kv: (kv[1], kv[0]))[:5]
    return (f"quotes per source ({len(qps)} sources): fewest {counts[0]}, median "
            f"{counts[len(counts) // 2]}, most {counts[-1]}; fewest in "
            + ", ".join(f"{k} {v}" for k, v in fewest) + " (--format json lists all)")


def _sync(data: Path | None, dry_run: bool, fmt: str) -> int:
    from .syncing import REVIEW_STATUSES, SYNC_STATUSES, sync
    from .vocabulary import RELOCATED

    _note_first_load(data)
    rep = _keep(sync(data, dry_run=dry_run))
    statuses = SYNC_STATUSES
    group = {s: rep.by_status(s) for s in statuses}  # each a pass over every quote: once
    if fmt == "json":
        _out(_json({
            "ok": rep.ok, "dry_run": dry_run,
            "written": str(rep.written) if rep.written else None,
            "backup": str(rep.backup) if rep.backup else None,
            "changed": rep.changed, "dropped": rep.dropped, "skipped": rep.skipped,
            "statuses": group,
            "problems": [p.to_dict() for p in rep.result.errors],
        }, indent=2, ensure_ascii=True) + "\n")
        return EXIT_OK if rep.ok else EXIT_PROBLEMS
    lines = [visible(p.format()) for p in rep.result.errors]
    summary = ", ".join(f"{len(group[s])} {s}" for s in statuses if group[s])
    lines.append(f"{len(rep.statuses)} quotes: {summary or 'none'}")
    for s in RELOCATED:
        ids = rep.re_anchored(s)  # only what this sync changes
        if ids:
            lines.append(f"{s} (re-anchored): {_ids(ids, 20)}")
    for s in REVIEW_STATUSES:
        ids = group[s]  # every status a review needs is a sync status
        if ids:
            lines.append(f"{s} (needs review, anchor kept): {_ids(ids, 200)}")
    if rep.needs_review:
        lines.append("review them with the diff in view: the dashboard's sync screen (S)")
    if rep.skipped:
        lines.append(f"skipped (source unreadable): {', '.join(rep.skipped)}")
    if rep.dropped:
        lines.append(f"stale anchors removed: {', '.join(rep.dropped)}")
    if dry_run:
        n = len(rep.changed) + len(rep.dropped)
        lines.append(f"dry run: {plural(n, 'anchor')} would change; nothing written")
    elif rep.written:
        lines.append(f"wrote {rep.written}" + (f" (backup: {rep.backup})" if rep.backup else ""))
    else:
        lines.append("anchors unchanged; nothing written")
    _out("\n".join(lines) + "\n")
    return EXIT_OK if rep.ok else EXIT_PROBLEMS


def _ids(ids: list[str], most: int) -> str:
    """A list of ids for a terminal: the first ``most``, then how many more."""
    shown = ", ".join(visible(i) for i in ids[:most])
    if len(ids) > most:
        shown += f" ... and {len(ids) - most} more (--format json lists every one)"
    return shown


def _export(data: Path | None, states: list[str] | None, fmt: str, output: str | None,
            allow_review: bool = False, facts_only: bool = False) -> int:
    from . import export
    from .checking import check, dataset_errors

    _note_first_load(data)
    rep = _keep(check(data))
    request = export.Request(tuple(states) if states else None, fmt, allow_review, facts_only)
    try:
            exp = export.make(rep.dataset, rep.quote_status, request, dataset_errors(rep.problems))
    except export.UnknownStateError as exc:
        _err(exc.message)
        return EXIT_USAGE
    if output:
        written = export.write(exp, output)
        print(f"wrote {visible(str(written))}", file=sys.stderr)
    else:
        _out(exp.text)
    SHOWN_PROBLEMS = export.SHOWN_PROBLEMS
    if exp.problems:
        # never passed off as complete: --allow-review does not cover these
        n = len(exp.problems)
        _err(f"the dataset has {plural(n, 'problem')}; what "
             f"{agrees(n, 'it concerns', 'they concern')} may be missing from this export (its "
             f"top lists {agrees(n, 'it', 'them')}). Fix what {agrees(n, 'it names', 'they name')}"
             ", then export again:")
        for p in exp.problems[:SHOWN_PROBLEMS]:
            _err("  " + p.format())
        if n > SHOWN_PROBLEMS:
            _err(f"  ... and {n - SHOWN_PROBLEMS} more (csto-tui check lists every one)")
    review = list(exp.needs_review)
    if review:
        n = len(review)
        which = _ids(review, 20)
        what = f"{plural(n, 'exported quote')} {agrees(n, 'needs', 'need')} review ({which})"
        if allow_review:
            _err(f"{what}; exported anyway (--allow-review), each marked where it is quoted")
        else:
            _err(f"{what}: each is marked where it is quoted. Review them on the dashboard's "
                 "sync screen (S), or pass --allow-review to export them with exit 0")
            return EXIT_PROBLEMS
    return EXIT_PROBLEMS if exp.problems else EXIT_OK


def _search(data: Path | None, query: str, fmt: str, limit: int, group: bool) -> int:
    from .loader import load
    from .search import SearchIndex, format_hits

    if not query.strip():  # a usage error, as argparse's own: nothing to look for
        _err("search needs words to look for: csto-tui search WORDS")
        return EXIT_USAGE
    _note_first_load(data)
    res = _keep(load(data))
    index = _keep(SearchIndex.build(res.dataset))
    hits = index.search(query, limit=limit)
    text = format_hits(hits, fmt, group=group)
    _out(text if text.endswith("\n") or not text else text + "\n")
    if fmt == "text" and not hits:
        _err(f"no result for {said(query)}")
        return EXIT_PROBLEMS
    return EXIT_OK


def _keys(fmt: str, themes: bool) -> int:
    """``csto-tui keys``: every binding (where, id, keys, what it does), or the themes."""
    import json

    from .keymap import keys_table, theme_names
    from .settings import load_for_app

    conf = load_for_app()
    for prob in conf.problems:
        _err(prob.format())
    if themes:
        names = theme_names()
        if fmt == "json":
            _out(json.dumps({"themes": names, "theme": conf.theme}, indent=2) + "\n")
        else:
            _out("".join(name + ("  (yours)" if name == conf.theme else "") + "\n"
                         for name in names))
        return EXIT_OK
    rows = keys_table(conf.keys)
    if fmt == "json":
        _out(json.dumps([{"where": w, "id": i, "keys": k, "description": d, "remapped":
                          i in conf.keys} for w, i, k, d in rows], indent=2) + "\n")
        return EXIT_OK
    lines = [visible(f"Config file: {conf.path}" + ("" if conf.found else " (none yet)"))]
    where_w = max(len(w) for w, *_ in rows)
    id_w = max(len(i) for _, i, *_ in rows)
    key_w = max(len(k) for _, _, k, _ in rows)
    last = ""
    for where, bid, keys, desc in rows:
        if where != last:
            lines.append("")
            last = where
        shown = keys + ("*" if bid in conf.keys else "")
        lines.append(visible(f"{where:<{where_w}}  {bid:<{id_w}}  {shown:<{key_w + 1}} {desc}"))
    if conf.keys:
        lines.append("\n* your own key (from the config file)")
    _out("\n".join(lines) + "\n")
    return EXIT_OK


def _run_app(data: Path | None, theme: str | None = None) -> int:
    if theme is not None:
        from .keymap import theme_names

        if theme not in theme_names():
            _err(f"unknown theme {theme!r}; `csto-tui keys --themes` lists them")
            return EXIT_USAGE
    term = os.environ.get("TERM", "")
    if term == "dumb":
        _err("this terminal (TERM=dumb) cannot show the dashboard. Use `csto-tui export` for a "
             "Markdown briefing or `csto-tui search QUERY` to look things up.")
        return EXIT_PROBLEMS
    if not sys.stdout.isatty() or not sys.stdin.isatty():
        _err("the dashboard needs an interactive terminal. Use `csto-tui export` or "
             "`csto-tui search QUERY` in scripts.")
        return EXIT_PROBLEMS
    from .loader import default_dataset_path

    path = data or default_dataset_path()
    # a missing file fails here, before the screen is taken; a broken one is reported by the
    # dashboard itself (file and line), which parses it once, off the UI thread
    if not (path.is_file() or path.is_dir()):
        _err(f"{path}: no such file" if not path.exists() else f"{path}: is not a file")
        return EXIT_PROBLEMS
    # Start-up (textual's import, the first load, the first screen) makes hundreds of thousands
    # of objects that live as long as the app: the cyclic collector would only scan them again
    # and again. The app turns it back on once its first screen is up.
    import gc

    gc.disable()
    from .app import CstoApp
    from .settings import load_for_app

    CstoApp(path, gc_held=True, settings=load_for_app(), theme=theme).run()
    return EXIT_OK
