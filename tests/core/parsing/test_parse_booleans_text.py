"""Boolean and text fields, and what every field type does with an empty passage."""

from pathlib import Path

import pytest

from core.domain.template import Choice, FieldSpec, FieldType
from core.parsing import parse_value

SAMPLE_TEXT = "\n".join(
    p.read_text(encoding="utf-8")
    for p in sorted((Path(__file__).parents[3] / "sample_docs").glob("*.txt"))
)
FLAG = FieldSpec(id="healthy_volunteers", label="Healthy volunteers", type=FieldType.BOOLEAN)
TITLE = FieldSpec(id="title", label="Title", type=FieldType.TEXT)
NOTES = FieldSpec(id="notes", label="Notes", type=FieldType.LONG_TEXT)


def sample(text: str) -> str:
    """`text`, after checking that a sample document really contains it."""
    assert text in SAMPLE_TEXT, f"not in the sample documents: {text!r}"
    return text


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        (sample("Healthy volunteers: No"), False),
        (sample("Delayed Posting: No"), False),
        (sample("Is a FDA Regulated Drug?: False"), False),
        (sample("Has Expanded Access: False"), False),
        ("Yes", True),
        ("y", True),
        ("TRUE", True),
        ("1", True),
        ("0", False),
        ("n", False),
        ("No.", False),
        ("Adverse events: reported", True),
        ("No patient withdrew from the study", False),
        ("yes, all patients", True),
    ],
)
def test_booleans(quote: str, expected: bool) -> None:
    result = parse_value(FLAG, quote)
    assert result.ok, result.message
    assert result.value is expected


@pytest.mark.parametrize(
    ("quote", "message"),
    [
        (
            sample("Has Oversight DMC: None"),
            "The passage says “none”, which is neither yes nor no; pick one.",
        ),
        ("N/A", "The passage says “n/a”, which is neither yes nor no; pick one."),
        ("maybe", "The passage says neither yes nor no; pick one."),
        ("yes for some, no for others", "The passage says both yes and no; pick one."),
        (
            "No serious adverse events occurred. "
            + sample(
                "Compared to those in the historical, case-matched group, neither there were "
                "infusion-associated serious events or treatment-related adverse events in any "
                "of the 15 patients in this trial"
            ),
            "The passage is too long to read yes or no from; pick one.",
        ),
    ],
)
def test_booleans_that_say_neither_or_both_are_refused(quote: str, message: str) -> None:
    result = parse_value(FLAG, quote)
    assert (result.ok, result.value, result.message) == (False, None, message)


def test_text_collapses_whitespace() -> None:
    quote = (
        "  Effect of Mesenchymal Stem Cells-derived\n  Exosomes in   Decompensated Liver Cirrhosis "
    )
    result = parse_value(TITLE, quote)
    assert result.ok
    assert result.value == (
        "Effect of Mesenchymal Stem Cells-derived Exosomes in Decompensated Liver Cirrhosis"
    )
    assert result.raw == quote.strip()


def test_long_text_keeps_line_breaks() -> None:
    quote = sample("Condition: Rectal Cancer\n\nConditions: Official terms:\nRectal Neoplasms")
    result = parse_value(NOTES, "\n" + quote + "\n")
    assert (result.ok, result.value, result.raw) == (True, quote, quote)


@pytest.mark.parametrize("field_type", list(FieldType))
def test_an_empty_passage_gives_no_value_for_any_field_type(field_type: FieldType) -> None:
    choices = (Choice(code="a", label="A"),) if "choice" in field_type else ()
    spec = FieldSpec(id="f", label="F", type=field_type, choices=choices)
    result = parse_value(spec, " \n\t ")
    assert (result.ok, result.value, result.raw) == (False, None, "")
    assert result.message == "The passage is empty."
