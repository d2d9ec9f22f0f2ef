"""Sentence segmentation in each language: the unit of MT, TM and review."""

from __future__ import annotations

import pytest

from conftest import flores
from hexaglot.segment import split_sentences

CASES = {
    "en": ("Mr. Guterres spoke at 9 a.m. in Hanoi. The U.N. delegations then signed! Why now?",
           ["Mr. Guterres spoke at 9 a.m. in Hanoi.", "The U.N. delegations then signed!",
            "Why now?"]),
    "es": ("El Sr. Guterres habló en Hanói. ¿Firmarán los Estados Miembros? Sí.",
           ["El Sr. Guterres habló en Hanói.", "¿Firmarán los Estados Miembros?", "Sí."]),
    "fr": ("M. Guterres a pris la parole. Les États Membres ont signé !",
           ["M. Guterres a pris la parole.", "Les États Membres ont signé !"]),
    "ru": ("Генеральный секретарь выступил, т. е. открыл церемонию. Государства-члены подписали.",
           ["Генеральный секретарь выступил, т. е. открыл церемонию.",
            "Государства-члены подписали."]),
    "ar": ("افتتح الأمين العام الحفل. هل وقعت الدول الأعضاء؟ نعم.",
           ["افتتح الأمين العام الحفل.", "هل وقعت الدول الأعضاء؟", "نعم."]),
    "zh": ("秘书长宣布仪式开幕。会员国签署了公约！为什么？",
           ["秘书长宣布仪式开幕。", "会员国签署了公约！", "为什么？"]),
}


@pytest.mark.parametrize("lang", sorted(CASES))
def test_sentences_per_language(lang):
    text, expected = CASES[lang]
    assert [sentence for sentence, _ in split_sentences(text, lang)] == expected


@pytest.mark.parametrize("lang", ["en", "ar", "zh", "fr", "ru", "es", "id", "vi"])
def test_segments_join_back_to_the_exact_text_on_real_text(lang):
    """Writers rebuild paragraphs from segments: nothing may be lost or added, in any script."""
    paragraph = " ".join(flores(lang, count=40))
    pieces = split_sentences(paragraph, lang)
    assert "".join(sentence + trailing for sentence, trailing in pieces) == paragraph
    assert len(pieces) >= 35  # about one sentence per FLORES line
