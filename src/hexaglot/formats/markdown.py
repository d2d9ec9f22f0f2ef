"""Markdown: one block per line, with the line's markup kept out of translation.

Headings, list bullets, numbers and quote marks (``## ``, ``- ``, ``1. ``, ``> ``) frame the
text and are put back unchanged; fenced code is copied verbatim, never translated.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from hexaglot.atomic import write_text_atomic
from hexaglot.document import Block, Document
from hexaglot.formats.text import read_lines

NAME = "markdown"

_PREFIX = re.compile(r"^(\s*(?:>\s*)*(?:#{1,6}\s+|[-*+]\s+|\d{1,3}[.)]\s+)?)")
_FENCE = re.compile(r"^\s*(```|~~~)")


def _translatable_lines(lines: list[str]):
    in_fence = False
    for number, line in enumerate(lines):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence or not line.strip():
            continue
        prefix = _PREFIX.match(line).group(1)
        body = line[len(prefix):].rstrip()
        if body:
            yield number, prefix, body


def read(path: Path) -> Document:
    lines, _ = read_lines(path)
    blocks = []
    for number, prefix, body in _translatable_lines(lines):
        kind = "heading" if prefix.lstrip().startswith("#") else (
            "list-item" if prefix.strip() else "paragraph"
        )
        blocks.append(Block(index=number, text=body, location=f"line {number + 1}",
                            kind=kind, prefix=prefix))
    return Document(path=path, format=NAME, blocks=tuple(blocks))


def write(document: Document, block_texts: Mapping[int, str], target_lang: str, path: Path,
          spans: Mapping | None = None) -> None:
    """``spans`` (inline codes per block) is for formats that have inline formatting."""
    lines, newline = read_lines(document.path)
    out = list(lines)
    for number, prefix, _body in _translatable_lines(lines):
        if number in block_texts:
            out[number] = prefix + block_texts[number].replace("\n", " ")
    write_text_atomic(path, "\n".join(out) + "\n", newline=newline)
