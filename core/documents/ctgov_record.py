"""Writing a registry record as readable text where each value span keeps its JSON pointer."""

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from core.domain.document import SourceSpan

_LINE_ENDS = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f]")
# CommonMark backslash escapes: ClinicalTrials.gov stores text as Markdown ("\<0.1").
_MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_CODE = re.compile(r"^[A-Z][A-Z0-9_ ]*$")
_SPECIAL_CODES = {"NA": "N/A", "EARLY_PHASE1": "Early phase 1"}


def escape_token(key: str | int) -> str:
    """One reference token of an RFC 6901 JSON pointer."""
    return str(key).replace("~", "~0").replace("/", "~1")


@dataclass(frozen=True)
class Node:
    """A value of the record with the JSON pointer that leads to it (None if absent)."""

    value: Any
    pointer: str = ""

    def __getitem__(self, key: str | int) -> "Node":
        child = None
        if isinstance(key, int) and isinstance(self.value, list):
            child = self.value[key] if 0 <= key < len(self.value) else None
        elif isinstance(key, str) and isinstance(self.value, dict):
            child = self.value.get(key)
        return Node(child, f"{self.pointer}/{escape_token(key)}")

    def items(self) -> list["Node"]:
        """The elements of a list value, each with its own pointer."""
        if not isinstance(self.value, list):
            return []
        return [self[index] for index in range(len(self.value))]

    @property
    def present(self) -> bool:
        return self.value not in (None, "", [], {})


def clean_text(value: str) -> str:
    """Registry text as a reader sees it: NFC, `\\n` line ends, Markdown escapes undone."""
    text = _CONTROLS.sub("", _LINE_ENDS.sub("\n", value))
    text = _MARKDOWN_ESCAPE.sub(r"\1", text)
    return unicodedata.normalize("NFC", text).strip()


def humanize_code(value: str) -> str:
    """An enumerated registry value in words: PHASE2 -> Phase 2, NOT_YET_RECRUITING -> ..."""
    if not _CODE.match(value):
        return clean_text(value)
    if value in _SPECIAL_CODES:
        return _SPECIAL_CODES[value]
    words = re.sub(r"PHASE(\d)", r"PHASE \1", value).replace("_", " ").lower()
    return words[:1].upper() + words[1:]


def display(value: Any, code: bool = False) -> str | None:
    """The text shown for a scalar value, or None for absent, empty or nested values."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return (humanize_code(value) if code else clean_text(value)) or None
    return None


class RecordWriter:
    """Accumulates lines of text and the spans of the values written into them."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self.spans: list[SourceSpan] = []

    @property
    def position(self) -> int:
        return self._length

    def write(self, text: str) -> None:
        self._parts.append(text)
        self._length += len(text)

    def value(self, node: Node, code: bool = False) -> bool:
        """Write one value and record its span; False (nothing written) if it is empty."""
        text = display(node.value, code)
        if text is None:
            return False
        start = self._length
        self.write(text)
        self.spans.append(SourceSpan(start=start, end=self._length, pointer=node.pointer))
        return True

    def heading(self, title: str) -> None:
        if self._length:
            self.write("\n")
        self.write(f"{title}\n")

    def field(self, label: str, node: Node, code: bool = False, note: Node | None = None) -> None:
        """`Label: value` on one line; `note` (a code such as ACTUAL) follows in brackets."""
        if display(node.value, code) is None:
            return
        self.write(f"{label}: ")
        self.value(node, code)
        if note is not None and display(note.value, True) is not None:
            self.write(" (")
            self.value(note, code=True)
            self.write(")")
        self.write("\n")

    def values(self, label: str, nodes: list[Node], code: bool = False) -> None:
        """`Label: a; b; c` for a list of values."""
        shown = [node for node in nodes if display(node.value, code) is not None]
        if not shown:
            return
        self.write(f"{label}: ")
        for index, node in enumerate(shown):
            if index:
                self.write("; ")
            self.value(node, code)
        self.write("\n")

    def paragraph(self, label: str, node: Node) -> None:
        """A label on its own line, then a long text value."""
        if display(node.value) is None:
            return
        self.write(f"{label}:\n")
        self.value(node)
        self.write("\n")

    def result(self) -> tuple[str, tuple[SourceSpan, ...]]:
        text = "".join(self._parts).rstrip("\n")
        return text, tuple(self.spans)
