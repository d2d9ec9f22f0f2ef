"""Reading a bilingual review DOCX back, after a reviser has edited its Target column.

The writer (:mod:`hexaglot.review.writer`) puts the document, the languages and the
glossaries in a cover table, then one row per segment: ID, Source, Target, Status, Notes.
Only the Target column is the reviser's; the rest identifies the row. Reading it back lets
the desk compare what the reviser made of the glossary terms with what the run produced.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx

from hexaglot.document import HexaglotError
from hexaglot.languages import normalize_code


@dataclass(frozen=True)
class ReviewedSegment:
    id: str
    source: str
    target: str


@dataclass(frozen=True)
class ReviewedDocument:
    document: str  # the original's file name, as in hits tables
    source_lang: str
    target_lang: str
    segments: tuple[ReviewedSegment, ...]


def read_review_docx(path: Path) -> ReviewedDocument:
    try:
        word = docx.Document(str(path))
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:
        raise HexaglotError(f"{path}: not a readable DOCX file: {error}") from None
    if len(word.tables) < 2:
        raise HexaglotError(f"{path}: not a hexaglot review document (no cover and segment "
                            "tables): review documents are the <name>.<lang>.review.docx files")
    cover = {row.cells[0].text.strip(): row.cells[1].text.strip()
             for row in word.tables[0].rows if len(row.cells) >= 2}
    languages = re.split(r"\s*→\s*", cover.get("Languages", ""))
    codes = [normalize_code(code) for code in languages]
    if len(codes) != 2 or None in codes or "Document" not in cover:
        raise HexaglotError(f"{path}: its cover table has no Document and Languages rows "
                            "(\"en → es\"): was it made by hexaglot?")
    grid = word.tables[1]
    header = [cell.text.strip() for cell in grid.rows[0].cells]
    try:
        columns = {name: header.index(name) for name in ("ID", "Source", "Target")}
    except ValueError:
        raise HexaglotError(f"{path}: the segment table has lost its ID, Source or Target "
                            f"column (found {', '.join(header)}): keep the columns as they "
                            "were") from None
    segments = []
    for number, row in enumerate(grid.rows[1:], start=2):
        cells = row.cells
        segment_id = cells[columns["ID"]].text.strip()
        if not segment_id:
            raise HexaglotError(f"{path}: row {number} of the segment table has no ID: keep "
                                "the ID column as it is")
        segments.append(ReviewedSegment(segment_id, cells[columns["Source"]].text,
                                        cells[columns["Target"]].text))
    return ReviewedDocument(Path(cover["Document"]).name, codes[0], codes[1],
                            tuple(segments))
