"""The desk's translation memory in one SQLite file (:class:`SQLiteTM`).

One file, so that a desk can copy, back up and mail its memory; SQLite, so that the
pipeline's threads, a nightly batch and a translator's ``hexaglot tm import`` can use it at
the same time. The file is in WAL mode: readers never wait for a writer, and a writer waits
``timeout`` seconds for another one before saying which process holds the file.

Tables::

    sources   one row per distinct source segment and language pair: its norm and masked
              texts (see hexaglot.tm.text), and 64-bit hashes of the language pair with
              norm and with loose, indexed (hashes keep the indexes small; rows found by
              them are compared on their text)
    units     one row per unit: a source in one context (previous and next segment hashes),
              its target, origin and rank, date, document, engine, note
    terms     the fuzzy index's terms (64-bit hashes of language pair + term) and how many
              sources hold each (df)
    postings  (term, source, length of the source's masked text): the inverted index
    pairs     sources per language pair, for the index's term weights
    meta      what wrote the file

``PRAGMA application_id`` marks the file as a hexaglot TM and ``PRAGMA user_version`` is
its schema version: a file from a newer hexaglot is refused rather than half understood.

Lookups (:meth:`SQLiteTM.lookup`) take a document's segments at once:

1. exact matches for all of them in one query on the ``norm`` key (101 when the unit's
   previous and next hashes are the query's and at least one is known, 100 otherwise);
2. for the rest, the stored segments that differ only in case, punctuation or variables,
   in one query on the ``loose`` key;
3. then fuzzy candidates from the inverted index: of the query's terms known to the index,
   the :data:`MAX_TERMS` rarest (lowest df; a term held by more than
   :data:`POSTINGS_PER_TERM` sources only while fewer than :data:`MIN_TERMS` rarer ones
   were found: it says little and costs much), at most :data:`POSTINGS_PER_TERM` postings
   each (newest first). Each source found is weighted by the sum of ln(1 + N/df) of the
   terms it shares, times the best similarity its length allows (2 min(a, b) / (a + b) of
   the masked lengths: a stored sentence with the query's words plus a long clause cannot
   score high, and among near-duplicates the one of the query's length comes first);
   sources whose length alone keeps them under ``min_score`` are dropped. The
   :data:`MAX_CANDIDATES` heaviest are scored with rapidfuzz (:mod:`hexaglot.tm.scoring`).
   The work per query is bounded by these constants, not by the size of the memory;
   :attr:`SQLiteTM.stats` counts it.

Among equal scores the higher origin rank wins (human-revised > imported > MT), then the
newer unit.
"""

from __future__ import annotations

import heapq
import math
import os
import re
import sqlite3
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cached_property
from operator import itemgetter
from pathlib import Path
from types import TracebackType

from hexaglot import __version__
from hexaglot.document import HexaglotError
from hexaglot.languages import normalize_code
from hexaglot.tm.memory import (
    CONTEXT_MATCH,
    EXACT_MATCH,
    LookupQuery,
    TMMatch,
    TMUnit,
    UnitOrigin,
)
from hexaglot.tm.scoring import BEST_FUZZY, adapt_target, score
from hexaglot.tm.text import (
    CODE_SENTINEL,
    NUMBER_SENTINEL,
    SegmentKeys,
    Variable,
    find_variables,
    index_terms,
    loose_key,
    segment_keys,
    term_hash,
    text_key,
)

SCHEMA_VERSION = 1
APPLICATION_ID = 0x68787467  # "hxtg"
DEFAULT_TM_PATH = Path("data") / "translation-memory.sqlite"
DEFAULT_TIMEOUT = 30.0

MAX_TERMS = 12  # rarest query terms whose postings are read
MIN_TERMS = 4  # terms read even when common, for queries of common words only
POSTINGS_PER_TERM = 400  # postings read per term, newest first
MAX_CANDIDATES = 30  # index candidates scored per query
LOOSE_CANDIDATES = 5  # sources per loose key (case/punctuation/variables variants) scored

_SQLITE_HEADER = b"SQLite format 3\x00"
_CANONICAL_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\Z")
_CHUNK = 500  # values per IN (...) list

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    norm_key INTEGER NOT NULL,
    loose_key INTEGER NOT NULL,
    norm TEXT NOT NULL,
    masked TEXT NOT NULL
);
CREATE INDEX sources_norm ON sources (norm_key);
CREATE INDEX sources_loose ON sources (loose_key);
CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources (id),
    previous_hash TEXT NOT NULL,
    next_hash TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    origin TEXT NOT NULL,
    rank INTEGER NOT NULL,
    created TEXT NOT NULL,
    document TEXT NOT NULL,
    engine TEXT NOT NULL,
    note TEXT NOT NULL,
    UNIQUE (source_id, previous_hash, next_hash)
);
CREATE TABLE terms (hash INTEGER PRIMARY KEY, df INTEGER NOT NULL);
CREATE TABLE postings (
    term INTEGER NOT NULL,
    source_id INTEGER NOT NULL,
    length INTEGER NOT NULL,
    PRIMARY KEY (term, source_id)
) WITHOUT ROWID;
CREATE TABLE pairs (
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    sources INTEGER NOT NULL,
    PRIMARY KEY (source_lang, target_lang)
) WITHOUT ROWID;
"""

_UNIT_COLUMNS = ("u.id, s.source_lang, s.target_lang, u.source, u.target, u.origin, u.rank, "
                 "u.document, u.created, u.previous_hash, u.next_hash, u.engine, u.note")

_UPSERT_UNIT = """
INSERT INTO units (source_id, previous_hash, next_hash, source, target, origin, rank, created,
                   document, engine, note)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (source_id, previous_hash, next_hash) DO UPDATE SET
    source = excluded.source, target = excluded.target, origin = excluded.origin,
    rank = excluded.rank, created = excluded.created, document = excluded.document,
    engine = excluded.engine, note = excluded.note
WHERE excluded.rank >= units.rank
"""


def default_tm_path(configured: Path | str | None = None) -> Path:
    """Where the desk's TM lives: ``configured`` (from ``[tm] path`` in hexaglot.toml;
    relative paths are relative to that file), else ``data/translation-memory.sqlite``
    beside hexaglot.toml, or in the current folder when there is none."""
    from hexaglot.config import find_config_file

    config_file = find_config_file()
    root = config_file.parent if config_file else Path.cwd()
    if configured:
        path = Path(configured).expanduser()
        return path if path.is_absolute() else root / path
    return root / DEFAULT_TM_PATH


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def normalize_created(value: str) -> str:
    """An ISO 8601 time as the store keeps it, UTC to the second (``2025-03-14T15:45:00Z``),
    so that the newest unit is the greatest string; now when empty."""
    if not value:
        return now_iso()
    if _CANONICAL_TIME.match(value):
        return value
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"unit date {value!r} is not ISO 8601 (e.g. 2025-03-14T15:45:00Z)") \
            from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _lang(code: str) -> str:
    return normalize_code(code) or code.strip().lower()


def _chunks(values: Sequence, size: int = _CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def lock_holders(path: Path) -> str:
    """Which other processes hold a lock on the database (its -shm and -wal files
    included), from /proc/locks: "process 1234: python3 nightly.py"; "" when unknown (not
    Linux, or the lock is gone)."""
    inodes = set()
    for candidate in (path, path.with_name(path.name + "-shm"),
                      path.with_name(path.name + "-wal")):
        try:
            inodes.add(candidate.stat().st_ino)
        except OSError:
            continue
    try:
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return ""
    pids: list[int] = []
    for line in lines:
        fields = line.split()
        if "->" in fields or len(fields) < 6:  # "->": a process waiting, not holding
            continue
        try:
            pid = int(fields[4])
            inode = int(fields[5].rsplit(":", 1)[1])
        except (ValueError, IndexError):
            continue
        if inode in inodes and pid > 0 and pid != os.getpid() and pid not in pids:
            pids.append(pid)
    described = []
    for pid in pids:
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
            command_text = command.decode(errors="replace").strip()
        except OSError:
            command_text = ""
        if len(command_text) > 100:
            command_text = command_text[:97] + "..."
        described.append(f"process {pid}" + (f": {command_text}" if command_text else ""))
    return ", ".join(described)


@dataclass
class LookupStats:
    """How much work lookups did, for tests and benchmarks: the candidate index keeps the
    per-query numbers bounded whatever the size of the memory."""

    queries: int = 0
    exact: int = 0
    fuzzy_searched: int = 0  # queries that went to the candidate index
    candidates_scored: int = 0
    max_candidates_per_query: int = 0
    postings_read: int = 0
    max_postings_per_query: int = 0


class _Stored:
    """A stored source segment, as the fuzzy search reads it; its loose key and variables
    are worked out only for the candidates that need them."""

    def __init__(self, row: tuple, lang: str) -> None:
        self.id, self.norm, self.masked = row
        self.lang = lang

    @cached_property
    def loose(self) -> str:
        return loose_key(self.masked)

    @cached_property
    def variables(self) -> tuple[Variable, ...]:
        if NUMBER_SENTINEL not in self.masked and CODE_SENTINEL not in self.masked:
            return ()
        return tuple(find_variables(self.norm, self.lang))


def _create_schema(connection: sqlite3.Connection) -> None:
    """The tables and the marks of a hexaglot TM, inside the caller's transaction."""
    for statement in _SCHEMA.split(";"):  # not executescript: it commits
        if statement.strip():
            connection.execute(statement)
    connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    connection.executemany("INSERT INTO meta (key, value) VALUES (?, ?)",
                           [("created_by", f"hexaglot {__version__}"), ("created", now_iso())])


class SQLiteTM:
    """A :class:`~hexaglot.tm.memory.TranslationMemory` in one SQLite file.

    Safe to share between threads: each thread gets its own connection, and writers of
    this process queue on a lock before SQLite's own. ``timeout`` is how long a write
    waits for another process's write before :class:`HexaglotError`.
    """

    def __init__(self, path: Path, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._stats = LookupStats()
        self._stats_lock = threading.Lock()
        self._closed = False
        self._open()

    # ------------------------------------------------------------ connections and schema

    def _connect(self) -> sqlite3.Connection:
        try:
            connection = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None,
                                         check_same_thread=False)
            connection.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute("PRAGMA cache_size = -32000")
        except sqlite3.DatabaseError as error:
            raise self._database_error(error) from None
        return connection

    def _conn(self) -> sqlite3.Connection:
        if self._closed:
            raise HexaglotError(f"{self.path}: the translation memory was closed")
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._connect()
            self._local.connection = connection
            with self._connections_lock:
                self._connections.append(connection)
        return connection

    def _not_a_tm(self, what: str) -> HexaglotError:
        return HexaglotError(f"{self.path}: not a hexaglot translation memory ({what}): give "
                             "the path of a TM file that hexaglot created, or a new file name "
                             "to create one there")

    def _database_error(self, error: sqlite3.Error) -> HexaglotError:
        message = str(error)
        if "locked" in message or "busy" in message:
            holders = lock_holders(self.path) or "process not known"
            return HexaglotError(
                f"{self.path} is locked by another process ({holders}); waited "
                f"{self.timeout:g} s: wait for it to finish or stop it, then run again")
        if "not a database" in message or "malformed" in message:
            return self._not_a_tm(f"SQLite says: {message}")
        return HexaglotError(f"{self.path}: translation memory error: {message}")

    def _open(self) -> None:
        if self.path.exists():
            if self.path.is_dir():
                raise self._not_a_tm("it is a folder")
            with open(self.path, "rb") as handle:
                head = handle.read(len(_SQLITE_HEADER))
            if head and head != _SQLITE_HEADER:
                raise self._not_a_tm("the file is not an SQLite database")
        else:
            self._create_complete()
        connection = self._conn()
        try:
            version = self._check_version(connection)
            if version == 0:  # an empty file someone made: the schema goes into it
                with self._write() as write:
                    if self._check_version(write) == 0:  # nobody created it meanwhile
                        _create_schema(write)
                connection.execute("PRAGMA journal_mode = WAL")
        except sqlite3.DatabaseError as error:
            self.close()
            raise self._database_error(error) from None
        except HexaglotError:
            self.close()
            raise

    def _create_complete(self) -> None:
        """A new TM file appears whole or not at all: built under a temporary name, then
        linked into place. Two threads or processes opening a new TM at once would otherwise
        see each other's half-created schema."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}")
        try:
            connection = sqlite3.connect(tmp, isolation_level=None)
            try:
                connection.execute("BEGIN")
                _create_schema(connection)
                connection.execute("COMMIT")
                connection.execute("PRAGMA journal_mode = WAL")
            finally:
                connection.close()
            try:
                os.link(tmp, self.path)
            except FileExistsError:
                pass  # another opener won: its file is as good as ours
            except OSError:  # a filesystem without hard links
                if not self.path.exists():
                    os.replace(tmp, self.path)
        except (OSError, sqlite3.Error) as error:
            raise HexaglotError(f"{self.path}: cannot create the translation memory: "
                                f"{error}") from None
        finally:
            tmp.unlink(missing_ok=True)

    def _check_version(self, connection: sqlite3.Connection) -> int:
        """The file's schema version; 0 for an empty database (to be created)."""
        application = connection.execute("PRAGMA application_id").fetchone()[0]
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if application == 0 and version == 0:
            tables = connection.execute(
                "SELECT group_concat(name, ', ') FROM sqlite_master WHERE type = 'table'"
            ).fetchone()[0]
            if tables:
                raise self._not_a_tm(f"an SQLite database of something else, with tables "
                                     f"{tables}")
            return 0
        if application != APPLICATION_ID:
            raise self._not_a_tm(f"an SQLite database with application id {application:#x}")
        if version > SCHEMA_VERSION:
            raise HexaglotError(
                f"{self.path}: this translation memory was written by a newer hexaglot "
                f"(schema version {version}; hexaglot {__version__} reads up to version "
                f"{SCHEMA_VERSION}): upgrade hexaglot to use it")
        if version < 1:
            raise self._not_a_tm(f"schema version {version}")
        return version

    def _write(self) -> _WriteContext:
        return _WriteContext(self)

    # ------------------------------------------------------------ the protocol

    def add(self, units: Iterable[TMUnit]) -> int:
        """Store ``units`` in one transaction; returns how many were written. A unit whose
        languages, normalized source and context are already stored replaces the stored
        one only if its origin ranks at least as high (MT never overwrites a revision).
        Units with a blank source or target are not stored."""
        rows = []
        now = now_iso()
        for unit in units:
            if not unit.source.strip() or not unit.target.strip():
                continue
            source_lang, target_lang = _lang(unit.source_lang), _lang(unit.target_lang)
            keys = segment_keys(unit.source, source_lang)
            origin = UnitOrigin(unit.origin)
            rows.append((source_lang, target_lang, keys, unit, origin,
                         normalize_created(unit.created) if unit.created else now))
        if not rows:
            return 0
        with self._write() as connection:
            source_ids = self._source_ids(connection, rows)
            unit_rows = [(source_ids[(source_lang, target_lang, keys.norm)],
                          unit.previous_hash, unit.next_hash, unit.source, unit.target,
                          origin.value, origin.rank, created, unit.document, unit.engine,
                          unit.note)
                         for source_lang, target_lang, keys, unit, origin, created in rows]
            before = connection.total_changes
            connection.executemany(_UPSERT_UNIT, unit_rows)
            written = connection.total_changes - before
        return written

    def _source_ids(self, connection: sqlite3.Connection,
                    rows: list[tuple]) -> dict[tuple[str, str, str], int]:
        """The id of each unit's source, inserting (and indexing) the new ones."""
        wanted = {(source_lang, target_lang, keys.norm): keys
                  for source_lang, target_lang, keys, *_ in rows}
        by_key = {text_key(*key): key for key in wanted}
        ids: dict[tuple[str, str, str], int] = {}
        for chunk in _chunks(sorted(by_key)):
            marks = ",".join("?" * len(chunk))
            for source_id, source_lang, target_lang, norm in connection.execute(
                    f"SELECT id, source_lang, target_lang, norm FROM sources "
                    f"WHERE norm_key IN ({marks})", chunk):
                if (source_lang, target_lang, norm) in wanted:
                    ids[(source_lang, target_lang, norm)] = source_id
        new_sources = []
        for key, keys in wanted.items():
            if key in ids:
                continue
            source_lang, target_lang, norm = key
            cursor = connection.execute(
                "INSERT INTO sources (source_lang, target_lang, norm_key, loose_key, norm, "
                "masked) VALUES (?, ?, ?, ?, ?, ?)",
                (source_lang, target_lang, text_key(*key),
                 text_key(source_lang, target_lang, keys.loose), norm, keys.masked))
            ids[key] = cursor.lastrowid
            new_sources.append((cursor.lastrowid, source_lang, target_lang, keys.masked))
        self._index(connection, new_sources)
        return ids

    def _index(self, connection: sqlite3.Connection,
               new_sources: list[tuple[int, str, str, str]]) -> None:
        """Postings and term counts for sources just inserted."""
        postings: list[tuple[int, int, int]] = []
        df: Counter[int] = Counter()
        per_pair: Counter[tuple[str, str]] = Counter()
        for source_id, source_lang, target_lang, masked in new_sources:
            per_pair[(source_lang, target_lang)] += 1
            length = len(masked)
            for term in index_terms(masked, source_lang):
                hashed = term_hash(source_lang, target_lang, term)
                postings.append((hashed, source_id, length))
                df[hashed] += 1
        # in key order (a stable sort by term keeps each term's ids ascending): appends to
        # the B-tree instead of scattering pages
        postings.sort(key=itemgetter(0))
        connection.executemany("INSERT OR IGNORE INTO postings (term, source_id, length) "
                               "VALUES (?, ?, ?)",
                               postings)
        connection.executemany(
            "INSERT INTO terms (hash, df) VALUES (?, ?) "
            "ON CONFLICT (hash) DO UPDATE SET df = df + excluded.df", sorted(df.items()))
        connection.executemany(
            "INSERT INTO pairs (source_lang, target_lang, sources) VALUES (?, ?, ?) "
            "ON CONFLICT DO UPDATE SET sources = sources + excluded.sources",
            [(s, t, n) for (s, t), n in per_pair.items()])

    def lookup(self, source_lang: str, target_lang: str, queries: Sequence[LookupQuery],
               min_score: int = 75) -> list[TMMatch | None]:
        """The best match for each query, or None where nothing reaches ``min_score``: see
        the module doc for the steps and :mod:`hexaglot.tm.scoring` for fuzzy scores."""
        source_lang, target_lang = _lang(source_lang), _lang(target_lang)
        keys = [segment_keys(query.source, source_lang) for query in queries]
        results: list[TMMatch | None] = [None] * len(queries)
        connection = self._conn()
        try:
            connection.execute("BEGIN")  # one snapshot for the whole batch
            self._exact(connection, source_lang, target_lang, queries, keys, results)
            results = [m if m is None or m.score >= min_score else None for m in results]
            pending = [i for i, match in enumerate(results) if match is None and keys[i].norm]
            if pending and min_score <= BEST_FUZZY:
                self._fuzzy(connection, source_lang, target_lang, keys, pending, min_score,
                            results)
        except sqlite3.DatabaseError as error:
            raise self._database_error(error) from None
        finally:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
        with self._stats_lock:
            self._stats.queries += len(queries)
            self._stats.exact += sum(1 for match in results
                                     if match is not None and match.score >= EXACT_MATCH)
        return results

    def count(self, source_lang: str | None = None, target_lang: str | None = None) -> int:
        where, params = self._where(source_lang, target_lang)
        return self._read(f"SELECT COUNT(*) FROM units u JOIN sources s ON s.id = u.source_id"
                          f"{where}", params)[0][0]

    def _read(self, sql: str, params: Sequence = ()) -> list[tuple]:
        try:
            return self._conn().execute(sql, params).fetchall()
        except sqlite3.DatabaseError as error:
            raise self._database_error(error) from None

    def close(self) -> None:
        self._closed = True
        with self._connections_lock:
            for connection in self._connections:
                connection.close()
            self._connections.clear()

    def __enter__(self) -> SQLiteTM:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    # ------------------------------------------------------------ beyond the protocol

    @property
    def stats(self) -> LookupStats:
        with self._stats_lock:
            return replace(self._stats)

    def reset_stats(self) -> None:
        with self._stats_lock:
            self._stats = LookupStats()

    def iter_units(self, source_lang: str | None = None,
                   target_lang: str | None = None) -> Iterator[TMUnit]:
        """Every unit (of one language pair or direction when given), by language pair and
        then in the order they were first stored; read on a connection of its own, so the
        caller may write to the TM while iterating."""
        where, params = self._where(source_lang, target_lang)
        connection = self._connect()
        try:
            cursor = connection.execute(
                f"SELECT {_UNIT_COLUMNS} FROM units u JOIN sources s ON s.id = u.source_id"
                f"{where} ORDER BY s.source_lang, s.target_lang, u.id", params)
            while batch := cursor.fetchmany(1000):
                for row in batch:
                    yield _unit(row)
        except sqlite3.DatabaseError as error:
            raise self._database_error(error) from None
        finally:
            connection.close()

    def language_pairs(self) -> list[tuple[str, str, int]]:
        """(source, target, units) for each language pair held."""
        return self._read("SELECT s.source_lang, s.target_lang, COUNT(*) FROM units u "
                          "JOIN sources s ON s.id = u.source_id "
                          "GROUP BY s.source_lang, s.target_lang ORDER BY 1, 2")

    def origins(self) -> dict[str, int]:
        """Units per origin."""
        return dict(self._read("SELECT origin, COUNT(*) FROM units GROUP BY origin "
                               "ORDER BY MAX(rank) DESC"))

    @staticmethod
    def _where(source_lang: str | None, target_lang: str | None) -> tuple[str, list[str]]:
        clauses, params = [], []
        if source_lang:
            clauses.append("s.source_lang = ?")
            params.append(_lang(source_lang))
        if target_lang:
            clauses.append("s.target_lang = ?")
            params.append(_lang(target_lang))
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params

    # ------------------------------------------------------------ lookup steps

    def _exact(self, connection: sqlite3.Connection, source_lang: str, target_lang: str,
               queries: Sequence[LookupQuery], keys: list[SegmentKeys],
               results: list[TMMatch | None]) -> None:
        wanted = {text_key(source_lang, target_lang, k.norm) for k in keys if k.norm}
        by_norm: dict[str, list[tuple]] = defaultdict(list)
        for chunk in _chunks(sorted(wanted)):
            marks = ",".join("?" * len(chunk))
            for row in connection.execute(
                    f"SELECT s.norm, {_UNIT_COLUMNS} FROM sources s JOIN units u "
                    f"ON u.source_id = s.id WHERE s.norm_key IN ({marks})", chunk):
                if row[2] == source_lang and row[3] == target_lang:
                    by_norm[row[0]].append(row[1:])
        for i, (query, key) in enumerate(zip(queries, keys, strict=True)):
            rows = by_norm.get(key.norm)
            if not rows:
                continue

            def exact_score(row: tuple, query: LookupQuery = query) -> int:
                in_context = ((query.previous_hash or query.next_hash)
                              and row[9] == query.previous_hash and row[10] == query.next_hash)
                return CONTEXT_MATCH if in_context else EXACT_MATCH

            best = max(rows, key=lambda row, f=exact_score: (f(row), row[6], row[8], row[0]))
            unit = _unit(best)
            results[i] = TMMatch(unit, exact_score(best), unit.target)

    def _fuzzy(self, connection: sqlite3.Connection, source_lang: str, target_lang: str,
               keys: list[SegmentKeys], pending: list[int], min_score: int,
               results: list[TMMatch | None]) -> None:
        candidates: dict[int, list[int]] = {i: [] for i in pending}  # query -> source ids
        stored: dict[int, _Stored] = {}
        # 2. variants in case, punctuation or variables: one indexed query for the batch
        loose_keys = {i: text_key(source_lang, target_lang, keys[i].loose) for i in pending}
        by_loose: dict[int, list[int]] = defaultdict(list)
        for chunk in _chunks(sorted(set(loose_keys.values()))):
            marks = ",".join("?" * len(chunk))
            for row in connection.execute(
                    f"SELECT id, norm, masked, loose_key FROM (SELECT id, norm, masked, "
                    f"loose_key, row_number() OVER (PARTITION BY loose_key ORDER BY id DESC) "
                    f"AS n FROM sources WHERE loose_key IN ({marks})) WHERE n <= ?",
                    (*chunk, LOOSE_CANDIDATES)):
                stored[row[0]] = _Stored(row[:3], source_lang)
                by_loose[row[3]].append(row[0])
        # 3. the candidate index, for the queries no variant answers at the top
        searched: dict[int, tuple[int, int]] = {}  # query -> (candidates, postings read)
        index_queries = [i for i in pending if not by_loose.get(loose_keys[i])]
        for i in pending:
            candidates[i].extend(by_loose.get(loose_keys[i], ()))
        if index_queries:
            searched = self._index_candidates(connection, source_lang, target_lang, keys,
                                              index_queries, candidates, min_score)
        missing = sorted({sid for ids in candidates.values() for sid in ids} - stored.keys())
        for chunk in _chunks(missing):
            marks = ",".join("?" * len(chunk))
            for row in connection.execute(
                    f"SELECT id, norm, masked FROM sources WHERE id IN ({marks})", chunk):
                stored[row[0]] = _Stored(row, source_lang)
        # 4. score; then the units of the sources that reach min_score
        scored: dict[int, list[tuple[int, object]]] = {}
        for i in pending:
            found = []
            for source_id in dict.fromkeys(candidates[i]):
                result = score(keys[i], stored[source_id], min_score)
                if result is not None:
                    found.append((source_id, result))
            scored[i] = found
        units_of: dict[int, list[tuple]] = defaultdict(list)
        wanted = sorted({sid for found in scored.values() for sid, _ in found})
        for chunk in _chunks(wanted):
            marks = ",".join("?" * len(chunk))
            for row in connection.execute(
                    f"SELECT {_UNIT_COLUMNS}, u.source_id FROM units u JOIN sources s "
                    f"ON s.id = u.source_id WHERE u.source_id IN ({marks})", chunk):
                units_of[row[-1]].append(row[:-1])
        for i, found in scored.items():
            options = [(result.score, row[6], row[8], row[0], row, source_id, result)
                       for source_id, result in found for row in units_of[source_id]]
            if not options:
                continue
            best = max(options, key=lambda option: option[:4])
            _, _, _, _, row, source_id, result = best
            unit = _unit(row)
            target, penalties, points = unit.target, result.penalties, result.score
            if result.adaptable and result.changed:
                target, notes = adapt_target(unit.target, target_lang, stored[source_id],
                                             result.changed)
                penalties += notes
                points -= len(notes)
            if points >= min_score:
                results[i] = TMMatch(unit, min(points, BEST_FUZZY), target, penalties)
        with self._stats_lock:
            stats = self._stats
            for i in pending:
                count = len(dict.fromkeys(candidates[i]))
                stats.candidates_scored += count
                stats.max_candidates_per_query = max(stats.max_candidates_per_query, count)
            for _, read in searched.values():
                stats.postings_read += read
                stats.max_postings_per_query = max(stats.max_postings_per_query, read)
            stats.fuzzy_searched += len(searched)

    def _index_candidates(self, connection: sqlite3.Connection, source_lang: str,
                          target_lang: str, keys: list[SegmentKeys], queries: list[int],
                          candidates: dict[int, list[int]],
                          min_score: int) -> dict[int, tuple[int, int]]:
        """Step 3 of a lookup (module doc): adds each query's best index candidates to
        ``candidates``; returns (candidates, postings read) per query."""
        terms = {i: {term_hash(source_lang, target_lang, t)
                     for t in index_terms(keys[i].masked, source_lang)} for i in queries}
        all_terms = sorted(set().union(*terms.values()))
        df: dict[int, int] = {}
        for chunk in _chunks(all_terms):
            marks = ",".join("?" * len(chunk))
            df.update(connection.execute(
                f"SELECT hash, df FROM terms WHERE hash IN ({marks})", chunk).fetchall())
        row = connection.execute("SELECT sources FROM pairs WHERE source_lang = ? AND "
                                 "target_lang = ?", (source_lang, target_lang)).fetchone()
        total = row[0] if row else 0
        postings_cache: dict[int, list[tuple[int, int]]] = {}
        searched: dict[int, tuple[int, int]] = {}
        for i in queries:
            length = len(keys[i].masked)
            chosen: list[tuple[int, int]] = []
            for frequency, term in sorted((df[t], t) for t in terms[i] if t in df):
                if len(chosen) >= MAX_TERMS or (frequency > POSTINGS_PER_TERM
                                                and len(chosen) >= MIN_TERMS):
                    break
                chosen.append((frequency, term))
            weights: dict[int, float] = defaultdict(float)
            lengths: dict[int, int] = {}
            read = 0
            for frequency, term in chosen:
                postings = postings_cache.get(term)
                if postings is None:
                    postings = connection.execute(
                        "SELECT source_id, length FROM postings WHERE term = ? "
                        "ORDER BY source_id DESC LIMIT ?", (term, POSTINGS_PER_TERM)).fetchall()
                    postings_cache[term] = postings
                read += len(postings)
                weight = math.log(1 + total / frequency)
                for source_id, stored_length in postings:
                    weights[source_id] += weight
                    lengths[source_id] = stored_length
            ranked = []
            for source_id, weight in weights.items():
                other = lengths[source_id]
                bound = 2 * min(length, other) / (length + other) if length + other else 0
                if bound * 100 >= min_score:
                    ranked.append((weight * bound, source_id))
            best = heapq.nlargest(MAX_CANDIDATES, ranked)
            candidates[i].extend(source_id for _, source_id in best)
            searched[i] = (len(best), read)
        return searched


class _WriteContext:
    """``with tm._write() as connection``: one write transaction (BEGIN IMMEDIATE), this
    process's writers queued on a lock first; a lock held by another process past the
    timeout becomes a HexaglotError that names it."""

    def __init__(self, tm: SQLiteTM) -> None:
        self.tm = tm

    def __enter__(self) -> sqlite3.Connection:
        if not self.tm._write_lock.acquire(timeout=self.tm.timeout):
            raise HexaglotError(f"{self.tm.path}: another thread of this process has been "
                                f"writing to the translation memory for {self.tm.timeout:g} s")
        try:
            self.connection = self.tm._conn()
            self.connection.execute("BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as error:
            self.tm._write_lock.release()
            raise self.tm._database_error(error) from None
        except BaseException:
            self.tm._write_lock.release()
            raise
        return self.connection

    def __exit__(self, kind, error, traceback) -> None:
        try:
            if kind is None:
                try:
                    self.connection.execute("COMMIT")
                except sqlite3.DatabaseError as commit_error:
                    self.connection.execute("ROLLBACK")
                    raise self.tm._database_error(commit_error) from None
            elif self.connection.in_transaction:
                self.connection.execute("ROLLBACK")
        finally:
            self.tm._write_lock.release()
        if isinstance(error, sqlite3.DatabaseError):
            raise self.tm._database_error(error) from None


def _unit(row: tuple) -> TMUnit:
    (_, source_lang, target_lang, source, target, origin, _, document, created,
     previous_hash, next_hash, engine, note) = row
    return TMUnit(source_lang=source_lang, target_lang=target_lang, source=source,
                  target=target, origin=UnitOrigin(origin), document=document, created=created,
                  previous_hash=previous_hash, next_hash=next_hash, engine=engine, note=note)


def open_tm(path: Path, *, timeout: float = DEFAULT_TIMEOUT) -> SQLiteTM:
    """Open the TM at ``path``, creating the file (and its folder) when missing."""
    return SQLiteTM(path, timeout=timeout)
