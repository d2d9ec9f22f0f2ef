"""Precision and recall of glossary matching on a hand-annotated FLORES-200 gold set.

The gold set (``tests/data/flores_gold``) annotates every occurrence of 45+ concepts in the
1,012 devtest sentences of each UN language, as professional translators wrote them: plurals,
case endings, attached Arabic prefixes, Chinese without spaces. It was annotated by reading
the text, not by running hexaglot. A found term is correct when an annotation of the same
concept overlaps it. ``--no-exclusions`` ignores the glossary's exclusion phrases
(``xx_not_in``), to show what they bring. Run:
``.venv/bin/python benchmarks/glossary_gold.py [--show-errors] [--no-exclusions]``
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path

from hexaglot.glossary import Glossary, load_glossaries
from hexaglot.glossary.evaluate import read_annotations, score
from hexaglot.languages import UN_LANGUAGES

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "tests/data/flores_gold"
FLORES = REPO.parent / "shared/data/flores200-devtest"
FILES = {"en": "eng_Latn", "ar": "arb_Arab", "zh": "zho_Hans", "fr": "fra_Latn",
         "ru": "rus_Cyrl", "es": "spa_Latn"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-errors", action="store_true",
                        help="list the false alarms and misses")
    parser.add_argument("--no-exclusions", action="store_true",
                        help="ignore the exclusion phrases (xx_not_in) of the glossary")
    args = parser.parse_args()
    glossary = load_glossaries([GOLD / "glossary.csv"])
    phrases = sum(len(concept.exclusions) for concept in glossary.concepts)
    if args.no_exclusions:
        glossary = Glossary(tuple(replace(c, exclusions=()) for c in glossary.concepts),
                            glossary.sources)
    gold = read_annotations(GOLD / "annotations.tsv")
    print(f"gold set: {len(glossary)} concepts, {sum(len(v) for v in gold.values())} "
          f"annotated occurrences, {phrases} exclusion phrases"
          + (" (ignored)" if args.no_exclusions else ""))
    print(f"  {'lang':4} {'gold':>5} {'found':>6} {'precision':>9} {'recall':>7} {'seconds':>8}")
    for lang in UN_LANGUAGES:
        lines = (FLORES / f"{FILES[lang]}.devtest").read_text(encoding="utf-8").splitlines()
        start = time.perf_counter()
        result = score(glossary, lang, lines, gold.get(lang, []))
        seconds = time.perf_counter() - start
        print(f"  {lang:4} {result.gold:5} {result.found:6} {result.precision:9.3f} "
              f"{result.recall:7.3f} {seconds:8.2f}")
        if args.show_errors:
            for span, surface in result.false_alarms:
                print(f"      false alarm line {span.line} {span.concept_id}: {surface}")
            for span, surface in result.misses:
                print(f"      miss        line {span.line} {span.concept_id}: {surface}")


if __name__ == "__main__":
    main()
