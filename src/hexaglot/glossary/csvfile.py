"""CSV and TSV glossaries in the wide layout (see :mod:`hexaglot.glossary.wide`).

Read as UTF-8 (with or without BOM) or as UTF-16 with a BOM, which is what Excel's
"Unicode text" export writes; anything else is refused with the offending line, since
guessing an 8-bit code page silently corrupts Arabic and Cyrillic terms.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from hexaglot.atomic import write_text_atomic
from hexaglot.glossary.model import Concept
from hexaglot.glossary.problems import GlossaryFile, Problem, error
from hexaglot.glossary.wide import glossary_to_rows, rows_to_glossary


def _delimiter(path: Path) -> str:
    return "\t" if path.suffix.lower() in (".tsv", ".tab", ".txt") else ","


def _decode(path: Path, data: bytes) -> str | Problem:
    """The text, or what is wrong with the bytes."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return error(path, "file", "the file starts like UTF-16 but is not valid UTF-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        line = data[:problem.start].count(b"\n") + 1
        byte = data[problem.start]
        return error(path, f"line {line}", f"byte 0x{byte:02x} is not UTF-8 (the file looks "
                     "saved in a legacy code page such as Windows-1252): save it as 'CSV UTF-8'")


def read(path: Path) -> GlossaryFile:
    """Read a wide CSV/TSV glossary; every problem is collected with its line number."""
    text = _decode(path, path.read_bytes())
    if isinstance(text, Problem):
        return GlossaryFile(str(path), [], [], [text])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(path))
    try:
        header = next(reader)
    except StopIteration:
        return GlossaryFile(str(path), [], [], [error(path, "line 1", "the file is empty")])
    except csv.Error as problem:
        return GlossaryFile(str(path), [], [], [error(path, "line 1", str(problem))])

    def numbered_rows():
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            # line_num is the last physical line of the row; a quoted cell may span lines.
            yield reader.line_num, row

    try:
        return rows_to_glossary(header, numbered_rows(), str(path), unit="line")
    except csv.Error as problem:
        return GlossaryFile(str(path), [], [], [error(path, f"line {reader.line_num}",
                                                      f"{problem}: check the quoting")])


def write(concepts: Sequence[Concept], path: Path, languages: Sequence[str] | None = None) -> None:
    """Write the wide layout as UTF-8 with a BOM, so that Excel opens Arabic and Chinese
    correctly when a desk double-clicks the file."""
    header, rows = glossary_to_rows(concepts, languages)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=_delimiter(path), lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    write_text_atomic(path, "\ufeff" + buffer.getvalue(), newline="")
