"""The glossary concepts of one session: those its own texts use, in order of first use.

A session's texts are its title and groups of participants in the programme, then its
linked documents in the order the programme lists them (speeches, press releases), each
read segment by segment in its own language with that language's matcher, so a French
speech and a Vietnamese press release both count. A concept that only another session's
documents use is not listed. Person and country names go to the proper-names table
instead (:data:`hexaglot.briefing.render.NAME_SUBJECTS`).

The table's columns: the booth's language first, then the session's source language (the
language most of its documents' text is in; the programme's when it has none), then the
other UN languages in the usual order (ar, zh, en, fr, ru, es). When the source is a
host-country language (vi, id) its column is added, second, to the six.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from hexaglot.briefing.render import NAME_SUBJECTS, forbidden_forms
from hexaglot.glossary.index import GlossaryIndex
from hexaglot.glossary.model import Concept
from hexaglot.languages import UN_LANGUAGES


@dataclass(frozen=True)
class SourceText:
    name: str  # a document's file name, or "programme"
    lang: str
    segments: tuple[str, ...]


@dataclass(frozen=True)
class TermUse:
    concept: Concept
    surface: str  # as first met
    lang: str  # of the text it was first met in
    where: str  # that text's name
    count: int  # uses in all the session's texts


def session_terms(texts: Iterable[SourceText], index: GlossaryIndex, *,
                  exclude_subjects: frozenset[str] = NAME_SUBJECTS) -> list[TermUse]:
    """Each concept the texts use, once, in order of first use, with its number of uses."""
    first: dict[str, tuple[Concept, str, str, str]] = {}
    counts: Counter[str] = Counter()
    for text in texts:
        matcher = index.matcher(text.lang)
        for segment in text.segments:
            for match in matcher.find(segment):
                concept = match.concept
                if concept.subject in exclude_subjects:
                    continue
                counts[concept.id] += 1
                first.setdefault(concept.id, (concept, match.surface, text.lang, text.name))
    return [TermUse(concept, surface, lang, where, counts[concept_id])
            for concept_id, (concept, surface, lang, where) in first.items()]


def source_language(texts: Iterable[SourceText], default: str) -> str:
    """The language most of the session's document text is in (the programme aside)."""
    sizes: Counter[str] = Counter()
    for text in texts:
        if text.name != "programme":
            sizes[text.lang] += sum(len(s) for s in text.segments)
    return sizes.most_common(1)[0][0] if sizes else default


def term_columns(booth: str, source: str) -> tuple[str, ...]:
    """Booth first, source second (when it differs), then the other UN languages."""
    columns = [booth]
    if source != booth:
        columns.append(source)
    columns.extend(lang for lang in UN_LANGUAGES if lang not in columns)
    return tuple(columns)


def term_cells(use: TermUse, columns: tuple[str, ...]) -> list[str | None]:
    """The approved term in each column's language (None where the glossary has none)."""
    cells: list[str | None] = []
    for lang in columns:
        term = use.concept.approved(lang)
        cells.append(term.text if term is not None else None)
    return cells


def term_notes(use: TermUse, booth: str) -> list[tuple[str, str]]:
    """What the glossary says about the concept and its booth term, and the booth forms to
    avoid, as (language, text): the booth term's note and the forms in the booth's language,
    the concept's note as the glossary writes it (English)."""
    notes = []
    term = use.concept.approved(booth)
    if term is not None and term.note:
        notes.append((booth, term.note))
    avoid = forbidden_forms(use.concept, booth)
    if avoid:
        notes.append((booth, "✗ " + " | ".join(dict.fromkeys(avoid))))
    if use.concept.note:
        notes.append(("en", shorten(use.concept.note)))
    return notes


def shorten(note: str, limit: int = 240) -> str:
    """A long concept note cut after the last sentence that fits (the glossary has it all)."""
    if len(note) <= limit:
        return note
    cut = note[:limit]
    end = max(cut.rfind(". "), cut.rfind("; "))
    return (cut[:end + 1] if end > limit // 3 else cut.rstrip()) + " …"
