"""Translation memory in the pipeline: leverage before MT, MT kept for reuse, revised
segments outranking MT, labels the reviser sees, and the review import feeding the TM."""

from __future__ import annotations

import json
from pathlib import Path

import docx

from conftest import PRESS_RELEASE_LINES
from hexaglot.cli import main
from hexaglot.document import Origin
from hexaglot.pipeline import (
    Settings,
    glossary_index,
    load_document,
    lookup_queries,
    translate_target,
    translation_memory,
)
from hexaglot.tm.memory import TMUnit, UnitOrigin


def settings_for(tmp_path: Path, glossary: Path, **extra) -> Settings:
    return Settings(targets=("es",), glossaries=(glossary,), out_dir=tmp_path / "out",
                    source_lang="en", tm=tmp_path / "tm.sqlite", **extra)


def by_text(result, start: str):
    return next(r for r in result.segments if r.segment.text.startswith(start))


def test_a_rerun_takes_its_own_machine_translation_from_the_tm(tmp_path, press_release_txt,
                                                               glossary_csv):
    settings = settings_for(tmp_path, glossary_csv)
    index = glossary_index((glossary_csv,))
    document = load_document(press_release_txt, "en")
    first = translate_target(document, "es", settings, index)
    machine = [r for r in first.segments if r.origin is Origin.MT]
    assert machine and first.segment_counts()["tm"] == 0
    assert translation_memory(settings.tm).count("en", "es") == len(machine)

    second = translate_target(document, "es", settings, index)
    assert second.segment_counts()["mt"] == 0
    assert second.segment_counts()["tm"] == len(machine)
    assert second.tm_counts()["context"] == len(machine)  # same neighbours: 101%
    for before, after in zip(first.segments, second.segments, strict=True):
        assert after.target == before.target
    reused = by_text(second, "The signing ceremony")
    assert reused.engine == "apertium" and reused.tm_match.score == 101
    assert any("stored MT (apertium)" in note for note in reused.notes)
    # Glossary hits are judged again on what came from the TM.
    assert [h.status.value for h in reused.hits] == [h.status.value for h in
                                                     by_text(first, "The signing ceremony").hits]


def test_edited_sentence_alone_goes_to_mt(tmp_path, press_release_txt, glossary_csv):
    settings = settings_for(tmp_path, glossary_csv)
    index = glossary_index((glossary_csv,))
    translate_target(load_document(press_release_txt, "en"), "es", settings, index)
    lines = list(PRESS_RELEASE_LINES)
    edited_at = next(n for n, line in enumerate(lines) if line.startswith("The signing"))
    lines[edited_at] = lines[edited_at].replace("opened", "was opened")
    press_release_txt.write_text("\n".join(lines) + "\n", encoding="utf-8")
    again = translate_target(load_document(press_release_txt, "en"), "es", settings, index)
    assert [r.segment.text[:20] for r in again.segments if r.origin is Origin.MT] == \
        [lines[edited_at][:20]]


def test_a_revised_translation_outranks_mt_and_is_never_overwritten(tmp_path,
                                                                    press_release_txt,
                                                                    glossary_csv):
    settings = settings_for(tmp_path, glossary_csv)
    index = glossary_index((glossary_csv,))
    document = load_document(press_release_txt, "en")
    ceremony = next(s for s in document.segments if s.text.startswith("The signing ceremony"))
    memory = translation_memory(settings.tm)
    revised = "La ceremonia de firma se inauguró hoy en Hanói."
    memory.add([TMUnit("en", "es", ceremony.text, revised, UnitOrigin.HUMAN_REVISED,
                       document="press-release.txt")])
    first = translate_target(document, "es", settings, index)
    row = by_text(first, "The signing ceremony")
    assert row.origin is Origin.TM and row.target == revised
    assert row.tm_match.score == 100 and row.engine == "tm"
    assert any("revised by a reviser" in note for note in row.notes)
    # The run stored its MT of the other segments, and left the revised one alone.
    translate_target(document, "es", settings, index)
    (match,) = memory.lookup("en", "es", [lookup_queries([ceremony])[0]])
    assert match.target == revised and match.unit.origin is UnitOrigin.HUMAN_REVISED


def test_fuzzy_human_match_is_used_and_labelled_with_what_differs(tmp_path, glossary_csv):
    source = tmp_path / "in" / "note.txt"
    source.parent.mkdir()
    source.write_text("The Secretary-General will open the signing ceremony on 25 October.\n",
                      encoding="utf-8")
    settings = settings_for(tmp_path, glossary_csv)
    memory = translation_memory(settings.tm)
    memory.add([TMUnit("en", "es", "The Secretary-General will open the signing ceremony "
                       "on 26 October.", "El Secretario General inaugurará la ceremonia de "
                       "firma el 26 de octubre.", UnitOrigin.IMPORTED, document="old.tmx"),
                TMUnit("en", "es", "The Secretary-General will close the signing ceremony.",
                       "El Secretario General clausurará la ceremonia de firma.",
                       UnitOrigin.IMPORTED)])
    result = translate_target(load_document(source, "en"), "es", settings,
                              glossary_index((glossary_csv,)))
    (row,) = result.segments
    assert row.origin is Origin.TM
    # A number difference is a penalty, not a miss, and the new number is put in.
    assert row.target == "El Secretario General inaugurará la ceremonia de firma el 25 de " \
                         "octubre."
    assert 90 <= row.tm_match.score < 100
    assert any("26" in note and "25" in note for note in row.notes)


def test_pair_without_engine_gets_tm_suggestions(tmp_path, glossary_csv):
    source = tmp_path / "in" / "note.txt"
    source.parent.mkdir()
    source.write_text("The Secretary-General will open the signing ceremony in Hanoi.\n",
                      encoding="utf-8")
    settings = Settings(targets=("ru",), glossaries=(glossary_csv,), out_dir=tmp_path / "out",
                        source_lang="en", tm=tmp_path / "tm.sqlite")
    translation_memory(settings.tm).add([TMUnit(
        "en", "ru", "The Secretary-General will close the signing ceremony in Geneva next week.",
        "Генеральный секретарь закроет церемонию подписания в Женеве на следующей неделе.",
        UnitOrigin.IMPORTED)])
    index = glossary_index((glossary_csv,))
    result = translate_target(load_document(source, "en"), "ru", settings, index)
    (row,) = result.segments
    assert row.origin is Origin.HUMAN and row.target is None  # 83%: below [tm] min_score
    assert any(note.startswith("TM suggestion 83%") and "Женеве" in note for note in row.notes)
    assert any("no machine translation engine covers en->ru" in note for note in row.notes)

    # A closer human translation (here 92%: only the city differs) is put in for the
    # translator to correct, and says what its source was.
    translation_memory(settings.tm).add([TMUnit(
        "en", "ru", "The Secretary-General will open the signing ceremony in Geneva.",
        "Генеральный секретарь откроет церемонию подписания в Женеве.", UnitOrigin.IMPORTED)])
    (row,) = translate_target(load_document(source, "en"), "ru", settings, index).segments
    assert row.origin is Origin.TM and row.tm_match.kind == "fuzzy"
    assert row.target == "Генеральный секретарь откроет церемонию подписания в Женеве."
    assert any("in Geneva" in note and "check what differs" in note for note in row.notes)


def test_new_glossary_release_gets_fresh_mt_not_the_stored_one(tmp_path, press_release_txt,
                                                               glossary_csv):
    settings = settings_for(tmp_path, glossary_csv)
    document = load_document(press_release_txt, "en")
    translate_target(document, "es", settings, glossary_index((glossary_csv,)))
    glossary_csv.write_text(glossary_csv.read_text(encoding="utf-8") + "t-998,general,,"
                            "press,,,,presse,,prensa,,,пресса,,صحافة,新闻界,báo chí\n",
                            encoding="utf-8")
    again = translate_target(document, "es", settings, glossary_index((glossary_csv,)))
    assert again.segment_counts()["tm"] == 0 and again.segment_counts()["mt"] > 0


def test_review_docx_labels_and_review_import_feeds_the_tm(capsys, tmp_path, press_release_txt,
                                                           glossary_csv):
    out, tm = tmp_path / "out", tmp_path / "desk-tm.sqlite"
    common = ["--to", "es", "--glossary", str(glossary_csv), "--out", str(out), "--tm", str(tm)]
    assert main(["translate", str(press_release_txt), *common, "--json"]) == 0
    capsys.readouterr()
    review = out / "press-release.es.review.docx"
    word = docx.Document(str(review))
    grid = word.tables[1]
    row = next(r for r in grid.rows[1:] if "signing ceremony" in r.cells[1].text)
    row.cells[2].text = "La ceremonia de firma se inauguró hoy en Hanói."
    word.save(str(review))
    assert main(["review", "import", str(review), "--out", str(out), "--tm", str(tm),
                 "--glossary", str(glossary_csv), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert any("stored in the translation memory as human-revised" in n
               for n in report["notes"])

    assert main(["translate", str(press_release_txt), *common, "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    (target,) = summary["documents"][0]["targets"]
    assert target["segments"]["mt"] == 0 and target["segments"]["tm"] > 0
    assert target["tm_matches"]["context"] == target["segments"]["tm"]
    word = docx.Document(str(review))
    row = next(r for r in word.tables[1].rows[1:] if "signing ceremony" in r.cells[1].text)
    assert row.cells[2].text == "La ceremonia de firma se inauguró hoy en Hanói."
    assert row.cells[3].text == "TM context 101%"
    cover = "\n".join(c.text for r in word.tables[0].rows for c in r.cells)
    assert f"{target['segments']['tm']} from TM ({target['segments']['tm']} in context" in cover
