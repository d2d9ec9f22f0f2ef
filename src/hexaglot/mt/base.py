"""The contract every machine-translation engine meets.

An engine translates a batch of plain-text segments for one language pair. Batching is the
only path: engines are expensive to start (a model load, a process pipeline) and cheap per
segment, so callers hand over a whole document's segments at once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from hexaglot.document import InlineSpan

# Text that no engine may touch: e-mail addresses and URLs ("press@..." is not "prensa@"),
# and the placeholders that glossary enforcement puts where a term was (⟦0⟧, ⟦1⟧...).
DO_NOT_TRANSLATE = re.compile(
    r"⟦\d+⟧|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\bhttps?://[^\s<>\"]+[^\s<>\".,;:!?)]|\bwww\.[^\s<>\"]+[^\s<>\".,;:!?)]"
)


def may_protect(text: str) -> bool:
    """Whether :data:`DO_NOT_TRANSLATE` can match in ``text`` at all: not without one of
    these marks. Every segment goes through it, and it tries its e-mail pattern at every
    position of every word (12 ms per 1,000 sentences, against 0.3 ms for this test)."""
    return "@" in text or "://" in text or "www." in text or "⟦" in text


@dataclass(frozen=True)
class Translation:
    text: str
    # What the engine wants the reviser to know, e.g. words it did not know.
    notes: tuple[str, ...] = field(default=())
    # Inline codes over ``text``, from engines that carry them (``inline_codes = True``,
    # which take ``spans=`` in ``translate``); None from every other engine.
    spans: tuple[InlineSpan, ...] | None = None


@runtime_checkable
class Engine(Protocol):
    """What every engine has. Some engines can do more, and say so with an attribute that
    callers look for (``getattr``), so that a plain engine needs none of it:

    - ``inline_codes = True``: ``translate(..., spans=)`` takes each text's inline codes
      and gives them back over each translation (Apertium moves tags with the words);
    - ``prefetch(texts, source, target, spans, then=)``: starts the batch that
      ``translate`` will be asked for next, so that the engine works while hexaglot
      matches the glossary;
    - ``follows_up = True``: ``translate(..., follows=(texts, spans))`` continues in the
      process of the earlier call with those texts (enforcement's second call).
    """

    name: str

    @property
    def version(self) -> str:
        """Engine and data versions, recorded with every run."""
        ...

    def supports(self, source: str, target: str) -> bool:
        ...

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[Translation]:
        ...
