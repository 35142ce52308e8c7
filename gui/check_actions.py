"""Handlers for the consistency checks: show findings, acknowledge, check all studies."""

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMainWindow, QMessageBox

from core.domain import ExtractionInfo
from core.domain.findings import Finding
from core.errors import TrialAbstractorError
from core.services import checks, extractions
from core.services.project import Project
from gui.check_results import CheckedExtraction, CheckResultsDialog, checked_extractions
from gui.form.panel import FormPanel
from gui.ops import Operation, TaskState, run_in_background
from gui.problems_panel import ProblemsPanel
from gui.task_progress import TaskProgress


class CheckActions:
    """Mixed into the workspace, which provides the attributes declared here."""

    window: QMainWindow
    project: Project
    form: FormPanel
    problems: ProblemsPanel
    progress: TaskProgress
    extraction: ExtractionInfo | None
    _check_all: Operation | None = None
    _check_results: CheckResultsDialog | None = None

    def say(self, text: str) -> None:
        raise NotImplementedError

    def publish(self, changes: Any) -> None:
        raise NotImplementedError

    def show_findings(self, known: list[Finding] | None = None) -> None:
        """Mark fields and fill the panel with `known` findings, or recompute them."""
        findings: list[Finding] = []
        if self.extraction is not None:
            findings = (
                known
                if known is not None
                else checks.check_extraction(self.project, self.extraction.id)
            )
        by_path: dict[str, list[Finding]] = {}
        for finding in findings:
            by_path.setdefault(finding.path, []).append(finding)
        for path, row in self.form.fields.items():
            row.set_findings(by_path.get(path, []))
        if self.extraction is None:
            self.problems.clear_findings("Nothing entered yet for this study.")
        else:
            labels = {f.path: self.form.label_of(f.path) for f in findings}
            self.problems.set_findings(findings, labels)

    def on_finding_activated(self, path: str) -> None:
        head = path.split("[", 1)[0]
        if not self.form.focus_field(path) and head in self.form.groups:
            self.form.ensureWidgetVisible(self.form.groups[head])

    def on_acknowledge_requested(self, key: str) -> None:
        if self.extraction is None:
            return
        reason, ok = QInputDialog.getText(
            self.window, "Acknowledge problem", "Why is this acceptable? (logged)"
        )
        if not ok:
            return
        try:
            self.publish(checks.acknowledge(self.project, self.extraction.id, key, reason))
        except TrialAbstractorError as exc:
            QMessageBox.warning(self.window, "Cannot acknowledge", str(exc))

    def check_all(self) -> None:
        """Check every extraction of the project off the GUI thread, with progress."""
        if self._check_all is not None and self._check_all.running:
            return
        project = self.project

        def work(state: TaskState) -> tuple[list[CheckedExtraction], int]:
            to_check = [0]

            def progress(done: int, total: int) -> None:
                to_check[0] = total
                state.notify(done, total)

            results = checks.check_all(project, progress=progress, cancel=lambda: state.cancelled)
            return checked_extractions(results, extractions.list_studies(project)), to_check[0]

        self.say("Checking all studies…")
        self._check_all = run_in_background(
            work, self._on_check_all_done, self._on_check_all_failed, parent=self.window
        )
        self.progress.follow(self._check_all, "checking")

    def _on_check_all_failed(self, error: BaseException) -> None:
        self.say("")
        QMessageBox.warning(self.window, "Check all", f"The check stopped: {error}")

    def _on_check_all_done(self, result: tuple[list[CheckedExtraction], int]) -> None:
        lines, total = result
        with_problems = sum(1 for line in lines if line.has_problems)
        errors = sum(line.errors for line in lines)
        summary = f"Checked {len(lines)} extraction(s): " + (
            f"{with_problems} with problems, {errors} error(s) to fix or acknowledge."
            if with_problems
            else "no problems."
        )
        if self._check_all is not None and self._check_all.cancelled:
            summary = f"Cancelled after {len(lines)} of {total} extractions. " + summary
        self.say(summary)
        if self._check_results is not None:
            self._check_results.close()
        dialog = CheckResultsDialog(lines, summary, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.study_chosen.connect(self.open_checked_study)
        dialog.destroyed.connect(self._on_check_results_destroyed)
        self._check_results = dialog
        dialog.show()
        self.show_findings()

    def _on_check_results_destroyed(self) -> None:
        self._check_results = None

    def open_checked_study(self, study_id: int) -> None:
        raise NotImplementedError
