"""Tests for creating evidence anchors and re-finding them after the text changes."""

import unicodedata
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from core.anchoring import CONTEXT, create_anchor, find_quote, reanchor, verify_anchor
from core.domain.anchor import Anchor, AnchorStatus, Rect

SAMPLES = Path(__file__).resolve().parents[2] / "sample_docs"
OLD_SHA = "a" * 64
NEW_SHA = "b" * 64

EXACT = AnchorStatus.EXACT
RELOCATED = AnchorStatus.RELOCATED
FUZZY = AnchorStatus.FUZZY
NEEDS_REVIEW = AnchorStatus.NEEDS_REVIEW
ORPHANED = AnchorStatus.ORPHANED

ENROLLED = "Twenty-three patients were enrolled, 20 of whom completed the study."
CLOSED = "Fistula tracts were fully closed in 12 patients (60%)."
TRACTS = "A total of 43 fistula tracts were treated during the trial, 30 of which (69.7%)"
HISTO = (
    "Histopathological analysis revealed substantial reductions in local inflammation "
    "and signs of enhanced tissue regeneration."
)


def sample(name: str) -> str:
    return next(SAMPLES.glob(f"{name}_*.txt")).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def crohn() -> str:
    """The Crohn's fistula abstract, in English and Spanish."""
    return sample("001")


def anchor_on(text: str, quote: str, occurrence: int = 0) -> Anchor:
    start = find_quote(text, quote)[occurrence]
    return create_anchor(text, start, start + len(quote), document_id=7, source_sha256=OLD_SHA)


def check(anchor: Anchor, text: str, status: AnchorStatus, quoted: str) -> Anchor:
    """Re-anchor on `text`; the result has `status` and its offsets quote `quoted`."""
    result = reanchor(anchor, text, NEW_SHA)
    assert result.status == status
    assert text[result.start : result.end] == quoted
    assert result.source_sha256 == NEW_SHA
    if status in (EXACT, RELOCATED, FUZZY):
        assert result.exact == quoted
        assert verify_anchor(result, text)
        assert result.prefix == text[max(0, result.start - CONTEXT) : result.start]
        assert result.suffix == text[result.end : result.end + CONTEXT]
    else:
        assert (result.exact, result.prefix, result.suffix) == (
            anchor.exact,
            anchor.prefix,
            anchor.suffix,
        )
    return result


# --- creating and verifying ----------------------------------------------------------


def test_create_anchor_quotes_the_selection_with_its_context(crohn: str) -> None:
    start = crohn.index(ENROLLED)
    rect = Rect(page_index=0, left=1, bottom=2, right=3, top=4)
    anchor = create_anchor(
        crohn,
        start,
        start + len(ENROLLED),
        document_id=3,
        source_sha256=OLD_SHA,
        page_index=0,
        rects=[rect],
    )
    assert anchor.exact == ENROLLED
    assert anchor.prefix == crohn[start - 32 : start]
    assert anchor.prefix.endswith("Patients: ")
    assert anchor.suffix == " Refractory perianal fistula was"
    assert (anchor.document_id, anchor.page_index, anchor.rects) == (3, 0, (rect,))
    assert anchor.status == EXACT
    assert verify_anchor(anchor, crohn)


def test_create_anchor_at_the_edges_has_short_context() -> None:
    text = "Results: 12 of 20"
    first = create_anchor(text, 0, 7, document_id=1, source_sha256=OLD_SHA)
    last = create_anchor(text, 9, len(text), document_id=1, source_sha256=OLD_SHA)
    assert (first.prefix, first.exact, first.suffix) == ("", "Results", ": 12 of 20")
    assert (last.prefix, last.exact, last.suffix) == ("Results: ", "12 of 20", "")


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (4, 4, "empty selection"),
        (5, 2, "not inside"),
        (-1, 3, "not inside"),
        (0, 99, "not inside"),
    ],
)
def test_create_anchor_rejects_bad_selections(start: int, end: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        create_anchor("twelve patients", start, end, document_id=1, source_sha256=OLD_SHA)


def test_verify_anchor_fails_when_the_offsets_quote_something_else(crohn: str) -> None:
    anchor = anchor_on(crohn, CLOSED)
    assert verify_anchor(anchor, crohn)
    assert not verify_anchor(anchor, "Preface. " + crohn)
    assert not verify_anchor(anchor, crohn[: anchor.end - 1])


def test_find_quote_reports_overlapping_occurrences() -> None:
    assert find_quote("60%, 60%", "60%") == [0, 5]
    assert find_quote("aaa", "aa") == [0, 1]
    assert find_quote("abc", "") == []
    assert find_quote("abc", "x") == []


# --- stages 1 and 2: nothing moved ---------------------------------------------------


def test_unchanged_text_with_the_same_hash_keeps_the_anchor(crohn: str) -> None:
    anchor = anchor_on(crohn, ENROLLED)
    result = reanchor(anchor, crohn, OLD_SHA)
    assert result == anchor
    assert result.status == EXACT
    assert crohn[result.start : result.end] == ENROLLED


def test_same_text_with_a_new_hash_is_exact(crohn: str) -> None:
    anchor = anchor_on(crohn, ENROLLED)
    result = check(anchor, crohn, EXACT, ENROLLED)
    assert (result.start, result.end) == (anchor.start, anchor.end)


def test_whitespace_changed_after_the_quote_is_exact(crohn: str) -> None:
    anchor = anchor_on(crohn, ENROLLED)
    changed = crohn.replace("Conclusions: ", "Conclusions:\n\n   ")
    result = check(anchor, changed, EXACT, ENROLLED)
    assert result.start == anchor.start


def test_quote_at_the_very_start_of_the_text(crohn: str) -> None:
    anchor = anchor_on(crohn, "Skip to main page content")
    assert anchor.prefix == ""
    check(anchor, crohn + "\nAppendix.", EXACT, "Skip to main page content")
    result = check(anchor, "Cover page.\n" + crohn, RELOCATED, "Skip to main page content")
    assert result.start == len("Cover page.\n")


def test_quote_at_the_very_end_of_the_text(crohn: str) -> None:
    tail = crohn[-20:]
    anchor = create_anchor(crohn, len(crohn) - 20, len(crohn), document_id=1, source_sha256=OLD_SHA)
    assert anchor.suffix == ""
    check(anchor, crohn + "\n\nPublication types: trial", EXACT, tail)
    result = check(anchor, "Header\n" + crohn, RELOCATED, tail)
    assert result.end == len(crohn) + len("Header\n")


# --- stage 3: the quote moved --------------------------------------------------------


def test_paragraph_inserted_before_relocates(crohn: str) -> None:
    anchor = anchor_on(crohn, CLOSED)
    inserted = "Editor's note: this abstract was corrected on 2 May 2025.\n\n"
    at = crohn.index("Abstract")
    changed = crohn[:at] + inserted + crohn[at:]
    result = check(anchor, changed, RELOCATED, CLOSED)
    assert result.start == anchor.start + len(inserted)


def test_paragraph_deleted_before_relocates(crohn: str) -> None:
    anchor = anchor_on(crohn, CLOSED)
    paragraph = "Settings: Tertiary university hospital.\n\n"
    assert paragraph in crohn
    changed = crohn.replace(paragraph, "")
    result = check(anchor, changed, RELOCATED, CLOSED)
    assert result.start == anchor.start - len(paragraph)


def test_whitespace_changed_before_the_quote_relocates(crohn: str) -> None:
    anchor = anchor_on(crohn, TRACTS)
    changed = crohn.replace("\n\n", "\n \n\n")
    result = check(anchor, changed, RELOCATED, TRACTS)
    assert result.start > anchor.start


def test_emoji_before_the_quote_shift_offsets_by_code_points(crohn: str) -> None:
    anchor = anchor_on(crohn, CLOSED)
    badge = "\U0001f9ea\U0001f9ec Open access \U0001f513\n"
    assert (len(badge), len(badge.encode("utf-16-le")) // 2) == (17, 20)
    result = check(anchor, badge + crohn, RELOCATED, CLOSED)
    assert result.start == anchor.start + 17


def test_quote_containing_astral_characters() -> None:
    text = "Legend: \U0001f7e2 = closed fistula, \U0001f534 = open fistula. Table 2 follows."
    anchor = anchor_on(text, "\U0001f7e2 = closed fistula, \U0001f534")
    result = check(anchor, "\U0001f4c4 " + text, RELOCATED, anchor.exact)
    assert result.start == anchor.start + 2


def test_quote_twice_with_different_context_follows_its_context(crohn: str) -> None:
    # "(60%)" appears in the English and the Spanish abstract; the anchor is the Spanish one.
    english, spanish = find_quote(crohn, "(60%)")
    anchor = anchor_on(crohn, "(60%)", occurrence=1)
    # A filler that puts the English "(60%)" exactly at the anchor's old offsets: the
    # offsets still quote "(60%)", but the context says the anchor is the later one.
    changed = "x" * (spanish - english) + crohn
    assert changed[anchor.start : anchor.end] == "(60%)"
    result = check(anchor, changed, RELOCATED, "(60%)")
    assert result.start == spanish + (spanish - english)
    assert result.prefix.endswith("completamente en 12 ")


def test_quote_twice_with_identical_context_needs_review(crohn: str) -> None:
    anchor = anchor_on(crohn, "20 of whom completed")
    line = next(p for p in crohn.split("\n") if ENROLLED in p) + "\n"
    changed = "Preface.\n" + crohn.replace(line, line + line)
    result = check(anchor, changed, NEEDS_REVIEW, "20 of whom completed")
    copies = find_quote(changed, "20 of whom completed")
    assert len(copies) == 2
    assert result.start == copies[0]  # the nearer candidate is the one shown


def test_short_quote_with_unrelated_context_is_not_moved(crohn: str) -> None:
    # The English "60%" is rewritten; the Spanish "60%" has a different context.
    anchor = anchor_on(crohn, "60%")
    changed = crohn.replace("12 patients (60%)", "12 patients (sixty percent)")
    assert len(find_quote(changed, "60%")) == 1
    check(anchor, changed, NEEDS_REVIEW, "sixty percent")


# --- stage 4: the same characters modulo formatting ----------------------------------


def test_whitespace_changed_inside_the_quote_relocates(crohn: str) -> None:
    anchor = anchor_on(crohn, ENROLLED)
    changed = crohn.replace("were enrolled, 20", "were  enrolled,\n20")
    check(
        anchor,
        changed,
        RELOCATED,
        "Twenty-three patients were  enrolled,\n20 of whom completed the study.",
    )


def test_line_breaks_changed_relocates(crohn: str) -> None:
    anchor = anchor_on(crohn, HISTO)
    rewrapped = HISTO.replace("revealed ", "revealed\n").replace("signs of ", "signs of\r\n")
    check(anchor, crohn.replace(HISTO, rewrapped), RELOCATED, rewrapped)


def test_hyphenation_added_relocates(crohn: str) -> None:
    quote = "resistant to standard anti-tumor necrosis factor"
    anchor = anchor_on(crohn, quote)
    hyphenated = "resis-\ntant to standard anti-tumor necrosis factor"
    check(anchor, crohn.replace(quote, hyphenated), RELOCATED, hyphenated)


def test_hyphenation_removed_relocates(crohn: str) -> None:
    quote = "for the treat-\nment of refractory perianal fistulas"
    hyphenated = crohn.replace(
        "for the treatment of refractory", "for the treat-\nment of refractory"
    )
    anchor = anchor_on(hyphenated, quote)
    check(anchor, crohn, RELOCATED, "for the treatment of refractory perianal fistulas")


def test_soft_hyphen_inserted_relocates(crohn: str) -> None:
    anchor = anchor_on(crohn, "immunohistopathological assessment")
    soft = "immuno\u00adhisto\u00adpathological"
    changed = crohn.replace("immunohistopathological", soft)
    check(anchor, changed, RELOCATED, soft + " assessment")


def test_typographic_hyphen_relocates() -> None:
    text = sample("000")
    quote = "complex perianal fistula in non\u2010Crohn's cases"
    anchor = anchor_on(text, quote)
    plain = quote.replace("\u2010", "-").replace("'", "\u2019")
    check(anchor, text.replace(quote, plain), RELOCATED, plain)


def test_nfd_text_relocates_an_nfc_quote(crohn: str) -> None:
    quote = "Ensayo clínico de fase II, no aleatorizado"
    anchor = anchor_on(crohn, quote)
    decomposed = unicodedata.normalize("NFD", crohn)
    marks_before = len(unicodedata.normalize("NFD", crohn[: anchor.start])) - anchor.start
    assert marks_before > 0
    result = check(anchor, decomposed, RELOCATED, unicodedata.normalize("NFD", quote))
    assert result.start == anchor.start + marks_before


# --- stage 5: approximate matches ----------------------------------------------------


def test_typo_fixed_in_the_quote_is_fuzzy(crohn: str) -> None:
    typo = HISTO.replace("substantial", "substantail")
    anchor = anchor_on(crohn.replace(HISTO, typo), typo)
    check(anchor, crohn, FUZZY, HISTO)


def test_typo_fixed_and_text_moved_is_fuzzy(crohn: str) -> None:
    typo = ENROLLED.replace("enrolled", "enroled")
    anchor = anchor_on(crohn.replace(ENROLLED, typo), typo)
    result = check(anchor, "Corrected version.\n\n" + crohn, FUZZY, ENROLLED)
    assert result.start == crohn.index(ENROLLED) + len("Corrected version.\n\n")


def test_number_changed_in_a_sentence_needs_review(crohn: str) -> None:
    anchor = anchor_on(crohn, ENROLLED)
    changed = crohn.replace("20 of whom", "21 of whom")
    check(anchor, changed, NEEDS_REVIEW, ENROLLED.replace("20", "21"))


def test_patient_count_changed_needs_review() -> None:
    text = sample("004")
    quote = "This study enrolled 15 patients (10 male and 5 female)"
    anchor = anchor_on(text, quote)
    changed = text.replace(quote, quote.replace("15 patients", "16 patients"))
    check(anchor, changed, NEEDS_REVIEW, "This study enrolled 16 patients (10 male and 5 female)")


def test_percentage_changed_needs_review(crohn: str) -> None:
    anchor = anchor_on(crohn, "60%")
    check(anchor, crohn.replace("12 patients (60%)", "12 patients (66%)"), NEEDS_REVIEW, "66%")


def test_percentage_changed_in_a_sentence_needs_review(crohn: str) -> None:
    anchor = anchor_on(crohn, CLOSED)
    changed = crohn.replace(CLOSED, CLOSED.replace("60%", "66%"))
    check(anchor, changed, NEEDS_REVIEW, CLOSED.replace("60%", "66%"))


def test_decimal_changed_needs_review(crohn: str) -> None:
    anchor = anchor_on(crohn, "69.7%")
    check(anchor, crohn.replace("(69.7%)", "(69.1%)"), NEEDS_REVIEW, "69.1%")


def test_number_edited_in_place_does_not_jump_to_an_equal_number_nearby() -> None:
    # The day "23" becomes "28"; the "23" of the year right before it has a similar
    # context, but the edit in place explains the change better.
    text = sample("002")
    day = text.index("2023-05-23") + len("2023-05-")
    anchor = create_anchor(text, day, day + 2, document_id=1, source_sha256=OLD_SHA)
    changed = text.replace("2023-05-23", "2023-05-28")
    result = check(anchor, changed, NEEDS_REVIEW, "28")
    assert result.start == day


def test_decimal_point_moved_needs_review(crohn: str) -> None:
    # Same digits, another number: a digit-only comparison would accept this.
    anchor = anchor_on(crohn, TRACTS)
    changed = crohn.replace("(69.7%)", "(6.97%)")
    check(anchor, changed, NEEDS_REVIEW, TRACTS.replace("69.7", "6.97"))


def test_quote_deleted_is_orphaned(crohn: str) -> None:
    anchor = anchor_on(crohn, HISTO)
    changed = crohn.replace(HISTO + " ", "")
    result = check(anchor, changed, ORPHANED, changed[anchor.start : anchor.end])
    assert (result.start, result.end) == (anchor.start, anchor.end)


def test_text_emptied_is_orphaned(crohn: str) -> None:
    anchor = anchor_on(crohn, CLOSED)
    result = check(anchor, "", ORPHANED, "")
    assert (result.start, result.end) == (0, 0)


def test_text_truncated_before_the_quote_is_orphaned(crohn: str) -> None:
    anchor = anchor_on(crohn, "Keywords: Crohn")
    truncated = crohn[: anchor.start - 100]
    result = check(anchor, truncated, ORPHANED, "")
    assert (result.start, result.end) == (len(truncated), len(truncated))


def test_needs_review_keeps_the_original_quote_for_later(crohn: str) -> None:
    anchor = anchor_on(crohn, "69.7%")
    changed = crohn.replace("(69.7%)", "(69.1%)")
    review = check(anchor, changed, NEEDS_REVIEW, "69.1%")
    # Nothing new happened: a re-run does not promote it.
    assert reanchor(review, changed, NEW_SHA) == review
    # The extractor is fixed and the original text returns: the quote is found again.
    restored = reanchor(review, crohn, OLD_SHA)
    assert restored.status == EXACT
    assert crohn[restored.start : restored.end] == "69.7%"


def test_rerun_on_the_same_text_keeps_a_fuzzy_verdict(crohn: str) -> None:
    typo = HISTO.replace("substantial", "substantail")
    anchor = anchor_on(crohn.replace(HISTO, typo), typo)
    fuzzy = check(anchor, crohn, FUZZY, HISTO)
    assert reanchor(fuzzy, crohn, NEW_SHA) == fuzzy


def long_document() -> str:
    """About 150,000 characters of real, numbered paragraphs."""
    paragraphs = [p for name in ("000", "002", "003", "004") for p in sample(name).split("\n")]
    return "\n".join(f"[{i}] {p}" for i, p in enumerate(paragraphs * 11) if p.strip())


def test_fuzzy_match_in_a_long_document() -> None:
    filler = long_document()
    middle = len(filler) // 2
    typo = HISTO.replace("regeneration", "regenration")
    old = filler[:middle] + "\nResults: " + typo + " Immunohistochemistry.\n" + filler[middle:]
    anchor = anchor_on(old, typo)
    new = "New title page.\n" + old.replace(typo, HISTO)
    assert len(new) > 150_000
    check(anchor, new, FUZZY, HISTO)


def test_short_quote_among_hundreds_of_occurrences_follows_its_context() -> None:
    filler = long_document()  # its paragraphs repeat, so only the added one is unique
    middle = len(filler) // 2
    text = filler[:middle] + "\nOverall, 17 patients withdrew consent.\n" + filler[middle:]
    start = text.index("17 patients withdrew") + len("17 ")
    anchor = create_anchor(text, start, start + 8, document_id=1, source_sha256=OLD_SHA)
    assert anchor.exact == "patients"
    assert len(find_quote(text, "patients")) > 300
    inserted = "Erratum: the number of patients was corrected.\n"
    result = check(anchor, inserted + text, RELOCATED, "patients")
    assert result.start == anchor.start + len(inserted)


# --- properties ----------------------------------------------------------------------

ORIGINAL_ALPHABET = st.sampled_from([*"abcdeé -\n.,%()", "\U0001f9ea", "e\u0301"])


@given(data=st.data(), text=st.text(min_size=1, max_size=300))
def test_any_selection_round_trips(data: st.DataObject, text: str) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    anchor = create_anchor(text, start, end, document_id=1, source_sha256=OLD_SHA)
    assert anchor.exact == text[start:end]
    assert verify_anchor(anchor, text)
    for sha in (OLD_SHA, NEW_SHA):
        result = reanchor(anchor, text, sha)
        assert result.status == EXACT
        assert (result.start, result.end, result.exact) == (start, end, text[start:end])


@given(
    data=st.data(),
    text=st.lists(ORIGINAL_ALPHABET, min_size=1, max_size=200).map("".join),
    inserted=st.text(alphabet="0123456789#[]", min_size=1, max_size=80),
)
def test_text_inserted_before_a_unique_quote_relocates(
    data: st.DataObject, text: str, inserted: str
) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    assume(len(find_quote(text, text[start:end])) == 1)
    anchor = create_anchor(text, start, end, document_id=1, source_sha256=OLD_SHA)
    result = check(anchor, inserted + text, RELOCATED, text[start:end])
    assert result.start == start + len(inserted)
