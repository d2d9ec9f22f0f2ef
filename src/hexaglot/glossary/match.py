"""Finding glossary terms in text: one pass, whatever the glossary's size.

Every term of a language is compiled into an Aho-Corasick automaton over word keys (see
:mod:`hexaglot.glossary.normalize`), so matching costs the same for 150 concepts or for
UNTERM's 85,000. Matches respect word boundaries because keys are joined by a separator
that cannot occur inside a key.
"""

from __future__ import annotations

from dataclasses import dataclass

import ahocorasick

from hexaglot.glossary.model import Concept, Glossary, Term
from hexaglot.glossary.normalize import Token, term_word_keys, tokens

_SEP = "\x1f"


@dataclass(frozen=True)
class TermMatch:
    """A term found in text; ``candidates`` lists every (concept, term) it can stand for,
    in glossary precedence order."""

    start: int
    end: int
    surface: str
    candidates: tuple[tuple[Concept, Term], ...]

    @property
    def concept(self) -> Concept:
        return self.candidates[0][0]

    @property
    def term(self) -> Term:
        return self.candidates[0][1]


class TermMatcher:
    """All terms of one language, ready to search texts in that language."""

    def __init__(self, glossary: Glossary, lang: str) -> None:
        self.lang = lang
        self._folded = ahocorasick.Automaton()
        self._exact = ahocorasick.Automaton()
        entries: dict[tuple[bool, str], list[tuple[Concept, Term]]] = {}
        for concept in glossary.concepts:
            for term in concept.terms_in(lang):
                term_tokens = tokens(term.text, lang)
                if not term_tokens:
                    continue
                exact = term.case_sensitive
                if exact:
                    variants = [[t.exact for t in term_tokens]]
                else:
                    words = [term.text[t.start:t.end] for t in term_tokens]
                    variants = _key_variants([term_word_keys(w, lang) for w in words])
                for keys in variants:
                    pattern = _SEP + _SEP.join(keys) + _SEP
                    candidates = entries.setdefault((exact, pattern), [])
                    if (concept, term) not in candidates:
                        candidates.append((concept, term))
        for (exact, pattern), candidates in entries.items():
            automaton = self._exact if exact else self._folded
            automaton.add_word(pattern, (len(pattern), pattern.count(_SEP) - 1, tuple(candidates)))
        self.size = len(entries)
        for automaton in (self._folded, self._exact):
            if len(automaton):
                automaton.make_automaton()

    def find_all(self, text: str) -> list[TermMatch]:
        """Every match, overlapping ones included (for checking a target)."""
        text_tokens = tokens(text, self.lang)
        if not text_tokens:
            return []
        matches: list[TermMatch] = []
        for automaton, attribute in ((self._folded, "key"), (self._exact, "exact")):
            if not len(automaton):
                continue
            haystack, token_at = _haystack(text_tokens, attribute)
            for end_index, (length, count, candidates) in automaton.iter(haystack):
                first = token_at[end_index - length + 1]
                last = first + count - 1
                start, end = text_tokens[first].start, text_tokens[last].end
                surface = text[start:end]
                matches.append(TermMatch(start, end, surface, _closest_first(surface, candidates)))
        matches.sort(key=lambda m: (m.start, -(m.end - m.start)))
        return matches

    def find(self, text: str) -> list[TermMatch]:
        """Longest-leftmost matches that do not overlap (the hits of a source text)."""
        chosen: list[TermMatch] = []
        position = -1
        for match in self.find_all(text):
            if match.start >= position:
                chosen.append(match)
                position = match.end
        return chosen


def _key_variants(alternatives: list[tuple[str, ...]], limit: int = 16) -> list[list[str]]:
    """Every combination of each word's keys (most words have one), at most ``limit``."""
    variants: list[list[str]] = [[]]
    for options in alternatives:
        variants = [[*v, o] for v in variants for o in options][:limit]
    return variants


def _haystack(text_tokens: list[Token], attribute: str) -> tuple[str, dict[int, int]]:
    """Keys joined by separators, and which token starts after each separator."""
    parts = [_SEP]
    token_at: dict[int, int] = {}
    position = 0
    for index, token in enumerate(text_tokens):
        token_at[position] = index
        key = getattr(token, attribute)
        parts.append(key + _SEP)
        position += len(key) + 1
    return "".join(parts), token_at


def _closest_first(surface: str, candidates: tuple[tuple[Concept, Term], ...]):
    """Put the candidates written exactly as the surface first, keeping precedence otherwise.

    Stems cannot tell a forbidden "Estados miembro" from the approved "Estados Miembros";
    the literal spelling can.
    """
    folded = surface.casefold()
    exact = [c for c in candidates if c[1].text == surface]
    same_case_fold = [c for c in candidates if c[1].text.casefold() == folded and c not in exact]
    rest = [c for c in candidates if c not in exact and c not in same_case_fold]
    return tuple(exact + same_case_fold + rest)
