"""Integer fields: numbers, number words, separators, and passages that hold no clear value."""

from pathlib import Path

import pytest

from core.domain.template import FieldSpec, FieldType
from core.parsing import parse_value

SAMPLE_TEXT = "\n".join(
    p.read_text(encoding="utf-8")
    for p in sorted((Path(__file__).parents[3] / "sample_docs").glob("*.txt"))
)
COUNT = FieldSpec(id="enrolled", label="Enrolled", type=FieldType.INTEGER)


def sample(text: str) -> str:
    """`text`, after checking that a sample document really contains it."""
    assert text in SAMPLE_TEXT, f"not in the sample documents: {text!r}"
    return text


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        (sample("Twenty-three patients were enrolled"), 23),
        ("twenty three patients", 23),
        ("Fifteen", 15),
        (sample("Five patients showed complete tract resolve."), 5),
        (sample("We enrolled 15 patients"), 15),
        (sample("Exosome injections were administered in the operating room to 11 patients"), 11),
        (sample("60%"), 60),
        ("60 %", 60),
        ("1,234", 1234),
        ("5\u2009796", 5796),
        ("5\u00a0796 participants", 5796),
        ("n = 23", 23),
        ("Placebo (n=20)", 20),
        ("23 (23)", 23),
        ("  42\n", 42),
        (sample("Minimum age: 18 Years"), 18),
        ("Only one patient withdrew", 1),
        ("the first 15 patients", 15),
        ("2.5 million", 2_500_000),
        ("1 × 10^6 cells", 1_000_000),
    ],
)
def test_integer_passages_give_their_number(quote: str, expected: int) -> None:
    result = parse_value(COUNT, quote)
    assert result.ok, result.message
    assert result.value == expected
    assert type(result.value) is int
    assert result.raw == quote.strip()
    assert result.message is None


@pytest.mark.parametrize(
    ("quote", "message"),
    [
        (
            sample("Twenty-three patients were enrolled, 20 of whom completed the study."),
            "The passage holds several numbers (23, 20); type the value.",
        ),
        ("12 of 20", "The passage holds several numbers (12, 20); type the value."),
        ("20 (87%)", "The passage holds several numbers (20, 87); type the value."),
        (
            sample("Fistula tracts were fully closed in 12 patients (60%)."),
            "The passage holds several numbers (12, 60); type the value.",
        ),
        ("18-65 years", "The passage gives a range (18–65); type the value."),
        ("18 to 65", "The passage gives a range (18–65); type the value."),
        ("aged 18–65", "The passage gives a range (18–65); type the value."),
        ("between 18 and 65 years", "The passage gives a range (18–65); type the value."),
        ("18 Years to 65 Years", "The passage gives a range (18–65); type the value."),
        ("2.5", "The passage gives 2.5, not a whole number; type the value."),
        (sample("69.7%"), "The passage gives 69.7, not a whole number; type the value."),
        ("No patients were lost", "No number found in the passage."),
        ("no one died", "No number found in the passage."),
        (sample("Last Known Status: None"), "No number found in the passage."),
        ("   ", "The passage is empty."),
        (
            sample("2024-05-06"),
            "The passage holds several numbers (2024, 5, 6); type the value.",
        ),
    ],
)
def test_integer_passages_without_one_clear_value_are_refused(quote: str, message: str) -> None:
    result = parse_value(COUNT, quote)
    assert not result.ok
    assert result.value is None
    assert result.message == message
    assert result.raw == quote.strip()


def test_a_repeated_number_in_words_and_digits_is_one_value() -> None:
    result = parse_value(COUNT, "twenty-three (23) patients")
    assert (result.ok, result.value) == (True, 23)


def test_a_descending_pair_is_not_called_a_range() -> None:
    result = parse_value(COUNT, "from 65 to 18")
    assert result.message == "The passage holds several numbers (65, 18); type the value."


def test_number_words_in_other_languages_are_left_to_the_reviewer() -> None:
    result = parse_value(COUNT, sample("Se inscribieron veintitrés pacientes"))
    assert not result.ok
    assert result.message == "No number found in the passage."


def test_integer_fields_give_no_unit() -> None:
    result = parse_value(COUNT, "40 mg")
    assert (result.ok, result.value, result.unit) == (True, 40, None)
