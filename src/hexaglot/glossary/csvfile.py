"""The wide CSV/TSV glossary layout: one row per concept, one column group per language.

Header: ``id,subject,note`` then, for each language code ``xx``, the columns ``xx`` (the
preferred term), ``xx_admitted``, ``xx_abbr`` and ``xx_forbidden``; several terms in one
cell are separated by ``|``. The Indonesian column is ``id_lang`` because ``id`` is the
concept id. See docs/glossary-format.md.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from hexaglot.document import HexaglotError
from hexaglot.glossary.model import Concept, Term, TermStatus
from hexaglot.languages import normalize_code

_SUFFIXES = {
    "": (TermStatus.PREFERRED, "fullForm"),
    "_admitted": (TermStatus.ADMITTED, "fullForm"),
    "_abbr": (TermStatus.ADMITTED, "abbreviation"),
    "_forbidden": (TermStatus.FORBIDDEN, "fullForm"),
    "_deprecated": (TermStatus.DEPRECATED, "fullForm"),
}
_META = {"id", "subject", "note"}


_LANG_COLUMN = re.compile(r"^(?P<base>[a-z]{2,3}(?:[-_](?:[A-Z]{2}|[0-9]{3}|[A-Z][a-z]{3}))?"
                          r"|id_lang)"
                          r"(?P<suffix>_admitted|_abbr|_forbidden|_deprecated)?$")


def _column_meaning(name: str) -> tuple[str, TermStatus, str] | None:
    """``fr_admitted`` -> ("fr", ADMITTED, "fullForm"); None for a column we don't know."""
    match = _LANG_COLUMN.match(name.strip())
    if match is None:
        return None
    base = "id" if match["base"] == "id_lang" else match["base"]
    code = normalize_code(base)
    if code is None:
        return None
    status, term_type = _SUFFIXES[match["suffix"] or ""]
    return code, status, term_type


def read(path: Path) -> list[Concept]:
    """Read a wide CSV (or TSV, by extension) glossary, naming file and line on errors."""
    try:
        content = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise HexaglotError(f"{path}: byte {error.start} is not UTF-8: re-save as UTF-8") from None
    delimiter = "\t" if path.suffix.lower() in (".tsv", ".tab") else ","
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise HexaglotError(f"{path}: the glossary is empty") from None
    if "id" not in header:
        raise HexaglotError(f"{path}: line 1: no 'id' column; see docs/glossary-format.md")
    columns = []
    for name in header:
        if name.strip() in _META:
            columns.append(("meta", name.strip()))
            continue
        meaning = _column_meaning(name)
        if meaning is None:
            raise HexaglotError(
                f"{path}: line 1: unknown column {name!r}: use id, subject, note and "
                "language columns such as 'fr', 'fr_admitted', 'fr_abbr', 'fr_forbidden'"
            )
        columns.append(("term", meaning))
    concepts: list[Concept] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise HexaglotError(
                f"{path}: line {line}: {len(row)} cells where the header has {len(header)}: "
                "check for an unquoted comma"
            )
        meta: dict[str, str] = {}
        terms: list[Term] = []
        for (kind, meaning), cell in zip(columns, row, strict=True):
            if kind == "meta":
                meta[meaning] = cell.strip()
                continue
            lang, status, term_type = meaning
            for text in cell.split("|"):
                text = text.strip()
                if text:
                    terms.append(Term(text=text, lang=lang, status=status, term_type=term_type))
        concept_id = meta.get("id", "")
        if not concept_id:
            raise HexaglotError(f"{path}: line {line}: empty concept id")
        if concept_id in seen:
            raise HexaglotError(
                f"{path}: line {line}: concept id {concept_id!r} already used on line "
                f"{seen[concept_id]}: give each concept its own id"
            )
        seen[concept_id] = line
        concepts.append(Concept(id=concept_id, terms=tuple(terms), subject=meta.get("subject", ""),
                                note=meta.get("note", ""), source=str(path)))
    return concepts
