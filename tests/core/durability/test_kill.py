"""Killing the app mid-write loses nothing that was reported saved, and breaks nothing."""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from core.services import documents, extractions
from core.services.audit_log import audit_trail
from core.services.project import Project
from tests.helpers import CROHN_PHASE2, ROOT

WORKER = Path(__file__).with_name("kill_worker.py")
KILLS = 50


def _start(path: Path, extraction_id: int, counter: int) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [sys.executable, str(WORKER), str(path), str(extraction_id), str(counter)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_sigkill_during_writes_loses_no_returned_value(tmp_path: Path) -> None:
    path = tmp_path / "killed.sqlite"
    project = Project.create(path)
    outcomes, _ = documents.import_files(project, [CROHN_PHASE2])
    assert outcomes[0].document is not None
    extractions.add_reviewer(project, "Ana")
    ext, _ = extractions.start_extraction(project, outcomes[0].document.study_id, "Ana")
    project.close()
    rng = random.Random(50)
    returned: dict[str, int] = {}
    calls = 0
    counter = 0
    for _ in range(KILLS):
        worker = _start(path, ext.id, counter)
        assert worker.stdout is not None
        assert worker.stdout.readline().strip() == "ready", worker.stderr.read()  # type: ignore[union-attr]
        time.sleep(rng.uniform(0.02, 0.35))
        worker.send_signal(signal.SIGKILL)
        output, _ = worker.communicate(timeout=30)
        assert worker.returncode == -signal.SIGKILL
        for line in output.splitlines():
            field, value = line.split()
            returned[field] = int(value)
            calls += 1
            counter = max(counter, int(value) + 1)
        counter += 10  # the call cut off by the kill may or may not have landed
        with sqlite3.connect(path) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        reopened = Project.open(path)
        stored = {v.path: v.value for v in extractions.list_values(reopened, ext.id)}
        for field, value in returned.items():
            assert stored[field] >= value, f"{field}: {value} was saved, {stored[field]} found"
        reopened.close()
    assert calls > KILLS  # the kills landed mid-loop, after many returned writes
    final = Project.open(path)
    logged = [e for e in audit_trail(final, extraction_id=ext.id) if e.action == "set_value"]
    assert len(logged) >= calls
    final.close()
