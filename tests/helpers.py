"""Paths and small helpers shared by the tests."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DOCS = ROOT / "sample_docs"
TEST_DATA = Path(__file__).resolve().parent / "data"

CROHN_PHASE2 = SAMPLE_DOCS / "001_dbdeea00f2d7ba41.txt"
DEMO_CROHN = "Hadizadeh 2024 - exosomes for Crohn's perianal fistula (phase II)"  # its study


def sample_files() -> list[Path]:
    return sorted(SAMPLE_DOCS.glob("*.txt"))


PDF_DATA = TEST_DATA / "pdf"
RCT_ARTICLE = PDF_DATA / "rct" / "lancetrespmed-2014-StopAdvisor-rct.pdf"


def pdf_with_scanned_page(folder: Path) -> Path:
    """The article's first page, then its second page as an image only (a scan).

    Written to `folder` as "scanned-page.pdf"; the second page has no text layer.
    """
    import io

    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(RCT_ARTICLE.read_bytes())
    target = pdfium.PdfDocument.new()
    target.import_pages(source, [0])
    width, height = source[1].get_size()
    bitmap = source[1].render(scale=1.0)
    page = target.new_page(width, height)
    image = pdfium.PdfImage.new(target)
    image.set_bitmap(bitmap)
    image.set_matrix(pdfium.PdfMatrix().scale(width, height))
    page.insert_obj(image)
    page.gen_content()
    buffer = io.BytesIO()
    target.save(buffer)
    target.close()
    source.close()
    path = folder / "scanned-page.pdf"
    path.write_bytes(buffer.getvalue())
    return path


Box = tuple[float, float, float, float]


def pdfium_boxes(path: Path, page_index: int, quote: str) -> list[Box]:
    """Loose boxes of the characters of the first match of `quote`, found by PDFium itself."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path.read_bytes())
    textpage = document[page_index].get_textpage()
    found = textpage.search(quote, match_case=True).get_next()
    assert found is not None, quote
    first, count = found
    boxes = [textpage.get_charbox(i, loose=True) for i in range(first, first + count)]
    document.close()
    return [box for box in boxes if box[2] > box[0]]
