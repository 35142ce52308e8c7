"""The scrolling strip of PDF pages: layout by zoom, painting, and where the mouse is.

Pages are laid out one under the other from their sizes alone; only pages in or
next to the viewport are asked of the renderer. Interaction (selection, areas,
clicks) lives in `PdfPagesWidget`, a subclass, to keep this module about pages.
"""

import bisect
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

from core.domain.anchor import Rect
from gui.document_view.highlights import (
    FLASH_COLOUR,
    SEARCH_COLOUR,
    SEARCH_CURRENT_COLOUR,
    Highlight,
)
from gui.document_view.pdf_overlay import (
    SELECTION_COLOUR,
    PageMap,
    SpanRects,
    draw_band,
    draw_notice,
    fill_marker,
    on_page,
    outline,
    to_view,
)
from gui.document_view.pdf_pages import PageRenderer

GAP = 10  # pixels between pages
MARGIN = 14  # pixels around the strip
BACKGROUND = QColor("#cfd3d8")
ZOOM_LEVELS = (0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0)
MIN_SCALE, MAX_SCALE = 0.1, 8.0
FIT_WIDTH, FIT_PAGE, FIXED = "width", "page", "fixed"
PREFETCH_DELAY_MS = 40


@dataclass(frozen=True)
class PagePoint:
    """A point on a page: page index, pixels from the page's top-left corner."""

    page: int
    x: float
    y: float


def fit_scale(renderer: PageRenderer, mode: str, width: int, height: int) -> float:
    """Pixels per point that fit the widest page (FIT_WIDTH), and with FIT_PAGE also the
    tallest, into a viewport of this size."""
    page_width, page_height = renderer.largest
    scale = max(width - 2 * MARGIN, 50) / max(page_width, 1.0)
    if mode == FIT_PAGE:
        scale = min(scale, max(height - 2 * MARGIN, 50) / max(page_height, 1.0))
    return min(max(scale, MIN_SCALE), MAX_SCALE)


# The viewport size of the PDF view resized last (see `render_ahead`).
_last_viewport: list[tuple[int, int] | None] = [None]


def render_ahead(renderer: PageRenderer, pixel_ratio: float) -> None:
    """Ask for the first page before a new view is built, at the scale it will most
    likely fit: documents open in the same pane, so the last view's size is a good
    guess. Right, the page renders while the view is built and shown; wrong, the view
    asks again at its real scale once shown (one page rendered for nothing). The first
    document of a session has nothing to go by and renders once its view is shown."""
    if _last_viewport[0] is not None and renderer.page_count:
        scale = fit_scale(renderer, FIT_WIDTH, *_last_viewport[0])
        renderer.request([0], scale * pixel_ratio)


class PdfCanvas(QAbstractScrollArea):
    """Lays out and paints the pages; subclasses add the interaction."""

    current_page_changed = Signal(int)
    zoom_changed = Signal()
    page_painted = Signal(int)  # a page was painted from a rendered image at the current zoom

    def __init__(self, renderer: PageRenderer, pages: PageMap, parent: QWidget | None = None):
        super().__init__(parent)
        self.renderer = renderer
        self.pages = pages
        self.spans = SpanRects()
        self.mode = FIT_WIDTH
        self.scale = 1.0  # logical pixels per PDF point
        self._tops: list[int] = []
        self._sizes: list[tuple[int, int]] = []
        self._content_width = 0
        self._current = -1
        self.highlights: list[Highlight] = []
        self._by_page: dict[int, list[Highlight]] = {}
        self.search_hits: list[tuple[int, int]] = []
        self.search_index = -1
        self.selection: tuple[int, int] | None = None
        self.flash: tuple[Rect, ...] = ()
        self.band: tuple[int, QRectF] | None = None  # page, area in page pixels
        self._request_timer = QTimer(self)
        self._request_timer.setSingleShot(True)
        self._request_timer.timeout.connect(self._on_request_timer_timeout)
        self._flash_timer = QTimer(self)
        self._flash_timer.setSingleShot(True)
        self._flash_timer.timeout.connect(self._on_flash_timer_timeout)
        self.setFrameShape(QAbstractScrollArea.Shape.NoFrame)
        self.viewport().setAutoFillBackground(False)
        self.verticalScrollBar().setSingleStep(40)
        self.horizontalScrollBar().setSingleStep(40)
        renderer.rendered.connect(self._on_renderer_rendered)
        renderer.sizes_changed.connect(self._on_renderer_sizes_changed)
        self._relayout()

    # -- zoom and layout ---------------------------------------------------------
    @property
    def unit_scale(self) -> float:
        """Pixels per point at 100 % (a point is 1/72 inch)."""
        return self.logicalDpiX() / 72.0

    @property
    def zoom_percent(self) -> float:
        return self.scale / self.unit_scale * 100.0

    def set_zoom(self, mode: str, scale: float | None = None) -> None:
        """FIT_WIDTH, FIT_PAGE, or FIXED at `scale` (pixels per point); keeps the view's place."""
        keep = self._place()
        self.mode = mode
        if mode == FIXED and scale is not None:
            self.scale = min(max(scale, MIN_SCALE), MAX_SCALE)
        self._relayout()
        self._restore(keep)
        self.zoom_changed.emit()

    def zoom_step(self, steps: int) -> None:
        """Zoom in (positive) or out through ZOOM_LEVELS."""
        factor = self.scale / self.unit_scale
        if steps > 0:
            larger = [z for z in ZOOM_LEVELS if z > factor * 1.01]
            target = larger[min(steps, len(larger)) - 1] if larger else ZOOM_LEVELS[-1]
        else:
            smaller = [z for z in ZOOM_LEVELS if z < factor * 0.99]
            target = smaller[-min(-steps, len(smaller))] if smaller else ZOOM_LEVELS[0]
        self.set_zoom(FIXED, target * self.unit_scale)

    def _fit_scale(self) -> float:
        if not self.renderer.sizes:
            return self.unit_scale
        viewport = self.viewport()
        return fit_scale(self.renderer, self.mode, viewport.width(), viewport.height())

    def _relayout(self) -> None:
        if self.mode != FIXED:
            scale = self._fit_scale()
            changed, self.scale = scale != self.scale, scale
            if changed:
                self.zoom_changed.emit()
        self._sizes = [
            (round(w * self.scale), round(h * self.scale)) for w, h in self.renderer.sizes
        ]
        self._tops = []
        y = MARGIN
        for _, height in self._sizes:
            self._tops.append(y)
            y += height + GAP
        total = y - GAP + MARGIN if self._sizes else 0
        self._content_width = round(self.renderer.largest[0] * self.scale) + 2 * MARGIN
        view = self.viewport().size()
        vertical, horizontal = self.verticalScrollBar(), self.horizontalScrollBar()
        vertical.setRange(0, max(total - view.height(), 0))
        vertical.setPageStep(view.height())
        horizontal.setRange(0, max(self._content_width - view.width(), 0))
        horizontal.setPageStep(view.width())
        self._after_scroll()

    def _place(self) -> tuple[int, float, float]:
        """Page at the viewport's centre and where in it, as fractions of its size."""
        if not self._sizes:
            return 0, 0.0, 0.0
        centre_y = self.verticalScrollBar().value() + self.viewport().height() / 2
        page = self.page_at_y(centre_y)
        width, height = self._sizes[page]
        left = self.page_left(page)
        x = self.horizontalScrollBar().value() + self.viewport().width() / 2
        return page, (centre_y - self._tops[page]) / max(height, 1), (x - left) / max(width, 1)

    def _restore(self, place: tuple[int, float, float]) -> None:
        page, fy, fx = place
        if not self._sizes:
            return
        width, height = self._sizes[page]
        y = self._tops[page] + fy * height - self.viewport().height() / 2
        x = self.page_left(page) + fx * width - self.viewport().width() / 2
        self.verticalScrollBar().setValue(round(y))
        self.horizontalScrollBar().setValue(round(x))

    # -- where things are -----------------------------------------------------------
    def page_left(self, page: int) -> int:
        width = max(self._content_width, self.viewport().width())
        return (width - self._sizes[page][0]) // 2

    def page_rect(self, page: int) -> QRectF:
        """The page in viewport pixels."""
        x = self.page_left(page) - self.horizontalScrollBar().value()
        y = self._tops[page] - self.verticalScrollBar().value()
        width, height = self._sizes[page]
        return QRectF(x, y, width, height)

    def page_at_y(self, y: float) -> int:
        """The page at content height `y` (the next one in a gap), clamped to the document."""
        index = bisect.bisect_right(self._tops, y) - 1
        index = min(max(index, 0), len(self._tops) - 1)
        if y > self._tops[index] + self._sizes[index][1] and index + 1 < len(self._tops):
            index += 1
        return index

    def point_at(self, position: QPointF, clamp: bool = False) -> PagePoint | None:
        """The page under a viewport position; with `clamp`, the nearest page's edge."""
        if not self._sizes:
            return None
        content_y = position.y() + self.verticalScrollBar().value()
        page = self.page_at_y(content_y)
        if clamp and content_y < self._tops[page] and page > 0:
            before = self._tops[page - 1] + self._sizes[page - 1][1]
            if content_y - before < self._tops[page] - content_y:
                page -= 1
        rect = self.page_rect(page)
        if not clamp and not rect.contains(position):
            return None
        x = min(max(position.x(), rect.left()), rect.right()) - rect.left()
        y = min(max(position.y(), rect.top()), rect.bottom()) - rect.top()
        return PagePoint(page, x, y)

    def to_points(self, point: PagePoint) -> tuple[float, float]:
        """A point on a page in PDF points."""
        return self.renderer.geometry(point.page).to_page(point.x, point.y, self.scale)

    def visible_pages(self) -> range:
        if not self._sizes:
            return range(0)
        top = self.verticalScrollBar().value()
        bottom = top + self.viewport().height()
        first = self.page_at_y(top)
        last = max(bisect.bisect_right(self._tops, bottom) - 1, first)
        return range(first, last + 1)

    def current_page(self) -> int:
        return max(self._current, 0)

    def go_to_page(self, page: int) -> None:
        if 0 <= page < len(self._tops):
            self.verticalScrollBar().setValue(self._tops[page] - MARGIN)

    def reveal(self, page: int, rect: QRectF | None = None) -> None:
        """Scroll so that `rect` (page pixels) of `page` is in view, centred vertically."""
        if not 0 <= page < len(self._tops):
            return
        if rect is None:
            self.go_to_page(page)
            return
        top = self._tops[page] + rect.center().y() - self.viewport().height() / 2
        self.verticalScrollBar().setValue(round(top))
        left = self.page_left(page) + rect.left()
        horizontal = self.horizontalScrollBar()
        if (
            left < horizontal.value()
            or left + rect.width() > horizontal.value() + self.viewport().width()
        ):
            horizontal.setValue(round(left - MARGIN))

    # -- overlays ---------------------------------------------------------------------
    def set_highlights(self, highlights: list[Highlight]) -> None:
        self.highlights = sorted(highlights, key=lambda h: (h.start, h.end))
        self._by_page = {}
        for highlight in self.highlights:
            pages = {r.page_index for r in highlight.rects} or set(
                self.pages.pages_of(highlight.start, highlight.end)
            )
            for page in pages:
                self._by_page.setdefault(page, []).append(highlight)
        self.viewport().update()

    def highlights_on(self, page: int) -> list[Highlight]:
        return self._by_page.get(page, [])

    def highlight_rects(self, highlight: Highlight) -> tuple[Rect, ...]:
        return self.spans.rects(highlight.start, highlight.end, highlight.rects)

    def flash_rects(self, rects: tuple[Rect, ...], duration_ms: int = 1200) -> None:
        self.flash = rects
        self._flash_timer.start(duration_ms)
        self.viewport().update()

    def _on_flash_timer_timeout(self) -> None:
        self.flash = ()
        self.viewport().update()

    def _search_on(self, page: int) -> list[tuple[int, tuple[int, int]]]:
        span = self.pages.spans[page]
        low = bisect.bisect_left(self.search_hits, (span.start, -1))
        high = bisect.bisect_right(self.search_hits, (span.end, span.end))
        return [(i, self.search_hits[i]) for i in range(low, high)]

    # -- painting -----------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        painter.fillRect(event.rect(), BACKGROUND)
        ratio = self.devicePixelRatioF()
        painted: list[int] = []
        for page in self.visible_pages():
            rect = self.page_rect(page)
            # A shadow 1 px right and 2 px down: only its two edges show beside the page,
            # and blending a whole page of it cost a millisecond per page per paint.
            shadow = QColor(0, 0, 0, 45)
            painter.fillRect(QRectF(rect.right(), rect.top() + 2, 1, rect.height()), shadow)
            painter.fillRect(QRectF(rect.left() + 1, rect.bottom(), rect.width() - 1, 2), shadow)
            image = self.renderer.image(page, self.scale * ratio)
            if image is not None:
                if image.devicePixelRatio() != ratio:
                    image.setDevicePixelRatio(ratio)
                painter.drawImage(rect.topLeft().toPoint(), image)
                painted.append(page)
            else:
                painter.fillRect(rect, Qt.GlobalColor.white)
                stale = self.renderer.any_image(page)
                if stale is not None:
                    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
                    painter.drawImage(rect, stale, QRectF(stale.rect()))
                else:
                    painter.setPen(QColor("#9aa0a6"))
                    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, f"Page {page + 1}")
            self._paint_overlays(painter, page, rect)
            painter.setPen(QPen(QColor(0, 0, 0, 60), 1))
            painter.drawRect(rect.adjusted(-0.5, -0.5, 0.5, 0.5))
        painter.end()
        for page in painted:
            self.page_painted.emit(page)

    def _paint_overlays(self, painter: QPainter, page: int, rect: QRectF) -> None:
        geometry = self.renderer.known_geometry(page)
        if not self.pages.has_text[page]:
            draw_notice(painter, rect)
        if geometry is not None:
            origin = (rect.left(), rect.top())
            for highlight in self.highlights_on(page):
                colour = highlight.qcolor()
                region = highlight.start == highlight.end
                for r in on_page(self.highlight_rects(highlight), page):
                    area = to_view(geometry, r, self.scale, origin)
                    fill_marker(painter, area, colour)
                    if region:
                        outline(painter, area, colour.darker(160))
            for index, (start, end) in self._search_on(page):
                current = index == self.search_index
                colour = QColor(SEARCH_CURRENT_COLOUR if current else SEARCH_COLOUR)
                for r in on_page(self.spans.rects(start, end), page):
                    area = to_view(geometry, r, self.scale, origin)
                    fill_marker(painter, area, colour)
                    if current:
                        outline(painter, area, QColor("#c77700"), 1.5)
            if self.selection is not None and page in self.pages.pages_of(*self.selection):
                for r in on_page(self.spans.rects(*self.selection), page):
                    painter.fillRect(to_view(geometry, r, self.scale, origin), SELECTION_COLOUR)
            for r in on_page(self.flash, page):
                area = to_view(geometry, r, self.scale, origin).adjusted(-3, -3, 3, 3)
                flash = QColor(FLASH_COLOUR)
                outline(painter, area, flash, 3.0)
                flash.setAlpha(60)
                painter.fillRect(area, flash)
        if self.band is not None and self.band[0] == page:
            draw_band(painter, self.band[1].translated(rect.topLeft()))

    # -- scrolling and rendering ----------------------------------------------------
    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self._after_scroll()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        viewport = self.viewport().size()
        if self.isVisible() and viewport.width() >= 100 and viewport.height() >= 100:
            _last_viewport[0] = (viewport.width(), viewport.height())
        old = event.oldSize()
        # Before the first real size the pages were laid out for nothing: start at the top.
        keep = self._place() if old.width() >= 100 and old.height() >= 100 else None
        self._relayout()
        if keep is not None and self.mode != FIXED:
            self._restore(keep)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            delta = event.angleDelta().y()
            if delta:
                self.zoom_step(1 if delta > 0 else -1)
            event.accept()
            return
        super().wheelEvent(event)

    def _after_scroll(self) -> None:
        self.viewport().update()
        self._request_timer.start(0)
        page = self.page_at_y(self.verticalScrollBar().value() + self.viewport().height() / 3)
        if self._sizes and page != self._current:
            self._current = page
            self.current_page_changed.emit(page)

    def _on_request_timer_timeout(self) -> None:
        if not self.isVisible():
            return
        visible = list(self.visible_pages())
        if not visible:
            return
        scale = self.scale * self.devicePixelRatioF()
        middle = (visible[0] + visible[-1]) / 2
        wanted = [
            p
            for p in sorted(visible, key=lambda p: abs(p - middle))
            if self.renderer.image(p, scale) is None
        ]
        if not wanted:  # the pages in view first, then one either side
            nearby = (visible[-1] + 1, visible[0] - 1)
            wanted = [p for p in nearby if 0 <= p < len(self._sizes)]
        self.renderer.request(wanted, scale)

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        # Sized by now: ask for the first pages at once, while the window finishes showing.
        self._on_request_timer_timeout()

    def _on_renderer_sizes_changed(self) -> None:
        keep = self._place() if self.verticalScrollBar().value() else None
        self._relayout()
        if keep is not None:
            self._restore(keep)

    def _on_renderer_rendered(self, page: int) -> None:
        if page in self.visible_pages():
            self.viewport().update()
            if not self._request_timer.isActive():
                # the next wish (often a page either side) waits until this one is shown
                self._request_timer.start(PREFETCH_DELAY_MS)
