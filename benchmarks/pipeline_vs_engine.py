"""How much hexaglot adds to raw machine translation, and how glossary matching scales.

Measured side by side in one run, on FLORES-200 devtest sentences (real text nobody here
wrote):

1. Raw Apertium (one ``apertium eng-spa`` call on all sentences) against the whole hexaglot
   pipeline for the same text (segmentation, glossary matching in source and target, the
   same Apertium batch, hit checks, writing the .txt and the review DOCX).
2. Glossary matching time per sentence with the project's glossary against a synthetic
   glossary of 85,000 concepts (UNTERM's size): an automaton should barely notice.

Run: ``.venv/bin/python benchmarks/pipeline_vs_engine.py [--sentences N]``
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from hexaglot.glossary import Concept, Glossary, Term, load_glossaries
from hexaglot.glossary.match import TermMatcher
from hexaglot.glossary.normalize import word_key
from hexaglot.pipeline import Settings, glossary_index, load_document, translate_document

REPO = Path(__file__).resolve().parent.parent
FLORES = REPO.parent / "shared/data/flores200-devtest"
GLOSSARIES = (REPO / "glossaries/hanoi-2025-event.tbx", REPO / "glossaries/un-cybercrime.csv")


def best_of(runs: int, function) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return min(timings)


def synthetic_glossary(size: int, real: Glossary) -> Glossary:
    """The real concepts plus made-up multi-word English terms, up to ``size`` concepts."""
    words = sorted({w for line in (FLORES / "eng_Latn.devtest").read_text().split()
                    for w in [line.strip(".,;:!?\"'()")] if w.isalpha() and len(w) > 3})
    concepts = list(real.concepts)
    number = 0
    while len(concepts) < size:
        a, b = words[number % len(words)], words[(number * 7919 + 13) % len(words)]
        concepts.append(Concept(id=f"syn-{number}", terms=(Term(f"{a} {b} zq{number}", "en"),)))
        number += 1
    return Glossary(concepts=tuple(concepts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sentences = (FLORES / "eng_Latn.devtest").read_text(encoding="utf-8").splitlines()
    sentences = sentences[: args.sentences]

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "flores.txt"
        source.write_text("\n".join(sentences) + "\n", encoding="utf-8")
        settings = Settings(targets=("es",), glossaries=GLOSSARIES, out_dir=Path(folder) / "out")
        index = glossary_index(settings.glossaries)
        document = load_document(source, "en")
        raw = best_of(args.runs, lambda: subprocess.run(
            ["apertium", "eng-spa"], input="\n".join(sentences), capture_output=True,
            text=True, check=True))
        pipeline = best_of(args.runs, lambda: translate_document(document, "es", settings, index))

    print(f"{len(sentences)} FLORES sentences, English -> Spanish, best of {args.runs} runs")
    print(f"  raw apertium eng-spa         {raw:7.2f} s")
    print(f"  hexaglot pipeline            {pipeline:7.2f} s   ratio {pipeline / raw:.2f}x")

    real = load_glossaries(list(GLOSSARIES))
    big = synthetic_glossary(85_000, real)
    timings = {}
    for name, glossary in (("project", real), ("85,000 concepts", big)):
        build_start = time.perf_counter()
        matcher = TermMatcher(glossary, "en")
        build = time.perf_counter() - build_start
        per_sentence = []
        for _ in range(args.runs):
            word_key.cache_clear()
            start = time.perf_counter()
            for sentence in sentences:
                matcher.find(sentence)
            per_sentence.append((time.perf_counter() - start) / len(sentences))
        timings[name] = statistics.median(per_sentence)
        print(f"  matching, {name:>16} glossary ({len(glossary):>6} concepts): "
              f"{timings[name] * 1e6:7.1f} µs/sentence, automaton built in {build:.2f} s")
    print(f"  85,000 vs project glossary: {timings['85,000 concepts'] / timings['project']:.2f}x "
          "the time per sentence")


if __name__ == "__main__":
    main()
