"""Which engine translates a language pair: the first in the chain that supports it.

Engines are built once per process and reused. The chain is deliberately short today
(Apertium, then a human); configured chains in ``hexaglot.toml`` come with the transformers
and CTranslate2 engines.
"""

from __future__ import annotations

import functools

from hexaglot.document import HexaglotError
from hexaglot.mt.apertium import ApertiumEngine
from hexaglot.mt.base import Engine

HUMAN = "human"  # the pseudo-engine: segment left for a human translator
ENGINES = {"apertium": ApertiumEngine}
DEFAULT_CHAIN = ("apertium",)


@functools.cache
def get_engine(name: str) -> Engine:
    try:
        return ENGINES[name]()
    except KeyError:
        raise HexaglotError(
            f"unknown engine {name!r}: use one of {', '.join([*ENGINES, HUMAN])}"
        ) from None


def validate_engine_name(name: str | None) -> None:
    if name is not None and name != HUMAN:
        get_engine(name)


def engine_for(source: str, target: str, preferred: str | None = None) -> Engine | None:
    """The engine to use for a pair, or None when the pair goes to a human translator."""
    if preferred == HUMAN:
        return None
    chain = (preferred,) if preferred else DEFAULT_CHAIN
    for name in chain:
        engine = get_engine(name)
        if engine.supports(source, target):
            return engine
    return None
