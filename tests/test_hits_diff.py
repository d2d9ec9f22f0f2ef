"""Glossary-hit records kept per run, and what reviewers see when they compare two runs or
re-judge a past run against a new glossary release: real runs through ``hexaglot
translate`` with Apertium (English -> Spanish)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from conftest import GLOSSARY_CSV
from hexaglot.cli import main
from hexaglot.hits import COLUMNS, read_segments
from hexaglot.hits_diff import DIFF_COLUMNS, STATUS_FILLS, diff_hits


def new_release_csv() -> str:
    """The glossary's next release: "Secretario General" is now forbidden in Spanish, with
    "Secretaria General" approved; "Member State" is withdrawn; "delegation" is added."""
    lines = []
    for line in GLOSSARY_CSV.splitlines():
        if line.startswith("t-003,"):
            continue
        if line.startswith("t-004,"):
            replaced = line.replace(",Secretario General,,,", ",Secretaria General,,"
                                    "Secretario General,")
            assert replaced != line
            line = replaced
        lines.append(line)
    lines.append("t-008,general,,delegation,,,,délégation,,delegación,,,делегация,,وفد,代表团,"
                 "phái đoàn")
    return "\n".join(lines) + "\n"


def translate(capsys, document: Path, glossary: Path, out: Path) -> str:
    code = main(["translate", str(document), "--to", "es", "--glossary", str(glossary),
                 "--out", str(out), "--json"])
    summary = json.loads(capsys.readouterr().out)
    assert code == 0, summary["documents"][0]["error"]
    return summary["run_id"]


def hits_command(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["hits", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def two_runs(capsys, tmp_path, press_release_txt, glossary_csv):
    """Run 1 with the glossary, run 2 of the same document with its next release."""
    out = tmp_path / "out"
    first = translate(capsys, press_release_txt, glossary_csv, out)
    release = tmp_path / "glossary-v2.csv"
    release.write_text(new_release_csv(), encoding="utf-8")
    second = translate(capsys, press_release_txt, release, out)
    return out, first, second, release


EXPECTED_CHANGES = {
    # (change, segment, concept): (old status, new status, old found, new found)
    ("disappeared", "1.1", "t-003"): ("ok", "", "Estados Miembros", ""),
    ("changed", "4.1", "t-004"): ("ok", "ok", "Secretario General", "Secretaria General"),
    ("appeared", "4.1", "t-008"): ("", "ok", "", "delegaciones"),
    ("disappeared", "7.1", "t-003"): ("ok", "", "Estados Miembros", ""),
}


def test_each_run_keeps_its_hits_report_and_segments(two_runs):
    out, first, second, _ = two_runs
    assert first != second
    for run_id in (first, second):
        folder = out / "runs" / run_id
        assert sorted(p.name for p in folder.iterdir()) == [
            "hits.csv", "hits.parquet", "run-report.json", "segments.jsonl"]
        assert json.loads((folder / "run-report.json").read_text("utf-8"))["run_id"] == run_id
        rows = read_csv(folder / "hits.csv")
        assert list(rows[0]) == COLUMNS
        assert {row["run_id"] for row in rows} == {run_id}
        assert {row["engine"] for row in rows} == {"apertium"}
    assert not [p for p in (out / "runs").iterdir() if p.name.startswith(".")]  # no leftovers

    # The latest run's tables are also beside the outputs, and the same as in its folder.
    latest = out / "runs" / second
    assert (out / "hits.csv").read_bytes() == (latest / "hits.csv").read_bytes()
    rows = read_csv(out / "hits.csv")
    keys = [(r["doc"], r["target_lang"], tuple(int(p) for p in r["segment_id"].split(".")),
             r["concept_id"], r["source_term"]) for r in rows]
    assert keys == sorted(keys)
    frame = pd.read_parquet(out / "hits.parquet")
    assert list(frame.columns) == COLUMNS
    assert frame.astype(str).to_dict("records") == rows
    report = json.loads((out / "run-report.json").read_text("utf-8"))
    assert report["run_id"] == second
    assert str(out / "hits.parquet") in report["outputs"]

    segments = list(read_segments(latest / "segments.jsonl"))
    assert [s.segment_id for s in segments if s.origin == "mt"][:3] == ["1.1", "3.1", "4.1"]
    secretary = next(s for s in segments if s.segment_id == "4.1")
    assert secretary.source.startswith("The Secretary-General welcomed")
    assert "Secretaria General" in secretary.target and secretary.engine == "apertium"
    assert (secretary.doc, secretary.source_lang, secretary.target_lang) == (
        "press-release.txt", "en", "es")


def test_hits_diff_lists_exactly_the_changed_rows(capsys, tmp_path, two_runs):
    out, first, second, _ = two_runs
    changes_csv, changes_xlsx = tmp_path / "changes.csv", tmp_path / "changes.xlsx"
    code, stdout, _ = hits_command(capsys, "diff", first, second, "--docs-out", str(out),
                                   "--json", "--csv", str(changes_csv),
                                   "--xlsx", str(changes_xlsx))
    assert code == 0
    diff = json.loads(stdout)
    found = {(c["change"], c["segment_id"], c["concept_id"]):
             (c["old_status"], c["new_status"], c["old_found"], c["new_found"])
             for c in diff["changes"]}
    assert found == EXPECTED_CHANGES
    assert len(diff["changes"]) == len(EXPECTED_CHANGES)
    total_first = len(read_csv(out / "runs" / first / "hits.csv"))
    assert diff["counts"] == {"changed": 1, "appeared": 1, "disappeared": 2,
                              "unchanged": total_first - 3}
    secretary = next(c for c in diff["changes"] if c["concept_id"] == "t-004")
    assert (secretary["old_expected"], secretary["new_expected"]) == ("Secretario General",
                                                                      "Secretaria General")

    # The CSV has the same rows; the workbook opens with a filter, a frozen header, and each
    # row filled with the colour of its new status (grey for hits that disappeared).
    rows = read_csv(changes_csv)
    assert list(rows[0]) == DIFF_COLUMNS
    assert [(r["change"], r["segment_id"], r["concept_id"]) for r in rows] == [
        (c["change"], c["segment_id"], c["concept_id"]) for c in diff["changes"]]
    sheet = load_workbook(changes_xlsx)["changes"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:O{len(rows) + 1}"
    assert [cell.value for cell in sheet[1]] == DIFF_COLUMNS
    new_status = DIFF_COLUMNS.index("new_status")
    for line in sheet.iter_rows(min_row=2):
        colour = STATUS_FILLS[line[new_status].value or ""]
        assert {cell.fill.fgColor.rgb for cell in line} == {colour}
    fills = {line[0].value: line[0].fill.fgColor.rgb for line in sheet.iter_rows(min_row=2)}
    assert fills == {"changed": STATUS_FILLS["ok"], "appeared": STATUS_FILLS["ok"],
                     "disappeared": STATUS_FILLS[""]}

    # The terminal table: the same rows, found targets old -> new.
    code, stdout, _ = hits_command(capsys, "diff", "previous", "latest", "--docs-out", str(out))
    assert code == 0
    assert "Secretario General → Secretaria General" in stdout
    assert stdout.count("disappeared") == 3  # two rows and the caption
    assert "1 changed, 1 appeared, 2 disappeared" in stdout


def test_hits_files_and_run_folders_work_as_well_as_run_ids(capsys, two_runs):
    out, first, second, _ = two_runs
    by_id = json.loads(hits_command(capsys, "diff", first, second, "--docs-out", str(out),
                                    "--json")[1])
    by_files = json.loads(hits_command(
        capsys, "diff", str(out / "runs" / first / "hits.parquet"),
        str(out / "runs" / second), "--json")[1])
    assert by_files["changes"] == by_id["changes"] and by_files["counts"] == by_id["counts"]
    same = json.loads(hits_command(capsys, "diff", second, str(out / "hits.csv"),
                                   "--docs-out", str(out), "--json")[1])
    assert same["changes"] == [] and same["counts"]["unchanged"] > 0

    code, _, err = hits_command(capsys, "diff", "20000101T000000Z-000000", second,
                                "--docs-out", str(out))
    assert code == 2
    assert "not a hits file" in err and second in err  # it names the runs that exist


def test_recheck_judges_a_past_run_against_the_new_release(capsys, tmp_path, two_runs):
    out, first, second, release = two_runs
    recheck = tmp_path / "recheck.parquet"
    code, stdout, err = hits_command(capsys, "recheck", first, "--glossary", str(release),
                                     "--out", str(recheck), "--docs-out", str(out))
    assert code == 0 and stdout.strip() == str(recheck)
    assert "1 forbidden" in err
    rechecked = pd.read_parquet(recheck).astype(str).to_dict("records")

    # Where run 2 made the same translation as run 1, the recheck of run 1 with the new
    # release says exactly what run 2 said.
    def targets(run_id):
        return {(s.doc, s.target_lang, s.segment_id): s.target
                for s in read_segments(out / "runs" / run_id / "segments.jsonl")}

    before, after = targets(first), targets(second)
    unchanged = {key for key in before if before[key] == after[key]}
    assert unchanged and len(unchanged) < len(before)  # 4.1 was changed by the release

    def judged(rows):
        return sorted((r["doc"], r["target_lang"], r["segment_id"], r["concept_id"],
                       r["source_term"], r["expected_target"], r["status"], r["found_target"])
                      for r in rows if (r["doc"], r["target_lang"], r["segment_id"]) in unchanged)

    assert judged(rechecked) == judged(read_csv(out / "runs" / second / "hits.csv"))
    assert {r["run_id"] for r in rechecked} == {f"{first}+recheck"}

    # Run 1's own translation of 4.1 uses the term the release now forbids.
    code, stdout, _ = hits_command(capsys, "diff", first, str(recheck), "--docs-out", str(out),
                                   "--json")
    changes = {(c["change"], c["segment_id"], c["concept_id"]):
               (c["old_status"], c["new_status"], c["new_found"])
               for c in json.loads(stdout)["changes"]}
    assert changes == {
        ("disappeared", "1.1", "t-003"): ("ok", "", ""),
        ("changed", "4.1", "t-004"): ("ok", "forbidden", "Secretario General"),
        ("appeared", "4.1", "t-008"): ("", "ok", "delegaciones"),
        ("disappeared", "7.1", "t-003"): ("ok", "", ""),
    }

    # With the glossary it was made with, a recheck changes nothing.
    code, stdout, _ = hits_command(capsys, "recheck", first, "--glossary",
                                   str(tmp_path / "glossary.csv"), "--docs-out", str(out))
    default_out = out / "rechecks" / f"{first}.hits.csv"
    assert code == 0 and stdout.strip() == str(default_out)
    same = json.loads(hits_command(capsys, "diff", first, str(default_out),
                                   "--docs-out", str(out), "--json")[1])
    assert same["changes"] == []


def test_repeated_terms_in_a_segment_are_matched_by_occurrence():
    def row(status, found, segment="2.1"):
        return {"doc": "a.txt", "target_lang": "fr", "segment_id": segment,
                "concept_id": "t-1", "source_term": "Member State",
                "expected_target": "État Membre", "status": status, "found_target": found,
                "engine": "apertium"}

    old = [row("ok", "État Membre"), row("ok", "État Membre"), row("ok", "État Membre", "10.1")]
    new = [row("ok", "État Membre"), row("missing", ""), row("ok", "État Membre", "10.1"),
           row("ok", "État Membre", "10.1")]
    diff = diff_hits(old, new)
    assert [(c.change, c.segment_id, c.occurrence, c.new_status) for c in diff.changes] == [
        ("changed", "2.1", 2, "missing"), ("appeared", "10.1", 2, "ok")]
    assert diff.unchanged == 2


@pytest.mark.prefect
def test_flow_publishes_the_diff_against_the_previous_run(tmp_path, press_release_txt,
                                                           glossary_csv):
    import asyncio

    from prefect.client.orchestration import get_client

    from flows.translate_documents import translate_documents

    out = tmp_path / "out"
    release = tmp_path / "glossary-v2.csv"
    release.write_text(new_release_csv(), encoding="utf-8")
    first = translate_documents(paths=[str(press_release_txt)], target_languages=["es"],
                                glossaries=[str(glossary_csv)], out_dir=str(out))
    second = translate_documents(paths=[str(press_release_txt)], target_languages=["es"],
                                 glossaries=[str(release)], out_dir=str(out))
    assert {p.name for p in (out / "runs").iterdir()} == {first["run_id"], second["run_id"]}

    async def artifacts():
        async with get_client() as client:
            return await client.read_latest_artifacts()

    artifact = next(a for a in asyncio.run(artifacts()) if a.key == "glossary-hits-diff")
    assert artifact.type == "table"
    table = json.loads(artifact.data) if isinstance(artifact.data, str) else artifact.data
    assert {(r["change"], r["segment"], r["concept"]) for r in table} == {
        (change, segment, concept) for change, segment, concept in EXPECTED_CHANGES}
    assert first["run_id"] in artifact.description and second["run_id"] in artifact.description


def test_a_reviewed_document_against_its_run(capsys, tmp_path, press_release_txt,
                                             glossary_csv):
    """The reviser writes the forbidden "ceremonia de fichaje" back into a row and deletes
    another row's translation: the diff of the run against the edited review DOCX says so."""
    import docx

    out = tmp_path / "out"
    run_id = translate(capsys, press_release_txt, glossary_csv, out)
    review = out / "press-release.es.review.docx"
    word = docx.Document(str(review))
    grid = word.tables[1]
    ceremony = next(r for r in grid.rows[1:] if "signing ceremony" in r.cells[1].text)
    ceremony.cells[2].text = ceremony.cells[2].text.replace("ceremonia de firma",
                                                            "ceremonia de fichaje")
    secretary = next(r for r in grid.rows[1:] if "Secretary-General" in r.cells[1].text)
    secretary.cells[2].text = ""
    edited = tmp_path / "press-release.es.reviewed.docx"
    word.save(str(edited))

    code, out_text, err = hits_command(capsys, "diff", run_id, str(edited), "--docs-out",
                                       str(out), "--glossary", str(glossary_csv), "--json")
    assert code == 0, err
    changes = {(c["segment_id"], c["concept_id"]): (c["old_status"], c["new_status"])
               for c in json.loads(out_text)["changes"]}
    assert changes[(ceremony.cells[0].text, "t-001")] == ("ok", "forbidden")
    assert changes[(secretary.cells[0].text, "t-004")] == ("ok", "untranslated")
    assert len(changes) == 2  # the rows the reviser left alone are unchanged
