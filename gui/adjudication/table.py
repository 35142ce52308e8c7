"""The adjudication table: one row per field, driven by single keys (A, B, E, Enter, J/K)."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from core.domain import Template
from core.domain.adjudication import AdjudicationItem, ItemState
from gui.adjudication.cells import PILLS_ROLE, AnswerCell, PillDelegate
from gui.adjudication.display import (
    EVIDENCE_PILL,
    Filter,
    Pill,
    answer_text,
    comparison_pill,
    decision_pill,
    shown,
    spec_of,
    waits,
)

PATH_ROLE = Qt.ItemDataRole.UserRole + 1
FIELD, STATE, ANSWER_A, ANSWER_B, FINAL, DECISION = range(6)
STATE_WIDTH, DECISION_WIDTH = 80, 92
SHARES = (0.37, 0.21, 0.21, 0.21)  # field, A, B, final
COMMAND_KEYS = {
    Qt.Key.Key_A: "a",
    Qt.Key.Key_B: "b",
    Qt.Key.Key_E: "edit",
    Qt.Key.Key_Return: "accept",
    Qt.Key.Key_Enter: "accept",
    Qt.Key.Key_Space: "accept",
    Qt.Key.Key_N: "next",
}
FILTER_KEYS = {
    Qt.Key.Key_1: Filter.DISAGREEMENTS,
    Qt.Key.Key_2: Filter.STALE,
    Qt.Key.Key_3: Filter.ALL,
}
# The keys above as the keyboard sheet (F1) lists them: what each does, and the keys.
TABLE_KEYS = (
    ("Next / previous field", "J, K"),
    ("Take reviewer A's answer", "A"),
    ("Take reviewer B's answer", "B"),
    ("Edit the final value (a reason is asked)", "E"),
    ("Accept the agreed answer", "Enter, Space"),
    ("Next field still to decide", "N"),
    ("Show disagreements / stale decisions / all", "1, 2, 3"),
)


class AdjudicationTable(QTableWidget):
    """Lists the items the filter lets through; keys become commands on the current row."""

    command = Signal(str, str)  # command ("a", "b", "edit", "accept", "next"), field path
    filter_requested = Signal(str)
    passage_clicked = Signal(int, int, int)
    current_path_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 6, parent)
        self.setObjectName("adjudicationTable")
        self.setHorizontalHeaderLabels(["Field", "Comparison", "A", "B", "Final", "Decision"])
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(30)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setMinimumSectionSize(40)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setItemDelegateForColumn(STATE, PillDelegate(self))
        self.setItemDelegateForColumn(DECISION, PillDelegate(self))
        self._paths: list[str] = []
        self._empty_text = ""
        self.currentCellChanged.connect(self._on_current_cell_changed)

    # -- content ------------------------------------------------------------------
    def set_items(
        self,
        items: tuple[AdjudicationItem, ...],
        template: Template,
        which: Filter,
        names: tuple[str, str],
        documents: dict[int, str],
        started: bool = True,
    ) -> None:
        """Show the items the filter lets through, keeping the current field if listed."""
        keep = self.current_path()
        listed = [item for item in items if shown(item, which, started)]
        self.blockSignals(True)
        self.clearContents()
        self.setRowCount(len(listed))
        self.setHorizontalHeaderLabels(
            ["Field", "Comparison", f"A · {names[0]}", f"B · {names[1]}", "Final", "Decision"]
        )
        self._paths = [item.path for item in listed]
        for row, item in enumerate(listed):
            self._fill_row(row, item, template, documents, started)
        self.blockSignals(False)
        if listed:
            row = self._paths.index(keep) if keep in self._paths else 0
            self.select_row(row)
        self.current_path_changed.emit(self.current_path() or "")

    def _fill_row(
        self,
        row: int,
        item: AdjudicationItem,
        template: Template,
        documents: dict[int, str],
        started: bool,
    ) -> None:
        spec = spec_of(template, item)
        empty = item.state is ItemState.EMPTY and item.final is None
        label = QTableWidgetItem(item.label)
        label.setData(PATH_ROLE, item.path)
        label.setToolTip(f"{item.label}\n{item.path}\n{item.comparison.reason}")
        if empty:
            label.setForeground(QBrush(QColor("#8a8a8a")))
        elif waits(item, started):
            font = QFont(label.font())
            font.setBold(True)
            label.setFont(font)
        self.setItem(row, FIELD, label)
        state = comparison_pill(item)
        pills = [state]
        if item.comparison.same_value_different_evidence:
            pills.append(EVIDENCE_PILL)
        self.setItem(row, STATE, _pill_item(pills, item.comparison.reason or state.tip))
        decision = decision_pill(item, started)
        self.setItem(row, DECISION, _pill_item([decision], decision.tip))
        for column, answer in (
            (ANSWER_A, item.answer_a),
            (ANSWER_B, item.answer_b),
            (FINAL, item.final),
        ):
            self.setItem(row, column, QTableWidgetItem(""))
            cell = AnswerCell(answer_text(spec, answer), answer, documents)
            cell.passage_clicked.connect(self.passage_clicked)
            cell.passage_clicked.connect(lambda *_args, r=row: self.select_row(r))
            self.setCellWidget(row, column, cell)

    def set_empty_text(self, text: str) -> None:
        """What the empty table says (drawn in place of rows)."""
        self._empty_text = text
        self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.rowCount() == 0 and self._empty_text:
            painter = QPainter(self.viewport())
            painter.setPen(QColor("#5f6368"))
            painter.drawText(
                self.viewport().rect().adjusted(24, 24, -24, -24),
                int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                self._empty_text,
            )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Fixed room for the pills; the rest shared by field name and the three answers."""
        free = max(self.viewport().width() - STATE_WIDTH - DECISION_WIDTH, 200)
        widths = [int(free * share) for share in SHARES]
        widths[-1] = free - sum(widths[:-1])
        for column, width in zip((FIELD, ANSWER_A, ANSWER_B, FINAL), widths, strict=True):
            self.setColumnWidth(column, width)
        self.setColumnWidth(STATE, STATE_WIDTH)
        self.setColumnWidth(DECISION, DECISION_WIDTH)

    def paths(self) -> list[str]:
        return list(self._paths)

    def current_path(self) -> str | None:
        row = self.currentRow()
        return self._paths[row] if 0 <= row < len(self._paths) else None

    def select_row(self, row: int) -> None:
        if 0 <= row < self.rowCount():
            self.setCurrentCell(row, FIELD)
            self.scrollTo(self.model().index(row, FIELD))

    def select_path(self, path: str) -> bool:
        if path not in self._paths:
            return False
        self.select_row(self._paths.index(path))
        return True

    def cell_for(self, path: str, column: int) -> AnswerCell | None:
        if path not in self._paths:
            return None
        widget = self.cellWidget(self._paths.index(path), column)
        return widget if isinstance(widget, AnswerCell) else None

    # -- keys ------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if plain and key in (Qt.Key.Key_J, Qt.Key.Key_K):
            step = 1 if key is Qt.Key.Key_J else -1
            self.select_row(min(max(self.currentRow() + step, 0), self.rowCount() - 1))
            return
        if plain and key in FILTER_KEYS:
            self.filter_requested.emit(FILTER_KEYS[key].value)
            return
        if plain and key in COMMAND_KEYS:
            path = self.current_path()
            if path is not None or COMMAND_KEYS[key] == "next":
                self.command.emit(COMMAND_KEYS[key], path or "")
            return
        super().keyPressEvent(event)

    def keyboardSearch(self, _search: str) -> None:
        """Letters are commands here, not a search by the first letter of a field."""

    def _on_current_cell_changed(self, row: int, _column: int, previous: int, _pc: int) -> None:
        if row != previous:
            self.current_path_changed.emit(self.current_path() or "")


def _pill_item(pills: list[Pill], tip: str) -> QTableWidgetItem:
    item = QTableWidgetItem(" ".join(p.text for p in pills).strip())
    item.setData(PILLS_ROLE, tuple(pills))
    item.setToolTip(tip)
    return item
