"""TMX 1.4b, the exchange format of every CAT tool's translation memory: read for
``hexaglot check`` (:func:`read_tmx`), imported into and exported from the desk's TM
(:func:`import_tmx`, :func:`export_tmx`).

Parsed with lxml with entity expansion and network access off, as for TBX: a TMX from
outside the desk is untrusted input.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from hexaglot import __version__
from hexaglot.atomic import atomic_output
from hexaglot.document import HexaglotError
from hexaglot.languages import SOURCE_LANGUAGES, UN_LANGUAGES, normalize_code
from hexaglot.safe_xml import safe_parser
from hexaglot.tm.memory import TMUnit, TranslationMemory, UnitOrigin, context_hash

if TYPE_CHECKING:
    from hexaglot.tm.store import SQLiteTM

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class TranslationUnit:
    line: int  # where the <tu> starts in the file, for messages
    source: str
    target: str


def _segment_text(seg: etree._Element) -> str:
    """A <seg>'s text with inline codes (<bpt>, <ept>, <ph>, <it>) dropped but the text
    around and inside <hi> kept."""
    parts = [seg.text or ""]
    for child in seg:
        tag = etree.QName(child).localname
        if tag in ("hi", "sub"):
            parts.append(_segment_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def read_tmx(path: Path, source: str, target: str) -> list[TranslationUnit]:
    """The units of a TMX that have both languages (regional variants count: es-ES, zh-CN)."""
    try:
        tree = etree.parse(str(path), safe_parser())
    except (OSError, etree.XMLSyntaxError) as error:
        raise HexaglotError(f"{path}: not a readable TMX file: {error}") from None
    units = []
    for tu in tree.iter("{*}tu", "tu"):
        texts: dict[str, str] = {}
        for tuv in tu.iter("{*}tuv", "tuv"):
            lang = normalize_code(tuv.get(_XML_LANG) or tuv.get("lang") or "")
            seg = next(tuv.iter("{*}seg", "seg"), None)
            if lang and seg is not None and lang not in texts:
                texts[lang] = _segment_text(seg)
        if source in texts and target in texts:
            units.append(TranslationUnit(tu.sourceline or 0, texts[source], texts[target]))
    if not units:
        raise HexaglotError(f"{path}: no translation unit has both {source} and {target}: "
                            "check the languages (--from, --to) against the file's xml:lang")
    return units


# ---------------------------------------------------------------- import into a TM

_TMX_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$")
_HASH = re.compile(r"^[0-9a-f]{16}$")
_ALL = "*all*"
# prop types that name the document a unit came from, lower-cased and without Trados's
# ":Type" suffix: hexaglot's own, OmegaT's "file", and custom fields desks define in Trados
_DOCUMENT_PROPS = ("x-document", "file", "x-file", "x-filename", "x-sourcefilename",
                   "x-sourcefile", "x-document name")
# prop types holding the text of the previous / next source segment (hashed on import)
_PREVIOUS_TEXT_PROPS = ("prev", "x-context-pre", "x-previous-source-text")  # OmegaT, memoQ, XTM
_NEXT_TEXT_PROPS = ("next", "x-context-post", "x-next-source-text")


@dataclass(frozen=True)
class ImportProblem:
    """Something wrong in a TMX, where it is and what was done about it."""

    path: Path
    line: int
    message: str
    skipped: bool = True  # False: the unit was still imported (e.g. a date not understood)

    def __str__(self) -> str:
        return f"{self.path}, line {self.line}: {self.message}"


@dataclass
class ImportReport:
    """What :func:`import_tmx` did. A TMX unit (<tu>) with more than two languages yields a
    TM unit per language pair, so ``units_stored`` may exceed ``units_read``."""

    path: Path
    units_read: int = 0  # <tu> elements read
    units_skipped: int = 0  # <tu> elements that gave nothing (see problems)
    units_other_languages: int = 0  # <tu> elements without the language pair asked for
    units_stored: int = 0  # TM units written
    units_not_replaced: int = 0  # TM units not written: the TM's unit for the same source
    # and context has an origin of higher rank (a revision is not replaced by an import)
    pairs: Counter[str] = field(default_factory=Counter)  # "en-fr" -> TM units offered
    ignored_languages: Counter[str] = field(default_factory=Counter)  # xml:lang -> <tuv>s
    damaged_at: int | None = None  # line of the first XML damage
    problems: list[ImportProblem] = field(default_factory=list)

    def summary(self) -> str:
        pairs = ", ".join(f"{pair} {n}" for pair, n in sorted(self.pairs.items())) or "none"
        text = (f"{self.path}: {self.units_read} units read, {self.units_stored} stored in the "
                f"TM ({pairs}), {self.units_skipped} skipped")
        if self.units_other_languages:
            text += f", {self.units_other_languages} without the languages asked for"
        if self.units_not_replaced:
            text += (f", {self.units_not_replaced} not stored (the TM holds a unit of higher "
                     "rank for the same source and context)")
        if self.ignored_languages:
            text += ("; languages hexaglot does not use, ignored: "
                     + ", ".join(f"{lang} ({n})" for lang, n in
                                 sorted(self.ignored_languages.items())))
        return text


def _tmx_date(value: str | None) -> str | None:
    """TMX's ``YYYYMMDDThhmmssZ`` as ISO 8601 (``YYYY-MM-DDThh:mm:ssZ``); None when it is
    not one."""
    match = _TMX_DATE.match((value or "").strip())
    if not match:
        return None
    y, mo, d, h, mi, s = match.groups()
    try:
        datetime(int(y), int(mo), int(d), int(h), int(mi), int(s))
    except ValueError:
        return None
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}Z"


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element
            if isinstance(child.tag, str) and etree.QName(child).localname == name]


def _props(*elements: etree._Element) -> dict[str, list[str]]:
    """Prop values by lower-cased type, Trados's ":SingleString"-style suffix removed."""
    found: dict[str, list[str]] = {}
    for element in elements:
        for prop in _children(element, "prop"):
            kind = (prop.get("type") or "").strip().lower().split(":", 1)[0]
            found.setdefault(kind, []).append(prop.text or "")
    return found


def _first(props: dict[str, list[str]], kinds: Iterable[str]) -> str:
    for kind in kinds:
        for value in props.get(kind, ()):
            if value.strip():
                return value.strip()
    return ""


def _trados_previous(value: str) -> str:
    """The previous source segment in Trados's x-ContextContent: "source | tags | target |
    tags", a "|" inside a segment written "||"."""
    return value.replace("||", "\0").split(" | ", 1)[0].replace("\0", "|").strip()


def _context(props: dict[str, list[str]], kinds: tuple[str, ...], hashed: str) -> str:
    value = _first(props, (hashed,))
    if value:
        return value if _HASH.match(value) else context_hash(value)
    text = _first(props, kinds)
    if not text and kinds is _PREVIOUS_TEXT_PROPS:
        content = _first(props, ("x-contextcontent",))
        text = _trados_previous(content) if content else ""
    return context_hash(text)


def _origin(props: dict[str, list[str]], default: UnitOrigin) -> UnitOrigin:
    """hexaglot's x-origin when it is one of ours; a Trados x-Origin saying machine
    translation (MachineTranslation, NeuralMachineTranslation...) is MT; else ``default``."""
    for value in props.get("x-origin", ()):
        value = value.strip()
        if value in {origin.value for origin in UnitOrigin}:
            return UnitOrigin(value)
        if value.lower().endswith("machinetranslation"):
            return UnitOrigin.MT
    return default


class _TmxReader:
    """Turns <tu> elements into TM units, collecting problems on the way."""

    def __init__(self, path: Path, source_lang: str | None, target_lang: str | None,
                 origin: UnitOrigin, report: ImportReport) -> None:
        self.path, self.source_lang, self.target_lang = path, source_lang, target_lang
        self.origin, self.report = origin, report
        self.header_srclang = ""
        # (line of the <tu>, line of its last element, its units)
        self.units: list[tuple[int, int, list[TMUnit]]] = []
        self.srclang_guessed = False

    def problem(self, line: int, message: str, skipped: bool = True) -> None:
        problem = ImportProblem(self.path, line, message, skipped)
        if problem not in self.report.problems[-8:]:  # once, not once per language pair
            self.report.problems.append(problem)

    def header(self, header: etree._Element) -> None:
        self.header_srclang = (header.get("srclang") or "").strip()

    def tu(self, tu: etree._Element) -> None:
        line = tu.sourceline or 0
        self.report.units_read += 1
        problems_before = len(self.report.problems)
        segments: dict[str, tuple[str, etree._Element]] = {}
        for tuv in _children(tu, "tuv"):
            raw_lang = (tuv.get(_XML_LANG) or tuv.get("lang") or "").strip()
            where = tuv.sourceline or line
            if not raw_lang:
                self.problem(where, "a <tuv> has no xml:lang: that variant was skipped")
                continue
            lang = normalize_code(raw_lang)
            if lang is None:
                self.report.ignored_languages[raw_lang] += 1
                continue
            seg = next(iter(_children(tuv, "seg")), None)
            if seg is None:
                self.problem(where, f"the <tuv xml:lang=\"{raw_lang}\"> has no <seg>: that "
                                    "variant was skipped")
                continue
            text = _segment_text(seg)
            if not text.strip():
                self.problem(where, f"the <seg> of xml:lang=\"{raw_lang}\" is empty: that "
                                    "variant was skipped")
                continue
            segments.setdefault(lang, (text, tuv))
        units = self._pairs(tu, line, segments)
        if not units and len(segments) < 2 and len(self.report.problems) == problems_before:
            self.problem(line, "fewer than two languages hexaglot uses: the unit was skipped")
        if units:
            end = max((element.sourceline or line) for element in tu.iter())
            self.units.append((line, end, units))
        elif len(self.report.problems) > problems_before or len(segments) < 2:
            self.report.units_skipped += 1
        else:
            self.report.units_other_languages += 1

    def _pairs(self, tu: etree._Element, line: int,
               segments: dict[str, tuple[str, etree._Element]]) -> list[TMUnit]:
        declared = (tu.get("srclang") or self.header_srclang).strip()
        if self.source_lang:
            sources = [self.source_lang]  # --from overrides the file's srclang
        elif declared.lower() == _ALL:
            sources = list(segments)
        elif declared:
            code = normalize_code(declared)
            if code is None:
                self.report.ignored_languages[declared] += 1
                return []
            sources = [code]
        elif segments:
            if not self.srclang_guessed:
                self.problem(line, "no srclang in the header or the <tu>: the first <tuv> of "
                                   "each unit is taken as the source", skipped=False)
                self.srclang_guessed = True
            sources = [next(iter(segments))]
        else:
            sources = []
        if len(sources) == 1 and sources[0] not in segments and segments:
            self.problem(line, f"no <tuv> in the source language {sources[0]}: the unit was "
                               "skipped")
            return []
        units = []
        declared_code = normalize_code(declared) if declared.lower() != _ALL else None
        for source in sources:
            if source not in SOURCE_LANGUAGES or source not in segments:
                continue
            for target, (target_text, target_tuv) in segments.items():
                if target == source or target not in UN_LANGUAGES:
                    continue
                if self.target_lang and target != self.target_lang:
                    continue
                # context props are about the neighbours of the file's source segments
                units.append(self._unit(tu, line, source, target, segments[source],
                                        (target_text, target_tuv), source == declared_code))
                self.report.pairs[f"{source}-{target}"] += 1
        return units

    def _unit(self, tu: etree._Element, line: int, source: str, target: str,
              source_side: tuple[str, etree._Element], target_side: tuple[str, etree._Element],
              own_context: bool) -> TMUnit:
        source_text, source_tuv = source_side
        target_text, target_tuv = target_side
        props = _props(tu, source_tuv, target_tuv)
        created = ""
        for element, attribute in ((target_tuv, "changedate"), (target_tuv, "creationdate"),
                                   (tu, "changedate"), (tu, "creationdate")):
            value = element.get(attribute)
            if value is None:
                continue
            created = _tmx_date(value) or ""
            if not created:
                self.problem(element.sourceline or line,
                             f"{attribute}=\"{value}\" is not a TMX date (YYYYMMDDThhmmssZ): "
                             "the unit was imported with today's date", skipped=False)
            break
        notes = [(note.text or "").strip() for element in (tu, target_tuv)
                 for note in _children(element, "note") if (note.text or "").strip()]
        translator = (target_tuv.get("changeid") or target_tuv.get("creationid")
                      or tu.get("changeid") or tu.get("creationid") or "").strip()
        if translator:
            notes.append(f"translator: {translator}")
        return TMUnit(
            source_lang=source, target_lang=target, source=source_text, target=target_text,
            origin=_origin(props, self.origin), document=_first(props, _DOCUMENT_PROPS),
            created=created,
            previous_hash=_context(props, _PREVIOUS_TEXT_PROPS, "x-context-prev")
            if own_context else "",
            next_hash=_context(props, _NEXT_TEXT_PROPS, "x-context-next") if own_context else "",
            engine=_first(props, ("x-engine",)), note="; ".join(notes))


def _error_line(error: etree._LogEntry) -> int:
    """The line an XML error is about: the opening tag's for an unclosed element ("tag
    mismatch: tu line 16 and body"), else where the parser noticed it."""
    match = re.search(r"\bline (\d+)", error.message or "")
    return int(match.group(1)) if match else error.line


def _count_tu_tags(path: Path) -> int | None:
    """<tu> start tags in the raw file (not for UTF-16 files), to tell how many units the
    damage made unreadable."""
    with open(path, "rb") as handle:
        if handle.read(4).startswith((b"\xff\xfe", b"\xfe\xff")):
            return None
        handle.seek(0)
        count, tail = 0, b""
        while chunk := handle.read(1 << 20):
            data = tail + chunk  # a tag cut by the chunk boundary is whole again here
            count += len(re.findall(rb"<tu[\s>]", data))
            tail = data[-3:]  # too short to hold a whole tag: nothing counted twice
        return count


def import_tmx(tm: TranslationMemory, path: Path, source_lang: str | None = None,
               target_lang: str | None = None, on_error: str = "skip",
               origin: UnitOrigin = UnitOrigin.IMPORTED) -> ImportReport:
    """Store the units of a TMX (1.1 to 1.4b, from any CAT tool) in ``tm``.

    Every language pair of a unit is imported (source: the <tu>'s srclang, else the
    header's; ``*all*`` means every pair), unless ``source_lang`` / ``target_lang`` narrow
    it; an explicit ``source_lang`` also overrides the file's srclang. Regional codes are
    read as ours (en-US, EN-GB, zh-CN, es-419). Inline codes are dropped from the text.

    Kept with each unit: the date (the target's changedate, else its creationdate, else the
    <tu>'s), the document (hexaglot's x-document, OmegaT's file, a Trados field named
    Document or Filename), the context (hexaglot's x-context-prev/-next hashes; OmegaT's
    prev/next and memoQ's x-context-pre/-post texts, hashed; the previous segment of
    Trados's x-ContextContent; Trados's x-Context numbers are its own hashes and cannot be
    read), the origin (hexaglot's x-origin, a Trados x-Origin of machine translation as MT,
    else ``origin``), notes and the translator (changeid/creationid) as the unit's note.

    ``on_error="abort"``: the first problem (damaged XML, a unit without language or text)
    raises HexaglotError naming the file and line, and nothing is stored.
    ``on_error="skip"``: problems are listed in the report and everything readable is
    stored; damaged XML is read in libxml2's recovery mode, which keeps the units before the
    damage and usually those after it; the unit at the damage is dropped.
    """
    if on_error not in ("skip", "abort"):
        raise ValueError(f"on_error must be 'skip' or 'abort', not {on_error!r}")
    path = Path(path)
    source = normalize_code(source_lang) if source_lang else None
    target = normalize_code(target_lang) if target_lang else None
    for given, code in ((source_lang, source), (target_lang, target)):
        if given and code is None:
            raise HexaglotError(f"unknown language code {given!r}: use one of "
                                f"{', '.join(SOURCE_LANGUAGES)}")
    if not path.is_file():
        raise HexaglotError(f"{path}: cannot read the TMX file: "
                            + ("it is a folder" if path.is_dir() else "no such file"))
    report = ImportReport(path)
    reader = _TmxReader(path, source, target, origin, report)
    recover = on_error == "skip"
    try:
        events = etree.iterparse(
            str(path), events=("end",), tag=("{*}header", "header", "{*}tu", "tu"),
            recover=recover, resolve_entities=False, no_network=True, load_dtd=False,
            huge_tree=False, remove_comments=True, remove_pis=True)
        for _, element in events:
            if etree.QName(element).localname == "header":
                reader.header(element)
                continue
            reader.tu(element)
            if on_error == "abort" and any(p.skipped for p in report.problems):
                break
            element.clear(keep_tail=True)
            parent = element.getparent()  # and drop the units already read: flat memory
            if parent is not None and etree.QName(parent).localname == "body":
                while element.getprevious() is not None:  # (not inside a unit that damage
                    del parent[0]  # made the parent of the next ones)
        errors = [error for error in events.error_log
                  if error.level >= etree.ErrorLevels.ERROR] if recover else []
        root = events.root
    except OSError as error:
        raise HexaglotError(f"{path}: cannot read the TMX file: {error}") from None
    except etree.XMLSyntaxError as error:
        raise HexaglotError(
            f"{path}, line {error.lineno}: the XML is damaged ({error.msg}); nothing was "
            "imported (--on-error abort): repair the file, or import what can be read with "
            "--on-error skip") from None
    skipped_problems = [p for p in report.problems if p.skipped]
    if on_error == "abort" and skipped_problems:
        raise HexaglotError(f"{skipped_problems[0]}; nothing was imported (--on-error abort): "
                            "fix the file, or import the rest with --on-error skip")
    if root is None or etree.QName(root).localname != "tmx":
        what = f"its root element is <{etree.QName(root).localname}>" if root is not None \
            else "no XML could be read" + (f": {errors[0].message.strip()}" if errors else "")
        raise HexaglotError(f"{path}: not a TMX file ({what}); give a .tmx exported by a CAT "
                            "tool")
    if errors:
        _damage(path, errors, reader, report)
    units = [unit for _, _, tu_units in reader.units for unit in tu_units]
    offered = len(units)
    report.units_stored = tm.add(units)
    report.units_not_replaced = offered - report.units_stored
    report.problems.sort(key=lambda p: p.line)
    return report


def _damage(path: Path, errors: list, reader: _TmxReader, report: ImportReport) -> None:
    """Drop the units that XML damage falls in and say what was lost: a unit is dropped
    when an error is about a line between its <tu> and its last element (libxml2 goes on
    after the damage, and what it made of the unit there cannot be trusted)."""
    first = errors[0]
    report.damaged_at = first.line
    bad_lines = {_error_line(error) for error in errors}
    kept, dropped = [], []
    for start, end, units in reader.units:
        if any(start <= bad <= end + 1 for bad in bad_lines):
            dropped.append(start)
            for unit in units:
                report.pairs[f"{unit.source_lang}-{unit.target_lang}"] -= 1
        else:
            kept.append((start, end, units))
    report.pairs = +report.pairs  # without the pairs that lost all their units
    report.units_skipped += len(dropped)
    reader.units = kept
    message = f"the XML is damaged here ({first.message.strip()}); read in recovery mode"
    if dropped:
        lines = ", ".join(map(str, sorted(dropped)))
        message += f": the unit at line{'s' if len(dropped) > 1 else ''} {lines} skipped"
    total = _count_tu_tags(path)
    if total is not None and total > report.units_read:
        message += (f"; {total - report.units_read} unit(s) after it could not be read: "
                    "repair the file there and import it again")
    report.problems.append(ImportProblem(path, first.line, message))


# ---------------------------------------------------------------- export from a TM

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _tmx_stamp(created: str) -> str:
    """ISO 8601 (as the store keeps it) to TMX's YYYYMMDDThhmmssZ."""
    moment = datetime.fromisoformat(created) if created else datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _tu_element(unit: TMUnit) -> etree._Element:
    stamp = _tmx_stamp(unit.created)
    tu = etree.Element("tu", srclang=unit.source_lang, creationdate=stamp, changedate=stamp)
    for kind, value in (("x-origin", unit.origin.value), ("x-document", unit.document),
                        ("x-context-prev", unit.previous_hash),
                        ("x-context-next", unit.next_hash), ("x-engine", unit.engine)):
        if value:
            etree.SubElement(tu, "prop", type=kind).text = _XML_INVALID.sub("", value)
    if unit.note:
        etree.SubElement(tu, "note").text = _XML_INVALID.sub("", unit.note)
    for lang, text in ((unit.source_lang, unit.source), (unit.target_lang, unit.target)):
        tuv = etree.SubElement(tu, "tuv", {_XML_LANG: lang})
        etree.SubElement(tuv, "seg").text = _XML_INVALID.sub("", text)
    return tu


def export_tmx(tm: SQLiteTM, path: Path, source_lang: str | None = None,
               target_lang: str | None = None) -> int:
    """Write the TM's units (of one pair or direction when given) as TMX 1.4b, one <tu>
    per unit, and return how many. What the store knows goes in props: x-origin (hexaglot's
    origin, so a reimport keeps revisions ranked above MT), x-document, x-context-prev and
    x-context-next (context hashes), x-engine; the unit's note as <note>. Written to a
    temporary file and renamed: an interrupted export leaves the previous file whole."""
    path = Path(path)
    pairs = [(s, t) for s, t, _ in tm.language_pairs()
             if (not source_lang or s == normalize_code(source_lang))
             and (not target_lang or t == normalize_code(target_lang))]
    sources = {s for s, _ in pairs}
    header = {"creationtool": "hexaglot", "creationtoolversion": __version__,
              "datatype": "plaintext", "segtype": "sentence", "adminlang": "en",
              "srclang": sources.pop() if len(sources) == 1 else _ALL, "o-tmf": "hexaglot",
              "creationdate": _tmx_stamp("")}
    count = 0
    with atomic_output(path) as tmp, etree.xmlfile(str(tmp), encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element("tmx", version="1.4"):
            xf.write("\n  ")
            xf.write(etree.Element("header", header))
            xf.write("\n  ")
            with xf.element("body"):
                xf.write("\n")
                for unit in tm.iter_units(source_lang, target_lang):
                    element = _tu_element(unit)
                    etree.indent(element, space="  ", level=2)
                    xf.write("    ")
                    xf.write(element)
                    xf.write("\n")
                    count += 1
                xf.write("  ")
            xf.write("\n")
    with open(path, "ab") as handle:  # a final newline, after the root element closed
        handle.write(b"\n")
    return count
