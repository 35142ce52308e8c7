"""Check all from the window: progress with Cancel, a results list, a study opened from it."""

import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from core.services import checks, extractions
from core.services.editing import set_value
from gui.check_results import CheckResultsDialog
from gui.main_window import MainWindow
from gui.ops import TaskState, run_in_background
from gui.task_progress import TaskProgress
from tests.helpers import DEMO_CROHN

PAK = "Pak 2023 - exosomes for complex perianal fistula (phase I)"
HE = "He 2018 - umbilical cord MSCs in severe sepsis (phase 1)"


def _start(window: MainWindow, study_name: str) -> int:
    study = next(s for s in extractions.list_studies(window.project) if s.name == study_name)
    info, _ = extractions.start_extraction(window.project, study.id, "Ana")
    return info.id


def _results(window: MainWindow, qtbot: QtBot) -> CheckResultsDialog:
    button = next(
        b for b in window.problems.findChildren(QPushButton) if b.text() == "Check all studies"
    )
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.workspace._check_results is not None, timeout=10000)
    dialog = window.workspace._check_results
    assert dialog is not None
    return dialog


def test_check_all_lists_each_extraction_worst_first_and_opens_a_study(
    window: MainWindow, qtbot: QtBot
) -> None:
    crohn = _start(window, DEMO_CROHN)
    set_value(window.project, crohn, "enrolled", 23)
    set_value(window.project, crohn, "completed", 25)  # more completed than enrolled
    _start(window, PAK)  # nothing entered: required fields are errors
    he = _start(window, HE)
    for finding in checks.check_extraction(window.project, he):
        checks.acknowledge(window.project, he, finding.key, "Not reported in this abstract.")

    dialog = _results(window, qtbot)
    lines = dialog.shown_lines()
    assert sorted((line.study, line.reviewer) for line in lines) == [
        (DEMO_CROHN, "Ana"),
        (PAK, "Ana"),
    ]
    assert [line.errors for line in lines] == sorted((line.errors for line in lines), reverse=True)
    by_study = {line.study: line for line in lines}
    crohn_found = checks.check_extraction(window.project, crohn)
    assert "completed_gt_enrolled" in {f.code for f in crohn_found}
    assert by_study[DEMO_CROHN].errors == sum(1 for f in crohn_found if f.blocking)
    assert by_study[PAK].errors > 0
    errors = sum(line.errors for line in lines)
    assert dialog.summary.text() == (
        f"Checked 3 extraction(s): 2 with problems, {errors} error(s) to fix or acknowledge."
    )
    assert window.statusBar().currentMessage() == dialog.summary.text()

    dialog.problems_only.setChecked(False)  # the acknowledged extraction comes in last
    everything = dialog.shown_lines()
    assert [line.study for line in everything] == [line.study for line in lines] + [HE]
    assert (everything[2].errors, everything[2].warnings) == (0, 0)
    assert everything[2].accepted > 0

    row = [line.study for line in everything].index(PAK)
    dialog.table.activated.emit(dialog.proxy.index(row, 0))  # a double-click
    qtbot.waitUntil(
        lambda: window.workspace.study is not None and window.workspace.study.name == PAK
    )
    assert window.study_list.currentItem().text(0) == PAK  # type: ignore[union-attr]


def test_cancel_stops_a_running_job_and_the_progress_goes(qtbot: QtBot) -> None:
    progress = TaskProgress()
    qtbot.addWidget(progress)
    results: list[int] = []

    def work(state: TaskState) -> int:
        steps = 0
        while not state.cancelled and steps < 3000:  # 30 s at most
            steps += 1
            state.notify(steps, 3000)
            time.sleep(0.01)
        return steps

    operation = run_in_background(work, results.append, lambda _e: None)
    progress.follow(operation, "counting")
    assert progress.isVisible() or not progress.isHidden()
    qtbot.waitUntil(lambda: progress.bar.value() > 2)
    assert progress.cancel_button.toolTip() == "Stop counting; what is done so far is kept"
    qtbot.mouseClick(progress.cancel_button, Qt.MouseButton.LeftButton)
    assert not progress.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    assert results[0] < 3000
    assert operation.cancelled
    assert progress.isHidden()


def test_with_two_jobs_the_progress_comes_back_to_the_first_when_the_second_ends(
    qtbot: QtBot,
) -> None:
    progress = TaskProgress()
    qtbot.addWidget(progress)
    ended: list[int] = []

    def until_cancelled(state: TaskState) -> int:
        while not state.cancelled:
            time.sleep(0.01)
        return 1

    first = run_in_background(until_cancelled, ended.append, lambda _e: None)
    progress.follow(first, "checking")
    second = run_in_background(until_cancelled, ended.append, lambda _e: None)
    progress.follow(second, "importing")
    assert progress.operation is second
    second.cancel()
    qtbot.waitUntil(lambda: len(ended) == 1, timeout=5000)
    assert progress.operation is first and not progress.isHidden()
    assert progress.cancel_button.isEnabled()
    assert progress.cancel_button.toolTip() == "Stop checking; what is done so far is kept"
    qtbot.mouseClick(progress.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(ended) == 2, timeout=5000)
    assert first.cancelled and progress.isHidden()
