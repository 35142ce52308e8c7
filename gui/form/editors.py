"""Field editors by type. Each reports a finished user edit through `committed`."""

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from core.domain import FieldSpec, FieldType
from core.parsing import format_value

PLACEHOLDERS = {
    FieldType.INTEGER: "number",
    FieldType.DECIMAL: "number",
    FieldType.PARTIAL_DATE: "e.g. 2024, Aug 2024 or 2024-08-15",
    FieldType.TEXT: "",
}


class FieldEditor(QObject):
    """Wraps the widget of one field; `committed` carries what the reviewer entered."""

    committed = Signal(object)  # str typed text, list[str] codes, bool, or None (emptied)

    def __init__(self, spec: FieldSpec, parent: QWidget) -> None:
        super().__init__(parent)
        self.spec = spec
        self.widget: QWidget = self._build(parent)
        self._loading = False

    def _build(self, parent: QWidget) -> QWidget:
        kind = self.spec.type
        if kind is FieldType.LONG_TEXT:
            edit = QPlainTextEdit(parent)
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(64)
            self._long = edit
            edit.installEventFilter(self)
            return edit
        if kind in (FieldType.SINGLE_CHOICE, FieldType.BOOLEAN):
            combo = QComboBox(parent)
            combo.addItem("—", None)
            if kind is FieldType.BOOLEAN:
                combo.addItem("Yes", True)
                combo.addItem("No", False)
            else:
                for choice in self.spec.choices:
                    combo.addItem(choice.label, choice.code)
            combo.activated.connect(lambda _i: self.committed.emit(combo.currentData()))
            self._combo = combo
            return combo
        if kind is FieldType.MULTIPLE_CHOICE:
            box = QWidget(parent)
            layout = QHBoxLayout(box)
            layout.setContentsMargins(0, 0, 0, 0)
            self._checks: list[QCheckBox] = []
            for choice in self.spec.choices:
                check = QCheckBox(choice.label, box)
                check.setProperty("code", choice.code)
                check.clicked.connect(lambda _c=False: self.committed.emit(self._codes()))
                layout.addWidget(check)
                self._checks.append(check)
            layout.addStretch(1)
            return box
        line = QLineEdit(parent)
        line.setPlaceholderText(PLACEHOLDERS.get(kind, ""))
        line.editingFinished.connect(self._on_line_editing_finished)
        self._line = line
        return line

    def focus_widget(self) -> QWidget:
        if self.spec.type is FieldType.MULTIPLE_CHOICE and self._checks:
            return self._checks[0]
        return self.widget

    def widgets(self) -> list[QWidget]:
        if self.spec.type is FieldType.MULTIPLE_CHOICE:
            return list(self._checks)
        return [self.widget]

    def _codes(self) -> list[str]:
        return [str(c.property("code")) for c in self._checks if c.isChecked()]

    def _on_line_editing_finished(self) -> None:
        if self._line.isModified():
            self._line.setModified(False)
            text = self._line.text().strip()
            self.committed.emit(text or None)

    def eventFilter(self, watched: QObject, event: Any) -> bool:
        long_text = getattr(self, "_long", None)
        focus_out = watched is long_text and event.type() == event.Type.FocusOut
        if focus_out and self._long.document().isModified():
            self._long.document().setModified(False)
            self.committed.emit(self._long.toPlainText().strip() or None)
        return False

    def has_typed_text(self) -> bool:
        if self.spec.type is FieldType.LONG_TEXT:
            return self._long.document().isModified()
        line = getattr(self, "_line", None)
        return bool(line is not None and line.isModified())

    def set_value(self, value: Any) -> None:
        """Show a stored value without emitting `committed`."""
        kind = self.spec.type
        if kind is FieldType.LONG_TEXT:
            if self._long.toPlainText() != (value or ""):
                self._long.setPlainText("" if value is None else str(value))
            self._long.document().setModified(False)
        elif kind in (FieldType.SINGLE_CHOICE, FieldType.BOOLEAN):
            index = self._combo.findData(value) if value is not None else 0
            self._combo.setCurrentIndex(max(index, 0))
        elif kind is FieldType.MULTIPLE_CHOICE:
            chosen = set(value or [])
            for check in self._checks:
                check.setChecked(check.property("code") in chosen)
        else:
            self._line.setText(format_value(self.spec, value))
            self._line.setModified(False)
            self._line.setCursorPosition(0)

    def set_read_only(self, read_only: bool) -> None:
        if self.spec.type is FieldType.LONG_TEXT:
            self._long.setReadOnly(read_only)
        elif hasattr(self, "_line"):
            self._line.setReadOnly(read_only)
        else:
            for widget in self.widgets():
                widget.setEnabled(not read_only)
