"""Apertium, the rule-based engine from Debian, run as a subprocess.

Segments are sent as HTML paragraphs in one call per batch, through Apertium's own HTML
deformatter and reformatter (``apertium-deshtml`` ... ``apertium-rehtml-noent``, what
``apertium -f html-noent`` runs), which keeps segment boundaries exact (Apertium never
reorders words across a block tag) and gives inline markup its own format handling. Pairs
without a direct mode pivot through Spanish, which both installed language pairs share:
en->es->fr and fr->es->en. Words Apertium did not know come back marked with ``*``/``#``/
``@``; the marks are removed from the translation and listed in the segment's notes for the
reviser. Inline codes (bold, links, note references) go in as tags, which Apertium moves
with the words they cover (:mod:`hexaglot.inline`).

How it is run, for speed (measured in ``benchmarks/mt_throughput.py``):

- the stages of a mode run directly, as its mode file lists them, not through the
  ``apertium`` shell script, whose HTML path cost about a fifth of the translation time on
  top of the stages; they run in null-flush mode, with the deformatter and reformatter
  started for each call, so that one running copy of the stages can serve several calls;
- the pipeline for the next document starts loading as soon as a call is done
  (:class:`_Pipelines`), so that loading the transducers overlaps with the work that
  leaves a core free (enforcement, reading the next document), and glossary enforcement's
  second call continues in its first call's pipeline instead of starting another;
- a batch can be started ahead (:meth:`ApertiumEngine.prefetch`), and the pipeline then
  matches the glossary in the source while Apertium translates; each translation is
  handed over as Apertium writes it, so that the glossary is matched in it while Apertium
  goes on.
"""

from __future__ import annotations

import atexit
import codecs
import concurrent.futures
import contextlib
import functools
import html
import os
import re
import selectors
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import BinaryIO

from hexaglot.document import HexaglotError, InlineSpan
from hexaglot.inline import apply_edits, from_html, tidy, to_html
from hexaglot.mt.base import DO_NOT_TRANSLATE, Translation, may_protect

# ISO 639-1 pair -> Apertium mode name, for the modes Debian's packages install.
_MODE_NAMES = {
    ("en", "es"): ("eng-spa", "en-es"),
    ("es", "en"): ("spa-eng", "es-en"),
    ("es", "fr"): ("es-fr", "spa-fra"),
    ("fr", "es"): ("fr-es", "fra-spa"),
}
_PIVOT = "es"
_PARAGRAPH = re.compile(r'<p data-s="(\d+)">(.*?)</p>', re.DOTALL)
_UNKNOWN = re.compile(r"(?<![\w*#@])([*#@])(?=[^\W\d_])([\w'’-]+)")


@functools.lru_cache(maxsize=1)
def installed_modes() -> frozenset[str]:
    """Modes that ``apertium -l`` lists, or none when Apertium is not installed."""
    if shutil.which("apertium") is None:
        return frozenset()
    result = subprocess.run(["apertium", "-l"], capture_output=True, text=True, check=False)
    return frozenset(line.strip() for line in result.stdout.splitlines() if line.strip())


@functools.lru_cache(maxsize=1)
def _package_versions() -> str:
    if shutil.which("dpkg-query") is None:
        return "unknown"
    result = subprocess.run(
        ["dpkg-query", "-W", "-f", "${Package} ${Version}\\n", "apertium", "apertium-eng-spa",
         "apertium-fr-es"], capture_output=True, text=True, check=False)
    return "; ".join(line for line in result.stdout.splitlines() if line.strip()) or "unknown"


def _mode(source: str, target: str) -> str | None:
    for name in _MODE_NAMES.get((source, target), ()):
        if name in installed_modes():
            return name
    return None


class ApertiumEngine:
    """Apertium through its command-line pipeline, direct or pivoting through Spanish."""

    name = "apertium"
    # One call per document: each call is a pipeline of a dozen processes (started ahead
    # of time, see _Pipelines), and a segment more in a call costs little.
    batch_size = 5000
    inline_codes = True  # moves inline tags with the words: see translate(spans=...)
    follows_up = True  # a follow-up call continues in its first call's pipeline: follows=

    def __init__(self, timeout: float | None = None) -> None:
        # Seconds a batch may take before Apertium counts as hung: generous, since a batch
        # of 200 long segments takes a few seconds, and a hang must not stall a nightly run.
        self.timeout = timeout
        self._lock = threading.Lock()
        self._ahead: OrderedDict[tuple, concurrent.futures.Future[list[Translation]]] = \
            OrderedDict()

    @property
    def version(self) -> str:
        return _package_versions()

    def chain(self, source: str, target: str) -> list[str] | None:
        """The modes that take ``source`` to ``target``, or None if they are not installed."""
        direct = _mode(source, target)
        if direct:
            return [direct]
        first, second = _mode(source, _PIVOT), _mode(_PIVOT, target)
        if first and second:
            return [first, second]
        return None

    def supports(self, source: str, target: str) -> bool:
        return self.chain(source, target) is not None

    def prefetch(self, texts: Sequence[str], source: str, target: str,
                 spans: Sequence[Sequence[InlineSpan]] | None = None,
                 then: Callable[[Translation], object] | None = None) -> None:
        """Start translating, in the background, what :meth:`translate` will be asked
        next: Apertium then works while hexaglot looks the source up in the glossary, and
        the ``translate`` call with the same arguments takes the result. ``then`` is called
        on each translation as soon as it is out (to match the glossary in it while
        Apertium goes on with the rest of the document)."""
        key = _call_key(texts, source, target, spans)
        future: concurrent.futures.Future[list[Translation]] = concurrent.futures.Future()
        with self._lock:
            if key in self._ahead:
                return
            self._ahead[key] = future
            while len(self._ahead) > 4:  # never asked for: forget the oldest
                self._ahead.popitem(last=False)

        fed = threading.Event()

        def work() -> None:
            try:
                future.set_result(self._translate_now(texts, source, target, spans, then,
                                                      on_start=fed.set))
            except BaseException as error:  # handed to the translate() call that asks
                future.set_exception(error)
            finally:
                fed.set()

        threading.Thread(target=work, name="apertium-ahead", daemon=True).start()
        # Back to the caller once Apertium has its input: until then the caller's own work
        # (matching the source) would share the interpreter with the thread that prepares
        # it, and Apertium, the longest part, would start later.
        fed.wait(timeout=5)

    def translate(self, texts: Sequence[str], source: str, target: str,
                  spans: Sequence[Sequence[InlineSpan]] | None = None,
                  follows: tuple[Sequence[str], Sequence[Sequence[InlineSpan]] | None]
                  | None = None) -> list[Translation]:
        """Translations of ``texts``; with ``spans`` (inline codes per text), the codes
        travel as tags through Apertium, which moves them with the words, and come back
        over each translation (``Translation.spans``).

        ``follows``: the (texts, spans) of the call this one follows up (glossary
        enforcement's second call): it continues in that call's pipeline instead of
        starting one (see :class:`_Pipelines`)."""
        with self._lock:
            future = self._ahead.pop(_call_key(texts, source, target, spans), None)
        if future is not None:
            return future.result()
        return self._translate_now(texts, source, target, spans, follows=follows)

    def _translate_now(self, texts: Sequence[str], source: str, target: str,
                       spans: Sequence[Sequence[InlineSpan]] | None,
                       then: Callable[[Translation], object] | None = None,
                       follows: tuple[Sequence[str], Sequence[Sequence[InlineSpan]] | None]
                       | None = None,
                       on_start: Callable[[], object] | None = None) -> list[Translation]:
        chain = self.chain(source, target)
        if chain is None:
            raise HexaglotError(f"Apertium has no {source}->{target} pair installed")
        kept: list[str] = []
        codes: list[tuple[InlineSpan, str]] = []
        bodies = [to_html(text, spans[n] if spans else (), kept, codes,
                          DO_NOT_TRANSLATE if may_protect(text) else None)
                  for n, text in enumerate(texts)]
        unknown: list[set[str]] = [set() for _ in texts]
        held = (_PIPELINES.resume(_call_key(follows[0], source, target, follows[1]))
                if follows else {})
        streamed: dict[int, tuple[str, Translation]] = {}  # index -> (markup, result)

        def finish(index: int, body: str) -> Translation:
            body, words = _unmark_unknown(body)
            words |= unknown[index]
            text, found = _restore(body, kept, codes)
            notes = (f"Apertium did not know: {', '.join(sorted(words))}",) if words else ()
            return Translation(text, notes, found if spans is not None else None)

        def arrived(index: int, body: str) -> None:
            streamed[index] = (body, finish(index, body))
            if then is not None:
                # A hint for work to come: if it fails, the caller does it again itself.
                with contextlib.suppress(Exception):
                    then(streamed[index][1])

        def started() -> None:
            """The first step has its input: the pipelines of this call's next steps
            (pivots) start loading, beside it, not before it."""
            if on_start is not None:
                on_start()
            _prepare_in_background([mode for mode in chain[1:] if mode not in held])

        used: dict[str, _Stages] = {}
        results: list[Translation] = []
        try:
            for step, mode in enumerate(chain):
                last = step == len(chain) - 1
                stages = held.pop(mode) if mode in held else _PIPELINES.take(mode)
                if stages is not None:
                    used[mode] = stages
                outputs = _run(mode, bodies, stages, self.timeout,
                               on_body=arrived if last else None,
                               on_start=started if step == 0 else None)
                if last:
                    results = [streamed[n][1] if n in streamed and streamed[n][0] == output
                               else finish(n, output) for n, output in enumerate(outputs)]
                    break
                for index, output in enumerate(outputs):
                    bodies[index], words = _unmark_unknown(output)
                    unknown[index].update(words)
        except BaseException:
            for stages in (*used.values(), *held.values()):
                stages.stop()
            raise
        for stages in held.values():
            stages.close()
        if follows is None:
            _PIPELINES.park(_call_key(texts, source, target, spans), used)
        else:
            for stages in used.values():
                stages.close()
        # The next document's pipelines load now, while this one's translations are
        # enforced and its next document is read: that work leaves a core free, and during
        # the translation Apertium keeps both busy. (None starts where one is waiting, but
        # a follow-up whose pipeline was no longer kept has taken the waiting one.)
        _prepare_in_background(chain)
        return results


def _prepare_in_background(modes: Sequence[str]) -> None:
    if modes:
        threading.Thread(target=lambda: [_PIPELINES.prepare(mode) for mode in modes],
                         name="apertium-prepare", daemon=True).start()


def _call_key(texts: Sequence[str], source: str, target: str,
              spans: Sequence[Sequence[InlineSpan]] | None) -> tuple:
    return (tuple(texts), source, target,
            None if spans is None else tuple(tuple(codes) for codes in spans))


_SPACE_BEFORE_STOP = re.compile(r"(?<=\w) +([.,])(?=\s|$)")
_TAG = re.compile(r"(<[^>]*>)")


def _unmark_unknown(body: str) -> tuple[str, set[str]]:
    """The markup with Apertium's unknown-word marks (``*``, ``#``, ``@``) taken out of its
    text, and the words so marked."""
    words: set[str] = set()
    pieces = []
    for token in _TAG.split(body):
        if token.startswith("<"):
            pieces.append(token)
            continue
        text = html.unescape(token)
        words.update(m.group(2) for m in _UNKNOWN.finditer(text))
        pieces.append(html.escape(_UNKNOWN.sub(r"\2", text), quote=False))
    return "".join(pieces), words


def _restore(body: str, kept: list[str],
             codes: list[tuple[InlineSpan, str]]) -> tuple[str, tuple[InlineSpan, ...]]:
    """The translated text, with protected spans put back, and its inline codes."""
    text, spans = from_html(body, kept, codes)
    # The HTML format leaves a blank before a final stop ("crecer ."); French spacing
    # before ; : ! ? is the target's own typography and stays.
    edits = [(m.start(), m.start(1), "") for m in _SPACE_BEFORE_STOP.finditer(text)]
    lead, trail = len(text) - len(text.lstrip()), len(text.rstrip())
    if not text.strip():
        edits = [(0, len(text), "")]
    else:
        edits += [(0, lead, "")] if lead else []
        edits += [(trail, len(text), "")] if trail < len(text) else []
    text, spans = apply_edits(text, spans, edits)
    return text, tidy(spans, text)


_PARAGRAPH_TAGS = re.compile(r"</?p\b[^>]*>")


def _has_markup(bodies: Sequence[str]) -> bool:
    """Whether any segment carries tags (codes, protected text): text's own "<" is
    escaped, so any "<" is a tag."""
    return any("<" in body for body in bodies)


def _data_dir() -> Path:
    return Path(os.environ.get("APERTIUM_DATADIR", "/usr/share/apertium"))


@functools.lru_cache(maxsize=1)
def _utf8_locale() -> str:
    """A UTF-8 locale for Apertium's tools, chosen as the ``apertium`` script does."""
    if shutil.which("locale") is None:
        return "C.UTF-8"
    listed = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False)
    return next((name for name in listed.stdout.split()
                 if re.search(r"utf-?8", name, re.IGNORECASE)), "C.UTF-8")


def _tool_environment() -> dict[str, str]:
    return {**os.environ, "LC_CTYPE": _utf8_locale()}


def _tool(name: str, search_path: str | None) -> str | None:
    return shutil.which(name, path=search_path)


@functools.lru_cache(maxsize=32)
def _stages_command(mode: str, search_path: str | None) -> tuple[str, ...] | None:
    """The stages the mode file lists, as one shell pipeline in null-flush mode (each
    stage passes a NUL on once it has written everything before it), or None where the
    parts cannot be found (another Apertium layout: the ``apertium`` script is used).

    ``search_path`` (the PATH the tools are looked up in) is part of the cache key only."""
    wblank_mode, bash = _tool("apertium-wblank-mode", search_path), _tool("bash", search_path)
    mode_file = _data_dir() / "modes" / f"{mode}.mode"
    if not (wblank_mode and bash and mode_file.is_file()):
        return None
    stages = subprocess.run([wblank_mode, "-z", str(mode_file)], capture_output=True,
                            text=True, check=False).stdout.strip()
    if not stages or "\n" in stages:
        return None
    # $1 and $2 in a mode file are the generator's and the tagger's options: -g (mark
    # unknown words) and none, as ``apertium -f html-noent`` passes them.
    return (bash, "-c", stages, "apertium", "-g", "")


@functools.lru_cache(maxsize=8)
def _format_tools(search_path: str | None, markup: bool) -> tuple[str, str, bool] | None:
    """(deformatter, reformatter, whether they are Transfuse's) for a call, as ``apertium
    -f html-noent`` chooses them, or None where they cannot be found:

    - Transfuse (``tf-extract``/``tf-inject``), which the ``apertium`` script prefers where
      it is installed, for ``markup`` (inline codes or protected text as tags): it binds
      each tag to the words it covers, so that bold or a link moves with them when
      Apertium reorders ("the United Nations website" -> "el sitio web de las Naciones
      Unidas"); the classic deformatter leaves tags where they were;
    - otherwise Apertium's classic HTML deformatter and reformatter, which on plain text
      give the same translation at a fraction of Transfuse's cost (and keep a "~")."""
    extract, inject = _tool("tf-extract", search_path), _tool("tf-inject", search_path)
    if markup and extract and inject:
        return extract, inject, True
    deformat = _tool("apertium-deshtml", search_path)
    reformat = _tool("apertium-rehtml-noent", search_path)
    return (deformat, reformat, False) if deformat and reformat else None


class _Stages:
    """A mode's stages, running in null-flush mode: a call's stream goes in followed by a
    NUL, and its translation is complete when the NUL comes out.

    Loading the transducers and rules is most of a pipeline's start (a third of a second
    of CPU for eng-spa, about what translating 100 sentences costs), so a pipeline serves a
    document's calls: the first, and enforcement's follow-up (see :class:`_Pipelines`)."""

    def __init__(self, mode: str, command: Sequence[str], environment: dict[str, str]) -> None:
        self.mode = mode
        # What the stages say on standard error, kept for the message if they stop.
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as they do)
        try:
            self.process = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._errors,
                start_new_session=True, env=environment)
        except OSError as error:
            self._errors.close()
            raise HexaglotError(f"Apertium could not be started ({command[0]}): "
                                f"{error}") from None

    def running(self) -> bool:
        return self.process.poll() is None

    def translate(self, feed: Callable[[BinaryIO], None], flushes: int,
                  sink: Callable[[bytes], None]) -> None:
        """Have ``feed`` write a call's stream into the stages' input (``flushes`` NULs,
        the last at its end) and hand what comes out to ``sink`` until as many NULs came
        back. Raises HexaglotError if the stages stop first; a caller whose time is up
        stops them (:meth:`stop`), which ends this too."""
        assert self.process.stdin and self.process.stdout
        stdin, out_fd = self.process.stdin, self.process.stdout.fileno()

        def write() -> None:  # a thread: the output must be read while the input goes in
            with contextlib.suppress(OSError, ValueError):
                feed(stdin)
                stdin.flush()

        threading.Thread(target=write, name="apertium-input", daemon=True).start()
        seen = 0
        while seen < flushes:
            chunk = os.read(out_fd, 1 << 16)
            if not chunk:
                raise HexaglotError(self._failure())
            seen += chunk.count(b"\0")
            sink(chunk)

    def _failure(self) -> str:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        self._errors.seek(0)
        message = self._errors.read().decode("utf-8", "replace").strip()[:300]
        return (f"Apertium {self.mode} stopped with exit code {self.process.returncode}: "
                f"{message or 'no message'}")

    def close(self) -> None:
        """End the stages the way a finished stream does (end of input). They take tens
        of milliseconds to wind down, one stage after the other: that is waited for in
        the background, not by the call that closes them."""
        with contextlib.suppress(OSError, ValueError):
            assert self.process.stdin
            self.process.stdin.close()

        def reap() -> None:
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                _stop(self.process)
            self._errors.close()

        threading.Thread(target=reap, name="apertium-reap", daemon=True).start()

    def stop(self) -> None:
        """Stop every stage at once (its own process group)."""
        _stop(self.process)
        self._errors.close()


class _Pipelines:
    """Apertium pipelines started ahead of the call that will use them, and pipelines kept
    for the follow-up of the call they served.

    - A pipeline spends its first tenth of a second or more loading transducers and rules.
      Started as soon as a call is done, it loads them while that document is enforced
      and the next one read (work that leaves a core free), not while Apertium keeps both
      busy; started at the call's start instead, it slowed the call down.
    - A call's pipeline is then kept (parked) for the call that follows it up: glossary
      enforcement's second call, with the segments the first left a term missing in. That
      call costs no pipeline start, which on two cores would have taken CPU from the
      first call.

    Apertium's tagger remembers what it has read: after some words (the devtest's
    "numbers"), later sentences can be tagged differently. So every document's first call
    gets a fresh pipeline (the same document is translated the same way whatever came
    before it), and only its own follow-up continues that pipeline: the follow-up's
    translation depends on the document, nothing else. A follow-up whose pipeline was no
    longer kept (more than ``PARKED`` calls since, under heavy concurrency) gets a fresh one.
    """

    PARKED = 4

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # (mode, PATH) -> its pipeline; PATH because it decides which programs run.
        self._waiting: dict[tuple[str, str | None], _Stages] = {}
        self._parked: OrderedDict[tuple, dict[str, _Stages]] = OrderedDict()
        self._owner = os.getpid()

    def take(self, mode: str) -> _Stages | None:
        """A started pipeline for ``mode``, waiting for its input (None where only the
        ``apertium`` script can run it); the caller has the next one started with
        :meth:`prepare` when it suits it (see ApertiumEngine._translate_now)."""
        environment = _tool_environment()
        key = (mode, environment.get("PATH"))
        command = _stages_command(*key)
        if command is None:
            return None
        with self._lock:
            self._forget_if_forked()
            stages = self._waiting.pop(key, None)
        if stages is None or not stages.running():
            if stages is not None:
                stages.stop()
            stages = _Stages(mode, command, environment)
        return stages

    def prepare(self, mode: str) -> None:
        """Start the pipeline the next call for ``mode`` will take, if none is waiting."""
        # One reading of the environment: the PATH a pipeline is filed under is the one
        # its programs were found in, even if the environment changes meanwhile.
        environment = _tool_environment()
        key = (mode, environment.get("PATH"))
        command = _stages_command(*key)
        if command is None:
            return
        with self._lock:
            self._forget_if_forked()
            waiting = self._waiting.get(key)
            if waiting is not None and waiting.running():
                return
            try:
                self._waiting[key] = _Stages(mode, command, environment)
            except HexaglotError:
                self._waiting.pop(key, None)  # the call itself will say why

    def park(self, call: tuple, stages: dict[str, _Stages]) -> None:
        """Keep a call's pipelines (by mode) for its follow-up."""
        evicted = []
        with self._lock:
            self._forget_if_forked()
            key = (call, os.environ.get("PATH"))
            if key in self._parked:
                evicted.append(self._parked.pop(key))
            self._parked[key] = stages
            while len(self._parked) > self.PARKED:
                evicted.append(self._parked.popitem(last=False)[1])
        for pipelines in evicted:
            for kept in pipelines.values():
                kept.close()

    def resume(self, call: tuple) -> dict[str, _Stages]:
        """The pipelines ``call`` left for its follow-up, by mode (none if not kept)."""
        with self._lock:
            self._forget_if_forked()
            kept = self._parked.pop((call, os.environ.get("PATH")), {})
        return {mode: stages for mode, stages in kept.items() if stages.running()}

    def close(self) -> None:
        """Stop the pipelines kept or waiting (at exit: they would end on their own when
        this process's end of the pipe closes, but not before the interpreter waits on
        them)."""
        with self._lock:
            every = [*self._waiting.values(),
                     *(s for kept in self._parked.values() for s in kept.values())]
            self._waiting, self._parked = {}, OrderedDict()
        if os.getpid() == self._owner:
            for stages in every:
                stages.stop()

    def _forget_if_forked(self) -> None:
        # A forked child must not write into its parent's pipelines.
        if os.getpid() != self._owner:
            self._waiting, self._parked, self._owner = {}, OrderedDict(), os.getpid()


def _stop(process: subprocess.Popen) -> None:
    """Stop a process and every process it started (its own process group)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired, ValueError, OSError):
        process.communicate(timeout=5)


_PIPELINES = _Pipelines()
atexit.register(_PIPELINES.close)


def _run(mode: str, bodies: Sequence[str], stages: _Stages | None,
         timeout: float | None = None,
         on_body: Callable[[int, str], None] | None = None,
         on_start: Callable[[], object] | None = None) -> list[str]:
    """Apertium's output markup for each input markup (one call for the batch), through
    ``stages`` (or, where they are None, the ``apertium`` script).

    ``on_body(index, markup)`` is called with each segment's output as soon as Apertium has
    written it, while it goes on with the rest: the caller's work on the first segments
    overlaps with the translation of the last ones. Only a call whose segments all come
    back is streamed so; the final list is what counts. ``on_start()`` is called once the
    input is going in. A call that fails or hangs stops ``stages``."""
    if not bodies:
        return []
    # NUL ends a call in the stream; it is no text.
    payload = "\n".join(f'<p data-s="{number}">{body}</p>'
                        for number, body in enumerate(bodies)).replace("\0", "")
    limit = timeout if timeout is not None else 60 + len(payload) / 1000
    tools = _format_tools(os.environ.get("PATH"), _has_markup(bodies))
    received = ""
    done = 0  # how much of the output has been handed to on_body

    def arrived(text: str) -> None:
        nonlocal received, done
        received += text
        if on_body is None:
            return
        for match in _PARAGRAPH.finditer(received, done):
            number = int(match.group(1))
            if number < len(bodies):
                on_body(number, match.group(2))
            done = match.end()

    try:
        if stages is None or tools is None:
            _run_script(mode, payload, limit, arrived, on_start)
        else:
            _translate_through(stages, tools, payload, limit, arrived, on_start)
    except subprocess.TimeoutExpired:
        raise HexaglotError(f"Apertium {mode} did not answer within {limit:.0f} s (stopped); "
                            "if it happens again, check the Apertium installation") from None
    except OSError as error:
        raise HexaglotError(f"Apertium {mode} stopped while reading its input: {error}") from None
    output = received
    found = {int(number): body for number, body in _PARAGRAPH.findall(output)}
    if len(found) != len(bodies):
        if len(bodies) == 1:
            return [_PARAGRAPH_TAGS.sub("", output).strip()]
        # A segment boundary was lost: translate one by one rather than misalign segments,
        # in a pipeline of their own. This one may be out of step with its stream: a stage
        # that died mid-call makes the ones after it flush and end the call early.
        if stages is not None:
            stages.stop()
        alone = _PIPELINES.take(mode)
        try:
            return [_run(mode, [body], alone, timeout)[0] for body in bodies]
        finally:
            if alone is not None:
                alone.close()
    return [found[n] for n in range(len(bodies))]


def _translate_through(stages: _Stages, tools: tuple[str, str, bool], payload: str,
                       limit: float, arrived: Callable[[str], None],
                       on_start: Callable[[], object] | None = None) -> None:
    """One call through running stages: the deformatter on the payload, the stream
    through the stages, what comes out through the reformatter (as it comes, to
    ``arrived``). Raises TimeoutExpired after ``limit`` seconds, with the stages stopped."""
    deformatter, reformatter, transfuse = tools
    deadline = time.monotonic() + limit
    # Transfuse keeps the call's markup in a folder: one of ours, removed after the call
    # even when it is stopped (its own default is a /tmp/transfuse-* folder left behind).
    folder = tempfile.mkdtemp(prefix="hexaglot-transfuse-") if transfuse else None
    failures: list[HexaglotError] = []
    try:
        if transfuse:
            # Transfuse flushes after each block: its stream is complete before it goes in.
            extracted = subprocess.run(
                [deformatter, "-f", "html", "-d", str(folder)], input=payload.encode("utf-8"),
                capture_output=True, timeout=limit, check=False, env=_tool_environment())
            if extracted.returncode != 0:
                raise HexaglotError(_stopped(deformatter, extracted.returncode,
                                             extracted.stderr))
            stream = extracted.stdout if extracted.stdout.endswith(b"\0") else \
                extracted.stdout + b"\0"
            flushes = stream.count(b"\0")

            def feed(stages_input: BinaryIO) -> None:
                _call(on_start)
                stages_input.write(stream)
        else:
            # The classic deformatter writes straight into the stages, which start on the
            # first paragraphs while it reads the rest; the NUL follows its last byte.
            flushes = 1

            def feed(stages_input: BinaryIO) -> None:
                stages_input.flush()
                deformat = subprocess.Popen(
                    [deformatter], stdin=subprocess.PIPE, stdout=stages_input,
                    stderr=subprocess.PIPE, start_new_session=True, env=_tool_environment())
                _call(on_start)
                _, errors = deformat.communicate(payload.encode("utf-8"))
                if deformat.returncode != 0:
                    failures.append(HexaglotError(_stopped(deformatter, deformat.returncode,
                                                           errors)))
                stages_input.write(b"\0")

        reform = subprocess.Popen([reformatter], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, start_new_session=True,
                                  env=_tool_environment())

        def relay() -> None:  # stages -> reformatter, while the reformatter's output is read
            assert reform.stdin

            def sink(chunk: bytes) -> None:
                # Transfuse's injector reads the blocks by their NULs; the classic
                # reformatter would print them.
                reform.stdin.write(chunk if transfuse else chunk.replace(b"\0", b""))
                reform.stdin.flush()

            try:
                stages.translate(feed, flushes, sink)
            except HexaglotError as error:
                failures.append(error)
            except (OSError, ValueError):
                pass  # the reformatter stopped: its exit code says why
            finally:
                with contextlib.suppress(OSError, ValueError):
                    reform.stdin.close()

        relaying = threading.Thread(target=relay, name="apertium-stages", daemon=True)
        relaying.start()
        try:
            errors = _exchange(reform, None, deadline - time.monotonic(), arrived)
        except BaseException:
            stages.stop()
            _stop(reform)
            raise
        relaying.join(timeout=max(1.0, deadline - time.monotonic()))
        if failures:
            stages.stop()
            raise failures[0]
        if reform.returncode != 0:
            stages.stop()
            raise HexaglotError(_stopped(reformatter, reform.returncode, errors.encode()))
    finally:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


def _stopped(tool: str, code: int, errors: bytes) -> str:
    message = errors.decode("utf-8", "replace").strip()[:300] or "no message"
    return f"Apertium's {Path(tool).name} stopped with exit code {code}: {message}"


def _call(hook: Callable[[], object] | None) -> None:
    """Call a hook that only hints (``on_start``): its failure is not the call's."""
    if hook is not None:
        with contextlib.suppress(Exception):
            hook()


def _run_script(mode: str, payload: str, limit: float, arrived: Callable[[str], None],
                on_start: Callable[[], object] | None = None) -> None:
    """One call through the ``apertium`` script, where the stages cannot be run directly."""
    try:
        process = subprocess.Popen(
            ["apertium", "-f", "html-noent", mode], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
            env=_tool_environment())
    except OSError as error:
        raise HexaglotError(f"Apertium could not be started (apertium): {error}") from None
    _call(on_start)
    try:
        errors = _exchange(process, payload.encode("utf-8"), limit, arrived)
    except BaseException:
        _stop(process)
        raise
    if process.returncode != 0:
        raise HexaglotError(f"Apertium {mode} stopped with exit code {process.returncode}: "
                            f"{errors.strip()[:300] or 'no message'}")


def _exchange(process: subprocess.Popen, payload: bytes | None, limit: float,
              arrived: Callable[[str], None]) -> str:
    """Popen.communicate that hands each piece of standard output to ``arrived`` as it
    comes; returns standard error. ``payload``: the input to write (None: somebody else
    writes it). Raises TimeoutExpired after ``limit`` seconds."""
    assert process.stdin and process.stdout and process.stderr
    stdin, out_fd, err_fd = process.stdin, process.stdout.fileno(), process.stderr.fileno()
    writer = None
    if payload is not None:
        def feed() -> None:  # a thread, so that a full output pipe never blocks the input
            with contextlib.suppress(OSError, ValueError):
                stdin.write(payload)
                stdin.close()

        writer = threading.Thread(target=feed, name="apertium-input", daemon=True)
        writer.start()
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    errors: list[bytes] = []
    deadline = time.monotonic() + limit
    with selectors.DefaultSelector() as selector:
        selector.register(out_fd, selectors.EVENT_READ)
        selector.register(err_fd, selectors.EVENT_READ)
        while selector.get_map():
            left = deadline - time.monotonic()
            if left <= 0:
                raise subprocess.TimeoutExpired(process.args, limit)
            for key, _ in selector.select(left):
                data = os.read(key.fd, 1 << 16)
                if not data:
                    selector.unregister(key.fd)
                elif key.fd == out_fd:
                    arrived(decoder.decode(data))
                else:
                    errors.append(data)
    arrived(decoder.decode(b"", final=True))
    process.wait(timeout=max(1.0, deadline - time.monotonic()))
    if writer is not None:
        writer.join(timeout=1)
    return b"".join(errors).decode("utf-8", "replace")
