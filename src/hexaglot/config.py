"""One settings object for the desk, read from ``hexaglot.toml`` and the environment.

The file sits at the project root (or where ``HEXAGLOT_CONFIG`` points); paths in it are
relative to the file, so the CLI and the flows work from any current directory.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from hexaglot.checks import ChecksConfig, Severity
from hexaglot.document import HexaglotError
from hexaglot.languages import UN_LANGUAGES, parse_language_list
from hexaglot.mt.router import EngineSpec, Routing


@dataclass(frozen=True)
class DeskConfig:
    root: Path = Path(".")
    docs_in: Path = Path("docs_in")
    docs_out: Path = Path("docs_out")
    glossaries: tuple[Path, ...] = field(default=())
    targets: tuple[str, ...] = UN_LANGUAGES
    engine: str | None = None
    routing: Routing = field(default_factory=Routing)
    checks: ChecksConfig = field(default_factory=ChecksConfig)


def find_config_file(start: Path | None = None) -> Path | None:
    explicit = os.environ.get("HEXAGLOT_CONFIG")
    if explicit:
        return Path(explicit)
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / "hexaglot.toml").is_file():
            return candidate / "hexaglot.toml"
    return None


def load_config(path: Path | None = None) -> DeskConfig:
    """The desk's configuration, or built-in defaults when there is no ``hexaglot.toml``."""
    path = path or find_config_file()
    if path is None:
        return DeskConfig()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise HexaglotError(f"{path}: cannot read the configuration: {error}") from None
    desk = data.get("desk", {})
    root = path.parent

    def resolve(value: str) -> Path:
        candidate = Path(value)
        return candidate if candidate.is_absolute() else root / candidate

    targets = desk.get("targets", list(UN_LANGUAGES))
    return DeskConfig(
        root=root,
        docs_in=resolve(desk.get("docs_in", "docs_in")),
        docs_out=resolve(desk.get("docs_out", "docs_out")),
        glossaries=tuple(resolve(p) for p in desk.get("glossaries", [])),
        targets=tuple(parse_language_list(",".join(targets), allowed=UN_LANGUAGES,
                                          what="target")),
        engine=desk.get("engine"),
        routing=_routing(data, path, resolve),
        checks=_checks(data.get("checks", {}), path),
    )


def _checks(table: dict, path: Path) -> ChecksConfig:
    """[checks] disabled = [...] and [checks.severity] "code" = "error|warning|info"."""
    severities = {}
    for code, value in table.get("severity", {}).items():
        try:
            severities[code] = Severity(value)
        except ValueError:
            raise HexaglotError(f"{path}: [checks.severity] {code!r} = {value!r}: use error, "
                                "warning or info") from None
    config = ChecksConfig(disabled=frozenset(table.get("disabled", [])), severity=severities)
    try:
        config.validate()
    except HexaglotError as error:
        raise HexaglotError(f"{path}: {error}") from None
    return config


_PATH_OPTIONS = ("path", "tokenizer_path")


def _routing(data: dict, path: Path, resolve) -> Routing:
    """[engines.NAME] tables and the [routes] table; model paths relative to the file."""
    engines = {}
    for name, table in data.get("engines", {}).items():
        if not isinstance(table, dict):
            raise HexaglotError(f"{path}: [engines.{name}] must be a table of settings")
        options = {key: (str(resolve(value)) if key in _PATH_OPTIONS and "://" not in value
                         and not _looks_like_hub_id(value) else value)
                   for key, value in table.items() if key != "kind"}
        engines[name] = EngineSpec(name, table.get("kind", name), options)
    routes = {}
    for pair, chain in data.get("routes", {}).items():
        if not isinstance(chain, list) or not all(isinstance(n, str) for n in chain):
            raise HexaglotError(f"{path}: [routes] {pair!r} must be a list of engine names, "
                                'e.g. ["nllb", "apertium"]')
        routes[pair] = tuple(chain)
    routing = Routing(engines=engines, routes=routes)
    try:
        routing.validate()
    except HexaglotError as error:
        raise HexaglotError(f"{path}: {error}") from None
    return routing


def _looks_like_hub_id(value: str) -> bool:
    """"Helsinki-NLP/opus-mt-en-fr": a hub id (one slash, no local folder of that name)."""
    return value.count("/") == 1 and not value.startswith((".", "/", "~")) \
        and not Path(value).exists()


def documents_in(folder: Path) -> list[Path]:
    """The documents a batch takes from a folder: supported types, hidden files skipped."""
    from hexaglot.formats import FORMATS

    if not folder.is_dir():
        raise HexaglotError(f"{folder}: no such folder: create it and put documents in it")
    return sorted(
        path for path in folder.iterdir()
        if path.is_file() and not path.name.startswith((".", "~$"))
        and path.suffix.lower() in FORMATS
    )
