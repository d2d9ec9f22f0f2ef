"""Length: a target much shorter or much longer than translations of this pair run.

A target cut short (a dropped clause, an engine that stopped early) or blown up (an engine
repeating itself) shows in the ratio of target to source length. What is normal depends
on the pair: Chinese takes about a third of the characters of English, French a fifth
more. The expected band per pair comes from professional translations, the FLORES-200
devtest (1,012 sentences line-aligned in all eight languages hexaglot reads):

    ratio = characters of the target / characters of the source (whitespace not counted)
    band  = [0.5th percentile / 1.1, 99.5th percentile * 1.1] over the 1,012 sentences

Regenerate the table with (prints it in the form below)::

    PYTHONPATH=src python -m hexaglot.checks.length /path/to/flores200-devtest

Segments shorter than 20 characters of source (6 for Chinese) are not judged: a heading
or a table cell has too few characters for a ratio to mean anything.
"""

from __future__ import annotations

import sys
from pathlib import Path

from hexaglot.checks.base import CheckContext, Finding, PairCheck, SegmentPair, Severity

WIDEN = 1.1  # beyond the percentile band, so that an unusual but good sentence passes
MIN_SOURCE_CHARS = {"zh": 6}
MIN_SOURCE_CHARS_DEFAULT = 20

# (source, target) -> (lowest, highest) character ratio target/source; see above.
RATIO_BANDS: dict[tuple[str, str], tuple[float, float]] = {
    # printed by: PYTHONPATH=src python -m hexaglot.checks.length <flores200-devtest>
    ("ar", "en"): (0.66, 1.88), ("ar", "es"): (0.73, 2.48), ("ar", "fr"): (0.73, 2.27),
    ("ar", "ru"): (0.66, 2.23), ("ar", "zh"): (0.23, 1.01), ("en", "ar"): (0.53, 1.51),
    ("en", "es"): (0.75, 1.9), ("en", "fr"): (0.78, 1.87), ("en", "ru"): (0.67, 1.87),
    ("en", "zh"): (0.21, 0.93), ("es", "ar"): (0.4, 1.36), ("es", "en"): (0.53, 1.33),
    ("es", "fr"): (0.59, 1.6), ("es", "ru"): (0.53, 1.6), ("es", "zh"): (0.15, 0.76),
    ("fr", "ar"): (0.44, 1.36), ("fr", "en"): (0.54, 1.28), ("fr", "es"): (0.63, 1.68),
    ("fr", "ru"): (0.54, 1.54), ("fr", "zh"): (0.17, 0.83), ("id", "ar"): (0.46, 1.39),
    ("id", "en"): (0.59, 1.4), ("id", "es"): (0.61, 1.87), ("id", "fr"): (0.65, 1.74),
    ("id", "ru"): (0.59, 1.76), ("id", "zh"): (0.18, 0.91), ("ru", "ar"): (0.45, 1.51),
    ("ru", "en"): (0.53, 1.49), ("ru", "es"): (0.62, 1.9), ("ru", "fr"): (0.65, 1.85),
    ("ru", "zh"): (0.17, 0.82), ("vi", "ar"): (0.5, 1.63), ("vi", "en"): (0.62, 1.74),
    ("vi", "es"): (0.69, 2.16), ("vi", "fr"): (0.73, 2.06), ("vi", "ru"): (0.6, 2.07),
    ("vi", "zh"): (0.21, 0.94), ("zh", "ar"): (0.99, 4.4), ("zh", "en"): (1.08, 4.69),
    ("zh", "es"): (1.32, 6.48), ("zh", "fr"): (1.21, 5.98), ("zh", "ru"): (1.23, 5.96),
}


def char_length(text: str) -> int:
    return sum(1 for char in text if not char.isspace())


class LengthCheck(PairCheck):
    name = "length"

    def check_pair(self, pair: SegmentPair, context: CheckContext) -> list[Finding]:
        band = RATIO_BANDS.get((context.source_lang, context.target_lang))
        source = char_length(pair.source)
        minimum = MIN_SOURCE_CHARS.get(context.source_lang, MIN_SOURCE_CHARS_DEFAULT)
        if band is None or source < minimum:
            return []
        target = char_length(pair.target)
        ratio = target / source
        low, high = band
        if low <= ratio <= high:
            return []
        how = "shorter" if ratio < low else "longer"
        hint = "something left out" if how == "shorter" else "something repeated or added"
        return [Finding(
            "length.ratio", Severity.WARNING, pair.id,
            f"the target is {ratio:.2f} times the source's length, {how} than "
            f"{context.source_lang}→{context.target_lang} translations run ({low:.2f}–"
            f"{high:.2f}): look for {hint}",
            target_span=(0, len(pair.target)))]


FLORES_FILES = {"en": "eng_Latn", "ar": "arb_Arab", "zh": "zho_Hans", "fr": "fra_Latn",
                "ru": "rus_Cyrl", "es": "spa_Latn", "vi": "vie_Latn", "id": "ind_Latn"}
TARGETS = ("ar", "zh", "en", "fr", "ru", "es")


def _percentile(values: list[float], share: float) -> float:
    """Linear interpolation between closest ranks, as numpy's default."""
    ordered = sorted(values)
    position = share * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def derive_bands(flores: Path, lines: slice = slice(None)) -> dict[tuple[str, str],
                                                                  tuple[float, float]]:
    lengths = {code: [char_length(line) for line in (flores / f"{name}.devtest")
                      .read_text(encoding="utf-8").splitlines()[lines]]
               for code, name in FLORES_FILES.items()}
    bands = {}
    for source in sorted(FLORES_FILES):
        for target in sorted(TARGETS):
            if source == target:
                continue
            ratios = [t / s for s, t in zip(lengths[source], lengths[target], strict=True)
                      if s]
            bands[(source, target)] = (round(_percentile(ratios, 0.005) / WIDEN, 2),
                                       round(_percentile(ratios, 0.995) * WIDEN, 2))
    return bands


if __name__ == "__main__":
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/flores200-devtest")
    items = [f"({s!r}, {t!r}): {band}".replace("'", '"')
             for (s, t), band in derive_bands(folder).items()]
    for index in range(0, len(items), 3):
        print("    " + ", ".join(items[index:index + 3]) + ",")
