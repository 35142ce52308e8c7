"""The one helper that runs core calls off the GUI thread with progress and cancel.

A job is a plain function taking a `TaskState`; results and errors come back on
the GUI thread through the callbacks given to `run_in_background`.
"""

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class Cancelled(Exception):
    """Raised inside a job when the user cancelled it."""


class TaskState:
    """Handed to a job: report progress, and ask whether the user cancelled."""

    def __init__(self, emit: Callable[[int, int, str], None]) -> None:
        self._emit = emit
        self._cancel = threading.Event()

    def progress(self, done: int, total: int, label: str = "") -> None:
        """Report progress; raises `Cancelled` here once the user has cancelled."""
        self.notify(done, total, label)
        if self._cancel.is_set():
            raise Cancelled()

    def notify(self, done: int, total: int, label: str = "") -> None:
        """Report progress only, for a job that asks `cancelled` itself and stops cleanly."""
        self._emit(done, total, label)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


class _Signals(QObject):
    progressed = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object, str)


class _Job(QRunnable):
    def __init__(self, work: Callable[[TaskState], Any], signals: _Signals) -> None:
        super().__init__()
        self.work = work
        self.signals = signals
        self.state = TaskState(signals.progressed.emit)

    def run(self) -> None:
        try:
            result = self.work(self.state)
        except BaseException as exc:  # every failure goes back to the GUI thread
            self.signals.failed.emit(exc, traceback.format_exc())
        else:
            self.signals.finished.emit(result)


class Operation(QObject):
    """A running job; keeps its signals alive until it ends."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._signals = _Signals()
        self._signals.progressed.connect(self.progressed)
        self._signals.finished.connect(self._on_signals_finished)
        self._signals.failed.connect(self._on_signals_failed)
        self.state: TaskState | None = None
        self.running = False

    def start(self, work: Callable[[TaskState], Any]) -> None:
        job = _Job(work, self._signals)
        self.state = job.state
        self.running = True
        _ACTIVE.add(self)
        QThreadPool.globalInstance().start(job)

    def cancel(self) -> None:
        if self.state is not None:
            self.state.cancel()

    @property
    def cancelled(self) -> bool:
        """Whether the user asked the job to stop."""
        return self.state is not None and self.state.cancelled

    def _on_signals_finished(self, result: object) -> None:
        self.running = False
        _ACTIVE.discard(self)
        self.succeeded.emit(result)

    def _on_signals_failed(self, error: object, _trace: str) -> None:
        self.running = False
        _ACTIVE.discard(self)
        self.failed.emit(error)


_ACTIVE: set[Operation] = set()


def run_in_background(
    work: Callable[[TaskState], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
    on_progress: Callable[[int, int, str], None] | None = None,
    parent: QObject | None = None,
) -> Operation:
    """Run `work(state)` on a worker thread; callbacks run on the GUI thread."""
    operation = Operation(parent)
    operation.succeeded.connect(on_done)
    operation.failed.connect(on_error)
    if on_progress is not None:
        operation.progressed.connect(on_progress)
    operation.start(work)
    return operation
