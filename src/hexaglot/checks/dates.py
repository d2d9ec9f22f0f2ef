"""Dates: a date of the source is in the target with the same day, month and year.

A date in the source is a month name of the source language (Babel's month names for its
locale: wide and abbreviated, format and stand-alone forms), with the day or days next to
it and the year after it: "25-26 October 2025", "October 25, 2025", "4th July 1776",
"in October". English "May" and "March", and abbreviations ("Oct", "Jan"), count only next
to a number or after "in/of/since/until/by/early/late/mid-", being also words.

In the target the month may be
    * a month name of the target language, from Babel: the format and stand-alone forms
      ("octobre"; Russian genitive "октября" and nominative "октябрь", and by stem the
      other cases, "в октябре"); Spanish also "setiembre", French "aout";
    * Arabic: the names of Babel's ``ar`` (أكتوبر), ``ar_SY`` (the Levantine تشرين الأول,
      used in UN Arabic, often as "تشرين الأول/أكتوبر"), ``ar_MA`` and ``ar_DZ`` locales,
      with hamza spellings folded (اكتوبر = أكتوبر; آ kept) and the clitics و ب ل ف ك;
    * Chinese: "10月" (half- or full-width digits) or "十月" (Babel's zh month names);
    * a number in a numeric date: 25.10.2025, 25/10/2025, 2025-10-25.
The day and the year must be there as numbers (any digits, or words/Chinese numerals, as
the numbers check reads them: "1er", "primero", "二十五日").

Two names joined by a slash or a parenthesis ("سبتمبر/أيلول", "أيلول (سبتمبر)") are one
mention of the month; the two must name the same month.

Dates are compared as a multiset: a month the source gives with different days ("July 6
... July 9") must be named as often in the target, unless the target gives those days
together with the month once ("les 6 et 9 juillet"). A date repeated as it was ("4 July ...
4 July") and a month without a day ("in July ... on July 4") ask for no further mention.

Findings (both errors)
    ``dates.format``: the month is not there in the target's language, but its source-language
        name is ("October" left in a French target).
    ``dates.mismatch``: the month is missing or another month stands there, or the day or
        year of the date is not in the target; a month the target names fewer times than
        the source gives dates in it ("6 août ... 9 juillet" for "July 6 ... July 9"); a
        pair of names for two different months ("أكتوبر/أيلول").
Numeric dates in the source ("10/25/2025") are not read: day and month order is ambiguous;
the numbers check still checks their numbers. Years dropped by a translator when redundant
("post-September 11, 2001 era" -> "11 de septiembre") are reported: a reviewer decides.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from hexaglot.checks.base import CheckContext, Finding, PairCheck, SegmentPair, Severity
from hexaglot.checks.numbers import extract, normalize_digits
from hexaglot.languages import LANGUAGES

# Regional locales whose month names are also in use for a language (see the docstring).
_EXTRA_LOCALES = {"ar": ("ar_SY", "ar_MA", "ar_DZ")}
_EXTRA_NAMES = {"es": {9: ["setiembre"]}, "fr": {8: ["aout"]}}
# words that are month names only next to a number or a preposition of time
_AMBIGUOUS = {"may", "march", "jan", "mar", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
              "dec", "feb", "apr"}
_TIME_WORD = re.compile(r"(?:\b(?:in|of|since|until|till|by|early|late|from|last|next|this|"
                        r"before|after|during)\s+|mid-)$", re.IGNORECASE)
_ZH_MONTH = re.compile(r"(?<![0-9一二三四五六七八九十])"
                       r"(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
                       r"\s*月(?!份?[0-9]*号)")
_ZH_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
                "九": 9, "十": 10, "十一": 11, "十二": 12}
_NUMERIC_DMY = re.compile(r"(?<![0-9])([0-3]?[0-9])([./-])([01]?[0-9])\2([0-9]{4}|[0-9]{2})"
                          r"(?![0-9])")
_NUMERIC_YMD = re.compile(r"(?<![0-9])([0-9]{4})([./-])([01]?[0-9])\2([0-3]?[0-9])(?![0-9])")
_AR_CLITICS = r"(?:[وف]?[بلك]?)"


def _fold(text: str) -> str:
    """Lower case, and Arabic hamza forms folded (أ إ -> ا, ى -> ي), same length; آ is
    kept, for آب (August) is not أب (father)."""
    return text.lower().translate(str.maketrans("أإى", "ااي"))


@cache
def month_names(lang: str) -> dict[int, tuple[str, ...]]:
    """Month number -> its names in ``lang``, folded, from Babel's locale data."""
    from babel import Locale

    language = LANGUAGES.get(lang)
    names: dict[int, set[str]] = {m: set() for m in range(1, 13)}
    for locale_id in ((language.babel_locale if language else lang) or lang,
                      *_EXTRA_LOCALES.get(lang, ())):
        locale = Locale.parse(locale_id)
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for month, name in locale.months[context][width].items():
                    name = unicodedata.normalize("NFC", name).rstrip(".")
                    if len(name) >= (2 if lang == "ar" else 3) and \
                            not any(c.isdigit() for c in name):
                        names[month].add(_fold(name))
    for month, extra in _EXTRA_NAMES.get(lang, {}).items():
        names[month].update(extra)
    return {m: tuple(sorted(v, key=len, reverse=True)) for m, v in names.items()}


@cache
def _month_pattern(lang: str) -> re.Pattern[str]:
    names = month_names(lang)
    if lang == "ru":  # by stem: января, январь, январе, январём
        from babel import Locale

        months = Locale.parse(LANGUAGES["ru"].babel_locale).months
        alternatives = []
        for month in names:
            wide = [_fold(months[c]["wide"][month]) for c in ("format", "stand-alone")]
            stem = min(wide, key=len)
            for form in wide:
                while not form.startswith(stem):
                    stem = stem[:-1]
            alternatives.append(f"(?P<m{month}>{re.escape(stem)}[ьяеюйёиау]{{0,2}})")
        body = "|".join(alternatives)
        return re.compile(rf"(?<!\w)(?:{body})(?!\w)")
    groups = "|".join(f"(?P<m{month}>" + "|".join(re.escape(f) for f in forms) + ")"
                      for month, forms in names.items() if forms)
    if not groups:  # no month names (Vietnamese writes "tháng 10"): nothing to find
        return re.compile(r"(?!)")
    if lang == "ar":
        return re.compile(rf"(?<!\w){_AR_CLITICS}(?:{groups})(?!\w)")
    return re.compile(rf"(?<!\w)(?:{groups})(?!\w)")


@dataclass(frozen=True)
class MonthMention:
    month: int
    span: tuple[int, int]
    paired: int | None = None  # the month of the second name of a pair, "سبتمبر/أيلول"

    @property
    def months(self) -> set[int]:
        return {self.month} if self.paired is None else {self.month, self.paired}


# two names of one month, "سبتمبر/أيلول", "تشرين الأول/أكتوبر", "أيلول (سبتمبر)"
_PAIR_BETWEEN = re.compile(r"\s*/\s*|\s*\(\s*")


def find_months(text: str, lang: str, *, strict: bool = False) -> list[MonthMention]:
    """Month names (and Chinese "10月") in ``text``. ``strict``: ambiguous words ("May",
    "Oct") only next to a number or after a preposition of time, as in a source."""
    out: list[MonthMention] = []
    folded = _fold(normalize_digits(text))
    if lang == "zh":
        for match in _ZH_MONTH.finditer(folded):
            token = match.group(1)
            month = int(token) if token.isdigit() else _ZH_NUMERALS[token]
            out.append(MonthMention(month, match.span()))
        return out
    for match in _month_pattern(lang).finditer(folded):
        month = next(int(k[1:]) for k, v in match.groupdict().items() if v is not None)
        word = text[match.start():match.end()]
        if lang == "en":
            if not word[:1].isupper():
                continue
            if strict and word.lower() in _AMBIGUOUS:
                before, after = text[:match.start()], text[match.end():]
                if not (re.search(r"[0-9](?:st|nd|rd|th)?\s*(?:of\s+)?$", before)
                        or re.match(r"\.?\s*[0-9]", after) or _TIME_WORD.search(before)):
                    continue
        out.append(MonthMention(month, match.span()))
    return _pairs(text, out)


def _pairs(text: str, mentions: list[MonthMention]) -> list[MonthMention]:
    """Two month names joined by a slash or a parenthesis are one mention (UN Arabic gives
    a month by both its names); ``paired`` is the second name's month, which should be the
    same."""
    out: list[MonthMention] = []
    for mention in mentions:
        if out and out[-1].paired is None:
            last = out[-1]
            between = _PAIR_BETWEEN.fullmatch(text, last.span[1], mention.span[0])
            if between and ("/" in between.group() or
                            text[mention.span[1]:mention.span[1] + 1] == ")"):
                end = mention.span[1] + ("/" not in between.group())
                out[-1] = MonthMention(last.month, (last.span[0], end), mention.month)
                continue
        out.append(mention)
    return out


_ORD = r"(?:st|nd|rd|th|er|e|º|\.º|-?го|-?е)?"
_DAYS_BEFORE = re.compile(rf"(?<![0-9])([0-3]?[0-9]){_ORD}(?:\s*(?:-|–|to|and|&|y|et|и|au|al|"
                          rf"و|إلى)\s*"
                          rf"([0-3]?[0-9]){_ORD})?\s+(?:of\s+|de\s+)?$")
_DAYS_AFTER = re.compile(rf"^\.?\s+([0-3]?[0-9]){_ORD}"
                         rf"(?:\s*(?:-|–|to|and|&)\s*([0-3]?[0-9]){_ORD})?"
                         r"(?![0-9])")
_YEAR_AFTER = re.compile(r"^,?\s+(?:de\s+|of\s+)?([12][0-9]{3})(?![0-9])")


@dataclass(frozen=True)
class Date:
    month: int
    days: tuple[int, ...]
    year: int | None
    span: tuple[int, int]
    text: str


def find_dates(text: str, lang: str) -> list[Date]:
    """Dates around the month names of ``text``."""
    norm = normalize_digits(text)
    dates = []
    for mention in find_months(text, lang, strict=True):
        start, end = mention.span
        days: list[int] = []
        year = None
        if lang == "zh":
            year_match = re.search(r"([0-9]{4})\s*年\s*$", norm[:start])
            day_match = re.match(r"\s*([0-9]{1,2})\s*日?(?:\s*(?:-|–|至|到)\s*([0-9]{1,2}))?",
                                 norm[end:])
            year = int(year_match.group(1)) if year_match else None
            if day_match:
                days = [int(d) for d in day_match.groups() if d]
                end += day_match.end()
            if year_match:
                start = year_match.start()
        else:
            before = _DAYS_BEFORE.search(norm[max(0, start - 30):start])
            if before:
                days = [int(d) for d in before.groups() if d]
                start -= len(before.group())
            after = norm[end:]
            if not days:
                day_after = _DAYS_AFTER.match(after)
                if day_after:
                    days = [int(d) for d in day_after.groups() if d]
                    end += day_after.end()
                    after = norm[end:]
            year_after = _YEAR_AFTER.match(after)
            if year_after:
                year = int(year_after.group(1))
                end += year_after.end()
        days = [d for d in days if 1 <= d <= 31]
        dates.append(Date(mention.month, tuple(days), year, (start, end), text[start:end]))
    return dates


def numeric_months(text: str) -> list[int]:
    """Months written as numbers in numeric dates: 25.10.2025, 2025-10-25 (one a date)."""
    norm = normalize_digits(text)
    months = [int(m.group(3)) for m in _NUMERIC_DMY.finditer(norm)]
    months += [int(m.group(3)) for m in _NUMERIC_YMD.finditer(norm)]
    return [m for m in months if 1 <= m <= 12]


class DatesCheck(PairCheck):
    name = "dates"

    def check_pair(self, pair: SegmentPair, context: CheckContext) -> list[Finding]:
        dates = find_dates(pair.source, context.source_lang)
        if not dates:
            return []
        target_lang = context.target_lang
        mentions = find_months(pair.target, target_lang)
        times: Counter[int] = Counter(numeric_months(pair.target))  # month -> mentions
        for mention in mentions:
            times.update(mention.months)
        in_target = set(times)
        left_in_source_language = set()
        if target_lang != context.source_lang:
            left_in_source_language = {m.month for m in find_months(pair.target,
                                                                    context.source_lang)}
        values: set[Decimal] = set()
        for number in extract(pair.target, target_lang):
            values |= number.values | number.invalid
        names = month_names(target_lang)
        findings: list[Finding] = []
        for mention in mentions:
            if len(mention.months) > 1:  # "أكتوبر/أيلول": October by one name, September
                said = pair.target[mention.span[0]:mention.span[1]]
                findings.append(Finding(
                    "dates.mismatch", Severity.ERROR, pair.id,
                    f"{said!r} names two different months ({mention.month} and "
                    f"{mention.paired}) as one", target_span=mention.span))
        for date in dates:
            wanted = names[date.month][0] if names[date.month] else str(date.month)
            if date.month not in in_target:
                if date.month in left_in_source_language:
                    findings.append(Finding(
                        "dates.format", Severity.ERROR, pair.id,
                        f"the month of {date.text!r} is left in the source language; "
                        f"{LANGUAGES[target_lang].name} writes it {wanted!r}",
                        source_span=date.span, suggestion=wanted))
                else:
                    other = sorted(in_target)
                    what = (f"the target has month {', '.join(map(str, other))} instead"
                            if other else "the target has no month")
                    findings.append(Finding(
                        "dates.mismatch", Severity.ERROR, pair.id,
                        f"the month of {date.text!r} is not in the target: {what}",
                        source_span=date.span, suggestion=wanted))
                continue
            lost = [str(d) for d in date.days if Decimal(d) not in values]
            if date.year is not None and Decimal(date.year) not in values:
                lost.append(str(date.year))
            if lost:
                findings.append(Finding(
                    "dates.mismatch", Severity.ERROR, pair.id,
                    f"{' and '.join(lost)} of the date {date.text!r} not in the target",
                    source_span=date.span))
        findings.extend(_fewer_dates(pair, dates, times, target_lang))
        return findings


def _fewer_dates(pair: SegmentPair, dates: list[Date], times: Counter[int],
                 target_lang: str) -> list[Finding]:
    """Dates compared as a multiset: a month the source gives on two days ("July 6 ...
    July 9") is named twice in the target, unless the target gives those days with it
    once ("les 6 et 9 juillet"). A third month standing for one of them ("6 août ...
    9 juillet") leaves a day of the source without its month."""
    findings = []
    target_days: dict[int, set[int]] = {}
    for date in find_dates(pair.target, target_lang):
        target_days.setdefault(date.month, set()).update(date.days)
    for month in sorted({d.month for d in dates} & set(times)):
        group = [d for d in dates if d.month == month]
        # one mention for each date with its own days; "in July" alone asks for one
        needed = max(1, len({d.days for d in group if d.days}))
        if times[month] >= needed:
            continue
        days_there = target_days.get(month, set())
        source_days = {day for d in group for day in d.days}
        if source_days <= days_there:
            continue  # the target gives the days together, with the month once
        lost = next((d for d in group if not set(d.days) <= days_there), group[-1])
        findings.append(Finding(
            "dates.mismatch", Severity.ERROR, pair.id,
            f"the source gives {needed} dates in month {month}, the target names it "
            f"{times[month]} time(s): {lost.text!r} is not there with its month",
            source_span=lost.span))
    return findings
