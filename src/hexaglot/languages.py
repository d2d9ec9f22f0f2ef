"""The languages hexaglot knows, and how to tell which one a document is in.

Targets are the six official UN languages. Sources may also be the host country's
languages (Vietnamese, Indonesian): originals arrive in them, and hexaglot still segments
them, matches the glossary and hands them to a human where no engine covers the pair.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass

from hexaglot.document import HexaglotError


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1, as used in file names and on the command line
    name: str
    script: str  # Unicode script that its text is expected to be written in
    rtl: bool = False
    spaced: bool = True  # False where words are not separated by spaces (Chinese)
    babel_locale: str = ""


LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("ar", "Arabic", "Arab", rtl=True, babel_locale="ar"),
        Language("zh", "Chinese", "Hans", spaced=False, babel_locale="zh_Hans_CN"),
        Language("en", "English", "Latn", babel_locale="en"),
        Language("fr", "French", "Latn", babel_locale="fr"),
        Language("ru", "Russian", "Cyrl", babel_locale="ru"),
        Language("es", "Spanish", "Latn", babel_locale="es"),
        Language("vi", "Vietnamese", "Latn", babel_locale="vi"),
        Language("id", "Indonesian", "Latn", babel_locale="id"),
    )
}

UN_LANGUAGES: tuple[str, ...] = ("ar", "zh", "en", "fr", "ru", "es")
SOURCE_LANGUAGES: tuple[str, ...] = (*UN_LANGUAGES, "vi", "id")

# Regional and three-letter codes seen in glossaries and TMX files, mapped to ours.
_ALIASES = {
    "ara": "ar", "arb": "ar", "zho": "zh", "chi": "zh", "cmn": "zh", "eng": "en",
    "fra": "fr", "fre": "fr", "rus": "ru", "spa": "es", "vie": "vi", "ind": "id",
    "in": "id",
}


def normalize_code(code: str) -> str | None:
    """Map ``zh-CN``, ``es_419``, ``fra`` or ``EN`` to our two-letter code, or None."""
    base = re.split(r"[-_]", code.strip())[0].lower()
    base = _ALIASES.get(base, base)
    return base if base in LANGUAGES else None


def parse_language_list(value: str, *, allowed: tuple[str, ...], what: str) -> list[str]:
    """Parse ``"es,fr"`` into codes, failing with the list of accepted codes."""
    codes: list[str] = []
    for raw in value.split(","):
        raw = raw.strip()
        if not raw:
            continue
        code = normalize_code(raw)
        if code is None or code not in allowed:
            raise HexaglotError(
                f"unknown {what} language code {raw!r}: use one of {', '.join(allowed)}"
            )
        if code not in codes:
            codes.append(code)
    if not codes:
        raise HexaglotError(f"no {what} language given: use one or more of {', '.join(allowed)}")
    return codes


def _script_counts(text: str) -> dict[str, int]:
    counts = {"Arab": 0, "Hans": 0, "Cyrl": 0, "Latn": 0}
    for char in text:
        if not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        if name.startswith("ARABIC"):
            counts["Arab"] += 1
        elif name.startswith("CJK"):
            counts["Hans"] += 1
        elif name.startswith("CYRILLIC"):
            counts["Cyrl"] += 1
        elif name.startswith("LATIN"):
            counts["Latn"] += 1
    return counts


_LANGDETECT_LOCK = threading.Lock()
_SCRIPT_TO_LANG = {"Arab": "ar", "Hans": "zh", "Cyrl": "ru"}


def detect_language(text: str) -> str | None:
    """Best guess of the source language, or None when the text gives too little to go on.

    Scripts settle Arabic, Chinese and Russian outright; among Latin-script languages
    langdetect's character n-gram profiles choose, restricted to the languages we accept so
    that a press release is never taken for Catalan or Tagalog.
    """
    counts = _script_counts(text)
    total = sum(counts.values())
    if total < 20:
        return None
    script, top = max(counts.items(), key=lambda item: item[1])
    if script in _SCRIPT_TO_LANG and top / total > 0.5:
        return _SCRIPT_TO_LANG[script]
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    # langdetect loads its profiles on first use and seeds one shared generator: without
    # the lock, documents read in parallel threads get half-loaded profiles or random
    # answers.
    with _LANGDETECT_LOCK:
        DetectorFactory.seed = 0  # deterministic answers run after run
        try:
            guesses = detect_langs(text[:5000])
        except LangDetectException:
            return None
    for guess in guesses:
        code = normalize_code(guess.lang)
        if code in SOURCE_LANGUAGES and LANGUAGES[code].script == "Latn" and guess.prob > 0.5:
            return code
    return None
