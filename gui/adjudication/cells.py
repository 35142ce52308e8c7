"""Small widgets of the adjudication view: elided labels, passage chips, answer cells, pills."""

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from core.domain import Anchor, FieldValueInfo
from gui.adjudication.display import Pill

PILLS_ROLE = Qt.ItemDataRole.UserRole + 10


class ElidedLabel(QLabel):
    """A one-line label that ends in "…" when narrower than its text; `text()` stays whole."""

    def __init__(self, text: str = "", parent: QWidget | None = None, widest: int = 0) -> None:
        super().__init__(text, parent)
        self._widest = widest
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        if self._widest:
            hint.setWidth(min(hint.width(), self._widest))
        return hint

    def minimumSizeHint(self) -> QSize:
        return QSize(min(24, super().minimumSizeHint().width()), super().minimumSizeHint().height())

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = self.contentsRect()
        metrics = self.fontMetrics()
        text = metrics.elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(rect, int(self.alignment() | Qt.AlignmentFlag.AlignVCenter), text)


class PassageChip(ElidedLabel):
    """One passage of evidence as a link-coloured quote; a click shows it in the document."""

    clicked = Signal(int, int, int)  # document id, start, end

    def __init__(self, anchor: Anchor, document: str, parent: QWidget, extra: int = 0) -> None:
        quote = " ".join(anchor.exact.split())
        super().__init__(f"“{quote}”" + (f"  +{extra}" if extra else ""), parent)
        self.anchor = anchor
        self.setObjectName("passageChip")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        where = f"{document}, characters {anchor.start}–{anchor.end}"
        if anchor.page_index is not None:
            where += f", page {anchor.page_index + 1}"
        self.setToolTip(f"{anchor.exact}\n\n{where}\nClick to show it in the document.")

    def enterEvent(self, event: object) -> None:
        font = self.font()
        font.setUnderline(True)
        self.setFont(font)
        super().enterEvent(event)  # type: ignore[arg-type]

    def leaveEvent(self, event: object) -> None:
        font = self.font()
        font.setUnderline(False)
        self.setFont(font)
        super().leaveEvent(event)  # type: ignore[arg-type]

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() is Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.clicked.emit(self.anchor.document_id, self.anchor.start, self.anchor.end)
            event.accept()
            return
        super().mouseReleaseEvent(event)


class AnswerCell(QWidget):
    """An answer in a table cell: the value, then its first passage as a chip."""

    passage_clicked = Signal(int, int, int)

    def __init__(
        self,
        text: str,
        answer: FieldValueInfo | None,
        documents: dict[int, str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 4, 0)
        layout.setSpacing(8)
        self.value = ElidedLabel(text or "—", self, widest=160)
        self.value.setObjectName("answerValue" if text else "answerEmpty")
        self.value.setToolTip(text)
        layout.addWidget(self.value)
        self.chip: PassageChip | None = None
        anchors = answer.anchors if answer is not None else ()
        if anchors:
            first = anchors[0]
            self.chip = PassageChip(
                first, documents.get(first.document_id, "document"), self, len(anchors) - 1
            )
            self.chip.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            self.chip.clicked.connect(self.passage_clicked)
            layout.addWidget(self.chip, 1)
        else:
            layout.addStretch(1)


class PillDelegate(QStyledItemDelegate):
    """Draws the pills stored under `PILLS_ROLE` of a cell instead of its text."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        pills = index.data(PILLS_ROLE) or ()
        rect: QRect = opt.rect
        x = rect.left() + 6
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for pill in pills:
            if not isinstance(pill, Pill) or not pill.text:
                continue
            font = QFont(opt.font)
            font.setBold(pill.bold)
            metrics = QFontMetrics(font)
            height = metrics.height() + 4
            width = min(metrics.horizontalAdvance(pill.text) + 14, rect.right() - x - 2)
            if width <= 8:
                break
            box = QRect(x, rect.center().y() - height // 2 + 1, width, height)
            if pill.background:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(pill.background))
                painter.drawRoundedRect(box, height / 2, height / 2)
                align = Qt.AlignmentFlag.AlignCenter
            else:
                box.adjust(1, 0, 0, 0)
                align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
            painter.setFont(font)
            painter.setPen(QColor(pill.colour))
            text = metrics.elidedText(pill.text, Qt.TextElideMode.ElideRight, box.width() - 6)
            painter.drawText(box, int(align), text)
            x += width + 4
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        hint = super().sizeHint(option, index)
        metrics = QFontMetrics(option.font)
        pills = [p for p in index.data(PILLS_ROLE) or () if isinstance(p, Pill) and p.text]
        width = sum(metrics.horizontalAdvance(p.text) + 22 for p in pills) + 8
        return QSize(max(hint.width(), width), max(hint.height(), metrics.height() + 10))
