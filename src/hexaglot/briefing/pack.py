"""The briefing pack as a Word document, in the booth's language.

Written like the review DOCX (:mod:`hexaglot.review.writer`): every run carries its
language (``w:lang``) and fonts for Arabic and Chinese; a cell or paragraph takes the
language of its text, so the Spanish column of an Arabic pack is Spanish. An Arabic pack is
right to left throughout: the section (``w:bidi``), each Arabic paragraph (``w:bidi``) and
run (``w:rtl``), and its tables (``w:bidiVisual``: the booth column is on the right).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

from hexaglot.atomic import atomic_output
from hexaglot.briefing.build import ItemRow, PackData
from hexaglot.briefing.localize import colon, label, language_name
from hexaglot.briefing.render import Rendered
from hexaglot.formats.docx import _AFTER_BIDI_VISUAL, _set_document_defaults, make_right_to_left
from hexaglot.languages import LANGUAGES
from hexaglot.review.writer import _add_run, _repeat_header, _run_properties

GREY = "595959"
FLAG = "C00000"
PAGE_WIDTH_CM = 26.0


def _rtl(lang: str) -> bool:
    return LANGUAGES[lang].rtl


class _Writer:
    def __init__(self, data: PackData) -> None:
        self.data = data
        self.lang = data.lang
        self.word = docx.Document()
        section = self.word.sections[0]
        # Landscape, as the review DOCX: the terms table has a column per language.
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(1.8))
        _set_document_defaults(self.word, self.lang)
        if _rtl(self.lang):
            sect_pr = section._sectPr
            if sect_pr.find(qn("w:bidi")) is None:
                sect_pr.insert_element_before(OxmlElement("w:bidi"), "w:rtlGutter",
                                              "w:docGrid", "w:printerSettings",
                                              "w:sectPrChange")

    # ------------------------------------------------------------ text

    def paragraph(self, text: str, lang: str | None = None, *, size: float = 10.5,
                  bold: bool = False, color: str | None = None, style: str | None = None):
        lang = lang or self.lang
        paragraph = self.word.add_paragraph(style=style)
        _add_run(paragraph, text, _run_properties(lang, size, bold=bold, color=color))
        if _rtl(lang):
            make_right_to_left(paragraph)
        return paragraph

    def heading(self, text: str, level: int = 2, lang: str | None = None) -> None:
        size = {1: 17, 2: 13, 3: 11.5}[level]
        self.paragraph(text, lang, size=size, bold=True, style=f"Heading {level}")

    def runs(self, paragraph, pieces: Sequence[tuple[str, str, dict]]) -> None:
        """Pieces (text, language, run options) into one paragraph."""
        for text, lang, options in pieces:
            _add_run(paragraph, text, _run_properties(lang, options.get("size", 10.5),
                                                      bold=options.get("bold", False),
                                                      color=options.get("color")))

    # ------------------------------------------------------------ tables

    def table(self, header: Sequence[tuple[str, str]], widths: Sequence[float]):
        """A table with a bold header row (text, language), repeated on each page."""
        table = self.word.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)
        for cell, (text, lang), width in zip(table.rows[0].cells, header, widths, strict=True):
            cell.width = Cm(width)
            self.cell(cell, text, lang, bold=True, size=9)
        _repeat_header(table.rows[0])
        if _rtl(self.lang):
            properties = table._tbl.tblPr
            if properties.find(qn("w:bidiVisual")) is None:
                properties.insert_element_before(OxmlElement("w:bidiVisual"),
                                                 *_AFTER_BIDI_VISUAL)
        return table

    def cell(self, cell, text: str, lang: str, *, bold: bool = False, size: float = 9.5,
             color: str | None = None, extra: Sequence[tuple[str, str, str | None]] = ()):
        """``text`` in ``lang``, then extra lines (text, language, colour) in the cell."""
        paragraph = cell.paragraphs[0]
        if text:
            _add_run(paragraph, text, _run_properties(lang, size, bold=bold, color=color))
        if _rtl(lang) and text:
            make_right_to_left(paragraph)
        for line, line_lang, line_color in extra:
            if not line:
                continue
            target = paragraph if not paragraph.runs and not text else cell.add_paragraph()
            _add_run(target, line, _run_properties(line_lang, size - 1, color=line_color))
            if _rtl(line_lang):
                make_right_to_left(target)

    def add_row(self, table, widths: Sequence[float]):
        cells = table.add_row().cells
        for cell, width in zip(cells, widths, strict=True):
            cell.width = Cm(width)
        return cells

    # ------------------------------------------------------------ the pack

    def write(self) -> docx.document.Document:
        data, lang = self.data, self.lang
        self.paragraph(f"{label(lang, 'pack')} — {label(lang, 'booth')}", size=9, color=GREY)
        if data.event_title.text:
            self.rendered_paragraph(data.event_title, size=10.5, bold=True)
        self.heading(data.title.text, 1, self._lang_of(data.title))
        if data.title.flag:
            self.paragraph(data.title.flag, size=9, color=FLAG)
        self.facts()
        self.speakers()
        self.terms()
        for key, rows in (("numbers", data.numbers), ("dates", data.dates),
                          ("names", data.names)):
            self.items(key, rows)
        self.documents()
        self.speeches()
        self.paragraph(data.footer, size=8, color=GREY)
        return self.word

    def rendered_paragraph(self, rendered: Rendered, *, size: float, bold: bool = False):
        self.paragraph(rendered.text, self._lang_of(rendered), size=size, bold=bold)

    def facts(self) -> None:
        data, lang = self.data, self.lang
        widths = (4.0, PAGE_WIDTH_CM - 4.0)
        table = self.table([(label(lang, "date"), lang), (data.date_text, lang)], widths)
        rows = [(label(lang, "time"), data.time_text, lang, "")]
        if data.venue is not None:
            rows.append((label(lang, "venue"), data.venue.text, self._lang_of(data.venue),
                         data.venue.flag))
        rows.append((label(lang, "session_id"), data.session.id, "en", ""))
        for name, value, value_lang, flag in rows:
            cells = self.add_row(table, widths)
            self.cell(cells[0], name, lang, bold=True)
            self.cell(cells[1], value, value_lang, extra=[(flag, lang, FLAG)])

    def _lang_of(self, rendered: Rendered) -> str:
        """A rendering left as written is in the programme's language."""
        return self.data.programme_lang if rendered.origin == "as-written" else self.lang

    def speakers(self) -> None:
        data, lang = self.data, self.lang
        self.heading(label(lang, "speakers"))
        if data.speakers:
            widths = (4.6, 5.2, 6.6, 4.6, 5.0)
            header = [(label(lang, key), lang) for key in
                      ("name", "original", "title", "affiliation", "notes")]
            table = self.table(header, widths)
            for line in data.speakers:
                cells = self.add_row(table, widths)
                name = line.name
                if name.text:
                    self.cell(cells[0], name.text, self._lang_of(name), bold=True)
                else:
                    self.cell(cells[0], name.flag, lang, color=GREY)
                self.cell(cells[1], line.original, _script_lang(line.original, lang), size=9)
                for cell, part in ((cells[2], line.title), (cells[3], line.affiliation)):
                    if part is not None:
                        self.cell(cell, part.text, self._lang_of(part))
                notes = []
                if line.role is not None:
                    notes.append((line.role.text, self._lang_of(line.role), None))
                notes += [(flag, lang, FLAG) for flag in line.flags
                          if not (name.text == "" and flag == name.flag)]
                self.cell(cells[4], "", lang, extra=notes)
        if data.participants:
            paragraph = self.paragraph("", size=10)
            pieces = [(label(lang, "participants") + colon(lang), lang, {"bold": True})]
            for number, part in enumerate(data.participants):
                if number:
                    pieces.append(("; ", lang, {}))
                pieces.append((part.text, self._lang_of(part), {}))
                if part.flag:
                    pieces.append((f" ({part.flag})", lang, {"color": FLAG, "size": 9}))
            self.runs(paragraph, pieces)
        if not data.speakers and not data.participants:
            self.paragraph(label(lang, "none"), color=GREY)

    def terms(self) -> None:
        data, lang = self.data, self.lang
        self.heading(label(lang, "terms"))
        booth = language_name(lang, lang)
        intro = (label(lang, "terms_intro_same", booth=booth) if data.source_lang == lang else
                 label(lang, "terms_intro", booth=booth,
                       source=language_name(data.source_lang, lang)))
        self.paragraph(intro, size=9, color=GREY)
        if not data.terms:
            self.paragraph(label(lang, "none"), color=GREY)
            return
        count = len(data.columns)
        notes_width = 5.6 if count <= 6 else 4.6
        width = (PAGE_WIDTH_CM - notes_width) / count
        widths = (*([width] * count), notes_width)
        header = [(language_name(code, lang), lang) for code in data.columns]
        header.append((label(lang, "notes"), lang))
        table = self.table(header, widths)
        missing = label(lang, "no_approved", language=language_name(lang, lang))
        for row in data.terms:
            cells = self.add_row(table, widths)
            for index, (cell, code, text) in enumerate(zip(cells, data.columns, row.cells,
                                                           strict=False)):
                if text is None:
                    self.cell(cell, "—", code, color=FLAG if index == 0 else GREY)
                else:
                    self.cell(cell, text, code, bold=index == 0, size=9)
            notes = [(missing, lang, FLAG)] if row.cells[0] is None else []
            notes += [(note, _script_lang(note, note_lang), GREY)
                      for note_lang, note in row.notes]
            self.cell(cells[-1], "", lang, size=8.5, extra=notes)

    def items(self, key: str, rows: Sequence[ItemRow]) -> None:
        lang = self.lang
        self.heading(label(lang, key))
        if not rows:
            self.paragraph(label(lang, "none"), color=GREY)
            return
        widths = (6.5, 6.5, 6.5, 6.5)
        header = [(label(lang, "in_text"), lang), (language_name(lang, lang), lang),
                  (label(lang, "notes"), lang), (label(lang, "where"), lang)]
        table = self.table(header, widths)
        for row in rows:
            cells = self.add_row(table, widths)
            self.cell(cells[0], row.source, row.source_lang)
            self.cell(cells[1], row.rendering, lang if row.approved else row.source_lang,
                      bold=True)
            self.cell(cells[2], row.note, _script_lang(row.note, lang), size=8.5,
                      extra=[(row.flag, lang, FLAG)])
            self.cell(cells[3], row.where, "en", size=8.5, color=GREY)

    def documents(self) -> None:
        data, lang = self.data, self.lang
        self.heading(label(lang, "documents"))
        if not data.documents:
            self.paragraph(label(lang, "no_documents"), color=GREY)
            return
        for line in data.documents:
            paragraph = self.paragraph("", size=9.5)
            what = label(lang, line.kind)
            language = language_name(line.lang, lang) if line.lang else "?"
            pieces = [(line.name, "en", {"bold": True, "size": 9.5}),
                      (f" — {language}, {what}", lang, {"size": 9.5})]
            if line.error:
                pieces.append((f" — {label(lang, 'unreadable')}: {line.error}", "en",
                               {"color": FLAG, "size": 9}))
            self.runs(paragraph, pieces)

    def speeches(self) -> None:
        data, lang = self.data, self.lang
        self.heading(label(lang, "speeches"))
        if not data.speeches:
            self.paragraph(label(lang, "no_speeches"), color=GREY)
            return
        for speech in data.speeches:
            self.heading(f"{speech.name} ({language_name(speech.source_lang, lang)})", 3)
            self.paragraph(speech.notice, size=9.5, bold=True,
                           color=FLAG if not speech.machine and speech.source_lang != lang
                           else GREY)
            if speech.translated:
                self.paragraph(label(lang, "translation", language=language_name(lang, lang)),
                               size=10, bold=True, color=GREY)
                self.blocks(speech.translated, lang)
            if speech.translated:
                self.paragraph(label(lang, "original_text",
                                     language=language_name(speech.source_lang, lang)),
                               size=10, bold=True, color=GREY)
            self.blocks(speech.original, speech.source_lang)

    def blocks(self, blocks: Sequence[tuple[str, str]], lang: str) -> None:
        for kind, text in blocks:
            self.paragraph(text, lang, size=10.5, bold=kind == "heading")


def _script_lang(text: str, default: str) -> str:
    """The language to tag a short mixed note with: Arabic or Chinese when it is written in
    that script, else ``default`` (or English when the booth's script is not the text's)."""
    arabic = sum(1 for c in text if "\u0600" <= c <= "\u06ff")
    chinese = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    latin = sum(1 for c in text if c.isascii() and c.isalpha())
    if arabic > latin and arabic >= chinese:
        return "ar"
    if chinese > latin:
        return "zh"
    if default in ("ar", "zh") and latin:
        return "en"
    return default


def write_pack_docx(data: PackData, path: Path) -> None:
    word = _Writer(data).write()
    word.core_properties.title = f"{data.title.text} — {label(data.lang, 'pack')}"
    word.core_properties.language = data.lang
    with atomic_output(Path(path)) as tmp:
        word.save(str(tmp))
