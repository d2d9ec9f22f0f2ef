"""Glossary enforcement: machine translation that carries the approved terms, or says
plainly where it could not.

Works with any engine of :mod:`hexaglot.mt.base`. For each segment, in order, stopping as
soon as every controlled term of the source is rendered by its approved target term:

1. **engine**: the engine's own output already has the approved term;
2. **replaced**: the output has a forbidden or deprecated variant of the concept (the
   glossary says so), replaced by the approved term, in the same number, with the
   determiner in front made to agree;
3. **placeholder**: the source term is masked and the segment translated again. Where the
   language pair allows, the mask is a common noun of the target term's gender and number
   ("house"/"casa"/"maison" for a feminine term): the engine then makes articles,
   adjectives and participles agree with it, and the approved term takes its place. Other
   pairs get an opaque placeholder ``⟦n⟧``. A placeholder lost or duplicated means the
   attempt is thrown away, never emitted;
4. **repair**: the engine's rendering of the source term on its own ("ceremonia de
   fichaje") is looked for in the output and replaced;
5. **steered**: engines that can steer decoding (``translate_steered``) are asked again
   with the approved terms favoured and the forbidden ones banned.

Every attempt is checked with the target-language glossary matcher before it is accepted:
a strategy that "worked" but left no approved term in the text did not work. What is still
missing at the end is reported per term, and the reviewer sees it in the review document.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from hexaglot.document import InlineSpan
from hexaglot.glossary.match import TermMatch, TermMatcher
from hexaglot.glossary.model import Concept, Term
from hexaglot.glossary.normalize import tokens
from hexaglot.inline import apply_edits, tidy
from hexaglot.mt.agreement import (
    agree_determiner,
    gender,
    is_plural,
    match_case,
    pluralize,
    prepare_genders,
)
from hexaglot.mt.base import Engine, Translation


class Method(StrEnum):
    ENGINE = "engine"  # the engine produced the approved term by itself
    REPLACED = "replaced"  # a forbidden/deprecated target variant replaced
    PLACEHOLDER = "placeholder"  # masked, translated, approved term put in
    REPAIR = "repair"  # the engine's rendering of the term replaced
    STEERED = "steered"  # decoding steered towards the term
    NOT_ENFORCED = "not-enforced"  # no strategy got the term in: the reviewer must


@dataclass(frozen=True)
class TermOutcome:
    concept_id: str
    source: str  # the term as written in the source
    expected: str  # the approved target term (dictionary form)
    method: Method


@dataclass(frozen=True)
class EnforcedTranslation:
    text: str
    notes: tuple[str, ...] = ()
    outcomes: tuple[TermOutcome, ...] = ()
    # Forbidden target terms the engine produced that no source term asked for, replaced.
    replaced: tuple[tuple[str, str], ...] = field(default=())
    # Every glossary match in ``text``, so that the hit checks need not match it again.
    matches: tuple[TermMatch, ...] = field(default=(), compare=False, repr=False)
    # Inline codes over ``text`` when the engine carried them (None: it did not).
    spans: tuple[InlineSpan, ...] | None = None


# Nouns that the engine translates predictably, used as masks: (source forms per language,
# target forms per language), singular and plural. Each must translate to one known word
# in every pair Apertium covers, checked in tests; the set per gender allows several
# terms in one segment.
_CARRIERS = {
    "m": [
        {"en": ("book", "books"), "es": ("libro", "libros"), "fr": ("livre", "livres")},
        {"en": ("garden", "gardens"), "es": ("jardín", "jardines"),
         "fr": ("jardin", "jardins")},
        {"en": ("newspaper", "newspapers"), "es": ("periódico|diario", "periódicos|diarios"),
         "fr": ("journal|quotidien", "journaux|quotidiens")},
    ],
    "f": [
        {"en": ("house", "houses"), "es": ("casa", "casas"), "fr": ("maison", "maisons")},
        {"en": ("table", "tables"), "es": ("mesa", "mesas"), "fr": ("table", "tables")},
        {"en": ("window", "windows"), "es": ("ventana", "ventanas"),
         "fr": ("fenêtre", "fenêtres")},
        {"en": ("door", "doors"), "es": ("puerta", "puertas"), "fr": ("porte", "portes")},
        {"en": ("chair", "chairs"), "es": ("silla", "sillas"), "fr": ("chaise", "chaises")},
    ],
}
_CARRIER_LANGUAGES = {"en", "es", "fr"}
PLACEHOLDER = "⟦{}⟧"
_PLACEHOLDER = re.compile(r"⟦(\d+)⟧")
_BROKEN_PLACEHOLDER = re.compile(r"[⟦⟧]")


@dataclass
class _Want:
    """One source term that must come out as its approved target term."""

    hit: TermMatch
    term: Term  # the target term to use
    plural: bool


@dataclass
class _State:
    text: str
    wants: list[_Want]
    notes: tuple[str, ...] = ()  # the engine's notes on the translation kept
    methods: dict[int, Method] = field(default_factory=dict)  # index in wants -> method
    replaced: list[tuple[str, str]] = field(default_factory=list)
    spans: tuple[InlineSpan, ...] | None = None  # inline codes over ``text``, if carried


def target_term(concept: Concept, source_term: Term, target: str) -> Term | None:
    """The approved target term for a source term: an abbreviation for an abbreviation
    ("UNODC" -> "ONUDC") where the glossary has one, else the preferred term."""
    approved = concept.approved(target)
    if approved is None:
        return None
    if source_term.term_type in {"abbreviation", "acronym", "shortForm"}:
        for term in concept.terms_in(target):
            if term.status.allowed and term.term_type == source_term.term_type:
                return term
    return approved


def _full_form(concept: Concept, term: Term) -> str:
    """What gives an abbreviation its gender: its concept's full form ("la UNODC")."""
    if term.term_type in {"abbreviation", "acronym", "shortForm"}:
        approved = concept.approved(term.lang)
        if approved is not None:
            return approved.text
    return term.text


class Enforcer:
    """Glossary enforcement for one engine and one language pair."""

    def __init__(self, engine: Engine, source: str, target: str,
                 target_matcher: TermMatcher,
                 known_matches: dict[str, list[TermMatch]] | None = None) -> None:
        """``known_matches``: target texts already matched (by text), e.g. while the engine
        was still translating; matches found here are added to it."""
        self.engine = engine
        self.source = source
        self.target = target
        self.matcher = target_matcher
        self._renderings: dict[str, str] = {}
        self._matches: dict[str, list[TermMatch]] = \
            known_matches if known_matches is not None else {}

    def translate(self, texts: Sequence[str], hits: Sequence[Sequence[TermMatch]],
                  spans: Sequence[Sequence[InlineSpan]] | None = None,
                  ) -> list[EnforcedTranslation]:
        """Translate a batch with its source hits: one engine call, a second with only
        the segments the first left a term missing in (masked), and a third only for
        engines that steer.

        ``spans``: the inline codes of each text. Engines that carry them
        (``inline_codes``) get them with the texts; the codes the engine gives back follow
        every edit made here (:func:`hexaglot.inline.follow`) into the result's ``spans``.
        """
        states = [_State(text="", wants=self._wants(h)) for h in hits]
        prepare_genders((_full_form(w.hit.concept, w.term) for s in states for w in s.wants),
                        self.target)
        carry = spans is not None and getattr(self.engine, "inline_codes", False)
        spans = [tuple(s) for s in spans] if carry and spans is not None else None

        def codes(*lists: Sequence) -> dict:  # inline codes for the engine, if it takes them
            return {"spans": [c for codes in lists for c in codes]} if spans is not None else {}

        raw = self.engine.translate(texts, self.source, self.target, **codes(spans or ()))
        self._first_pass(raw, states)
        # Every term of a segment with one missing is masked, not only the missing one:
        # the engine, given different context, may lose a term it had rendered. (Masking
        # every segment with a term at once, in a second engine process beside the first
        # call, measured slower on two cores: the engine is CPU-bound.)
        open_ = {n: list(range(len(s.wants))) for n, s in enumerate(states) if self._open(s)}
        jobs, terms = self._masked_jobs(texts, states, open_, spans)
        # An engine that can continues in the first call's process (Apertium: no new
        # pipeline to start, and the follow-up's translation depends on this batch only).
        follow = ({"follows": (texts, spans)} if getattr(self.engine, "follows_up", False)
                  else {})
        outputs = (self.engine.translate(
            [*(job[1] for job in jobs), *terms], self.source, self.target,
            **codes([job[3] for job in jobs], [()] * len(terms)), **follow)
            if jobs or terms else [])
        masked = self._take(outputs, jobs, terms)
        self._placeholders(states, masked)
        self._repair(states)
        self._steer(texts, states)
        for state in states:
            self._fix_case(state)
        return [self._result(state) for state in states]

    def _first_pass(self, raw: Sequence[Translation], states: list[_State]) -> None:
        for output, state in zip(raw, states, strict=True):
            state.text, state.notes = output.text, output.notes
            state.spans = output.spans
            self._settle(state, Method.ENGINE)
            self._replace_forbidden(state)

    def _masked_jobs(self, texts: Sequence[str], states: list[_State],
                     which: dict[int, list[int]],
                     spans: Sequence[tuple[InlineSpan, ...]] | None = None,
                     ) -> tuple[list, list[str]]:
        """Segments with their terms masked (and their inline codes moved with the masks),
        and the terms on their own (for repair)."""
        jobs = []
        for number, indices in which.items():
            masked, masks, edits = self._mask(texts[number], states[number], indices)
            if masks:
                codes = apply_edits(texts[number], spans[number], edits)[1] if spans else ()
                jobs.append((number, masked, masks, codes))
        terms = sorted({states[n].wants[i].hit.surface for n, indices in which.items()
                        for i in indices} - set(self._renderings))
        return jobs, terms

    def _take(self, outputs: Sequence[Translation], jobs: list,
              terms: list[str]) -> dict[int, tuple[Translation, list]]:
        self._renderings.update(zip(terms, (o.text for o in outputs[len(jobs):]),
                                    strict=True))
        return {number: (output, masks)
                for (number, _, masks, _), output in zip(jobs, outputs, strict=False)}

    # -- what each segment needs --------------------------------------------------------

    def _wants(self, hits: Sequence[TermMatch]) -> list[_Want]:
        wants = []
        for hit in hits:
            term = target_term(hit.concept, hit.term, self.target)
            if term is not None:
                wants.append(_Want(hit, term, is_plural(hit.surface, hit.term.text,
                                                        self.source)))
        return wants

    def _met(self, text: str, wants: list[_Want]) -> set[int]:
        """Which wanted terms the text renders with an allowed term, each occurrence used
        once (two "Member States" in the source need two in the target). The very term
        wanted is looked for first, so that "UNODC" in the output is not taken for the
        full name that is missing beside it."""
        matches = self._all(text)
        used: set[int] = set()
        met: set[int] = set()
        for exact in (True, False):
            for index, want in enumerate(wants):
                if index in met:
                    continue
                for position, match in enumerate(matches):
                    if position not in used and any(
                            c.id == want.hit.concept.id and t.status.allowed
                            and (t == want.term or not exact) for c, t in match.candidates):
                        used.add(position)
                        met.add(index)
                        break
        return met

    def _fix_case(self, state: _State) -> None:
        """"Secrétaire Général" -> "Secrétaire général": an approved term found in other
        capitals is written as the glossary writes it (but for a capital opening a
        sentence)."""
        text = state.text
        allowed = {w.term.text.casefold(): w.term.text for w in state.wants}
        allowed.update({pluralize(w.term.text, self.target).casefold():
                        pluralize(w.term.text, self.target) for w in state.wants})
        edits = []
        for match in reversed(self._longest(text)):
            wanted = allowed.get(match.surface.casefold())
            if wanted is None or wanted == match.surface:
                continue
            sentence_start = not text[:match.start].strip() or \
                text[:match.start].rstrip()[-1:] in ".!?:"
            form = match_case(wanted, match.surface) if sentence_start else wanted
            text = text[:match.start] + form + text[match.end:]
            edits.append((match.start, match.end, form))
        self._edited(state, text, edits)

    def _all(self, text: str) -> list[TermMatch]:
        """Every term match in a target text, found once per text however often asked."""
        if text not in self._matches:
            if len(self._matches) > 16384:
                self._matches.clear()
            self._matches[text] = self.matcher.find_all(text)
        return self._matches[text]

    def _longest(self, text: str) -> list[TermMatch]:
        chosen, position = [], -1
        for match in self._all(text):
            if match.start >= position:
                chosen.append(match)
                position = match.end
        return chosen

    def _settle(self, state: _State, method: Method) -> None:
        for index in self._met(state.text, state.wants):
            state.methods.setdefault(index, method)

    def _open(self, state: _State) -> list[int]:
        return [i for i in range(len(state.wants)) if i not in state.methods]

    # -- 2. forbidden variants ----------------------------------------------------------

    def _replace_forbidden(self, state: _State) -> None:
        """Forbidden or deprecated target terms become the approved term of their concept,
        asked for or not: the desk never wants to publish them."""
        matches = [m for m in self._longest(state.text)
                   if not m.term.status.allowed and m.concept.approved(self.target)
                   and not _spelled_as_allowed(m, self.target)]
        if not matches:
            return
        text, edits = state.text, []
        for match in reversed(matches):
            approved = match.concept.approved(self.target)
            assert approved is not None
            plural = is_plural(match.surface, match.term.text, self.target)
            text = self._insert(text, match.start, match.end, approved.text, plural,
                                match.concept, edits)
            state.replaced.append((match.surface, approved.text))
        self._edited(state, text, edits)
        self._settle(state, Method.REPLACED)  # terms the engine had right stay its own

    def _insert(self, text: str, start: int, end: int, term: str, plural: bool,
                concept: Concept | None = None,
                edits: list[tuple[int, int, str]] | None = None) -> str:
        """``text`` with ``term`` in place of ``[start, end)`` and the determiner before it
        made to agree; ``edits`` gets the changes made (for the inline codes)."""
        written = text[start:end]
        form = pluralize(term, self.target) if plural else term
        sentence_start = not text[:start].strip() or text[:start].rstrip()[-1:] in ".!?:"
        if sentence_start:
            form = match_case(form, written)
        reference = _full_form(concept, _term_of(concept, term, self.target)) if concept else term
        before = agree_determiner(text[:start], reference, self.target, plural)
        if edits is not None:
            same = next((i for i, (a, b) in enumerate(zip(before, text, strict=False))
                         if a != b), min(len(before), start))
            if before != text[:start]:
                edits.append((same, start, before[same:]))
            edits.append((start, end, form))
        return before + form + text[end:]

    @staticmethod
    def _edited(state: _State, text: str, edits: list[tuple[int, int, str]]) -> None:
        """The state's text edited, its inline codes moved with the edits."""
        if state.spans is not None and edits:
            state.spans = apply_edits(state.text, state.spans, edits)[1]
        state.text = text

    # -- 3. placeholders ------------------------------------------------------------------

    def _placeholders(self, states: list[_State],
                      masked: dict[int, tuple[Translation, list]]) -> None:
        for number, (output, masks) in masked.items():
            state = states[number]
            if not self._open(state):
                continue
            edits: list[tuple[int, int, str]] = []
            filled = self._unmask(output.text, state, masks, edits)
            if filled is None or _BROKEN_PLACEHOLDER.search(filled):
                continue
            # A new translation: its own inline codes, moved with the terms put in.
            spans = None if output.spans is None else \
                apply_edits(output.text, output.spans, edits)[1]
            self._accept(state, filled, Method.PLACEHOLDER, spans, output.notes)

    def _mask(self, text: str, state: _State, open_: list[int]):
        """The source with each open term replaced by a carrier noun or a placeholder, the
        masks, and the edits made."""
        carriers_ok = {self.source, self.target} <= _CARRIER_LANGUAGES
        folded = text.casefold()
        free = {g: [c for c in cs if not _appears(c[self.source], folded)]
                for g, cs in _CARRIERS.items()}
        masks: list[tuple[int, object]] = []
        edits: list[tuple[int, int, str]] = []
        out = text
        for index in sorted(open_, key=lambda i: state.wants[i].hit.start, reverse=True):
            want = state.wants[index]
            hit = want.hit
            mask: object = len(masks)
            replacement = PLACEHOLDER.format(len(masks))
            # The carrier agrees with the target term, or with the source one into English.
            word_gender = (gender(_full_form(hit.concept, want.term), self.target)
                           or gender(hit.term.text, self.source) or "m")
            if carriers_ok and word_gender and free.get(word_gender):
                carrier = free[word_gender].pop(0)
                mask = carrier
                replacement = carrier[self.source][1 if want.plural else 0].split("|")[0]
                if hit.surface[:1].isupper() and hit.start == 0:
                    replacement = replacement.capitalize()
            masks.append((index, mask))
            edits.append((hit.start, hit.end, replacement))
            out = out[:hit.start] + replacement + out[hit.end:]
        return out, masks, edits

    def _unmask(self, output: str, state: _State, masks: list[tuple[int, object]],
                edits: list[tuple[int, int, str]] | None = None) -> str | None:
        """Approved terms in place of the masks, or None if a mask did not come through
        exactly once; ``edits`` gets the changes made."""
        spans = []
        for index, mask in masks:
            if isinstance(mask, int):
                found = [m for m in _PLACEHOLDER.finditer(output) if int(m.group(1)) == mask]
                plural = state.wants[index].plural
            else:
                singular, plural_forms = mask[self.target]
                found, plural = _find_forms(output, singular, plural_forms)
            if len(found) != 1:
                return None
            spans.append((found[0].start(), found[0].end(), index, plural))
        text = output
        for start, end, index, plural in sorted(spans, reverse=True):
            want = state.wants[index]
            text = self._insert(text, start, end, want.term.text, plural, want.hit.concept,
                                edits)
        return text

    def _accept(self, state: _State, text: str, method: Method,
                spans: tuple[InlineSpan, ...] | None,
                notes: tuple[str, ...] | None = None) -> None:
        """Take a new text (with its inline codes) if it renders every term the current
        one did, and more."""
        met_now = {i for i in state.methods if state.methods[i] is not Method.NOT_ENFORCED}
        met_new = self._met(text, state.wants)
        if met_new >= met_now and len(met_new) > len(met_now):
            state.text, state.spans = text, spans
            if notes is not None:
                state.notes = notes
            for index in met_new - met_now:
                state.methods[index] = method

    # -- 4. repair -------------------------------------------------------------------------

    def _repair(self, states: list[_State]) -> None:
        for state in states:
            for index in self._open(state):
                want = state.wants[index]
                rendering = self._renderings.get(want.hit.surface, "")
                span = _find_rendering(state.text, rendering, self.target)
                if span is None:
                    continue
                edits: list[tuple[int, int, str]] = []
                text = self._insert(state.text, span[0], span[1], want.term.text, want.plural,
                                    want.hit.concept, edits)
                spans = None if state.spans is None else \
                    apply_edits(state.text, state.spans, edits)[1]
                self._accept(state, text, Method.REPAIR, spans)

    # -- 5. steering -----------------------------------------------------------------------

    def _steer(self, texts: Sequence[str], states: list[_State]) -> None:
        steer = getattr(self.engine, "translate_steered", None)
        if steer is None:
            return
        jobs = [n for n, state in enumerate(states) if self._open(state)]
        if not jobs:
            return
        prefer = [[states[n].wants[i].term.text for i in self._open(states[n])] for n in jobs]
        avoid = [[t.text for i in self._open(states[n])
                  for t in states[n].wants[i].hit.concept.terms_in(self.target)
                  if not t.status.allowed] for n in jobs]
        outputs = steer([texts[n] for n in jobs], self.source, self.target,
                        prefer=prefer, avoid=avoid)
        for n, output in zip(jobs, outputs, strict=True):
            self._accept(states[n], output.text, Method.STEERED, output.spans, output.notes)

    # -- the result ------------------------------------------------------------------------

    def _result(self, state: _State) -> EnforcedTranslation:
        outcomes, notes = [], list(state.notes)
        for index, want in enumerate(state.wants):
            method = state.methods.get(index, Method.NOT_ENFORCED)
            outcomes.append(TermOutcome(want.hit.concept.id, want.hit.surface, want.term.text,
                                        method))
            if method is Method.NOT_ENFORCED:
                notes.append(f"Glossary: “{want.hit.surface}” should be “{want.term.text}”; "
                             "the engine's output could not be made to carry it: revise "
                             "this term by hand.")
        for surface, approved in state.replaced:
            notes.append(f"Glossary: the engine wrote the forbidden “{surface}”, replaced by "
                         f"“{approved}”.")
        if any(o.method is not Method.ENGINE and o.method is not Method.NOT_ENFORCED
               for o in outcomes) and self.target not in {"en", "es", "fr"}:
            notes.append("Glossary terms were put in their dictionary form: check case and "
                         "agreement around them.")
        spans = None if state.spans is None else tidy(state.spans, state.text, snap=True)
        return EnforcedTranslation(state.text, tuple(notes), tuple(outcomes),
                                   tuple(state.replaced), tuple(self._all(state.text)), spans)


def _spelled_as_allowed(match: TermMatch, lang: str) -> bool:
    """Whether a match whose keys a forbidden variant shares is spelled as an allowed term
    of the same concept (keys cannot tell "Estados Miembros" from "Estados miembro")."""
    folded = match.surface.casefold()
    return any(term.status.allowed and folded in {term.text.casefold(),
                                                  pluralize(term.text, lang).casefold()}
               for concept, term in match.candidates if concept.id == match.concept.id)


def _term_of(concept: Concept | None, text: str, lang: str) -> Term:
    if concept is not None:
        for term in concept.terms_in(lang):
            if term.text == text:
                return term
    return Term(text=text, lang=lang)


def _appears(forms: tuple[str, str], folded_text: str) -> bool:
    return any(re.search(rf"\b{re.escape(f)}\b", folded_text)
               for pair in forms for f in pair.split("|"))


def _find_forms(text: str, singular: str, plural: str):
    """Occurrences of a carrier's singular and plural forms, and whether the one found is
    plural."""
    found_singular = [m for f in singular.split("|")
                      for m in re.finditer(rf"\b{re.escape(f)}\b", text, re.IGNORECASE)]
    found_plural = [m for f in plural.split("|")
                    for m in re.finditer(rf"\b{re.escape(f)}\b", text, re.IGNORECASE)]
    if found_singular and found_plural:
        return found_singular + found_plural, False
    return (found_plural, True) if found_plural else (found_singular, False)


def _find_rendering(text: str, rendering: str, lang: str) -> tuple[int, int] | None:
    """Where the engine's rendering of a term occurs in a text, compared word by word on
    matching keys (so that "ceremonias de fichaje" is found for "ceremonia de fichaje");
    only a single occurrence counts."""
    wanted = [t.key for t in tokens(rendering, lang)]
    if not wanted:
        return None
    text_tokens = tokens(text, lang)
    keys = [t.key for t in text_tokens]
    found = [i for i in range(len(keys) - len(wanted) + 1) if keys[i:i + len(wanted)] == wanted]
    if len(found) != 1:
        return None
    first, last = text_tokens[found[0]], text_tokens[found[0] + len(wanted) - 1]
    return first.start, last.end
