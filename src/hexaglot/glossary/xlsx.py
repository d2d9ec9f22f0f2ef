"""XLSX glossaries in the wide layout (see :mod:`hexaglot.glossary.wide`), via openpyxl.

Terminologists keep glossaries in Excel; reading the workbook directly spares them the CSV
export, whose code-page choice is the most common way Arabic terms get destroyed. The first
worksheet is read; problems name its rows as Excel numbers them.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path

from hexaglot.atomic import atomic_output
from hexaglot.glossary.model import Concept
from hexaglot.glossary.problems import GlossaryFile, error
from hexaglot.glossary.wide import glossary_to_rows, rows_to_glossary


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read(path: Path) -> GlossaryFile:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as problem:
        return GlossaryFile(str(path), [], [], [error(
            path, "file", f"not a readable .xlsx workbook ({problem}); an old .xls must be "
            "saved as .xlsx first")])
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            return GlossaryFile(str(path), [], [], [error(path, "row 1", "the sheet is empty")])
        numbered = ((number, [_text(v) for v in row]) for number, row in enumerate(rows, 2))
        result = rows_to_glossary([_text(v) for v in header], numbered, str(path), unit="row")
    finally:
        workbook.close()
    return result


def write(concepts: Sequence[Concept], path: Path, languages: Sequence[str] | None = None) -> None:
    """One sheet, header frozen and bold, every cell text (so "001" stays "001")."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    header, rows = glossary_to_rows(concepts, languages)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "glossary"
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            cell.number_format = "@"
    sheet.freeze_panes = "B2"
    with atomic_output(path) as tmp:
        workbook.save(tmp)
