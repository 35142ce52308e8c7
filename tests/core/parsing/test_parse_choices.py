"""Choice fields: labels, synonyms, codes, roman numerals, subtype letters, ambiguity."""

from pathlib import Path

import pytest

from core.domain.template import Choice, FieldSpec, FieldType
from core.parsing import parse_value
from core.parsing.choices import normalise

SAMPLE_TEXT = "\n".join(
    p.read_text(encoding="utf-8")
    for p in sorted((Path(__file__).parents[3] / "sample_docs").glob("*.txt"))
)


def sample(text: str) -> str:
    """`text`, after checking that a sample document really contains it."""
    assert text in SAMPLE_TEXT, f"not in the sample documents: {text!r}"
    return text


def single(*choices: Choice) -> FieldSpec:
    return FieldSpec(id="c", label="c", type=FieldType.SINGLE_CHOICE, choices=choices)


PHASE = single(
    Choice(code="early_1", label="Early Phase 1", synonyms=("Phase 0", "early phase I")),
    Choice(code="1", label="Phase 1", synonyms=("phase I",)),
    Choice(code="1_2", label="Phase 1/Phase 2", synonyms=("phase 1/2", "phase I/II")),
    Choice(code="2", label="Phase 2", synonyms=("phase II",)),
    Choice(code="2_3", label="Phase 2/Phase 3", synonyms=("phase 2/3",)),
    Choice(code="3", label="Phase 3", synonyms=("phase III",)),
    Choice(code="4", label="Phase 4", synonyms=("phase IV", "post-marketing")),
    Choice(code="na", label="Not applicable", synonyms=("N/A",)),
)
ALLOCATION = single(
    Choice(code="randomized", label="Randomized", synonyms=("randomised",)),
    Choice(code="non_randomized", label="Non-randomized"),
    Choice(code="single_arm", label="Single arm", synonyms=("single group",)),
)
MASKING = single(
    Choice(code="none", label="None (Open Label)", synonyms=("open label", "unblinded")),
    Choice(code="single", label="Single", synonyms=("single blind",)),
    Choice(code="double", label="Double", synonyms=("double blind",)),
    Choice(code="triple", label="Triple"),
    Choice(code="quadruple", label="Quadruple"),
)
INTERVENTION_TYPES = FieldSpec(
    id="types",
    label="Intervention types",
    type=FieldType.MULTIPLE_CHOICE,
    choices=(
        Choice(code="drug", label="Drug"),
        Choice(code="biological", label="Biological", synonyms=("biologic",)),
        Choice(code="procedure", label="Procedure", synonyms=("surgery",)),
        Choice(code="device", label="Device"),
    ),
)


@pytest.mark.parametrize(
    ("spec", "quote", "code"),
    [
        (PHASE, sample("Phase II"), "2"),
        (PHASE, "phase 2", "2"),
        (PHASE, "PHASE  2", "2"),
        (PHASE, sample("Clinical Trial Phase IIa on Amelioration"), "2"),
        (PHASE, sample("Study phase: Phase 1"), "1"),
        (PHASE, sample("Clinical trial phase I"), "1"),
        (PHASE, sample("This is a single-center, open-label, dose-escalation phase 1"), "1"),
        (PHASE, "Early Phase 1", "early_1"),
        (PHASE, "Phase 1/Phase 2", "1_2"),
        (PHASE, "Phase I/II", "1_2"),
        (PHASE, "Phase I–II trial", "1_2"),
        (PHASE, "a phase 1b/2 study", "1_2"),
        (PHASE, "Phase IIb/III", "2_3"),
        (PHASE, "N/A", "na"),
        (PHASE, "2", "2"),
        (PHASE, "1_2", "1_2"),
        (ALLOCATION, sample("Allocation: Non-Randomized"), "non_randomized"),
        (ALLOCATION, sample("Design: Nonrandomized, nonblinded single-center"), "non_randomized"),
        (ALLOCATION, "Randomised", "randomized"),
        (ALLOCATION, "Single Group Assignment", "single_arm"),
        (
            MASKING,
            sample(
                "Masking: Quadruple (Participant, Care Provider, Investigator, Outcomes Assessor)"
            ),
            "quadruple",
        ),
        (MASKING, "None (Open Label)", "none"),
        (MASKING, "double-blind, placebo-controlled", "double"),
    ],
)
def test_single_choice_passages_give_the_choice_code(
    spec: FieldSpec, quote: str, code: str
) -> None:
    result = parse_value(spec, quote)
    assert result.ok, result.message
    assert result.value == code
    assert result.raw == quote.strip()


def test_the_raw_text_keeps_the_subtype_letter() -> None:
    result = parse_value(PHASE, " Phase IIa ")
    assert (result.value, result.raw) == ("2", "Phase IIa")


def test_a_choice_written_with_its_subtype_wins_over_the_plain_one() -> None:
    spec = single(
        Choice(code="2", label="Phase 2"),
        Choice(code="2a", label="Phase 2a"),
    )
    assert parse_value(spec, "Phase IIa").value == "2a"
    assert parse_value(spec, "Phase II").value == "2"
    result = parse_value(spec, "Phase IIb")
    assert result.message == "The passage matches several choices (Phase 2, Phase 2a); pick one."


@pytest.mark.parametrize(
    ("spec", "quote", "message"),
    [
        (
            PHASE,
            "phase 1 and phase 2",
            "The passage matches several choices (Phase 1, Phase 2); pick one.",
        ),
        (
            PHASE,
            "Phase IIa, following the phase I study",
            "The passage matches several choices (Phase 1, Phase 2); pick one.",
        ),
        (
            PHASE,
            sample("Stage II-III rectal cancer"),
            "No choice matches “Stage II-III rectal cancer”; pick one.",
        ),
        (
            MASKING,
            sample("This is a single-center, open-label, dose-escalation phase 1"),
            "The passage matches several choices (None (Open Label), Single); pick one.",
        ),
        (
            ALLOCATION,
            "randomized, with a single arm extension",
            "The passage matches several choices (Randomized, Single arm); pick one.",
        ),
        (
            ALLOCATION,
            "x" * 80,
            "No choice matches “" + "x" * 59 + "…”; pick one.",
        ),
    ],
)
def test_single_choice_passages_without_one_match_are_refused(
    spec: FieldSpec, quote: str, message: str
) -> None:
    result = parse_value(spec, quote)
    assert (result.ok, result.value) == (False, None)
    assert result.message == message


def test_a_code_only_matches_as_written() -> None:
    result = parse_value(PHASE, "12")
    assert result.message == "No choice matches “12”; pick one."


def test_a_code_inside_a_sentence_is_not_a_match() -> None:
    result = parse_value(PHASE, "4 patients withdrew")
    assert result.message == "No choice matches “4 patients withdrew”; pick one."


def test_multiple_choice_lists_codes_in_the_order_of_the_form() -> None:
    result = parse_value(INTERVENTION_TYPES, "Surgery plus biologic, then a drug")
    assert result.ok
    assert result.value == ["drug", "biological", "procedure"]


def test_multiple_choice_from_a_sample_passage() -> None:
    result = parse_value(INTERVENTION_TYPES, sample("Intervention type: Biological"))
    assert (result.ok, result.value) == (True, ["biological"])


def test_multiple_choice_without_a_match_is_refused() -> None:
    result = parse_value(INTERVENTION_TYPES, sample("Intervention type: Other"))
    assert (result.ok, result.value) == (False, None)
    assert result.message == "No choice matches “Intervention type: Other”; pick one."


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Phase I/II", ["phase", "1", "/", "phase", "2"]),
        ("Phase IIa", ["phase", "2a"]),
        ("Non-Randomized", ["non", "randomized"]),
        ("randomised", ["randomized"]),
        ("Stage II–III", ["stage", "2", "/", "stage", "3"]),
    ],
)
def test_normalise(text: str, words: list[str]) -> None:
    assert normalise(text) == words


def test_normalise_relaxed_drops_subtype_letters() -> None:
    assert normalise("Phase IIa", relaxed=True) == ["phase", "2"]
    assert normalise("phase 1b", relaxed=True) == ["phase", "1"]
