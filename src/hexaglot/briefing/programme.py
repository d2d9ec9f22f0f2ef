"""An event programme read into sessions: date, time, title, venue, speakers, documents.

Layouts accepted (docs/briefing.md shows each):

* **Table** (DOCX or Markdown): one row per session. Columns are found by their header, in
  any order: ``Time`` and ``Session`` (or ``Title``) are required; ``Date``, ``Speakers``
  (or ``Speakers / participants``, ``Participants``), ``Venue`` (or ``Room``) and
  ``Documents`` are optional. Without a ``Date`` column, the date is that of the last
  heading above the table that gives one ("Day 1 — Saturday, 25 October 2025").
* **List** (Markdown): a heading per session that starts with its time ("### 09:00–10:30
  High-level opening session"), under a heading with the date, followed by ``Key: value``
  bullets: ``Venue``, ``Speakers``, ``Participants``, ``Documents`` (and ``Date`` to
  override the heading's). A ``Speakers:`` bullet takes its entries from nested bullets
  or from one line separated by ``;``.
* **Translations** (either format): a table whose header cells are all language codes
  (``| en | ar | zh | fr | ru | es |``) gives approved renderings of the programme's own
  titles, venues and participant groups, which the glossary may not hold.

Speakers are entries separated by ``;`` or line breaks, each ``Name, Title, Country or
organization``, optionally with an honorific (``Ms.``, ``H.E. Mr.``) and a role in
parentheses (``(moderator)``); an entry that starts with a title has no name yet
("Permanent Representative, France"). In a mixed ``Speakers / participants`` column an
entry that starts with neither a personal name nor a title ("Heads of delegation") is a
group of participants.

Documents link to a session in two ways, both relative to the documents folder
(``--docs``): named in its ``Documents`` cell or bullet (separated by ``;``, ``,`` or line
breaks), or put in a folder named after the session's id (``DOCS/2025-10-25-0900/``). The
id is the session's date and start time, with ``-2``, ``-3`` for a second session starting
at the same time.

A row that cannot be read (no title, a time or date that is no time or date, a Markdown
row with the wrong number of cells) is reported with the file, the row and what is wrong,
and left out; the other rows are still read. A document named but not found is a warning:
the session is kept without it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, time
from pathlib import Path

from hexaglot.document import HexaglotError
from hexaglot.languages import detect_language, normalize_code

# What the reader is told about a piece of text by the glossary (None: nothing known).
Classifier = Callable[[str], str | None]  # -> "person", "title", "other" or None

COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("date", "day", "jour", "fecha"),
    "time": ("time", "hour", "hours", "heure", "horaire", "hora", "horario"),
    "title": ("session", "title", "item", "event", "programme item", "séance", "sesión",
              "activity"),
    "speakers": ("speakers", "speaker", "speakers / participants", "speakers/participants",
                 "participants", "intervenants", "oradores"),
    "venue": ("venue", "room", "location", "place", "lieu", "salle", "lugar", "sala"),
    "documents": ("documents", "document", "docs", "texts", "linked documents", "speeches"),
}
LIST_KEYS: dict[str, tuple[str, ...]] = {
    "venue": COLUMNS["venue"],
    "speakers": ("speakers", "speaker", "intervenants", "oradores"),
    "participants": ("participants", "participantes"),
    "documents": COLUMNS["documents"],
    "date": ("date", "fecha"),
}
DOCUMENT_SUFFIXES = (".docx", ".md", ".txt")

_DASH = r"(?:-|–|—|to|à|a)"
_CLOCK = r"(\d{1,2})(?:[:.h](\d{2}))?\s*(?:([ap])\.?\s?m\.?)?"
_TIME_RANGE = re.compile(rf"^\s*{_CLOCK}(?:\s*{_DASH}\s*{_CLOCK})?", re.IGNORECASE)
_STARTS_LIKE_TIME = re.compile(r"^\s*\d{1,2}\s*[:.h]\s*\d")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_DMY_DATE = re.compile(r"(?<!\d)(\d{1,2})[./](\d{1,2})[./](\d{4})(?!\d)")
_HONORIFIC = re.compile(
    r"^(?:(H\.\s?E\.|His Excellency|Her Excellency)\s+)?"
    r"(?:(Mr|Ms|Mrs|Miss|Mme|Madam|Sir|Dr|Prof)\.?\s+)?", re.IGNORECASE)
_FEMALE = {"ms", "mrs", "miss", "mme", "madam", "her excellency"}
_MALE = {"mr", "sir", "his excellency"}
_ROLE = re.compile(r"\s*\(([^()]+)\)\s*$")
_NAME_PARTICLES = {"de", "da", "do", "dos", "das", "del", "della", "di", "du", "la", "le",
                   "van", "von", "der", "den", "bin", "binti", "ibn", "al", "el", "y", "e"}
# Words that make a capitalized phrase a title, not a name, when the glossary is silent.
_TITLE_WORDS = {"director", "minister", "representative", "president", "secretary",
                "ambassador", "chair", "chairperson", "deputy", "executive", "permanent",
                "head", "prime", "general", "commissioner", "coordinator", "rapporteur",
                "observer", "counsel", "adviser", "advisor", "officer", "chief", "governor",
                "mayor", "judge", "prosecutor", "spokesperson", "moderator",
                "under-secretary-general"}
# Words of a group of participants, never of a personal name ("Member States").
_GROUP_WORDS = {"states", "members", "nations", "officials", "society", "organizations",
                "organisations", "delegations", "delegates", "participants", "ministers",
                "representatives", "sector", "agencies", "countries", "governments"}
_LINK = re.compile(r"\[([^\]]*)\]\(([^)]+)\)")


@dataclass(frozen=True)
class Speaker:
    """One speaker as the programme gives them; the booth renderings come from the glossary."""

    name: str  # as written; "" when the programme gives only the title
    title: str = ""
    affiliation: str = ""  # country or organization
    role: str = ""  # "moderator", from a parenthesis
    honorific: str = ""  # "Ms.", "H.E. Mr."
    raw: str = ""

    @property
    def gender(self) -> str | None:
        """From the honorific: "Ms." female, "Mr." male; None when there is none."""
        words = " ".join(w.strip(".").lower() for w in self.honorific.split())
        if any(w in _FEMALE for w in words.split()) or "her excellency" in words:
            return "female"
        if any(w in _MALE for w in words.split()) or "his excellency" in words:
            return "male"
        return None


@dataclass(frozen=True)
class Session:
    id: str
    date: date
    start: time
    end: time | None
    title: str
    venue: str = ""
    speakers: tuple[Speaker, ...] = ()
    participants: tuple[str, ...] = ()
    documents: tuple[Path, ...] = ()
    where: str = ""  # "table 2, row 3", "line 14"

    def programme_text(self) -> str:
        """The session's own words in the programme, for term selection."""
        return "\n".join([self.title, *self.participants])


@dataclass(frozen=True)
class ProgrammeProblem:
    file: str
    where: str
    message: str
    severity: str = "error"  # error: the row is left out; warning: read, something missing

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.severity}: {self.message}"

    def as_dict(self) -> dict:
        return {"file": self.file, "where": self.where, "severity": self.severity,
                "message": self.message}


@dataclass(frozen=True)
class Programme:
    path: Path
    title: str
    lang: str
    sessions: tuple[Session, ...]
    translations: dict[str, dict[str, str]] = field(default_factory=dict)
    problems: tuple[ProgrammeProblem, ...] = ()
    docs_dir: Path = Path(".")

    def session(self, session_id: str) -> Session:
        for session in self.sessions:
            if session.id == session_id:
                return session
        raise HexaglotError(f"{self.path}: no session {session_id!r}: the sessions are "
                            f"{', '.join(s.id for s in self.sessions) or 'none'}")

    def translation(self, text: str, lang: str) -> str | None:
        """The programme's own rendering of one of its texts, from its Translations table."""
        return self.translations.get(text_key(text), {}).get(lang)

    @property
    def errors(self) -> tuple[ProgrammeProblem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")


def text_key(text: str) -> str:
    """Texts compared as a reader would: case, width, spaces and dashes aside."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[\u2010-\u2015]", "-", text)
    return re.sub(r"\s+", " ", text).strip(" .")


# ---------------------------------------------------------------- times and dates

def parse_time_range(text: str) -> tuple[time, time | None, int] | None:
    """(start, end, characters read) of "09:00–10:30", "9.30 a.m.", "14h30-16h"; None when
    the text does not start with a time of day."""
    match = _TIME_RANGE.match(text)
    if not match or not any(match.group(i) for i in (2, 3, 5, 6)):
        return None  # "2025 ...": a bare number is no time
    has_end = match.group(4) is not None
    # "9–10.30 a.m.": the start takes the end's half of the day
    start = _clock(match.group(1), match.group(2),
                   match.group(3) or (match.group(6) if has_end else None))
    end = _clock(match.group(4), match.group(5), match.group(6)) if has_end else None
    if start is None or (has_end and end is None):
        return None
    return start, end, match.end()


def _clock(hours: str, minutes: str | None, half: str | None) -> time | None:
    hour, minute = int(hours), int(minutes or 0)
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half.lower() == "p" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def parse_date(text: str, lang: str = "en") -> date | None:
    """The one date a heading or cell gives ("Saturday, 25 October 2025", "2025-10-25",
    "25/10/2025"), or None; a range of days ("25–26 October") gives no single date."""
    for pattern, order in ((_ISO_DATE, "ymd"), (_DMY_DATE, "dmy")):
        match = pattern.search(text)
        if match:
            parts = dict(zip(order, map(int, match.groups()), strict=True))
            try:
                return date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                return None
    from hexaglot.checks.dates import find_dates

    for found in find_dates(text, lang):
        if len(found.days) == 1 and found.year is not None:
            try:
                return date(found.year, found.month, found.days[0])
            except ValueError:
                return None
    return None


# ---------------------------------------------------------------- speakers

def split_entries(text: str) -> list[str]:
    """Entries of a speakers or documents cell: one per line or separated by ";"."""
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.IGNORECASE)
    return [part.strip(" \t-*•") for part in re.split(r"[;\n]", text) if part.strip(" \t-*•")]


def looks_like_name(text: str) -> bool:
    """Two to six capitalized words ("António Guterres", "Lương Cường", "Ahmed bin Ali")."""
    words = text.split()
    if not 2 <= len(words) <= 6 or any(c.isdigit() for c in text):
        return False
    if all(w.isupper() and len(w) > 1 for w in words):
        return False  # "UNODC OHCHR": acronyms
    if any(w.strip(".,").lower() in _TITLE_WORDS | _GROUP_WORDS for w in words):
        return False
    return all(w[:1].isupper() or w.lower() in _NAME_PARTICLES for w in words)


def parse_speaker(entry: str, classify: Classifier | None = None, *,
                  explicit: bool = False) -> Speaker | None:
    """One entry, ``[Honorific] Name, Title, Country or organization [(role)]``; None when
    it is a group of participants, not a speaker. ``explicit``: the entry comes from a
    ``Speakers:`` bullet, so its first part is a name unless it is a title."""
    raw = entry.strip()
    text = raw
    role = ""
    role_match = _ROLE.search(text)
    if role_match:
        role, text = role_match.group(1).strip(), text[:role_match.start()].strip()
    honorific_match = _HONORIFIC.match(text)
    honorific = honorific_match.group(0).strip() if honorific_match else ""
    text = text[len(honorific_match.group(0)):].strip() if honorific else text
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts:
        return None
    first = parts[0]
    kind = classify(first) if classify else None
    if kind == "title" or (kind is None and _is_title_phrase(first)):
        return Speaker(name="", title=first, affiliation=", ".join(parts[1:]), role=role,
                       honorific=honorific, raw=raw)
    if kind == "person" or honorific or (explicit and kind != "other") or \
            (kind is None and looks_like_name(first)):
        return Speaker(name=first, title=parts[1] if len(parts) > 1 else "",
                       affiliation=", ".join(parts[2:]), role=role, honorific=honorific,
                       raw=raw)
    return None


def _is_title_phrase(text: str) -> bool:
    """"Executive Director", "Permanent Representative": a phrase that starts with a title
    word (used when no glossary says what it is)."""
    words = text.split()
    return bool(words) and words[0].strip(".,").lower() in _TITLE_WORDS


# ---------------------------------------------------------------- the file: items in order

@dataclass
class _Heading:
    text: str
    where: str
    level: int


@dataclass
class _Table:
    header: list[str]
    rows: list[tuple[list[str], str]]  # cells, where
    where: str
    widths_ok: list[bool] = field(default_factory=list)  # Markdown: row has header's width


@dataclass
class _ListSession:
    heading: str
    where: str
    fields: list[tuple[str, str, str]]  # key, value, where


def _markdown_items(lines: list[str]) -> Iterator[_Heading | _Table | _ListSession | str]:
    heading = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
    bullet = re.compile(r"^(\s*)[-*+]\s+(.*)$")
    number = 0
    current: _ListSession | None = None
    key_indent = 0
    in_fence = False
    while number < len(lines):
        line = lines[number]
        where = f"line {number + 1}"
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            number += 1
            continue
        if in_fence:
            number += 1
            continue
        match = heading.match(line)
        if match:
            if current:
                yield current
                current = None
            text = match.group(2).strip()
            if parse_time_range(text) or _STARTS_LIKE_TIME.match(text):
                current = _ListSession(text, where, [])
            else:
                yield _Heading(text, where, len(match.group(1)))
            number += 1
            continue
        if line.lstrip().startswith("|"):
            if current:
                yield current
                current = None
            start = number
            block = []
            while number < len(lines) and lines[number].lstrip().startswith("|"):
                block.append((lines[number], number + 1))
                number += 1
            yield _markdown_table(block, f"line {start + 1}")
            continue
        match = bullet.match(line)
        if current is not None and match:
            indent, body = len(match.group(1)), match.group(2).strip()
            key_match = re.match(r"^\*{0,2}([^:*]{1,40}?)\*{0,2}\s*:\s*(.*)$", body)
            if key_match and (not current.fields or indent <= key_indent):
                key_indent = indent
                current.fields.append((key_match.group(1).strip(), key_match.group(2).strip(),
                                       where))
            elif current.fields and indent > key_indent:
                key, value, key_where = current.fields[-1]
                current.fields[-1] = (key, f"{value}\n{body}" if value else body, key_where)
            else:
                current.fields.append(("", body, where))
            number += 1
            continue
        if current is not None and current.fields and line[:1] in (" ", "\t") and \
                line.strip():  # a bullet's value continued on the next line
            key, value, key_where = current.fields[-1]
            current.fields[-1] = (key, f"{value}\n{line.strip()}", key_where)
        elif line.strip() and current is None:
            yield line.strip()
        number += 1
    if current:
        yield current


def _split_row(line: str) -> list[str]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    cells = re.split(r"(?<!\\)\|", body)
    return [cell.replace("\\|", "|").strip() for cell in cells]


def _markdown_table(block: list[tuple[str, int]], where: str) -> _Table:
    header = _split_row(block[0][0])
    rows: list[tuple[list[str], str]] = []
    widths: list[bool] = []
    for line, number in block[1:]:
        cells = _split_row(line)
        if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c) and any(cells):
            continue  # the separator line
        rows.append((cells, f"line {number}"))
        widths.append(len(cells) == len(header))
    return _Table(header, rows, where, widths)


def _docx_items(path: Path) -> Iterator[_Heading | _Table | str]:
    from docx.text.paragraph import Paragraph

    from hexaglot.formats.docx import _open

    word = _open(path)
    table_number = 0
    for item in word.iter_inner_content():
        if isinstance(item, Paragraph):
            text = item.text.strip()
            if not text:
                continue
            style = (item.style.name if item.style is not None else "") or ""
            if style.startswith("Title"):
                yield _Heading(text, "title", 1)
            elif style.startswith("Heading"):
                level = int(style.split()[-1]) + 1 if style.split()[-1].isdigit() else 2
                yield _Heading(text, f"heading {text[:40]!r}", level)
            else:
                yield text
            continue
        table_number += 1
        rows = []
        for row_number, row in enumerate(item.rows, start=1):
            seen: list = []
            cells = []
            for cell in row.cells:
                if any(cell._tc is s for s in seen):
                    continue  # a merged cell appears once per grid column
                seen.append(cell._tc)
                cells.append("\n".join(p.text.strip() for p in cell.paragraphs
                                       if p.text.strip()))
            rows.append((cells, f"table {table_number}, row {row_number}"))
        if rows:
            header, _ = rows[0]
            yield _Table(header, rows[1:], f"table {table_number}")


# ---------------------------------------------------------------- reading

def _column_of(header_cell: str) -> str | None:
    key = text_key(header_cell)
    for column, names in COLUMNS.items():
        if key in names:
            return column
    return None


def _key_of(label: str) -> str | None:
    key = text_key(label)
    for name, names in LIST_KEYS.items():
        if key in names:
            return name
    return None


class _Reader:
    def __init__(self, path: Path, docs_dir: Path, lang: str, classify: Classifier | None):
        self.path = path
        self.docs_dir = docs_dir
        self.lang = lang
        self.classify = classify
        self.problems: list[ProgrammeProblem] = []
        self.sessions: list[Session] = []
        self.translations: dict[str, dict[str, str]] = {}
        self.title = ""
        self.current_date: date | None = None

    def problem(self, where: str, message: str, severity: str = "error") -> None:
        self.problems.append(ProgrammeProblem(self.path.name, where, message, severity))

    def heading(self, item: _Heading) -> None:
        found = parse_date(item.text, self.lang)
        if found:
            self.current_date = found
        elif item.level == 1 and not self.title:
            self.title = item.text

    def table(self, item: _Table) -> None:
        codes = [normalize_code(cell) if re.fullmatch(r"[A-Za-z]{2,3}(?:[-_][A-Za-z]+)?",
                                                      cell.strip()) else None
                 for cell in item.header]
        if len(codes) >= 2 and all(codes):
            self.translation_table(item, codes)
            return
        columns = [_column_of(cell) for cell in item.header]
        if "time" not in columns or "title" not in columns:
            if any(columns):
                self.problem(item.where, "not read as a programme table: it needs a Time and "
                             "a Session (or Title) column; its header is "
                             + " | ".join(item.header), "warning")
            return
        for index, (cells, where) in enumerate(item.rows):
            if item.widths_ok and not item.widths_ok[index]:
                self.problem(where, f"the row has {len(cells)} cells and the header "
                             f"{len(item.header)}: a '|' is missing or extra (write \\| for "
                             "a '|' inside a cell)")
                continue
            values: dict[str, str] = {}
            for column, cell in zip(columns, cells, strict=False):
                if column and column not in values:
                    values[column] = cell.strip()
            if not any(values.values()):
                continue
            self.add_session(values, where, mixed_speakers=True)

    def translation_table(self, item: _Table, codes: list[str | None]) -> None:
        key_column = codes.index(self.lang) if self.lang in codes else 0
        for index, (cells, where) in enumerate(item.rows):
            if item.widths_ok and not item.widths_ok[index]:
                self.problem(where, f"translations row has {len(cells)} cells and the header "
                             f"{len(item.header)}")
                continue
            if key_column >= len(cells) or not cells[key_column].strip():
                continue
            self.translations[text_key(cells[key_column])] = {
                code: cell.strip() for code, cell in zip(codes, cells, strict=False)
                if code and cell.strip()}

    def list_session(self, item: _ListSession) -> None:
        parsed = parse_time_range(item.heading)
        values: dict[str, str] = {}
        if parsed is None:
            self.problem(item.where, f"{item.heading!r}: cannot read the time at the start of "
                         "the heading: write it as HH:MM or HH:MM–HH:MM, e.g. "
                         "\"### 09:00–10:30 Opening session\"")
            return
        values["time"] = item.heading[:parsed[2]]
        values["title"] = item.heading[parsed[2]:].strip(" \t-–—·:|")
        speakers: list[str] = []
        participants: list[str] = []
        for key, value, where in item.fields:
            name = _key_of(key) if key else None
            if name == "speakers":
                speakers.extend(split_entries(value))
            elif name == "participants":
                participants.extend(split_entries(value))
            elif name:
                values[name] = value
            else:
                self.problem(where, f"bullet {(key + ': ' if key else '') + value!r} is not "
                             "one of Venue, Speakers, Participants, Documents, Date: ignored",
                             "warning")
        self.add_session(values, item.where, speakers=speakers, participants=participants)

    def add_session(self, values: dict[str, str], where: str, *, mixed_speakers: bool = False,
                    speakers: list[str] | None = None,
                    participants: list[str] | None = None) -> None:
        title = " ".join(values.get("title", "").split())
        if not title:
            self.problem(where, "no session title: the Session (or Title) cell is empty")
            return
        time_text = values.get("time", "").strip()
        parsed = parse_time_range(time_text)
        if parsed is None or time_text[parsed[2]:].strip():
            self.problem(where, f"{title!r}: time {time_text!r} is not a time of day: write "
                         "HH:MM or HH:MM–HH:MM, e.g. 09:00–10:30" if time_text else
                         f"{title!r}: no time: the Time cell is empty")
            return
        start, end, _ = parsed
        if end is not None and end <= start:
            self.problem(where, f"{title!r}: the session ends ({end:%H:%M}) before it starts "
                         f"({start:%H:%M})")
            return
        day = self.current_date
        if values.get("date"):
            day = parse_date(values["date"], self.lang)
            if day is None:
                self.problem(where, f"{title!r}: date {values['date']!r} is not a date: write "
                             "e.g. 25 October 2025 or 2025-10-25")
                return
        if day is None:
            self.problem(where, f"{title!r}: no date: add a Date column, or a heading with "
                         "the date (\"Saturday, 25 October 2025\") above the session")
            return
        found_speakers: list[Speaker] = []
        found_participants = list(participants or [])
        if mixed_speakers:
            for entry in split_entries(values.get("speakers", "")):
                speaker = parse_speaker(entry, self.classify)
                if speaker is None:
                    found_participants.append(entry)
                else:
                    found_speakers.append(speaker)
        for entry in speakers or []:
            speaker = parse_speaker(entry, self.classify, explicit=True)
            if speaker is None:
                found_participants.append(entry)
            else:
                found_speakers.append(speaker)
        session_id = f"{day.isoformat()}-{start:%H%M}"
        taken = {s.id for s in self.sessions}
        suffix = 2
        base = session_id
        while session_id in taken:
            session_id = f"{base}-{suffix}"
            suffix += 1
        session = Session(id=session_id, date=day, start=start, end=end, title=title,
                          venue=" ".join(values.get("venue", "").split()),
                          speakers=tuple(found_speakers),
                          participants=tuple(found_participants), where=where)
        documents = self.documents(values.get("documents", ""), session, where)
        self.sessions.append(replace(session, documents=tuple(documents)))

    def documents(self, cell: str, session: Session, where: str) -> list[Path]:
        found: list[Path] = []
        for entry in re.split(r"[;,\n]|<br\s*/?>", cell):
            entry = entry.strip(" \t-*•`")
            link = _LINK.search(entry)
            if link:
                entry = link.group(2).strip()
            if not entry or entry.lower() in ("none", "—", "-", "n/a"):
                continue
            path = Path(entry)
            path = path if path.is_absolute() else self.docs_dir / path
            if not path.is_file():
                self.problem(where, f"{session.title!r}: document {entry!r} not found in "
                             f"{self.docs_dir}: the session is read without it", "warning")
                continue
            if path.suffix.lower() not in DOCUMENT_SUFFIXES:
                self.problem(where, f"{session.title!r}: document {entry!r}: hexaglot reads "
                             f"{', '.join(DOCUMENT_SUFFIXES)} files only", "warning")
                continue
            if path not in found:
                found.append(path)
        folder = self.docs_dir / session.id
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.is_file() and path.suffix.lower() in DOCUMENT_SUFFIXES and \
                        not path.name.startswith((".", "~$")) and path not in found:
                    found.append(path)
        return found


def programme_items(path: Path) -> list:
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return list(_docx_items(path))
    if suffix in (".md", ".markdown", ".txt"):
        from hexaglot.formats.text import read_lines

        lines, _ = read_lines(path)
        return list(_markdown_items(lines))
    raise HexaglotError(f"{path}: a programme must be a .docx or a Markdown (.md) file")


def _programme_language(items: Iterable) -> str:
    words = []
    for item in items:
        if isinstance(item, _Heading):
            words.append(item.text)
        elif isinstance(item, _ListSession):
            words.append(item.heading)
        elif isinstance(item, _Table):
            columns = [_column_of(cell) for cell in item.header]
            if "title" in columns:
                index = columns.index("title")
                words.extend(cells[index] for cells, _ in item.rows if index < len(cells))
        elif isinstance(item, str):
            words.append(item)
    return detect_language("\n".join(words)) or "en"


def read_programme(path: Path, docs_dir: Path | None = None, *, lang: str | None = None,
                   classify: Classifier | None = None) -> Programme:
    """Sessions of a programme; rows that cannot be read are in ``problems``.

    ``docs_dir``: where its documents are (default: the programme's folder). ``lang``: the
    programme's language (default: detected, else English). ``classify``: what the
    glossary knows of a phrase, to tell names from titles in speaker entries.
    Raises :class:`HexaglotError` when the file itself cannot be read.
    """
    path = Path(path)
    if not path.is_file():
        raise HexaglotError(f"{path}: no such programme file")
    docs_dir = Path(docs_dir) if docs_dir is not None else path.parent
    items = programme_items(path)
    reader = _Reader(path, docs_dir, lang or _programme_language(items), classify)
    for item in items:
        if isinstance(item, _Heading):
            reader.heading(item)
        elif isinstance(item, _Table):
            reader.table(item)
        elif isinstance(item, _ListSession):
            reader.list_session(item)
        elif isinstance(item, str) and not reader.title:
            reader.title = item
    if not reader.sessions and not reader.problems:
        raise HexaglotError(f"{path}: no sessions found: lay the programme out as a table with "
                            "Time and Session columns, or as one heading per session starting "
                            "with its time (see docs/briefing.md)")
    return Programme(path=path, title=reader.title, lang=reader.lang,
                     sessions=tuple(reader.sessions), translations=reader.translations,
                     problems=tuple(reader.problems), docs_dir=docs_dir)
