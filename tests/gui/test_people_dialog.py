"""The people and assignments dialog, checked in the project."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from core.domain import Changes
from core.services import assignments, documents, extractions
from core.services.access import Role
from core.services.project import Project
from gui.people_dialog import PeopleDialog
from tests.helpers import sample_files


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    project = Project.create(tmp_path / "team.sqlite")
    documents.import_files(project, sample_files()[:2])
    for name in ("Ann", "Ben", "Cleo"):
        extractions.add_reviewer(project, name)
    yield project
    project.close()


def choose(combo: QComboBox, text: str) -> None:
    """Pick an entry the way a user does: the combo reports it as activated."""
    index = combo.findText(text)
    assert index >= 0, text
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def test_roles_and_assignments_are_applied_and_published(project: Project, qtbot: QtBot) -> None:
    published: list[Changes] = []
    dialog = PeopleDialog(project, "lead", published.append)
    qtbot.addWidget(dialog)
    names = [dialog.people.item(r, 0).text() for r in range(dialog.people.rowCount())]
    assert names == ["Ann", "Ben", "Cleo"]

    role = dialog.people.cellWidget(names.index("Cleo"), 1)
    assert isinstance(role, QComboBox) and role.currentText() == "Reviewer"
    choose(role, "Adjudicator")
    roles = {p.name: p.role for p in assignments.people(project)}
    assert roles["Cleo"] is Role.ADJUDICATOR
    assert published[-1].reviewers

    study = extractions.list_studies(project)[0]
    slot_a = dialog.studies.cellWidget(0, 1)
    assert isinstance(slot_a, QComboBox) and slot_a.currentText() == "—"
    choose(slot_a, "Ann")
    slot_b = dialog.studies.cellWidget(0, 2)
    assert isinstance(slot_b, QComboBox)
    choose(slot_b, "Ann")  # the same person twice is refused, in words
    assert "already reviewer A" in dialog.message.text()
    choose(dialog.studies.cellWidget(0, 2), "Ben")  # type: ignore[arg-type]
    held = {(a.reviewer, a.slot) for a in assignments.assignments(project, study.id)}
    assert held == {("Ann", 1), ("Ben", 2)}

    # Once Ann starts, her slot is hers: the dialog shows it and does not offer it.
    extractions.start_extraction(project, study.id, "Ann")
    dialog.reload()
    slot_a = dialog.studies.cellWidget(0, 1)
    assert isinstance(slot_a, QComboBox)
    assert not slot_a.isEnabled() and slot_a.currentText() == "Ann — in progress"


def test_a_new_person_is_added_with_enter(project: Project, qtbot: QtBot) -> None:
    dialog = PeopleDialog(project, "lead", lambda _c: None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.new_name, "Dana  Lee")
    qtbot.keyClick(dialog.new_name, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert [p.name for p in assignments.people(project)][-1] == "Dana Lee"
    assert dialog.people.rowCount() == 4
