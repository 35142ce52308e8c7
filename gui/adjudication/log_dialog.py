"""The decision log of a study: every decision on its final record, oldest first."""

from typing import Any

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.domain import FieldStatus, Template
from core.domain.adjudication import DecisionInfo
from core.parsing import format_value
from core.services.paths import parse_path
from gui.adjudication.display import CHOICE_WORDS, STATUS_TEXT

COLUMNS = ["When", "Who", "Field", "Decision", "Final value", "Reason"]


def answer_words(template: Template, path: str, answer: dict[str, Any] | None) -> str:
    """A stored decision's answer in words: the value, a status, or "empty"."""
    if answer is None:
        return "empty"
    status = FieldStatus(answer.get("status", FieldStatus.VALUE.value))
    if status is not FieldStatus.VALUE:
        return STATUS_TEXT.get(status, status.value)
    spec = template.field(parse_path(path).template_id)
    text = format_value(spec, answer.get("value")) if spec is not None else str(answer["value"])
    unit = answer.get("unit")
    if unit and not text.endswith(unit):
        text += f" {unit}"
    passages = len(answer.get("anchors") or [])
    return f"{text} ({passages} passage{'s' if passages != 1 else ''})"


class DecisionLogDialog(QDialog):
    """Read-only; superseded decisions are greyed, stale ones marked."""

    def __init__(
        self,
        study: str,
        entries: list[DecisionInfo],
        labels: dict[str, str],
        template: Template,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Decision log — {study}")
        self.resize(900, 440)
        self.table = QTableWidget(len(entries), len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        for row, entry in enumerate(entries):
            decision = CHOICE_WORDS[entry.choice]
            if entry.superseded:
                decision += " (superseded)"
            elif entry.stale:
                decision += " (stale)"
            cells = [
                f"{entry.at.astimezone():%Y-%m-%d %H:%M:%S}",
                entry.actor,
                labels.get(entry.path, entry.path),
                decision,
                answer_words(template, entry.path, entry.answer),
                entry.reason,
            ]
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                if entry.superseded:
                    cell.setForeground(QBrush(QColor("#8a8a8a")))
                self.table.setItem(row, column, cell)
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        summary = f"{len(entries)} decision{'s' if len(entries) != 1 else ''}"
        current = sum(1 for e in entries if not e.superseded)
        if entries:
            summary += f", {current} in force; superseded ones are greyed."
        layout.addWidget(QLabel(summary if entries else "No decision yet.", self))
        layout.addWidget(self.table)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
