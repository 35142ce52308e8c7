"""Findings as the app and the command line get them: with every edit, for the whole
project with progress and cancel, and from `trial-abstractor check`."""

import argparse
import json
from collections.abc import Callable

import pytest

from core import cli_checks
from core.domain import Changes, FieldStatus, Finding, Severity
from core.services import checks, editing
from core.services.project import Project
from tests.core.checks.conftest import DeskFactory
from tests.core.checks.desk import CROHN, SEPSIS, Desk

EDITS: dict[str, Callable[[Desk], Changes]] = {
    "fill": lambda d: d.fill("completed", "20 of whom"),
    "add evidence": lambda d: d.evidence("enrolled", "Patients:"),
    "remove evidence": lambda d: editing.remove_evidence(d.project, d.extraction_id, "enrolled", 0),
    "set value": lambda d: d.type("completed", 24),
    "set status": lambda d: editing.set_status(
        d.project, d.extraction_id, "completed", FieldStatus.UNCLEAR
    ),
    "set note": lambda d: editing.set_note(d.project, d.extraction_id, "completed", "per protocol"),
    "clear": lambda d: editing.clear_field(d.project, d.extraction_id, "enrolled"),
}


@pytest.mark.parametrize("edit", EDITS)
def test_every_edit_returns_the_findings_after_it(desk: DeskFactory, edit: str) -> None:
    ana = desk(CROHN)
    ana.fill("enrolled", "Twenty-three")
    changes = EDITS[edit](ana)
    assert changes.findings_extraction == ana.extraction_id
    assert list(changes.findings) == checks.check_extraction(ana.project, ana.extraction_id)


def test_the_findings_follow_each_edit(desk: DeskFactory) -> None:
    ana = desk(CROHN)
    assert [f.key for f in ana.fill("completed", "20 of whom").findings] == ["required@enrolled"]
    assert ana.fill("enrolled", "Twenty-three").findings == ()  # no problem left
    assert [f.key for f in ana.type("completed", 24).findings] == [
        "completed_gt_enrolled@completed",
        "number_not_in_evidence@completed",
    ]


def _finding(path: str, code: str = "required") -> Finding:
    return Finding(severity=Severity.ERROR, path=path, code=code, message="m")


def test_merged_changes_keep_the_later_findings() -> None:
    first = Changes(
        fields=frozenset({"enrolled"}), findings=(_finding("a"),), findings_extraction=1
    )
    second = Changes(findings=(_finding("b"),), findings_extraction=1)
    assert (first | second).findings == (_finding("b"),)
    assert (first | Changes(messages=("No number found.",))).findings == (_finding("a"),)
    assert (first | Changes()).findings_extraction == 1
    assert _finding("arms[2].n_randomized", "range").key == "range@arms[2].n_randomized"
    assert _finding("", "rule:pmid_format").key == "rule:pmid_format@"
    assert _finding("enrolled").model_dump()["key"] == "required@enrolled"


def _two_studies(desk: DeskFactory) -> tuple[Desk, Desk, Desk]:
    ana = desk(CROHN, study="Hadizadeh 2024")
    ana.fill("enrolled", "Twenty-three")
    ana.type("completed", 24)
    bo = desk(CROHN, reviewer="Bo", study="Hadizadeh 2024")
    bo.fill("enrolled", "Twenty-three")
    bo.fill("completed", "20 of whom")
    cy = desk(SEPSIS, reviewer="Cy", study="Sepsis dose escalation")
    cy.fill("enrolled", "We enrolled 15 patients")
    return ana, bo, cy


def test_check_all_reports_progress_and_every_extraction(desk: DeskFactory) -> None:
    ana, bo, cy = _two_studies(desk)
    seen: list[tuple[int, int]] = []
    results = checks.check_all(ana.project, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(0, 3), (3, 3)]
    assert set(results) == {ana.extraction_id, bo.extraction_id, cy.extraction_id}
    assert results[ana.extraction_id] == checks.check_extraction(ana.project, ana.extraction_id)
    assert results[bo.extraction_id] == []


def test_check_all_stops_when_cancelled(desk: DeskFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    ana, _, _ = _two_studies(desk)
    monkeypatch.setattr(checks, "BATCH", 1)
    asked: list[int] = []

    def cancel() -> bool:
        asked.append(1)
        return len(asked) > 2

    results = checks.check_all(ana.project, cancel=cancel)
    assert len(results) == 2


def _run(project: Project, *extra: str) -> int:
    parser = argparse.ArgumentParser(prog="trial-abstractor")
    cli_checks.add_parser(parser.add_subparsers(dest="command"))
    return cli_checks.run(parser.parse_args(["check", project.url, *extra]))


def test_the_check_command_fails_while_errors_remain(
    desk: DeskFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    ana, _, _ = _two_studies(desk)
    assert _run(ana.project) == 1
    out = capsys.readouterr().out
    assert "Hadizadeh 2024 · Ana (in progress): 1 error, 1 warning" in out
    assert "  error    completed  Completed or analysed (24) is more than enrolled (23)." in out
    assert "Hadizadeh 2024 · Bo (in progress): no findings" in out
    assert out.rstrip().endswith(
        "3 extraction(s) checked: 1 error to fix or acknowledge, 1 warning, 0 acknowledged."
    )

    checks.acknowledge(
        ana.project, ana.extraction_id, "completed_gt_enrolled@completed", "As published."
    )
    assert _run(ana.project, "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["summary"] == {"extractions": 3, "errors": 0, "warnings": 1, "acknowledged": 1}
    first = data["extractions"][0]
    assert (first["study"], first["reviewer"], first["status"]) == (
        "Hadizadeh 2024",
        "Ana",
        "in_progress",
    )
    assert first["findings"][0] == {
        "severity": "error",
        "path": "completed",
        "code": "completed_gt_enrolled",
        "message": "Completed or analysed (24) is more than enrolled (23).",
        "acknowledged": True,
        "ack_reason": "As published.",
        "key": "completed_gt_enrolled@completed",
    }
