"""The shared vocabulary of every stage: documents, blocks and segments.

Readers turn a file into a :class:`Document` made of :class:`Block` objects (a paragraph,
a table cell, a header line...). The segmenter cuts each block into :class:`Segment`
objects. Writers put translated segments back into the block they came from, which is why
a segment carries its block index and a block carries its location in the source file.
Everything here is plain frozen data so that stages can run in threads or processes and be
cached by content.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path


class HexaglotError(Exception):
    """An error the user can fix; its message names the file or entry and what to do."""


class Origin(StrEnum):
    """Where a target segment came from; reviewers weigh each origin differently."""

    MT = "mt"
    TM = "tm"
    HUMAN = "human"  # left for a human translator: no engine covers the pair
    COPY = "copy"  # nothing to translate (numbers, codes, URLs only)


@dataclass(frozen=True)
class InlineSpan:
    """Inline formatting over a stretch of text, as an opaque code (Okapi's inline codes).

    ``code`` names, for the format that read the text, what to put back: run properties,
    a hyperlink, a field. A *paired* span formats the text ``[start, end)`` it covers. An
    *isolated* span is an object in the text (image, note reference, bookmark, field): it
    sits at ``start``, and the text it covers, if any, is its own (a field's displayed
    result), never translated. Every stage but the format passes codes through untouched;
    ``label`` says in words what the code is ("bold", "link", "footnote reference") for
    notes and reports.
    """

    start: int
    end: int
    code: str
    isolated: bool = False
    label: str = ""

    def shifted(self, offset: int) -> InlineSpan:
        return replace(self, start=self.start + offset, end=self.end + offset)


@dataclass(frozen=True)
class Block:
    """A unit of text as laid out in the source: one paragraph, cell, header line.

    ``location`` is a human-readable address ("body paragraph 3", "table 1 row 2 cell 1",
    "line 12") used in messages and the review document. ``prefix``/``suffix`` hold
    non-translatable text that frames the block (a Markdown ``## `` or ``- ``).
    """

    index: int
    text: str
    location: str
    kind: str = "paragraph"  # paragraph, heading, cell, header, footer, line, list-item
    prefix: str = ""
    suffix: str = ""
    # Inline formatting over ``text`` (DOCX); empty for plain formats.
    spans: tuple[InlineSpan, ...] = ()


@dataclass(frozen=True)
class Segment:
    """A sentence (or sentence-like piece) of a block, the unit of translation and review."""

    id: str
    block_index: int
    text: str
    lang: str
    # Text between this segment and the next inside the block (usually a space); writers
    # keep it so that a paragraph's spacing survives translation.
    trailing: str = ""
    # The block's inline formatting that falls in this segment, offsets into ``text``.
    spans: tuple[InlineSpan, ...] = ()


@dataclass(frozen=True)
class Document:
    """A source document after reading: its blocks in reading order and its language."""

    path: Path
    format: str
    blocks: tuple[Block, ...]
    lang: str | None = None
    segments: tuple[Segment, ...] = field(default=())

    @property
    def stem(self) -> str:
        return self.path.stem

    @property
    def checksum(self) -> str:
        """Content hash of the source file, for run records and incremental batches."""
        return hashlib.sha256(self.path.read_bytes()).hexdigest()

    def text(self) -> str:
        return "\n".join(block.text for block in self.blocks)
