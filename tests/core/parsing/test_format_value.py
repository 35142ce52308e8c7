"""Display strings of stored values, and that they read back as the same value."""

import pytest

from core.domain.template import Choice, FieldSpec, FieldType
from core.parsing import format_value, parse_value

COUNT = FieldSpec(id="n", label="n", type=FieldType.INTEGER)
DOSE = FieldSpec(id="dose", label="Dose", type=FieldType.DECIMAL)
DATE = FieldSpec(id="start", label="Start", type=FieldType.PARTIAL_DATE)
FLAG = FieldSpec(id="flag", label="Flag", type=FieldType.BOOLEAN)
TITLE = FieldSpec(id="title", label="Title", type=FieldType.TEXT)
PHASE = FieldSpec(
    id="phase",
    label="Phase",
    type=FieldType.SINGLE_CHOICE,
    choices=(
        Choice(code="1", label="Phase 1"),
        Choice(code="1_2", label="Phase 1/Phase 2"),
        Choice(code="2", label="Phase 2"),
    ),
)
TYPES = FieldSpec(
    id="types",
    label="Types",
    type=FieldType.MULTIPLE_CHOICE,
    choices=(Choice(code="drug", label="Drug"), Choice(code="bio", label="Biological")),
)


@pytest.mark.parametrize(
    ("spec", "value", "shown"),
    [
        (COUNT, 23, "23"),
        (COUNT, 1_000_000, "1000000"),
        (DOSE, 40.0, "40"),
        (DOSE, 69.7, "69.7"),
        (DOSE, -0.25, "-0.25"),
        (DOSE, 1e-7, "1e-07"),
        (DATE, "2024", "2024"),
        (DATE, "2024-08", "Aug 2024"),
        (DATE, "2024-12-01", "1 Dec 2024"),
        (PHASE, "1_2", "Phase 1/Phase 2"),
        (TYPES, ["drug", "bio"], "Drug; Biological"),
        (FLAG, True, "Yes"),
        (FLAG, False, "No"),
        (TITLE, "Exosomes in cirrhosis", "Exosomes in cirrhosis"),
        (COUNT, None, ""),
    ],
)
def test_format_value(spec: FieldSpec, value: object, shown: str) -> None:
    assert format_value(spec, value) == shown


@pytest.mark.parametrize(
    ("spec", "value", "shown"),
    [
        (PHASE, "9", "9"),
        (TYPES, ["drug", "gone"], "Drug; gone"),
        (DATE, "sometime", "sometime"),
        (DATE, "2024-13", "2024-13"),
        (COUNT, "abc", "abc"),
        (DOSE, float("nan"), "nan"),
        (FLAG, "maybe", "maybe"),
    ],
)
def test_format_value_shows_unexpected_values_as_they_are(
    spec: FieldSpec, value: object, shown: str
) -> None:
    assert format_value(spec, value) == shown


@pytest.mark.parametrize(
    ("spec", "value"),
    [
        (COUNT, 23),
        (DOSE, 69.7),
        (DOSE, 1_000_000.0),
        (DATE, "2024"),
        (DATE, "2024-08"),
        (DATE, "2024-12-01"),
        (PHASE, "1_2"),
        (TYPES, ["drug", "bio"]),
        (FLAG, True),
        (FLAG, False),
    ],
)
def test_a_formatted_value_parses_back_to_itself(spec: FieldSpec, value: object) -> None:
    result = parse_value(spec, format_value(spec, value))
    assert (result.ok, result.value) == (True, value)
