"""The command-line contract of ``hexaglot translate`` that the desk and later checks use."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from conftest import PRESS_RELEASE_LINES
from hexaglot.cli import main
from hexaglot.hits import COLUMNS

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def run_cli(capsys, *args: str) -> tuple[int, dict | str, str]:
    code = main(["translate", *args])
    captured = capsys.readouterr()
    out = captured.out
    if "--json" in args:
        out = json.loads(out)
    return code, out, captured.err


def apertium(mode: str, text: str) -> str:
    result = subprocess.run(["apertium", "-u", mode], input=text, capture_output=True,
                            text=True, check=True)
    return result.stdout.strip()


def test_txt_to_spanish_and_french_line_for_line_from_apertium(
        capsys, tmp_path, press_release_txt, glossary_csv):
    out = tmp_path / "out"
    code, summary, _ = run_cli(capsys, str(press_release_txt), "--to", "es,fr",
                               "--glossary", str(glossary_csv), "--out", str(out), "--json")
    assert code == 0
    for lang in ("es", "fr"):
        lines = (out / f"press-release.{lang}.txt").read_text(encoding="utf-8").split("\n")
        assert lines[-1] == "" and len(lines) - 1 == len(PRESS_RELEASE_LINES)
        for source, target in zip(PRESS_RELEASE_LINES, lines, strict=False):
            assert (source == "") == (target == ""), (source, target)
        assert (out / f"press-release.{lang}.review.docx").exists()
    spanish = (out / "press-release.es.txt").read_text(encoding="utf-8").split("\n")
    # Line 1 is one sentence with a glossary term: Apertium's "Estados de miembro" comes
    # out as the approved "Estados Miembros", the rest as Apertium makes it.
    assert apertium("eng-spa", PRESS_RELEASE_LINES[0]).startswith("Estados de miembro")
    assert spanish[0] == "Los Estados Miembros firman la Convención en Hanoi"
    assert "Secretario General" in spanish[3]
    # Apertium leaves "2,500", which Spanish reads as two and a half: corrected.
    assert "2,500" not in spanish[3] and "2.500" in spanish[3]
    french = (out / "press-release.fr.txt").read_text(encoding="utf-8").split("\n")
    assert "Secrétaire" in french[3] and "délégations" in french[3]
    assert "2\u202f500" in french[3]
    # The e-mail address line is copied as it is.
    assert spanish[7].endswith("press@hanoi2025.example.org")

    document = summary["documents"][0]
    assert document["error"] is None and document["source_lang"] == "en"
    by_lang = {target["lang"]: target for target in document["targets"]}
    assert set(by_lang) == {"es", "fr"}
    assert by_lang["es"]["engines"] == ["apertium"]
    assert by_lang["fr"]["segments"]["human"] == 0 and by_lang["fr"]["segments"]["mt"] >= 5
    assert set(by_lang["es"]["hits"]) >= {"ok", "missing", "forbidden", "untranslated"}
    assert by_lang["es"]["hits"]["forbidden"] == 0 and by_lang["es"]["hits"]["missing"] == 0
    assert sorted(Path(p).name for p in by_lang["es"]["outputs"]) == [
        "press-release.es.review.docx", "press-release.es.txt"]


def test_hits_csv_records_each_term_and_what_the_mt_did(capsys, tmp_path, press_release_txt,
                                                         glossary_csv):
    out = tmp_path / "out"
    run_cli(capsys, str(press_release_txt), "--to", "es,ar", "--glossary", str(glossary_csv),
            "--out", str(out), "--json")
    with open(out / "hits.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == COLUMNS
    spanish = [row for row in rows if row["target_lang"] == "es"]
    ceremony = next(row for row in spanish if row["concept_id"] == "t-001")
    # Apertium writes "ceremonia de fichaje", which the glossary forbids: replaced.
    assert ceremony["source_term"] == "signing ceremony"
    assert ceremony["expected_target"] == "ceremonia de firma"
    assert ceremony["status"] == "ok" and ceremony["found_target"] == "ceremonia de firma"
    assert ceremony["enforcement"] == "replaced"
    secretary = next(row for row in spanish if row["concept_id"] == "t-004")
    assert secretary["status"] == "ok" and secretary["found_target"] == "Secretario General"
    assert secretary["enforcement"] == "engine"
    unodc = [row for row in spanish if row["concept_id"] == "t-002"]
    assert {row["status"] for row in unodc} == {"ok"}
    assert {row["enforcement"] for row in unodc} <= {"engine", "placeholder", "repair"}
    # No engine covers English->Arabic: the terms await a human, with the approved form.
    arabic = [row for row in rows if row["target_lang"] == "ar"]
    assert arabic and {row["status"] for row in arabic} == {"untranslated"}
    assert any(row["expected_target"] == "الأمين العام" for row in arabic)


def test_every_official_language_is_written_arabic_and_chinese_included(
        capsys, tmp_path, press_release_txt, glossary_csv):
    out = tmp_path / "out"
    code, summary, _ = run_cli(capsys, str(press_release_txt), "--to", "ar,zh,en,fr,ru,es",
                               "--glossary", str(glossary_csv), "--out", str(out), "--json")
    assert code == 0
    targets = {t["lang"]: t for t in summary["documents"][0]["targets"]}
    assert set(targets) == {"ar", "zh", "fr", "ru", "es"}  # English is the source
    assert summary["documents"][0]["skipped_targets"] == ["en"]
    for lang in ("ar", "zh", "ru"):
        assert targets[lang]["engines"] == ["human"]
        assert targets[lang]["segments"]["mt"] == 0 and targets[lang]["segments"]["human"] > 0
        assert (out / f"press-release.{lang}.txt").exists()

    review = docx.Document(str(out / "press-release.ar.review.docx"))
    cover = "\n".join(cell.text for row in review.tables[0].rows for cell in row.cells)
    assert "English → Arabic" in review.paragraphs[0].text
    assert "for human translation" in cover
    body = "\n".join(p.text for p in review.paragraphs)
    assert "No machine-translation engine covers English → Arabic" in body
    grid = review.tables[1]
    assert [cell.text for cell in grid.rows[0].cells] == [
        "ID", "Source", "Target", "Status", "Glossary notes"]
    row = next(r for r in grid.rows[1:] if "Secretary-General" in r.cells[1].text)
    assert row.cells[2].text == "" and row.cells[3].text == "needs human translation"
    assert "Secretary-General → الأمين العام" in row.cells[4].text
    target_paragraph = row.cells[2].paragraphs[0]._p
    assert target_paragraph.find(f"{W}pPr/{W}bidi") is not None

    # Spanish: the reviser sees which terms hexaglot, not Apertium, put in.
    spanish = docx.Document(str(out / "press-release.es.review.docx")).tables[1]
    row = next(r for r in spanish.rows[1:] if "signing ceremony" in r.cells[1].text)
    assert row.cells[3].text == "MT (apertium)"
    assert ("✓ signing ceremony → ceremonia de firma (hexaglot replaced the engine's "
            "forbidden variant)") in row.cells[4].text
    assert "forbidden “ceremonia de fichaje”, replaced" in row.cells[4].text
    row = next(r for r in spanish.rows[1:] if "2,500" in r.cells[1].text)
    assert "Corrected by hexaglot: “2,500” → “2.500”" in row.cells[4].text
    assert target_paragraph.find(f".//{W}lang").get(f"{W}bidi") == "ar-SA"

    chinese = docx.Document(str(out / "press-release.zh.review.docx"))
    lang = chinese.tables[1].rows[1].cells[2].paragraphs[0]._p.find(f".//{W}lang")
    assert lang.get(f"{W}eastAsia") == "zh-CN"


def test_docx_input_gives_translated_docx_with_layout_kept(capsys, tmp_path, programme_docx,
                                                            glossary_csv):
    out = tmp_path / "out"
    code, summary, _ = run_cli(capsys, str(programme_docx), "--to", "es,ar", "--glossary",
                               str(glossary_csv), "--out", str(out), "--json")
    assert code == 0, summary
    spanish = docx.Document(str(out / "programme.es.docx"))
    assert spanish.paragraphs[0].style.name == "Heading 1"
    assert spanish.paragraphs[0].text == apertium("eng-spa", "Programme of events")
    table = spanish.tables[0]
    # The glossary's term, enforced: Apertium alone writes "ceremonia de fichaje".
    assert table.cell(1, 1).text == apertium(
        "eng-spa", "Opening of the signing ceremony").replace("fichaje", "firma")
    assert table.cell(1, 0).text == "09:00–10:30"
    assert table.cell(1, 2).tables[0].cell(0, 0).text == apertium("eng-spa", "Room for the press")
    section = spanish.sections[0]
    # Apertium alone: "Firmando ceremonia de la Convención".
    assert section.header.paragraphs[0].text == "Ceremonia de firma de la Convención"
    assert section.first_page_header.paragraphs[0].text == apertium("eng-spa", "United Nations")
    assert section.footer.paragraphs[0].text == apertium("eng-spa", "Programme subject to change.")
    # The bold term is bold in the translation, the italic sentence italic (Apertium moved
    # the formatting with the words; the glossary's term replaced its own inside it).
    runs = spanish.paragraphs[1].runs
    assert [r.text for r in runs if r.bold] == ["ceremonia de firma"]
    assert [r.text for r in runs if r.italic] == [
        apertium("eng-spa", "The delegations are welcome.")]
    assert runs[0].text == "La "
    lang = spanish.paragraphs[1].runs[0]._r.find(f"{W}rPr/{W}lang")
    assert lang.get(f"{W}val") == "es-ES"

    arabic = docx.Document(str(out / "programme.ar.docx"))
    assert arabic.paragraphs[1].paragraph_format.element.find(f"{W}pPr/{W}bidi") is not None
    assert arabic.sections[0]._sectPr.find(f"{W}bidi") is not None
    # No Arabic engine: the layout is complete, with the source text awaiting a translator.
    assert arabic.tables[0].cell(1, 1).text == "Opening of the signing ceremony"


def test_source_language_is_detected_and_can_be_forced(capsys, tmp_path, glossary_csv):
    source = tmp_path / "comunicado.txt"
    source.write_text("Los Estados Miembros firmaron la Convención en Hanói. "
                      "La ceremonia de firma reunió a muchas delegaciones.\n", encoding="utf-8")
    code, summary, _ = run_cli(capsys, str(source), "--to", "fr", "--glossary",
                               str(glossary_csv), "--out", str(tmp_path / "o"), "--json")
    assert code == 0 and summary["documents"][0]["source_lang"] == "es"
    assert summary["documents"][0]["targets"][0]["engines"] == ["apertium"]
    code, summary, _ = run_cli(capsys, str(source), "--to", "fr", "--from", "es",
                               "--glossary", str(glossary_csv), "--out", str(tmp_path / "o"),
                               "--json")
    assert code == 0


def test_summary_table_names_documents_languages_and_counts(capsys, tmp_path, press_release_txt,
                                                              glossary_csv):
    code, table, _ = run_cli(capsys, str(press_release_txt), "--to", "es,ar", "--glossary",
                             str(glossary_csv), "--out", str(tmp_path / "o"))
    assert code == 0
    assert "press-release.txt" in table and "en→es" in table and "en→ar" in table
    assert "apertium" in table and "human" in table and "press-release.es.txt" in table


def test_installed_command_and_exit_code_for_usage_errors(tmp_path, press_release_txt):
    command = [sys.executable, "-m", "hexaglot.cli", "translate", str(press_release_txt),
               "--to", "es,xx", "--out", str(tmp_path / "o")]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 2
    assert "unknown target language code 'xx'" in result.stderr
    assert "ar, zh, en, fr, ru, es" in result.stderr
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("missing.txt", None, "no such file: check the path"),
    ("protected.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
     "password-protected or old-format"),
    ("broken.docx", b"PK\x03\x04 this is not really a zip", "not a readable .docx file"),
    ("slides.pdf", b"%PDF-1.7", "unsupported file type '.pdf'"),
    ("report.docx", b"%PDF-1.7 a PDF renamed .docx", "not a readable .docx file"),
    ("with-macros.docm", b"PK\x03\x04", "macro-enabled Word file: hexaglot refuses it"),
    ("empty.txt", b"\n\n  \n", "the document is empty"),
    ("latin1.txt", "Délégués réunis à Hanoï".encode("latin-1"), "is not valid UTF-8"),
    ("short.txt", b"OK\n", "cannot tell which language"),
])
def test_bad_input_is_named_and_the_batch_goes_on(capsys, tmp_path, press_release_txt,
                                                   glossary_csv, name, content, expected):
    bad = tmp_path / "in" / name
    if content is not None:
        bad.write_bytes(content)
    out = tmp_path / "out"
    code, summary, err = run_cli(capsys, str(bad), str(press_release_txt), "--to", "es",
                                 "--glossary", str(glossary_csv), "--out", str(out), "--json")
    assert code == 1
    failed, good = summary["documents"]
    assert failed["path"] == str(bad) and expected in failed["error"]
    assert str(bad) in failed["error"]  # the message names the file
    assert str(bad) in err  # and is said on stderr too
    assert good["error"] is None
    assert (out / "press-release.es.txt").exists()
    assert not list(out.glob("*.part")) and not list(out.glob(".*"))


def test_a_bad_glossary_stops_the_run_before_any_output(capsys, tmp_path, press_release_txt):
    glossary = tmp_path / "bad.csv"
    glossary.write_text("id,en,es\nc1,Member State,Estado Miembro\nc1,Secretary-General,"
                        "Secretario General\n", encoding="utf-8")
    code, _, err = run_cli(capsys, str(press_release_txt), "--to", "es", "--glossary",
                           str(glossary), "--out", str(tmp_path / "o"))
    assert code == 2
    assert f"{glossary}: line 3: concept id 'c1' is already used (line 2)" in err
    assert not (tmp_path / "o").exists()
