"""Page geometry in PDF points: character boxes merged into lines, page <-> image mapping."""

from collections.abc import Iterable
from dataclasses import dataclass

from core.domain.anchor import Rect

Box = tuple[float, float, float, float]  # left, bottom, right, top in PDF points


def same_line(a: Box, b: Box) -> bool:
    """Whether two boxes sit on one text line: they overlap by most of the lower one."""
    overlap = min(a[3], b[3]) - max(a[1], b[1])
    return overlap > 0.5 * min(a[3] - a[1], b[3] - b[1])


def merge_into_lines(page_index: int, boxes: Iterable[Box]) -> list[Rect]:
    """Rectangles covering `boxes` (in reading order), one per run on the same line.

    A run is cut where the next box leaves the line or lies further away than about
    one line height (the gap between two columns or table cells).
    """
    rects: list[Rect] = []
    current: list[float] | None = None
    for box in boxes:
        if current is not None:
            height = max(current[3] - current[1], box[3] - box[1])
            gap = max(box[0] - current[2], current[0] - box[2], 0.0)
            if same_line((current[0], current[1], current[2], current[3]), box) and (gap <= height):
                current[0] = min(current[0], box[0])
                current[1] = min(current[1], box[1])
                current[2] = max(current[2], box[2])
                current[3] = max(current[3], box[3])
                continue
            rects.append(_rect(page_index, current))
        current = list(box)
    if current is not None:
        rects.append(_rect(page_index, current))
    return rects


def _rect(page_index: int, box: list[float]) -> Rect:
    left, bottom, right, top = box
    return Rect(page_index=page_index, left=left, bottom=bottom, right=right, top=top)


def split_box(box: Box, part: int, parts: int) -> Box:
    """Part `part` of `parts` equal slices of a box, left to right (one ligature letter)."""
    if parts <= 1:
        return box
    width = (box[2] - box[0]) / parts
    return (box[0] + part * width, box[1], box[0] + (part + 1) * width, box[3])


def distance(box: Box, x: float, y: float) -> float:
    """Distance from a point to a box (0 inside); vertical distance counts double."""
    dx = max(box[0] - x, 0.0, x - box[2])
    dy = max(box[1] - y, 0.0, y - box[3])
    return dx + 2.0 * dy


@dataclass(frozen=True)
class PageGeometry:
    """Where a page's visible area (crop box) lies in PDF points, and its /Rotate.

    Rendered images show the crop box turned clockwise by `rotation` degrees;
    `to_image` and `to_page` convert between PDF points and image pixels at a scale
    (pixels per point), with the image origin top-left.
    """

    left: float
    bottom: float
    right: float
    top: float
    rotation: int = 0

    def image_size(self, scale: float) -> tuple[float, float]:
        """Width and height of the rendered page in pixels."""
        width, height = self.right - self.left, self.top - self.bottom
        if self.rotation in (90, 270):
            width, height = height, width
        return width * scale, height * scale

    def to_image(self, x: float, y: float, scale: float) -> tuple[float, float]:
        """A point in PDF points -> pixel position on the rendered image."""
        if self.rotation == 90:
            return (y - self.bottom) * scale, (x - self.left) * scale
        if self.rotation == 180:
            return (self.right - x) * scale, (y - self.bottom) * scale
        if self.rotation == 270:
            return (self.top - y) * scale, (self.right - x) * scale
        return (x - self.left) * scale, (self.top - y) * scale

    def to_page(self, px: float, py: float, scale: float) -> tuple[float, float]:
        """A pixel position on the rendered image -> point in PDF points."""
        u, v = px / scale, py / scale
        if self.rotation == 90:
            return self.left + v, self.bottom + u
        if self.rotation == 180:
            return self.right - u, self.bottom + v
        if self.rotation == 270:
            return self.right - v, self.top - u
        return self.left + u, self.top - v

    def rect_to_image(self, rect: Rect, scale: float) -> tuple[float, float, float, float]:
        """A rectangle in PDF points -> (x, y, width, height) in image pixels."""
        x1, y1 = self.to_image(rect.left, rect.bottom, scale)
        x2, y2 = self.to_image(rect.right, rect.top, scale)
        return min(x1, x2), min(y1, y2), abs(x2 - x1), abs(y2 - y1)
