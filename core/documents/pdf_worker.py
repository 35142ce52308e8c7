"""Entry point of the child process that reads PDFs: `python -m` this module.

A damaged or hostile file can then crash or stall only this process, never the app.

`--serve` (how `pdf_reader_process` runs it): read PDFs one after another until
standard input ends. Each request on standard input is a `REQUEST` header (length of
the PDF, page limit) then the PDF's bytes; each reply on standard output is a `REPLY`
header (length of the JSON) then one JSON object in UTF-8 (see `pdf_reader.read_pdf`).
Anything else printed to standard output while reading goes to standard error, so
that it cannot be taken for a reply.

Without `--serve` (by hand): one PDF on standard input, the page limit as the only
argument, one JSON object (no header) on standard output.
"""

import json
import os
import struct
import sys
from typing import BinaryIO

from core.documents.pdf_engine import MAX_PDF_PAGES
from core.documents.pdf_reader import read_pdf

SERVE = "--serve"
REQUEST = struct.Struct(">Qq")  # bytes of the PDF, page limit
REPLY = struct.Struct(">Q")  # bytes of the JSON


def serve(requests: BinaryIO, replies: BinaryIO) -> None:
    """Answer requests until `requests` ends; a request cut short ends the loop too."""
    while True:
        header = requests.read(REQUEST.size)
        if len(header) < REQUEST.size:
            return
        length, max_pages = REQUEST.unpack(header)
        data = requests.read(length)
        if len(data) < length:
            return
        body = json.dumps(read_pdf(data, max_pages)).encode("utf-8")
        replies.write(REPLY.pack(len(body)))
        replies.write(body)
        replies.flush()


def _reply_stream() -> BinaryIO:
    """Standard output kept for replies; file descriptor 1 then points at standard error."""
    sys.stdout.flush()
    descriptor = os.dup(sys.stdout.fileno())
    if sys.platform == "win32":
        import msvcrt

        msvcrt.setmode(descriptor, os.O_BINARY)
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    return os.fdopen(descriptor, "wb")


def main(argv: list[str] | None = None) -> None:
    arguments = sys.argv[1:] if argv is None else argv
    if arguments[:1] == [SERVE]:
        serve(sys.stdin.buffer, _reply_stream())
        return
    max_pages = int(arguments[0]) if arguments else MAX_PDF_PAGES
    result = read_pdf(sys.stdin.buffer.read(), max_pages)
    sys.stdout.write(json.dumps(result))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
