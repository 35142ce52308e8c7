"""One field on the form: label, editor, unit, status buttons, evidence chips."""

import json
from typing import Any, cast

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.domain import FieldSpec, FieldStatus, FieldValueInfo, Severity
from core.domain.document import FieldSuggestion
from core.domain.findings import Finding
from gui.document_view.text_view import PASSAGE_MIME
from gui.form.chips import EvidenceChip, no_evidence_badge
from gui.form.editors import FieldEditor
from gui.form.suggestion import SuggestionLine

STATUS_BUTTONS = (
    (FieldStatus.NOT_REPORTED, "NR", "Not reported in the documents"),
    (FieldStatus.NOT_APPLICABLE, "NA", "Not applicable to this study"),
    (FieldStatus.UNCLEAR, "?", "Reported unclearly"),
)


class FieldRowWidget(QFrame):
    """Emits the reviewer's intents with the field path; the window calls the services."""

    focused = Signal(str)
    value_committed = Signal(str, object)
    status_clicked = Signal(str, object)  # path, FieldStatus
    chip_clicked = Signal(str, int)
    chip_removed = Signal(str, int)
    passage_dropped = Signal(str, int, int, int)  # path, document id, start, end
    enter_pressed = Signal(str)
    suggestion_shown = Signal(str)
    suggestion_accepted = Signal(str)

    def __init__(self, path: str, spec: FieldSpec, colour: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.path = path
        self.spec = spec
        self.value: FieldValueInfo | None = None
        self._shown = False
        self.setObjectName("fieldRow")
        self.setAcceptDrops(True)
        self.label = QLabel(spec.label + (" *" if spec.required else ""), self)
        self.label.setToolTip(_help_text(spec))
        self.label.setWordWrap(True)
        self.label.setMinimumWidth(150)
        self.label.setMaximumWidth(190)
        self.editor = FieldEditor(spec, self)
        self.unit = QLabel(spec.unit or "", self)
        self.status_buttons: dict[FieldStatus, QToolButton] = {}
        strip = QFrame(self)
        strip.setFixedWidth(4)
        strip.setStyleSheet(f"background: {colour};")
        buttons = QHBoxLayout()
        buttons.setSpacing(1)
        for status, text, tip in STATUS_BUTTONS:
            button = QToolButton(self)
            button.setText(text)
            button.setCheckable(True)
            button.setToolTip(tip)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(
                lambda _c=False, s=status: self.status_clicked.emit(self.path, s)
            )
            buttons.addWidget(button)
            self.status_buttons[status] = button
        self.evidence = QVBoxLayout()
        self.evidence.setSpacing(0)
        self.message = QLabel("", self)
        self.message.setObjectName("fieldMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        self.problems = QLabel("", self)
        self.problems.setObjectName("fieldProblems")
        self.problems.setWordWrap(True)
        self.problems.hide()
        self.suggestion_line: SuggestionLine | None = None  # made when first needed
        grid = QGridLayout(self)
        grid.setContentsMargins(2, 2, 2, 2)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(1)
        grid.addWidget(strip, 0, 0, 3, 1)
        grid.addWidget(self.label, 0, 1, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.editor.widget, 0, 2)
        grid.addWidget(self.unit, 0, 3)
        grid.addLayout(buttons, 0, 4)
        grid.addLayout(self.evidence, 1, 2, 1, 3)
        grid.addWidget(self.message, 3, 2, 1, 3)
        grid.addWidget(self.problems, 4, 2, 1, 3)
        grid.setColumnStretch(2, 1)
        self.editor.committed.connect(lambda v: self.value_committed.emit(self.path, v))
        for widget in self.editor.widgets():
            widget.installEventFilter(self)
            widget.setAcceptDrops(True)

    # -- showing stored state ---------------------------------------------
    def show_value(
        self, value: FieldValueInfo | None, document_names: dict[int, str], *, force: bool = False
    ) -> None:
        if not force and self._shown and value == self.value:
            return
        self._shown = True
        self.value = value
        status = value.status if value is not None else FieldStatus.VALUE
        self.editor.set_value(value.value if value is not None else None)
        self.unit.setText((value.unit if value and value.unit else None) or self.spec.unit or "")
        for key, button in self.status_buttons.items():
            button.setChecked(status is key)
        while self.evidence.count():
            item = self.evidence.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        anchors = value.anchors if value is not None else ()
        for index, anchor in enumerate(anchors):
            chip = EvidenceChip(index, anchor, document_names.get(anchor.document_id, "?"), self)
            chip.jump_requested.connect(lambda i: self.chip_clicked.emit(self.path, i))
            chip.remove_requested.connect(lambda i: self.chip_removed.emit(self.path, i))
            self.evidence.addWidget(chip)
        typed = value is not None and value.status is FieldStatus.VALUE and value.value is not None
        if typed and not anchors:
            self.evidence.addWidget(no_evidence_badge(self))
        self.setProperty("state", status.value if value is not None else "empty")
        self.style().unpolish(self)
        self.style().polish(self)

    @property
    def suggestion(self) -> FieldSuggestion | None:
        line = self.suggestion_line
        return line.suggestion if line is not None and line.isVisibleTo(self) else None

    def show_suggestion(self, suggestion: FieldSuggestion | None) -> None:
        """Offer a registry value under the editor; None takes the offer away."""
        if suggestion is None:
            if self.suggestion_line is not None:
                self.suggestion_line.hide()
            return
        if self.suggestion_line is None:
            self.suggestion_line = SuggestionLine(self.spec, self)
            self.suggestion_line.show_requested.connect(
                lambda: self.suggestion_shown.emit(self.path)
            )
            self.suggestion_line.accept_requested.connect(
                lambda: self.suggestion_accepted.emit(self.path)
            )
            grid = cast(QGridLayout, self.layout())
            grid.addWidget(self.suggestion_line, 2, 2, 1, 3)
        self.suggestion_line.set_suggestion(suggestion, self.value)
        self.suggestion_line.show()

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def set_findings(self, findings: list[Finding]) -> None:
        """Mark the field with the problems the checks found in it."""
        open_ones = [f for f in findings if not f.acknowledged]
        text = "\n".join(
            ("✖ " if f.severity is Severity.ERROR else "▲ ") + f.message for f in open_ones
        )
        self.problems.setText(text)
        self.problems.setVisible(bool(text))
        worst = (
            "error"
            if any(f.severity is Severity.ERROR for f in open_ones)
            else ("warning" if open_ones else "")
        )
        colour = "#b00020" if worst == "error" else "#8a5a00"
        self.problems.setStyleSheet(f"color: {colour};")
        if self.property("problem") != worst:
            self.setProperty("problem", worst)
            self.style().unpolish(self)
            self.style().polish(self)

    def is_empty(self) -> bool:
        return self.value is None

    def set_read_only(self, read_only: bool) -> None:
        self.editor.set_read_only(read_only)
        for button in self.status_buttons.values():
            button.setEnabled(not read_only)
        self.setAcceptDrops(not read_only)

    def focus(self) -> None:
        self.editor.focus_widget().setFocus(Qt.FocusReason.OtherFocusReason)

    # -- events -----------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.FocusIn, QEvent.Type.FocusOut) and self.suggestion_line is not None:
            self.suggestion_line.set_active(kind == QEvent.Type.FocusIn)
        if kind == QEvent.Type.FocusIn:
            self.focused.emit(self.path)
        elif kind == QEvent.Type.KeyPress:
            key_event = cast(QKeyEvent, event)
            enter = key_event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            plain = key_event.modifiers() == Qt.KeyboardModifier.NoModifier
            if enter and plain and not self.editor.has_typed_text():
                self.enter_pressed.emit(self.path)
                return True
        elif kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            drag = cast(QDropEvent, event)
            if self._passage(drag):
                drag.acceptProposedAction()
                return True
        elif kind == QEvent.Type.Drop:
            return self._drop(cast(QDropEvent, event))
        return False

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._passage(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        self._drop(event)

    def _passage(self, event: QDropEvent) -> dict[str, Any] | None:
        data = event.mimeData()
        if data is None or not data.hasFormat(PASSAGE_MIME):
            return None
        try:
            payload = json.loads(bytes(data.data(PASSAGE_MIME).data()).decode())
        except ValueError:
            return None
        return payload if isinstance(payload, dict) else None

    def _drop(self, event: QDropEvent) -> bool:
        payload = self._passage(event)
        if payload is None:
            return False
        event.acceptProposedAction()
        self.passage_dropped.emit(
            self.path, int(payload["document_id"]), int(payload["start"]), int(payload["end"])
        )
        return True


def _help_text(spec: FieldSpec) -> str:
    parts = [spec.label]
    if spec.help:
        parts.append(spec.help)
    if spec.min is not None or spec.max is not None:
        low = "" if spec.min is None else f"{spec.min:g}"
        high = "" if spec.max is None else f"{spec.max:g}"
        parts.append(f"Allowed: {low} to {high}".replace("to ", "to ", 1))
    if spec.required:
        parts.append("Required.")
    return "\n".join(parts)
