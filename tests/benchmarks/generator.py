"""Builds realistic synthetic projects from the sample documents and the default template.

Each study gets its own copy of a sample document (a numbered line keeps hashes
unique) and one reviewer's extraction whose values carry real passages of that
document as evidence. Rows go in through the ORM in bulk: building 10,000 values
through the services one call at a time would time the generator, not the app.
"""

import random
import re
from pathlib import Path

from core.anchoring import create_anchor
from core.documents import import_document, sha256_hex
from core.domain import FieldSpec, FieldType
from core.services.project import Project
from core.storage.models import (
    AnchorRow,
    Document,
    Extraction,
    FieldValue,
    GroupRow,
    Reviewer,
    Study,
)
from core.storage.repositories import catalog

ROOT = Path(__file__).resolve().parent.parent.parent
SAMPLES = sorted((ROOT / "sample_docs").glob("*.txt"))
REVIEWER = "Benchmark Reviewer"
_WORD = re.compile(r"\w[\w.%-]*")
_NUMBER = re.compile(r"\b\d+(?:\.\d+)?\b")


def _value_for(spec: FieldSpec, rng: random.Random, text: str) -> tuple[object, tuple[int, int]]:
    """A value of the field's type and the span of a passage to hold as its evidence."""
    if spec.type in (FieldType.INTEGER, FieldType.DECIMAL):
        numbers = list(_NUMBER.finditer(text))
        match = rng.choice(numbers)
        number = float(match.group())
        return (int(number) if spec.type is FieldType.INTEGER else number), match.span()
    words = list(_WORD.finditer(text))
    first = rng.randrange(0, len(words) - 8)
    span = (words[first].start(), words[first + rng.randrange(1, 8)].end())
    if spec.type is FieldType.SINGLE_CHOICE:
        return rng.choice(spec.choices).code, span
    if spec.type is FieldType.MULTIPLE_CHOICE:
        return [rng.choice(spec.choices).code], span
    if spec.type is FieldType.BOOLEAN:
        return rng.random() < 0.5, span
    if spec.type is FieldType.PARTIAL_DATE:
        return f"20{rng.randrange(10, 25)}-{rng.randrange(1, 13):02d}", span
    return text[span[0] : span[1]], span


def build_project(path: Path, studies: int, values_per_study: int, seed: int = 7) -> Project:
    """A new SQLite project with `studies` studies of about `values_per_study` values each."""
    rng = random.Random(seed)
    project = Project.create(path)
    template = project.template
    plain = [spec for _, spec in template.plain_fields()]
    arms = template.group("arms")
    assert arms is not None
    with project.uow() as session:
        reviewer = Reviewer(name=REVIEWER)
        session.add(reviewer)
        session.flush()
        template_row = catalog.current_template(session)
        assert template_row is not None
        for index in range(studies):
            sample = SAMPLES[index % len(SAMPLES)]
            data = sample.read_bytes() + f"\nSynthetic copy {index}\n".encode()
            parsed = import_document(data, sample.name)
            study = Study(name=f"Study {index:05d} ({sample.stem})")
            session.add(study)
            session.flush()
            doc = Document(
                study_id=study.id,
                filename=sample.name,
                media_type=parsed.media_type,
                sha256=sha256_hex(data),
                size=len(data),
                content=data,
                text=parsed.text,
                pages=[[p.start, p.end] for p in parsed.pages],
                extractor=parsed.extractor,
                extractor_version=parsed.extractor_version,
                encoding=parsed.encoding,
            )
            session.add(doc)
            extraction = Extraction(
                study_id=study.id, reviewer_id=reviewer.id, template_id=template_row.id
            )
            session.add(extraction)
            session.flush()
            _fill(session, rng, extraction, doc, plain, arms, values_per_study, reviewer.id)
            if index % 200 == 199:
                session.commit()
    return project


def _fill(session, rng, extraction, doc, plain, arms, count, reviewer_id) -> None:  # type: ignore[no-untyped-def]
    entries: list[tuple[str, FieldSpec, int | None]] = [(s.id, s, None) for s in plain]
    position = 0
    while len(entries) < count:
        position += 1
        row = GroupRow(extraction_id=extraction.id, group_id="arms", position=position)
        session.add(row)
        session.flush()
        entries.extend((f"arms#{row.id}.{s.id}", s, row.id) for s in arms.fields)
    for key, spec, row_id in entries[:count]:
        value, (start, end) = _value_for(spec, rng, doc.text)
        anchor = create_anchor(doc.text, start, end, document_id=doc.id, source_sha256=doc.sha256)
        field = FieldValue(
            extraction_id=extraction.id,
            field_key=key,
            field_id=spec.id,
            row_id=row_id,
            status="value",
            raw_text=anchor.exact,
            value=value,
            updated_by_id=reviewer_id,
        )
        field.anchors.append(
            AnchorRow(
                document_id=doc.id,
                source_sha256=doc.sha256,
                start=start,
                end=end,
                exact=anchor.exact,
                prefix=anchor.prefix,
                suffix=anchor.suffix,
                rects=[],
            )
        )
        session.add(field)
