"""Local translation models: what is there, converting to CTranslate2, downloading.

The core of the ``hexaglot models`` command. The desk's machines have no network to the
model hubs, so models arrive as folders (copied, or downloaded elsewhere with
``download_model``) under a models folder; ``list_models`` tells what each covers and
whether it is complete before a run relies on it, and ``convert_to_ctranslate2`` turns a
transformers model into the faster CPU format.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from hexaglot.document import HexaglotError
from hexaglot.mt.model_family import (
    LANGUAGES,
    SIDECAR,
    TOKENIZER_FILES,
    detect_family,
    family,
    missing_tokenizer_files,
    model_metadata,
    model_pairs,
)

_WEIGHTS = ("model.safetensors", "pytorch_model.bin", "model.safetensors.index.json",
            "pytorch_model.bin.index.json")
_CT2_VOCABULARIES = ("shared_vocabulary.json", "shared_vocabulary.txt",
                     "source_vocabulary.json", "source_vocabulary.txt")
# Files the tokenizer needs at run time; the converter copies those present.
_TOKENIZER_COPY = ("tokenizer_config.json", "special_tokens_map.json", "tokenizer.json",
                   "source.spm", "target.spm", "vocab.json", "target_vocab.json",
                   "sentencepiece.bpe.model", "spiece.model", "added_tokens.json",
                   "generation_config.json")


@dataclass(frozen=True)
class ModelInfo:
    """One model, found in the models folder or named in the configuration (or both)."""

    name: str
    path: Path
    format: str  # "transformers", "ctranslate2", or "unknown"
    family: str | None
    pairs: tuple[tuple[str, str], ...] = ()
    languages: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    configured: bool = False
    found: bool = True
    notes: tuple[str, ...] = field(default=())

    @property
    def complete(self) -> bool:
        return self.found and not self.missing


def _model_format(directory: Path) -> str:
    if (directory / "model.bin").exists() or any((directory / v).exists()
                                                  for v in _CT2_VOCABULARIES):
        return "ctranslate2"
    if (directory / "config.json").exists() or any((directory / w).exists() for w in _WEIGHTS):
        return "transformers"
    return "unknown"


def inspect_model(directory: Path, *, name: str | None = None, declared: Mapping | None = None,
                  configured: bool = False) -> ModelInfo:
    """What one model folder holds, without loading it: format, family, pairs, what is missing.

    ``declared`` is the model's entry in the configuration (``family``, ``pairs``,
    ``format``, ``tokenizer_path``), which wins over what the files say.
    """
    declared = declared or {}
    name = name or directory.name
    if not directory.is_dir():
        return ModelInfo(name, directory, str(declared.get("format", "unknown")),
                         declared.get("family"), configured=configured, found=False,
                         missing=(f"the folder {directory}",))
    fmt = str(declared.get("format") or _model_format(directory))
    tokenizer_dir = Path(declared.get("tokenizer_path") or directory)
    meta = model_metadata(tokenizer_dir) | model_metadata(directory)
    try:
        fam = family(declared["family"]) if declared.get("family") else detect_family(
            tokenizer_dir, meta)
    except HexaglotError as error:
        return ModelInfo(name, directory, fmt, None, configured=configured,
                         missing=(), notes=(str(error),))
    missing: list[str] = []
    if fmt == "ctranslate2":
        missing += [n for n in ("model.bin", "config.json") if not (directory / n).exists()]
        if not any((directory / v).exists() for v in _CT2_VOCABULARIES):
            missing.append("shared_vocabulary.json")
    else:
        if not (directory / "config.json").exists():
            missing.append("config.json")
        if not any((directory / w).exists() for w in _WEIGHTS):
            missing.append("model.safetensors (or pytorch_model.bin)")
    notes: list[str] = []
    if fam is None:
        missing.append("tokenizer_config.json (cannot tell the model family)")
        return ModelInfo(name, directory, fmt, None, missing=tuple(missing),
                         configured=configured)
    missing += missing_tokenizer_files(fam, tokenizer_dir)
    raw_pairs = declared.get("pairs")
    pairs = model_pairs(fam, directory, meta,
                        [tuple(p.split("-")) if isinstance(p, str) else tuple(p)
                         for p in raw_pairs] if raw_pairs else None)
    if not pairs:
        notes.append("language pair unknown: name the folder opus-mt-SRC-TGT or declare pairs")
    languages = tuple(lang for lang in LANGUAGES if any(lang in pair for pair in pairs))
    return ModelInfo(name, directory, fmt, fam.name, tuple(sorted(pairs)), languages,
                     tuple(missing), configured=configured, notes=tuple(notes))


def _looks_like_a_model(directory: Path) -> bool:
    return _model_format(directory) != "unknown" or any(
        (directory / name).exists() for options in TOKENIZER_FILES.values()
        for files in options for name in files)


def list_models(models_dir: Path | str, configured: Mapping[str, Mapping]) -> list[ModelInfo]:
    """Every model folder in ``models_dir`` and every configured model, each once.

    ``configured`` maps a model's name to its settings (at least ``path``; optionally
    ``family``, ``pairs``, ``format``, ``tokenizer_path``), as in hexaglot.toml. A configured
    model whose folder is absent is listed with ``found=False``, so the desk sees it before
    a run falls back to a human translator.
    """
    models_dir = Path(models_dir)
    infos: list[ModelInfo] = []
    seen: set[Path] = set()
    for name, settings in configured.items():
        path = Path(settings.get("path") or models_dir / name).expanduser()
        if not path.is_absolute() and not path.exists():
            path = models_dir / path
        seen.add(path.resolve())
        infos.append(inspect_model(path, name=name, declared=settings, configured=True))
    if models_dir.is_dir():
        for child in sorted(models_dir.iterdir()):
            if (child.is_dir() and not child.name.startswith(".")
                    and child.resolve() not in seen and _looks_like_a_model(child)):
                infos.append(inspect_model(child))
    return infos


def convert_to_ctranslate2(src_dir: Path | str, out_dir: Path | str,
                           quantization: str = "int8", *, force: bool = False) -> Path:
    """Convert a transformers model folder to CTranslate2, with its tokenizer files.

    The conversion writes into a temporary folder beside ``out_dir`` and renames it at the
    end, so an interrupted conversion never leaves a folder that looks like a model. Beside
    the weights it writes ``hexaglot-model.json`` (family, model type, maximum input length,
    source folder), which CTranslate2's own config.json does not keep.
    """
    src_dir, out_dir = Path(src_dir), Path(out_dir)
    info = inspect_model(src_dir)
    if not info.found:
        raise HexaglotError(f"cannot convert {src_dir}: the folder does not exist")
    if info.format != "transformers":
        raise HexaglotError(f"cannot convert {src_dir}: it is not a transformers model folder "
                            f"(it looks like {info.format})")
    if info.missing:
        raise HexaglotError(f"cannot convert {src_dir}: missing {', '.join(info.missing)}")
    if out_dir.exists() and not force:
        raise HexaglotError(f"{out_dir} already exists: remove it or pass --force")
    try:
        from ctranslate2.converters import TransformersConverter
    except ImportError as error:
        raise HexaglotError("converting needs ctranslate2, transformers and torch: "
                            "pip install -c constraints.txt -e .[mt]") from error
    copy = [name for name in _TOKENIZER_COPY if (src_dir / name).exists()]
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        converter = TransformersConverter(str(src_dir), copy_files=copy)
        converter.convert(str(staging), quantization=quantization, force=True)
        meta = model_metadata(src_dir)
        sidecar = {"family": info.family, "model_type": meta.get("model_type"),
                   "max_position_embeddings": meta.get("max_position_embeddings"),
                   "pairs": [list(p) for p in info.pairs] if info.family == "marian" else None,
                   "source_model": src_dir.name, "quantization": quantization}
        (staging / SIDECAR).write_text(json.dumps(sidecar, indent=2) + "\n", encoding="utf-8")
        if out_dir.exists():
            shutil.rmtree(out_dir)
        os.replace(staging, out_dir)
    except HexaglotError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    except Exception as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise HexaglotError(f"converting {src_dir} to CTranslate2 failed: "
                            f"{type(error).__name__}: {str(error)[:300]}") from error
    return out_dir


def download_model(hub_id: str, models_dir: Path | str) -> Path:
    """Download a model from the Hugging Face Hub into ``models_dir``/<name>.

    Only where the machine has network (the desk's machines do not: download elsewhere and
    copy the folder). Honours ``HF_HUB_OFFLINE`` and ``HF_TOKEN`` as huggingface_hub does.
    """
    try:
        from huggingface_hub import snapshot_download
    except ImportError as error:
        raise HexaglotError("downloading needs huggingface_hub: "
                            "pip install -c constraints.txt -e .[mt]") from error
    target = Path(models_dir) / hub_id.split("/")[-1]
    try:
        path = snapshot_download(hub_id, local_dir=str(target))
    except Exception as error:
        offline = os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes")
        hint = ("HF_HUB_OFFLINE is set" if offline else
                "this machine may have no network to the Hugging Face Hub")
        raise HexaglotError(
            f"cannot download {hub_id}: {type(error).__name__}: {str(error)[:200]} ({hint}). "
            f"Download it on a machine with network (`hexaglot models download {hub_id}`) and "
            f"copy the folder to {target}") from error
    return Path(path)
