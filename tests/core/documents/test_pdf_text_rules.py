"""The rules that turn PDFium's characters into canonical text, and their offset map."""

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from core.documents.pdf_geometry import merge_into_lines, split_box
from core.documents.pdf_text import NO_CHAR, canonical_text, join_pages, normalise_codes
from core.domain.document import PageSpan


def codes(text: str) -> list[int]:
    return [ord(char) for char in text]


def test_generated_line_ends_become_single_line_breaks() -> None:
    page = normalise_codes(codes("two\r\nlines"))

    assert page.text == "two\nlines"
    assert list(page.char_of) == [0, 1, 2, 4, 5, 6, 7, 8, 9]
    assert page.start_of[3] == page.start_of[4] == 3  # the dropped \r begins where \n does


def test_line_end_hyphen_keeps_the_hyphen_and_restores_the_line_break() -> None:
    page = normalise_codes([*codes("preg"), 0x02, *codes("nancy")])

    assert page.text == "preg-\nnancy"
    assert page.char_of[4] == 4
    assert page.char_of[5] == NO_CHAR
    assert page.start_of[5] == 6


def test_hyphen_before_a_real_line_break_adds_no_second_one() -> None:
    assert normalise_codes([*codes("a"), 0xFFFE, *codes("\r\nb")]).text == "a-\nb"


def test_ligatures_are_written_out_and_share_their_character() -> None:
    page = normalise_codes(codes("signi\ufb01cant e\ufb03cacy"))

    assert page.text == "significant efficacy"
    assert list(page.char_of[5:7]) == [5, 5]
    assert list(page.char_of[13:16]) == [12, 12, 12]
    assert page.start_of[6] == 7


def test_control_characters_and_noncharacters_are_dropped() -> None:
    page = normalise_codes([*codes("a"), 0x03, 0xFFFF, 0xD800, *codes("\tb")])

    assert page.text == "a\tb"
    assert list(page.char_of) == [0, 4, 5]


def test_decomposed_accents_are_composed_and_map_to_their_base() -> None:
    page = normalise_codes(codes("Caf" + "e\u0301" + "s"))

    assert page.text == "Cafés"
    assert list(page.char_of) == [0, 1, 2, 3, 5]
    assert list(page.start_of) == [0, 1, 2, 3, 4, 4, 5]


@given(
    st.lists(
        st.one_of(
            st.integers(min_value=0, max_value=0x10FFFF),
            st.sampled_from([0x02, 0x0A, 0x0D, 0xFB01, 0xFB03, 0x0301, 0x0327, 0x1100, 0x1161]),
        ),
        max_size=60,
    )
)
def test_any_characters_give_nfc_text_and_a_consistent_map(values: list[int]) -> None:
    page = normalise_codes(values)

    assert page.text == canonical_text("".join(chr(value) for value in values))
    assert unicodedata.is_normalized("NFC", page.text)
    assert len(page.char_of) == len(page.text)
    assert len(page.start_of) == len(values) + 1
    assert list(page.start_of) == sorted(page.start_of)
    assert page.start_of[-1] == len(page.text)
    for offset, char in enumerate(page.char_of):
        if char != NO_CHAR:
            assert page.start_of[char] <= offset


def test_pages_are_joined_by_a_blank_line() -> None:
    text, pages = join_pages(["one", "", "three"])

    assert text == "one\n\n\n\nthree"
    assert pages == (PageSpan(start=0, end=3), PageSpan(start=5, end=5), PageSpan(start=7, end=12))


def test_character_boxes_merge_into_one_rectangle_per_line_and_column() -> None:
    line = [(10.0 + 6 * i, 100.0, 15.0 + 6 * i, 110.0) for i in range(5)]
    next_line = [(10.0, 86.0, 15.0, 96.0)]
    other_column = [(300.0, 86.0, 305.0, 96.0)]

    rects = merge_into_lines(2, line + next_line + other_column)

    assert [(r.left, r.bottom, r.right, r.top) for r in rects] == [
        (10.0, 100.0, 39.0, 110.0),
        (10.0, 86.0, 15.0, 96.0),
        (300.0, 86.0, 305.0, 96.0),
    ]
    assert {r.page_index for r in rects} == {2}


def test_a_ligature_box_is_split_evenly_between_its_letters() -> None:
    assert split_box((0.0, 0.0, 9.0, 10.0), 1, 3) == (3.0, 0.0, 6.0, 10.0)
    assert split_box((0.0, 0.0, 9.0, 10.0), 0, 1) == (0.0, 0.0, 9.0, 10.0)
