"""The one source of synthetic data for the benchmarks: projects, extractions and PDFs.

What it builds, all from the sample documents (`sample_docs/`) and the default template:
- `generate` / `build_project`: studies, each with a document and reviewers' extractions
  (`store` puts them in a new SQLite project, `in_memory` gives them as the checks read
  them);
- `double_entered`: studies entered twice, in memory, as the comparison reads them;
- `wide_form` / `final_records_project`: a form of any number of plain fields and a
  SQLite project of one final record per study, as the export reads it;
- `make_pdfs` / `make_long_pdf`: PDFs of a real article.

Each study of `generate` gets a document of its own: a sample document's text (taking
the samples in turn) followed by a results paragraph with the study's own numbers,
number words and percentages. Each reviewer's extraction of the study holds about 50
values, most with a passage of that paragraph as evidence; one extraction in ten
carries a typical mistake (a completed count above the enrolled one, a wrong
percentage, an arm size that does not add up, a registry ID cut short), so the checks
find what they find in real work.

`double_entered` fills most plain fields and most fields of three arms of a template
for two reviewers: B entered the arms in another order, wrote some doses and durations
in other units and some text in another case, cited another passage for some values,
and disagrees on about one answer in ten (another number, choice, date or text, or an
answer only one of them gave). Text answers are runs of a sample document's words.

`wide_form` takes the default template's plain fields in turn until there are enough
(a field's second round is `<id>_2`, and so on); `final_records_project` answers each
of them with a random value of its type (a tenth of the numbers negative, one answer in
twenty not reported, not applicable or unclear, text with commas, quotes, line breaks
and non-Latin letters, one text answer in a hundred starting like a formula).

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
from core.domain import (
    Anchor,
    FieldSpec,
    FieldStatus,
    FieldType,
    FieldValueInfo,
    Section,
    Template,
)
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
from core.templates import default_template

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


# Double entry in memory, as the comparison reads it.

_DISAGREE = 0.10  # answers the second reviewer gives otherwise
_ARM_LABELS = ("Low dose", "Intermediate dose", "High dose")
Side = list[FieldValueInfo]


@cache
def _sample_words() -> list[str]:
    return _background(ROOT / "sample_docs" / "001_dbdeea00f2d7ba41.txt").split()


def _plausible(spec: FieldSpec, rng: random.Random) -> tuple[Any, str | None]:
    """A plausible answer of the field's type, and its unit."""
    words = _sample_words()
    match spec.type:
        case FieldType.INTEGER:
            low = int(spec.min or 0)
            return rng.randint(low, int(spec.max or low + 500)), None
        case FieldType.DECIMAL:
            return round(rng.uniform(0, 100), rng.choice((0, 1, 2))), spec.unit
        case FieldType.PARTIAL_DATE:
            parts = [f"{rng.randint(2005, 2024)}", f"{rng.randint(1, 12):02d}", "15"]
            return "-".join(parts[: rng.randint(1, 3)]), None
        case FieldType.SINGLE_CHOICE:
            return rng.choice(spec.choices).code, None
        case FieldType.MULTIPLE_CHOICE:
            return [rng.choice(spec.choices).code], None
        case FieldType.BOOLEAN:
            return rng.random() < 0.5, None
        case FieldType.LONG_TEXT:
            start = rng.randrange(len(words) - 40)
            return " ".join(words[start : start + rng.randint(10, 40)]), None
    start = rng.randrange(len(words) - 4)
    return " ".join(words[start : start + rng.randint(1, 4)]), None


def _misread(spec: FieldSpec, value: Any, unit: str | None, rng: random.Random) -> tuple[Any, Any]:
    """A different answer: what the second reviewer read or typed wrongly."""
    if spec.type in (FieldType.INTEGER, FieldType.DECIMAL):
        return value + rng.choice((1, 2, 10)), unit
    if spec.type is FieldType.PARTIAL_DATE:
        return str(int(value[:4]) - 1) + value[4:], unit
    if spec.type is FieldType.BOOLEAN:
        return not value, unit
    if spec.type in (FieldType.SINGLE_CHOICE, FieldType.MULTIPLE_CHOICE):
        codes = [c.code for c in spec.choices if c.code not in value]
        chosen = rng.choice(codes)
        return ([chosen] if spec.type is FieldType.MULTIPLE_CHOICE else chosen), unit
    return value + " " + rng.choice(_sample_words()), unit


def _equivalent(spec: FieldSpec, value: Any, unit: str | None) -> tuple[Any, Any]:
    """The same answer written another way."""
    if spec.type is FieldType.DECIMAL and unit == "mg":
        return value / 1000, "g"
    if spec.type is FieldType.DECIMAL and unit == "weeks":
        return value * 7, "days"
    if spec.type in (FieldType.TEXT, FieldType.LONG_TEXT):
        return value.upper(), unit
    return value, unit


def _info(path: str, spec: FieldSpec, group: str | None, row: int | None, value: Any,
          unit: str | None, start: int) -> FieldValueInfo:  # fmt: skip
    anchor = Anchor.model_construct(
        document_id=1, source_sha256="0" * 64, start=start, end=start + 40, exact="x" * 40
    )
    return FieldValueInfo.model_construct(
        path=path, field_id=spec.id, group_id=group, row=row, status=FieldStatus.VALUE,
        raw_text=str(value), value=value, unit=unit, note="", anchors=(anchor,),
        updated_by=REVIEWER, updated_at=NOW,
    )  # fmt: skip


def _filled(template: Template, rng: random.Random) -> list[tuple[str, FieldSpec, int | None]]:
    """Which fields the study fills: most plain fields and most fields of three arms."""
    plain = [(spec.id, spec, None) for _, spec in template.plain_fields() if rng.random() < 0.9]
    arms = template.group("arms")
    assert arms is not None
    chosen = [spec for spec in arms.fields if spec.id == "label" or rng.random() < 0.8]
    return plain + [("arms", spec, row) for row in (1, 2, 3) for spec in chosen]


def double_entered(template: Template, count: int, seed: int = 11) -> list[tuple[Side, Side]]:
    """`count` studies of the template (which needs an `arms` group) entered by two
    reviewers, as (A's answers, B's answers)."""
    rng = random.Random(seed)
    studies = []
    for _ in range(count):
        a: Side = []
        b: Side = []
        order = [1, 2, 3]
        rng.shuffle(order)
        for name, spec, row in _filled(template, rng):
            value, unit = _plausible(spec, rng)
            if spec.id == "label" and row is not None:
                value = _ARM_LABELS[row - 1]
            if spec.id == "dose":
                unit = "mg"
            start = rng.randrange(0, 5000)
            other_value, other_unit, other_start = value, unit, start
            roll = rng.random()
            if roll < _DISAGREE and spec.id != "label":
                other_value, other_unit = _misread(spec, value, unit, rng)
            elif roll < _DISAGREE + 0.05:
                other_value, other_unit = _equivalent(spec, value, unit)
            if rng.random() < 0.2:
                other_start = rng.randrange(0, 5000)
            group = name if row is not None else None
            path_a = f"arms[{row}].{spec.id}" if row else spec.id
            b_row = order[row - 1] if row is not None else None
            path_b = f"arms[{b_row}].{spec.id}" if b_row else spec.id
            if not (roll > 0.98 and spec.id != "label"):
                a.append(_info(path_a, spec, group, row, value, unit, start))
            if not (0.96 < roll <= 0.98 and spec.id != "label"):
                b.append(_info(path_b, spec, group, b_row, other_value, other_unit, other_start))
        studies.append((a, b))
    return studies


# A wide form and its final records, as the export reads them.

_TEXT_WORDS = ("randomised", "placebo", "participants", "dose,", "response", '"primary"',
               "outcome", "-3", "=SUM(A1)", "患者")  # fmt: skip
_FORMULA_SHARE = 0.01  # text answers that start like a formula (and get neutralised)
_STATUSES = ("not_reported", "not_applicable", "unclear")


def wide_form(fields: int) -> Template:
    """A form of `fields` plain fields: the default template's plain fields taken in
    turn, each round in sections of its own; a field's second round is named `<id>_2`
    and labelled "<label> (2)", and so on. Each field keeps its type, unit and choices,
    not its other units (each would add a unit column) nor its limits."""
    base = list(default_template().plain_fields())
    sections: dict[str, tuple[str, list[FieldSpec]]] = {}
    for index in range(fields):
        section, spec = base[index % len(base)]
        turn = index // len(base) + 1
        suffix, label = ("", "") if turn == 1 else (f"_{turn}", f" ({turn})")
        copy = FieldSpec(
            id=spec.id + suffix,
            label=spec.label + label,
            type=spec.type,
            unit=spec.unit,
            choices=spec.choices,
        )
        sections.setdefault(section.id + suffix, (section.label + label, []))[1].append(copy)
    parts = tuple(
        Section(id=id_, label=label, fields=tuple(specs))
        for id_, (label, specs) in sections.items()
    )
    return Template(id="bench_export", name="Export benchmark", sections=parts)


def _stored_value(spec: FieldSpec, rng: random.Random) -> Any:
    """A random answer of the field's type, as the project stores it."""
    match spec.type:
        case FieldType.INTEGER:
            return rng.randrange(-500, 4500)
        case FieldType.DECIMAL:
            return round(rng.uniform(-50, 450), rng.randrange(0, 4))
        case FieldType.TEXT | FieldType.LONG_TEXT:
            words = rng.sample(_TEXT_WORDS, rng.randrange(2, 7))
            formula = rng.random() < _FORMULA_SHARE
            words.insert(0, rng.choice(("=SUM(A1)", "-3")) if formula else "Text")
            return ("\n" if spec.type is FieldType.LONG_TEXT else " ").join(words)
        case FieldType.SINGLE_CHOICE:
            return rng.choice(spec.choices).code
        case FieldType.MULTIPLE_CHOICE:
            return [c.code for c in spec.choices if rng.random() < 0.5]
        case FieldType.PARTIAL_DATE:
            return f"20{rng.randrange(10, 25)}-{rng.randrange(1, 13):02d}"
    return rng.random() < 0.5


def final_records_project(path: Path, studies: int, fields: int, seed: int = 11) -> Project:
    """A new SQLite project of the `wide_form(fields)` with one final record of `fields`
    answers per study, filled with bulk inserts."""
    rng = random.Random(seed)
    template = wide_form(fields)
    project = Project.create(path, template)
    specs = [spec for _, spec in template.plain_fields()]
    with project.uow() as session:
        template_row = catalog.current_template(session)
        assert template_row is not None
        session.execute(insert(Reviewer), [{"id": 1, "name": "Adjudicator", "role": "adjudicator"}])
        session.execute(
            insert(Study),
            [{"id": i, "name": f"Study {i:05d}", "created_at": NOW} for i in range(1, studies + 1)],
        )
        session.execute(
            insert(Extraction),
            [
                {
                    "id": i, "study_id": i, "reviewer_id": 1, "template_id": template_row.id,
                    "status": "final", "kind": "final", "created_at": NOW, "updated_at": NOW,
                }
                for i in range(1, studies + 1)
            ],
        )  # fmt: skip
        batch: list[dict[str, Any]] = []
        for study in range(1, studies + 1):
            for spec in specs:
                answered = rng.random() >= 0.05
                status = "value" if answered else rng.choice(_STATUSES)
                batch.append(
                    {
                        "extraction_id": study, "field_key": spec.id, "field_id": spec.id,
                        "row_id": None, "status": status, "raw_text": "",
                        "value": _stored_value(spec, rng) if answered else None,
                        "unit": spec.unit if answered else None, "note": "",
                        "updated_by_id": 1, "updated_at": NOW, "version": 1,
                    }
                )  # fmt: skip
            if len(batch) >= 50_000:
                session.execute(insert(FieldValue), batch)
                batch = []
        if batch:
            session.execute(insert(FieldValue), batch)
    return project


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
