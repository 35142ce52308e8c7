"""Evidence highlights: which spans of a document to colour, and in which colour."""

from dataclasses import dataclass

from PySide6.QtGui import QColor

from core.domain.anchor import Rect

SECTION_COLOURS = (
    "#ffe08a",
    "#b8e0ff",
    "#c8f0c0",
    "#ffc8dc",
    "#e0ccff",
    "#ffd5b0",
    "#c0f0ec",
    "#e6e6a8",
)
REVIEW_COLOUR = "#ff9f43"
FLASH_COLOUR = "#ff6b6b"
SEARCH_COLOUR = "#fff35c"
SEARCH_CURRENT_COLOUR = "#ffae00"


@dataclass(frozen=True)
class Highlight:
    start: int
    end: int
    path: str
    label: str
    colour: str
    needs_review: bool = False
    rects: tuple[Rect, ...] = ()  # stored PDF rectangles, if any

    def qcolor(self) -> QColor:
        colour = QColor(REVIEW_COLOUR if self.needs_review else self.colour)
        colour.setAlpha(170)
        return colour


def section_colour(index: int) -> str:
    return SECTION_COLOURS[index % len(SECTION_COLOURS)]
