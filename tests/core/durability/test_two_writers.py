"""Two processes writing one project at once lose no update and never overwrite unseen.

Each test runs real OS processes (tests/core/durability/two_writers_worker.py) against
one SQLite file or one PostgreSQL database, started together on a signal.
"""

import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.services import documents, editing, extractions
from core.services.audit_log import AuditInfo, audit_trail
from core.services.project import Project
from core.storage.backup import sqlite_path
from core.storage.db import database_url
from tests.helpers import ROOT, sample_files

WORKER = Path(__file__).with_name("two_writers_worker.py")
WRITES = 200  # per process and kind of write
SHARED = "enrolled"


@dataclass(frozen=True)
class Setup:
    own: tuple[int, int]  # Ana's and Bea's extractions of one study
    shared: int  # Ana's extraction of another study, written by both processes


def _setup(target: str) -> Setup:
    project = Project.create(target)
    outcomes, _ = documents.import_files(project, sample_files()[:2])
    first, second = (o.document.study_id for o in outcomes if o.document is not None)
    for name in ("Ana", "Bea"):
        extractions.add_reviewer(project, name)
    ana, _ = extractions.start_extraction(project, first, "Ana")
    bea, _ = extractions.start_extraction(project, first, "Bea")
    shared, _ = extractions.start_extraction(project, second, "Ana")
    project.close()
    return Setup((ana.id, bea.id), shared.id)


def _start(*args: object) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, str(WORKER), *map(str, args)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    assert process.stdout is not None and process.stderr is not None
    line = process.stdout.readline().strip()
    assert line == "ready", process.stderr.read()
    return process


def _run_together(*commands: tuple[object, ...]) -> list[list[dict[str, Any]]]:
    """Start the workers, release them at once, and collect every call they reported."""
    workers: list[subprocess.Popen[str]] = []
    try:
        workers.extend(_start(*command) for command in commands)
        for worker in workers:
            assert worker.stdin is not None
            worker.stdin.write("go\n")
            worker.stdin.flush()
        reports = []
        for worker in workers:
            output, errors = worker.communicate(timeout=600)
            assert worker.returncode == 0, errors
            reports.append([json.loads(line) for line in output.splitlines()])
        return reports
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()


def _field_audit(project: Project, extraction_id: int, path: str) -> list[AuditInfo]:
    return audit_trail(project, extraction_id=extraction_id, field=path)


def _stored(project: Project, extraction_id: int) -> dict[str, Any]:
    return {v.path: v for v in extractions.list_values(project, extraction_id)}


def _assert_sound(target: str) -> None:
    path = sqlite_path(database_url(target))
    if path is not None:
        with sqlite3.connect(path) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_two_reviewers_writing_at_once_lose_nothing(db_target: str) -> None:
    setup = _setup(db_target)
    reports = _run_together(
        ("fill", db_target, setup.own[0], setup.shared, 1, WRITES),
        ("fill", db_target, setup.own[1], setup.shared, 2, WRITES),
    )
    project = Project.open(db_target)
    # Each process's own extraction holds the last value it wrote to each field, and
    # every returned write is in the audit log, in order.
    for extraction_id, report in zip(setup.own, reports, strict=True):
        own = [r for r in report if r["extraction"] == extraction_id]
        assert len(own) == WRITES
        stored = _stored(project, extraction_id)
        for field in {r["path"] for r in own}:
            written = [r["value"] for r in own if r["path"] == field]
            assert stored[field].value == written[-1]
            assert stored[field].version == len(written)
            logged = [e.new["value"] for e in _field_audit(project, extraction_id, field)]
            assert logged == written
    # The shared field saw both processes, interleaved; no returned write is missing.
    shared = [[r["value"] for r in report if r["extraction"] == setup.shared] for report in reports]
    logged = [e.new["value"] for e in _field_audit(project, setup.shared, SHARED)]
    assert sorted(logged) == sorted(shared[0] + shared[1])
    assert [v for v in logged if v in set(shared[0])] == shared[0]
    assert [v for v in logged if v in set(shared[1])] == shared[1]
    # The processes wrote at the same time (SQLite may let one wait while the other
    # writes on, so the shared field's log need not alternate).
    assert max(r[0]["began"] for r in reports) < min(r[-1]["ended"] for r in reports)
    value = _stored(project, setup.shared)[SHARED]
    assert value.value == logged[-1]
    assert value.version == 2 * WRITES
    project.close()
    _assert_sound(db_target)


def test_a_write_based_on_a_stale_read_is_refused(db_target: str) -> None:
    setup = _setup(db_target)
    project = Project.open(db_target)
    editing.set_value(project, setup.shared, SHARED, 120)
    holder = _start("hold", db_target, setup.shared, 999)
    assert holder.stdout is not None and holder.stdin is not None
    assert json.loads(holder.stdout.readline()) == {"read": 1}
    (other,) = _run_together(("race", db_target, setup.shared, 3, 1))
    assert other == [{"outcome": "stored", "value": 300_000, "base": 1}]
    output, errors = holder.communicate("go\n", timeout=120)
    assert holder.returncode == 0, errors
    (result,) = [json.loads(line) for line in output.splitlines()]
    assert result["outcome"] == "stale"
    assert result["message"].startswith("Enrolled was changed by Ana at ")
    assert "your change was not saved" in result["message"]
    value = _stored(project, setup.shared)[SHARED]
    assert (value.value, value.version) == (300_000, 2)
    assert [e.new["value"] for e in _field_audit(project, setup.shared, SHARED)] == [120, 300_000]
    project.close()


def test_racing_read_then_write_loops_store_or_refuse_every_write(db_target: str) -> None:
    setup = _setup(db_target)
    project = Project.open(db_target)
    editing.set_value(project, setup.shared, SHARED, 1)
    reports = _run_together(
        ("race", db_target, setup.shared, 1, WRITES),
        ("race", db_target, setup.shared, 2, WRITES),
    )
    outcomes = [r for report in reports for r in report]
    assert len(outcomes) == 2 * WRITES
    stored = [r for r in outcomes if r["outcome"] == "stored"]
    stale = [r for r in outcomes if r["outcome"] == "stale"]
    assert len(stored) + len(stale) == 2 * WRITES
    assert stale, "the two loops never raced"
    assert all(r["message"].startswith("Enrolled was changed by Ana") for r in stale)
    # Each stored write was based on a different version: none overwrote another unseen.
    assert sorted(r["base"] for r in stored) == list(range(1, 1 + len(stored)))
    value = _stored(project, setup.shared)[SHARED]
    assert value.version == 1 + len(stored)
    logged = _field_audit(project, setup.shared, SHARED)
    assert len(logged) == 1 + len(stored)
    by_base = {r["base"]: r["value"] for r in stored}
    assert [e.new["value"] for e in logged[1:]] == [by_base[b] for b in sorted(by_base)]
    assert value.value == by_base[len(stored)]
    project.close()
    _assert_sound(db_target)
