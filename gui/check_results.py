"""The results of "check all": one line per extraction, worst first; a double-click opens it."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.domain import Finding, StudyInfo, tally

COLUMNS = ("Study", "Reviewer", "Errors", "Warnings", "Accepted")
SORT_ROLE = Qt.ItemDataRole.UserRole
FILTER_ROLE = Qt.ItemDataRole.UserRole + 1  # "problems" on lines with errors or warnings
PROBLEMS = "problems"
ERROR_COLOUR = Qt.GlobalColor.darkRed
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class CheckedExtraction:
    """One extraction's outcome: errors left to fix, warnings, acknowledged findings."""

    study_id: int
    study: str
    reviewer: str
    errors: int
    warnings: int
    accepted: int

    @property
    def has_problems(self) -> bool:
        return self.errors > 0 or self.warnings > 0

    def cell(self, column: int) -> str | int:
        return (self.study, self.reviewer, self.errors, self.warnings, self.accepted)[column]


def checked_extractions(
    results: Mapping[int, Sequence[Finding]], studies: Sequence[StudyInfo]
) -> list[CheckedExtraction]:
    """The lines of the results, most errors first, then by study and reviewer."""
    lines = []
    for study in studies:
        for extraction in study.extractions:
            found = results.get(extraction.id)
            if found is None:
                continue
            reviewer = "final record" if extraction.kind == "final" else extraction.reviewer
            lines.append(CheckedExtraction(study.id, study.name, reviewer, *tally(found)))
    lines.sort(key=lambda line: (-line.errors, -line.warnings, line.study, line.reviewer))
    return lines


class _Model(QAbstractTableModel):
    def __init__(self, lines: list[CheckedExtraction], parent: QWidget) -> None:
        super().__init__(parent)
        self.lines = lines

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        line = self.lines[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = line.cell(index.column())
            return "" if value == 0 and index.column() >= 2 else str(value)
        if role == SORT_ROLE:
            return line.cell(index.column())
        if role == FILTER_ROLE:
            return PROBLEMS if line.has_problems else ""
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 2 and line.errors:
            return ERROR_COLOUR
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None


class CheckResultsDialog(QDialog):
    """Every checked extraction with its counts; not modal, so the list can be walked."""

    study_chosen = Signal(int)

    def __init__(
        self, lines: list[CheckedExtraction], summary: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Check all studies")
        self.summary = QLabel(summary, self)
        self.summary.setWordWrap(True)
        self.problems_only = QCheckBox("Only extractions with errors or warnings", self)
        self.problems_only.setChecked(True)
        self.model = _Model(lines, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterRole(FILTER_ROLE)
        self.proxy.setFilterFixedString(PROBLEMS)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # keep the given order
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setToolTip("Double-click or press Enter to open the study")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems_only)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        buttons.rejected.connect(self.reject)
        self.problems_only.toggled.connect(
            lambda on: self.proxy.setFilterFixedString(PROBLEMS if on else "")
        )
        self.table.activated.connect(self._on_table_activated)
        self.resize(760, 520)

    def shown_lines(self) -> list[CheckedExtraction]:
        """The lines in the order the table shows them."""
        proxy = self.proxy
        rows = (proxy.mapToSource(proxy.index(r, 0)).row() for r in range(proxy.rowCount()))
        return [self.model.lines[row] for row in rows]

    def _on_table_activated(self, index: QModelIndex) -> None:
        line = self.model.lines[self.proxy.mapToSource(index).row()]
        self.study_chosen.emit(line.study_id)
