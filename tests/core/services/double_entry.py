"""Two reviewers' extractions of the five sample documents, with deliberate differences.

Ann and Ben each work in a project of their own and hand in a bundle; the master project
imports both. The differences: study 001 gives the closure rate as 60 (Ann) and 0.6
(Ben); study 002 is phase 2 for Ann and phase 1/2 for Ben; study 003's masking is only
in Ann's; study 004's three dose cohorts are entered in a different order. Everything
else is the same.
"""

from pathlib import Path
from typing import Any

from core.services import (
    adjudication,
    assignments,
    bundle,
    checks,
    documents,
    editing,
    extractions,
    rows,
    submission,
)
from core.services.project import Project
from tests.helpers import sample_files

STUDIES = [path.stem for path in sample_files()]
NON_CROHN, CROHN, CIRRHOSIS, RECTAL, SEPSIS = STUDIES

Entry = tuple[str, Any]  # a path and a typed value, or a quote to fill from

COMMON: dict[str, list[Entry]] = {
    NON_CROHN: [("phase", "1"), ("enrolled", "quote:11 patients")],
    CROHN: [
        ("phase", "quote:phase II clinical trial"),
        ("enrolled", "quote:Twenty-three"),
        ("completed", "quote:20 of whom"),
        ("outcomes[1].name", "Complete fistula closure"),
        ("outcomes[1].events", 12),
        ("outcomes[1].total", 20),
    ],
    CIRRHOSIS: [("registry_id", "NCT05871463")],
    RECTAL: [("phase", "1"), ("registry_id", "NCT06536712")],
    SEPSIS: [("phase", "1"), ("enrolled", 15)],
}
COHORTS = [("Low dose", 5), ("Intermediate dose", 5), ("High dose", 5)]

ANN: dict[str, list[Entry]] = {
    CROHN: [("outcomes[1].percent", 60)],
    CIRRHOSIS: [("phase", "2")],
    RECTAL: [("masking", "quadruple")],
    SEPSIS: [
        entry
        for row, (label, n) in enumerate(COHORTS, start=1)
        for entry in ((f"arms[{row}].label", label), (f"arms[{row}].n_randomized", n))
    ],
}
BEN: dict[str, list[Entry]] = {
    CROHN: [("outcomes[1].percent", 0.6)],
    CIRRHOSIS: [("phase", "1_2")],
    RECTAL: [],
    SEPSIS: [
        entry
        for row, (label, n) in enumerate(reversed(COHORTS), start=1)
        for entry in ((f"arms[{row}].label", label), (f"arms[{row}].n_randomized", n))
    ],
}


def reviewer_bundle(tmp_path: Path, reviewer: str, own: dict[str, list[Entry]]) -> Path:
    """The reviewer's project: every study extracted and submitted; its bundle's path."""
    project = Project.create(tmp_path / f"{reviewer}.sqlite")
    try:
        documents.import_files(project, sample_files())
        extractions.add_reviewer(project, reviewer)
        for study in extractions.list_studies(project):
            ext, _ = extractions.start_extraction(project, study.id, reviewer)
            enter(
                project, ext.id, study.documents[0].id, COMMON[study.name] + own.get(study.name, [])
            )
            submit(project, ext.id)
        path = tmp_path / f"{reviewer}.json"
        path.write_text(bundle.bundle_to_json(bundle.export_bundle(project)), encoding="utf-8")
    finally:
        project.close()
    return path


def submit(project: Project, extraction_id: int) -> None:
    """Submit, acknowledging the errors the checks raise (as a reviewer would, with a reason)."""
    for finding in checks.check_extraction(project, extraction_id):
        if finding.blocking:
            checks.acknowledge(project, extraction_id, finding.key, "as reported")
    submission.submit_extraction(project, extraction_id)


def enter(project: Project, extraction_id: int, document_id: int, entries: list[Entry]) -> None:
    text = documents.document_text(project, document_id).text
    for path, value in entries:
        if "[" in path:
            group, row = path.split("[", 1)[0], int(path.split("[", 1)[1].split("]", 1)[0])
            while extractions.row_counts(project, extraction_id).get(group, 0) < row:
                rows.add_row(project, extraction_id, group)
        if isinstance(value, str) and value.startswith("quote:"):
            quote = value.removeprefix("quote:")
            start = text.index(quote)
            editing.fill_from_selection(
                project, extraction_id, path, document_id, start, start + len(quote)
            )
        else:
            editing.set_value(project, extraction_id, path, value)


def master_project(tmp_path: Path, target: str | Path | None = None) -> Project:
    """The adjudicator's project with both reviewers' bundles imported; Cleo adjudicates."""
    ann = reviewer_bundle(tmp_path, "Ann", ANN)
    ben = reviewer_bundle(tmp_path, "Ben", BEN)
    project = Project.create(target or tmp_path / "master.sqlite")
    documents.import_files(project, sample_files())
    bundle.import_bundle(project, bundle.read_bundle(ann))
    bundle.import_bundle(project, bundle.read_bundle(ben))
    extractions.add_reviewer(project, "Cleo")
    assignments.set_role(project, "Cleo", "adjudicator", actor="lead")
    return project


def study_id(project: Project, name: str) -> int:
    return next(s.id for s in extractions.list_studies(project) if s.name == name)


def finish(project: Project, study: int) -> None:
    """Cleo finishes the study's final record, acknowledging its errors as reported."""
    view = adjudication.adjudication(project, study)
    assert view.final_extraction_id is not None
    for finding in checks.check_extraction(project, view.final_extraction_id):
        if finding.blocking:
            checks.acknowledge(project, view.final_extraction_id, finding.key, "as reported")
    adjudication.finish_adjudication(project, study, adjudicator="Cleo")
