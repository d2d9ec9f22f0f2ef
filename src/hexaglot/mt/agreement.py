"""Putting an approved term into a sentence so that the sentence still reads: number,
capitals, and the determiner in front of it.

A glossary gives a term in its dictionary form ("Estado Miembro", "cérémonie de
signature"); a sentence needs "los Estados Miembros", "l'Organisation", "la ciberdelincuencia"
where the engine wrote "el cibercrimen". The rules here are the ones a reviser applies by
reflex in Spanish, French and English. Grammatical gender comes from Apertium's own
morphological analysers where they are installed (they know "ceremonia" is feminine), and
from word endings otherwise. For languages with no rule here (Arabic, Russian: case and
agreement reach well beyond the term), the term goes in as the glossary writes it and the
reviewer is told.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

INFLECTED_LANGUAGES = frozenset({"en", "es", "fr"})  # where number and determiners are handled

# Words after which a multiword term's nouns stop taking the plural: "heads of delegation",
# "ceremonias de firma", "chefs de délégation".
_LINKS = {
    "en": {"of", "for", "on", "against", "in", "to", "and", "with", "by", "from", "at"},
    "es": {"de", "del", "contra", "sobre", "para", "por", "en", "a", "al", "con", "sin",
           "entre", "ante", "y", "e"},
    "fr": {"de", "du", "des", "d", "contre", "sur", "pour", "par", "en", "à", "au", "aux",
           "avec", "sans", "entre", "auprès", "dans", "et"},
}
# Words inside the part that takes the plural which stay as they are ("organizaciones no
# gubernamentales", "países menos adelantados", "pays les moins avancés").
_INVARIABLE = {
    "en": set(),
    "es": {"no", "más", "menos", "muy", "o", "u"},
    "fr": {"non", "plus", "moins", "très", "ou", "les", "le", "la"},
}
_WORD = re.compile(r"[^\W\d_][\w'’-]*")

_ANALYSERS = {
    "es": "/usr/share/apertium/apertium-eng-spa/spa-eng.automorf.bin",
    "fr": "/usr/share/apertium/apertium-fr-es/fr-es.automorf.bin",
}
_FEMININE_ENDINGS = {
    "es": ("a", "ión", "dad", "tad", "tud", "umbre", "ez", "sis"),
    "fr": ("ion", "té", "ence", "ance", "ie", "ure", "ette", "elle", "ise", "ade", "ée"),
}


def _words_before_link(words: list[str], lang: str) -> int:
    links = _LINKS.get(lang, set())
    for index, word in enumerate(words):
        if index and word.casefold().rstrip("'’") in links:
            return index
    return len(words)


def plural_word(word: str, lang: str) -> str:
    """The regular plural of one word; abbreviations and already-plural forms stay as they are."""
    if not word or (word.isupper() and len(word) > 1):
        return word
    lower = word.casefold()
    if lang == "en":
        if lower.endswith(("s", "x", "z", "ch", "sh")):
            return word + "es"
        if lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
            return word[:-1] + "ies"
        return word + "s"
    if lang == "es":
        if lower.endswith(("s", "x")) and not lower.endswith(("és", "ís", "ás", "ós", "ús")):
            return word  # la crisis, las crisis
        if lower.endswith("z"):
            return word[:-1] + "ces"
        if lower.endswith(("ión", "ón", "án", "én", "ín", "és", "ás", "ís", "ós", "ús")):
            if lower[-2] in "íú" and len(lower) > 2 and lower[-3] in "aeiou":  # hiatus: países
                return word + "es"
            unaccented = word[:-2] + _unaccent(word[-2]) + word[-1]
            return unaccented + "es"
        if lower[-1] in "aeiouáéó":
            return word + "s"
        return word + "es"
    if lang == "fr":
        if lower.endswith(("s", "x", "z")):
            return word
        if lower.endswith(("eau", "au", "eu")):
            return word + "x"
        if lower.endswith("al") and lower not in {"bal", "carnaval", "festival", "récital"}:
            return word[:-2] + "aux"
        return word + "s"
    return word


def _unaccent(char: str) -> str:
    return {"á": "a", "é": "e", "í": "i", "ó": "o", "ú": "u"}.get(char, char)


def pluralize(term: str, lang: str) -> str:
    """A term in the plural: every word before the first link in Spanish and French
    ("Estados Miembros", "Secrétaires généraux"), the head noun in English ("heads of
    delegation", "Member States")."""
    if lang not in INFLECTED_LANGUAGES:
        return term
    matches = list(_WORD.finditer(term))
    words = [m.group() for m in matches]
    stop = _words_before_link(words, lang)
    if stop == 0:
        return term
    invariable = _INVARIABLE.get(lang, set())
    targets = [stop - 1] if lang == "en" else [
        i for i in range(stop) if words[i].casefold() not in invariable]
    out = term
    for index in sorted(targets, reverse=True):
        match = matches[index]
        out = out[:match.start()] + plural_word(match.group(), lang) + out[match.end():]
    return out


def is_plural(surface: str, term: str, lang: str) -> bool:
    """Whether ``surface`` is ``term`` in the plural ("Member States" for "Member State")."""
    if lang not in INFLECTED_LANGUAGES:
        return False
    if surface.casefold() == term.casefold():
        return False
    plural = pluralize(term, lang).casefold()
    if plural != term.casefold() and surface.casefold() == plural:
        return True
    surface_words = [w.casefold() for w in _WORD.findall(surface)]
    term_words = [w.casefold() for w in _WORD.findall(term)]
    if not surface_words or not term_words:
        return False
    head = _words_before_link(term_words, lang) - 1 if lang == "en" else 0
    head = min(head, len(surface_words) - 1)
    word, base = surface_words[head], term_words[min(head, len(term_words) - 1)]
    return word != base and word in {plural_word(base, lang), base + "s", base + "es"}


def head_noun(term: str, lang: str) -> str:
    """The word that gives a term its gender: the first noun in Spanish and French."""
    words = _WORD.findall(term)
    if not words:
        return term
    return words[0] if lang in {"es", "fr"} else words[-1]


def gender(term: str, lang: str) -> str | None:
    """'m' or 'f' for the term's head noun, or None where the language has no such rule."""
    if lang not in {"es", "fr"}:
        return None
    word = head_noun(term, lang)
    if word not in _GENDERS.setdefault(lang, {}):
        _analyse(lang, (word,))  # normally looked up in advance, many at a time
    return _GENDERS.setdefault(lang, {}).get(word) or _guess_gender(word, lang)


def prepare_genders(terms: Iterable[str], lang: str) -> None:
    """Look up the genders of many terms in one analyser call (a process start each)."""
    if lang in _ANALYSERS:
        _analyse(lang, tuple(sorted({head_noun(t, lang) for t in terms})))


# Genders found by the analysers, per language: word -> "m", "f", or "" (not known).
_GENDERS: dict[str, dict[str, str]] = {}


def _analyse(lang: str, words: tuple[str, ...]) -> None:
    known = _GENDERS.setdefault(lang, {})
    wanted = [w for w in words if w not in known]
    analyser = _ANALYSERS.get(lang)
    for word in wanted:
        known.setdefault(word, "")  # looked up once, found or not
    if not wanted or not analyser or not Path(analyser).exists() or not shutil.which("lt-proc"):
        return
    try:
        result = subprocess.run(["lt-proc", analyser], input="\n".join(wanted) + "\n",
                                capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return
    for word, analysis in zip(wanted, re.findall(r"\^[^$]*\$", result.stdout), strict=False):
        noun = re.search(r"<n>(?:<(m|f|mf)>)", analysis)
        if noun and noun.group(1) in {"m", "f"}:
            known[word] = noun.group(1)



def _guess_gender(word: str, lang: str) -> str:
    return "f" if word.casefold().endswith(_FEMININE_ENDINGS.get(lang, ())) else "m"


def match_case(term: str, written: str) -> str:
    """The term capitalised where the text it replaces started a sentence with a capital."""
    if written[:1].isupper() and term[:1].islower():
        return term[:1].upper() + term[1:]
    return term


# Determiners that agree with the noun after them: word -> (kind, gender, number).
_DETERMINERS = {
    "es": {
        "el": ("def", "m", "sg"), "la": ("def", "f", "sg"), "los": ("def", "m", "pl"),
        "las": ("def", "f", "pl"), "un": ("indef", "m", "sg"), "una": ("indef", "f", "sg"),
        "unos": ("indef", "m", "pl"), "unas": ("indef", "f", "pl"),
        "del": ("de+def", "m", "sg"), "al": ("a+def", "m", "sg"),
        "este": ("dem", "m", "sg"), "esta": ("dem", "f", "sg"), "estos": ("dem", "m", "pl"),
        "estas": ("dem", "f", "pl"), "nuestro": ("our", "m", "sg"),
        "nuestra": ("our", "f", "sg"), "nuestros": ("our", "m", "pl"),
        "nuestras": ("our", "f", "pl"),
    },
    "fr": {
        "le": ("def", "m", "sg"), "la": ("def", "f", "sg"), "les": ("def", "", "pl"),
        "l'": ("def", "", "sg"), "l’": ("def", "", "sg"),
        "un": ("indef", "m", "sg"), "une": ("indef", "f", "sg"),
        "du": ("de+def", "m", "sg"), "au": ("a+def", "m", "sg"), "aux": ("a+def", "", "pl"),
        "ce": ("dem", "m", "sg"), "cet": ("dem", "m", "sg"), "cette": ("dem", "f", "sg"),
        "ces": ("dem", "", "pl"),
    },
}
_FORMS = {
    "es": {
        ("def", "m", "sg"): "el", ("def", "f", "sg"): "la", ("def", "m", "pl"): "los",
        ("def", "f", "pl"): "las", ("indef", "m", "sg"): "un", ("indef", "f", "sg"): "una",
        ("indef", "m", "pl"): "unos", ("indef", "f", "pl"): "unas",
        ("de+def", "m", "sg"): "del", ("de+def", "f", "sg"): "de la",
        ("de+def", "m", "pl"): "de los", ("de+def", "f", "pl"): "de las",
        ("a+def", "m", "sg"): "al", ("a+def", "f", "sg"): "a la",
        ("a+def", "m", "pl"): "a los", ("a+def", "f", "pl"): "a las",
        ("dem", "m", "sg"): "este", ("dem", "f", "sg"): "esta", ("dem", "m", "pl"): "estos",
        ("dem", "f", "pl"): "estas", ("our", "m", "sg"): "nuestro",
        ("our", "f", "sg"): "nuestra", ("our", "m", "pl"): "nuestros",
        ("our", "f", "pl"): "nuestras",
    },
    "fr": {
        ("def", "m", "sg"): "le", ("def", "f", "sg"): "la", ("def", "m", "pl"): "les",
        ("def", "f", "pl"): "les", ("indef", "m", "sg"): "un", ("indef", "f", "sg"): "une",
        ("indef", "m", "pl"): "des", ("indef", "f", "pl"): "des",
        ("de+def", "m", "sg"): "du", ("de+def", "f", "sg"): "de la",
        ("de+def", "m", "pl"): "des", ("de+def", "f", "pl"): "des",
        ("a+def", "m", "sg"): "au", ("a+def", "f", "sg"): "à la",
        ("a+def", "m", "pl"): "aux", ("a+def", "f", "pl"): "aux",
        ("dem", "m", "sg"): "ce", ("dem", "f", "sg"): "cette", ("dem", "m", "pl"): "ces",
        ("dem", "f", "pl"): "ces",
    },
}
_ELIDED = {("def", "sg"): "l'", ("de+def", "sg"): "de l'", ("a+def", "sg"): "à l'"}
_VOWEL_START = re.compile(r"[aeiouyàâäéèêëîïôöûüœæh]", re.IGNORECASE)
_PREVIOUS = re.compile(r"(?:^|(?<=[\s(«\"“]))((?:de |a |à )?)([^\W\d_]+['’]?)(\s*)$",
                       re.IGNORECASE)


def agree_determiner(before: str, term: str, lang: str, plural: bool) -> str:
    """``before`` (the text up to the term) with its last determiner agreeing with the term:
    "el" + "ciberdelincuencia" -> "la", "la" + "Organisation" -> "l'", "del" -> "de la"."""
    table = _DETERMINERS.get(lang)
    term_gender = gender(term, lang)
    if not table or term_gender is None:
        return before
    match = _PREVIOUS.search(before)
    if not match:
        return before
    preposition, word, space = match.group(1), match.group(2), match.group(3)
    features = table.get(word.casefold())
    if features is None:
        return before
    kind = features[0]
    if preposition and kind == "def":
        kind = "de+def" if preposition.strip().casefold() == "de" else "a+def"
    elif preposition:
        return before  # "de un", "a una": the preposition stays, only the article agrees
    number = "pl" if plural else "sg"
    form = _FORMS[lang].get((kind, term_gender, number))
    if form is None:
        return before
    if lang == "fr" and number == "sg" and _VOWEL_START.match(term):
        form = _ELIDED.get((kind, number), "cet" if kind == "dem" and term_gender == "m" else form)
    if word[:1].isupper() or (preposition[:1].isupper()):
        form = form[:1].upper() + form[1:]
    joiner = "" if form.endswith("'") else (space or " ")
    return before[:match.start()] + form + joiner
