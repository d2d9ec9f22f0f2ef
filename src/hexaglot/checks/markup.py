"""Markup: URLs, e-mail addresses, ⟦n⟧ placeholders and inline codes kept exactly.

Everything that :data:`hexaglot.mt.base.DO_NOT_TRANSLATE` protects, plus the inline codes
that files from other tools carry (``<b>``, ``</a>``, ``<br/>``, ``{0}``, ``{name}``,
``%s``, ``%1$d``, ``%(name)s``), must come out of translation character for character: a
reader cannot click ``www.un.org/fr`` that became ``www.onu.org/fr``, and a ``{0}`` that
became ``{1}`` puts the wrong value in the sentence.

The patterns here are stricter than the engine mask where the mask leans on ``\\b`` and
``\\w``: in Chinese and Arabic text a URL or an address sits right against letters of
another script (``请发送至press@un.org。``), and ``\\w`` would take those letters in.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from hexaglot.checks.base import CheckContext, Finding, PairCheck, SegmentPair, Severity

# What may end a URL: not the punctuation that closes the sentence around it, in any of
# the scripts (ASCII, full-width, Arabic).
_URL_BODY = r"[^\s<>\"“”«»‘’「」（）《》，。：；！？、\u060c\u061b\u061f]*"
_URL_END = r"[^\s<>\"“”«»‘’「」（）《》，。：；！？、\u060c\u061b\u061f.,;:!?)\]'’]"
_URL = rf"(?<![A-Za-z0-9@.])(?:(?:https?|ftp)://|www\.){_URL_BODY}{_URL_END}"
_EMAIL = r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
_PLACEHOLDER = r"⟦\d+⟧"
_TAG = r"</?[A-Za-z][\w:.-]*(?:\s+[^<>]*?)?/?>"
_BRACE = r"\{\{?\s*[A-Za-z0-9_]+(?:[.:][^{}\s]*)?\s*\}?\}"
_PRINTF = r"(?<![\w%])%(?:\(\w+\)|\d+\$)?[-+0#]?\d*(?:\.\d+)?[sdifuxXeEgGc@](?![A-Za-z])"

CODE = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in (
    ("placeholder", _PLACEHOLDER), ("email", _EMAIL), ("url", _URL), ("tag", _TAG),
    ("brace", _BRACE), ("printf", _PRINTF))))

KIND_NAMES = {"placeholder": "placeholder", "email": "e-mail address", "url": "URL",
              "tag": "tag", "brace": "inline code", "printf": "inline code"}


@dataclass(frozen=True)
class Code:
    kind: str
    text: str
    start: int
    end: int


def find_codes(text: str) -> list[Code]:
    """Every URL, e-mail address, placeholder and inline code in ``text``, in order."""
    return [Code(match.lastgroup or "", match.group(), match.start(), match.end())
            for match in CODE.finditer(text)]


def code_spans(text: str) -> list[tuple[int, int]]:
    """Where the codes are, for checks that must not look inside them (punctuation)."""
    return [(code.start, code.end) for code in find_codes(text)]


def _broken_placeholders(text: str) -> Iterator[re.Match[str]]:
    whole = [(m.start(), m.end()) for m in re.finditer(_PLACEHOLDER, text)]
    for match in re.finditer(r"[⟦⟧]", text):
        if not any(start <= match.start() < end for start, end in whole):
            yield match


def _beyond(codes: list[Code], balance: Counter[str], sign: int) -> list[Code]:
    """The last ``sign * balance[text]`` occurrences of each code text in ``codes``."""
    left = Counter({text: sign * count for text, count in balance.items() if sign * count > 0})
    found: list[Code] = []
    for code in reversed(codes):
        if left[code.text] > 0:
            left[code.text] -= 1
            found.append(code)
    return found[::-1]


class MarkupCheck(PairCheck):
    name = "markup"

    def check_pair(self, pair: SegmentPair, context: CheckContext) -> list[Finding]:
        findings: list[Finding] = []
        source_codes = find_codes(pair.source)
        target_codes = find_codes(pair.target)
        balance = Counter(code.text for code in source_codes)
        balance.subtract(code.text for code in target_codes)
        # Occurrences beyond what the other side has: the first ones in source order are
        # taken as matched, the rest reported.
        missing_codes = _beyond(source_codes, balance, 1)
        added = _beyond(target_codes, balance, -1)
        for code in missing_codes:
            what = KIND_NAMES[code.kind]
            # A code of the same kind in its place is most likely the same one, changed.
            changed = next((c for c in added if c.kind == code.kind), None)
            if changed is not None:
                added.remove(changed)
                findings.append(Finding(
                    "markup.missing", Severity.ERROR, pair.id,
                    f"{what} “{code.text}” is changed to “{changed.text}” in the target: "
                    "it must be kept exactly",
                    source_span=(code.start, code.end),
                    target_span=(changed.start, changed.end), suggestion=code.text))
            else:
                findings.append(Finding(
                    "markup.missing", Severity.ERROR, pair.id,
                    f"{what} “{code.text}” of the source is missing from the target",
                    source_span=(code.start, code.end), suggestion=code.text))
        for code in added:
            what = KIND_NAMES[code.kind]
            # A translator may point a reader to a page in their language; an added code
            # or placeholder is never right.
            severity = Severity.WARNING if code.kind in ("url", "email") else Severity.ERROR
            findings.append(Finding(
                "markup.added", severity, pair.id,
                f"{what} “{code.text}” is in the target but not in the source",
                target_span=(code.start, code.end)))
        for match in _broken_placeholders(pair.target):
            findings.append(Finding(
                "markup.broken-placeholder", Severity.ERROR, pair.id,
                f"a lone “{match.group()}” in the target: a ⟦n⟧ placeholder was broken "
                "in translation",
                target_span=(match.start(), match.end())))
        return findings
