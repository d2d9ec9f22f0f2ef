"""``hexaglot review import``: a reviser's edited review DOCX (Track Changes, comments) back
into the translated document, with what changed and its glossary hits; a damaged table is
reported row by row and nothing is written. Real runs through ``hexaglot translate`` with
Apertium (English -> Spanish)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from hexaglot.cli import main
from hexaglot.hits import read_segments
from hexaglot.review.reader import cell_text, read_review, read_review_docx

TRACKED = {qn("w:author"): "Reviser", qn("w:date"): "2025-06-02T10:00:00Z"}


def translate(capsys, document: Path, glossary: Path, out: Path) -> str:
    code = main(["translate", str(document), "--to", "es", "--glossary", str(glossary),
                 "--out", str(out), "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)["run_id"]


def review_import(capsys, review: Path, out: Path, *extra: str) -> tuple[int, dict, str]:
    code = main(["review", "import", str(review), "--out", str(out), "--json", *extra])
    captured = capsys.readouterr()
    return code, json.loads(captured.out) if captured.out.strip() else {}, captured.err


def row_with(grid, source_text: str):
    return next(row for row in grid.rows[1:] if source_text in row.cells[1].text)


def tracked_edit(word, cell, old: str, new: str) -> None:
    """What Word writes when a reviser with Track Changes on selects ``old`` in a run of the
    cell and types ``new``: the run split in three, the middle one wrapped in <w:del> (its
    <w:t> become <w:delText>) and a new run in <w:ins> after it. A comment on the edit."""
    paragraph = cell.paragraphs[0]
    run = next(run for run in paragraph.runs if old in run.text)
    before, _, after = run.text.partition(old)
    run.text = before
    middle = copy.deepcopy(run._r)
    rest = copy.deepcopy(run._r)
    for element, text in ((middle, old), (rest, after)):
        for t in element.findall(qn("w:t")):
            element.remove(t)
        t = OxmlElement("w:t")
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        element.append(t)
    for t in middle.findall(qn("w:t")):
        t.tag = qn("w:delText")
    deletion = OxmlElement("w:del", TRACKED | {qn("w:id"): "901"})
    deletion.append(middle)
    inserted = copy.deepcopy(rest)
    inserted.find(qn("w:t")).text = new
    insertion = OxmlElement("w:ins", TRACKED | {qn("w:id"): "902"})
    insertion.append(inserted)
    run._r.addnext(deletion)
    deletion.addnext(insertion)
    insertion.addnext(rest)
    word.add_comment(run, text="Check the verb with the desk", author="Reviser")


@pytest.fixture
def press_run(capsys, tmp_path, press_release_txt, glossary_csv):
    out = tmp_path / "out"
    run_id = translate(capsys, press_release_txt, glossary_csv, out)
    return out, run_id


def test_tracked_changes_and_plain_edits_rebuild_the_translation(capsys, tmp_path, press_run,
                                                                 glossary_csv):
    out, run_id = press_run
    before = (out / "press-release.es.txt").read_text(encoding="utf-8").split("\n")
    assert before[2].startswith("La ceremonia de firma abrió hoy")
    word = docx.Document(str(out / "press-release.es.review.docx"))
    grid = word.tables[1]
    ceremony = row_with(grid, "signing ceremony")
    tracked_edit(word, ceremony.cells[2], "abrió", "se inauguró")
    # python-docx's own reading misses the insertion; the reader accepts the change.
    assert "se inauguró" not in ceremony.cells[2].text
    expected_ceremony = before[2].replace("abrió", "se inauguró")
    assert cell_text(ceremony.cells[2]._tc) == expected_ceremony
    # A plain edit, without Track Changes: the forbidden "Estados miembro" put back.
    member = row_with(grid, "Member States sign")
    member.cells[2].text = "Los Estados miembro firman la Convención en Hanói"
    edited = tmp_path / "returned" / "press-release.es.review.docx"
    edited.parent.mkdir()
    word.save(str(edited))

    code, report, err = review_import(capsys, edited, out, "--glossary", str(glossary_csv))
    assert code == 0, err
    assert report["run_id"] == run_id and report["target_lang"] == "es"
    changes = {change["segment_id"]: change for change in report["changes"]}
    assert set(changes) == {"1.1", "3.1"}  # exactly the segments the reviser changed
    assert report["changed"] == 2 and report["unchanged"] == report["segments"] - 2
    ceremony_change = changes["3.1"]
    assert ceremony_change["new_target"] == expected_ceremony
    assert ceremony_change["diff"] == [{"op": "replace", "old": "abrió", "new": "se inauguró"}]
    assert "[-abrió-]{+se inauguró+}" in ceremony_change["inline_diff"]
    assert "Check the verb" not in json.dumps(report, ensure_ascii=False)  # comments ignored
    hits = {(c["segment_id"], h["concept_id"]): (h["status"], after["status"])
            for c in report["changes"]
            for h, after in zip(c["hits_before"], c["hits_after"], strict=True)}
    assert hits == {("3.1", "t-001"): ("ok", "ok"), ("1.1", "t-003"): ("ok", "forbidden")}
    assert changes["1.1"]["hits_after"][0]["found_target"] == "Estados miembro"

    after = (out / "press-release.es.txt").read_text(encoding="utf-8").split("\n")
    assert after[0] == "Los Estados miembro firman la Convención en Hanói"
    assert after[2] == expected_ceremony
    assert [line for n, line in enumerate(after) if n not in (0, 2)] == \
        [line for n, line in enumerate(before) if n not in (0, 2)]

    revised = out / "revised" / "press-release.txt.es.jsonl"
    assert report["outputs"]["revised"] == str(revised)
    assert any("translation memory" in note for note in report["notes"])
    pairs = [json.loads(line) for line in revised.read_text(encoding="utf-8").splitlines()]
    assert {p["segment_id"] for p in pairs if p["revised"]} == {"1.1", "3.1"}
    pair = next(p for p in pairs if p["segment_id"] == "3.1")
    assert pair["target"] == expected_ceremony and pair["run_id"] == run_id
    assert pair["source"].startswith("The signing ceremony") and pair["review"] == str(edited)
    # The run's history is the run's: the import does not rewrite it.
    stored = {s.segment_id: s.target for s in read_segments(out / "runs" / run_id /
                                                             "segments.jsonl")}
    assert stored["3.1"] == before[2]

    # Imported again: nothing new in the report's targets, one more set of pairs kept.
    code, again, err = review_import(capsys, edited, out, "--glossary", str(glossary_csv))
    assert code == 0, err
    assert {c["segment_id"] for c in again["changes"]} == {"1.1", "3.1"}
    assert len(revised.read_text(encoding="utf-8").splitlines()) == 2 * len(pairs)


def test_the_terminal_report(capsys, tmp_path, press_run, glossary_csv):
    out, _ = press_run
    word = docx.Document(str(out / "press-release.es.review.docx"))
    row = row_with(word.tables[1], "signing ceremony")
    row.cells[2].text = row.cells[2].text.replace("ceremonia de firma", "ceremonia de fichaje")
    edited = tmp_path / "edited.docx"
    word.save(str(edited))
    code = main(["review", "import", str(edited), "--out", str(out), "--glossary",
                 str(glossary_csv)])
    printed = capsys.readouterr().out
    assert code == 0
    assert "3.1" in printed and "forbidden" in printed and "1 segment(s) revised" in printed
    assert "press-release.es.txt" in printed and "translation memory" in printed


def _delete_row(grid, word):
    row = row_with(grid, "Secretary-General")
    row._tr.getparent().remove(row._tr)
    return ["segment 4.1: has no row"]


def _tracked_row_deletion(grid, word):
    row = row_with(grid, "Secretary-General")
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:del", TRACKED | {qn("w:id"): "903"}))
    return ["segment 4.1: has no row"]


def _edit_id(grid, word):
    row = row_with(grid, "signing ceremony")
    row.cells[0].text = "3.7"
    return ["row 3 (ID 3.7): ID “3.7” is not a segment", "segment 3.1: has no row"]


def _duplicate_id(grid, word):
    row = row_with(grid, "More than 2,500")
    row.cells[0].text = "4.1"
    return ["row 5 (ID 4.1): ID 4.1 is also on row 4", "segment 4.2: has no row"]


def _edit_source(grid, word):
    row = row_with(grid, "signing ceremony")
    row.cells[1].text = row.cells[1].text.replace("today", "yesterday")
    return ["row 3 (ID 3.1): the Source text was edited"]


def _reorder(grid, word):
    first, second = row_with(grid, "Member States sign"), row_with(grid, "signing ceremony")
    first._tr.addprevious(second._tr)
    return ["row 3 (ID 1.1): comes after ID 3.1"]


def _merge_cells(grid, word):
    row = row_with(grid, "signing ceremony")
    row.cells[2].merge(row.cells[3])
    return ["row 3: it has 4 cells where the header has 5"]


DAMAGES = [_delete_row, _tracked_row_deletion, _edit_id, _duplicate_id, _edit_source,
           _reorder, _merge_cells]


@pytest.mark.parametrize("damage", DAMAGES, ids=[d.__name__.strip("_") for d in DAMAGES])
def test_a_damaged_table_is_reported_row_by_row_and_nothing_is_written(
        capsys, tmp_path, press_run, glossary_csv, damage):
    out, run_id = press_run
    word = docx.Document(str(out / "press-release.es.review.docx"))
    grid = word.tables[1]
    # A real revision too, which must not be applied while the table is damaged.
    row_with(grid, "UNODC").cells[2].text = "Texto revisado."
    expected = damage(grid, word)
    edited = tmp_path / "damaged.docx"
    word.save(str(edited))
    translated = out / "press-release.es.txt"
    before = translated.read_bytes(), translated.stat().st_mtime_ns

    code, report, err = review_import(capsys, edited, out, "--glossary", str(glossary_csv))
    assert code == 2
    assert "nothing was written" in err
    for line in expected:
        assert line in err, (line, err)
    assert report["run_id"] == run_id and report["errors"]
    assert all(error["row"] or error["segment_id"] for error in report["errors"])
    assert (translated.read_bytes(), translated.stat().st_mtime_ns) == before
    assert not (out / "revised").exists()


def test_hits_diff_of_a_damaged_review_names_the_row(tmp_path, press_run):
    out, _ = press_run
    word = docx.Document(str(out / "press-release.es.review.docx"))
    _merge_cells(word.tables[1], word)
    edited = tmp_path / "damaged.docx"
    word.save(str(edited))
    assert read_review(edited).problems[0].row == 3
    with pytest.raises(Exception, match="row 3 of the segment table"):
        read_review_docx(edited)


def test_the_original_document_must_still_be_there(capsys, tmp_path, press_run,
                                                   press_release_txt, glossary_csv):
    out, _ = press_run
    review = out / "press-release.es.review.docx"
    press_release_txt.rename(tmp_path / "moved.txt")
    translated = out / "press-release.es.txt"
    before = translated.read_bytes()
    code, _, err = review_import(capsys, review, out, "--glossary", str(glossary_csv))
    assert code == 2 and "the original document is gone" in err
    assert translated.read_bytes() == before and not (out / "revised").exists()


def test_a_changed_original_is_refused(capsys, press_run, press_release_txt, glossary_csv):
    out, _ = press_run
    text = press_release_txt.read_text(encoding="utf-8")
    press_release_txt.write_text(text.replace("opened today", "opened yesterday"),
                                 encoding="utf-8")
    code, _, err = review_import(capsys, out / "press-release.es.review.docx", out,
                                 "--glossary", str(glossary_csv))
    assert code == 2 and "changed since run" in err and "3.1" in err


def test_the_run_is_found_or_named(capsys, tmp_path, press_run, press_release_txt,
                                   programme_docx, glossary_csv):
    """By default the latest run with segments of the document and language, even when a
    later run translated something else; --run names one; an unknown run is an error."""
    out, run_id = press_run
    later = translate(capsys, programme_docx, glossary_csv, out)
    review = out / "press-release.es.review.docx"
    code, report, err = review_import(capsys, review, out, "--glossary", str(glossary_csv))
    assert code == 0, err
    assert report["run_id"] == run_id and report["changes"] == []
    code, _, err = review_import(capsys, review, out, "--run", later)
    assert code == 2 and "has no segments of press-release.txt" in err
    code, _, err = review_import(capsys, review, out, "--run", "no-such-run")
    assert code == 2 and "no-such-run" in err


def test_a_docx_round_trip(capsys, tmp_path, programme_docx, glossary_csv):
    out = tmp_path / "out"
    translate(capsys, programme_docx, glossary_csv, out)
    translated = out / "programme.es.docx"
    before = [p.text for p in docx.Document(str(translated)).paragraphs]
    word = docx.Document(str(out / "programme.es.review.docx"))
    row = row_with(word.tables[1], "will speak at the closing")
    old = row.cells[2].text
    assert old == "El Secretario General hablará en el encierro."  # Apertium's "closing"
    revised_text = "El Secretario General hablará en la clausura."
    tracked_edit(word, row.cells[2], "el encierro", "la clausura")
    edited = tmp_path / "programme.es.review.docx"
    word.save(str(edited))

    code, report, err = review_import(capsys, edited, out, "--glossary", str(glossary_csv))
    assert code == 0, err
    assert [c["segment_id"] for c in report["changes"]] == [row.cells[0].text]
    assert report["outputs"]["translated"] == str(translated)
    after = [p.text for p in docx.Document(str(translated)).paragraphs]
    assert old in before and revised_text in after and old not in after
    assert [t for t in after if t != revised_text] == [t for t in before if t != old]
    hits = report["changes"][0]
    assert [h["status"] for h in hits["hits_after"]] == ["ok"]  # Secretario General kept
