"""PDF page view figures on a 300-page PDF stored in a project, beside a bare reference.

Figures: time from creating the PdfPageView (bytes and text already read from the
project) to its first page painted from a rendered image; peak memory growth until
then; pages rendered after a jump to the middle. Reference, measured in the same run:
pypdfium2 opens the file, renders page 1 at the same scale, a plain QLabel shows it.
Memory is measured in a fresh child process per subject (peak resident set growth).

Run: python -m tests.benchmarks.bench_pdf_view [--pages N]
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pypdfium2 as pdfium
from PySide6.QtCore import QEventLoop, QTimer, SignalInstance
from PySide6.QtGui import QImage, QPaintEvent, QPixmap
from PySide6.QtWidgets import QApplication, QLabel

from core.domain import DocumentText
from core.services import documents, extractions
from core.services.project import Project
from gui.document_view.pdf_view import PdfPageView
from tests.benchmarks.bench_pdf_import import make_long_pdf
from tests.benchmarks.common import Result, markdown_table

PAGES = 300
WIDTH, HEIGHT = 900, 1000  # the view's size on screen
ROUNDS = 9


class _ShownLabel(QLabel):
    """A plain QLabel that notes when it has painted."""

    painted = 0.0  # perf_counter() at the end of the first paint

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        self.painted = self.painted or time.perf_counter()


def _wait(
    done: Callable[[], bool], timeout_s: float = 30.0, signal: SignalInstance | None = None
) -> None:
    """Run the event loop until `done()`: looked at when `signal` fires, else every ms."""
    if done():
        return
    loop = QEventLoop()
    limit = time.perf_counter() + timeout_s

    def check() -> None:
        _sample()
        if done() or time.perf_counter() > limit:
            loop.quit()

    if signal is not None:
        signal.connect(check)
    poll = QTimer()
    poll.setInterval(1 if signal is None else 50)
    poll.timeout.connect(check)
    poll.start()
    loop.exec()
    poll.stop()
    if not done():
        raise TimeoutError("the benchmark waited too long")


def _settle(ms: int = 50) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _stored(folder: Path, pages: int) -> tuple[Project, Path, int]:
    """A project holding the long PDF; returns it, the file and the document id."""
    make_long_pdf(folder, pages)
    path = folder / f"long-{pages}-pages.pdf"
    project = Project.create(folder / "bench.sqlite")
    outcomes, _ = documents.import_files(project, [path])
    document = outcomes[0].document
    assert document is not None, outcomes[0].error
    return project, path, document.id


def _read(project: Project, document_id: int) -> tuple[bytes, DocumentText, str]:
    info = next(d for s in extractions.list_studies(project) for d in s.documents)
    data = documents.document_bytes(project, document_id)
    return data, documents.document_text(project, document_id), info.sha256


def _open_view(data: bytes, text: DocumentText, sha256: str) -> tuple[PdfPageView, float]:
    """Create the view; return it and the seconds until its first page was painted."""
    painted: list[float] = []
    started = time.perf_counter()
    view = PdfPageView(data, text, document_id=1, sha256=sha256)
    view.canvas.page_painted.connect(lambda _page: painted.append(time.perf_counter()))
    view.resize(WIDTH, HEIGHT)
    view.show()
    _wait(lambda: bool(painted), signal=view.canvas.page_painted)
    _sample()
    return view, painted[0] - started


def _close(view: PdfPageView) -> None:
    """Close the view once its background work is done. The text layer is read after
    the first page is shown (about 0.8 s for 300 pages, once per document); left
    running, it would hold PDFium's lock page by page while the next round's first
    page waits for it, which the bare reference (not sharing the lock) never does."""
    _wait(lambda: view.text_layout is not None)
    _wait(lambda: not view.reading_text and not view.renderer.busy())
    view.close_document()
    view.hide()
    view.deleteLater()
    _settle()


def _reference(path: Path, scale: float) -> float:
    """pypdfium2 opens the file and renders page 1; a plain QLabel shows it (seconds)."""
    started = time.perf_counter()
    document = pdfium.PdfDocument(path)
    page = document[0]
    bitmap = page.render(scale=scale, prefer_bgrx=True)
    image = QImage(
        bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGB32
    ).copy()
    label = _ShownLabel()
    label.setPixmap(QPixmap.fromImage(image))
    label.resize(WIDTH, HEIGHT)
    label.show()
    _wait(lambda: label.painted)
    _sample()
    label.hide()
    label.deleteLater()
    bitmap.close()
    page.close()
    document.close()
    return label.painted - started


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_peak = [0.0]


def _rss_mb() -> float:
    """Resident memory now (Linux); elsewhere the peak so far."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * _PAGE / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _sample() -> None:
    _peak[0] = max(_peak[0], _rss_mb())


def _growth(before: float) -> float:
    _sample()
    return _peak[0] - before


def child(subject: str, folder: Path, document_id: int, scale: float) -> dict[str, float]:
    """In a fresh process: peak memory growth of one subject, in MB."""
    app = QApplication.instance() or QApplication([])
    project = Project.open(folder / "bench.sqlite")
    data, text, sha256 = _read(project, document_id)
    path = next(folder.glob("long-*-pages.pdf"))
    warm = _ShownLabel()  # fonts, platform plugin and the first paint cost the same to both
    warm.show()
    _wait(lambda: warm.painted)
    _settle()
    before = _peak[0] = _rss_mb()
    result: dict[str, float] = {}
    if subject == "reference":
        _reference(path, scale)
        result["first"] = _growth(before)
    else:
        view, _ = _open_view(data, text, sha256)
        result["first"] = _growth(before)
        _wait(lambda: view.text_layout is not None)
        _settle(200)
        result["layout"] = _growth(before)
    project.close()
    del app
    return result


def _memory(subject: str, folder: Path, document_id: int, scale: float) -> dict[str, float]:
    command = [
        sys.executable,
        "-m",
        "tests.benchmarks.bench_pdf_view",
        "--child",
        subject,
        str(folder),
        str(document_id),
        str(scale),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def run(pages: int = PAGES) -> list[Result]:
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        project, path, document_id = _stored(folder, pages)
        data, text, sha256 = _read(project, document_id)
        first, _ = _open_view(data, text, sha256)
        scale = first.canvas.scale * first.canvas.devicePixelRatioF()
        _close(first)

        _reference(path, scale)
        timings: list[float] = []
        references: list[float] = []
        for _ in range(ROUNDS):  # taken in turns, so that both meet the same machine load
            shown, seconds = _open_view(data, text, sha256)
            timings.append(seconds)
            _close(shown)
            references.append(_reference(path, scale))
            _settle()
        view_time, reference_time = statistics.median(timings), statistics.median(references)

        view, _ = _open_view(data, text, sha256)
        _wait(lambda: view.text_layout is not None)
        _settle(100)
        _wait(lambda: not view.renderer.busy())
        opened = len(view.renderer.rendered_pages)
        bar = view.canvas.verticalScrollBar()
        bar.setValue(bar.maximum() // 2)
        middle = view.current_page()
        _wait(lambda: middle in view.renderer.rendered_pages)
        _settle(100)  # the pages either side are asked for once those in view are in
        _wait(lambda: not view.renderer.busy())
        rendered = len(view.renderer.rendered_pages) - opened
        _close(view)
        project.close()
        memory_view = _memory("view", folder, document_id, scale)
        memory_reference = _memory("reference", folder, document_id, scale)
    del app
    name = "pypdfium2 page 1 in a QLabel"
    return [
        Result(
            f"PDF view: first page shown ({pages} pages)",
            view_time,
            reference_time,
            name,
            budget=0.250,
            ratio_budget=1.5,
        ),
        Result(
            "PDF view: peak memory growth until the first page",
            memory_view["first"],
            memory_reference["first"],
            name,
            unit="MB",
        ),
        Result(
            "PDF view: peak memory growth once the text layer is read too",
            memory_view["layout"],
            unit="MB",
        ),
        Result(
            f"PDF view: pages rendered on opening (of {pages})",
            opened,
            budget=4,
            unit="pages",
        ),
        Result(
            f"PDF view: pages rendered by a jump to page {middle + 1}",
            rendered,
            budget=4,
            unit="pages",
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=PAGES)
    parser.add_argument("--child", nargs=4, metavar=("SUBJECT", "FOLDER", "DOCUMENT", "SCALE"))
    args = parser.parse_args(argv)
    if args.child:
        subject, folder, document, scale = args.child
        print(json.dumps(child(subject, Path(folder), int(document), float(scale))))
        return 0
    print(markdown_table(run(args.pages)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
