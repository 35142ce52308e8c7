"""ClinicalTrials.gov records: readable sections, JSON pointers, registry suggestions."""

import json
import re
import time
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from core.documents import import_document, sniff_format
from core.documents.ctgov import registry_suggestions
from core.domain.document import DocumentText
from core.domain.template import FieldType
from core.errors import DocumentImportError
from core.templates import default_template

DATA = Path(__file__).resolve().parents[2] / "data" / "ctgov"
FULL = sorted((DATA / "v2").glob("*.json"))
PARTIAL = sorted((DATA / "v2" / "partial").glob("*.json"))
PROTOCOL_SECTIONS = ["Identification", "Status", "Sponsor and oversight", "Description"]
PROTOCOL_SECTIONS += ["Conditions", "Design", "Arms and interventions", "Outcomes", "Eligibility"]
PROTOCOL_SECTIONS += ["Investigators and locations"]
RESULT_SECTIONS = ["Participant flow", "Baseline characteristics", "Outcome measures"]
RESULT_SECTIONS += ["Adverse events"]


def imported(path: Path) -> DocumentText:
    return import_document(path.read_bytes(), path.name)


def resolve(record: Any, pointer: str) -> Any:
    """RFC 6901: follow a JSON pointer through parsed JSON."""
    value = record
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        value = value[int(token)] if isinstance(value, list) else value[token]
    return value


def readable(value: str) -> str:
    """Registry text as shown: NFC, `\\n` line ends, Markdown backslash escapes undone."""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)
    return unicodedata.normalize("NFC", text).strip()


def letters(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", text.upper().replace("N/A", "NA"))


def headings(doc: DocumentText) -> set[str]:
    return {line for line in doc.text.split("\n") if line and ":" not in line}


@pytest.mark.parametrize("path", FULL + PARTIAL, ids=lambda p: p.name)
def test_every_span_shows_the_value_its_pointer_names(path: Path) -> None:
    record = json.loads(path.read_bytes())
    doc = imported(path)

    assert doc.spans
    previous_end = 0
    for span in doc.spans:
        shown = doc.text[span.start : span.end]
        value = resolve(record, span.pointer)
        assert span.start >= previous_end
        previous_end = span.end
        if isinstance(value, bool):
            assert shown == ("Yes" if value else "No")
        elif isinstance(value, int | float):
            assert shown == str(value)
        else:
            assert isinstance(value, str), span.pointer
            assert shown == readable(value) or letters(shown) == letters(value), span.pointer


@pytest.mark.parametrize("path", FULL, ids=lambda p: p.name)
def test_full_records_have_readable_sections(path: Path) -> None:
    record = json.loads(path.read_bytes())
    doc = imported(path)
    nct_id = record["protocolSection"]["identificationModule"]["nctId"]

    assert sniff_format(path.read_bytes(), path.name) == "ctgov"
    assert doc.extractor == "ctgov"
    assert doc.text.startswith(f"ClinicalTrials.gov record {nct_id}\n")
    assert set(PROTOCOL_SECTIONS) <= headings(doc)
    has_results = "resultsSection" in record
    assert (set(RESULT_SECTIONS) <= headings(doc)) == has_results
    assert doc.title == record["protocolSection"]["identificationModule"]["briefTitle"]
    assert unicodedata.is_normalized("NFC", doc.text)
    assert "\r" not in doc.text
    assert doc.pages == (doc.pages[0],) and doc.pages[0].end == len(doc.text)
    assert doc.warnings == ()


def test_markdown_escapes_of_the_registry_are_undone() -> None:
    doc = imported(DATA / "v2" / "NCT02210780.json")

    assert "titers of <0.1 IU/ml" in doc.text
    assert "\\<" not in doc.text
    assert "[Eichenfeld 2004]" in doc.text


@pytest.mark.parametrize("path", PARTIAL, ids=lambda p: p.name)
def test_partial_records_are_accepted_with_a_warning(path: Path) -> None:
    doc = imported(path)

    assert "Identification" in headings(doc)
    assert len(doc.warnings) == 1
    assert f"“{path.name}” is a partial record" in doc.warnings[0]
    assert "no status, design, arms and interventions, eligibility information" in doc.warnings[0]


def test_suggestions_for_the_phase_2_dupilumab_trial() -> None:
    path = DATA / "v2" / "NCT02210780.json"
    doc = imported(path)
    offered = {s.field: s for s in registry_suggestions(path.read_bytes())}

    expected = {
        "registry_id": "NCT02210780",
        "phase": "2",
        "enrolled": 194,
        "study_type": "interventional",
        "allocation": "randomized",
        "intervention_model": "parallel",
        "masking": "triple",
        "recruitment_status": "completed",
        "start_date": "2014-08-05",
        "completion_date": "2015-09-15",
        "sponsor": "Regeneron Pharmaceuticals",
        "conditions": "Atopic Dermatitis",
        "sex": "all",
        "age_min": 18,
        "age_max": 64,
        "year": 2014,
        "arms[1].label": "Placebo qw",
        "arms[2].label": "Dupilumab 300 mg qw",
        "arms[2].arm_type": "experimental",
        "arms[2].intervention_type": "drug",
        "arms[2].product": "Dupilumab",
        "arms[2].n_randomized": 97,
    }
    assert {field: offered[field].value for field in expected} == expected
    phase = offered["phase"]
    assert phase.label == "Phase 2, from the registry record"
    assert doc.text[phase.start : phase.end] == "Phase 2"
    assert phase.pointer == "/protocolSection/designModule/phases/0"
    assert offered["enrolled"].pointer == "/protocolSection/designModule/enrollmentInfo/count"
    assert doc.text[offered["enrolled"].start : offered["enrolled"].end] == "194"
    assert offered["age_min"].unit == "years"
    inclusion = offered["inclusion_criteria"]
    assert str(inclusion.value).startswith("1. Male or female adults ages 18 to 64 years")
    assert doc.text[inclusion.start : inclusion.end] == inclusion.value
    assert "control" not in offered


@pytest.mark.parametrize("path", FULL + PARTIAL, ids=lambda p: p.name)
def test_suggestions_fit_the_default_form_and_quote_their_evidence(path: Path) -> None:
    record = json.loads(path.read_bytes())
    doc = imported(path)
    template = default_template()

    for suggestion in registry_suggestions(record):
        template_id = re.sub(r"\[\d+\]", "", suggestion.field)
        spec = template.field(template_id)
        assert spec is not None, suggestion.field
        if spec.type == FieldType.SINGLE_CHOICE:
            assert suggestion.value in {choice.code for choice in spec.choices}
        if spec.type == FieldType.INTEGER:
            assert isinstance(suggestion.value, int)
        assert 0 <= suggestion.start < suggestion.end <= len(doc.text)
        shown = " ".join(doc.text[suggestion.start : suggestion.end].split())
        assert suggestion.label.startswith(shown[:40])
        assert suggestion.label.endswith(", from the registry record")
        resolve(record, suggestion.pointer)


def test_phase_1_2_is_one_suggestion_over_both_phases() -> None:
    record = json.loads((DATA / "v2" / "NCT02210780.json").read_bytes())
    record["protocolSection"]["designModule"]["phases"] = ["PHASE1", "PHASE2"]
    data = json.dumps(record).encode()
    doc = import_document(data, "NCT02210780.json")

    phase = next(s for s in registry_suggestions(data) if s.field == "phase")

    assert phase.value == "1_2"
    assert doc.text[phase.start : phase.end] == "Phase 1; Phase 2"
    assert phase.pointer == "/protocolSection/designModule/phases"


def test_large_record_imports_quickly() -> None:
    path = DATA / "v2" / "NCT02513394.json"
    started = time.perf_counter()
    doc = imported(path)
    suggestions = registry_suggestions(path.read_bytes())
    elapsed = time.perf_counter() - started

    assert "Enrollment: 5796 (Actual)" in doc.text
    assert "… and " in doc.text  # hundreds of sites are summarised
    assert len(doc.spans) > 1000
    assert {s.field: s.value for s in suggestions}["phase"] == "3"
    assert elapsed < 10


def test_a_search_response_with_one_study_is_that_study() -> None:
    record = json.loads((DATA / "v2" / "NCT00973089.json").read_bytes())
    data = json.dumps({"studies": [record], "nextPageToken": None}).encode()

    doc = import_document(data, "search.json")

    assert doc.spans[0].pointer == "/studies/0/protocolSection/identificationModule/nctId"
    assert doc.text == imported(DATA / "v2" / "NCT00973089.json").text
    two = json.dumps({"studies": [record, record]}).encode()
    with pytest.raises(DocumentImportError, match=r"holds 2 ClinicalTrials\.gov records"):
        import_document(two, "search.json")


def test_classic_format_is_refused_with_what_to_download() -> None:
    path = DATA / "classic" / "NCT04780763.json"

    assert sniff_format(path.read_bytes(), path.name) == "ctgov"
    with pytest.raises(DocumentImportError) as caught:
        imported(path)
    assert str(caught.value) == (
        "“NCT04780763.json” is a record in the retired ClinicalTrials.gov classic format "
        "(FullStudiesResponse), which is not imported; download the record again as JSON "
        "from clinicaltrials.gov."
    )


@pytest.mark.parametrize(
    "path", sorted((DATA / "xml").glob("*.xml")) + sorted((DATA / "xml" / "edge").glob("*.xml"))
)
def test_legacy_xml_records_are_read_as_text(path: Path) -> None:
    doc = imported(path)

    assert sniff_format(path.read_bytes(), path.name) == "ctgov"
    assert doc.text.startswith("ClinicalTrials.gov record NCT")
    assert doc.spans == ()
    assert "retired ClinicalTrials.gov XML format" in doc.warnings[0]
    assert "Brief title: " in doc.text


def test_legacy_xml_named_for_another_study_warns() -> None:
    doc = imported(DATA / "xml" / "edge" / "NCT00980226-id-mismatch.xml")

    assert doc.text.startswith("ClinicalTrials.gov record NCT00081588")
    assert any("file name says NCT00980226" in w for w in doc.warnings)


@pytest.mark.parametrize("name", ["invalid-nct-id-error-page.html", "NCT00000000.json"])
def test_the_registry_error_page_is_not_a_record(name: str) -> None:
    data = (DATA / "xml" / "edge" / "invalid-nct-id-error-page.html").read_bytes()

    with pytest.raises(DocumentImportError, match=r"is not a ClinicalTrials\.gov record") as caught:
        import_document(data, name)
    assert "Invalid URL Path" in str(caught.value)


def test_a_record_cut_short_is_refused() -> None:
    data = (DATA / "v2" / "NCT02210780.json").read_bytes()[:5000]

    with pytest.raises(DocumentImportError, match="cannot be read: the JSON is invalid at line"):
        import_document(data, "NCT02210780.json")


def test_a_record_without_identification_is_refused() -> None:
    data = b'{"protocolSection": {"statusModule": {"overallStatus": "COMPLETED"}}}'

    with pytest.raises(DocumentImportError, match="has no study identification"):
        import_document(data, "x.json")
