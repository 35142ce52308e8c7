"""Workspace figures: open a study, fill from a selection, jump to evidence.

Measured on the real widgets offscreen, in a project of the benchmarks' generator
holding N stored values (one reviewer, 50 values per study). `bench_growth` reports
them at several sizes.

Run: python -m tests.benchmarks.bench_workspace
"""

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from core.services import editing, extractions
from core.services.project import Project
from gui.main_window import MainWindow
from tests.benchmarks.common import Result, markdown_table, median_time
from tests.benchmarks.generator import REVIEWER, build_project

VALUES_PER_STUDY = 50
OPEN_BUDGET, FILL_BUDGET, JUMP_BUDGET = 0.200, 0.050, 0.050
FILL = "fill from selection, round trip"


def _wait(signal: object, timeout_ms: int = 10000) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)  # type: ignore[attr-defined]
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()


def project_for(folder: Path, total_values: int, name: str = "workspace") -> Project:
    """A project of the generator holding about `total_values` values."""
    studies = max(2, total_values // VALUES_PER_STUDY)
    return build_project(folder / f"{name}-{total_values}.sqlite", studies, VALUES_PER_STUDY)


def measure_project(project: Project) -> dict[str, tuple[float, float | None]]:
    """Figure name -> (seconds, reference seconds or None), on the project's widgets."""
    app = QApplication.instance() or QApplication([])
    window = MainWindow(project, reviewer=REVIEWER)
    window.show()
    ws = window.workspace
    all_studies = extractions.list_studies(project)
    targets = [all_studies[len(all_studies) // 3].id, all_studies[2 * len(all_studies) // 3].id]
    turn = iter(range(10**9))

    def open_study() -> None:
        ws.load_study(targets[next(turn) % 2])
        _wait(ws.study_loaded)

    open_time = median_time(open_study, repeat=7)
    view = window.current_view()
    assert view is not None and ws.study is not None
    text = view.canonical_text()
    spans = [(text.index("Study"), text.index("Study") + 5)]
    number = next(i for i, c in enumerate(text) if c.isdigit())
    spans.append((number, number + 1))
    doc_id = ws.study.documents[0].id
    flip = iter(range(10**9))

    def fill() -> None:
        start, end = spans[next(flip) % 2]
        ws.fill_span("acronym", doc_id, start, end)
        app.processEvents()

    fill_time = median_time(fill, repeat=15)
    extraction = ws.extraction
    assert extraction is not None

    def bare_fill() -> None:
        start, end = spans[next(flip) % 2]
        editing.fill_from_selection(project, extraction.id, "acronym", doc_id, start, end)

    bare_fill_time = median_time(bare_fill, repeat=15)
    ws.refresh_extraction()
    row = window.form.fields["acronym"]

    def jump() -> None:
        view.moveCursor(view.textCursor().MoveOperation.End)
        ws.on_chip_clicked(row.path, 0)
        app.processEvents()

    jump_time = median_time(jump, repeat=15)
    window.close()
    window.deleteLater()
    # Deleted now, while its project is open: left for a later event loop (another
    # benchmark's), it would be torn down after the project had been closed.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    app.processEvents()
    return {
        "open a study": (open_time, None),
        FILL: (fill_time, bare_fill_time),
        "jump to evidence": (jump_time, None),
    }


def results(figures: dict[str, tuple[float, float | None]], label: str) -> list[Result]:
    open_time, fill_time, jump_time = (
        figures[name][0] for name in ("open a study", FILL, "jump to evidence")
    )
    bare = figures[FILL][1]
    return [
        Result(f"open a study ({label})", open_time, budget=OPEN_BUDGET),
        Result(
            f"fill from selection, round trip ({label})",
            fill_time,
            bare,
            "service call alone",
            budget=FILL_BUDGET,
        ),
        Result(f"jump to evidence ({label})", jump_time, budget=JUMP_BUDGET),
    ]


def measure(total_values: int) -> list[Result]:
    with tempfile.TemporaryDirectory() as folder:
        project = project_for(Path(folder), total_values)
        try:
            figures = measure_project(project)
        finally:
            project.close()
    return results(figures, f"{total_values:,} values")


def run(sizes: tuple[int, ...] = (1_000, 10_000)) -> list[Result]:
    started = time.perf_counter()
    found = [r for size in sizes for r in measure(size)]
    print(f"workspace benchmarks took {time.perf_counter() - started:.0f} s")
    return found


if __name__ == "__main__":
    print(markdown_table(run()))
    sys.exit(0)
