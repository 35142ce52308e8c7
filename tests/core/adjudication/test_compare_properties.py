"""Properties of the comparison that must hold for any answer, not only the cases we list."""

import string
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from core.adjudication import ComparisonState, Match, Tolerance, compare_answers
from core.domain import FieldSpec, FieldStatus, FieldType, FieldValueInfo
from core.templates import default_template
from tests.core.adjudication.answers import answer, passage

TEMPLATE = default_template()
SOURCES = FieldSpec.model_validate(
    {
        "id": "sources",
        "label": "Sources",
        "type": "multiple_choice",
        "choices": [{"code": c, "label": c} for c in ("cord", "marrow", "fat", "blood")],
    }
)
SPECS = [spec for _, spec in TEMPLATE.plain_fields()]
SPECS += [spec for _, group in TEMPLATE.groups() for spec in group.fields]
SPECS.append(SOURCES)
UNITS = [
    None,
    "mg",
    "g",
    "µg",
    "mL",
    "L",
    "cells/kg",
    "10^6 cells/kg",
    "weeks",
    "months",
    "%",
    "IU",
]

texts = st.text(min_size=1, max_size=40)
dates = st.builds(
    lambda y, m, d, precision: "-".join([f"{y:04d}", f"{m:02d}", f"{d:02d}"][:precision]),
    st.integers(1900, 2100),
    st.integers(1, 12),
    st.integers(1, 28),
    st.integers(1, 3),
)
numbers = st.one_of(
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True, width=64),
)


def values_for(spec: FieldSpec) -> st.SearchStrategy[Any]:
    codes = [c.code for c in spec.choices]
    match spec.type:
        case FieldType.INTEGER | FieldType.DECIMAL:
            return numbers
        case FieldType.PARTIAL_DATE:
            return dates
        case FieldType.SINGLE_CHOICE:
            return st.sampled_from(codes)
        case FieldType.MULTIPLE_CHOICE:
            return st.lists(st.sampled_from(codes), min_size=1, unique=True)
        case FieldType.BOOLEAN:
            return st.booleans()
    return texts


@st.composite
def answers(draw: st.DrawFn, spec: FieldSpec) -> FieldValueInfo:
    status = draw(st.sampled_from(list(FieldStatus)))
    if status is not FieldStatus.VALUE:
        return answer(spec.id, status=status)
    numeric = spec.type in (FieldType.INTEGER, FieldType.DECIMAL)
    unit = draw(st.sampled_from(UNITS)) if numeric else None
    spans = st.tuples(st.integers(0, 3), st.integers(0, 50), st.integers(0, 20))
    anchors = tuple(
        passage(start, start + length, document)
        for document, start, length in draw(st.lists(spans, max_size=3))
    )
    return answer(spec.id, draw(values_for(spec)), unit, anchors=anchors)


@st.composite
def one_field(draw: st.DrawFn) -> tuple[FieldSpec, FieldValueInfo, FieldValueInfo]:
    spec = draw(st.sampled_from(SPECS))
    return spec, draw(answers(spec)), draw(answers(spec))


tolerances = st.builds(
    Tolerance,
    absolute=st.sampled_from([0.0, 0.5, 2.0]),
    relative=st.sampled_from([0.0, 0.01, 0.1]),
)


@given(one_field())
def test_an_answer_agrees_with_itself_in_full(case: tuple[FieldSpec, Any, Any]) -> None:
    spec, a, _ = case
    result = compare_answers(spec, a, a)
    assert result.state is ComparisonState.AGREED
    assert result.match is Match.IDENTICAL
    assert not result.same_value_different_evidence


@given(one_field(), tolerances)
def test_comparing_b_with_a_mirrors_comparing_a_with_b(
    case: tuple[FieldSpec, Any, Any], tolerance: Tolerance
) -> None:
    spec, a, b = case
    forward, backward = (
        compare_answers(spec, a, b, tolerance),
        compare_answers(spec, b, a, tolerance),
    )
    assert backward.state is forward.state.swapped()
    assert backward.match is forward.match
    assert backward.same_value_different_evidence == forward.same_value_different_evidence


@given(st.integers(-(10**9), 10**9), st.sampled_from([("g", "mg"), ("L", "mL"), ("mg", "µg")]))
def test_a_dose_written_in_a_thousandth_unit_is_the_same_dose(
    thousandths: int, units: tuple[str, str]
) -> None:
    spec = TEMPLATE.field("arms.dose")
    assert spec is not None
    larger, smaller = units
    a = answer("arms[1].dose", thousandths / 1000, larger)
    b = answer("arms[1].dose", thousandths, smaller)
    result = compare_answers(spec, a, b)
    assert result.state is ComparisonState.AGREED
    assert result.match in (Match.IDENTICAL, Match.EQUIVALENT)
    assert compare_answers(spec, a, answer("arms[1].dose", thousandths + 1, smaller)).state is (
        ComparisonState.DISAGREED
    )


@given(st.text(alphabet=string.ascii_letters + string.digits + " ", min_size=1), st.data())
def test_case_spaces_and_punctuation_between_words_never_split_a_text(
    text: str, data: st.DataObject
) -> None:
    spec = TEMPLATE.field("arms.product")
    assert spec is not None
    separator = data.draw(st.sampled_from(["  ", " - ", " — ", ", ", " (", ") ", "; ", "\n"]))
    variant = separator.join(text.split()).swapcase()
    if not text.split():
        return
    result = compare_answers(
        spec, answer("arms[1].product", text), answer("arms[1].product", variant)
    )
    assert result.state is ComparisonState.AGREED
