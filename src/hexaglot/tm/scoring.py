"""Fuzzy scores as a translator reads them, and targets adapted to the query's numbers.

The score of a stored segment against a query, from the keys of :mod:`hexaglot.tm.text`:

* 100 when the two differ only in variables (numbers, codes), 99 when they also differ in
  case ("case differs"), 98 when punctuation differs ("punctuation differs");
* otherwise the character-level similarity of the two masked texts, rapidfuzz's
  ``fuzz.ratio`` (1 - insertions and deletions / total length, so a substitution costs two),
  rounded down and capped at 97 so that a change of wording never outranks a change of case
  or punctuation. Characters rather than words: the measure is the same for Chinese, which
  has no spaces, and for Russian and Arabic, where one changed ending is a small edit and
  not a whole wrong word; on whole sentences a one-word edit lands between 85 and 97;
* then 1 point off for each variable that differs, paired by order when both segments have
  as many ("number 2024 -> 2025"). Variables are masked out of the similarity, so a changed
  number is never a miss, only this small penalty.

A non-exact match never scores above 99.

When the two differ only in variables, case or punctuation, the stored target is adapted as
CAT tools do ("auto-localization"): each stored number that changed is found in the target
by its value, whatever the target's separators ("2,500" in the English source is "2 500" in
French, "2.500" in Spanish, "٢٥٠٠" in Arabic), and replaced by the query's number written as
the target wrote the old one (same separators, same digits). A changed code is found by its
exact text. What cannot be placed is left as it was, with a penalty and a note saying so:
a value the source gives twice (which of the two moved?), a number the target spells out
("two", "deux") or scales ("2.5 million" -> "250万"), or one the target gives twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from itertools import pairwise
from typing import Protocol

from rapidfuzz import fuzz

from hexaglot.checks.markup import KIND_NAMES, find_codes
from hexaglot.checks.numbers import locale_numbers, normalize_digits, readings
from hexaglot.tm.text import NUMBER_TOKEN, Variable, without_punctuation

FUZZY_CAP = 97
CASE_ONLY = 99
PUNCTUATION_ONLY = 98
BEST_FUZZY = 99


@dataclass(frozen=True)
class Scored:
    score: int
    penalties: tuple[str, ...]
    # the stored source differs from the query only in variables, case or punctuation:
    # its target can be adapted to the query's variables
    adaptable: bool
    changed: tuple[tuple[Variable, Variable], ...]  # (stored, query) variables that differ


class Keyed(Protocol):
    """A segment's keys as scoring reads them (a query's SegmentKeys, a stored source)."""

    masked: str
    loose: str

    @property
    def variables(self) -> Sequence[Variable]: ...


def describe(variable: Variable) -> str:
    return "number" if variable.kind == "number" else KIND_NAMES.get(variable.kind, "code")


def score(query: Keyed, stored: Keyed, min_score: int = 0) -> Scored | None:
    """The fuzzy score of ``stored`` for ``query`` (not an exact match: see the module
    doc), or None when it cannot reach ``min_score``."""
    notes: list[str] = []
    if query.masked == stored.masked:
        base = 100
    elif query.masked.casefold() == stored.masked.casefold():
        base = CASE_ONLY
        notes.append("case differs")
    elif query.loose == stored.loose:
        base = PUNCTUATION_ONLY
        same_case = without_punctuation(query.masked) == without_punctuation(stored.masked)
        notes.append("punctuation differs" if same_case else "case and punctuation differ")
    else:
        similarity = fuzz.ratio(query.masked, stored.masked, score_cutoff=min_score)
        if not similarity:
            return None
        base = min(FUZZY_CAP, int(similarity))
    changed: list[tuple[Variable, Variable]] = []
    if len(query.variables) == len(stored.variables):
        for old, new in zip(stored.variables, query.variables, strict=True):
            if old.key != new.key:
                changed.append((old, new))
                notes.append(f"{describe(new)} {old.text} -> {new.text}")
    result = min(BEST_FUZZY, base - len(changed))
    if result < min_score:
        return None
    return Scored(result, tuple(notes), adaptable=base >= PUNCTUATION_ONLY,
                  changed=tuple(changed))


# ---------------------------------------------------------------- adapting the target

_DIGIT_BLOCKS = (0x0660, 0x06F0, 0xFF10)  # Arabic-Indic, extended Arabic-Indic, full-width


@cache
def _symbols(lang: str) -> tuple[str, str]:
    """The target locale's own group and decimal signs (Babel), for a number the stored
    target did not show them for."""
    from babel import Locale

    symbols = Locale.parse(locale_numbers(lang).babel_locale).number_symbols["latn"]
    return symbols["group"], symbols["decimal"]


def _grouped(number: Variable) -> bool:
    """Whether a number was written with a thousands separator ("2,500", not "2500" or
    "2.5")."""
    exponent = number.value.as_tuple().exponent if number.value is not None else -1
    return isinstance(exponent, int) and exponent >= 0 \
        and any(not c.isdigit() for c in normalize_digits(number.text))


def _write_number(value: Decimal, group: str | None, decimal: str | None, like: str) -> str:
    """``value`` with the given signs, in the digits of ``like`` (the text it replaces)."""
    sign, digits, exponent = value.as_tuple()
    text = "".join(map(str, digits))
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if isinstance(exponent, int) and exponent > 0:
        text += "0" * exponent
    whole, fraction = (text[:-places] or "0", text[-places:]) if places else (text, "")
    if group:
        head = len(whole) % 3 or 3
        whole = group.join([whole[:head]] + [whole[i:i + 3] for i in range(head, len(whole), 3)])
    result = ("-" if sign else "") + whole + ((decimal or ".") + fraction if fraction else "")
    for base in _DIGIT_BLOCKS:
        if any(base <= ord(c) <= base + 9 for c in like):
            result = result.translate({ord(str(i)): chr(base + i) for i in range(10)})
    return result


def _target_numbers(target: str) -> list[tuple[int, int, str]]:
    """(start, end, ASCII-digit text) of each digit token of the target, codes excluded."""
    spans = [(code.start, code.end) for code in find_codes(target)]
    found = []
    for match in NUMBER_TOKEN.finditer(normalize_digits(target)):
        if not any(s <= match.start() < e for s, e in spans):
            found.append((match.start(), match.end(), match.group()))
    return found


def adapt_target(target: str, target_lang: str, stored: Keyed,
                 changed: tuple[tuple[Variable, Variable], ...]) -> tuple[str, tuple[str, ...]]:
    """The stored ``target`` with each changed variable put in, and a note for each one
    that could not be placed (see the module doc)."""
    edits: list[tuple[int, int, str]] = []
    notes: list[str] = []
    numbers = _target_numbers(target)
    for old, new in changed:
        what = f"{describe(new)} {old.text}"
        if sum(1 for v in stored.variables if v.key == old.key) > 1:
            notes.append(f"{what} occurs more than once in the stored source: not replaced "
                         "in the target")
            continue
        if old.kind == "number" and old.value is not None and new.value is not None:
            places = []
            for start, end, raw in numbers:
                for reading in readings(raw):
                    if reading.value == old.value:
                        places.append((start, end, reading))
                        break
            if len(places) != 1:
                notes.append(f"{what} {'is not' if not places else 'occurs more than once'} "
                             "in the target as digits: not replaced")
                continue
            start, end, reading = places[0]
            group = reading.group
            if group is None and _grouped(new) and not _grouped(old) and abs(new.value) >= 1000:
                # the query groups a number the stored pair gave too small to show how the
                # target groups: the locale's way ("2 500" in French)
                group = _symbols(target_lang)[0]
            decimal = reading.decimal or _symbols(target_lang)[1]
            edits.append((start, end, _write_number(new.value, group, decimal,
                                                    target[start:end])))
        else:
            count = target.count(old.text)
            if count != 1:
                notes.append(f"{what} {'is not' if not count else 'occurs more than once'} "
                             "in the target: not replaced")
                continue
            start = target.index(old.text)
            edits.append((start, start + len(old.text), new.text))
    edits.sort()
    if any(a[1] > b[0] for a, b in pairwise(edits)):
        return target, tuple(f"{describe(new)} {old.text} -> {new.text}: not replaced in the "
                             "target (overlapping)" for old, new in changed)
    parts, last = [], 0
    for start, end, text in edits:
        parts.append(target[last:start])
        parts.append(text)
        last = end
    parts.append(target[last:])
    return "".join(parts), tuple(notes)
