"""Briefing packs for an event's interpreting booths, as a Prefect flow.

A thin wrapper over :mod:`hexaglot.briefing`: the programme is read and the glossary
loaded once, then one task per (session, booth language) writes its pack, so a failed pack
is retried or rerun alone. With ``only_if_changed`` (the nightly batch) nothing is done when
the programme, the documents linked to its sessions and the glossaries are those the packs
in ``out_dir`` were made from (:func:`hexaglot.briefing.packs_up_to_date`).

``python flows/briefing.py PROGRAMME [--docs DIR] [--to ar,zh] [--out DIR] [--if-changed]``
"""

from __future__ import annotations

import sys
from pathlib import Path

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import wait
from prefect.task_runners import ThreadPoolTaskRunner

from hexaglot.briefing.build import (
    Briefing,
    BriefingResult,
    PackResult,
    briefing_inputs_fingerprint,
    packs_up_to_date,
    write_manifest,
)
from hexaglot.config import load_config
from hexaglot.document import HexaglotError
from hexaglot.languages import SOURCE_LANGUAGES, UN_LANGUAGES, parse_language_list
from hexaglot.pipeline import NO_TM, desk_settings, glossary_index


@task(name="briefing-pack", cache_policy=NO_CACHE,
      task_run_name="briefing {session_id} for the {lang} booth")
def write_briefing_pack(briefing: Briefing, session_id: str, lang: str,
                        out_dir: str) -> PackResult:
    return briefing.write_pack(briefing.programme.session(session_id), lang, Path(out_dir))


@flow(name="briefing-packs", task_runner=ThreadPoolTaskRunner(max_workers=4))
def briefing_packs(
    programme: str,
    docs_dir: str | None = None,
    target_languages: list[str] | None = None,
    glossaries: list[str] | None = None,
    engine: str | None = None,
    out_dir: str | None = None,
    programme_language: str | None = None,
    only_if_changed: bool = False,
) -> dict:
    """Every pack of the event into ``out_dir`` (default: DOCS_OUT/briefing) with its
    manifest; returns the summary (the JSON of ``hexaglot briefing --json``)."""
    config = load_config()
    targets = (tuple(parse_language_list(",".join(target_languages), allowed=UN_LANGUAGES,
                                         what="booth"))
               if target_languages else config.targets)
    lang = (parse_language_list(programme_language, allowed=SOURCE_LANGUAGES,
                                what="source")[0] if programme_language else None)
    out = Path(out_dir) if out_dir else config.docs_out / "briefing"
    settings = desk_settings(config, targets=targets,
                             glossaries=[Path(p) for p in glossaries or ()], engine=engine,
                             out_dir=out, tm=NO_TM)  # booth material stays out of the TM
    programme_path = Path(programme)
    docs = Path(docs_dir) if docs_dir else programme_path.parent
    if only_if_changed and packs_up_to_date(programme_path, docs, settings.glossaries, out,
                                            targets):
        summary = BriefingResult(programme, briefing_inputs_fingerprint(
            programme_path, docs, settings.glossaries), (), skipped=True).summary()
        create_markdown_artifact(key="briefing-packs", markdown=(
            f"**{programme}**: programme, linked documents and glossaries unchanged; "
            f"the packs in `{out}` stand."), description="hexaglot briefing packs")
        return summary
    glossary_index(settings.glossaries)  # fail early on a bad glossary
    briefing = Briefing(programme_path, docs, settings, lang=lang)
    futures = {(session.id, target): write_briefing_pack.submit(briefing, session.id, target,
                                                                str(out))
               for session in briefing.programme.sessions for target in targets}
    wait(list(futures.values()))
    packs, errors = [], []
    for (session_id, target), future in futures.items():
        if future.state.is_completed():
            packs.append(future.result())
        else:
            errors.append(f"{session_id}: {target}: {future.state.message or 'failed'}")
    result = BriefingResult(programme, briefing_inputs_fingerprint(
        programme_path, docs, settings.glossaries), tuple(packs),
        briefing.programme.problems, errors=tuple(errors))
    manifest = write_manifest(out, result, targets, docs)
    summary = {**result.summary(), "manifest": str(manifest)}
    create_markdown_artifact(key="briefing-packs", markdown=_markdown(summary),
                             description="hexaglot briefing packs")
    return summary


def _markdown(summary: dict) -> str:
    lines = [f"# Briefing packs: {summary['programme']}", "",
             "| session | title | booth | flags | pack |", "| --- | --- | --- | --- | --- |"]
    for pack in summary["packs"]:
        lines.append(f"| {pack['session']} | {pack['title']} | {pack['lang']} | "
                     f"{len(pack['flags'])} | `{pack['path']}` |")
    for problem in summary["problems"]:
        lines.append(f"\n- {problem['severity'].upper()} {problem['file']}: {problem['where']}: "
                     f"{problem['message']}")
    for error in summary["errors"]:
        lines.append(f"\n- FAILED {error}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("programme")
    parser.add_argument("--docs", help="folder of the linked documents")
    parser.add_argument("--to", help="booth languages, comma-separated")
    parser.add_argument("--glossary", action="append", help="glossary file (repeatable)")
    parser.add_argument("--out", help="output folder (default: docs_out/briefing)")
    parser.add_argument("--if-changed", action="store_true",
                        help="skip when the inputs are unchanged since the last packs")
    args = parser.parse_args(argv)
    try:
        summary = briefing_packs(args.programme, docs_dir=args.docs,
                                 target_languages=args.to.split(",") if args.to else None,
                                 glossaries=args.glossary, out_dir=args.out,
                                 only_if_changed=args.if_changed)
    except HexaglotError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for problem in summary["problems"]:
        print(f"{problem['file']}: {problem['where']}: {problem['severity']}: "
              f"{problem['message']}", file=sys.stderr)
    print(f"{len(summary['packs'])} packs" + (" (unchanged)" if summary["skipped"] else "")
          + (f", manifest {summary['manifest']}" if summary["manifest"] else ""))
    failed = summary["errors"] or any(p["severity"] == "error" for p in summary["problems"])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
