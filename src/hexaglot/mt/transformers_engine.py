"""Neural engines over local model folders, and the transformers (PyTorch) engine.

``NeuralEngine`` holds what the transformers and CTranslate2 engines share: checking the model
folder when the engine is built (so a missing file is reported before a run starts, not on
its hundredth segment), the pairs a model covers, batching (sorted by length, so padding is
small, and put back in the caller's order), splitting segments longer than the model's input
limit (a model silently drops what does not fit: a reviser would never see that half a
paragraph is missing), and per-segment steering towards or away from target terms, which the
glossary enforcement uses. Subclasses supply loading and generation only.

torch, transformers and ctranslate2 are imported inside methods: the rest of hexaglot works
without the ``mt`` extra installed.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from hexaglot.document import HexaglotError
from hexaglot.mt.base import Translation
from hexaglot.mt.model_family import (
    TOKENIZER_CLASSES,
    ModelFamily,
    detect_family,
    family,
    missing_tokenizer_files,
    model_metadata,
    model_pairs,
)

WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin", "model.safetensors.index.json",
                "pytorch_model.bin.index.json")
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")

# Where a long segment may be cut, best first: after a sentence, after a clause, between
# words; the last resort (text without spaces or punctuation) is between characters.
_CUTS = (
    re.compile(r"(?<=[.!?…])[\"'”’»)\]]*\s+|(?<=[。！？؟])\s*"),
    re.compile(r"(?<=[,;:،؛])\s+|(?<=[，；：、])\s*"),
    re.compile(r"\s+"),
)

TokenIds = list[int]


def resolve_model_path(path: str | Path) -> Path:
    """A local model folder, or a Hub id fetched into (or found in) the Hugging Face cache.

    A Hub id only works where the machine has network, or the model is already in the cache
    and ``HF_HUB_OFFLINE=1`` is set; huggingface_hub honours that variable itself.
    """
    local = Path(path).expanduser()
    if local.exists():
        if not local.is_dir():
            raise HexaglotError(f"model folder {local} is a file, not a folder: pass the folder "
                                "that holds config.json and the weights")
        return local
    text = str(path)
    if not _HUB_ID.match(text) or text.startswith((".", "~")):
        raise HexaglotError(f"model folder {local} does not exist: check the path, or fetch the "
                            "model with `hexaglot models download HUB_ID`")
    try:
        from huggingface_hub import snapshot_download
    except ImportError as error:
        raise HexaglotError(f"model {text}: not a local folder, and huggingface_hub is not "
                            "installed to fetch it: pip install -e .[mt]") from error
    try:
        return Path(snapshot_download(text))
    except Exception as error:  # offline, unknown id, gated model: all say the same to the user
        raise HexaglotError(
            f"model {text}: not a local folder, and it could not be fetched from the Hugging "
            f"Face Hub ({type(error).__name__}: {str(error)[:200]}). Where there is network, "
            f"run `hexaglot models download {text}` and pass the downloaded folder") from error


def short_hash(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def split_to_fit(text: str, count: Callable[[list[str]], list[int]], limit: int) -> list[str]:
    """``text`` cut into pieces of at most ``limit`` tokens each, nothing dropped.

    Cuts fall after sentences where possible, then after clauses, then between words, and
    between characters only for text that has none of those. ``count`` gives the token counts
    of a list of texts, the model's own special tokens included.
    """
    if count([text])[0] <= limit:
        return [text]
    overhead = count([""])[0]
    if limit <= overhead:
        raise HexaglotError(f"the model's maximum input of {limit} tokens leaves no room for text")
    return [piece for piece in _pack(text, 0, count, limit, overhead) if piece.strip()]


def _cut(text: str, level: int) -> list[str]:
    if level >= len(_CUTS):
        return list(text)
    parts, start = [], 0
    for match in _CUTS[level].finditer(text):
        if match.end() > start:
            parts.append(text[start:match.end()])
            start = match.end()
    parts.append(text[start:])
    return [part for part in parts if part]


def _pack(text: str, level: int, count: Callable[[list[str]], list[int]], limit: int,
          overhead: int) -> list[str]:
    parts = _cut(text, level)
    if len(parts) <= 1 and level < len(_CUTS):
        return _pack(text, level + 1, count, limit, overhead)
    sizes = [n - overhead for n in count([part.strip() or part for part in parts])]
    chunks: list[str] = []
    current: list[str] = []
    size = overhead

    def flush() -> None:
        nonlocal current, size
        if current:
            chunks.append("".join(current).strip())
        current, size = [], overhead

    for part, n in zip(parts, sizes, strict=True):
        if n + overhead > limit:
            flush()
            chunks.extend(_pack(part, level + 1, count, limit, overhead))
            continue
        if current and size + n > limit:
            flush()
        current.append(part)
        size += n
    flush()
    # Token counts of pieces do not quite add up (tokenizers merge across cuts): check each.
    fitted: list[str] = []
    for chunk, n in zip(chunks, count(chunks), strict=True):
        if n <= limit or level >= len(_CUTS):
            fitted.append(chunk)
        else:
            fitted.extend(_pack(chunk, level + 1, count, limit, overhead))
    return fitted


class NeuralEngine:
    """The part of a neural engine that does not depend on the runtime (PyTorch, CTranslate2)."""

    name: str
    runtime = ""

    def __init__(self, path: str | Path, *, name: str, family: str | None,
                 pairs: Sequence[tuple[str, str]] | None, device: str, beam_size: int,
                 batch_size: int, max_new_tokens: int | None,
                 tokenizer_path: str | Path | None = None) -> None:
        self.name = name
        self.directory = resolve_model_path(path)
        self.tokenizer_directory = (resolve_model_path(tokenizer_path) if tokenizer_path
                                    else self.directory)
        self.meta = model_metadata(self.tokenizer_directory) | model_metadata(self.directory)
        self.family = self._family(family)
        self._check_files()
        self.pairs = model_pairs(self.family, self.directory, self.meta, pairs)
        self.device = device
        self.beam_size = beam_size
        self.batch_size = batch_size
        self.max_new_tokens = max_new_tokens
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    # -- what subclasses provide -------------------------------------------------------------
    def _missing_files(self) -> list[str]:
        raise NotImplementedError

    def _load_model(self) -> None:
        raise NotImplementedError

    def _max_input_tokens(self) -> int:
        raise NotImplementedError

    def _generate(self, inputs: list[TokenIds], target: str, *, max_new_tokens: int,
                  prefer: list[list[list[TokenIds]]], avoid: list[list[TokenIds]],
                  ) -> list[tuple[TokenIds, bool]]:
        """Output ids for each input, without the end token and anything after it (a forced
        language token stays first), and whether the output ended (False: hit the limit)."""
        raise NotImplementedError

    # -- the Engine contract -----------------------------------------------------------------
    @property
    def version(self) -> str:
        raise NotImplementedError

    def supports(self, source: str, target: str) -> bool:
        return (source, target) in self.pairs

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[Translation]:
        return self.translate_steered(texts, source, target, prefer=(), avoid=())

    def translate_steered(self, texts: Sequence[str], source: str, target: str, *,
                          prefer: Sequence[Sequence[str]] = (),
                          avoid: Sequence[Sequence[str]] = ()) -> list[Translation]:
        """Translate, steering segment i towards the target terms ``prefer[i]`` and away from
        ``avoid[i]`` (target-language strings; an empty or short list means no steering)."""
        if not self.supports(source, target):
            covered = ", ".join(f"{s}->{t}" for s, t in sorted(self.pairs)) or "none found"
            raise HexaglotError(f"model {self.directory} does not translate {source}->{target} "
                                f"(it covers: {covered})")
        self._ensure_loaded()
        limit = self._max_input_tokens()

        def count(parts: list[str]) -> list[int]:
            return [len(ids) for ids in self._encode(parts, source, target)]

        pieces: list[tuple[int, str]] = []
        splits: dict[int, int] = {}
        for index, text in enumerate(texts):
            if not text.strip():
                continue
            parts = split_to_fit(text, count, limit)
            if len(parts) > 1:
                splits[index] = len(parts)
            pieces.extend((index, part) for part in parts)

        encoded = self._encode([part for _, part in pieces], source, target)
        prefer_ids = [self._term_ids(prefer[i] if i < len(prefer) else ()) for i, _ in pieces]
        avoid_ids = [[ids for term in self._term_ids(avoid[i] if i < len(avoid) else ())
                      for ids in term] for i, _ in pieces]
        outputs: list[tuple[str, bool]] = [("", True)] * len(pieces)
        order = sorted(range(len(pieces)), key=lambda k: -len(encoded[k]))
        for start in range(0, len(order), self.batch_size):
            batch = order[start:start + self.batch_size]
            # Each segment's output budget depends on its own length, never on its batch
            # mates: a document translates the same whatever the batching.
            budgets = [self.max_new_tokens or min(limit, 2 * len(encoded[k]) + 16)
                       for k in batch]
            results = self._generate([encoded[k] for k in batch], target,
                                     max_new_tokens=max(budgets),
                                     prefer=[prefer_ids[k] for k in batch],
                                     avoid=[avoid_ids[k] for k in batch])
            for k, budget, (ids, ended) in zip(batch, budgets, results, strict=True):
                if len(ids) >= budget:
                    ids, ended = ids[:budget], False
                outputs[k] = (self._tokenizer.decode(ids, skip_special_tokens=True).strip(),
                              ended)

        joined: dict[int, list[str]] = {}
        cut_short: set[int] = set()
        for (index, _), (text, ended) in zip(pieces, outputs, strict=True):
            joined.setdefault(index, []).append(text)
            if not ended:
                cut_short.add(index)
        glue = "" if target == "zh" else " "
        results_out = []
        for index in range(len(texts)):
            notes = []
            if index in splits:
                notes.append(f"split into {splits[index]} parts: longer than the model's "
                             f"maximum of {limit} tokens")
            if index in cut_short:
                notes.append("the model stopped at its output limit: the translation may be "
                             "cut short")
            results_out.append(Translation(glue.join(joined.get(index, [])), tuple(notes)))
        return results_out

    # -- shared plumbing ---------------------------------------------------------------------
    def _family(self, declared: str | None) -> ModelFamily:
        if declared:
            return family(declared)
        if not self.directory.exists():
            raise HexaglotError(f"model folder {self.directory} does not exist")
        detected = detect_family(self.tokenizer_directory, self.meta)
        if detected is None:
            absent = [name for name in ("config.json", "tokenizer_config.json")
                      if not (self.tokenizer_directory / name).exists()
                      and not (self.directory / name).exists()]
            missing = f"missing {', '.join(absent)}; " if absent else ""
            raise HexaglotError(
                f"model folder {self.directory} is incomplete or unknown: {missing}cannot tell "
                "the model family from config.json (model_type) or tokenizer_config.json "
                "(tokenizer_class). Download the model again, or pass family= (marian, nllb, "
                "m2m100, madlad)")
        return detected

    def _check_files(self) -> None:
        missing = self._missing_files()
        if missing:
            raise HexaglotError(self._missing_message(missing))

    def _missing_message(self, missing: list[str]) -> str:
        return (f"model folder {self.directory} is incomplete: missing {', '.join(missing)}. "
                "Download the model again (`hexaglot models download HUB_ID`)")

    def _ensure_loaded(self) -> None:
        with self._lock:
            if self._tokenizer is None:
                self._tokenizer = self._load_tokenizer()
                self._load_model()

    def _load_tokenizer(self) -> Any:
        import transformers

        cls = (transformers.AutoTokenizer if self.meta.get("tokenizer_class")
               else getattr(transformers, TOKENIZER_CLASSES[self.family.name]))
        try:
            return cls.from_pretrained(str(self.tokenizer_directory))
        except Exception as error:
            raise HexaglotError(f"cannot load the tokenizer in {self.tokenizer_directory}: "
                                f"{type(error).__name__}: {str(error)[:300]}") from error

    def _encode(self, texts: list[str], source: str, target: str) -> list[TokenIds]:
        """Source token ids, the model's special tokens and language choice included."""
        if not texts:
            return []
        tokenizer = self._tokenizer
        src_lang = self.family.source_language(source)
        if src_lang is not None and getattr(tokenizer, "src_lang", None) != src_lang:
            tokenizer.src_lang = src_lang
        prefix = self.family.source_prefix(target, self._vocabulary())
        return tokenizer([prefix + text for text in texts], verbose=False)["input_ids"]

    def _vocabulary(self) -> frozenset[str]:
        cached = getattr(self, "_vocab_cache", None)
        if cached is None:
            cached = frozenset(self._tokenizer.get_vocab())
            self._vocab_cache = cached
        return cached

    def _target_token_id(self, target: str) -> int | None:
        token = self.family.target_token(target)
        if token is None:
            return None
        token_id = self._tokenizer.convert_tokens_to_ids(token)
        if token_id is None or token_id == self._tokenizer.unk_token_id:
            raise HexaglotError(f"model {self.directory} has no language token {token} for "
                                f"{target}: is family={self.family.name} right?")
        return int(token_id)

    def _term_ids(self, terms: Sequence[str]) -> list[list[TokenIds]]:
        """Token sequences of each term as the model writes it: as found, and capitalised
        (a term that opens a sentence is tokenised differently)."""
        out: list[list[TokenIds]] = []
        for term in terms:
            term = term.strip()
            if not term:
                continue
            variants = {term, term[:1].upper() + term[1:]}
            ids = [list(self._tokenizer(text_target=v, add_special_tokens=False)["input_ids"])
                   for v in sorted(variants)]
            out.append([seq for seq in ids if seq])
        return out


class TransformersEngine(NeuralEngine):
    """Marian/OPUS-MT, NLLB-200, M2M100 or MADLAD models run with transformers and PyTorch."""

    runtime = "transformers"

    def __init__(self, path: str | Path, *, name: str = "transformers",
                 family: str | None = None, pairs: Sequence[tuple[str, str]] | None = None,
                 device: str = "auto", beam_size: int = 4, batch_size: int = 16,
                 max_new_tokens: int | None = None, prefer_bias: float = 5.0) -> None:
        super().__init__(path, name=name, family=family, pairs=pairs, device=device,
                         beam_size=beam_size, batch_size=batch_size,
                         max_new_tokens=max_new_tokens)
        self.prefer_bias = prefer_bias
        self._model: Any = None
        self._torch_device = "cpu"

    @property
    def version(self) -> str:
        try:
            import transformers
            runtime = f"transformers {transformers.__version__}"
        except ImportError:
            runtime = "transformers not installed"
        config = short_hash(self.directory / "config.json")
        return f"{self.family.name} {self.directory.name} config {config}; {runtime}"

    def _missing_files(self) -> list[str]:
        missing = [] if (self.directory / "config.json").exists() else ["config.json"]
        if not any((self.directory / name).exists() for name in WEIGHT_FILES):
            missing.append("model weights (model.safetensors or pytorch_model.bin)")
        missing += missing_tokenizer_files(self.family, self.tokenizer_directory)
        return missing

    def _load_model(self) -> None:
        try:
            import torch
            from transformers import AutoModelForSeq2SeqLM
        except ImportError as error:
            raise HexaglotError("the transformers engine needs torch and transformers: "
                                "pip install -c constraints.txt -e .[mt]") from error
        device = self.device
        if device == "auto":
            device = "cuda" if torch.cuda.is_available() else "cpu"
        self._torch_device = device
        try:
            model = AutoModelForSeq2SeqLM.from_pretrained(str(self.directory))
        except Exception as error:
            raise HexaglotError(f"cannot load the model in {self.directory}: "
                                f"{type(error).__name__}: {str(error)[:300]}") from error
        self._model = model.to(device).eval()

    def _max_input_tokens(self) -> int:
        config = self._model.config
        limits = [getattr(config, "max_position_embeddings", None),
                  getattr(self._tokenizer, "model_max_length", None)]
        usable = [int(n) for n in limits if isinstance(n, int) and 0 < n < 1_000_000]
        return min(usable) if usable else 512

    def _generate(self, inputs: list[TokenIds], target: str, *, max_new_tokens: int,
                  prefer: list[list[list[TokenIds]]], avoid: list[list[TokenIds]],
                  ) -> list[tuple[TokenIds, bool]]:
        import torch
        from transformers import LogitsProcessorList

        tokenizer = self._tokenizer
        batch = tokenizer.pad({"input_ids": inputs}, return_tensors="pt")
        forced = self._target_token_id(target)
        kwargs: dict[str, Any] = {
            "num_beams": self.beam_size, "do_sample": False, "max_new_tokens": max_new_tokens,
            "max_length": None,
        }
        if forced is not None:
            kwargs["forced_bos_token_id"] = forced
        if any(prefer) or any(avoid):
            kwargs["logits_processor"] = LogitsProcessorList(
                [_Steer(prefer, avoid, self.beam_size, self.prefer_bias)])
        with torch.inference_mode():
            sequences = self._model.generate(
                input_ids=batch["input_ids"].to(self._torch_device),
                attention_mask=batch["attention_mask"].to(self._torch_device), **kwargs)
        eos = self._model.generation_config.eos_token_id
        eos_ids = set(eos if isinstance(eos, list) else [eos])
        results = []
        for row in sequences.tolist():
            generated = row[1:]  # after the decoder start token
            end = next((i for i, token in enumerate(generated) if token in eos_ids), None)
            results.append((generated, False) if end is None else (generated[:end], True))
        return results


class _Steer:
    """A logits processor with per-segment constraints, so one batch serves all segments.

    ``avoid``: a token sequence whose first tokens were just generated cannot be completed
    (the last token gets -inf), as ``bad_words_ids`` does, but per segment. ``prefer``: until
    one variant of a term appears in the output, the term's next token gets ``bias`` when the
    output ends with the start of the term, and its first token gets half of it otherwise, as
    ``sequence_bias`` does, but it stops once the term is there (so it is not repeated).
    Rows are segments times beams, in that order, as generate() lays them out.
    """

    def __init__(self, prefer: list[list[list[TokenIds]]], avoid: list[list[TokenIds]],
                 beams: int, bias: float) -> None:
        self.prefer, self.avoid, self.beams, self.bias = prefer, avoid, beams, bias

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        rows = input_ids.tolist()
        for row, generated in enumerate(rows):
            segment = row // self.beams
            for seq in self.avoid[segment]:
                k = len(seq) - 1
                if k == 0 or (len(generated) >= k and generated[-k:] == seq[:-1]):
                    scores[row, seq[-1]] = float("-inf")
            for variants in self.prefer[segment]:
                if any(_contains(generated, seq) for seq in variants):
                    continue
                for seq in variants:
                    step = _next_step(generated, seq)
                    if step:
                        scores[row, seq[step]] += self.bias
                    else:
                        scores[row, seq[0]] += self.bias / 2
        return scores


def _contains(haystack: TokenIds, needle: TokenIds) -> bool:
    n = len(needle)
    return any(haystack[i:i + n] == needle for i in range(len(haystack) - n + 1))


def _next_step(generated: TokenIds, seq: TokenIds) -> int:
    """How many leading tokens of ``seq`` the output ends with (a proper prefix), or 0."""
    for k in range(min(len(seq) - 1, len(generated)), 0, -1):
        if generated[-k:] == seq[:k]:
            return k
    return 0
