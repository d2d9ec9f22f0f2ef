"""What a reviser sees: the review DOCX and the translated DOCX rendered by LibreOffice.

Real outputs of ``hexaglot translate`` (and of the same writers fed Arabic and Chinese
translations, as a translation memory or a human would give them) are converted to PDF with
LibreOffice headless, and the PDF is read back with poppler: Arabic must come out in
reading order, Chinese with a CJK font (no missing-glyph boxes), Spanish with its accents.

``./desk test`` installs LibreOffice, the Noto fonts and poppler-utils (see ``desk``); the
module is skipped where LibreOffice is missing.

Script mode renders page 1 of the ar, zh and es review DOCX to ``docs/rendered/``:
``PYTHONPATH=src:tests .venv/bin/python tests/test_rendering.py docs/rendered``
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import replace
from pathlib import Path

import docx
import pytest

from conftest import GLOSSARY_CSV, PRESS_RELEASE_LINES, build_programme_docx, flores
from hexaglot.cli import main
from hexaglot.document import Origin
from hexaglot.hits import check_hits
from hexaglot.pipeline import (
    Settings,
    glossary_index,
    load_document,
    translate_target,
    write_target_outputs,
)

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice (soffice) is not installed: ./desk test installs it "
           "(libreoffice-writer-nogui, fonts-noto-core, fonts-noto-cjk, poppler-utils)")

CONVERT_TIMEOUT_S = 180
SAMPLES = 5  # FLORES devtest lines per language
READING_WINDOW = 600  # characters of pdftotext -layout output: a few lines
# Bidi controls that pdftotext puts around right-to-left runs.
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                                       "\u2066\u2067\u2068\u2069"))
ARABIC_WORD = re.compile(r"^[\u0621-\u064a]{4,}$")  # letters only: no digits, no vowel marks
# pdftotext gives the lam-alef ligature back as alef-lam: words with one are left out.
LAM_ALEF = re.compile("\u0644[\u0622\u0623\u0625\u0627]")
CJK_FONT = re.compile(r"CJK|SourceHan|WenQuanYi|DroidSansFallback|AR ?PL|Sim(Sun|Hei)",
                      re.IGNORECASE)
SPANISH_ACCENTED = re.compile(r"\w*[áéíóúñüÁÉÍÓÚÑÜ]\w*")


def translate(*args: str) -> dict:
    """``hexaglot translate ... --json``, its summary parsed."""
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        code = main(["translate", *args, "--json"])
    assert code == 0, stdout.getvalue()
    return json.loads(stdout.getvalue())


def with_translations(folder: Path, source: Path, target: str, lines: list[str],
                      glossary: Path) -> list[Path]:
    """The review DOCX and translated document that the pipeline's writers produce when each
    segment's translation comes from a translation memory (here: FLORES references)."""
    settings = Settings(targets=(target,), glossaries=(glossary,), engine="human",
                        out_dir=folder)
    index = glossary_index(settings.glossaries)
    document = load_document(source, "en")
    result = translate_target(document, target, settings, index)
    matcher = index.matcher(target)
    segments = tuple(
        replace(r, target=line, origin=Origin.TM, engine="tm", notes=(), hits=tuple(check_hits(
            doc=source.name, segment_id=r.segment.id, source_lang="en", target_lang=target,
            source_hits=r.source_hits, target_text=line, target_matcher=matcher)))
        for r, line in zip(result.segments, lines, strict=False))
    result = replace(result, engines=("tm",), segments=segments)
    return write_target_outputs(document, result, settings, index.glossary)


def build_outputs(folder: Path) -> dict[str, Path]:
    """Real hexaglot outputs, by name: CLI runs en -> ar, zh, es and ar/zh -> en, and the
    writers given Arabic and Chinese translations."""
    sources, out, filled = folder / "in", folder / "out", folder / "filled"
    sources.mkdir(parents=True)
    glossary = folder / "glossary.csv"
    glossary.write_text(GLOSSARY_CSV, encoding="utf-8")
    programme = build_programme_docx(sources / "programme.docx")
    # Its own name: all PDFs go to one folder.
    tm_programme = build_programme_docx(sources / "programme-tm.docx")
    press = sources / "press-release.txt"
    press.write_text("\n".join(PRESS_RELEASE_LINES) + "\n", encoding="utf-8")
    summary = translate(str(programme), str(press), "--to", "ar,zh,es",
                        "--glossary", str(glossary), "--out", str(out))
    assert [d["error"] for d in summary["documents"]] == [None, None]
    for lang in ("ar", "zh"):  # no engine for ar/zh -> en here: left for a human
        news = sources / f"news-{lang}.txt"
        news.write_text("\n".join(flores(lang, SAMPLES)) + "\n", encoding="utf-8")
        translate(str(news), "--from", lang, "--to", "en", "--glossary", str(glossary),
                  "--out", str(out))
        with_translations(filled, tm_programme, lang, flores(lang, 40), glossary)
    return {path.relative_to(folder).as_posix(): path
            for path in sorted([*out.glob("*.docx"), *filled.glob("*.docx")])}


def convert_to_pdf(files: list[Path], folder: Path) -> None:
    """LibreOffice headless, with a profile of its own so parallel runs do not clash."""
    profile = (folder / "lo-profile").resolve()
    command = [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless",
               "--norestore", "--convert-to", "pdf", "--outdir", str(folder),
               *map(str, files)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=CONVERT_TIMEOUT_S)
    missing = [f.name for f in files if not (folder / f"{f.stem}.pdf").exists()]
    assert not missing, f"soffice did not convert {missing}: {done.stdout}{done.stderr}"


def poppler(tool: str, *args: str) -> str:
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is not installed: install poppler-utils (./desk test does)")
    return subprocess.run([tool, *args], capture_output=True, text=True, check=True,
                          timeout=60).stdout


class Rendered:
    """The PDFs of the outputs, read back once each."""

    def __init__(self, outputs: dict[str, Path], folder: Path) -> None:
        self.outputs, self.folder = outputs, folder
        self._text: dict[str, str] = {}

    def pdf(self, name: str) -> Path:
        return self.folder / f"{Path(name).stem}.pdf"

    def text(self, name: str) -> str:
        """``pdftotext -layout``, presentation forms folded and bidi controls dropped."""
        if name not in self._text:
            raw = poppler("pdftotext", "-layout", "-enc", "UTF-8", str(self.pdf(name)), "-")
            self._text[name] = unicodedata.normalize("NFKC", raw).translate(BIDI_CONTROLS)
        return self._text[name]

    def fonts(self, name: str) -> list[str]:
        lines = poppler("pdffonts", str(self.pdf(name))).splitlines()[2:]
        return [line.split()[0].partition("+")[2] or line.split()[0] for line in lines]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Rendered:
    folder = tmp_path_factory.mktemp("rendering")
    outputs = build_outputs(folder)
    pdfs = folder / "pdf"
    pdfs.mkdir()
    convert_to_pdf(list(outputs.values()), pdfs)
    return Rendered(outputs, pdfs)


def arabic_words(sentence: str) -> list[str]:
    """The words of the sentence's longest clause that pdftotext can give back exactly.

    pdftotext gives each run of Arabic words in logical order, but the runs of a line that
    digits or punctuation separate in the line's visual order: so words of one clause.
    """
    clauses = re.split(r"[^\u0621-\u064a\s]+", sentence)
    words = max(clauses, key=lambda clause: len(clause.split())).split()
    return [w for w in words if ARABIC_WORD.match(w) and not LAM_ALEF.search(w)]


def assert_in_reading_order(text: str, words: list[str]) -> None:
    """Each word soon after the one before it (a clause wraps onto a line or two of its
    table cell, other columns' text between)."""
    assert len(words) >= 3, words
    position = text.find(words[0])
    assert position >= 0, f"{words[0]!r} not in the PDF text"
    for word in words[1:]:
        found = text.find(word, position + 1, position + READING_WINDOW)
        assert found > position, (f"{word!r} does not follow the words before it: "
                                  f"not in reading order; expected order {words}")
        position = found


def assert_arabic(text: str, sentence: str) -> None:
    words = arabic_words(sentence)
    assert_in_reading_order(text, words)
    # Guards the guard: the same words backwards are not found in that order.
    with pytest.raises(AssertionError):
        assert_in_reading_order(text, words[::-1])


def assert_chinese(rendered: Rendered, name: str, sentence: str) -> None:
    fonts = rendered.fonts(name)
    assert any(CJK_FONT.search(font) for font in fonts), f"no CJK font embedded: {fonts}"
    assert not any("lastresort" in font.lower() for font in fonts), fonts
    text = rendered.text(name)
    assert "\ufffd" not in text and "\u25a1" not in text  # replacement char, white square
    flat = re.sub(r"\s+", "", text)
    sentence = unicodedata.normalize("NFKC", sentence)  # as the text: ，（） as ,()
    assert sentence[:8] in flat, f"{sentence[:8]!r} not in the PDF text of {name}"
    assert set(sentence) - set(text) <= {" "}, set(sentence) - set(text)


def test_arabic_review_of_an_arabic_source_reads_right_to_left(rendered):
    text = rendered.text("out/news-ar.en.review.docx")
    for sentence in flores("ar", SAMPLES)[:3]:
        assert_arabic(text, sentence)


def test_arabic_review_and_translated_docx_read_right_to_left(rendered):
    sentence = flores("ar", SAMPLES)[1]
    for name in ("filled/programme-tm.ar.review.docx", "filled/programme-tm.ar.docx"):
        assert_arabic(rendered.text(name), sentence)
    # The English source column of the en -> ar review stays left to right.
    review = rendered.text("filled/programme-tm.ar.review.docx")
    assert "Opening of the signing ceremony" in review


def test_english_to_arabic_outputs_render(rendered):
    """No engine covers en -> ar here: the review has empty targets, the translated DOCX
    keeps the English (as CAT tools do), laid out right to left; both convert."""
    review = rendered.text("out/programme.ar.review.docx")
    assert "needs human" in review and "Programme of events" in review
    assert "Secretary-General" in rendered.text("out/programme.ar.docx")


def test_chinese_renders_with_a_cjk_font(rendered):
    sentences = flores("zh", SAMPLES)
    assert_chinese(rendered, "out/news-zh.en.review.docx", sentences[1])
    assert_chinese(rendered, "filled/programme-tm.zh.review.docx", sentences[1])
    assert_chinese(rendered, "filled/programme-tm.zh.docx", sentences[1])


def test_spanish_accents_survive(rendered):
    translated = docx.Document(str(rendered.outputs["out/programme.es.docx"]))
    spanish = "\n".join(p.text for p in translated.paragraphs)
    press = (rendered.outputs["out/programme.es.docx"].parent / "press-release.es.txt")
    spanish += "\n" + press.read_text(encoding="utf-8")
    accented = set(SPANISH_ACCENTED.findall(spanish))
    assert accented, spanish
    pdf_text = (rendered.text("out/programme.es.docx") +
                rendered.text("out/programme.es.review.docx") +
                rendered.text("out/press-release.es.review.docx"))
    assert "Convención" in pdf_text
    missing = {word for word in accented if word not in pdf_text}
    assert not missing, f"accented words lost in the PDF: {missing}"
    assert "\ufffd" not in pdf_text


# Page 1 of each review DOCX, for docs/rendered/: a language's text where a reviser sees it.
PICTURES = {"review-ar.png": "filled/programme-tm.ar.review.docx",
            "review-zh.png": "filled/programme-tm.zh.review.docx",
            "review-es.png": "out/press-release.es.review.docx"}


def render_pictures(destination: Path, resolution: int = 60) -> list[Path]:
    destination.mkdir(parents=True, exist_ok=True)
    destination = destination.resolve()
    with (tempfile.TemporaryDirectory(prefix="hexaglot-render-") as scratch,
          contextlib.chdir(scratch)):  # relative paths: no scratch folder on the cover
        folder = Path(".")
        outputs = build_outputs(folder)
        pdfs = folder / "pdf"
        pdfs.mkdir()
        convert_to_pdf([outputs[name] for name in PICTURES.values()], pdfs)
        written = []
        for picture, name in PICTURES.items():
            stem = pdfs / Path(picture).stem
            poppler("pdftoppm", "-png", "-r", str(resolution), "-f", "1", "-l", "1",
                    "-singlefile", str(pdfs / f"{Path(name).stem}.pdf"), str(stem))
            written.append(Path(shutil.copy(f"{stem}.png", destination / picture)))
    return written


if __name__ == "__main__":
    for path in render_pictures(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/rendered")):
        print(f"{path} ({path.stat().st_size // 1024} KB)")
