"""The abstraction workspace driven through its real widgets, checked in the project file."""

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from core.domain import DocumentText, FieldStatus
from core.services import documents, extractions
from core.services.project import Project
from gui.document_view.text_view import PASSAGE_MIME, DocumentTextView
from gui.main_window import MainWindow
from tests.helpers import CROHN_PHASE2, DEMO_CROHN


def select(view: DocumentTextView, needle: str, occurrence: int = 0) -> tuple[int, int]:
    text = view.canonical_text()
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    view.select_span(start, start + len(needle))
    return start, start + len(needle)


def stored(project: Project, path: str) -> object:
    ext = next(
        e for s in extractions.list_studies(project) if s.name == DEMO_CROHN for e in s.extractions
    )
    return next((v for v in extractions.list_values(project, ext.id) if v.path == path), None)


def test_fill_with_ctrl_e_stores_value_and_evidence(window: MainWindow, qtbot: QtBot) -> None:
    view = window.current_view()
    assert view is not None
    start, end = select(view, "Twenty-three")
    window.form.fields["enrolled"].focus()
    qtbot.keyClick(
        window.form.fields["enrolled"].editor.widget,
        Qt.Key.Key_E,
        Qt.KeyboardModifier.ControlModifier,
    )
    value = stored(window.project, "enrolled")
    assert value is not None
    assert value.value == 23  # type: ignore[attr-defined]
    (anchor,) = value.anchors  # type: ignore[attr-defined]
    assert (anchor.start, anchor.end, anchor.exact) == (start, end, "Twenty-three")
    row = window.form.fields["enrolled"]
    assert row.editor.widget.text() == "23"  # type: ignore[attr-defined]
    assert [h.path for h in view.highlights()] == ["enrolled"]


def test_chip_click_brings_the_passage_back(window: MainWindow, qtbot: QtBot) -> None:
    view = window.current_view()
    assert view is not None
    start, end = select(view, "Twenty-three")
    window.workspace.fill_path("enrolled")
    view.select_span(0, 0)
    view.moveCursor(view.textCursor().MoveOperation.End)
    chip = window.form.fields["enrolled"].evidence.itemAt(0).widget()
    qtbot.mouseClick(chip.button, Qt.MouseButton.LeftButton)  # type: ignore[union-attr]
    assert view.selection() == (start, end)
    assert view.textCursor().selectedText() == "Twenty-three"
    rect = view.cursorRect()
    assert view.viewport().rect().contains(rect.center())


def test_undo_and_redo_a_fill(window: MainWindow, qtbot: QtBot) -> None:
    view = window.current_view()
    assert view is not None
    select(view, "Twenty-three")
    window.workspace.fill_path("enrolled")
    assert stored(window.project, "enrolled") is not None
    window.actions_by_id["undo"].trigger()
    assert stored(window.project, "enrolled") is None
    assert window.form.fields["enrolled"].editor.widget.text() == ""  # type: ignore[attr-defined]
    assert view.highlights() == []
    window.actions_by_id["redo"].trigger()
    value = stored(window.project, "enrolled")
    assert value is not None and value.value == 23  # type: ignore[attr-defined]
    assert value.anchors[0].exact == "Twenty-three"  # type: ignore[attr-defined]


def test_typed_value_is_marked_without_evidence_and_statuses(
    window: MainWindow, qtbot: QtBot
) -> None:
    row = window.form.fields["completed"]
    line = row.editor.widget
    line.setFocus()
    qtbot.keyClicks(line, "20")
    qtbot.keyClick(line, Qt.Key.Key_Tab)
    value = stored(window.project, "completed")
    assert value is not None and value.value == 20  # type: ignore[attr-defined]
    badge = row.evidence.itemAt(0).widget()
    assert badge is not None and badge.objectName() == "noEvidence"
    qtbot.mouseClick(
        window.form.fields["age_mean_or_median"].status_buttons[FieldStatus.NOT_REPORTED],
        Qt.MouseButton.LeftButton,
    )
    value = stored(window.project, "age_mean_or_median")
    assert value is not None and value.status is FieldStatus.NOT_REPORTED  # type: ignore[attr-defined]


def test_undo_removed_evidence(window: MainWindow) -> None:
    view = window.current_view()
    assert view is not None
    select(view, "Twenty-three")
    window.workspace.fill_path("enrolled")
    window.workspace.on_chip_removed("enrolled", 0)
    assert stored(window.project, "enrolled").anchors == ()  # type: ignore[union-attr]
    window.actions_by_id["undo"].trigger()
    assert [a.exact for a in stored(window.project, "enrolled").anchors] == ["Twenty-three"]  # type: ignore[union-attr]


def test_drag_a_passage_onto_a_field(window: MainWindow, qtbot: QtBot) -> None:
    view = window.current_view()
    assert view is not None
    start, _ = select(view, "20 of whom")
    mime = view.createMimeDataFromSelection()
    assert mime.hasFormat(PASSAGE_MIME)
    target = window.form.fields["completed"].editor.widget
    args = (
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    enter = QDragEnterEvent(QPoint(5, 5), *args)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(target, QDropEvent(QPointF(5, 5), *args))
    value = stored(window.project, "completed")
    assert value is not None and value.value == 20  # type: ignore[attr-defined]
    assert value.anchors[0].start == start  # type: ignore[attr-defined]


def test_repeating_group_rows_and_undo(window: MainWindow, qtbot: QtBot) -> None:
    group = window.form.groups["arms"]
    qtbot.mouseClick(group.add_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(group.add_button, Qt.MouseButton.LeftButton)
    assert len(group.rows) == 2
    window.workspace.on_value_committed("arms[1].label", "Exosomes")
    window.workspace.on_value_committed("arms[2].label", "Control")
    window.workspace.on_move_row("arms", 2, 1)
    assert stored(window.project, "arms[1].label").value == "Control"  # type: ignore[union-attr]
    window.workspace.on_remove_row("arms", 1)
    assert len(group.rows) == 1
    window.actions_by_id["undo"].trigger()
    assert len(group.rows) == 2
    assert stored(window.project, "arms[1].label").value == "Control"  # type: ignore[union-attr]


def test_find_counts_matches_and_steps(window: MainWindow, qtbot: QtBot) -> None:
    window.actions_by_id["find"].trigger()
    bar = window.documents.find_bar
    assert bar.isVisible()
    qtbot.keyClicks(bar.edit, "fistula")
    view = window.current_view()
    assert view is not None
    total = view.canonical_text().lower().count("fistula")
    assert bar.count.text() == f"{total} matches"
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return)
    assert bar.count.text() == f"1 of {total}"
    assert view.textCursor().selectedText().lower() == "fistula"


def test_submit_locks_and_reopen_is_logged(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, message_boxes: list[tuple[str, str]]
) -> None:
    from PySide6.QtWidgets import QInputDialog, QMessageBox

    window.workspace.on_value_committed("completed", "20")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.actions_by_id["submit"].trigger()
    assert message_boxes == [
        (
            "warning",
            "Cannot submit: 1 error must be fixed or acknowledged before submitting: "
            "Enrolled is required: record it, or mark it not reported.",
        )
    ]
    window.workspace.on_value_committed("enrolled", "23")
    window.actions_by_id["submit"].trigger()
    assert window.workspace.extraction is not None
    assert window.workspace.extraction.status.value == "submitted"
    assert window.form.fields["completed"].editor.widget.isReadOnly()  # type: ignore[attr-defined]
    assert not window.actions_by_id["fill_field"].isEnabled()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("typo in enrolled", True))
    window.actions_by_id["reopen"].trigger()
    assert window.workspace.extraction.status.value == "in_progress"
    from sqlalchemy import select as sql_select

    from core.storage.models import AuditEntry

    with window.project.uow.read() as session:
        reasons = [
            e.reason
            for e in session.scalars(sql_select(AuditEntry).where(AuditEntry.action == "reopen"))
        ]
    assert reasons == ["typo in enrolled"]


def test_highlight_click_focuses_its_field(window: MainWindow, qtbot: QtBot) -> None:
    view = window.current_view()
    assert view is not None
    start, _ = select(view, "Twenty-three")
    window.workspace.fill_path("enrolled")
    window.form.fields["title"].focus()
    view.select_span(start + 3, start + 3)
    cursor = view.textCursor()
    cursor.setPosition(start + 3)
    view.setTextCursor(cursor)
    point = view.cursorRect().center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.form.current_path == "enrolled"


def test_emoji_document_maps_selection_to_code_points(qtbot: QtBot, tmp_path: Path) -> None:
    project = Project.create(tmp_path / "emoji.sqlite")
    text = "🧪 Trial 🧬🧬 report.\nWe enrolled Twenty-three patients 🙂 in total.\n"
    path = tmp_path / "emoji.txt"
    path.write_text(text, encoding="utf-8")
    documents.import_files(project, [path], study_name="Emoji study")
    main = MainWindow(project, reviewer="Bo")
    qtbot.addWidget(main)
    main.workspace.load_study(extractions.list_studies(project)[0].id)
    qtbot.waitUntil(lambda: main.current_view() is not None)
    view = main.current_view()
    assert view is not None
    # select with Qt's own UTF-16 positions, as a mouse drag would
    start = text.index("Twenty-three")
    cursor = view.textCursor()
    cursor.setPosition(start + 3)
    cursor.setPosition(start + 3 + 12, cursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    assert view.selection() == (start, start + 12)
    main.workspace.fill_path("enrolled")
    ext = extractions.list_studies(project)[0].extractions[0]
    (value,) = extractions.list_values(project, ext.id)
    assert value.value == 23 and value.anchors[0].exact == "Twenty-three"
    project.close()


def test_view_shows_document_text_unchanged(qtbot: QtBot) -> None:
    view = DocumentTextView()
    qtbot.addWidget(view)
    text = CROHN_PHASE2.read_text(encoding="utf-8")
    view.set_document(
        DocumentText(text=text, media_type="text/plain", extractor="text", extractor_version="1")
    )
    assert view.document().toRawText().replace("\u2029", "\n") == text


def test_enter_in_a_field_fills_it_from_the_selection(window: MainWindow, qtbot: QtBot) -> None:
    view = window.current_view()
    assert view is not None
    select(view, "20 of whom")
    editor = window.form.fields["completed"].editor.widget
    window.form.fields["completed"].focus()
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    value = stored(window.project, "completed")
    assert value is not None and value.value == 20  # type: ignore[attr-defined]


def test_send_to_field_dialog_filters_and_fills(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gui.dialogs import SendToFieldDialog

    chosen: list[str | None] = []

    def fake_exec(dialog: SendToFieldDialog) -> int:
        qtbot.keyClicks(dialog.filter, "enrolled")
        chosen.append(dialog.chosen_path())
        return 1

    monkeypatch.setattr(SendToFieldDialog, "exec", fake_exec)
    view = window.current_view()
    assert view is not None
    select(view, "Twenty-three")
    window.actions_by_id["send_to_field"].trigger()
    assert chosen == ["enrolled"]
    value = stored(window.project, "enrolled")
    assert value is not None and value.value == 23  # type: ignore[attr-defined]
    assert window.form.current_path == "enrolled"


def test_next_empty_field_skips_filled_ones(window: MainWindow) -> None:
    window.workspace.on_value_committed("registry_id", "NCT01234567")
    window.form.fields["registry_id"].focus()
    window.form.current_path = "registry_id"
    window.actions_by_id["next_empty"].trigger()
    assert window.form.current_path == "title"
    window.workspace.on_value_committed("title", "A trial")
    window.form.current_path = "registry_id"
    window.actions_by_id["next_empty"].trigger()
    assert window.form.current_path == "acronym"


def test_import_from_the_window_runs_in_background(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    good = tmp_path / "new-report.txt"
    good.write_text("A new report: 40 patients were randomised.\n", encoding="utf-8")
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))
    before = window.study_list.topLevelItemCount()
    window.workspace.import_paths([good, bad])
    qtbot.waitUntil(lambda: window.study_list.topLevelItemCount() == before + 1, timeout=10000)
    qtbot.waitUntil(lambda: bool(warnings), timeout=10000)
    assert "broken.txt" in warnings[0]
    assert "Imported 1 document(s), 1 refused" in window.statusBar().currentMessage()


def test_shortcut_sheet_lists_every_action(window: MainWindow, qtbot: QtBot) -> None:
    from gui.actions import ACTIONS
    from gui.dialogs import ShortcutSheet

    sheet = ShortcutSheet(window)
    qtbot.addWidget(sheet)
    shown = {sheet.table.item(r, 1).text() for r in range(sheet.table.rowCount())}  # type: ignore[union-attr]
    for spec in ACTIONS:
        assert spec.title.replace("&", "").rstrip("…") in shown
    fill_row = next(
        r
        for r in range(sheet.table.rowCount())
        if sheet.table.item(r, 1).text() == "Fill field from selection"
    )  # type: ignore[union-attr]
    assert sheet.table.item(fill_row, 2).text() == "Ctrl+E"  # type: ignore[union-attr]
    rows = [
        tuple(sheet.table.item(r, c).text() for c in range(3))  # type: ignore[union-attr]
        for r in range(sheet.table.rowCount())
    ]
    assert ("Adjudication table", "Take reviewer A's answer", "A") in rows
    assert ("Adjudication table", "Next / previous field", "J, K") in rows


def test_field_history_shows_who_changed_what(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gui.dialogs import FieldHistoryDialog

    shown: list[FieldHistoryDialog] = []
    monkeypatch.setattr(FieldHistoryDialog, "exec", lambda d: shown.append(d) or 0)
    view = window.current_view()
    assert view is not None
    select(view, "Twenty-three")
    window.workspace.fill_path("enrolled")
    window.workspace.on_value_committed("enrolled", "24")
    window.form.current_path = "enrolled"
    window.actions_by_id["field_history"].trigger()
    (dialog,) = shown
    rows = [
        [dialog.table.item(r, c).text() for c in range(5)]  # type: ignore[union-attr]
        for r in range(dialog.table.rowCount())
    ]
    assert rows[0][1:] == ["Ana", "set value", "23 (1 passage)", "24 (1 passage)"]
    assert rows[1][1:4] == ["Ana", "fill", ""]


def test_problems_panel_lists_findings_and_acknowledges(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QInputDialog

    window.workspace.on_value_committed("enrolled", "23")
    window.workspace.on_value_committed("completed", "24")
    panel = window.problems
    texts = [panel.tree.topLevelItem(i).text(2) for i in range(panel.tree.topLevelItemCount())]  # type: ignore[union-attr]
    assert "Completed or analysed (24) is more than enrolled (23)." in texts
    row = window.form.fields["completed"]
    assert row.property("problem") == "error"
    assert "more than enrolled" in row.problems.text()
    index = next(i for i, t in enumerate(texts) if "more than enrolled" in t)
    item = panel.tree.topLevelItem(index)
    panel.tree.setCurrentItem(item)
    panel.tree.itemClicked.emit(item, 0)
    assert window.form.current_path == "completed"
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("erratum: 24 analysed", True))
    qtbot.mouseClick(panel.acknowledge, Qt.MouseButton.LeftButton)
    assert row.property("problem") != "error"
    assert "accepted" in panel.tree.topLevelItem(index).text(0)  # type: ignore[union-attr]
