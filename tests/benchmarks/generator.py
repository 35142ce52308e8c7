"""The one source of synthetic data for the benchmarks: projects, extractions and PDFs.

Projects are built from the sample documents (`sample_docs/`) and the default template.
Each study gets a document of its own: a sample document's text (taking the samples in
turn) followed by a results paragraph with the study's own numbers, number words and
percentages. Each reviewer's extraction of the study holds about 50 values, most with a
passage of that paragraph as evidence; one extraction in ten carries a typical mistake
(a completed count above the enrolled one, a wrong percentage, an arm size that does not
add up, a registry ID cut short), so the checks find what they find in real work.

Rows go into the database with bulk inserts: building 100,000 values through the
services one call at a time would time the generator, not the app. The PDFs are pages
of a real article (tests/data/pdf/rct) put together with pypdfium2.
"""

import io
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from sqlalchemy import insert

from core.anchoring import create_anchor
from core.checks import ExtractionRecord
from core.documents import import_document, sha256_hex
from core.domain import Anchor, FieldStatus, FieldValueInfo, Template
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
ARTICLE = ROOT / "tests" / "data" / "pdf" / "rct" / "lancetrespmed-2014-StopAdvisor-rct.pdf"
REVIEWERS = ("Ana", "Ben")
REVIEWER = REVIEWERS[0]
NOW = datetime(2024, 11, 12, tzinfo=UTC)

_ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen",
)  # fmt: skip
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
_TITLES = (
    "Local administration of exosomes for refractory perianal fistula",
    "Umbilical cord mesenchymal stem cells for severe sepsis",
    "Exosome administration to prevent anastomotic leakage after low anterior resection",
    "Placental stem cell exosomes for complex perianal fistula",
)
_TERMS = ("anal abscess", "fever", "local pain", "headache", "nausea", "transient rash")


def words(number: int) -> str:
    """23 -> "Twenty-three" (numbers below 100), as reports begin sentences."""
    if number < 20:
        text = _ONES[number]
    else:
        tens, ones = divmod(number, 10)
        text = _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    return text.capitalize()


@dataclass
class Entry:
    """One value of a generated extraction, with the passages that support it."""

    field_id: str
    value: Any
    group_id: str | None = None
    row: int | None = None
    unit: str | None = None
    passages: list[str] = field(default_factory=list)

    @property
    def path(self) -> str:
        return (
            self.field_id
            if self.group_id is None
            else f"{self.group_id}[{self.row}].{self.field_id}"
        )


@dataclass
class StudyData:
    """One study: its document's file name and text, and each reviewer's values."""

    name: str
    filename: str
    text: str
    results_at: int  # where the results paragraph, which every passage quotes, begins
    extractions: list[list[Entry]]
    _anchors: dict[str, tuple[int, int]] = field(default_factory=dict, repr=False)

    def span(self, passage: str) -> tuple[int, int]:
        """Where a passage stands in the results paragraph."""
        known = self._anchors.get(passage)
        if known is None:
            start = self.text.index(passage, self.results_at)
            known = self._anchors[passage] = (start, start + len(passage))
        return known


@cache
def _background(sample: Path) -> str:
    return sample.read_text(encoding="utf-8")


def _study(index: int, rng: random.Random, reviewers: int, values: int | None) -> StudyData:
    """A study's facts, its document, and each reviewer's extraction of it."""
    cohorts = rng.choice((1, 2, 3, 3))
    sizes = [rng.randint(5, 30) for _ in range(cohorts)]
    enrolled = sum(sizes)
    completed = enrolled - rng.randint(0, 3)
    events = rng.randint(1, completed)
    tracts = completed + rng.randint(5, 25)
    tract_events = rng.randint(1, tracts)
    pct = round(100 * events / completed)
    tract_pct = int(1000 * tract_events / tracts) / 10  # cut, as the 69.7 % of a sample
    men = rng.randint(0, enrolled)
    start_year = rng.randint(2012, 2022)
    start = (start_year, rng.randint(1, 11))
    end = (start_year + rng.randint(1, 3), rng.randint(1, 11))
    registry = f"NCT{rng.randint(10**7, 10**8 - 1):08d}"
    deaths = rng.randint(0, 2)
    year = rng.randint(2015, 2024)
    title = rng.choice(_TITLES)
    product = rng.choice(("UC-MSC", "PL-MSC", "AD-MSC", "BM-MSC", "Exosome")) + f" {index}"
    labels = [f"{product} dose {j + 1}" for j in range(cohorts)]
    cohort_text = ", ".join(
        f"{label} (n = {n}, {j + 1} x 10^6 cells/kg)"
        for j, (label, n) in enumerate(zip(labels, sizes, strict=True))
    )
    natural = 40 + 6 * cohorts  # plain fields, arms, two outcomes, one adverse event
    extra = 0 if values is None else max(0, -(-(values - natural) // 3))
    harms = [(rng.choice(_TERMS), rng.randint(0, 3)) for _ in range(1 + extra)]
    harm_text = "; ".join(f"{term} in {n} of {labels[-1]}" for term, n in harms)
    sample = SAMPLES[index % len(SAMPLES)]
    background = _background(sample)
    results = (
        f"\n\nResults of study {index}\n"
        f"Title: {title}.\n"
        f"Registration: {registry}. A Phase II trial published in {year}.\n"
        f"Patients: {words(enrolled) if enrolled < 100 else enrolled} patients were enrolled, "
        f"{completed} of whom completed the study ({men} male and {enrolled - men} female). "
        f"They were divided into {cohorts} dose cohorts: {cohort_text}.\n"
        f"Fistula tracts were fully closed in {events} patients ({pct}%). A total of {tracts} "
        f"fistula tracts were treated during the trial, {tract_events} of which ({tract_pct}%) "
        f"showed complete closure. {deaths} patients died. Follow-up lasted 6 months.\n"
        f"Adverse events: {harm_text}.\n"
        f"Start date: {_MONTHS[start[1] - 1]} {start[0]}. "
        f"Completion date: {_MONTHS[end[1] - 1]} {end[0]}.\n"
        "Conclusion: mesenchymal stem cell-derived exosomes are safe in this setting.\n"
    )
    data = (background + results).encode()
    filename = f"study-{index:06d}-{sample.stem}.txt"
    text = import_document(data, filename).text  # the canonical text the app would store
    facts = {
        "registry": registry, "enrolled": enrolled, "completed": completed, "men": men,
        "sizes": sizes, "labels": labels, "events": events, "pct": pct, "tracts": tracts,
        "tract_events": tract_events, "tract_pct": tract_pct, "deaths": deaths,
        "start": f"{start[0]}-{start[1]:02d}", "end": f"{end[0]}-{end[1]:02d}",
        "year": year, "title": title, "harms": harms,
    }  # fmt: skip
    study = StudyData(f"Study {index:06d}", filename, text, text.rindex("Results of study"), [])
    study.extractions = [_extraction(study, facts, rng, values) for _ in range(reviewers)]
    return study


def _extraction(
    study: StudyData, f: dict[str, Any], rng: random.Random, count: int | None
) -> list[Entry]:
    """One reviewer's values of the study (exactly `count` of them when given)."""
    enrolled, completed, men = f["enrolled"], f["completed"], f["men"]
    mistake = rng.random() < 0.1 and rng.choice(("completed", "percent", "arm", "registry"))
    enrolled_words = words(enrolled) if enrolled < 100 else str(enrolled)
    start_month = _MONTHS[int(f["start"][5:]) - 1]
    entries = [
        Entry("registry_id", f["registry"][:-1] if mistake == "registry" else f["registry"],
              passages=[f["registry"]]),
        Entry("title", f["title"], passages=[f["title"]]),
        Entry("first_author", "Hadizadeh A"),
        Entry("year", f["year"], passages=[f"published in {f['year']}"]),
        Entry("study_type", "interventional"),
        Entry("phase", "2", passages=["Phase II"]),
        Entry("allocation", "non_randomized"),
        Entry("masking", "none"),
        Entry("start_date", f["start"], passages=[f"Start date: {start_month}"]),
        Entry("completion_date", f["end"]),
        Entry("conditions", "perianal fistula; Crohn's disease"),
        Entry("enrolled", enrolled, passages=[f"{enrolled_words} patients were"]),
        Entry("completed", enrolled + 1 if mistake == "completed" else completed,
              passages=[f"{completed} of whom completed"]),
        Entry("sex", "all"),
        Entry("n_male", men, passages=[f"{men} male"]),
        Entry("n_female", enrolled - men, passages=[f"{enrolled - men} female"]),
        Entry("any_adverse_events", True),
        Entry("deaths", f["deaths"], passages=[f"{f['deaths']} patients died"]),
        Entry("follow_up_duration", 6.0, unit="months", passages=["6 months"]),
        Entry("conclusions", "Exosomes are safe.",
              passages=["mesenchymal stem cell-derived exosomes are safe"]),
        Entry("reviewer_notes", "Numbers checked against the abstract."),
    ]  # fmt: skip
    labels = f["labels"]
    for row, (label, size) in enumerate(zip(labels, f["sizes"], strict=True), start=1):
        cohort = f"{label} (n = {size}, {row} x 10^6 cells/kg)"
        given = size + 2 if mistake == "arm" and row == 1 else size
        entries += [
            Entry("label", label, "arms", row, passages=[label]),
            Entry("arm_type", "experimental", "arms", row),
            Entry("n_randomized", given, "arms", row, passages=[cohort]),
            Entry("intervention_type", "biological", "arms", row),
            Entry("dose", row * 1e6, "arms", row, unit="cells/kg", passages=[cohort]),
            Entry("route", "intralesional", "arms", row),
        ]
    rows = [
        ("patients", f["events"], completed, f["pct"], f"in {f['events']} patients ({f['pct']}%)",
         f"{completed} of whom completed"),
        ("tracts", f["tract_events"], f["tracts"], f["tract_pct"],
         f"{f['tract_events']} of which ({f['tract_pct']}%)", f"A total of {f['tracts']}"),
    ]  # fmt: skip
    for row, (unit, events, total, pct, quote, counted) in enumerate(rows, start=1):
        reported = pct + 7 if mistake == "percent" and row == 1 else pct
        entries += [
            Entry("name", "fistula closure", "outcomes", row),
            Entry("primary_secondary", "primary", "outcomes", row),
            Entry("outcome_type", "binary", "outcomes", row),
            Entry("arm_label", labels[0], "outcomes", row),
            Entry("unit_counted", unit, "outcomes", row),
            Entry("events", events, "outcomes", row, passages=[quote]),
            Entry("total", total, "outcomes", row, passages=[counted]),
            Entry("percent", float(reported), "outcomes", row, unit="%", passages=[quote]),
        ]
    for row, (term, n) in enumerate(f["harms"], start=1):
        quote = f"{term} in {n} of {labels[-1]}"
        entries += [
            Entry("term", term, "adverse_events", row, passages=[quote]),
            Entry("arm_label", labels[-1], "adverse_events", row),
            Entry("n_patients", n, "adverse_events", row, passages=[quote]),
        ]
    return entries if count is None else entries[:count]


def generate(
    studies: int, reviewers: int = 1, values: int | None = None, seed: int = 11
) -> list[StudyData]:
    """`studies` studies, each with `reviewers` extractions of `values` values (about 50
    when not given)."""
    rng = random.Random(seed)
    return [_study(index, rng, reviewers, values) for index in range(studies)]


def _anchors(study: StudyData, document_id: int, sha: str, passages: list[str]) -> list[Anchor]:
    return [
        create_anchor(study.text, *study.span(p), document_id=document_id, source_sha256=sha)
        for p in passages
    ]


def in_memory(template: Template, studies: list[StudyData]) -> list[ExtractionRecord]:
    """The extractions as the pure checks read them (document ids count from 1)."""
    records = []
    for index, study in enumerate(studies, start=1):
        sha = f"{index:064x}"
        texts = {index: study.text}
        for reviewer, entries in zip(REVIEWERS, study.extractions, strict=False):
            values = [
                FieldValueInfo.model_construct(
                    path=e.path, field_id=e.field_id, group_id=e.group_id, row=e.row,
                    status=FieldStatus.VALUE, raw_text="", value=e.value, unit=e.unit, note="",
                    anchors=tuple(_anchors(study, index, sha, e.passages)),
                    updated_by=reviewer, updated_at=NOW,
                )
                for e in entries
            ]  # fmt: skip
            counts: dict[str, int] = {}
            for e in entries:
                if e.group_id is not None:
                    counts[e.group_id] = max(counts.get(e.group_id, 0), e.row or 0)
            records.append(
                ExtractionRecord(template=template, values=values, row_counts=counts, texts=texts)
            )
    return records


def store(path: Path, studies: list[StudyData]) -> Project:
    """A new SQLite project holding the studies, filled with bulk inserts."""
    project = Project.create(path)
    with project.uow() as session:
        template_row = catalog.current_template(session)
        assert template_row is not None
        template_id = template_row.id
        session.execute(
            insert(Reviewer), [{"id": i + 1, "name": n} for i, n in enumerate(REVIEWERS)]
        )
        tables: dict[Any, list[dict[str, Any]]] = {
            model: [] for model in (Study, Document, Extraction, GroupRow, FieldValue, AnchorRow)
        }
        ext_id = group_id = value_id = 0
        for index, study in enumerate(studies, start=1):
            data = study.text.encode()
            sha = sha256_hex(data)
            tables[Study].append({"id": index, "name": study.name, "created_at": NOW})
            tables[Document].append({
                "id": index, "study_id": index, "filename": study.filename,
                "media_type": "text/plain", "sha256": sha, "size": len(data), "content": data,
                "text": study.text, "pages": [[0, len(study.text)]], "title": None,
                "extractor": "text", "extractor_version": "1", "encoding": "utf-8",
                "imported_at": NOW,
            })  # fmt: skip
            for reviewer_id, entries in enumerate(study.extractions, start=1):
                ext_id += 1
                tables[Extraction].append({
                    "id": ext_id, "study_id": index, "reviewer_id": reviewer_id,
                    "template_id": template_id, "status": "in_progress",
                    "created_at": NOW, "updated_at": NOW,
                })  # fmt: skip
                row_ids: dict[tuple[str, int], int] = {}
                for e in entries:
                    row_id = None
                    if e.group_id is not None and e.row is not None:
                        if (e.group_id, e.row) not in row_ids:
                            group_id += 1
                            row_ids[(e.group_id, e.row)] = group_id
                            tables[GroupRow].append({
                                "id": group_id, "extraction_id": ext_id,
                                "group_id": e.group_id, "position": e.row,
                            })  # fmt: skip
                        row_id = row_ids[(e.group_id, e.row)]
                    value_id += 1
                    key = e.field_id if row_id is None else f"{e.group_id}#{row_id}.{e.field_id}"
                    anchors = _anchors(study, index, sha, e.passages)
                    tables[FieldValue].append({
                        "id": value_id, "extraction_id": ext_id, "field_key": key,
                        "field_id": e.field_id, "row_id": row_id, "status": "value",
                        "raw_text": anchors[0].exact if anchors else "", "value": e.value,
                        "unit": e.unit, "note": "", "updated_by_id": reviewer_id,
                        "updated_at": NOW,
                    })  # fmt: skip
                    for position, a in enumerate(anchors):
                        tables[AnchorRow].append({
                            "field_value_id": value_id, "document_id": index,
                            "position": position, "source_sha256": sha, "start": a.start,
                            "end": a.end, "exact": a.exact, "prefix": a.prefix,
                            "suffix": a.suffix, "page_index": None, "rects": [],
                            "status": "exact", "created_at": NOW,
                        })  # fmt: skip
        for model, rows in tables.items():
            if rows:
                session.execute(insert(model), rows)
    return project


def build_project(
    path: Path, studies: int, values_per_study: int | None = None, reviewers: int = 1
) -> Project:
    """A new SQLite project of `studies` studies, each with `reviewers` extractions of
    `values_per_study` values (about 50 when not given)."""
    return store(path, generate(studies, reviewers, values_per_study))


def make_long_pdf(folder: Path, pages: int) -> bytes:
    """A PDF of `pages` pages, the article's pages over and over; written to `folder`."""
    order = [index % _article_pages() for index in range(pages)]
    data = _pdf_of(order)
    path = folder / f"long-{pages}-pages.pdf"
    path.write_bytes(data)
    return data


def make_pdfs(folder: Path, count: int) -> list[Path]:
    """`count` different PDFs of 3 to 12 pages of the article, each starting elsewhere."""
    total = _article_pages()
    paths = []
    for index in range(count):
        first, length = index % total, 3 + (index // total) % 10
        path = folder / f"article-{index:03d}.pdf"
        path.write_bytes(_pdf_of([(first + k) % total for k in range(length)]))
        paths.append(path)
    assert len({sha256_hex(p.read_bytes()) for p in paths}) == count, "PDFs must differ"
    return paths


@cache
def _article_pages() -> int:
    document = pdfium.PdfDocument(ARTICLE.read_bytes())
    try:
        return len(document)
    finally:
        document.close()


def _pdf_of(order: list[int]) -> bytes:
    """A PDF of the article's pages in this order; runs of consecutive pages are taken
    in one go, so that they share their fonts as in the article."""
    source = pdfium.PdfDocument(ARTICLE.read_bytes())
    target = pdfium.PdfDocument.new()
    run: list[int] = []
    for index in [*order, -1]:
        if run and index != run[-1] + 1:
            target.import_pages(source, run)
            run = []
        run.append(index)
    buffer = io.BytesIO()
    target.save(buffer)
    target.close()
    source.close()
    return buffer.getvalue()
