"""Which language a document is in, on professional text in all eight scripts we accept."""

from __future__ import annotations

import pytest

from conftest import flores
from hexaglot.document import HexaglotError
from hexaglot.languages import detect_language, normalize_code, parse_language_list


@pytest.mark.parametrize("lang", ["en", "ar", "zh", "fr", "ru", "es", "id", "vi"])
def test_detects_each_language_on_real_paragraphs(lang):
    misses = []
    for start in range(0, 200, 10):  # 20 paragraphs of 10 sentences each
        paragraph = " ".join(flores(lang, count=10, start=start))
        if detect_language(paragraph) != lang:
            misses.append(start)
    assert not misses


def test_too_little_text_is_not_guessed():
    assert detect_language("OK 2025") is None


def test_codes():
    assert normalize_code("zh-CN") == "zh" and normalize_code("es_419") == "es"
    assert normalize_code("fra") == "fr" and normalize_code("tlh") is None
    assert parse_language_list("es, FR,es", allowed=("es", "fr"), what="target") == ["es", "fr"]
    with pytest.raises(HexaglotError, match="unknown target language code 'vi'"):
        parse_language_list("vi", allowed=("ar", "zh", "en", "fr", "ru", "es"), what="target")
