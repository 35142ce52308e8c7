"""A repeating group (arms, outcomes, adverse events): rows added, removed, reordered."""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.domain import GroupSpec
from gui.form.field_row import FieldRowWidget


def singular(label: str) -> str:
    word = label.split(" ")[0]
    for plural, single in (("Adverse", "Adverse event"), ("Arms", "Arm"), ("Outcomes", "Outcome")):
        if word.startswith(plural):
            return single
    return label.rstrip("s")


class RepeatingGroupWidget(QWidget):
    """Holds one box of field rows per group row."""

    add_requested = Signal(str)
    remove_requested = Signal(str, int)
    move_requested = Signal(str, int, int)

    def __init__(self, group: GroupSpec, colour: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.group = group
        self.colour = colour
        self.rows: list[dict[str, FieldRowWidget]] = []
        self._boxes: list[QGroupBox] = []
        title = QLabel(f"<b>{group.label}</b>", self)
        title.setToolTip(group.help)
        self.add_button = QPushButton(f"Add {singular(group.label).lower()}", self)
        self.add_button.clicked.connect(lambda: self.add_requested.emit(self.group.id))
        header = QHBoxLayout()
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.add_button)
        self.body = QVBoxLayout()
        self.empty = QLabel(f"No {group.label.lower()} yet.", self)
        self.empty.setObjectName("emptyGroup")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        layout.addLayout(header)
        layout.addWidget(self.empty)
        layout.addLayout(self.body)

    def set_row_count(self, count: int) -> list[FieldRowWidget]:
        """Make `count` row boxes; returns the field rows created anew."""
        created: list[FieldRowWidget] = []
        while len(self._boxes) > count:
            box = self._boxes.pop()
            self.rows.pop()
            box.deleteLater()
        while len(self._boxes) < count:
            created.extend(self._add_box(len(self._boxes) + 1).values())
        self.empty.setVisible(count == 0)
        return created

    def _add_box(self, position: int) -> dict[str, FieldRowWidget]:
        box = QGroupBox(f"{singular(self.group.label)} {position}", self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(4, 4, 4, 4)
        tools = QHBoxLayout()
        tools.addStretch(1)
        for text, tip, handler in (
            ("▲", "Move up", lambda p=position: self.move_requested.emit(self.group.id, p, p - 1)),
            (
                "▼",
                "Move down",
                lambda p=position: self.move_requested.emit(self.group.id, p, p + 1),
            ),
            (
                "Remove",
                "Remove this row and its values",
                lambda p=position: self.remove_requested.emit(self.group.id, p),
            ),
        ):
            button = QToolButton(box)
            button.setText(text)
            button.setToolTip(tip)
            button.clicked.connect(handler)
            tools.addWidget(button)
        layout.addLayout(tools)
        fields: dict[str, FieldRowWidget] = {}
        for spec in self.group.fields:
            path = f"{self.group.id}[{position}].{spec.id}"
            row = FieldRowWidget(path, spec, self.colour, box)
            layout.addWidget(row)
            fields[path] = row
        self.body.addWidget(box)
        self._boxes.append(box)
        self.rows.append(fields)
        return fields

    def set_read_only(self, read_only: bool) -> None:
        self.add_button.setEnabled(not read_only)
        for box in self._boxes:
            for button in box.findChildren(QToolButton):
                if button.parent() is box:
                    button.setEnabled(not read_only)
