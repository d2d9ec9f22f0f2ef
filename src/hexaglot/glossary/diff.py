"""What a new glossary release changes: concepts added and removed, terms and exclusions
changed.

A desk receives a new glossary from the terminologists before an event; revisers need to
see at a glance which approved forms changed (and so which earlier translations may now be
wrong), not to compare two files of thousands of rows by eye.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from hexaglot.atomic import write_text_atomic
from hexaglot.glossary.model import Concept, Glossary, Term


@dataclass(frozen=True)
class Change:
    # concept added / concept removed / term added / term removed / term changed /
    # exclusion added / exclusion removed / subject / definition / note
    kind: str
    concept_id: str
    lang: str = ""
    term: str = ""  # the term, or the exclusion phrase
    old: str = ""
    new: str = ""


COLUMNS = ("kind", "concept_id", "lang", "term", "old", "new")


def _term_map(concept: Concept) -> dict[tuple[str, str], Term]:
    return {(term.lang, term.text): term for term in concept.terms}


def _describe(term: Term) -> str:
    parts = [term.status.value]
    if term.term_type != "fullForm":
        parts.append(term.term_type)
    if term.part_of_speech:
        parts.append(term.part_of_speech)
    if term.note:
        parts.append(f"note: {term.note}")
    return ", ".join(parts)


def diff_glossaries(old: Glossary, new: Glossary) -> list[Change]:
    """Changes from ``old`` to ``new``, in concept order, then language and term."""
    old_by_id, new_by_id = old.by_id(), new.by_id()
    changes: list[Change] = []
    for concept in old.concepts:
        if concept.id not in new_by_id:
            preferred = concept.approved("en") or (concept.terms[0] if concept.terms else None)
            changes.append(Change("concept removed", concept.id,
                                  term=preferred.text if preferred else ""))
    for concept in new.concepts:
        before = old_by_id.get(concept.id)
        if before is None:
            preferred = concept.approved("en") or (concept.terms[0] if concept.terms else None)
            changes.append(Change("concept added", concept.id,
                                  term=preferred.text if preferred else ""))
            continue
        for field_name in ("subject", "definition", "note"):
            was, now = getattr(before, field_name), getattr(concept, field_name)
            if was != now:
                changes.append(Change(field_name, concept.id, old=was, new=now))
        old_terms, new_terms = _term_map(before), _term_map(concept)
        for key in sorted(old_terms.keys() | new_terms.keys()):
            lang, text = key
            if key not in new_terms:
                changes.append(Change("term removed", concept.id, lang, text,
                                      old=_describe(old_terms[key])))
            elif key not in old_terms:
                changes.append(Change("term added", concept.id, lang, text,
                                      new=_describe(new_terms[key])))
            elif _describe(old_terms[key]) != _describe(new_terms[key]):
                changes.append(Change("term changed", concept.id, lang, text,
                                      old=_describe(old_terms[key]),
                                      new=_describe(new_terms[key])))
        # An exclusion added narrows where the concept is found; one removed widens it.
        was = {(phrase.lang, phrase.text) for phrase in before.exclusions}
        now = {(phrase.lang, phrase.text) for phrase in concept.exclusions}
        for lang, text in sorted(was | now):
            if (lang, text) not in now:
                changes.append(Change("exclusion removed", concept.id, lang, text))
            elif (lang, text) not in was:
                changes.append(Change("exclusion added", concept.id, lang, text))
    return changes


def write_changes_csv(changes: list[Change], path: Path) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for change in changes:
        writer.writerow([getattr(change, column) for column in COLUMNS])
    write_text_atomic(path, buffer.getvalue())
