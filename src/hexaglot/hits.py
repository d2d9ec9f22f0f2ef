"""Glossary-hit records: for every controlled term in a source segment, what the target did.

One row per source hit per target language. Reviewers diff these tables between runs to see
which terms a new engine, glossary or revision fixed or broke, so rows are sorted and their
columns are stable.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from enum import StrEnum
from pathlib import Path

from hexaglot.atomic import write_text_atomic
from hexaglot.glossary.match import TermMatch, TermMatcher
from hexaglot.mt.enforce import TermOutcome


class HitStatus(StrEnum):
    OK = "ok"  # an approved or admitted target term is there
    MISSING = "missing"  # no approved target term (and no forbidden one)
    FORBIDDEN = "forbidden"  # a forbidden or deprecated target term was used
    UNTRANSLATED = "untranslated"  # the segment awaits a human translator


@dataclass(frozen=True)
class HitRecord:
    doc: str
    segment_id: str
    source_lang: str
    target_lang: str
    concept_id: str
    source_term: str  # as written in the source
    # Status of the source form in the glossary: a forbidden form in the source is news too.
    source_term_status: str
    expected_target: str  # the approved target term
    status: HitStatus
    found_target: str  # as written in the target, if found
    # How the term got into the machine translation: engine, replaced, placeholder, repair,
    # steered, not-enforced ("" for segments no engine translated).
    enforcement: str = ""

    def row(self) -> dict[str, str]:
        values = asdict(self)
        values["status"] = self.status.value
        return values


COLUMNS = [field.name for field in fields(HitRecord)]


def check_hits(
    *,
    doc: str,
    segment_id: str,
    source_lang: str,
    target_lang: str,
    source_hits: Iterable[TermMatch],
    target_text: str | None,
    target_matcher: TermMatcher,
    enforcement: Sequence[TermOutcome] = (),
    target_matches: Sequence[TermMatch] | None = None,
) -> list[HitRecord]:
    """Judge each source hit against the target text (None: left for a human).

    Several hits of one concept in a source each need their own occurrence in the target;
    an occurrence is used once.
    """
    if target_matches is None:
        target_matches = target_matcher.find_all(target_text) if target_text else []
    target_matches = list(target_matches)
    used: set[int] = set()
    records: list[HitRecord] = []
    methods = {(o.concept_id, o.source): o.method.value for o in enforcement}
    for hit in source_hits:
        concept = hit.concept
        approved = concept.approved(target_lang)
        if approved is None:
            continue  # the glossary has no term in this language: nothing to check against
        status, found = HitStatus.UNTRANSLATED, ""
        if target_text is not None:
            status, found = _judge(concept.id, target_matches, used)
        records.append(HitRecord(
            doc=doc, segment_id=segment_id, source_lang=source_lang, target_lang=target_lang,
            concept_id=concept.id, source_term=hit.surface,
            source_term_status=hit.term.status.value, expected_target=approved.text,
            status=status, found_target=found,
            enforcement=methods.get((concept.id, hit.surface), ""),
        ))
    return records


def _judge(concept_id: str, target_matches: list[TermMatch], used: set[int]):
    forbidden: tuple[int, TermMatch] | None = None
    for index, match in enumerate(target_matches):
        if index in used:
            continue
        for concept, term in match.candidates:
            if concept.id != concept_id:
                continue
            if term.status.allowed:
                used.add(index)
                return HitStatus.OK, match.surface
            if forbidden is None:
                forbidden = (index, match)
            break
    if forbidden is not None:
        used.add(forbidden[0])
        return HitStatus.FORBIDDEN, forbidden[1].surface
    return HitStatus.MISSING, ""


def write_hits_csv(records: Iterable[HitRecord], path: Path) -> None:
    """All hits of a run, sorted so that two runs' tables diff line by line."""
    rows = sorted((record.row() for record in records),
                  key=lambda r: (r["doc"], r["target_lang"], _segment_order(r["segment_id"]),
                                 r["concept_id"], r["source_term"]))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    write_text_atomic(path, buffer.getvalue())


def _segment_order(segment_id: str) -> tuple[int, ...]:
    return tuple(int(part) for part in segment_id.split(".") if part.isdigit())
