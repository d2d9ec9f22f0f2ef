"""Checking an existing translation, as Xbench does: the QA checks of the main job over
a human translation, so that it gets the same scrutiny as machine output."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from hexaglot.checks import CheckContext, ChecksConfig, Finding, SegmentPair, run_checks
from hexaglot.document import HexaglotError
from hexaglot.glossary.index import GlossaryIndex, load_index


@dataclass(frozen=True)
class LineFinding:
    line: int  # 1-based line of the text files, or the <tu>'s line in a TMX
    finding: Finding

    def row(self) -> dict[str, object]:
        return {"line": self.line, **self.finding.row()}


def _read_lines(path: Path) -> list[str]:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise HexaglotError(f"{path}: cannot be read: {error.strerror or error}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise HexaglotError(f"{path}: line {line}: not UTF-8: save it as UTF-8 and retry") \
            from None
    return text.splitlines()


def aligned_pairs(source: Path, target: Path | None, source_lang: str,
                  target_lang: str) -> list[tuple[int, str, str]]:
    """(line, source, target) from two line-aligned text files, or from one TMX file."""
    if source.suffix.lower() == ".tmx":
        from hexaglot.tm.tmx import read_tmx

        return [(u.line, u.source, u.target) for u in read_tmx(source, source_lang,
                                                                target_lang)]
    if target is None:
        raise HexaglotError(f"{source}: give the translation too (a second file, line for "
                            "line), or a .tmx file")
    sources, targets = _read_lines(source), _read_lines(target)
    if len(sources) != len(targets):
        raise HexaglotError(
            f"{source} has {len(sources)} lines and {target} has {len(targets)}: the files "
            "must be aligned line for line (one segment per line)")
    return [(n, s, t) for n, (s, t) in enumerate(zip(sources, targets, strict=True), start=1)
            if s.strip() or t.strip()]


def check_translation(pairs: Sequence[tuple[int, str, str]], source_lang: str,
                      target_lang: str, index: GlossaryIndex | None = None,
                      config: ChecksConfig | None = None) -> list[LineFinding]:
    index = index or load_index(())
    context = CheckContext(source_lang, target_lang, index.matcher(source_lang),
                           index.matcher(target_lang))
    segment_pairs = [SegmentPair(str(line), source, target) for line, source, target in pairs]
    return [LineFinding(int(f.segment_id), f)
            for f in run_checks(segment_pairs, context, config)]
