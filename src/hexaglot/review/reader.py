"""Reading a bilingual review DOCX back, after a reviser has edited its Target column.

The writer (:mod:`hexaglot.review.writer`) puts the document, the languages and the
glossaries in a cover table, then one row per segment: ID, Source, Target, Status, Notes.
Only the Target column is the reviser's; the rest identifies the row. Reading it back lets
the desk compare what the reviser made of the glossary terms with what the run produced,
and import the revision (:mod:`hexaglot.review.importer`).

Revisers work in Word with Track Changes on, so cells are read from the XML as if every
change were accepted: inserted runs (``w:ins``, ``w:moveTo``) count, deleted ones
(``w:del``, ``w:moveFrom``, whose text is ``w:delText``) do not, a deleted paragraph mark
joins its paragraph to the next, and a row deleted with Track Changes is gone. Comments
live outside the cells and are ignored. (python-docx's ``cell.text`` reads neither
insertions nor row deletions.)

Rows that no longer have the table's shape (merged or split cells, no ID) are kept as
problems with their row number, the header being row 1, so that a damaged table is reported
row by row rather than misread.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.oxml.ns import qn

from hexaglot.document import HexaglotError
from hexaglot.languages import normalize_code

_W = {name: qn(f"w:{name}") for name in (
    "r", "t", "tab", "ptab", "br", "cr", "noBreakHyphen", "del", "moveFrom", "pPr", "rPr",
    "tcPr", "trPr", "tblPr", "tblGrid", "p", "tc", "tr", "tbl", "sdt", "sdtContent",
    "gridSpan", "vMerge", "hMerge", "val", "txbxContent", "ins", "customXml")}
_SKIPPED = {_W["del"], _W["moveFrom"], _W["pPr"], _W["rPr"], _W["txbxContent"]}
_WRAPPERS = {_W["sdt"], _W["sdtContent"], _W["customXml"]}


@dataclass(frozen=True)
class ReviewedSegment:
    id: str
    source: str
    target: str
    row: int = 0  # in the segment table, the header being row 1


@dataclass(frozen=True)
class RowProblem:
    """A row of the segment table that cannot be read as a segment."""

    row: int
    message: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.message}"


@dataclass(frozen=True)
class ReviewedDocument:
    document: str  # the original's file name, as in hits tables
    source_lang: str
    target_lang: str
    segments: tuple[ReviewedSegment, ...]
    document_path: str = ""  # the original's path, as the cover gives it
    problems: tuple[RowProblem, ...] = ()  # rows that are not segments any more
    cover: tuple[tuple[str, str], ...] = ()  # every row of the cover table


# --- Text as Word shows it with every tracked change accepted ---------------------------


def _run_text(run, parts: list[str]) -> None:
    for child in run:
        tag = child.tag
        if tag == _W["t"]:
            parts.append(child.text or "")
        elif tag in (_W["tab"], _W["ptab"]):
            parts.append("\t")
        elif tag == _W["br"]:
            kind = child.get(qn("w:type"))
            if kind in (None, "textWrapping"):
                parts.append("\n")
        elif tag == _W["cr"]:
            parts.append("\n")
        elif tag == _W["noBreakHyphen"]:
            parts.append("-")
        # w:delText, w:instrText (field codes), comment and footnote references: no text


def _inline_text(element, parts: list[str]) -> None:
    """The runs of a paragraph, also inside insertions, hyperlinks, fields, content controls;
    never inside deletions or text boxes."""
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            continue
        if tag == _W["r"]:
            _run_text(child, parts)
        else:
            _inline_text(child, parts)


def _mark_deleted(paragraph) -> bool:
    """A paragraph whose mark was deleted with Track Changes runs on into the next one."""
    properties = paragraph.find(_W["pPr"])
    run_properties = properties.find(_W["rPr"]) if properties is not None else None
    return run_properties is not None and (run_properties.find(_W["del"]) is not None or
                                           run_properties.find(_W["moveFrom"]) is not None)


def _children(element, tag: str) -> list:
    """Direct children with ``tag``, looking through content controls and custom XML."""
    found = []
    for child in element:
        if child.tag == tag:
            found.append(child)
        elif child.tag in _WRAPPERS:
            found.extend(_children(child, tag))
    return found


def cell_text(tc) -> str:
    """A table cell's text (``w:tc`` element) with tracked changes accepted; paragraphs are
    joined by newlines as in python-docx's ``cell.text``."""
    text = ""
    paragraphs = _children(tc, _W["p"])
    for number, paragraph in enumerate(paragraphs):
        parts: list[str] = []
        _inline_text(paragraph, parts)
        text += "".join(parts)
        if number < len(paragraphs) - 1 and not _mark_deleted(paragraph):
            text += "\n"
    return text


def _row_deleted(tr) -> bool:
    properties = tr.find(_W["trPr"])
    return properties is not None and properties.find(_W["del"]) is not None


def _merged(tc) -> bool:
    properties = tc.find(_W["tcPr"])
    if properties is None:
        return False
    span = properties.find(_W["gridSpan"])
    if span is not None and int(span.get(_W["val"], "1") or 1) > 1:
        return True
    return properties.find(_W["vMerge"]) is not None or properties.find(_W["hMerge"]) is not None


def table_rows(tbl) -> list[tuple[int, list]]:
    """(row number, cells) of a ``w:tbl``, the first row being 1; rows deleted with Track
    Changes are numbered (Word still shows them) but left out."""
    rows = []
    for number, tr in enumerate(_children(tbl, _W["tr"]), start=1):
        if not _row_deleted(tr):
            rows.append((number, _children(tr, _W["tc"])))
    return rows


# --- The review document -------------------------------------------------------------------


def read_review(path: Path) -> ReviewedDocument:
    """The review DOCX as the reviser left it; rows that are not segments any more are in
    ``problems`` (the caller decides), a document that is not a review at all is an error."""
    try:
        word = docx.Document(str(path))
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:
        raise HexaglotError(f"{path}: not a readable DOCX file: {error}") from None
    tables = [table._tbl for table in word.tables]
    if len(tables) < 2:
        raise HexaglotError(f"{path}: not a hexaglot review document (no cover and segment "
                            "tables): review documents are the <name>.<lang>.review.docx files")
    cover_rows = tuple((cell_text(cells[0]).strip(), cell_text(cells[1]).strip())
                       for _, cells in table_rows(tables[0]) if len(cells) >= 2)
    cover = dict(cover_rows)
    languages = re.split(r"\s*→\s*", cover.get("Languages", ""))
    codes = [normalize_code(code) for code in languages]
    if len(codes) != 2 or None in codes or "Document" not in cover:
        raise HexaglotError(f"{path}: its cover table has no Document and Languages rows "
                            "(\"en → es\"): was it made by hexaglot?")
    rows = table_rows(tables[1])
    if not rows:
        raise HexaglotError(f"{path}: the segment table is empty: its header row is gone")
    _, header_cells = rows[0]
    header = [cell_text(cell).strip() for cell in header_cells]
    try:
        columns = {name: header.index(name) for name in ("ID", "Source", "Target")}
    except ValueError:
        raise HexaglotError(f"{path}: the segment table has lost its ID, Source or Target "
                            f"column (found {', '.join(header)}): keep the columns as they "
                            "were") from None
    segments: list[ReviewedSegment] = []
    problems: list[RowProblem] = []
    for number, cells in rows[1:]:
        if len(cells) != len(header) or any(_merged(cell) for cell in cells):
            found = [cell_text(cell).strip() for cell in cells]
            what = (f"it has {len(cells)} cells where the header has {len(header)}"
                    if len(cells) != len(header) else "some of its cells are merged")
            problems.append(RowProblem(number, f"{what} (it reads “{_excerpt(' | '.join(found))}"
                                               "”): cells were merged, split or deleted"))
            continue
        segment_id = cell_text(cells[columns["ID"]]).strip()
        if not segment_id:
            problems.append(RowProblem(number, "it has no ID: keep the ID column as it is (an "
                                               "added row must go)"))
            continue
        segments.append(ReviewedSegment(segment_id, cell_text(cells[columns["Source"]]),
                                        cell_text(cells[columns["Target"]]), number))
    return ReviewedDocument(Path(cover["Document"]).name, codes[0], codes[1],
                            tuple(segments), document_path=cover["Document"],
                            problems=tuple(problems), cover=cover_rows)


def read_review_docx(path: Path) -> ReviewedDocument:
    """The review DOCX as the reviser left it, or an error naming the first damaged row."""
    reviewed = read_review(path)
    if reviewed.problems:
        raise HexaglotError(f"{path}: row {reviewed.problems[0].row} of the segment table: "
                            f"{reviewed.problems[0].message}")
    return reviewed


def _excerpt(text: str, length: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length - 1] + "…"
