"""QA checks by name, and one call that runs those a desk has switched on.

``hexaglot.toml`` may switch checks off and change severities::

    [checks]
    disabled = ["length"]
    [checks.severity]
    "punctuation.double-space" = "info"     # a finding code, or a whole check's name
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from hexaglot.checks.base import Check, CheckContext, Finding, SegmentPair, Severity
from hexaglot.document import HexaglotError

# name -> "module:Class"; imported on first use.
REGISTRY: dict[str, str] = {}


def register(name: str, target: str) -> None:
    REGISTRY[name] = target


@dataclass(frozen=True)
class ChecksConfig:
    disabled: frozenset[str] = frozenset()
    severity: Mapping[str, Severity] = field(default_factory=dict)

    def validate(self) -> None:
        for name in self.disabled:
            if name not in REGISTRY:
                raise HexaglotError(f"[checks] disabled: unknown check {name!r}: use one of "
                                    f"{', '.join(sorted(REGISTRY))}")


def load_check(name: str) -> Check:
    module_name, class_name = REGISTRY[name].split(":")
    return getattr(importlib.import_module(module_name), class_name)()


def run_checks(pairs: Sequence[SegmentPair], context: CheckContext,
               config: ChecksConfig | None = None) -> list[Finding]:
    """Every enabled check over a document's pairs, with the desk's severities applied,
    sorted by segment order."""
    config = config or ChecksConfig()
    findings: list[Finding] = []
    for name in REGISTRY:
        if name in config.disabled:
            continue
        for finding in load_check(name).check(pairs, context):
            severity = (config.severity.get(finding.code)
                        or config.severity.get(finding.code.split(".")[0]))
            findings.append(replace(finding, severity=severity) if severity else finding)
    order = {pair.id: index for index, pair in enumerate(pairs)}
    findings.sort(key=lambda f: (order.get(f.segment_id, len(order)), f.code))
    return findings


__all__ = ["REGISTRY", "CheckContext", "ChecksConfig", "Finding", "SegmentPair", "Severity",
           "load_check", "register", "run_checks"]


for _name, _target in (
    ("terminology", "hexaglot.checks.terminology:TerminologyCheck"),
    ("numbers", "hexaglot.checks.numbers:NumbersCheck"),
    ("dates", "hexaglot.checks.dates:DatesCheck"),
    ("untranslated", "hexaglot.checks.untranslated:UntranslatedCheck"),
    ("punctuation", "hexaglot.checks.punctuation:PunctuationCheck"),
    ("markup", "hexaglot.checks.markup:MarkupCheck"),
    ("length", "hexaglot.checks.length:LengthCheck"),
):
    register(_name, _target)
