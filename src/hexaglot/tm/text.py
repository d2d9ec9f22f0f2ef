"""How the translation memory reads a segment: its keys, its variables and its index terms.

Three keys per source segment, from strict to loose:

``norm``
    the text with runs of whitespace made one space and the ends trimmed. Two segments with
    the same ``norm`` are the same segment: an exact match (100, or 101 in context). Case
    and punctuation stay significant ("Member States" is not "member states").
``masked``
    ``norm`` with every *variable* replaced by a sentinel: numbers by ``\\ue000``, inline
    codes (``⟦n⟧`` placeholders, ``{0}``, ``%s``, tags, URLs, e-mail addresses) by
    ``\\ue001``. Fuzzy scores are computed on it, so "in 2024" and "in 2025" read alike and
    the number that changed costs a small penalty instead (as in Trados or memoQ).
``loose``
    ``masked`` case-folded, without punctuation and with whitespace collapsed: segments
    that differ only in case, punctuation or variables share it, which lets a lookup find
    them with one indexed query however large the memory.

Index terms (for the fuzzy candidate index) are per script: words cut to their first six
letters in Latin and Cyrillic text (so that "конвенции" and "конвенцию", "delegate" and
"delegates" meet); Arabic words with diacritics and tatweel removed, alef, ya and ta
marbuta forms unified and the article and one-letter proclitics (و ف ب ك ل, ال) taken off
before the cut; Chinese as overlapping pairs of Han characters, the usual unit of Chinese
retrieval when words are not delimited. Numbers and codes are never terms: they change from
one document to the next.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache

from hexaglot.checks.markup import find_codes
from hexaglot.checks.numbers import _TOKEN as NUMBER_TOKEN
from hexaglot.checks.numbers import normalize_digits, readings, valid_in
from hexaglot.languages import LANGUAGES

NUMBER_SENTINEL = "\ue000"
# Every code of hexaglot.checks.markup holds one of these; its full pattern is slow, and
# most segments hold none.
_MAY_HOLD_CODES = re.compile(r"[⟦@<{%]|://|www\.", re.IGNORECASE)
CODE_SENTINEL = "\ue001"


def normalize_space(text: str) -> str:
    """The exact-match key: whitespace runs as one space, ends trimmed; nothing else."""
    return " ".join(text.split())


@dataclass(frozen=True)
class Variable:
    """A number or an inline code of a segment: text a CAT tool treats as a placeable."""

    kind: str  # "number", or the code kind of hexaglot.checks.markup (placeholder, url...)
    text: str
    start: int
    end: int
    value: Decimal | None = None  # numbers: the value as the segment's language reads it

    @property
    def key(self) -> object:
        """What two variables must share to be "the same": a number's value (so "2,500"
        and "2500" in English are equal), a code's exact text."""
        return self.value if self.value is not None else self.text


def _number_value(raw: str, lang: str) -> Decimal | None:
    """The value of a digit token as ``lang`` writes numbers ("2,500" is 2500 in en and 2.5
    in fr); the first reading when the locale allows none, None when there is no reading."""
    options = readings(raw)
    for reading in options:
        if valid_in(reading, lang):
            return reading.value
    return options[0].value if options else None


def find_variables(text: str, lang: str) -> list[Variable]:
    """The codes and numbers of ``text``, in order of appearance. Digits inside a code
    (⟦3⟧, a URL) are part of the code, not numbers."""
    found = [Variable(code.kind, code.text, code.start, code.end) for code in find_codes(text)
             ] if _MAY_HOLD_CODES.search(text) else []
    spans = [(v.start, v.end) for v in found]
    normalized = normalize_digits(text)
    for match in NUMBER_TOKEN.finditer(normalized):
        start, end = match.span()
        if any(s <= start < e or s < end <= e for s, e in spans):
            continue
        found.append(Variable("number", text[start:end], start, end,
                              _number_value(match.group(), lang)))
    if len(found) > 1:
        found.sort(key=lambda v: v.start)
    return found


def mask(text: str, variables: list[Variable]) -> str:
    """``text`` with each variable replaced by its sentinel character."""
    parts: list[str] = []
    last = 0
    for variable in variables:
        parts.append(text[last:variable.start])
        parts.append(NUMBER_SENTINEL if variable.kind == "number" else CODE_SENTINEL)
        last = variable.end
    parts.append(text[last:])
    return "".join(parts)


@cache
def _punctuation() -> re.Pattern[str]:
    """One character class of every punctuation character (categories P*) of the Basic
    Multilingual Plane, as ranges: a regex pass instead of a category lookup per
    character."""
    ranges: list[list[int]] = []
    for code in range(0x10000):
        if unicodedata.category(chr(code)).startswith("P"):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return re.compile("[" + "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a
                                                         else "")
                                    for a, b in ranges) + "]")


def without_punctuation(text: str) -> str:
    """``text`` with punctuation as spaces and whitespace collapsed (case kept)."""
    return " ".join(_punctuation().sub(" ", text).split())


def loose_key(masked: str) -> str:
    """``masked`` case-folded, punctuation dropped, whitespace collapsed."""
    return without_punctuation(masked.casefold())


@dataclass(frozen=True)
class SegmentKeys:
    norm: str
    masked: str
    loose: str
    variables: tuple[Variable, ...]


def segment_keys(text: str, lang: str) -> SegmentKeys:
    norm = normalize_space(text)
    variables = find_variables(norm, lang)
    masked = mask(norm, variables)
    return SegmentKeys(norm, masked, loose_key(masked), tuple(variables))


# ---------------------------------------------------------------- index terms

_PREFIX = 6  # letters kept of a word: enough to tell words apart, short of most endings
_WORD = re.compile(r"[^\W\d_]+")  # runs of letters (digits are variables, never terms)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_AR_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_AR_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه",
                             "ؤ": "و", "ئ": "ي"})
_AR_PROCLITICS = ("وال", "فال", "بال", "كال", "لل", "ال", "و", "ف", "ب", "ك", "ل")


def _arabic_stem(word: str) -> str:
    word = _AR_DIACRITICS.sub("", word).translate(_AR_LETTERS)
    for prefix in _AR_PROCLITICS:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            word = word[len(prefix):]
            break
    return word[:5]


def index_terms(masked: str, lang: str) -> set[str]:
    """The index terms of a segment (its ``masked`` key), as described in the module doc."""
    text = unicodedata.normalize("NFC", masked).casefold()
    arabic = lang == "ar"
    if arabic:  # marks would cut words in two (they are not letters to the word pattern)
        text = _AR_DIACRITICS.sub("", text)
    terms: set[str] = set()
    language = LANGUAGES.get(lang)
    if language is not None and not language.spaced:
        for run in _HAN.findall(text):
            if len(run) == 1:
                terms.add(run)
            terms.update(run[i:i + 2] for i in range(len(run) - 1))
        text = _HAN.sub(" ", text)
    for word in _WORD.findall(text):
        if arabic and "\u0600" <= word[0] <= "\u06ff":
            terms.add(_arabic_stem(word))
        elif len(word) > 1:
            terms.add(word[:_PREFIX])
    terms.discard("")
    return terms


def stable_hash(text: str) -> int:
    """64 bits of BLAKE2b as a signed integer (SQLite's INTEGER): the same in every process
    and every Python, unlike hash()."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big",
                          signed=True)


def text_key(source_lang: str, target_lang: str, text: str) -> int:
    """The indexed key of a segment key (``norm``, ``loose``) in one language pair. Rows
    found by it are compared on their text too: a collision costs a comparison, never a
    wrong match."""
    return stable_hash(f"{source_lang}>{target_lang}\0{text}")


@cache
def _pair_salt(source_lang: str, target_lang: str) -> int:
    return stable_hash(f"{source_lang}>{target_lang}")


@lru_cache(maxsize=1 << 18)
def _term_base(term: str) -> int:
    return stable_hash(term)


def term_hash(source_lang: str, target_lang: str, term: str) -> int:
    """A term's key in the index: the term's hash mixed with its language pair's (terms
    repeat across segments, so the term's own hash is cached). A collision only merges two
    terms' postings, which costs a candidate or two, never a wrong match: candidates are
    scored on their text."""
    return _term_base(term) ^ _pair_salt(source_lang, target_lang)
