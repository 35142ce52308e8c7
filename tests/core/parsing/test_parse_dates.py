"""Partial-date fields: month names, ISO forms, impossible and ambiguous dates."""

from pathlib import Path

import pytest

from core.domain.template import FieldSpec, FieldType
from core.parsing import parse_value

SAMPLE_TEXT = "\n".join(
    p.read_text(encoding="utf-8")
    for p in sorted((Path(__file__).parents[3] / "sample_docs").glob("*.txt"))
)
START = FieldSpec(id="start_date", label="Start date", type=FieldType.PARTIAL_DATE)


def sample(text: str) -> str:
    """`text`, after checking that a sample document really contains it."""
    assert text in SAMPLE_TEXT, f"not in the sample documents: {text!r}"
    return text


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        (sample("Start date: August 2024"), "2024-08"),
        (sample("Completion date: December 2024"), "2024-12"),
        ("Aug 2024", "2024-08"),
        ("Aug. 2024", "2024-08"),
        (sample("2024-05-06"), "2024-05-06"),
        (sample("Ignite Creation Date: 2024-05-06 @ 7:02 PM"), "2024-05-06"),
        (sample("First Post: 2023-04-07"), "2023-04-07"),
        (sample("Status Verified Date: 2023-05"), "2023-05"),
        (
            sample(
                "Translational research : the journal of laboratory and clinical medicine 2018-09"
            ),
            "2018-09",
        ),
        ("Dec 1 2024", "2024-12-01"),
        ("Dec 1, 2024", "2024-12-01"),
        ("1 December 2024", "2024-12-01"),
        ("1st of December, 2024", "2024-12-01"),
        ("May 11, 2018", "2018-05-11"),
        (sample("processed this data on November 12, 2024"), "2024-11-12"),
        (sample("2024 Dec 1;67(12):1564-1575."), "2024-12-01"),
        ("Sept 2019", "2019-09"),
        ("2020", "2020"),
        ("recruitment began in 2020", "2020"),
        ("2024/5/6", "2024-05-06"),
        ("13/12/2024", "2024-12-13"),
        ("12/13/2024", "2024-12-13"),
        ("06.06.2024", "2024-06-06"),
        ("29 February 2024", "2024-02-29"),
        ("12/2024", "2024-12"),
    ],
)
def test_dates_give_iso_partial_strings(quote: str, expected: str) -> None:
    result = parse_value(START, quote)
    assert result.ok, result.message
    assert result.value == expected
    assert result.raw == quote.strip()


@pytest.mark.parametrize(
    ("quote", "message"),
    [
        ("2024-02-30", "“2024-02-30” is not a real date; type the value."),
        ("29 February 2023", "“29 February 2023” is not a real date; type the value."),
        ("2024-13", "“2024-13” is not a real date; type the value."),
        ("Dec 1", "“Dec 1” gives no year; type the value."),
        ("01/12/2024", "“01/12/2024” can be read day-first or month-first; type the value."),
        (sample("Study phase: Phase 1"), "No date found in the passage."),
        (
            sample("Copyright © 2019-2024"),
            "The passage holds several dates (“2019”, “2024”); type the value.",
        ),
        (
            sample("Start date: August 2024\n\nCompletion date: December 2024"),
            "The passage holds several dates (“August 2024”, “December 2024”); type the value.",
        ),
        (
            sample(
                ". 2024 Dec 1;67(12):1564-1575.\n"
                "doi: 10.1097/DCR.0000000000003502. Epub 2024 Sep 6."
            ),
            "The passage holds several dates (“2024 Dec 1”, “2024 Sep 6”); type the value.",
        ),
    ],
)
def test_dates_that_cannot_be_read_are_refused(quote: str, message: str) -> None:
    result = parse_value(START, quote)
    assert (result.ok, result.value) == (False, None)
    assert result.message == message


def test_the_same_date_written_twice_is_one_date() -> None:
    result = parse_value(START, "2024-12-01 (1 December 2024)")
    assert (result.ok, result.value) == (True, "2024-12-01")


def test_a_doi_is_not_read_as_a_date() -> None:
    result = parse_value(START, sample("DOI:10.1016/j.trsl.2018.04.006"))
    assert (result.ok, result.message) == (False, "No date found in the passage.")
