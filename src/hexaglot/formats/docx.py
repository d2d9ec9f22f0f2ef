"""Word documents: body paragraphs, tables (nested too), headers and footers.

The reader and the writer walk the document in the same order (:func:`_paragraphs`), so a
block index found on reading addresses the same paragraph on writing; the writer opens the
source again and changes only text nodes, which keeps styles, section settings, tables,
images, fields and bookmarks as they were. The translation of a paragraph goes into its
first text node: run-level formatting inside a sentence is mapped more finely by the
review/re-import work (issue 6), not here.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from hexaglot.atomic import atomic_output
from hexaglot.document import Block, Document, HexaglotError
from hexaglot.languages import LANGUAGES

NAME = "docx"

# Word language tags per target; UN English is British English.
WORD_LANG_TAGS = {
    "ar": "ar-SA", "zh": "zh-CN", "en": "en-GB", "fr": "fr-FR", "ru": "ru-RU", "es": "es-ES",
    "vi": "vi-VN", "id": "id-ID",
}
# Fonts that cover each script on Windows, macOS (via substitution) and LibreOffice.
SCRIPT_FONTS = {"ar": ("cs", "Arial"), "zh": ("eastAsia", "SimSun")}

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _open(path: Path) -> docx.document.Document:
    head = path.read_bytes()[:8]
    if head == _OLE_MAGIC:
        raise HexaglotError(
            f"{path}: password-protected or old-format (Word 97-2003) file: remove the "
            "password, or open it in Word and save it as .docx"
        )
    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise HexaglotError(
            f"{path}: not a readable .docx file ({error}): open it in Word and save it again "
            "as .docx"
        ) from None


def _table_cells(table: Table, prefix: str) -> Iterator[tuple[Paragraph, str, str]]:
    # A merged cell appears once per grid column it spans. The set holds the elements
    # themselves: lxml keeps one proxy per node only while a reference to it is alive.
    seen: set = set()
    for row_number, row in enumerate(table.rows, start=1):
        for cell_number, cell in enumerate(row.cells, start=1):
            if cell._tc in seen:
                continue
            seen.add(cell._tc)
            where = f"{prefix}, row {row_number}, cell {cell_number}"
            yield from _container(cell, where, "cell")


def _container(container, where: str, kind: str) -> Iterator[tuple[Paragraph, str, str]]:
    table_number = 0
    for item in container.iter_inner_content():
        if isinstance(item, Paragraph):
            yield item, where, kind
        else:
            table_number += 1
            yield from _table_cells(item, f"{where}, table {table_number}")


def _paragraphs(document: docx.document.Document) -> Iterator[tuple[Paragraph, str, str]]:
    """Every paragraph with text-bearing potential, in reading order, with its location."""
    table_number = 0
    paragraph_number = 0
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            paragraph_number += 1
            style = (item.style.name if item.style is not None else "") or ""
            kind = "heading" if style.startswith(("Heading", "Title")) else "paragraph"
            yield item, f"paragraph {paragraph_number}", kind
        else:
            table_number += 1
            yield from _table_cells(item, f"table {table_number}")
    seen_parts: set[str] = set()
    for section_number, section in enumerate(document.sections, start=1):
        for label, part in (
            ("header", section.header), ("first-page header", section.first_page_header),
            ("even-page header", section.even_page_header), ("footer", section.footer),
            ("first-page footer", section.first_page_footer),
            ("even-page footer", section.even_page_footer),
        ):
            if part.is_linked_to_previous:
                continue
            partname = str(part.part.partname)
            if partname in seen_parts:
                continue
            seen_parts.add(partname)
            kind = "footer" if "footer" in label else "header"
            yield from _container(part, f"{label} (section {section_number})", kind)


def read(path: Path) -> Document:
    document = _open(path)
    blocks = []
    for index, (paragraph, where, kind) in enumerate(_paragraphs(document)):
        text = paragraph.text.strip()
        if text:
            blocks.append(Block(index=index, text=text, location=where, kind=kind))
    return Document(path=path, format=NAME, blocks=tuple(blocks))


def _text_nodes(paragraph: Paragraph):
    return paragraph._p.xpath(".//w:r/w:t")


def _lang_element(target_lang: str):
    """``w:lang`` for a target: Latin/Cyrillic tag, East Asian tag and complex-script tag.

    Word picks the attribute by the script of each character, so all three are set: the
    spelling checker and hyphenation then work on Arabic and Chinese text as well.
    """
    lang = OxmlElement("w:lang")
    tag = WORD_LANG_TAGS[target_lang]
    lang.set(qn("w:val"), tag)
    lang.set(qn("w:eastAsia"), tag if target_lang == "zh" else "zh-CN")
    lang.set(qn("w:bidi"), tag if LANGUAGES[target_lang].rtl else "ar-SA")
    return lang


def _replace_lang(rpr, target_lang: str) -> None:
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    rpr.insert_element_before(
        _lang_element(target_lang), "w:eastAsianLayout", "w:specVanish", "w:oMath"
    )


def set_run_language(run_element, target_lang: str) -> None:
    rpr = run_element.get_or_add_rPr()
    if LANGUAGES[target_lang].rtl:
        rpr.get_or_add_rtl()
    _replace_lang(rpr, target_lang)


_AFTER_BIDI = (
    "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange",
)


_AFTER_BIDI_VISUAL = (
    "w:tblStyleRowBandSize", "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing",
    "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
    "w:tblCaption", "w:tblDescription",
)


def make_right_to_left(paragraph: Paragraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    if ppr.find(qn("w:bidi")) is None:
        ppr.insert_element_before(OxmlElement("w:bidi"), *_AFTER_BIDI)


def _replace_text(paragraph: Paragraph, text: str, target_lang: str) -> None:
    nodes = _text_nodes(paragraph)
    if not nodes:
        return
    nodes[0].text = text
    nodes[0].set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    for node in nodes[1:]:
        node.text = ""
    for run in paragraph._p.xpath(".//w:r"):
        set_run_language(run, target_lang)
    if LANGUAGES[target_lang].rtl:
        make_right_to_left(paragraph)


def _set_document_defaults(document: docx.document.Document, target_lang: str) -> None:
    """Language and script fonts in the style defaults, so new text typed in Word agrees."""
    styles = document.styles.element
    rpr_default = styles.find(qn("w:docDefaults"))
    if rpr_default is None:
        return
    rpr = rpr_default.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if rpr is None:
        return
    _replace_lang(rpr, target_lang)
    if target_lang in SCRIPT_FONTS:
        attribute, font = SCRIPT_FONTS[target_lang]
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert(0, fonts)
        fonts.set(qn(f"w:{attribute}"), font)


def write(document: Document, block_texts: Mapping[int, str], target_lang: str, path: Path) -> None:
    word = _open(document.path)
    for index, (paragraph, _where, _kind) in enumerate(_paragraphs(word)):
        if index in block_texts:
            _replace_text(paragraph, block_texts[index], target_lang)
    if LANGUAGES[target_lang].rtl:
        for section in word.sections:
            sect_pr = section._sectPr
            if sect_pr.find(qn("w:bidi")) is None:
                sect_pr.insert_element_before(
                    OxmlElement("w:bidi"), "w:rtlGutter", "w:docGrid", "w:printerSettings",
                    "w:sectPrChange",
                )
        for table_properties in word.element.body.iter(qn("w:tblPr")):
            if table_properties.find(qn("w:bidiVisual")) is None:
                table_properties.insert_element_before(
                    OxmlElement("w:bidiVisual"), *_AFTER_BIDI_VISUAL
                )
    _set_document_defaults(word, target_lang)
    with atomic_output(path) as tmp:
        word.save(str(tmp))
