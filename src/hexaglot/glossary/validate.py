"""Checks a terminologist expects before a glossary is trusted, and the cleaned result.

Everything is collected, so that one run lists every fix to make. What would make matching
or reports wrong is an error (the glossary is not loaded); what is merely untidy, or a
choice the author may have made on purpose, is a warning.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from typing import TypeVar

from hexaglot.glossary.model import Concept, Exclusion, Glossary, Term, TermStatus
from hexaglot.glossary.problems import GlossaryFile, Problem, error, warning
from hexaglot.languages import UN_LANGUAGES

_SPACES = re.compile(r"\s+")


def _invisible(text: str) -> list[str]:
    """Format and control characters (zero-width, BOM, bidi controls, soft hyphen...):
    they make a term look right and never match."""
    found = []
    for char in text:
        category = unicodedata.category(char)
        if category == "Cf" or (category == "Cc" and not char.isspace()):
            name = unicodedata.name(char, "control character")
            found.append(f"U+{ord(char):04X} {name}")
    return list(dict.fromkeys(found))


_Text = TypeVar("_Text", Term, Exclusion)


def _cleaned(item: _Text, what: str, empty: str, file: str, where: str,
             problems: list[Problem]) -> _Text | None:
    """A term, or an exclusion phrase (matched the same way, so judged the same way), with
    stray whitespace tidied and its problems reported; None if it is empty. ``what`` names
    it in messages, ``empty`` is the message for an empty one."""
    text = item.text
    if not text.strip():
        problems.append(error(file, where, empty, item.lang))
        return None
    invisible = _invisible(text)
    if invisible:
        problems.append(error(file, where, f"{what} {text!r} contains invisible characters "
                              f"({', '.join(invisible)}): delete them", item.lang))
    cleaned = _SPACES.sub(" ", text).strip()
    if cleaned == text:
        return item
    problems.append(warning(file, where, f"{what} {text!r} has stray spaces, tabs, line "
                            f"breaks or no-break spaces; read as {cleaned!r}", item.lang))
    return replace(item, text=cleaned)


def _clean_term(term: Term, file: str, where: str, problems: list[Problem]) -> Term | None:
    return _cleaned(term, "term", f"empty term: remove it or write the term (status "
                    f"{term.status})", file, where, problems)


def _clean_exclusion(phrase: Exclusion, file: str, where: str,
                     problems: list[Problem]) -> Exclusion | None:
    return _cleaned(phrase, "exclusion phrase", "empty exclusion phrase: remove it or write "
                    "the phrase", file, where, problems)


def _check_exclusions(concept: Concept, file: str, where: str,
                      problems: list[Problem]) -> None:
    """Each exclusion phrase must hold a term of its concept in its language, as the matcher
    reads both: a phrase around no term would never apply, and a phrase that is only the
    term would remove every occurrence of it."""
    if not concept.exclusions:
        return
    from hexaglot.glossary.match import TermMatcher
    from hexaglot.glossary.normalize import tokens

    alone = Glossary(concepts=(replace(concept, exclusions=()),))
    for lang in dict.fromkeys(phrase.lang for phrase in concept.exclusions):
        terms = " | ".join(term.text for term in concept.terms_in(lang))
        matcher = TermMatcher(alone, lang) if terms else None
        seen: set[str] = set()
        for phrase in concept.exclusions_in(lang):
            if phrase.text.casefold() in seen:
                problems.append(warning(file, where, f"concept {concept.id}: exclusion phrase "
                                        f"{phrase.text!r} is listed twice", lang))
                continue
            seen.add(phrase.text.casefold())
            if matcher is None:
                problems.append(error(
                    file, where, f"concept {concept.id} has the exclusion phrase "
                    f"{phrase.text!r} but no {lang} term for it to apply to: add the term or "
                    "remove the phrase", lang))
                continue
            words = tokens(phrase.text, lang)
            hits = matcher.find_all(phrase.text)
            if not hits:
                problems.append(error(
                    file, where, f"concept {concept.id}: the exclusion phrase {phrase.text!r} "
                    f"contains none of the concept's {lang} terms ({terms}) as the matcher "
                    "reads them, so it would never apply: write the phrase around one of the "
                    "terms, as a text would have it (\"вид спорта\" for вид), or remove it",
                    lang))
            elif any(hit.start <= words[0].start and hit.end >= words[-1].end
                     for hit in hits):
                problems.append(error(
                    file, where, f"concept {concept.id}: the exclusion phrase {phrase.text!r} "
                    f"is the term {hits[0].term.text!r} itself, once inflection is removed, "
                    "and would remove every occurrence of it: write the words around the term "
                    "that give it its other sense, or forbid or delete the term", lang))


def term_identity(term: Term) -> str:
    """What makes two written terms "the same term": case matters only for abbreviations."""
    text = unicodedata.normalize("NFKC", term.text)
    return text if term.case_sensitive else text.casefold()


def _exact(term: Term) -> str:
    return unicodedata.normalize("NFKC", term.text)


def check_file(file: GlossaryFile) -> tuple[list[Concept], list[Problem]]:
    """The file's concepts with cleaned terms, and its problems (the reader's included)."""
    problems = list(file.problems)
    concepts: list[Concept] = []
    locations: list[str] = []
    first_seen: dict[str, str] = {}
    for concept, where in zip(file.concepts, file.locations, strict=True):
        if not concept.id:
            problems.append(error(file.path, where, "concept without an id: give it one"))
            continue
        if concept.id in first_seen:
            problems.append(error(file.path, where, f"concept id {concept.id!r} is already used "
                                  f"({first_seen[concept.id]}): give each concept its own id"))
            continue
        first_seen[concept.id] = where
        terms = tuple(t for t in (_clean_term(term, file.path, where, problems)
                                  for term in concept.terms) if t is not None)
        if not terms:
            problems.append(error(file.path, where, f"concept {concept.id} has no terms"))
            continue
        exclusions = tuple(e for e in (_clean_exclusion(phrase, file.path, where, problems)
                                       for phrase in concept.exclusions) if e is not None)
        concept = replace(concept, terms=terms, exclusions=exclusions)
        _check_concept(concept, file.path, where, problems)
        _check_exclusions(concept, file.path, where, problems)
        concepts.append(concept)
        locations.append(where)
    _check_across_concepts(concepts, locations, file.path, problems)
    return concepts, problems


def _check_concept(concept: Concept, file: str, where: str, problems: list[Problem]) -> None:
    missing = [lang for lang in UN_LANGUAGES if not concept.terms_in(lang)]
    if missing:
        problems.append(warning(file, where, f"concept {concept.id} has no term in "
                                f"{', '.join(missing)}", ""))
    for lang in dict.fromkeys(term.lang for term in concept.terms):
        seen: dict[str, Term] = {}
        preferred = []
        for term in concept.terms_in(lang):
            if term.status is TermStatus.PREFERRED:
                preferred.append(term.text)
            identity = term_identity(term)
            earlier = seen.get(identity)
            if earlier is None:
                seen[identity] = term
            elif earlier.status.allowed != term.status.allowed:
                if _exact(earlier) != _exact(term):
                    continue  # a capitalization rule: "Member State", not "member state"
                problems.append(error(
                    file, where, f"concept {concept.id}: {term.text!r} is both "
                    f"{_describe(earlier)} and {_describe(term)}: keep one", lang))
            else:
                twice = ("is listed twice" if earlier.text == term.text else
                         f"and {earlier.text!r} differ only in case or character width, "
                         "which matching ignores")
                problems.append(warning(file, where, f"concept {concept.id}: {term.text!r} "
                                        f"{twice}", lang))
        if len(preferred) > 1:
            problems.append(warning(
                file, where, f"concept {concept.id} has {len(preferred)} preferred terms "
                f"({' | '.join(preferred)}); suggestions use the first", lang))


def _describe(term: Term) -> str:
    return "approved" if term.status.allowed else str(term.status)


def _check_across_concepts(concepts: Sequence[Concept], locations: Sequence[str], file: str,
                           problems: list[Problem]) -> None:
    """A term approved for two concepts: an error when nothing else tells the concepts
    apart (a duplicated entry: every hit would be ambiguous), a warning when they differ in
    another language (a true homonym, such as fr "Président" for a chair and for a head of
    State, which the desk cannot avoid: hits in that language name the first concept). A
    term approved for one concept and forbidden for another is an error: the checks would
    contradict each other."""
    approved: dict[tuple[str, str], tuple[Concept, str]] = {}
    avoided: dict[tuple[str, str], tuple[Concept, Term]] = {}
    reported: set[tuple[str, str]] = set()
    for concept, where in zip(concepts, locations, strict=True):
        for term in concept.terms:
            key = (term.lang, term_identity(term))
            if not term.status.allowed:
                avoided.setdefault(key, (concept, term))
                continue
            other = approved.setdefault(key, (concept, where))
            if other[0].id == concept.id:
                continue
            if _indistinguishable(other[0], concept):
                if (other[0].id, concept.id) not in reported:
                    reported.add((other[0].id, concept.id))
                    problems.append(error(
                        file, where, f"concept {concept.id} has the same approved terms as "
                        f"{other[0].id} ({other[1]}) in every language they share: merge the "
                        "duplicated entries"))
            else:
                problems.append(warning(
                    file, where, f"{term.text!r} is approved for concept {concept.id} and for "
                    f"{other[0].id} ({other[1]}), a homonym in this language: hits in "
                    f"{term.lang} text name {other[0].id}", term.lang))
    for key, (concept, term) in avoided.items():
        other = approved.get(key)
        if (other is not None and other[0].id != concept.id
                and any(_exact(t) == _exact(term) for t in other[0].terms_in(term.lang))):
            problems.append(error(
                file, other[1], f"{term.text!r} is approved for concept {other[0].id} but "
                f"{term.status} for {concept.id}: the checks would contradict each other",
                term.lang))


def _approved_by_language(concept: Concept) -> dict[str, set[str]]:
    result: dict[str, set[str]] = {}
    for term in concept.terms:
        if term.status.allowed:
            result.setdefault(term.lang, set()).add(term_identity(term))
    return result


def _indistinguishable(first: Concept, second: Concept) -> bool:
    """No shared language in which the two concepts' approved terms differ."""
    a, b = _approved_by_language(first), _approved_by_language(second)
    return all(a[lang] & b[lang] for lang in a.keys() & b.keys())


def check_files(files: Sequence[GlossaryFile]) -> tuple[list[list[Concept]], list[Problem]]:
    """Check each file, then what only shows across files (precedence hides the later one)."""
    cleaned: list[list[Concept]] = []
    problems: list[Problem] = []
    for file in files:
        concepts, file_problems = check_file(file)
        cleaned.append(concepts)
        problems.extend(file_problems)
    owner: dict[tuple[str, str], tuple[str, Concept]] = {}
    for file, concepts in zip(files, cleaned, strict=True):
        for concept in concepts:
            for term in concept.terms:
                if not term.status.allowed:
                    continue
                key = (term.lang, term_identity(term))
                earlier = owner.get(key)
                if earlier is not None and earlier[0] != file.path:
                    problems.append(warning(
                        file.path, f"concept {concept.id}", f"{term.text!r} is also approved "
                        f"for {earlier[1].id} in {earlier[0]}, which takes precedence",
                        term.lang))
                owner.setdefault(key, (file.path, concept))
    return cleaned, problems


def stem_collisions(concepts: Sequence[Concept], file: str) -> list[Problem]:
    """Different terms of different concepts that the matcher cannot tell apart after
    normalization and stemming ("delegate" / "delegation"): the earlier concept wins every
    such hit, which the author should know."""
    from hexaglot.glossary.normalize import tokens

    seen: dict[tuple[str, bool, tuple[str, ...]], tuple[Concept, Term]] = {}
    problems = []
    for concept in concepts:
        for term in concept.terms:
            exact = term.case_sensitive
            keys = tuple(t.exact if exact else t.key for t in tokens(term.text, term.lang))
            slot = (term.lang, exact, keys)
            earlier = seen.get(slot)
            if earlier is None:
                seen[slot] = (concept, term)
            elif earlier[0].id != concept.id and earlier[1].text != term.text:
                problems.append(warning(
                    file, f"concept {concept.id}", f"{term.text!r} and {earlier[1].text!r} "
                    f"({earlier[0].id}) are the same words once inflection is removed: the "
                    f"matcher reports {earlier[0].id} for both", term.lang))
    return problems
