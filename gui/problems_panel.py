"""The problems panel: the open extraction's findings; click one to go to its field."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.domain import Severity, tally
from core.domain.findings import Finding

SEVERITY_MARKS = {Severity.ERROR: "✖ error", Severity.WARNING: "▲ warning", Severity.INFO: "ℹ info"}
SEVERITY_COLOURS = {Severity.ERROR: "#b00020", Severity.WARNING: "#9a6200", Severity.INFO: "#555"}
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
PATH_ROLE = Qt.ItemDataRole.UserRole + 2


class ProblemsPanel(QWidget):
    """Lists findings; acknowledging needs a reason, asked by the workspace."""

    finding_activated = Signal(str)  # field path
    acknowledge_requested = Signal(str)  # finding key
    check_all_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel("No extraction open.", self)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(["Severity", "Field", "Problem"])
        self.tree.setRootIsDecorated(False)
        self.tree.setWordWrap(True)
        self.tree.setColumnWidth(0, 90)
        self.tree.setColumnWidth(1, 150)
        self.acknowledge = QPushButton("Acknowledge…", self)
        self.acknowledge.setToolTip(
            "Accept this problem with a reason (logged); an "
            "acknowledged error no longer blocks submitting"
        )
        self.acknowledge.setEnabled(False)
        check_all = QPushButton("Check all studies", self)
        header = QHBoxLayout()
        header.addWidget(self.summary, 1)
        header.addWidget(self.acknowledge)
        header.addWidget(check_all)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addLayout(header)
        layout.addWidget(self.tree)
        self.tree.itemActivated.connect(self._on_tree_item_activated)
        self.tree.itemClicked.connect(self._on_tree_item_activated)
        self.tree.currentItemChanged.connect(self._on_tree_current_item_changed)
        self.acknowledge.clicked.connect(self._on_acknowledge_clicked)
        check_all.clicked.connect(self.check_all_requested)
        self.findings: list[Finding] = []

    def set_findings(self, findings: list[Finding], labels: dict[str, str]) -> None:
        self.findings = list(findings)
        self.tree.clear()
        for finding in findings:
            mark = SEVERITY_MARKS.get(finding.severity, finding.severity.value)
            if finding.acknowledged:
                mark = "✓ accepted"
            message = finding.message
            if finding.acknowledged and finding.ack_reason:
                message += f" (accepted: {finding.ack_reason})"
            item = QTreeWidgetItem([mark, labels.get(finding.path, finding.path or "—"), message])
            colour = "#2e7d32" if finding.acknowledged else SEVERITY_COLOURS[finding.severity]
            item.setForeground(0, QColor(colour))
            item.setToolTip(2, f"{message}\ncode: {finding.code}")
            item.setData(0, KEY_ROLE, finding.key)
            item.setData(0, PATH_ROLE, finding.path)
            self.tree.addTopLevelItem(item)
        errors, warnings, _ = tally(findings)
        if not findings:
            self.summary.setText("No problems found.")
        else:
            self.summary.setText(f"{errors} error(s) to fix or acknowledge, {warnings} warning(s)")

    def clear_findings(self, text: str) -> None:
        self.findings = []
        self.tree.clear()
        self.summary.setText(text)

    def _on_tree_item_activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        path = item.data(0, PATH_ROLE)
        if path:
            self.finding_activated.emit(str(path))

    def _on_tree_current_item_changed(
        self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None
    ) -> None:
        self.acknowledge.setEnabled(current is not None)

    def _on_acknowledge_clicked(self) -> None:
        item = self.tree.currentItem()
        if item is not None:
            self.acknowledge_requested.emit(str(item.data(0, KEY_ROLE)))
