"""Workspace figures: open a study, fill from a selection, jump to evidence.

Measured on the real widgets offscreen, in a project holding N stored values.
"""

import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from core.services import editing, extractions
from gui.main_window import MainWindow
from tests.benchmarks.common import Result, median_time
from tests.benchmarks.generator import REVIEWER, build_project

VALUES_PER_STUDY = 50


def _wait(signal: object, timeout_ms: int = 10000) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)  # type: ignore[attr-defined]
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()


def measure(total_values: int) -> list[Result]:
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        studies = max(2, total_values // VALUES_PER_STUDY)
        project = build_project(Path(folder) / "bench.sqlite", studies, VALUES_PER_STUDY)
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
        project.close()
    label = f"{total_values:,} values"
    return [
        Result(f"open a study ({label})", open_time, budget=0.200),
        Result(
            f"fill from selection, round trip ({label})",
            fill_time,
            bare_fill_time,
            "service call alone",
            budget=0.050,
        ),
        Result(f"jump to evidence ({label})", jump_time, budget=0.050),
    ]


def run(sizes: tuple[int, ...] = (1_000, 10_000)) -> list[Result]:
    started = time.perf_counter()
    results = [r for size in sizes for r in measure(size)]
    print(f"workspace benchmarks took {time.perf_counter() - started:.0f} s")
    return results
