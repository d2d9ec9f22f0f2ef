"""Concepts and terms: the desk's authority on how UN names and treaty terms are written."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class TermStatus(StrEnum):
    PREFERRED = "preferred"
    ADMITTED = "admitted"
    DEPRECATED = "deprecated"
    FORBIDDEN = "forbidden"

    @property
    def allowed(self) -> bool:
        """Whether a translation may use a term with this status."""
        return self in (TermStatus.PREFERRED, TermStatus.ADMITTED)


@dataclass(frozen=True)
class Term:
    text: str
    lang: str
    status: TermStatus = TermStatus.PREFERRED
    term_type: str = "fullForm"  # TBX termType: fullForm, abbreviation, acronym, ...
    part_of_speech: str = ""  # TBX partOfSpeech: noun, verb, adjective, ... ("" unknown)
    note: str = ""  # usage note for this term

    @property
    def case_sensitive(self) -> bool:
        """Abbreviations keep their case: "WHO" is a body, "who" is a pronoun."""
        letters = [c for c in self.text if c.isalpha()]
        return self.term_type == "abbreviation" or (
            len(letters) >= 2 and all(c.isupper() for c in letters)
        )


@dataclass(frozen=True)
class Exclusion:
    """A set phrase in which a term of the concept has another sense and is not the concept:
    ru "вид спорта" (a kind of sport) for the concept "species", whose term is "вид". A
    terminologist's usage constraint ("not in"), per concept and language; matched with the
    same normalization and inflection as terms, so that one phrase covers its forms."""

    text: str
    lang: str


@dataclass(frozen=True)
class Concept:
    id: str
    terms: tuple[Term, ...]
    subject: str = ""
    definition: str = ""
    note: str = ""
    # Phrases in which the concept's terms are not the concept (see Exclusion), in file order.
    exclusions: tuple[Exclusion, ...] = ()
    # The file the concept came from, for messages and run records; not part of its content,
    # so it is left out of comparisons (a round trip through another file is still equal).
    source: str = field(default="", compare=False)

    def terms_in(self, lang: str) -> tuple[Term, ...]:
        return tuple(term for term in self.terms if term.lang == lang)

    def exclusions_in(self, lang: str) -> tuple[Exclusion, ...]:
        return tuple(phrase for phrase in self.exclusions if phrase.lang == lang)

    def approved(self, lang: str) -> Term | None:
        """The preferred term in ``lang``, else the first admitted one."""
        allowed = [term for term in self.terms_in(lang) if term.status.allowed]
        preferred = [term for term in allowed if term.status is TermStatus.PREFERRED]
        return (preferred or allowed or [None])[0]


@dataclass(frozen=True)
class Glossary:
    """Concepts from one or more files, earlier files taking precedence on conflicts."""

    concepts: tuple[Concept, ...]
    sources: tuple[str, ...] = field(default=())

    def __len__(self) -> int:
        return len(self.concepts)

    def by_id(self) -> dict[str, Concept]:
        return {concept.id: concept for concept in self.concepts}
