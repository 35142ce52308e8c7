"""Adjudication calls run off the GUI thread one after the other, in the order asked for."""

from collections import deque
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from core.domain.adjudication import Adjudication
from core.domain.findings import Finding
from core.services import adjudication, checks
from core.services.project import Project
from gui.ops import Operation, TaskState, run_in_background

Fetched = tuple[Adjudication, list[Finding] | None]
Job = tuple[Callable[[TaskState], Any], Callable[[Any], None], Callable[[BaseException], None]]


def fetch(project: Project, study_id: int) -> Fetched:
    """The study's adjudication and, once started, the findings of its final record."""
    view = adjudication.adjudication(project, study_id)
    findings = None
    if view.final_extraction_id is not None:
        findings = checks.check_extraction(project, view.final_extraction_id)
    return view, findings


class SerialJobs:
    """A queue of background jobs: a decision is never overtaken by the next key press."""

    def __init__(self, parent: QObject, on_error: Callable[[BaseException], None]) -> None:
        self._parent = parent
        self._on_error = on_error
        self._jobs: deque[Job] = deque()
        self._operation: Operation | None = None

    @property
    def busy(self) -> bool:
        return bool(self._jobs) or (self._operation is not None and self._operation.running)

    def submit(
        self,
        work: Callable[[TaskState], Any],
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        self._jobs.append((work, done, failed or self._on_error))
        if self._operation is None or not self._operation.running:
            self._next()

    def clear(self) -> None:
        """Drop the jobs not yet started (the running one still ends)."""
        self._jobs.clear()

    def _next(self) -> None:
        if not self._jobs:
            self._operation = None
            return
        work, done, failed = self._jobs.popleft()

        def finished(result: Any) -> None:
            try:
                done(result)
            finally:
                self._next()

        def broke(error: BaseException) -> None:
            try:
                failed(error)
            finally:
                self._next()

        self._operation = run_in_background(work, finished, broke, parent=self._parent)
