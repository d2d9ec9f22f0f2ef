"""Apertium, the rule-based engine from Debian, run as a subprocess.

Segments are sent as HTML paragraphs in one call per batch (``-f html-noent``), which keeps
segment boundaries exact (Apertium never reorders words across a block tag) and gives
inline markup its own format handling. Pairs without a direct mode pivot through Spanish,
which both installed language pairs share: en->es->fr and fr->es->en. Words Apertium did not
know come back marked with ``*``/``#``/``@``; the marks are removed from the translation and
listed in the segment's notes for the reviser. Inline codes (bold, links, note references)
go in as tags, which Apertium moves with the words they cover (:mod:`hexaglot.inline`).
"""

from __future__ import annotations

import functools
import html
import re
import shutil
import subprocess
from collections.abc import Sequence

from hexaglot.document import HexaglotError, InlineSpan
from hexaglot.inline import apply_edits, from_html, tidy, to_html
from hexaglot.mt.base import DO_NOT_TRANSLATE, Translation

# ISO 639-1 pair -> Apertium mode name, for the modes Debian's packages install.
_MODE_NAMES = {
    ("en", "es"): ("eng-spa", "en-es"),
    ("es", "en"): ("spa-eng", "es-en"),
    ("es", "fr"): ("es-fr", "spa-fra"),
    ("fr", "es"): ("fr-es", "fra-spa"),
}
_PIVOT = "es"
_PARAGRAPH = re.compile(r'<p data-s="(\d+)">(.*?)</p>', re.DOTALL)
_UNKNOWN = re.compile(r"(?<![\w*#@])([*#@])(?=[^\W\d_])([\w'’-]+)")


@functools.lru_cache(maxsize=1)
def installed_modes() -> frozenset[str]:
    """Modes that ``apertium -l`` lists, or none when Apertium is not installed."""
    if shutil.which("apertium") is None:
        return frozenset()
    result = subprocess.run(["apertium", "-l"], capture_output=True, text=True, check=False)
    return frozenset(line.strip() for line in result.stdout.splitlines() if line.strip())


@functools.lru_cache(maxsize=1)
def _package_versions() -> str:
    if shutil.which("dpkg-query") is None:
        return "unknown"
    result = subprocess.run(
        ["dpkg-query", "-W", "-f", "${Package} ${Version}\\n", "apertium", "apertium-eng-spa",
         "apertium-fr-es"], capture_output=True, text=True, check=False)
    return "; ".join(line for line in result.stdout.splitlines() if line.strip()) or "unknown"


def _mode(source: str, target: str) -> str | None:
    for name in _MODE_NAMES.get((source, target), ()):
        if name in installed_modes():
            return name
    return None


class ApertiumEngine:
    """Apertium through its command-line pipeline, direct or pivoting through Spanish."""

    name = "apertium"
    # A process per call pays ~0.3 s of start-up, and a segment more costs little: one call
    # per document, with glossary enforcement's masked segments in the same call.
    speculative = True
    batch_size = 5000
    inline_codes = True  # moves inline tags with the words: see translate(spans=...)

    def __init__(self, timeout: float | None = None) -> None:
        # Seconds a batch may take before Apertium counts as hung: generous, since a batch
        # of 200 long segments takes a few seconds, and a hang must not stall a nightly run.
        self.timeout = timeout

    @property
    def version(self) -> str:
        return _package_versions()

    def chain(self, source: str, target: str) -> list[str] | None:
        """The modes that take ``source`` to ``target``, or None if they are not installed."""
        direct = _mode(source, target)
        if direct:
            return [direct]
        first, second = _mode(source, _PIVOT), _mode(_PIVOT, target)
        if first and second:
            return [first, second]
        return None

    def supports(self, source: str, target: str) -> bool:
        return self.chain(source, target) is not None

    def translate(self, texts: Sequence[str], source: str, target: str,
                  spans: Sequence[Sequence[InlineSpan]] | None = None) -> list[Translation]:
        """Translations of ``texts``; with ``spans`` (inline codes per text), the codes
        travel as tags through Apertium, which moves them with the words, and come back
        over each translation (``Translation.spans``)."""
        chain = self.chain(source, target)
        if chain is None:
            raise HexaglotError(f"Apertium has no {source}->{target} pair installed")
        kept: list[str] = []
        codes: list[tuple[InlineSpan, str]] = []
        bodies = [to_html(text, spans[n] if spans else (), kept, codes, DO_NOT_TRANSLATE)
                  for n, text in enumerate(texts)]
        unknown: list[set[str]] = [set() for _ in texts]
        for mode in chain:
            for index, output in enumerate(_run(mode, bodies, self.timeout)):
                bodies[index], words = _unmark_unknown(output)
                unknown[index].update(words)
        results = []
        for body, words in zip(bodies, unknown, strict=True):
            text, found = _restore(body, kept, codes)
            notes = (f"Apertium did not know: {', '.join(sorted(words))}",) if words else ()
            results.append(Translation(text, notes, found if spans is not None else None))
        return results


_SPACE_BEFORE_STOP = re.compile(r"(?<=\w) +([.,])(?=\s|$)")
_TAG = re.compile(r"(<[^>]*>)")


def _unmark_unknown(body: str) -> tuple[str, set[str]]:
    """The markup with Apertium's unknown-word marks (``*``, ``#``, ``@``) taken out of its
    text, and the words so marked."""
    words: set[str] = set()
    pieces = []
    for token in _TAG.split(body):
        if token.startswith("<"):
            pieces.append(token)
            continue
        text = html.unescape(token)
        words.update(m.group(2) for m in _UNKNOWN.finditer(text))
        pieces.append(html.escape(_UNKNOWN.sub(r"\2", text), quote=False))
    return "".join(pieces), words


def _restore(body: str, kept: list[str],
             codes: list[tuple[InlineSpan, str]]) -> tuple[str, tuple[InlineSpan, ...]]:
    """The translated text, with protected spans put back, and its inline codes."""
    text, spans = from_html(body, kept, codes)
    # The HTML format leaves a blank before a final stop ("crecer ."); French spacing
    # before ; : ! ? is the target's own typography and stays.
    edits = [(m.start(), m.start(1), "") for m in _SPACE_BEFORE_STOP.finditer(text)]
    lead, trail = len(text) - len(text.lstrip()), len(text.rstrip())
    if not text.strip():
        edits = [(0, len(text), "")]
    else:
        edits += [(0, lead, "")] if lead else []
        edits += [(trail, len(text), "")] if trail < len(text) else []
    text, spans = apply_edits(text, spans, edits)
    return text, tidy(spans, text)


_PARAGRAPH_TAGS = re.compile(r"</?p\b[^>]*>")


def _run(mode: str, bodies: Sequence[str], timeout: float | None = None) -> list[str]:
    """Apertium's output markup for each input markup (one call for the batch)."""
    if not bodies:
        return []
    payload = "\n".join(f'<p data-s="{number}">{body}</p>' for number, body in enumerate(bodies))
    limit = timeout if timeout is not None else 60 + len(payload) / 1000
    try:
        result = subprocess.run(["apertium", "-f", "html-noent", mode], input=payload,
                                capture_output=True, text=True, check=False, timeout=limit)
    except subprocess.TimeoutExpired:
        raise HexaglotError(f"Apertium {mode} did not answer within {limit:.0f} s (stopped); "
                            "if it happens again, check the Apertium installation") from None
    except OSError as error:
        raise HexaglotError(f"Apertium {mode} could not be started: {error}") from None
    if result.returncode != 0:
        raise HexaglotError(f"Apertium {mode} stopped with exit code {result.returncode}: "
                            f"{result.stderr.strip()[:300] or 'no message'}")
    found = {int(number): body for number, body in _PARAGRAPH.findall(result.stdout)}
    if len(found) != len(bodies):
        # A segment boundary was lost: translate one by one rather than misalign segments.
        if len(bodies) == 1:
            return [_PARAGRAPH_TAGS.sub("", result.stdout).strip()]
        return [_run(mode, [body], timeout)[0] for body in bodies]
    return [found[n] for n in range(len(bodies))]
