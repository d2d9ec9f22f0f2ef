"""Glossary enforcement: approved terms in MT output, with real Apertium and with engines
that lose or duplicate what they are given."""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from hexaglot.document import HexaglotError, Segment
from hexaglot.glossary import load_glossaries
from hexaglot.glossary.match import TermMatcher
from hexaglot.mt.agreement import agree_determiner, is_plural, pluralize
from hexaglot.mt.apertium import ApertiumEngine
from hexaglot.mt.base import Translation
from hexaglot.mt.enforce import Enforcer, Method
from hexaglot.mt.router import Candidate
from hexaglot.pipeline import translate_segments


@pytest.fixture(scope="module")
def glossary(tmp_path_factory):
    from conftest import GLOSSARY_CSV

    path = tmp_path_factory.mktemp("g") / "glossary.csv"
    path.write_text(GLOSSARY_CSV, encoding="utf-8")
    return load_glossaries([path])


def enforce(engine, glossary, texts, source="en", target="es"):
    hits = [TermMatcher(glossary, source).find(text) for text in texts]
    return Enforcer(engine, source, target, TermMatcher(glossary, target)).translate(texts, hits)


def methods(result) -> dict[str, str]:
    return {outcome.concept_id: outcome.method.value for outcome in result.outcomes}


def test_apertium_output_carries_the_approved_spanish_terms(glossary):
    texts = ["The signing ceremony will be held in Hanoi.",
             "The Member States welcomed the Secretary-General.",
             "Cybercrime is a growing threat to all Member States."]
    results = enforce(ApertiumEngine(), glossary, texts)
    ceremony, states, threat = results
    # Apertium alone: "La ceremonia de fichaje", a form the glossary forbids.
    assert ceremony.text.startswith("La ceremonia de firma será")
    assert methods(ceremony) == {"t-001": "replaced"}
    assert any("ceremonia de fichaje" in note for note in ceremony.notes)
    # Apertium alone: "Los Estados de Miembro".
    assert states.text.startswith("Los Estados Miembros")
    assert methods(states)["t-004"] == "engine"
    # Apertium alone: "Cybercrime Es una amenaza"; the feminine term takes "La".
    assert threat.text.startswith("La ciberdelincuencia es una amenaza")
    assert "Estados Miembros" in threat.text
    assert all(o.method is not Method.NOT_ENFORCED for r in results for o in r.outcomes)


def test_french_gets_elision_abbreviation_and_glossary_capitals(glossary):
    text = ("The United Nations Office on Drugs and Crime (UNODC) thanked the "
            "Secretary-General.")
    [result] = enforce(ApertiumEngine(), glossary, [text], target="fr")
    # Apertium alone: "Le Bureau de Nations unies en des Drogues et Délit (UNODC)".
    assert result.text.startswith(
        "L'Office des Nations Unies contre la drogue et le crime (ONUDC)")
    assert "Secrétaire général" in result.text  # Apertium writes "Secrétaire Général"
    assert {o.expected for o in result.outcomes} >= {"ONUDC"}


class LosingEngine:
    """An engine that drops whatever it does not understand, placeholders included, as
    neural models do (OPUS-MT, NLLB through CTranslate2)."""

    name = "losing"
    version = "1"

    def __init__(self, mode: str = "drop") -> None:
        self.mode = mode
        self.calls: list[list[str]] = []

    def supports(self, source: str, target: str) -> bool:
        return True

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[Translation]:
        self.calls.append(list(texts))
        out = []
        for text in texts:
            if not text.endswith("."):  # a term on its own: rendered unlike in a sentence
                out.append(Translation(f"[{text}]"))
                continue
            text = text.replace("signing ceremony", "ceremonia de fichaje")
            for carrier in ("house", "houses", "book", "books", "⟦0⟧"):
                text = text.replace(carrier, "" if self.mode == "drop" else f"{carrier} {carrier}")
            out.append(Translation(text.replace("Secretary-General", "secretario")))
        return out


@pytest.mark.parametrize("mode", ["drop", "duplicate"])
def test_a_lost_or_doubled_placeholder_is_never_emitted_and_the_term_is_reported(glossary,
                                                                                  mode):
    engine = LosingEngine(mode)
    [result] = enforce(engine, glossary, ["The Secretary-General spoke."], target="ru")
    assert "⟦" not in result.text and "⟧" not in result.text
    assert methods(result) == {"t-004": "not-enforced"}
    assert any("Генеральный секретарь" in note and "by hand" in note for note in result.notes)
    assert len(engine.calls) >= 2  # the masked retry was made, and thrown away


def test_forbidden_target_terms_are_replaced_even_without_a_source_hit(glossary):
    [result] = enforce(LosingEngine(), glossary, ["The signing ceremony was short."])
    assert "ceremonia de firma" in result.text and "fichaje" not in result.text
    assert methods(result) == {"t-001": "replaced"}


@pytest.mark.parametrize(("lang", "term", "plural"), [
    ("es", "Estado Miembro", "Estados Miembros"),
    ("es", "ceremonia de firma", "ceremonias de firma"),
    ("es", "jefe de delegación", "jefes de delegación"),
    ("es", "declaración", "declaraciones"),
    ("es", "Secretario General", "Secretarios Generales"),
    ("es", "organización no gubernamental", "organizaciones no gubernamentales"),
    ("es", "país menos adelantado", "países menos adelantados"),
    ("fr", "attaque par déni de service", "attaques par déni de service"),
    ("fr", "État Membre", "États Membres"),
    ("fr", "chef de délégation", "chefs de délégation"),
    ("fr", "Secrétaire général", "Secrétaires généraux"),
    ("en", "head of delegation", "heads of delegation"),
    ("en", "Member State", "Member States"),
    ("en", "UNODC", "UNODC"),
])
def test_plurals_of_multiword_terms(lang, term, plural):
    assert pluralize(term, lang) == plural
    if plural != term:
        assert is_plural(plural, term, lang)
        assert not is_plural(term, term, lang)


@pytest.mark.parametrize(("lang", "before", "term", "plural", "expected"), [
    ("es", "Combatir el ", "ciberdelincuencia", False, "Combatir la "),
    ("es", "El informe del ", "Oficina", False, "El informe de la "),
    ("es", "Apoyo a la ", "Consejo", False, "Apoyo al "),
    ("es", "Con los ", "delegaciones", True, "Con las "),
    ("es", "Una ", "informe", False, "Un "),
    ("fr", "Le rapport de la ", "Bureau", False, "Le rapport du "),
    ("fr", "Merci à la ", "Organisation", False, "Merci à l'"),
    ("fr", "le ", "Office", False, "l'"),
    ("fr", "La ", "cybercriminalité", False, "La "),
    ("fr", "Ce ", "État", False, "Cet "),
])
def test_the_determiner_agrees_with_the_term_put_in(lang, before, term, plural, expected):
    assert agree_determiner(before, term, lang, plural) == expected


def test_a_failing_engine_costs_only_its_segments_and_the_chain_goes_on(glossary):
    class Brittle(LosingEngine):
        name = "brittle"

        def translate(self, texts, source, target):
            if any("crash" in text for text in texts):
                raise HexaglotError("the model process died")
            return super().translate(texts, source, target)

    segments = [Segment(f"1.{n}", 1, text, "en") for n, text in
                enumerate(["The Secretary-General spoke.", "This one will crash.",
                           "Delegates arrived."])]
    hits = {s.id: tuple(TermMatcher(glossary, "en").find(s.text)) for s in segments}
    translated, failed = translate_segments(
        segments, [Candidate("brittle", Brittle())], "en", "es", TermMatcher(glossary, "es"),
        hits)
    assert set(translated) == {"1.0", "1.2"}
    assert failed == {"1.1": "brittle failed: the model process died"}
    # With Apertium next in the chain, the segment is translated after all.
    translated, failed = translate_segments(
        segments, [Candidate("brittle", Brittle()), Candidate("apertium", ApertiumEngine())],
        "en", "es", TermMatcher(glossary, "es"), hits)
    assert not failed and translated["1.1"][1] == "apertium"
    assert translated["1.0"][1] == "brittle"


def test_a_hung_apertium_is_stopped_and_named(tmp_path, monkeypatch):
    # One stage of the pipeline hangs (as a transfer stage stuck on a pathological input
    # would): the call is stopped after its time limit, with every stage of its pipeline.
    fake = tmp_path / "apertium-postchunk"
    started = tmp_path / "started"
    # It hangs once its input comes (the pipeline waiting for the next call, started
    # ahead, reads nothing yet and is not the one to stop).
    fake.write_text(f"#!/bin/sh\nhead -c 1 > /dev/null\necho $$ >> {started}\nsleep 30\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(HexaglotError, match=r"Apertium eng-spa did not answer within 1 s"):
        ApertiumEngine(timeout=1).translate(["Hello."], "en", "es")
    hung_stage = int(started.read_text().split()[0])
    deadline = time.monotonic() + 5
    while Path(f"/proc/{hung_stage}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not Path(f"/proc/{hung_stage}").exists()


def test_a_batch_with_masked_terms_is_translated_the_same_whatever_came_before(glossary):
    # Enforcement's second call (the segments whose terms Apertium missed, masked)
    # continues in the pipeline of the first, which saves starting one. Apertium's tagger
    # remembers what it read ("numbers" changes how later sentences are tagged), so that
    # pipeline must have read this batch and nothing else: a rerun gives the same text.
    from conftest import flores

    texts = [*flores("en", count=24),
             "The United Nations Office on Drugs and Crime (UNODC) thanked the "
             "Secretary-General.",
             "The Member States of the General Assembly opened the signing ceremony."]
    engine = ApertiumEngine()

    def run() -> list[tuple[str, dict[str, str]]]:
        return [(r.text, methods(r)) for r in enforce(engine, glossary, texts, target="fr")]

    first = run()
    assert any("placeholder" in used.values() for _, used in first)  # a second call ran
    enforce(engine, glossary, ["Final numbers are not yet known.", *flores("en", count=40)],
            target="fr")
    assert run() == first
