"""Reading TMX 1.4 files: the exchange format of every CAT tool's translation memory.

Parsed with lxml with entity expansion and network access off, as for TBX: a TMX from
outside the desk is untrusted input.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from hexaglot.document import HexaglotError
from hexaglot.languages import normalize_code
from hexaglot.safe_xml import safe_parser

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
