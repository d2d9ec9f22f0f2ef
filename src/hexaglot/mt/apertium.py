"""Apertium, the rule-based engine from Debian, run as a subprocess.

Segments are sent as HTML paragraphs in one call per batch (``-f html-noent``), which keeps
segment boundaries exact (Apertium never reorders words across a block tag) and gives
inline markup its own format handling. Pairs without a direct mode pivot through Spanish,
which both installed language pairs share: en->es->fr and fr->es->en. Words Apertium did not
know come back marked with ``*``/``#``/``@``; the marks are removed from the translation and
listed in the segment's notes for the reviser.
"""

from __future__ import annotations

import functools
import html
import re
import shutil
import subprocess
from collections.abc import Sequence

from hexaglot.document import HexaglotError
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

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[Translation]:
        chain = self.chain(source, target)
        if chain is None:
            raise HexaglotError(f"Apertium has no {source}->{target} pair installed")
        current = list(texts)
        unknown: list[set[str]] = [set() for _ in texts]
        for mode in chain:
            for index, (output, words) in enumerate(_run(mode, current, self.timeout)):
                unknown[index].update(words)
                current[index] = output
        return [
            Translation(text, (f"Apertium did not know: {', '.join(sorted(words))}",)
                        if words else ())
            for text, words in zip(current, unknown, strict=True)
        ]


_SPACE_BEFORE_STOP = re.compile(r"(?<=\w) +([.,])(?=\s|$)")
_KEEP = re.compile(r'<a data-k="(\d+)"></a>')


def _protect(text: str, kept: list[str]) -> str:
    """Escape for HTML, with untouchable spans replaced by empty tags Apertium carries."""
    out, position = [], 0
    for match in DO_NOT_TRANSLATE.finditer(text):
        out.append(html.escape(text[position:match.start()], quote=False))
        out.append(f'<a data-k="{len(kept)}"></a>')
        kept.append(match.group())
        position = match.end()
    out.append(html.escape(text[position:], quote=False))
    return "".join(out)


def _restore(body: str, kept: list[str]) -> tuple[str, set[str]]:
    """The translated text with protected spans put back, and the words marked unknown."""
    body = _KEEP.sub(lambda m: "\x00" + m.group(1) + "\x00", body)
    text = html.unescape(re.sub(r"<[^>]+>", "", body)).strip()
    unknown = {m.group(2) for m in _UNKNOWN.finditer(text)}
    text = _UNKNOWN.sub(r"\2", text)
    # The HTML format leaves a blank before a final stop ("crecer ."); French spacing
    # before ; : ! ? is the target's own typography and stays.
    text = _SPACE_BEFORE_STOP.sub(r"\1", text)
    return re.sub("\x00(\\d+)\x00", lambda m: kept[int(m.group(1))], text), unknown


def _run(mode: str, texts: Sequence[str],
         timeout: float | None = None) -> list[tuple[str, set[str]]]:
    if not texts:
        return []
    kept: list[str] = []
    payload = "\n".join(
        f'<p data-s="{number}">{_protect(text, kept)}</p>' for number, text in enumerate(texts)
    )
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
    if len(found) != len(texts):
        # A segment boundary was lost: translate one by one rather than misalign segments.
        if len(texts) == 1:
            return [_restore(result.stdout, kept)]
        return [_run(mode, [text], timeout)[0] for text in texts]
    return [_restore(found[n], kept) for n in range(len(texts))]
