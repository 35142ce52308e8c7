"""JSON exports: the records with their evidence anchors, and the evidence as W3C Web
Annotations (JSON-LD, https://www.w3.org/TR/annotation-model/).

Each annotation links one value (its body: the field and the value as text) to one
passage (its target: the document, named by the SHA-256 of its original bytes as an
RFC 6920 `ni:` URI, with a TextPositionSelector and a TextQuoteSelector). Positions
count code points of the document's canonical text, which is what the Web Annotation
model counts; for pages a FragmentSelector (RFC 3778, pages from 1) is added.
"""

import base64
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from core.domain import FieldStatus, Template
from core.export.evidence import page_number
from core.export.options import ExportOptions
from core.export.records import Answer, ExportRecord, Passage, Records

RECORDS_FORMAT = "trial-abstractor-records"
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
GENERATOR = {"id": "urn:trial-abstractor", "type": "Software", "name": "Trial Abstractor"}


def document_iri(sha256: str) -> str:
    """`ni:///sha-256;...`: the document's content hash as a URI (RFC 6920)."""
    digest = base64.urlsafe_b64encode(bytes.fromhex(sha256)).decode("ascii").rstrip("=")
    return f"ni:///sha-256;{digest}"


def _passage_json(p: Passage, records: Records) -> dict[str, Any]:
    doc = records.documents.get(p.document_id)
    return {
        "document_id": p.document_id,
        "document": doc.filename if doc is not None else None,
        "document_sha256": p.sha256,
        "start": p.start,
        "end": p.end,
        "exact": p.exact,
        "prefix": p.prefix,
        "suffix": p.suffix,
        "page": page_number(p),
        "status": p.status,
    }


def _answer_json(answer: Answer, records: Records) -> dict[str, Any]:
    return {
        "status": answer.status,
        "value": answer.value,
        "unit": answer.unit,
        "evidence": [_passage_json(p, records) for p in records.passages.get(answer.id, ())],
    }


def _record_json(record: ExportRecord, records: Records) -> dict[str, Any]:
    template = records.template
    head = record.head
    fields = {
        spec.id: _answer_json(record.fields[spec.id], records)
        for _, spec in template.plain_fields()
        if spec.id in record.fields
    }
    groups = {}
    for _, group in template.groups():
        rows = record.groups.get(group.id)
        if rows:
            groups[group.id] = [
                {
                    "row": number,
                    "fields": {
                        f.id: _answer_json(row[f.id], records) for f in group.fields if f.id in row
                    },
                }
                for number, row in enumerate(rows, start=1)
            ]
    return {
        "study_id": head.study_id,
        "study": head.study,
        "reviewer": head.reviewer,
        "record": head.kind,
        "status": head.status,
        "fields": fields,
        "groups": groups,
    }


def records_json(records: Records, options: ExportOptions) -> dict[str, Any]:
    """The exported records with every value's status, unit and evidence anchors."""
    template = records.template
    study_ids = {r.head.study_id for r in records.records}
    return {
        "format": RECORDS_FORMAT,
        "version": 1,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "template": {"id": template.id, "name": template.name, "version": template.version},
        "selection": {
            "records": options.records.value,
            "reviewer": options.reviewer,
            "include_unfinished": options.include_unfinished,
        },
        "documents": [
            {
                "id": d.id,
                "study_id": d.study_id,
                "filename": d.filename,
                "media_type": d.media_type,
                "sha256": d.sha256,
            }
            for d in records.documents.values()
            if d.study_id in study_ids
        ],
        "records": [_record_json(r, records) for r in records.records],
    }


def value_text(answer: Answer, sep: str) -> str:
    """A value as the body of an annotation: the status in words when not answered."""
    if answer.status != FieldStatus.VALUE:
        return answer.status.replace("_", " ")
    value = answer.value
    if isinstance(value, list):
        return sep.join(map(str, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = "" if value is None else str(value)
    return f"{text} {answer.unit}" if answer.unit and text else text


def _answers(record: ExportRecord, template: Template) -> Iterator[tuple[str, Answer]]:
    for _, spec in template.plain_fields():
        if spec.id in record.fields:
            yield spec.id, record.fields[spec.id]
    for _, group in template.groups():
        for number, row in enumerate(record.groups.get(group.id, ()), start=1):
            for spec in group.fields:
                if spec.id in row:
                    yield f"{group.id}[{number}].{spec.id}", row[spec.id]


def _selectors(p: Passage) -> list[dict[str, Any]]:
    selectors: list[dict[str, Any]] = [
        {"type": "TextPositionSelector", "start": p.start, "end": p.end},
        {"type": "TextQuoteSelector", "exact": p.exact, "prefix": p.prefix, "suffix": p.suffix},
    ]
    page = page_number(p)
    if page is not None:
        selectors.append(
            {
                "type": "FragmentSelector",
                "conformsTo": "http://tools.ietf.org/rfc/rfc3778",
                "value": f"page={page}",
            }
        )
    return selectors


def annotations(records: Records, options: ExportOptions) -> dict[str, Any]:
    """An AnnotationCollection holding one Annotation per evidence passage."""
    template = records.template
    items: list[dict[str, Any]] = []
    for record in records.records:
        head = record.head
        for path, answer in _answers(record, template):
            for number, p in enumerate(records.passages.get(answer.id, ()), start=1):
                doc = records.documents.get(p.document_id)
                source: dict[str, Any] = {"id": document_iri(p.sha256), "type": "Text"}
                if doc is not None:
                    source["format"] = doc.media_type
                    source["label"] = doc.filename
                items.append(
                    {
                        "id": f"urn:trial-abstractor:study:{head.study_id}:record:"
                        f"{head.extraction_id}:{path}:{number}",
                        "type": "Annotation",
                        "motivation": "describing",
                        "creator": {"type": "Person", "name": head.reviewer},
                        "generator": GENERATOR,
                        "body": [
                            {"type": "TextualBody", "purpose": "tagging", "value": path},
                            {
                                "type": "TextualBody",
                                "purpose": "describing",
                                "format": "text/plain",
                                "value": value_text(answer, options.multi_separator),
                            },
                        ],
                        "target": {"source": source, "selector": _selectors(p)},
                    }
                )
    return {
        "@context": ANNO_CONTEXT,
        "id": f"urn:trial-abstractor:export:{template.id}:{template.version}",
        "type": "AnnotationCollection",
        "label": f"Evidence of {template.name} records",
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }
