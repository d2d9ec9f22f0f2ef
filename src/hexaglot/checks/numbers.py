"""Numbers: every number of the source is in the target, written as the target locale writes it.

What is read as a number
    Runs of digits, with Arabic-Indic (٠-٩), extended Arabic-Indic (۰-۹) and full-width
    (０-９) digits read as 0-9, joined by the separators ``. , ٫ ٬ '`` or by a space, a
    no-break space (U+00A0) or a narrow no-break space (U+202F) before exactly three digits.
    A token with separators has every reading its separators allow ("2,500" is 2500 with a
    comma for thousands, or 2.5 with a comma for decimals); the readings a locale allows come
    from Babel's number symbols (``Locale.number_symbols``) plus the house variants below.
    A number followed by a scale word ("2.5 million", "2,5 millones", "2,5 млн", "250万",
    "11万", "10亿") also stands for its scaled value, so "2.5 million" = "250万". Signs are
    ignored: "-5" and "5" are the same number (a hyphen is far more often a range, "25-26").

Separators accepted per target (Babel's own first, then house variants)
    en  group ``,`` (none for any length); decimal ``.``
    es  group ``.`` (Babel) and a space, no-break or narrow no-break space (UN Spanish
        house style, "2 500"); decimal ``,``. "2,500" in Spanish reads as two and a half:
        when the source says 2500 it is ``numbers.format`` with the suggestion "2.500".
    fr  group narrow no-break space (Babel), no-break space, space; decimal ``,``.
    ru  group no-break space (Babel), narrow no-break space, space; decimal ``,``.
    ar  group ``,`` (Babel latn) and ``٬`` (Babel arab), a space; decimal ``.`` and ``٫``,
        and ``,`` (common in Arab press with Western digits).
    zh  group ``,`` and none; decimal ``.``; scale characters 万 (10^4) and 亿 (10^8);
        Chinese numerals (两千五百, 第一, 二十五) are read in full. A numeral of one
        character is a number only after 第 or before a measure word or unit (三个, 七人,
        5月): alone it is mostly part of a word (一些, 统一, 三维, 三聚氰胺, 周三 Wednesday),
        and some words are never numbers (十分 "very", 另一 "another", 唯一, 同一, 万一,
        the 百 of 百分之). A scale character alone (万, 数万) is no number.
    Any locale: a number written with no separator at all (2500, 1000000) is valid.

Numbers as words
    Babel carries no spell-out rules (CLDR RBNF is not in its data) and the libraries that
    have them (num2words) are not dependencies, so a small table per language gives 0-12,
    the round tens, 100 and 1000, and the ordinals 1st-12th ("two", "dos", "deux", "два",
    "اثنان", "两/二"). Russian and Arabic words are matched by stem, for their case endings
    and clitics ("двух", "والثلاثة"). Words, Roman numerals (XIX siècle, siglo XIX) and
    Chinese numerals in the target can only *match* a source number; they are never counted
    as added numbers (一 and "un" are far too common). Number words in the source are not
    required in the target, but they explain a digit there ("two" -> "2" adds nothing).

Matching, as multisets
    A target number stands for one source number: a number the source gives twice is
    needed twice. Source digits take target digits first, then target number words; but a
    target word goes first to a number word of the source of the same value ("one of two
    values, 0 or 1" -> "uno de dos valores, 0 o 1": "uno" is the "one", and a dropped 1 is
    missing). The digits of a code (letters and digits in turn, "H5N1"; a dotted number with
    a letter, "802.11n") match digits only, and written as in the source they are no format
    finding ("802.11n" in French is not "802,11n").

Equivalences a professional translation makes, accepted
    * "1990s" may become 90 ("años 90", "90-х", "90年代"); "'90s" likewise. The century
      may come with the decade ("20世纪90年代") but does not stand for it, except for a
      round hundred: "the 1800s" may become "XIXe siècle", "19世纪";
    * a month of the source explains its number in the target ("November 16" -> "11月
      16日"); in Chinese, which writes the month of a date as a number, the month of a
      source date is a number the target must have;
    * "3 p.m." may become 15 ("15 h", "15:00"); the "00" minutes of a time the target spells
      out ("9.00 horas", "9 h 00") are not an added number;
    * an imperial quantity converted ("5 miles" -> "8 km", "100 °F" -> "38 °C"): a source
      number followed by an imperial unit is matched by an otherwise unmatched target number
      within 10% of the converted value.

Findings
    ``numbers.missing`` (error): a source number with no match in the target. It is a
        warning instead only when nothing stands in its place (no unexplained number in the
        target) and one of three things holds: it is the imperial equivalent in parentheses
        of a metric quantity ("250 meters (820 feet)" translated "250 mètres"); it is part of
        a name the source repeats and the target gives once, its letters standing alone
        ("802.11a, 802.11b" -> "802.11a, b"); or it lies inside a short series the target
        gives by its ends ("11th, 12th and 13th centuries" -> "du XIe au XIIIe siècle").
        A number lost with an unexplained number in the target is a number changed:
        always an error.
    ``numbers.format``: the number is there, but not as the target locale writes it; the
        suggestion is the locale's form from Babel. An error when the locale reads it as
        another number ("2,500" in es/fr/ru is two and a half) or puts its decimal sign
        between thousands ("2,500,000" in es); a warning when it is unambiguous but
        unidiomatic ("3.5" in fr, "2.4 GHz" in Latin American Spanish, "4:41.30" race times).
    ``numbers.added`` (warning): a number in digits in the target that matches nothing in
        the source (digits or words).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache

from hexaglot.checks.base import CheckContext, Finding, PairCheck, SegmentPair, Severity
from hexaglot.languages import LANGUAGES

# ---------------------------------------------------------------- digits and tokens

_DIGITS = {}
for _base in (0x0660, 0x06F0, 0xFF10):  # Arabic-Indic, extended Arabic-Indic, full-width
    for _i in range(10):
        _DIGITS[_base + _i] = str(_i)
_DIGITS.update({0xFF0C: ",", 0xFF0E: "."})  # full-width comma and full stop
_DIGIT_TABLE = str.maketrans(_DIGITS)

NBSP, NNBSP, THIN = "\u00a0", "\u202f", "\u2009"
_SPACES = " " + NBSP + NNBSP + THIN
# Characters are mapped one to one, so offsets in the normalized text are offsets in the
# original.
_TOKEN = re.compile(
    r"(?<![0-9])[0-9]+(?:(?:[.,\u066b\u066c'’]|[ \u00a0\u202f\u2009](?=[0-9]{3}(?![0-9])))[0-9]+)*"
)


def normalize_digits(text: str) -> str:
    """Text with every digit as ASCII 0-9, of the same length."""
    return text.translate(_DIGIT_TABLE)


@dataclass(frozen=True)
class Reading:
    value: Decimal
    group: str | None  # the thousands separator used, None when none
    decimal: str | None  # the decimal separator used, None when none


def readings(raw: str) -> list[Reading]:
    """Every reading of a digit token's separators (digits already ASCII)."""
    parts = re.split(r"[^0-9]", raw)
    seps = [c for c in raw if not c.isdigit()]
    if not seps:
        return [Reading(Decimal(raw), None, None)]
    out: list[Reading] = []
    # all separators the same and groups of three: a grouped integer
    if len(set(seps)) == 1 and 1 <= len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:]):
        out.append(Reading(Decimal("".join(parts)), seps[0], None))
    # last separator a decimal one, the ones before it one grouping separator
    last = seps[-1]
    if last in ".,\u066b" and len(set(seps[:-1])) <= 1 and (len(seps) == 1 or last != seps[0]):
        head = parts[:-1]
        if len(head) == 1 or (1 <= len(head[0]) <= 3 and all(len(p) == 3 for p in head[1:])):
            try:
                value = Decimal("".join(head) + "." + parts[-1])
            except InvalidOperation:  # pragma: no cover
                value = None
            if value is not None:
                out.append(Reading(value, seps[0] if len(seps) > 1 else None, last))
    return out


@dataclass(frozen=True)
class LocaleNumbers:
    groups: frozenset[str]
    decimals: frozenset[str]
    babel_locale: str


_HOUSE = {
    "en": (",", "."),
    "es": (". " + NBSP + NNBSP + THIN, ","),
    "fr": (" " + NBSP + NNBSP + THIN, ","),
    "ru": (" " + NBSP + NNBSP + THIN, ","),
    "ar": (",\u066c " + NBSP + NNBSP, ".\u066b,"),
    "zh": (",", "."),
    "vi": (". " + NBSP, ","),
    "id": (". " + NBSP, ","),
}


@cache
def locale_numbers(lang: str) -> LocaleNumbers:
    """Separators valid in ``lang``: Babel's, for each of its numbering systems, and ours."""
    from babel import Locale

    language = LANGUAGES.get(lang)
    babel_locale = (language.babel_locale if language else "") or lang
    locale = Locale.parse(babel_locale)
    groups: set[str] = set()
    decimals: set[str] = set()
    for system in {locale.default_numbering_system, "latn", "arab"}:
        symbols = locale.number_symbols.get(system)
        if symbols and (system == "latn" or lang == "ar"):
            groups.add(symbols["group"])
            decimals.add(symbols["decimal"])
    house_groups, house_decimals = _HOUSE.get(lang, ("", ""))
    groups.update(house_groups)
    decimals.update(house_decimals)
    return LocaleNumbers(frozenset(groups), frozenset(decimals), babel_locale)


def valid_in(reading: Reading, lang: str) -> bool:
    spec = locale_numbers(lang)
    return ((reading.group is None or reading.group in spec.groups)
            and (reading.decimal is None or reading.decimal in spec.decimals))


def format_for(value: Decimal, lang: str) -> str:
    """How Babel writes ``value`` in ``lang``, with every group (also four-digit numbers)."""
    from babel.numbers import format_decimal

    spec = locale_numbers(lang)
    exponent = value.normalize().as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(value, format=pattern, locale=spec.babel_locale, group_separator=True)


# ---------------------------------------------------------------- scale words

_SCALES: dict[str, list[tuple[str, int]]] = {
    "en": [(r"thousand", 3), (r"million|mln|mn", 6), (r"billion|bn", 9), (r"trillion", 12)],
    "es": [(r"mil\s+millones", 9), (r"mil", 3), (r"mill[oó]n(?:es)?", 6),
           (r"millardos?", 9), (r"bill[oó]n(?:es)?", 12)],
    "fr": [(r"mille", 3), (r"millions?", 6), (r"milliards?", 9), (r"billions?", 12)],
    "ru": [(r"тыс\w*\.?", 3), (r"млн\.?|миллион\w*", 6), (r"млрд\.?|миллиард\w*", 9),
           (r"трлн\.?|триллион\w*", 12)],
    "ar": [(r"[أا]لف|آلاف|الاف", 3), (r"مليون|ملايين", 6), (r"مليار\w*|بليون", 9),
           (r"تريليون", 12)],
    "zh": [(r"千亿", 11), (r"百亿", 10), (r"亿", 8), (r"千万", 7), (r"百万", 6), (r"万", 4),
           (r"千", 3)],
    "vi": [(r"nghìn|ngàn", 3), (r"triệu", 6), (r"tỷ|tỉ", 9)],
    "id": [(r"ribu", 3), (r"juta", 6), (r"miliar", 9), (r"triliun", 12)],
}


@cache
def _scale_re(lang: str) -> re.Pattern[str] | None:
    scales = _SCALES.get(lang)
    if not scales:
        return None
    space = r"[ \u00a0\u202f]?[多余几]?" if lang == "zh" else r"[ \u00a0\u202f]+"
    alternatives = "|".join(f"(?P<s{power}_{i}>{pattern})"
                            for i, (pattern, power) in enumerate(scales))
    return re.compile(space + "(?:" + alternatives + ")" + ("" if lang == "zh" else r"(?!\w)"),
                      re.IGNORECASE)


def scale_after(text: str, end: int, lang: str) -> int | None:
    """The power of ten of a scale word right after ``end`` ("million" -> 6), or None."""
    pattern = _scale_re(lang)
    if pattern is None:
        return None
    match = pattern.match(text, end)
    if not match:
        return None
    for name, value in match.groupdict().items():
        if value is not None:
            return int(name[1:].split("_")[0])
    return None  # pragma: no cover


# ---------------------------------------------------------------- numbers in words

# value -> words; stems (Russian, Arabic) match any ending of up to three letters.
_WORDS: dict[str, dict[int, str]] = {
    "en": {0: "zero|nil|none", 1: "one|first|once|single", 2: "two|second|twice|both|pair|couple",
           3: "three|third|thrice", 4: "four|fourth", 5: "five|fifth", 6: "six|sixth",
           7: "seven|seventh", 8: "eight|eighth", 9: "nine|ninth", 10: "ten|tenth",
           11: "eleven|eleventh", 12: "twelve|twelfth|dozen", 13: "thirteen|thirteenth",
           14: "fourteen|fourteenth", 15: "fifteen|fifteenth", 16: "sixteen|sixteenth",
           17: "seventeen|seventeenth", 18: "eighteen|eighteenth", 19: "nineteen|nineteenth",
           20: "twenty|twentieth|twenties",
           30: "thirty", 40: "forty", 50: "fifty|half", 60: "sixty", 70: "seventy",
           80: "eighty", 90: "ninety", 100: "hundred|hundredth", 1000: "thousand"},
    "es": {0: "cero|ning[uú]n\\w*", 1: "un|una|uno|primer|primera|primero|primeros|primeras|"
           "[uú]nic[oa]s?", 2: "dos|segund[oa]s?|ambos|ambas|doble|par",
           3: "tres|tercer|tercer[oa]s?", 4: "cuatro|cuart[oa]s?", 5: "cinco|quint[oa]s?",
           6: "seis|sext[oa]s?", 7: "siete|s[eé]ptim[oa]s?", 8: "ocho|octav[oa]s?",
           9: "nueve|noven[oa]s?", 10: "diez|d[eé]cim[oa]s?", 11: "once|und[eé]cim[oa]s?",
           12: "doce|duod[eé]cim[oa]s?|docena", 20: "veintes?", 30: "treinta",
           40: "cuarenta", 50: "cincuenta|mitad|medio", 60: "sesenta", 70: "setenta",
           80: "ochenta", 90: "noventa", 100: "cien|ciento|cientos|cent[eé]sim[oa]s?",
           200: "doscient[oa]s", 300: "trescient[oa]s", 400: "cuatrocient[oa]s",
           500: "quinient[oa]s", 600: "seiscient[oa]s", 700: "setecient[oa]s",
           800: "ochocient[oa]s", 900: "novecient[oa]s", 1000: "mil|mil[eé]sim[oa]s?"},
    "fr": {0: "z[ée]ro|aucun\\w*", 1: "un|une|premier|premi[eè]re|premiers|premi[eè]res|"
           "seul|seule", 2: "deux|second|seconde|deuxi[eè]me|double|paire|couple",
           3: "trois|troisi[eè]me", 4: "quatre|quatri[eè]me", 5: "cinq|cinqui[eè]me",
           6: "six|sixi[eè]me", 7: "sept|septi[eè]me", 8: "huit|huiti[eè]me",
           9: "neuf|neuvi[eè]me", 10: "dix|dixi[eè]me|dizaine", 11: "onze|onzi[eè]me",
           12: "douze|douzi[eè]me|douzaine", 20: "vingt|vingtaine", 30: "trente|trentaine",
           40: "quarante|quarantaine", 50: "cinquante|moiti[ée]|demi\\w*",
           60: "soixante", 70: "soixante-dix", 80: "quatre-vingts?", 90: "quatre-vingt-dix",
           100: "cent|cents|centaine|centi[eè]me", 200: "deux cents", 300: "trois cents",
           500: "cinq cents", 1000: "mille|millier|milli[eè]me"},
    # stems: any ending of up to three letters is allowed after them
    "ru": {0: "нол~|нул~", 1: "од[ниу]~|перв~|единствен~", 2: "дв[аеоу]~|втор~|об[аеои]~|пар~",
           3: "тр[иеё]~|трет~", 4: "четыр~|четвер~|четвёр~", 5: "пят[ьиоы]~",
           6: "шест[ьиоы]~", 7: "сем[ьиеоы]~|седьм~", 8: "вос[ье]м~", 9: "девят[ьиоы]~",
           10: "десят[ьиоы]~|десятк~", 11: "одиннадцат~", 12: "двенадцат~|дюжин~",
           20: "двадцат~", 30: "тридцат~", 40: "сорок~", 50: "пятьдесят~|пятидесят~|половин~",
           60: "шестьдесят~|шестидесят~", 70: "семьдесят~|семидесят~",
           80: "восемьдесят~|восьмидесят~", 90: "девяност~", 100: "сто|ста|сотн~",
           200: "двест~|двухсот~", 300: "трист~|трехсот~|трёхсот~", 500: "пятьсот|пятисот~",
           1000: "тысяч~"},
    # Arabic: units and ordinals by stem (ثلاثة، الثالث، ثلاثي), tens with the decade
    # ending (الستينيات); teens and compounds (الخامس عشر، خمسة وعشرين) are built below.
    "ar": {0: "صفر~", 1: "واحد~|أحد|إحدى|اول~|أول~|وحيد~|حادي", 2: "اثن~|إثن~|ثان~|ثاني~|كلا|كلتا",
           3: "ثلاث~|ثالث~", 4: "أربع~|اربع~|رابع~|رباعي~", 5: "خمس~|خامس~|خماسي~",
           6: "ست~|سادس~|سدس~|سداسي~", 7: "سبع~|سابع~|سباعي~", 8: "ثمان~|ثماني~|ثامن~",
           9: "تسع~|تاسع~", 10: "عشر~|عاشر~|عقد~", 20: "عشرين~|عشرون", 30: "ثلاثين~|ثلاثون",
           40: "أربعين~|أربعون|اربعين~", 50: "خمسين~|خمسون|نصف", 60: "ستين~|ستون",
           70: "سبعين~|سبعون", 80: "ثمانين~|ثمانون", 90: "تسعين~|تسعون",
           100: "مائة|مئة|مئات|مائتي~|مئتي~|مئوي~", 1000: "ألف~|آلاف|الف~"},
    "vi": {1: "một|nhất", 2: "hai|nhì", 3: "ba", 4: "bốn|tư", 5: "năm", 6: "sáu", 7: "bảy",
           8: "tám", 9: "chín", 10: "mười"},
    "id": {1: "satu|pertama|se\\w+", 2: "dua|kedua", 3: "tiga|ketiga", 4: "empat|keempat",
           5: "lima|kelima", 6: "enam", 7: "tujuh", 8: "delapan", 9: "sembilan",
           10: "sepuluh", 11: "sebelas", 12: "dua belas|lusin"},
}
# Arabic clitics in front of a number word: و ف ب ل ك and the article.
_AR_PREFIX = r"(?:[وف]?[بلك]?(?:ال)?)"


@cache
def _word_patterns(lang: str) -> list[tuple[re.Pattern[str], int]]:
    table = _WORDS.get(lang, {})
    out = []
    for value, words in table.items():
        body = words.replace("~", r"\w{0,3}")
        if lang == "ar":
            pattern = rf"(?<!\w){_AR_PREFIX}(?:{body})(?!\w)"
        else:
            pattern = rf"(?<!\w)(?:{body})(?!\w)"
        out.append((re.compile(pattern, re.IGNORECASE), value))
    return out


_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}
_ZH_BIG = {"万": 10_000, "亿": 100_000_000}
_ZH_MEASURE = re.compile("[个名人年月日号次位岁天种项条家所座只场倍周点时分秒"
                         "米公英世千万亿部本架辆枚队国级盘局回批剂块张件份台间层轮届期"
                         "集首章节段克吨元]")
_ZH_RUN = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")
# Words with a numeral in them that stand for no number: 十分 (very; 十分钟 is ten
# minutes), 百分之 (the per cent of 百分之八十, whose number follows), 一点 (a little),
# 一一 (one by one), 千万 (by all means, before a verb or 不/别), 另一 (another), 同一
# (the same), 唯一 (the only), 统一 (unified), 逐一 (one by one), 万一 (in case).
_ZH_NOT_A_NUMBER = re.compile(r"(?<![零〇一二两三四五六七八九十百千万亿0-9])"
                              r"(?:十分(?!钟)|百分之|一点(?![钟半0-9])|一一|千万(?=[不别要])"
                              r"|万一(?![零〇一二两三四五六七八九十百千万亿]))"
                              r"|(?<=[另同唯统逐])一")
# the weekdays 周三, 星期三, 礼拜三: a day of the week, not three
_ZH_WEEKDAY = re.compile(r"(?:周|星期|礼拜)$")


def parse_chinese_numeral(text: str) -> int | None:
    """两千五百 -> 2500, 十一万 -> 110000, 二〇二五 -> 2025; None when it is no numeral."""
    if all(c in _ZH_DIGITS for c in text) and len(text) > 1:
        return int("".join(str(_ZH_DIGITS[c]) for c in text))  # 二〇二五, read digit by digit
    total, section, number = 0, 0, None
    for char in text:
        if char in _ZH_DIGITS:
            number = _ZH_DIGITS[char]
        elif char in _ZH_UNITS:
            section += (number if number is not None else 1) * _ZH_UNITS[char]
            number = None
        elif char in _ZH_BIG:
            section += number or 0
            if section == 0:
                return None
            total += section * _ZH_BIG[char]
            section, number = 0, None
    return total + section + (number or 0)


_ROMAN = re.compile(r"(?<![\w])(M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3}))"
                    r"(?:e|er|ème|-?[ея]|-?го)?(?![\w])")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def _roman_value(text: str) -> int:
    total = 0
    for i, char in enumerate(text):
        value = _ROMAN_VALUES[char]
        if i + 1 < len(text) and _ROMAN_VALUES[text[i + 1]] > value:
            total -= value
        else:
            total += value
    return total


@cache
def _bare_scales(lang: str) -> list[tuple[re.Pattern[str], int]]:
    """Scale words standing alone ("a million", "millones"). Not Chinese: its numerals
    already read 百万 and 一万, and 万 or 亿 alone is no number (数万 "tens of thousands",
    上亿); read as 10^4, a 万 left behind by a dropped "1" would stand for "1万"."""
    if lang == "zh":
        return []
    return [(re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE), power)
            for pattern, power in _SCALES.get(lang, [])]


# Russian compounds start with a number in the genitive: четырёхмесячные, пятиэтажный.
_RU_PREFIXES = {1: "одно", 2: "двух|дву", 3: "тр[её]х", 4: "четыр[её]х", 5: "пяти", 6: "шести",
                7: "семи", 8: "восьми", 9: "девяти", 10: "десяти", 100: "сто", 1000: "тысяче"}


@cache
def _compound_patterns(lang: str) -> list[tuple[re.Pattern[str], int]]:
    """Arabic teens and unit-and-tens compounds; Russian number prefixes of compounds."""
    out: list[tuple[re.Pattern[str], int]] = []
    if lang == "ru":
        for value, stems in _RU_PREFIXES.items():
            out.append((re.compile(rf"(?<!\w)(?:{stems})\w{{3,}}", re.IGNORECASE), value))
    if lang == "ar":
        table = _WORDS["ar"]
        for unit in range(1, 10):
            body = table[unit].replace("~", r"\w{0,3}")
            unit_re = rf"(?<!\w){_AR_PREFIX}(?:{body})"
            out.append((re.compile(unit_re + r"\s+عشر\w{0,2}(?!\w)"), 10 + unit))
            for tens in range(20, 100, 10):
                tens_body = table[tens].replace("~", r"\w{0,3}")
                out.append((re.compile(unit_re + rf"\s+و(?:ال)?(?:{tens_body})(?!\w)"),
                            tens + unit))
    return out


def word_values(text: str, lang: str) -> list[tuple[Decimal, tuple[int, int]]]:
    """Numbers spelt out in ``text``: words, Chinese and Roman numerals, with scale words."""
    out: list[tuple[Decimal, tuple[int, int]]] = []
    for pattern, value in _compound_patterns(lang):
        for match in pattern.finditer(text):
            out.append((Decimal(value), match.span()))
    for pattern, value in _word_patterns(lang):
        for match in pattern.finditer(text):
            out.append((Decimal(value), match.span()))
            power = scale_after(text, match.end(), lang)
            if power:
                out.append((Decimal(value) * 10 ** power, match.span()))
    if lang == "zh":
        not_numbers = [m.span() for m in _ZH_NOT_A_NUMBER.finditer(text)]
        for match in _ZH_RUN.finditer(text):
            run = match.group()
            start, end = match.span()
            if any(a < end and start < b for a, b in not_numbers):
                continue  # 十分完美, 百分之八十 (the 八十 still counts), 一点
            ordinal = text[start - 1:start] == "第"
            # a numeral of one character is mostly part of a word (一些, 统一, 三维, 四散,
            # 三聚氰胺, 周三): a number only with 第 before or a measure word after
            if len(run) == 1 and not ordinal and (
                    not _ZH_MEASURE.match(text, end)
                    or _ZH_WEEKDAY.search(text, max(0, start - 2), start)):
                continue
            value = parse_chinese_numeral(run)
            if value is not None:
                out.append((Decimal(value), match.span()))
    if lang != "zh":
        for match in _ROMAN.finditer(text):
            roman = match.group(1)
            if roman and (len(roman) > 1 or roman in "IVX"):
                out.append((Decimal(_roman_value(roman)), match.span(1)))
    for pattern, power in _bare_scales(lang):  # a bare scale word: "a million", "millones"
        for match in pattern.finditer(text):
            out.append((Decimal(10) ** power, match.span()))
    return out


# ---------------------------------------------------------------- numbers in a segment

_IMPERIAL = re.compile(
    r"[ \u00a0-]?(?:(?P<mi>miles?|mi\b|mph)|(?P<ft>feet|foot|ft\b)|(?P<in>inch(?:es)?|in\.)|"
    r"(?P<lb>pounds?|lbs?\b)|(?P<oz>ounces?|oz\b)|(?P<F>°\s?F\b|degrees? Fahrenheit|"
    r"degrees F\b)|(?P<gal>gallons?)|(?P<yd>yards?)|(?P<ac>acres?)|(?P<sqmi>square miles?))",
    re.IGNORECASE)
_FACTORS = {"mi": (1.609344,), "ft": (0.3048,), "in": (2.54, 0.0254), "lb": (0.4536,),
            "oz": (28.35,), "gal": (3.785,), "yd": (0.9144,), "ac": (0.4047,),
            "sqmi": (2.59,)}
# "8 pm", "8:30 p.m.", "10:00-11:00 pm": the hour of an afternoon time
_PM = re.compile(r"(?:[:.][0-9]{2})?(?:\s*(?:-|–|to)\s*[0-9]{1,2}(?:[:.][0-9]{2})?)?"
                 r"\s?(?:p\.\s?m\.|pm\b)", re.IGNORECASE)
_TIME_AFTER = re.compile(r"\s?(?:h\b|horas|hrs?\b|heures|hours|[ap]\.?\s?m\b|GMT|UTC|ч\b|час)",
                         re.IGNORECASE)
# "1200 GMT": a time of day written as four digits
_HHMM = re.compile(r"\s?(?:GMT|UTC|Z\b|hours\b|hrs\b|h\b)")
# "4.2-3.9 million": the first number of a range shares the scale word of the second
_RANGE_TO = re.compile(r"\s*(?:-|–|to|a|à|до|至|إلى)\s*[0-9][0-9.,]*")
_DECADE = re.compile(r"s\b|’s\b|'s\b")
# codes whose digits are written as they are: H5N1 (letters and digits in turn), 802.11n
_CODE = re.compile(r"[A-Za-z]+[0-9]+[A-Za-z]+[0-9]*")
_VERSION = re.compile(r"[0-9]+(?:[.,][0-9]+)+[a-z]")


@dataclass
class Number:
    """One number in a segment, with every value it may stand for."""

    raw: str
    span: tuple[int, int]
    values: set[Decimal]  # the values a valid reading gives
    invalid: set[Decimal] = field(default_factory=set)  # values only a wrong-locale reading gives
    conversions: tuple[Decimal, ...] = ()  # imperial quantity converted to metric
    word: bool = False  # spelt out: matches, but is neither required nor counted as added
    minutes_zero: bool = False  # the "00" of "9.00 horas"
    parenthetical: bool = False  # in parentheses with an imperial unit: "(328 to 820 feet)"
    identifier: bool = False  # part of a name: "802.11a", "H5N1"
    code: bool = False  # the digits of a code, "802.11n", "H5N1": written as digits, as is
    suffix: str = ""  # the letters right after an identifier: the "a" of "802.11a"
    companion: bool = False  # explains a target number, but is no number word of the text


def extract(text: str, lang: str, *, source: bool = False,
            months_as_numbers: bool = False) -> list[Number]:
    """The numbers of ``text`` in ``lang``: digits first, then words (``word=True``).

    ``months_as_numbers`` (a source whose target writes months as numbers, "11月"): the
    month of a date in the source is a number the target must have."""
    norm = normalize_digits(text)
    numbers: list[Number] = []
    for match in _TOKEN.finditer(norm):
        raw = match.group()
        pieces = [(raw, match.start())]
        # "in 2010 500 people": spaces join only groups after a first part of 1-3 digits
        if any(c in _SPACES for c in raw):
            first = re.split(r"[^0-9]", raw)[0]
            if len(first) > 3:
                pieces = []
                offset = match.start()
                for piece in re.split(r"([ \u00a0\u202f\u2009])", raw):
                    if piece and piece not in _SPACES:
                        pieces.append((piece, offset))
                    offset += len(piece)
        for piece, start in pieces:
            numbers.extend(_digit_number(norm, piece, start, lang, source=source))
    for value, span in word_values(text, lang):
        numbers.append(Number(text[span[0]:span[1]], span, {value}, word=True))
    if source:  # a month name explains its number in the target: "November 16" -> "11月16日"
        from hexaglot.checks.dates import find_months

        dated = {m.span for m in find_months(text, lang, strict=True)} \
            if months_as_numbers else set()
        for mention in find_months(text, lang):
            numbers.append(Number(text[mention.span[0]:mention.span[1]], mention.span,
                                  {Decimal(mention.month)}, word=mention.span not in dated,
                                  companion=True))
    return numbers


def _digit_number(norm: str, raw: str, start: int, lang: str, *, source: bool) -> list[Number]:
    end = start + len(raw)
    clock = re.fullmatch(r"([01]?[0-9]|2[0-3])\.([0-5][0-9])", raw)
    if clock and _TIME_AFTER.match(norm, end):  # "9.00 horas", "15.30 UTC": a time of day
        hour = _digit_number(norm, clock.group(1), start, lang, source=source)
        minutes = _digit_number(norm, clock.group(2), start + clock.start(2), lang,
                                source=source)
        for number in minutes:
            number.minutes_zero = clock.group(2) == "00"
            number.word = number.word or (source and clock.group(2) == "00")
        return hour + minutes
    options = readings(raw)
    if not options:  # "1.2.3", "10,5.3": read each run of digits alone
        out = []
        for part in re.finditer(r"[0-9]+", raw):
            out.extend(_digit_number(norm, part.group(), start + part.start(), lang,
                                     source=source))
        return out
    valid = [r for r in options if valid_in(r, lang)]
    invalid = [r for r in options if not valid_in(r, lang)]
    if source:  # the source means one thing: its locale's reading, else the first
        chosen = valid[:1] or options[:1]
        values = {r.value for r in chosen}
        bad: set[Decimal] = set()
    else:
        values = {r.value for r in valid}
        bad = {r.value for r in invalid} - values
    power = scale_after(norm, end, lang)
    if power is None:
        range_to = _RANGE_TO.match(norm, end)
        if range_to:
            power = scale_after(norm, range_to.end(), lang)
    if power:
        values |= {v * 10 ** power for v in values}
        bad |= {v * 10 ** power for v in bad}
    after = norm[end:end + 30]
    word_start, word_end = start, end
    while word_start > 0 and norm[word_start - 1].isascii() and norm[word_start - 1].isalnum():
        word_start -= 1
    while word_end < len(norm) and norm[word_end].isascii() and norm[word_end].isalnum():
        word_end += 1
    whole = norm[word_start:word_end]
    number = Number(raw, (start, end), values, bad,
                    identifier=end < len(norm) and norm[end].isalpha() and norm[end].isascii(),
                    code=bool(_CODE.fullmatch(whole) or _VERSION.fullmatch(whole)),
                    suffix=re.match(r"[A-Za-z]*", norm[end:]).group())
    extra: list[Number] = []
    if source:
        if _PM.match(after):
            number.values |= {v + 12 for v in values if v < 12}
        if len(raw) == 4 and raw.isdigit() and _DECADE.match(after):
            number.values.add(Decimal(raw[2:]))  # the 1960s: the sixties
            century = Decimal(raw[:2]) + 1
            if raw.endswith("00"):  # the 1800s: the 19th century
                number.values.add(century)
            else:  # "20世纪60年代": the century may come with the decade, never for it
                extra.append(Number(raw, (start, end), {century}, word=True,
                                    companion=True))
        if len(raw) == 4 and raw.isdigit() and int(raw[:2]) < 24 and int(raw[2:]) < 60 \
                and _HHMM.match(after):
            number.values.add(Decimal(raw[:2]))  # 1200 GMT: 12:00
        if start > 0 and norm[start - 1] in ":." and raw == "00" and \
                re.search(r"[0-9]{1,2}[:.]$", norm[max(0, start - 3):start]):
            number.word = True  # the minutes of "10:00": the target may write "10 heures"
        opened, closed = norm.rfind("(", 0, start), norm.find(")", end)
        if opened >= 0 and closed >= 0 and ")" not in norm[opened:start] and \
                _IMPERIAL.search(norm[end:closed]):
            number.parenthetical = True  # "250 meters (328 to 820 feet)": an equivalent
        elif len(raw) == 2 and start > 0 and norm[start - 1] in "'’" and _DECADE.match(after):
            number.values.add(Decimal(raw))
        imperial = _IMPERIAL.match(after)
        if imperial:
            unit = next(k for k, v in imperial.groupdict().items() if v)
            value = next(iter(values))
            if unit == "F":
                number.conversions = (Decimal(round((float(value) - 32) * 5 / 9, 3)),)
            else:
                number.conversions = tuple(Decimal(round(float(value) * f, 4))
                                           for f in _FACTORS[unit])
    elif raw in ("00", "0") and start > 0 and norm[start - 1] in ".:h " and \
            re.search(r"[0-9]{1,2}\s?[.:h]\s?$", norm[max(0, start - 5):start]):
        number.minutes_zero = True
    return [number, *extra]


# ---------------------------------------------------------------- matching

# languages that write the month of a date as a number: 11月16日
MONTHS_AS_NUMBERS = frozenset({"zh"})


def _close(a: Decimal, b: Decimal) -> bool:
    if b == 0:
        return a == 0
    return abs(a - b) / abs(b) <= Decimal("0.1")


@dataclass
class Match:
    missing: list[Number]  # source numbers with no counterpart: errors
    excused: list[tuple[Number, str]]  # missing, with a reason to make it a warning
    wrong_format: list[tuple[Number, Number]]  # (source, target) found in a wrong form
    added: list[Number]  # target digit numbers that nothing in the source explains


def match_numbers(source: list[Number], target: list[Number], target_text: str = "") -> Match:
    """Pair each source number with a target number of the same value, as multisets: a
    target number stands for one source number only.

    Required source numbers (digits) take target digits first, then target digits in a
    wrong-locale form, then target number words; but a target word is first given to a
    source word of the same value ("one of two values, 0 or 1" -> "uno de dos valores, 0 o
    1": the "uno" is the "one", not the 1). The digits of a code (H5N1, 802.11n) match
    digits only, and the target may write them as the source does ("802.11n" in French)."""
    required = [n for n in source if not n.word]
    optional = [n for n in source if n.word]
    digits = [n for n in target if not n.word]
    words = [n for n in target if n.word]
    used: set[int] = set()  # ids of target numbers taken
    matched: list[Number] = []

    def take(number: Number, pool: Iterable[Number], attr: str) -> Number | None:
        for candidate in pool:
            if id(candidate) not in used and number.values & getattr(candidate, attr):
                used.add(id(candidate))
                return candidate
        return None

    wrong: list[tuple[Number, Number]] = []
    pending = list(required)
    for attr, pool in (("values", digits), ("invalid", digits), ("values", words)):
        if pool is words:  # target words go to the source's own number words first
            for number in optional:
                if not number.companion:
                    take(number, words, "values")
        rest = []
        for number in pending:
            found = None if number.code and pool is words else take(number, pool, attr)
            if found is None:
                rest.append(number)
                continue
            matched.append(number)
            if attr == "invalid" and not (number.code and found.raw == number.raw):
                wrong.append((number, found))
        pending = rest
    # converted imperial quantities: "5 miles" -> "8 km"
    rest = []
    for number in pending:
        found = None
        if number.conversions:
            found = next((c for c in digits if id(c) not in used and any(
                _close(v, conv) for v in c.values for conv in number.conversions)), None)
        if found is not None:
            used.add(id(found))
        else:
            rest.append(number)
    pending = rest
    explained = set()
    for number in required + optional:
        explained |= number.values | set(number.conversions)
    added = [n for n in digits if id(n) not in used and not n.minutes_zero
             and not (n.values | n.invalid) & explained
             and not any(_close(v, c) for v in n.values for s in required
                         for c in s.conversions)]
    matched_values = {v for n in matched for v in n.values}
    integers = sorted(v for v in matched_values if v == v.to_integral_value())
    missing, excused = [], []
    for number in pending:
        value = min(number.values)
        if added:  # a number stands in its place: changed, not left out
            missing.append(number)
        elif number.values & matched_values and number.identifier and (
                not target_text or re.search(rf"(?<![\w.]){re.escape(number.suffix)}(?!\w)",
                                             target_text)):
            # the merge is seen: the letters of the name stand alone in the target
            excused.append((number, "a name the source repeats, given once: 802.11a, b"))
        elif number.parenthetical:
            excused.append((number, "an imperial equivalent in parentheses, left out"))
        elif value == value.to_integral_value() and any(
                a < value < b and b - a <= 3 for a in integers for b in integers):
            excused.append((number, "the target gives the series by its ends"))
        else:
            missing.append(number)
    return Match(missing, excused, wrong, added)


class NumbersCheck(PairCheck):
    name = "numbers"

    def check_pair(self, pair: SegmentPair, context: CheckContext) -> list[Finding]:
        source = extract(pair.source, context.source_lang, source=True,
                         months_as_numbers=context.target_lang in MONTHS_AS_NUMBERS)
        target = extract(pair.target, context.target_lang)
        result = match_numbers(source, target, pair.target)
        language = LANGUAGES[context.target_lang].name
        findings: list[Finding] = []
        for number in result.missing:
            findings.append(Finding(
                "numbers.missing", Severity.ERROR, pair.id,
                f"the number {number.raw} of the source is not in the target",
                source_span=number.span))
        for number, reason in result.excused:
            findings.append(Finding(
                "numbers.missing", Severity.WARNING, pair.id,
                f"the number {number.raw} of the source is not in the target ({reason})",
                source_span=number.span))
        for src, tgt in result.wrong_format:
            value = next(iter(src.values & tgt.invalid))
            suggestion = format_for(value, context.target_lang)
            misread = sorted(tgt.values)
            spec = locale_numbers(context.target_lang)
            confusing = any(c in spec.decimals and c not in spec.groups
                            for c in tgt.raw[:-4])  # "2,500,000" in es: comma for thousands
            if misread:  # the locale reads it as another number: "2,500" in es is 2.5
                severity = Severity.ERROR
                message = (f"{tgt.raw} for {src.raw}: {language} reads {tgt.raw} as "
                           f"{_show(misread[0])}; write {suggestion}")
            elif confusing:
                severity = Severity.ERROR
                message = (f"{tgt.raw} for {src.raw}: {language} writes its decimal sign "
                           f"where the thousands go; write {suggestion}")
            else:  # unambiguous, but not how the locale writes it: "3.5" in fr
                severity = Severity.WARNING
                message = (f"{tgt.raw} for {src.raw}: {language} does not write numbers so; "
                           f"write {suggestion}")
            findings.append(Finding("numbers.format", severity, pair.id, message,
                                    source_span=src.span, target_span=tgt.span,
                                    suggestion=suggestion))
        for number in result.added:
            findings.append(Finding(
                "numbers.added", Severity.WARNING, pair.id,
                f"the number {number.raw} in the target is not in the source",
                target_span=number.span))
        return findings


def _show(value: Decimal) -> str:
    return format(value.normalize(), "f")
