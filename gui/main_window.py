"""The main window: composes the study list and the document view."""

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QSplitter, QTabWidget, QWidget

from core.services import documents, extractions
from core.services.project import Project
from gui.document_view.text_view import DocumentTextView
from gui.study_list import StudyListWidget


class MainWindow(QMainWindow):
    """Study list on the left, the selected study's documents as tabs on the right."""

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.study_list = StudyListWidget(self)
        self.documents = QTabWidget(self)
        self.documents.setDocumentMode(True)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.study_list)
        self.splitter.addWidget(self.documents)
        self.splitter.setStretchFactor(1, 3)
        self.setCentralWidget(self.splitter)
        self._status = QLabel(self)
        self.statusBar().addPermanentWidget(self._status)
        self.study_list.study_selected.connect(self._on_study_list_study_selected)
        self.study_list.document_selected.connect(self._on_study_list_document_selected)
        self.documents.currentChanged.connect(self._on_documents_current_changed)
        self.resize(1280, 800)
        self._restore_layout()
        self.refresh_studies()

    def _settings(self) -> QSettings:
        return QSettings()

    def _restore_layout(self) -> None:
        settings = self._settings()
        geometry = settings.value("main_window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        splitter = settings.value("main_window/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)
        else:
            self.splitter.setSizes([340, 940])

    def refresh_studies(self) -> None:
        studies = extractions.list_studies(self.project)
        self._update_title()
        self.study_list.set_studies(studies)
        last = self._settings().value(f"projects/{self.project.url}/last_study")
        if not (last is not None and self.study_list.select_study(int(str(last)))) and studies:
            self.study_list.select_study(studies[0].id)

    def _update_title(self, study: str | None = None) -> None:
        parts = ["Trial Abstractor", self.project.label] + ([study] if study else [])
        self.setWindowTitle(" — ".join(parts))

    def _show_study(self, study_id: int, document_id: int | None = None) -> None:
        study = next((s for s in extractions.list_studies(self.project) if s.id == study_id), None)
        if study is None:
            return
        self._settings().setValue(f"projects/{self.project.url}/last_study", study_id)
        self._update_title(study.name)
        self.documents.blockSignals(True)
        self.documents.clear()
        for doc in study.documents:
            view = DocumentTextView(self.documents)
            view.set_document(documents.document_text(self.project, doc.id))
            view.setProperty("document_id", doc.id)
            self.documents.addTab(view, doc.filename)
            self.documents.setTabToolTip(self.documents.count() - 1, doc.filename)
        self.documents.blockSignals(False)
        index = next((i for i, d in enumerate(study.documents) if d.id == document_id), 0)
        self.documents.setCurrentIndex(index)
        self._on_documents_current_changed(index)

    def current_view(self) -> DocumentTextView | None:
        widget = self.documents.currentWidget()
        return widget if isinstance(widget, DocumentTextView) else None

    def _on_study_list_study_selected(self, study_id: int) -> None:
        self._show_study(study_id)

    def _on_study_list_document_selected(self, study_id: int, document_id: int) -> None:
        self._show_study(study_id, document_id)

    def _on_documents_current_changed(self, _index: int) -> None:
        view = self.current_view()
        if view is None:
            self._status.setText("No document in this study")
            return
        chars = len(view.canonical_text())
        self._status.setText(
            f"{self.documents.tabText(self.documents.currentIndex())} · {chars:,} characters"
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        settings = self._settings()
        settings.setValue("main_window/geometry", self.saveGeometry())
        settings.setValue("main_window/splitter", self.splitter.saveState())
        super().closeEvent(event)
