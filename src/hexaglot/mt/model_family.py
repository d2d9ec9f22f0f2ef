"""What differs between families of translation models, in one place.

The neural engines (transformers, CTranslate2) run the same encoder-decoder models; what
changes from one family to the next is only how a language pair is chosen:

- **Marian / OPUS-MT**: one model per pair (``opus-mt-en-fr``). The pair comes from the folder
  name, the tokenizer's ``source_lang``/``target_lang``, or is declared. Models with several
  target languages pick one with a ``>>fra<<`` token in front of the source text.
- **NLLB-200**: one model, codes like ``eng_Latn``; the source language is set on the
  tokenizer (``src_lang``) and the first generated token is forced to the target code.
- **M2M100**: the same, with codes ``__en__`` (``src_lang="en"`` on the tokenizer).
- **MADLAD-400** (T5): the target is chosen by a ``<2fr>`` prefix on the source text.

A family is read from ``config.json`` (``model_type``) and ``tokenizer_config.json``
(``tokenizer_class``), from the ``hexaglot-model.json`` that ``hexaglot models convert`` writes
beside a CTranslate2 model, or is declared with ``family=``. Nothing here imports torch or
transformers: the router can ask what a model folder covers without loading it.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from hexaglot.document import HexaglotError

# The languages hexaglot translates from and into (ISO 639-1).
LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es", "id", "vi")

NLLB_CODES = {"ar": "arb_Arab", "zh": "zho_Hans", "en": "eng_Latn", "fr": "fra_Latn",
              "ru": "rus_Cyrl", "es": "spa_Latn", "id": "ind_Latn", "vi": "vie_Latn"}
# OPUS-MT names languages with ISO 639-1 or 639-3 codes, and its multi-target models with
# ISO 639-3 tokens (>>fra<<); both are read.
ISO3 = {"ar": "ara", "zh": "zho", "en": "eng", "fr": "fra", "ru": "rus", "es": "spa",
        "id": "ind", "vi": "vie"}
_FROM_ISO3 = {v: k for k, v in ISO3.items()} | {"arb": "ar", "cmn": "zh", "fre": "fr",
                                                 "chi": "zh", "zsm": "id"}

# The file written beside a converted model; it keeps what CTranslate2's config.json drops.
SIDECAR = "hexaglot-model.json"

# Tokenizer files per family: any one set present is enough.
TOKENIZER_FILES: dict[str, tuple[tuple[str, ...], ...]] = {
    "marian": (("source.spm", "target.spm", "vocab.json"),),
    "nllb": (("tokenizer.json",), ("sentencepiece.bpe.model",)),
    "m2m100": (("vocab.json", "sentencepiece.bpe.model"), ("tokenizer.json",)),
    "madlad": (("tokenizer.json",), ("spiece.model",)),
}
TOKENIZER_CLASSES = {"marian": "MarianTokenizer", "nllb": "NllbTokenizer",
                     "m2m100": "M2M100Tokenizer", "madlad": "T5Tokenizer"}
FAMILIES = tuple(TOKENIZER_CLASSES)


@dataclass(frozen=True)
class ModelFamily:
    """How one family names languages and is told which pair to translate."""

    name: str

    @property
    def multilingual(self) -> bool:
        return self.name != "marian"

    def code(self, lang: str) -> str | None:
        """The model's name for an ISO 639-1 language, or None if the family lacks it."""
        if lang not in LANGUAGES:
            return None
        if self.name == "nllb":
            return NLLB_CODES[lang]
        return lang

    def source_language(self, lang: str) -> str | None:
        """What goes into ``tokenizer.src_lang`` (NLLB, M2M100), or None."""
        return self.code(lang) if self.name in ("nllb", "m2m100") else None

    def target_token(self, lang: str) -> str | None:
        """The token the output must start with (NLLB, M2M100), or None."""
        if self.name == "nllb":
            return NLLB_CODES.get(lang)
        if self.name == "m2m100":
            return f"__{lang}__" if lang in LANGUAGES else None
        return None

    def source_prefix(self, lang: str, vocabulary: Sequence[str] | None = None) -> str:
        """Text put in front of each source segment to choose the target, or ""."""
        if self.name == "madlad":
            return f"<2{lang}> "
        if self.name == "marian" and vocabulary:
            for code in (ISO3.get(lang), lang):
                if code and f">>{code}<<" in vocabulary:
                    return f">>{code}<< "
        return ""


def family(name: str) -> ModelFamily:
    """The family called ``name`` (case and punctuation ignored: "M2M-100", "opus-mt")."""
    key = re.sub(r"[^a-z0-9]", "", name.lower())
    key = {"opusmt": "marian", "m2m": "m2m100", "nllb200": "nllb", "madlad400": "madlad",
           "t5": "madlad"}.get(key, key)
    if key not in FAMILIES:
        raise HexaglotError(f"unknown model family {name!r}: use one of {', '.join(FAMILIES)}")
    return ModelFamily(key)


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def model_metadata(directory: Path) -> dict:
    """What the folder says about its model: config.json, tokenizer_config.json, sidecar."""
    meta: dict = {}
    config = _read_json(directory / "config.json")
    if "model_type" in config:  # a transformers model, not CTranslate2's own config.json
        meta["model_type"] = config["model_type"]
        for key in ("max_position_embeddings", "n_positions", "tokenizer_class"):
            if config.get(key) is not None:
                meta[key] = config[key]
    tokenizer_config = _read_json(directory / "tokenizer_config.json")
    for key in ("tokenizer_class", "source_lang", "target_lang", "model_max_length"):
        if tokenizer_config.get(key) is not None:
            meta.setdefault(key, tokenizer_config[key])
    meta.update(_read_json(directory / SIDECAR))
    return meta


def detect_family(directory: Path, meta: dict | None = None) -> ModelFamily | None:
    """The family of the model in ``directory``, from its config files, or None."""
    meta = model_metadata(directory) if meta is None else meta
    if meta.get("family"):
        return family(meta["family"])
    tokenizer_class = str(meta.get("tokenizer_class") or "").lower()
    model_type = str(meta.get("model_type") or "").lower()
    if "nllb" in tokenizer_class:
        return ModelFamily("nllb")
    if "m2m" in tokenizer_class or model_type == "m2m_100":
        return ModelFamily("m2m100")
    if "marian" in tokenizer_class or model_type == "marian":
        return ModelFamily("marian")
    if model_type in ("t5", "mt5") or "t5" in tokenizer_class:
        return ModelFamily("madlad")
    if (directory / "source.spm").exists() and (directory / "target.spm").exists():
        return ModelFamily("marian")
    return None


def _iso(code: str) -> str | None:
    code = code.lower().split("_")[0]
    if code in LANGUAGES:
        return code
    return _FROM_ISO3.get(code)


def marian_pair(directory: Path, meta: dict | None = None) -> tuple[str, str] | None:
    """An OPUS-MT model's pair: from its tokenizer config, else its folder name."""
    meta = model_metadata(directory) if meta is None else meta
    source, target = meta.get("source_lang"), meta.get("target_lang")
    if isinstance(source, str) and isinstance(target, str) and _iso(source) and _iso(target):
        return _iso(source), _iso(target)  # type: ignore[return-value]
    for name in (meta.get("source_model") or "", directory.name):
        match = re.search(r"opus-mt-(?:tc-(?:big|base)-)?([a-z]{2,3})-([a-z]{2,3})(?:\b|_|$)",
                          Path(str(name)).name.lower())
        if match and _iso(match.group(1)) and _iso(match.group(2)):
            return _iso(match.group(1)), _iso(match.group(2))  # type: ignore[return-value]
    return None


def model_pairs(fam: ModelFamily, directory: Path, meta: dict | None = None,
                declared: Sequence[tuple[str, str]] | None = None) -> frozenset[tuple[str, str]]:
    """The pairs a model covers: declared ones win; Marian reads its own; others cover all."""
    if declared is not None:
        return frozenset((s, t) for s, t in declared)
    meta = model_metadata(directory) if meta is None else meta
    if meta.get("pairs"):  # recorded by `hexaglot models convert`
        return frozenset((s, t) for s, t in meta["pairs"])
    if fam.name == "marian":
        pair = marian_pair(directory, meta)
        return frozenset([pair]) if pair else frozenset()
    return frozenset((s, t) for s, t in itertools.permutations(LANGUAGES, 2))


def missing_tokenizer_files(fam: ModelFamily, directory: Path) -> list[str]:
    """The tokenizer files of the first expected set, when no expected set is complete."""
    options = TOKENIZER_FILES[fam.name]
    for option in options:
        if all((directory / name).exists() for name in option):
            return []
    return [name for name in options[0] if not (directory / name).exists()]
