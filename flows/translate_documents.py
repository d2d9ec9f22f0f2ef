"""The desk's main flow: documents in, six-language review packages out.

A thin Prefect wrapper over :mod:`hexaglot.pipeline`: one task reads each document, one
task per (document, target language) translates and writes it. That is the grain at which
a retry or a rerun from the Prefect UI makes sense; segments are batched inside the task.

Run it as the desk's main job (``./desk translate``) or directly:
``python flows/translate_documents.py [PATH...] [--to es,fr]``.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import wait
from prefect.task_runners import ThreadPoolTaskRunner

from hexaglot.config import documents_in, load_config
from hexaglot.document import Document, HexaglotError
from hexaglot.languages import SOURCE_LANGUAGES, UN_LANGUAGES, parse_language_list
from hexaglot.pipeline import (
    DocumentResult,
    ProgressCallback,
    Settings,
    TargetResult,
    check_settings,
    desk_settings,
    finish_run,
    glossary_index,
    load_document,
    new_run_id,
    now,
    translate_document,
)
from hexaglot.report import markdown_summary

# Set by the command-line entry point so tasks can drive its progress bars; a flow run
# started from the UI or a deployment has none.
progress_callback: ProgressCallback | None = None


@task(name="read-document", cache_policy=NO_CACHE, task_run_name="read {path}")
def read_document(path: str, source_lang: str | None) -> Document:
    return load_document(Path(path), source_lang)


@task(name="translate-document", cache_policy=NO_CACHE,
      task_run_name="translate {document.path.name} into {target}")
def translate_into(document: Document, target: str, settings: Settings) -> TargetResult:
    index = glossary_index(settings.glossaries)
    return translate_document(document, target, settings, index, progress_callback)


@flow(name="translate-documents", task_runner=ThreadPoolTaskRunner(max_workers=4))
def translate_documents(
    paths: list[str] | None = None,
    target_languages: list[str] | None = None,
    glossaries: list[str] | None = None,
    engine: str | None = None,
    out_dir: str | None = None,
    source_language: str | None = None,
    translation_memory: str | None = None,
) -> dict:
    """Translate documents (default: everything in docs_in/) into the target languages.

    Returns the run summary (the same JSON as ``hexaglot translate --json``) and publishes
    it as a markdown artifact for the Prefect UI.

    Args:
        paths: Documents to translate: file names in docs_in/ or paths. Empty: all of
            docs_in/.
        target_languages: Target languages (ar, zh, en, fr, ru, es). Empty: hexaglot.toml's.
        glossaries: Glossary files, the first taking precedence. Empty: hexaglot.toml's.
        engine: An engine name (apertium, or one from [engines] in hexaglot.toml), or
            "human" to send everything to translators. Empty: the configured routes.
        out_dir: Output folder. Empty: docs_out/.
        source_language: The documents' language when detection should not decide.
        translation_memory: A TM file, or "none". Empty: the project's TM.
    """
    config = load_config()
    documents = ([_document_path(p, config.docs_in) for p in paths] if paths
                 else documents_in(config.docs_in))
    targets = (tuple(parse_language_list(",".join(target_languages), allowed=UN_LANGUAGES,
                                         what="target"))
               if target_languages else config.targets)
    source = (parse_language_list(source_language, allowed=SOURCE_LANGUAGES, what="source")[0]
              if source_language else None)
    settings = desk_settings(
        config, targets=targets, glossaries=[Path(p) for p in glossaries] if glossaries else None,
        engine=engine, out_dir=Path(out_dir) if out_dir else None, source_lang=source,
        tm=translation_memory)
    check_settings(documents, settings)
    glossary_index(settings.glossaries)  # load once, fail early on a bad glossary
    run_id, started = new_run_id(), now()
    settings = replace(settings, run_id=run_id)

    reads = {path: read_document.submit(str(path), settings.source_lang) for path in documents}
    translations: dict[Path, list] = {}
    loaded: dict[Path, Document] = {}
    for path, future in reads.items():
        future.wait()
        if future.state.is_completed():
            document = future.result()
            loaded[path] = document
            translations[path] = [
                translate_into.submit(document, target, settings)
                for target in settings.targets if target != document.lang
            ]
    wait([future for pending in translations.values() for future in pending])

    results = []
    for path, future in reads.items():
        if path not in loaded:
            results.append(DocumentResult(path=str(path), error=error_of(future)))
            continue
        document = loaded[path]
        done, errors = [], []
        for pending in translations[path]:
            if pending.state.is_completed():
                done.append(pending.result())
            else:
                errors.append(error_of(pending))
        results.append(DocumentResult(
            path=str(path), source_lang=document.lang, error="; ".join(errors) or None,
            targets=tuple(done),
            skipped_targets=tuple(t for t in settings.targets if t == document.lang)))
    result = finish_run(run_id, started, settings, results)
    summary = result.summary()
    create_markdown_artifact(key="translation-run", markdown=markdown_summary(summary),
                             description=f"hexaglot run {run_id}")
    # What changed in the glossary hits since the previous run kept in docs_out/runs/.
    from prefect.artifacts import create_table_artifact
    from prefect.logging import get_run_logger

    from hexaglot.hits_diff import artifact_table, diff_against_previous

    try:
        hits_diff = diff_against_previous(settings.out_dir, run_id)
    except (HexaglotError, OSError) as error:  # an unreadable old run must not fail this one
        get_run_logger().warning("glossary-hits diff against the previous run: %s", error)
        hits_diff = None
    if hits_diff is not None:
        create_table_artifact(
            key="glossary-hits-diff", table=artifact_table(hits_diff),
            description=f"Glossary hits, run {hits_diff.old} → {run_id}: "
                        f"{hits_diff.caption()}")
    return summary


def _document_path(value: str, docs_in: Path) -> Path:
    """A path as given, or a bare file name from the desk's docs_in/ (as typed in the UI)."""
    path = Path(value)
    if not path.exists() and not path.is_absolute() and (docs_in / path).exists():
        return docs_in / path
    return path


def error_of(future) -> str:
    """Why a task failed, as its exception says it (the flows' summaries show this)."""
    try:
        future.result()
    except Exception as error:
        return str(error)
    return str(future.state.message or "failed")


def main(argv: list[str] | None = None) -> int:
    """The desk's main job: translate docs_in/ with progress bars and a summary table."""
    import argparse

    from hexaglot.report import ProgressBars, make_console, print_summary

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="documents (default: docs_in/)")
    parser.add_argument("--to", help="target languages, comma-separated")
    parser.add_argument("--glossary", action="append", help="glossary file (repeatable)")
    parser.add_argument("--out", help="output folder (default: docs_out)")
    args = parser.parse_args(argv)

    global progress_callback
    console = make_console()
    try:
        with ProgressBars(console) as bars:
            progress_callback = bars
            summary = translate_documents(
                paths=args.paths or None,
                target_languages=args.to.split(",") if args.to else None,
                glossaries=args.glossary, out_dir=args.out)
    except HexaglotError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    finally:
        progress_callback = None
    print_summary(summary, console)
    return 0 if all(d["error"] is None for d in summary["documents"]) else 1


if __name__ == "__main__":
    sys.exit(main())
