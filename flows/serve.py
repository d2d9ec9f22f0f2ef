"""The desk's deployments, served from this machine: "desk" and "nightly".

- ``translate-documents/desk``: the translation flow, run on demand from the Prefect UI
  (Deployments > desk > Run > Custom run) or ``prefect deployment run``, with the
  documents, target languages, glossaries, engine and TM as parameters.
- ``nightly-batch/nightly``: the nightly batch on the cron schedule of ``[nightly]`` in
  hexaglot.toml (02:00, Asia/Ho_Chi_Minh time, unless changed there).

``python flows/serve.py`` registers both with the Prefect server that ``PREFECT_API_URL``
points to and runs their flow runs in subprocesses of this one until stopped (Ctrl-C),
pausing the schedule on the way out. No work pool or worker is needed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from prefect import serve
from prefect.schedules import Cron

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flows.nightly import nightly_batch
from flows.translate_documents import translate_documents
from hexaglot.config import load_config

DESK, NIGHTLY = "desk", "nightly"


def deployments() -> list:
    config = load_config()
    desk = translate_documents.to_deployment(
        name=DESK, tags=["hexaglot", "desk"],
        description="Translate documents on demand: fill in the documents (names in "
                    "docs_in/ or paths), target languages, glossaries, engine and TM.")
    nightly = nightly_batch.to_deployment(
        name=NIGHTLY, tags=["hexaglot", "nightly"],
        schedule=Cron(config.nightly.cron, timezone=config.nightly.timezone),
        description=f"What arrived in docs_in/ since the last batch, every night "
                    f"({config.nightly.cron}, {config.nightly.timezone}).")
    return [desk, nightly]


if __name__ == "__main__":
    serve(*deployments())
