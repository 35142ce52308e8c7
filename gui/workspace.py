"""The workspace: which study, reviewer and extraction are open, and the actions on them.

Views hold no project state of their own; they are refreshed from read models after
each published `Changes`.
"""

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QMainWindow,
    QMessageBox,
    QStatusBar,
)

from core.documents.pdf_engine import MEDIA_TYPE as PDF
from core.domain import Changes, ExtractionInfo, ExtractionStatus, StudyInfo
from core.errors import TrialAbstractorError
from core.services import documents, extractions, submission
from core.services.audit_log import audit_trail
from core.services.project import Project
from gui.adjudication.view import AdjudicationPanel
from gui.adjudication.workspace_actions import AdjudicationActions
from gui.bus import ChangesBus
from gui.check_actions import CheckActions
from gui.dialogs import FieldHistoryDialog, ReviewerDialog, ShortcutSheet
from gui.document_view.highlights import Highlight, section_colour
from gui.document_view.pane import DocumentPane
from gui.export_dialog import open_export_dialog
from gui.field_actions import FieldActions
from gui.form.field_row import FieldRowWidget
from gui.form.panel import FormPanel
from gui.ops import Operation, TaskState, run_in_background
from gui.problems_panel import ProblemsPanel
from gui.study_list import StudyListWidget
from gui.task_progress import TaskProgress


class Workspace(QObject, FieldActions, CheckActions, AdjudicationActions):
    """Owns the open study and extraction; handlers of the action registry live here."""

    state_changed = Signal()
    study_loaded = Signal(int)

    def __init__(
        self,
        window: QMainWindow,
        project: Project,
        bus: ChangesBus,
        study_list: StudyListWidget,
        pane: DocumentPane,
        form: FormPanel,
        problems: ProblemsPanel,
        status_bar: QStatusBar,
        progress: TaskProgress,
        adjudication: AdjudicationPanel | None = None,
    ) -> None:
        super().__init__(window)
        self.window, self.project, self.bus = window, project, bus
        self.study_list, self.pane, self.form, self.problems = study_list, pane, form, problems
        self.status_bar, self.progress = status_bar, progress
        self.reviewer: str | None = None
        self.study: StudyInfo | None = None
        self.extraction: ExtractionInfo | None = None
        self._stacks: dict[int, QUndoStack] = {}
        self._loading: Operation | None = None
        self._import: Operation | None = None
        bus.changed.connect(self._on_bus_changed)
        study_list.study_selected.connect(self._on_study_list_study_selected)
        study_list.document_selected.connect(self._on_study_list_document_selected)
        pane.highlight_clicked.connect(self.on_highlight_clicked)
        pane.fill_requested.connect(self.fill_focused_field)
        pane.send_to_field_requested.connect(self.send_to_field)
        pane.region_drawn.connect(self.on_region_drawn)
        problems.finding_activated.connect(self.on_finding_activated)
        problems.acknowledge_requested.connect(self.on_acknowledge_requested)
        problems.check_all_requested.connect(self.check_all)
        for group in form.groups.values():
            group.add_requested.connect(self.on_add_row)
            group.remove_requested.connect(self.on_remove_row)
            group.move_requested.connect(self.on_move_row)
        for row in form.fields.values():
            self._connect_row(row)
        self.init_adjudication(adjudication or AdjudicationPanel(project.template, window))

    # -- settings and identity --------------------------------------------------
    def _key(self, name: str) -> str:
        return f"projects/{self.project.url}/{name}"

    def remembered(self, name: str) -> Any:
        return QSettings().value(self._key(name))

    def remember(self, name: str, value: object) -> None:
        QSettings().setValue(self._key(name), value)

    def set_reviewer(self, name: str) -> None:
        info, changes = extractions.add_reviewer(self.project, name)
        self.reviewer = info.name
        self.project.viewer = info.name
        self.remember("reviewer", info.name)
        self.publish(changes)
        if self.study is not None:
            self.load_study(self.study.id)
        self.state_changed.emit()

    def switch_reviewer(self) -> bool:
        names = [r.name for r in extractions.list_reviewers(self.project)]
        dialog = ReviewerDialog(names, self.reviewer, self.window)
        if dialog.exec() and dialog.name():
            self.set_reviewer(dialog.name())
            return True
        return False

    def dialog_parent(self) -> object:
        return self.window

    # -- studies ------------------------------------------------------------------
    def refresh_studies(self) -> None:
        studies = extractions.list_studies(self.project)
        self.show_studies(studies)
        if self.study is None and studies:
            last = self.remembered("last_study")
            wanted = int(str(last)) if last is not None else studies[0].id
            if not self.study_list.select_study(wanted):
                self.study_list.select_study(studies[0].id)

    def _on_study_list_study_selected(self, study_id: int) -> None:
        if self.study is None or self.study.id != study_id:
            self.load_study(study_id)

    def _on_study_list_document_selected(self, study_id: int, document_id: int) -> None:
        if self.study is None or self.study.id != study_id:
            self.load_study(study_id, document_id)
        else:
            view = self.pane.view_for(document_id)
            if view is not None:
                self.pane.tabs.setCurrentWidget(view)

    def load_study(self, study_id: int, document_id: int | None = None) -> None:
        """Show a study: its documents load off the GUI thread, then the form fills."""
        study = extractions.get_study(self.project, study_id)
        if study is None:
            return
        self.study = study
        self.remember("last_study", study_id)
        self.extraction = next(
            (e for e in study.extractions if e.reviewer == self.reviewer and e.kind == "reviewer"),
            None,
        )
        self.pane.clear()
        self.say(f"Opening {study.name}…")
        self.load_suggestions(study_id)
        project = self.project

        def work(state: TaskState) -> list[Any]:
            texts = []
            for index, doc in enumerate(study.documents):
                state.progress(index, len(study.documents), doc.filename)
                text = documents.document_text(project, doc.id)
                data = documents.document_bytes(project, doc.id) if doc.media_type == PDF else None
                texts.append((doc, text, data))
            return texts

        self._loading = run_in_background(
            work,
            lambda texts: self._on_documents_loaded(study_id, document_id, texts),
            self._on_background_error,
            parent=self,
        )

    def _on_documents_loaded(
        self, study_id: int, document_id: int | None, texts: list[Any]
    ) -> None:
        if self.study is None or self.study.id != study_id:
            return
        self.pane.clear()
        for info, text, data in texts:
            view = self.pane.add_document(info, text, data)
            if info.id == document_id:
                self.pane.tabs.setCurrentWidget(view)
        if not texts:
            self.say("This study has no documents yet: import one with Ctrl+I.")
        else:
            self.status_bar.clearMessage()
        self.refresh_extraction()
        self.study_loaded.emit(study_id)

    # -- the extraction -----------------------------------------------------------
    def ensure_extraction(self) -> ExtractionInfo | None:
        if self.extraction is not None:
            return self.extraction
        if self.study is None or self.reviewer is None:
            self.say("Open a study first.")
            return None
        info, changes = extractions.start_extraction(self.project, self.study.id, self.reviewer)
        self.extraction = info
        self.publish(changes)
        return info

    def undo_stack(self) -> QUndoStack | None:
        if self.extraction is None:
            return None
        stack = self._stacks.get(self.extraction.id)
        if stack is None:
            stack = QUndoStack(self)
            stack.indexChanged.connect(self.state_changed)
            self._stacks[self.extraction.id] = stack
        return stack

    def refresh_extraction(self, changes: Changes | None = None) -> None:
        """Reload the open extraction's values into the form and the highlights."""
        values, counts = [], {}
        if self.extraction is not None:
            self.extraction = extractions.get_extraction(self.project, self.extraction.id)
            values = extractions.list_values(self.project, self.extraction.id)
            counts = extractions.row_counts(self.project, self.extraction.id)
        created = self.form.show_extraction(
            values, counts, self.document_names(), read_only=not self.can_edit()
        )
        for row in created:
            self._connect_row(row)
        self.show_suggestions(values, counts)
        by_document: dict[int, list[Highlight]] = {}
        for value in values:
            colour = section_colour(self.form.colour_of(value.path))
            for anchor in value.anchors:
                needs = anchor.status.value in ("needs_review", "orphaned")
                label = self.form.label_of(value.path) + (" (needs review)" if needs else "")
                by_document.setdefault(anchor.document_id, []).append(
                    Highlight(
                        anchor.start, anchor.end, value.path, label, colour, needs, anchor.rects
                    )
                )
        self.pane.set_highlights(by_document)
        carried = (
            changes is not None
            and self.extraction is not None
            and changes.findings_extraction == self.extraction.id
        )
        self.show_findings(list(changes.findings) if carried and changes else None)
        self.state_changed.emit()

    def _connect_row(self, row: FieldRowWidget) -> None:
        row.value_committed.connect(self.on_value_committed)
        row.status_clicked.connect(self.on_status_clicked)
        row.chip_clicked.connect(self.on_chip_clicked)
        row.chip_removed.connect(self.on_chip_removed)
        row.passage_dropped.connect(self.fill_span)
        row.enter_pressed.connect(self.on_enter_pressed)
        row.suggestion_accepted.connect(self.on_suggestion_accepted)
        row.suggestion_shown.connect(self.on_suggestion_shown)

    def publish(self, changes: Changes) -> None:
        self.bus.publish(changes)

    def _on_bus_changed(self, changes: Changes, _source: object) -> None:
        # Field edits leave the study list as it is; statuses, documents and people do not.
        if changes.documents or changes.reviewers or (changes.studies and not changes.fields):
            self.show_studies(extractions.list_studies(self.project))
        if self.extraction is not None and self.extraction.id in changes.extractions:
            self.refresh_extraction(changes)

    # -- predicates for the action registry --------------------------------------------
    def has_extraction(self) -> bool:
        return self.study is not None

    def can_edit(self) -> bool:
        if self.study is None or self.reviewer is None or self.adjudication_panel.active:
            return False
        return self.extraction is None or self.extraction.status is ExtractionStatus.IN_PROGRESS

    def can_fill(self) -> bool:
        return self.can_edit()

    def can_reopen(self) -> bool:
        return self.extraction is not None and self.extraction.status is ExtractionStatus.SUBMITTED

    # -- submit and reopen ------------------------------------------------------------
    def submit_extraction(self) -> None:
        extraction = self.extraction
        if extraction is None:
            self.say("Nothing to submit: this extraction has no values yet.")
            return
        answer = QMessageBox.question(
            self.window,
            "Submit extraction",
            "Submit your extraction of this study? It is then locked for editing until "
            "you reopen it with a reason.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.publish(submission.submit_extraction(self.project, extraction.id))
        except TrialAbstractorError as exc:
            QMessageBox.warning(self.window, "Cannot submit", str(exc))
            return
        self.say("Extraction submitted and locked.")

    def reopen_extraction(self) -> None:
        extraction = self.extraction
        if extraction is None:
            return
        reason, ok = QInputDialog.getText(
            self.window, "Reopen extraction", "Why is the extraction reopened? (logged)"
        )
        if not ok:
            return
        try:
            self.publish(submission.reopen_extraction(self.project, extraction.id, reason))
        except TrialAbstractorError as exc:
            QMessageBox.warning(self.window, "Cannot reopen", str(exc))
            return
        self.say("Extraction reopened for editing.")

    # -- documents: import, find, zoom -------------------------------------------------
    def import_documents(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self.window,
            "Import documents",
            "",
            "Documents (*.pdf *.txt *.text *.html *.htm *.json *.xml);;All files (*)",
        )
        if files:
            self.import_paths([Path(f) for f in files])

    def import_paths(self, paths: list[Path]) -> None:
        """Import files off the GUI thread, one study per file, with progress."""
        if self._import is not None and self._import.running:
            self.say("An import is already running.")
            return
        project = self.project

        def work(state: TaskState) -> Any:
            return documents.import_files(
                project,
                paths,
                actor=self.reviewer or "system",
                progress=state.notify,
                cancel=lambda: state.cancelled,
            )

        self._import = run_in_background(
            work,
            lambda result: self._on_import_done(result, len(paths)),
            self._on_background_error,
            self._on_import_progress,
            parent=self,
        )
        self.progress.follow(self._import, "importing", len(paths))

    def _on_import_progress(self, _done: int, _total: int, name: str) -> None:
        if name:
            self.say(f"Importing {name}…")

    def _on_import_done(self, result: Any, asked: int) -> None:
        outcomes, changes = result
        self.publish(changes)
        refused = [o.error for o in outcomes if o.error]
        added = sum(1 for o in outcomes if o.document is not None and not o.duplicate)
        dupes = sum(1 for o in outcomes if o.duplicate)
        left = asked - len(outcomes)
        self.say(
            f"Imported {added} document(s)"
            + (f", {dupes} already present" if dupes else "")
            + (f", {len(refused)} refused" if refused else "")
            + (f"; cancelled, {left} file(s) not imported" if left else "")
            + "."
        )
        if refused:
            QMessageBox.warning(self.window, "Some files were not imported", "\n\n".join(refused))
        if self.study is None:
            self.refresh_studies()

    def _on_background_error(self, error: BaseException) -> None:
        text = (
            str(error)
            if isinstance(error, TrialAbstractorError)
            else f"Something went wrong: {type(error).__name__}: {error}"
        )
        self.say(text)
        QMessageBox.warning(self.window, "Trial Abstractor", text)

    def open_checked_study(self, study_id: int) -> None:
        """Bring the window forward on a study picked in the check-all results."""
        self.study_list.select_study(study_id)
        self.window.activateWindow()
        self.window.raise_()

    def find_in_document(self) -> None:
        self.pane.open_find()

    def find_next(self) -> None:
        self.pane.find_step(True)

    def find_previous(self) -> None:
        self.pane.find_step(False)

    def zoom_in(self) -> None:
        self.pane.zoom(1)

    def zoom_out(self) -> None:
        self.pane.zoom(-1)

    def zoom_reset(self) -> None:
        self.pane.zoom(0)

    def show_field_history(self) -> None:
        path = self.form.current_path
        if path is None or self.extraction is None:
            self.say("Click a field with values first.")
            return
        entries = audit_trail(self.project, extraction_id=self.extraction.id, field=path)
        FieldHistoryDialog(self.form.label_of(path), entries, self.window).exec()

    def show_shortcuts(self) -> None:
        ShortcutSheet(self.window).exec()

    def export_records(self) -> None:
        open_export_dialog(self.project, self.window)

    def quit(self) -> None:
        self.window.close()
