"""Shared fixtures: small real inputs built on the spot (DOCX, glossaries) and FLORES text."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import docx
import pytest
from docx.shared import Pt

REPO = Path(__file__).resolve().parent.parent
FLORES = Path(os.environ.get("HEXAGLOT_FLORES", REPO.parent / "shared/data/flores200-devtest"))
FLORES_FILES = {"en": "eng_Latn", "ar": "arb_Arab", "zh": "zho_Hans", "fr": "fra_Latn",
                "ru": "rus_Cyrl", "es": "spa_Latn", "id": "ind_Latn", "vi": "vie_Latn"}


# Flow tests use Prefect's ephemeral API with a database of their own, never the desk's.
# Set before anything imports Prefect.
os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="hexaglot-prefect-")
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["PREFECT_LOGGING_LEVEL"] = "WARNING"  # its exit-time INFO lines hit closed captures
os.environ.pop("PREFECT_API_URL", None)
os.environ["HEXAGLOT_CACHE_DIR"] = tempfile.mkdtemp(prefix="hexaglot-cache-")
# Runs that use the project's TM write to a throwaway one, never to data/ of the checkout.
os.environ["HEXAGLOT_TM"] = str(Path(tempfile.mkdtemp(prefix="hexaglot-tm-")) / "tm.sqlite")


@pytest.fixture(autouse=True)
def _own_translation_memory(tmp_path, monkeypatch):
    """Each test starts with an empty TM: one test's translations must not turn into
    another's TM matches."""
    monkeypatch.setenv("HEXAGLOT_TM", str(tmp_path / "project-tm.sqlite"))


@pytest.fixture(scope="session", autouse=True)
def _apertium_installed():
    if shutil.which("apertium") is None:
        pytest.exit("Apertium is not installed: run the tests with ./desk test, which installs it",
                    returncode=3)


def flores(lang: str, count: int = 1012, start: int = 0) -> list[str]:
    path = FLORES / f"{FLORES_FILES[lang]}.devtest"
    if not path.exists():
        pytest.skip(f"FLORES-200 devtest not found at {FLORES} (set HEXAGLOT_FLORES)")
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines[start:start + count]


GLOSSARY_CSV = """\
id,subject,note,en,en_admitted,en_abbr,en_forbidden,fr,fr_abbr,es,es_abbr,es_forbidden,ru,ru_abbr,ar,zh,vi
t-001,treaty,,signing ceremony,,,,cérémonie de signature,,ceremonia de firma,,ceremonia de fichaje,церемония подписания,,حفل التوقيع,签署仪式,lễ ký
t-002,un-bodies,,United Nations Office on Drugs and Crime,,UNODC,,Office des Nations Unies contre la drogue et le crime,ONUDC,Oficina de las Naciones Unidas contra la Droga y el Delito,UNODC,,Управление Организации Объединенных Наций по наркотикам и преступности,УНП ООН,مكتب الأمم المتحدة المعني بالمخدرات والجريمة,联合国毒品和犯罪问题办公室,Văn phòng Liên hợp quốc về Ma túy và Tội phạm
t-003,un-bodies,,Member State,,,,État Membre,,Estado Miembro,,Estados miembro,государство-член,,الدول الأعضاء,会员国,quốc gia thành viên
t-004,un-titles,,Secretary-General,,,Secretary General,Secrétaire général,,Secretario General,,,Генеральный секретарь,,الأمين العام,秘书长,Tổng Thư ký
t-005,cybercrime,,cybercrime,,,,cybercriminalité,,ciberdelincuencia,,cibercrimen,киберпреступность,,الجريمة السيبرانية,网络犯罪,tội phạm mạng
t-006,un-bodies,,World Health Organization,,WHO,,Organisation mondiale de la Santé,OMS,Organización Mundial de la Salud,OMS,,Всемирная организация здравоохранения,ВОЗ,منظمة الصحة العالمية,世界卫生组织,Tổ chức Y tế Thế giới
t-007,general,,General Assembly,,,,Assemblée générale,,Asamblea General,,,Генеральная Ассамблея,,الجمعية العامة,大会,Đại hội đồng
"""

GLOSSARY_TBX = """\
<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en">
  <martifHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></martifHeader>
  <text><body>
    <termEntry id="e-001">
      <descrip type="subjectField">protocol-event</descrip>
      <langSet xml:lang="en"><tig><term>National Convention Center</term>
        <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig></langSet>
      <langSet xml:lang="es-419"><tig><term>Centro Nacional de Convenciones</term>
        <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
        <tig><term>Centro de Convención Nacional</term>
        <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig></langSet>
      <langSet xml:lang="fr-FR"><tig><term>Centre national des congrès</term></tig></langSet>
      <langSet xml:lang="ru"><tig><term>Национальный конференц-центр</term></tig></langSet>
      <langSet xml:lang="ar"><tig><term>المركز الوطني للمؤتمرات</term></tig></langSet>
      <langSet xml:lang="zh-CN"><tig><term>国家会议中心</term></tig></langSet>
    </termEntry>
  </body></text>
</martif>
"""


@pytest.fixture
def glossary_csv(tmp_path) -> Path:
    path = tmp_path / "glossary.csv"
    path.write_text(GLOSSARY_CSV, encoding="utf-8")
    return path


@pytest.fixture
def glossary_tbx(tmp_path) -> Path:
    path = tmp_path / "event.tbx"
    path.write_text(GLOSSARY_TBX, encoding="utf-8")
    return path


PRESS_RELEASE_LINES = [
    "Member States sign the Convention in Hanoi",
    "",
    "The signing ceremony opened today at the National Convention Center.",
    "The Secretary-General welcomed the delegations. More than 2,500 delegates attended.",
    "",
    "",
    "The United Nations Office on Drugs and Crime (UNODC) supports the Member States.",
    "Contact: press@hanoi2025.example.org",
]


@pytest.fixture
def press_release_txt(tmp_path) -> Path:
    path = tmp_path / "in" / "press-release.txt"
    path.parent.mkdir(exist_ok=True)
    path.write_text("\n".join(PRESS_RELEASE_LINES) + "\n", encoding="utf-8")
    return path


def build_programme_docx(path: Path) -> Path:
    """A programme with what desks receive: styles, runs, tables (merged, nested), header and
    footer, a different first-page header."""
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "Signing ceremony of the Convention"
    section.footer.paragraphs[0].text = "Programme subject to change."
    section.different_first_page_header_footer = True
    section.first_page_header.paragraphs[0].text = "United Nations"
    document.add_heading("Programme of events", level=1)
    paragraph = document.add_paragraph("The ")
    bold = paragraph.add_run("signing ceremony")
    bold.bold = True
    paragraph.add_run(" will take place in Hanoi. ")
    italic = paragraph.add_run("The delegations are welcome.")
    italic.italic = True
    italic.font.size = Pt(13)
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).text = "Time"
    table.cell(0, 1).text = "Session"
    table.cell(0, 2).text = "Venue"
    table.cell(1, 0).text = "09:00–10:30"
    table.cell(1, 1).text = "Opening of the signing ceremony"
    table.cell(1, 2).text = "Main hall"
    merged = table.cell(2, 0).merge(table.cell(2, 2))
    merged.text = "Lunch offered by the host country"
    nested = table.cell(1, 2).add_table(rows=1, cols=1)
    nested.cell(0, 0).text = "Room for the press"
    document.add_paragraph("The Secretary-General will speak at the closing.")
    document.save(str(path))
    return path


@pytest.fixture
def programme_docx(tmp_path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    return build_programme_docx(folder / "programme.docx")
