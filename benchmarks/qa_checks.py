"""QA checks measured: false alarms on professional translations, recall on injected defects.

1. False alarms: every check over the FLORES-200 devtest, English source against the
   professional ar, zh, fr, ru and es references (1,012 segments each). For each check and
   language, the share of segments with an error finding, and with any finding. Goal:
   errors on under 2% of segments per check.
2. Recall: known defects injected into those references (and into the term-accuracy set's
   references for terminology), one defect per segment; a defect is caught when a finding
   of the expected family appears on that segment that was not there before. Goal: 95%
   per defect type.

Run: ``.venv/bin/python benchmarks/qa_checks.py [--show CHECK:LANG] [--limit N]``
"""

from __future__ import annotations

import argparse
import csv
import random
import re
from collections import Counter, defaultdict
from pathlib import Path

from babel.dates import get_month_names

from hexaglot.checks import REGISTRY, CheckContext, SegmentPair, load_check, run_checks
from hexaglot.glossary.index import load_index
from hexaglot.glossary.model import TermStatus
from hexaglot.languages import LANGUAGES

REPO = Path(__file__).resolve().parent.parent
FLORES = REPO.parent / "shared/data/flores200-devtest"
FILES = {"en": "eng_Latn", "ar": "arb_Arab", "zh": "zho_Hans", "fr": "fra_Latn",
         "ru": "rus_Cyrl", "es": "spa_Latn"}
TARGETS = ("ar", "zh", "fr", "ru", "es")
GLOSSARIES = (REPO / "glossaries/hanoi-2025-event.tbx", REPO / "glossaries/un-cybercrime.csv")
TERM_SET = REPO / "benchmarks/data/term_accuracy.tsv"


def flores(lang: str, limit: int) -> list[str]:
    return (FLORES / f"{FILES[lang]}.devtest").read_text(encoding="utf-8").splitlines()[:limit]


def false_alarms(index, limit: int, show: set[tuple[str, str]]) -> None:
    sources = flores("en", limit)
    print(f"False alarms on FLORES-200 devtest references ({len(sources)} segments): "
          "% of segments with an error finding / with any finding")
    print(f"{'check':14}" + "".join(f"{lang:>14}" for lang in TARGETS))
    rows: dict[str, list[str]] = defaultdict(list)
    for lang in TARGETS:
        targets = flores(lang, limit)
        context = CheckContext("en", lang, index.matcher("en"), index.matcher(lang))
        pairs = [SegmentPair(str(n), s, t) for n, (s, t) in enumerate(zip(sources, targets,
                                                                          strict=True))]
        for name in REGISTRY:
            found = load_check(name).check(pairs, context)
            errors = {f.segment_id for f in found if f.severity == "error"}
            anything = {f.segment_id for f in found}
            rows[name].append(f"{100 * len(errors) / len(pairs):5.1f} / "
                              f"{100 * len(anything) / len(pairs):4.1f}")
            if (name, lang) in show:
                for finding in found:
                    number = int(finding.segment_id)
                    print(f"  [{name}:{lang}] {finding.severity} {finding.code}: "
                          f"{finding.message}\n      en: {sources[number]}\n      "
                          f"{lang}: {targets[number]}")
    for name, cells in rows.items():
        print(f"{name:14}" + "".join(f"{cell:>14}" for cell in cells))


# -- defects -------------------------------------------------------------------------------

_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f ]\d{3})*(?:[.,]\d+)?")


def drop_number(source: str, target: str, lang: str, rng: random.Random) -> str | None:
    numbers = list(_NUMBER.finditer(target))
    if not numbers or not _NUMBER.search(source):
        return None
    match = rng.choice(numbers)
    return target[:match.start()] + target[match.end():]


def change_digit(source: str, target: str, lang: str, rng: random.Random) -> str | None:
    digits = [m for m in re.finditer(r"\d", target)]
    if not digits or not _NUMBER.search(source):
        return None
    match = rng.choice(digits)
    new = str((int(match.group()) + rng.randint(1, 8)) % 10)
    return target[:match.start()] + new + target[match.end():]


def english_thousands(source: str, target: str, lang: str, rng: random.Random) -> str | None:
    """"2,500" written the English way in a language where it reads as two and a half."""
    if lang not in ("es", "fr", "ru"):
        return None
    for match in re.finditer(r"\b(\d{1,3})[.\u00a0\u202f ](\d{3})\b", target):
        return target[:match.start()] + f"{match.group(1)},{match.group(2)}" + \
            target[match.end():]
    for match in re.finditer(r"\b(\d)(\d{3})\b", target):
        if not 1900 <= int(match.group()) <= 2100:  # not a year
            return target[:match.start()] + f"{match.group(1)},{match.group(2)}" + \
                target[match.end():]
    return None


def change_month(source: str, target: str, lang: str, rng: random.Random) -> str | None:
    for context in ("format", "stand-alone"):
        names = get_month_names("wide", context, locale=LANGUAGES[lang].babel_locale)
        for number, name in names.items():
            if re.search(rf"\b{re.escape(name)}\b", target, re.IGNORECASE) and lang != "zh":
                other = names[number % 12 + 1]
                return re.sub(rf"\b{re.escape(name)}\b", other, target, count=1,
                              flags=re.IGNORECASE)
    if lang == "zh":
        match = re.search(r"(\d{1,2})月", target)
        if match:
            month = int(match.group(1)) % 12 + 1
            return target[:match.start()] + f"{month}月" + target[match.end():]
    return None


def leave_in_english(source: str, target: str, lang: str, rng: random.Random) -> str | None:
    return source


def break_french_space(source: str, target: str, lang: str, rng: random.Random) -> str | None:
    if lang != "fr":
        return None
    new = re.sub(r"[ \u00a0\u202f]([;:!?])", r"\1", target, count=1)
    return new if new != target else None


def drop_spanish_inverted(source: str, target: str, lang: str,
                          rng: random.Random) -> str | None:
    if lang != "es" or "¿" not in target:
        return None
    return target.replace("¿", "", 1)


def halfwidth_chinese_comma(source: str, target: str, lang: str,
                            rng: random.Random) -> str | None:
    if lang != "zh" or "，" not in target:
        return None
    return target.replace("，", ",", 1)


def latin_arabic_comma(source: str, target: str, lang: str, rng: random.Random) -> str | None:
    if lang != "ar" or "،" not in target:
        return None
    return target.replace("،", ",", 1)


DEFECTS = {  # name -> (injector, check family expected to catch it)
    "number dropped": (drop_number, "numbers"),
    "digit changed": (change_digit, "numbers"),
    "2,500 in es/fr/ru": (english_thousands, "numbers"),
    "month changed": (change_month, "dates"),
    "left in English": (leave_in_english, "untranslated"),
    "French space broken": (break_french_space, "punctuation"),
    "Spanish ¿ dropped": (drop_spanish_inverted, "punctuation"),
    "Chinese ， half-width": (halfwidth_chinese_comma, "punctuation"),
    "Arabic ، Latin": (latin_arabic_comma, "punctuation"),
}


def _families(pair: SegmentPair, context: CheckContext) -> Counter:
    return Counter(f.code.split(".")[0] for f in run_checks([pair], context))


def injected(index, limit: int) -> None:
    rng = random.Random(0)
    sources = flores("en", limit)
    caught: dict[str, list[int]] = {name: [0, 0] for name in DEFECTS}
    for lang in TARGETS:
        context = CheckContext("en", lang, index.matcher("en"), index.matcher(lang))
        for number, (source, target) in enumerate(zip(sources, flores(lang, limit),
                                                      strict=True)):
            before = None
            for name, (inject, family) in DEFECTS.items():
                broken = inject(source, target, lang, rng)
                if broken is None or broken == target:
                    continue
                if before is None:
                    before = _families(SegmentPair(str(number), source, target), context)
                after = _families(SegmentPair(str(number), source, broken), context)
                caught[name][1] += 1
                caught[name][0] += after[family] > before[family]
    _terminology_defects(index, caught)
    _url_defects(index, caught)
    print("\nRecall on injected defects (one defect per segment; caught = a new finding of "
          "the expected check on that segment)")
    for name, (hit, total) in caught.items():
        share = f"{hit / total:.3f}" if total else "  -  "
        print(f"  {name:28} {share}   ({hit} of {total})")


def _terminology_defects(index, caught) -> None:
    """Approved terms swapped for their forbidden variant, in the term-accuracy set."""
    caught["term → forbidden variant"] = [0, 0]
    with open(TERM_SET, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    for lang in ("es", "fr"):
        context = CheckContext("en", lang, index.matcher("en"), index.matcher(lang))
        for row in rows:
            target = row[lang]
            for match in index.matcher(lang).find(target):
                forbidden = [t for t in match.concept.terms_in(lang)
                             if t.status is TermStatus.FORBIDDEN]
                if not forbidden or not match.term.status.allowed:
                    continue
                broken = target[:match.start] + forbidden[0].text + target[match.end:]
                before = _families(SegmentPair(row["id"], row["en"], target), context)
                after = _families(SegmentPair(row["id"], row["en"], broken), context)
                caught["term → forbidden variant"][1] += 1
                caught["term → forbidden variant"][0] += after["terminology"] > \
                    before["terminology"]
                break


def _url_defects(index, caught) -> None:
    """A URL and an e-mail address added to both sides, then dropped from the target."""
    caught["URL or e-mail dropped"] = [0, 0]
    sources = flores("en", 200)
    for lang in TARGETS:
        context = CheckContext("en", lang, index.matcher("en"), index.matcher(lang))
        for number, (source, target) in enumerate(zip(sources, flores(lang, 200),
                                                      strict=True)):
            address = ("https://www.unodc.org/cybercrime" if number % 2
                       else "press@hanoi2025.example.org")
            source_with = f"{source} ({address})"
            target_with = f"{target} ({address})"
            before = _families(SegmentPair(str(number), source_with, target_with), context)
            after = _families(SegmentPair(str(number), source_with, target), context)
            caught["URL or e-mail dropped"][1] += 1
            caught["URL or e-mail dropped"][0] += after["markup"] > before["markup"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=1012, help="segments per language")
    parser.add_argument("--show", action="append", default=[], metavar="CHECK:LANG",
                        help="print every finding of a check in a language")
    args = parser.parse_args()
    index = load_index(GLOSSARIES)
    show = {tuple(item.split(":")) for item in args.show}
    false_alarms(index, args.limit, show)
    injected(index, args.limit)


if __name__ == "__main__":
    main()
