"""Converting between code-point offsets (core) and UTF-16 positions (Qt)."""

from bisect import bisect_right


class OffsetMap:
    """Fast conversion for one text: only characters outside the BMP shift positions."""

    def __init__(self, text: str) -> None:
        self.length = len(text)
        self._astral = [i for i, char in enumerate(text) if ord(char) > 0xFFFF]
        # UTF-16 position of each astral character
        self._astral_utf16 = [i + n for n, i in enumerate(self._astral)]

    def to_utf16(self, offset: int) -> int:
        return offset + bisect_right(self._astral, offset - 1)

    def to_code_point(self, position: int) -> int:
        # count astral characters that end at or before `position`
        shifted = bisect_right(self._astral_utf16, position - 2)
        return min(self.length, position - shifted)
