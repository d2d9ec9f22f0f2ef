"""The Apertium engine: direct pairs, pivots, batches, and text it must not touch."""

from __future__ import annotations

import subprocess
import tempfile

import pytest

from conftest import flores
from hexaglot.document import HexaglotError, InlineSpan
from hexaglot.mt.apertium import ApertiumEngine


@pytest.fixture(scope="module")
def engine():
    return ApertiumEngine()


def raw(mode: str, text: str) -> str:
    return subprocess.run(["apertium", "-u", mode], input=text, capture_output=True, text=True,
                          check=True).stdout.strip()


def test_pairs_this_machine_covers(engine):
    assert engine.chain("en", "es") == ["eng-spa"]
    assert engine.chain("es", "fr") == ["es-fr"]
    assert engine.chain("en", "fr") == ["eng-spa", "es-fr"]
    assert engine.chain("fr", "en") == ["fr-es", "spa-eng"]
    for target in ("ar", "zh", "ru"):
        assert not engine.supports("en", target)
    assert not engine.supports("vi", "en")
    assert "apertium-eng-spa" in engine.version


def test_a_batch_keeps_every_segment_in_place(engine):
    sentences = flores("en", count=60)
    translated = engine.translate(sentences, "en", "es")
    assert len(translated) == 60
    for sentence, result in list(zip(sentences, translated, strict=True))[:5]:
        assert result.text == raw("eng-spa", sentence)


def test_pivot_through_spanish_equals_the_two_steps(engine):
    sentence = "The delegations signed the convention in Hanoi."
    french = engine.translate([sentence], "en", "fr")[0].text
    assert french == raw("es-fr", raw("eng-spa", sentence))
    back = engine.translate(["Les délégations ont signé la convention."], "fr", "en")[0].text
    assert "delegations" in back.lower()


def test_unknown_words_are_unmarked_and_listed(engine):
    result = engine.translate(["The UNODC delegations arrived."], "en", "es")[0]
    assert "*" not in result.text and "UNODC" in result.text
    assert result.notes == ("Apertium did not know: UNODC",)


def test_markup_characters_addresses_and_links_survive(engine):
    text = "Write to press@hanoi2025.example.org or see https://www.unodc.org/x & <b> today."
    result = engine.translate([text], "en", "es")[0].text
    assert "press@hanoi2025.example.org" in result
    assert "https://www.unodc.org/x" in result
    assert "&" in result and "<b>" in result


def test_the_same_text_gets_the_same_translation_whatever_came_before(engine):
    # Each call gets a fresh Apertium pipeline (started ahead of time): a pipeline kept
    # running would tag a sentence by what it read before, and a rerun of a document
    # would then differ from its first run.
    sentences = flores("en", count=40)
    first = [t.text for t in engine.translate(sentences, "en", "es")]
    engine.translate(flores("en", count=80)[40:], "en", "es")
    assert [t.text for t in engine.translate(sentences, "en", "es")] == first
    assert first[:3] == [raw("eng-spa", s) for s in sentences[:3]]


def test_a_batch_started_ahead_is_what_translate_returns(engine):
    sentences = flores("en", count=30)
    expected = engine.translate(sentences, "en", "fr")
    seen = []
    engine.prefetch(sentences, "en", "fr", then=seen.append)
    assert engine.translate(sentences, "en", "fr") == expected
    # Each translation was handed over as it came out, before translate returned.
    assert sorted(t.text for t in seen) == sorted(t.text for t in expected)


def test_a_batch_started_ahead_reports_its_failure_to_the_caller(engine):
    engine.prefetch(["Hello."], "en", "ru")
    with pytest.raises(HexaglotError, match="no en->ru pair"):
        engine.translate(["Hello."], "en", "ru")


def test_formatted_text_moves_with_its_words_and_leaves_no_state_behind(engine, tmp_path,
                                                                        monkeypatch):
    # Tags go through Transfuse, which binds each to its words: reordered into Spanish,
    # the link stays on "Naciones Unidas". Transfuse keeps per-call state in a folder; the
    # engine gives it its own and removes it when the call ends.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    text = "The United Nations website publishes the text."
    link = InlineSpan(4, 18, "link", label="link")
    for _ in range(2):
        result = engine.translate([text], "en", "es", spans=[(link,)])[0]
        (span,) = result.spans
        assert result.text[span.start:span.end] == "Naciones Unidas"
    left = list(tmp_path.glob("hexaglot-transfuse-*"))
    assert len(left) <= 1  # the pipeline started for the next call, waiting
