"""The export dialog on a real project: it writes the files off the GUI thread and says
what it wrote, or why it could not, in words."""

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from core.export.options import EvidenceMode, RecordSet
from gui.export_dialog import ExportDialog
from gui.main_window import MainWindow
from tests.core.export.export_desk import NASTY, Scene, build_scene


@pytest.fixture
def scene(tmp_path: Path) -> Iterator[Scene]:
    built = build_scene(tmp_path / "project")
    yield built
    built.project.close()


@pytest.fixture
def dialog(qtbot: QtBot, scene: Scene) -> ExportDialog:
    shown = ExportDialog(scene.project)
    qtbot.addWidget(shown)
    shown.show()
    return shown


def choose(combo: object, value: object) -> None:
    index = combo.findData(value)  # type: ignore[attr-defined]
    assert index >= 0
    combo.setCurrentIndex(index)  # type: ignore[attr-defined]


def test_exports_and_shows_what_it_wrote(
    dialog: ExportDialog, qtbot: QtBot, scene: Scene, tmp_path: Path
) -> None:
    out = tmp_path / "exported"
    dialog.folder.setText(str(out))
    choose(dialog.evidence, EvidenceMode.COLUMNS)
    dialog.json.setChecked(True)
    with qtbot.waitSignal(dialog.export_finished, timeout=30_000) as finished:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    report = finished.args[0]
    assert sorted(f.name for f in report.files) == [
        "dictionary.csv",
        "records.csv",
        "records.json",
        "records_arms.csv",
    ]
    with (out / "records.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    nasty = next(r for r in rows if int(r["study_id"]) == scene.nasty_study)
    assert nasty["title__quote"] == "'" + NASTY  # protection is on by default
    summary = dialog.summary.toPlainText()
    assert "records.csv: 2 row(s)" in summary and "records.json" in summary
    assert "1 study has no final record yet" in summary
    assert dialog.message.text().startswith("Done: 4 file(s) written")
    assert dialog.progress.isHidden() and dialog.export_button.isEnabled()


def test_one_reviewers_work_with_codes_of_ones_own(
    dialog: ExportDialog, qtbot: QtBot, tmp_path: Path
) -> None:
    out = tmp_path / "ann"
    dialog.folder.setText(str(out))
    choose(dialog.records, RecordSet.REVIEWER)
    assert dialog.reviewer.isEnabled()
    dialog.reviewer.setCurrentText("Ann")
    dialog.unfinished.setChecked(True)
    dialog.code_nr.setText("-99")
    dialog.dictionary.setChecked(False)
    with qtbot.waitSignal(dialog.export_finished, timeout=30_000):
        dialog.export_button.click()
    with (out / "records.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == 3 and {r["reviewer"] for r in rows} == {"Ann"}
    assert "-99" in {r["mean_change"] for r in rows}
    assert not (out / "dictionary.csv").exists()


def test_errors_are_shown_in_words(dialog: ExportDialog, qtbot: QtBot, tmp_path: Path) -> None:
    dialog.export_button.click()
    assert dialog.message.text() == "Choose the folder to write the files into."
    dialog.folder.setText(str(tmp_path / "out"))
    dialog.code_na.setText("NR")
    dialog.export_button.click()
    assert "must differ" in dialog.message.text()
    assert dialog.message.property("error") is True
    dialog.code_na.setText("NAP")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    dialog.folder.setText(str(blocker))
    with qtbot.waitSignal(dialog.export_failed, timeout=30_000) as failed:
        dialog.export_button.click()
    assert "is a file, not a folder" in failed.args[0]
    assert dialog.message.text() == failed.args[0]
    assert dialog.export_button.isEnabled() and dialog.cancel_button.isHidden()


def test_cancel_writes_nothing(dialog: ExportDialog, qtbot: QtBot, tmp_path: Path) -> None:
    out = tmp_path / "cancelled"
    dialog.folder.setText(str(out))
    with qtbot.waitSignal(dialog.export_failed, timeout=30_000) as failed:
        dialog.export_button.click()
        assert dialog.running and dialog.cancel_button.isVisible()
        dialog.cancel_button.click()
    assert failed.args[0] == "Export cancelled; no file was written or changed."
    assert not out.exists()


def test_file_menu_opens_the_dialog(qtbot: QtBot, scene: Scene) -> None:
    window = MainWindow(scene.project)
    qtbot.addWidget(window)
    action = window.actions_by_id["export"]
    assert action.shortcut().toString() == "Ctrl+Shift+X"
    action.trigger()
    opened = window.findChildren(ExportDialog)
    assert len(opened) == 1 and opened[0].isVisible()
    assert opened[0].reviewer.findText("Ann") >= 0
    opened[0].close()
