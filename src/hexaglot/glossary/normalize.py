"""Turning text into comparable word keys, per language and script.

Both glossary terms and running text go through :func:`tokens`, so that "Estados
Miembros" meets "Estado Miembro", "государств-членов" meets "государства-члены",
"للدول الأعضاء" meets "الدول الأعضاء" and a full-width "ＵＮＯＤＣ" meets "UNODC". Keys are
Snowball stems of case-folded, script-normalized words; Chinese is keyed character by
character since it has no spaces. Case-sensitive terms (abbreviations) use the exact key.
"""

from __future__ import annotations

import contextlib
import functools
import re
import threading
import unicodedata
from typing import NamedTuple

import snowballstemmer

# Snowball, for words the lemma lexicons do not know (Arabic has its own light stemming).
_STEMMERS = {"en": "english", "fr": "french", "es": "spanish", "ru": "russian",
             "id": "indonesian"}

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Invisible characters that may sit inside a word (soft hyphen, zero-width space and
# joiners, word joiner): part of the token, dropped from its key.
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
# Combining marks are not \w to the re module, yet they belong to the word: decomposed
# (NFD) Vietnamese tones, Arabic harakat and shadda.
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
_TOKEN = re.compile(
    rf"[{_CJK}]|(?:[^\W{_CJK}]|[{_INVISIBLE}{_MARKS}])+|[-\u2010\u2011\u2012\u2013\u2014]"
)
_DROP_INVISIBLE = str.maketrans("", "", _INVISIBLE)
_HYPHENS = set("-\u2010\u2011\u2012\u2013\u2014")
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")  # harakat, dagger alef, tatweel
_ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})


class Token(NamedTuple):
    """A word of running text (a named tuple: texts have many, and they are made often)."""

    start: int
    end: int
    key: str  # normalized and stemmed: for case-insensitive matching
    exact: str  # normalized, case kept, not stemmed: for abbreviations


_THREAD = threading.local()


def _stemmer(lang: str):
    """This thread's stemmer for ``lang``: Snowball stemmers keep their state between calls,
    so two threads sharing one corrupt each other's words."""
    stemmers = _THREAD.__dict__.setdefault("stemmers", {})
    if lang not in stemmers:
        name = _STEMMERS.get(lang)
        stemmers[lang] = snowballstemmer.stemmer(name) if name else None
    return stemmers[lang]


@functools.lru_cache(maxsize=200_000)  # running text repeats its words
def _normalize_word(word: str, lang: str) -> str:
    word = unicodedata.normalize("NFKC", word.translate(_DROP_INVISIBLE)).replace("’", "'")
    if len(word) == 1 and "\u3400" <= word <= "\ufaff":
        return _simplified(word)
    if lang == "ar" or any("\u0600" <= char <= "\u06ff" for char in word):
        word = _ARABIC_MARKS.sub("", word).translate(_ARABIC_LETTERS)
    return word


@functools.cache
def _simplified(char: str) -> str:
    """Traditional Chinese characters read as simplified ones (OpenCC t2s, character by
    character so that offsets into the original text stay exact). UN Chinese is simplified;
    sources from Taiwan or Hong Kong are not, and their terms must still be found."""
    converted = _t2s().convert(char)
    return converted if len(converted) == 1 else char


@functools.lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


# Vietnamese writes the tone of "oa", "oe", "uy" on either vowel ("hoà"/"hòa", "thuỷ"/"thủy"),
# both correct and both common; keys put it on the first vowel.
_VI_TONES = "\u0300\u0301\u0303\u0309\u0323"
_VI_TONE_PLACEMENT = re.compile(f"(o)([ae])([{_VI_TONES}])|(u)(y)([{_VI_TONES}])")


def _vietnamese_tone_placement(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    moved = _VI_TONE_PLACEMENT.sub(
        lambda m: (m[1] + m[3] + m[2]) if m[1] else (m[4] + m[6] + m[5]), decomposed)
    return unicodedata.normalize("NFC", moved) if moved != decomposed else word


# Larkey's light10 prefixes: conjunctions and prepositions written attached to the word.
# Used by word_key, the glossary-independent key (duplicate checks, finding a rendering in a
# text); the matcher reads Arabic with arabic_readings and its glossary's own words instead.
_ARABIC_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
# Of light10's suffixes, only the inflectional ones: sound plurals, duals, the feminine
# ending. The nisba endings (ي, ية) are derivational: رئيسي "main" is not رئيس "president".
_ARABIC_SUFFIXES = ("ات", "ون", "ين", "ان", "ه")


def _strip_arabic_affixes(word: str) -> str:
    if len(word) > 3 and word[0] in "وف":
        word = word[1:]
    for prefix in _ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            word = word[len(prefix):]
            break
    for suffix in _ARABIC_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[:-len(suffix)]
    return word


# Arabic writes conjunctions (و, ف), prepositions (ب, ك, ل) and the article as one word with
# the noun, in that order: وبالفيروس = و + ب + ال + فيروس; ل + ال is written لل. Each prefix
# below is one such combination (normalized: ة is ه, أ is ا).
_AR_CLITICS = tuple(sorted({
    (conj + prep + article).replace("لال", "لل")
    for conj in ("", "و", "ف") for prep in ("", "ب", "ك", "ل") for article in ("", "ال")
}, key=len))
# Endings: sound plurals and duals (ات, تان and تين replace the feminine ة), and pronoun
# suffixes, before which ة is written ت (حكومة -> حكومتها "its government").
_AR_NUMBER = ("ات", "ون", "ين", "ان", "تان", "تين")
_AR_FEMININE_NUMBER = ("ات", "تان", "تين")
# Not ي "my": it is rare in the texts a desk translates and would make every nisba adjective
# a form of its noun (رئيسي "main" of رئيس "president", انتخابي "electoral").
_AR_PRONOUNS = ("ه", "ها", "هم", "هما", "هن", "ك", "كم", "كما", "كن", "نا")
_AR_MIN_STEM = 2


def _arabic_endings(rest: str):
    """(letters taken off, stem) for each reading of the end of ``rest``: as it is, without
    a number ending, without a pronoun suffix (also after a plural: حكوماتها), and without
    the alef of the accusative tanwin (لقاحاً, often written لقاحا)."""
    yield 0, rest
    for suffix in _AR_NUMBER:
        stem = rest[:-len(suffix)]
        if rest.endswith(suffix) and len(stem) >= _AR_MIN_STEM:
            yield len(suffix), stem
            if suffix in _AR_FEMININE_NUMBER:
                yield len(suffix), stem + "ة"
    for pronoun in _AR_PRONOUNS:
        base = rest[:-len(pronoun)]
        if not rest.endswith(pronoun) or len(base) < _AR_MIN_STEM:
            continue
        yield len(pronoun), base
        if base.endswith("ت") and len(base) > _AR_MIN_STEM:
            yield len(pronoun), base[:-1] + "ة"
        if base.endswith("ات") and len(base) - 2 >= _AR_MIN_STEM:
            yield len(pronoun) + 2, base[:-2]
            yield len(pronoun) + 2, base[:-2] + "ة"
    if rest.endswith("ا") and len(rest) > 3:
        yield 1, rest[:-1]


@functools.lru_cache(maxsize=200_000)
def arabic_readings(word: str) -> tuple[str, ...]:
    """Every way of reading an Arabic word as attached clitics + stem + inflectional ending,
    as normalized stems, the least taken off first: وباء gives وباء before باء, so a stem is
    only cut where the whole word is not itself a known word. Which reading is the word is
    decided by the matcher, against the words of its glossary. A final kasratan marks a
    defective noun that has lost its ي (تفشٍ, of تفشي)."""
    # ة is kept apart from ه here: the pronoun ه "his" is taken off, the feminine ة is not
    # (محافظة "province" is not محافظ "governor" + a pronoun).
    folded = _folded(word.replace("ة", "\ufdd0"), "ar").replace("\ufdd0", "ة")
    spellings = [folded]
    if word.endswith(("\u064d", "\u064d\u0651", "\u0651\u064d")) and folded[-1:] != "ة":
        spellings.append(folded + "ي")
    readings: dict[str, int] = {folded.replace("ة", "ه"): 0}
    for spelling in spellings:
        for prefix in _AR_CLITICS:
            rest = spelling[len(prefix):]
            if not spelling.startswith(prefix) or len(rest) < _AR_MIN_STEM:
                continue
            for taken, stem in _arabic_endings(rest):
                cost = len(prefix) + taken
                stem = stem.replace("ة", "ه")
                if readings.get(stem, cost + 1) > cost:
                    readings[stem] = cost
    return tuple(sorted(readings, key=readings.__getitem__))


def arabic_term_forms(word: str) -> tuple[str, ...]:
    """The stems a glossary word may take in text, the first being its key: the word itself
    without the article, as written, and its broken plurals (أنواع of نوع, محاكم of محكمة,
    from the Arramooz dictionary when it is installed)."""
    folded = _folded(word, "ar")
    bare = folded[2:] if folded.startswith("ال") and len(folded) - 2 >= _AR_MIN_STEM else folded
    return tuple(dict.fromkeys([bare, folded, *_arabic_broken_plurals().get(bare, ())]))


def arabic_feminine(key: str) -> str | None:
    """The feminine of an adjective that follows its noun in a term, which it takes after a
    feminine noun or a plural of things (المتنزهات الوطنية of متنزه وطني); None if it has it."""
    return None if key.endswith("ه") or not key else key + "ه"


@functools.lru_cache(maxsize=1)
def _arabic_broken_plurals() -> dict[str, tuple[str, ...]]:
    """Singular -> broken plurals, normalized, from Arramooz's noun dictionary (about 5,300
    nouns), or nothing when the optional package ``arramooz-pysqlite`` is not installed."""
    try:
        import arramooz
    except ImportError:
        return {}
    import sqlite3
    from pathlib import Path

    # A folder named arramooz on the path (a namespace package: no __file__) is not the
    # dictionary; nor is an installation without its data file.
    path = Path(getattr(arramooz, "__file__", None) or ".").parent / "data" / \
        "arabicdictionary.sqlite"
    if not path.is_file():
        return {}
    plurals: dict[str, set[str]] = {}
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        rows = db.execute("SELECT unvocalized, broken_plural FROM nouns "
                          "WHERE broken_plural != ''").fetchall()
    for singular, cell in rows:
        key = _folded(singular, "ar")
        for item in cell.split(";"):
            # "+ات" notes that the sound plural exists too; an item of several words is a
            # gloss ("مؤنث الجامع", feminine of ...), not a plural.
            words = [w for w in item.split() if not w.startswith("+")]
            if len(words) != 1 or not all("\u0621" <= c <= "\u0652" for c in words[0]):
                continue
            plural = _folded(words[0], "ar")
            if plural.startswith("ال"):
                plural = plural[2:]
            # Plurals in ى (مرضى, هرمى) are left out: with ى read as ي they would be
            # nisba adjectives (هرمي "pyramidal"), far more frequent in running text.
            if len(plural) >= 3 and plural != key and not plural.endswith("ي"):
                plurals.setdefault(key, set()).add(plural)
    return {key: tuple(sorted(value)) for key, value in plurals.items()}


# Languages whose words are keyed by their dictionary lemma (simplemma's lexicons, built
# from Wiktionary and UD treebanks). A lemma joins inflections only: "Estados" and "Estado",
# "государств" and "государство", but not "diabetic" and "diabetes", nor es "especias"
# (spices) and "especies" (species), which a stemmer cuts to the same stem. Words the
# lexicon does not know (new coinages, names) fall back to the Snowball stem.
_LEMMATIZED = ("en", "fr", "es", "ru", "id")
NORMALIZATION_VERSION = "5"  # part of the compiled-index cache key


def _folded(word: str, lang: str) -> str:
    """Normalized and case-folded; Russian ё read as е, as most Russian text writes it."""
    word = _normalize_word(word, lang).casefold()
    return word.replace("ё", "е") if lang == "ru" else word


@functools.lru_cache(maxsize=200_000)
def word_key(word: str, lang: str) -> str:
    """The case-folded, normalized lemma or stem of one word."""
    word = _folded(word, lang)
    if lang == "vi":
        word = _vietnamese_tone_placement(word)
    if word in _HYPHENS:
        return "-"
    if lang == "ar":
        return _strip_arabic_affixes(word)
    if lang == "en":
        return "=" + _english_singular(word)
    if lang in _LEMMATIZED and _known(word, lang):
        lemma = _lemma(word, lang)
        if _plausible_lemma(word, lemma, lang):
            return "=" + lemma
    return _stem(word, lang)


# English terms are nouns (UN bodies, titles, treaty terms), and English nouns inflect only
# for number and possession. A lexicon would also take verbs and derived nouns to their
# root ("reported" and "reports" -> "report", "meeting" and "met" -> "meet"), which made
# every "she reported" a hit for the concept "report": English is keyed by noun inflection
# alone.
_ENGLISH_IRREGULAR_PLURALS = {
    "men": "man", "women": "woman", "children": "child", "feet": "foot", "teeth": "tooth",
    "mice": "mouse", "geese": "goose", "criteria": "criterion", "phenomena": "phenomenon",
    "chairmen": "chairman", "chairwomen": "chairwoman", "spokesmen": "spokesman",
    "spokeswomen": "spokeswoman", "businessmen": "businessman", "lives": "life",
    "wives": "wife", "halves": "half", "leaves": "leaf", "selves": "self",
}
_ENGLISH_SAME_IN_PLURAL = {
    # plural-only nouns, which are not the plural of the adjective or noun before the s
    "olympics", "paralympics", "athletics", "politics", "economics", "ethics", "physics",
    "mathematics", "customs", "arms", "goods", "premises", "proceeds", "remains",
    "savings", "thanks", "earnings", "surroundings", "outskirts", "whereabouts",
    # not nouns
    "series", "species", "news", "headquarters", "means", "this",
                           "its", "his", "hers", "ours", "yours", "theirs", "was", "has",
                           "does", "is", "as", "us", "yes", "always", "perhaps", "across",
                           "whereas", "thus", "less", "unless", "aids", "gas", "bus"}


def _english_singular(word: str) -> str:
    for suffix in ("'s", "s'"):
        if word.endswith(suffix) and len(word) > 3:
            word = word[:-2] if suffix == "'s" else word[:-1]
            break
    if word in _ENGLISH_IRREGULAR_PLURALS:
        return _ENGLISH_IRREGULAR_PLURALS[word]
    if len(word) <= 3 or word in _ENGLISH_SAME_IN_PLURAL or not word.endswith("s") \
            or word.endswith(("ss", "us", "is")):
        return word
    # The lexicon knows the irregular -es plurals (viruses, crises, heroes); it is taken
    # only when its lemma is the singular of a plural, never a verb's root.
    if _known(word, "en"):
        lemma = _lemma(word, "en")
        if lemma != word and (lemma in (word[:-1], word[:-2], word[:-3] + "y")
                              or (word.endswith("es") and lemma[:-2] == word[:-4])):
            return lemma
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "zes", "sses")):
        return word[:-2]
    return word[:-1]


def _plausible_lemma(word: str, lemma: str, lang: str) -> bool:
    """Whether a lexicon's lemma can be the word's own. simplemma's Russian lexicon carries
    about 1,000 pairs taken from multi-word entries, one word mapped to the other
    ("действующий" -> "вулкан", of "действующий вулкан"; "Карского" -> "моря"): a lemma
    that does not even begin with the word's letter is such a pair, and the word falls back
    to its stem. True suppletion (люди -> человек) is lost with them; terms seldom depend on
    it. Other languages are left alone: Indonesian prefixes (menuduh -> tuduh) change the
    first letter, and the en/fr/es mismatches are real (is -> be, ira -> aller)."""
    return lang != "ru" or lemma[:1] == word[:1]


@functools.lru_cache(maxsize=50_000)
def term_word_keys(word: str, lang: str) -> tuple[str, ...]:
    """The keys a glossary word may take in running text. A lexicon gives one lemma per
    form, sometimes of another part of speech (es "Estado" -> "estar", the participle);
    the plural "Estados" still lemmatizes to "estado", so the word itself is also a key."""
    key = word_key(word, lang)
    if not key.startswith("="):
        return (key,)
    own = _folded(word, lang)
    keys = [key] if key == "=" + own else [key, "=" + own]
    return tuple(dict.fromkeys(keys + _homonymous_lemmas(own, key, lang)))


# Russian masculine nouns without an ending (парк "park") share most plural and some oblique
# forms with the feminine or neuter noun on the same stem (парка "parka": парки, парках),
# and the lexicon files those forms under the other one.
_SHARED_FORM_ENDINGS = {"ru": ("а", "у", "е", "ы", "и", "ов", "ам", "ами", "ах", "ой", "ом")}
_OTHER_GENDER_ENDINGS = {"ru": ("а", "я", "о")}


# Russian feminine nouns in -ия share their oblique forms with the masculine noun in -ий
# (Франции, Францию -> франций "francium", for the term Франция).
_IA_FORM_ENDINGS = ("ии", "ию", "ией")


def _homonymous_lemmas(word: str, key: str, lang: str) -> list[str]:
    """Lemmas the lexicon gives to inflected forms of a glossary word when it files them
    under a noun of another gender on the same stem (парках -> парка for the term парк,
    Франции -> франций for Франция)."""
    if lang == "ru" and word.endswith("ия") and len(word) > 3:
        other = "=" + word[:-2] + "ий"
        if other != key and any(_known(word[:-2] + ending, lang)
                                and word_key(word[:-2] + ending, lang) == other
                                for ending in _IA_FORM_ENDINGS):
            return [other]
        return []
    if lang not in _SHARED_FORM_ENDINGS or _stem(word, lang) != word:
        return []
    others = {"=" + word + ending for ending in _OTHER_GENDER_ENDINGS[lang]}
    found = []
    for ending in _SHARED_FORM_ENDINGS[lang]:
        form = word + ending
        if _known(form, lang):
            other = word_key(form, lang)
            if other != key and other in others and other not in found:
                found.append(other)
    return found


def _stem(word: str, lang: str) -> str:
    stemmer = _stemmer(lang)
    if stemmer is None or len(word) < 3:
        return word
    return stemmer.stemWord(word) or word


def _known(word: str, lang: str) -> bool:
    import simplemma

    return simplemma.is_known(word, lang=lang)


def _lemma(word: str, lang: str) -> str:
    import simplemma

    lemma = simplemma.lemmatize(word, lang=lang).casefold()
    return lemma.replace("ё", "е") if lang == "ru" else lemma  # as _folded reads the text


# A word's (key, exact form), by language. Running text repeats its words, and this
# lookup, once per word, is most of what reading a text costs: a plain dict is a fifth
# faster than an lru_cache of (word, language). Emptied when it grows past the limit.
_WORD_KEYS: dict[str, dict[str, tuple[str, str]]] = {}
_WORD_KEYS_LIMIT = 200_000


def _token_keys(word: str, lang: str) -> tuple[str, str]:
    """A word's (key, exact form)."""
    known = _WORD_KEYS.setdefault(lang, {})
    keys = known.get(word)
    if keys is None:
        if len(known) >= _WORD_KEYS_LIMIT:
            known.clear()
        keys = known[word] = (word_key(word, lang),
                              "-" if word in _HYPHENS else _normalize_word(word, lang))
    return keys


def clear_word_keys() -> None:
    """Forget every word's keys (benchmarks start their passes cold)."""
    _WORD_KEYS.clear()


def tokens(text: str, lang: str) -> list[Token]:
    """Words (and hyphens, which distinguish "Secretary-General" from "Secretary General")."""
    known = _WORD_KEYS.get(lang) or {}
    make = tuple.__new__  # Token(...) goes through a Python-level __new__: a third slower
    result = []
    for match in _TOKEN.finditer(text):
        word = match.group()
        keys = known.get(word) or _token_keys(word, lang)
        result.append(make(Token, (match.start(), match.end(), *keys)))
    if lang in ("id", "ms"):
        result = _merge_reduplication(result)
    return result


def _merge_reduplication(words: list[Token]) -> list[Token]:
    """Indonesian makes plurals by repeating the word ("negara-negara anggota", Member
    States): one token spanning both halves, keyed as the singular."""
    merged: list[Token] = []
    index = 0
    while index < len(words):
        token = words[index]
        if (index + 2 < len(words) and words[index + 1].key == "-"
                and words[index + 2].key == token.key and token.key != "-"
                and words[index + 1].start == token.end
                and words[index + 2].start == words[index + 1].end):
            merged.append(Token(token.start, words[index + 2].end, token.key, token.exact))
            index += 3
            continue
        merged.append(token)
        index += 1
    return merged
