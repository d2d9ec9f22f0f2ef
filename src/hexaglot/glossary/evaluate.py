"""Precision and recall of term matching against a hand-annotated corpus.

The annotation format is a TSV with ``lang, line, concept_id, start, end, surface``
(character offsets into the line, end exclusive), as in ``tests/data/flores_gold``. A found
term counts as correct when the annotation has the same concept on an overlapping span of
the same line: boundaries may differ by an attached clitic or article, which a reviser
would not call a miss.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from hexaglot.glossary.match import TermMatcher
from hexaglot.glossary.model import Glossary


@dataclass(frozen=True)
class Span:
    line: int
    concept_id: str
    start: int
    end: int

    def overlaps(self, other: Span) -> bool:
        return (self.line == other.line and self.concept_id == other.concept_id
                and self.start < other.end and other.start < self.end)


@dataclass(frozen=True)
class Score:
    lang: str
    gold: int
    found: int
    correct_found: int  # found spans that match an annotation
    gold_found: int  # annotations that some found span matches
    false_alarms: tuple[tuple[Span, str], ...]  # (span, surface) found but not annotated
    misses: tuple[tuple[Span, str], ...]  # annotated but not found

    @property
    def precision(self) -> float:
        return self.correct_found / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.gold_found / self.gold if self.gold else 1.0


def read_annotations(path: Path) -> dict[str, list[tuple[Span, str]]]:
    by_lang: dict[str, list[tuple[Span, str]]] = defaultdict(list)
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            span = Span(int(row["line"]), row["concept_id"], int(row["start"]), int(row["end"]))
            by_lang[row["lang"]].append((span, row["surface"]))
    return by_lang


def score(glossary: Glossary, lang: str, lines: Sequence[str],
          gold: list[tuple[Span, str]]) -> Score:
    """Match every line (numbered from 1) and compare with the annotations."""
    matcher = TermMatcher(glossary, lang)
    found: list[tuple[Span, str]] = []
    for number, text in enumerate(lines, start=1):
        for match in matcher.find(text):
            found.append((Span(number, match.concept.id, match.start, match.end),
                          match.surface))
    gold_by_line: dict[int, list[Span]] = defaultdict(list)
    for span, _ in gold:
        gold_by_line[span.line].append(span)
    found_by_line: dict[int, list[Span]] = defaultdict(list)
    for span, _ in found:
        found_by_line[span.line].append(span)
    false_alarms = tuple((s, t) for s, t in found
                         if not any(s.overlaps(g) for g in gold_by_line[s.line]))
    misses = tuple((g, t) for g, t in gold
                   if not any(g.overlaps(s) for s in found_by_line[g.line]))
    return Score(lang=lang, gold=len(gold), found=len(found),
                 correct_found=len(found) - len(false_alarms),
                 gold_found=len(gold) - len(misses), false_alarms=false_alarms, misses=misses)
