"""Sentence segmentation per language.

Translation memories, MT engines and reviewers all work sentence by sentence, so blocks are
cut into sentences with pysbd's per-language rules (its Golden Rules cover abbreviations,
numbers, quotations and Chinese/Arabic end marks). Languages pysbd lacks use the English
rules, and a short per-language list mends the abbreviations pysbd still splits on.
"""

from __future__ import annotations

import functools
import re
from typing import ClassVar

import pysbd
from pysbd.lang.arabic import Arabic as _PysbdArabic

from hexaglot.document import Block, Segment
from hexaglot.inline import clip

_PYSBD_LANGS = {"ar", "zh", "en", "fr", "ru", "es"}

# Abbreviations after which pysbd wrongly ends a sentence in UN texts ("Sr. Guterres").
_NO_BREAK_AFTER = {
    "es": ("Sr.", "Sra.", "Srta.", "Excmo.", "Excma.", "Dr.", "Dra.", "Ud.", "Uds.", "núm.",
           "art.", "párr."),
    "fr": ("M.", "Mme", "MM.", "Mmes", "Dr", "art.", "par."),
    "en": ("Mr.", "Mrs.", "Ms.", "Dr.", "H.E.", "No.", "para.", "art."),
    "ru": ("т. е.", "т.е.", "г.", "гг.", "ст.", "п.", "г-н", "г-жа"),
    "vi": ("TS.", "PGS.", "GS.", "ThS."),
    "id": ("Bpk.", "Dr.", "No."),
}


# pysbd writes its regular expressions as it goes (one per abbreviation and rule it tries),
# over a thousand distinct ones in a long document, and the re module keeps 512 compiled:
# every document compiled them all again, half of segmentation's time.
if getattr(re, "_MAXCACHE", 4096) < 4096:
    re._MAXCACHE = 4096  # type: ignore[attr-defined]


class _ArabicRules(_PysbdArabic):
    """pysbd's Arabic rules less two faults, which cut FLORES devtest sentences into pieces
    a reviser could not work with (74 of the 1,012 are segmented differently without them:
    1,118 segments instead of 1,239):

    - they end a sentence at the Arabic comma and at a colon ("تلقت أغنيتان من الفيلم،"
      alone; "قال الأمين العام:" alone): only . ! ? and ؟ end one here, as in the other
      languages;
    - an abbreviation that is one letter (ه, م, ا) found at the start of a block made every
      period after that letter anywhere in the block an abbreviation's: "ووقعت عليه. ثم
      انتهى الحفل." stayed one sentence. A period is an abbreviation's only after the
      abbreviation as a word of its own.
    """

    Punctuations: ClassVar[list[str]] = ["?", "!", ".", "؟"]
    SENTENCE_BOUNDARY_REGEX = r".*?[\.!\?؟]|.*?\Z|.*?$"

    class AbbreviationReplacer(_PysbdArabic.AbbreviationReplacer):
        def scan_for_replacements(self, txt: str, am: str, index: int,
                                  character_array: list[str]) -> str:
            return re.sub(rf"(^|\s)({re.escape(am.strip())})\.", "\\1\\2∯", txt)


@functools.cache
def _segmenter(lang: str) -> pysbd.Segmenter:
    segmenter = pysbd.Segmenter(language=lang if lang in _PYSBD_LANGS else "en", clean=False,
                                char_span=True)
    if lang == "ar":
        segmenter.language_module = _ArabicRules
    return segmenter


# A sentence end with more text after it; without one, a block is a single sentence and
# pysbd (about half a millisecond a block: it compiles regular expressions as it goes) is
# skipped. pysbd's rules for the six languages (ours for Arabic) never end a sentence at
# ";" or ":", and a block with only those marks (a fifth of the FLORES blocks that pysbd
# reads, with the same sentences out) is not worth its time; the broad pattern stays for
# the languages read with the English rules (vi, id).
_POSSIBLE_BREAK = re.compile(r"[.!?…;:؟][\"'”’»)\]]*\s+\S|[。！？]\S")
_STANDARD_BREAK = re.compile(r"[.!?…؟][\"'”’»)\]]*\s+\S|[。！？]\S")
_STANDARD_LANGS = {"ar", "en", "fr", "es", "ru", "zh"}


def split_sentences(text: str, lang: str) -> list[tuple[str, str]]:
    """Sentences of ``text`` as (sentence, whitespace that follows it) pairs.

    Joining the pairs gives back ``text`` exactly, which the writers rely on.
    """
    if not text.strip():
        return []
    if not (_STANDARD_BREAK if lang in _STANDARD_LANGS else _POSSIBLE_BREAK).search(text):
        stripped = text.rstrip()
        return [(stripped, text[len(stripped):])]
    spans = _segmenter(lang).segment(text)
    pieces: list[str] = []
    position = 0
    for span in spans:
        # pysbd's spans can skip characters; take everything up to each span's end.
        end = max(span.end, position)
        pieces.append(text[position:end])
        position = end
    if position < len(text):
        if pieces:
            pieces[-1] += text[position:]
        else:
            pieces.append(text[position:])
    merged: list[str] = []
    for piece in pieces:
        if merged and (merged[-1].rstrip().endswith(_NO_BREAK_AFTER.get(lang, ()))
                       or not piece.strip()):
            merged[-1] += piece
        else:
            merged.append(piece)
    result = []
    for piece in merged:
        stripped = piece.rstrip()
        result.append((stripped, piece[len(stripped):]))
    return result


_LEADING_SPACE = re.compile(r"^\s+")


def segment_blocks(blocks: tuple[Block, ...], lang: str) -> tuple[Segment, ...]:
    """Cut every block into sentences; ids are ``<block>.<n>`` so they survive edits.

    Each segment gets the block's inline codes that fall in it; an object (note reference,
    image) in the blank after a sentence goes with that sentence.
    """
    segments: list[Segment] = []
    for block in blocks:
        text = _LEADING_SPACE.sub("", block.text)
        position = len(block.text) - len(text)
        sentences = split_sentences(text, lang)
        for number, (sentence, trailing) in enumerate(sentences, start=1):
            start, end = position, position + len(sentence)
            position = end + len(trailing)
            spans = clip(block.spans, start, end, owns=(0 if number == 1 else start, position),
                         closed=number == len(sentences)) if block.spans else ()
            segments.append(Segment(id=f"{block.index + 1}.{number}", block_index=block.index,
                                    text=sentence, lang=lang, trailing=trailing, spans=spans))
    return tuple(segments)
