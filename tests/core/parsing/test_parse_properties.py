"""Properties: digits always read back; no passage ever makes parsing raise."""

from hypothesis import given, settings
from hypothesis import strategies as st

from core.domain.template import Choice, FieldSpec, FieldType
from core.parsing import format_value, parse_value

COUNT = FieldSpec(id="n", label="n", type=FieldType.INTEGER)
DOSE = FieldSpec(id="dose", label="Dose", type=FieldType.DECIMAL, units=("cells/kg",))
CHOICES = (
    Choice(code="1", label="Phase 1", synonyms=("phase I",)),
    Choice(code="1_2", label="Phase 1/Phase 2"),
    Choice(code="2", label="Phase 2"),
    Choice(code="na", label="Not applicable", synonyms=("N/A",)),
)
SPECS = [
    FieldSpec(
        id=t.value,
        label=t.value,
        type=t,
        choices=CHOICES if t in (FieldType.SINGLE_CHOICE, FieldType.MULTIPLE_CHOICE) else (),
    )
    for t in FieldType
]
# Text drawn from what passages are made of, so that the parsers' paths are reached.
WORDS = (
    "1 23 2024 - – / . , % × x 10 106 ^ ⁶ ( ) : e n= mg cells/kg twenty three million one "
    "first to and between Dec May Phase II IIa I/II yes no None N/A st a b"
)
PIECES = st.sampled_from([*WORDS.split(), " ", "\u202f", "\u2009", "\n"])
PASSAGES = st.one_of(st.text(max_size=200), st.lists(PIECES, max_size=30).map("".join))


@given(st.integers(min_value=0, max_value=10**40))
def test_the_digits_of_a_whole_number_give_that_number(n: int) -> None:
    result = parse_value(COUNT, str(n))
    assert (result.ok, result.value) == (True, n)


@given(st.integers(min_value=0, max_value=10**15))
def test_the_digits_of_a_whole_number_give_it_as_a_decimal(n: int) -> None:
    result = parse_value(DOSE, str(n))
    assert (result.ok, result.value, result.unit) == (True, float(n), None)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_formatted_decimal_parses_back(value: float) -> None:
    result = parse_value(DOSE, format_value(DOSE, value))
    assert result.ok, result.message
    assert result.value == value


@settings(max_examples=300)
@given(PASSAGES)
def test_no_passage_makes_any_field_type_raise(passage: str) -> None:
    for spec in SPECS:
        result = parse_value(spec, passage)
        assert result.raw == passage.strip()
        assert result.ok == (result.value is not None)
        assert result.ok or result.message
        format_value(spec, result.value)
