"""Field versions: each change raises them by one; an edit based on an older one is refused."""

from collections.abc import Callable

import pytest

from core.domain import FieldStatus, FieldValueInfo
from core.domain.anchor import Rect
from core.errors import StaleWriteError
from core.services import documents, editing, extractions, history, rows
from core.services.audit_log import audit_trail
from core.services.project import Project
from core.storage.repositories import extractions as stored_values
from tests.helpers import CROHN_PHASE2

Edit = Callable[[Project, int, int, int | None], object]


def start(project: Project) -> tuple[int, int, str]:
    outcomes, _ = documents.import_files(project, [CROHN_PHASE2])
    doc = outcomes[0].document
    assert doc is not None
    extractions.add_reviewer(project, "Ana")
    ext, _ = extractions.start_extraction(project, doc.study_id, "Ana")
    return ext.id, doc.id, documents.document_text(project, doc.id).text


def stored(project: Project, extraction_id: int, path: str = "enrolled") -> FieldValueInfo | None:
    values = extractions.list_values(project, extraction_id)
    return next((v for v in values if v.path == path), None)


def version(project: Project, extraction_id: int, path: str = "enrolled") -> int:
    value = stored(project, extraction_id, path)
    assert value is not None
    return value.version


def logged(project: Project, extraction_id: int, path: str = "enrolled") -> int:
    return len(audit_trail(project, extraction_id=extraction_id, field=path))


# Each mutating service of one field, called on `enrolled` with an expected version.
EDITS: dict[str, Edit] = {
    "fill_from_selection": lambda p, e, d, v: editing.fill_from_selection(
        p, e, "enrolled", d, 0, 12, expected_version=v
    ),
    "add_evidence": lambda p, e, d, v: editing.add_evidence(
        p, e, "enrolled", d, 20, 30, expected_version=v
    ),
    "add_region_evidence": lambda p, e, d, v: editing.add_region_evidence(
        p,
        e,
        "enrolled",
        d,
        0,
        Rect(page_index=0, left=10, bottom=10, right=50, top=40),
        expected_version=v,
    ),
    "remove_evidence": lambda p, e, d, v: editing.remove_evidence(
        p, e, "enrolled", 0, expected_version=v
    ),
    "set_value": lambda p, e, d, v: editing.set_value(p, e, "enrolled", 41, expected_version=v),
    "set_status": lambda p, e, d, v: editing.set_status(
        p, e, "enrolled", FieldStatus.UNCLEAR, expected_version=v
    ),
    "set_note": lambda p, e, d, v: editing.set_note(p, e, "enrolled", "see t2", expected_version=v),
    "clear_field": lambda p, e, d, v: editing.clear_field(p, e, "enrolled", expected_version=v),
    "restore_field": lambda p, e, d, v: history.restore_field(
        p, e, "enrolled", None, expected_version=v
    ),
}


@pytest.mark.parametrize("name", list(EDITS))
def test_each_edit_refuses_a_stale_version_and_raises_a_current_one(
    project: Project, name: str
) -> None:
    ext_id, doc_id, _ = start(project)
    editing.fill_from_selection(project, ext_id, "enrolled", doc_id, 0, 12)
    editing.set_value(project, ext_id, "enrolled", 23)  # someone's second change: version 2
    before = stored(project, ext_id)
    assert before is not None and before.version == 2
    for stale in (0, 1, 3):
        with pytest.raises(StaleWriteError) as refused:
            EDITS[name](project, ext_id, doc_id, stale)
        verb = "filled" if stale == 0 else "changed"
        assert str(refused.value).startswith(f"Enrolled was {verb} by Ana at ")
        assert stored(project, ext_id) == before  # nothing written
        assert logged(project, ext_id) == 2

    EDITS[name](project, ext_id, doc_id, 2)
    after = stored(project, ext_id)
    assert logged(project, ext_id) == 3
    if name in ("clear_field", "restore_field"):
        assert after is None
    else:
        assert after is not None and after != before
        assert after.version == 3


def test_without_an_expected_version_edits_are_not_checked(project: Project) -> None:
    ext_id, _, _ = start(project)
    editing.set_value(project, ext_id, "enrolled", 1)
    editing.set_value(project, ext_id, "enrolled", 2)
    assert version(project, ext_id) == 2


def test_a_new_value_starts_at_one_and_each_edit_counts_once(project: Project) -> None:
    ext_id, doc_id, _ = start(project)
    assert stored(project, ext_id) is None
    # A fill writes the value and its evidence in several steps: still one change.
    editing.fill_from_selection(project, ext_id, "enrolled", doc_id, 0, 12, expected_version=0)
    assert version(project, ext_id) == 1
    editing.add_evidence(project, ext_id, "enrolled", doc_id, 20, 30, expected_version=1)
    editing.fill_from_selection(project, ext_id, "enrolled", doc_id, 40, 52, expected_version=2)
    history.restore_field(
        project, ext_id, "enrolled", history.field_state(project, ext_id, "enrolled")
    )
    assert version(project, ext_id) == 4


def test_an_empty_field_filled_meanwhile_is_not_overwritten(project: Project) -> None:
    ext_id, _, _ = start(project)
    editing.set_value(project, ext_id, "enrolled", 120)
    with pytest.raises(StaleWriteError, match=r"^Enrolled was filled by Ana at .* The field now"):
        editing.set_value(project, ext_id, "enrolled", 80, expected_version=0)
    assert stored(project, ext_id).value == 120  # type: ignore[union-attr]


def test_a_field_cleared_meanwhile_stays_cleared(project: Project) -> None:
    ext_id, _, _ = start(project)
    editing.set_value(project, ext_id, "enrolled", 120)
    editing.clear_field(project, ext_id, "enrolled")
    with pytest.raises(
        StaleWriteError,
        match=r"^Enrolled was cleared by Ana at .*not saved\. The field is now empty\.$",
    ):
        editing.set_note(project, ext_id, "enrolled", "check", expected_version=1)
    assert stored(project, ext_id) is None


def test_a_field_cleared_and_filled_again_does_not_reuse_an_old_version(project: Project) -> None:
    ext_id, _, _ = start(project)
    editing.set_value(project, ext_id, "enrolled", 120)
    seen = version(project, ext_id)
    editing.clear_field(project, ext_id, "enrolled")
    editing.set_value(project, ext_id, "enrolled", 130)
    assert version(project, ext_id) > seen
    with pytest.raises(StaleWriteError):
        editing.set_value(project, ext_id, "enrolled", 125, expected_version=seen)
    assert stored(project, ext_id).value == 130  # type: ignore[union-attr]


def test_group_fields_are_named_with_their_row(project: Project) -> None:
    ext_id, _, _ = start(project)
    rows.add_row(project, ext_id, "arms")
    rows.add_row(project, ext_id, "arms")
    editing.set_value(project, ext_id, "arms[2].n_randomized", 12)
    with pytest.raises(
        StaleWriteError, match=r"^Arms 2: Randomized or allocated was filled by Ana"
    ):
        editing.set_value(project, ext_id, "arms[2].n_randomized", 13, expected_version=0)
    assert version(project, ext_id, "arms[2].n_randomized") == 1


def test_an_update_from_an_outdated_copy_is_refused_by_the_database(project: Project) -> None:
    """Code that skips the service check still cannot overwrite a newer version."""
    ext_id, _, _ = start(project)
    editing.set_value(project, ext_id, "enrolled", 120)
    with project.uow.read() as session:
        outdated = stored_values.value(session, ext_id, "enrolled")
        assert outdated is not None
        session.expunge(outdated)
    editing.set_value(project, ext_id, "enrolled", 130)
    with pytest.raises(StaleWriteError, match="not saved"), project.uow() as session:
        session.add(outdated)
        outdated.value = 99
    assert stored(project, ext_id).value == 130  # type: ignore[union-attr]
