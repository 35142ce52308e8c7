"""Decimal fields: units, percentages, powers of ten and lost superscripts."""

from pathlib import Path

import pytest

from core.domain.template import FieldSpec, FieldType
from core.parsing import parse_value

SAMPLE_TEXT = "\n".join(
    p.read_text(encoding="utf-8")
    for p in sorted((Path(__file__).parents[3] / "sample_docs").glob("*.txt"))
)
DOSE = FieldSpec(
    id="dose", label="Dose", type=FieldType.DECIMAL, unit="mg", units=("mL", "cells/kg")
)
PLAIN = FieldSpec(id="mean_age", label="Mean age", type=FieldType.DECIMAL)


def sample(text: str) -> str:
    """`text`, after checking that a sample document really contains it."""
    assert text in SAMPLE_TEXT, f"not in the sample documents: {text!r}"
    return text


@pytest.mark.parametrize(
    ("quote", "value", "unit"),
    [
        (sample("69.7%"), 69.7, "%"),
        ("60 %", 60.0, "%"),
        ("Seventy-five percent", 75.0, "%"),
        (sample("40mg"), 40.0, "mg"),
        ("40 mg", 40.0, "mg"),
        (sample("5 mL of exosome solution"), 5.0, "mL"),
        (sample("5 ml de solución"), 5.0, "mL"),
        (sample("1\u202f×\u202f106 cells/kg"), 1_000_000.0, "cells/kg"),
        ("1 x 106 cells/kg", 1_000_000.0, "cells/kg"),
        (sample("up to a dose of 3\u202f×\u202f106 cells/kg"), 3_000_000.0, "cells/kg"),
        ("2 x 10 6 cells/kg", 2_000_000.0, "cells/kg"),
        ("3 × 10⁶ cells/kg", 3_000_000.0, "cells/kg"),
        ("1.5 x 10^6 cells", 1_500_000.0, "cells"),
        ("2.5e-3", 0.0025, None),
        ("-2.5e-3", -0.0025, None),
        ("−1.5 × 10^3", -1500.0, None),
        ("2 mg/kg", 2.0, "mg/kg"),
        ("100 mg/m²", 100.0, "mg/m2"),
        ("100 mg/m2", 100.0, "mg/m2"),
        (sample("3 g/dl"), 3.0, "g/dL"),
        (sample("2-month intervals"), 2.0, "months"),
        ("58.5", 58.5, None),
        (sample("with a median age of 58"), 58.0, None),
        ("-0.5", -0.5, None),
        ("−1.25", -1.25, None),
        ("12,5 mg", 12.5, "mg"),
        ("1,234.5 mL", 1234.5, "mL"),
        ("1\u202f234,5", 1234.5, None),
        ("15 patients", 15.0, None),
        (sample("Minimum age: 18 Years"), 18.0, "years"),
    ],
)
def test_decimal_passages_give_value_and_unit(quote: str, value: float, unit: str | None) -> None:
    result = parse_value(DOSE, quote)
    assert result.ok, result.message
    assert result.value == pytest.approx(value)
    assert type(result.value) is float
    assert result.unit == unit


def test_a_unit_the_field_lists_keeps_the_field_spelling() -> None:
    spec = FieldSpec(id="d", label="d", type=FieldType.DECIMAL, unit="vials")
    result = parse_value(spec, "2 VIALS")
    assert (result.value, result.unit) == (2.0, "vials")


@pytest.mark.parametrize(
    ("quote", "message"),
    [
        (
            sample("low (1\u202f×\u202f106 cells/kg), intermediate (2\u202f×\u202f106 cells/kg)"),
            "The passage holds several numbers (1000000, 2000000); type the value.",
        ),
        # "× 100" is a multiplication, not a lost superscript
        ("3 x 100 mL", "The passage holds several numbers (3, 100); type the value."),
        # without a unit after it, "1 × 106" is not read as a power of ten
        ("1 × 106", "The passage holds several numbers (1, 106); type the value."),
        (
            sample("30 (69,7%)"),
            "The passage holds several numbers (30, 69.7); type the value.",
        ),
        ("5 mL (5 mg)", "The passage gives 5 in several units (mL, mg); type the value."),
        (
            "−2.5 (95% CI −3.1 to −1.9)",
            "The passage holds several numbers (-2.5, 95, -3.1, -1.9); type the value.",
        ),
        (
            "1 2 3 4 5 6 7 8",
            "The passage holds several numbers (1, 2, 3, 4, 5, 6, …); type the value.",
        ),
        ("0.5-1.5 mL", "The passage gives a range (0.5–1.5); type the value."),
    ],
)
def test_decimal_passages_without_one_clear_value_are_refused(quote: str, message: str) -> None:
    result = parse_value(PLAIN, quote)
    assert (result.ok, result.value, result.unit) == (False, None, None)
    assert result.message == message


def test_an_identifier_glued_to_a_number_still_counts_as_a_number() -> None:
    result = parse_value(PLAIN, sample("analysis of CD68, CD20, and CD31"))
    assert result.message == "The passage holds several numbers (68, 20, 31); type the value."
