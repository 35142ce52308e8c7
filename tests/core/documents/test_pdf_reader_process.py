"""The reader child process: reused from file to file, replaced when it fails or stalls."""

import os
import signal
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from core.documents import pdf_reader_process
from core.documents.pdf import import_pdf
from core.documents.pdf_reader_process import reader_pid, stop_reader
from core.errors import DocumentImportError

DATA = Path(__file__).resolve().parents[2] / "data" / "pdf"
SAMPLES = DATA / "samples"
FOUR_PAGES = SAMPLES / "pdflatex-4-pages.pdf"
ARTICLE = DATA / "rct" / "lancetrespmed-2014-StopAdvisor-rct.pdf"
TEXT_PDFS = [FOUR_PAGES, SAMPLES / "multicolumn.pdf", ARTICLE]
POSIX_ONLY = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and fork")


def _import(path: Path) -> str:
    return import_pdf(path.read_bytes(), path.name).text


def _in_process(path: Path) -> str:
    return import_pdf(path.read_bytes(), path.name, isolated=False).text


def test_consecutive_imports_reuse_one_child() -> None:
    _import(FOUR_PAGES)
    first = reader_pid()

    assert first is not None
    assert _import(ARTICLE) == _in_process(ARTICLE)
    assert reader_pid() == first


def test_after_a_timeout_the_next_file_gets_a_fresh_child() -> None:
    _import(FOUR_PAGES)
    before = reader_pid()

    with pytest.raises(DocumentImportError, match=r"Reading “slow\.pdf” took longer than 0\.001"):
        import_pdf(ARTICLE.read_bytes(), "slow.pdf", timeout=0.001)
    assert reader_pid() is None

    assert _import(FOUR_PAGES) == _in_process(FOUR_PAGES)
    after = reader_pid()
    assert after is not None
    assert after != before


@POSIX_ONLY
def test_a_child_killed_between_files_is_replaced_without_refusing_the_next() -> None:
    _import(FOUR_PAGES)
    killed = reader_pid()
    assert killed is not None

    os.kill(killed, signal.SIGKILL)

    assert _import(ARTICLE) == _in_process(ARTICLE)
    assert reader_pid() not in (None, killed)


def test_a_child_that_cannot_start_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "executable", str(DATA / "no-such-python"))

    with pytest.raises(DocumentImportError, match=r"“a\.pdf” could not be read: .* did not start"):
        import_pdf(FOUR_PAGES.read_bytes(), "a.pdf")


def test_a_refused_pdf_keeps_the_child() -> None:
    _import(FOUR_PAGES)
    pid = reader_pid()
    assert pid is not None

    with pytest.raises(DocumentImportError, match=r"“broken\.pdf”"):
        import_pdf(b"%PDF-1.4\n" + b"\x00" * 64, "broken.pdf")  # PDFium refuses it

    assert _import(FOUR_PAGES) == _in_process(FOUR_PAGES)
    assert reader_pid() == pid


def test_concurrent_imports_each_get_their_own_text() -> None:
    paths = TEXT_PDFS * 4
    expected = [_in_process(path) for path in paths]

    with ThreadPoolExecutor(max_workers=6) as pool:
        texts = list(pool.map(_import, paths))

    assert texts == expected


def test_the_child_is_replaced_after_so_many_files(monkeypatch: pytest.MonkeyPatch) -> None:
    stop_reader()
    monkeypatch.setattr(pdf_reader_process, "FILES_PER_CHILD", 2)

    _import(FOUR_PAGES)
    first = reader_pid()
    _import(FOUR_PAGES)
    assert reader_pid() is None

    assert _import(FOUR_PAGES) == _in_process(FOUR_PAGES)
    assert reader_pid() not in (None, first)


def test_stop_reader_ends_the_child() -> None:
    _import(FOUR_PAGES)
    assert reader_pid() is not None

    stop_reader()

    assert reader_pid() is None
    assert _import(FOUR_PAGES) == _in_process(FOUR_PAGES)


@POSIX_ONLY
def test_a_forked_process_starts_its_own_child() -> None:
    _import(FOUR_PAGES)
    parent_child = reader_pid()
    expected = _in_process(FOUR_PAGES)

    forked = os.fork()
    if forked == 0:  # pragma: no cover - runs in the forked process
        code = 1
        try:
            inherited = reader_pid()
            text = _import(FOUR_PAGES)
            own = reader_pid()
            stop_reader()
            code = 0 if inherited is None and text == expected and own != parent_child else 2
        finally:
            os._exit(code)
    _, status = os.waitpid(forked, 0)

    assert os.waitstatus_to_exitcode(status) == 0
    assert reader_pid() == parent_child
    assert _import(FOUR_PAGES) == expected
    assert reader_pid() == parent_child
