"""PDFium characters of a page -> canonical text, with the map between the two.

The canonical text of a page is PDFium's own character sequence (what
`PdfTextPage.get_text_range()` returns), with these documented changes:

- `\\r` is dropped, so PDFium's generated `\\r\\n` line ends become `\\n`;
- a hyphen PDFium marks as a line-end hyphenation (reported as U+0002, or U+FFFE by
  `get_text_range`) becomes `-` followed by `\\n`: the hyphen stays, because PDFium
  cannot tell "preg-nancy" from "follow-up", and the line break it dropped comes back;
- other control characters, non-characters and lone surrogates are dropped;
- the Latin ligatures U+FB00..U+FB06 (ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ) are written out as their letters, each
  letter sharing the ligature's box, so that "signiﬁcant" reads and searches as
  "significant";
- the result is NFC.

Pages are joined by PAGE_SEPARATOR, which belongs to no page.
"""

import re
import unicodedata
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from core.domain.document import PageSpan

PAGE_SEPARATOR = "\n\n"
NO_CHAR = -1
_HYPHEN_MARKS = (0x02, 0xFFFE)
_LIGATURES = {code: unicodedata.normalize("NFKC", chr(code)) for code in range(0xFB00, 0xFB07)}
_HYPHEN_AT_LINE_END = re.compile("[\x02\ufffe](?=[^\r\n])")
_HYPHEN = re.compile("[\x02\ufffe]")
_NONCHARACTERS = "".join(
    chr(plane * 0x10000 + low) for plane in range(17) for low in (0xFFFE, 0xFFFF)
)
_DROPPED = re.compile(
    "[\x00\x01\x03-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef" + _NONCHARACTERS + "]"
)


def canonical_text(characters: str) -> str:
    """A page's canonical text from PDFium's characters, one per character index.

    Gives the same text as `normalise_codes(map(ord, characters)).text`, without
    building the offset map (which only the viewer needs, page by page).
    """
    text = _HYPHEN_AT_LINE_END.sub("-\n", characters)
    text = _DROPPED.sub("", _HYPHEN.sub("-", text))
    text = text.translate(_LIGATURES)
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


@dataclass(frozen=True)
class PageText:
    """One page's canonical text and its two-way map to PDFium character indices.

    `char_of[i]` is the PDFium index of the character that produced canonical code
    point i of the page (NO_CHAR for an inserted line break); `start_of[c]` is the
    page offset where PDFium character c begins (or would begin, if it was dropped).
    """

    text: str
    char_of: array
    start_of: array


def normalise_codes(codes: Sequence[int]) -> PageText:
    """Canonical text and maps for one page, given PDFium's code points per character."""
    pieces: list[str] = []
    char_of = array("i")
    start_of = array("i")
    line_break_due = False
    for index, code in enumerate(codes):
        if line_break_due and code not in (0x0A, 0x0D):
            pieces.append("\n")
            char_of.append(NO_CHAR)
        line_break_due = False
        start_of.append(len(char_of))
        if code in _HYPHEN_MARKS:
            piece, line_break_due = "-", True
        elif code in _LIGATURES:
            piece = _LIGATURES[code]
        elif _dropped(code):
            continue
        else:
            piece = chr(code)
        pieces.append(piece)
        char_of.extend([index] * len(piece))
    start_of.append(len(char_of))
    text = "".join(pieces)
    if not unicodedata.is_normalized("NFC", text):
        return _composed(text, char_of, start_of)
    return PageText(text, char_of, start_of)


def _dropped(code: int) -> bool:
    if code < 0x20:
        return code not in (0x09, 0x0A)
    return (
        0x7F <= code <= 0x9F
        or 0xD800 <= code <= 0xDFFF
        or (code & 0xFFFE) == 0xFFFE
        or 0xFDD0 <= code <= 0xFDEF
        or code > 0x10FFFF
    )


def _composed(text: str, char_of: array, start_of: array) -> PageText:
    """NFC applied cluster by cluster, so each cluster keeps its source characters."""
    clusters: list[tuple[int, int]] = []
    begin = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or _starts_cluster(text[begin:i], text[i]):
            clusters.append((begin, i))
            begin = i
    pieces: list[str] = []
    new_char_of = array("i")
    old_to_new = array("i", [0] * (len(text) + 1))
    for begin, end in clusters:
        composed = unicodedata.normalize("NFC", text[begin:end])
        # The cluster's first character owns all of it; the rest begin where it ends.
        old_to_new[begin] = len(new_char_of)
        pieces.append(composed)
        new_char_of.extend([char_of[begin]] * len(composed))
        for old in range(begin + 1, end):
            old_to_new[old] = len(new_char_of)
    old_to_new[len(text)] = len(new_char_of)
    new_start_of = array("i", (old_to_new[offset] for offset in start_of))
    return PageText("".join(pieces), new_char_of, new_start_of)


def _starts_cluster(before: str, char: str) -> bool:
    """Whether NFC can never join `char` to the text before it."""
    if unicodedata.combining(char):
        return False
    alone = unicodedata.normalize("NFC", before) + unicodedata.normalize("NFC", char)
    return unicodedata.normalize("NFC", before + char) == alone


def join_pages(texts: Iterable[str]) -> tuple[str, tuple[PageSpan, ...]]:
    """The document's canonical text and each page's [start, end) within it."""
    pages = list(texts)
    spans: list[PageSpan] = []
    position = 0
    for text in pages:
        if spans:
            position += len(PAGE_SEPARATOR)
        spans.append(PageSpan(start=position, end=position + len(text)))
        position += len(text)
    return PAGE_SEPARATOR.join(pages), tuple(spans)
