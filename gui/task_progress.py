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
        self._running: list[tuple[Operation, str]] = []
        self.hide()

    def follow(self, operation: Operation, what: str, total: int = 0) -> None:
        """Show `operation` until it ends; `what` names it on the Cancel button's tip.

        While several run, the latest is shown; when it ends, the one before comes back.
        """
        self._running.append((operation, what))
        operation.progressed.connect(
            lambda done, total, _label: self._on_progressed(operation, done, total)
        )
        operation.succeeded.connect(lambda _result: self._end(operation))
        operation.failed.connect(lambda _error: self._end(operation))
        self._show(operation, what, total)

    def _show(self, operation: Operation, what: str, total: int) -> None:
        self.operation = operation
        self.bar.setRange(0, total)
        self.bar.setValue(0)
        self.cancel_button.setEnabled(not operation.cancelled)
        self.cancel_button.setToolTip(f"Stop {what}; what is done so far is kept")
        self.show()

    def _on_progressed(self, operation: Operation, done: int, total: int) -> None:
        if operation is self.operation:
            self.bar.setRange(0, max(total, 1))
            self.bar.setValue(done)

    def _on_cancel_clicked(self) -> None:
        if self.operation is not None and self.operation.running:
            self.operation.cancel()
            self.cancel_button.setEnabled(False)

    def _end(self, operation: Operation) -> None:
        self._running = [(op, what) for op, what in self._running if op is not operation]
        if operation is not self.operation:
            return
        if self._running:
            self._show(*self._running[-1], total=0)
        else:
            self.hide()
