"""`hexaglot glossary diff`: what a new glossary release changes."""

from __future__ import annotations

import csv

from hexaglot.cli import main


def test_diff_lists_added_removed_and_changed_terms_per_language(tmp_path, capsys,
                                                                   glossary_csv):
    old_text = glossary_csv.read_text(encoding="utf-8")
    new_text = (old_text
                .replace(",cibercrimen,", ",cibercrimen|ciberdelito,")
                .replace("Генеральный секретарь", "Генсек ООН")
                .replace("t-006,un-bodies", "t-106,un-bodies")
                .replace("t-007,general,,", "t-007,general,Principal organ,"))
    new = tmp_path / "new.csv"
    new.write_text(new_text, encoding="utf-8")
    report = tmp_path / "changes.csv"
    assert main(["glossary", "diff", str(glossary_csv), str(new), "--csv", str(report)]) == 0
    out = capsys.readouterr().out
    assert "7 → 7 concepts" in out
    assert "1 concept removed" in out and "1 concept added" in out
    with open(report, encoding="utf-8", newline="") as handle:
        rows = [tuple(row.values()) for row in csv.DictReader(handle)]
    assert ("term added", "t-005", "es", "ciberdelito", "", "forbidden") in rows
    assert ("term removed", "t-004", "ru", "Генеральный секретарь", "preferred", "") in rows
    assert ("term added", "t-004", "ru", "Генсек ООН", "", "preferred") in rows
    assert ("concept removed", "t-006", "", "World Health Organization", "", "") in rows
    assert ("concept added", "t-106", "", "World Health Organization", "", "") in rows
    assert ("note", "t-007", "", "", "", "Principal organ") in rows


def test_same_glossary_has_no_changes(glossary_csv, capsys):
    assert main(["glossary", "diff", str(glossary_csv), str(glossary_csv)]) == 0
    assert "7 → 7 concepts: no changes" in capsys.readouterr().out


def test_diff_shows_exclusions_added_and_removed(tmp_path, capsys):
    old = tmp_path / "old.csv"
    old.write_text("id,en,ru,ru_not_in\nsp,species,вид,вид спорта|в виде\n", encoding="utf-8")
    new = tmp_path / "new.tbx"
    new.write_text('<martif><text><body><termEntry id="sp">'
                   '<langSet xml:lang="en"><tig><term>species</term></tig></langSet>'
                   '<langSet xml:lang="ru"><note>not-in: вид спорта</note>'
                   "<note>not-in: делать вид</note><tig><term>вид</term></tig></langSet>"
                   "</termEntry></body></text></martif>", encoding="utf-8")
    report = tmp_path / "changes.csv"
    assert main(["glossary", "diff", str(old), str(new), "--csv", str(report)]) == 0
    assert "1 exclusion removed, 1 exclusion added" in capsys.readouterr().out
    with open(report, encoding="utf-8", newline="") as handle:
        rows = [tuple(row.values()) for row in csv.DictReader(handle)]
    assert rows == [("exclusion removed", "sp", "ru", "в виде", "", ""),
                    ("exclusion added", "sp", "ru", "делать вид", "", "")]
