"""Adjudicating double-entered studies through the real window, with the keyboard."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTextEdit,
    QTreeWidget,
    QTreeWidgetItemIterator,
    QWidget,
)
from pytestqt.qtbot import QtBot

from core.domain import ExtractionStatus
from core.domain.adjudication import Choice, ItemState
from core.services import adjudication, editing, extractions, submission
from core.services.project import Project
from gui.adjudication.table import ANSWER_B
from gui.document_view.text_view import DocumentTextView
from gui.main_window import MainWindow
from tests.core.services.double_entry import (
    CIRRHOSIS,
    CROHN,
    NON_CROHN,
    RECTAL,
    master_project,
    study_id,
    submit,
)

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def master(tmp_path: Path) -> Iterator[Project]:
    project = master_project(tmp_path)
    yield project
    project.close()


def open_window(qtbot: QtBot, project: Project, reviewer: str) -> MainWindow:
    main = MainWindow(project, reviewer=reviewer)
    qtbot.addWidget(main)
    main.show()
    main.activateWindow()
    return main


def show_study(qtbot: QtBot, main: MainWindow, name: str) -> int:
    """Pick the study in the list and wait until its adjudication is on screen."""
    wanted = study_id(main.project, name)
    main.study_list.select_study(wanted)
    panel = main.adjudication
    qtbot.waitUntil(
        lambda: (
            panel.active
            and panel.adjudication is not None
            and panel.adjudication.study_id == wanted
            and main.current_view() is not None
        )
    )
    return wanted


def press(qtbot: QtBot, main: MainWindow, key: Qt.Key) -> None:
    qtbot.keyClick(main.adjudication.table, key)


def wait_for_state(qtbot: QtBot, main: MainWindow, path: str, state: ItemState) -> None:
    def shown() -> bool:
        view = main.adjudication.adjudication
        item = view.item(path) if view is not None else None
        return item is not None and item.state is state

    qtbot.waitUntil(shown)


def move_to(qtbot: QtBot, main: MainWindow, path: str) -> None:
    table = main.adjudication.table
    paths = table.paths()
    current = table.current_path()
    assert current is not None
    step = Qt.Key.Key_J if paths.index(path) > paths.index(current) else Qt.Key.Key_K
    for _ in range(abs(paths.index(path) - paths.index(current))):
        press(qtbot, main, step)
    assert table.current_path() == path


def test_an_adjudicator_settles_a_study_with_the_keyboard(master: Project, qtbot: QtBot) -> None:
    main = open_window(qtbot, master, "Cleo")
    crohn = show_study(qtbot, main, CROHN)
    panel = main.adjudication
    assert main.right_stack.currentWidget() is panel

    # The action's shortcut goes back to the form and opens the adjudication again.
    qtbot.keyClick(panel.table, Qt.Key.Key_J, CTRL_SHIFT)
    assert not panel.active and main.right_stack.currentWidget() is main.right
    qtbot.keyClick(main.form, Qt.Key.Key_J, CTRL_SHIFT)
    qtbot.waitUntil(lambda: panel.active and panel.adjudication is not None)

    assert panel.table.paths() == ["outcomes[1].percent"]  # disagreements only
    assert panel.table.item(0, 1).text() == "differ"
    assert panel.table.cell_for("outcomes[1].percent", ANSWER_B).value.text() == "0.6 %"

    press(qtbot, main, Qt.Key.Key_A)
    wait_for_state(qtbot, main, "outcomes[1].percent", ItemState.DECIDED)
    view = adjudication.adjudication(master, crohn)
    percent = view.item("outcomes[1].percent")
    assert percent is not None and percent.final is not None and percent.final.value == 60
    assert "Adjudication started: 6 agreed answers taken over" in main.statusBar().currentMessage()

    press(qtbot, main, Qt.Key.Key_3)  # every field
    assert "enrolled" in panel.table.paths()
    move_to(qtbot, main, "enrolled")
    press(qtbot, main, Qt.Key.Key_E)
    bar = panel.edit_bar
    assert bar.isVisible() and QApplication.focusWidget() is bar.line
    assert bar.line.text() == "23"
    qtbot.keyClicks(bar.line, "24")
    qtbot.keyClick(bar.line, Qt.Key.Key_Return)  # no reason yet: refused, in words
    assert bar.isVisible() and "reason" in bar.message.text()
    assert QApplication.focusWidget() is bar.reason
    qtbot.keyClicks(bar.reason, "One patient withdrew before treatment")
    qtbot.keyClick(bar.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not bar.isVisible())
    wait_for_state(qtbot, main, "enrolled", ItemState.DECIDED)
    assert panel.table.cell_for("enrolled", 4).value.text() == "24"  # type: ignore[union-attr]

    qtbot.keyClick(panel.table, Qt.Key.Key_F, CTRL_SHIFT)
    qtbot.waitUntil(lambda: panel.adjudication is not None and panel.adjudication.finished)
    assert panel.reopen.isVisible() and not panel.finish.isVisible()

    view = adjudication.adjudication(master, crohn)
    assert view.finished and view.final_extraction_id is not None
    final = {v.path: v.value for v in extractions.list_values(master, view.final_extraction_id)}
    assert final["outcomes[1].percent"] == 60
    assert final["enrolled"] == 24
    assert final["phase"] == "2"
    log = adjudication.decision_log(master, crohn)
    assert [(d.path, d.choice, d.reason) for d in log if d.choice is not Choice.AGREED] == [
        ("outcomes[1].percent", Choice.A, ""),
        ("enrolled", Choice.EDIT, "One patient withdrew before treatment"),
    ]
    assert all(d.actor == "Cleo" for d in log)

    # Study by study: B on the cirrhosis study's phase, then Finish is refused in words.
    cirrhosis = show_study(qtbot, main, CIRRHOSIS)
    assert panel.table.paths() == ["phase"]
    press(qtbot, main, Qt.Key.Key_B)
    wait_for_state(qtbot, main, "phase", ItemState.DECIDED)
    phase = adjudication.adjudication(master, cirrhosis).item("phase")
    assert phase is not None and phase.final is not None and phase.final.value == "1_2"
    assert panel.table.cell_for("phase", 4).value.text() == "Phase 1/2"  # type: ignore[union-attr]
    qtbot.keyClick(panel.table, Qt.Key.Key_F, CTRL_SHIFT)
    qtbot.waitUntil(lambda: panel.banner.property("kind") == "error")
    assert "must be fixed or acknowledged" in panel.banner.text()
    assert not adjudication.adjudication(master, cirrhosis).finished


def test_finish_is_refused_while_a_field_waits(master: Project, qtbot: QtBot) -> None:
    main = open_window(qtbot, master, "Cleo")
    rectal = show_study(qtbot, main, RECTAL)
    panel = main.adjudication
    assert panel.start.isVisible()
    qtbot.mouseClick(panel.start, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.start.isVisible() and panel.log.isVisible())
    assert "1</b> to decide" in panel.counts.text()
    qtbot.mouseClick(panel.finish, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.banner.property("kind") == "error")
    assert panel.banner.text() == "1 fields still need a decision: Masking."
    assert not adjudication.adjudication(master, rectal).finished


def test_a_study_without_disagreements_finishes_with_one_key(master: Project, qtbot: QtBot) -> None:
    main = open_window(qtbot, master, "Cleo")
    study = show_study(qtbot, main, NON_CROHN)
    panel = main.adjudication
    assert panel.table.paths() == []
    assert panel.start.isVisible() and panel.finish.isVisible()
    qtbot.keyClick(panel.table, Qt.Key.Key_F, CTRL_SHIFT)
    qtbot.waitUntil(lambda: panel.adjudication is not None and panel.adjudication.finished)
    assert "2 agreed answers taken over" in main.statusBar().currentMessage()
    view = adjudication.adjudication(master, study)
    assert view.finished and [i.path for i in view.items if i.final is not None] == [
        "phase",
        "enrolled",
    ]
    assert "finished" in "\n".join(_study_lines(main, study))


def test_clicking_b_evidence_shows_the_passage(master: Project, qtbot: QtBot) -> None:
    main = open_window(qtbot, master, "Cleo")
    crohn = show_study(qtbot, main, CROHN)
    panel = main.adjudication
    press(qtbot, main, Qt.Key.Key_3)
    cell = panel.table.cell_for("enrolled", ANSWER_B)
    assert cell is not None and cell.chip is not None
    assert cell.chip.text() == "“Twenty-three”"
    view = main.current_view()
    assert view is not None
    view.select_span(0, 0)
    qtbot.mouseClick(cell.chip, Qt.MouseButton.LeftButton)
    item = adjudication.adjudication(master, crohn).item("enrolled")
    assert item is not None and item.answer_b is not None
    anchor = item.answer_b.anchors[0]
    assert view.selection() == (anchor.start, anchor.end)
    assert view.textCursor().selectedText() == "Twenty-three"
    assert view.viewport().rect().contains(view.cursorRect().center())
    assert panel.table.current_path() == "enrolled"
    # Both reviewers' passages are highlighted in the document, labelled by whose they are.
    labels = {h.label for h in view.highlights()}
    assert "A and B: Enrolled" in labels


def _visible_texts(main: MainWindow) -> list[str]:
    """Every text the window shows or offers as a tip, except the documents themselves."""
    texts = [main.windowTitle(), main.statusBar().currentMessage()]
    for widget in main.findChildren(QWidget):
        if isinstance(widget, DocumentTextView):
            continue
        texts.append(widget.toolTip())
        if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
            texts.append(widget.text())
        elif isinstance(widget, QPlainTextEdit | QTextEdit):
            texts.append(widget.toPlainText())
        elif isinstance(widget, QComboBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
        elif isinstance(widget, QTableWidget):
            for row in range(widget.rowCount()):
                for column in range(widget.columnCount()):
                    cell = widget.item(row, column)
                    if cell is not None:
                        texts += [cell.text(), cell.toolTip()]
        elif isinstance(widget, QTreeWidget):
            iterator = QTreeWidgetItemIterator(widget)
            while (tree_item := iterator.value()) is not None:
                for column in range(widget.columnCount()):
                    texts += [tree_item.text(column), tree_item.toolTip(column)]
                iterator += 1
    return texts


def test_a_blinded_reviewer_sees_nothing_of_the_other(master: Project, qtbot: QtBot) -> None:
    # Cleo has Ben's 0.6 on screen; then Ben reopens and Ann takes the same window.
    main = open_window(qtbot, master, "Cleo")
    crohn = show_study(qtbot, main, CROHN)
    assert "0.6 %" in "\n".join(_visible_texts(main))
    master.viewer = None  # the lead, from the command line
    ben = next(
        e
        for s in extractions.list_studies(master)
        if s.id == crohn
        for e in s.extractions
        if e.reviewer == "Ben"
    )
    submission.reopen_extraction(master, ben.id, "checking the closure rate")
    editing.set_value(master, ben.id, "title", "Ben's own reading of the title")
    main.workspace.set_reviewer("Ann")
    assert not main.adjudication.active
    qtbot.waitUntil(
        lambda: (
            main.workspace.study is not None
            and main.workspace.study.id == crohn
            and main.workspace.extraction is not None
            and main.current_view() is not None
        )
    )
    assert main.form.fields["outcomes[1].percent"].editor.widget.text() == "60"  # type: ignore[attr-defined]

    texts = "\n".join(_visible_texts(main))
    assert "Ben's own reading" not in texts
    assert "0.6" not in texts
    assert "the other reviewer has not submitted" in texts  # the walk reaches the list
    lines = _study_lines(main, crohn)
    assert lines == ["A: you — submitted", "B: the other reviewer has not submitted"]

    assert not main.actions_by_id["adjudicate"].isEnabled()
    main.workspace.adjudicate_study()
    assert not main.adjudication.active
    assert "Ann is not an adjudicator" in main.statusBar().currentMessage()

    # Once Ben submits again, the line names him, still without any value.
    master.viewer = None  # the lead, from the command line
    assert extractions.get_extraction(master, ben.id).status is ExtractionStatus.IN_PROGRESS
    submit(master, ben.id)
    master.viewer = "Ann"
    main.workspace.refresh_studies()
    assert _study_lines(main, crohn)[:2] == ["A: you — submitted", "B: Ben — submitted"]


def _study_lines(main: MainWindow, study: int) -> list[str]:
    return [
        line
        for line in _all_study_lines(main, study)
        if line.startswith(("A:", "B:", "final", "ready"))
    ]


def _all_study_lines(main: MainWindow, study: int) -> list[str]:
    tree = main.study_list
    for index in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(index)
        if top is not None and top.data(0, Qt.ItemDataRole.UserRole + 2) == study:
            children = [top.child(i) for i in range(top.childCount())]
            return [c.text(0) for c in children if c is not None]
    return []


def test_a_stale_decision_is_shown_and_settled_after_reopening(
    master: Project, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    crohn = study_id(master, CROHN)
    master.viewer = "Cleo"
    adjudication.start_adjudication(master, crohn, adjudicator="Cleo")
    adjudication.decide(master, crohn, "outcomes[1].percent", Choice.A, adjudicator="Cleo")
    adjudication.finish_adjudication(master, crohn, adjudicator="Cleo")
    master.viewer = None  # the lead: Ben corrects his closure rate after the adjudication
    ben = adjudication.adjudication(master, crohn).extraction_b
    submission.reopen_extraction(master, ben, "closure rate misread")
    editing.set_value(master, ben, "outcomes[1].percent", 60)
    submit(master, ben)

    main = open_window(qtbot, master, "Cleo")
    stale_line = "1 stale decision to redo"
    qtbot.waitUntil(lambda: stale_line in _all_study_lines(main, crohn))  # counted off-thread
    show_study(qtbot, main, CROHN)
    panel = main.adjudication
    assert panel.adjudication is not None and panel.adjudication.finished
    assert "<b>1</b> stale" in panel.counts.text()
    press(qtbot, main, Qt.Key.Key_2)
    assert panel.table.paths() == ["outcomes[1].percent"]
    assert panel.table.item(0, 5).text() == "stale"

    monkeypatch.setattr(
        "gui.adjudication.workspace_actions.QInputDialog.getText",
        lambda *_args, **_kw: ("Ben corrected the closure rate", True),
    )
    qtbot.mouseClick(panel.reopen, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.finish.isVisible())
    press(qtbot, main, Qt.Key.Key_Return)  # both now say 60: accept the agreed answer
    wait_for_state(qtbot, main, "outcomes[1].percent", ItemState.DECIDED)
    qtbot.keyClick(panel.table, Qt.Key.Key_F, CTRL_SHIFT)
    qtbot.waitUntil(lambda: panel.adjudication is not None and panel.adjudication.finished)
    qtbot.waitUntil(lambda: stale_line not in _all_study_lines(main, crohn))
    log = adjudication.decision_log(master, crohn)
    assert [(d.choice, d.superseded) for d in log if d.path == "outcomes[1].percent"] == [
        (Choice.A, True),
        (Choice.AGREED, False),
    ]


def test_the_study_list_says_who_reopened_after_a_decision(master: Project, qtbot: QtBot) -> None:
    cirrhosis = study_id(master, CIRRHOSIS)
    adjudication.start_adjudication(master, cirrhosis, adjudicator="Cleo")
    adjudication.decide(master, cirrhosis, "phase", Choice.A, adjudicator="Cleo")
    ben = adjudication.adjudication(master, cirrhosis).extraction_b
    submission.reopen_extraction(master, ben, "phase misread")

    main = open_window(qtbot, master, "Cleo")
    line = "reopened by Ben after a decision"
    qtbot.waitUntil(lambda: line in _all_study_lines(main, cirrhosis))
    assert "B: Ben — in progress" in _all_study_lines(main, cirrhosis)
    main.close()

    as_ann = open_window(qtbot, master, "Ann")  # a reviewer is told nothing of decisions
    qtbot.waitUntil(lambda: as_ann.study_list.topLevelItemCount() == 5)
    qtbot.wait(200)
    assert line not in _all_study_lines(as_ann, cirrhosis)
