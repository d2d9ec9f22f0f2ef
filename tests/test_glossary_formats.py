"""Glossary files: round trips through every format, and validation a terminologist trusts."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree

from hexaglot.document import HexaglotError
from hexaglot.glossary import (
    Concept,
    Exclusion,
    GlossaryInvalid,
    Severity,
    Term,
    TermStatus,
    load_glossaries,
    read_glossary_file,
    save_glossary,
)
from hexaglot.glossary.validate import check_files

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
P, A, D, F = TermStatus.PREFERRED, TermStatus.ADMITTED, TermStatus.DEPRECATED, TermStatus.FORBIDDEN


def _concepts() -> list[Concept]:
    """Every language and status, notes and parts of speech on preferred terms (what the
    table layout can hold), text that CSV and XML must escape."""
    return [
        Concept("c-001", (
            Term("Member State", "en", P, part_of_speech="noun", note="capitalized in UN usage"),
            Term("member state", "en", F),
            Term("État Membre", "fr", P, part_of_speech="noun"),
            Term("Estado Miembro", "es", P), Term("Estados miembro", "es", F),
            Term("государство-член", "ru", P), Term("الدولة العضو", "ar", P),
            Term("会员国", "zh", P), Term("成员国", "zh", D),
            Term("quốc gia thành viên", "vi", P), Term("Negara Anggota", "id", P),
        ), subject="un-bodies", definition="A State that is a member of the Organization.",
            note='Plural "Member States"; never "member countries", nor "UN members"'),
        Concept("c-002", (
            Term("United Nations Office on Drugs and Crime", "en", P),
            Term("UNODC", "en", A, term_type="abbreviation"),
            Term("Office des Nations Unies contre la drogue et le crime", "fr", P),
            Term("ONUDC", "fr", A, term_type="abbreviation"),
            Term("Oficina de las Naciones Unidas contra la Droga y el Delito", "es", P),
            Term("UNODC", "es", A, term_type="abbreviation"),
            Term("Управление ООН по наркотикам и преступности", "ru", P),
            Term("УНП ООН", "ru", A, term_type="abbreviation"),
            Term("مكتب الأمم المتحدة المعني بالمخدرات والجريمة", "ar", P),
            Term("联合国毒品和犯罪问题办公室", "zh", P),
            Term("毒品和犯罪问题办公室", "zh", A),
        ), subject="un-bodies"),
        Concept("c-003", (
            Term("ceremony, signing", "en", P, note="a comma; | would be refused in tables"),
            Term("cérémonie de signature", "fr", P), Term("ceremonia de firma", "es", P),
            Term("ceremonia de fichaje", "es", F), Term("церемония подписания", "ru", P),
            Term("مراسم التوقيع", "ar", P), Term("签署仪式", "zh", P),
        ), subject="protocol"),
        Concept("c-004", (
            Term("species", "en", P), Term("espèce", "fr", P), Term("especie", "es", P),
            Term("вид", "ru", P), Term("نوع", "ar", P), Term("أنواع", "ar", A),
            Term("物种", "zh", P),
        ), subject="biology", note="biological species; not the general sense 'kind'",
            exclusions=(Exclusion("вид спорта", "ru"), Exclusion("в виде", "ru"),
                        Exclusion("من نوعه", "ar"), Exclusion("نوع من", "ar"),
                        Exclusion('en espèces "sonnantes", <trébuchantes> & co', "fr"),
                        Exclusion("en especie", "es"))),
    ]


def _canonical(concepts) -> list[Concept]:
    """Terms grouped by language and status, exclusions by language: tables list them
    column by column."""
    order = {s: i for i, s in enumerate(TermStatus)}
    return [replace(c, terms=tuple(sorted(c.terms, key=lambda t: (t.lang, order[t.status],
                                                                   t.term_type))),
                    exclusions=tuple(sorted(c.exclusions, key=lambda e: e.lang)))
            for c in concepts]


@pytest.mark.parametrize("name", ["g.tbx", "g.csv", "g.tsv", "g.xlsx"])
def test_a_glossary_round_trips_through_each_format_without_loss(tmp_path, name):
    path = tmp_path / name
    save_glossary(_concepts(), path)
    loaded = load_glossaries([path])
    assert _canonical(loaded.concepts) == _canonical(_concepts())
    assert loaded.by_id()["c-004"].exclusions_in("ru") == (Exclusion("вид спорта", "ru"),
                                                          Exclusion("в виде", "ru"))
    # and again, from what was read: a second trip changes nothing
    again = tmp_path / f"again-{name}"
    save_glossary(loaded, again)
    assert again.read_bytes() == path.read_bytes() or name.endswith(".xlsx")


@pytest.mark.parametrize("dialect", ["2019", "2008"])
def test_tbx_is_written_in_both_dialects_with_full_term_detail(tmp_path, dialect):
    concepts = _concepts()
    # TBX holds what tables cannot: notes and types on any term
    concepts[1] = replace(concepts[1], terms=(*concepts[1].terms, Term(
        "UN Office on Drugs and Crime", "en", A, term_type="shortForm", note="press only")))
    path = tmp_path / "g.tbx"
    save_glossary(concepts, path, tbx_dialect=dialect)
    root = etree.parse(str(path)).getroot()
    if dialect == "2019":
        assert root.tag == "{urn:iso:std:iso:30042:ed-2}tbx" and root.get("type") == "TBX-Basic"
        assert root.find(".//{*}conceptEntry/{*}langSec/{*}termSec/{*}term") is not None
    else:
        assert root.tag == "martif"
        assert root.find(".//termEntry/langSet/tig/term") is not None
    # exclusions: one language-level note each, before the terms (as 2008's langSet wants)
    lang_set = next(e for e in root.iter("{*}langSec", "{*}langSet")
                    if e.getparent().get("id") == "c-004" and e.get(_XML_LANG) == "ru")
    assert [(etree.QName(e).localname, e.findtext("{*}term") or e.text) for e in lang_set] == [
        ("note", "not-in: вид спорта"), ("note", "not-in: в виде"),
        (("termSec" if dialect == "2019" else "tig"), "вид")]
    statuses = {e.text for e in root.iter("{*}termNote") if e.get("type") == "administrativeStatus"}
    assert statuses == {"preferredTerm-admn-sts", "admittedTerm-admn-sts",
                        "deprecatedTerm-admn-sts", "supersededTerm-admn-sts"}
    assert _canonical(load_glossaries([path]).concepts) == _canonical(concepts)
    with pytest.raises(HexaglotError, match="c-002: the en term 'UN Office on Drugs and Crime' "
                                            "is a admitted shortForm"):
        save_glossary(concepts, tmp_path / "g.csv")
    assert not (tmp_path / "g.csv").exists()


def test_tbx_2019_from_another_tool_with_regional_codes_and_groups(tmp_path):
    path = tmp_path / "other.tbx"
    path.write_text("""<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
<tbxHeader><fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc></tbxHeader>
<text><body>
<conceptEntry id="C1">
  <descrip type="subjectField">treaty</descrip>
  <langSec xml:lang="en-US">
    <descripGrp><descrip type="definition">A party to a treaty.</descrip></descripGrp>
    <termSec><term>State party</term><termNote type="partOfSpeech">noun</termNote>
      <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
  </langSec>
  <langSec xml:lang="zh-CN"><termSec><term>缔约国</term></termSec></langSec>
  <langSec xml:lang="es-419"><termSec><term>Estado parte</term></termSec></langSec>
  <langSec xml:lang="fr-FR"><termSec><term>État partie</term>
    <note>minuscule à « partie »</note></termSec></langSec>
  <langSec xml:lang="de"><termSec><term>Vertragsstaat</term></termSec></langSec>
</conceptEntry>
</body></text></tbx>""", encoding="utf-8")
    concept = load_glossaries([path]).concepts[0]
    assert {t.lang for t in concept.terms} == {"en", "zh", "es", "fr"}
    assert concept.definition == "A party to a treaty." and concept.subject == "treaty"
    assert concept.approved("en").part_of_speech == "noun"
    assert concept.approved("fr").note == "minuscule à « partie »"
    problems = check_files([read_glossary_file(path)])[1]
    assert any(p.severity is Severity.WARNING and "'de' is not one hexaglot translates"
               in p.message for p in problems)


def _problems(path: Path):
    return check_files([read_glossary_file(path)])[1]


def _only(problems, severity):
    return [str(p) for p in problems if p.severity is severity]


HEADER = "id,en,en_forbidden,fr,es,ru,ar,zh\n"
FULL = "Member State,,État Membre,Estado Miembro,государство-член,الدولة العضو,会员国"


@pytest.mark.parametrize(("rows", "expected"), [
    (f"c1,{FULL}\nc1,Secretary-General,,Secrétaire général,a,b,c,d\n",
     "line 3: error: concept id 'c1' is already used (line 2)"),
    (f"c1,{FULL}\nc2,{FULL}\n",
     "line 3: error: concept c2 has the same approved terms as c1 (line 2) in every language"),
    ("c1,Member State,Member State,État Membre,b,c,d,e\n",
     "line 2 [en]: error: concept c1: 'Member State' is both approved and forbidden"),
    (f"c1,{FULL}\nc2,Secretary-General,Member State,b,c,d,e,f\n",
     "line 2 [en]: error: 'Member State' is approved for concept c1 but forbidden for c2"),
    ("c1,Member State|,,a,b,c,d,e\n", "line 2 [en]: error: empty term"),
    ("c1,Member\u200bState,,a,b,c,d,e\n",
     "line 2 [en]: error: term 'Member\\u200bState' contains invisible characters (U+200B "
     "ZERO WIDTH SPACE)"),
    ("c1,Member State,,a,b,c,\u200fالدولة العضو,e\n",
     "line 2 [ar]: error: term '\\u200fالدولة العضو' contains invisible characters (U+200F "
     "RIGHT-TO-LEFT MARK)"),
    ("c1,\ufeffMember State,,a,b,c,d,e\n", "ZERO WIDTH NO-BREAK SPACE"),
])
def test_each_validation_error_is_reported_with_file_line_and_language(tmp_path, rows, expected):
    path = tmp_path / "g.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    errors = _only(_problems(path), Severity.ERROR)
    assert any(expected in e for e in errors), errors
    assert all(e.startswith(f"{path}: line ") for e in errors)
    with pytest.raises(GlossaryInvalid):  # a bad glossary never loads half
        load_glossaries([path])


def test_every_problem_is_listed_not_just_the_first(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text(HEADER + f"c1,{FULL}\nc1,{FULL}\nc3,x|,,a,b,c,d,e\nc4,a\u200e,,a,b,c,d,e\n",
                    encoding="utf-8")
    with pytest.raises(GlossaryInvalid) as error:
        load_glossaries([path])
    assert len(error.value.problems) >= 3
    assert [f"line {n}" in str(error.value) for n in (3, 4, 5)] == [True, True, True]


def test_warnings_do_not_block_and_stray_spaces_are_cleaned(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text("id,en,fr,es\nc1,  Member  State ,État\u00a0Membre,Estado Miembro\n"
                    f"c2,{FULL[:12]},a,b\n", encoding="utf-8")
    warnings = _only(_problems(path), Severity.WARNING)
    assert any("line 2 [en]: warning: space before or after" in w for w in warnings)
    assert any("line 2 [en]: warning: term 'Member  State' has stray spaces" in w
               for w in warnings)
    assert any("[fr]: warning: term 'État\\xa0Membre' has stray spaces" in w for w in warnings)
    assert any("line 2: warning: concept c1 has no term in ar, zh, ru" in w for w in warnings)
    concept = load_glossaries([path]).by_id()["c1"]
    assert concept.approved("en").text == "Member State"
    assert concept.approved("fr").text == "État Membre"


def test_homonyms_are_a_warning_naming_the_concept_hits_go_to(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text("id,en,fr\nchair,Chair,Président\nhead,President,Président\n",
                    encoding="utf-8")
    problems = _problems(path)
    assert not _only(problems, Severity.ERROR)
    assert any("'Président' is approved for concept head and for chair (line 2), a homonym"
               in w for w in _only(problems, Severity.WARNING))


@pytest.mark.parametrize(("content", "expected"), [
    ("id,en,xx\nc1,a,b\n", "line 1: error: unknown column 'xx'"),
    ("id,en,english\nc1,a,b\n", "line 1: error: unknown column 'english'"),
])
def test_unknown_language_codes_are_errors(tmp_path, content, expected):
    path = tmp_path / "g.csv"
    path.write_text(content, encoding="utf-8")
    assert any(expected in e for e in _only(_problems(path), Severity.ERROR))


def test_a_real_language_hexaglot_does_not_translate_is_a_warning(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text("id,en,de,pt_BR\nc1,Member State,Mitgliedstaat,Estado-Membro\n",
                    encoding="utf-8")
    problems = _problems(path)
    assert not _only(problems, Severity.ERROR)
    assert sum("is not one hexaglot translates" in w
               for w in _only(problems, Severity.WARNING)) == 2


def test_tbx_unknown_language_and_status_and_empty_term(tmp_path):
    path = tmp_path / "g.tbx"
    path.write_text("""<martif type="TBX-Basic"><text><body>
<termEntry id="c1"><langSet xml:lang="qq"><tig><term>x</term></tig></langSet>
<langSet xml:lang="en"><tig><term>Member State</term>
<termNote type="administrativeStatus">approvedTerm</termNote></tig>
<tig><term> </term></tig></langSet></termEntry>
<termEntry id="c1"><langSet xml:lang="fr"><tig><term>État</term></tig></langSet></termEntry>
</body></text></martif>""", encoding="utf-8")
    errors = "\n".join(_only(_problems(path), Severity.ERROR))
    assert f"{path}: line 2, entry c1: error: unknown language code 'qq'" in errors
    assert f"{path}: line 4, entry c1 [en]: error: unknown term status 'approvedTerm'" in errors
    assert "[en]: error: empty term" in errors
    assert f"{path}: line 6, entry c1: error: concept id 'c1' is already used (line 2" in errors


def test_encodings_legacy_code_page_is_refused_utf16_is_read(tmp_path):
    legacy = tmp_path / "legacy.csv"
    legacy.write_bytes("id,en,fr\nc1,Member State,État Membre\n".encode("cp1252"))
    errors = _only(_problems(legacy), Severity.ERROR)
    assert errors == [f"{legacy}: line 2: error: byte 0xc9 is not UTF-8 (the file looks saved "
                      "in a legacy code page such as Windows-1252): save it as 'CSV UTF-8'"]
    excel = tmp_path / "excel.tsv"
    excel.write_bytes("id\ten\tar\nc1\tMember State\tالدولة العضو\n".encode("utf-16"))
    assert load_glossaries([excel]).concepts[0].approved("ar").text == "الدولة العضو"
    lying = tmp_path / "lying.tbx"
    lying.write_bytes('<?xml version="1.0" encoding="UTF-8"?>\n<martif><text><body>'
                      '<termEntry id="c1"><langSet xml:lang="fr"><tig><term>État</term></tig>'
                      '</langSet></termEntry></body></text></martif>'.encode("latin-1"))
    assert any("line 2: error: not well-formed XML" in e
               for e in _only(_problems(lying), Severity.ERROR))


def test_validate_command_lists_problems_and_exits_nonzero_on_errors(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + f"c1,{FULL}\nc1,{FULL}\n", encoding="utf-8")
    good = tmp_path / "good.csv"
    good.write_text("id,en,fr\nc1,Member State,État Membre\n", encoding="utf-8")
    command = [sys.executable, "-m", "hexaglot.cli", "glossary", "validate"]
    failed = subprocess.run([*command, str(good), str(bad)], capture_output=True, text=True)
    assert failed.returncode == 1
    assert f"{bad}: line 3: error: concept id 'c1' is already used" in failed.stdout
    assert f"{good}: line 2: warning: concept c1 has no term in ar, zh, ru, es" in failed.stdout
    assert f"{bad}: NOT loadable" in failed.stderr and f"{good}: ok: 1 concepts" in failed.stderr
    passed = subprocess.run([*command, str(good)], capture_output=True, text=True)
    assert passed.returncode == 0


def test_shipped_glossaries_validate_without_errors():
    repo = Path(__file__).resolve().parent.parent
    files = [read_glossary_file(repo / "glossaries" / name)
             for name in ("hanoi-2025-event.tbx", "un-cybercrime.csv")]
    assert _only(check_files(files)[1], Severity.ERROR) == []


def test_exclusions_in_tbx_from_another_tool_and_in_a_spreadsheet(tmp_path):
    path = tmp_path / "other.tbx"
    path.write_text("""<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en"><text><body>
<termEntry id="sp"><note>not-in: this entry-level note is a concept note</note>
  <langSet xml:lang="ru"><note>Not-in:  вид спорта</note><note>Only in biology.</note>
    <tig><term>вид</term></tig></langSet>
  <langSet xml:lang="en"><tig><term>species</term></tig></langSet>
</termEntry></body></text></martif>""", encoding="utf-8")
    concept = load_glossaries([path]).concepts[0]
    assert concept.exclusions == (Exclusion("вид спорта", "ru"),)
    assert concept.note == "not-in: this entry-level note is a concept note"
    # a spreadsheet shows them in the language's not_in column, phrases separated by |
    table = tmp_path / "g.csv"
    save_glossary([replace(concept, exclusions=(*concept.exclusions,
                                                Exclusion("в виде", "ru")))], table)
    header, row = table.read_text(encoding="utf-8-sig").splitlines()
    cells = dict(zip(header.split(","), row.split(","), strict=True))
    assert cells["ru_not_in"] == "вид спорта|в виде" and cells["en_not_in"] == ""
    with pytest.raises(HexaglotError, match=re.escape("the ru exclusion 'a|b' contains '|'")):
        save_glossary([replace(concept, exclusions=(Exclusion("a|b", "ru"),))],
                      tmp_path / "bad.xlsx")


EXCLUSIONS = "id,en,ru,ru_not_in,ar,ar_not_in\n"


@pytest.mark.parametrize(("row", "expected"), [
    ("sp,species,вид,в целом,نوع,",
     "line 2 [ru]: error: concept sp: the exclusion phrase 'в целом' contains none of the "
     "concept's ru terms (вид) as the matcher reads them, so it would never apply"),
    ("sp,species,вид,видов,نوع,",
     "line 2 [ru]: error: concept sp: the exclusion phrase 'видов' is the term 'вид' itself, "
     "once inflection is removed, and would remove every occurrence of it"),
    ("sp,species,,вид спорта,نوع,",
     "line 2 [ru]: error: concept sp has the exclusion phrase 'вид спорта' but no ru term"),
    ("sp,species,вид,вид спорта|,نوع,", "line 2 [ru]: error: empty exclusion phrase"),
    ("sp,species,вид,вид\u200bспорта,نوع,",
     "line 2 [ru]: error: exclusion phrase 'вид\\u200bспорта' contains invisible characters "
     "(U+200B ZERO WIDTH SPACE)"),
    ("sp,species,вид,,نوع,\u200fمن نوعه",
     "line 2 [ar]: error: exclusion phrase '\\u200fمن نوعه' contains invisible characters"),
    ("sp,species,вид,,نوع,فريد",
     "line 2 [ar]: error: concept sp: the exclusion phrase 'فريد' contains none"),
])
def test_a_bad_exclusion_is_an_error_naming_line_language_and_fix(tmp_path, row, expected):
    path = tmp_path / "g.csv"
    path.write_text(EXCLUSIONS + row + "\n", encoding="utf-8")
    errors = _only(_problems(path), Severity.ERROR)
    assert any(expected in e for e in errors), errors
    with pytest.raises(GlossaryInvalid):
        load_glossaries([path])


def test_exclusion_warnings_and_tbx_locations(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text(EXCLUSIONS + "sp,species,вид,вид  спорта|Вид спорта|вид спорта,نوع,\n",
                    encoding="utf-8")
    warnings = _only(_problems(path), Severity.WARNING)
    assert any("line 2 [ru]: warning: exclusion phrase 'вид  спорта' has stray spaces" in w
               for w in warnings)
    assert any("exclusion phrase 'Вид спорта' is listed twice" in w for w in warnings)
    assert load_glossaries([path]).concepts[0].exclusions == (Exclusion("вид спорта", "ru"),
                                                              Exclusion("Вид спорта", "ru"),
                                                              Exclusion("вид спорта", "ru"))
    tbx = tmp_path / "g.tbx"
    tbx.write_text('<martif><text><body>\n<termEntry id="sp">\n<langSet xml:lang="ru">'
                   "<note>not-in: в целом</note><tig><term>вид</term></tig></langSet>"
                   "</termEntry></body></text></martif>", encoding="utf-8")
    assert any(e.startswith(f"{tbx}: line 2, entry sp [ru]: error: concept sp: the exclusion "
                            "phrase 'в целом' contains none")
               for e in _only(_problems(tbx), Severity.ERROR))
