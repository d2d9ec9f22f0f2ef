"""The nightly batch: translate what arrived in docs_in/ since the last successful batch.

A thin Prefect wrapper over :mod:`hexaglot.batch`: one task per new or changed document,
retried with backoff when the failure can pass (an engine crash, a file still being
copied), never when the document cannot be read; one failed document never stops the
others. The night's summary is published as a markdown artifact and written beside the
outputs (``docs_out/nightly/<date>/nightly-summary.md``).

Scheduled by the "nightly" deployment (``flows/serve.py``); run it by hand with
``python flows/nightly.py [--docs-in DIR] [--out DIR] [--to es,fr]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import wait
from prefect.task_runners import ThreadPoolTaskRunner

# Run as a script (``./desk nightly``), Python puts flows/ on the path, not the checkout.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flows.briefing import briefing_packs
from flows.translate_documents import error_of
from hexaglot.batch import (
    BatchPlan,
    DocumentFailed,
    batch_markdown,
    finish_batch,
    plan_batch,
    record_failure,
    translate_one,
)
from hexaglot.config import load_config
from hexaglot.languages import UN_LANGUAGES, parse_language_list
from hexaglot.pipeline import desk_settings, glossary_index


def _retry_if_it_can_pass(task, task_run, state) -> bool:
    """Prefect asks this before each retry: a document that cannot be read is not tried
    again and again; anything else (an engine that crashed, a file that changed while it
    was read) is."""
    try:
        state.result()
    except DocumentFailed as error:
        return error.transient
    except Exception:
        return True
    return False


@task(name="translate-new-or-changed", cache_policy=NO_CACHE,
      task_run_name="nightly {path}", retry_condition_fn=_retry_if_it_can_pass)
def translate_changed(plan: BatchPlan, path: str) -> dict:
    index = glossary_index(tuple(plan.settings.glossaries))
    return translate_one(plan, Path(path), index).summary()


@flow(name="nightly-batch", task_runner=ThreadPoolTaskRunner(max_workers=2))
def nightly_batch(
    docs_in: str | None = None,
    out_dir: str | None = None,
    target_languages: list[str] | None = None,
    glossaries: list[str] | None = None,
    engine: str | None = None,
    translation_memory: str | None = None,
) -> dict:
    """Translate the documents of docs_in/ that are new or changed since their last
    successful translation (or whose targets, engine or glossaries changed).

    Args:
        docs_in: Folder to scan. Empty: hexaglot.toml's docs_in.
        out_dir: The desk's output folder; the night's outputs go to its nightly/<date>/.
        target_languages: Target languages. Empty: hexaglot.toml's.
        glossaries: Glossary files, the first taking precedence. Empty: hexaglot.toml's.
        engine: An engine name, or "human". Empty: the configured routes.
        translation_memory: A TM file, or "none". Empty: the project's TM.
    """
    config = load_config()
    targets = (parse_language_list(",".join(target_languages), allowed=UN_LANGUAGES,
                                   what="target") if target_languages else None)
    settings = desk_settings(
        config, targets=targets,
        glossaries=[Path(p) for p in glossaries] if glossaries else None, engine=engine,
        out_dir=Path(out_dir) if out_dir else None, tm=translation_memory)
    glossary_index(tuple(settings.glossaries))  # a bad glossary stops the batch before it starts
    plan = plan_batch(Path(docs_in) if docs_in else config.docs_in, settings,
                      timezone=config.nightly.timezone)
    translate = translate_changed.with_options(
        retries=config.nightly.retries,
        retry_delay_seconds=list(config.nightly.retry_delay_seconds) or 0)
    futures = {path: translate.submit(plan, str(path)) for path in plan.pending}
    wait(list(futures.values()))
    for path, future in futures.items():
        if not future.state.is_completed():
            record_failure(plan, path, error_of(future))
    briefing = (_briefing_packs(config, settings) if config.briefing.programme is not None
                else None)
    summary = finish_batch(plan, briefing)
    create_markdown_artifact(key="nightly-batch", markdown=batch_markdown(summary),
                             description=f"hexaglot nightly batch {plan.run_id}")
    return summary


def _briefing_packs(config, settings) -> dict:
    """The booths' packs, made again only when what they are made from changed."""
    from hexaglot.document import HexaglotError

    try:
        result = briefing_packs(
            programme=str(config.briefing.programme),
            docs_dir=str(config.briefing.docs) if config.briefing.docs else None,
            target_languages=list(settings.targets),
            glossaries=[str(p) for p in settings.glossaries],
            out_dir=str(settings.out_dir / "briefing"), only_if_changed=True)
    except HexaglotError as error:
        return {"error": str(error)}
    return {"skipped": result.get("skipped", False), "packs": len(result.get("packs", [])),
            "errors": result.get("errors", []), "manifest": result.get("manifest", "")}


def main(argv: list[str] | None = None) -> int:
    import argparse

    from hexaglot.document import HexaglotError

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs-in", help="folder to scan (default: docs_in)")
    parser.add_argument("--out", help="the desk's output folder (default: docs_out)")
    parser.add_argument("--to", help="target languages, comma-separated")
    parser.add_argument("--tm", help="translation memory file, or none")
    args = parser.parse_args(argv)
    try:
        summary = nightly_batch(docs_in=args.docs_in, out_dir=args.out,
                                target_languages=args.to.split(",") if args.to else None,
                                translation_memory=args.tm)
    except HexaglotError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(batch_markdown(summary))
    return 0 if all(d["error"] is None for d in summary["documents"]) else 1


if __name__ == "__main__":
    sys.exit(main())
