"""PDF import and layout figures on a 300-page PDF, beside pypdfium2's own text extraction.

The PDF is made in a temporary folder by the benchmarks' generator (`make_long_pdf`:
the pages of a real 10-page article, tests/data/pdf/rct, over and over). Reference:
pypdfium2 opens the file and extracts the text of every page, measured in the same run.

Run: python -m tests.benchmarks.bench_pdf_import [--pages N]
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pypdfium2 as pdfium

from core.documents.pdf import import_pdf
from core.documents.pdf_layout import PdfLayout
from tests.benchmarks.common import Result, markdown_table, median_time
from tests.benchmarks.generator import make_long_pdf

PAGES = 300
SPAN = 300  # characters in the span turned into rectangles
__all__ = ["make_long_pdf", "pypdfium2_text", "run"]


def pypdfium2_text(data: bytes) -> int:
    """pypdfium2's own extraction of every page's text: the reference."""
    document = pdfium.PdfDocument(data)
    total = 0
    for index in range(len(document)):
        page = document[index]
        textpage = page.get_textpage()
        total += len(textpage.get_text_range())
        textpage.close()
        page.close()
    document.close()
    return total


def run(pages: int = PAGES) -> list[Result]:
    with tempfile.TemporaryDirectory() as folder:
        data = make_long_pdf(Path(folder), pages)
    reference = median_time(lambda: pypdfium2_text(data), repeat=3)
    name = "pypdfium2 text of all pages"
    isolated = median_time(lambda: import_pdf(data, "long.pdf"), repeat=3)
    in_process = median_time(lambda: import_pdf(data, "long.pdf", isolated=False), repeat=3)
    build = median_time(lambda: PdfLayout(data).close(), repeat=3)
    layout = PdfLayout(data)
    page = layout.pages[pages // 2]
    start = page.start + 100
    began = time.perf_counter()
    layout.rects_for_span(start, start + SPAN)
    cold = time.perf_counter() - began
    warm = median_time(lambda: layout.rects_for_span(start, start + SPAN), repeat=20)
    caret = median_time(lambda: layout.caret_at(pages // 2, 300.0, 400.0), repeat=20)
    layout.close()
    return [
        Result(f"import {pages} pages (isolated process)", isolated, reference, name, None, 2.5),
        Result(f"import {pages} pages (in process)", in_process, reference, name, None, 1.5),
        Result(f"PdfLayout of {pages} pages", build, reference, name, None, 1.5),
        Result(f"rects_for_span {SPAN} chars, page not yet visited", cold, budget=0.05),
        Result(f"rects_for_span {SPAN} chars, page visited", warm, budget=0.01),
        Result("caret_at (hit-test) on a visited page", caret, budget=0.01),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=PAGES)
    args = parser.parse_args(argv)
    print(markdown_table(run(args.pages)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
