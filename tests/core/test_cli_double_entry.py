"""Double entry on the command line: roles, assignments, the agreement report."""

import json
from pathlib import Path

import pytest

from core.cli import main
from core.services import assignments, documents, extractions
from core.services.project import Project
from tests.core.services.double_entry import CROHN, master_project
from tests.helpers import sample_files


def test_agreement_report_as_json_and_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    master_project(tmp_path).close()
    target = str(tmp_path / "master.sqlite")
    assert main(["agreement", target, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["studies_compared"]) == 5
    phase = next(f for f in data["report"]["fields"] if f["field"] == "phase")
    assert (phase["n_items"], phase["agreed"], phase["percent_agreement"]) == (5, 4, 80.0)
    assert phase["kappa"]["value"] == pytest.approx(0.36 / 0.56)
    assert main(["agreement", target]) == 0
    text = capsys.readouterr().out
    assert "Studies compared: 5 (final records: 0)" in text
    line = next(row for row in text.splitlines() if row.startswith("phase "))
    assert line.split()[1:] == ["5", "5", "80.0", "%", "-", "0.64"]


def test_roles_and_assignments(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "p.sqlite"
    project = Project.create(target)
    documents.import_files(project, sample_files())
    project.close()
    assert main(["reviewer", str(target), "Cleo", "--role", "adjudicator"]) == 0
    assert "Cleo (id 1, adjudicator)" in capsys.readouterr().out
    for name in ("Ann", "Ben"):
        assert main(["reviewer", str(target), name]) == 0
    assert main(["assign", str(target), CROHN, "Ben", "--slot", "A"]) == 0
    assert main(["assign", str(target), CROHN, "Ben", "--slot", "B"]) == 2
    assert "must come from two people" in capsys.readouterr().err
    project = Project.open(target)
    try:
        roles = {p.name: p.role.value for p in assignments.people(project)}
        assert roles == {"Ann": "reviewer", "Ben": "reviewer", "Cleo": "adjudicator"}
        study = next(s for s in extractions.list_studies(project) if s.name == CROHN)
        assert [(a.reviewer, a.label) for a in assignments.assignments(project, study.id)] == [
            ("Ben", "A")
        ]
        extractions.start_extraction(project, study.id, "Ann")
        assert [(a.reviewer, a.label) for a in assignments.assignments(project, study.id)] == [
            ("Ben", "A"),
            ("Ann", "B"),
        ]
    finally:
        project.close()
