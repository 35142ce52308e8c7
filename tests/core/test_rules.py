"""CEL rules: compiling, the names a rule reads, checks against the form, and evaluation."""

from typing import Any

import pytest

from core.domain.template import FieldSpec, FieldType, GroupSpec, Rule, Section, Template
from core.rules import (
    RuleExpressionError,
    analyse,
    blank_variables,
    compile_rule_expression,
    evaluate_expression,
    referenced_names,
    validate_rules,
)
from core.templates import default_template


def number(field_id: str) -> FieldSpec:
    return FieldSpec(id=field_id, label=field_id, type=FieldType.INTEGER)


def template_with(*rules: Rule) -> Template:
    arms = GroupSpec(id="arms", label="Arms", fields=(number("n_randomized"), number("dose")))
    section = Section(
        id="s", label="S", fields=(number("enrolled"), number("completed")), groups=(arms,)
    )
    return Template(id="t", name="T", sections=(section,), rules=rules)


def rule(check: str, when: str | None = None, rule_id: str = "r") -> Rule:
    return Rule(id=rule_id, check=check, when=when, message="broken")


@pytest.mark.parametrize(
    ("expr", "names"),
    [
        ("completed <= enrolled", {"completed", "enrolled"}),
        ("arms.all(a, a.n_randomized > 0)", {"arms"}),
        ("size(arms) > 1 && sum(arms.map(a, a.n_randomized)) == enrolled", {"arms", "enrolled"}),
        ("arms.filter(x, has(x.dose)).exists(y, y.dose > cap)", {"arms", "cap"}),
        ("label == 'enroled' || note == \"completed <= x\"", {"label", "note"}),
        ("'''a ' b''' + r'\\d' + name", {"name"}),
        ("x != null && true in [false] && type(x) == int", {"x"}),
        ("math.greatest([a, b]) > 0", {"a", "b"}),
        ("row.size() > 0 && text.startsWith('NCT')", {"row", "text"}),
        ("[x].exists(x, x > 1)", {"x"}),  # the x inside the list is not bound yet
        ("items.exists_one(i, i == 'a') // a comment with words\n", {"items"}),
    ],
)
def test_referenced_names_are_the_free_variables(expr: str, names: set[str]) -> None:
    assert referenced_names(expr) == names


def test_members_read_through_a_macro_variable_are_tied_to_the_group() -> None:
    usage = analyse("arms.filter(a, a.dose != null).all(b, b.n_randomized > 0 && has(b.label))")
    assert usage.members == {("arms", "dose"), ("arms", "n_randomized"), ("arms", "label")}
    assert usage.functions == {"filter", "all", "has"}


def test_a_compiled_rule_runs_with_variables() -> None:
    program = compile_rule_expression("completed <= enrolled")
    assert program.execute({"completed": 3, "enrolled": 5}) is True
    assert evaluate_expression("sum(arms.map(a, a.n))", {"arms": [{"n": 2}, {"n": 3}]}) == 5


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("enrolled >", "syntax error at column 11 of 'enrolled >': the expression ends too soon"),
        ("a ==== b", "syntax error at column 5 of 'a ==== b': unexpected '=='"),
        ("name == 'abc", "cannot read ''abc' (an unclosed quote"),
    ],
)
def test_syntax_errors_say_where_and_what(expr: str, expected: str) -> None:
    with pytest.raises(RuleExpressionError) as caught:
        compile_rule_expression(expr)
    assert expected in str(caught.value)


def test_a_valid_rule_set_has_no_problems() -> None:
    template = template_with(
        rule("completed <= enrolled", "completed != null && enrolled != null", "a"),
        rule("arms.all(a, a.n_randomized == null || a.n_randomized <= enrolled)", None, "b"),
    )
    assert validate_rules(template) == []


@pytest.mark.parametrize(
    ("check", "when", "problem"),
    [
        (
            "completed <= enroled",
            None,
            "rule 'r': unknown field 'enroled' (did you mean 'enrolled'?)",
        ),
        ("completed <= enrolled", "completed != nul", "rule 'r' (in 'when'): unknown field 'nul'"),
        ("n_randomized > 0", None, "rule 'r': unknown field 'n_randomized': it belongs to the "),
        (
            "arms.all(a, a.n_randomzed > 0)",
            None,
            "rule 'r': the group 'arms' has no field 'n_randomzed' (did you mean 'n_randomized'?)",
        ),
        ("szie(arms) > 0", None, "rule 'r': unknown function 'szie'"),
        ("completed <=", None, "rule 'r': syntax error at column 13"),
    ],
)
def test_problems_name_the_rule_and_the_field(check: str, when: str | None, problem: str) -> None:
    problems = validate_rules(template_with(rule(check, when)))
    assert len(problems) == 1
    assert problems[0].startswith(problem)


def test_stdlib_functions_and_macros_are_known() -> None:
    checks = [
        "math.greatest([enrolled, 1]) > 0",
        "arms.exists_one(a, a.dose == 1)",
        "string(enrolled).substring(0, 1) != ''",
    ]
    rules = [rule(check, None, f"r{i}") for i, check in enumerate(checks)]
    assert validate_rules(template_with(*rules)) == []


def default_rule_results(check_variables: dict[str, Any]) -> dict[str, bool]:
    """Rule id -> result, for every default rule whose `when` holds."""
    results = {}
    for item in default_template().rules:
        if item.when is None or evaluate_expression(item.when, check_variables) is True:
            results[item.id] = evaluate_expression(item.check, check_variables)
    return results


CONSISTENT: dict[str, Any] = {
    "enrolled": 212,
    "completed": 200,
    "n_male": 100,
    "n_female": 112,
    "start_date": "2012-07",
    "completion_date": "2015",
    "age_min": 18.0,
    "age_max": 75.0,
    "deaths": 0,
    "withdrawals": 12,
    "any_adverse_events": True,
    "registry_id": "NCT01541579",
    "pmid": "27477896",
    "doi": "10.1016/S0140-6736(16)31203-X",
}


def record(**changes: Any) -> dict[str, Any]:
    template = default_template()
    arms = template.group("arms")
    outcomes = template.group("outcomes")
    events = template.group("adverse_events")
    assert arms and outcomes and events
    variables = blank_variables(template) | CONSISTENT
    variables["arms"] = [
        {f.id: None for f in arms.fields} | {"label": label, "n_randomized": n}
        for label, n in (("Cx601", 107), ("Placebo", 105))
    ]
    variables["outcomes"] = [
        {f.id: None for f in outcomes.fields}
        | {"name": "remission", "arm_label": "Cx601", "events": 53, "total": 107}
    ]
    variables["adverse_events"] = [
        {f.id: None for f in events.fields}
        | {"term": "anal abscess", "arm_label": "Placebo", "n_patients": 10}
    ]
    return variables | changes


def test_default_rules_hold_for_an_empty_record() -> None:
    results = default_rule_results(blank_variables(default_template()))
    assert results and all(value is True for value in results.values())


def test_default_rules_hold_for_a_consistent_record() -> None:
    results = default_rule_results(record())
    assert len(results) == len(default_template().rules) - 1  # "no events but listed" is off
    assert all(value is True for value in results.values())


@pytest.mark.parametrize(
    ("changes", "failing"),
    [
        ({"n_male": 150}, "sexes_le_enrolled"),
        ({"enrolled": 106, "n_male": 50, "n_female": 50}, "arm_sizes_le_enrolled"),
        ({"age_min": 80.0}, "age_limits_in_order"),
        ({"deaths": 213}, "deaths_le_enrolled"),
        ({"any_adverse_events": False}, "no_events_but_listed"),
        ({"pmid": "PMID 27477896"}, "pmid_format"),
        ({"doi": "doi:10.1016/x"}, "doi_format"),
    ],
)
def test_default_rules_catch_inconsistent_records(changes: dict[str, Any], failing: str) -> None:
    results = default_rule_results(record(**changes))
    assert [rule_id for rule_id, value in results.items() if value is not True] == [failing]


def test_group_rules_catch_inconsistent_rows() -> None:
    variables = record()
    variables["outcomes"][0] |= {"iqr_low": 9.0, "iqr_high": 4.0, "arm_label": "Cx-601"}
    variables["adverse_events"][0]["n_patients"] = 106
    results = default_rule_results(variables)
    failing = {rule_id for rule_id, value in results.items() if value is not True}
    assert failing == {"iqr_in_order", "outcome_arm_known", "adverse_events_le_arm_size"}


BUILT_IN = {
    "completed_le_enrolled": "completed_gt_enrolled",
    "arms_add_up_to_enrolled": "arm_sum",
    "dates_in_order": "date_order",
    "events_le_total": "events_gt_n",
    "registry_id_format": "registry_id_format",
}


def test_no_default_rule_repeats_a_built_in_check() -> None:
    """Each of these problems is reported once, by the built-in check named here
    (tested in tests/core/checks/)."""
    assert not {r.id for r in default_template().rules} & set(BUILT_IN)
