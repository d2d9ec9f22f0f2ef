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
  top of the stages;
- the pipeline for the next call is started as soon as a call takes one
  (:class:`_Pipelines`), so that loading the transducers overlaps with other work;
- a batch can be started ahead (:meth:`ApertiumEngine.prefetch`) while the pipeline
  matches the glossary in the source, and each translation is handed over as Apertium
  writes it, so that the glossary is matched in it while Apertium goes on.
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
import shlex
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path

from hexaglot.document import HexaglotError, InlineSpan
from hexaglot.inline import apply_edits, from_html, tidy, to_html
from hexaglot.mt.base import DO_NOT_TRANSLATE, Translation

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

        def work() -> None:
            try:
                future.set_result(self._translate_now(texts, source, target, spans, then))
            except BaseException as error:  # handed to the translate() call that asks
                future.set_exception(error)

        threading.Thread(target=work, name="apertium-ahead", daemon=True).start()

    def translate(self, texts: Sequence[str], source: str, target: str,
                  spans: Sequence[Sequence[InlineSpan]] | None = None) -> list[Translation]:
        """Translations of ``texts``; with ``spans`` (inline codes per text), the codes
        travel as tags through Apertium, which moves them with the words, and come back
        over each translation (``Translation.spans``)."""
        with self._lock:
            future = self._ahead.pop(_call_key(texts, source, target, spans), None)
        if future is not None:
            return future.result()
        return self._translate_now(texts, source, target, spans)

    def _translate_now(self, texts: Sequence[str], source: str, target: str,
                       spans: Sequence[Sequence[InlineSpan]] | None,
                       then: Callable[[Translation], object] | None = None,
                       ) -> list[Translation]:
        chain = self.chain(source, target)
        if chain is None:
            raise HexaglotError(f"Apertium has no {source}->{target} pair installed")
        kept: list[str] = []
        codes: list[tuple[InlineSpan, str]] = []
        bodies = [to_html(text, spans[n] if spans else (), kept, codes, DO_NOT_TRANSLATE)
                  for n, text in enumerate(texts)]
        unknown: list[set[str]] = [set() for _ in texts]
        for mode in chain[1:]:
            _PIPELINES.prepare(mode, _has_markup(bodies))  # loads while the first step translates
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

        for step, mode in enumerate(chain):
            last = step == len(chain) - 1
            outputs = _run(mode, bodies, self.timeout, on_body=arrived if last else None)
            if last:
                return [streamed[n][1] if n in streamed and streamed[n][0] == output
                        else finish(n, output) for n, output in enumerate(outputs)]
            for index, output in enumerate(outputs):
                bodies[index], words = _unmark_unknown(output)
                unknown[index].update(words)
        return []


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


@functools.lru_cache(maxsize=32)
def _pipeline_command(mode: str, search_path: str | None, markup: bool) -> tuple[str, ...]:
    """The command that translates HTML paragraphs in ``mode``, as ``apertium -f
    html-noent`` builds it, in one shell pipeline: the stages the mode file lists, between

    - Transfuse (``tf-extract``/``tf-inject``), which the ``apertium`` script prefers where
      it is installed, for ``markup`` (inline codes or protected text as tags): it binds
      each tag to the words it covers, so that bold or a link moves with them when
      Apertium reorders ("the United Nations website" -> "el sitio web de las Naciones
      Unidas"); the classic deformatter leaves tags where they were;
    - otherwise Apertium's classic HTML deformatter and reformatter, which on plain text
      give the same translation at a fraction of Transfuse's cost (and keep a "~").

    Where the parts cannot be found (another Apertium layout), the ``apertium`` script.
    ``search_path`` (the PATH the tools are looked up in) is part of the cache key only."""
    def tool(name: str) -> str | None:
        return shutil.which(name, path=search_path)

    wblank_mode, bash = tool("apertium-wblank-mode"), tool("bash")
    mode_file = _data_dir() / "modes" / f"{mode}.mode"
    transfuse = markup and tool("tf-extract") and tool("tf-inject")
    ends = ((tool("tf-extract"), tool("tf-inject")) if transfuse else
            (tool("apertium-deshtml"), tool("apertium-rehtml-noent")))
    if wblank_mode and bash and all(ends) and mode_file.is_file():
        # Transfuse's stream flushes with NUL characters: every stage must pass them on.
        flags = ["-z"] if transfuse else []
        stages = subprocess.run([wblank_mode, *flags, str(mode_file)], capture_output=True,
                                text=True, check=False).stdout.strip()
        if stages and "\n" not in stages:
            # Transfuse keeps its state in a folder: one of ours ($3, see _start), removed
            # after the call even when the call is stopped.
            deformat = (f'{shlex.quote(ends[0])} -f html -d "$3"' if transfuse
                        else shlex.quote(ends[0]))
            # $1 and $2 in a mode file are the generator's and the tagger's options: -g
            # (mark unknown words) and none, as ``apertium -f html-noent`` passes them.
            script = f"{deformat} | {stages} | {shlex.quote(ends[1])}"
            return (bash, "-c", script, "apertium", "-g", "")
    return ("apertium", "-f", "html-noent", mode)


class _Pipelines:
    """Apertium pipelines started ahead of the call that will use them, one per mode and
    format (Transfuse or classic).

    A pipeline spends its first tenth of a second or more loading transducers and rules.
    Started as soon as a call takes the previous one, it has loaded them by the time the
    next call comes (enforcement's second call, the next document of a batch), so that
    cost overlaps with other work instead of adding to it.

    Each pipeline translates one call and exits. Apertium's tagger remembers what it has
    read: a pipeline kept running across calls (null-flush mode) tags a sentence
    differently depending on the text sent before it, and a desk must get the same
    translation for the same document on every run.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # (mode, PATH, markup) -> its pipeline; PATH because it decides which programs run.
        self._waiting: dict[tuple[str, str | None, bool], subprocess.Popen[str]] = {}
        self._owner = os.getpid()

    def take(self, mode: str, markup: bool) -> subprocess.Popen[str]:
        """A started pipeline for ``mode``, waiting for its input; another starts at once
        for the next call (enforcement's second call follows the first closely)."""
        key = (mode, os.environ.get("PATH"), markup)
        with self._lock:
            self._forget_if_forked()
            process = self._waiting.pop(key, None)
        if process is None or process.poll() is not None:
            process = _start(_pipeline_command(*key))
        self.prepare(mode, markup)
        return process

    def prepare(self, mode: str, markup: bool) -> None:
        """Start the pipeline the next call for ``mode`` will take, if none is waiting."""
        key = (mode, os.environ.get("PATH"), markup)
        with self._lock:
            self._forget_if_forked()
            waiting = self._waiting.get(key)
            if waiting is not None and waiting.poll() is None:
                return
            try:
                self._waiting[key] = _start(_pipeline_command(*key))
            except HexaglotError:
                self._waiting.pop(key, None)  # the call itself will say why

    def close(self) -> None:
        """Stop the waiting pipelines (at exit: they would end on their own when this
        process's end of the pipe closes, but not before the interpreter waits on them)."""
        with self._lock:
            waiting, self._waiting = list(self._waiting.values()), {}
        if os.getpid() == self._owner:
            for process in waiting:
                _stop(process)

    def _forget_if_forked(self) -> None:
        # A forked child must not write into its parent's pipelines.
        if os.getpid() != self._owner:
            self._waiting, self._owner = {}, os.getpid()


_STATE_FOLDERS: dict[int, str] = {}  # pipeline's pid -> its Transfuse state folder


def _start(command: Sequence[str]) -> subprocess.Popen[str]:
    folder = None
    if any('"$3"' in part for part in command):
        folder = tempfile.mkdtemp(prefix="hexaglot-transfuse-")
        command = [*command, folder]
    try:
        process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, encoding="utf-8", errors="replace", start_new_session=True,
            env={**os.environ, "LC_CTYPE": _utf8_locale()})
    except OSError as error:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
        raise HexaglotError(f"Apertium could not be started ({command[0]}): {error}") from None
    if folder:
        _STATE_FOLDERS[process.pid] = folder
    return process


def _forget(process: subprocess.Popen[str]) -> None:
    """Remove what a finished or stopped pipeline leaves behind (Transfuse's state)."""
    folder = _STATE_FOLDERS.pop(process.pid, None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


def _stop(process: subprocess.Popen[str]) -> None:
    """Stop a pipeline and every stage in it (its own process group)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired, ValueError, OSError):
        process.communicate(timeout=5)
    _forget(process)


_PIPELINES = _Pipelines()
atexit.register(_PIPELINES.close)


def _run(mode: str, bodies: Sequence[str], timeout: float | None = None,
         on_body: Callable[[int, str], None] | None = None) -> list[str]:
    """Apertium's output markup for each input markup (one call for the batch).

    ``on_body(index, markup)`` is called with each segment's output as soon as Apertium has
    written it, while it goes on with the rest: the caller's work on the first segments
    overlaps with the translation of the last ones. Only a call whose segments all come
    back is streamed so; the final list is what counts."""
    if not bodies:
        return []
    payload = "\n".join(f'<p data-s="{number}">{body}</p>' for number, body in enumerate(bodies))
    limit = timeout if timeout is not None else 60 + len(payload) / 1000
    process = _PIPELINES.take(mode, _has_markup(bodies))
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
        errors = _exchange(process, payload, limit, arrived)
        _forget(process)
    except subprocess.TimeoutExpired:
        _stop(process)
        raise HexaglotError(f"Apertium {mode} did not answer within {limit:.0f} s (stopped); "
                            "if it happens again, check the Apertium installation") from None
    except OSError as error:
        _stop(process)
        raise HexaglotError(f"Apertium {mode} stopped while reading its input: {error}") from None
    output = received
    if process.returncode != 0:
        raise HexaglotError(f"Apertium {mode} stopped with exit code {process.returncode}: "
                            f"{errors.strip()[:300] or 'no message'}")
    found = {int(number): body for number, body in _PARAGRAPH.findall(output)}
    if len(found) != len(bodies):
        # A segment boundary was lost: translate one by one rather than misalign segments.
        if len(bodies) == 1:
            return [_PARAGRAPH_TAGS.sub("", output).strip()]
        return [_run(mode, [body], timeout)[0] for body in bodies]
    return [found[n] for n in range(len(bodies))]


def _exchange(process: subprocess.Popen[str], payload: str, limit: float,
              arrived: Callable[[str], None]) -> str:
    """Popen.communicate that hands each piece of standard output to ``arrived`` as it
    comes; returns standard error. Raises TimeoutExpired after ``limit`` seconds."""
    assert process.stdin and process.stdout and process.stderr
    stdin, out_fd, err_fd = process.stdin, process.stdout.fileno(), process.stderr.fileno()

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
    writer.join(timeout=1)
    return b"".join(errors).decode("utf-8", "replace")
