"""Controlled glossaries: reading and writing (TBX, CSV, TSV, XLSX), validation, matching."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from hexaglot.document import HexaglotError
from hexaglot.glossary import csvfile, tbx, xlsx
from hexaglot.glossary.model import Concept, Exclusion, Glossary, Term, TermStatus
from hexaglot.glossary.problems import (
    GlossaryFile,
    GlossaryInvalid,
    Problem,
    Severity,
    error,
)
from hexaglot.glossary.validate import check_files

__all__ = ["Concept", "Exclusion", "Glossary", "GlossaryInvalid", "Problem", "Severity", "Term",
           "TermStatus", "load_glossaries", "read_glossary_file", "save_glossary"]

_READERS = {".csv": csvfile.read, ".tsv": csvfile.read, ".tbx": tbx.read, ".xml": tbx.read,
            ".xlsx": xlsx.read}
SUPPORTED = ", ".join(sorted(_READERS))


def read_glossary_file(path: Path) -> GlossaryFile:
    """A file as read, with every problem the reader met (nothing raised for bad content)."""
    reader = _READERS.get(path.suffix.lower())
    if not path.exists():
        problem = error(path, "file", "glossary not found: check the --glossary path")
    elif reader is None:
        problem = error(path, "file", f"unsupported glossary type {path.suffix!r}: use "
                        f"{SUPPORTED}")
    else:
        return reader(path)
    return GlossaryFile(str(path), [], [], [problem])


def load_glossaries(paths: Sequence[Path]) -> Glossary:
    """Load glossaries in precedence order: a concept id in an earlier file wins.

    Any error in any file stops the load as a whole (raising :class:`GlossaryInvalid` with
    every problem), so a half-read glossary never drives a run. Warnings do not block.
    """
    files = [read_glossary_file(Path(path)) for path in paths]
    cleaned, problems = check_files(files)
    if any(p.severity is Severity.ERROR for p in problems):
        raise GlossaryInvalid(problems)
    concepts: list[Concept] = []
    seen: set[str] = set()
    for file_concepts in cleaned:
        for concept in file_concepts:
            if concept.id not in seen:
                seen.add(concept.id)
                concepts.append(concept)
    return Glossary(concepts=tuple(concepts), sources=tuple(str(p) for p in paths))


def save_glossary(concepts: Sequence[Concept] | Glossary, path: Path,
                  tbx_dialect: str = "2019") -> None:
    """Write a glossary in the format its extension names (atomically)."""
    if isinstance(concepts, Glossary):
        concepts = concepts.concepts
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        csvfile.write(concepts, path)
    elif suffix == ".xlsx":
        xlsx.write(concepts, path)
    elif suffix in (".tbx", ".xml"):
        tbx.write(concepts, path, dialect=tbx_dialect)
    else:
        raise HexaglotError(f"{path}: cannot write glossaries as {path.suffix!r}: use "
                            f"{SUPPORTED}")
