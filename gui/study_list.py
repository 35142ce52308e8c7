"""The study list: studies with their documents and each reviewer's extraction status."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from core.domain import StudyInfo

STATUS_WORDS = {"in_progress": "in progress", "submitted": "submitted", "final": "final"}
DOCUMENT_ROLE = Qt.ItemDataRole.UserRole + 1
STUDY_ROLE = Qt.ItemDataRole.UserRole + 2


class StudyListWidget(QTreeWidget):
    """Studies as top-level items; their documents and extractions as children."""

    study_selected = Signal(int)
    document_selected = Signal(int, int)  # study id, document id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderLabels(["Studies"])
        self.setWordWrap(True)
        self.setIndentation(14)
        self.currentItemChanged.connect(self._on_current_item_changed)

    def set_studies(self, studies: list[StudyInfo]) -> None:
        current = self.current_study_id()
        self.blockSignals(True)
        self.clear()
        for study in studies:
            item = QTreeWidgetItem([study.name])
            font = QFont(item.font(0))
            font.setBold(True)
            item.setFont(0, font)
            item.setData(0, STUDY_ROLE, study.id)
            item.setToolTip(0, f"{study.name}\n{_extraction_summary(study)}")
            for doc in study.documents:
                child = QTreeWidgetItem([doc.filename])
                child.setData(0, STUDY_ROLE, study.id)
                child.setData(0, DOCUMENT_ROLE, doc.id)
                child.setToolTip(
                    0,
                    f"{doc.filename}\n{doc.media_type}, "
                    f"{doc.char_count:,} characters, {doc.encoding or ''}",
                )
                item.addChild(child)
            status = QTreeWidgetItem([_extraction_summary(study)])
            status.setData(0, STUDY_ROLE, study.id)
            status.setForeground(0, Qt.GlobalColor.darkGray)
            item.addChild(status)
            self.addTopLevelItem(item)
            item.setExpanded(True)
        self.blockSignals(False)
        if current is not None:
            self.blockSignals(True)
            self.select_study(current)
            self.blockSignals(False)

    def current_study_id(self) -> int | None:
        item = self.currentItem()
        return None if item is None else item.data(0, STUDY_ROLE)

    def select_study(self, study_id: int) -> bool:
        for index in range(self.topLevelItemCount()):
            item = self.topLevelItem(index)
            if item is not None and item.data(0, STUDY_ROLE) == study_id:
                self.setCurrentItem(item)
                return True
        return False

    def _on_current_item_changed(
        self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None
    ) -> None:
        if current is None:
            return
        study_id = current.data(0, STUDY_ROLE)
        document_id = current.data(0, DOCUMENT_ROLE)
        if document_id is not None:
            self.document_selected.emit(study_id, document_id)
        else:
            self.study_selected.emit(study_id)


def _extraction_summary(study: StudyInfo) -> str:
    if not study.extractions:
        return "not started"
    return "; ".join(
        f"{e.reviewer}: {STATUS_WORDS.get(e.status.value, e.status.value)}"
        for e in study.extractions
    )
