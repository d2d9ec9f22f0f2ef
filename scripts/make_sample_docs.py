"""Regenerate the sample DOCX files in docs_in/ for the Hanoi signing ceremony example.

Run from anywhere:  python scripts/make_sample_docs.py

Writes
  docs_in/programme-signing-ceremony.docx         English programme of events
  docs_in/communique-signature-convention.docx    French original press release

The output is byte-for-byte deterministic: document properties are fixed and the ZIP
container is rewritten with a constant timestamp, so re-running the script does not
produce a spurious diff. Requires python-docx (tested with 1.2.0).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "docs_in"

FIXED_TIME = dt.datetime(2025, 10, 20, 9, 0, 0)
ZIP_TIME = (2025, 10, 20, 9, 0, 0)

NBSP = "\u00a0"  # no-break space: French punctuation ; : ! ? and inside « »
NNBSP = "\u202f"  # narrow no-break space: French thousands separator


# --------------------------------------------------------------------------- helpers


def add_runs(paragraph, parts):
    """Add runs to ``paragraph``; ``parts`` holds strings or (text, "b"/"i"/"bi") pairs."""
    for part in parts:
        if isinstance(part, str):
            paragraph.add_run(part)
            continue
        text, fmt = part
        run = paragraph.add_run(text)
        run.bold = "b" in fmt or None
        run.italic = "i" in fmt or None
    return paragraph


def set_header_footer(document, header_text, footer_text):
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.text = header_text
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer = section.footer.paragraphs[0]
    footer.text = footer_text
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER


def set_properties(document, title, language, subject):
    props = document.core_properties
    props.title = title
    props.subject = subject
    props.author = "Conference Secretariat"
    props.last_modified_by = "Conference Secretariat"
    props.language = language
    props.keywords = "Convention against Cybercrime; Hanoi; signing ceremony"
    props.comments = ""
    props.category = "Press and public information"
    props.revision = 1
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.last_printed = FIXED_TIME


def add_table(document, header, rows, widths_cm):
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        add_runs(cell.paragraphs[0], [(text, "b")])
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)
    return table


def save_deterministic(document, path: Path):
    """Save ``document`` with constant ZIP timestamps so identical input gives identical bytes."""
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())


def base_document():
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    return document


# --------------------------------------------------------------------------- programme (en)

PROGRAMME_HEADER = "United Nations Convention against Cybercrime — Signing Ceremony, Hanoi"
PROGRAMME_FOOTER = "Programme subject to change. Check against delivery."
TABLE_HEADER = ("Time", "Session", "Speakers / participants", "Venue")
TABLE_WIDTHS = (2.6, 5.4, 5.6, 3.2)

DAY_1 = [
    ("07:30–09:00", "Registration and security screening", "All participants", "Main Lobby"),
    ("09:00–10:30",
     "Opening session: statements by the Secretary-General and the President of Viet Nam",
     "António Guterres, Secretary-General; Luong Cuong, President of Viet Nam; "
     "Ghada Waly, Executive Director, UNODC", "Plenary Hall"),
    ("10:30–13:00", "Signing segment (part I)",
     "Heads of State and Government, ministers and plenipotentiaries",
     "Plenary Hall"),
    ("13:00–14:30", "Luncheon hosted by the Government of Viet Nam",
     "Heads of delegation (by invitation)", "Banquet Hall"),
    ("14:30–16:00", "High-level panel: international cooperation against cybercrime",
     "Ministers of justice and of the interior; moderated by UNODC", "Room 1"),
    ("16:00–16:45", "Press conference",
     "United Nations and host country officials", "Press Centre"),
    ("16:30–18:00", "Side events", "Member States, civil society, private sector",
     "Rooms 2–4"),
]

DAY_2 = [
    ("08:30–09:00", "Registration", "All participants", "Main Lobby"),
    ("09:00–12:00", "Signing segment (part II)",
     "Ministers and plenipotentiaries", "Plenary Hall"),
    ("09:30–11:00", "High-level panel: electronic evidence and cross-border access to data",
     "Prosecutors, judges and service providers", "Room 1"),
    ("11:15–12:45", "Panel: human rights safeguards in the implementation of the Convention",
     "Member States, OHCHR and civil society", "Room 1"),
    ("12:45–14:00", "Side events: technical assistance",
     "UNODC and regional organizations", "Rooms 2–4"),
    ("14:30–16:00", "Statements by signatory States",
     "Heads of delegation", "Plenary Hall"),
    ("16:00–16:45", "Closing session",
     "Executive Director, UNODC; Government of Viet Nam", "Plenary Hall"),
    ("17:00–17:30", "Closing press conference",
     "UNODC and host country", "Press Centre"),
]

PRACTICAL_NOTES = [
    [("Accreditation: ", "b"), "all participants must be accredited in advance through the "
     "online accreditation system."],
    [("Badges: ", "b"), "collect badges in person at the Accreditation Centre with a passport "
     "or national identity card; wear them visibly at all times."],
    [("Interpretation: ", "b"), "provided in the Plenary Hall in the six official languages "
     "of the United Nations (Arabic, Chinese, English, French, Russian and Spanish)."],
    [("Media: ", "b"), "the Press Centre opens at 07:00 on both days."],
]


def build_programme() -> Document:
    document = base_document()
    set_properties(document, "Programme of events — Signing Ceremony, Hanoi", "en-GB",
                   "United Nations Convention against Cybercrime")
    set_header_footer(document, PROGRAMME_HEADER, PROGRAMME_FOOTER)

    document.add_paragraph(
        "Signing Ceremony of the United Nations Convention against Cybercrime", style="Title")
    add_runs(document.add_paragraph(), [
        ("Programme of events", "b"),
        " — National Convention Center, Hanoi, Viet Nam, 25–26 October 2025",
    ])

    document.add_heading("Introduction", level=1)
    add_runs(document.add_paragraph(), [
        "The ",
        ("United Nations Convention against Cybercrime", "i"),
        ", adopted by the General Assembly in its resolution 79/243 of 24 December 2024, will "
        "be opened for signature at a ceremony co-organized by the Government of Viet Nam and "
        "the United Nations Office on Drugs and Crime (UNODC). More than 2,500 participants "
        "from over 110 countries are expected to attend.",
    ])
    add_runs(document.add_paragraph(), [
        ("Registration opens at 07:30", "b"),
        " on Saturday in the Main Lobby; delegations are invited to be seated in the "
        "Plenary Hall by ",
        ("08:45", "b"),
        ".",
    ])
    add_runs(document.add_paragraph(), [
        "Representatives other than Heads of State or Government and Ministers for Foreign "
        "Affairs must present ",
        ("full powers", "i"),
        " to sign; copies should reach the Treaty Section of the Office of Legal Affairs ",
        ("before", "b"),
        " the ceremony.",
    ])

    document.add_heading("Day 1 — Saturday, 25 October 2025", level=2)
    add_runs(document.add_paragraph(), [
        "The day opens with ",
        ("statements by the Secretary-General and the President of Viet Nam", "i"),
        ".",
    ])
    add_table(document, TABLE_HEADER, DAY_1, TABLE_WIDTHS)

    document.add_heading("Day 2 — Sunday, 26 October 2025", level=2)
    add_runs(document.add_paragraph(), [
        "The signing segment resumes at ",
        ("09:00", "b"),
        "; the ceremony closes at ",
        ("16:45", "b"),
        ".",
    ])
    add_table(document, TABLE_HEADER, DAY_2, TABLE_WIDTHS)

    document.add_heading("Practical information", level=2)
    for note in PRACTICAL_NOTES:
        add_runs(document.add_paragraph(style="List Bullet"), note)
    document.add_paragraph("Enquiries: Conference Secretariat, info@hanoi2025.example.org")
    return document


# --------------------------------------------------------------------------- communiqué (fr)


def fr(text: str) -> str:
    """Apply French typography: no-break space before ; : ! ? and inside « »."""
    for mark in (";", ":", "!", "?"):
        text = text.replace(" " + mark, NBSP + mark)
    return text.replace("« ", "«" + NBSP).replace(" »", NBSP + "»")


COMMUNIQUE_HEADER = ("Convention des Nations Unies contre la cybercriminalité — "
                     "Cérémonie de signature, Hanoï")
COMMUNIQUE_FOOTER = "Communiqué de presse — Document d’information, non officiel"


def build_communique() -> Document:
    document = base_document()
    set_properties(document, "Communiqué de presse — Cérémonie de signature, Hanoï", "fr-FR",
                   "Convention des Nations Unies contre la cybercriminalité")
    set_header_footer(document, COMMUNIQUE_HEADER, COMMUNIQUE_FOOTER)

    document.add_heading(
        "Les États Membres réunis à Hanoï pour signer la Convention des Nations Unies "
        "contre la cybercriminalité", level=1)

    add_runs(document.add_paragraph(), [
        "HANOÏ, 25 octobre 2025 – La cérémonie de signature de la ",
        ("Convention des Nations Unies contre la cybercriminalité", "i"),
        " s’est ouverte aujourd’hui au Centre national des congrès de Hanoï. Organisée les "
        "25 et 26 octobre 2025 par le Gouvernement du Viet Nam et l’Office des Nations Unies "
        "contre la drogue et le crime (ONUDC), elle devait réunir ",
        (f"plus de 2{NNBSP}500 délégués", "b"),
        " venus de plus de 110 pays, parmi lesquels des chefs d’État et de gouvernement, des "
        "ministres ainsi que des représentants de la société civile et du secteur privé.",
    ])

    add_runs(document.add_paragraph(), [fr(
        "Adoptée par l’Assemblée générale le 24 décembre 2024 (résolution 79/243), la "
        "Convention fait obligation aux États d’ériger en infractions pénales plusieurs "
        "comportements : l’accès illégal à un système informatique, l’interception "
        "illégale, les abus sexuels commis en ligne sur des enfants, la fraude en ligne ou "
        "encore le blanchiment du produit du crime. Elle établit en outre un cadre de "
        "coopération internationale qui permettra aux autorités de demander et d’échanger "
        "plus rapidement des preuves électroniques relatives à des infractions graves."
    )])

    add_runs(document.add_paragraph(), [fr(
        "« Comment un pays pourrait-il, seul, protéger ses citoyens contre des réseaux qui "
        "opèrent depuis l’autre bout du monde ? », a demandé le Secrétaire général, "
        "M. António Guterres, à l’ouverture de la cérémonie, aux côtés du Président du "
        "Viet Nam, M. Luong Cuong. « Signer, c’est s’engager ; ratifier, c’est tenir parole. "
        "Ne laissons pas les victimes attendre ! », a-t-il ajouté, en appelant les États "
        "Membres à appliquer le texte dans le plein respect des droits de l’homme."
    )])

    add_runs(document.add_paragraph(), [fr(
        "Le Président Luong Cuong a souhaité la bienvenue aux délégations et rappelé "
        "l’attachement du Viet Nam au multilatéralisme et à un cyberespace sûr et ouvert. "
        "La Directrice exécutive de l’ONUDC, Mme Ghada Waly, a pour sa part indiqué que "
        "l’Office se tenait prêt à aider les États à adapter leur législation et à former "
        "policiers, procureurs et juges."
    )])

    add_runs(document.add_paragraph(), [fr(
        "Les États ont commencé à signer la Convention dès la séance d’ouverture ; la "
        "signature se poursuivra le 26 octobre. L’entrée en vigueur interviendra le "
        "quatre-vingt-dixième jour suivant la date de dépôt du quarantième instrument de "
        "ratification, d’acceptation, d’approbation ou d’adhésion. Le texte est assorti de "
        "garanties en matière de droits de l’homme : les pouvoirs d’enquête qu’il prévoit "
        "devront s’exercer dans le respect du droit international des droits de l’homme et "
        "du principe de proportionnalité."
    )])

    add_runs(document.add_paragraph(), [fr(
        "Contact presse : Bureau de presse de la cérémonie de signature, courriel : "
        "press@hanoi2025.example.org"
    )])
    return document


def main() -> None:
    outputs = {
        "programme-signing-ceremony.docx": build_programme(),
        "communique-signature-convention.docx": build_communique(),
    }
    for name, document in outputs.items():
        path = OUT_DIR / name
        save_deterministic(document, path)
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
