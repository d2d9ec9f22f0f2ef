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
    tm: TMConfig = field(default_factory=lambda: TMConfig())
    nightly: NightlyConfig = field(default_factory=lambda: NightlyConfig())
    briefing: BriefingConfig = field(default_factory=lambda: BriefingConfig())


@dataclass(frozen=True)
class BriefingConfig:
    """``[briefing]``: the event's programme, whose booth packs the nightly batch keeps
    current (regenerated when the programme, a linked document or a glossary changes)."""

    programme: Path | None = None
    docs: Path | None = None  # default: the programme's folder


@dataclass(frozen=True)
class TMConfig:
    """``[tm]``: where the translation memory lives and which matches a run uses."""

    path: Path = Path("data/translation-memory.sqlite")
    enabled: bool = True
    # A fuzzy match at or above this score is put in as the target (labelled "TM fuzzy
    # nn%" for the reviser); below it, MT is used and the match is shown as a suggestion.
    min_score: int = 85
    # Matches as low as this are offered as suggestions where no engine covers the pair.
    suggest_score: int = 70


@dataclass(frozen=True)
class NightlyConfig:
    """``[nightly]``: the scheduled batch's time, time zone and retries."""

    cron: str = "0 2 * * *"
    timezone: str = "Asia/Ho_Chi_Minh"
    retries: int = 2
    retry_delay_seconds: tuple[int, ...] = (30, 120)


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
        tm=_tm(data.get("tm", {}), path, resolve),
        nightly=_nightly(data.get("nightly", {}), path),
        briefing=BriefingConfig(
            programme=resolve(data["briefing"]["programme"])
            if data.get("briefing", {}).get("programme") else None,
            docs=resolve(data["briefing"]["docs"])
            if data.get("briefing", {}).get("docs") else None),
    )


def _score(table: dict, key: str, default: int, path: Path, section: str) -> int:
    value = table.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100:
        raise HexaglotError(f"{path}: [{section}] {key} = {value!r}: give a whole number "
                            "from 0 to 100")
    return value


def _tm(table: dict, path: Path, resolve) -> TMConfig:
    default = TMConfig()
    # HEXAGLOT_TM points a whole session (a test run, a training copy) at another TM file.
    path = os.environ.get("HEXAGLOT_TM") or table.get("path", str(default.path))
    return TMConfig(
        path=resolve(path),
        enabled=bool(table.get("enabled", True)),
        min_score=_score(table, "min_score", default.min_score, path, "tm"),
        suggest_score=_score(table, "suggest_score", default.suggest_score, path, "tm"),
    )


def _nightly(table: dict, path: Path) -> NightlyConfig:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    default = NightlyConfig()
    timezone = table.get("timezone", default.timezone)
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise HexaglotError(f"{path}: [nightly] timezone = {timezone!r} is not a time zone: "
                            "use an IANA name such as \"Asia/Ho_Chi_Minh\" or \"UTC\"") from None
    cron = table.get("cron", default.cron)
    if not isinstance(cron, str) or len(cron.split()) != 5:
        raise HexaglotError(f"{path}: [nightly] cron = {cron!r}: give five cron fields, "
                            "e.g. \"0 2 * * *\" for 02:00 every day")
    delays = table.get("retry_delay_seconds", list(default.retry_delay_seconds))
    if isinstance(delays, int):
        delays = [delays]
    retries = table.get("retries", default.retries)
    if not isinstance(retries, int) or retries < 0 or not all(
            isinstance(d, int) and d >= 0 for d in delays):
        raise HexaglotError(f"{path}: [nightly] retries and retry_delay_seconds must be whole "
                            "numbers of 0 or more")
    return NightlyConfig(cron=cron, timezone=timezone, retries=retries,
                         retry_delay_seconds=tuple(delays))


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
