"""Controlled glossaries: loading (CSV, TSV, TBX), the concept model, matching."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from hexaglot.document import HexaglotError
from hexaglot.glossary import csvfile, tbx
from hexaglot.glossary.model import Concept, Glossary, Term, TermStatus

__all__ = ["Concept", "Glossary", "Term", "TermStatus", "load_glossaries"]

_READERS = {".csv": csvfile.read, ".tsv": csvfile.read, ".tbx": tbx.read, ".xml": tbx.read}


def load_glossaries(paths: Sequence[Path]) -> Glossary:
    """Load glossaries in precedence order: a concept id in an earlier file wins.

    Any error stops the load as a whole, so a half-read glossary never drives a run.
    """
    concepts: list[Concept] = []
    seen: set[str] = set()
    for path in paths:
        if not path.exists():
            raise HexaglotError(f"{path}: glossary not found: check the --glossary path")
        reader = _READERS.get(path.suffix.lower())
        if reader is None:
            raise HexaglotError(f"{path}: unsupported glossary type {path.suffix!r}: "
                                "use .tbx, .csv or .tsv")
        for concept in reader(path):
            if concept.id not in seen:
                seen.add(concept.id)
                concepts.append(concept)
    return Glossary(concepts=tuple(concepts), sources=tuple(str(p) for p in paths))
