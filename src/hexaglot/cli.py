"""The ``hexaglot`` command: a thin layer over :mod:`hexaglot.pipeline`.

Exit codes: 0 when every document was processed, 1 when some failed (the others are still
written), 2 when the request itself is wrong (unknown language, unreadable glossary).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from hexaglot import __version__
from hexaglot.config import documents_in, load_config
from hexaglot.document import HexaglotError
from hexaglot.languages import SOURCE_LANGUAGES, UN_LANGUAGES, parse_language_list
from hexaglot.pipeline import desk_settings, glossary_index, run, translation_memory


def expand_paths(paths: list[str]) -> list[Path]:
    """Folders stand for the documents in them; other paths are taken as given, so a
    missing file is reported as that document's failure rather than stopping the batch."""
    result: list[Path] = []
    for raw in paths:
        path = Path(raw)
        result.extend(documents_in(path) if path.is_dir() else [path])
    return result


def _glossaries(args: argparse.Namespace, config) -> tuple[Path, ...]:
    """The --glossary files in the order given, else those in hexaglot.toml."""
    return tuple(Path(p) for p in args.glossary) if args.glossary else config.glossaries


def _translate(args: argparse.Namespace) -> int:
    config = load_config()
    targets = (tuple(parse_language_list(args.to, allowed=UN_LANGUAGES, what="target"))
               if args.to else config.targets)
    source = (parse_language_list(args.source, allowed=SOURCE_LANGUAGES, what="source")[0]
              if args.source else None)
    settings = desk_settings(config, targets=targets, glossaries=_glossaries(args, config),
                             engine=args.engine, out_dir=Path(args.out) if args.out else None,
                             source_lang=source, tm=args.tm)
    paths = expand_paths(args.paths)
    if not paths:
        raise HexaglotError("no documents to translate: the folders given hold no "
                            ".docx, .txt or .md files")
    glossary_index(settings.glossaries)  # a bad glossary stops the run before any output
    from hexaglot.report import make_console

    out = make_console()
    err = make_console(stderr=True)
    if err.is_terminal and not args.json:
        from hexaglot.report import ProgressBars

        with ProgressBars(err) as bars:
            result = run(paths, settings, progress=bars)
    else:
        result = run(paths, settings)
    if args.json:
        sys.stdout.write(json.dumps(result.summary(), ensure_ascii=False, indent=2) + "\n")
        for document in result.documents:
            if document.error:
                print(f"error: {document.error}", file=sys.stderr)
    else:
        from hexaglot.report import print_summary

        print_summary(result.summary(), out)
    return 0 if result.ok else 1


def _glossary_diff(args: argparse.Namespace) -> int:
    from rich.table import Table

    from hexaglot.glossary import load_glossaries
    from hexaglot.glossary.diff import COLUMNS, diff_glossaries, write_changes_csv
    from hexaglot.report import make_console

    old = load_glossaries([Path(args.old)])
    new = load_glossaries([Path(args.new)])
    changes = diff_glossaries(old, new)
    console = make_console()
    table = Table(title=f"{args.old} → {args.new}")
    for column in COLUMNS:
        table.add_column(column.replace("_", " "), overflow="fold")
    for change in changes:
        table.add_row(*(getattr(change, column) for column in COLUMNS))
    if changes:
        console.print(table)
    counts: dict[str, int] = {}
    for change in changes:
        counts[change.kind] = counts.get(change.kind, 0) + 1
    summary = ", ".join(f"{count} {kind}" for kind, count in counts.items()) or "no changes"
    console.print(f"{len(old)} → {len(new)} concepts: {summary}", highlight=False)
    if args.csv:
        write_changes_csv(changes, Path(args.csv))
    return 0


def _glossary_validate(args: argparse.Namespace) -> int:
    """Every problem of every file, errors first; exit 1 when any file would not load."""
    from hexaglot.glossary import Severity, read_glossary_file
    from hexaglot.glossary.validate import check_files, stem_collisions

    paths = [Path(p) for p in args.files]
    files = [read_glossary_file(path) for path in paths]
    cleaned, problems = check_files(files)
    for file, concepts in zip(files, cleaned, strict=True):
        problems.extend(stem_collisions(concepts, file.path))
    errors = [p for p in problems if p.severity is Severity.ERROR]
    warnings = [p for p in problems if p.severity is Severity.WARNING]
    for problem in errors + ([] if args.errors_only else warnings):
        print(problem)
    for file, concepts in zip(files, cleaned, strict=True):
        file_errors = sum(1 for p in errors if p.file == file.path)
        file_warnings = sum(1 for p in warnings if p.file == file.path)
        verdict = "NOT loadable" if file_errors else "ok"
        print(f"{file.path}: {verdict}: {len(concepts)} concepts, {file_errors} error(s), "
              f"{file_warnings} warning(s)", file=sys.stderr)
    return 1 if errors else 0


def _glossary_convert(args: argparse.Namespace) -> int:
    from hexaglot.glossary import load_glossaries, save_glossary

    glossary = load_glossaries([Path(args.source)])
    save_glossary(glossary, Path(args.target), tbx_dialect=args.tbx_dialect)
    print(f"{args.source} → {args.target}: {len(glossary)} concepts", file=sys.stderr)
    return 0


def _configured_models(config) -> dict[str, dict]:
    """[engines.NAME] tables of kind transformers/ctranslate2, as list_models takes them."""
    return {spec.name: {**spec.options, "format": spec.kind}
            for spec in config.routing.engines.values()
            if spec.kind in ("transformers", "ctranslate2")}


def _models_list(args: argparse.Namespace) -> int:
    from hexaglot.models import list_models

    config = load_config()
    models_dir = Path(args.dir) if args.dir else config.root / "models"
    infos = list_models(models_dir, _configured_models(config))
    if args.json:
        print(json.dumps([{"name": i.name, "path": str(i.path), "format": i.format,
                           "family": i.family, "pairs": [f"{s}-{t}" for s, t in i.pairs],
                           "complete": i.complete, "missing": list(i.missing),
                           "configured": i.configured, "notes": list(i.notes)}
                          for i in infos], ensure_ascii=False, indent=2))
        return 0
    if not infos:
        print(f"no models in {models_dir} and none configured in hexaglot.toml", file=sys.stderr)
    for info in infos:
        state = "complete" if info.complete else f"INCOMPLETE: missing {', '.join(info.missing)}"
        pairs = ("all pairs of " + ",".join(info.languages)
                 if len(info.pairs) > 2 else ",".join(f"{s}-{t}" for s, t in info.pairs))
        origin = "configured" if info.configured else "found"
        print(f"{info.name}\t{info.format}\t{info.family or '?'}\t{pairs or '-'}\t{state}\t"
              f"{origin}: {info.path}")
        for note in info.notes:
            print(f"  note: {note}")
    return 0 if all(i.complete for i in infos if i.configured) else 1


def _models_convert(args: argparse.Namespace) -> int:
    from hexaglot.models import convert_to_ctranslate2

    out = convert_to_ctranslate2(Path(args.source), Path(args.target),
                                 quantization=args.quantization, force=args.force)
    print(f"{args.source} → {out} (CTranslate2, {args.quantization})", file=sys.stderr)
    return 0


def _models_download(args: argparse.Namespace) -> int:
    from hexaglot.models import download_model

    config = load_config()
    path = download_model(args.hub_id, Path(args.dir) if args.dir else config.root / "models")
    print(path)
    return 0


def _check(args: argparse.Namespace) -> int:
    from hexaglot.qa import aligned_pairs, check_translation

    config = load_config()
    source_lang = parse_language_list(args.source_lang, allowed=SOURCE_LANGUAGES,
                                      what="source")[0]
    target_lang = parse_language_list(args.target_lang, allowed=UN_LANGUAGES,
                                      what="target")[0]
    glossaries = _glossaries(args, config)
    pairs = aligned_pairs(Path(args.source), Path(args.target) if args.target else None,
                          source_lang, target_lang)
    found = check_translation(pairs, source_lang, target_lang, glossary_index(glossaries),
                              config.checks)
    if args.json:
        sys.stdout.write(json.dumps({"source": args.source, "target": args.target,
                                     "segments": len(pairs),
                                     "findings": [f.row() for f in found]},
                                    ensure_ascii=False, indent=2) + "\n")
    else:
        from rich.table import Table

        from hexaglot.report import make_console

        table = Table(title=f"QA: {args.source} ({source_lang} → {target_lang})")
        for column in ("line", "severity", "code", "message", "suggestion"):
            table.add_column(column, overflow="fold")
        for item in found:
            finding = item.finding
            table.add_row(str(item.line), finding.severity.value, finding.code,
                          finding.message, finding.suggestion)
        counts = {s: sum(1 for f in found if f.finding.severity.value == s)
                  for s in ("error", "warning", "info")}
        table.caption = (f"{len(pairs)} segments; " +
                         ", ".join(f"{n} {s}" for s, n in counts.items()))
        make_console().print(table)
    return 1 if any(f.finding.severity.value == "error" for f in found) else 0


def _runs_dir(args: argparse.Namespace) -> Path:
    """The folder of kept runs: DOCS_OUT/runs, DOCS_OUT from --docs-out or hexaglot.toml."""
    from hexaglot.hits import RUNS_DIR

    return (Path(args.docs_out) if args.docs_out else load_config().docs_out) / RUNS_DIR


def _hits_diff(args: argparse.Namespace) -> int:
    from hexaglot.hits_diff import (
        diff_json,
        diff_specs,
        diff_table,
        write_diff_csv,
        write_diff_xlsx,
    )
    from hexaglot.report import make_console

    glossaries = _glossaries(args, load_config())
    diff = diff_specs(args.old, args.new, _runs_dir(args), glossaries)
    if args.csv:
        write_diff_csv(diff, Path(args.csv))
    if args.xlsx:
        write_diff_xlsx(diff, Path(args.xlsx))
    if args.json:
        sys.stdout.write(diff_json(diff) + "\n")
        return 0
    console = make_console()
    if diff.changes:
        console.print(diff_table(diff))
    else:
        console.print(f"glossary hits: {diff.old} → {diff.new}: no changes "
                      f"({diff.unchanged} unchanged)", highlight=False, markup=False)
    return 0


def _hits_recheck(args: argparse.Namespace) -> int:
    from collections import Counter

    from hexaglot.hits import write_hits
    from hexaglot.hits_diff import recheck_run, resolve_run

    runs_dir = _runs_dir(args)
    run_name = resolve_run(args.run, runs_dir).name
    records = recheck_run(args.run, [Path(p) for p in args.glossary], runs_dir)
    out = Path(args.out) if args.out else runs_dir.parent / "rechecks" / f"{run_name}.hits.csv"
    write_hits(records, out)
    counts = Counter(record.status.value for record in records)
    print(f"{args.run} rechecked against {', '.join(args.glossary)}: {len(records)} hits ("
          + ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) + ")",
          file=sys.stderr)
    print(f"written to {out}; to see what changes: hexaglot hits diff {args.run} {out}",
          file=sys.stderr)
    print(out)
    return 0


def _review_import(args: argparse.Namespace) -> int:
    from hexaglot.review.importer import (
        ReviewImportError,
        changes_table,
        import_json,
        import_review,
    )

    config = load_config()
    glossaries = _glossaries(args, config)
    tm_path = desk_settings(config, tm=args.tm).tm
    try:
        result = import_review(Path(args.review), docs_out=Path(args.out) if args.out
                               else config.docs_out, run=args.run, glossaries=glossaries,
                               tm=translation_memory(tm_path) if tm_path else None)
    except ReviewImportError as error:
        if args.json:
            sys.stdout.write(json.dumps(
                {"review": args.review, "run_id": error.run_id,
                 "errors": [problem.row_dict() for problem in error.problems]},
                ensure_ascii=False, indent=2) + "\n")
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.json:
        sys.stdout.write(import_json(result) + "\n")
        return 0
    from hexaglot.report import make_console

    console = make_console()
    if result.changes:
        console.print(changes_table(result))
    else:
        console.print(f"{args.review}: no segment was revised ({result.segments} unchanged, "
                      f"run {result.run_id})", highlight=False, markup=False)
    console.print(f"translated document rebuilt: {result.translated}", highlight=False,
                  markup=False)
    for note in result.notes:
        console.print(f"note: {note}", highlight=False, markup=False)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hexaglot",
        description="Translate program texts and press releases into the six UN languages "
                    "with controlled glossaries, and prepare them for human revision.")
    parser.add_argument("--version", action="version", version=f"hexaglot {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    translate = commands.add_parser(
        "translate", help="translate documents (.docx, .txt, .md) into target languages")
    translate.add_argument("paths", nargs="+", metavar="PATH",
                           help="documents, or folders of documents")
    translate.add_argument("--to", metavar="LANGS",
                           help=f"comma-separated targets from {','.join(UN_LANGUAGES)} "
                                "(default: hexaglot.toml, else all six)")
    translate.add_argument("--from", dest="source", metavar="LANG",
                           help=f"source language ({','.join(SOURCE_LANGUAGES)}); "
                                "default: detected per document")
    translate.add_argument("--glossary", action="append", metavar="FILE",
                           help="glossary (.tbx, .csv, .tsv, .xlsx); repeat for several, the first "
                                "taking precedence (default: those in hexaglot.toml)")
    translate.add_argument("--engine", metavar="NAME",
                           help="MT engine: apertium, a name from [engines] in hexaglot.toml, "
                                "or human to send everything to a translator (default: the "
                                "chain in [routes], the first engine covering each pair)")
    translate.add_argument("--out", metavar="DIR", help="output folder (default: docs_out)")
    translate.add_argument("--tm", metavar="PATH",
                           help="translation memory file (default: [tm] path in hexaglot.toml, "
                                "data/translation-memory.sqlite); 'none' for a run that "
                                "neither uses nor feeds a TM")
    translate.add_argument("--json", action="store_true",
                           help="print the run summary as JSON on stdout")
    translate.set_defaults(handler=_translate)

    check = commands.add_parser(
        "check", help="QA of an existing translation (line-aligned text files, or a TMX): "
                      "the main job's checks; exit 1 when there are errors")
    check.add_argument("source", metavar="SOURCE", help="source text file, or a .tmx file")
    check.add_argument("target", metavar="TARGET", nargs="?",
                       help="the translation, line for line (not with a .tmx)")
    check.add_argument("--from", dest="source_lang", required=True, metavar="LANG")
    check.add_argument("--to", dest="target_lang", required=True, metavar="LANG")
    check.add_argument("--glossary", action="append", metavar="FILE",
                       help="glossary (repeatable; default: those in hexaglot.toml)")
    check.add_argument("--json", action="store_true", help="print the findings as JSON")
    check.set_defaults(handler=_check)

    hits = commands.add_parser("hits", help="glossary-hit tables of past runs: diff, recheck")
    hits_commands = hits.add_subparsers(dest="hits_command", required=True)
    hits_diff = hits_commands.add_parser(
        "diff", help="what changed in the glossary hits from A to B: rows whose status or "
                     "found target changed, hits that appeared or disappeared")
    for name, which in (("old", "A"), ("new", "B")):
        hits_diff.add_argument(name, metavar=which,
                               help="a run id (kept in DOCS_OUT/runs/), latest, previous, a run "
                                    "folder, a hits table (.csv, .parquet), or a review DOCX "
                                    "as the reviser left it")
    hits_diff.add_argument("--glossary", action="append", metavar="FILE",
                           help="glossary to judge a review DOCX with (repeatable; default: "
                                "those in hexaglot.toml)")
    hits_diff.add_argument("--csv", metavar="FILE", help="also write the changes as CSV")
    hits_diff.add_argument("--xlsx", metavar="FILE",
                           help="also write the changes as XLSX (filter, colours by status)")
    hits_diff.add_argument("--json", action="store_true", help="print the changes as JSON")
    hits_diff.add_argument("--docs-out", metavar="DIR",
                           help="output folder whose runs/ holds the run ids (default: "
                                "docs_out in hexaglot.toml)")
    hits_diff.set_defaults(handler=_hits_diff)
    recheck = hits_commands.add_parser(
        "recheck", help="judge a past run's translations again against another glossary "
                        "release and write its hits table (then: hits diff RUN FILE)")
    recheck.add_argument("run", metavar="RUN",
                         help="a run id (kept in DOCS_OUT/runs/), latest, previous, or a run "
                              "folder")
    recheck.add_argument("--glossary", action="append", required=True, metavar="FILE",
                         help="the glossary release (.tbx, .csv, .tsv, .xlsx); repeat for "
                              "several, the first taking precedence")
    recheck.add_argument("--out", metavar="FILE",
                         help="hits table to write (.csv or .parquet; default: "
                              "DOCS_OUT/rechecks/RUN.hits.csv)")
    recheck.add_argument("--docs-out", metavar="DIR",
                         help="output folder whose runs/ holds the run ids (default: "
                              "docs_out in hexaglot.toml)")
    recheck.set_defaults(handler=_hits_recheck)

    review = commands.add_parser("review", help="bilingual review documents: import")
    review_commands = review.add_subparsers(dest="review_command", required=True)
    review_import = review_commands.add_parser(
        "import", help="import a reviser's edited review DOCX (tracked changes accepted): "
                       "check its table against the run, report each revised segment (diff, "
                       "glossary hits before and after) and rebuild the translated document; "
                       "exit 2, writing nothing, when the table was damaged")
    review_import.add_argument("review", metavar="REVIEWED.docx",
                               help="the <name>.<lang>.review.docx as the reviser returned it")
    review_import.add_argument("--run", metavar="RUN",
                               help="the run that wrote it: a run id (kept in DIR/runs/), "
                                    "latest, or a run folder (default: the latest run with "
                                    "segments of this document and language)")
    review_import.add_argument("--glossary", action="append", metavar="FILE",
                               help="glossary to judge the hits with (repeatable; default: "
                                    "those in hexaglot.toml)")
    review_import.add_argument("--out", metavar="DIR",
                               help="the run's output folder: its runs/ holds the run, the "
                                    "translated document is rewritten there and the revised "
                                    "segments kept in its revised/ (default: docs_out)")
    review_import.add_argument("--tm", metavar="PATH",
                               help="translation memory that receives the reviewed segments "
                                    "as human-revised (default: [tm] path in hexaglot.toml); "
                                    "'none' to keep them out of any TM")
    review_import.add_argument("--json", action="store_true",
                               help="print the report (or the table's problems) as JSON")
    review_import.set_defaults(handler=_review_import)

    from hexaglot.briefing.commands import add_briefing_command
    from hexaglot.tm.commands import add_tm_commands

    add_tm_commands(commands)
    add_briefing_command(commands)

    glossary = commands.add_parser("glossary", help="work with controlled glossaries")
    glossary_commands = glossary.add_subparsers(dest="glossary_command", required=True)
    diff = glossary_commands.add_parser(
        "diff", help="what a new glossary release changes: concepts and terms, per language")
    diff.add_argument("old", metavar="OLD", help="the previous glossary (.tbx, .csv, .tsv, .xlsx)")
    diff.add_argument("new", metavar="NEW", help="the new glossary")
    diff.add_argument("--csv", metavar="FILE", help="also write the changes as CSV")
    diff.set_defaults(handler=_glossary_diff)
    validate = glossary_commands.add_parser(
        "validate", help="list every problem in glossary files, with file, line or entry and "
                         "language; exit 1 on errors (warnings do not block)")
    validate.add_argument("files", nargs="+", metavar="FILE",
                          help="glossaries (.tbx, .csv, .tsv, .xlsx), in precedence order")
    validate.add_argument("--errors-only", action="store_true", help="do not print warnings")
    validate.set_defaults(handler=_glossary_validate)
    convert = glossary_commands.add_parser(
        "convert", help="write a glossary in another format (by extension: .tbx, .csv, .tsv, "
                        ".xlsx); refuses what the target format cannot hold")
    convert.add_argument("source", metavar="IN")
    convert.add_argument("target", metavar="OUT")
    convert.add_argument("--tbx-dialect", choices=("2019", "2008"), default="2019",
                         help="TBX output: ISO 30042:2019 <tbx> (default) or 2008 <martif>")
    convert.set_defaults(handler=_glossary_convert)
    models = commands.add_parser("models", help="local MT models: list, convert, download")
    models_commands = models.add_subparsers(dest="models_command", required=True)
    listing = models_commands.add_parser(
        "list", help="the models in the models folder and in hexaglot.toml: format, family, "
                     "pairs, complete or what is missing; exit 1 if a configured one is not")
    listing.add_argument("--dir", metavar="DIR", help="models folder (default: models/ beside "
                                                      "hexaglot.toml)")
    listing.add_argument("--json", action="store_true", help="print the list as JSON")
    listing.set_defaults(handler=_models_list)
    convert_model = models_commands.add_parser(
        "convert", help="convert a transformers model folder to CTranslate2 (tokenizer files "
                        "copied; written to a temporary folder, then renamed)")
    convert_model.add_argument("source", metavar="SRC_DIR")
    convert_model.add_argument("target", metavar="OUT_DIR")
    convert_model.add_argument("--quantization", default="int8",
                               choices=("int8", "int8_float32", "int8_float16", "int16",
                                        "float16", "bfloat16", "float32"),
                               help="weights' type (default: int8, fastest on CPU)")
    convert_model.add_argument("--force", action="store_true", help="replace OUT_DIR")
    convert_model.set_defaults(handler=_models_convert)
    download = models_commands.add_parser(
        "download", help="download a model from the Hugging Face Hub (needs network)")
    download.add_argument("hub_id", metavar="HUB_ID", help="e.g. Helsinki-NLP/opus-mt-en-fr")
    download.add_argument("--dir", metavar="DIR", help="models folder (default: models/)")
    download.set_defaults(handler=_models_download)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except HexaglotError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
