"""Plain text: one block per non-empty line, written back line for line.

Desk tools diff and align ``.txt`` outputs by line number, so the translated file has
exactly as many lines as the source, empty lines stay empty, and line endings are kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from hexaglot.atomic import write_text_atomic
from hexaglot.document import Block, Document, HexaglotError

NAME = "text"


def read_lines(path: Path) -> tuple[list[str], str]:
    """Decode a UTF-8 file (BOM tolerated) into lines and the newline it uses."""
    raw = path.read_bytes()
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise HexaglotError(
            f"{path}: line {line} is not valid UTF-8: re-save the file as UTF-8"
        ) from None
    newline = "\r\n" if "\r\n" in content else "\n"
    lines = content.replace("\r\n", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # a final newline ends the last line; it is not an extra empty line
    return lines, newline


def read(path: Path) -> Document:
    lines, _ = read_lines(path)
    blocks = tuple(
        Block(index=number, text=line.strip(), location=f"line {number + 1}", kind="line")
        for number, line in enumerate(lines)
        if line.strip()
    )
    return Document(path=path, format=NAME, blocks=blocks)


def write(document: Document, block_texts: Mapping[int, str], target_lang: str, path: Path,
          spans: Mapping | None = None) -> None:
    """``spans`` (inline codes per block) is for formats that have inline formatting."""
    lines, newline = read_lines(document.path)
    out = []
    for number, line in enumerate(lines):
        if number in block_texts:
            indent = line[: len(line) - len(line.lstrip())]
            out.append(indent + block_texts[number].replace("\n", " "))
        else:
            out.append(line)
    write_text_atomic(path, "\n".join(out) + "\n", newline=newline)
