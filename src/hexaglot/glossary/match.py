"""Finding glossary terms in text: one pass, whatever the glossary's size.

Every term of a language is compiled into an Aho-Corasick automaton over word keys (see
:mod:`hexaglot.glossary.normalize`), so matching costs the same for 150 concepts or for
UNTERM's 85,000. Matches respect word boundaries because keys are joined by a separator
that cannot occur inside a key.

Arabic attaches conjunctions, prepositions, the article and pronouns to the word, and a
stem cut by rule alone breaks words that begin or end with those letters (وباء is not و +
باء). Its words are therefore keyed against the glossary: every reading of a text word
(:func:`~hexaglot.glossary.normalize.arabic_readings`) is looked up among the forms of the
glossary's own words, least taken off first.

A term written inside a hyphenated compound is a different word (генерал-губернатор is not
a губернатор, интернет-материалы are not the Internet, vice-premier ministre is not a
Premier ministre), so such matches are dropped; hyphens inside the term itself are kept.

A concept may list exclusions, set phrases in which its term has another sense (ru "вид
спорта" for the concept "species", whose term is "вид"). They are keyed like terms, by the
same normalization and inflection (Arabic phrase words are read as text is, so "من نوعه"
also covers "من نوعها"), in an automaton of their own. A match of the concept's term that
lies inside a match of one of its exclusions is not that concept; other concepts' terms in
the same place are untouched. A language without exclusions pays nothing, and a text is
searched for exclusions only when it holds a term of a concept that has some.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

import ahocorasick

from hexaglot.glossary.model import Concept, Glossary, Term
from hexaglot.glossary.normalize import (
    Token,
    arabic_feminine,
    arabic_readings,
    arabic_term_forms,
    term_word_keys,
    tokens,
)

_SEP = "\x1f"
_HYPHEN_KEY = "-"
# Languages keyed against the glossary's words rather than by a stemmer or lexicon alone.
_READ_AGAINST_GLOSSARY = ("ar",)


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
        # Arabic: each form a glossary word may take in text -> that word's key.
        self._forms: dict[str, str] = {}
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
                    if lang in _READ_AGAINST_GLOSSARY:
                        variants = _key_variants(self._register_forms(words))
                    else:
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
        # The first word of every term: a text with none of them has no match, and most
        # texts are such (more than half of a press text; 98% for the exact terms).
        self._first_words = {
            exact: frozenset(pattern.split(_SEP, 2)[1] for e, pattern in entries if e == exact)
            for exact in (False, True)}
        # Exclusions: built only where a concept of this language has some.
        self._exclusions: ahocorasick.Automaton | None = None
        self._excluding: frozenset[str] = frozenset()  # ids of the concepts that have some
        self._exclusion_forms: dict[str, str] = {}  # Arabic: forms of non-term phrase words
        self._compile_exclusions(glossary)

    def _compile_exclusions(self, glossary: Glossary) -> None:
        entries: dict[str, set[str]] = {}
        for concept in glossary.concepts:
            phrases = concept.exclusions_in(self.lang)
            if not phrases or not concept.terms_in(self.lang):
                continue
            for phrase in phrases:
                phrase_tokens = tokens(phrase.text, self.lang)
                if self.lang in _READ_AGAINST_GLOSSARY:
                    alternatives = [self._exclusion_word_keys(phrase.text, t)
                                    for t in phrase_tokens]
                else:
                    alternatives = [term_word_keys(phrase.text[t.start:t.end], self.lang)
                                    for t in phrase_tokens]
                if not alternatives:
                    continue
                for keys in _key_variants(alternatives):
                    pattern = _SEP + _SEP.join(keys) + _SEP
                    entries.setdefault(pattern, set()).add(concept.id)
        if not entries:
            return
        self._exclusions = ahocorasick.Automaton()
        for pattern, ids in entries.items():
            self._exclusions.add_word(pattern, (len(pattern), pattern.count(_SEP) - 1,
                                                frozenset(ids)))
        self._exclusions.make_automaton()
        self._excluding = frozenset().union(*entries.values())

    def _exclusion_word_keys(self, phrase: str, token: Token) -> tuple[str, ...]:
        """An Arabic word of an exclusion phrase, read as a text word is: as a form of a
        glossary word where one of its readings is one (نوعها is نوع + a pronoun suffix),
        else as a word of its own, whose forms are recorded for the exclusion pass only, so
        that exclusions never change how text is read for terms. Such a word also takes the
        feminine, as a term's adjectives do (فريد من نوعه covers فريدة من نوعها)."""
        if token.key == _HYPHEN_KEY:
            return (_HYPHEN_KEY,)
        readings = arabic_readings(phrase[token.start:token.end])
        known = next((self._forms[r] for r in readings if r in self._forms), None)
        if known is not None:
            return (known,)
        forms = arabic_term_forms(phrase[token.start:token.end])
        key = next((self._exclusion_forms[f] for f in forms if f in self._exclusion_forms),
                   forms[0])
        feminine = arabic_feminine(forms[0])
        for form in (*forms, *([feminine] if feminine else [])):
            self._exclusion_forms.setdefault(form, key)
        return (key,)

    def _register_forms(self, words: list[str]) -> list[tuple[str, ...]]:
        """The keys of a glossary term's words, recording the forms each may take in text;
        a word after the first may also take the feminine (adjectives agree)."""
        keys: list[tuple[str, ...]] = []
        for position, word in enumerate(words):
            forms = arabic_term_forms(word)
            if forms[0] == _HYPHEN_KEY:
                keys.append((_HYPHEN_KEY,))
                continue
            # Forms shared with a word registered before (الأطلسي, أطلسي) share its key.
            key = next((self._forms[f] for f in forms if f in self._forms), forms[0])
            for form in forms:
                self._forms.setdefault(form, key)
            feminine = arabic_feminine(forms[0]) if position else None
            if feminine:
                keys.append((key, self._forms.setdefault(feminine, feminine)))
            else:
                keys.append((key,))
        return keys

    def _text_keys(self, text: str, text_tokens: list[Token]) -> list[str]:
        if self.lang not in _READ_AGAINST_GLOSSARY:
            return [t.key for t in text_tokens]
        keys = []
        for token in text_tokens:
            if token.key == _HYPHEN_KEY:
                keys.append(_HYPHEN_KEY)
                continue
            readings = arabic_readings(text[token.start:token.end])
            known = next((self._forms[r] for r in readings if r in self._forms), None)
            # A word none of whose readings is a glossary form gets a key no term has.
            keys.append(known if known is not None else "\x00" + token.exact)
        return keys

    def find_all(self, text: str) -> list[TermMatch]:
        """Every match, overlapping ones included (for checking a target); a term inside
        an exclusion phrase of its concept is not that concept's."""
        text_tokens = tokens(text, self.lang)
        if not text_tokens:
            return []
        folded_keys = self._text_keys(text, text_tokens)
        matches: list[TermMatch] = []
        for exact, automaton, keys in ((False, self._folded, folded_keys),
                                       (True, self._exact, [t.exact for t in text_tokens])):
            if self._first_words[exact].isdisjoint(keys):
                continue
            haystack, token_at = _haystack(keys)
            for end_index, (length, count, candidates) in automaton.iter(haystack):
                first = token_at[end_index - length + 1]
                last = first + count - 1
                if _inside_hyphenated_compound(text, text_tokens, first, last):
                    continue
                start, end = text_tokens[first].start, text_tokens[last].end
                surface = text[start:end]
                matches.append(TermMatch(start, end, surface, _closest_first(surface, candidates)))
        if self._exclusions is not None and matches:
            matches = self._without_excluded(text, text_tokens, folded_keys, matches)
        matches.sort(key=lambda m: (m.start, -(m.end - m.start)))
        return matches

    def _without_excluded(self, text: str, text_tokens: list[Token], folded_keys: list[str],
                          matches: list[TermMatch]) -> list[TermMatch]:
        """The matches less the candidates whose concept has an exclusion phrase around the
        match; a match with no candidate left is dropped. Exclusions are searched for only
        when a match can stand for a concept that has some."""
        if not any(concept.id in self._excluding
                   for match in matches for concept, _ in match.candidates):
            return matches
        keys = folded_keys
        if self.lang in _READ_AGAINST_GLOSSARY and self._exclusion_forms:
            keys = [self._exclusion_key(text, token, key)
                    for token, key in zip(text_tokens, folded_keys, strict=True)]
        haystack, token_at = _haystack(keys)
        spans = []
        for end_index, (length, count, ids) in self._exclusions.iter(haystack):
            first = token_at[end_index - length + 1]
            spans.append((text_tokens[first].start, text_tokens[first + count - 1].end, ids))
        if not spans:
            return matches
        kept = []
        for match in matches:
            candidates = tuple(
                candidate for candidate in match.candidates
                if not any(start <= match.start and match.end <= end and candidate[0].id in ids
                           for start, end, ids in spans))
            if len(candidates) == len(match.candidates):
                kept.append(match)
            elif candidates:
                kept.append(replace(match, candidates=candidates))
        return kept

    def _exclusion_key(self, text: str, token: Token, key: str) -> str:
        """An Arabic text word's key for the exclusion pass: its key for terms when it has
        one, else the form of a phrase word it can be read as."""
        if not key.startswith("\x00"):
            return key
        readings = arabic_readings(text[token.start:token.end])
        return next((self._exclusion_forms[r] for r in readings if r in self._exclusion_forms),
                    key)

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


def _haystack(keys: list[str]) -> tuple[str, dict[int, int]]:
    """Keys joined by separators, and which token starts after each separator."""
    starts = itertools.accumulate((len(key) + 1 for key in keys[:-1]), initial=0)
    return _SEP + _SEP.join(keys) + _SEP, dict(zip(starts, range(len(keys)), strict=True))


_COMPOUNDING_HYPHENS = ("-", "\u2010", "\u2011")  # not dashes: "government—with"


def _inside_hyphenated_compound(text: str, text_tokens: list[Token], first: int,
                                last: int) -> bool:
    """Whether tokens first..last are joined by a hyphen, without spaces, to a word before
    or after them (генерал-[губернатора], [интернет]-материалы)."""
    def joined(hyphen: int, word: int) -> bool:
        if not (0 <= hyphen < len(text_tokens) and 0 <= word < len(text_tokens)):
            return False
        dash, other = text_tokens[hyphen], text_tokens[word]
        touching = dash.end == other.start if word > hyphen else other.end == dash.start
        return (text[dash.start:dash.end] in _COMPOUNDING_HYPHENS
                and other.key != _HYPHEN_KEY and touching)

    before = first > 0 and text_tokens[first - 1].end == text_tokens[first].start
    after = last + 1 < len(text_tokens) and text_tokens[last].end == text_tokens[last + 1].start
    return (before and joined(first - 1, first - 2)) or (after and joined(last + 1, last + 2))


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
