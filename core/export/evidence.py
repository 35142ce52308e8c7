"""Evidence in CSV: columns beside each field, or one long `evidence.csv`.

Pages are counted from 1; offsets are code points of the document's canonical text,
`end` exclusive, as everywhere in the project. When a value has several passages, each
evidence column lists them in order separated by ' | '; `evidence.csv` has one row per
passage.
"""

from collections.abc import Iterator, Sequence
from typing import Any

from core.domain import Template
from core.export.options import ExportOptions, RecordSet
from core.export.records import Answer, DocumentRef, ExportRecord, Passage, Records

EVIDENCE_PARTS = ("quote", "document", "page", "start", "end")
JOIN = " | "

EVIDENCE_HEADER = [
    "field",
    "group",
    "row",
    "field_id",
    "passage",
    "document_id",
    "document",
    "document_sha256",
    "page",
    "start",
    "end",
    "quote",
    "prefix",
    "suffix",
    "anchor_status",
]


def page_number(passage: Passage) -> int | None:
    return None if passage.page_index is None else passage.page_index + 1


def _filename(documents: dict[int, DocumentRef], document_id: int) -> str:
    found = documents.get(document_id)
    return found.filename if found is not None else f"document {document_id}"


def evidence_cells(passages: Sequence[Passage], documents: dict[int, DocumentRef]) -> list[Any]:
    """The five evidence cells of one value (empty when it has no passage)."""
    if not passages:
        return [None] * len(EVIDENCE_PARTS)
    if len(passages) == 1:
        p = passages[0]
        return [p.exact, _filename(documents, p.document_id), page_number(p), p.start, p.end]
    return [
        JOIN.join(p.exact for p in passages),
        JOIN.join(_filename(documents, p.document_id) for p in passages),
        JOIN.join(str(page_number(p) or "") for p in passages),
        JOIN.join(str(p.start) for p in passages),
        JOIN.join(str(p.end) for p in passages),
    ]


def evidence_key_names(options: ExportOptions) -> list[str]:
    names = ["study_id", "study"]
    if options.records is not RecordSet.FINAL:
        names.append("reviewer")
    if options.records is RecordSet.ALL:
        names.append("record")
    return names


def _answers(
    record: ExportRecord, template: Template
) -> Iterator[tuple[str, str | None, int | None, str, Answer]]:
    for _, spec in template.plain_fields():
        answer = record.fields.get(spec.id)
        if answer is not None:
            yield spec.id, None, None, spec.id, answer
    for _, group in template.groups():
        for number, row in enumerate(record.groups.get(group.id, ()), start=1):
            for spec in group.fields:
                answer = row.get(spec.id)
                if answer is not None:
                    yield f"{group.id}[{number}].{spec.id}", group.id, number, spec.id, answer


def evidence_rows(records: Records, options: ExportOptions) -> Iterator[list[Any]]:
    """One row per passage, in form order within each record."""
    documents = records.documents
    for record in records.records:
        head = record.head
        keys: list[Any] = [head.study_id, head.study]
        if options.records is not RecordSet.FINAL:
            keys.append(head.reviewer)
        if options.records is RecordSet.ALL:
            keys.append(head.kind)
        for path, group, row, field_id, answer in _answers(record, records.template):
            for index, p in enumerate(records.passages.get(answer.id, ()), start=1):
                doc = documents.get(p.document_id)
                yield [
                    *keys,
                    path,
                    group,
                    row,
                    field_id,
                    index,
                    p.document_id,
                    doc.filename if doc is not None else None,
                    p.sha256,
                    page_number(p),
                    p.start,
                    p.end,
                    p.exact,
                    p.prefix,
                    p.suffix,
                    p.status,
                ]
