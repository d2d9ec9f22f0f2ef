"""Turning text into comparable word keys, per language and script.

Both glossary terms and running text go through :func:`tokens`, so that "Estados
Miembros" meets "Estado Miembro", "государств-членов" meets "государства-члены",
"للدول الأعضاء" meets "الدول الأعضاء" and a full-width "ＵＮＯＤＣ" meets "UNODC". Keys are
Snowball stems of case-folded, script-normalized words; Chinese is keyed character by
character since it has no spaces. Case-sensitive terms (abbreviations) use the exact key.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Token:
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


# Languages whose words are keyed by their dictionary lemma (simplemma's lexicons, built
# from Wiktionary and UD treebanks). A lemma joins inflections only: "Estados" and "Estado",
# "государств" and "государство", but not "diabetic" and "diabetes", nor es "especias"
# (spices) and "especies" (species), which a stemmer cuts to the same stem. Words the
# lexicon does not know (new coinages, names) fall back to the Snowball stem.
_LEMMATIZED = ("en", "fr", "es", "ru", "id")
NORMALIZATION_VERSION = "2"  # part of the compiled-index cache key


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
    if lang in _LEMMATIZED and _known(word, lang):
        return "=" + _lemma(word, lang)
    return _stem(word, lang)


@functools.lru_cache(maxsize=50_000)
def term_word_keys(word: str, lang: str) -> tuple[str, ...]:
    """The keys a glossary word may take in running text. A lexicon gives one lemma per
    form, sometimes of another part of speech (es "Estado" -> "estar", the participle);
    the plural "Estados" still lemmatizes to "estado", so the word itself is also a key."""
    key = word_key(word, lang)
    if not key.startswith("="):
        return (key,)
    own = _folded(word, lang)
    return (key,) if key == "=" + own else (key, "=" + own)


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

    return simplemma.lemmatize(word, lang=lang).casefold()


def tokens(text: str, lang: str) -> list[Token]:
    """Words (and hyphens, which distinguish "Secretary-General" from "Secretary General")."""
    result = []
    for match in _TOKEN.finditer(text):
        word = match.group()
        exact = "-" if word in _HYPHENS else _normalize_word(word, lang)
        result.append(Token(match.start(), match.end(), word_key(word, lang), exact))
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
