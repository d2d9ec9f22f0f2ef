"""A loaded glossary with its per-language matchers, and a compiled cache of both.

Building the automata of a UNTERM-sized glossary (100,000 concepts in six languages) takes
tens of seconds; a desk runs many batches a day on the same glossary files. The compiled
index is therefore pickled into a cache folder, keyed by the content of the glossary files
and the hexaglot version, and loaded from there when nothing changed. The cache holds only
what hexaglot itself wrote (it is never shared between users), which is why pickle is
acceptable here.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import threading
from collections.abc import Sequence
from pathlib import Path

from hexaglot import __version__
from hexaglot.atomic import write_bytes_atomic
from hexaglot.glossary import Glossary, load_glossaries, match, model, normalize
from hexaglot.glossary.match import TermMatcher
from hexaglot.glossary.normalize import NORMALIZATION_VERSION
from hexaglot.languages import LANGUAGES

_COMPILING_MODULES = (match, model, normalize)


class GlossaryIndex:
    """A glossary with its matchers, each built once (lazily, thread-safely)."""

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary
        self._matchers: dict[str, TermMatcher] = {}
        self._lock = threading.Lock()

    def matcher(self, lang: str) -> TermMatcher:
        with self._lock:
            if lang not in self._matchers:
                self._matchers[lang] = TermMatcher(self.glossary, lang)
            return self._matchers[lang]

    def compile_all(self) -> GlossaryIndex:
        for lang in LANGUAGES:
            self.matcher(lang)
        return self

    def __getstate__(self) -> dict:
        return {"glossary": self.glossary, "matchers": self._matchers}

    def __setstate__(self, state: dict) -> None:
        self.glossary = state["glossary"]
        self._matchers = state["matchers"]
        self._lock = threading.Lock()


def default_cache_dir() -> Path:
    configured = os.environ.get("HEXAGLOT_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "hexaglot"


def cache_key(paths: Sequence[Path]) -> str:
    """Keyed by the glossary files and by the code that compiles them: an index built by
    other matching code (an upgrade, a local fix) is stale even when the files are not."""
    digest = hashlib.sha256(f"hexaglot {__version__} {NORMALIZATION_VERSION}".encode())
    for module in _COMPILING_MODULES:
        digest.update(Path(module.__file__).read_bytes())
    for path in paths:
        digest.update(str(path.suffix.lower()).encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:32]


def load_index(paths: Sequence[Path], cache_dir: Path | None = None) -> GlossaryIndex:
    """The compiled index for these glossary files, from the cache when they are unchanged.

    Errors in the files surface exactly as from :func:`load_glossaries`; a damaged cache
    file is ignored and rebuilt.
    """
    if not paths:
        return GlossaryIndex(Glossary(concepts=()))
    cache_dir = cache_dir or default_cache_dir()
    try:
        key = cache_key(paths)
    except OSError:
        return GlossaryIndex(load_glossaries(paths))  # let the loader name the missing file
    cached = cache_dir / f"glossary-{key}.pickle"
    if cached.exists():
        try:
            with open(cached, "rb") as handle:
                index = pickle.load(handle)
            if isinstance(index, GlossaryIndex):
                return index
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
            pass  # a damaged or outdated cache file is rebuilt, never fatal
    index = GlossaryIndex(load_glossaries(paths)).compile_all()
    # A read-only cache folder only costs the next run the build time.
    with contextlib.suppress(OSError):
        write_bytes_atomic(cached, pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL))
    return index
