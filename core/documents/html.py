"""HTML importer: the readable text of a web page, with its paragraphs, lists and tables."""

import re
from html.parser import HTMLParser

from core.documents.text import canonical_text, decode_text_bytes, display_name
from core.domain.document import DocumentText, PageSpan
from core.errors import DocumentImportError

EXTRACTOR = "html"
EXTRACTOR_VERSION = "1"
MEDIA_TYPE = "text/html"

_SKIPPED = {"script", "style", "noscript", "template", "svg", "math", "iframe", "object"}
_SKIPPED |= {"canvas", "select", "datalist"}
_PARAGRAPHS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "dl", "figure"}
_PARAGRAPHS |= {"hr", "address", "fieldset", "details"}
_LINES = {"div", "section", "article", "aside", "nav", "header", "footer", "main", "li"}
_LINES |= {"dt", "dd", "caption", "figcaption", "summary", "legend", "center", "hgroup"}
_LINES |= {"menu", "dir", "dialog", "body", "html", "form"}
_PREFORMATTED = {"pre", "textarea", "listing", "xmp"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"}
_VOID |= {"param", "source", "track", "wbr"}
_COLLAPSIBLE = re.compile("[ \t\n\r\f]+")
_DECLARED = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)"""
    rb"""|^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)


def import_html(data: bytes, filename: str, charset: str | None = None) -> DocumentText:
    """Import a web page; `charset` is an encoding the page is said to use (HTTP header)."""
    decoded = decode_text_bytes(data, filename, charset or declared_charset(data))
    parser = _TextParser()
    parser.feed(decoded.text)
    parser.close()
    text, warnings = canonical_text(parser.layout.result())
    if not text.strip():
        raise DocumentImportError(
            f"“{display_name(filename)}” has no readable text: the page holds only markup, "
            "scripts or blank space."
        )
    title, _ = canonical_text("".join(parser.title_parts).replace("\xa0", " "))
    return DocumentText(
        text=text,
        media_type=MEDIA_TYPE,
        extractor=EXTRACTOR,
        extractor_version=EXTRACTOR_VERSION,
        encoding=decoded.encoding,
        pages=(PageSpan(start=0, end=len(text)),),
        title=_COLLAPSIBLE.sub(" ", title).strip() or None,
        warnings=decoded.warnings + warnings,
    )


def declared_charset(data: bytes) -> str | None:
    """The encoding a page names in its `<meta>` charset or XML declaration, if any."""
    found = _DECLARED.search(data[:4096])
    if found is None:
        return None
    label = (found.group(1) or found.group(2)).decode("ascii").lower()
    # A page cannot describe itself as UTF-16 in ASCII bytes; browsers read it as UTF-8.
    return "utf-8" if label.startswith(("utf-16", "utf-32")) else label


class _Layout:
    """Lines of text joined by single line breaks or blank lines, as blocks ask."""

    def __init__(self) -> None:
        self.prefix = ""
        self._chunks: list[str] = []
        self._line: list[str] = []
        self._has_content = False
        self._space = False
        self._breaks = 0
        self._separators = 0

    def text(self, data: str, preformatted: bool = False) -> None:
        data = data.replace("\xa0", " ")
        if preformatted:
            words, space_after = data, False
        else:
            data = _COLLAPSIBLE.sub(" ", data)
            words, space_after = data.strip(" "), data.endswith(" ")
            self._space = self._space or data.startswith(" ")
        if not words.strip():
            if preformatted:
                self._line.append(words)
            return
        if not self._has_content:
            self._line.insert(0, self.prefix + "| " * self._separators)
            self.prefix, self._has_content = "", True
        elif self._separators:
            self._line.append(" |" * self._separators + " ")
        elif self._space:
            self._line.append(" ")
        self._line.append(words)
        self._separators, self._space = 0, space_after

    def block(self, breaks: int) -> None:
        self._end_line()
        self._breaks = max(self._breaks, breaks)

    def line_break(self) -> None:
        self._breaks = 1 if self._end_line() else self._breaks + 1

    def cell_separator(self) -> None:
        self._separators += 1

    def result(self) -> str:
        self._end_line()
        return "".join(self._chunks)

    def _end_line(self) -> bool:
        ended = self._has_content
        if ended:
            if self._chunks:
                self._chunks.append("\n" * min(max(self._breaks, 1), 2))
            self._chunks.append("".join(self._line).rstrip())
            self._breaks = 0
        self._line, self._has_content, self._space, self._separators = [], False, False, 0
        return ended


class _Table:
    def __init__(self) -> None:
        self.cells = 0
        self.in_cell = False


class _TextParser(HTMLParser):
    """Feeds a `_Layout` from the parsed page and keeps the first `<title>`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.layout = _Layout()
        self.title_parts: list[str] = []
        self._title_state = "before"
        self._skipped: list[str] = []
        self._lists: list[list[int]] = []
        self._tables: list[_Table] = []
        self._preformatted = 0
        self._after_pre_start = False
        self._sup_start = False

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._after_pre_start = False
        if self._title_state == "inside":
            self._title_state = "done"
        if self._skipped or tag in _SKIPPED:
            if tag in _SKIPPED:
                self._skipped.append(tag)
            return
        if tag == "title":
            # Only the first title names the page; later ones are not body text either.
            if self._title_state == "before":
                self._title_state = "inside"
            else:
                self._skipped.append(tag)
        elif tag in ("ul", "ol"):
            self._block(1 if self._lists else 2)
            self._lists.append([tag == "ol", _list_start(attrs)])
        elif tag == "li":
            self._list_item()
        elif tag == "table":
            self._block(2)
            self._tables.append(_Table())
        elif tag in ("td", "th") and self._tables:
            table = self._tables[-1]
            if table.cells:
                self.layout.cell_separator()
            table.cells += 1
            table.in_cell = True
        elif tag == "tr" and self._tables:
            self._tables[-1].cells, self._tables[-1].in_cell = 0, False
            self._block(1)
        elif tag == "br":
            self._line_break()
        elif tag == "sup":
            self._sup_start = True
        else:
            self._open_or_close_block(tag)
        if tag in _PREFORMATTED:
            self._preformatted += 1
            self._after_pre_start = True

    def handle_endtag(self, tag: str) -> None:
        self._after_pre_start = False
        if self._skipped:
            if tag in self._skipped:
                while self._skipped.pop() != tag:
                    pass
            return
        if tag == "title" and self._title_state == "inside":
            self._title_state = "done"
        elif tag in ("ul", "ol"):
            if self._lists:
                self._lists.pop()
            self.layout.prefix = ""
            self._block(1 if self._lists else 2)
        elif tag == "li":
            self.layout.prefix = ""
            self._block(1)
        elif tag == "table":
            if self._tables:
                self._tables.pop()
            self._block(2)
        elif tag in ("td", "th") and self._tables:
            self._tables[-1].in_cell = False
        elif tag == "tr" and self._tables:
            self._tables[-1].cells, self._tables[-1].in_cell = 0, False
            self._block(1)
        elif tag == "sup":
            self._sup_start = False
        else:
            self._open_or_close_block(tag)
        if tag in _PREFORMATTED and self._preformatted:
            self._preformatted -= 1

    def handle_data(self, data: str) -> None:
        if self._skipped:
            return
        if self._title_state == "inside":
            self.title_parts.append(data)
            return
        if self._after_pre_start:
            self._after_pre_start = False
            for newline in ("\r\n", "\n", "\r"):
                if data.startswith(newline):
                    data = data[len(newline) :]
                    break
        if self._sup_start and data.strip():
            self._sup_start = False
            # Keep powers apart from their base: 10<sup>9</sup> must not read as 109.
            if data.strip()[0] in "0123456789+-−–":
                self.layout.text("^", self._preformatted > 0)
        self.layout.text(data, self._preformatted > 0)

    def _open_or_close_block(self, tag: str) -> None:
        if tag in _PARAGRAPHS:
            self._block(1 if self._lists else 2)
        elif tag in _LINES:
            self._block(1)

    def _in_cell(self) -> bool:
        return any(table.in_cell for table in self._tables)

    def _block(self, breaks: int) -> None:
        # Blocks inside a table cell stay on the row's line, as words of the cell.
        if self._in_cell():
            self.layout.text(" ")
        else:
            self.layout.block(breaks)

    def _line_break(self) -> None:
        if self._in_cell():
            self.layout.text(" ")
        else:
            self.layout.line_break()

    def _list_item(self) -> None:
        self._block(1)
        if self._in_cell():
            return
        marker = "- "
        if self._lists and self._lists[-1][0]:
            marker = f"{self._lists[-1][1]}. "
            self._lists[-1][1] += 1
        self.layout.prefix = "  " * max(len(self._lists) - 1, 0) + marker


def _list_start(attrs: list[tuple[str, str | None]]) -> int:
    for name, value in attrs:
        if name == "start" and value and value.strip().lstrip("-").isdigit():
            return int(value.strip())
    return 1
