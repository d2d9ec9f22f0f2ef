"""The Prefect flow and the desk's main job, run for real on Prefect's ephemeral API."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.prefect


def test_flow_translates_each_document_and_reports_the_failed_one(tmp_path, press_release_txt,
                                                                    programme_docx, glossary_csv):
    from prefect.client.orchestration import get_client

    from flows.translate_documents import translate_documents

    out = tmp_path / "out"
    missing = tmp_path / "in" / "missing.docx"
    summary = translate_documents(
        paths=[str(press_release_txt), str(missing), str(programme_docx)],
        target_languages=["es", "zh"], glossaries=[str(glossary_csv)], out_dir=str(out))
    documents = {Path(d["path"]).name: d for d in summary["documents"]}
    assert "no such file" in documents["missing.docx"]["error"]
    for name in ("press-release.txt", "programme.docx"):
        assert documents[name]["error"] is None
        assert {t["lang"] for t in documents[name]["targets"]} == {"es", "zh"}
    for output in ("press-release.es.txt", "press-release.zh.review.docx", "programme.es.docx",
                   "programme.zh.docx", "hits.csv", "run-report.json"):
        assert (out / output).exists(), output

    async def artifact():
        async with get_client() as client:
            return await client.read_latest_artifacts()

    markdown = next(a for a in asyncio.run(artifact()) if a.key == "translation-run").data
    assert "press-release.txt" in markdown and "missing.docx" in markdown and "FAILED" in markdown


def test_main_job_on_docs_in_writes_every_other_official_language(tmp_path):
    """The README's first command, minus the installation it does: the real samples, the real
    glossaries, the flow, the progress bars and the summary table."""
    out = tmp_path / "docs_out"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    result = subprocess.run([sys.executable, "flows/translate_documents.py", "--out", str(out)],
                            cwd=REPO, capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    samples = sorted(p for p in (REPO / "docs_in").iterdir() if p.suffix in (".txt", ".docx",
                                                                                ".md"))
    assert len(samples) >= 4
    report = json.loads((out / "run-report.json").read_text(encoding="utf-8"))
    sources = {Path(d["path"]).name: d["source_lang"] for d in report["documents"]}
    assert sources == {"communique-signature-convention.docx": "fr",
                       "comunicado-prensa-firma.md": "es", "press-release-hanoi-signing.txt": "en",
                       "programme-signing-ceremony.docx": "en",
                       "thong-cao-bao-chi-viet-nam.txt": "vi"}
    for sample in samples:
        assert sample.name in result.stdout
        expected = {"ar", "zh", "en", "fr", "ru", "es"} - {sources[sample.name]}
        for lang in expected:
            assert (out / f"{sample.stem}.{lang}.review.docx").exists()
            assert (out / f"{sample.stem}.{lang}{sample.suffix}").exists()
        assert len(list(out.glob(f"{sample.stem}.*.review.docx"))) == len(expected)
    assert "segments" in result.stdout  # the progress bars
    assert "hexaglot run" in result.stdout and "apertium" in result.stdout
    assert (out / "hits.csv").stat().st_size > 1000
