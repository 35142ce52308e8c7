"""The form's own rules (CEL): run on every change, skipped when their `when` does not hold,
reported when they cannot run, refused when broken at load."""

from datetime import UTC, datetime
from typing import Any

import pytest

from core.checks import ExtractionRecord, check_record
from core.domain import (
    Choice,
    FieldSpec,
    FieldStatus,
    FieldType,
    FieldValueInfo,
    GroupSpec,
    Rule,
    Section,
    Severity,
    Template,
)
from core.errors import TemplateError
from core.templates import DEFAULT_TEMPLATE, default_template, dump_template, parse_template
from tests.core.checks.conftest import DeskFactory
from tests.core.checks.desk import CROHN, SEPSIS, keys
from tests.helpers import ROOT


def test_men_and_women_within_the_enrolled(desk: DeskFactory) -> None:
    """ "This study enrolled 15 patients (10 male and 5 female)"."""
    bo = desk(SEPSIS, reviewer="Bo")
    bo.fill("enrolled", "We enrolled 15 patients")
    bo.fill("n_male", "10 male")
    assert "rule:sexes_le_enrolled@n_male" not in keys(bo.fill("n_female", "5 female"))
    found = {f.key: f for f in bo.type("n_male", 12).findings}
    finding = found["rule:sexes_le_enrolled@n_male"]
    assert (finding.severity, finding.message) == (
        Severity.ERROR,
        "Men and women together outnumber the enrolled participants.",
    )


def test_a_rule_whose_when_does_not_hold_is_skipped(desk: DeskFactory) -> None:
    bo = desk(SEPSIS, reviewer="Bo")
    bo.fill("enrolled", "We enrolled 15 patients")
    changes = bo.type("n_male", 30)  # n_female still empty: `when` is false
    assert not {k for k in keys(changes) if k.startswith("rule:sexes_le_enrolled")}


def test_a_rule_over_every_arm(desk: DeskFactory) -> None:
    ana = desk(CROHN)
    ana.fill("enrolled", "Twenty-three")
    row = ana.add_row("arms")
    assert "rule:arm_sizes_le_enrolled@enrolled" not in keys(
        ana.fill(f"arms[{row}].n_randomized", "20 of whom")
    )
    found = {f.key: f for f in ana.fill(f"arms[{row}].n_randomized", "A total of 43").findings}
    assert found["rule:arm_sizes_le_enrolled@enrolled"].message == (
        "An arm has more participants than were enrolled."
    )


def _with_rules(*rules: Rule, version: str = "2-rules") -> Template:
    base = default_template()
    return base.model_copy(update={"version": version, "rules": base.rules + rules})


def test_a_rule_that_cannot_be_evaluated_says_so(desk: DeskFactory) -> None:
    ana = desk(CROHN)
    share = Rule(
        id="completed_share",
        check="completed * 100 / enrolled >= 50",  # no `when`: fails on an empty field
        severity=Severity.ERROR,
        message="Fewer than half completed.",
    )
    ana.project.set_template(_with_rules(share), actor="lead")
    changes = ana.fill("completed", "20 of whom")
    finding = {f.key: f for f in changes.findings}["rule:completed_share@completed"]
    assert finding.severity is Severity.WARNING
    assert finding.message.startswith("The rule 'completed_share' could not be checked (")
    assert finding.message.endswith("): Fewer than half completed.")
    assert "rule:completed_share@completed" not in keys(ana.fill("enrolled", "Twenty-three"))


def test_rules_broken_in_a_form_built_in_code_are_reported_not_run(desk: DeskFactory) -> None:
    ana = desk(CROHN)
    broken = (
        Rule(id="half_done", check="completed >", message="Half done."),
        Rule(id="typo", check="completed <= enroled", message="Too many completed."),
    )
    ana.project.set_template(_with_rules(*broken), actor="lead")
    found = ana.findings()
    assert found["rule:half_done@"].severity is Severity.WARNING
    assert found["rule:half_done@"].message == (
        "The rule 'half_done' could not be checked (syntax error at column 12 of "
        "'completed >': the expression ends too soon): Half done."
    )
    assert found["rule:typo@"].message == (
        "The rule 'typo' could not be checked (unknown field 'enroled' (did you mean "
        "'enrolled'?)): Too many completed."
    )


def test_a_form_file_with_a_broken_rule_is_refused_naming_the_rule() -> None:
    """The default form with a typo in one rule. More cases (syntax errors, unknown
    fields, every problem on its own line) are in tests/core/test_templates.py."""
    text = (ROOT / "resources" / "templates" / DEFAULT_TEMPLATE).read_text(encoding="utf-8")
    broken = text.replace(
        "check: n_male + n_female <= enrolled", "check: n_male + n_femal <= enrolled"
    )
    assert broken != text
    with pytest.raises(TemplateError) as caught:
        parse_template(broken, DEFAULT_TEMPLATE, "yaml")
    line = next(i for i, row in enumerate(broken.splitlines(), 1) if "n_femal <=" in row)
    assert str(caught.value) == (
        f"{DEFAULT_TEMPLATE}, line {line}: rules[1] (sexes_le_enrolled) > check: "
        "rule 'sexes_le_enrolled': unknown field 'n_femal' (did you mean 'n_female'?)"
    )
    assert parse_template(dump_template(default_template()), "again.yaml", "yaml")


# Rules in a small form, checked without a project: how values reach CEL.


def _field(field_id: str, kind: FieldType = FieldType.INTEGER, **extra: Any) -> FieldSpec:
    return FieldSpec(id=field_id, label=field_id.capitalize(), type=kind, **extra)


def _form(*rules: Rule) -> Template:
    tags = _field(
        "tags",
        FieldType.MULTIPLE_CHOICE,
        choices=(Choice(code="pilot", label="Pilot"), Choice(code="rct", label="RCT")),
    )
    arms = GroupSpec(
        id="arms",
        label="Arms",
        fields=(_field("label", FieldType.TEXT), _field("n"), _field("dose", FieldType.DECIMAL)),
    )
    section = Section(
        id="s", label="S", fields=(_field("enrolled"), _field("completed"), tags), groups=(arms,)
    )
    return Template(id="mini", name="Mini", sections=(section,), rules=rules)


def _record(template: Template, **values: Any) -> ExtractionRecord:
    infos = []
    for path, value in values.items():
        group, _, rest = path.partition("__")
        row, _, field = rest.partition("__")
        infos.append(
            FieldValueInfo(
                path=f"{group}[{row}].{field}" if rest else path,
                field_id=field if rest else path,
                group_id=group if rest else None,
                row=int(row) if rest else None,
                status=FieldStatus.VALUE,
                raw_text="",
                value=value,
                unit=None,
                note="",
                updated_by="Ana",
                updated_at=datetime(2024, 11, 12, tzinfo=UTC),
            )
        )
    return ExtractionRecord(template=template, values=infos)


def _rule_messages(record: ExtractionRecord) -> dict[str, str]:
    return {f.code: f.message for f in check_record(record) if f.code.startswith("rule:")}


def test_rules_reading_rows_whole_or_by_index_see_every_field() -> None:
    template = _form(
        Rule(id="first_dose", check="arms[0].dose == null || arms[0].dose > 0.0", message="d"),
        Rule(id="whole_rows", check="arms.map(a, a).all(r, r.label != '')", message="w"),
        Rule(id="counted", check="arms.filter(a, a.n > 0).all(b, b.dose != null)", message="c"),
    )
    ok = _record(template, arms__1__label="Low", arms__1__n=5, arms__1__dose=1.0)
    assert _rule_messages(ok) == {}
    bad = _record(template, arms__1__label="", arms__1__n=5, arms__1__dose=-1.0)
    assert _rule_messages(bad) == {"rule:first_dose": "d", "rule:whole_rows": "w"}
    assert _rule_messages(_record(template, arms__1__n=5)) == {"rule:counted": "c"}


def test_remembered_outcomes_follow_the_values() -> None:
    template = _form(
        Rule(
            id="completed_le_enrolled",
            when="completed != null && enrolled != null",
            check="completed <= enrolled",
            message="too many",
        ),
        Rule(id="tagged", check="'rct' in tags || size(arms) == 0", message="tag"),
    )
    for _ in range(2):  # the second round answers from what the first evaluated
        assert _rule_messages(_record(template, enrolled=10, completed=12)) == {
            "rule:completed_le_enrolled": "too many"
        }
        assert _rule_messages(_record(template, enrolled=20, completed=12)) == {}
        assert _rule_messages(_record(template, completed=12)) == {}
        assert _rule_messages(_record(template, tags=["pilot"], arms__1__n=3)) == {
            "rule:tagged": "tag"
        }
        assert _rule_messages(_record(template, tags=["pilot", "rct"], arms__1__n=3)) == {}
