"""REDCap both ways: a data dictionary becomes a working template, and the template and
its records go back out as REDCap's own files.

The dictionaries and data files are REDCap's (from REDCapR's test data) except
`trial-abstraction-dictionary.csv`, written for these tests with only what a template
holds, which must come back column for column.
"""

import csv
from pathlib import Path

import pytest

from core.cli import main
from core.errors import TemplateError
from core.export.options import ExportOptions
from core.export.redcap_format import RedcapField, parse_dictionary, read_dictionary
from core.export.redcap_template import template_from_redcap
from core.services import documents, editing, extractions, rows
from core.services.export import export_project
from core.services.project import Project
from core.templates import load_template
from tests.core.export.export_desk import make_final
from tests.helpers import TEST_DATA

REDCAP = TEST_DATA / "redcap"
META = ("record_id", "redcap_repeat_instrument", "redcap_repeat_instance")


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return next(csv.reader(stream))


def template_file(tmp_path: Path, name: str, *repeating: str) -> Path:
    """The template the command line makes from a dictionary of tests/data/redcap."""
    out = tmp_path / f"{name}.yaml"
    args = ["template-from-redcap", str(REDCAP / f"{name}-dictionary.csv"), str(out)]
    for form in repeating:
        args += ["--repeating", form]
    assert main(args) == 0
    return out


def fill(project: Project, extraction: int, row: dict[str, str], group: str = "") -> None:
    """Enter a REDCap data row's answers as a reviewer types them."""
    position = row.get("redcap_repeat_instance", "")
    if group:
        while extractions.row_counts(project, extraction).get(group, 0) < int(position):
            rows.add_row(project, extraction, group)
    for key, text in row.items():
        if not text or key in META or key.endswith("_complete"):
            continue
        path = f"{group}[{position}].{key}" if group else key
        editing.set_value(project, extraction, path, text)


def project_with_records(tmp_path: Path, template: Path, data: list[dict[str, str]]) -> Project:
    """One study per REDCap record (in record order), each with a final record holding
    the record's answers."""
    project = Project.create(tmp_path / "redcap.sqlite", load_template(template))
    extractions.add_reviewer(project, "Ann")
    finals: dict[str, int] = {}
    for record_id in dict.fromkeys(r["record_id"] for r in data):
        note = tmp_path / f"record-{record_id}.txt"
        note.write_text(f"Source of record {record_id}.\n", encoding="utf-8")
        outcomes, _ = documents.import_files(project, [note], study_name=f"Record {record_id}")
        document = outcomes[0].document
        assert document is not None and str(document.study_id) == record_id
        info, _ = extractions.start_extraction(project, document.study_id, "Ann")
        for row in (r for r in data if r["record_id"] == record_id):
            fill(project, info.id, row, row.get("redcap_repeat_instrument", ""))
        finals[record_id] = make_final(project, info.id, "Cleo")
    return project


def test_a_dictionary_of_template_features_comes_back_column_for_column(
    tmp_path: Path,
) -> None:
    original = read_dictionary(REDCAP / "trial-abstraction-dictionary.csv")
    template = load_template(template_file(tmp_path, "trial-abstraction", "arms"))
    assert [s.id for s in template.sections] == [
        "study_info",
        "design",
        "design__2",
        "population",
        "arms",
    ]
    assert template.group("arms") is not None
    assert template.rules[0].id == "start_date_range"
    project = Project.create(tmp_path / "p.sqlite", template)
    try:
        export_project(project, tmp_path / "out", ExportOptions(redcap=True))
    finally:
        project.close()
    exported = read_dictionary(tmp_path / "out" / "redcap_dictionary.csv")
    assert exported == original
    assert header(tmp_path / "out" / "redcap_dictionary.csv") == header(
        REDCAP / "trial-abstraction-dictionary.csv"
    )


def test_clinical_trial_dictionary_and_records_round_trip(tmp_path: Path) -> None:
    template_path = template_file(tmp_path, "clinical-trial-1")
    text = template_path.read_text(encoding="utf-8")
    assert "dob_range" in text  # the date limits became a rule the checks apply
    data = read_csv(REDCAP / "clinical-trial-1-data.csv")[:3]
    project = project_with_records(tmp_path, template_path, data)
    try:
        values = extractions.list_values(project, 1)
        assert {v.path: v.value for v in values}["height"] == 176.1
        export_project(project, tmp_path / "out", ExportOptions(redcap=True))
    finally:
        project.close()
    original = read_dictionary(REDCAP / "clinical-trial-1-dictionary.csv")
    exported = read_dictionary(tmp_path / "out" / "redcap_dictionary.csv")
    assert [r._replace(identifier="") for r in original] == exported
    written = read_csv(tmp_path / "out" / "redcap_import.csv")
    assert header(tmp_path / "out" / "redcap_import.csv") == header(
        REDCAP / "clinical-trial-1-data.csv"
    )
    for ours, theirs in zip(written, data, strict=True):
        assert ours.pop("demographics_complete") == "2"  # final records are complete
        theirs.pop("demographics_complete")
        assert ours == theirs


def test_repeating_forms_come_back_as_repeat_instances(tmp_path: Path) -> None:
    template_path = template_file(tmp_path, "repeating-instruments", "bp")
    data = read_csv(REDCAP / "repeating-instruments-data.csv")
    project = project_with_records(tmp_path, template_path, data)
    try:
        template = project.template
        assert template.group("bp") is not None
        assert extractions.row_counts(project, 1) == {"bp": 3}
        export_project(project, tmp_path / "out", ExportOptions(redcap=True))
    finally:
        project.close()
    out = tmp_path / "out" / "redcap_import.csv"
    assert header(out) == header(REDCAP / "repeating-instruments-data.csv")
    assert read_csv(out) == data
    exported = read_dictionary(tmp_path / "out" / "redcap_dictionary.csv")
    original = read_dictionary(REDCAP / "repeating-instruments-dictionary.csv")
    kept = ("identifier", "custom_alignment", "field_type")
    assert [r._replace(**dict.fromkeys(kept, "")) for r in original] == [
        r._replace(**dict.fromkeys(kept, "")) for r in exported
    ]
    assert [r.field_type for r in exported if r.field_name == "race"] == ["radio"]


def test_every_field_type_maps_or_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template_path = template_file(tmp_path, "validation-types-1")
    printed = capsys.readouterr().out
    for dropped in ("f_descriptive", "f_file_upload", "f_signature", "f_sql"):
        assert dropped in printed
    assert "Calculated fields are entered by hand" in printed
    template = load_template(template_path)
    kinds = {spec.id: spec.type.value for _, spec in template.plain_fields()}
    assert kinds["f_checkbox"] == "multiple_choice" and kinds["f_yes_no"] == "boolean"
    assert kinds["v_date_dmy"] == "partial_date" and kinds["v_integer"] == "integer"
    assert kinds["v_number_2dp_comma_decimal"] == "decimal" and kinds["v_email"] == "text"
    assert kinds["f_notes"] == "long_text" and kinds["f_slider"] == "integer"
    project = Project.create(tmp_path / "p.sqlite", template)
    try:
        export_project(project, tmp_path / "out", ExportOptions(redcap=True))
    finally:
        project.close()
    theirs = header(REDCAP / "validation-types-1-data.csv")
    dropped_columns = {"f_file_upload", "f_signature", "f_sql"}
    assert header(tmp_path / "out" / "redcap_import.csv") == [
        c for c in theirs if c not in dropped_columns
    ]
    exported = {
        r.field_name: r for r in read_dictionary(tmp_path / "out" / "redcap_dictionary.csv")
    }
    assert exported["v_alpha_only"].section_header == "Menu of Validation Types (for Text Boxes)"
    assert exported["f_calculated"].section_header == "Menu of Field Types"
    assert exported["f_slider"].text_validation_min == "-1"


def test_odd_labels_survive(tmp_path: Path) -> None:
    original = read_dictionary(REDCAP / "potentially-problematic-dictionary-dictionary.csv")
    made = template_from_redcap(original, template_id="odd", name="Odd labels")
    labels = {spec.id: spec.label for _, spec in made.template.plain_fields()}
    assert labels["curly_quote_single"] == "My child doesn't like candy"
    assert (
        labels["long_dash"]
        == 'Maybe I don\'t "wear the latest clothes" −or even ones that don\'t "reek"'
    )
    assert labels["v1"].startswith("Is the laser mounted on the shark?")
    project = Project.create(tmp_path / "p.sqlite", made.template)
    try:
        export_project(project, tmp_path / "out", ExportOptions(redcap=True))
    finally:
        project.close()
    exported = read_dictionary(tmp_path / "out" / "redcap_dictionary.csv")
    assert [r.field_label for r in exported] == [r.field_label for r in original]
    assert any("field annotations" in n for n in made.notes)


def test_what_is_not_a_dictionary_is_refused_in_words(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="not a REDCap data dictionary: no column 'Form Name'"):
        parse_dictionary("Variable / Field Name,Field Type,Field Label\nx,text,X\n", "odd.csv")
    with pytest.raises(TemplateError, match="there is no form called vitals"):
        template_from_redcap(
            [RedcapField("record_id", "a"), RedcapField("x", "a", field_label="X")],
            template_id="t",
            name="T",
            repeating=["vitals"],
        )
    with pytest.raises(TemplateError, match="none of the dictionary's fields"):
        template_from_redcap(
            [RedcapField("record_id", "a"), RedcapField("pic", "a", field_type="file")],
            template_id="t",
            name="T",
        )
