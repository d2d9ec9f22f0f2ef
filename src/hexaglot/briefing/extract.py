"""Numbers, dates, times and proper names of a session's texts, for the interpreter to have
side by side with their rendering in the booth's language.

Reading reuses the QA checks: numbers as :func:`hexaglot.checks.numbers.extract` reads them
in the text's language (its separators, scale words: "2.5 million", "2,5 millones", "250万"),
dates as :func:`hexaglot.checks.dates.find_dates` does (month names from Babel, days and
year around them). Rendering is :mod:`hexaglot.briefing.localize` (Babel). What is read:

* numbers in digits (a number in words is left: interpreters hear it as a word), ordinals
  ("40th", "40e", "thứ 40") and years as such; document symbols and resolution numbers
  ("79/243", "A/RES/79/243") as written;
* dates (a day or days, month, year) and times of day ("09:30", "3 p.m.");
* proper names: the glossary's person and country concepts, and runs of two or more
  capitalized words of a Latin or Cyrillic text that the glossary does not know ("Budapest
  Convention"), flagged for checking.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal

from hexaglot.briefing.render import NAME_SUBJECTS
from hexaglot.checks.dates import find_dates
from hexaglot.checks.numbers import (
    _scale_re,
    extract,
    normalize_digits,
    readings,
    scale_after,
    valid_in,
)
from hexaglot.glossary.index import GlossaryIndex
from hexaglot.glossary.model import Concept
from hexaglot.mt.base import DO_NOT_TRANSLATE

_CLOCK_24 = re.compile(r"(?<![\d.,:/])([01]?\d|2[0-3])[:h]([0-5]\d)(?![\d:])")
_CLOCK_12 = re.compile(r"(?<![\d.,:/])(1[0-2]|0?[1-9])(?:[.:]([0-5]\d))?\s?([ap])\.?\s?m\.?"
                       r"(?![^\W\d_])", re.IGNORECASE)
_SYMBOL = re.compile(r"(?<![\w/])(?:[A-Z]{1,6}/)*\d+/\d+(?:/[\w.]+)*(?![\w/])")
_ORDINAL_AFTER = {
    "en": re.compile(r"(?:st|nd|rd|th)(?![^\W\d_])"),
    "fr": re.compile(r"(?:er|re|e|ème|ᵉ)(?![^\W\d_])"),
    "es": re.compile(r"\.?[ºª°]"),
    "ru": re.compile(r"-?(?:й|я|е|го|му|м|х|ой|ый|ая|ое)(?![^\W\d_])"),
}
_ORDINAL_BEFORE = {"vi": re.compile(r"thứ\s+$", re.IGNORECASE), "zh": re.compile(r"第\s*$"),
                   "ar": re.compile(r"الـ?\s*$")}
# Vietnamese writes months as numbers, "ngày 25 tháng 10 năm 2025" (Babel has no month
# names for the dates check to find).
_VI_DATE = re.compile(r"(?:ngày\s+(\d{1,2})(?:\s*(?:và|-|–)\s*(\d{1,2}))?\s+)?"
                      r"tháng\s+(\d{1,2})(?:,?\s+năm\s+(\d{4}))?(?!\d)", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_PARTICLES = {"de", "da", "do", "dos", "del", "di", "du", "van", "von", "der", "bin", "al",
              "el", "la", "le", "of", "for", "and", "y", "et"}
# Capitalized words that start sentences, address the audience or are common nouns.
_NOT_NAMES = {
    "the", "this", "these", "that", "those", "a", "an", "in", "on", "at", "for", "from",
    "with", "by", "our", "we", "today", "let", "as", "it", "its", "mr", "ms", "mrs", "madam",
    "excellencies", "excellency", "ladies", "dear", "distinguished", "his", "her", "your",
    "i", "and", "but", "thank", "check", "statement", "address", "remarks", "friends",
    "colleagues", "le", "la", "les", "l", "un", "une", "des", "du", "dans", "en", "au",
    "aux", "nous", "je", "monsieur", "madame", "mesdames", "messieurs", "excellences",
    "chers", "chères", "seul", "el", "los", "las", "una", "con", "por", "para", "nuestro",
    "nuestra", "señor", "señora", "señoras", "señores", "excelencias", "hoy", "cotéjese",
    "thưa", "kính", "chúng", "hôm", "tôi", "các", "những", "в", "на", "мы", "я",
    "господин", "госпожа", "уважаемые", "дамы", "господа",
}


@dataclass
class Found:
    """One number, date, time, symbol or name, first as met in the session's texts."""

    kind: str  # number, symbol, date, time, name
    surface: str  # as written where first met
    lang: str  # of that text
    key: tuple
    where: list[str] = field(default_factory=list)  # the texts it is in, in order
    value: Decimal | None = None
    power: int = 0
    ordinal: bool = False
    year: bool = False
    month: int = 0
    days: tuple[int, ...] = ()
    year_value: int | None = None
    clock: time | None = None
    concept: Concept | None = None


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


def find_items(text: str, lang: str, index: GlossaryIndex | None = None) -> list[Found]:
    """Everything of interest in ``text``, in text order (duplicates included)."""
    found: list[tuple[int, Found]] = []
    taken: list[tuple[int, int]] = [m.span() for m in DO_NOT_TRANSLATE.finditer(text)]
    norm = normalize_digits(text)

    for date in find_dates(text, lang):
        start, end = date.span
        found.append((start, Found("date", text[start:end].strip(), lang,
                                   ("date", date.month, date.days, date.year),
                                   month=date.month, days=date.days, year_value=date.year)))
        taken.append((start, end))
    if lang == "vi":
        for match in _VI_DATE.finditer(norm):
            month = int(match.group(3))
            if not 1 <= month <= 12 or _overlaps(match.span(), taken):
                continue
            days = tuple(int(d) for d in match.group(1, 2) if d)
            year = int(match.group(4)) if match.group(4) else None
            found.append((match.start(), Found("date", text[match.start():match.end()], lang,
                                               ("date", month, days, year), month=month,
                                               days=days, year_value=year)))
            taken.append(match.span())

    for pattern in (_CLOCK_12, _CLOCK_24):
        for match in pattern.finditer(norm):
            if _overlaps(match.span(), taken):
                continue
            hour, minute = int(match.group(1)), int(match.group(2) or 0)
            if pattern is _CLOCK_12:
                hour = hour % 12 + (12 if match.group(3).lower() == "p" else 0)
            moment = time(hour, minute)
            found.append((match.start(), Found("time", text[match.start():match.end()], lang,
                                               ("time", hour, minute), clock=moment)))
            taken.append(match.span())

    for match in _SYMBOL.finditer(norm):
        if _overlaps(match.span(), taken):
            continue
        found.append((match.start(), Found("symbol", match.group(), lang,
                                           ("symbol", match.group()))))
        taken.append(match.span())

    for number in extract(text, lang, source=True):
        if number.word or number.companion:
            continue
        start, end = number.span
        if _overlaps((start, end), taken) or (start and norm[start - 1].isalpha()):
            continue
        options = readings(norm[start:end])
        if not options:
            continue
        valid = [r for r in options if valid_in(r, lang)]
        value = (valid or options)[0].value
        power = scale_after(norm, end, lang) or 0
        surface_end = end
        if power:
            scale = _scale_re(lang)
            match = scale.match(norm, end) if scale else None
            surface_end = match.end() if match else end
        after = _ORDINAL_AFTER.get(lang)
        ordinal_match = after.match(norm, end) if after and not power else None
        before = _ORDINAL_BEFORE.get(lang)
        ordinal = bool(ordinal_match) or bool(before and before.search(norm[max(0, start - 6):
                                                                           start]))
        if ordinal_match:
            surface_end = ordinal_match.end()
        raw = norm[start:end]
        is_year = (not power and not ordinal and raw.isdigit() and len(raw) == 4
                   and 1800 <= int(raw) <= 2100)
        found.append((start, Found("number", text[start:surface_end], lang,
                                   ("number", value, power, ordinal), value=value,
                                   power=power, ordinal=ordinal, year=is_year)))
        taken.append((start, surface_end))

    if index is not None:
        matches = index.matcher(lang).find(text)
        for match in matches:
            if match.concept.subject in NAME_SUBJECTS:
                found.append((match.start, Found("name", match.surface, lang,
                                                 ("name", match.concept.id),
                                                 concept=match.concept)))
        taken.extend((m.start, m.end) for m in matches)
        if lang not in ("zh", "ar"):
            for start, surface in unknown_names(text, taken):
                found.append((start, Found("name", surface, lang,
                                           ("name", surface.casefold()))))
    found.sort(key=lambda pair: pair[0])
    return [item for _, item in found]


def unknown_names(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, str]]:
    """Runs of two or more capitalized words outside the glossary's matches."""
    runs: list[list[re.Match[str]]] = []
    current: list[re.Match[str]] = []
    previous_end = -1
    for word in _WORD.finditer(text):
        token = word.group()
        capital = token[:1].isupper() and token.casefold() not in _NOT_NAMES
        joined = previous_end >= 0 and text[previous_end:word.start()] == " "
        if _overlaps(word.span(), taken):
            capital = False
        if capital or (current and joined and token in _PARTICLES):
            if current and not joined:
                runs.append(current)
                current = []
            current.append(word)
        else:
            if current:
                runs.append(current)
            current = []
        previous_end = word.end()
    if current:
        runs.append(current)
    names = []
    for run in runs:
        while run and run[-1].group() in _PARTICLES:
            run.pop()
        capitals = [w for w in run if w.group()[:1].isupper()]
        if len(capitals) < 2 or all(w.group().isupper() for w in capitals):
            continue
        names.append((run[0].start(), text[run[0].start():run[-1].end()]))
    return names


def collect(texts: list[tuple[str, str, str]], index: GlossaryIndex | None) -> list[Found]:
    """The items of several texts, (name, language, text) in order, each item once with
    the names of the texts it is in."""
    seen: dict[tuple, Found] = {}
    for name, lang, text in texts:
        for item in find_items(text, lang, index):
            if item.key in seen:
                if name not in seen[item.key].where:
                    seen[item.key].where.append(name)
                continue
            item.where.append(name)
            seen[item.key] = item
    return list(seen.values())
