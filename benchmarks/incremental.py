"""What a rerun costs after small edits, and what Prefect adds to a batch.

Measured side by side in one run, on documents built from FLORES-200 devtest sentences
(five per document, real text nobody here wrote), translated en->es and en->fr:

1. Incremental batch: the nightly batch (:mod:`hexaglot.batch`) over N documents with an
   empty TM; then one sentence edited in 10% of the documents and the batch run again. The
   second run should take <= 15% of the first and send only the edited sentences to MT
   (the manifest skips unchanged documents; the TM gives the unchanged sentences of the
   edited ones back as exact matches).
2. Orchestration overhead: the same first batch through the Prefect flow
   (``flows/nightly.py``, ephemeral API, tasks in threads) against the same work through
   :func:`hexaglot.pipeline.run` directly, each with a fresh output folder and TM.

Run: ``.venv/bin/python benchmarks/incremental.py [--documents 200]``
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FLORES = Path(os.environ.get("HEXAGLOT_FLORES", REPO.parent / "shared/data/flores200-devtest"))
TARGETS = ("es", "fr")
PER_DOCUMENT = 5


def build_documents(folder: Path, count: int) -> list[Path]:
    sentences = (FLORES / "eng_Latn.devtest").read_text(encoding="utf-8").splitlines()
    folder.mkdir(parents=True)
    paths = []
    for number in range(count):
        start = (number * PER_DOCUMENT) % (len(sentences) - PER_DOCUMENT)
        path = folder / f"note-{number:04d}.txt"
        path.write_text("\n\n".join(sentences[start:start + PER_DOCUMENT]) + "\n",
                        encoding="utf-8")
        paths.append(path)
    return paths


def edit_one_sentence(path: Path, rng: random.Random) -> None:
    """A desk's typical edit: one sentence reworded (a date, a name, an added clause)."""
    paragraphs = path.read_text(encoding="utf-8").strip().split("\n\n")
    which = rng.randrange(len(paragraphs))
    paragraphs[which] = paragraphs[which].rstrip(".") + ", the organizers said on Monday."
    path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")


def mt_segments(summary: dict) -> int:
    return sum(t["segments"]["mt"] for d in summary["documents"] for t in d["targets"])


def tm_segments(summary: dict) -> int:
    return sum(t["segments"]["tm"] for d in summary["documents"] for t in d["targets"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--skip-flow", action="store_true", help="only part 1")
    parser.add_argument("--only-flow", action="store_true", help="only part 2")
    args = parser.parse_args()

    sys.path.insert(0, str(REPO))
    os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="hexaglot-bench-prefect-"))
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from hexaglot.config import load_config
    from hexaglot.pipeline import desk_settings, glossary_index

    config = load_config(REPO / "hexaglot.toml")
    work = Path(tempfile.mkdtemp(prefix="hexaglot-bench-incremental-"))
    docs_in = work / "docs_in"
    documents = build_documents(docs_in, args.documents)

    def settings(name: str):
        return desk_settings(config, targets=TARGETS, out_dir=work / name / "docs_out",
                             tm=work / name / "tm.sqlite", source_lang="en")

    incremental = settings("incremental")
    index = glossary_index(tuple(incremental.glossaries))  # loaded before any timing
    if not args.only_flow:
        incremental_batch(docs_in, documents, incremental, index)
    if not args.skip_flow:
        orchestration(work, args.documents, settings)


def incremental_batch(docs_in: Path, documents: list[Path], incremental, index) -> None:
    from hexaglot.batch import run_batch

    sentences = len(documents) * PER_DOCUMENT
    start = time.perf_counter()
    first = run_batch(docs_in, incremental, index)
    first_time = time.perf_counter() - start

    rng = random.Random(2025)
    edited = rng.sample(documents, max(1, len(documents) // 10))
    for path in edited:
        edit_one_sentence(path, rng)
    start = time.perf_counter()
    second = run_batch(docs_in, incremental, index)
    second_time = time.perf_counter() - start

    print(f"Incremental batch: {len(documents)} documents, {sentences} sentences, "
          f"en->{','.join(TARGETS)}")
    print(f"  first run:  {first_time:7.1f} s, {mt_segments(first)} segments through MT")
    print(f"  second run: {second_time:7.1f} s, {len(second['documents'])} documents "
          f"translated ({len(edited)} edited), {mt_segments(second)} segments through MT "
          f"(edited sentences x targets = {len(edited) * len(TARGETS)}), "
          f"{tm_segments(second)} from the TM, {len(second['unchanged'])} unchanged skipped")
    print(f"  second / first = {second_time / first_time:.3f}  (goal <= 0.15)")


def orchestration(work: Path, count: int, settings) -> None:
    from flows.nightly import nightly_batch
    from hexaglot.pipeline import run

    fresh = build_documents(work / "docs_in_fresh", count)
    direct_settings = settings("direct")
    start = time.perf_counter()
    run(fresh, direct_settings)
    direct_time = time.perf_counter() - start
    flow_settings = settings("flow")
    start = time.perf_counter()
    summary = nightly_batch(docs_in=str(work / "docs_in_fresh"),
                            out_dir=str(flow_settings.out_dir),
                            target_languages=list(TARGETS),
                            translation_memory=str(flow_settings.tm))
    flow_time = time.perf_counter() - start
    assert all(d["error"] is None for d in summary["documents"]), summary
    print("Orchestration: the same first batch, fresh outputs and TM each")
    print(f"  hexaglot.pipeline.run directly: {direct_time:7.1f} s")
    print(f"  Prefect nightly flow:          {flow_time:7.1f} s "
          "(ephemeral API start-up included; tasks in 2 threads)")
    print(f"  flow / direct = {flow_time / direct_time:.3f}  (goal <= 1.25)")


if __name__ == "__main__":
    main()
