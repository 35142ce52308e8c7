"""Export figures: 10,000 final records of 100 fields each, written as the wide CSV.

Measured in one run, each the best of five:
- the export's work once the records are read (rows built from the records, cells
  typed and protected against formula injection, the file written under a temporary
  name, fsynced and moved into place) beside a bare `csv.writer` writing the very same
  rows, already built and held in memory, to a plain file: the figure, budget 2x;
- the whole export as the user runs it (`services.export.export_project`, reading a
  million answers from SQLite included) beside the shortest program that writes the
  same file (sqlite3, json.loads, a dict per study, csv.writer; the two files are
  checked to be equal byte for byte): budget 2x;
- the whole export beside the bare writer, for scale: reading the answers alone takes
  several times what the bare writer needs, so no export from a project can come near.

The project comes from `tests/benchmarks/generator.py` (`final_records_project`), built
with bulk inserts: one final record per study on a form of 100 plain fields, the default
template's 39 plain fields over and over (text, long text, integers, decimals with their
unit, single choices, partial dates, a boolean; a tenth of the numbers negative, one
answer in twenty not reported, not applicable or unclear, text with commas, quotes, line
breaks and non-Latin letters, one text answer in a hundred starting like a formula).

Run: python -m tests.benchmarks.bench_export [--studies N] [--fields N]
"""

import csv
import gc
import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from core.domain import Template
from core.export.csv_files import CsvTable
from core.export.files import AtomicFiles
from core.export.options import ExportOptions
from core.export.records import Records, paused_gc
from core.export.tables import Table, wide_table
from core.services.export import export_project, load_records
from core.services.project import Project
from tests.benchmarks.common import Result, command_line, noted
from tests.benchmarks.generator import final_records_project

STUDIES = 10_000
FIELDS = 100
RATIO_BUDGET = 2.0


def _bare(rows: list[list[Any]], header: list[str], path: Path) -> None:
    """The reference: csv.writer writing rows already in memory to a plain file."""
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)


def _bare_pipeline(database: Path, template: Template, header: list[str], path: Path) -> None:
    """The shortest program that writes the same file: one SQL query with the standard
    library's sqlite3, each value decoded with json.loads, a dict per study, csv.writer.
    No formula protection, no atomic write."""
    specs = [spec for _, spec in template.plain_fields()]
    codes = {"not_reported": "NR", "not_applicable": "NAP", "unclear": "UNCLEAR"}
    convert = {s.id: s.type.value for s in specs if s.type.value in ("boolean", "multiple_choice")}
    connection = sqlite3.connect(database)
    query = (
        "SELECT e.study_id, s.name, e.status, v.field_id, v.status, v.value "
        "FROM field_values v JOIN extractions e ON e.id = v.extraction_id "
        "JOIN studies s ON s.id = e.study_id "
        "WHERE e.kind = 'final' AND e.status = 'final' AND v.row_id IS NULL"
    )
    records: dict[int, dict[str, Any]] = {}
    for study_id, name, status, field_id, answer_status, text in connection.execute(query):
        record = records.get(study_id)
        if record is None:
            record = records[study_id] = {"": [study_id, name, status]}
        if answer_status != "value":
            record[field_id] = codes[answer_status]
            continue
        value = json.loads(text) if isinstance(text, str) else text
        kind = convert.get(field_id)
        if kind == "boolean" and value is not None:
            value = int(value)
        elif kind == "multiple_choice" and value is not None:
            value = "|".join(value)
        record[field_id] = value
    connection.close()
    ids = [s.id for s in specs]
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        for record in sorted(records.values(), key=lambda r: (r[""][1].casefold(), r[""][0])):
            writer.writerow(record[""] + [record.get(i) for i in ids])


def _write_stage(records: Records, table: Table, folder: Path) -> None:
    """What the export does once the records are read: rows, protection, atomic file."""
    with paused_gc(), AtomicFiles(folder) as files:
        writer = CsvTable(files.open_text("records.csv"), protect=True)
        writer.header(table.header)
        writer.write_all(table.rows(records))
        files.commit()


def _paired(first: Any, second: Any, repeat: int) -> tuple[float, float]:
    """Best times of two calls taken in turns, so that both meet the same load."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for call, found in ((first, times[0]), (second, times[1])):
            gc.collect()
            start = time.perf_counter()
            call()
            found.append(time.perf_counter() - start)
    return min(times[0]), min(times[1])


def _in_memory(
    project: Project, options: ExportOptions, folder: Path, repeat: int
) -> tuple[float, float]:
    """(bare csv.writer, the export's write stage) over the same records held in memory."""
    with paused_gc():
        records, _ = load_records(project, options)
    table = wide_table(project.template, options)
    rows = list(table.rows(records))
    return _paired(
        lambda: _bare(rows, table.header, folder / "bare.csv"),
        lambda: _write_stage(records, table, folder / "stage"),
        repeat,
    )


def measure(studies: int, fields: int, repeat: int = 5) -> tuple[list[Result], list[str]]:
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        started = time.perf_counter()
        database = folder / "bench.sqlite"
        project = final_records_project(database, studies, fields)
        built = time.perf_counter() - started
        try:
            options = ExportOptions(dictionary=False)
            header = wide_table(project.template, options).header
            out = folder / "out"
            unprotected = options.model_copy(update={"formula_protection": False})
            assert export_project(project, out, unprotected).records == studies
            _bare_pipeline(database, project.template, header, folder / "pipeline.csv")
            same = (out / "records.csv").read_bytes() == (folder / "pipeline.csv").read_bytes()
            assert same, "the bare pipeline and the export wrote different files"
            bare, written = _in_memory(project, options, folder, repeat)
            gc.collect()
            export, pipeline = _paired(
                lambda: export_project(project, out, options),
                lambda: _bare_pipeline(database, project.template, header, folder / "pipeline.csv"),
                repeat,
            )
            size = (out / "records.csv").stat().st_size
        finally:
            project.close()
    scale = f"{studies:,} studies × {fields} fields"
    results = [
        Result(
            f"export wide CSV from read records, {scale}",
            written,
            reference=bare,
            reference_name="bare csv.writer, same rows",
            ratio_budget=RATIO_BUDGET,
        ),
        Result(
            f"export wide CSV end to end, {scale}",
            export,
            reference=pipeline,
            reference_name="sqlite3 + json + csv.writer, same file",
            ratio_budget=RATIO_BUDGET,
        ),
        Result(
            f"export wide CSV end to end, {scale}, beside the bare writer (for scale)",
            export,
            reference=bare,
            reference_name="bare csv.writer, same rows",
        ),
    ]
    notes = [f"project built in {built:.1f} s; records.csv is {size / 1e6:.1f} MB"]
    return results, notes


def run() -> list[Result]:
    """Entry point of the shared runner (tests/benchmarks/run.py)."""
    return noted(measure(STUDIES, FIELDS))


def main(argv: list[str] | None = None) -> int:
    return command_line(__doc__, measure, argv, studies=STUDIES, fields=FIELDS)


if __name__ == "__main__":
    sys.exit(main())
