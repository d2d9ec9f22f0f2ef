"""The CTranslate2 engine: the same models as the transformers engine, converted, on CPU.

CTranslate2 runs Marian, NLLB, M2M100 and T5 models several times faster than PyTorch on a
CPU, in int8, without torch installed: the desk's machines have no GPU. Models are converted
once with ``hexaglot models convert`` (which copies the tokenizer files and writes
``hexaglot-model.json`` beside the weights, because CTranslate2's own config.json forgets the
model family and its maximum input length). Tokenizing stays with transformers' tokenizer
classes, so both engines cut, count and decode text identically.

Steering: ``avoid`` uses CTranslate2's ``suppress_sequences``, which holds for a whole batch,
so segments are grouped by their avoid list. ``prefer`` has no CTranslate2 counterpart (there
is no per-token bias); the engine asks for the n best hypotheses (at least 4) and keeps the
best-ranked one that contains the most preferred terms. That only chooses among what the
beam found, so it is weaker than the transformers engine's bias.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hexaglot.document import HexaglotError
from hexaglot.mt.model_family import SIDECAR, missing_tokenizer_files
from hexaglot.mt.transformers_engine import (
    WEIGHT_FILES,
    NeuralEngine,
    TokenIds,
    _contains,
    short_hash,
)

_VOCABULARIES = (("shared_vocabulary.json",), ("shared_vocabulary.txt",),
                 ("source_vocabulary.json", "target_vocabulary.json"),
                 ("source_vocabulary.txt", "target_vocabulary.txt"))
# Without a recorded limit, assume the common one (OPUS-MT, MADLAD): better to cut a segment
# that would have fitted than to let CTranslate2 read past the model's positions.
_DEFAULT_MAX_INPUT = 512
_MIN_HYPOTHESES = 4


class CTranslate2Engine(NeuralEngine):
    """A CTranslate2 model folder, with the tokenizer of the model it was converted from."""

    runtime = "ctranslate2"

    def __init__(self, path: str | Path, *, name: str = "ctranslate2",
                 family: str | None = None, pairs: Sequence[tuple[str, str]] | None = None,
                 device: str = "auto", beam_size: int = 4, batch_size: int = 16,
                 max_new_tokens: int | None = None, tokenizer_path: str | Path | None = None,
                 compute_type: str = "int8") -> None:
        super().__init__(path, name=name, family=family, pairs=pairs, device=device,
                         beam_size=beam_size, batch_size=batch_size,
                         max_new_tokens=max_new_tokens, tokenizer_path=tokenizer_path)
        self.compute_type = compute_type
        self._translator: Any = None

    @property
    def version(self) -> str:
        try:
            import ctranslate2
            runtime = f"ctranslate2 {ctranslate2.__version__}"
        except ImportError:
            runtime = "ctranslate2 not installed"
        weights = self.directory / "model.bin"
        size = weights.stat().st_size if weights.exists() else 0
        digest = short_hash(self.directory / "config.json", self.directory / SIDECAR)
        return (f"{self.family.name} {self.directory.name} config {digest} model.bin {size} B; "
                f"{runtime} {self.compute_type}")

    def _missing_files(self) -> list[str]:
        missing = [name for name in ("model.bin", "config.json")
                   if not (self.directory / name).exists()]
        if not any(all((self.directory / n).exists() for n in option) for option in _VOCABULARIES):
            missing.append("shared_vocabulary.json (or source_/target_vocabulary.json)")
        missing += missing_tokenizer_files(self.family, self.tokenizer_directory)
        return missing

    def _missing_message(self, missing: list[str]) -> str:
        if "model.bin" in missing and any((self.directory / n).exists() for n in WEIGHT_FILES):
            return (f"model folder {self.directory} is a transformers model, not a CTranslate2 "
                    f"one (no model.bin): convert it with `hexaglot models convert "
                    f"{self.directory} OUT_DIR`, or use the transformers engine")
        return (f"model folder {self.directory} is incomplete: missing {', '.join(missing)}. "
                "Convert the model again with `hexaglot models convert SRC_DIR OUT_DIR`, which "
                "copies the tokenizer files; or pass tokenizer_path= the original model folder")

    def _load_model(self) -> None:
        try:
            import ctranslate2
        except ImportError as error:
            raise HexaglotError("the CTranslate2 engine needs ctranslate2 and transformers: "
                                "pip install -c constraints.txt -e .[mt]") from error
        try:
            self._translator = ctranslate2.Translator(
                str(self.directory), device=self.device, compute_type=self.compute_type)
        except (RuntimeError, ValueError) as error:
            raise HexaglotError(f"cannot load the CTranslate2 model in {self.directory}: "
                                f"{str(error)[:300]}") from error

    def _max_input_tokens(self) -> int:
        for value in (self.meta.get("max_position_embeddings"), self.meta.get("n_positions"),
                      getattr(self._tokenizer, "model_max_length", None)):
            if isinstance(value, int) and 0 < value < 1_000_000:
                return value
        return _DEFAULT_MAX_INPUT

    def _generate(self, inputs: list[TokenIds], target: str, *, max_new_tokens: int,
                  prefer: list[list[list[TokenIds]]], avoid: list[list[TokenIds]],
                  ) -> list[tuple[TokenIds, bool]]:
        results: list[tuple[TokenIds, bool]] = [([], True)] * len(inputs)
        groups: dict[tuple[tuple[int, ...], ...], list[int]] = {}
        for k, sequences in enumerate(avoid):
            groups.setdefault(tuple(sorted({tuple(s) for s in sequences})), []).append(k)
        for key, members in groups.items():
            for k, result in zip(members, self._translate_group(
                    [inputs[k] for k in members], target, max_new_tokens,
                    [prefer[k] for k in members], [list(s) for s in key]), strict=True):
                results[k] = result
        return results

    def _translate_group(self, inputs: list[TokenIds], target: str, max_new_tokens: int,
                         prefer: list[list[list[TokenIds]]], avoid: list[TokenIds],
                         ) -> list[tuple[TokenIds, bool]]:
        tokenizer = self._tokenizer
        forced = self._target_token_id(target)
        prefix = ([[tokenizer.convert_ids_to_tokens(forced)]] * len(inputs)
                  if forced is not None else None)
        steer = any(prefer)
        beams = max(self.beam_size, _MIN_HYPOTHESES) if steer else self.beam_size
        translated = self._translator.translate_batch(
            [tokenizer.convert_ids_to_tokens(ids) for ids in inputs], target_prefix=prefix,
            max_batch_size=self.batch_size, beam_size=beams,
            num_hypotheses=beams if steer else 1, max_input_length=0,
            max_decoding_length=max_new_tokens, return_end_token=True,
            suppress_sequences=[tokenizer.convert_ids_to_tokens(s) for s in avoid] or None)
        eos = tokenizer.eos_token
        out = []
        for result, terms in zip(translated, prefer, strict=True):
            hypotheses = [tokenizer.convert_tokens_to_ids(h) for h in result.hypotheses]
            best = max(range(len(hypotheses)),
                       key=lambda i: (_satisfied(hypotheses[i], terms), -i))
            tokens = result.hypotheses[best]
            ended = bool(tokens) and tokens[-1] == eos
            ids = hypotheses[best][:-1] if ended else hypotheses[best]
            out.append((ids, ended))
        return out


def _satisfied(ids: TokenIds, terms: list[list[TokenIds]]) -> int:
    return sum(1 for variants in terms if any(_contains(ids, seq) for seq in variants))
