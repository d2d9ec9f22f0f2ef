"""Briefing packs for the interpreting booths (issue 8): the programme reader, the term
selection per session, speakers and numbers in the booth's language, the DOCX (Arabic right
to left), the command, the regeneration fingerprint and, end to end, the Prefect flow on the
sample programme in all six booth languages."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import shutil
from datetime import date, time
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from conftest import GLOSSARY_CSV, REPO
from hexaglot.briefing import (
    Briefing,
    briefing_inputs_fingerprint,
    packs_up_to_date,
    read_programme,
)
from hexaglot.briefing.commands import add_briefing_command
from hexaglot.briefing.extract import find_items
from hexaglot.briefing.localize import format_found_date, format_number, format_time_range
from hexaglot.briefing.pack import write_pack_docx
from hexaglot.briefing.programme import Speaker
from hexaglot.checks.dates import find_dates
from hexaglot.config import load_config
from hexaglot.languages import UN_LANGUAGES
from hexaglot.pipeline import Settings

SAMPLE = REPO / "docs_in" / "briefing"
PROGRAMME = SAMPLE / "programme.md"
GLOSSARIES = load_config().glossaries  # the desk's real glossaries


def settings(out: Path, targets=UN_LANGUAGES, glossaries=GLOSSARIES) -> Settings:
    config = load_config()
    return Settings(targets=tuple(targets), glossaries=tuple(glossaries),
                    routing=config.routing, checks=config.checks, out_dir=out)


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Briefing:
    return Briefing(PROGRAMME, None, settings(tmp_path_factory.mktemp("packs")))


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- the programme reader

def test_sample_programme_is_read_into_sessions_with_speakers_and_documents(sample):
    programme = sample.programme
    assert programme.problems == ()
    assert programme.lang == "en"
    assert programme.title == "Signing Ceremony of the United Nations Convention against " \
                              "Cybercrime"
    assert [s.id for s in programme.sessions] == [
        "2025-10-25-0900", "2025-10-25-1030", "2025-10-25-1430", "2025-10-26-0900",
        "2025-10-26-1430", "2025-10-26-1600"]
    opening = programme.sessions[0]
    assert (opening.date, opening.start, opening.end) == (date(2025, 10, 25), time(9), time(10, 30))
    assert opening.title == "High-level opening session" and opening.venue == "Plenary Hall"
    assert opening.speakers[0] == Speaker("Lương Cường", "President", "Viet Nam",
                                          honorific="H.E. Mr.",
                                          raw="H.E. Mr. Lương Cường, President, Viet Nam")
    waly = opening.speakers[2]
    assert (waly.name, waly.title, waly.affiliation, waly.gender) == (
        "Ghada Waly", "Executive Director", "UNODC", "female")
    # named in the Documents bullet (continued on the next line), one outside the folder
    assert [p.name for p in opening.documents] == [
        "statement-secretary-general.en.md", "phat-bieu-chu-tich-nuoc.vi.txt",
        "press-release-hanoi-signing.txt"]
    panel = programme.sessions[2]
    assert panel.speakers[1].role == "moderator"
    assert programme.sessions[1].participants == (
        "Heads of State and Government, ministers and plenipotentiaries",)
    statements = programme.session("2025-10-26-1430")
    # linked by its folder, named after the session id
    assert sorted(p.name for p in statements.documents) == [
        "declaracion-chile.es.md", "declaration-france.fr.md"]
    assert [(s.name, s.title, s.affiliation) for s in statements.speakers] == [
        ("", "Permanent Representative", "France"), ("", "Minister for Foreign Affairs", "Chile"),
        ("", "Permanent Representative", "Egypt")]
    assert programme.translation("Plenary Hall", "ar") == "قاعة الجلسات العامة"


def test_the_existing_docx_programme_is_read_with_dates_from_its_day_headings(sample):
    programme = read_programme(REPO / "docs_in" / "programme-signing-ceremony.docx",
                               classify=sample.lookup.classify)
    assert programme.problems == ()
    assert len(programme.sessions) == 15
    first, last = programme.sessions[0], programme.sessions[-1]
    assert (first.date, first.start, first.title) == (
        date(2025, 10, 25), time(7, 30), "Registration and security screening")
    assert (last.date, last.start, last.end) == (date(2025, 10, 26), time(17), time(17, 30))
    opening = programme.session("2025-10-25-0900")
    assert [(s.name, s.title, s.affiliation) for s in opening.speakers] == [
        ("António Guterres", "Secretary-General", ""),
        ("Luong Cuong", "President of Viet Nam", ""),
        ("Ghada Waly", "Executive Director", "UNODC")]
    closing = programme.session("2025-10-26-1600")
    # a title without a name is a speaker to be named; a body is a group of participants
    assert [(s.name, s.title, s.affiliation) for s in closing.speakers] == [
        ("", "Executive Director", "UNODC")]
    assert closing.participants == ("Government of Viet Nam",)
    side = programme.session("2025-10-25-1630")
    assert side.speakers == () and side.participants == (
        "Member States, civil society, private sector",)


MALFORMED = """\
# Event

## Saturday, 25 October 2025

| Time | Session | Speakers | Venue | Documents |
| --- | --- | --- | --- | --- |
| 09:00–10:30 | Opening session | Ghada Waly, Executive Director | Plenary Hall | speech.en.md |
| 25:00–26:00 | Night session | | Room 1 | |
| 11:00–12:00 | | | Room 2 | |
| 12:00–11:00 | Backwards session | | Room 3 | |
| 14:00–15:00 | Too many cells | | Room 4 | | extra |
| 15:00–16:00 | Panel | | Room 1 | missing.en.md |

| Date | Time | Session |
| --- | --- | --- |
| 31 Februar 2025 | 10:00 | Bad date |
| 26 October 2025 | 10:00 | Good date |
"""


def test_malformed_rows_are_reported_with_file_row_and_reason_and_the_others_read(tmp_path):
    write(tmp_path / "speech.en.md", "# Speech\n\nCheck against delivery\n")
    programme = read_programme(write(tmp_path / "event.md", MALFORMED))
    assert [s.title for s in programme.sessions] == ["Opening session", "Panel", "Good date"]
    assert programme.sessions[0].documents == (tmp_path / "speech.en.md",)
    assert programme.sessions[1].documents == ()  # read without its missing document
    assert programme.sessions[2].date == date(2025, 10, 26)
    messages = [str(p) for p in programme.problems]
    assert messages[0].startswith("event.md: line 8: error: 'Night session': time "
                                  "'25:00–26:00' is not a time of day")
    assert messages[1] == "event.md: line 9: error: no session title: the Session (or " \
                          "Title) cell is empty"
    assert "line 10: error: 'Backwards session': the session ends (11:00) before it " \
           "starts (12:00)" in messages[2]
    assert "line 11: error: the row has 6 cells and the header 5" in messages[3]
    assert messages[4].startswith("event.md: line 12: warning: 'Panel': document "
                                  "'missing.en.md' not found")
    assert "line 16: error: 'Bad date': date '31 Februar 2025' is not a date" in messages[5]
    assert len(programme.errors) == 5


def test_malformed_docx_rows_name_the_table_and_row(tmp_path):
    document = docx.Document()
    document.add_heading("Sunday, 26 October 2025", level=2)
    table = document.add_table(rows=4, cols=3)
    for row, cells in enumerate([("Time", "Session", "Venue"),
                                 ("09:00–10:00", "Opening", "Hall"),
                                 ("nine o'clock", "Panel", "Room 1"),
                                 ("11:00", "Closing", "Hall")]):
        for column, text in enumerate(cells):
            table.cell(row, column).text = text
    document.save(str(tmp_path / "programme.docx"))
    programme = read_programme(tmp_path / "programme.docx")
    assert [s.title for s in programme.sessions] == ["Opening", "Closing"]
    assert [str(p) for p in programme.problems] == [
        "programme.docx: table 1, row 3: error: 'Panel': time \"nine o'clock\" is not a time "
        "of day: write HH:MM or HH:MM–HH:MM, e.g. 09:00–10:30"]


def test_list_layout_errors_and_a_session_without_a_date(tmp_path):
    text = ("# Event\n\n### 09:00–10:00 No date yet\n- Venue: Hall\n\n"
            "## 25 October 2025\n\n### 9:75 Bad time\n- Venue: Hall\n\n"
            "### 10:00–11:00 Fine\n- Venue: Hall\n- Moderator: someone\n")
    programme = read_programme(write(tmp_path / "event.md", text))
    assert [s.title for s in programme.sessions] == ["Fine"]
    messages = [str(p) for p in programme.problems]
    assert messages[0] == ("event.md: line 3: error: 'No date yet': no date: add a Date "
                           "column, or a heading with the date (\"Saturday, 25 October "
                           "2025\") above the session")
    assert messages[1].startswith("event.md: line 8: error: '9:75 Bad time': cannot read the "
                                  "time")
    assert messages[2].startswith("event.md: line 13: warning: bullet 'Moderator: someone'")


# ---------------------------------------------------------------- term selection

TWO_SESSIONS = """\
# Event

## 25 October 2025

| Time | Session | Documents |
| --- | --- | --- |
| 09:00–10:00 | Morning | morning.en.txt |
| 11:00–12:00 | Afternoon | afternoon.en.txt |
"""


def test_terms_of_a_session_are_those_of_its_own_documents_in_order(tmp_path):
    glossary = write(tmp_path / "glossary.csv", GLOSSARY_CSV)
    write(tmp_path / "morning.en.txt",
          "Cybercrime is on the agenda of the General Assembly.\n"
          "The Secretary-General spoke. Cybercrime again.\n")
    write(tmp_path / "afternoon.en.txt",
          "The World Health Organization and the Member States met.\n")
    briefing = Briefing(write(tmp_path / "event.md", TWO_SESSIONS), None,
                        settings(tmp_path / "out", ("fr",), (glossary,)))
    morning, afternoon = briefing.programme.sessions
    pack = briefing.pack(morning, "fr")
    assert [row.concept_id for row in pack.terms] == ["t-005", "t-007", "t-004"]
    assert pack.terms[0].count == 2 and pack.terms[0].where == "morning.en.txt"
    assert pack.terms[0].cells[:2] == ("cybercriminalité", "cybercrime")
    # a term only in the other session's document is not listed
    assert "t-006" not in {row.concept_id for row in pack.terms}
    other = briefing.pack(afternoon, "fr")
    assert [row.concept_id for row in other.terms] == ["t-006", "t-003"]


def test_term_table_has_the_booth_first_and_the_source_second(sample, tmp_path):
    opening = sample.programme.sessions[0]
    pack = sample.pack(opening, "fr")
    assert pack.source_lang == "en"
    assert pack.columns == ("fr", "en", "ar", "zh", "ru", "es")
    assert sample.pack(opening, "ar").columns == ("ar", "en", "zh", "fr", "ru", "es")
    assert sample.pack(opening, "en").columns == ("en", "ar", "zh", "fr", "ru", "es")
    path = tmp_path / "fr.docx"
    write_pack_docx(pack, path)
    word = docx.Document(str(path))
    terms = next(t for t in word.tables if t.rows[0].cells[-1].text == "Notes"
                 and len(t.columns) == 7)
    assert [c.text for c in terms.rows[0].cells] == [
        "français", "anglais", "arabe", "chinois", "russe", "espagnol", "Notes"]
    first = [c.text for c in terms.rows[1].cells[:6]]
    assert first == ["séance d'ouverture de haut niveau", "high-level opening session",
                     "الجلسة الافتتاحية الرفيعة المستوى", "高级别开幕会议",
                     "заседание высокого уровня по случаю открытия",
                     "sesión inaugural de alto nivel"]


def test_a_host_country_source_language_gets_its_own_column(tmp_path):
    write(tmp_path / "phat-bieu.vi.txt", (SAMPLE / "phat-bieu-chu-tich-nuoc.vi.txt")
          .read_text(encoding="utf-8"))
    text = TWO_SESSIONS.replace("morning.en.txt", "phat-bieu.vi.txt").replace(
        "| 11:00–12:00 | Afternoon | afternoon.en.txt |\n", "")
    briefing = Briefing(write(tmp_path / "event.md", text), None,
                        settings(tmp_path / "out", ("ar",)))
    pack = briefing.pack(briefing.programme.sessions[0], "ar")
    assert pack.columns == ("ar", "vi", "zh", "en", "fr", "ru", "es")
    speech = pack.speeches[0]
    assert speech.notice == "لا تتوفر ترجمة آلية للزوج vi→ar: يلي ذلك النص الأصلي."
    assert not speech.translated and speech.original[0][1].startswith("Phát biểu")


# ---------------------------------------------------------------- the booth's language

def test_speakers_get_glossary_titles_and_names_and_flags_where_none_is_approved(sample):
    renderer = sample.renderer
    waly = Speaker("Ghada Waly", "Executive Director", "UNODC", honorific="Ms.")
    line = renderer.speaker(waly, "fr")
    assert line.title.text == ("Directrice exécutive de l'Office des Nations Unies contre la "
                               "drogue et le crime")
    assert line.affiliation.text == "ONUDC"  # the programme wrote the abbreviation
    assert "ɣaːda" in line.original and not line.flags
    cuong = Speaker("Lương Cường", "President", "Viet Nam")
    zh = renderer.speaker(cuong, "zh")
    # title and country together: Viet Nam's President is 国家主席, never 总统
    assert (zh.name.text, zh.title.text, zh.affiliation.text) == (
        "梁强", "越南社会主义共和国主席", "越南")
    ar = renderer.speaker(cuong, "ar")
    assert ar.name.text == "Lương Cường" and ar.name.origin == "as-written"
    assert "tones: level, falling" in ar.original  # the English note, for want of an Arabic form
    assert ar.flags == ("لا توجد صيغة معتمدة باللغة العربية",)
    assert ar.title.text == "رئيس جمهورية فييت نام الاشتراكية"
    # a woman's title in its feminine form where the glossary admits one
    representative = Speaker("Ana Pérez", "Permanent Representative", "Chile",
                             honorific="Ms.")
    fr = renderer.speaker(representative, "fr")
    assert (fr.title.text, fr.affiliation.text) == ("Représentante permanente", "Chili")
    assert fr.flags == ("absent du glossaire : tel qu'écrit ; vérifier la graphie et la "
                        "prononciation",)  # the name: not in the glossary
    unknown = renderer.speaker(Speaker("", "Chief Cyber Officer", "Ruritania"), "es")
    assert unknown.name.flag == "nombre por confirmar"
    assert unknown.title.text == "Chief Cyber Officer" and unknown.title.flag
    assert unknown.affiliation.flag.startswith("no figura en el glosario")


def test_session_title_venue_and_participants_in_the_booth_language(sample):
    renderer = sample.renderer
    assert renderer.text("High-level opening session", "ru").text == \
        "Заседание высокого уровня по случаю открытия"  # the glossary
    assert renderer.text("Plenary Hall", "zh").text == "全体会议厅"  # the programme's table
    mt = renderer.text("Press briefing on the opening day", "es")  # Apertium covers en-es
    assert mt.origin == "mt" and mt.flag == "traducción automática: verifíquese"
    left = renderer.text("Press briefing on the opening day", "ru")  # no engine for en-ru
    assert left.origin == "as-written" and left.text == "Press briefing on the opening day"
    assert left.flag.startswith("не переведено")


def test_numbers_dates_and_times_are_written_as_each_booth_writes_them():
    thousands = {lang: format_number(Decimal(2500), lang) for lang in UN_LANGUAGES}
    assert thousands == {"ar": "2,500", "zh": "2,500", "en": "2,500", "fr": "2\u202f500",
                         "ru": "2\u00a0500", "es": "2.500"}  # UN Arabic: Western digits
    assert format_number(Decimal("2.5"), "es", power=6) == "2,5 millones"
    assert format_number(Decimal("2.5"), "zh", power=6) == "250万"
    assert format_number(Decimal(40), "fr", ordinal=True) == "40e"
    assert format_number(Decimal(2025), "fr", year=True) == "2025"
    assert format_found_date(10, (25, 26), 2025, "en") == "25–26 October 2025"
    assert format_found_date(10, (25,), 2025, "ar") == "25 تشرين الأول/أكتوبر 2025"
    assert format_found_date(12, (24,), 2024, "ru") == "24 декабря 2024 года"
    assert format_found_date(10, (25, 26), 2025, "zh") == "2025年10月25日至26日"
    assert format_time_range(time(9), time(10, 30), "fr") == "9 h – 10 h 30"


def test_numbers_dates_times_symbols_and_names_are_found_in_a_text(sample):
    text = ("On 24 December 2024, by resolution 79/243, more than 2,500 participants met at "
            "3 p.m.; the 40th instrument, USD 2.5 million. Ghada Waly met the Press Office.")
    items = [(i.kind, i.surface) for i in find_items(text, "en", sample.index)]
    assert items == [("date", "24 December 2024"), ("symbol", "79/243"),
                     ("number", "2,500"), ("time", "3 p.m."), ("number", "40th"),
                     ("number", "2.5 million"), ("name", "Ghada Waly"),
                     ("name", "Press Office")]


def test_vietnamese_dates_are_read_and_no_longer_crash_the_dates_check():
    text = "Hà Nội, ngày 25 tháng 10 năm 2025 – ngày 24 tháng 12 năm 2024"
    assert find_dates(text, "vi") == []  # Babel has no Vietnamese month names
    dates = [(i.month, i.days, i.year_value) for i in find_items(text, "vi")]
    assert dates == [(10, (25,), 2025), (12, (24,), 2024)]


# ---------------------------------------------------------------- the DOCX

def test_arabic_pack_is_right_to_left(sample, tmp_path):
    pack = sample.pack(sample.programme.sessions[0], "ar")
    path = tmp_path / "ar.docx"
    write_pack_docx(pack, path)
    word = docx.Document(str(path))
    assert word.sections[0]._sectPr.find(qn("w:bidi")) is not None
    assert all(t._tbl.tblPr.find(qn("w:bidiVisual")) is not None for t in word.tables)
    body = word.element.body

    def text_of(paragraph) -> str:
        return "".join(t.text or "" for t in paragraph.iter(qn("w:t")))

    def bidi(paragraph) -> bool:
        return paragraph.find(f"{qn('w:pPr')}/{qn('w:bidi')}") is not None

    paragraphs = list(body.iter(qn("w:p")))
    arabic = [p for p in paragraphs if any("\u0600" <= c <= "\u06ff" for c in text_of(p))
              and not any(c.isascii() and c.isalpha() for c in text_of(p))]
    assert len(arabic) > 50
    for paragraph in arabic:
        assert bidi(paragraph), text_of(paragraph)
        for run in paragraph.iter(qn("w:r")):
            properties = run.find(qn("w:rPr"))
            assert properties.find(qn("w:rtl")) is not None
            assert properties.find(qn("w:lang")).get(qn("w:bidi")) == "ar-SA"
    # the English column and the English original stay left to right
    english = [p for p in paragraphs if text_of(p) in ("Secretary-General", "Thank you.")]
    assert len(english) == 2 and not any(bidi(p) for p in english)
    texts = "\n".join(p.text for p in word.paragraphs)
    assert "الجلسة الافتتاحية الرفيعة المستوى" in texts
    assert "لا تتوفر ترجمة آلية للزوج en→ar: يلي ذلك النص الأصلي." in texts


def test_the_command_writes_packs_and_says_what_it_did(tmp_path):
    parser = argparse.ArgumentParser(prog="hexaglot")
    add_briefing_command(parser.add_subparsers(dest="command", required=True))
    out = tmp_path / "out"
    args = parser.parse_args(["briefing", str(PROGRAMME), "--docs", str(SAMPLE), "--to",
                              "es,ar", "--session", "2025-10-26-1430", "--out", str(out),
                              "--json"])
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        assert args.handler(args) == 0
    summary = json.loads(stdout.getvalue())
    assert [(p["session"], p["lang"]) for p in summary["packs"]] == [
        ("2025-10-26-1430", "es"), ("2025-10-26-1430", "ar")]
    spanish = docx.Document(str(out / "2025-10-26-1430.es.briefing.docx"))
    text = "\n".join(p.text for p in spanish.paragraphs)
    assert "Declaraciones de los Estados signatarios" in text
    assert "Traducción automática (apertium) del original en francés" in text
    assert "Pronunciado en español: texto original." in text  # Chile's own statement
    with pytest.raises(SystemExit):
        parser.parse_args(["briefing"])


def test_fingerprint_follows_the_programme_linked_documents_and_glossaries(tmp_path):
    event = tmp_path / "event"
    shutil.copytree(SAMPLE, event)
    shutil.copy(REPO / "docs_in" / "press-release-hanoi-signing.txt", tmp_path)
    glossary = write(tmp_path / "glossary.csv", GLOSSARY_CSV)
    programme = event / "programme.md"

    def fingerprint() -> str:
        return briefing_inputs_fingerprint(programme, event, [glossary])

    before = fingerprint()
    assert before == fingerprint()
    write(event / "unrelated.en.md", "Not linked to any session.")
    assert fingerprint() == before
    speech = event / "statement-secretary-general.en.md"
    speech.write_text(speech.read_text(encoding="utf-8") + "\nA late addition.\n")
    changed = fingerprint()
    assert changed != before
    write(event / "2025-10-26-1600" / "closing-remarks.en.md", "# Closing remarks\n")
    assert fingerprint() != changed  # a new document in a session's folder
    changed = fingerprint()
    glossary.write_text(GLOSSARY_CSV.replace("cybercrime", "cyber crime"), encoding="utf-8")
    assert fingerprint() != changed
    assert not packs_up_to_date(programme, event, [glossary], tmp_path / "none", ["fr"])


# ---------------------------------------------------------------- end to end

OPENING_TITLES = {"ar": "الجلسة الافتتاحية الرفيعة المستوى", "zh": "高级别开幕会议",
                  "en": "High-level opening session", "fr": "Séance d'ouverture de haut niveau",
                  "ru": "Заседание высокого уровня по случаю открытия",
                  "es": "Sesión inaugural de alto nivel"}


@pytest.mark.prefect
def test_flow_writes_the_sample_packs_in_all_six_booth_languages(tmp_path):
    from flows.briefing import briefing_packs

    out = tmp_path / "packs"
    summary = briefing_packs(str(PROGRAMME), out_dir=str(out),
                             target_languages=list(UN_LANGUAGES))
    assert summary["errors"] == [] and summary["problems"] == []
    assert len(summary["packs"]) == 6 * 6
    assert {p["lang"] for p in summary["packs"]} == set(UN_LANGUAGES)
    for lang, title in OPENING_TITLES.items():
        word = docx.Document(str(out / f"2025-10-25-0900.{lang}.briefing.docx"))
        text = "\n".join(p.text for p in word.paragraphs)
        assert title in text, lang
        speech = {"en": "Delivered in English: original text.",
                  "fr": "Traduction automatique (apertium) de l'original en anglais",
                  "es": "Traducción automática (apertium) del original en inglés",
                  "ru": "Машинного перевода для en→ru нет",
                  "zh": "en→zh无机器翻译：以下为原文。",
                  "ar": "لا تتوفر ترجمة آلية للزوج en→ar"}[lang]
        assert speech in text, lang
        assert "vi→" in text  # the President's speech: no engine from Vietnamese here
    manifest = json.loads((out / "briefing.json").read_text(encoding="utf-8"))
    assert manifest["fingerprint"] == briefing_inputs_fingerprint(PROGRAMME, SAMPLE,
                                                                  GLOSSARIES)
    assert packs_up_to_date(PROGRAMME, SAMPLE, GLOSSARIES, out, UN_LANGUAGES)
    again = briefing_packs(str(PROGRAMME), out_dir=str(out), only_if_changed=True,
                           target_languages=list(UN_LANGUAGES))
    assert again["skipped"] is True
