"""The suggestion line under a field: a registry value offered, shown, accepted with one key."""

import re
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from core.domain import FieldSpec, FieldStatus, FieldValueInfo
from core.domain.document import FieldSuggestion
from core.parsing import format_value
from gui.actions import ACTIONS

ACCEPT_ACTION = "accept_suggestion"
# Rich text in a QLabel is not reached by the style sheet: its colours are set here.
MUTED, LINK, NOTE = "#6b6b80", "#3f2f91", "#8a5a00"
SHORT = 30  # longer values are only quoted
STATUS_WORDS = {
    FieldStatus.NOT_REPORTED: "not reported",
    FieldStatus.NOT_APPLICABLE: "not applicable",
    FieldStatus.UNCLEAR: "unclear",
}


def accept_keys() -> str:
    """The accept shortcut as the menus show it, from the action registry."""
    spec = next((a for a in ACTIONS if a.id == ACCEPT_ACTION), None)
    if spec is None or not spec.shortcuts:
        return ""
    return QKeySequence(spec.shortcuts[0]).toString(QKeySequence.SequenceFormat.NativeText)


def differs_note(current: FieldValueInfo | None) -> str:
    """What the reviewer should know about the field's own answer, in a few words."""
    if current is None:
        return ""
    if current.status is not FieldStatus.VALUE:
        return f"you marked it {STATUS_WORDS.get(current.status, current.status.value)}"
    return "differs from your value"


def shown_value(spec: FieldSpec, suggestion: FieldSuggestion) -> str:
    """The value in the form's words when the quoted passage does not already show it.

    A year taken from a date, or a date written another way, is said before the quote
    so that what Accept fills is never a surprise. Long text is left to the quote.
    """
    shown = format_value(spec, suggestion.value)
    if not shown or len(shown) > SHORT:
        return ""
    words = re.escape(" ".join(shown.casefold().split()))
    quoted = " ".join(suggestion.label.casefold().split())
    return "" if re.search(rf"(?<![\w-]){words}(?![\w-])", quoted) else shown


def split_label(label: str) -> tuple[str, str]:
    """("Phase 2", "from the registry record") from "Phase 2, from the registry record"."""
    quote, found, source = label.rpartition(", from ")
    return (quote, f"from {source}") if found and quote else (label, "")


class SuggestionLine(QFrame):
    """Shows one suggestion; never fills anything itself, it only asks."""

    show_requested = Signal()
    accept_requested = Signal()

    def __init__(self, spec: FieldSpec, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("suggestionLine")
        self.spec = spec
        self.suggestion: FieldSuggestion | None = None
        self.text = QLabel(self)
        self.text.setObjectName("suggestionText")
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setWordWrap(True)
        self.text.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.text.setCursor(Qt.CursorShape.PointingHandCursor)
        self.text.linkActivated.connect(lambda _link: self.show_requested.emit())
        self.keys = accept_keys()
        self.accept = QPushButton("Accept", self)
        self.accept.setObjectName("suggestionAccept")
        self.accept.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.accept.setCursor(Qt.CursorShape.PointingHandCursor)
        self.accept.setToolTip(
            "Fill the field with this value and keep the registry passage as its evidence"
            + (f" ({self.keys} in the field)" if self.keys else "")
        )
        self.accept.clicked.connect(self.accept_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 1, 2, 1)
        layout.setSpacing(6)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.accept, 0, Qt.AlignmentFlag.AlignVCenter)

    def set_active(self, active: bool) -> None:
        """Show the accept key while the reviewer is in the field, where the key works."""
        text = f"Accept  {self.keys}" if active and self.keys else "Accept"
        if self.accept.text() != text:
            self.accept.setText(text)

    def set_suggestion(self, suggestion: FieldSuggestion, current: FieldValueInfo | None) -> None:
        self.suggestion = suggestion
        note = differs_note(current) if suggestion.differs else ""
        shown = shown_value(self.spec, suggestion)
        html = f'<a href="show" style="color:{LINK}; text-decoration:none;">'
        if shown:
            html += f"<b>{escape(shown)}</b> <span style='color:{MUTED};'>—</span> "
        quote, source = split_label(suggestion.label)
        html += escape(quote)
        if source:
            html += f" <span style='color:{MUTED};'>· {escape(source)}</span>"
        html += "</a>"
        if note:
            html += f' <span style="color:{NOTE};">· {escape(note)}</span>'
        self.text.setText(html)
        self.text.setToolTip(
            f"Suggested: {format_value(self.spec, suggestion.value)}"
            + (f" {suggestion.unit}" if suggestion.unit else "")
            + "\nClick to show the passage in the registry record."
            + f"\nRegistry field: {suggestion.pointer}"
        )
        self.setProperty("differs", "true" if note else "false")
        self.style().unpolish(self)
        self.style().polish(self)
