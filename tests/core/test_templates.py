"""Template files: the default form, round trips, and readable errors for broken files."""

import json
import textwrap
from pathlib import Path

import pytest

from core.domain.template import FieldSpec, FieldType, GroupSpec, Template
from core.errors import TemplateError
from core.rules import compile_rule_expression, validate_rules
from core.templates import (
    default_template,
    dump_template,
    load_template,
    parse_template,
    template_json_schema,
    template_to_dict,
)

DOMAIN_FIELDS = {
    "registry_id", "title", "acronym", "first_author", "year", "journal", "doi", "pmid",
    "sponsor", "countries", "n_centres",
    "study_type", "phase", "allocation", "intervention_model", "masking", "control",
    "recruitment_status", "start_date", "completion_date", "follow_up_duration",
    "conditions", "inclusion_criteria", "exclusion_criteria", "age_min", "age_max", "sex",
    "enrolled", "completed", "age_mean_or_median", "n_male", "n_female",
    "any_adverse_events", "deaths", "withdrawals", "withdrawal_reasons",
    "conclusions", "reviewer_notes",
}  # fmt: skip
GROUP_FIELDS = {
    "arms": {
        "label", "arm_type", "n_randomized", "intervention_type", "product", "cell_source",
        "dose", "route", "n_administrations", "interval",
    },
    "outcomes": {
        "name", "primary_secondary", "outcome_type", "time_point", "arm_label",
        "unit_counted", "events", "total", "mean", "sd", "median", "iqr_low", "iqr_high",
    },
    "adverse_events": {"term", "grade", "serious", "arm_label", "n_patients"},
}  # fmt: skip


def field(template: Template, field_id: str) -> FieldSpec:
    spec = template.field(field_id)
    assert spec is not None, field_id
    return spec


def group(template: Template, group_id: str) -> GroupSpec:
    found = template.group(group_id)
    assert found is not None, group_id
    return found


def codes(template: Template, field_id: str) -> list[str]:
    return [c.code for c in field(template, field_id).choices]


def test_default_template_covers_the_domain_field_list() -> None:
    template = default_template()
    assert template.id == "clinical_trial"
    assert template.name == "Clinical trial characteristics"
    assert {spec.id for _, spec in template.plain_fields()} >= DOMAIN_FIELDS
    for group_id, field_ids in GROUP_FIELDS.items():
        assert {f.id for f in group(template, group_id).fields} >= field_ids
    assert group(template, "arms").key_fields == ("label",)
    assert group(template, "outcomes").key_fields == ("name", "time_point", "arm_label")
    assert group(template, "adverse_events").key_fields == ("term", "arm_label")
    enrolled = field(template, "enrolled")
    assert enrolled.required and enrolled.min == 0 and enrolled.type is FieldType.INTEGER


def test_default_template_uses_the_registry_value_sets() -> None:
    template = default_template()
    assert codes(template, "phase") == ["early_1", "1", "1_2", "2", "2_3", "3", "4", "na"]
    assert codes(template, "masking") == ["none", "single", "double", "triple", "quadruple"]
    assert codes(template, "control")[:4] == ["placebo", "active", "historical", "none"]
    assert {"recruiting", "completed", "active_not_recruiting"} <= set(
        codes(template, "recruitment_status")
    )
    assert {"placenta", "umbilical_cord", "bone_marrow", "adipose_tissue", "other"} <= set(
        codes(template, "arms.cell_source")
    )
    assert {"intralesional", "intraperitoneal", "intravenous"} <= set(codes(template, "arms.route"))
    phase_words = {s for c in field(template, "phase").choices for s in c.synonyms}
    assert {"Phase II", "phase 2", "Phase 1/Phase 2", "PHASE2", "N/A"} <= phase_words
    follow_up = field(template, "follow_up_duration")
    assert follow_up.type is FieldType.DECIMAL
    assert {follow_up.unit, *follow_up.units} == {"days", "weeks", "months", "years"}


def test_every_default_field_has_a_label_and_help() -> None:
    template = default_template()
    specs = [s for _, s in template.plain_fields()]
    specs += [f for _, g in template.groups() for f in g.fields]
    missing = [s.id for s in specs if not s.label.strip() or len(s.help.strip()) < 15]
    assert missing == []


def test_default_rules_compile_and_name_only_known_fields() -> None:
    template = default_template()
    assert len(template.rules) >= 5
    for rule in template.rules:
        assert compile_rule_expression(rule.check) is not None
        if rule.when is not None:
            assert compile_rule_expression(rule.when) is not None
    assert validate_rules(template) == []


def test_dump_then_parse_gives_an_equal_template() -> None:
    template = default_template()
    text = dump_template(template)
    assert parse_template(text, "dumped.yaml", "yaml") == template
    assert Template.model_validate(template_to_dict(template)) == template


def test_a_json_template_loads(tmp_path: Path) -> None:
    path = tmp_path / "form.json"
    path.write_text(json.dumps(template_to_dict(default_template()), indent=2), "utf-8")
    assert load_template(path) == default_template()


def test_a_small_handwritten_json_template_loads(tmp_path: Path) -> None:
    body = {
        "id": "mini",
        "name": "Mini form",
        "sections": [
            {"id": "s", "label": "S", "fields": [{"id": "n", "label": "N", "type": "integer"}]}
        ],
        "rules": [{"id": "positive", "check": "n == null || n > 0", "message": "n > 0"}],
    }
    path = tmp_path / "mini.json"
    path.write_text(json.dumps(body), "utf-8")
    template = load_template(path)
    assert template.field("n") is not None and template.rules[0].id == "positive"


def test_a_yaml_file_loads_and_the_schema_describes_templates(tmp_path: Path) -> None:
    path = tmp_path / "form.yml"
    path.write_text(dump_template(default_template()), "utf-8")
    assert load_template(path) == default_template()
    schema = template_json_schema()
    assert {"id", "name", "sections", "rules"} <= set(schema["properties"])


FORM = """\
id: mini
name: Mini form
sections:
  - id: design
    label: Design
    fields:
      - id: enrolled
        label: Enrolled
        type: integer
      - id: phase
        label: Phase
        type: {phase_type}
{more}
rules:
  - id: completed_le_enrolled
    check: "{check}"
    message: Too many completed.
"""


def form(phase_type: str = "text", more: str = "", check: str = "enrolled >= 0") -> str:
    extra = textwrap.indent(textwrap.dedent(more).strip("\n"), " " * 8) if more else ""
    return FORM.format(phase_type=phase_type, more=extra, check=check)


def error_for(tmp_path: Path, text: str | bytes, name: str = "clinical.yaml") -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, "utf-8")
    with pytest.raises(TemplateError) as caught:
        load_template(path)
    return str(caught.value)


MALFORMED = {
    "yaml syntax": (
        "id: mini\nname: Mini\nsections:\n  - id: a\n    label: b: c\n",
        ["clinical.yaml, line 5, column 13:", "mapping values are not allowed here"],
    ),
    "unknown field type": (
        form(phase_type="number"),
        [
            "clinical.yaml, line 12:",
            "sections[1] (Design) > fields[2] (phase) > type:",
            "'number' is not one of text, long_text, integer",
        ],
    ),
    "duplicate id": (
        form().replace(
            "rules:", "      - id: enrolled\n        label: Again\n        type: text\nrules:"
        ),
        [
            "clinical.yaml, line 14:",
            "sections[1] (Design) > fields[3] (enrolled) > id:",
            "the id 'enrolled' is already used by sections[1] (Design) > fields[1] (enrolled)",
        ],
    ),
    "choice without choices": (
        form(phase_type="single_choice"),
        ["clinical.yaml, line 10:", "fields[2] (phase):", "single_choice field without choices"],
    ),
    "unknown key": (
        form(more="lable: Phase"),
        ["clinical.yaml, line 13:", "fields[2] (phase) > lable:", "unknown key 'lable'"],
    ),
    "duplicate key": (
        form(more="type: integer"),
        ["clinical.yaml, line 13:", "fields[2] (phase):", "the key 'type' appears twice"],
    ),
    "rule syntax error": (
        form(check="enrolled >"),
        [
            "clinical.yaml, line 16:",
            "rules[1] (completed_le_enrolled) > check:",
            "rule 'completed_le_enrolled': syntax error at column 11",
        ],
    ),
    "rule with an unknown field": (
        form(check="completed <= enroled"),
        [
            "clinical.yaml, line 16:",
            "rule 'completed_le_enrolled': unknown field 'enroled' (did you mean 'enrolled'?)",
            "rule 'completed_le_enrolled': unknown field 'completed'",
        ],
    ),
    "empty file": ("\n  \n", ["clinical.yaml: the file is empty"]),
    "only comments": ("# to do\n", ["clinical.yaml: the file is empty"]),
    "list at the top level": (
        "- id: mini\n- name: Mini\n",
        ["clinical.yaml: the top level must be a mapping", "not a list"],
    ),
    "text at the top level": ("just words\n", ["clinical.yaml: the top level must be a mapping"]),
    "unquoted numeric code": (
        form(
            phase_type="single_choice",
            more="choices:\n  - code: 1\n    label: Phase 1\n",
        ),
        ["clinical.yaml, line 14:", "choices[1] (Phase 1) > code:", "put it in quotes"],
    ),
    "not utf-8": (b"id: mini\nname: Caf\xe9\n", ["clinical.yaml, line 2: not UTF-8 text"]),
}


@pytest.mark.parametrize("case", MALFORMED)
def test_malformed_yaml_names_file_place_and_problem(tmp_path: Path, case: str) -> None:
    text, expected = MALFORMED[case]
    message = error_for(tmp_path, text)
    for part in expected:
        assert part in message


def test_malformed_json_names_file_line_and_problem(tmp_path: Path) -> None:
    message = error_for(tmp_path, '{"id": "mini",\n "name": }', "clinical.json")
    assert message == "clinical.json, line 2, column 10: Expecting value"
    body = {"id": "mini", "name": "M", "sections": [{"id": "s", "label": "S", "colour": "red"}]}
    message = error_for(tmp_path, json.dumps(body), "clinical.json")
    assert message.startswith("clinical.json: sections[1] (S) > colour: unknown key 'colour'")


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.yaml"
    with pytest.raises(TemplateError, match=r"nowhere\.yaml: no such template file"):
        load_template(missing)


def test_an_unknown_extension_is_refused(tmp_path: Path) -> None:
    message = error_for(tmp_path, "id: mini\n", "form.txt")
    assert message == "form.txt: a template file must end in .yaml, .yml or .json"


def test_every_problem_is_reported_on_its_own_line(tmp_path: Path) -> None:
    text = form(phase_type="number", more="lable: Phase")
    lines = error_for(tmp_path, text).splitlines()
    assert len(lines) == 2
    assert all(line.startswith("clinical.yaml, line ") for line in lines)
