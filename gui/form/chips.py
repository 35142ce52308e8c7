"""Evidence chips: one per passage under a field; click to jump, ✕ to remove."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from core.domain import Anchor, AnchorStatus

MAX_CHIP_CHARS = 44
STATUS_NOTES = {
    AnchorStatus.RELOCATED: "found again at a new place",
    AnchorStatus.FUZZY: "matched approximately",
    AnchorStatus.NEEDS_REVIEW: "needs review: the passage changed",
    AnchorStatus.ORPHANED: "orphaned: the passage is gone",
}


def chip_text(anchor: Anchor) -> str:
    if not anchor.exact and anchor.page_index is not None:
        return f"region on page {anchor.page_index + 1}"
    quote = " ".join(anchor.exact.split())
    if len(quote) > MAX_CHIP_CHARS:
        quote = quote[: MAX_CHIP_CHARS - 1] + "…"
    return f"“{quote}”"


class EvidenceChip(QWidget):
    """Shows one passage; needs-review and orphaned passages are marked in colour."""

    jump_requested = Signal(int)
    remove_requested = Signal(int)

    def __init__(self, index: int, anchor: Anchor, document_name: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.index = index
        self.anchor = anchor
        trouble = anchor.status in (AnchorStatus.NEEDS_REVIEW, AnchorStatus.ORPHANED)
        self.button = QPushButton(("⚠ " if trouble else "") + chip_text(anchor), self)
        self.button.setFlat(True)
        self.button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.button.setObjectName("evidenceChipReview" if trouble else "evidenceChip")
        note = STATUS_NOTES.get(anchor.status, "")
        where = f"{document_name}, characters {anchor.start}–{anchor.end}"
        if anchor.page_index is not None:
            where += f", page {anchor.page_index + 1}"
        self.button.setToolTip(
            f"{anchor.exact}\n\n{where}"
            + (f"\n{note}" if note else "")
            + "\nClick to show it in the document."
        )
        remove = QToolButton(self)
        remove.setText("✕")
        remove.setAutoRaise(True)
        remove.setToolTip("Remove this passage from the evidence")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.button, 1)
        layout.addWidget(remove)
        self.button.clicked.connect(lambda: self.jump_requested.emit(self.index))
        remove.clicked.connect(lambda: self.remove_requested.emit(self.index))


def no_evidence_badge(parent: QWidget) -> QLabel:
    badge = QLabel("no evidence", parent)
    badge.setObjectName("noEvidence")
    badge.setToolTip(
        "Typed without a passage: select the passage in the document and press "
        "Ctrl+Shift+E to add it as evidence."
    )
    return badge
