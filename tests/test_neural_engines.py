"""The transformers and CTranslate2 engines, on tiny random-weight models built here.

The models translate nonsense, but they are real Marian and NLLB-style models: these tests
check what a user of the engines would notice (order, batching, the two runtimes agreeing,
the target language forced, long segments split and not cut, broken model folders named),
not translation quality. Skipped where the ``mt`` extra is not installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("ctranslate2")
pytest.importorskip("sentencepiece")

import tiny_models
from hexaglot.document import HexaglotError
from hexaglot.models import convert_to_ctranslate2, list_models
from hexaglot.mt.base import Engine
from hexaglot.mt.ctranslate2_engine import CTranslate2Engine
from hexaglot.mt.transformers_engine import TransformersEngine, split_to_fit

TEXTS = [
    "The Secretary-General opened the signing ceremony in Hanoi.",
    "",
    "Member States met in Vienna yesterday to discuss the Convention against Cybercrime.",
    "Thank you.",
    "The United Nations Office on Drugs and Crime published its report on cybercrime today.",
]


@pytest.fixture(scope="session")
def tiny(tmp_path_factory) -> dict[str, Path]:
    """Tiny Marian (en-fr) and NLLB models, in transformers and CTranslate2 formats."""
    import torch

    # One thread: for matrices this small, the second OpenMP thread costs far more in
    # synchronisation than it gives (a hundredfold slower on a busy 2-core machine).
    torch.set_num_threads(1)
    root = tmp_path_factory.mktemp("models")
    lines = tiny_models.training_lines()
    marian = tiny_models.build_marian(root / "opus-mt-en-fr", lines)
    nllb = tiny_models.build_nllb(root / "nllb-tiny", lines)
    return {
        "root": root,
        "marian": marian,
        "nllb": nllb,
        # float32, so that the two runtimes can be compared token for token
        "marian-ct2": convert_to_ctranslate2(marian, root / "ct2" / "opus-mt-en-fr",
                                             quantization="float32"),
        "nllb-ct2": convert_to_ctranslate2(nllb, root / "ct2" / "nllb-tiny",
                                           quantization="float32"),
    }


@pytest.fixture(scope="session")
def engines(tiny) -> dict[str, TransformersEngine | CTranslate2Engine]:
    return {
        "marian": TransformersEngine(tiny["marian"], beam_size=1),
        "nllb": TransformersEngine(tiny["nllb"], beam_size=1),
        "marian-ct2": CTranslate2Engine(tiny["marian-ct2"], beam_size=1,
                                        compute_type="float32"),
        "nllb-ct2": CTranslate2Engine(tiny["nllb-ct2"], beam_size=1, compute_type="float32"),
    }


def _pair(key: str) -> tuple[str, str]:
    return ("en", "fr") if key.startswith("marian") else ("en", "ru")


@pytest.mark.parametrize("key", ["marian", "nllb", "marian-ct2", "nllb-ct2"])
def test_a_batch_gives_one_translation_per_segment_in_order_as_one_by_one(engines, key):
    engine = engines[key]
    assert isinstance(engine, Engine)
    source, target = _pair(key)
    engine.batch_size = 2  # several batches, sorted by length, put back in order
    batch = engine.translate(TEXTS, source, target)
    engine.batch_size = 16
    one_by_one = [engine.translate([text], source, target)[0] for text in TEXTS]
    assert len(batch) == len(TEXTS)
    assert [t.text for t in batch] == [t.text for t in one_by_one]
    assert batch[1].text == ""
    assert all(t.text for i, t in enumerate(batch) if i != 1)
    assert len({t.text for t in batch}) > 2  # different inputs, different outputs


@pytest.mark.parametrize("family", ["marian", "nllb"])
def test_transformers_and_ctranslate2_give_the_same_greedy_output(engines, family):
    source, target = _pair(family)
    torch_out = engines[family].translate(TEXTS, source, target)
    ct2_out = engines[f"{family}-ct2"].translate(TEXTS, source, target)
    assert [t.text for t in torch_out] == [t.text for t in ct2_out]


@pytest.mark.parametrize("target,code", [("ar", "arb_Arab"), ("zh", "zho_Hans"),
                                         ("ru", "rus_Cyrl")])
def test_nllb_output_starts_with_the_target_language_token(engines, monkeypatch, target, code):
    engine = engines["nllb"]
    engine.translate(["warm up"], "en", target)
    expected = engine._tokenizer.convert_tokens_to_ids(code)
    assert expected not in (None, engine._tokenizer.unk_token_id)
    captured = []
    generate = engine._model.generate

    def spy(*args, **kwargs):
        out = generate(*args, **kwargs)
        captured.append(out.tolist())
        return out

    monkeypatch.setattr(engine._model, "generate", spy)
    engine.translate(TEXTS, "en", target)
    rows = [row for batch in captured for row in batch]
    assert rows and all(row[1] == expected for row in rows)  # row[0]: decoder start

    ct2 = engines["nllb-ct2"]
    ct2.translate(["warm up"], "en", target)
    seen = []
    translator = ct2._translator

    class Spy:
        def translate_batch(self, *args, **kwargs):
            results = translator.translate_batch(*args, **kwargs)
            seen.extend(r.hypotheses[0] for r in results)
            return results

    monkeypatch.setattr(ct2, "_translator", Spy())
    ct2.translate(TEXTS, "en", target)
    assert seen and all(hyp[0] == code for hyp in seen)


def test_supports_the_pairs_each_model_covers(tiny, engines):
    marian, nllb = engines["marian"], engines["nllb"]
    assert marian.supports("en", "fr")
    assert not marian.supports("fr", "en")
    assert not marian.supports("en", "ar")
    assert engines["marian-ct2"].supports("en", "fr")
    assert not engines["marian-ct2"].supports("en", "es")
    for source, target in [("en", "ar"), ("zh", "ru"), ("vi", "fr"), ("id", "es")]:
        assert nllb.supports(source, target)
    assert not nllb.supports("en", "en")
    assert not nllb.supports("en", "de")
    declared = TransformersEngine(tiny["nllb"], pairs=[("en", "fr")])
    assert declared.supports("en", "fr") and not declared.supports("en", "ar")
    with pytest.raises(HexaglotError, match="en->ar"):
        marian.translate(["Hello"], "en", "ar")


def test_a_missing_model_folder_is_named(tmp_path):
    missing = tmp_path / "opus-mt-en-zz"
    for engine in (TransformersEngine, CTranslate2Engine):
        with pytest.raises(HexaglotError, match=re.escape(str(missing))):
            engine(missing)


def test_an_incomplete_model_folder_names_the_missing_file(tiny, tmp_path):
    broken = tmp_path / "opus-mt-en-fr"
    shutil.copytree(tiny["marian"], broken)
    (broken / "source.spm").unlink()
    with pytest.raises(HexaglotError, match=r"opus-mt-en-fr.*missing source\.spm"):
        TransformersEngine(broken)

    no_weights = tmp_path / "nllb-no-weights"
    shutil.copytree(tiny["nllb"], no_weights)
    (no_weights / "model.safetensors").unlink()
    with pytest.raises(HexaglotError, match=r"model\.safetensors"):
        TransformersEngine(no_weights)

    ct2 = tmp_path / "ct2"
    shutil.copytree(tiny["marian-ct2"], ct2)
    (ct2 / "model.bin").unlink()
    with pytest.raises(HexaglotError, match=r"missing model\.bin.*hexaglot models convert"):
        CTranslate2Engine(ct2)

    with pytest.raises(HexaglotError, match=r"not a CTranslate2 one.*hexaglot models convert"):
        CTranslate2Engine(tiny["marian"])


def _long_text(words: int) -> str:
    sentence = re.findall(r"\S+", "The Member States met in Hanoi and said, in a long and "
                          "careful statement, that the Convention against Cybercrime would "
                          "enter into force soon.")
    return " ".join(sentence[i % len(sentence)] for i in range(words))


def test_split_to_fit_keeps_every_word():
    text = _long_text(3000) + " " + "无标点的中文文本" * 40

    def count(parts: list[str]) -> list[int]:  # one token per word or CJK character
        return [2 + len(re.findall(r"\w", p)) for p in parts]

    pieces = split_to_fit(text, count, 64)
    assert len(pieces) > 1
    assert all(n <= 64 for n in count(pieces))
    assert re.sub(r"\s", "", "".join(pieces)) == re.sub(r"\s", "", text)


@pytest.mark.parametrize("key", ["marian-ct2", "nllb"])
def test_a_3000_word_segment_is_split_not_truncated(engines, key):
    engine = engines[key]
    source, target = _pair(key)
    text = _long_text(3000)
    [result] = engine.translate([text], source, target)
    notes = [n for n in result.notes if n.startswith("split into")]
    assert notes, result.notes
    parts = int(re.search(r"split into (\d+) parts", notes[0]).group(1))
    assert parts >= 3000 / tiny_models.MAX_POSITIONS
    assert f"maximum of {tiny_models.MAX_POSITIONS} tokens" in notes[0]
    assert result.text
    # Every piece was translated: the output is about as long as the pieces put together.
    short = engine.translate([text[:200]], source, target)[0].text
    assert len(result.text) > parts * len(short) / 4


def _frequent_word(text: str) -> str:
    """The word the output repeats most (random models loop), to be avoided."""
    words = [w for w in text.split() if len(w) > 1 and w.isalpha()]
    assert words, f"no usable word in {text!r}"
    return max(words, key=words.count)


@pytest.mark.parametrize("key", ["marian", "nllb", "marian-ct2", "nllb-ct2"])
def test_translate_steered_avoids_a_term_the_model_otherwise_writes(engines, key):
    engine = engines[key]
    source, target = _pair(key)
    plain = engine.translate(TEXTS, source, target)
    avoided = [_frequent_word(plain[0].text), _frequent_word(plain[4].text)]
    steered = engine.translate_steered(
        TEXTS, source, target, prefer=[[]] * len(TEXTS),
        avoid=[[avoided[0]], [], [], [], [avoided[1]]])
    assert len(steered) == len(TEXTS)
    assert avoided[0] in plain[0].text.split()
    assert avoided[0] not in steered[0].text.split()
    assert avoided[1] not in steered[4].text.split()
    # Segments without constraints are translated as without steering.
    assert [s.text for s in steered[1:4]] == [p.text for p in plain[1:4]]


def test_translate_steered_prefers_a_term(tiny):
    engine = TransformersEngine(tiny["nllb"], beam_size=1, prefer_bias=60.0)
    plain = engine.translate(TEXTS[:1], "en", "fr")[0].text
    term = "Convention"
    assert term not in plain
    steered = engine.translate_steered(TEXTS[:1], "en", "fr", prefer=[[term]], avoid=[[]])
    assert term in steered[0].text


def test_converted_model_loads_and_records_its_family(tiny, tmp_path):
    out = convert_to_ctranslate2(tiny["nllb"], tmp_path / "nllb-int8")  # int8, the default
    assert (out / "model.bin").exists() and (out / "tokenizer.json").exists()
    assert not list(tmp_path.glob(".nllb-int8.*"))  # no staging folder left behind
    engine = CTranslate2Engine(out, beam_size=1)
    assert engine.family.name == "nllb"
    assert "int8" in engine.version
    results = engine.translate(TEXTS, "en", "zh")
    assert len(results) == len(TEXTS) and results[0].text
    with pytest.raises(HexaglotError, match="already exists"):
        convert_to_ctranslate2(tiny["nllb"], out)


def test_list_models_reports_complete_and_incomplete(tiny, tmp_path):
    models = tmp_path / "models"
    shutil.copytree(tiny["marian"], models / "opus-mt-en-fr")
    shutil.copytree(tiny["nllb-ct2"], models / "nllb-ct2")
    shutil.copytree(tiny["marian"], models / "opus-mt-en-es")
    (models / "opus-mt-en-es" / "target.spm").unlink()
    infos = {info.name: info for info in list_models(
        models, {"nllb": {"path": str(tiny["nllb"])}, "absent": {"path": "nowhere"}})}
    assert infos["opus-mt-en-fr"].complete
    assert infos["opus-mt-en-fr"].format == "transformers"
    assert infos["opus-mt-en-fr"].pairs == (("en", "fr"),)
    assert infos["nllb-ct2"].complete and infos["nllb-ct2"].format == "ctranslate2"
    assert infos["nllb-ct2"].family == "nllb" and ("en", "zh") in infos["nllb-ct2"].pairs
    assert not infos["opus-mt-en-es"].complete
    assert infos["opus-mt-en-es"].missing == ("target.spm",)
    assert infos["nllb"].configured and infos["nllb"].complete
    assert not infos["absent"].found and not infos["absent"].complete


def test_engines_import_without_torch():
    code = ("import sys; sys.modules['torch'] = None; sys.modules['transformers'] = None; "
            "sys.modules['ctranslate2'] = None; "
            "import hexaglot.mt.transformers_engine, hexaglot.mt.ctranslate2_engine, "
            "hexaglot.models")
    subprocess.run([sys.executable, "-c", code], check=True)


class Recording:
    """An engine wrapper that keeps what it was asked to translate."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.name = engine.name
        self.asked: list[str] = []
        if hasattr(engine, "translate_steered"):
            self.translate_steered = self._steered

    @property
    def version(self) -> str:
        return self.engine.version

    def supports(self, source, target):
        return self.engine.supports(source, target)

    def translate(self, texts, source, target):
        self.asked += list(texts)
        return self.engine.translate(texts, source, target)

    def _steered(self, texts, source, target, **constraints):
        self.asked += [f"[steered] {text}" for text in texts]
        return self.engine.translate_steered(texts, source, target, **constraints)


@pytest.mark.parametrize(("key", "target"), [("nllb-ct2", "ru"), ("nllb", "zh"),
                                             ("marian", "fr"), ("marian-ct2", "fr")])
def test_enforcement_on_a_model_that_loses_placeholders(engines, glossary_csv, key, target):
    """A random model mangles placeholders and carrier nouns: the masked attempt must be
    made, thrown away, and the term either verified in the output or reported, never a
    broken placeholder."""
    from hexaglot.glossary import load_glossaries
    from hexaglot.glossary.match import TermMatcher
    from hexaglot.mt.enforce import Enforcer, Method

    glossary = load_glossaries([glossary_csv])
    texts = ["The Secretary-General opened the signing ceremony.",
             "Member States discussed cybercrime."]
    hits = [TermMatcher(glossary, "en").find(text) for text in texts]
    engine = Recording(engines[key])
    target_matcher = TermMatcher(glossary, target)
    results = Enforcer(engine, "en", target, target_matcher).translate(texts, hits)
    # Masked sentences: the terms replaced by ⟦n⟧ or, into French, by carrier nouns.
    masked = [text for text in engine.asked if text.endswith(".") and text not in texts
              and not text.startswith("[steered]")]
    assert len(masked) == 2, engine.asked
    assert all("Secretary-General" not in text and "signing ceremony" not in text
               for text in masked)
    assert any(text.startswith("[steered]") for text in engine.asked)
    for result in results:
        assert "⟦" not in result.text and "⟧" not in result.text
        found = {c.id for m in target_matcher.find_all(result.text) for c, t in m.candidates
                 if t.status.allowed}
        for outcome in result.outcomes:
            if outcome.method is Method.NOT_ENFORCED:
                assert any(outcome.expected in note for note in result.notes)
            else:
                assert outcome.concept_id in found, (outcome, result.text)


def test_routes_in_hexaglot_toml_send_each_pair_to_its_engine(tiny, tmp_path, monkeypatch,
                                                              capsys, press_release_txt,
                                                              glossary_csv):
    """en->ru through the configured tiny NLLB (CTranslate2), en->zh to an engine whose
    model folder is missing (so to a human, saying why), everything else through Apertium."""
    import json

    from hexaglot.cli import main

    config = tmp_path / "hexaglot.toml"
    config.write_text(f"""
[desk]
docs_out = "out"

[engines.nllb]
kind = "ctranslate2"
path = "{tiny['nllb-ct2']}"
compute_type = "float32"

[engines.nllb-zh]
kind = "ctranslate2"
path = "models/not-downloaded-yet"

[routes]
default = ["apertium"]
"en-ru" = ["nllb", "apertium"]
"en-zh" = ["nllb-zh"]
""", encoding="utf-8")
    monkeypatch.setenv("HEXAGLOT_CONFIG", str(config))
    code = main(["translate", str(press_release_txt), "--to", "ru,zh,es", "--glossary",
                 str(glossary_csv), "--out", str(tmp_path / "out"), "--json"])
    summary = json.loads(capsys.readouterr().out)
    assert code == 0
    targets = {t["lang"]: t for t in summary["documents"][0]["targets"]}
    assert targets["ru"]["engines"] == ["nllb"]
    assert targets["ru"]["segments"]["mt"] >= 5
    assert targets["es"]["engines"] == ["apertium"]
    assert targets["zh"]["engines"] == ["human"]
    review = docx_text(tmp_path / "out" / "press-release.zh.review.docx")
    assert "models/not-downloaded-yet" in review and "hexaglot models" in review


def docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    return "\n".join(cell.text for table in document.tables for row in table.rows
                     for cell in row.cells) + "\n".join(p.text for p in document.paragraphs)
