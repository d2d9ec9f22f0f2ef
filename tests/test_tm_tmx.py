"""TMX in and out of the desk's TM: files as OmegaT and Trados Studio write them, a
multilingual memory, damaged files, and a round trip that loses nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from hexaglot.document import HexaglotError
from hexaglot.tm.memory import LookupQuery, TMUnit, UnitOrigin, context_hash
from hexaglot.tm.store import open_tm
from hexaglot.tm.tmx import export_tmx, import_tmx, read_tmx

DATA = Path(__file__).parent / "data" / "tmx"
OMEGAT, TRADOS, MULTILINGUAL = (DATA / "omegat-en-ru.tmx", DATA / "trados-en-fr.tmx",
                                DATA / "un-multilingual.tmx")
SIGNING = "The signing ceremony opened today at the National Convention Center in Hanoi."
CYBERCRIME = "Cybercrime affects every country and every community."


@pytest.fixture
def tm(tmp_path):
    with open_tm(tmp_path / "tm.sqlite") as memory:
        yield memory


def lookup(tm, text, source="en", target="fr", previous="", next="", min_score=75):
    query = LookupQuery(text, context_hash(previous), context_hash(next))
    return tm.lookup(source, target, [query], min_score=min_score)[0]


def tmx(path: Path, body: str, srclang: str = "en") -> Path:
    path.write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
<header creationtool="test" creationtoolversion="1" datatype="plaintext" segtype="sentence"
 adminlang="en" srclang="{srclang}" o-tmf="test"/>
<body>
{body}</body>
</tmx>
""", encoding="utf-8")
    return path


def tu(number: int) -> str:
    return (f'<tu>\n  <tuv xml:lang="en"><seg>Paragraph {number} of the programme.</seg></tuv>\n'
            f'  <tuv xml:lang="fr"><seg>Paragraphe {number} du programme.</seg></tuv>\n</tu>\n')


# ---------------------------------------------------------------- files from CAT tools


def test_omegat_project_memory_imports_with_translators_dates_and_context(tm):
    report = import_tmx(tm, OMEGAT)
    assert (report.units_read, report.units_stored, report.units_skipped) == (8, 8, 0)
    assert report.problems == [] and dict(report.pairs) == {"en-ru": 8}
    units = {u.target: u for u in tm.iter_units("en", "ru")}
    revised = units["Генеральный секретарь приветствовал делегации и поблагодарил "
                    "правительство Вьетнама."]
    assert revised.created == "2025-10-21T14:02:18Z"  # the changedate, not the creationdate
    assert revised.note == "translator: Oleg Smirnov" and revised.origin is UnitOrigin.IMPORTED
    # OmegaT's alternative translations: file, prev and next kept as document and context
    match = lookup(tm, CYBERCRIME, target="ru", previous="Cybercrime knows no borders.",
                   next="No country can face it alone.")
    assert match.score == 101
    assert match.target == "Киберпреступность касается каждой страны и каждого сообщества."
    assert match.unit.document == "SG-statement-cybercrime.docx"
    other = lookup(tm, CYBERCRIME, target="ru",
                   previous="The Secretary-General welcomed the delegations and thanked the "
                            "Government of Viet Nam.",
                   next="The Convention will enter into force 90 days after the deposit of the "
                        "fortieth instrument of ratification.")
    assert other.score == 101 and other.unit.document == "PR-2025-hanoi-signing.docx"
    assert lookup(tm, "Cybercrime affects every country and every region.",
                  target="ru").kind == "fuzzy"


def test_trados_studio_export_imports_with_upper_case_codes_tags_and_origins(tm):
    report = import_tmx(tm, TRADOS)
    assert (report.units_read, report.units_stored, report.problems) == (5, 5, [])
    assert dict(report.pairs) == {"en-fr": 5}  # EN-US / FR-FR read as en / fr
    match = lookup(tm, SIGNING, previous="Member States sign the United Nations Convention "
                                         "against Cybercrime in Hanoi")
    # inline <bpt>/<ept> codes dropped; the previous segment of x-ContextContent is context
    assert match.unit.source == SIGNING
    assert match.target == ("La cérémonie de signature s’est ouverte aujourd’hui au Centre "
                            "national des congrès de Hanoï.")
    assert match.unit.previous_hash == context_hash("Member States sign the United Nations "
                                                    "Convention against Cybercrime in Hanoi")
    assert match.unit.document == "PR-2025-hanoi-signing.docx"  # the x-Document field
    assert match.unit.note == "translator: UNOG\\jdupont"
    mt = lookup(tm, "The United Nations Office on Drugs and Crime (UNODC) will support Member "
                    "States in implementing the Convention.")
    assert mt.unit.origin is UnitOrigin.MT  # x-Origin NeuralMachineTranslation
    numbers = lookup(tm, "More than 3,000 delegates from 120 countries attended the ceremony "
                         "on 25 October 2025.")
    assert numbers.score == 98
    assert numbers.target == ("Plus de 3 000 délégués de 120 pays ont assisté à la cérémonie "
                              "le 25 octobre 2025.")


def test_a_multilingual_memory_yields_every_language_pair(tm):
    report = import_tmx(tm, MULTILINGUAL)  # srclang="*all*", six languages and German
    assert report.units_read == 4 and report.units_stored == 4 * 30
    assert report.ignored_languages == {"de-DE": 1}
    spanish = ("La ceremonia de firma se inauguró hoy en el Centro Nacional de Convenciones "
               "de Hanói.")
    assert lookup(tm, spanish, "es", "zh").target == "签署仪式今天在河内国家会议中心开幕。"
    assert lookup(tm, "秘书长欢迎各代表团，并感谢越南政府。", "zh", "ar").target == \
        "رحّب الأمين العام بالوفود وشكر حكومة فييت نام."
    fuzzy = lookup(tm, "رحّب الأمين العام بالوفود وشكر حكومة اليابان.", "ar", "en")
    assert fuzzy.kind == "fuzzy" and fuzzy.unit.source_lang == "ar"
    assert lookup(tm, "Генеральный секретарь приветствовал делегации.", "ru", "fr",
                  min_score=50).unit.target.startswith("Le Secrétaire général")


def test_languages_can_be_narrowed_and_the_source_chosen(tm):
    report = import_tmx(tm, MULTILINGUAL, source_lang="fr-FR", target_lang="zh-CN")
    assert dict(report.pairs) == {"fr-zh": 4} and tm.count() == 4
    report = import_tmx(tm, TRADOS, source_lang="fr", target_lang="en")  # reversed memory
    assert dict(report.pairs) == {"fr-en": 5}
    report = import_tmx(tm, TRADOS, target_lang="es")
    assert (report.units_stored, report.units_skipped, report.units_other_languages) == (0, 0, 5)
    assert "5 without the languages asked for" in report.summary()
    with pytest.raises(HexaglotError, match="unknown language code 'xx'"):
        import_tmx(tm, TRADOS, source_lang="xx")


def test_import_never_replaces_a_revision(tm):
    tm.add([TMUnit("en", "fr", SIGNING, "Révision du réviseur.", UnitOrigin.HUMAN_REVISED,
                   previous_hash=context_hash("Member States sign the United Nations "
                                              "Convention against Cybercrime in Hanoi"))])
    report = import_tmx(tm, TRADOS)
    assert report.units_stored == 4 and report.units_not_replaced == 1
    assert "1 not stored (the TM holds a unit of higher rank" in report.summary()
    assert lookup(tm, SIGNING).target == "Révision du réviseur."


# ---------------------------------------------------------------- round trips


def _units(tm) -> list[TMUnit]:
    return sorted(tm.iter_units(), key=lambda u: (u.source_lang, u.target_lang, u.source,
                                                  u.previous_hash, u.next_hash))


def test_export_then_import_gives_the_same_units_origins_included(tm, tmp_path):
    import_tmx(tm, TRADOS)
    import_tmx(tm, OMEGAT)
    tm.add([TMUnit("en", "es", "Thank you, Hanoi!", "¡Gracias, Hanói!", UnitOrigin.HUMAN_REVISED,
                   document="closing.docx", created="2025-10-26T18:00:00Z",
                   previous_hash=context_hash("Closing"), next_hash=context_hash("End"),
                   note="checked by the reviser"),
            TMUnit("en", "ar", "Welcome to ⟦0⟧ in 2025.", "مرحبا بكم في ⟦0⟧ في عام 2025.",
                   UnitOrigin.MT, engine="nllb-200-distilled-600M", created="2025-10-26T18:01:00Z"),
            TMUnit("fr", "en", "  Espaces  gardés ", "Spaces kept", UnitOrigin.MT)])
    path = tmp_path / "out" / "export.tmx"
    count = export_tmx(tm, path)
    assert count == tm.count() == 16
    with open_tm(tmp_path / "fresh.sqlite") as fresh:
        report = import_tmx(fresh, path)
        assert report.problems == [] and report.units_stored == 16
        assert _units(fresh) == _units(tm)


def test_exported_file_is_tmx_14b_as_cat_tools_expect(tm, tmp_path):
    import_tmx(tm, OMEGAT)
    path = tmp_path / "en-ru.tmx"
    assert export_tmx(tm, path, "en", "ru") == 8
    root = etree.parse(str(path)).getroot()
    header = root.find("header")
    assert root.get("version") == "1.4"
    assert {k: header.get(k) for k in ("creationtool", "datatype", "segtype", "adminlang",
                                       "srclang", "o-tmf")} == {
        "creationtool": "hexaglot", "datatype": "plaintext", "segtype": "sentence",
        "adminlang": "en", "srclang": "en", "o-tmf": "hexaglot"}
    assert header.get("creationtoolversion")
    units = root.findall("body/tu")
    assert len(units) == 8
    first = units[0]
    assert [child.tag for child in first][-2:] == ["tuv", "tuv"]  # props and notes first
    assert first.get("creationdate") == "20251020T091512Z"
    props = {p.get("type"): p.text for p in first.findall("prop")}
    assert props["x-origin"] == "imported"
    langs = [tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in first]
    assert langs[-2:] == ["en", "ru"]
    # read_tmx, which `hexaglot check` uses, reads hexaglot's own export
    assert len(read_tmx(path, "en", "ru")) == 8
    # a CAT tool's file, through hexaglot and back, is the same memory
    with open_tm(tmp_path / "again.sqlite") as again:
        import_tmx(again, path)
        assert _units(again) == _units(tm)


def test_export_is_atomic_and_of_the_pair_asked(tm, tmp_path):
    import_tmx(tm, MULTILINGUAL)
    path = tmp_path / "zh.tmx"
    path.write_text("previous export", encoding="utf-8")
    assert export_tmx(tm, path, target_lang="zh") == 20  # five sources into Chinese
    assert list(tmp_path.glob(".zh.tmx.*")) == []  # no temporary file left
    header = etree.parse(str(path)).getroot().find("header")
    assert header.get("srclang") == "*all*"


# ---------------------------------------------------------------- damaged and wrong files


def test_damaged_xml_with_abort_imports_nothing_and_names_the_line(tm, tmp_path):
    body = tu(1) + tu(2) + tu(3).replace("du programme", "du programme & annexes") + tu(4)
    path = tmx(tmp_path / "damaged.tmx", body)
    with pytest.raises(HexaglotError) as error:
        import_tmx(tm, path, on_error="abort")
    message = str(error.value)
    # line 16: the French <seg> of the third <tu>
    assert f"{path}, line 16: the XML is damaged" in message
    assert "nothing was imported" in message
    assert tm.count() == 0


def test_damaged_xml_with_skip_keeps_the_units_before_and_after(tm, tmp_path):
    body = "".join(tu(n) for n in range(1, 4))
    body += tu(4).replace("<seg>Paragraphe 4", "<seg>Paragraphe <b>4")  # a tag never closed
    body += "".join(tu(n) for n in range(5, 9))
    path = tmx(tmp_path / "damaged.tmx", body)
    report = import_tmx(tm, path, on_error="skip")
    assert report.damaged_at == 20  # the French <seg> of the fourth <tu> (lines 18-21)
    assert report.units_stored == 7 and report.units_skipped == 1
    assert [p.line for p in report.problems] == [20]
    assert "the XML is damaged here" in str(report.problems[0])
    assert "the unit at line 18 skipped" in str(report.problems[0])
    stored = {u.source for u in tm.iter_units()}
    assert "Paragraph 4 of the programme." not in stored
    assert {f"Paragraph {n} of the programme." for n in (1, 2, 3, 5, 6, 7, 8)} == stored


def test_a_truncated_file_keeps_what_came_before_and_says_what_was_lost(tm, tmp_path):
    path = tmx(tmp_path / "cut.tmx", "".join(tu(n) for n in range(1, 7)))
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.index("Paragraphe 4") + 5], encoding="utf-8")
    report = import_tmx(tm, path)
    assert report.units_stored == 3 and report.damaged_at == 20
    message = str(report.problems[-1])
    assert str(path) in message and "line 20" in message and "unit at line 18 skipped" in message
    with pytest.raises(HexaglotError, match=r"cut\.tmx, line 20: the XML is damaged"):
        import_tmx(tm, path, on_error="abort")


def test_damage_that_stops_the_parser_says_how_many_units_were_lost(tm, tmp_path):
    body = tu(1) + tu(2).replace("</tuv>\n</tu>", "</tuv><<<>>>\n</tu>") + tu(3) + tu(4)
    path = tmx(tmp_path / "stops.tmx", body)
    report = import_tmx(tm, path)
    assert report.units_stored == 1 and report.damaged_at == 12
    assert "2 unit(s) after it could not be read: repair the file there" in str(
        report.problems[-1])


def test_units_without_language_or_text_are_listed_and_skipped(tm, tmp_path):
    body = (tu(1)
            + '<tu>\n  <tuv><seg>No language.</seg></tuv>\n'
              '  <tuv xml:lang="fr"><seg>Pas de langue.</seg></tuv>\n</tu>\n'
            + '<tu>\n  <tuv xml:lang="en"><seg>Empty target.</seg></tuv>\n'
              '  <tuv xml:lang="fr"><seg>  </seg></tuv>\n</tu>\n'
            + '<tu>\n  <tuv xml:lang="en"><seg>No seg.</seg></tuv>\n'
              '  <tuv xml:lang="fr"><note>oops</note></tuv>\n</tu>\n'
            + '<tu creationdate="yesterday">\n  <tuv xml:lang="en"><seg>Bad date.</seg></tuv>\n'
              '  <tuv xml:lang="fr"><seg>Mauvaise date.</seg></tuv>\n</tu>\n'
            + tu(2))
    path = tmx(tmp_path / "gaps.tmx", body)
    report = import_tmx(tm, path)
    assert report.units_read == 6 and report.units_skipped == 3 and report.units_stored == 3
    lines = [(p.line, p.skipped) for p in report.problems]
    assert (11, True) in lines and (16, True) in lines and (20, True) in lines
    assert (22, False) in lines  # the date: imported anyway, said
    assert any("has no xml:lang" in p.message for p in report.problems)
    assert any("is empty" in p.message for p in report.problems)
    assert any("has no <seg>" in p.message for p in report.problems)
    with pytest.raises(HexaglotError, match=r"gaps\.tmx, line 11: a <tuv> has no xml:lang"):
        import_tmx(open_tm(tmp_path / "other.sqlite"), path, on_error="abort")


def test_a_file_that_is_not_tmx_is_refused(tm, tmp_path, glossary_tbx):
    with pytest.raises(HexaglotError, match=r"event\.tbx: not a TMX file \(its root element is "
                                            r"<martif>\)"):
        import_tmx(tm, glossary_tbx)
    binary = tmp_path / "memory.tmx"
    binary.write_bytes(b"PK\x03\x04" + bytes(200))
    with pytest.raises(HexaglotError, match="not a TMX file"):
        import_tmx(tm, binary)
    with pytest.raises(HexaglotError, match="cannot read the TMX file"):
        import_tmx(tm, tmp_path / "missing.tmx")
