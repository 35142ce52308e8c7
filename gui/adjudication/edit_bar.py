"""The inline editor of a final value: a value or a status, a reason, optionally a passage."""

from itertools import pairwise
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from core.domain import FieldSpec, FieldStatus, FieldType, FieldValueInfo
from gui.adjudication.display import STATUS_TEXT, answer_text

STATUSES = (
    (FieldStatus.VALUE, "a value"),
    (FieldStatus.NOT_REPORTED, STATUS_TEXT[FieldStatus.NOT_REPORTED]),
    (FieldStatus.NOT_APPLICABLE, STATUS_TEXT[FieldStatus.NOT_APPLICABLE]),
    (FieldStatus.UNCLEAR, STATUS_TEXT[FieldStatus.UNCLEAR]),
)
QUOTE_CHARS = 60


class EditBar(QFrame):
    """Asks for the final value of one field; Enter (caught here, from any child) saves."""

    save_requested = Signal(str, object)  # path, {"value", "status", "reason", "evidence"}
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("editBar")
        self.path = ""
        self.spec: FieldSpec | None = None
        self._saving = False  # a save is on its way; Enter again must not decide twice
        self._passage: tuple[int, int, int] | None = None
        self.title = QLabel("", self)
        self.title.setObjectName("editTitle")
        self.line = QLineEdit(self)
        self.combo = QComboBox(self)
        self.status = QComboBox(self)
        for status, text in STATUSES:
            self.status.addItem(text, status.value)
        self.status.setToolTip("Or record that the documents do not give a value")
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText("Why this value? (required, logged)")
        self.evidence = QCheckBox(self)
        self.evidence.setToolTip(
            "Keep the passage selected in the document as this value's evidence"
        )
        self.message = QLabel("", self)
        self.message.setObjectName("editMessage")
        self.message.setWordWrap(True)
        self.save = QPushButton("Save   ⏎", self)
        self.save.setDefault(True)
        cancel = QPushButton("Cancel   Esc", self)
        grid = QGridLayout(self)
        grid.setContentsMargins(10, 8, 10, 8)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        grid.addWidget(self.title, 0, 0, 1, 4)
        grid.addWidget(QLabel("Value", self), 1, 0)
        value_row = QHBoxLayout()
        value_row.addWidget(self.line, 1)
        value_row.addWidget(self.combo, 1)
        value_row.addWidget(self.status)
        grid.addLayout(value_row, 1, 1, 1, 3)
        grid.addWidget(QLabel("Reason", self), 2, 0)
        grid.addWidget(self.reason, 2, 1, 1, 3)
        grid.addWidget(self.evidence, 3, 1, 1, 3)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.save)
        grid.addLayout(buttons, 4, 0, 1, 4)
        grid.setColumnStretch(1, 1)
        order = [self.line, self.combo, self.reason, self.status, self.evidence, cancel, self.save]
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)
        self.save.clicked.connect(self._on_save)
        cancel.clicked.connect(self.cancelled)
        self.status.currentIndexChanged.connect(self._on_status_changed)
        self.hide()

    def open_for(
        self,
        path: str,
        label: str,
        spec: FieldSpec | None,
        current: FieldValueInfo | None,
        passage: tuple[int, int, int, str] | None,
    ) -> None:
        """Show the editor for `path`, filled with the current final answer."""
        self.path, self.spec = path, spec
        self._saving = False
        self.title.setText(f"New final value for {label}")
        self.message.clear()
        self.reason.clear()
        choice = spec is not None and spec.type in (FieldType.SINGLE_CHOICE, FieldType.BOOLEAN)
        self.line.setVisible(not choice)
        self.combo.setVisible(choice)
        status = current.status if current is not None else FieldStatus.VALUE
        self.status.setCurrentIndex(max(self.status.findData(status.value), 0))
        if choice and spec is not None:
            self.combo.clear()
            if spec.type is FieldType.BOOLEAN:
                self.combo.addItem("Yes", True)
                self.combo.addItem("No", False)
            else:
                for option in spec.choices:
                    self.combo.addItem(option.label, option.code)
            value = current.value if current is not None else None
            self.combo.setCurrentIndex(max(self.combo.findData(value), 0))
        else:
            shown = current is not None and current.status is FieldStatus.VALUE
            self.line.setText(answer_text(spec, current) if shown else "")
            self.line.setPlaceholderText(spec.help[:80] if spec is not None else "")
            self.line.selectAll()
        self._passage = passage[:3] if passage is not None else None
        if passage is not None:
            quote = " ".join(passage[3].split())
            if len(quote) > QUOTE_CHARS:
                quote = quote[: QUOTE_CHARS - 1] + "…"
            self.evidence.setText(f"Evidence: the passage selected in the document, “{quote}”")
            self.evidence.setChecked(True)
        self.evidence.setVisible(passage is not None)
        self._on_status_changed()
        self.show()
        self.editor().setFocus()

    def clear(self) -> None:
        """Hide, forgetting every value shown (the next person may not see them)."""
        self.hide()
        for line in (self.line, self.reason):
            line.clear()
        self.combo.clear()
        self.evidence.setText("")
        self.message.clear()
        self.path, self._passage = "", None

    def editor(self) -> QWidget:
        return self.combo if self.combo.isVisible() else self.line

    def chosen_status(self) -> FieldStatus:
        return FieldStatus(self.status.currentData())

    def show_error(self, text: str) -> None:
        self._saving = False
        self.message.setText(text)

    def _on_status_changed(self, _index: int = 0) -> None:
        is_value = self.chosen_status() is FieldStatus.VALUE
        self.line.setEnabled(is_value)
        self.combo.setEnabled(is_value)

    def _on_save(self) -> None:
        if self._saving:
            return
        status = self.chosen_status()
        value: Any = None
        if status is FieldStatus.VALUE:
            value = self.combo.currentData() if self.combo.isVisible() else self.line.text().strip()
            if value is None or value == "":
                self.show_error("Type the value, or choose a status such as not reported.")
                self.editor().setFocus()
                return
        reason = self.reason.text().strip()
        if not reason:
            self.show_error("Say why: the reason is kept in the decision log.")
            self.reason.setFocus()
            return
        evidence = [self._passage] if self._passage and self.evidence.isChecked() else []
        self._saving = True
        self.message.setText("Saving…")
        self.save_requested.emit(
            self.path,
            {
                "value": value,
                "status": None if status is FieldStatus.VALUE else status,
                "reason": reason,
                "evidence": evidence,
            },
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.cancelled.emit()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._on_save()
            return
        super().keyPressEvent(event)
