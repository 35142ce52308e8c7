"""Import figures: 100 PDFs into a project, beside pypdfium2's own text extraction.

The PDFs come from the benchmarks' generator (`make_pdfs`: 3 to 12 pages each of a real
article, no two alike). Figures:
- `services.documents.import_files` of the 100 files into a new project, as the app
  imports them (each PDF read in a separate process, text checked, the file and its
  text stored with an audit row), beside pypdfium2 opening the same files and
  extracting the text of every page, measured in the same run;
- the same PDFs read in this process (`import_pdf(isolated=False)`), for scale: what
  the reading costs without a process per file.

Run: python -m tests.benchmarks.bench_import [--files N]
"""

import sys
import tempfile
import time
from pathlib import Path

import pypdfium2 as pdfium

from core.documents.pdf import import_pdf
from core.services import documents
from core.services.project import Project
from tests.benchmarks.bench_pdf_import import pypdfium2_text
from tests.benchmarks.common import Result, command_line, median_time, noted
from tests.benchmarks.generator import make_pdfs

FILES = 100
RATIO_BUDGET = 3.0  # as the 300-page import, with room for a process per file


def _pages(data: bytes) -> int:
    document = pdfium.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()


def _import_all(folder: Path, paths: list[Path], turn: int) -> float:
    """Seconds to import the files into a new project (one run: it takes a while)."""
    project = Project.create(folder / f"import-{turn}.sqlite")
    try:
        started = time.perf_counter()
        outcomes, _ = documents.import_files(project, paths)
        seconds = time.perf_counter() - started
    finally:
        project.close()
    refused = [o.error for o in outcomes if o.error]
    assert not refused, refused[:3]
    return seconds


def measure(files: int) -> tuple[list[Result], list[str]]:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        paths = make_pdfs(folder, files)
        contents = [path.read_bytes() for path in paths]
        pages = sum(_pages(data) for data in contents)
        reference = median_time(lambda: [pypdfium2_text(data) for data in contents], repeat=3)
        in_process = median_time(
            lambda: [import_pdf(data, path.name, isolated=False) for data, path in
                     zip(contents, paths, strict=True)],
            repeat=3,
        )  # fmt: skip
        imported = _import_all(folder, paths, 1)
    size = sum(len(data) for data in contents) / 1024**2
    notes = [f"{files} PDFs, {pages:,} pages, {size:.1f} MB"]
    name = f"pypdfium2 text of the {files} files"
    return [
        Result(
            f"import {files} PDFs ({pages:,} pages) into a project",
            imported,
            reference,
            name,
            ratio_budget=RATIO_BUDGET,
        ),
        Result(f"read the {files} PDFs in process, no project", in_process, reference, name),
    ], notes


def run() -> list[Result]:
    """Entry point of the shared runner (tests/benchmarks/run.py)."""
    return noted(measure(FILES))


def main(argv: list[str] | None = None) -> int:
    return command_line(__doc__, measure, argv, files=FILES)


if __name__ == "__main__":
    sys.exit(main())
