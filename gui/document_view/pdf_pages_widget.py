"""The PDF pages a reviewer works on: select text, drag it, mark areas, click evidence.

Points on a page become canonical offsets through the document's PdfLayout (PDFium's
own hit-testing), so the selected characters are the ones core stores.
"""

import json
import re

from PySide6.QtCore import QEvent, QMimeData, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QCursor,
    QDrag,
    QHelpEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
)
from PySide6.QtWidgets import QApplication, QMenu, QToolTip, QWidget

from core.documents.pdf_layout import PdfLayout
from core.domain.anchor import Rect
from gui.document_view.highlights import Highlight
from gui.document_view.pdf_canvas import FIT_PAGE, FIT_WIDTH, PagePoint, PdfCanvas
from gui.document_view.pdf_overlay import PageMap, on_page
from gui.document_view.pdf_pages import PageRenderer
from gui.document_view.text_view import PASSAGE_MIME

MIN_AREA = 4  # pixels: a smaller rectangle is a click, not an area
_WORD = re.compile(r"\w+", re.UNICODE)
SELECT, AREA, DRAG = "select", "area", "drag"


class PdfPagesWidget(PdfCanvas):
    """Pages with selection following characters, areas, highlights and a context menu."""

    selection_changed = Signal()
    highlight_clicked = Signal(str)  # field path
    region_drawn = Signal(int, object)  # page index, Rect in PDF points
    fill_requested = Signal()
    send_to_field_requested = Signal()
    mark_region_toggled = Signal(bool)

    def __init__(
        self,
        renderer: PageRenderer,
        pages: PageMap,
        text: str,
        document_id: int | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(renderer, pages, parent)
        self.text = text
        self.document_id = document_id
        self.mark_region = False
        self._mode: str | None = None
        self._press = QPointF()
        self._last = QPointF()
        self._moved = False
        self._anchor: int | None = None
        self._band_from: PagePoint | None = None
        self._autoscroll = QTimer(self)
        self._autoscroll.setInterval(40)
        self._autoscroll.timeout.connect(self._on_autoscroll_timeout)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().setMouseTracking(True)

    @property
    def layout_ready(self) -> bool:
        return self.spans.layout is not None

    def set_layout(self, layout: PdfLayout | None) -> None:
        self.spans.set_layout(layout)
        self.viewport().update()

    # -- selection ---------------------------------------------------------------------
    def set_selection(self, span: tuple[int, int] | None) -> None:
        if span is not None and span[1] <= span[0]:
            span = None
        if span != self.selection:
            self.selection = span
            self.viewport().update()
            self.selection_changed.emit()

    def selected_text(self) -> str:
        return self.text[self.selection[0] : self.selection[1]] if self.selection else ""

    def mime_data(self) -> QMimeData:
        data = QMimeData()
        data.setText(self.selected_text())
        if self.selection is not None and self.document_id is not None:
            start, end = self.selection
            payload = {"document_id": self.document_id, "start": start, "end": end}
            data.setData(PASSAGE_MIME, json.dumps(payload).encode())
        return data

    def copy(self) -> None:
        if self.selection is not None:
            QApplication.clipboard().setMimeData(self.mime_data())

    def _caret(self, point: PagePoint) -> int | None:
        layout = self.spans.layout
        if layout is None or not self.pages.has_text[point.page]:
            return None
        return layout.caret_at(point.page, *self.to_points(point))

    def _in_selection(self, point: PagePoint) -> bool:
        if self.selection is None:
            return False
        return self._rect_at(self.spans.rects(*self.selection), point) is not None

    def _rect_at(
        self, rects: tuple[Rect, ...], point: PagePoint, slack: float = 1.0
    ) -> Rect | None:
        x, y = self.to_points(point)
        for r in on_page(rects, point.page):
            if r.left - slack <= x <= r.right + slack and r.bottom - slack <= y <= r.top + slack:
                return r
        return None

    def highlight_at_point(self, point: PagePoint) -> Highlight | None:
        hits = [
            h
            for h in self.highlights_on(point.page)
            if self._rect_at(self.highlight_rects(h), point) is not None
        ]
        return min(hits, key=lambda h: h.end - h.start) if hits else None

    def _select_word(self, point: PagePoint) -> None:
        layout = self.spans.layout
        if layout is None or not self.pages.has_text[point.page]:
            return
        offset = layout.offset_at(point.page, *self.to_points(point))
        if offset is None:
            return
        for match in _WORD.finditer(self.text, max(offset - 200, 0), offset + 200):
            if match.start() <= offset < match.end():
                self.set_selection((match.start(), match.end()))
                return
        self.set_selection((offset, offset + 1))

    # -- mouse -------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        position = event.position()
        self._press = self._last = position
        self._moved = False
        point = self.point_at(position)
        self._mode = None
        if point is None:
            self.set_selection(None)
            return
        shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        if self.mark_region or shift or not self.pages.has_text[point.page]:
            self._mode = AREA
            self._band_from = point
            self.band = (point.page, QRectF(point.x, point.y, 0, 0))
        elif self._in_selection(point):
            self._mode = DRAG
        else:
            self._mode = SELECT
            self._anchor = self._caret(point)
            self.set_selection(None)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        position = event.position()
        self._last = position
        if self._mode is None:
            self._update_cursor(position, event.modifiers())
            return
        travelled = (position - self._press).manhattanLength()
        if not self._moved and travelled < QApplication.startDragDistance():
            return
        self._moved = True
        if self._mode == DRAG:
            self._mode = None
            drag = QDrag(self)
            drag.setMimeData(self.mime_data())
            drag.exec(Qt.DropAction.CopyAction)
            return
        self._extend(position)
        outside = position.y() < 0 or position.y() > self.viewport().height()
        if outside and not self._autoscroll.isActive():
            self._autoscroll.start()

    def _extend(self, position: QPointF) -> None:
        if self._mode == AREA and self._band_from is not None:
            start = self._band_from
            rect = self.page_rect(start.page)
            x = min(max(position.x(), rect.left()), rect.right()) - rect.left()
            y = min(max(position.y(), rect.top()), rect.bottom()) - rect.top()
            self.band = (start.page, QRectF(QPointF(start.x, start.y), QPointF(x, y)).normalized())
            self.viewport().update()
        elif self._mode == SELECT and self._anchor is not None:
            point = self.point_at(position, clamp=True)
            caret = self._caret(point) if point is not None else None
            if caret is not None:
                self.set_selection((min(self._anchor, caret), max(self._anchor, caret)))

    def _on_autoscroll_timeout(self) -> None:
        y, height = self._last.y(), self.viewport().height()
        if self._mode not in (SELECT, AREA) or 0 <= y <= height:
            self._autoscroll.stop()
            return
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + round((y if y < 0 else y - height) / 2))
        self._extend(self._last)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mouseReleaseEvent(event)
            return
        self._autoscroll.stop()
        mode, self._mode = self._mode, None
        if mode == AREA:
            self._finish_area()
            return
        if mode in (SELECT, DRAG) and not self._moved:
            self.set_selection(None)
            point = self.point_at(event.position())
            hit = self.highlight_at_point(point) if point is not None else None
            if hit is not None:
                self.highlight_clicked.emit(hit.path)

    def _finish_area(self) -> None:
        band, self.band = self.band, None
        self.viewport().update()
        if band is None:
            return
        page, area = band
        if area.width() < MIN_AREA or area.height() < MIN_AREA:
            point = PagePoint(page, area.left(), area.top())
            hit = self.highlight_at_point(point)
            if hit is not None:
                self.highlight_clicked.emit(hit.path)
            return
        geometry = self.renderer.geometry(page)
        x1, y1 = geometry.to_page(area.left(), area.top(), self.scale)
        x2, y2 = geometry.to_page(area.right(), area.bottom(), self.scale)
        rect = Rect(
            page_index=page,
            left=min(x1, x2),
            bottom=min(y1, y2),
            right=max(x1, x2),
            top=max(y1, y2),
        )
        self.region_drawn.emit(page, rect)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        point = self.point_at(event.position())
        if (
            event.button() == Qt.MouseButton.LeftButton
            and point is not None
            and not self.mark_region
        ):
            self._select_word(point)
            self._mode = None
            return
        super().mouseDoubleClickEvent(event)

    def _update_cursor(self, position: QPointF, modifiers: Qt.KeyboardModifier) -> None:
        point = self.point_at(position)
        shape = Qt.CursorShape.ArrowCursor
        if point is not None:
            area = self.mark_region or bool(modifiers & Qt.KeyboardModifier.ShiftModifier)
            if area or not self.pages.has_text[point.page]:
                shape = Qt.CursorShape.CrossCursor
            elif self.highlight_at_point(point) is not None:
                shape = Qt.CursorShape.PointingHandCursor
            elif self.layout_ready:
                shape = Qt.CursorShape.IBeamCursor
        self.viewport().setCursor(QCursor(shape))

    def set_mark_region(self, on: bool) -> None:
        if on != self.mark_region:
            self.mark_region = on
            self.mark_region_toggled.emit(on)
        self._update_cursor(
            self.viewport().mapFromGlobal(QCursor.pos()).toPointF(), Qt.KeyboardModifier(0)
        )

    # -- keys, menu and tooltips ---------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy()
        elif event.key() == Qt.Key.Key_Escape and (self.selection or self.mark_region):
            self.set_selection(None)
            self.set_mark_region(False)
        elif event.key() == Qt.Key.Key_Home:
            self.verticalScrollBar().setValue(0)
        elif event.key() == Qt.Key.Key_End:
            self.verticalScrollBar().setValue(self.verticalScrollBar().maximum())
        else:
            super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = QMenu(self)
        has = self.selection is not None
        copy = menu.addAction("Copy")
        copy.setShortcut(QKeySequence(QKeySequence.StandardKey.Copy))
        copy.setEnabled(has)
        copy.triggered.connect(self.copy)
        if has:
            fill = menu.addAction("Fill current field (Ctrl+E)")
            send = menu.addAction("Send to field…")
            fill.triggered.connect(self.fill_requested)
            send.triggered.connect(self.send_to_field_requested)
        menu.addSeparator()
        area = menu.addAction("Mark an area as evidence")
        area.setCheckable(True)
        area.setChecked(self.mark_region)
        area.toggled.connect(self.set_mark_region)
        menu.addSeparator()
        width = menu.addAction("Fit width")
        page = menu.addAction("Fit page")
        width.triggered.connect(lambda: self.set_zoom(FIT_WIDTH))
        page.triggered.connect(lambda: self.set_zoom(FIT_PAGE))
        menu.exec(event.globalPos())
        menu.deleteLater()

    def viewportEvent(self, event: QEvent) -> bool:
        if isinstance(event, QHelpEvent) and event.type() == QEvent.Type.ToolTip:
            point = self.point_at(QPointF(event.pos()))
            hit = self.highlight_at_point(point) if point is not None else None
            if hit is not None:
                QToolTip.showText(event.globalPos(), hit.label, self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)
