"""A briefing pack as LibreOffice renders it: the Arabic pack right to left in reading
order, the Chinese one with a CJK font. Skipped where LibreOffice is missing.

Script mode renders page 1 of the Arabic and Chinese packs of the sample's opening session
to ``docs/rendered/``:
``PYTHONPATH=src:tests .venv/bin/python tests/test_briefing_rendering.py docs/rendered``
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import unicodedata
from pathlib import Path

import pytest

from conftest import REPO
from hexaglot.briefing import Briefing
from hexaglot.briefing.pack import write_pack_docx
from hexaglot.config import load_config
from hexaglot.pipeline import Settings
from test_rendering import (
    BIDI_CONTROLS,
    CJK_FONT,
    SOFFICE,
    arabic_words,
    assert_in_reading_order,
    convert_to_pdf,
    poppler,
)

pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not "
                                                        "installed: ./desk test installs it")
PROGRAMME = REPO / "docs_in" / "briefing" / "programme.md"
SESSION = "2025-10-25-0900"


def build_packs(folder: Path, langs=("ar", "zh")) -> dict[str, Path]:
    config = load_config()
    settings = Settings(targets=tuple(langs), glossaries=config.glossaries,
                        routing=config.routing, checks=config.checks, out_dir=folder)
    briefing = Briefing(PROGRAMME, None, settings)
    session = briefing.programme.session(SESSION)
    packs = {}
    for lang in langs:
        packs[lang] = folder / f"{SESSION}.{lang}.briefing.docx"
        write_pack_docx(briefing.pack(session, lang), packs[lang])
    return packs


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("briefing-rendering")
    packs = build_packs(folder)
    convert_to_pdf(list(packs.values()), folder)
    return {lang: folder / f"{path.stem}.pdf" for lang, path in packs.items()}


def pdf_text(pdf: Path) -> str:
    raw = poppler("pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-")
    return unicodedata.normalize("NFKC", raw).translate(BIDI_CONTROLS)


def test_arabic_pack_renders_right_to_left_in_reading_order(rendered):
    text = pdf_text(rendered["ar"])
    # words pdftotext gives back exactly (no lam-alef ligature), as test_rendering does
    title = arabic_words("الجلسة الافتتاحية الرفيعة المستوى")
    president = arabic_words("رئيس جمهورية فييت نام الاشتراكية")
    assert_in_reading_order(text, title)
    assert_in_reading_order(text, president)
    with pytest.raises(AssertionError):  # the guard guards: backwards is not found
        assert_in_reading_order(text, president[::-1])
    assert "Lương Cường" in text and "2,500" in text


def test_chinese_pack_renders_with_a_cjk_font(rendered):
    fonts = poppler("pdffonts", str(rendered["zh"]))
    assert CJK_FONT.search(fonts), fonts
    flat = "".join(pdf_text(rendered["zh"]).split())
    for words in ("高级别开幕会议", "越南社会主义共和国主席", "2025年10月25日星期六"):
        assert words in flat, words


def render_pictures(destination: Path, resolution: int = 75) -> list[Path]:
    destination.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="hexaglot-briefing-") as scratch:
        folder = Path(scratch)
        packs = build_packs(folder)
        convert_to_pdf(list(packs.values()), folder)
        for lang, pack in packs.items():
            stem = folder / f"briefing-{lang}"
            poppler("pdftoppm", "-png", "-r", str(resolution), "-f", "1", "-l", "1",
                    "-singlefile", str(folder / f"{pack.stem}.pdf"), str(stem))
            written.append(Path(shutil.copy(f"{stem}.png", destination / f"briefing-{lang}.png")))
    return written


if __name__ == "__main__":
    for path in render_pictures(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/rendered")):
        print(f"{path} ({path.stat().st_size // 1024} KB)")
