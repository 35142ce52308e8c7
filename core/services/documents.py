"""Importing documents into studies and reading them back.

Each import is one transaction: a refused file leaves the project untouched.
Parsing happens before the transaction opens, so the database is not held
while a large file is read.
"""

from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from core.documents import import_document, sha256_hex
from core.domain import Changes, DocumentInfo, DocumentText, PageSpan
from core.domain.document import SourceSpan
from core.errors import DocumentImportError
from core.services.project import SYSTEM_ACTOR, Project
from core.services.read_models import document_info
from core.storage.models import Document, Study
from core.storage.repositories import audit, catalog

MAX_FILE_BYTES = 200 * 1024 * 1024


class ImportOutcome(BaseModel):
    """What happened to one file: imported, already present, or refused (with why)."""

    model_config = ConfigDict(frozen=True)

    filename: str
    document: DocumentInfo | None = None
    duplicate: bool = False
    error: str | None = None


def _clean_title(title: str | None) -> str | None:
    """Metadata titles may hold NUL and other control characters; keep readable text."""
    if title is None:
        return None
    clean = "".join(ch for ch in title if ch.isprintable() or ch == " ").strip()
    return clean[:1000] or None


def study_name_for(filename: str) -> str:
    """Default study name: the file name without its extension."""
    return Path(filename).stem or filename


def import_bytes(
    project: Project,
    data: bytes,
    filename: str,
    *,
    study_name: str | None = None,
    actor: str = SYSTEM_ACTOR,
) -> tuple[ImportOutcome, Changes]:
    """Import one file's bytes into a study (created when missing)."""
    digest = sha256_hex(data)
    with project.uow.read() as session:
        existing = catalog.document_by_hash(session, digest)
        if existing is not None:
            info = document_info(existing, len(existing.text))
            return ImportOutcome(filename=filename, document=info, duplicate=True), Changes()
    if len(data) > MAX_FILE_BYTES:
        raise DocumentImportError(
            f"{filename} is {len(data) // (1024 * 1024)} MB; files over "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MB are not imported."
        )
    parsed = import_document(data, filename)
    name = (study_name or study_name_for(filename)).strip()
    with project.uow() as session:
        study = catalog.study_by_name(session, name)
        created = study is None
        if study is None:
            study = Study(name=name)
            session.add(study)
            session.flush()
            audit.record(
                session,
                actor=actor,
                action="create",
                entity="study",
                entity_id=study.id,
                study_id=study.id,
                new={"name": name},
            )
        row = Document(
            study_id=study.id,
            filename=Path(filename).name,
            media_type=parsed.media_type,
            sha256=digest,
            size=len(data),
            content=data,
            text=parsed.text,
            pages=[[p.start, p.end] for p in parsed.pages],
            spans=[[span.start, span.end, span.pointer] for span in parsed.spans],
            warnings=list(parsed.warnings),
            title=_clean_title(parsed.title),
            extractor=parsed.extractor,
            extractor_version=parsed.extractor_version,
            encoding=parsed.encoding,
        )
        session.add(row)
        session.flush()
        audit.record(
            session,
            actor=actor,
            action="import",
            entity="document",
            entity_id=row.id,
            study_id=study.id,
            new={
                "filename": row.filename,
                "sha256": digest,
                "extractor": row.extractor,
                "encoding": row.encoding,
            },
        )
        info = document_info(row, len(parsed.text))
    changes = Changes(studies=frozenset({info.study_id}), documents=frozenset({info.id}))
    return ImportOutcome(filename=filename, document=info, duplicate=False), changes | Changes(
        messages=(f"Created study {name}.",) if created else ()
    )


def import_files(
    project: Project,
    paths: list[Path],
    *,
    study_name: str | None = None,
    actor: str = SYSTEM_ACTOR,
    progress: Callable[[int, int, str], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> tuple[list[ImportOutcome], Changes]:
    """Import files one by one; a refused file is reported and the others go on.

    Each file is stored in its own transaction. `cancel()` is asked before each file:
    once it answers True, the outcomes of the files done so far are returned.
    """
    outcomes: list[ImportOutcome] = []
    changes = Changes()
    for index, path in enumerate(paths):
        if cancel is not None and cancel():
            return outcomes, changes
        if progress is not None:
            progress(index, len(paths), path.name)
        try:
            data = path.read_bytes()
            outcome, change = import_bytes(
                project, data, path.name, study_name=study_name, actor=actor
            )
        except DocumentImportError as exc:
            outcome, change = ImportOutcome(filename=path.name, error=str(exc)), Changes()
        except OSError as exc:
            reason = exc.strerror or str(exc)
            outcome = ImportOutcome(filename=path.name, error=f"Cannot read {path}: {reason}.")
            change = Changes()
        outcomes.append(outcome)
        changes = changes | change
    if progress is not None:
        progress(len(paths), len(paths), "")
    return outcomes, changes


def document_text(project: Project, document_id: int) -> DocumentText:
    """The canonical text of a document with its page map."""
    with project.uow.read() as session:
        row = catalog.document(session, document_id)
        return DocumentText(
            text=row.text,
            media_type=row.media_type,
            extractor=row.extractor,
            extractor_version=row.extractor_version,
            encoding=row.encoding,
            pages=tuple(PageSpan(start=s, end=e) for s, e in row.pages),
            spans=tuple(SourceSpan(start=s, end=e, pointer=p) for s, e, p in row.spans),
            warnings=tuple(row.warnings),
            title=row.title,
        )


def document_bytes(project: Project, document_id: int) -> bytes:
    """The original file, byte for byte."""
    with project.uow.read() as session:
        return bytes(catalog.document(session, document_id).content)
