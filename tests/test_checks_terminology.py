"""Terminology findings, in each official language, and `hexaglot check` on a human
translation."""

from __future__ import annotations

import json

import pytest

from hexaglot.checks import CheckContext, SegmentPair
from hexaglot.checks.terminology import TerminologyCheck
from hexaglot.cli import main
from hexaglot.glossary import load_glossaries
from hexaglot.glossary.match import TermMatcher


@pytest.fixture(scope="module")
def glossary(tmp_path_factory):
    from conftest import GLOSSARY_CSV

    path = tmp_path_factory.mktemp("g") / "glossary.csv"
    path.write_text(GLOSSARY_CSV, encoding="utf-8")
    return load_glossaries([path])


def findings(glossary, target_lang, *pairs):
    context = CheckContext("en", target_lang, TermMatcher(glossary, "en"),
                           TermMatcher(glossary, target_lang))
    segment_pairs = [SegmentPair(str(n), source, target)
                     for n, (source, target) in enumerate(pairs, start=1)]
    return TerminologyCheck().check(segment_pairs, context)


@pytest.mark.parametrize(("lang", "good", "bad"), [
    ("es", "Los Estados Miembros firmaron.", "Los países firmaron."),
    ("fr", "Les États Membres ont signé.", "Les pays ont signé."),
    ("ru", "Представители государств-членов подписали.", "Страны подписали."),
    ("ar", "وقعت الدول الأعضاء.", "وقعت البلدان."),
    ("zh", "各会员国签署了。", "各国签署了。"),
])
def test_an_approved_term_in_any_inflection_passes_and_its_absence_is_an_error(
        glossary, lang, good, bad):
    source = "The Member States signed."
    assert findings(glossary, lang, (source, good)) == []
    [missing] = findings(glossary, lang, (source, bad))
    assert missing.code == "terminology.missing" and missing.severity == "error"
    assert missing.source_span == (4, 17)  # "Member States" in the source
    assert missing.suggestion == glossary.by_id()["t-003"].approved(lang).text


def test_a_forbidden_target_term_is_an_error_with_the_approved_one(glossary):
    [forbidden] = findings(glossary, "es", ("The signing ceremony begins.",
                                            "La ceremonia de fichaje empieza."))
    assert forbidden.code == "terminology.forbidden"
    assert forbidden.suggestion == "ceremonia de firma"
    assert forbidden.target_span == (3, 23)
    # Forbidden even where the source did not name the concept.
    [unasked] = findings(glossary, "es", ("It begins.", "Empieza la ceremonia de fichaje."))
    assert unasked.code == "terminology.forbidden" and "ceremonia de firma" in unasked.message


def test_a_term_written_two_ways_in_one_document_is_flagged(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text("id,en,fr,fr_admitted\nc1,Secretariat,Secrétariat,services du Secrétariat\n",
                    encoding="utf-8")
    glossary = load_glossaries([path])
    result = findings(glossary, "fr",
                      ("The Secretariat replied.", "Le Secrétariat a répondu."),
                      ("The Secretariat agreed.", "Les services du Secrétariat ont accepté."))
    assert [f.code for f in result] == ["terminology.inconsistent"]
    assert result[0].segment_id == "2" and "services du Secrétariat" in result[0].message


def test_hexaglot_check_on_a_human_translation(tmp_path, capsys, glossary_csv):
    source = tmp_path / "en.txt"
    target = tmp_path / "es.txt"
    source.write_text("The signing ceremony begins.\nMember States attended.\n",
                      encoding="utf-8")
    target.write_text("La ceremonia de fichaje empieza.\nAsistieron los Estados Miembros.\n",
                      encoding="utf-8")
    code = main(["check", str(source), str(target), "--from", "en", "--to", "es",
                 "--glossary", str(glossary_csv), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1  # an error was found
    assert report["segments"] == 2
    assert [(f["line"], f["code"]) for f in report["findings"]
            if f["code"].startswith("terminology")] == [(1, "terminology.forbidden")]


def test_hexaglot_check_refuses_files_that_are_not_aligned(tmp_path, capsys, glossary_csv):
    source = tmp_path / "en.txt"
    target = tmp_path / "es.txt"
    source.write_text("One.\nTwo.\nThree.\n", encoding="utf-8")
    target.write_text("Uno.\nDos.\n", encoding="utf-8")
    code = main(["check", str(source), str(target), "--from", "en", "--to", "es",
                 "--glossary", str(glossary_csv)])
    assert code == 2
    assert "has 3 lines" in capsys.readouterr().err


def test_hexaglot_check_reads_tmx(tmp_path, capsys, glossary_csv):
    tmx = tmp_path / "memory.tmx"
    tmx.write_text("""<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="en" datatype="plaintext" segtype="sentence"
 adminlang="en" creationtool="test" creationtoolversion="1" o-tmf="test"/>
<body>
<tu><tuv xml:lang="en-US"><seg>The signing ceremony begins.</seg></tuv>
<tuv xml:lang="es-ES"><seg>La ceremonia de <bpt i="1">&lt;b&gt;</bpt>fichaje<ept i="1">
&lt;/b&gt;</ept> empieza.</seg></tuv></tu>
</body></tmx>""", encoding="utf-8")
    code = main(["check", str(tmx), "--from", "en", "--to", "es", "--glossary",
                 str(glossary_csv), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert any(f["code"] == "terminology.forbidden" for f in report["findings"])


def test_a_single_common_word_is_a_warning_a_name_or_phrase_an_error(tmp_path):
    """"report" may be a school report; "Secretary-General" and "Convention" (capitalized
    in the sentence) mean the glossary's concept wherever they appear."""
    path = tmp_path / "g.csv"
    path.write_text("id,en,es\nc1,report,informe\nc2,Convention,Convención\n",
                    encoding="utf-8")
    glossary = load_glossaries([path])
    [word] = findings(glossary, "es", ("Her school report was good.",
                                       "Sus notas escolares eran buenas."))
    assert word.code == "terminology.missing" and word.severity == "warning"
    assert "single common word" in word.message
    [name] = findings(glossary, "es", ("They signed the Convention today.",
                                       "Firmaron el tratado hoy."))
    assert name.severity == "error"


def test_hexaglot_toml_switches_checks_off_and_changes_severities(tmp_path, glossary):
    from hexaglot.checks import run_checks
    from hexaglot.config import load_config
    from hexaglot.document import HexaglotError

    config_file = tmp_path / "hexaglot.toml"
    config_file.write_text('[checks]\ndisabled = ["length", "untranslated"]\n'
                           '[checks.severity]\n"terminology.forbidden" = "info"\n'
                           'punctuation = "warning"\n', encoding="utf-8")
    checks = load_config(config_file).checks
    context = CheckContext("en", "zh", TermMatcher(glossary, "en"), TermMatcher(glossary, "zh"))
    pair = SegmentPair("1", "The signing ceremony, in Hanoi, begins.", "签署仪式,在河内开始。")
    default = {f.code: f.severity for f in run_checks([pair], context)}
    assert default["punctuation.fullwidth"] == "error"
    configured = {f.code: f.severity for f in run_checks([pair], context, checks)}
    assert configured["punctuation.fullwidth"] == "warning"
    copied = SegmentPair("2", "Delegates arrived early today.", "Delegates arrived early today.")
    assert not [f for f in run_checks([copied], context, checks)
                if f.code.startswith("untranslated")]
    config_file.write_text('[checks]\ndisabled = ["spelling"]\n', encoding="utf-8")
    with pytest.raises(HexaglotError, match="unknown check 'spelling'"):
        load_config(config_file)
