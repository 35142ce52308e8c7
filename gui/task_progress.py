"""The status bar's progress of a long job (check all, import), with its Cancel button."""

from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QToolButton, QWidget

from gui.ops import Operation


class TaskProgress(QWidget):
    """Shows one running operation's progress; Cancel asks the job to stop."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar(self)
        self.bar.setMaximumWidth(200)
        self.cancel_button = QToolButton(self)
        self.cancel_button.setText("Cancel")
        self.cancel_button.setAutoRaise(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        self.operation: Operation | None = None
        self.hide()

    def follow(self, operation: Operation, what: str, total: int = 0) -> None:
        """Show `operation` until it ends; `what` names it on the Cancel button's tip."""
        self.operation = operation
        self.bar.setRange(0, total)
        self.bar.setValue(0)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setToolTip(f"Stop {what}; what is done so far is kept")
        operation.progressed.connect(self._on_operation_progressed)
        operation.succeeded.connect(lambda _result: self._end(operation))
        operation.failed.connect(lambda _error: self._end(operation))
        self.show()

    @property
    def cancelled(self) -> bool:
        """Whether the user asked the followed operation to stop."""
        state = self.operation.state if self.operation is not None else None
        return state is not None and state.cancelled

    def _on_operation_progressed(self, done: int, total: int, _label: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)

    def _on_cancel_clicked(self) -> None:
        if self.operation is not None and self.operation.running:
            self.operation.cancel()
            self.cancel_button.setEnabled(False)

    def _end(self, operation: Operation) -> None:
        if operation is self.operation:
            self.hide()
