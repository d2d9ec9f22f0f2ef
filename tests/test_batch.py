"""The nightly batch's core (no Prefect): only what is new or changed, resumable, reported."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import PRESS_RELEASE_LINES, build_programme_docx
from hexaglot import batch
from hexaglot.batch import DocumentFailed, finish_batch, plan_batch, run_batch, translate_one
from hexaglot.pipeline import Settings, glossary_index

NIGHT = datetime(2026, 11, 24, 19, 0, tzinfo=UTC)  # 02:00 on the 25th in Hanoi


@pytest.fixture
def desk(tmp_path, glossary_csv):
    """A docs_in/ with three documents and a file that is not one; settings into docs_out/."""
    docs_in = tmp_path / "docs_in"
    docs_in.mkdir()
    (docs_in / "press-release.txt").write_text("\n".join(PRESS_RELEASE_LINES) + "\n",
                                               encoding="utf-8")
    build_programme_docx(docs_in / "programme.docx")
    (docs_in / "note.md").write_text("# Note to delegations\n\nThe Secretary-General will "
                                     "open the signing ceremony.\n", encoding="utf-8")
    (docs_in / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a photo")
    settings = Settings(targets=("es",), glossaries=(glossary_csv,),
                        out_dir=tmp_path / "docs_out", source_lang="en")
    return docs_in, settings, glossary_index((glossary_csv,))


def hits_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_second_batch_translates_only_the_edited_document(desk):
    docs_in, settings, index = desk
    first = run_batch(docs_in, settings, index, timezone="Asia/Ho_Chi_Minh", when=NIGHT)
    folder = Path(first["out_dir"])
    assert folder.name == "2026-11-25"  # the night in the configured time zone
    assert sorted(Path(d["path"]).name for d in first["documents"]) == [
        "note.md", "press-release.txt", "programme.docx"]
    assert all(d["error"] is None for d in first["documents"])
    assert [Path(i["path"]).name for i in first["ignored"]] == ["photo.jpg"]
    assert "not a document" in first["ignored"][0]["reason"]
    for name in ("programme.es.docx", "programme.es.review.docx", "note.es.md",
                 "hits.csv", "run-report.json", "nightly-summary.md"):
        assert (folder / name).exists(), name
    latest = settings.out_dir / "nightly" / "latest"
    assert latest.resolve() == folder.resolve()

    note = docs_in / "note.md"
    note.write_text(note.read_text(encoding="utf-8") + "\nThe ceremony starts at 09:00.\n",
                    encoding="utf-8")
    second = run_batch(docs_in, settings, index, timezone="Asia/Ho_Chi_Minh", when=NIGHT)
    assert [Path(d["path"]).name for d in second["documents"]] == ["note.md"]
    assert sorted(second["unchanged"]) == ["press-release.txt", "programme.docx"]
    assert Path(second["out_dir"]).name == "2026-11-25-2"
    assert latest.resolve() == Path(second["out_dir"]).resolve()

    third = run_batch(docs_in, settings, index, timezone="Asia/Ho_Chi_Minh", when=NIGHT)
    assert third["documents"] == [] and len(third["unchanged"]) == 3
    assert latest.resolve() == Path(second["out_dir"]).resolve()  # no empty night folder
    assert "nothing new" in (settings.out_dir / "nightly" / "nightly-summary.md").read_text(
        encoding="utf-8")


def test_new_glossary_release_translates_everything_again(desk, tmp_path):
    docs_in, settings, index = desk
    run_batch(docs_in, settings, index, when=NIGHT)
    glossary = settings.glossaries[0]
    glossary.write_text(glossary.read_text(encoding="utf-8") + "t-999,general,,delegation,,,,"
                        "délégation,,delegación,,,делегация,,وفد,代表团,phái đoàn\n",
                        encoding="utf-8")
    again = run_batch(docs_in, settings, glossary_index((glossary,)), when=NIGHT)
    assert len(again["documents"]) == 3 and again["unchanged"] == []


def test_bad_document_is_reported_and_tried_again_next_night(desk):
    docs_in, settings, index = desk
    (docs_in / "broken.docx").write_bytes(b"PK\x03\x04 truncated in transfer")
    (docs_in / "macros.docm").write_bytes(b"PK\x03\x04")
    summary = run_batch(docs_in, settings, index, when=NIGHT)
    errors = {Path(d["path"]).name: d["error"] for d in summary["documents"]}
    assert "broken.docx" in errors["broken.docx"] and "save it again" in errors["broken.docx"]
    assert "macro" in errors["macros.docm"]
    assert errors["programme.docx"] is None and errors["note.md"] is None
    markdown = (Path(summary["out_dir"]) / "nightly-summary.md").read_text(encoding="utf-8")
    assert "2 failed" in markdown and "broken.docx" in markdown
    manifest = json.loads((settings.out_dir / "nightly" / "manifest.json").read_text())
    assert "broken.docx" not in manifest["documents"]
    retry = run_batch(docs_in, settings, index, when=NIGHT)
    assert sorted(Path(d["path"]).name for d in retry["documents"]) == [
        "broken.docx", "macros.docm"]


def test_rerun_after_a_crash_finishes_the_night_without_duplicates(desk):
    docs_in, settings, index = desk
    plan = plan_batch(docs_in, settings, when=NIGHT)
    assert len(plan.pending) == 3
    translate_one(plan, plan.pending[0], index)  # then the process dies
    translate_one(plan, plan.pending[1], index)
    (plan.folder / ".note.es.review.docx.k1ll3d.part").write_bytes(b"PK half-written")

    resumed = plan_batch(docs_in, settings, when=NIGHT)
    assert resumed.resumed and resumed.run_id == plan.run_id
    assert resumed.folder == plan.folder
    assert [p.name for p in resumed.pending] == [plan.pending[2].name]
    translate_one(resumed, resumed.pending[0], index)
    summary = finish_batch(resumed)
    assert sorted(Path(d["path"]).name for d in summary["documents"]) == [
        "note.md", "press-release.txt", "programme.docx"]
    assert summary["unchanged"] == []  # done by the first attempt, listed as documents
    rows = hits_rows(plan.folder / "hits.csv")
    keys = [(r["doc"], r["segment_id"], r["concept_id"], r["source_term"]) for r in rows]
    assert rows and len(keys) == len(set(keys))
    assert {r["run_id"] for r in rows} == {plan.run_id}
    assert not list(plan.folder.glob("*.part")) and not list(plan.folder.glob(".*.part"))


def test_document_changing_while_it_is_read_is_not_recorded_as_done(desk, monkeypatch):
    docs_in, settings, index = desk
    plan = plan_batch(docs_in, settings, when=NIGHT)
    note = docs_in / "note.md"
    real = batch.process_document

    def saved_again_meanwhile(path, *args, **kwargs):
        result = real(path, *args, **kwargs)
        if path == note:
            note.write_text("# Note\n\nRevised while the batch ran.\n", encoding="utf-8")
        return result

    monkeypatch.setattr(batch, "process_document", saved_again_meanwhile)
    with pytest.raises(DocumentFailed) as failure:
        translate_one(plan, note, index)
    assert failure.value.transient and "changed while" in str(failure.value)
    manifest = settings.out_dir / "nightly" / "manifest.json"
    assert not manifest.exists() or "note.md" not in json.loads(manifest.read_text())[
        "documents"]
    monkeypatch.setattr(batch, "process_document", real)
    translate_one(plan, note, index)  # the retry takes the new content
    assert "note.md" in json.loads(manifest.read_text())["documents"]
    assert "Revised" in (plan.folder / "note.es.md").read_text(encoding="utf-8") or \
        "Revisado" in (plan.folder / "note.es.md").read_text(encoding="utf-8")


def test_unreadable_manifest_costs_a_full_run_not_an_output(desk):
    docs_in, settings, index = desk
    run_batch(docs_in, settings, index, when=NIGHT)
    (settings.out_dir / "nightly" / "manifest.json").write_text("{ truncated", encoding="utf-8")
    summary = run_batch(docs_in, settings, index, when=NIGHT)
    assert len(summary["documents"]) == 3
    assert any("manifest.json: unreadable" in note for note in summary["notes"])


def test_documents_finishing_together_are_all_remembered(tmp_path):
    import threading

    from hexaglot.batch import Manifest

    path = tmp_path / "manifest.json"

    def finish(prefix: str) -> None:
        for number in range(40):
            Manifest.record(path, f"{prefix}-{number}.docx", {"sha256": "x", "settings": "k"})

    threads = [threading.Thread(target=finish, args=(prefix,)) for prefix in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(Manifest(path).entries) == 80  # none skipped as "unchanged" would be lost
