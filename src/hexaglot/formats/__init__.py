"""File formats: one module each, with ``read(path) -> Document`` and ``write(...)``.

A writer receives the translated text of each block (by block index), and the inline codes
placed over it (``spans=``, :mod:`hexaglot.inline`), and produces the target file with the
source's layout, so formats never see MT or glossaries.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from hexaglot.document import HexaglotError
from hexaglot.formats import docx, markdown, text

FORMATS: dict[str, ModuleType] = {".docx": docx, ".txt": text, ".md": markdown}


def format_for(path: Path) -> ModuleType:
    """The format module for a file, chosen by extension, or a clear error."""
    module = FORMATS.get(path.suffix.lower())
    if path.suffix.lower() in (".docm", ".dotm"):
        raise HexaglotError(
            f"{path}: a macro-enabled Word file: hexaglot refuses it rather than carry "
            "macros into translations sent to delegations; in Word, save it as .docx "
            "(File > Save As > Word Document), which drops the macros")
    if module is None:
        accepted = ", ".join(sorted(FORMATS))
        raise HexaglotError(
            f"{path}: unsupported file type {path.suffix or '(no extension)'!r}; "
            f"hexaglot reads {accepted}: convert the file (e.g. save a .doc or .odt as .docx)"
        )
    return module


def read_document(path: Path):
    """Read any supported file, failing with one line that names the file and the fix."""
    if not path.exists():
        raise HexaglotError(f"{path}: no such file: check the path")
    if path.is_dir():
        raise HexaglotError(f"{path}: is a folder: pass the documents inside it")
    document = format_for(path).read(path)
    if not any(block.text.strip() for block in document.blocks):
        raise HexaglotError(f"{path}: the document is empty: there is no text to translate")
    return document
