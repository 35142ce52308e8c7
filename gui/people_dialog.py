"""People and assignments: who reviews and who adjudicates, and reviewers A and B per study."""

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.domain import Changes, ExtractionStatus, StudyInfo
from core.errors import TrialAbstractorError
from core.services import assignments, extractions
from core.services.access import Role
from core.services.project import Project

ROLE_TITLES = {Role.REVIEWER: "Reviewer", Role.ADJUDICATOR: "Adjudicator"}
STATUS_WORDS = {
    ExtractionStatus.IN_PROGRESS: "in progress",
    ExtractionStatus.SUBMITTED: "submitted",
    ExtractionStatus.FINAL: "final",
}
UNASSIGNED = "—"


class PeopleDialog(QDialog):
    """Every change is one service call, applied at once and published; errors are shown here."""

    def __init__(
        self,
        project: Project,
        actor: str,
        publish: Callable[[Changes], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.project, self.actor, self.publish = project, actor, publish
        self.setWindowTitle("People and assignments")
        self.resize(820, 600)
        intro = QLabel(
            "Reviewers extract; an adjudicator settles the two extractions of a study into "
            "its final record. Each study has two reviewer slots, A and B: assign them here, "
            "or the first two reviewers who start a study take them.",
            self,
        )
        intro.setWordWrap(True)
        self.people = QTableWidget(0, 3, self)
        self.people.setHorizontalHeaderLabels(["Name", "Role", "Studies"])
        self.new_name = QLineEdit(self)
        self.new_name.setPlaceholderText("New person's name")
        add = QPushButton("Add person", self)
        self.studies = QTableWidget(0, 3, self)
        self.studies.setHorizontalHeaderLabels(["Study", "Reviewer A", "Reviewer B"])
        for table in (self.people, self.studies):
            table.verticalHeader().hide()
            table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
            table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
            table.verticalHeader().setDefaultSectionSize(32)
        self.people.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.people.setColumnWidth(0, 200)
        self.people.setColumnWidth(1, 150)
        header = self.studies.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.studies.setColumnWidth(1, 210)
        self.studies.setColumnWidth(2, 210)
        self.message = QLabel("", self)
        self.message.setObjectName("dialogError")
        self.message.setWordWrap(True)
        people_box = QGroupBox("People", self)
        people_layout = QVBoxLayout(people_box)
        people_layout.addWidget(self.people)
        add_row = QHBoxLayout()
        add_row.addWidget(self.new_name, 1)
        add_row.addWidget(add)
        people_layout.addLayout(add_row)
        studies_box = QGroupBox("Studies", self)
        QVBoxLayout(studies_box).addWidget(self.studies)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(people_box, 2)
        layout.addWidget(studies_box, 3)
        layout.addWidget(self.message)
        layout.addWidget(close)
        add.clicked.connect(self._on_add_clicked)
        self.new_name.returnPressed.connect(self._on_add_clicked)
        self.reload()

    def reload(self) -> None:
        persons = assignments.people(self.project)
        studies = extractions.list_studies(self.project)
        slots: dict[int, dict[int, str]] = {}
        for assigned in assignments.assignments(self.project):
            slots.setdefault(assigned.study_id, {})[assigned.slot] = assigned.reviewer
        names = [p.name for p in persons]
        self.people.setRowCount(len(persons))
        for row, person in enumerate(persons):
            self.people.setItem(row, 0, QTableWidgetItem(person.name))
            combo = QComboBox(self.people)
            for role, title in ROLE_TITLES.items():
                combo.addItem(title, role)
            combo.setCurrentIndex(combo.findData(person.role))
            combo.activated.connect(
                lambda _i, c=combo, n=person.name: self._on_role_activated(n, c.currentData())
            )
            self.people.setCellWidget(row, 1, combo)
            held = [
                f"{'AB'[slot - 1]} of {study.name}"
                for study in studies
                for slot, name in slots.get(study.id, {}).items()
                if name == person.name
            ]
            summary = QTableWidgetItem(f"{len(held)} assigned" if held else "none assigned")
            summary.setToolTip("\n".join(held))
            self.people.setItem(row, 2, summary)
        self.studies.setRowCount(len(studies))
        for row, study in enumerate(studies):
            item = QTableWidgetItem(study.name)
            item.setToolTip(study.name)
            self.studies.setItem(row, 0, item)
            for slot in assignments.SLOTS:
                holder = slots.get(study.id, {}).get(slot)
                self.studies.setCellWidget(row, slot, self._slot_combo(study, slot, holder, names))

    def _slot_combo(
        self, study: StudyInfo, slot: int, holder: str | None, names: list[str]
    ) -> QComboBox:
        combo = QComboBox(self.studies)
        if holder is None:
            combo.addItem(UNASSIGNED, None)
        for name in names:
            combo.addItem(name, name)
        combo.setCurrentIndex(max(combo.findData(holder), 0))
        started = next(
            (e for e in study.extractions if e.reviewer == holder and e.kind == "reviewer"), None
        )
        label = assignments.SLOT_NAMES[slot]
        if started is not None:
            words = STATUS_WORDS.get(started.status, started.status.value)
            combo.setItemText(combo.currentIndex(), f"{holder} — {words}")
            combo.setEnabled(False)
            combo.setToolTip(
                f"{holder} has started this study as reviewer {label}; the slot stays theirs."
            )
        else:
            combo.setToolTip(f"Who extracts {study.name} as reviewer {label}")
        combo.activated.connect(
            lambda _i, c=combo: self._on_slot_activated(study.id, slot, c.currentData())
        )
        return combo

    def _apply(self, call: Callable[[], Changes], done: str) -> None:
        try:
            changes = call()
        except TrialAbstractorError as exc:
            self.message.setText(str(exc))
            self.message.setProperty("error", True)
        else:
            self.publish(changes)
            self.message.setText(done)
            self.message.setProperty("error", False)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.reload()

    def _on_role_activated(self, name: str, role: Role) -> None:
        self._apply(
            lambda: assignments.set_role(self.project, name, role, actor=self.actor),
            f"{name} is now {ROLE_TITLES[role].lower()}.",
        )

    def _on_slot_activated(self, study_id: int, slot: int, name: str | None) -> None:
        if name is None:
            return
        label = assignments.SLOT_NAMES[slot]
        self._apply(
            lambda: assignments.assign(self.project, study_id, name, slot=slot, actor=self.actor),
            f"{name} is reviewer {label} of that study.",
        )

    def _on_add_clicked(self) -> None:
        name = " ".join(self.new_name.text().split())
        if not name:
            self.new_name.setFocus()
            return

        def add() -> Changes:
            return extractions.add_reviewer(self.project, name)[1]

        self._apply(add, f"{name} added as a reviewer.")
        self.new_name.clear()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter in the name field adds a person; it must not close the dialog.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return
        super().keyPressEvent(event)
