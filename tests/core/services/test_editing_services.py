"""Filling fields from passages, typing values, statuses, evidence, rows, audit."""

import pytest
from sqlalchemy import select

from core.domain import AnchorStatus, FieldStatus
from core.errors import NotFoundError, ValidationError
from core.services import documents, editing, extractions, rows
from core.services.project import Project
from core.storage.models import AuditEntry, Extraction
from tests.helpers import CROHN_PHASE2


@pytest.fixture
def workspace(project: Project) -> tuple[Project, int, int, str]:
    """A project with the Crohn's phase II abstract and Ana's extraction of it."""
    outcomes, _ = documents.import_files(project, [CROHN_PHASE2], study_name="Hadizadeh 2024")
    doc = outcomes[0].document
    assert doc is not None
    extractions.add_reviewer(project, "Ana")
    ext, _ = extractions.start_extraction(project, doc.study_id, "Ana")
    text = documents.document_text(project, doc.id).text
    return project, ext.id, doc.id, text


def values_by_path(project: Project, extraction_id: int) -> dict[str, object]:
    return {v.path: v for v in extractions.list_values(project, extraction_id)}


def test_fill_twenty_three_from_the_abstract(workspace: tuple[Project, int, int, str]) -> None:
    project, ext_id, doc_id, text = workspace
    start = text.index("Twenty-three")
    changes = editing.fill_from_selection(
        project, ext_id, "enrolled", doc_id, start, start + len("Twenty-three")
    )
    assert changes.fields == {"enrolled"}
    value = extractions.list_values(project, ext_id)[0]
    assert value.value == 23
    assert value.status is FieldStatus.VALUE
    assert value.raw_text == "Twenty-three"
    (anchor,) = value.anchors
    assert (anchor.start, anchor.end, anchor.exact) == (start, start + 12, "Twenty-three")
    assert anchor.status is AnchorStatus.EXACT
    assert text[anchor.start - len(anchor.prefix) : anchor.start] == anchor.prefix


def test_ambiguous_passage_keeps_evidence_and_says_why(
    workspace: tuple[Project, int, int, str],
) -> None:
    project, ext_id, doc_id, text = workspace
    passage = "fully closed in 12 patients (60%)"
    start = text.index(passage)
    changes = editing.fill_from_selection(
        project, ext_id, "completed", doc_id, start, start + len(passage)
    )
    assert changes.messages and "12" in changes.messages[0]
    value = values_by_path(project, ext_id)["completed"]
    assert value.value is None  # type: ignore[attr-defined]
    assert [a.exact for a in value.anchors] == [passage]  # type: ignore[attr-defined]


def test_hand_typed_value_has_no_evidence(workspace: tuple[Project, int, int, str]) -> None:
    project, ext_id, _, _ = workspace
    editing.set_value(project, ext_id, "completed", "20")
    value = values_by_path(project, ext_id)["completed"]
    assert value.value == 20  # type: ignore[attr-defined]
    assert not value.has_evidence  # type: ignore[attr-defined]
    with pytest.raises(ValidationError):
        editing.set_value(project, ext_id, "completed", "about twenty or so 21")


def test_status_note_and_clear(workspace: tuple[Project, int, int, str]) -> None:
    project, ext_id, _, _ = workspace
    editing.set_value(project, ext_id, "age_mean_or_median", 36.5)
    editing.set_status(project, ext_id, "age_mean_or_median", FieldStatus.NOT_REPORTED)
    value = values_by_path(project, ext_id)["age_mean_or_median"]
    assert value.status is FieldStatus.NOT_REPORTED and value.value is None  # type: ignore[attr-defined]
    editing.set_note(project, ext_id, "age_mean_or_median", "only ranges given")
    assert values_by_path(project, ext_id)["age_mean_or_median"].note == "only ranges given"  # type: ignore[attr-defined]
    editing.clear_field(project, ext_id, "age_mean_or_median")
    assert "age_mean_or_median" not in values_by_path(project, ext_id)


def test_several_passages_add_and_remove(workspace: tuple[Project, int, int, str]) -> None:
    project, ext_id, doc_id, text = workspace
    first = text.index("Twenty-three")
    editing.fill_from_selection(project, ext_id, "enrolled", doc_id, first, first + 12)
    second = text.index("patients", first)
    editing.add_evidence(project, ext_id, "enrolled", doc_id, second, second + 8)
    value = values_by_path(project, ext_id)["enrolled"]
    assert [a.exact for a in value.anchors] == ["Twenty-three", "patients"]  # type: ignore[attr-defined]
    editing.remove_evidence(project, ext_id, "enrolled", 0)
    value = values_by_path(project, ext_id)["enrolled"]
    assert [a.exact for a in value.anchors] == ["patients"]  # type: ignore[attr-defined]
    assert value.value == 23  # type: ignore[attr-defined]


def test_repeating_group_rows(workspace: tuple[Project, int, int, str]) -> None:
    project, ext_id, _, _ = workspace
    for label in ("Low dose", "Intermediate dose", "High dose"):
        position, _ = rows.add_row(project, ext_id, "arms")
        editing.set_value(project, ext_id, f"arms[{position}].label", label)
        editing.set_value(project, ext_id, f"arms[{position}].n_randomized", 5)
    rows.move_row(project, ext_id, "arms", 3, 1)
    labels = {v.path: v.value for v in extractions.list_values(project, ext_id)}
    assert labels["arms[1].label"] == "High dose"
    assert labels["arms[2].label"] == "Low dose"
    rows.remove_row(project, ext_id, "arms", 2)
    labels = {v.path: v.value for v in extractions.list_values(project, ext_id)}
    assert labels["arms[2].label"] == "Intermediate dose"
    assert "arms[3].label" not in labels
    assert extractions.row_counts(project, ext_id) == {"arms": 2}
    with pytest.raises(NotFoundError):
        editing.set_value(project, ext_id, "arms[7].label", "ghost")


def test_every_mutation_is_audited(workspace: tuple[Project, int, int, str]) -> None:
    project, ext_id, doc_id, text = workspace
    start = text.index("Twenty-three")
    editing.fill_from_selection(project, ext_id, "enrolled", doc_id, start, start + 12)
    editing.set_value(project, ext_id, "enrolled", 24)
    with project.uow.read() as session:
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.extraction_id == ext_id).order_by(AuditEntry.id)
        ).all()
        actions = [(r.action, r.field_key, r.actor) for r in rows]
        last = rows[-1]
        assert last.old["value"] == 23 and last.new["value"] == 24
    assert actions[-2:] == [("fill", "enrolled", "Ana"), ("set_value", "enrolled", "Ana")]


def test_unknown_fields_and_locked_extractions_are_refused(
    workspace: tuple[Project, int, int, str],
) -> None:
    project, ext_id, doc_id, _ = workspace
    with pytest.raises(NotFoundError, match="enroled"):
        editing.set_value(project, ext_id, "enroled", 3)
    with pytest.raises(ValidationError):
        editing.fill_from_selection(project, ext_id, "enrolled", doc_id, 10, 10)
    with project.uow() as session:
        session.get_one(Extraction, ext_id).status = "submitted"
    with pytest.raises(ValidationError, match="submitted"):
        editing.set_value(project, ext_id, "enrolled", 23)
