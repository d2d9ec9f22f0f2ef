"""The bilingual review DOCX as a reviser sees it in Word: glossary terms highlighted in
source and target, QA findings as comments on the target text, Arabic and Chinese cells
tagged with their language and fonts; and the file still reads back."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_COLOR_INDEX

from hexaglot.cli import main
from hexaglot.document import Origin
from hexaglot.hits import check_hits
from hexaglot.pipeline import (
    Settings,
    TargetResult,
    glossary_index,
    load_document,
    translate_target,
    with_findings,
)
from hexaglot.review.reader import read_review_docx
from hexaglot.review.writer import write_review_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def cover_of(word) -> dict[str, str]:
    return {row.cells[0].text: row.cells[1].text for row in word.tables[0].rows}


def text_runs(cell) -> list:
    """The runs of a cell that hold text (a comment's reference mark is a run too)."""
    return [run for paragraph in cell.paragraphs for run in paragraph.runs if run.text]


def run_of(cell, text: str):
    runs = [run for run in text_runs(cell) if run.text == text]
    assert len(runs) == 1, [run.text for run in text_runs(cell)]
    return runs[0]


def row_with(word, source_text: str):
    return next(row for row in word.tables[1].rows[1:] if source_text in row.cells[1].text)


def commented_texts(word, paragraph) -> dict[str, str]:
    """Comment text -> the text of the runs it is anchored on, in one paragraph."""
    comments = {comment.comment_id: comment.text for comment in word.comments}
    anchored: dict[str, str] = {}
    open_ids: list[int] = []
    for element in paragraph._p.iterchildren():
        if element.tag == f"{W}commentRangeStart":
            open_ids.append(int(element.get(f"{W}id")))
        elif element.tag == f"{W}commentRangeEnd":
            open_ids.remove(int(element.get(f"{W}id")))
        elif element.tag == f"{W}r":
            text = "".join(t.text or "" for t in element.iter(f"{W}t"))
            for comment_id in open_ids:
                key = comments[comment_id]
                anchored[key] = anchored.get(key, "") + text
    return anchored


@pytest.fixture
def translated(capsys, tmp_path, press_release_txt, glossary_csv) -> Path:
    """The real command line into Spanish (Apertium), Arabic and Chinese (no engine)."""
    out = tmp_path / "out"
    code = main(["translate", str(press_release_txt), "--to", "es,ar,zh", "--glossary",
                 str(glossary_csv), "--out", str(out), "--json"])
    capsys.readouterr()
    assert code == 0
    return out


def revised(document, settings, lang: str, edits: dict[str, str]) -> TargetResult:
    """The run's result for one language with some targets as a translation memory or a
    translator gave them, the glossary hits judged and the QA checks run again on them."""
    index = glossary_index(settings.glossaries)
    result = translate_target(document, lang, settings, index)
    source_matcher, target_matcher = index.matcher(document.lang), index.matcher(lang)
    segments = []
    for segment_result in result.segments:
        text = edits.get(segment_result.segment.id)
        if text is not None:
            hits = check_hits(doc=document.path.name, segment_id=segment_result.segment.id,
                              source_lang=document.lang, target_lang=lang,
                              source_hits=segment_result.source_hits, target_text=text,
                              target_matcher=target_matcher)
            segment_result = replace(segment_result, target=text, origin=Origin.TM,
                                     engine="tm", hits=tuple(hits), enforcement=(), notes=())
        segments.append(segment_result)
    segments = with_findings(segments, document.lang, lang, source_matcher, target_matcher,
                             settings.checks)
    return replace(result, segments=tuple(segments))


@pytest.fixture
def setup(tmp_path, press_release_txt, glossary_csv):
    settings = Settings(targets=("es", "ar", "zh"), glossaries=(glossary_csv,),
                        out_dir=tmp_path / "review")
    return load_document(press_release_txt), settings


def test_run_review_highlights_terms_and_keeps_texts(translated, press_release_txt,
                                                     glossary_csv):
    path = translated / "press-release.es.review.docx"
    word = docx.Document(str(path))
    cover = cover_of(word)
    digest = hashlib.sha256(glossary_csv.read_bytes()).hexdigest()[:12]
    assert cover["Glossary versions"] == f"glossary.csv (sha256 {digest})"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", cover["Date"])
    assert re.fullmatch(r"\d{8}T\d{6}Z-[0-9a-f]{6}", cover["Run"])  # the run that made it
    assert re.fullmatch(r"\d+ error, \d+ warning, \d+ info", cover["QA findings"])

    # Apertium's "ceremonia de fichaje" was replaced by the approved term: green, both sides.
    row = row_with(word, "signing ceremony")
    assert run_of(row.cells[1], "signing ceremony").font.highlight_color == \
        WD_COLOR_INDEX.BRIGHT_GREEN
    assert run_of(row.cells[2], "ceremonia de firma").font.highlight_color == \
        WD_COLOR_INDEX.BRIGHT_GREEN
    assert row.cells[1].text == ("The signing ceremony opened today at the National "
                                 "Convention Center.")
    # Untouched stretches are plain.
    assert text_runs(row.cells[1])[0].text == "The "
    assert text_runs(row.cells[1])[0].font.highlight_color is None
    # Two hits of one concept and an abbreviation: each its own run.
    row = row_with(word, "UNODC")
    assert run_of(row.cells[1], "UNODC").font.highlight_color == WD_COLOR_INDEX.BRIGHT_GREEN
    assert run_of(row.cells[2], "UNODC").font.highlight_color == WD_COLOR_INDEX.BRIGHT_GREEN
    assert run_of(row.cells[2], "Estados Miembros").font.highlight_color == \
        WD_COLOR_INDEX.BRIGHT_GREEN

    reviewed = read_review_docx(path)
    assert (reviewed.document, reviewed.source_lang, reviewed.target_lang) == (
        "press-release.txt", "en", "es")
    translation = (translated / "press-release.es.txt").read_text(encoding="utf-8")
    for segment in reviewed.segments:
        assert segment.target in translation
    document = load_document(press_release_txt)
    assert [(s.id, s.source) for s in reviewed.segments] == [
        (s.id, s.text) for s in document.segments]

    # Arabic: no engine, the terms for the translator in grey; the empty target cell is
    # right to left, tagged Arabic.
    arabic = docx.Document(str(translated / "press-release.ar.review.docx"))
    row = row_with(arabic, "Secretary-General")
    assert run_of(row.cells[1], "Secretary-General").font.highlight_color == \
        WD_COLOR_INDEX.GRAY_25
    paragraph = row.cells[2].paragraphs[0]._p
    assert paragraph.find(f"{W}pPr/{W}bidi") is not None
    run = paragraph.find(f"{W}r")
    assert run.find(f"{W}rPr/{W}rtl") is not None
    assert run.find(f"{W}rPr/{W}lang").get(f"{W}bidi") == "ar-SA"
    assert read_review_docx(translated / "press-release.ar.review.docx").target_lang == "ar"


def test_missing_and_forbidden_terms_and_findings_as_comments(setup, tmp_path):
    document, settings = setup
    result = revised(document, settings, "es", {
        "3.1": "La ceremonia de fichaje abrió hoy en el Centro Nacional de Convenciones.",
        "4.1": "El Secretario dio la bienvenida a las delegaciones.",
        "4.2": "Más de 2,500 delegados asistieron.",
    })
    path = tmp_path / "press-release.es.review.docx"
    write_review_docx(document, result, path, settings_glossary(settings), run_id="run-42")
    word = docx.Document(str(path))
    assert cover_of(word)["Run"] == "run-42"
    assert cover_of(word)["QA findings"].startswith(
        f"{result.finding_counts()['error']} error")

    # Forbidden: red in the source, red and struck through in the target.
    row = row_with(word, "signing ceremony")
    assert run_of(row.cells[1], "signing ceremony").font.highlight_color == WD_COLOR_INDEX.RED
    forbidden = run_of(row.cells[2], "ceremonia de fichaje")
    assert forbidden.font.highlight_color == WD_COLOR_INDEX.RED and forbidden.font.strike
    assert [run.text for run in text_runs(row.cells[2]) if run.font.strike] == [
        "ceremonia de fichaje"]
    assert "✗ forbidden “ceremonia de fichaje”" in row.cells[4].text

    # Missing: yellow in the source, nothing to mark in the target.
    row = row_with(word, "Secretary-General")
    assert run_of(row.cells[1], "Secretary-General").font.highlight_color == \
        WD_COLOR_INDEX.YELLOW
    assert all(run.font.highlight_color is None for run in text_runs(row.cells[2]))

    # "2,500" reads as two and a half in Spanish: a comment on exactly those characters.
    row = row_with(word, "2,500")
    assert row.cells[2].text == "Más de 2,500 delegados asistieron."
    anchored = commented_texts(word, row.cells[2].paragraphs[0])
    comment = next(text for text in anchored if "numbers.format" in text)
    assert anchored[comment] == "2,500"
    assert re.match(r"(ERROR|WARNING) numbers\.format: ", comment)
    assert comment.endswith("suggestion: “2.500”")
    assert all(c.author == "hexaglot QA" for c in word.comments)
    # One comment per finding.
    assert len(word.comments) == len(result.findings())

    reviewed = read_review_docx(path)
    assert {s.id: s.target for s in reviewed.segments} == {
        r.segment.id: r.target or "" for r in result.segments}


def settings_glossary(settings):
    return glossary_index(settings.glossaries).glossary


def test_arabic_and_chinese_cells_carry_language_and_fonts(setup, tmp_path):
    document, settings = setup
    texts = {"ar": "رحب الأمين العام بالوفود. وحضر أكثر من 2500 مندوب.",
             "zh": "秘书长欢迎各代表团。"}
    for lang, text in texts.items():
        result = revised(document, settings, lang, {"4.1": text})
        path = tmp_path / f"press-release.{lang}.review.docx"
        write_review_docx(document, result, path, settings_glossary(settings))
        word = docx.Document(str(path))
        row = row_with(word, "Secretary-General")
        cell = row.cells[2]
        assert cell.text == text
        term = "الأمين العام" if lang == "ar" else "秘书长"
        assert run_of(cell, term).font.highlight_color == WD_COLOR_INDEX.BRIGHT_GREEN
        assert run_of(row.cells[1], "Secretary-General").font.highlight_color == \
            WD_COLOR_INDEX.BRIGHT_GREEN
        runs = [run._r for run in text_runs(cell)]
        assert len(runs) >= 2
        for run in runs:
            rpr = run.find(f"{W}rPr")
            lang_tag = rpr.find(f"{W}lang")
            fonts = rpr.find(f"{W}rFonts")
            if lang == "ar":
                assert rpr.find(f"{W}rtl") is not None
                assert lang_tag.get(f"{W}bidi") == "ar-SA"
                assert lang_tag.get(f"{W}val") == "ar-SA"
                assert fonts.get(f"{W}cs") == "Arial"
                assert rpr.find(f"{W}szCs") is not None
            else:
                assert rpr.find(f"{W}rtl") is None
                assert lang_tag.get(f"{W}eastAsia") == "zh-CN"
                assert fonts.get(f"{W}eastAsia") == "SimSun"
                assert fonts.get(f"{W}hint") == "eastAsia"
        paragraph = cell.paragraphs[0]._p
        assert (paragraph.find(f"{W}pPr/{W}bidi") is not None) == (lang == "ar")
        # The English source cells are tagged English, fonts for both scripts at hand.
        source_run = text_runs(row.cells[1])[0]._r
        assert source_run.find(f"{W}rPr/{W}lang").get(f"{W}val") == "en-GB"
        assert source_run.find(f"{W}rPr/{W}rtl") is None
        reviewed = read_review_docx(path)
        assert reviewed.target_lang == lang
        assert next(s for s in reviewed.segments if s.id == "4.1").target == text


def test_a_thousand_segment_review_reads_back_row_for_row(setup, tmp_path):
    """(Its writing time is measured in benchmarks/docx_write.py, not here.)"""
    document, settings = setup
    result = revised(document, settings, "es", {
        "3.1": "La ceremonia de fichaje abrió hoy en el Centro Nacional de Convenciones.",
        "4.2": "Más de 2,500 delegados asistieron.",
    })
    segments = []
    for copy in range(1000 // len(result.segments) + 1):
        for segment_result in result.segments:
            segment = replace(segment_result.segment, id=f"{copy}.{segment_result.segment.id}")
            segments.append(replace(segment_result, segment=segment))
    big = replace(result, segments=tuple(segments[:1000]))
    path = tmp_path / "big.es.review.docx"
    write_review_docx(document, big, path, settings_glossary(settings))
    reviewed = read_review_docx(path)
    assert [s.id for s in reviewed.segments] == [r.segment.id for r in big.segments]
