"""Exporting records: CSV tables, data dictionary, evidence, JSON, JSON-LD and REDCap files.

`export_project` reads everything it writes in one read-only transaction (a consistent
snapshot; nothing in the project changes) and then writes the files through
`AtomicFiles`: all of them appear together, or, on any error or a cancel, none does and
no temporary file stays behind. Safe to call from a worker thread: it opens its own
session; `progress(done, total, label)` is called from that thread and may raise to
cancel. Blinding holds: extractions hidden from `project.viewer` are never exported.
"""

import json
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from core.domain import FieldType
from core.errors import NotFoundError
from core.export import dictionary, evidence, jsonld, redcap
from core.export.csv_files import CsvTable
from core.export.files import AtomicFiles, ExportError
from core.export.options import EvidenceMode, ExportOptions
from core.export.records import (
    DocumentRef,
    Head,
    Records,
    assemble,
    attach_passages,
    paused_gc,
)
from core.export.redcap_format import HEADERS as REDCAP_HEADERS
from core.export.selection import select_heads
from core.export.tables import Table, long_tables, wide_table
from core.services.access import hidden_extractions
from core.services.project import Project
from core.storage.repositories import catalog, extractions
from core.storage.repositories import export as queries

Progress = Callable[[int, int, str], None]
FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
WIDE = "records.csv"
PROGRESS_EVERY = 1000  # rows between progress calls while a table is written


class WrittenFile(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    rows: int  # data rows (CSV without its header), records or annotations (JSON)
    description: str
    neutralised: int = 0  # cells given a leading ' against formula injection


class ExportReport(BaseModel):
    """What an export wrote, where, and what it left out."""

    model_config = ConfigDict(frozen=True)

    folder: Path
    files: tuple[WrittenFile, ...]
    records: int
    studies: int
    notes: tuple[str, ...] = ()

    def file(self, name: str) -> WrittenFile | None:
        return next((f for f in self.files if f.name == name), None)

    def summary(self) -> str:
        lines = [
            f"Exported {self.records} record(s) of {self.studies} stud"
            f"{'y' if self.studies == 1 else 'ies'} to {self.folder}:"
        ]
        for f in self.files:
            safe = f", {f.neutralised} cell(s) neutralised" if f.neutralised else ""
            lines.append(f"  {f.name}: {f.rows} row(s), {f.description}{safe}")
        lines += [f"Note: {n}" for n in self.notes]
        return "\n".join(lines)


def group_file(group_id: str) -> str:
    return f"records_{group_id}.csv"


def load_records(project: Project, options: ExportOptions) -> tuple[Records, list[str]]:
    """The records the options select, with their answers (and evidence when asked)."""
    template = project.template
    with project.uow.read() as session:
        if options.reviewer and catalog.reviewer_by_name(session, options.reviewer.strip()) is None:
            raise NotFoundError(f"There is no reviewer called {options.reviewer} in this project.")
        hidden = frozenset(hidden_extractions(session, project.viewer))
        heads = [Head(*row) for row in extractions.extraction_heads(session)]
        selection = select_heads(heads, options, hidden=hidden)
        ids = [h.extraction_id for h in selection.heads]
        records = assemble(
            template,
            selection.heads,
            queries.group_rows(session, ids),
            queries.values(session, ids),
        )
        records.documents = {row[0]: DocumentRef(*row) for row in queries.documents(session)}
        wants_evidence = (
            options.evidence is not EvidenceMode.NONE or options.write_json or options.jsonld
        )
        if wants_evidence:
            attach_passages(records, queries.anchors(session, ids))
    notes = list(selection.notes)
    if records.unknown_fields:
        names = ", ".join(sorted(records.unknown_fields))
        notes.append(f"Answers to fields the current form no longer has were left out: {names}.")
    return records, notes


class _Writer:
    """Writes the planned files into one `AtomicFiles`, reporting progress."""

    def __init__(
        self, files: AtomicFiles, options: ExportOptions, progress: Progress | None, total: int
    ) -> None:
        self.files, self.options = files, options
        self.progress = progress
        self.total = total
        self.done = 0
        self.written: list[WrittenFile] = []

    def _step(self, label: str) -> None:
        if self.progress is not None:
            self.progress(self.done, self.total, label)

    def csv(
        self,
        name: str,
        header: Sequence[str],
        rows: Iterable[Sequence[Any]],
        description: str,
        count: int | None = None,
    ) -> None:
        self._step(f"Writing {name}")
        stream = self.files.open_text(name, bom=self.options.bom)
        table = CsvTable(stream, protect=self.options.formula_protection)
        try:
            table.header(header)
            for row in rows:
                table.write(row)
                if self.progress is not None and table.rows % PROGRESS_EVERY == 0:
                    shown = f" of {count:,}" if count is not None else ""
                    self.progress(
                        self.done, self.total, f"Writing {name}: {table.rows:,}{shown} rows"
                    )
        except OSError as exc:
            raise ExportError(f"Cannot write {name}: {exc.strerror or exc}.") from exc
        except UnicodeEncodeError as exc:
            raise ExportError(
                f"{name}: a value holds a character UTF-8 cannot store ({exc.reason})."
            ) from exc
        self.written.append(
            WrittenFile(
                name=name, rows=table.rows, description=description, neutralised=table.neutralised
            )
        )
        self.done += 1

    def json(self, name: str, data: dict[str, Any], rows: int, description: str) -> None:
        self._step(f"Writing {name}")
        stream = self.files.open_text(name)
        try:
            json.dump(data, stream, ensure_ascii=False, indent=2)
            stream.write("\n")
        except OSError as exc:
            raise ExportError(f"Cannot write {name}: {exc.strerror or exc}.") from exc
        except UnicodeEncodeError as exc:
            raise ExportError(
                f"{name}: a value holds a character UTF-8 cannot store ({exc.reason})."
            ) from exc
        self.written.append(WrittenFile(name=name, rows=rows, description=description))
        self.done += 1


def _plan(options: ExportOptions, groups: list[Table]) -> int:
    count = 1 + len(groups)
    count += sum(
        (
            options.evidence is EvidenceMode.FILE,
            options.dictionary,
            options.write_json,
            options.jsonld,
            2 * options.redcap,
        )
    )
    return count + 1  # reading the records


def export_project(
    project: Project,
    out_dir: Path,
    options: ExportOptions | None = None,
    progress: Progress | None = None,
) -> ExportReport:
    """Write the selected records into `out_dir` (created when missing)."""
    options = options or ExportOptions()
    template = project.template
    try:
        wide = wide_table(template, options)
        groups = long_tables(template, options)
    except ValueError as exc:
        raise ExportError(f"The form cannot be exported as CSV: {exc}.") from exc
    total = _plan(options, groups)
    if progress is not None:
        progress(0, total, "Reading the records")
    with paused_gc():
        records, notes = load_records(project, options)
        with AtomicFiles(Path(out_dir)) as files:
            writer = _Writer(files, options, progress, total)
            writer.done = 1
            _write_tables(writer, records, options, wide, groups)
            _write_extras(writer, records, options, groups)
            files.commit()
    if progress is not None:
        progress(total, total, "Done")
    if options.redcap:
        notes += redcap_notes(records)
    return ExportReport(
        folder=Path(out_dir),
        files=tuple(writer.written),
        records=len(records.records),
        studies=len({r.head.study_id for r in records.records}),
        notes=tuple(notes),
    )


def _write_tables(
    writer: _Writer, records: Records, options: ExportOptions, wide: Table, groups: list[Table]
) -> None:
    count = len(records.records)
    writer.csv(
        WIDE, wide.header, wide.rows(records), "one row per record, a column per field", count
    )
    for table in groups:
        assert table.group is not None
        writer.csv(
            group_file(table.group.id),
            table.header,
            table.rows(records),
            f"one row per {table.group.label} row",
            table.count(records),
        )
    if options.evidence is EvidenceMode.FILE:
        header = evidence.evidence_key_names(options) + evidence.EVIDENCE_HEADER
        writer.csv(
            "evidence.csv",
            header,
            evidence.evidence_rows(records, options),
            "one row per evidence passage",
        )


def redcap_notes(records: Records) -> list[str]:
    """What to do in REDCap before importing, and what it will refuse."""
    template = records.template
    notes = []
    repeating = [g.id for _, g in template.groups()]
    if repeating:
        notes.append(
            "In REDCap, make these instruments repeating before importing redcap_import.csv: "
            + ", ".join(repeating)
            + "."
        )
    dates = {spec.id for _, spec in template.plain_fields() if spec.type is FieldType.PARTIAL_DATE}
    partial = sum(
        1
        for record in records.records
        for field_id, value in record.values.items()
        if field_id in dates and isinstance(value, str) and not FULL_DATE.match(value)
    )
    if partial:
        notes.append(
            f"{partial} date(s) give only a year or a month; REDCap's date_ymd fields refuse "
            "them (make those fields text in REDCap, or complete the dates)."
        )
    return notes


def _write_extras(
    writer: _Writer, records: Records, options: ExportOptions, groups: list[Table]
) -> None:
    template = records.template
    if options.dictionary:
        names = {"": WIDE} | {t.group.id: group_file(t.group.id) for t in groups if t.group}
        rows = dictionary.dictionary_rows(template, options, names)
        writer.csv("dictionary.csv", dictionary.HEADER, rows, "one row per column of the tables")
    if options.write_json:
        data = jsonld.records_json(records, options)
        writer.json(
            "records.json", data, len(data["records"]), "records with their evidence anchors"
        )
    if options.jsonld:
        data = jsonld.annotations(records, options)
        writer.json("annotations.jsonld", data, data["total"], "evidence as W3C Web Annotations")
    if options.redcap:
        fields = [redcap.dictionary_cells(f) for f in redcap.redcap_dictionary(template)]
        writer.csv(
            "redcap_dictionary.csv",
            list(REDCAP_HEADERS),
            fields,
            "the form as a REDCap data dictionary",
        )
        writer.csv(
            "redcap_import.csv",
            redcap.import_header(template),
            redcap.import_rows(records, options),
            "records as a REDCap import file",
        )
