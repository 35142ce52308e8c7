"""Exports on the command line: `export` writes the records' files, `template-from-redcap`
makes a form template from a REDCap data dictionary."""

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError as PydanticValidationError

from core.errors import TemplateError, TrialAbstractorError
from core.export.files import AtomicFiles
from core.export.options import EvidenceMode, ExportOptions, RecordSet, parse_codes
from core.export.redcap_format import read_dictionary
from core.export.redcap_template import identifier, template_from_redcap
from core.services.export import export_project
from core.services.project import Project
from core.templates import dump_template, template_to_dict

Handler = Callable[[argparse.Namespace], int]


def add_parsers(subparsers: Any) -> dict[str, Handler]:
    """Add the export commands; returns their handlers by name."""
    cmd = subparsers.add_parser(
        "export",
        help="write records as CSV (wide and long), data dictionary, JSON, REDCap",
        description="Write the final records (or one reviewer's, or all extractions) as "
        "CSV files: records.csv with one row per study, records_GROUP.csv per repeating "
        "group, dictionary.csv, and on request evidence, JSON, JSON-LD and REDCap files. "
        "Files appear together or not at all.",
    )
    cmd.add_argument("project")
    cmd.add_argument("--out", type=Path, required=True, help="folder to write into")
    cmd.add_argument(
        "--records",
        nargs="+",
        default=["final"],
        metavar="WHICH",
        help="final (default), reviewer NAME, or all (every extraction, with a reviewer column)",
    )
    cmd.add_argument(
        "--include-unfinished",
        action="store_true",
        help="also records still in progress (default: only final or submitted ones)",
    )
    cmd.add_argument(
        "--evidence",
        choices=[m.value for m in EvidenceMode],
        default=EvidenceMode.NONE.value,
        help="quote, document, page and offsets as columns beside each field, or in evidence.csv",
    )
    cmd.add_argument("--json", action="store_true", help="records.json with evidence anchors")
    cmd.add_argument(
        "--jsonld", action="store_true", help="annotations.jsonld: W3C Web Annotations"
    )
    cmd.add_argument("--bom", action="store_true", help="start files with a BOM (for Excel)")
    cmd.add_argument(
        "--no-formula-protection",
        action="store_true",
        help="write cells starting with = + - @ as they are (default: a leading ' )",
    )
    cmd.add_argument(
        "--codes",
        action="append",
        default=[],
        metavar="NR=…,NA=…,UNCLEAR=…",
        help="codes for not reported, not applicable, unclear (default NR, NAP, UNCLEAR)",
    )
    cmd.add_argument(
        "--redcap",
        action="store_true",
        help="also redcap_dictionary.csv and redcap_import.csv",
    )
    cmd.add_argument(
        "--dictionary",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="dictionary.csv describing every column (default: on)",
    )
    cmd = subparsers.add_parser(
        "template-from-redcap",
        help="make a form template (YAML) from a REDCap data dictionary",
        description="Read a REDCap data dictionary (CSV) and write a form template that "
        "'init --template' accepts. What a template cannot hold is listed.",
    )
    cmd.add_argument("dictionary", type=Path)
    cmd.add_argument("out", type=Path, help="the template file to write (.yaml or .json)")
    cmd.add_argument(
        "--repeating",
        action="append",
        default=[],
        metavar="FORM",
        help="a REDCap form that repeats (becomes a repeating group); may be given again",
    )
    cmd.add_argument("--id", help="template id (default: from the file name)")
    cmd.add_argument("--name", help="template name (default: from the file name)")
    return {"export": run_export, "template-from-redcap": run_template_from_redcap}


def options_from(args: argparse.Namespace) -> ExportOptions:
    which = args.records
    kind = which[0]
    if kind not in {r.value for r in RecordSet} or (kind == "reviewer") != (len(which) == 2):
        raise TrialAbstractorError(
            "--records takes final, all, or reviewer followed by the reviewer's name."
        )
    if len(which) > 2:
        raise TrialAbstractorError("--records reviewer takes one name (quote it if it has spaces).")
    extra: dict[str, Any] = {}
    if args.codes:
        try:
            extra["codes"] = parse_codes(",".join(args.codes))
        except (PydanticValidationError, ValueError) as exc:
            raise TrialAbstractorError(f"--codes: {_first_error(exc)}") from None
    try:
        return ExportOptions(
            records=RecordSet(kind),
            reviewer=which[1] if kind == "reviewer" else None,
            include_unfinished=args.include_unfinished,
            evidence=EvidenceMode(args.evidence),
            dictionary=args.dictionary,
            write_json=args.json,
            jsonld=args.jsonld,
            redcap=args.redcap,
            bom=args.bom,
            formula_protection=not args.no_formula_protection,
            **extra,
        )
    except PydanticValidationError as exc:
        raise TrialAbstractorError(f"export: {_first_error(exc)}") from None


def _first_error(exc: Exception) -> str:
    if isinstance(exc, PydanticValidationError):
        return str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
    return str(exc)


def run_export(args: argparse.Namespace) -> int:
    options = options_from(args)
    project = Project.open(args.project)
    try:
        report = export_project(project, args.out, options)
    finally:
        project.close()
    print(report.summary())
    return 0


def run_template_from_redcap(args: argparse.Namespace) -> int:
    out: Path = args.out
    if out.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise TemplateError(f"{out.name}: a template file must end in .yaml, .yml or .json")
    rows = read_dictionary(args.dictionary)
    stem = args.dictionary.stem.removesuffix("-dictionary").removesuffix("_dictionary")
    made = template_from_redcap(
        rows,
        template_id=args.id or identifier(stem),
        name=args.name or stem.replace("-", " ").replace("_", " ").strip().capitalize(),
        repeating=args.repeating,
        source=args.dictionary.name,
    )
    if out.suffix.lower() == ".json":
        text = json.dumps(template_to_dict(made.template, compact=True), indent=2) + "\n"
    else:
        text = dump_template(made.template)
    with AtomicFiles(out.parent if str(out.parent) else Path(".")) as files:
        files.open_text(out.name).write(text)
        files.commit()
    fields = sum(1 for _ in made.template.plain_fields()) + sum(
        len(g.fields) for _, g in made.template.groups()
    )
    print(f"Wrote {out}: the form '{made.template.name}' with {fields} field(s).")
    for note in made.notes:
        print(f"Note: {note}")
    return 0
