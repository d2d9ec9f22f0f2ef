"""The programme's own words in the booth's language: names, titles, countries, venues.

Where each rendering comes from, best first:

1. the glossary, for person and country names and official titles (a speaker's title and
   country are looked up together first, "President" + "Viet Nam" as "President of Viet
   Nam", whose Chinese is 越南国家主席, not 总统); the booth gets the approved term, a
   woman's title in its feminine form where the glossary admits one ("Directrice
   exécutive"), an abbreviation where the programme wrote one ("UNODC" -> "ONUDC");
2. the programme's own Translations table (titles, venues, groups of participants);
3. machine translation, glossary enforced, where an engine covers the pair (session titles,
   venues, participants; never names or official titles), marked as such;
4. the text as written, flagged: "no approved Arabic form".

Names and titles are never machine-translated: an interpreter needs the approved form or to
know there is none.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from hexaglot.briefing.localize import colon, label, language_name
from hexaglot.briefing.programme import _TITLE_WORDS, Programme, Speaker, text_key
from hexaglot.glossary.index import GlossaryIndex
from hexaglot.glossary.model import Concept, Term, TermStatus

PERSON_SUBJECTS = frozenset({"person", "people", "persons"})
COUNTRY_SUBJECTS = frozenset({"country", "countries", "member-state", "place"})
# Concepts listed among the proper names of a pack rather than among its terms.
NAME_SUBJECTS = PERSON_SUBJECTS | COUNTRY_SUBJECTS
_GENDER = re.compile(r"gender\s*:\s*(female|male|woman|man)", re.IGNORECASE)
# A feminine title is the masculine one with its first word ending so (fr, es, ar).
_FEMININE = {"fr": (("teur", "trice"), ("eur", "euse"), ("ier", "ière"), ("er", "ère"),
                    ("f", "ve"), ("", "e")),
             "es": (("o", "a"), ("", "a")),
             "ar": (("", "ة"),)}

# translate(text, source, target) -> (translation, engine) or None where no engine covers it
Translator = Callable[[str, str, str], "tuple[str, str] | None"]


@dataclass(frozen=True)
class Rendered:
    """A text in the booth's language and where it came from."""

    text: str
    origin: str  # glossary, programme, mt, as-written
    concept_id: str = ""
    note: str = ""  # the booth term's note (pronunciation) or why it is as written
    flag: str = ""  # what the interpreter should know: no approved form, machine translation

    @property
    def approved(self) -> bool:
        return self.origin in ("glossary", "programme")


def is_title_concept(concept: Concept) -> bool:
    if "title" in concept.subject:
        return True
    return any(term.text.split()[0].lower() in _TITLE_WORDS
               for term in concept.terms_in("en") if term.text.split())


def concept_gender(concept: Concept) -> str | None:
    match = _GENDER.search(f"{concept.note}\n{concept.definition}")
    if not match:
        return None
    return "female" if match.group(1).lower() in ("female", "woman") else "male"


def feminine_term(concept: Concept, lang: str) -> Term | None:
    """The admitted feminine form of a title ("Représentante permanente" for "Représentant
    permanent"), or None when the glossary gives none or the approved form already is."""
    preferred = concept.approved(lang)
    if preferred is None or lang not in _FEMININE:
        return None
    first = preferred.text.split()[0].casefold()
    for term in concept.terms_in(lang):
        if term is preferred or not term.status.allowed or not term.text.split():
            continue
        word = term.text.split()[0].casefold()
        for ending, feminine in _FEMININE[lang]:
            if first.endswith(ending) and word == first[:len(first) - len(ending)] + feminine:
                return term
    return None


def _fold(text: str) -> str:
    return text_key(text)


def _unaccented(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", _fold(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("đ", "d")


class GlossaryLookup:
    """Whole phrases of the programme ("Executive Director", "Lương Cường", "UNODC") found
    among the glossary's terms in any language, in glossary precedence order."""

    def __init__(self, index: GlossaryIndex) -> None:
        self.index = index
        self._exact: dict[str, list[tuple[Concept, Term]]] = {}
        self._loose: dict[str, list[tuple[Concept, Term]]] = {}
        for concept in index.glossary.concepts:
            for term in concept.terms:
                self._exact.setdefault(_fold(term.text), []).append((concept, term))
                self._loose.setdefault(_unaccented(term.text), []).append((concept, term))

    def find(self, text: str, lang: str | None = None) -> tuple[Concept, Term] | None:
        """The concept whose term is exactly ``text`` (case, spaces, and for names accents
        aside), allowed terms first; else one term of ``lang`` spanning the whole text in
        any inflection ("Permanent Representatives")."""
        text = text.strip()
        if not text:
            return None
        for table, key in ((self._exact, _fold(text)), (self._loose, _unaccented(text))):
            found = table.get(key)
            if found:
                allowed = [pair for pair in found if pair[1].status.allowed]
                return (allowed or found)[0]
        if lang:
            matches = self.index.matcher(lang).find(text)
            if len(matches) == 1 and matches[0].start == 0 and \
                    len(text[matches[0].end:].strip(" .")) == 0:
                return matches[0].concept, matches[0].term
        return None

    def classify(self, text: str) -> str | None:
        """"person", "title", "other" (some other concept), or None (unknown)."""
        found = self.find(text)
        if found is None:
            return None
        concept = found[0]
        if concept.subject in PERSON_SUBJECTS:
            return "person"
        return "title" if is_title_concept(concept) else "other"


def render_concept(concept: Concept, lang: str, *, gender: str | None = None,
                   abbreviation: bool = False) -> Rendered | None:
    """The approved term of ``concept`` in ``lang`` (its feminine form for a woman, its
    abbreviation where one was asked for); None when the glossary has none."""
    term = concept.approved(lang)
    if term is None:
        return None
    if abbreviation:
        short = [t for t in concept.terms_in(lang) if t.status.allowed and
                 t.term_type in ("abbreviation", "acronym", "shortForm")]
        term = short[0] if short else term
    elif gender == "female":
        term = feminine_term(concept, lang) or term
    return Rendered(term.text, "glossary", concept.id, note=term.note)


def forbidden_forms(concept: Concept, lang: str) -> list[str]:
    return [t.text for t in concept.terms_in(lang)
            if t.status in (TermStatus.FORBIDDEN, TermStatus.DEPRECATED)]


def _looks_abbreviated(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters) and " " not in text.strip()


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:] if text[:1].islower() else text


class Renderer:
    """Renders one programme's texts into booth languages (thread-safe, cached)."""

    def __init__(self, programme: Programme, lookup: GlossaryLookup,
                 translate: Translator | None = None) -> None:
        self.programme = programme
        self.lookup = lookup
        self.translate = translate
        self._cache: dict[tuple[str, str, bool], Rendered] = {}
        self._lock = threading.Lock()

    # ------------------------------------------------------------ free text

    def text(self, text: str, lang: str, *, machine: bool = True) -> Rendered:
        """A title, venue or group of participants in ``lang`` (see the module docstring)."""
        key = (text, lang, machine)
        with self._lock:
            if key in self._cache:
                return self._cache[key]
        rendered = self._text(text, lang, machine)
        with self._lock:
            self._cache[key] = rendered
        return rendered

    def _text(self, text: str, lang: str, machine: bool) -> Rendered:
        source = self.programme.lang
        if not text:
            return Rendered("", "as-written")
        if lang == source:
            return Rendered(text, "programme")
        given = self.programme.translation(text, lang)
        if given:
            return Rendered(given, "programme")
        whole = self._glossary_phrase(text, lang)
        if whole is not None:
            return whole
        if ":" in text:  # "Thematic panel: international cooperation", part by part
            parts = [self._approved_part(part.strip(), lang) for part in text.split(":")]
            if all(parts):
                return Rendered(colon(lang).join(p for p in parts if p), "glossary")
        if machine and self.translate is not None:
            translated = self.translate(text, source, lang)
            if translated is not None:
                output, engine = translated
                return Rendered(output, "mt", note=engine, flag=label(lang, "machine"))
        terms = self.terms_in(text, lang)
        flag = label(lang, "untranslated", language=language_name(lang, lang))
        if terms:
            flag += f"; {label(lang, 'terms_in')}{colon(lang)}{terms}"
        return Rendered(text, "as-written", flag=flag)

    def _approved_part(self, text: str, lang: str) -> str | None:
        """A part of a title from the glossary or the programme's table, else None."""
        found = self._glossary_phrase(text, lang)
        return found.text if found is not None else self.programme.translation(text, lang)

    def _glossary_phrase(self, text: str, lang: str) -> Rendered | None:
        found = self.lookup.find(text, self.programme.lang)
        if found is None:
            return None
        rendered = render_concept(found[0], lang)
        if rendered is None:
            return None
        return Rendered(_capitalized(rendered.text) if text[:1].isupper() else rendered.text,
                        "glossary", rendered.concept_id)

    def terms_in(self, text: str, lang: str) -> str:
        """"signing segment → séance de signature; ..." for the glossary terms in ``text``."""
        matcher = self.lookup.index.matcher(self.programme.lang)
        pairs = []
        for match in matcher.find(text):
            target = match.concept.approved(lang)
            if target is not None:
                pairs.append(f"{match.surface} → {target.text}")
        return "; ".join(dict.fromkeys(pairs))

    # ------------------------------------------------------------ speakers

    def speaker(self, speaker: Speaker, lang: str) -> SpeakerLine:
        flags: list[str] = []
        person = self.lookup.find(speaker.name, self.programme.lang) if speaker.name else None
        if person is not None and person[0].subject not in PERSON_SUBJECTS:
            person = None
        gender = speaker.gender or (concept_gender(person[0]) if person else None)
        language = language_name(lang, lang)
        if not speaker.name:
            name = Rendered("", "as-written", flag=label(lang, "name_tbc"))
        elif person is None:
            name = Rendered(speaker.name, "as-written", flag=label(lang, "not_in_glossary"))
        else:
            name = render_concept(person[0], lang) or Rendered(
                speaker.name, "as-written", person[0].id,
                flag=label(lang, "no_approved", language=language))
        if name.flag:
            flags.append(name.flag)
        original = self._original(speaker, person[0] if person else None, name, lang)
        title = self._title(speaker, lang, gender)
        affiliation = self._official(speaker.affiliation, lang) if speaker.affiliation else None
        role = self._official(speaker.role, lang, gender=gender) if speaker.role else None
        for part, what in ((title, speaker.title), (affiliation, speaker.affiliation),
                           (role, speaker.role)):
            if part is not None and part.flag:
                flags.append(f"{what}: {part.flag}")
        return SpeakerLine(speaker, name, original, title, affiliation, role, tuple(flags),
                           gender)

    def _original(self, speaker: Speaker, person: Concept | None, name: Rendered,
                  lang: str) -> str:
        """How the name is written at home and said: the booth term's note (pronunciation),
        the Vietnamese spelling of a Vietnamese name, the programme's spelling."""
        parts = []
        if name.note:
            parts.append(name.note)
        elif person is not None and name.origin == "as-written":
            # no form for this booth: the programme language's note (tones, pronunciation)
            home = person.approved(self.programme.lang)
            if home is not None and home.note:
                parts.append(home.note)
        if person is not None:
            native = [t.text for t in person.terms_in("vi") if t.status.allowed]
            if native and native[0] != name.text and not any(native[0] in p for p in parts):
                parts.append(native[0])
        if speaker.name and speaker.name != name.text and \
                not any(speaker.name in p for p in parts):
            parts.append(speaker.name)
        return "; ".join(parts)

    def _title(self, speaker: Speaker, lang: str, gender: str | None) -> Rendered | None:
        if not speaker.title:
            return None
        candidates = []
        if speaker.affiliation and self.programme.lang == "en":
            candidates += [f"{speaker.title} of {speaker.affiliation}",
                           f"{speaker.title} of the {speaker.affiliation}"]
        candidates.append(speaker.title)
        for candidate in candidates:
            found = self.lookup.find(candidate, self.programme.lang)
            if found is not None and found[0].subject not in NAME_SUBJECTS:
                rendered = render_concept(found[0], lang, gender=gender)
                if rendered is not None:
                    return rendered
                return Rendered(speaker.title, "as-written", found[0].id, flag=label(
                    lang, "no_approved", language=language_name(lang, lang)))
        return self._official(speaker.title, lang, gender=gender)

    def _official(self, text: str, lang: str, *, gender: str | None = None) -> Rendered:
        """A country, organization, title or role: glossary, the programme's table, or as
        written, flagged; never machine-translated."""
        found = self.lookup.find(text, self.programme.lang)
        language = language_name(lang, lang)
        if found is not None:
            rendered = render_concept(found[0], lang, gender=gender,
                                      abbreviation=_looks_abbreviated(text))
            if rendered is not None:
                return rendered
            return Rendered(text, "as-written", found[0].id,
                            flag=label(lang, "no_approved", language=language))
        if lang == self.programme.lang:
            return Rendered(text, "programme")
        given = self.programme.translation(text, lang)
        if given:
            return Rendered(given, "programme")
        return Rendered(text, "as-written", flag=label(lang, "not_in_glossary"))


@dataclass(frozen=True)
class SpeakerLine:
    speaker: Speaker
    name: Rendered
    original: str  # spelling at home, pronunciation
    title: Rendered | None
    affiliation: Rendered | None
    role: Rendered | None
    flags: tuple[str, ...]
    gender: str | None = None
