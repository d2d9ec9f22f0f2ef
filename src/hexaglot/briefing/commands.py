"""``hexaglot briefing PROGRAMME --docs DIR --to LANGS``: an event's briefing packs.

Wired into :func:`hexaglot.cli.build_parser` with ``add_briefing_command(commands)``; the
handler follows the CLI's conventions: 0 when every pack was written from a programme read
without errors, 1 when rows of the programme could not be read or packs failed (the others
are written, each problem named on stderr), 2 when the request itself is wrong (an unknown
language, an unreadable glossary or programme: :class:`HexaglotError`, caught by ``main``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from hexaglot.languages import SOURCE_LANGUAGES, UN_LANGUAGES


def add_briefing_command(subparsers) -> argparse.ArgumentParser:
    """Add ``briefing`` to the subcommands of ``hexaglot`` (``subparsers``: what
    ``parser.add_subparsers()`` returned)."""
    briefing = subparsers.add_parser(
        "briefing", help="briefing packs for the interpreting booths: one DOCX per session "
                         "of a programme and booth language (speakers, glossary terms of "
                         "the session's documents, numbers, dates and names, speeches)")
    briefing.add_argument("programme", metavar="PROGRAMME",
                          help="the event's programme (.docx or .md; layout: "
                               "docs/briefing.md)")
    briefing.add_argument("--docs", metavar="DIR",
                          help="folder of the documents linked to the sessions (default: "
                               "the programme's folder)")
    briefing.add_argument("--to", metavar="LANGS",
                          help=f"booth languages, comma-separated from {','.join(UN_LANGUAGES)} "
                               "(default: hexaglot.toml, else all six)")
    briefing.add_argument("--from", dest="source", metavar="LANG",
                          help=f"language of the programme ({','.join(SOURCE_LANGUAGES)}); "
                               "default: detected")
    briefing.add_argument("--glossary", action="append", metavar="FILE",
                          help="glossary (repeatable, the first taking precedence; default: "
                               "those in hexaglot.toml)")
    briefing.add_argument("--engine", metavar="NAME",
                          help="MT engine for the speeches: apertium, a name from [engines] "
                               "in hexaglot.toml, or human for none (default: the routes)")
    briefing.add_argument("--out", metavar="DIR",
                          help="output folder (default: DOCS_OUT/briefing)")
    briefing.add_argument("--session", action="append", metavar="ID",
                          help="only this session (its id, e.g. 2025-10-25-0900; repeatable)")
    briefing.add_argument("--if-changed", action="store_true",
                          help="do nothing when the programme, its linked documents and the "
                               "glossaries are unchanged since the packs in --out were made")
    briefing.add_argument("--json", action="store_true",
                          help="print the result as JSON on stdout")
    briefing.set_defaults(handler=run_briefing_command)
    return briefing


def run_briefing_command(args: argparse.Namespace) -> int:
    from hexaglot.briefing.build import build_packs
    from hexaglot.config import load_config
    from hexaglot.languages import parse_language_list
    from hexaglot.mt.router import validate_engine_name
    from hexaglot.pipeline import NO_TM, desk_settings, glossary_index

    config = load_config()
    targets = (tuple(parse_language_list(args.to, allowed=UN_LANGUAGES, what="booth"))
               if args.to else config.targets)
    source = (parse_language_list(args.source, allowed=SOURCE_LANGUAGES, what="source")[0]
              if args.source else None)
    # Speeches are translated for the booths, not for the record: they stay out of the TM.
    settings = desk_settings(
        config, targets=targets, glossaries=[Path(p) for p in args.glossary or ()],
        engine=args.engine, out_dir=Path(args.out) if args.out else config.docs_out / "briefing",
        tm=NO_TM)
    validate_engine_name(settings.engine, config.routing)
    glossary_index(settings.glossaries)  # a bad glossary stops before any output
    result = build_packs(Path(args.programme), Path(args.docs) if args.docs else None,
                         settings, sessions=args.session, only_if_changed=args.if_changed,
                         lang=source)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    for error in result.errors:
        print(f"error: {error}", file=sys.stderr)
    if args.json:
        sys.stdout.write(json.dumps(result.summary(), ensure_ascii=False, indent=2) + "\n")
    else:
        _print_table(result)
    return 0 if result.ok else 1


def _print_table(result) -> None:
    from rich.table import Table

    from hexaglot.report import make_console

    console = make_console()
    if result.skipped:
        console.print(f"{result.programme}: unchanged since the packs were made "
                      f"({len(result.packs)} packs in {Path(result.manifest).parent})",
                      highlight=False, markup=False)
        return
    table = Table(title=f"Briefing packs: {result.programme}")
    for column in ("session", "title", "booth", "flags", "pack"):
        table.add_column(column, overflow="fold")
    for pack in result.packs:
        table.add_row(pack.session, pack.title, pack.lang, str(pack.flag_count), pack.path)
    console.print(table)
    errors = sum(1 for p in result.problems if p.severity == "error")
    console.print(f"{len(result.packs)} packs written; {errors} programme row(s) not read; "
                  f"{len(result.errors)} pack(s) failed"
                  + (f"; manifest: {result.manifest}" if result.manifest else ""),
                  highlight=False, markup=False)
