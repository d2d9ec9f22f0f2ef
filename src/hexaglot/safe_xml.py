"""One lxml parser for every XML file that comes from outside the desk (TBX, TMX).

Entity expansion, DTD loading and network access are off: a hostile file cannot expand a
billion laughs or read a local file through an external entity.
"""

from __future__ import annotations

from lxml import etree


def safe_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False, remove_comments=True,
                           remove_pis=True)
