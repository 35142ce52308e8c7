"""A PDF's canonical text tied to its pages: rectangles for a span, offsets for a point."""

import atexit
import bisect
import hashlib
import threading
from array import array
from collections import OrderedDict
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from core.documents.pdf_engine import PDFIUM_LOCK
from core.documents.pdf_geometry import Box, PageGeometry, distance, merge_into_lines, split_box
from core.documents.pdf_reader import PageRead, read_pages
from core.documents.pdf_text import NO_CHAR, PageText, join_pages
from core.domain.anchor import Rect
from core.domain.document import PageSpan
from core.errors import DocumentImportError

HIT_TOLERANCE = 3.0  # points around a character that still count as on it
_CACHE_SIZE = 4


@dataclass(frozen=True)
class PageImage:
    """A rendered page: `data` rows of `stride` bytes, pixels as B, G, R, unused byte.

    On little-endian machines this is Qt's `QImage.Format_RGB32`.
    """

    width: int
    height: int
    stride: int
    data: bytes


class _Boxes:
    """Loose PDFium character boxes of one page, and which characters show text."""

    def __init__(self, boxes: list[Box], page: PageText) -> None:
        self.boxes = boxes
        self.visible = array("i")
        for char, box in enumerate(boxes[: len(page.start_of) - 1]):
            begin, end = page.start_of[char], page.start_of[char + 1]
            if begin < end and page.text[begin:end].strip() and _has_area(box):
                self.visible.append(char)


def _has_area(box: Box) -> bool:
    return box[2] > box[0] and box[3] > box[1]


class PdfLayout:
    """Canonical text, page map, character boxes and rendering of one opened PDF.

    Build it once per document (see `layout_for`) off the GUI thread: opening reads
    every page's text (about as long as pypdfium2's own text extraction); the offset
    map and character boxes of a page are made the first time that page is asked
    about. Every method is safe from any thread: PDFium calls hold PDFIUM_LOCK.
    Coordinates are PDF points in the page's own space (origin bottom-left, before
    /Rotate); see `geometry`.
    """

    def __init__(self, data: bytes) -> None:
        with PDFIUM_LOCK:
            try:
                self._document = pdfium.PdfDocument(data)
            except pdfium.PdfiumError:
                raise DocumentImportError(
                    "This PDF cannot be opened: it is damaged or protected by a password."
                ) from None
        self._reads: list[PageRead] = read_pages(self._document)
        self.text, self.pages = join_pages(page.text for page in self._reads)
        self._starts = [span.start for span in self.pages]
        self._maps: dict[int, PageText] = {}
        self._boxes: dict[int, _Boxes] = {}

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def geometry(self, page_index: int) -> PageGeometry:
        """The page's crop box and rotation, to map points to rendered pixels."""
        return self._reads[page_index].geometry

    def has_text(self, page_index: int) -> bool:
        """Whether the page has a text layer (scanned pages have none)."""
        return self._reads[page_index].has_text

    def page_of(self, offset: int) -> int | None:
        """Index of the page holding a canonical offset (None between pages)."""
        index = bisect.bisect_right(self._starts, offset) - 1
        if index < 0:
            return None
        span = self.pages[index]
        return index if span.start <= offset <= span.end else None

    def rects_for_span(self, start: int, end: int) -> list[Rect]:
        """Rectangles in PDF points covering canonical text [start, end), one per line run."""
        rects: list[Rect] = []
        for index, span in enumerate(self.pages):
            low, high = max(start, span.start), min(end, span.end)
            if low >= high:
                continue
            page, boxes = self._page_map(index), self._page_boxes(index)
            collected: list[Box] = []
            for offset in range(low - span.start, high - span.start):
                char = page.char_of[offset]
                if char == NO_CHAR or char >= len(boxes.boxes) or page.text[offset].isspace():
                    continue
                box = boxes.boxes[char]
                if _has_area(box):
                    part = offset - page.start_of[char]
                    collected.append(split_box(box, part, _letters_of(page, char)))
            rects.extend(merge_into_lines(index, collected))
        return rects

    def offset_at(
        self, page_index: int, x: float, y: float, tolerance: float = HIT_TOLERANCE
    ) -> int | None:
        """Canonical offset of the character at (or within `tolerance` of) a point."""
        found = self._nearest(page_index, x, y)
        if found is None or found[1] > tolerance:
            return None
        return found[0]

    def caret_at(self, page_index: int, x: float, y: float) -> int | None:
        """Canonical caret position nearest a point: before or after the nearest character.

        For drag selection: the span between the carets at press and at release is
        what the reviewer selected. None on a page without text.
        """
        found = self._nearest(page_index, x, y)
        if found is None:
            return None
        offset, _, box = found
        return offset + 1 if x > (box[0] + box[2]) / 2 else offset

    def render(self, page_index: int, scale: float) -> PageImage:
        """The page drawn at `scale` pixels per point, turned by its /Rotate."""
        with PDFIUM_LOCK:
            page = self._document[page_index]
            try:
                bitmap = page.render(scale=scale, prefer_bgrx=True)
                try:
                    data = bytes(bitmap.buffer)
                    image = PageImage(bitmap.width, bitmap.height, bitmap.stride, data)
                finally:
                    bitmap.close()
            finally:
                page.close()
        return image

    def close(self) -> None:
        with PDFIUM_LOCK:
            self._document.close()

    def __enter__(self) -> "PdfLayout":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _nearest(self, page_index: int, x: float, y: float) -> tuple[int, float, Box] | None:
        page, boxes = self._page_map(page_index), self._page_boxes(page_index)
        best: tuple[float, int] | None = None
        for char in boxes.visible:
            gap = distance(boxes.boxes[char], x, y)
            if best is None or gap < best[0]:
                best = (gap, char)
                if gap == 0.0:
                    break
        if best is None:
            return None
        gap, char = best
        begin, parts = page.start_of[char], _letters_of(page, char)
        box = boxes.boxes[char]
        part = 0
        if parts > 1:
            width = (box[2] - box[0]) / parts
            part = min(max(int((x - box[0]) // width), 0), parts - 1) if width > 0 else 0
            box = split_box(box, part, parts)
        return self.pages[page_index].start + begin + part, gap, box

    def _page_map(self, page_index: int) -> PageText:
        cached = self._maps.get(page_index)
        if cached is None:
            cached = self._reads[page_index].offset_map()
            self._maps[page_index] = cached
        return cached

    def _page_boxes(self, page_index: int) -> _Boxes:
        cached = self._boxes.get(page_index)
        if cached is None:
            boxes = _read_boxes(self._document, page_index)
            cached = _Boxes(boxes, self._page_map(page_index))
            self._boxes[page_index] = cached
        return cached


def _letters_of(page: PageText, char: int) -> int:
    """How many code points of canonical text one PDFium character became (1 but for ligatures)."""
    begin, end = page.start_of[char], page.start_of[char + 1]
    while end > begin and page.char_of[end - 1] != char:
        end -= 1  # a line break inserted after a hyphen belongs to no character
    return max(end - begin, 1)


def _read_boxes(document: pdfium.PdfDocument, page_index: int) -> list[Box]:
    with PDFIUM_LOCK:
        try:
            page = document[page_index]
        except pdfium.PdfiumError:
            return []
        try:
            textpage = page.get_textpage()
            raw, rect = textpage.raw, pdfium_c.FS_RECTF()
            loose = pdfium_c.FPDFText_GetLooseCharBox
            boxes: list[Box] = []
            for char in range(max(pdfium_c.FPDFText_CountChars(raw), 0)):
                if loose(raw, char, rect):
                    boxes.append((rect.left, rect.bottom, rect.right, rect.top))
                else:
                    boxes.append((0.0, 0.0, 0.0, 0.0))
            textpage.close()
        finally:
            page.close()
    return boxes


_cache: OrderedDict[str, PdfLayout] = OrderedDict()
_cache_lock = threading.Lock()


def layout_for(data: bytes, sha256: str | None = None) -> PdfLayout:
    """The layout of a PDF, built once and kept for the last few documents used.

    `sha256` is the document's content hash if known (saves hashing the bytes).
    Layouts dropped from the cache are closed when no longer referenced.
    """
    key = sha256 or hashlib.sha256(data).hexdigest()
    with _cache_lock:
        layout = _cache.get(key)
        if layout is None:
            layout = PdfLayout(data)
            _cache[key] = layout
            while len(_cache) > _CACHE_SIZE:
                _cache.popitem(last=False)
        _cache.move_to_end(key)
    return layout


def clear_layout_cache() -> None:
    """Forget and close every cached layout (for example when a project is closed)."""
    with _cache_lock:
        layouts = list(_cache.values())
        _cache.clear()
    for layout in layouts:
        layout.close()


# Close cached documents before pypdfium2's own exit handler runs (handlers run in
# reverse order of registration): closing them from there crashes the interpreter.
atexit.register(clear_layout_cache)


__all__ = [
    "HIT_TOLERANCE",
    "PageGeometry",
    "PageImage",
    "PageSpan",
    "PdfLayout",
    "clear_layout_cache",
    "layout_for",
]
