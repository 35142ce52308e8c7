"""Findings stored per extraction: `check_all` reuses them only while nothing they were
checked from has changed, whichever way the change reached the database.

Each case stores the findings (every edit does, and so does `check_all`), then changes
the database behind the services' back with plain SQL, and compares `check_all` with a
run from nothing (all stored findings deleted). Runs on SQLite and PostgreSQL.
"""

from collections.abc import Callable

import pytest
from sqlalchemy import delete, text

from core.checks.stamp import checked_with
from core.domain import Finding
from core.services import checks
from core.services.project import Project
from core.services.stored_findings import decode
from core.storage.models import StoredFindings
from core.templates import default_template
from tests.core.checks.conftest import DeskFactory
from tests.core.checks.desk import CROHN, REGISTRY_LIVER, REGISTRY_RECTAL, Desk


def from_nothing(project: Project) -> dict[int, list[Finding]]:
    """`check_all` with every stored list deleted first."""
    with project.uow() as session:
        session.execute(delete(StoredFindings))
    return checks.check_all(project)


def sql(project: Project, statement: str, **params: object) -> None:
    with project.uow() as session:
        session.execute(text(statement), params)


def stored(project: Project) -> dict[int, tuple[int, int]]:
    """Extraction id -> (stored revision, the extraction's revision)."""
    with project.uow.read() as session:
        rows = session.execute(
            text(
                "SELECT e.id, s.revision, e.revision FROM extractions e "
                "JOIN stored_findings s ON s.extraction_id = e.id"
            )
        )
        return {row[0]: (row[1], row[2]) for row in rows}


@pytest.fixture
def ana(desk: DeskFactory) -> Desk:
    """23 enrolled, 20 completed, two arms of 12 and 11, every number with its passage."""
    ana = desk(CROHN)
    ana.fill("enrolled", "Twenty-three")
    ana.fill("completed", "20 of whom")
    for row, size in ((1, 12), (2, 11)):
        ana.add_row("arms")
        ana.type(f"arms[{row}].label", f"Arm {row}")
        ana.type(f"arms[{row}].n_randomized", size)
    return ana


def value_id(ana: Desk, field_key: str) -> int:
    with ana.project.uow.read() as session:
        return session.execute(
            text("SELECT id FROM field_values WHERE extraction_id = :e AND field_key = :k"),
            {"e": ana.extraction_id, "k": field_key},
        ).scalar_one()


CHANGES: dict[str, tuple[Callable[[Desk], None], str]] = {
    "a value": (
        lambda d: sql(
            d.project,
            "UPDATE field_values SET value = '24' WHERE id = :v",
            v=value_id(d, "completed"),
        ),
        "completed_gt_enrolled@completed",
    ),
    "a passage's status": (
        lambda d: sql(
            d.project,
            "UPDATE anchors SET status = 'orphaned' WHERE field_value_id = :v",
            v=value_id(d, "enrolled"),
        ),
        "anchor_orphaned@enrolled",
    ),
    "a passage removed": (
        lambda d: sql(
            d.project, "DELETE FROM anchors WHERE field_value_id = :v", v=value_id(d, "completed")
        ),
        "no_evidence@completed",
    ),
    "a group row removed": (
        lambda d: sql(
            d.project,
            "DELETE FROM group_rows WHERE extraction_id = :e AND position = "
            "(SELECT MAX(position) FROM group_rows WHERE extraction_id = :e)",
            e=d.extraction_id,
        ),
        "arm_sum@enrolled",
    ),
    "the quoted document's text": (
        lambda d: sql(
            d.project,
            "UPDATE documents SET text = :t WHERE id = :d",
            t="Preface. " + d.text,
            d=d.document_id,
        ),
        "anchor_moved@enrolled",
    ),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_outside_the_services_is_checked_again(ana: Desk, change: str) -> None:
    project = ana.project
    before = checks.check_all(project)
    assert stored(project)[ana.extraction_id][0] == stored(project)[ana.extraction_id][1]
    make, expected = CHANGES[change]
    make(ana)
    after = checks.check_all(project)
    keys = {f.key for f in after[ana.extraction_id]}
    assert expected in keys, sorted(keys)
    assert expected not in {f.key for f in before[ana.extraction_id]}
    assert after == from_nothing(project)


def test_every_edit_stores_its_findings_at_the_extraction_revision(ana: Desk) -> None:
    project = ana.project
    ana.type("completed", 24)
    revision, current = stored(project)[ana.extraction_id]
    assert revision == current > 0
    with project.uow.read() as session:
        row = session.get(StoredFindings, ana.extraction_id)
        assert row is not None and row.checked_with == checked_with(project.template)
        assert decode(row.findings) == checks.check_extraction(project, ana.extraction_id)


def test_check_all_reads_a_current_stored_list_and_ignores_another_stamp(ana: Desk) -> None:
    project = ana.project
    ana.type("completed", 24)
    truth = checks.check_all(project)[ana.extraction_id]
    assert "completed_gt_enrolled@completed" in {f.key for f in truth}
    # A list stored by other checks or another template is not current: checked again.
    sql(project, "UPDATE stored_findings SET findings = '[]', checked_with = :c", c="0" * 64)
    assert checks.check_all(project)[ana.extraction_id] == truth
    # A current list is what check_all reports: proof that nothing was checked again.
    sql(project, "UPDATE stored_findings SET findings = '[]'")
    assert checks.check_all(project)[ana.extraction_id] == []


def test_acknowledgements_apply_to_stored_findings(ana: Desk) -> None:
    project = ana.project
    ana.type("completed", 24)
    checks.check_all(project)
    key = "completed_gt_enrolled@completed"
    checks.acknowledge(project, ana.extraction_id, key, "Per protocol")
    found = {f.key: f for f in checks.check_all(project)[ana.extraction_id]}
    assert found["completed_gt_enrolled@completed"].acknowledged
    assert found["completed_gt_enrolled@completed"].ack_reason == "Per protocol"


def test_the_same_registry_id_on_another_study_shows_on_a_stored_list(desk: DeskFactory) -> None:
    liver = desk(REGISTRY_LIVER, reviewer="Cy", study="Liver cirrhosis exosomes")
    rectal = desk(REGISTRY_RECTAL, reviewer="Cy", study="Rectal cancer leakage")
    liver.fill("registry_id", "NCT05871463")
    rectal.fill("registry_id", "NCT06536712")
    project = liver.project
    first = checks.check_all(project)
    assert "registry_id_duplicate@registry_id" not in {f.key for f in first[liver.extraction_id]}
    revision = stored(project)[liver.extraction_id]
    rectal.type("registry_id", "NCT05871463")  # the liver study's list stays stored
    assert stored(project)[liver.extraction_id] == revision
    found = {f.key: f for f in checks.check_all(project)[liver.extraction_id]}
    assert found["registry_id_duplicate@registry_id"].message.endswith(
        "for the study “Rectal cancer leakage”: are they the same trial?"
    )
    assert checks.check_all(project) == from_nothing(project)


def test_the_stamp_names_the_template() -> None:
    template = default_template()
    assert checked_with(template) == checked_with(default_template())
    assert checked_with(template) != checked_with(template.model_copy(update={"version": "9"}))
