"""Regenerate the real-world DOCX corpus in tests/data/real_docx/ with LibreOffice.

Run from anywhere:  python scripts/build_real_docx.py   (needs ``soffice`` on the PATH)

The sources in tests/data/real_docx/sources/ are documents as desks receive them, written
as OpenDocument or HTML so that LibreOffice, not hexaglot or python-docx, writes the Word
files (``soffice --convert-to docx:"MS Word 2007 XML"``):

* ``*.fodt.body.xml``: flat OpenDocument, each the continuation of ``head.fodt.xml``
  (shared namespaces, styles and page layouts) with its own master pages and body;
* ``*.html``: HTML pages, imported as Writer documents;
* ``public/*.odt``: documents under a free licence that nobody here wrote (see
  ``public/LICENSES.md``), converted as they are.

``{{LOGO}}`` and ``{{FLAG}}`` in a source stand for ``logo.png`` and ``flag.png`` (base64),
so that every image is embedded. The generated .docx files are committed: the tests do not
need LibreOffice to read them (they use it to check the translations open).
"""

from __future__ import annotations

import base64
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "real_docx"
SOURCES = CORPUS / "sources"


def _images(text: str) -> str:
    for name in ("logo", "flag"):
        data = base64.b64encode((SOURCES / f"{name}.png").read_bytes()).decode()
        text = text.replace("{{" + name.upper() + "}}", data)
    return text


def _prepared(work: Path) -> list[Path]:
    """The sources as LibreOffice opens them, in a scratch folder."""
    head = (SOURCES / "head.fodt.xml").read_text(encoding="utf-8")
    prepared = []
    for body in sorted(SOURCES.glob("*.fodt.body.xml")):
        target = work / body.name.replace(".fodt.body.xml", ".fodt")
        text = head + _images(body.read_text(encoding="utf-8")) + "\n</office:document>\n"
        target.write_text(text, encoding="utf-8")
        prepared.append(target)
    for page in sorted(SOURCES.glob("*.html")):
        target = work / page.name
        target.write_text(_images(page.read_text(encoding="utf-8")), encoding="utf-8")
        prepared.append(target)
    for document in sorted((SOURCES / "public").glob("*.odt")):
        prepared.append(Path(shutil.copy(document, work / document.name)))
    return prepared


def _convert(files: list[Path], out: Path, profile: Path,
             input_filter: str | None = None) -> None:
    if not files:
        return
    # A profile of its own: the conversion works beside a LibreOffice already running.
    command = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
               "--norestore"]
    if input_filter:
        command.append(f"--infilter={input_filter}")
    command += ["--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out),
                *(str(f) for f in files)]
    subprocess.run(command, check=True, capture_output=True, timeout=600)


def main() -> int:
    if shutil.which("soffice") is None:
        print("soffice (LibreOffice) is needed to build the corpus", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        files = _prepared(work)
        out = work / "out"
        out.mkdir()
        html = [f for f in files if f.suffix == ".html"]
        _convert([f for f in files if f.suffix != ".html"], out, work / "profile")
        _convert(html, out, work / "profile", "HTML (StarWriter)")
        made = sorted(out.glob("*.docx"))
        missing = {f.stem for f in files} - {m.stem for m in made}
        if missing:
            print(f"LibreOffice did not convert: {', '.join(sorted(missing))}", file=sys.stderr)
            return 1
        for document in made:
            shutil.copy(document, CORPUS / document.name)
            print(CORPUS / document.name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
