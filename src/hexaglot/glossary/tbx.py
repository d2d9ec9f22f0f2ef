"""TBX-Basic glossaries: the 2008 ``martif`` dialect and the ISO 30042:2019 ``tbx`` one.

Parsed with lxml with entity resolution, DTD loading and network access switched off, so a
glossary file cannot expand entities or reach outside (billion laughs, XXE).
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from hexaglot.document import HexaglotError
from hexaglot.glossary.model import Concept, Term, TermStatus
from hexaglot.languages import normalize_code

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

_STATUS = {
    "preferredterm-admn-sts": TermStatus.PREFERRED,
    "preferredterm": TermStatus.PREFERRED,
    "admittedterm-admn-sts": TermStatus.ADMITTED,
    "admittedterm": TermStatus.ADMITTED,
    "deprecatedterm-admn-sts": TermStatus.DEPRECATED,
    "deprecatedterm": TermStatus.DEPRECATED,
    "supersededterm-admn-sts": TermStatus.DEPRECATED,
    "supersededterm": TermStatus.DEPRECATED,
    "forbiddenterm": TermStatus.FORBIDDEN,
    "notrecommended": TermStatus.FORBIDDEN,
}


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, remove_comments=True)


def _local(element) -> str:
    return etree.QName(element).localname


def read(path: Path) -> list[Concept]:
    try:
        tree = etree.parse(str(path), _parser())
    except etree.XMLSyntaxError as error:
        raise HexaglotError(
            f"{path}: line {error.lineno}: not well-formed XML: {error.msg}"
        ) from None
    concepts: list[Concept] = []
    seen: dict[str, int] = {}
    for entry in tree.iter():
        if not isinstance(entry.tag, str) or _local(entry) not in ("termEntry", "conceptEntry"):
            continue
        concept_id = entry.get("id", "").strip()
        where = f"{path}: line {entry.sourceline}"
        if not concept_id:
            raise HexaglotError(f"{where}: entry without an id attribute")
        if concept_id in seen:
            raise HexaglotError(f"{where}: entry id {concept_id!r} already used on line "
                                f"{seen[concept_id]}")
        seen[concept_id] = entry.sourceline
        subject = note = ""
        terms: list[Term] = []
        for child in entry:
            if not isinstance(child.tag, str):
                continue
            name = _local(child)
            if name == "descrip" and child.get("type") == "subjectField":
                subject = (child.text or "").strip()
            elif name == "note":
                note = (child.text or "").strip()
            elif name == "langSet":
                raw_lang = child.get(_XML_LANG, "")
                lang = normalize_code(raw_lang)
                if lang is None:
                    raise HexaglotError(f"{path}: line {child.sourceline}: entry {concept_id}: "
                                        f"unknown language {raw_lang!r}")
                terms.extend(_terms(child, lang, path, concept_id))
        concepts.append(Concept(id=concept_id, terms=tuple(terms), subject=subject, note=note,
                                source=str(path)))
    if not concepts:
        raise HexaglotError(f"{path}: no termEntry/conceptEntry found: is this a TBX file?")
    return concepts


def _terms(lang_set, lang: str, path: Path, concept_id: str):
    for holder in lang_set:
        if not isinstance(holder.tag, str) or _local(holder) not in ("tig", "ntig", "termSec"):
            continue
        text = ""
        status = TermStatus.PREFERRED
        term_type = "fullForm"
        for element in holder.iter():
            if not isinstance(element.tag, str):
                continue
            name = _local(element)
            if name == "term":
                text = "".join(element.itertext()).strip()
            elif name == "termNote" and element.get("type") in (
                "administrativeStatus", "normativeAuthorization"
            ):
                value = (element.text or "").strip()
                if value.lower() not in _STATUS:
                    raise HexaglotError(f"{path}: line {element.sourceline}: entry {concept_id}: "
                                        f"unknown term status {value!r}")
                status = _STATUS[value.lower()]
            elif name == "termNote" and element.get("type") == "termType":
                term_type = (element.text or "").strip() or term_type
        if text:
            yield Term(text=text, lang=lang, status=status, term_type=term_type)
