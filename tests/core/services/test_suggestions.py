"""Registry values offered as suggestions on a real project, and accepting them."""

from dataclasses import dataclass

import pytest

from core.domain import FieldStatus
from core.domain.document import FieldSuggestion
from core.errors import BlindedError, ValidationError
from core.services import documents, editing, extractions, rows, suggestions
from core.services.audit_log import audit_trail
from core.services.project import Project
from tests.helpers import CROHN_PHASE2, TEST_DATA

RECORD = TEST_DATA / "ctgov" / "v2" / "NCT02210780.json"
LEGACY = TEST_DATA / "ctgov" / "xml" / "NCT02903849.xml"
STUDY = "Dupilumab vaccine responses"


@dataclass
class Setup:
    project: Project
    extraction_id: int
    document_id: int
    text: str


@pytest.fixture
def setup(project: Project) -> Setup:
    """Ana's new extraction of a study whose documents are an abstract and its registry record."""
    outcomes, _ = documents.import_files(project, [CROHN_PHASE2, RECORD], study_name=STUDY)
    record = outcomes[1].document
    assert record is not None
    extractions.add_reviewer(project, "Ana")
    project.viewer = "Ana"
    ext, _ = extractions.start_extraction(project, record.study_id, "Ana")
    text = documents.document_text(project, record.id).text
    return Setup(project, ext.id, record.id, text)


def offered(setup: Setup) -> dict[str, FieldSuggestion]:
    return {s.path: s for s in suggestions.suggestions_for(setup.project, setup.extraction_id)}


def test_registry_values_are_offered_with_labels_and_fill_nothing(setup: Setup) -> None:
    found = offered(setup)
    phase, enrolled = found["phase"], found["enrolled"]
    assert (phase.value, phase.label) == ("2", "Phase 2, from the registry record")
    assert (enrolled.value, enrolled.label) == (194, "194, from the registry record")
    assert phase.document_id == setup.document_id
    assert setup.text[phase.start : phase.end] == "Phase 2"
    assert setup.text[enrolled.start : enrolled.end] == "194"
    assert phase.pointer == "/protocolSection/designModule/phases/0"
    assert found["masking"].value == "triple"
    assert found["age_min"].value == 18 and found["age_min"].unit == "years"
    assert not any(s.differs for s in found.values())
    # Offering is reading: nothing is stored, nothing is logged for the fields.
    assert extractions.list_values(setup.project, setup.extraction_id) == []
    trail = audit_trail(setup.project, extraction_id=setup.extraction_id)
    assert [e.action for e in trail if e.entity == "field_value"] == []


def test_accepting_fills_the_value_with_the_registry_span_as_evidence(setup: Setup) -> None:
    phase = offered(setup)["phase"]
    changes = suggestions.accept_suggestion(setup.project, setup.extraction_id, phase)
    assert changes.fields == {"phase"}
    assert changes.findings_extraction == setup.extraction_id
    (value,) = extractions.list_values(setup.project, setup.extraction_id)
    assert (value.path, value.status, value.value) == ("phase", FieldStatus.VALUE, "2")
    assert value.raw_text == "Phase 2"
    (anchor,) = value.anchors
    assert anchor.document_id == setup.document_id
    assert (anchor.start, anchor.end, anchor.exact) == (phase.start, phase.end, "Phase 2")
    assert setup.text[anchor.start - len(anchor.prefix) : anchor.start] == anchor.prefix
    (entry,) = [
        e
        for e in audit_trail(setup.project, extraction_id=setup.extraction_id)
        if e.entity == "field_value"
    ]
    assert (entry.action, entry.field, entry.actor) == ("fill", "phase", "Ana")
    assert entry.old is None
    assert entry.new["value"] == "2"
    assert entry.new["evidence"][0]["exact"] == "Phase 2"
    assert "/protocolSection/designModule/phases/0" in entry.reason
    # The accepted field is no longer suggested; every other one still is.
    left = offered(setup)
    assert "phase" not in left and "enrolled" in left


def test_accepting_a_number_stores_the_registry_number(setup: Setup) -> None:
    age = offered(setup)["age_max"]
    suggestions.accept_suggestion(setup.project, setup.extraction_id, age)
    (value,) = extractions.list_values(setup.project, setup.extraction_id)
    assert (value.value, value.unit, value.anchors[0].exact) == (64, "years", "64 Years")


def test_a_value_already_entered_is_not_offered_again(setup: Setup) -> None:
    p, e = setup.project, setup.extraction_id
    editing.set_value(p, e, "enrolled", 194)
    editing.set_value(p, e, "conditions", "atopic  dermatitis")
    editing.set_value(p, e, "phase", "3")
    editing.set_status(p, e, "masking", FieldStatus.NOT_REPORTED)
    found = offered(setup)
    assert "enrolled" not in found
    assert "conditions" not in found  # the same words
    assert found["phase"].differs and found["phase"].value == "2"
    assert found["masking"].differs
    assert not found["allocation"].differs


def test_an_accepted_suggestion_cannot_be_accepted_twice_or_altered(setup: Setup) -> None:
    p, e = setup.project, setup.extraction_id
    enrolled = offered(setup)["enrolled"]
    with pytest.raises(ValidationError):
        suggestions.accept_suggestion(p, e, enrolled.model_copy(update={"value": 195}))
    assert extractions.list_values(p, e) == []
    suggestions.accept_suggestion(p, e, enrolled)
    with pytest.raises(ValidationError):
        suggestions.accept_suggestion(p, e, enrolled)
    (value,) = extractions.list_values(p, e)
    assert value.value == 194


def test_arm_suggestions_follow_the_reviewers_own_rows(setup: Setup) -> None:
    p, e = setup.project, setup.extraction_id
    assert not any(path.startswith("arms[") for path in offered(setup))
    rows.add_row(p, e, "arms")
    rows.add_row(p, e, "arms")
    rows.add_row(p, e, "arms")
    editing.set_value(p, e, "arms[1].label", "Dupilumab 300 mg qw")
    found = offered(setup)
    # Row 1 is the registry's second arm by its label; the registry's first arm goes
    # to the next empty row; the third row has no registry arm.
    assert found["arms[1].product"].value == "Dupilumab"
    assert "arms[1].label" not in found
    assert found["arms[2].label"].value == "Placebo qw"
    assert found["arms[2].product"].value == "Placebo"
    assert not any(path.startswith("arms[3]") for path in found)
    suggestions.accept_suggestion(p, e, found["arms[1].n_randomized"])
    stored = {v.path: v for v in extractions.list_values(p, e)}
    assert stored["arms[1].n_randomized"].value == 97
    assert setup.text[found["arms[1].n_randomized"].start :].startswith("97")


def test_suggestions_keep_blinding(setup: Setup) -> None:
    extractions.add_reviewer(setup.project, "Ben")
    setup.project.viewer = "Ben"
    with pytest.raises(BlindedError):
        suggestions.suggestions_for(setup.project, setup.extraction_id)


def test_studies_without_a_v2_record_have_no_suggestions(project: Project) -> None:
    outcomes, _ = documents.import_files(project, [CROHN_PHASE2, LEGACY], study_name="Other")
    study_id = outcomes[0].document.study_id  # type: ignore[union-attr]
    assert suggestions.registry_offers(project, study_id) == []


def test_a_record_is_read_once(setup: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = suggestions.registry_suggestions

    def counting(record: bytes) -> object:
        calls.append(len(record))
        return real(record)

    monkeypatch.setattr(suggestions, "_cache", type(suggestions._cache)())
    monkeypatch.setattr(suggestions, "registry_suggestions", counting)
    first = offered(setup)
    second = offered(setup)
    assert first == second and len(calls) == 1
