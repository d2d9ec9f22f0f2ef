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
    # Lines whose quotation marks pair up: an unpaired one (the first Arabic line opens a
    # quotation it does not close) rightly keeps what follows it in one sentence.
    paragraph = " ".join([line for line in flores(lang, count=60)
                          if line.count('"') % 2 == 0][:40])
    pieces = split_sentences(paragraph, lang)
    assert "".join(sentence + trailing for sentence, trailing in pieces) == paragraph
    assert len(pieces) >= 35  # about one sentence per FLORES line


@pytest.mark.parametrize(("text", "expected"), [
    # pysbd's Arabic rules end sentences at the Arabic comma and at a colon.
    ("قال الأمين العام: سنوقع الاتفاقية اليوم في هانوي، بحضور الدول الأعضاء. ثم انتهى الحفل.",
     ["قال الأمين العام: سنوقع الاتفاقية اليوم في هانوي، بحضور الدول الأعضاء.",
      "ثم انتهى الحفل."]),
    # ...and took every period after a ه for an abbreviation's, once a word starting
    # with ه opened the block.
    ("هذا يوم مهم للمنظمة. رحبت الدول الأعضاء بالاتفاقية ووقعت عليه. ثم انتهى الحفل.",
     ["هذا يوم مهم للمنظمة.", "رحبت الدول الأعضاء بالاتفاقية ووقعت عليه.",
      "ثم انتهى الحفل."]),
])
def test_arabic_sentences_end_where_arabic_sentences_end(text, expected):
    assert [sentence for sentence, _ in split_sentences(text, "ar")] == expected


def test_no_arabic_segment_ends_in_a_comma_or_a_colon_on_real_text():
    pieces = [sentence for line in flores("ar")
              for sentence, _ in split_sentences(line, "ar")]
    assert not [piece for piece in pieces if piece.endswith(("،", ":"))]
    assert len(pieces) < 1012 * 1.15  # FLORES lines are one sentence, now and then two
