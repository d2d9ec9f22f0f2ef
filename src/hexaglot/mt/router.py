"""Which engines translate a language pair, in which order.

``hexaglot.toml`` names engines and, per language pair, an ordered chain of them::

    [engines.nllb]
    kind = "ctranslate2"                       # apertium | transformers | ctranslate2
    path = "models/nllb-200-distilled-600M-ct2"

    [routes]
    default = ["nllb", "apertium"]             # every pair not listed below
    "en-es" = ["apertium", "nllb"]

A segment goes to the first engine of its chain that covers the pair and works; an engine
that cannot be built (a model folder missing) or fails on a batch hands over to the next,
and after the last one the segment is left for a human translator, saying why. Without
routes, the chain is every configured engine in the order the file lists them, then
Apertium: what this machine has. Engines are built once per process and reused.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from hexaglot.document import HexaglotError
from hexaglot.mt.base import Engine

HUMAN = "human"  # the pseudo-engine: segment left for a human translator
KINDS = ("apertium", "transformers", "ctranslate2")


@dataclass(frozen=True)
class EngineSpec:
    name: str
    kind: str
    options: Mapping[str, Any] = field(default_factory=dict)

    def key(self) -> str:
        return json.dumps([self.name, self.kind, dict(self.options)], sort_keys=True,
                          default=str)


@dataclass(frozen=True)
class Routing:
    engines: Mapping[str, EngineSpec] = field(default_factory=dict)
    routes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def spec(self, name: str) -> EngineSpec:
        if name in self.engines:
            return self.engines[name]
        if name == "apertium":  # built in: needs no settings
            return EngineSpec(name, name)
        known = sorted({*self.engines, "apertium", HUMAN})
        raise HexaglotError(f"unknown engine {name!r}: use one of {', '.join(known)} "
                            "(engines are configured under [engines] in hexaglot.toml)")

    def chain(self, source: str, target: str, preferred: str | None = None) -> tuple[str, ...]:
        """Engine names to try for a pair, best first; "human" ends every chain."""
        if preferred:
            names: tuple[str, ...] = (preferred,)
        else:
            names = (self.routes.get(f"{source}-{target}") or self.routes.get("default")
                     or (*self.engines, *(() if "apertium" in self.engines else ("apertium",))))
        return (*(n for n in names if n != HUMAN), HUMAN)

    def validate(self) -> None:
        """Fail before any work on a chain that names an engine nobody configured."""
        for route, names in self.routes.items():
            for name in names:
                if name != HUMAN:
                    try:
                        self.spec(name)
                    except HexaglotError as error:
                        raise HexaglotError(f"[routes] {route!r}: {error}") from None
        for spec in self.engines.values():
            if spec.kind not in KINDS:
                raise HexaglotError(f"[engines.{spec.name}]: unknown kind {spec.kind!r}: use "
                                    f"one of {', '.join(KINDS)}")


_BUILT: dict[str, Engine | HexaglotError] = {}
_LOCK = threading.Lock()


def build_engine(spec: EngineSpec) -> Engine:
    """The engine for a spec, built once per process; a spec that failed to build fails
    the same way again without retrying the (slow) load."""
    key = spec.key()
    with _LOCK:
        if key not in _BUILT:
            try:
                _BUILT[key] = _construct(spec)
            except HexaglotError as error:
                _BUILT[key] = error
        built = _BUILT[key]
    if isinstance(built, HexaglotError):
        raise built
    return built


def _construct(spec: EngineSpec) -> Engine:
    options = dict(spec.options)
    options.pop("kind", None)
    if spec.kind == "apertium":
        from hexaglot.mt.apertium import ApertiumEngine

        return ApertiumEngine(**options)
    path = options.pop("path", None)
    if not path:
        raise HexaglotError(f"[engines.{spec.name}] in hexaglot.toml: set path = the model's "
                            "folder (see README: plugging in a real model)")
    try:
        if spec.kind == "transformers":
            from hexaglot.mt.transformers_engine import TransformersEngine as engine_class
        elif spec.kind == "ctranslate2":
            from hexaglot.mt.ctranslate2_engine import CTranslate2Engine as engine_class
        else:
            raise HexaglotError(f"[engines.{spec.name}]: unknown kind {spec.kind!r}: use one "
                                f"of {', '.join(KINDS)}")
        return engine_class(path, name=spec.name, **options)
    except ImportError as error:
        raise HexaglotError(f"engine {spec.name!r} needs {error.name or error}: install the "
                            "mt extra (pip install -e '.[mt]')") from None
    except TypeError as error:
        raise HexaglotError(f"[engines.{spec.name}] in hexaglot.toml: {error}") from None


@dataclass(frozen=True)
class Candidate:
    """An engine of a pair's chain, or why it cannot be used."""

    name: str
    engine: Engine | None
    problem: str = ""


def candidates(routing: Routing, source: str, target: str,
               preferred: str | None = None) -> list[Candidate]:
    """The usable engines for a pair, in chain order, with the reasons others were skipped
    (the run report says why a segment went to a human)."""
    found = []
    for name in routing.chain(source, target, preferred):
        if name == HUMAN:
            break
        try:
            engine = build_engine(routing.spec(name))
        except HexaglotError as error:
            found.append(Candidate(name, None, str(error)))
            continue
        if engine.supports(source, target):
            found.append(Candidate(name, engine))
        else:
            found.append(Candidate(name, None, f"{name} does not cover {source}->{target}"))
    return found


def validate_engine_name(name: str | None, routing: Routing | None = None) -> None:
    if name is not None and name != HUMAN:
        (routing or Routing()).spec(name)
