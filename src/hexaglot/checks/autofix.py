"""Mechanical fixes applied to machine translation before anyone reads it.

Some findings have one right answer that needs no judgement: "2,500" in a Spanish target
is "2.500", French puts a no-break space before ":", a doubled space is one space. Engines
make these mistakes by the hundred (Apertium leaves "2,500" as it is); a reviser should
not have to. Only machine output is fixed, never a human translation, and every fix is
listed in the segment's notes.
"""

from __future__ import annotations

from collections.abc import Iterable

from hexaglot.checks.base import Finding

# Finding codes whose suggestion is safe to apply as it is.
FIXABLE = frozenset({
    "numbers.format",
    "punctuation.french-space",
    "punctuation.double-space",
    "punctuation.fullwidth",
    "punctuation.arabic",
})


def apply_fixes(text: str, findings: Iterable[Finding]) -> tuple[str, list[tuple[str, str]]]:
    """The text with the fixable findings' suggestions in place of their target spans
    (overlapping ones skipped), and the (before, after) pairs applied."""
    fixes = sorted((f for f in findings if f.code in FIXABLE and f.target_span is not None
                    and f.suggestion), key=lambda f: f.target_span[0], reverse=True)
    applied: list[tuple[str, str]] = []
    limit = len(text) + 1
    for finding in fixes:
        start, end = finding.target_span
        if end > limit or start < 0 or end > len(text):
            continue
        before = text[start:end]
        if before == finding.suggestion:
            continue
        text = text[:start] + finding.suggestion + text[end:]
        applied.append((before, finding.suggestion))
        limit = start
    applied.reverse()
    return text, applied
