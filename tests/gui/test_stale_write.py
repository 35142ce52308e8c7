"""A field changed elsewhere (another window, another process) is not overwritten unseen."""

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from core.domain import FieldValueInfo
from core.services import editing, extractions
from core.services.project import Project
from gui.main_window import MainWindow


@pytest.fixture
def elsewhere(window: MainWindow) -> Iterator[Project]:
    """The same project opened a second time, as by Ana's other window."""
    other = Project.open(window.project.url)
    other.viewer = "Ana"
    yield other
    other.close()


def type_value(window: MainWindow, qtbot: QtBot, path: str, text: str) -> None:
    line = window.form.fields[path].editor.widget
    line.setFocus()
    line.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, Qt.Key.Key_Tab)


def stored(window: MainWindow, path: str) -> FieldValueInfo | None:
    assert window.workspace.extraction is not None
    values = extractions.list_values(window.project, window.workspace.extraction.id)
    return next((v for v in values if v.path == path), None)


def test_editing_a_field_changed_elsewhere_shows_their_value(
    window: MainWindow, elsewhere: Project, qtbot: QtBot
) -> None:
    type_value(window, qtbot, "completed", "20")
    extraction = window.workspace.extraction
    assert extraction is not None and stored(window, "completed").value == 20  # type: ignore[union-attr]
    editing.set_value(elsewhere, extraction.id, "completed", 18)

    type_value(window, qtbot, "completed", "22")

    row = window.form.fields["completed"]
    message = row.message.text()
    assert message.startswith("Completed or analysed was changed by Ana at ")
    assert "your change was not saved. The field now shows their value." in message
    assert row.message.isVisibleTo(row)
    assert window.workspace.status_bar.currentMessage() == message
    assert row.editor.widget.text() == "18"  # type: ignore[attr-defined]
    value = stored(window, "completed")
    assert value is not None and (value.value, value.version) == (18, 2)
    # Now that the form shows their value, the reviewer's next edit is saved.
    type_value(window, qtbot, "completed", "22")
    assert stored(window, "completed").value == 22  # type: ignore[union-attr]


def test_an_empty_field_filled_elsewhere_is_not_overwritten(
    window: MainWindow, elsewhere: Project, qtbot: QtBot
) -> None:
    type_value(window, qtbot, "completed", "20")  # the extraction now exists
    extraction = window.workspace.extraction
    assert extraction is not None and window.form.fields["enrolled"].value is None
    editing.set_value(elsewhere, extraction.id, "enrolled", 23)

    type_value(window, qtbot, "enrolled", "25")

    row = window.form.fields["enrolled"]
    assert row.message.text().startswith("Enrolled was filled by Ana at ")
    assert row.editor.widget.text() == "23"  # type: ignore[attr-defined]
    assert stored(window, "enrolled").value == 23  # type: ignore[union-attr]
    stack = window.workspace.undo_stack()
    assert stack is not None and stack.count() == 1  # the refused edit cannot be undone


def test_undo_does_not_overwrite_a_change_made_elsewhere(
    window: MainWindow, elsewhere: Project, qtbot: QtBot
) -> None:
    type_value(window, qtbot, "completed", "20")
    extraction = window.workspace.extraction
    assert extraction is not None
    editing.set_value(elsewhere, extraction.id, "completed", 18)

    window.workspace.undo()

    value = stored(window, "completed")
    assert value is not None and value.value == 18
    message = window.workspace.status_bar.currentMessage()
    assert message.startswith("Completed or analysed was changed by Ana at ")
    # Once the form shows their value again, undoing the reviewer's own edit works.
    type_value(window, qtbot, "completed", "21")
    window.workspace.undo()
    assert stored(window, "completed").value == 18  # type: ignore[union-attr]
