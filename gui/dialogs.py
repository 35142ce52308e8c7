"""Small dialogs: who is working, send to field, reopen reason, shortcut sheet."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.services.audit_log import AuditInfo
from gui.actions import shortcut_rows
from gui.adjudication.table import TABLE_KEYS


class ReviewerDialog(QDialog):
    """Pick an existing reviewer or type a new name."""

    def __init__(self, names: list[str], current: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Who is working?")
        self.combo = QComboBox(self)
        self.combo.setEditable(True)
        self.combo.addItems(names)
        self.combo.setCurrentText(current or (names[0] if names else ""))
        self.combo.lineEdit().setPlaceholderText("Your name")  # type: ignore[union-attr]
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "Your name is stored with every value you enter. "
                "Pick it from the list or type a new one.",
                self,
            )
        )
        layout.addWidget(self.combo)
        layout.addWidget(buttons)

    def name(self) -> str:
        return " ".join(self.combo.currentText().split())


class SendToFieldDialog(QDialog):
    """A searchable list of the form's fields; Enter sends the selection to the chosen one."""

    def __init__(self, fields: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Send to field")
        self.resize(420, 480)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Type to filter fields")
        self.list = QListWidget(self)
        for path, label in fields:
            item = QListWidgetItem(label, self.list)
            item.setData(Qt.ItemDataRole.UserRole, path)
            item.setToolTip(path)
        self.list.setCurrentRow(0)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.list)
        self.filter.textChanged.connect(self._on_filter_text_changed)
        self.filter.returnPressed.connect(self.accept)
        self.list.itemActivated.connect(lambda _item: self.accept())

    def _on_filter_text_changed(self, text: str) -> None:
        words = text.casefold().split()
        first = None
        for index in range(self.list.count()):
            item = self.list.item(index)
            haystack = f"{item.text()} {item.data(Qt.ItemDataRole.UserRole)}".casefold()
            hidden = not all(w in haystack for w in words)
            item.setHidden(hidden)
            if not hidden and first is None:
                first = item
        if first is not None:
            self.list.setCurrentItem(first)

    def chosen_path(self) -> str | None:
        item = self.list.currentItem()
        if item is None or item.isHidden():
            return None
        return str(item.data(Qt.ItemDataRole.UserRole))


def _describe(state: object) -> str:
    if not isinstance(state, dict):
        return "" if state is None else str(state)
    status = state.get("status", "value")
    shown = state.get("value") if status == "value" else status.replace("_", " ")
    evidence = len(state.get("evidence") or state.get("anchors") or [])
    note = f"; note: {state['note']}" if state.get("note") else ""
    return f"{shown} ({evidence} passage{'s' if evidence != 1 else ''}){note}"


class FieldHistoryDialog(QDialog):
    """The audit trail of one field, newest first."""

    def __init__(self, label: str, entries: list[AuditInfo], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"History of {label}")
        self.resize(760, 400)
        self.table = QTableWidget(len(entries), 6, self)
        self.table.setHorizontalHeaderLabels(["When", "Who", "Action", "Before", "After", "Why"])
        for row, entry in enumerate(reversed(entries)):
            cells = [
                f"{entry.at.astimezone():%Y-%m-%d %H:%M:%S}",
                entry.actor,
                entry.action.replace("_", " "),
                _describe(entry.old),
                _describe(entry.new),
                entry.reason,
            ]
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout = QVBoxLayout(self)
        if not entries:
            layout.addWidget(QLabel("This field has not been changed yet.", self))
        layout.addWidget(self.table)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout.addWidget(close)


class ShortcutSheet(QDialog):
    """Every action with its shortcut, read from the action registry."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(560, 620)
        rows = shortcut_rows()
        extra = [
            ("Form", "Next / previous field", "Tab, Shift+Tab"),
            ("Form", "Fill the focused field from the selection", "Enter"),
            ("Form", "Drag a selected passage onto a field", "mouse"),
            *(("Adjudication table", action, keys) for action, keys in TABLE_KEYS),
        ]
        self.table = QTableWidget(len(rows) + len(extra), 3, self)
        self.table.setHorizontalHeaderLabels(["Menu", "Action", "Shortcut"])
        for index, row in enumerate(rows + extra):
            for column, text in enumerate(row):
                self.table.setItem(index, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
