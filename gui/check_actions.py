"""Handlers for the consistency checks: show findings, acknowledge, check all studies."""

from typing import Any

from PySide6.QtWidgets import QInputDialog, QMainWindow, QMessageBox, QProgressBar

from core.domain import ExtractionInfo, Severity
from core.domain.findings import Finding
from core.errors import TrialAbstractorError
from core.services import checks, extractions
from core.services.project import Project
from gui.form.panel import FormPanel
from gui.ops import Operation, TaskState, run_in_background
from gui.problems_panel import ProblemsPanel


class CheckActions:
    """Mixed into the workspace, which provides the attributes declared here."""

    window: QMainWindow
    project: Project
    form: FormPanel
    problems: ProblemsPanel
    progress: QProgressBar
    extraction: ExtractionInfo | None
    _check_all: Operation | None = None

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
        self.progress.setRange(0, 0)
        self.progress.show()

        def work(state: TaskState) -> dict[int, list[Finding]]:
            return checks.check_all(
                project, progress=lambda d, t: state.progress(d, t), cancel=lambda: state.cancelled
            )

        self._check_all = run_in_background(
            work,
            self._on_check_all_done,
            self._on_check_all_failed,
            self._on_check_all_progress,
            parent=self.window,
        )

    def _on_check_all_progress(self, done: int, total: int, _label: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _on_check_all_failed(self, error: BaseException) -> None:
        self.progress.hide()
        QMessageBox.warning(self.window, "Check all", f"The check stopped: {error}")

    def _on_check_all_done(self, results: dict[int, list[Finding]]) -> None:
        self.progress.hide()
        names = {
            e.id: f"{s.name} ({e.reviewer})"
            for s in extractions.list_studies(self.project)
            for e in s.extractions
        }
        lines = []
        for extraction_id, found in sorted(results.items(), key=lambda r: names.get(r[0], "")):
            errors = sum(1 for f in found if f.blocking)
            warnings = sum(
                1 for f in found if f.severity is Severity.WARNING and not f.acknowledged
            )
            if errors or warnings:
                lines.append(
                    f"{names.get(extraction_id, extraction_id)}: "
                    f"{errors} error(s), {warnings} warning(s)"
                )
        summary = f"Checked {len(results)} extraction(s): " + (
            f"{len(lines)} with problems." if lines else "no problems."
        )
        self.say(summary)
        QMessageBox.information(self.window, "Check all", "\n".join([summary, "", *lines]))
        self.show_findings()
