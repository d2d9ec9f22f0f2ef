"""Tiny translation models built on the spot, for testing the neural engines offline.

No model weights can be downloaded on the desk's machines or CI, so the tests build their own:
a SentencePiece vocabulary trained on a few hundred FLORES lines (or generated text when
FLORES is absent), and Marian and NLLB-style models with random weights and a tiny
configuration (a few hundred KB). Their translations are nonsense, but they are real models
of the real classes: they load with ``from_pretrained``, convert with CTranslate2, generate
token by token and have a maximum input length, which is what the engines' code depends on.
Seeds are fixed so every build gives the same weights and the same outputs.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from conftest import FLORES, FLORES_FILES

# A small model maximum makes the "longer than the model's maximum" path cheap to exercise.
MAX_POSITIONS = 64
# Random weights far larger than the usual 0.02 spread the logits far apart, so that greedy
# choices never hinge on float rounding and PyTorch and CTranslate2 pick the same tokens.
_INIT_STD = 0.5

_WORDS = re.findall(r"\w+", (
    "the council meeting member state signing ceremony convention cybercrime office general "
    "assembly secretary report government people city country year new first la el de les los "
    "une uno nación reunión consejo estado miembro firma convención ciberdelincuencia oficina "
    "asamblea general secretario informe gobierno pueblo"))


def training_lines(per_language: int = 300) -> list[str]:
    """FLORES devtest lines in English, French and Spanish, or generated text without FLORES."""
    lines: list[str] = []
    for lang in ("en", "fr", "es"):
        path = FLORES / f"{FLORES_FILES[lang]}.devtest"
        if path.exists():
            lines += path.read_text(encoding="utf-8").splitlines()[:per_language]
    if lines:
        return lines
    rng = random.Random(0)
    return [" ".join(rng.choice(_WORDS) for _ in range(rng.randint(5, 20))).capitalize() + "."
            for _ in range(3 * per_language)]


def train_sentencepiece(lines: list[str], prefix: Path, vocab_size: int = 600) -> Path:
    """A unigram SentencePiece model (``prefix``.model); about a second on a few hundred lines."""
    import sentencepiece as spm

    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_prefix=str(prefix), vocab_size=vocab_size,
        model_type="unigram", character_coverage=1.0, minloglevel=2,
        hard_vocab_limit=False)
    return prefix.with_suffix(".model")


def build_marian(out_dir: Path, lines: list[str], *, seed: int = 0) -> Path:
    """A Marian (OPUS-MT layout) model with random weights, saved in ``out_dir``.

    The layout is the one OPUS-MT ships: ``source.spm``, ``target.spm`` (one shared
    SentencePiece model here), ``vocab.json`` with ``<pad>`` last, and the model weights.
    """
    import shutil

    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    out_dir.mkdir(parents=True, exist_ok=True)
    work = out_dir.parent / (out_dir.name + "-spm")
    work.mkdir(exist_ok=True)
    model_file = train_sentencepiece(lines, work / "spm")
    processor = spm.SentencePieceProcessor(model_file=str(model_file))
    pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    vocab: dict[str, int] = {"</s>": 0, "<unk>": 1}
    for piece in pieces:
        if piece not in vocab and piece != "<s>":
            vocab[piece] = len(vocab)
    vocab["<pad>"] = len(vocab)
    shutil.copy(model_file, work / "source.spm")
    shutil.copy(model_file, work / "target.spm")
    (work / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tokenizer = MarianTokenizer(source_spm=str(work / "source.spm"),
                                target_spm=str(work / "target.spm"),
                                vocab=str(work / "vocab.json"), model_max_length=MAX_POSITIONS)
    pad = vocab["<pad>"]
    config = MarianConfig(
        vocab_size=len(vocab), d_model=32, encoder_layers=1, decoder_layers=1,
        encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=64,
        decoder_ffn_dim=64, max_position_embeddings=MAX_POSITIONS, pad_token_id=pad,
        eos_token_id=0, decoder_start_token_id=pad, forced_eos_token_id=None,
        scale_embedding=True, share_encoder_decoder_embeddings=True, init_std=_INIT_STD)
    torch.manual_seed(seed)
    model = MarianMTModel(config).eval()
    model.generation_config.max_length = MAX_POSITIONS
    model.generation_config.num_beams = 1
    model.generation_config.bad_words_ids = [[pad]]
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    shutil.rmtree(work)
    return out_dir


def build_nllb(out_dir: Path, lines: list[str], *, seed: int = 0) -> Path:
    """An NLLB-200-style model (M2M100 architecture, NllbTokenizer) with random weights.

    The tokenizer is a BPE model trained with ``tokenizers`` (NLLB's own tokenizer class is
    BPE-backed in transformers 5); the 200 NLLB language codes are special tokens appended
    to the vocabulary, as in the real model, so forcing the target language works the same.
    """
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import M2M100Config, M2M100ForConditionalGeneration, NllbTokenizer

    out_dir.mkdir(parents=True, exist_ok=True)
    bpe = Tokenizer(models.BPE(unk_token="<unk>"))
    bpe.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    bpe.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bpe.train_from_iterator(lines, trainers.BpeTrainer(
        vocab_size=700, special_tokens=["<s>", "<pad>", "</s>", "<unk>"], show_progress=False))
    saved = json.loads(bpe.to_str())
    merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m)
              for m in saved["model"]["merges"]]
    tokenizer = NllbTokenizer(vocab=saved["model"]["vocab"], merges=merges, src_lang="eng_Latn",
                              model_max_length=MAX_POSITIONS)
    config = M2M100Config(
        vocab_size=len(tokenizer), d_model=32, encoder_layers=1, decoder_layers=1,
        encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=64,
        decoder_ffn_dim=64, max_position_embeddings=MAX_POSITIONS, pad_token_id=1,
        bos_token_id=0, eos_token_id=2, decoder_start_token_id=2, scale_embedding=True,
        tokenizer_class="NllbTokenizer", init_std=_INIT_STD)
    torch.manual_seed(seed)
    model = M2M100ForConditionalGeneration(config).eval()
    model.generation_config.max_length = MAX_POSITIONS
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    return out_dir
