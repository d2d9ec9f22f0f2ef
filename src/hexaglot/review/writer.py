"""The bilingual review DOCX: one row per segment, for a reviser working in Word.

Follows the convention of Trados' "bilingual review" export: a cover block that says what
produced the translation, then a table of id, source, target, status and glossary notes.
Segments no engine could translate have an empty target cell and the approved glossary
terms beside them, so the human translator starts from the desk's terminology.

Glossary terms are highlighted where they are, in the source and in the target (green: the
approved term is there; yellow: it is missing; red: a forbidden form, struck through in the
target), and each QA finding is a Word comment on the target text it is about. The text of
every cell is exactly the segment's text, split into runs at those places only, so the
review can be read back (:mod:`hexaglot.review.reader`). Every run carries its language
(``w:lang``: Latin, East Asian and complex-script tags) and fonts for Arabic and Chinese.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
from copy import deepcopy
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import docx
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.paragraph import CT_P
from docx.oxml.text.run import CT_R
from docx.shared import Cm
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from hexaglot import __version__
from hexaglot.atomic import atomic_output
from hexaglot.document import Document, Origin
from hexaglot.formats.docx import SCRIPT_FONTS, WORD_LANG_TAGS, make_right_to_left
from hexaglot.glossary import Glossary
from hexaglot.hits import HitRecord, HitStatus
from hexaglot.languages import LANGUAGES

if TYPE_CHECKING:
    from hexaglot.checks import Finding
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
_GREY = "595959"
# Word's highlight colours (ST_HighlightColor: "green" is Word's bright green).
HIGHLIGHTS = {
    HitStatus.OK: "green",
    HitStatus.MISSING: "yellow",
    HitStatus.FORBIDDEN: "red",
    HitStatus.UNTRANSLATED: "lightGray",
}
HIGHLIGHT_LEGEND = ("green: approved glossary term in place; yellow: approved term missing "
                    "from the target; red: forbidden form (struck through in the target); "
                    "grey: term for the human translator. QA findings are comments on the "
                    "target.")
COMMENT_AUTHOR, COMMENT_INITIALS = "hexaglot QA", "QA"


def status_label(result: SegmentResult) -> str:
    """The origin column: "TM fuzzy 87%" and the like, as CAT tools label leverage."""
    match = result.tm_match
    if result.origin is Origin.TM and match is not None:
        return f"TM {match.kind} {match.score}%"
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


@dataclass(frozen=True)
class Mark:
    """A stretch of a cell's text to show: a glossary term (highlight colour, struck through
    when forbidden), or only a boundary, so a comment can be anchored on it."""

    start: int
    end: int
    highlight: str | None = None
    strike: bool = False


@functools.lru_cache(maxsize=256)
def _run_properties(lang: str, size: float, highlight: str | None = None,
                    strike: bool = False, bold: bool = False, color: str | None = None):
    """``w:rPr`` for a run, children in schema order; copied for each run (much faster than
    python-docx's property setters, which search the element each time)."""
    rpr = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    # Fonts that cover Arabic (complex script) and Chinese (East Asian) on every run: a cell
    # in any language may quote a name in either script.
    fonts.set(qn("w:cs"), SCRIPT_FONTS["ar"][1])
    fonts.set(qn("w:eastAsia"), SCRIPT_FONTS["zh"][1])
    if lang == "ar":
        fonts.set(qn("w:ascii"), SCRIPT_FONTS["ar"][1])
        fonts.set(qn("w:hAnsi"), SCRIPT_FONTS["ar"][1])
    elif lang == "zh":
        fonts.set(qn("w:hint"), "eastAsia")  # shared punctuation takes the Chinese font
    rpr.append(fonts)
    if bold:
        rpr.append(OxmlElement("w:b"))
        rpr.append(OxmlElement("w:bCs"))
    if strike:
        rpr.append(OxmlElement("w:strike"))
    if color:
        element = OxmlElement("w:color")
        element.set(qn("w:val"), color)
        rpr.append(element)
    half_points = str(round(size * 2))
    for name in ("w:sz", "w:szCs"):  # szCs: Arabic text is sized apart from Latin text
        element = OxmlElement(name)
        element.set(qn("w:val"), half_points)
        rpr.append(element)
    if highlight:
        element = OxmlElement("w:highlight")
        element.set(qn("w:val"), highlight)
        rpr.append(element)
    if LANGUAGES[lang].rtl:
        rpr.append(OxmlElement("w:rtl"))
    # Word picks the tag by the script of each character: Latin/Cyrillic (val), East Asian
    # and complex script (bidi), so spelling and hyphenation work in each.
    tag = WORD_LANG_TAGS[lang]
    element = OxmlElement("w:lang")
    element.set(qn("w:val"), tag)
    element.set(qn("w:eastAsia"), tag if lang == "zh" else WORD_LANG_TAGS["zh"])
    element.set(qn("w:bidi"), tag if LANGUAGES[lang].rtl else WORD_LANG_TAGS["ar"])
    rpr.append(element)
    return rpr


_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_CONTROL = frozenset("\t\n\r")
_W_P, _W_T, _W_TC = qn("w:p"), qn("w:t"), qn("w:tc")


@functools.lru_cache(maxsize=256)
def _empty_run(rpr) -> CT_R:
    """A ``w:r`` holding only ``rpr`` (one of :func:`_run_properties`' cached elements):
    each run of that look is a copy of it, one deepcopy instead of making the run and
    copying its properties into it."""
    run = OxmlElement("w:r")
    run.append(deepcopy(rpr))
    return run


def _append_run(p: CT_P, text: str, rpr) -> CT_R:
    """A run with ``text`` and a copy of ``rpr``, at the end of the ``w:p`` element ``p``;
    the ``w:r`` element."""
    r = deepcopy(_empty_run(rpr))
    if _CONTROL.isdisjoint(text):
        if text:
            t = etree.SubElement(r, _W_T)
            t.text = text
            if text != text.strip():
                t.set(_XML_SPACE, "preserve")
    else:
        r.text = text  # tabs and line breaks become w:tab and w:br, as Run.text does
    p.append(r)
    return r


def _add_run(paragraph: Paragraph, text: str, rpr) -> Run:
    """:func:`_append_run` for a python-docx paragraph (the briefing packs use it)."""
    return Run(_append_run(paragraph._p, text, rpr), paragraph)


def _pieces(length: int, marks: list[Mark]) -> list[tuple[int, int, Mark | None, bool]]:
    """The text cut at every mark boundary: (start, end, highlighting mark, struck)."""
    if not marks:  # most cells: one plain run
        return [(0, length, None, False)]
    valid = [m for m in marks if 0 <= m.start < m.end <= length]
    cuts = sorted({0, length, *(m.start for m in valid), *(m.end for m in valid)})
    pieces = []
    for start, end in itertools.pairwise(cuts):
        covering = [m for m in valid if m.start <= start and end <= m.end]
        shown = next((m for m in covering if m.highlight), None)
        pieces.append((start, end, shown, any(m.strike for m in covering)))
    return pieces or [(0, 0, None, False)]


def _cell_text(p: CT_P, text: str, lang: str, *, size: float = 10,
               marks: list[Mark] | None = None, bold: bool = False,
               color: str | None = None) -> list[tuple[int, int, CT_R]]:
    """Write ``text`` into a cell's paragraph (the ``w:p`` element), one run per marked
    stretch; the ``w:r`` elements with the character offsets they hold."""
    runs = []
    for start, end, mark, strike in _pieces(len(text), marks or []):
        rpr = _run_properties(lang, size, mark.highlight if mark else None, strike, bold,
                              color)
        runs.append((start, end, _append_run(p, text[start:end], rpr)))
    if LANGUAGES[lang].rtl:
        make_right_to_left(Paragraph(p, None))
    return runs


class _Rows:
    """Appends rows to a python-docx table, each a copy of one empty row that python-docx's
    ``add_row`` made: the same ``w:tr`` (every cell as wide as its column, an empty
    paragraph in each), without ``add_row`` and ``cells`` walking the whole grid again for
    every row, which took most of the time of a 1,000-segment review."""

    def __init__(self, table) -> None:
        self.tbl = table._tbl
        self.template = table.add_row()._tr
        self.tbl.remove(self.template)

    def add(self) -> list[CT_P]:
        """A new last row; the paragraph (``w:p``) of each of its cells."""
        tr = deepcopy(self.template)
        self.tbl.append(tr)
        return [tc.find(_W_P) for tc in tr.iterchildren(_W_TC)]


def _paired_hits(result: SegmentResult) -> list[tuple[int, int, HitRecord]]:
    """Each glossary hit with the source span it was found at. Hits are made one per source
    match in order, less the concepts with no term in the target language."""
    pending = list(result.hits)
    paired = []
    for match in result.source_hits:
        for index, hit in enumerate(pending):
            if hit.concept_id == match.concept.id and hit.source_term == match.surface:
                paired.append((match.start, match.end, pending.pop(index)))
                break
    return paired


def _locate(text: str, needle: str, taken: list[tuple[int, int]]) -> tuple[int, int] | None:
    """Where ``needle`` is in ``text``, clear of the stretches already taken."""
    if not needle:
        return None
    for haystack, wanted in ((text, needle), (text.casefold(), needle.casefold())):
        if len(haystack) != len(text):
            break  # case folding changed the length: offsets would not hold
        start = haystack.find(wanted)
        while start >= 0:
            end = start + len(wanted)
            if all(end <= s or start >= e for s, e in taken):
                taken.append((start, end))
                return start, end
            start = haystack.find(wanted, start + 1)
    return None


def glossary_marks(result: SegmentResult) -> tuple[list[Mark], list[Mark]]:
    """(source marks, target marks) for a segment's glossary hits."""
    source_marks, target_marks = [], []
    target = result.target or ""
    taken: list[tuple[int, int]] = []
    for start, end, hit in _paired_hits(result):
        source_marks.append(Mark(start, end, HIGHLIGHTS[hit.status]))
        if hit.status in (HitStatus.OK, HitStatus.FORBIDDEN) and target:
            span = _locate(target, hit.found_target, taken)
            if span is not None:
                target_marks.append(Mark(*span, HIGHLIGHTS[hit.status],
                                         strike=hit.status is HitStatus.FORBIDDEN))
    return source_marks, target_marks


def _valid_span(span: tuple[int, int] | None, length: int) -> bool:
    return span is not None and 0 <= span[0] < span[1] <= length


def comment_text(finding: Finding) -> str:
    """"ERROR numbers.format: <message> — suggestion: “2.500”"."""
    text = f"{finding.severity.value.upper()} {finding.code}: {finding.message}"
    return text + (f" — suggestion: “{finding.suggestion}”" if finding.suggestion else "")


class _Commenter:
    """Adds Word comments on runs (``w:r`` elements). The first goes through python-docx,
    which makes the comments part; the others are copies of it with their own id and text,
    because python-docx looks for the highest id in use on every comment, which makes a
    review with thousands of findings take minutes instead of a second. Each is anchored as
    python-docx's ``Run.mark_comment_range`` does."""

    def __init__(self, word) -> None:
        self.word = word
        self.template = None
        self.next_id = 0

    def add(self, runs: list[CT_R], text: str) -> None:
        text = " ".join(text.split("\n"))  # one paragraph: the copies have one
        if self.template is None:
            comment = self.word.comments.add_comment(text=text, author=COMMENT_AUTHOR,
                                                     initials=COMMENT_INITIALS)
            self.template = comment._comment_elm
            comment_id = comment.comment_id
        else:
            comment_id = self.next_id
            element = deepcopy(self.template)
            element.set(qn("w:id"), str(comment_id))
            node = element.find(f".//{_W_T}")
            node.text = text
            node.set(_XML_SPACE, "preserve")
            self.template.getparent().append(element)
        runs[0].insert_comment_range_start_above(comment_id)
        runs[-1].insert_comment_range_end_and_reference_below(comment_id)
        self.next_id = comment_id + 1


def _comment_findings(commenter: _Commenter, result: SegmentResult,
                      runs: list[tuple[int, int, CT_R]]) -> None:
    """Each QA finding as a comment on the target text it is about, or on the whole target
    when it names no place in it."""
    length = len(result.target or "")
    for finding in result.findings:
        anchor = [run for start, end, run in runs
                  if _valid_span(finding.target_span, length)
                  and finding.target_span[0] <= start and end <= finding.target_span[1]]
        commenter.add(anchor or [run for _, _, run in runs], comment_text(finding))


@functools.lru_cache(maxsize=64)
def _file_digest(path: str, _mtime_ns: int, _size: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()[:12]


def glossary_versions(glossary: Glossary) -> str:
    """Each glossary file's name with a short hash of its content, so two reviews say at a
    glance whether they were made with the same glossary release."""
    versions = []
    for source in glossary.sources:
        path = Path(source)
        try:
            stat = path.stat()
            if not path.is_file():
                raise OSError
            digest = _file_digest(str(path), stat.st_mtime_ns, stat.st_size)
            versions.append(f"{path.name} (sha256 {digest})")
        except OSError:
            versions.append(f"{source} (not found)")
    return "; ".join(versions) or "none"


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)


def write_review_docx(document: Document, result: TargetResult, path: Path,
                      glossary: Glossary, *, run_id: str = "") -> None:
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
    tm = result.tm_counts()
    hits = result.hit_counts()
    findings = result.finding_counts()
    engines = ", ".join(
        f"{name} ({result.engine_versions.get(name, '')})".replace(" ()", "")
        for name in result.engines) or "none"
    cover = [
        ("Document", str(document.path)),
        ("Languages", f"{source} → {target}"),
        ("Engines", engines),
        ("Glossaries", "; ".join(glossary.sources) or "none"),
        ("Glossary versions", glossary_versions(glossary)),
        ("Produced by", f"hexaglot {__version__}"),
        *((("Run", run_id),) if run_id else ()),
        ("Date", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("Segments", f"{segments['mt']} machine-translated, {segments['tm']} from TM "
                     f"({tm['context']} in context, {tm['exact']} exact, {tm['fuzzy']} fuzzy), "
                     f"{segments['copy']} copied, {segments['human']} for human translation"),
        ("Glossary hits", ", ".join(f"{value} {key}" for key, value in hits.items())),
        ("QA findings", ", ".join(f"{value} {key}" for key, value in findings.items())),
        ("Highlights", HIGHLIGHT_LEGEND),
    ]
    table = word.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    cover_rows = _Rows(table)
    for label, value in cover:
        label_cell, value_cell = cover_rows.add()
        _cell_text(label_cell, label, "en", bold=True)
        _cell_text(value_cell, value, "en")
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
        _add_run(note, text, _run_properties("en", 11, bold=True))
    _add_run(word.add_paragraph(),
             "Edit the Target column only. Keep the ID column as it is: it links each row to "
             "its place in the document.", _run_properties("en", 11, color=_GREY))

    grid = word.add_table(rows=1, cols=len(HEADER))
    grid.style = "Table Grid"
    grid.autofit = False  # fixed widths: Word and LibreOffice then keep the columns as set
    for column, width in zip(grid.columns, WIDTHS, strict=True):
        column.width = width
    for cell, label, width in zip(grid.rows[0].cells, HEADER, WIDTHS, strict=True):
        _cell_text(cell.paragraphs[0]._p, label, "en", bold=True)
        cell.width = width
    _repeat_header(grid.rows[0])
    commenter = _Commenter(word)
    rows = _Rows(grid)
    for segment_result in result.segments:
        cells = rows.add()
        source_marks, target_marks = glossary_marks(segment_result)
        target_text = segment_result.target or ""
        target_marks += [Mark(*finding.target_span) for finding in segment_result.findings
                         if _valid_span(finding.target_span, len(target_text))]
        _cell_text(cells[0], segment_result.segment.id, "en", size=9)
        _cell_text(cells[1], segment_result.segment.text, source, marks=source_marks)
        target_runs = _cell_text(cells[2], target_text, target, marks=target_marks)
        _cell_text(cells[3], status_label(segment_result), "en", size=9)
        _cell_text(cells[4], "\n".join(glossary_notes(segment_result, target)), "en", size=9)
        _comment_findings(commenter, segment_result, target_runs)
    with atomic_output(path) as tmp:
        word.save(str(tmp))
