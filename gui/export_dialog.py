"""The export dialog: which records, which files, where; runs the export off the GUI thread."""

from pathlib import Path

from pydantic import ValidationError as PydanticValidationError
from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.errors import TrialAbstractorError
from core.export.options import EvidenceMode, ExportOptions, RecordSet, StatusCodes
from core.services import extractions
from core.services.export import ExportReport, export_project
from core.services.project import Project
from gui.ops import Cancelled, Operation, TaskState, run_in_background

RECORD_CHOICES = (
    (RecordSet.FINAL, "Final records (adjudicated)"),
    (RecordSet.REVIEWER, "One reviewer's extractions"),
    (RecordSet.ALL, "Every extraction and final record, with a reviewer column"),
)
EVIDENCE_CHOICES = (
    (EvidenceMode.NONE, "No evidence"),
    (EvidenceMode.COLUMNS, "Quote, document, page and offsets beside each field"),
    (EvidenceMode.FILE, "One row per passage in evidence.csv"),
)
FOLDER_KEY = "export/folder"
MESSAGES = {
    "no_folder": "Choose the folder to write the files into.",
    "no_reviewer": "Choose the reviewer whose extractions are exported.",
    "cancelled": "Export cancelled; no file was written or changed.",
    "running": "Exporting…",
}


class ExportDialog(QDialog):
    """Options on the left of the user's mind, results below; one export at a time."""

    export_finished = Signal(object)  # the ExportReport
    export_failed = Signal(str)  # the message shown

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.report: ExportReport | None = None
        self._operation: Operation | None = None
        self._close_when_done = False
        self.setWindowTitle("Export records")
        self.resize(640, 640)

        self.records = QComboBox(self)
        for which, title in RECORD_CHOICES:
            self.records.addItem(title, which)
        self.reviewer = QComboBox(self)
        self.reviewer.addItems([r.name for r in extractions.list_reviewers(project)])
        self.unfinished = QCheckBox("Include records still in progress", self)
        self.unfinished.setToolTip(
            "Without this, only final records (or submitted extractions) are written."
        )
        self.evidence = QComboBox(self)
        for mode, words in EVIDENCE_CHOICES:
            self.evidence.addItem(words, mode)
        self.dictionary = QCheckBox("Data dictionary (dictionary.csv)", self)
        self.dictionary.setChecked(True)
        self.json = QCheckBox("Records with their evidence anchors (records.json)", self)
        self.jsonld = QCheckBox("Evidence as W3C Web Annotations (annotations.jsonld)", self)
        self.redcap = QCheckBox("REDCap data dictionary and import file", self)
        self.bom = QCheckBox("Byte order mark, so Excel reads UTF-8", self)
        self.protect = QCheckBox("Protect against spreadsheet formulas", self)
        self.protect.setChecked(True)
        self.protect.setToolTip(
            "Text cells that start with = + - @, a tab or a carriage return get a leading "
            "' so that a spreadsheet shows them instead of running them. Numbers stay numbers."
        )
        defaults = StatusCodes()
        self.code_nr = QLineEdit(str(defaults.not_reported), self)
        self.code_na = QLineEdit(str(defaults.not_applicable), self)
        self.code_unclear = QLineEdit(str(defaults.unclear), self)
        self.folder = QLineEdit(self)
        self.folder.setPlaceholderText("Folder for the files")
        remembered = QSettings().value(FOLDER_KEY)
        if remembered:
            self.folder.setText(str(remembered))
        self.choose = QPushButton("Choose…", self)
        self.progress = QProgressBar(self)
        self.progress.hide()
        self.message = QLabel("", self)
        self.message.setObjectName("dialogError")
        self.message.setWordWrap(True)
        self.summary = QPlainTextEdit(self)
        self.summary.setReadOnly(True)
        self.summary.setPlaceholderText("What the export writes is listed here.")
        self.buttons = QDialogButtonBox(self)
        self.export_button = self.buttons.addButton(
            "Export", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button = self.buttons.addButton(
            "Cancel export", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.cancel_button.hide()
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self._lay_out()
        self.records.currentIndexChanged.connect(self._on_records_changed)
        self.choose.clicked.connect(self._on_choose_clicked)
        self.export_button.clicked.connect(self.start_export)
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        self.close_button.clicked.connect(self.reject)
        self._on_records_changed()

    def _lay_out(self) -> None:
        which = QGroupBox("Records", self)
        form = QFormLayout(which)
        form.addRow("Export", self.records)
        form.addRow("Reviewer", self.reviewer)
        form.addRow("", self.unfinished)
        files = QGroupBox("Files", self)
        files_layout = QFormLayout(files)
        files_layout.addRow("Evidence", self.evidence)
        for box in (self.dictionary, self.json, self.jsonld, self.redcap):
            files_layout.addRow("", box)
        cells = QGroupBox("Cells", self)
        cells_layout = QFormLayout(cells)
        cells_layout.addRow("Not reported", self.code_nr)
        cells_layout.addRow("Not applicable", self.code_na)
        cells_layout.addRow("Unclear", self.code_unclear)
        cells_layout.addRow("", self.protect)
        cells_layout.addRow("", self.bom)
        where = QHBoxLayout()
        where.addWidget(self.folder, 1)
        where.addWidget(self.choose)
        layout = QVBoxLayout(self)
        layout.addWidget(which)
        layout.addWidget(files)
        layout.addWidget(cells)
        layout.addLayout(where)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(self.summary, 1)
        layout.addWidget(self.buttons)

    # -- options ----------------------------------------------------------------------
    def options(self) -> ExportOptions:
        """The options as chosen; raises ValueError with a message in words."""
        which = RecordSet(self.records.currentData())
        reviewer = self.reviewer.currentText().strip() if which is RecordSet.REVIEWER else None
        if which is RecordSet.REVIEWER and not reviewer:
            raise ValueError(MESSAGES["no_reviewer"])
        try:
            codes = StatusCodes(
                not_reported=self.code_nr.text(),
                not_applicable=self.code_na.text(),
                unclear=self.code_unclear.text(),
            )
        except PydanticValidationError as exc:
            message = str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
            raise ValueError(f"Codes: {message}.") from None
        return ExportOptions(
            records=which,
            reviewer=reviewer,
            include_unfinished=self.unfinished.isChecked(),
            evidence=EvidenceMode(self.evidence.currentData()),
            dictionary=self.dictionary.isChecked(),
            write_json=self.json.isChecked(),
            jsonld=self.jsonld.isChecked(),
            redcap=self.redcap.isChecked(),
            bom=self.bom.isChecked(),
            formula_protection=self.protect.isChecked(),
            codes=codes,
        )

    def _on_records_changed(self) -> None:
        self.reviewer.setEnabled(self.records.currentData() == RecordSet.REVIEWER)

    def _on_choose_clicked(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Export into", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    # -- running ------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._operation is not None and self._operation.running

    def start_export(self) -> None:
        if self.running:
            return
        folder = self.folder.text().strip()
        if not folder:
            self._show_error(MESSAGES["no_folder"])
            return
        try:
            options = self.options()
        except ValueError as exc:
            self._show_error(str(exc))
            return
        QSettings().setValue(FOLDER_KEY, folder)
        project, target = self.project, Path(folder).expanduser()

        def work(state: TaskState) -> ExportReport:
            return export_project(project, target, options, progress=state.progress)

        self.report = None
        self.summary.clear()
        self._show_message(MESSAGES["running"], error=False)
        self.progress.setRange(0, 0)
        self.progress.show()
        self._set_running(True)
        self._operation = run_in_background(
            work, self._on_export_done, self._on_export_error, self._on_export_progress, self
        )

    def _set_running(self, running: bool) -> None:
        self.export_button.setEnabled(not running)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)
        for widget in (self.records, self.reviewer, self.folder, self.choose):
            widget.setEnabled(not running)
        if not running:
            self._on_records_changed()

    def _on_export_progress(self, done: int, total: int, label: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        if label:
            self.message.setText(label)

    def _on_export_done(self, report: ExportReport) -> None:
        self.report = report
        self._finish()
        self.summary.setPlainText(report.summary())
        count = len(report.files)
        self._show_message(f"Done: {count} file(s) written to {report.folder}.", error=False)
        self.export_finished.emit(report)
        self._close_if_asked()

    def _on_export_error(self, error: BaseException) -> None:
        self._finish()
        if isinstance(error, Cancelled):
            text = MESSAGES["cancelled"]
        elif isinstance(error, TrialAbstractorError):
            text = str(error)
        else:
            text = f"The export failed: {type(error).__name__}: {error}"
        self._show_error(text)
        self.export_failed.emit(text)
        self._close_if_asked()

    def _finish(self) -> None:
        self.progress.hide()
        self._set_running(False)

    def _on_cancel_clicked(self) -> None:
        if self._operation is not None:
            self._operation.cancel()
            self.cancel_button.setEnabled(False)

    def _show_error(self, text: str) -> None:
        self._show_message(text, error=True)

    def _show_message(self, text: str, *, error: bool) -> None:
        self.message.setText(text)
        self.message.setProperty("error", error)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)

    # -- closing while an export runs: cancel it, close once it has stopped -------------
    def _close_if_asked(self) -> None:
        if self._close_when_done:
            self._close_when_done = False
            super().reject()

    def reject(self) -> None:
        if self.running:
            self._close_when_done = True
            self._on_cancel_clicked()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.running:
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)


def open_export_dialog(project: Project, parent: QWidget | None = None) -> ExportDialog:
    """Show the dialog without blocking (window-modal); it deletes itself when closed."""
    dialog = ExportDialog(project, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
