"""The find bar under the document: query, match count, next and previous."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget


class FindBar(QWidget):
    """Emits the query as it is typed; Enter / Shift+Enter step through matches."""

    query_changed = Signal(str)
    step_requested = Signal(bool)  # forward?
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("Find in document")
        self.edit.setClearButtonEnabled(True)
        self.count = QLabel("", self)
        self.count.setMinimumWidth(90)
        previous = QToolButton(self)
        previous.setText("▲")
        previous.setToolTip("Previous match (Shift+F3)")
        following = QToolButton(self)
        following.setText("▼")
        following.setToolTip("Next match (F3)")
        close = QToolButton(self)
        close.setText("✕")
        close.setToolTip("Close (Esc)")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.count)
        layout.addWidget(previous)
        layout.addWidget(following)
        layout.addWidget(close)
        self.edit.textChanged.connect(self.query_changed)
        previous.clicked.connect(lambda: self.step_requested.emit(False))
        following.clicked.connect(lambda: self.step_requested.emit(True))
        close.clicked.connect(self._on_close_clicked)
        self.edit.installEventFilter(self)

    def show_count(self, index: int, total: int) -> None:
        if not self.edit.text():
            self.count.setText("")
        elif total == 0:
            self.count.setText("no matches")
        else:
            self.count.setText(f"{index} of {total}" if index else f"{total} matches")

    def eventFilter(self, watched: object, event: object) -> bool:
        if (
            watched is self.edit
            and isinstance(event, QKeyEvent)
            and event.type() == event.Type.KeyPress
        ):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                forward = not event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                self.step_requested.emit(bool(forward))
                return True
            if event.key() == Qt.Key.Key_Escape:
                self._on_close_clicked()
                return True
        return False

    def _on_close_clicked(self) -> None:
        self.hide()
        self.closed.emit()
