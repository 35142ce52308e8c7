"""The main window: composes study list, documents, form and status bar; no logic of its own."""

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from core.services.project import Project
from gui.actions import build_actions, update_enabled
from gui.adjudication.view import AdjudicationPanel
from gui.bus import ChangesBus
from gui.document_view.pane import DocumentPane, DocumentView
from gui.form.panel import FormPanel
from gui.problems_panel import ProblemsPanel
from gui.study_list import StudyListWidget
from gui.task_progress import TaskProgress
from gui.workspace import Workspace

ADJUDICATION_WIDTH = 700
STATUS_WORDS = {"in_progress": "in progress", "submitted": "submitted (locked)", "final": "final"}


class MainWindow(QMainWindow):
    """Study list | document | form, side by side."""

    def __init__(
        self, project: Project, reviewer: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.project = project
        self.bus = ChangesBus(self)
        self.study_list = StudyListWidget(self)
        self.documents = DocumentPane(self)
        self.form = FormPanel(project.template, self)
        self.problems = ProblemsPanel(self)
        self.right = QSplitter(Qt.Orientation.Vertical, self)
        self.right.addWidget(self.form)
        self.right.addWidget(self.problems)
        self.right.setStretchFactor(0, 4)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.adjudication = AdjudicationPanel(project.template, self)
        self.right_stack = QStackedWidget(self)
        self.right_stack.addWidget(self.right)
        self.right_stack.addWidget(self.adjudication)
        for widget in (self.study_list, self.documents, self.right_stack):
            self.splitter.addWidget(widget)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 2)
        self.setCentralWidget(self.splitter)
        self.progress = TaskProgress(self)
        self.who = QLabel(self)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.who)
        self.workspace = Workspace(
            self,
            project,
            self.bus,
            self.study_list,
            self.documents,
            self.form,
            self.problems,
            self.statusBar(),
            self.progress,
            self.adjudication,
        )
        self.actions_by_id = build_actions(self, self.workspace)
        self.workspace.state_changed.connect(self._on_workspace_state_changed)
        self.adjudication.active_changed.connect(self._on_adjudication_active_changed)
        self.setAcceptDrops(True)
        self.resize(1440, 900)
        self._restore_layout()
        remembered = self.workspace.remembered("reviewer")
        name = reviewer or (str(remembered) if remembered else None)
        if name:
            self.workspace.set_reviewer(name)
        self.workspace.refresh_studies()
        self._on_workspace_state_changed()

    def ask_reviewer_if_unknown(self) -> None:
        if self.workspace.reviewer is None:
            self.workspace.switch_reviewer()

    def current_view(self) -> DocumentView | None:
        return self.documents.current_view()

    def _restore_layout(self) -> None:
        settings = QSettings()
        geometry = settings.value("main_window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        splitter = settings.value("main_window/splitter")
        if not (isinstance(splitter, QByteArray) and self.splitter.restoreState(splitter)):
            self.splitter.setSizes([300, 600, 540])
        right = settings.value("main_window/right_splitter")
        if not (isinstance(right, QByteArray) and self.right.restoreState(right)):
            self.right.setSizes([700, 180])

    def _on_workspace_state_changed(self) -> None:
        ws = self.workspace
        parts = ["Trial Abstractor", self.project.label]
        if ws.study is not None:
            parts.append(ws.study.name)
        if ws.reviewer:
            parts.append(ws.reviewer)
        self.setWindowTitle(" — ".join(parts))
        status = "not started"
        if ws.extraction is not None:
            status = STATUS_WORDS.get(ws.extraction.status.value, ws.extraction.status.value)
        who = ws.reviewer or "no reviewer chosen"
        filled = sum(1 for r in self.form.fields.values() if not r.is_empty())
        if ws.is_adjudicating():
            self.who.setText(f"{who} · adjudicating")
        else:
            self.who.setText(f"{who} · {status} · {filled} field(s) filled")
        update_enabled(ws, self.actions_by_id)

    def _on_adjudication_active_changed(self, active: bool) -> None:
        self.right_stack.setCurrentWidget(self.adjudication if active else self.right)
        sizes = self.splitter.sizes()
        wanted = ADJUDICATION_WIDTH - sizes[2]
        if active and wanted > 0 and sum(sizes) > ADJUDICATION_WIDTH + 500:
            # The side-by-side table needs room: take it from the list, then the document.
            from_list = min(wanted, max(sizes[0] - 240, 0))
            from_document = wanted - from_list
            self.splitter.setSizes(
                [sizes[0] - from_list, sizes[1] - from_document, sizes[2] + wanted]
            )

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.workspace.import_paths(paths)

    def closeEvent(self, event: QCloseEvent) -> None:
        settings = QSettings()
        settings.setValue("main_window/geometry", self.saveGeometry())
        settings.setValue("main_window/splitter", self.splitter.saveState())
        settings.setValue("main_window/right_splitter", self.right.saveState())
        super().closeEvent(event)
