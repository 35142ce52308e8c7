"""Rendering PDF pages off the GUI thread, newest wishes first, into a bounded cache.

One worker per document drains a queue that the view replaces whenever it scrolls
or zooms, so pages scrolled past before their turn are never rendered. PDFium is
not thread-safe: every call into it holds PDFIUM_LOCK.
"""

import ctypes
import math
import threading
from collections import OrderedDict

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtGui import QImage

from core.documents.pdf_engine import PDFIUM_LOCK
from core.documents.pdf_geometry import PageGeometry
from core.errors import DocumentImportError

CACHE_BYTES = 256 * 1024 * 1024  # rendered pixels kept, over every zoom level
_FLAGS = pdfium_c.FPDF_ANNOT  # as pypdfium2 renders by default: with annotations


class _Signals(QObject):
    rendered = Signal(int, float, object, object)  # page, scale, QImage | None, geometry


class _Queue:
    """The pages still wanted at a scale, in order; shared with the worker thread."""

    def __init__(self, document: pdfium.PdfDocument, signals: _Signals) -> None:
        self.document = document
        self.signals = signals
        self.lock = threading.Lock()
        self.wanted: list[tuple[int, float]] = []
        self.in_flight: set[tuple[int, float]] = set()  # taken, not yet back on the GUI thread
        self.running = False
        self.closed = False

    def close(self) -> None:
        """Stop rendering and release the document (waits for a render under way)."""
        with self.lock:
            self.wanted = []
        with PDFIUM_LOCK:
            if not self.closed:
                self.closed = True
                self.document.close()

    def take(self) -> tuple[int, float] | None:
        with self.lock:
            if self.closed or not self.wanted:
                self.running = False
                return None
            wish = self.wanted.pop(0)
            self.in_flight.add(wish)
            return wish

    def render(self, index: int, scale: float) -> tuple[QImage | None, PageGeometry | None]:
        with PDFIUM_LOCK:
            if self.closed:
                return None, None
            try:
                page = self.document[index]
            except pdfium.PdfiumError:
                return None, None
            try:
                geometry = _geometry(page)
                image = _render(page, scale)
            except pdfium.PdfiumError:
                return None, None
            finally:
                page.close()
        return image, geometry


class _RenderJob(QRunnable):
    def __init__(self, queue: _Queue) -> None:
        super().__init__()
        self.queue = queue

    def run(self) -> None:
        while (wish := self.queue.take()) is not None:
            image, geometry = self.queue.render(*wish)
            self.queue.signals.rendered.emit(wish[0], wish[1], image, geometry)


def _render(page: pdfium.PdfPage, scale: float) -> QImage:
    """Draw the page (turned by its /Rotate) straight into a new white QImage.

    PDFium writes B, G, R, x pixels into the QImage's own memory: no copy, and few
    calls back into Python, which matters while the GUI thread holds the GIL.
    """
    width = max(math.ceil(page.get_width() * scale), 1)
    height = max(math.ceil(page.get_height() * scale), 1)
    image = QImage(width, height, QImage.Format.Format_RGB32)
    pixels = memoryview(image.bits())
    buffer = (ctypes.c_ubyte * len(pixels)).from_buffer(pixels)
    bitmap = pdfium_c.FPDFBitmap_CreateEx(
        width, height, pdfium_c.FPDFBitmap_BGRx, buffer, image.bytesPerLine()
    )
    if not bitmap:
        raise pdfium.PdfiumError("PDFium could not make a bitmap for the page.")
    try:
        pdfium_c.FPDFBitmap_FillRect(bitmap, 0, 0, width, height, 0xFFFFFFFF)
        pdfium_c.FPDF_RenderPageBitmap(bitmap, page.raw, 0, 0, width, height, 0, _FLAGS)
    finally:
        pdfium_c.FPDFBitmap_Destroy(bitmap)
    del buffer, pixels
    return image


def _geometry(page: pdfium.PdfPage) -> PageGeometry:
    left, bottom, right, top = page.get_cropbox()
    return PageGeometry(left, bottom, right, top, page.get_rotation() % 360)


def _pool() -> QThreadPool:
    global _POOL
    if _POOL is None:
        _POOL = QThreadPool()
        _POOL.setMaxThreadCount(2)  # PDFium runs one call at a time anyway
    return _POOL


_POOL: QThreadPool | None = None


class PageRenderer(QObject):
    """Page sizes and, later, page images (through `rendered`) at the scale asked for.

    Only the first page's size is read at once: every other page is taken to be as
    large until `read_sizes` (off the GUI thread) or its own rendering says otherwise,
    so that a long document shows its first page without reading every page first.
    Scales are pixels per PDF point (device pixels: the caller multiplies by the
    screen's pixel ratio).
    """

    rendered = Signal(int)  # page index
    sizes_changed = Signal()

    def __init__(self, data: bytes, parent: QObject | None = None) -> None:
        super().__init__(parent)
        with PDFIUM_LOCK:
            try:
                self._document = pdfium.PdfDocument(data)
            except pdfium.PdfiumError:
                raise DocumentImportError("This PDF cannot be opened for display.") from None
            count = len(self._document)
            first = self._document.get_page_size(0) if count else (612.0, 792.0)
        self.sizes: list[tuple[float, float]] = [first] * count
        self.largest = first  # the widest and the tallest page's measures
        self._data = data  # PDFium reads from this buffer while the document is open
        self._signals = _Signals()
        self._signals.rendered.connect(self._on_signals_rendered)
        self._queue = _Queue(self._document, self._signals)
        queue = self._queue
        self.destroyed.connect(lambda: queue.close())
        self._cache: OrderedDict[tuple[int, float], QImage] = OrderedDict()
        self._cached_bytes = 0
        self._geometry: dict[int, PageGeometry] = {}
        self.render_count = 0
        self.rendered_pages: set[int] = set()

    @property
    def page_count(self) -> int:
        return len(self.sizes)

    # -- images ----------------------------------------------------------------
    def image(self, index: int, scale: float) -> QImage | None:
        """The page at exactly `scale`, if rendered."""
        key = (index, _key(scale))
        found = self._cache.get(key)
        if found is not None:
            self._cache.move_to_end(key)
        return found

    def any_image(self, index: int) -> QImage | None:
        """The page at any scale (to stretch while the right one is rendered)."""
        return next((p for (i, _), p in reversed(self._cache.items()) if i == index), None)

    def request(self, pages: list[int], scale: float) -> None:
        """Render these pages at `scale`, in this order; forget earlier wishes."""
        scale = _key(scale)
        with self._queue.lock:
            busy = self._queue.in_flight
            wanted = [(i, scale) for i in pages if (i, scale) not in self._cache]
            self._queue.wanted = wanted = [wish for wish in wanted if wish not in busy]
            start = bool(wanted) and not self._queue.running and not self._queue.closed
            if start:
                self._queue.running = True
        if start:
            _pool().start(_RenderJob(self._queue))

    def busy(self) -> bool:
        with self._queue.lock:
            return self._queue.running

    def _on_signals_rendered(
        self, index: int, scale: float, image: QImage | None, geometry: PageGeometry | None
    ) -> None:
        with self._queue.lock:
            self._queue.in_flight.discard((index, scale))
        if geometry is not None:
            self._geometry[index] = geometry
            self._set_size(index, geometry.image_size(1.0))
        if image is None or self._queue.closed:
            return
        # Kept as QImage: drawn as fast as a QPixmap on Qt's raster back ends, without a copy.
        self._cache[(index, scale)] = image
        self._cached_bytes += _size(image)
        while self._cached_bytes > CACHE_BYTES and len(self._cache) > 1:
            _, dropped = self._cache.popitem(last=False)
            self._cached_bytes -= _size(dropped)
        self.render_count += 1
        self.rendered_pages.add(index)
        self.rendered.emit(index)

    # -- sizes and geometry ----------------------------------------------------------
    def read_sizes(self) -> list[tuple[float, float]]:
        """Every page's size in points (for a worker thread: the lock is taken in turns)."""
        sizes: list[tuple[float, float]] = []
        count = len(self.sizes)
        for start in range(0, count, 64):
            with PDFIUM_LOCK:
                if self._queue.closed:
                    return []
                document = self._document
                sizes.extend(
                    document.get_page_size(i) for i in range(start, min(start + 64, count))
                )
        return sizes

    def set_sizes(self, sizes: list[tuple[float, float]]) -> None:
        if len(sizes) == len(self.sizes) and sizes != self.sizes:
            self.sizes = list(sizes)
            self.largest = (max(w for w, _ in sizes), max(h for _, h in sizes))
            self.sizes_changed.emit()

    def _set_size(self, index: int, size: tuple[float, float]) -> None:
        old = self.sizes[index]
        if abs(old[0] - size[0]) > 0.5 or abs(old[1] - size[1]) > 0.5:
            self.sizes[index] = size
            self.largest = (max(self.largest[0], size[0]), max(self.largest[1], size[1]))
            self.sizes_changed.emit()

    def known_geometry(self, index: int) -> PageGeometry | None:
        return self._geometry.get(index)

    def set_geometry(self, geometries: list[PageGeometry]) -> None:
        self._geometry.update(enumerate(geometries))
        self.set_sizes([g.image_size(1.0) for g in geometries])

    def geometry(self, index: int) -> PageGeometry:
        """Crop box and rotation of a page, read now if no render brought it yet."""
        found = self._geometry.get(index)
        if found is None:
            with PDFIUM_LOCK:
                if self._queue.closed:
                    width, height = self.sizes[index]
                    return PageGeometry(0.0, 0.0, width, height)
                page = self._document[index]
                try:
                    found = _geometry(page)
                finally:
                    page.close()
            self._geometry[index] = found
        return found

    def close(self) -> None:
        """Stop rendering and release the document (waits for a render under way)."""
        self._queue.close()
        self._cache.clear()
        self._cached_bytes = 0


def _key(scale: float) -> float:
    return round(scale, 4)


def _size(image: QImage) -> int:
    return image.sizeInBytes()
