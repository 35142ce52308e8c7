"""The agreement report: per-field and overall agreement of double entry, with a bar chart."""

from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.adjudication import FieldAgreement
from core.errors import TrialAbstractorError
from core.services.agreement import ProjectAgreement, project_agreement
from core.services.project import Project
from gui.ops import Operation, run_in_background

LEVELS = (
    (90.0, "#4f9d5d", "90 % and more"),
    (75.0, "#e0a526", "75 to 90 %"),
    (0.0, "#d0505a", "under 75 %"),
)
FIELD_COLUMNS = ["Field", "Studies", "Items", "Agreement", "Exact", "Kappa"]
REVIEWER_COLUMNS = ["Reviewer", "Studies", "Answers", "Differ from final", "Disagreement"]


def percent_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} %"


def kappa_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def level_colour(percent: float) -> str:
    return next(colour for floor, colour, _ in LEVELS if percent >= floor)


@dataclass(frozen=True)
class Bar:
    label: str
    percent: float
    kappa: float | None
    items: int


class AgreementChart(QWidget):
    """Horizontal bars of percent agreement per field, coloured by level, kappa beside."""

    ROW = 24

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agreementChart")
        self._bars: list[Bar] = []
        self.setMinimumWidth(360)

    def set_fields(self, fields: list[FieldAgreement], labels: dict[str, str]) -> None:
        self._bars = [
            Bar(
                labels.get(f.field, f.label),
                f.percent_agreement,
                f.kappa.value if f.kappa is not None else None,
                f.n_items,
            )
            for f in fields
            if f.n_items and f.percent_agreement is not None
        ]
        self.updateGeometry()
        self.update()

    def bars(self) -> list[Bar]:
        return list(self._bars)

    def sizeHint(self) -> QSize:
        return QSize(520, 40 + self.ROW * max(len(self._bars), 1) + 36)

    def minimumSizeHint(self) -> QSize:
        return QSize(360, self.sizeHint().height())

    def _geometry(self) -> tuple[int, int, int, int, float]:
        """Label column, value text room, bar origin (left, top) and the width of 100 %."""
        metrics = QFontMetrics(self.font())
        widest = max((metrics.horizontalAdvance(b.label) for b in self._bars), default=0)
        label_width = min(widest + 12, 220)
        value_width = metrics.horizontalAdvance("100.0 %  κ −0.00") + 12
        left, top = 8 + label_width, 28
        return label_width, value_width, left, top, max(self.width() - left - value_width - 8, 60)

    def bar_rect(self, index: int) -> QRectF:
        """Where the bar of field number `index` is drawn."""
        _label, _value, left, top, width = self._geometry()
        length = width * max(min(self._bars[index].percent, 100.0), 0.0) / 100
        return QRectF(left, top + index * self.ROW + 5, max(length, 2), self.ROW - 10)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        metrics = QFontMetrics(self.font())
        if not self._bars:
            painter.setPen(QColor("#777777"))
            painter.drawText(
                self.rect(), int(Qt.AlignmentFlag.AlignCenter), "No field to chart yet."
            )
            return
        label_width, value_width, left, top, width = self._geometry()
        painter.setPen(QColor("#444444"))
        heading = QFont(self.font())
        heading.setBold(True)
        painter.setFont(heading)
        painter.drawText(8, 18, "Percent agreement per field")
        painter.setFont(self.font())
        bottom = top + self.ROW * len(self._bars)
        for tick in (0, 25, 50, 75, 100):
            x = left + width * tick / 100
            painter.setPen(QPen(QColor("#e4e4e4"), 1))
            painter.drawLine(int(x), top - 2, int(x), bottom)
            painter.setPen(QColor("#777777"))
            painter.drawText(
                QRectF(x - 20, bottom + 2, 40, 16), int(Qt.AlignmentFlag.AlignCenter), f"{tick}"
            )
        for index, bar in enumerate(self._bars):
            y = top + index * self.ROW
            painter.setPen(QColor("#222222"))
            label = metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, label_width - 10)
            painter.drawText(
                QRectF(8, y, label_width - 10, self.ROW),
                int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight),
                label,
            )
            box = self.bar_rect(index)
            length = box.width()
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(level_colour(bar.percent)))
            painter.drawRoundedRect(box, 2, 2)
            painter.setPen(QColor("#333333"))
            words = f"{bar.percent:.1f} %"
            if bar.kappa is not None:
                words += f"  κ {bar.kappa:.2f}"
            painter.drawText(
                QRectF(left + length + 6, y, value_width + width - length, self.ROW),
                int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                words,
            )
        x = float(left)
        for _floor, colour, words in LEVELS:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(colour))
            painter.drawRect(QRectF(x, bottom + 22, 10, 10))
            painter.setPen(QColor("#555555"))
            painter.drawText(int(x + 14), bottom + 32, words)
            x += 14 + metrics.horizontalAdvance(words) + 16


class AgreementReportDialog(QDialog):
    """Computes the report off the GUI thread when shown; `loaded` fires when it is in."""

    loaded = Signal()

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.agreement: ProjectAgreement | None = None
        self.setWindowTitle("Agreement report")
        self.resize(1120, 720)
        self.summary = QLabel("Computing agreement…", self)
        self.summary.setObjectName("reportSummary")
        self.summary.setWordWrap(True)
        self.show_empty = QCheckBox("Show fields nobody answered", self)
        self.fields = self._table(FIELD_COLUMNS)
        self.fields.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.chart = AgreementChart(self)
        scroll = QScrollArea(self)
        scroll.setWidget(self.chart)
        scroll.setWidgetResizable(True)
        self.reviewers = self._table(REVIEWER_COLUMNS)
        self.reviewers.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.reviewers.setMaximumHeight(120)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.fields)
        split.addWidget(scroll)
        split.setSizes([560, 520])
        reviewers_box = QGroupBox("Each reviewer against the final records", self)
        QVBoxLayout(reviewers_box).addWidget(self.reviewers)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.show_empty, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(reviewers_box)
        layout.addWidget(close)
        self.show_empty.toggled.connect(self._fill_fields)
        self._operation: Operation | None = run_in_background(
            lambda _state: project_agreement(project),
            self._on_computed,
            self._on_failed,
            parent=self,
        )

    def _table(self, columns: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(columns), self)
        table.setHorizontalHeaderLabels(columns)
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        for column in range(1, len(columns)):
            table.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.ResizeToContents
            )
        return table

    def _on_failed(self, error: BaseException) -> None:
        if isinstance(error, TrialAbstractorError):
            self.summary.setText(str(error))
        else:
            self.summary.setText(
                f"The report could not be computed: {type(error).__name__}: {error}"
            )

    def _on_computed(self, result: ProjectAgreement) -> None:
        self.agreement = result
        report = result.report
        overall = report.overall
        if not result.studies_compared:
            self.summary.setText(
                "No study has two submitted extractions yet: there is nothing to compare."
            )
        else:
            kappa = (
                f", mean kappa {overall.mean_kappa:.2f} over {overall.kappa_fields} "
                f"categorical field{'s' if overall.kappa_fields != 1 else ''}"
                if overall.mean_kappa is not None
                else ""
            )
            self.summary.setText(
                f"<b>{len(result.studies_compared)}</b> studies compared, "
                f"<b>{len(result.studies_final)}</b> with a finished final record. "
                f"Overall agreement <b>{percent_text(overall.percent_agreement)}</b> "
                f"({overall.agreed} of {overall.n_items} answers){kappa}."
            )
        self._fill_fields()
        self.chart.set_fields(list(report.fields), self._labels())
        self.reviewers.setRowCount(len(result.reviewers))
        for row, person in enumerate(result.reviewers):
            cells = [
                person.reviewer,
                str(person.n_studies),
                str(person.n_items),
                str(person.disagreed),
                percent_text(person.percent_disagreement),
            ]
            for column, text in enumerate(cells):
                self.reviewers.setItem(row, column, _cell(text, column > 0))
        if not result.reviewers:
            self.reviewers.setRowCount(1)
            self.reviewers.setItem(0, 0, QTableWidgetItem("No final record is finished yet."))
        self.loaded.emit()

    def _fill_fields(self, _checked: bool = False) -> None:
        if self.agreement is None:
            return
        report = self.agreement.report
        listed = [f for f in report.fields if f.n_items or self.show_empty.isChecked()]
        labels = self._labels()
        self.fields.setRowCount(len(listed) + 1)
        for row, found in enumerate(listed):
            kappa = found.kappa.value if found.kappa is not None else None
            cells = [
                labels.get(found.field, found.label),
                str(found.n_studies),
                str(found.n_items),
                percent_text(found.percent_agreement),
                percent_text(found.percent_exact),
                kappa_text(kappa),
            ]
            for column, text in enumerate(cells):
                cell = _cell(text, column > 0)
                if column == 0:
                    cell.setToolTip(found.field)
                if column == 3 and found.percent_agreement is not None:
                    cell.setForeground(QColor(level_colour(found.percent_agreement)).darker(130))
                if column == 5 and found.kappa is not None and found.kappa.reason:
                    cell.setToolTip(found.kappa.reason)
                self.fields.setItem(row, column, cell)
        overall = report.overall
        cells = [
            "Overall",
            str(overall.n_studies),
            str(overall.n_items),
            percent_text(overall.percent_agreement),
            "",
            kappa_text(overall.mean_kappa),
        ]
        for column, text in enumerate(cells):
            cell = _cell(text, column > 0)
            font = cell.font()
            font.setBold(True)
            cell.setFont(font)
            self.fields.setItem(len(listed), column, cell)

    def _labels(self) -> dict[str, str]:
        """Field labels, those inside a repeating group prefixed with the group's label."""
        labels = {}
        for section in self.project.template.sections:
            for spec in section.fields:
                labels[spec.id] = spec.label
            for group in section.groups:
                for spec in group.fields:
                    labels[f"{group.id}.{spec.id}"] = f"{group.label}: {spec.label}"
        return labels

    def row_of(self, label: str) -> list[str] | None:
        """The texts of the field table's row for `label` (None when not listed)."""
        for row in range(self.fields.rowCount()):
            first = self.fields.item(row, 0)
            if first is not None and first.text() == label:
                return [
                    item.text() if (item := self.fields.item(row, c)) is not None else ""
                    for c in range(self.fields.columnCount())
                ]
        return None


def _cell(text: str, number: bool) -> QTableWidgetItem:
    cell = QTableWidgetItem(text)
    if number:
        cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return cell
