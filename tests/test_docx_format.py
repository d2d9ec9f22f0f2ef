"""Reading DOCX completely and writing it back with its layout."""

from __future__ import annotations

import docx

from hexaglot.formats import docx as docx_format


def test_reads_body_tables_nested_merged_headers_and_footers_in_order(programme_docx):
    document = docx_format.read(programme_docx)
    texts = [block.text for block in document.blocks]
    assert texts == [
        "Programme of events",
        "The signing ceremony will take place in Hanoi. The delegations are welcome.",
        "Time", "Session", "Venue",
        "09:00–10:30", "Opening of the signing ceremony", "Main hall", "Room for the press",
        "Lunch offered by the host country",  # merged across three columns, read once
        "The Secretary-General will speak at the closing.",
        "Signing ceremony of the Convention", "United Nations", "Programme subject to change.",
    ]
    kinds = {block.text: block.kind for block in document.blocks}
    assert kinds["Programme of events"] == "heading"
    assert kinds["Main hall"] == "cell"
    assert kinds["United Nations"] == "header"
    assert kinds["Programme subject to change."] == "footer"
    locations = {block.text: block.location for block in document.blocks}
    assert locations["Room for the press"] == "table 1, row 2, cell 3, table 1, row 1, cell 1"
    assert locations["United Nations"] == "first-page header (section 1)"


def test_reading_twice_gives_the_same_addresses(programme_docx):
    """Writers find paragraphs again by the index the reader gave them."""
    first = docx_format.read(programme_docx)
    second = docx_format.read(programme_docx)
    assert [(b.index, b.text) for b in first.blocks] == [(b.index, b.text) for b in second.blocks]


def test_write_replaces_text_keeps_formatting_and_tags_language(programme_docx, tmp_path):
    document = docx_format.read(programme_docx)
    translations = {block.index: f"[{block.text}]" for block in document.blocks}
    out = tmp_path / "programme.ru.docx"
    docx_format.write(document, translations, "ru", out)
    written = docx_format.read(out)
    assert [b.text for b in written.blocks] == [f"[{b.text}]" for b in document.blocks]
    word = docx.Document(str(out))
    # Given no codes, the writer keeps the formatting of words it finds unchanged.
    runs = word.paragraphs[1].runs
    assert [(r.text, r.bold, r.italic) for r in runs] == [
        ("[The ", None, None), ("signing ceremony", True, None),
        (" will take place in Hanoi. ", None, None),
        ("The delegations are welcome.", None, True), ("]", None, None)]
    first_run = runs[0]
    assert word.paragraphs[0].style.name == "Heading 1"
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    assert first_run._r.find(f"{w}rPr/{w}lang").get(f"{w}val") == "ru-RU"
    defaults = word.styles.element.find(f"{w}docDefaults/{w}rPrDefault/{w}rPr/{w}lang")
    assert defaults.get(f"{w}val") == "ru-RU"
