"""What is drawn over PDF pages: spans of canonical text as rectangles, and their looks."""

import bisect
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from core.documents.pdf_geometry import PageGeometry
from core.documents.pdf_layout import PdfLayout
from core.domain import PageSpan
from core.domain.anchor import Rect

SELECTION_COLOUR = QColor(51, 115, 230, 90)
NOTICE_TEXT = "This page has no text layer: draw a rectangle to mark evidence, then type the value"


class PageMap:
    """Which pages a span of canonical text lies on, and which pages have text."""

    def __init__(self, text: str, pages: Sequence[PageSpan]) -> None:
        self.spans = list(pages)
        self._starts = [span.start for span in self.spans]
        self.has_text = [bool(text[s.start : s.end].strip()) for s in self.spans]

    def page_of(self, offset: int) -> int:
        """The page holding `offset`, or the page before the separator it falls in."""
        return max(bisect.bisect_right(self._starts, offset) - 1, 0)

    def pages_of(self, start: int, end: int) -> range:
        last = self.page_of(max(start, end - 1))
        return range(self.page_of(start), last + 1)


class SpanRects:
    """Rectangles in PDF points for spans: stored ones when given, else from the layout.

    Remembered per span, since the layout walks every character of a span.
    """

    def __init__(self) -> None:
        self.layout: PdfLayout | None = None
        self._cache: dict[tuple[int, int], tuple[Rect, ...]] = {}

    def set_layout(self, layout: PdfLayout | None) -> None:
        self.layout = layout
        self._cache.clear()

    def rects(self, start: int, end: int, stored: tuple[Rect, ...] = ()) -> tuple[Rect, ...]:
        if stored:
            return stored
        key = (start, end)
        found = self._cache.get(key)
        if found is None:
            if self.layout is None or end <= start:
                return ()
            found = tuple(self.layout.rects_for_span(start, end))
            if len(self._cache) > 4096:
                self._cache.clear()
            self._cache[key] = found
        return found


def on_page(rects: Iterable[Rect], page: int) -> list[Rect]:
    return [r for r in rects if r.page_index == page]


def to_view(
    geometry: PageGeometry, rect: Rect, scale: float, origin: tuple[float, float]
) -> QRectF:
    """A rectangle in PDF points -> viewport pixels of a page drawn at `origin`."""
    x, y, width, height = geometry.rect_to_image(rect, scale)
    return QRectF(origin[0] + x, origin[1] + y, width, height)


def fill_marker(painter: QPainter, area: QRectF, colour: QColor) -> None:
    """A highlighter stroke: multiplied, so the print under it stays dark."""
    painter.save()
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Multiply)
    painter.fillRect(area.adjusted(-1, -1, 1, 1), colour)
    painter.restore()


def outline(painter: QPainter, area: QRectF, colour: QColor, width: float = 2.0) -> None:
    painter.save()
    pen = QPen(colour, width)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(area.adjusted(-1, -1, 1, 1))
    painter.restore()


def draw_notice(painter: QPainter, page: QRectF) -> None:
    """The banner on a page without text, saying how to mark evidence there."""
    painter.save()
    margin = 10.0
    font = painter.font()
    painter.setFont(font)
    flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
    inner = QRectF(page.left() + margin + 10, page.top() + margin + 6, page.width() - 40, 1000)
    needed = painter.boundingRect(inner, flags, NOTICE_TEXT)
    box = QRectF(page.left() + margin, page.top() + margin, page.width() - 2 * margin, 0)
    box.setHeight(needed.height() + 14)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor("#d9a400"), 1))
    painter.setBrush(QColor(255, 244, 206, 235))
    painter.drawRoundedRect(box, 4, 4)
    painter.setPen(QColor("#4d3800"))
    painter.drawText(box.adjusted(10, 7, -10, -7), flags, NOTICE_TEXT)
    painter.restore()


def draw_band(painter: QPainter, area: QRectF) -> None:
    """The rectangle being drawn to mark an area."""
    painter.save()
    painter.fillRect(area, QColor(51, 115, 230, 40))
    pen = QPen(QColor(51, 115, 230), 1.5, Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.drawRect(area)
    painter.restore()
