"""``hexaglot tm``: the desk's translation memory from the command line.

``import`` and ``export`` move units in and out as TMX (to and from Trados, memoQ, OmegaT),
``stats`` says what the memory holds, and ``lookup`` lets a desk manager try a sentence and
see what the pipeline would get from the memory, with its score and penalties.

:func:`add_tm_commands` adds the ``tm`` command to the parser that :mod:`hexaglot.cli`
builds; handlers follow the CLI's convention (``handler(args) -> exit code``, a
HexaglotError printed by ``main`` with exit code 2).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hexaglot.languages import SOURCE_LANGUAGES, UN_LANGUAGES, parse_language_list


def _source(value: str | None) -> str | None:
    return parse_language_list(value, allowed=SOURCE_LANGUAGES, what="source")[0] \
        if value else None


def _target(value: str | None) -> str | None:
    return parse_language_list(value, allowed=UN_LANGUAGES, what="target")[0] \
        if value else None


def _tm_path(args: argparse.Namespace) -> Path:
    from hexaglot.config import load_config

    return Path(args.tm) if args.tm else load_config().tm.path


def _existing_tm_path(args: argparse.Namespace) -> Path:
    from hexaglot.document import HexaglotError

    path = _tm_path(args)
    if not path.exists():
        raise HexaglotError(f"{path}: no translation memory there: give its path with --tm, "
                            "or create it with hexaglot tm import FILE.tmx")
    return path


def _tm_import(args: argparse.Namespace) -> int:
    """Exit 1 when some units were skipped (each problem printed on stderr), else 0."""
    from hexaglot.tm.store import open_tm
    from hexaglot.tm.tmx import import_tmx

    source, target = _source(args.source), _target(args.target)
    path = _tm_path(args)
    with open_tm(path) as tm:
        report = import_tmx(tm, Path(args.file), source, target, on_error=args.on_error)
        total = tm.count()
    for problem in report.problems:
        print(f"{'error' if problem.skipped else 'warning'}: {problem}", file=sys.stderr)
    print(report.summary(), file=sys.stderr)
    print(f"{path}: {total} units in the translation memory", file=sys.stderr)
    return 1 if report.units_skipped or report.damaged_at else 0


def _tm_export(args: argparse.Namespace) -> int:
    from hexaglot.tm.store import open_tm
    from hexaglot.tm.tmx import export_tmx

    path = _existing_tm_path(args)
    with open_tm(path) as tm:
        count = export_tmx(tm, Path(args.file), _source(args.source), _target(args.target))
    print(f"{path} → {args.file}: {count} units (TMX 1.4b)", file=sys.stderr)
    return 0


def _tm_stats(args: argparse.Namespace) -> int:
    from hexaglot.tm.store import SCHEMA_VERSION, open_tm

    path = _tm_path(args)
    if not path.exists():
        print(f"{path}: no translation memory yet (it is created by the first import or run)",
              file=sys.stderr)
        return 0
    with open_tm(path) as tm:
        pairs = tm.language_pairs()
        origins = tm.origins()
        total = tm.count()
    size = sum(p.stat().st_size for p in (path, path.with_name(path.name + "-wal"))
               if p.exists())
    print(f"{path}: {total} units, {size / 1_000_000:.1f} MB, schema version {SCHEMA_VERSION}")
    for source, target, count in pairs:
        print(f"  {source} → {target}\t{count}")
    if origins:
        print("  by origin: " + ", ".join(f"{origin} {count}" for origin, count in
                                          origins.items()))
    return 0


def _tm_lookup(args: argparse.Namespace) -> int:
    """Print the best match and why it scores as it does; exit 1 when there is none."""
    from hexaglot.tm.memory import LookupQuery, context_hash
    from hexaglot.tm.store import open_tm

    source, target = _source(args.source), _target(args.target)
    query = LookupQuery(args.text, context_hash(args.previous), context_hash(args.next))
    path = _existing_tm_path(args)
    with open_tm(path) as tm:
        match = tm.lookup(source, target, [query], min_score=args.min_score)[0]
        count = tm.count(source, target)
    if match is None:
        print(f"no match at or above {args.min_score} among the {count} {source} → {target} "
              f"units of {path}", file=sys.stderr)
        return 1
    unit = match.unit
    print(f"{match.score} ({match.kind})\t{unit.origin.value}\t{unit.created}"
          + (f"\t{unit.document}" if unit.document else ""))
    print(f"source in TM: {unit.source}")
    print(f"target:       {match.target}")
    if match.target != unit.target:
        print(f"target in TM: {unit.target}")
    for penalty in match.penalties:
        print(f"  - {penalty}")
    if unit.engine:
        print(f"engine: {unit.engine}")
    if unit.note:
        print(f"note: {unit.note}")
    return 0


def _add_tm_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tm", metavar="PATH",
                        help="the translation memory file (default: "
                             "data/translation-memory.sqlite beside hexaglot.toml)")


def add_tm_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add ``tm import|export|stats|lookup`` to the CLI's subcommands."""
    tm = subparsers.add_parser(
        "tm", help="the translation memory: import and export TMX, stats, try a lookup")
    commands = tm.add_subparsers(dest="tm_command", required=True)

    tm_import = commands.add_parser(
        "import", help="store the units of a TMX from any CAT tool (every language pair, "
                       "regional codes read as ours); exit 1 when some were skipped")
    tm_import.add_argument("file", metavar="FILE.tmx")
    _add_tm_option(tm_import)
    tm_import.add_argument("--from", dest="source", metavar="LANG",
                           help="import only this source language (overrides the file's "
                                "srclang)")
    tm_import.add_argument("--to", dest="target", metavar="LANG",
                           help="import only this target language")
    tm_import.add_argument("--on-error", choices=("skip", "abort"), default="skip",
                           help="skip: import what can be read and list the problems "
                                "(default); abort: import nothing if anything is wrong")
    tm_import.set_defaults(handler=_tm_import)

    tm_export = commands.add_parser(
        "export", help="write the memory (or one language pair) as TMX 1.4b for a CAT tool")
    tm_export.add_argument("file", metavar="FILE.tmx")
    _add_tm_option(tm_export)
    tm_export.add_argument("--from", dest="source", metavar="LANG")
    tm_export.add_argument("--to", dest="target", metavar="LANG")
    tm_export.set_defaults(handler=_tm_export)

    tm_stats = commands.add_parser("stats", help="units per language pair and origin")
    _add_tm_option(tm_stats)
    tm_stats.set_defaults(handler=_tm_stats)

    tm_lookup = commands.add_parser(
        "lookup", help="the best match for a sentence, as the pipeline would get it: score "
                       "(101 context, 100 exact, fuzzy below), target, penalties")
    tm_lookup.add_argument("text", metavar="TEXT")
    tm_lookup.add_argument("--from", dest="source", required=True, metavar="LANG")
    tm_lookup.add_argument("--to", dest="target", required=True, metavar="LANG")
    _add_tm_option(tm_lookup)
    tm_lookup.add_argument("--min-score", type=int, default=50, metavar="N",
                           help="lowest score shown (default 50; the pipeline uses 75)")
    tm_lookup.add_argument("--previous", metavar="TEXT",
                           help="the sentence before, for a context match (101)")
    tm_lookup.add_argument("--next", metavar="TEXT", help="the sentence after")
    tm_lookup.set_defaults(handler=_tm_lookup)
