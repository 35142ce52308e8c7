"""Importing documents into a project: bytes kept, hashes recognised, bad files refused."""

import random
from pathlib import Path

import pytest

from core.anchoring import create_anchor
from core.errors import DocumentImportError
from core.services import documents, extractions
from core.services.project import Project
from tests.helpers import sample_files


def test_every_sample_document_imports_byte_for_byte(project: Project) -> None:
    files = sample_files()
    assert len(files) == 5
    outcomes, changes = documents.import_files(project, files)
    assert [o.error for o in outcomes] == [None] * 5
    assert len(changes.documents) == 5
    for path, outcome in zip(files, outcomes, strict=True):
        assert outcome.document is not None
        stored = documents.document_bytes(project, outcome.document.id)
        assert stored == path.read_bytes()
        text = documents.document_text(project, outcome.document.id).text
        assert text == path.read_text(encoding="utf-8").replace("\r\n", "\n")
        assert outcome.document.encoding is not None
        assert outcome.document.encoding.replace("-", "_").lower().startswith("utf_8")


def test_anchors_at_random_offsets_read_back_the_same_characters(project: Project) -> None:
    outcomes, _ = documents.import_files(project, sample_files())
    rng = random.Random(20261122)
    for outcome in outcomes:
        assert outcome.document is not None
        doc = outcome.document
        text = documents.document_text(project, doc.id).text
        original = (Path("sample_docs") / doc.filename).read_text(encoding="utf-8")
        for _ in range(50):
            start = rng.randrange(0, len(text) - 1)
            end = rng.randrange(start + 1, min(len(text), start + 400) + 1)
            anchor = create_anchor(text, start, end, document_id=doc.id, source_sha256=doc.sha256)
            assert anchor.exact == original[start:end]


def test_same_file_again_is_recognised_by_its_hash(project: Project, tmp_path: Path) -> None:
    first = sample_files()[0]
    copy = tmp_path / "renamed-copy.txt"
    copy.write_bytes(first.read_bytes())
    documents.import_files(project, [first])
    outcomes, changes = documents.import_files(project, [copy])
    assert outcomes[0].duplicate
    assert changes.empty
    assert sum(len(s.documents) for s in extractions.list_studies(project)) == 1


def test_bad_files_are_refused_and_leave_other_studies_intact(
    project: Project, tmp_path: Path
) -> None:
    documents.import_files(project, sample_files()[:2])
    before = extractions.list_studies(project)
    binary = tmp_path / "figure.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    outcomes, _ = documents.import_files(project, [binary, empty, tmp_path / "missing.txt"])
    assert all(o.error for o in outcomes)
    assert "figure.txt" in (outcomes[0].error or "")
    assert "empty.txt" in (outcomes[1].error or "")
    assert "missing.txt" in (outcomes[2].error or "")
    assert extractions.list_studies(project) == before


def test_latin1_file_imports_with_correct_text(project: Project, tmp_path: Path) -> None:
    words = "Études cliniques: Patientinnen über 18 Jahre, Größe ≥ 1 m, réponse complète.\n"
    path = tmp_path / "latin.txt"
    path.write_bytes(words.replace("≥", ">=").encode("latin-1") * 3)
    outcomes, _ = documents.import_files(project, [path], study_name="Latin-1 study")
    doc = outcomes[0].document
    assert doc is not None and outcomes[0].error is None
    text = documents.document_text(project, doc.id).text
    assert text == words.replace("≥", ">=") * 3
    assert doc.encoding is not None and doc.encoding != "utf_8"


def test_import_bytes_refuses_binary_with_a_message(project: Project) -> None:
    with pytest.raises(DocumentImportError, match=r"blob\.bin"):
        documents.import_bytes(project, b"\x00\x01\x02\x03" * 100, "blob.bin")
    assert extractions.list_studies(project) == []


def test_several_documents_in_one_study(project: Project) -> None:
    files = sample_files()[2:4]
    documents.import_files(project, files, study_name="Exosome registry pair")
    studies = extractions.list_studies(project)
    assert [s.name for s in studies] == ["Exosome registry pair"]
    assert [d.filename for d in studies[0].documents] == [f.name for f in files]


def test_one_study_reads_as_in_the_list(project: Project) -> None:
    documents.import_files(project, sample_files())
    extractions.add_reviewer(project, "Ana")
    listed = extractions.list_studies(project)
    extractions.start_extraction(project, listed[1].id, "Ana")
    for study in extractions.list_studies(project):
        assert extractions.get_study(project, study.id) == study
    assert extractions.get_study(project, max(s.id for s in listed) + 1) is None


def test_pdf_and_registry_record_keep_pages_spans_and_warnings(project: Project) -> None:
    from core.documents.ctgov import registry_suggestions
    from tests.helpers import TEST_DATA

    pdf = TEST_DATA / "pdf" / "samples" / "multicolumn.pdf"
    scan = TEST_DATA / "pdf" / "samples" / "imagemagick-CCITTFaxDecode.pdf"
    record = TEST_DATA / "ctgov" / "v2" / "NCT02210780.json"
    outcomes, _ = documents.import_files(project, [pdf, scan, record])
    assert [o.error for o in outcomes] == [None, None, None]
    pdf_doc, scan_doc, record_doc = (o.document for o in outcomes)
    assert pdf_doc is not None and scan_doc is not None and record_doc is not None
    pdf_text = documents.document_text(project, pdf_doc.id)
    assert pdf_doc.media_type == "application/pdf" and len(pdf_text.pages) == 3
    assert pdf_text.pages[1].start > pdf_text.pages[0].end - 1
    assert documents.document_bytes(project, pdf_doc.id) == pdf.read_bytes()
    assert any("no text layer" in w for w in documents.document_text(project, scan_doc.id).warnings)
    registry = documents.document_text(project, record_doc.id)
    assert len(registry.spans) > 50
    phase = next(
        s for s in registry.spans if s.pointer.startswith("/protocolSection/designModule/phases")
    )
    assert registry.text[phase.start : phase.end]
    suggestions = {s.field: s for s in registry_suggestions(record.read_bytes())}
    assert suggestions["enrolled"].value == 194


def test_a_cancelled_import_keeps_the_files_done_and_stops_before_the_next(
    project: Project,
) -> None:
    files = sample_files()[:3]
    seen: list[str] = []

    def cancel() -> bool:
        return len(seen) >= 2  # the user cancels while the second file is read

    outcomes, changes = documents.import_files(
        project,
        files,
        progress=lambda _d, _t, name: seen.append(name) if name else None,
        cancel=cancel,
    )
    assert [o.filename for o in outcomes] == [f.name for f in files[:2]]
    assert all(o.document is not None for o in outcomes)
    studies = extractions.list_studies(project)
    assert sorted(d.filename for s in studies for d in s.documents) == sorted(seen)
    assert {s.id for s in studies} == set(changes.studies)
