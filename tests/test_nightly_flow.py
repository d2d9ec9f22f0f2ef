"""The nightly batch and the desk's deployments, run for real: Prefect's retries, a batch
process killed halfway and rerun, and a Prefect server with the deployments served and
triggered through the ``prefect`` command line."""

from __future__ import annotations

import asyncio
import contextlib
import csv
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import PRESS_RELEASE_LINES, REPO, flores

pytestmark = pytest.mark.prefect

PREFECT = str(Path(sys.executable).parent / "prefect")


def _config(tmp_path: Path, **nightly: object) -> Path:
    """A hexaglot.toml like the desk's, with quick retries for tests."""
    desk = (REPO / "hexaglot.toml").read_text(encoding="utf-8")
    desk = desk.replace('"glossaries/', f'"{REPO}/glossaries/')
    briefing = nightly.pop("briefing", None)
    desk = desk.split("[briefing]")[0] + "[nightly]\n" + "".join(
        f"{key} = {json.dumps(value)}\n" for key, value in nightly.items())
    if briefing:
        desk += f"[briefing]\nprogramme = {json.dumps(str(briefing))}\n"
    path = tmp_path / "hexaglot.toml"
    path.write_text(desk, encoding="utf-8")
    return path


def _documents(folder: Path, count: int) -> list[Path]:
    """Short English press notes from FLORES sentences, five each."""
    folder.mkdir(parents=True, exist_ok=True)
    sentences = flores("en", count * 5)
    paths = []
    for number in range(count):
        path = folder / f"note-{number:03d}.txt"
        path.write_text("\n\n".join(sentences[number * 5:number * 5 + 5]) + "\n",
                        encoding="utf-8")
        paths.append(path)
    return paths


def test_a_file_saved_during_the_batch_is_retried_and_a_broken_one_is_reported(
        tmp_path, monkeypatch):
    from prefect.client.orchestration import get_client

    import hexaglot.batch
    from flows.nightly import nightly_batch

    monkeypatch.setenv("HEXAGLOT_CONFIG", str(_config(tmp_path, retries=2,
                                                      retry_delay_seconds=[0])))
    docs_in = tmp_path / "docs_in"
    _documents(docs_in, 2)
    (docs_in / "broken.docx").write_bytes(b"PK\x03\x04 cut short")
    (docs_in / "README.pdf").write_bytes(b"%PDF-1.4")
    attempts: dict[str, int] = {}
    real = hexaglot.batch.process_document

    def saved_again_on_first_attempt(path, *args, **kwargs):
        attempts[path.name] = attempts.get(path.name, 0) + 1
        result = real(path, *args, **kwargs)
        if path.name == "note-001.txt" and attempts[path.name] == 1:
            path.write_text(path.read_text(encoding="utf-8") + "\nA late addition.\n",
                            encoding="utf-8")
        return result

    monkeypatch.setattr(hexaglot.batch, "process_document", saved_again_on_first_attempt)
    summary = nightly_batch(docs_in=str(docs_in), out_dir=str(tmp_path / "out"),
                            target_languages=["es"], translation_memory="none")
    errors = {Path(d["path"]).name: d["error"] for d in summary["documents"]}
    assert errors["note-000.txt"] is None
    assert errors["note-001.txt"] is None and attempts["note-001.txt"] == 2  # retried
    assert "broken.docx" in errors["broken.docx"]
    assert attempts["broken.docx"] == 1  # unreadable: not retried
    assert [Path(i["path"]).name for i in summary["ignored"]] == ["README.pdf"]
    folder = Path(summary["out_dir"])
    assert "late addition" in (folder / "note-001.es.txt").read_text(encoding="utf-8") or \
        "tardía" in (folder / "note-001.es.txt").read_text(encoding="utf-8")

    async def artifact():
        async with get_client() as client:
            return await client.read_latest_artifacts()

    markdown = next(a for a in asyncio.run(artifact()) if a.key == "nightly-batch").data
    assert "broken.docx" in markdown and "1 failed" in markdown and "README.pdf" in markdown


def test_nightly_batch_makes_the_booth_packs_again_only_when_their_inputs_change(
        tmp_path, monkeypatch):
    import shutil

    from flows.nightly import nightly_batch

    event = tmp_path / "briefing"
    shutil.copytree(REPO / "docs_in" / "briefing", event)
    shutil.copy(REPO / "docs_in" / "press-release-hanoi-signing.txt", tmp_path)
    monkeypatch.setenv("HEXAGLOT_CONFIG", str(_config(
        tmp_path, retries=0, briefing=event / "programme.md")))
    docs_in, out = tmp_path / "docs_in", tmp_path / "out"
    _documents(docs_in, 1)
    common = dict(docs_in=str(docs_in), out_dir=str(out), target_languages=["fr"],
                  translation_memory="none")
    first = nightly_batch(**common)
    assert first["briefing"]["packs"] > 0 and not first["briefing"]["skipped"]
    packs = sorted((out / "briefing").glob("*.fr.briefing.docx"))
    assert len(packs) == first["briefing"]["packs"]
    second = nightly_batch(**common)
    assert second["briefing"]["skipped"]
    assert "packs stand" in (out / "nightly" / "nightly-summary.md").read_text(encoding="utf-8")


def _manifest_count(out: Path) -> int:
    try:
        return len(json.loads((out / "nightly" / "manifest.json").read_text())["documents"])
    except (OSError, ValueError, KeyError):
        return 0


def test_batch_killed_halfway_is_finished_by_the_rerun_without_duplicates(tmp_path):
    config = _config(tmp_path, retries=0)
    docs_in, out = tmp_path / "docs_in", tmp_path / "out"
    documents = _documents(docs_in, 12)
    # As ./desk runs it: the package installed (here: src on the path), not the checkout.
    env = {**os.environ, "HEXAGLOT_CONFIG": str(config), "PYTHONPATH": str(REPO / "src")}
    command = [sys.executable, "flows/nightly.py", "--docs-in", str(docs_in), "--out", str(out),
               "--to", "es,fr", "--tm", "none"]
    batch = subprocess.Popen(command, cwd=REPO, env=env, start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while _manifest_count(out) < 3 and batch.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(batch.pid, signal.SIGKILL)  # the machine goes down mid-batch
    batch.wait()
    done_before = _manifest_count(out)
    assert 3 <= done_before < len(documents), "the batch should have been killed halfway"

    rerun = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True,
                           timeout=600)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    nights = [p for p in (out / "nightly").iterdir() if p.is_dir() and p.name != "latest"]
    assert len(nights) == 1, "the rerun continues the same night's folder"
    folder = nights[0]
    report = json.loads((folder / "run-report.json").read_text(encoding="utf-8"))
    assert sorted(Path(d["path"]).name for d in report["documents"]) == [
        p.name for p in documents]
    assert all(d["error"] is None for d in report["documents"])
    for document in documents:
        for lang in ("es", "fr"):
            assert (folder / f"{document.stem}.{lang}.txt").stat().st_size > 0
            assert (folder / f"{document.stem}.{lang}.review.docx").exists()
    assert not [p for p in folder.rglob("*") if p.name.endswith(".part")]
    with open(folder / "hits.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    # Each document's hits once: as many rows as its own record of the night holds.
    for document in documents:
        part = json.loads((folder / ".parts" / f"{document.name}.json").read_text())
        assert sum(r["doc"] == document.name for r in rows) == len(part["hits"])
    assert {r["run_id"] for r in rows} <= {report["run_id"]}
    assert (out / "nightly" / "latest").resolve() == folder.resolve()
    assert _manifest_count(out) == len(documents)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(check, timeout: float, what: str, process: subprocess.Popen | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"{what}: the process exited with {process.returncode}")
        try:
            value = check()
        except Exception:
            value = None
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def _group_alive(process: subprocess.Popen) -> list[str]:
    listing = subprocess.run(["ps", "-o", "pid=,args=", "-g", str(process.pid)],
                             capture_output=True, text=True)
    return [line for line in listing.stdout.splitlines() if line.strip()]


def _stop(process: subprocess.Popen, sig: int) -> list[str]:
    """Stop a process as a person would (Ctrl-C, or a service manager's SIGTERM); return
    whatever of its process group outlived it (then kill that, so no test leaves any)."""
    if process.poll() is None:
        process.send_signal(sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=60)
    time.sleep(1)
    left = _group_alive(process)
    if left or process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    return left


def _log(path: Path):
    return open(path, "w")  # handed to the process, closed with it


def test_desk_deployment_triggered_through_a_real_prefect_server(tmp_path):
    import httpx

    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    home = tmp_path / "prefect-home"
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PREFECT_API_DATABASE_CONNECTION_URL":
               f"sqlite+aiosqlite:///{tmp_path / 'prefect.db'}",
           "HEXAGLOT_CONFIG": str(_config(tmp_path, cron="30 1 * * *", timezone="Europe/Vienna",
                                          retries=0)),
           "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)])}
    env.pop("PREFECT_API_URL", None)
    logs = tmp_path / "logs"
    logs.mkdir()
    server = subprocess.Popen(
        [PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        cwd=tmp_path, env=env, start_new_session=True,
        stdout=_log(logs / "server.log"), stderr=subprocess.STDOUT)
    served = None
    try:
        _wait_for(lambda: httpx.get(f"{api}/health", timeout=2).status_code == 200, 120,
                  "the Prefect server", server)
        client_env = {**env, "PREFECT_API_URL": api}
        served = subprocess.Popen([sys.executable, "flows/serve.py"], cwd=REPO, env=client_env,
                                  start_new_session=True,
                                  stdout=_log(logs / "serve.log"), stderr=subprocess.STDOUT)

        def deployment(name: str) -> dict | None:
            response = httpx.get(f"{api}/deployments/name/{name}", timeout=5)
            return response.json() if response.status_code == 200 else None

        _wait_for(lambda: deployment("translate-documents/desk"), 120, "the desk deployment",
                  served)
        nightly = _wait_for(lambda: deployment("nightly-batch/nightly"), 60,
                            "the nightly deployment", served)
        (schedule,) = [s["schedule"] for s in nightly["schedules"]]
        assert schedule["cron"] == "30 1 * * *" and schedule["timezone"] == "Europe/Vienna"

        document = tmp_path / "in" / "press-release.txt"
        document.parent.mkdir()
        document.write_text("\n".join(PRESS_RELEASE_LINES) + "\n", encoding="utf-8")
        out = tmp_path / "out"
        trigger = subprocess.run(
            [PREFECT, "deployment", "run", "translate-documents/desk",
             "-p", f"paths={json.dumps([str(document)])}",
             "-p", 'target_languages=["es", "fr"]', "-p", f"out_dir={json.dumps(str(out))}",
             "-p", f"translation_memory={json.dumps(str(tmp_path / 'tm.sqlite'))}"],
            env=client_env, capture_output=True, text=True, timeout=120)
        assert trigger.returncode == 0, trigger.stdout + trigger.stderr
        run_id = re.search(r"UUID: ([0-9a-f-]{36})", trigger.stdout).group(1)

        def finished() -> dict | None:
            run = httpx.get(f"{api}/flow_runs/{run_id}", timeout=5).json()
            return run if run["state"]["type"] in ("COMPLETED", "FAILED", "CRASHED",
                                                   "CANCELLED") else None

        run = _wait_for(finished, 300, "the flow run", served)
        assert run["state"]["type"] == "COMPLETED", (logs / "serve.log").read_text()
        report = json.loads((out / "run-report.json").read_text(encoding="utf-8"))
        (only,) = report["documents"]
        assert only["error"] is None
        assert {t["lang"] for t in only["targets"]} == {"es", "fr"}
        for name in ("press-release.es.txt", "press-release.fr.review.docx", "hits.csv"):
            assert (out / name).exists(), name
        assert (tmp_path / "tm.sqlite").exists()  # the run fed the TM it was given
    finally:
        left_by_serve = _stop(served, signal.SIGINT) if served is not None else []
        left_by_server = _stop(server, signal.SIGTERM)
    assert not left_by_serve, f"orphans of flows/serve.py: {left_by_serve}"
    assert not left_by_server, f"orphans of prefect server: {left_by_server}"
