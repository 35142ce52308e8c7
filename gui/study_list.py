"""The study list: studies with their documents, reviewers A and B and the final record.

A reviewer still blinded sees of the other reviewer only whether they have submitted.
"""

from collections.abc import Mapping
from functools import cache

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from core.domain import ExtractionInfo, StudyInfo
from core.services.stale_decisions import StaleDecisions

STATUS_WORDS = {"in_progress": "in progress", "submitted": "submitted", "final": "final"}
DONE = ("submitted", "final")
DOCUMENT_ROLE = Qt.ItemDataRole.UserRole + 1
STUDY_ROLE = Qt.ItemDataRole.UserRole + 2
STAGE_COLOURS = {
    "open": "#b5b5b5",
    "ready": "#1d4f91",
    "adjudicating": "#d08a00",
    "finished": "#2e7d32",
    "stale": "#b3261e",
}
STAGE_TIPS = {
    "open": "Extraction under way",
    "ready": "Both reviewers have submitted: ready to adjudicate",
    "adjudicating": "Adjudication under way",
    "finished": "Final record finished",
    "stale": "An answer changed after it was decided: the decision needs a new look",
}


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
        self.stale: dict[int, StaleDecisions] = {}
        self._shown: tuple[list[StudyInfo], dict[int, dict[int, str]] | None, str | None, bool]
        self._shown = ([], None, None, False)

    def set_studies(
        self,
        studies: list[StudyInfo],
        slots: dict[int, dict[int, str]] | None = None,
        *,
        viewer: str | None = None,
        adjudicator: bool = False,
    ) -> None:
        """Show the studies; `slots` maps study id -> slot (1 = A, 2 = B) -> reviewer.

        `viewer` is the signed-in reviewer (None: the project lead); an adjudicator, like
        the lead, sees every name and status.
        """
        self._shown = (studies, slots, viewer, adjudicator)
        blinded_viewer = None if adjudicator else viewer
        current = self.current_study_id()
        self.blockSignals(True)
        self.clear()
        bold = QFont(self.font())
        bold.setBold(True)
        brushes: dict[str, QBrush] = {}
        items = []
        for study in studies:
            item = QTreeWidgetItem([study.name])
            item.setFont(0, bold)
            item.setData(0, STUDY_ROLE, study.id)
            summary = study_summary(
                study, (slots or {}).get(study.id, {}), blinded_viewer, self.stale.get(study.id)
            )
            item.setIcon(0, _stage_icon(summary.stage))
            item.setToolTip(0, "\n".join([study.name, *summary.lines, STAGE_TIPS[summary.stage]]))
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
            for line, colour in zip(summary.lines, summary.colours, strict=True):
                status = QTreeWidgetItem([line])
                status.setData(0, STUDY_ROLE, study.id)
                brush = brushes.get(colour)
                if brush is None:
                    brush = brushes[colour] = QBrush(QColor(colour))
                status.setForeground(0, brush)
                status.setToolTip(0, line)
                item.addChild(status)
            items.append(item)
        self.addTopLevelItems(items)
        for item in items:
            item.setExpanded(True)
        self.blockSignals(False)
        if current is not None:
            self.blockSignals(True)
            self.select_study(current)
            self.blockSignals(False)

    def set_stale(self, stale: Mapping[int, StaleDecisions]) -> None:
        """Mark the studies whose decisions need a new look, and show them again if any
        mark changed."""
        if dict(stale) == self.stale:
            return
        self.stale = dict(stale)
        studies, slots, viewer, adjudicator = self._shown
        self.set_studies(studies, slots, viewer=viewer, adjudicator=adjudicator)

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


class StudySummary:
    """The status lines of a study in the list and its stage."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.colours: list[str] = []
        self.stage = "open"

    def add(self, line: str, colour: str = "#666666") -> None:
        self.lines.append(line)
        self.colours.append(colour)


def study_summary(
    study: StudyInfo,
    slots: dict[int, str],
    viewer: str | None,
    stale: StaleDecisions | None = None,
) -> StudySummary:
    """The lines "A: Ann — submitted · B: Ben — in progress" and the final record's state,
    then what `stale` says: decisions an answer changed after, reviewers back at work.

    While `viewer` (a reviewer) is blinded on the study, the other reviewer reads as
    "the other reviewer has / has not submitted", without a name.
    """
    summary = StudySummary()
    own = {e.reviewer: e for e in study.extractions if e.kind == "reviewer"}
    holders = dict(slots)
    if not holders:  # a study from before assignments: its first two extractions
        holders = dict(enumerate(list(own)[:2], start=1))
    done = [holders.get(slot) in own and own[holders[slot]].status.value in DONE for slot in (1, 2)]
    blinded = viewer is not None and not all(done)
    parts = []
    for slot, label in ((1, "A"), (2, "B")):
        name = holders.get(slot)
        extraction = own.get(name) if name is not None else None
        if name is None:
            parts.append(f"{label}: not assigned")
        elif blinded and name != viewer:
            has = "has" if done[slot - 1] else "has not"
            who = "the other reviewer" if viewer in holders.values() else "a reviewer"
            parts.append(f"{label}: {who} {has} submitted")
        else:
            who = "you" if name == viewer else name
            parts.append(f"{label}: {who} — {_status(extraction)}")
    if not study.extractions and not slots:
        summary.add("not started", "#8a8a8a")
    else:
        for part in parts:
            summary.add(part)
    others = [n for n in own if n not in holders.values()]
    if others and not blinded:
        summary.add("also: " + ", ".join(f"{n} — {_status(own[n])}" for n in others))
    final = next((e for e in study.extractions if e.kind == "final"), None)
    if final is not None and final.status.value == "final":
        summary.stage = "finished"
        summary.add(f"final record: finished ({final.reviewer})", STAGE_COLOURS["finished"])
    elif final is not None:
        summary.stage = "adjudicating"
        summary.add(f"final record: adjudicating ({final.reviewer})", "#8a5a00")
    elif all(done):
        summary.stage = "ready"
        summary.add("ready to adjudicate", STAGE_COLOURS["ready"])
    if stale is not None and stale.reopened_by:
        names = " and ".join(stale.reopened_by)
        summary.add(f"reopened by {names} after a decision", "#8a5a00")
    if stale is not None and stale.stale:
        summary.stage = "stale"
        summary.add(
            f"{stale.stale} stale decision{'s' if stale.stale > 1 else ''} to redo",
            STAGE_COLOURS["stale"],
        )
    return summary


def _status(extraction: ExtractionInfo | None) -> str:
    if extraction is None:
        return "not started"
    return STATUS_WORDS.get(extraction.status.value, extraction.status.value)


@cache
def _stage_icon(stage: str) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(STAGE_COLOURS[stage]))
    painter.drawEllipse(QRectF(1.5, 1.5, 9, 9))
    painter.end()
    return QIcon(pixmap)
