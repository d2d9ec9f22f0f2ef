"""The bilingual review DOCX: one row per segment, for a reviser working in Word.

Follows the convention of Trados' "bilingual review" export: a cover block that says what
produced the translation, then a table of id, source, target, status and glossary notes.
Segments no engine could translate have an empty target cell and the approved glossary
terms beside them, so the human translator starts from the desk's terminology.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import docx
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from hexaglot import __version__
from hexaglot.atomic import atomic_output
from hexaglot.document import Document, Origin
from hexaglot.formats.docx import make_right_to_left, set_run_language
from hexaglot.glossary import Glossary
from hexaglot.hits import HitStatus
from hexaglot.languages import LANGUAGES

if TYPE_CHECKING:
    from hexaglot.pipeline import SegmentResult, TargetResult

STATUS_LABELS = {
    Origin.MT: "MT ({engine})",
    Origin.TM: "TM",
    Origin.COPY: "copied (nothing to translate)",
    Origin.HUMAN: "needs human translation",
}
# How hexaglot, not the engine, got an approved term in: the reviser checks the grammar
# around such terms first.
ENFORCEMENT_LABELS = {
    "replaced": "hexaglot replaced the engine's forbidden variant",
    "placeholder": "put in by hexaglot: check agreement",
    "repair": "put in by hexaglot in place of the engine's wording: check agreement",
    "steered": "engine steered towards the term",
}
SEVERITY_MARKS = {"error": "✗ QA", "warning": "⚠ QA", "info": "ℹ QA"}
HEADER = ("ID", "Source", "Target", "Status", "Glossary notes")
WIDTHS = (Cm(1.6), Cm(9.0), Cm(9.0), Cm(2.6), Cm(5.5))
_GREY = RGBColor(0x59, 0x59, 0x59)


def status_label(result: SegmentResult) -> str:
    return STATUS_LABELS[result.origin].format(engine=result.engine)


def glossary_notes(result: SegmentResult, target_lang: str) -> list[str]:
    """One line per glossary hit: what the term must be, and whether the target has it."""
    lines = []
    for hit in result.hits:
        expected = f"{hit.source_term} → {hit.expected_target}"
        if hit.status is HitStatus.OK:
            how = ENFORCEMENT_LABELS.get(hit.enforcement)
            lines.append(f"✓ {expected}" + (f" ({how})" if how else ""))
        elif hit.status is HitStatus.MISSING:
            lines.append(f"✗ missing: {expected}")
        elif hit.status is HitStatus.FORBIDDEN:
            lines.append(f"✗ forbidden “{hit.found_target}”: use {hit.expected_target}")
        else:
            lines.append(f"use: {expected}")
        if hit.source_term_status in ("forbidden", "deprecated"):
            lines.append(f"! source uses the {hit.source_term_status} form “{hit.source_term}”")
    lines.extend(result.notes)
    for finding in result.findings:
        if finding.code.startswith("terminology.") and finding.code != \
                "terminology.inconsistent":
            continue  # said above, hit by hit
        fix = f" → {finding.suggestion}" if finding.suggestion else ""
        lines.append(f"{SEVERITY_MARKS[finding.severity.value]} {finding.message}{fix} "
                     f"[{finding.code}]")
    return lines


def _cell_text(cell, text: str, lang: str, *, size: float = 10) -> None:
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    set_run_language(run._r, lang)
    if LANGUAGES[lang].rtl:
        make_right_to_left(paragraph)


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)


def write_review_docx(document: Document, result: TargetResult, path: Path,
                      glossary: Glossary) -> None:
    source, target = result.source_lang, result.lang
    word = docx.Document()
    section = word.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    word.core_properties.title = f"Review: {document.path.name} ({source} → {target})"

    word.add_heading(
        f"Bilingual review: {document.path.name} — {LANGUAGES[source].name} → "
        f"{LANGUAGES[target].name}", level=1)
    segments = result.segment_counts()
    hits = result.hit_counts()
    engines = ", ".join(
        f"{name} ({result.engine_versions.get(name, '')})".replace(" ()", "")
        for name in result.engines) or "none"
    cover = [
        ("Document", str(document.path)),
        ("Languages", f"{source} → {target}"),
        ("Engines", engines),
        ("Glossaries", "; ".join(glossary.sources) or "none"),
        ("Produced by", f"hexaglot {__version__}"),
        ("Segments", f"{segments['mt']} machine-translated, {segments['tm']} from TM, "
                     f"{segments['copy']} copied, {segments['human']} for human translation"),
        ("Glossary hits", ", ".join(f"{value} {key}" for key, value in hits.items())),
        ("QA findings", ", ".join(f"{value} {key}"
                                  for key, value in result.finding_counts().items())),
    ]
    table = word.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in cover:
        row = table.add_row().cells
        row[0].text, row[1].text = label, value
    if segments["human"]:
        note = word.add_paragraph()
        if segments["mt"] or segments["tm"]:
            text = (f"{segments['human']} segment(s) are left for a human translator: the "
                    "notes column says why, and gives the approved glossary terms.")
        else:
            text = (f"No machine-translation engine covers {LANGUAGES[source].name} → "
                    f"{LANGUAGES[target].name} here: {segments['human']} segment(s) are left "
                    "for a human translator, with the approved glossary terms in the notes "
                    "column.")
        note.add_run(text).bold = True
    word.add_paragraph(
        "Edit the Target column only. Keep the ID column as it is: it links each row to its "
        "place in the document.").runs[0].font.color.rgb = _GREY

    grid = word.add_table(rows=1, cols=len(HEADER))
    grid.style = "Table Grid"
    grid.autofit = False  # fixed widths: Word and LibreOffice then keep the columns as set
    for column, width in zip(grid.columns, WIDTHS, strict=True):
        column.width = width
    for cell, label, width in zip(grid.rows[0].cells, HEADER, WIDTHS, strict=True):
        cell.text = label
        cell.paragraphs[0].runs[0].bold = True
        cell.width = width
    _repeat_header(grid.rows[0])
    for segment_result in result.segments:
        cells = grid.add_row().cells
        for cell, width in zip(cells, WIDTHS, strict=True):
            cell.width = width
        _cell_text(cells[0], segment_result.segment.id, "en", size=9)
        _cell_text(cells[1], segment_result.segment.text, source)
        _cell_text(cells[2], segment_result.target or "", target)
        _cell_text(cells[3], status_label(segment_result), "en", size=9)
        _cell_text(cells[4], "\n".join(glossary_notes(segment_result, target)), "en", size=9)
    with atomic_output(path) as tmp:
        word.save(str(tmp))
