"""What hexaglot's translation stage costs over the raw engine, and transformers against
CTranslate2 on the same model.

Measured side by side in one run on the FLORES-200 devtest English side (real text nobody
here wrote), best of N runs each:

1. raw ``apertium eng-spa`` on the whole text in one call, as a user would run it;
2. the same sentences through hexaglot's Apertium engine alone (one HTML batch);
3. hexaglot's translation stage: segmentation, glossary matching of source and target,
   glossary enforcement (retranslating masked segments where needed), the engine, and the
   hit records; writing the DOCX files is left out (the review DOCX is measured in
   ``pipeline_vs_engine.py``);
4. the same with the QA checks (issue 5) and their mechanical fixes, for their cost;
5. a nightly batch: the same sentences as four documents translated one after the other
   (hexaglot loads each document's Apertium pipeline while the previous one is finished),
   against four raw calls one after the other;
6. with ``--tiny-model``, the tiny Marian model the tests build, through transformers and
   through CTranslate2 (int8), on the first sentences.

Run: ``.venv/bin/python benchmarks/mt_throughput.py [--sentences 1012] [--runs 3]
[--tiny-model]``
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FLORES = REPO.parent / "shared/data/flores200-devtest"
GLOSSARIES = (REPO / "glossaries/hanoi-2025-event.tbx", REPO / "glossaries/un-cybercrime.csv")
BATCH = 4  # documents in the batch measure


def best_of(runs: int, function) -> tuple[float, object]:
    timings, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - start)
    return min(timings), result


SETTLE = 0.5  # seconds between measures: see interleaved()


def interleaved(runs: int, measures: dict) -> tuple[dict[str, float], dict[str, object]]:
    """Best time of each measure over ``runs`` rounds, each round running every measure
    once in turn: this machine's speed drifts (other tenants of the host), and measuring
    one thing N times and then the next N times turns that drift into a ratio.

    Every measure starts on a quiet machine: hexaglot loads the Apertium pipeline for the
    next document in the background after a call, and that must not slow the raw call
    measured next. (What that loading costs a batch is in the batch measure.)"""
    timings = {name: float("inf") for name in measures}
    results: dict[str, object] = {}
    for _ in range(runs):
        for name, function in measures.items():
            time.sleep(SETTLE)
            seconds, results[name] = best_of(1, function)
            timings[name] = min(timings[name], seconds)
    return timings, results


def apertium_part(sentences: list[str], runs: int) -> None:
    from hexaglot.checks import REGISTRY, ChecksConfig
    from hexaglot.mt.apertium import ApertiumEngine
    from hexaglot.pipeline import Settings, glossary_index, load_document, translate_target

    engine = ApertiumEngine()
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "flores.txt"
        source.write_text("\n\n".join(sentences) + "\n", encoding="utf-8")
        checked = Settings(targets=("es",), glossaries=GLOSSARIES, out_dir=Path(folder))
        settings = Settings(targets=("es",), glossaries=GLOSSARIES, out_dir=Path(folder),
                            checks=ChecksConfig(disabled=frozenset(REGISTRY)))
        index = glossary_index(settings.glossaries)
        index.matcher("en"), index.matcher("es")
        # A nightly batch: the devtest as four documents, one after the other, against
        # four raw calls one after the other.
        documents = []
        size = -(-len(sentences) // BATCH)
        for number in range(BATCH):
            part = sentences[number * size:(number + 1) * size]
            documents.append((part, Path(folder) / f"part-{number}.txt"))
            documents[-1][1].write_text("\n\n".join(part) + "\n", encoding="utf-8")

        def raw_call(part: list[str]) -> None:
            subprocess.run(["apertium", "eng-spa"], input="\n\n".join(part),
                           capture_output=True, text=True, check=True)

        measures = {
            "raw": lambda: raw_call(sentences),
            "engine": lambda: engine.translate(sentences, "en", "es"),
            "stage": lambda: translate_target(load_document(source, "en"), "es", settings,
                                              index),
            "checks": lambda: translate_target(load_document(source, "en"), "es", checked,
                                               index),
            "raw batch": lambda: [raw_call(part) for part, _ in documents],
            "stage batch": lambda: [translate_target(load_document(path, "en"), "es",
                                                     settings, index)
                                    for _, path in documents],
        }
        timings, results = interleaved(runs, measures)
    raw, engine_only, stage, with_checks, raw_batch, stage_batch = (timings[name]
                                                                    for name in measures)
    result = results["stage"]
    methods = Counter(o.method.value for s in result.segments for o in s.enforcement)
    print(f"{len(sentences)} FLORES sentences, English -> Spanish, best of {runs} runs")
    print(f"  raw apertium eng-spa, one call        {raw:7.2f} s")
    print(f"  hexaglot Apertium engine alone        {engine_only:7.2f} s   "
          f"ratio {engine_only / raw:.2f}x")
    print(f"  hexaglot translation stage            {stage:7.2f} s   ratio {stage / raw:.2f}x"
          f"   (overhead {100 * (stage / raw - 1):+.0f}%; {stage / engine_only:.2f}x the "
          "engine alone)")
    print(f"  the same with the QA checks          {with_checks:7.2f} s   "
          f"(checks and fixes: {with_checks - stage:.2f} s)")
    print(f"  as a batch of {BATCH} documents, one after the other:")
    print(f"    raw apertium eng-spa, {BATCH} calls          {raw_batch:7.2f} s")
    print(f"    hexaglot translation stage, {BATCH} documents {stage_batch:7.2f} s   ratio "
          f"{stage_batch / raw_batch:.2f}x")
    print(f"  glossary terms in the source: {sum(methods.values())}, how each got into the "
          f"output: {dict(sorted(methods.items()))}")


def tiny_model_part(sentences: list[str], runs: int) -> None:
    sys.path.insert(0, str(REPO / "tests"))
    import torch

    import tiny_models
    from hexaglot.models import convert_to_ctranslate2
    from hexaglot.mt.ctranslate2_engine import CTranslate2Engine
    from hexaglot.mt.transformers_engine import TransformersEngine

    torch.set_num_threads(1)  # as CTranslate2 below: one thread each, a fair comparison
    with tempfile.TemporaryDirectory() as folder:
        model_dir = tiny_models.build_marian(Path(folder) / "opus-mt-en-fr",
                                             tiny_models.training_lines())
        ct2_dir = convert_to_ctranslate2(model_dir, Path(folder) / "ct2", quantization="int8")
        engines = {"transformers (float32)": TransformersEngine(model_dir, beam_size=1),
                   "ctranslate2 (int8)": CTranslate2Engine(ct2_dir, beam_size=1,
                                                           compute_type="int8")}
        timings = {}
        for name, engine in engines.items():
            engine.translate(sentences[:4], "en", "fr")  # load the model before timing
            timings[name], _ = best_of(runs, lambda e=engine: e.translate(sentences, "en",
                                                                          "fr"))
        print(f"{len(sentences)} sentences through the tiny Marian model (en->fr), greedy, "
              f"best of {runs} runs")
        for name, seconds in timings.items():
            print(f"  {name:24} {seconds:7.2f} s   {len(sentences) / seconds:7.1f} sentences/s")
        first, second = timings.values()
        print(f"  CTranslate2 vs transformers: {first / second:.2f}x faster")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=1012)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tiny-model", action="store_true",
                        help="also compare transformers and CTranslate2 on the tiny model")
    args = parser.parse_args()
    sentences = (FLORES / "eng_Latn.devtest").read_text(encoding="utf-8").splitlines()
    sentences = sentences[:args.sentences]
    apertium_part(sentences, args.runs)
    if args.tiny_model:
        tiny_model_part(sentences[:200], args.runs)


if __name__ == "__main__":
    main()
