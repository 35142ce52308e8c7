"""Read-only view of a document's canonical text."""

from PySide6.QtGui import QFont, QTextOption
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from core.domain import DocumentText


class DocumentTextView(QPlainTextEdit):
    """Shows canonical text; selections are reported in code points by `selection()`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 10.5))
        self.setFont(font)
        self._text = ""

    def set_document(self, document: DocumentText) -> None:
        self._text = document.text
        self.setPlainText(document.text)

    def canonical_text(self) -> str:
        return self._text

    def selection(self) -> tuple[int, int] | None:
        """The selected span as code-point offsets of the canonical text."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return (
            utf16_to_code_point(self._text, cursor.selectionStart()),
            utf16_to_code_point(self._text, cursor.selectionEnd()),
        )


def utf16_to_code_point(text: str, position: int) -> int:
    """Qt positions count UTF-16 units; characters outside the BMP take two."""
    units = 0
    for index, char in enumerate(text):
        if units >= position:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text)


def code_point_to_utf16(text: str, offset: int) -> int:
    return offset + sum(1 for char in text[:offset] if ord(char) > 0xFFFF)
