"""The first window: studies listed, the selected document's text shown."""

from pathlib import Path

from pytestqt.qtbot import QtBot

from core.services.demo import open_demo_project
from gui.document_view.text_view import DocumentTextView
from gui.main_window import MainWindow
from tests.helpers import SAMPLE_DOCS


def test_demo_project_shows_studies_and_text(qtbot: QtBot, tmp_path: Path) -> None:
    project = open_demo_project(tmp_path / "demo.sqlite")
    window = MainWindow(project)
    qtbot.addWidget(window)
    window.show()
    assert window.study_list.topLevelItemCount() == 5
    names = [window.study_list.topLevelItem(i).text(0) for i in range(5)]  # type: ignore[union-attr]
    assert "Hadizadeh 2024 - exosomes for Crohn's perianal fistula (phase II)" in names
    crohn = next(i for i, n in enumerate(names) if n.startswith("Hadizadeh"))
    window.study_list.setCurrentItem(window.study_list.topLevelItem(crohn))
    view = window.current_view()
    assert isinstance(view, DocumentTextView)
    expected = (SAMPLE_DOCS / "001_dbdeea00f2d7ba41.txt").read_text(encoding="utf-8")
    assert view.canonical_text() == expected
    # Qt stores paragraph ends as U+2029; every other character is shown as it is.
    assert view.document().toRawText().replace("\u2029", "\n") == expected
    assert "Hadizadeh 2024" in window.windowTitle()
    project.close()


def test_selection_maps_to_code_points_past_emoji(qtbot: QtBot) -> None:
    from core.domain import DocumentText

    view = DocumentTextView()
    qtbot.addWidget(view)
    text = "🧪 Trial 🧬🧬 enrolled Twenty-three patients"
    view.set_document(
        DocumentText(text=text, media_type="text/plain", extractor="t", extractor_version="1")
    )
    cursor = view.textCursor()
    start = text.index("Twenty-three")
    cursor.setPosition(start + 3)  # three astral characters before: +3 UTF-16 units
    cursor.setPosition(start + 3 + 12, cursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    assert view.selection() == (start, start + 12)
    begin, end = view.selection() or (0, 0)
    assert text[begin:end] == "Twenty-three"
