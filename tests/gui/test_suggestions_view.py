"""Registry suggestions on the real form: shown under their fields, accepted with one key."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocumentFragment
from pytestqt.qtbot import QtBot

from core.domain import FieldValueInfo
from core.services import documents, extractions
from core.services.project import Project
from gui.actions import shortcut_rows
from gui.form.suggestion import SuggestionLine
from gui.main_window import MainWindow
from tests.helpers import CROHN_PHASE2, TEST_DATA

RECORD = TEST_DATA / "ctgov" / "v2" / "NCT02210780.json"
STUDY = "Dupilumab vaccine responses"


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    project = Project.create(tmp_path / "project.sqlite")
    outcomes, _ = documents.import_files(project, [CROHN_PHASE2, RECORD], study_name=STUDY)
    study_id = outcomes[0].document.study_id  # type: ignore[union-attr]
    main = MainWindow(project, reviewer="Ana")
    qtbot.addWidget(main)
    main.show()
    main.workspace.load_study(study_id)
    phase = main.form.fields["phase"]
    qtbot.waitUntil(lambda: len(main.documents.views()) == 2 and phase.suggestion is not None)
    yield main
    project.close()


def stored(project: Project) -> dict[str, FieldValueInfo]:
    (study,) = extractions.list_studies(project)
    return {v.path: v for e in study.extractions for v in extractions.list_values(project, e.id)}


def visible_text(line: SuggestionLine) -> str:
    return QTextDocumentFragment.fromHtml(line.text.text()).toPlainText()


def record_id(window: MainWindow) -> int:
    (study,) = extractions.list_studies(window.project)
    return next(d.id for d in study.documents if d.filename == RECORD.name)


def test_the_suggestion_line_shows_under_the_phase_field(window: MainWindow) -> None:
    row = window.form.fields["phase"]
    line = row.suggestion_line
    assert line is not None and line.isVisible()
    assert visible_text(line) == "Phase 2 · from the registry record"
    assert line.accept.text() == "Accept"
    assert ("Field", "Accept registry suggestion", "Alt+Return") in shortcut_rows()
    row.focus()
    assert "Alt+Return" in line.accept.text()  # the key is shown where it works
    # Suggested, not filled: the editor is empty and nothing is stored.
    assert stored(window.project) == {}
    assert window.form.fields["enrolled"].suggestion is not None
    assert window.form.fields["journal"].suggestion is None
    assert window.form.fields["journal"].suggestion_line is None


def test_one_key_accepts_the_focused_fields_suggestion(window: MainWindow, qtbot: QtBot) -> None:
    row = window.form.fields["phase"]
    offer = row.suggestion
    assert offer is not None
    row.focus()
    qtbot.keyClick(row.editor.focus_widget(), Qt.Key.Key_Return, Qt.KeyboardModifier.AltModifier)
    values = stored(window.project)
    assert list(values) == ["phase"]
    phase = values["phase"]
    assert phase.value == "2"
    (anchor,) = phase.anchors
    assert anchor.document_id == record_id(window)
    assert (anchor.start, anchor.end, anchor.exact) == (offer.start, offer.end, "Phase 2")
    chip = row.evidence.itemAt(0).widget()
    assert chip is not None and "Phase 2" in chip.button.text()  # type: ignore[attr-defined]
    assert row.suggestion is None
    assert row.suggestion_line is not None and not row.suggestion_line.isVisible()
    assert window.form.fields["enrolled"].suggestion is not None
    record_view = window.documents.view_for(anchor.document_id)
    assert record_view is not None
    assert [h.path for h in record_view.highlights()] == ["phase"]


def test_undo_brings_the_suggestion_back(window: MainWindow, qtbot: QtBot) -> None:
    row = window.form.fields["enrolled"]
    assert row.suggestion_line is not None
    qtbot.mouseClick(row.suggestion_line.accept, Qt.MouseButton.LeftButton)
    assert stored(window.project)["enrolled"].value == 194
    assert row.suggestion is None
    window.actions_by_id["undo"].trigger()
    assert stored(window.project) == {}
    assert row.suggestion is not None and row.suggestion.value == 194


def test_clicking_the_suggestion_shows_its_span(window: MainWindow) -> None:
    row = window.form.fields["masking"]
    offer = row.suggestion
    assert offer is not None and row.suggestion_line is not None
    first = window.documents.views()[0]
    window.documents.tabs.setCurrentWidget(first)
    row.suggestion_line.text.linkActivated.emit("show")
    view = window.current_view()
    assert view is not None and view.document_id == record_id(window)
    assert view.selection() == (offer.start, offer.end)
    assert view.textCursor().selectedText() == "Triple"
    assert stored(window.project) == {}


def test_a_differing_value_keeps_its_suggestion_marked(window: MainWindow, qtbot: QtBot) -> None:
    row = window.form.fields["enrolled"]
    line = row.editor.widget
    line.setFocus()
    qtbot.keyClicks(line, "190")
    qtbot.keyClick(line, Qt.Key.Key_Tab)
    assert stored(window.project)["enrolled"].value == 190
    assert row.suggestion is not None and row.suggestion.differs
    assert row.suggestion_line is not None
    assert visible_text(row.suggestion_line).endswith("· differs from your value")
    row.focus()
    window.actions_by_id["accept_suggestion"].trigger()
    assert stored(window.project)["enrolled"].value == 194
    assert row.suggestion is None
