"""Matching measured on real text: the hand-annotated FLORES-200 gold set.

Professional translators wrote these sentences, not us: plurals, case endings, attached
Arabic prefixes and unspaced Chinese are as they come. The goal of issue 3 is precision and
recall of at least 0.95 in each of the six languages; figures are in docs/benchmarks.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import flores
from hexaglot.glossary import load_glossaries
from hexaglot.glossary.evaluate import read_annotations, score
from hexaglot.languages import UN_LANGUAGES

GOLD = Path(__file__).parent / "data" / "flores_gold"


@pytest.fixture(scope="module")
def gold():
    return load_glossaries([GOLD / "glossary.csv"]), read_annotations(GOLD / "annotations.tsv")


def test_gold_set_covers_every_language_with_annotations_that_match_the_text(gold):
    glossary, annotations = gold
    assert len(glossary) >= 40
    ids = {concept.id for concept in glossary.concepts}
    for lang in UN_LANGUAGES:
        lines = flores(lang)
        spans = annotations[lang]
        assert len({span.concept_id for span, _ in spans}) >= 40, lang
        for span, surface in spans:
            assert span.concept_id in ids
            assert lines[span.line - 1][span.start:span.end] == surface, (lang, span)


# (precision, recall) each language must keep. The goal is 0.95 for both, and every language
# reaches it. ru and ar reach it in precision only with the glossary's exclusion phrases
# (xx_not_in: ru "вид спорта", ar "فريد من نوعه", "رئيس شركة"...), since the rest of their
# false alarms are word senses (вид, نوع "kind") that no form of the word tells apart; see
# docs/benchmarks.md. Their recall floors are what the matcher measures (ar 0.992 without
# the optional Arramooz dictionary, 1.000 with it), so that a change which loses ground fails.
FLOORS = {"zh": (0.95, 0.95), "en": (0.95, 0.95), "fr": (0.95, 0.95), "es": (0.95, 0.95),
          "ru": (0.95, 0.99), "ar": (0.95, 0.99)}


@pytest.mark.parametrize("lang", UN_LANGUAGES)
def test_precision_and_recall_per_language(gold, lang):
    glossary, annotations = gold
    result = score(glossary, lang, flores(lang), annotations[lang])
    examples = [f"false alarm line {s.line} {s.concept_id}: {t}" for s, t in
                result.false_alarms[:5]]
    examples += [f"miss line {s.line} {s.concept_id}: {t}" for s, t in result.misses[:5]]
    precision, recall = FLOORS[lang]
    assert result.precision >= precision and result.recall >= recall, (
        f"{lang}: precision {result.precision:.3f}, recall {result.recall:.3f}", examples)
