"""Entry point of the child process that reads one PDF: `python -m` this module.

A damaged or hostile file can then crash or stall only this process, never the app.
The PDF bytes come on standard input, the page limit as the only argument; one JSON
object (see `pdf_reader.read_pdf`) goes to standard output.
"""

import json
import sys

from core.documents.pdf_engine import MAX_PDF_PAGES
from core.documents.pdf_reader import read_pdf


def main() -> None:
    max_pages = int(sys.argv[1]) if len(sys.argv) > 1 else MAX_PDF_PAGES
    result = read_pdf(sys.stdin.buffer.read(), max_pages)
    sys.stdout.write(json.dumps(result))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
