"""TBX-Basic glossaries: the 2008 ``martif`` dialect and the ISO 30042:2019 ``tbx`` one.

Parsed with lxml with entity resolution, DTD loading and network access switched off, so a
glossary file cannot expand entities or reach outside (billion laughs, XXE).

Statuses follow TBX-Basic's ``administrativeStatus`` picklist, whose definitions decide the
mapping: ``deprecatedTerm-admn-sts`` is "a term that should not be used", which is what a
desk calls *forbidden*; ``supersededTerm-admn-sts`` is "formerly admitted, now replaced",
which is what hexaglot calls *deprecated*. Both are reported to reviewers as forms to avoid.

Exclusions (set phrases in which the concept's terms in a language have another sense) are
language-level notes that begin with ``not-in:``, one per phrase, written before the terms:
``<note>not-in: вид спорта</note>``. ``note`` is allowed in every ``langSet``/``langSec``
by the TBX core structure of both dialects, so the file stays valid TBX-Basic, and a tool
that does not know the convention shows a readable note instead of dropping or refusing
it. See docs/glossary-format.md.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from lxml import etree

from hexaglot.atomic import write_bytes_atomic
from hexaglot.glossary.model import Concept, Exclusion, Term, TermStatus
from hexaglot.glossary.problems import GlossaryFile, error
from hexaglot.glossary.wide import language_problem
from hexaglot.languages import normalize_code
from hexaglot.safe_xml import safe_parser

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TBX_2019_NAMESPACE = "urn:iso:std:iso:30042:ed-2"
DIALECTS = ("2019", "2008")

_READ_STATUS = {
    "preferredterm-admn-sts": TermStatus.PREFERRED,
    "preferredterm": TermStatus.PREFERRED,
    "standardizedterm-admn-sts": TermStatus.PREFERRED,
    "admittedterm-admn-sts": TermStatus.ADMITTED,
    "admittedterm": TermStatus.ADMITTED,
    "deprecatedterm-admn-sts": TermStatus.FORBIDDEN,
    "deprecatedterm": TermStatus.FORBIDDEN,
    "forbiddenterm": TermStatus.FORBIDDEN,
    "notrecommended": TermStatus.FORBIDDEN,
    "supersededterm-admn-sts": TermStatus.DEPRECATED,
    "supersededterm": TermStatus.DEPRECATED,
}
_WRITE_STATUS = {
    TermStatus.PREFERRED: "preferredTerm-admn-sts",
    TermStatus.ADMITTED: "admittedTerm-admn-sts",
    TermStatus.FORBIDDEN: "deprecatedTerm-admn-sts",
    TermStatus.DEPRECATED: "supersededTerm-admn-sts",
}
EXCLUSION_PREFIX = "not-in:"
_TERM_TYPES = {"fullForm", "abbreviation", "acronym", "shortForm", "variant", "phrase",
               "initialism", "formula", "equation", "logicalExpression", "symbol",
               "standardText", "internationalism"}


def _local(element) -> str:
    return etree.QName(element).localname


def _children(element):
    return [child for child in element if isinstance(child.tag, str)]


def _text(element) -> str:
    """An element's text as written (inline markup such as <hi> flattened)."""
    return "".join(element.itertext())


def read(path: Path) -> GlossaryFile:
    """Read a TBX file of either dialect, collecting problems with line and entry id."""
    result = GlossaryFile(str(path), [], [], [])
    try:
        # Parsed from bytes, so that a wrong declared encoding is a syntax error with a line.
        tree = etree.parse(io.BytesIO(path.read_bytes()), safe_parser())
    except etree.XMLSyntaxError as problem:
        message = problem.msg
        if "encoding" in message.lower() or "utf-8" in message.lower():
            message += " (the XML declaration's encoding does not match the bytes)"
        result.problems.append(error(path, f"line {problem.lineno}",
                                     f"not well-formed XML: {message}"))
        return result
    for entity in tree.iter(etree.Entity):
        result.problems.append(error(
            path, f"line {entity.sourceline}", f"entity reference {entity.text}: entities are "
            "not expanded in glossaries (a common attack); write the text out"))
        break
    root = tree.getroot()
    if _local(root) not in ("martif", "tbx"):
        result.problems.append(error(path, "line 1", f"root element <{_local(root)}> is neither "
                                     "<martif> (TBX 2008) nor <tbx> (TBX 2019)"))
        return result
    for entry in root.iter():
        if isinstance(entry.tag, str) and _local(entry) in ("termEntry", "conceptEntry"):
            _read_entry(entry, path, result)
    if not result.concepts and not result.problems:
        result.problems.append(error(path, "file", "no termEntry/conceptEntry found"))
    return result


def _read_entry(entry, path: Path, result: GlossaryFile) -> None:
    concept_id = entry.get("id", "").strip()
    where = f"line {entry.sourceline}, entry {concept_id or '(no id)'}"
    fields = {"subject": "", "definition": "", "note": ""}
    terms: list[Term] = []
    exclusions: list[Exclusion] = []
    for child in _children(entry):
        name = _local(child)
        if name in ("descrip", "descripGrp", "note", "admin", "adminGrp", "transacGrp",
                    "ref", "xref"):
            _read_entry_field(child, fields)
        elif name in ("langSet", "langSec"):
            raw_lang = child.get(_XML_LANG, "")
            lang = normalize_code(raw_lang)
            lang_where = f"line {child.sourceline}, entry {concept_id}"
            if lang is None:
                result.problems.append(language_problem(
                    str(path), lang_where, raw_lang, prefix="", ignored="its terms are ignored",
                    unknown=f"unknown language code {raw_lang!r} in xml:lang: use an ISO 639 "
                    "code such as 'fr' or 'zh-CN'"))
                continue
            for sub in _children(child):
                sub_name = _local(sub)
                if sub_name in ("tig", "ntig", "termSec"):
                    term = _read_term(sub, lang, path, concept_id, result)
                    if term is not None:
                        terms.append(term)
                elif sub_name in ("descrip", "descripGrp") and not fields["definition"]:
                    _read_entry_field(sub, fields, definition_only=True)
                elif sub_name == "note":
                    phrase = _exclusion(sub)
                    if phrase is not None:
                        exclusions.append(Exclusion(phrase, lang))
    result.add(Concept(id=concept_id, terms=tuple(terms), subject=fields["subject"],
                       definition=fields["definition"], note=fields["note"],
                       exclusions=tuple(exclusions), source=str(path)), where)


def _exclusion(note) -> str | None:
    """The phrase of a language-level ``not-in:`` note as written after the prefix and its
    space (the validator judges the rest), or None for another note."""
    text = _text(note).strip()
    if not text.casefold().startswith(EXCLUSION_PREFIX):
        return None
    return text[len(EXCLUSION_PREFIX):].removeprefix(" ")


def _read_entry_field(element, fields: dict[str, str], definition_only: bool = False) -> None:
    name = _local(element)
    if name in ("descripGrp", "adminGrp"):
        for child in _children(element):
            if _local(child) in ("descrip", "admin", "note"):
                _read_entry_field(child, fields, definition_only)
        return
    kind = element.get("type", "")
    value = _text(element).strip()
    if name == "descrip" and kind == "definition" and not fields["definition"]:
        fields["definition"] = value
    elif definition_only:
        return
    elif name == "descrip" and kind == "subjectField" and not fields["subject"]:
        fields["subject"] = value
    elif name == "note" and value:
        fields["note"] = f"{fields['note']}\n{value}" if fields["note"] else value


def _read_term(holder, lang: str, path: Path, concept_id: str,
               result: GlossaryFile) -> Term | None:
    text: str | None = None
    status = TermStatus.PREFERRED
    term_type = "fullForm"
    part_of_speech = note = ""
    for element in holder.iter():
        if not isinstance(element.tag, str):
            continue
        name = _local(element)
        where = f"line {element.sourceline}, entry {concept_id}"
        value = _text(element).strip()
        kind = element.get("type", "")
        if name == "term":
            text = _text(element)
        elif name == "termNote" and kind in ("administrativeStatus", "normativeAuthorization"):
            if value.lower() not in _READ_STATUS:
                result.problems.append(error(
                    path, where, f"unknown term status {value!r}: use preferredTerm-admn-sts, "
                    "admittedTerm-admn-sts, deprecatedTerm-admn-sts or supersededTerm-admn-sts",
                    lang))
            else:
                status = _READ_STATUS[value.lower()]
        elif name == "termNote" and kind == "termType":
            if value not in _TERM_TYPES:
                result.problems.append(error(path, where, f"unknown termType {value!r}", lang))
            term_type = value or term_type
        elif name == "termNote" and kind == "partOfSpeech":
            part_of_speech = value
        elif name == "note" and value:
            note = f"{note}\n{value}" if note else value
    if text is None:
        result.problems.append(error(path, f"line {holder.sourceline}, entry {concept_id}",
                                     f"<{_local(holder)}> without a <term>", lang))
        return None
    return Term(text=text, lang=lang, status=status, term_type=term_type,
                part_of_speech=part_of_speech, note=note)


def write(concepts: Sequence[Concept], path: Path, dialect: str = "2019",
          title: str = "") -> None:
    """Write TBX-Basic: the 2019 dialect (``tbx``, DCA style) by default, or 2008 ``martif``
    for older tools (Trados MultiTerm, memoQ and Okapi read both)."""
    if dialect not in DIALECTS:
        raise ValueError(f"TBX dialect must be one of {DIALECTS}, not {dialect!r}")
    modern = dialect == "2019"
    ns = f"{{{TBX_2019_NAMESPACE}}}" if modern else ""

    def sub(parent, tag: str, text: str | None = None, **attributes):
        element = etree.SubElement(parent, ns + tag, **attributes)
        if text is not None:
            element.text = text
        return element

    if modern:
        root = etree.Element(ns + "tbx", nsmap={None: TBX_2019_NAMESPACE},
                             type="TBX-Basic", style="dca")
        header = sub(root, "tbxHeader")
    else:
        root = etree.Element("martif", type="TBX-Basic")
        header = sub(root, "martifHeader")
    root.set(_XML_LANG, "en")
    file_desc = sub(header, "fileDesc")
    if title:
        sub(sub(file_desc, "titleStmt"), "title", title)
    sub(sub(file_desc, "sourceDesc"), "p", "written by hexaglot")
    body = sub(sub(root, "text"), "body")
    for concept in concepts:
        entry = sub(body, "conceptEntry" if modern else "termEntry", id=concept.id)
        if concept.subject:
            sub(entry, "descrip", concept.subject, type="subjectField")
        if concept.definition:
            sub(entry, "descrip", concept.definition, type="definition")
        if concept.note:
            sub(entry, "note", concept.note)
        languages = list(dict.fromkeys(item.lang for item in (*concept.terms,
                                                              *concept.exclusions)))
        for lang in languages:
            lang_set = sub(entry, "langSec" if modern else "langSet")
            lang_set.set(_XML_LANG, lang)
            # before the terms: the 2008 core structure puts a langSet's notes first
            for phrase in concept.exclusions_in(lang):
                sub(lang_set, "note", f"{EXCLUSION_PREFIX} {phrase.text}")
            for term in concept.terms_in(lang):
                holder = sub(lang_set, "termSec" if modern else "tig")
                sub(holder, "term", term.text)
                if term.part_of_speech:
                    sub(holder, "termNote", term.part_of_speech, type="partOfSpeech")
                if term.term_type != "fullForm":
                    sub(holder, "termNote", term.term_type, type="termType")
                sub(holder, "termNote", _WRITE_STATUS[term.status], type="administrativeStatus")
                if term.note:
                    sub(holder, "note", term.note)
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    if modern:
        model = (b'<?xml-model href="https://raw.githubusercontent.com/LTAC-Global/'
                 b'TBX-Basic_dialect/master/DCA/TBXcoreStructV03_TBX-Basic_integrated.rng" '
                 b'type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>\n')
        declaration, _, rest = data.partition(b"\n")
        data = declaration + b"\n" + model + rest
    write_bytes_atomic(path, data)
