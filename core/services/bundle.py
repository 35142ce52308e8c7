"""Export and import of JSON bundles (one transaction per import; all or nothing)."""

import json
from pathlib import Path

from pydantic import ValidationError as PydanticValidationError
from sqlalchemy.orm import Session

from core.anchoring import reanchor, verify_anchor
from core.domain import Anchor, Changes
from core.domain.bundle import (
    Bundle,
    BundleDocument,
    BundleEvidence,
    BundleExtraction,
    BundleValue,
)
from core.errors import BundleError, TrialAbstractorError
from core.services.access import REVIEWER_KIND, hidden_extractions
from core.services.assignments import claim_slot
from core.services.extractions import list_values, row_counts
from core.services.paths import field_key, field_spec, parse_path
from core.services.project import Project
from core.services.read_models import anchor_row
from core.storage.models import AnchorRow, Document, Extraction, FieldValue, GroupRow, Reviewer
from core.storage.repositories import audit, catalog, extractions


def export_bundle(project: Project, reviewer: str | None = None) -> Bundle:
    """Every extraction (or one reviewer's) with values, statuses, notes and evidence."""
    template = project.template
    with project.uow.read() as session:
        docs: dict[int, Document] = {}
        picked: list[tuple[int, str, str, str]] = []
        hidden = hidden_extractions(session, project.viewer)
        for study in catalog.studies(session):
            for doc in study.documents:
                docs[doc.id] = doc
            for ext in study.extractions:
                if ext.kind != REVIEWER_KIND or ext.id in hidden:
                    continue
                if reviewer is None or ext.reviewer.name == reviewer:
                    picked.append((ext.id, study.name, ext.reviewer.name, ext.status))
        if reviewer is not None and catalog.reviewer_by_name(session, reviewer) is None:
            raise TrialAbstractorError(f"There is no reviewer called {reviewer}.")
        documents = sorted(
            (
                BundleDocument(
                    sha256=d.sha256,
                    filename=d.filename,
                    media_type=d.media_type,
                    study=d.study.name,
                )
                for d in docs.values()
            ),
            key=lambda d: (d.study, d.filename, d.sha256),
        )
    bundle_extractions = []
    for ext_id, study_name, person, status in sorted(picked, key=lambda p: (p[1], p[2])):
        values = [
            BundleValue(
                path=v.path,
                status=v.status,
                value=v.value,
                unit=v.unit,
                raw_text=v.raw_text,
                note=v.note,
                evidence=[
                    BundleEvidence(
                        document_sha256=a.source_sha256,
                        start=a.start,
                        end=a.end,
                        exact=a.exact,
                        prefix=a.prefix,
                        suffix=a.suffix,
                        page_index=a.page_index,
                        rects=list(a.rects),
                    )
                    for a in v.anchors
                ],
            )
            for v in list_values(project, ext_id)
        ]
        bundle_extractions.append(
            BundleExtraction(
                study=study_name,
                reviewer=person,
                status=status,
                rows=dict(sorted(row_counts(project, ext_id).items())),
                values=values,
            )
        )
    return Bundle(
        template_id=template.id,
        template_version=template.version,
        documents=documents,
        extractions=bundle_extractions,
    )


def bundle_to_json(bundle: Bundle) -> str:
    return json.dumps(bundle.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def read_bundle(path: Path) -> Bundle:
    """Parse and validate a bundle file, with a readable message when it is wrong."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BundleError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BundleError(f"{path.name} is not a JSON file: {exc}.") from exc
    try:
        return Bundle.model_validate(data)
    except PydanticValidationError as exc:
        first = exc.errors()[0]
        place = ".".join(str(p) for p in first["loc"]) or "top level"
        raise BundleError(f"{path.name} is not a valid bundle: {place}: {first['msg']}.") from exc


def import_bundle(project: Project, bundle: Bundle, *, replace: bool = False) -> Changes:
    """Load every extraction of the bundle; documents must already be in the project."""
    template = project.template
    if bundle.template_id != template.id:
        raise BundleError(
            f"The bundle was made with the form '{bundle.template_id}', "
            f"this project uses '{template.id}'."
        )
    changed: set[int] = set()
    with project.uow() as session:
        for item in bundle.extractions:
            changed.add(_import_extraction(session, project, bundle, item, replace))
    return Changes(
        extractions=frozenset(changed),
        reviewers=True,
        studies=frozenset(_study_ids(project, changed)),
    )


def _study_ids(project: Project, extraction_ids: set[int]) -> set[int]:
    with project.uow.read() as session:
        return {extractions.extraction(session, i).study_id for i in extraction_ids}


def _find_study(session: Session, bundle: Bundle, name: str) -> int:
    """The project's study of the bundle's study `name`, whose documents must match."""
    own = [doc for doc in bundle.documents if doc.study == name]
    found = [catalog.document_by_hash(session, doc.sha256) for doc in own]
    study_ids = {doc.study_id for doc in found if doc is not None}
    study = catalog.study_by_name(session, name) if not study_ids else None
    if not study_ids and study is None:
        raise BundleError(f"Study '{name}' is not in this project: import its documents first.")
    for doc, match in zip(own, found, strict=True):
        if match is None:
            raise BundleError(
                f"Study '{name}': the bundle was made from a different {doc.filename} "
                f"(SHA-256 {doc.sha256[:12]}…) than the one in this project, so its "
                "evidence cannot be trusted here; nothing was imported."
            )
    if len(study_ids) > 1:
        raise BundleError(f"Study '{name}': its documents belong to different studies here.")
    return study_ids.pop() if study_ids else study.id  # type: ignore[union-attr]


def _import_extraction(
    session: Session, project: Project, bundle: Bundle, item: BundleExtraction, replace: bool
) -> int:
    study_id = _find_study(session, bundle, item.study)
    person = catalog.reviewer_by_name(session, item.reviewer)
    if person is None:
        person = Reviewer(name=item.reviewer)
        session.add(person)
        session.flush()
    ext = extractions.extraction_for(session, study_id, person.id)
    if ext is not None and (ext.kind != REVIEWER_KIND or ext.status != "in_progress"):
        what = "final record" if ext.kind != REVIEWER_KIND else "extraction"
        raise BundleError(
            f"Study '{item.study}': {item.reviewer}'s {what} here is {ext.status.replace('_', ' ')}"
            " and a bundle never overwrites it; reopen it first if it must change."
        )
    if ext is None:
        try:
            claim_slot(session, catalog.study(session, study_id), person)
        except TrialAbstractorError as exc:
            raise BundleError(f"Study '{item.study}': {exc}") from exc
    if ext is not None and extractions.values(session, ext.id):
        if not replace:
            raise BundleError(
                f"{item.reviewer} already has values for study '{item.study}'; "
                "import with --replace to overwrite them."
            )
        for old in extractions.values(session, ext.id):
            session.delete(old)
        session.flush()  # the values first: deleting their rows first would cascade to them
        for old_row in extractions.all_rows(session, ext.id):
            session.delete(old_row)
        session.flush()
    if ext is None:
        template_row = catalog.current_template(session)
        assert template_row is not None
        ext = Extraction(study_id=study_id, reviewer_id=person.id, template_id=template_row.id)
        session.add(ext)
        session.flush()
    ext.status = item.status.value
    row_ids: dict[tuple[str, int], int] = {}
    for group_id, count in item.rows.items():
        if project.template.group(group_id) is None:
            raise BundleError(f"The form has no repeating group '{group_id}'.")
        for position in range(1, count + 1):
            group_row = GroupRow(extraction_id=ext.id, group_id=group_id, position=position)
            session.add(group_row)
            session.flush()
            row_ids[(group_id, position)] = group_row.id
    for value in item.values:
        _import_value(session, project, ext, value, row_ids)
    audit.record(
        session,
        actor=person.name,
        action="import_bundle",
        entity="extraction",
        entity_id=ext.id,
        study_id=study_id,
        extraction_id=ext.id,
        new={"values": len(item.values), "replace": replace},
    )
    return ext.id


def _import_value(
    session: Session,
    project: Project,
    ext: Extraction,
    value: BundleValue,
    row_ids: dict[tuple[str, int], int],
) -> None:
    try:
        path = parse_path(value.path)
        field_spec(project.template, path)
    except TrialAbstractorError as exc:
        raise BundleError(f"{value.path}: {exc}") from exc
    row_id = None
    if path.group is not None:
        assert path.row is not None
        if (path.group, path.row) not in row_ids:
            raise BundleError(f"{value.path}: the bundle declares no such row.")
        row_id = row_ids[(path.group, path.row)]
    row = FieldValue(
        extraction_id=ext.id,
        field_key=field_key(path, row_id),
        field_id=path.field,
        row_id=row_id,
        status=value.status.value,
        raw_text=value.raw_text,
        value=value.value,
        unit=value.unit,
        note=value.note,
        updated_by_id=ext.reviewer_id,
    )
    for position, evidence in enumerate(value.evidence):
        row.anchors.append(_anchor_row(session, evidence, position, value.path))
    session.add(row)


def _anchor_row(session: Session, evidence: BundleEvidence, position: int, path: str) -> AnchorRow:
    doc = catalog.document_by_hash(session, evidence.document_sha256)
    if doc is None:
        raise BundleError(
            f"{path}: its evidence points into a document that is not in this project "
            f"(SHA-256 {evidence.document_sha256[:12]}…)."
        )
    anchor = Anchor(
        document_id=doc.id,
        source_sha256=evidence.document_sha256,
        start=evidence.start,
        end=evidence.end,
        exact=evidence.exact,
        prefix=evidence.prefix,
        suffix=evidence.suffix,
        page_index=evidence.page_index,
        rects=tuple(evidence.rects),
    )
    if not verify_anchor(anchor, doc.text):
        anchor = reanchor(anchor, doc.text, doc.sha256)
    return anchor_row(anchor, position)
