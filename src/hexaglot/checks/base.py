"""What every QA check produces and receives.

A check looks at aligned source/target segments and reports findings, as Xbench, Verifika
and Okapi CheckMate do. Checks are small modules registered by name
(:mod:`hexaglot.checks`), so a desk switches one off or changes its severity in
``hexaglot.toml`` without touching code. A check must stay quiet on professional human
translations: each one is measured on the FLORES-200 references (``benchmarks/``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from hexaglot.glossary.match import TermMatch, TermMatcher


class Severity(StrEnum):
    ERROR = "error"  # the translation is wrong as it stands: a number changed, a term missing
    WARNING = "warning"  # probably wrong: a reviewer should look
    INFO = "info"  # worth knowing, often fine


@dataclass(frozen=True)
class Finding:
    code: str  # "<check>.<what>", e.g. "numbers.missing", "punctuation.french-space"
    severity: Severity
    segment_id: str
    message: str  # for the reviewer, in plain words, naming what was found
    source_span: tuple[int, int] | None = None  # character offsets in the source segment
    target_span: tuple[int, int] | None = None  # character offsets in the target segment
    suggestion: str = ""  # the fix where one is known, e.g. "2.500"

    def row(self) -> dict[str, object]:
        return {"segment": self.segment_id, "code": self.code,
                "severity": self.severity.value, "message": self.message,
                "suggestion": self.suggestion,
                "source_span": list(self.source_span) if self.source_span else None,
                "target_span": list(self.target_span) if self.target_span else None}


@dataclass(frozen=True)
class SegmentPair:
    """One aligned segment: what a check looks at."""

    id: str
    source: str
    target: str  # "" when the segment is still untranslated
    # Glossary hits of the source, when the caller has them (the pipeline does).
    source_hits: tuple[TermMatch, ...] = field(default=(), compare=False)
    # Every glossary match in the target, when the caller has them (enforcement does).
    target_matches: tuple[TermMatch, ...] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class CheckContext:
    """The languages of the pairs, and the glossary matchers where a check needs them."""

    source_lang: str
    target_lang: str
    source_matcher: TermMatcher | None = None
    target_matcher: TermMatcher | None = None


class Check(Protocol):
    """A family of checks. ``check`` sees a whole document's pairs at once, so that checks
    of consistency across segments are possible; most look at one pair at a time."""

    name: str

    def check(self, pairs: Sequence[SegmentPair], context: CheckContext) -> list[Finding]:
        ...


class PairCheck:
    """Base for checks that look at one pair at a time: implement ``check_pair``."""

    name = ""

    def check(self, pairs: Sequence[SegmentPair], context: CheckContext) -> list[Finding]:
        findings: list[Finding] = []
        for pair in pairs:
            if pair.target.strip():
                findings.extend(self.check_pair(pair, context))
        return findings

    def check_pair(self, pair: SegmentPair, context: CheckContext) -> list[Finding]:
        raise NotImplementedError
