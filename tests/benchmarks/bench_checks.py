"""Check-all figures: the checks over 10,000 extractions of the default template.

Figures reported separately because they answer different questions:
- the pure checks (`core.checks`) over 10,000 extractions held in memory: the cost of the
  checking itself, built-in checks and CEL rules, from cold caches;
- `services.checks.check_all` over a SQLite project holding the same 10,000 extractions,
  and over one holding a tenth of them: what the user waits for, reading included;
- one edit (`editing.set_value`) in the large project, with the findings it returns.

The data are realistic: 5,000 studies, each with a document of its own (a sample
document's text plus a results paragraph with the study's own numbers, number words and
percentages) and two reviewers' extractions of about 55 values, most with a passage of
that document as evidence; one extraction in ten carries a typical mistake. Rows go into
the database with bulk inserts: building them through the services would time the
generator, not the checks.

Run: python -m tests.benchmarks.bench_checks [--extractions N]
"""

import argparse
import gc
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from core.anchoring import create_anchor
from core.checks import Checker, ExtractionRecord, clear_caches
from core.domain import Anchor, FieldStatus, FieldValueInfo, Finding, Template
from core.services import checks, editing
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
from tests.benchmarks.common import Result, markdown_table

ROOT = Path(__file__).resolve().parent.parent.parent
BACKGROUND = (ROOT / "sample_docs" / "001_dbdeea00f2d7ba41.txt").read_text(encoding="utf-8")
EXTRACTIONS = 10_000
BUDGET = 2.0
EDIT_BUDGET = 0.050  # as for "fill from selection" in bench_workspace
REVIEWERS = ("Ana", "Ben")
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
    name: str
    text: str
    extractions: list[list[Entry]]


def _study(index: int, rng: random.Random) -> StudyData:
    cohorts = rng.choice((1, 2, 3, 3))
    sizes = [rng.randint(5, 30) for _ in range(cohorts)]
    enrolled = sum(sizes)
    completed = enrolled - rng.randint(0, 3)
    events = rng.randint(1, completed)
    tracts = completed + rng.randint(5, 25)
    tract_events = rng.randint(1, tracts)
    pct = round(100 * events / completed)
    tract_pct = int(1000 * tract_events / tracts) / 10  # cut, as the 69.7 % of the sample
    men = rng.randint(0, enrolled)
    start_year = rng.randint(2012, 2022)
    start = (start_year, rng.randint(1, 11))
    end = (start_year + rng.randint(1, 3), rng.randint(1, 11))
    registry = f"NCT{rng.randint(10**7, 10**8 - 1):08d}"
    deaths = rng.randint(0, 2)
    product = rng.choice(("UC-MSC", "PL-MSC", "AD-MSC", "BM-MSC", "Exosome")) + f" {index}"
    labels = [f"{product} dose {j + 1}" for j in range(cohorts)]
    cohort_text = ", ".join(
        f"{label} (n = {n}, {j + 1} x 10^6 cells/kg)"
        for j, (label, n) in enumerate(zip(labels, sizes, strict=True))
    )
    text = (
        f"{BACKGROUND}\n\nResults of study {index}\n"
        f"Registration: {registry}.\n"
        f"Patients: {words(enrolled) if enrolled < 100 else enrolled} patients were enrolled, "
        f"{completed} of whom completed the study ({men} male and {enrolled - men} female). "
        f"They were divided into {cohorts} dose cohorts: {cohort_text}.\n"
        f"Fistula tracts were fully closed in {events} patients ({pct}%). A total of {tracts} "
        f"fistula tracts were treated during the trial, {tract_events} of which ({tract_pct}%) "
        f"showed complete closure. {deaths} patients died.\n"
        f"Start date: {_MONTHS[start[1] - 1]} {start[0]}. "
        f"Completion date: {_MONTHS[end[1] - 1]} {end[0]}.\n"
    )
    facts = {
        "registry": registry, "enrolled": enrolled, "completed": completed, "men": men,
        "sizes": sizes, "labels": labels, "events": events, "pct": pct, "tracts": tracts,
        "tract_events": tract_events, "tract_pct": tract_pct, "deaths": deaths,
        "start": f"{start[0]}-{start[1]:02d}", "end": f"{end[0]}-{end[1]:02d}",
    }  # fmt: skip
    extractions = [_extraction(text, facts, rng) for _ in REVIEWERS]
    return StudyData(f"Study {index:05d}", text, extractions)


def _passage(text: str, needle: str) -> list[str]:
    assert needle in text, needle
    return [needle]


def _extraction(text: str, f: dict[str, Any], rng: random.Random) -> list[Entry]:
    enrolled, completed, men = f["enrolled"], f["completed"], f["men"]
    mistake = rng.random() < 0.1 and rng.choice(("completed", "percent", "arm", "registry"))
    enrolled_words = words(enrolled) if enrolled < 100 else str(enrolled)
    start_month = _MONTHS[int(f["start"][5:]) - 1]
    entries = [
        Entry("registry_id", f["registry"][:-1] if mistake == "registry" else f["registry"],
              passages=_passage(text, f["registry"])),
        Entry("title", "Local administration of exosomes for refractory perianal fistula",
              passages=_passage(text, "Localized Administration of Mesenchymal Stem Cell")),
        Entry("first_author", "Hadizadeh A"),
        Entry("year", 2024, passages=_passage(text, "2024")),
        Entry("study_type", "interventional"),
        Entry("phase", "2", passages=_passage(text, "Phase II")),
        Entry("allocation", "non_randomized"),
        Entry("masking", "none"),
        Entry("start_date", f["start"], passages=_passage(text, f"Start date: {start_month}")),
        Entry("completion_date", f["end"]),
        Entry("conditions", "perianal fistula; Crohn's disease"),
        Entry("enrolled", enrolled, passages=_passage(text, f"{enrolled_words} patients were")),
        Entry("completed", enrolled + 1 if mistake == "completed" else completed,
              passages=_passage(text, f"{completed} of whom completed")),
        Entry("sex", "all"),
        Entry("n_male", men, passages=_passage(text, f"{men} male")),
        Entry("n_female", enrolled - men, passages=_passage(text, f"{enrolled - men} female")),
        Entry("any_adverse_events", False),
        Entry("deaths", f["deaths"], passages=_passage(text, f"{f['deaths']} patients died")),
        Entry("follow_up_duration", 6.0, unit="months", passages=_passage(text, "6 months")),
        Entry("conclusions", "Exosomes are safe and effective.",
              passages=_passage(text, "Mesenchymal stem cell-derived exosomes are safe")),
        Entry("reviewer_notes", "Numbers checked against the Spanish abstract."),
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
        ("patients", f["events"], completed, f["pct"], f"in {f['events']} patients ({f['pct']}%)"),
        ("tracts", f["tract_events"], f["tracts"], f["tract_pct"],
         f"{f['tract_events']} of which ({f['tract_pct']}%)"),
    ]  # fmt: skip
    for row, (unit, events, total, pct, quote) in enumerate(rows, start=1):
        reported = pct + 7 if mistake == "percent" and row == 1 else pct
        entries += [
            Entry("name", "fistula closure", "outcomes", row),
            Entry("primary_secondary", "primary", "outcomes", row),
            Entry("outcome_type", "binary", "outcomes", row),
            Entry("arm_label", labels[0], "outcomes", row),
            Entry("unit_counted", unit, "outcomes", row),
            Entry("events", events, "outcomes", row, passages=[quote]),
            Entry("total", total, "outcomes", row, passages=_passage(text, f"{total}")),
            Entry("percent", float(reported), "outcomes", row, unit="%", passages=[quote]),
        ]
    entries += [
        Entry("term", "anal abscess", "adverse_events", 1),
        Entry("arm_label", labels[-1], "adverse_events", 1),
        Entry("n_patients", 0, "adverse_events", 1),
    ]
    for entry in entries:
        for passage in entry.passages:
            assert passage in text, passage
    return entries


def generate(count: int, seed: int = 11) -> list[StudyData]:
    rng = random.Random(seed)
    return [_study(index, rng) for index in range((count + 1) // len(REVIEWERS))]


def _anchors(text: str, document_id: int, sha: str, passages: list[str]) -> list[Anchor]:
    found = []
    for passage in passages:
        start = text.index(passage)
        found.append(
            create_anchor(
                text, start, start + len(passage), document_id=document_id, source_sha256=sha
            )
        )
    return found


def in_memory(template: Template, studies: list[StudyData]) -> list[ExtractionRecord]:
    """The extractions as the pure checks read them."""
    records = []
    for index, study in enumerate(studies, start=1):
        sha = f"{index:064x}"
        texts = {index: study.text}
        for reviewer, entries in zip(REVIEWERS, study.extractions, strict=True):
            values = [
                FieldValueInfo.model_construct(
                    path=e.path, field_id=e.field_id, group_id=e.group_id, row=e.row,
                    status=FieldStatus.VALUE, raw_text="", value=e.value, unit=e.unit, note="",
                    anchors=tuple(_anchors(study.text, index, sha, e.passages)),
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


def build_project(path: Path, studies: list[StudyData]) -> Project:
    """A SQLite project holding the studies, filled with bulk inserts."""
    project = Project.create(path)
    with project.uow() as session:
        template_row = catalog.current_template(session)
        assert template_row is not None
        template_id = template_row.id
        session.execute(
            insert(Reviewer), [{"id": i + 1, "name": n} for i, n in enumerate(REVIEWERS)]
        )
        study_rows, doc_rows, ext_rows, group_rows, value_rows, anchor_rows = [], [], [], [], [], []
        ext_id = group_id = value_id = 0
        for index, study in enumerate(studies, start=1):
            data = study.text.encode()
            sha = f"{index:064x}"
            study_rows.append({"id": index, "name": study.name, "created_at": NOW})
            doc_rows.append({
                "id": index, "study_id": index, "filename": f"{study.name}.txt",
                "media_type": "text/plain", "sha256": sha, "size": len(data), "content": data,
                "text": study.text, "pages": [[0, len(study.text)]], "title": None,
                "extractor": "text", "extractor_version": "1", "encoding": "utf-8",
                "imported_at": NOW,
            })  # fmt: skip
            for reviewer_id, entries in enumerate(study.extractions, start=1):
                ext_id += 1
                ext_rows.append({
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
                            group_rows.append({
                                "id": group_id, "extraction_id": ext_id,
                                "group_id": e.group_id, "position": e.row,
                            })  # fmt: skip
                        row_id = row_ids[(e.group_id, e.row)]
                    value_id += 1
                    key = e.field_id if row_id is None else f"{e.group_id}#{row_id}.{e.field_id}"
                    value_rows.append({
                        "id": value_id, "extraction_id": ext_id, "field_key": key,
                        "field_id": e.field_id, "row_id": row_id, "status": "value",
                        "raw_text": "", "value": e.value, "unit": e.unit, "note": "",
                        "updated_by_id": reviewer_id, "updated_at": NOW,
                    })  # fmt: skip
                    for position, a in enumerate(_anchors(study.text, index, sha, e.passages)):
                        anchor_rows.append({
                            "field_value_id": value_id, "document_id": index,
                            "position": position, "source_sha256": sha, "start": a.start,
                            "end": a.end, "exact": a.exact, "prefix": a.prefix,
                            "suffix": a.suffix, "page_index": None, "rects": [],
                            "status": "exact", "created_at": NOW,
                        })  # fmt: skip
        for model, rows in (
            (Study, study_rows), (Document, doc_rows), (Extraction, ext_rows),
            (GroupRow, group_rows), (FieldValue, value_rows), (AnchorRow, anchor_rows),
        ):  # fmt: skip
            session.execute(insert(model), rows)
    return project


def _pure(template: Template, studies: list[StudyData]) -> tuple[float, int, str]:
    """The pure checks over the extractions in memory, from cold caches."""
    records = in_memory(template, studies)
    values = sum(len(r.values) for r in records)
    passages = sum(len(v.anchors) for r in records for v in r.values)
    gc.collect()
    gc.freeze()  # the input is set up, not measured: keep it out of the collector's scans
    try:

        def run() -> int:
            clear_caches()
            checker = Checker(template)
            return sum(len(checker.check(record)) for record in records)

        seconds, found = _best(run, 3)
    finally:
        gc.unfreeze()
    note = f"{len(records):,} extractions, {values:,} values, {passages:,} passages"
    return seconds, found, note


def _service(folder: Path, studies: list[StudyData], *, live: bool) -> tuple[float, float | None]:
    """`check_all` over a SQLite project of the studies, and one edit's live findings."""
    project = build_project(folder / f"bench-{len(studies)}.sqlite", studies)
    try:

        def run() -> dict[int, list[Finding]]:
            clear_caches()
            return checks.check_all(project)

        seconds, results = _best(run, 3)
        assert len(results) == sum(len(study.extractions) for study in studies)
        if not live:
            return seconds, None
        target = sorted(results)[len(results) // 2]

        def edit() -> None:
            editing.set_value(project, target, "age_min", 18.0, unit="years")

        edit_seconds, _ = _best(edit, 9, median=True)
        return seconds, edit_seconds
    finally:
        project.close()


def measure(count: int) -> tuple[list[Result], list[str]]:
    studies = generate(count)
    small = studies[: max(1, len(studies) // 10)]
    template = default_template()
    pure_time, found, note = _pure(template, studies)
    notes = [note, f"{found:,} findings in all"]
    with tempfile.TemporaryDirectory() as folder:
        service_time, edit_time = _service(Path(folder), studies, live=True)
        small_time, _ = _service(Path(folder), small, live=False)
    n, m = f"{count:,}", f"{2 * len(small):,}"
    return [
        Result(f"check all: the checks over {n} extractions in memory", pure_time, budget=BUDGET),
        Result(
            f"check all: service over a {n}-extraction SQLite project",
            service_time,
            budget=BUDGET,
        ),
        Result(f"check all: service over a {m}-extraction SQLite project", small_time),
        Result(
            f"one edit with its live findings, {n}-extraction project",
            edit_time or 0.0,
            budget=EDIT_BUDGET,
        ),
    ], notes


def _best(call: Any, repeat: int, *, median: bool = False) -> tuple[float, Any]:
    """Fastest (or median) wall time of `repeat` runs after a warm-up, and the last result."""
    result = call()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    times.sort()
    return (times[len(times) // 2] if median else times[0]), result


def run() -> list[Result]:
    """Entry point of the shared runner (tests/benchmarks/run.py)."""
    results, notes = measure(EXTRACTIONS)
    for note in notes:
        print(note)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extractions", type=int, default=EXTRACTIONS)
    args = parser.parse_args(argv)
    results, notes = measure(args.extractions)
    for note in notes:
        print(note)
    print(markdown_table(results))
    return 0 if all(r.within_budget for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
