"""CSV as RFC 4180 asks (CRLF rows, fields quoted when needed, quotes doubled), in UTF-8.

Embedded newlines and quotes are kept inside quoted fields. Text cells that a
spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage return)
are neutralised, as OWASP advises, by a leading single quote; numbers are written as
numbers and never touched, so -3.5 in a numeric column stays -3.5.
"""

import csv
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

FORMULA_STARTS = frozenset("=+-@\t\r")
NEUTRALISER = "'"


class Rfc4180(csv.Dialect):
    delimiter = ","
    quotechar = '"'
    doublequote = True
    skipinitialspace = False
    lineterminator = "\r\n"
    quoting = csv.QUOTE_MINIMAL
    strict = True


def neutralise(cell: Any) -> Any:
    """The cell as it is safe to open in a spreadsheet."""
    if type(cell) is str and cell and cell[0] in FORMULA_STARTS:
        return NEUTRALISER + cell
    return cell


def restore(cell: str) -> str:
    """Undo `neutralise` on text read back from a protected file."""
    if len(cell) > 1 and cell[0] == NEUTRALISER and cell[1] in FORMULA_STARTS:
        return cell[1:]
    return cell


class CsvTable:
    """Writes rows to an open text stream; counts rows and neutralised cells."""

    def __init__(self, stream: TextIO, *, protect: bool = True) -> None:
        self._writer = csv.writer(stream, dialect=Rfc4180)
        self._protect = protect
        self.rows = 0
        self.neutralised = 0

    def header(self, names: Sequence[str]) -> None:
        self._writer.writerow(names)

    def write(self, row: Sequence[Any]) -> None:
        if self._protect:
            starts = FORMULA_STARTS
            safe = [NEUTRALISER + c if type(c) is str and c and c[0] in starts else c for c in row]
            if safe != row:
                self.neutralised += sum(a is not b for a, b in zip(safe, row, strict=True))
            row = safe
        self._writer.writerow(row)
        self.rows += 1

    def write_all(self, rows: Iterable[Sequence[Any]]) -> None:
        for row in rows:
            self.write(row)
