"""The command line: a thin face over the services. Errors: one line, exit status 2."""

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from core import cli_checks, cli_double, cli_export
from core.domain.bundle import bundle_json_schema
from core.errors import TrialAbstractorError
from core.services import assignments, documents, extractions
from core.services import bundle as bundle_service
from core.services.access import Role
from core.services.audit_log import audit_trail
from core.services.project import SYSTEM_ACTOR, Project
from core.storage.backup import backup_sqlite, sqlite_path
from core.storage.db import database_url
from core.templates import load_template, template_json_schema

OpenGui = Callable[[str | None, str | None], int]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trial-abstractor",
        description="Abstract clinical trial reports with evidence. "
        "Without a command the app opens the demo project.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    cmd = sub.add_parser("init", help="create a project (SQLite file or database URL)")
    cmd.add_argument("project")
    cmd.add_argument("--template", type=Path, help="form template (YAML or JSON)")
    cmd = sub.add_parser("import", help="import documents into studies")
    cmd.add_argument("project")
    cmd.add_argument("files", nargs="+", type=Path)
    cmd.add_argument("--study", help="put every file into this study (default: one per file)")
    cmd = sub.add_parser("studies", help="list studies, documents and extractions")
    cmd.add_argument("project")
    cmd.add_argument("--json", action="store_true")
    cmd = sub.add_parser("reviewer", help="add a reviewer, or set their role")
    cmd.add_argument("project")
    cmd.add_argument("name")
    cmd.add_argument("--role", choices=[r.value for r in Role], help="reviewer or adjudicator")
    cmd = sub.add_parser("export-bundle", help="write extractions as a JSON bundle")
    cmd.add_argument("project")
    cmd.add_argument("out", type=Path)
    cmd.add_argument("--reviewer")
    cmd = sub.add_parser("import-bundle", help="load extractions from a JSON bundle")
    cmd.add_argument("project")
    cmd.add_argument("bundle", type=Path)
    cmd.add_argument("--replace", action="store_true", help="overwrite existing values")
    cmd = sub.add_parser("audit", help="show the audit trail")
    cmd.add_argument("project")
    cmd.add_argument("--study", help="only this study (by name)")
    cmd.add_argument("--json", action="store_true")
    cmd = sub.add_parser("backup", help="copy a SQLite project safely, even while in use")
    cmd.add_argument("project")
    cmd.add_argument("dest", type=Path, help="file, or folder for a time-stamped copy")
    cli_checks.add_parser(sub)
    COMMANDS.update(cli_double.add_parsers(sub))
    COMMANDS.update(cli_export.add_parsers(sub))
    cmd = sub.add_parser("schema", help="print a JSON Schema")
    cmd.add_argument("which", choices=["bundle", "template"])
    cmd = sub.add_parser("open", help="open a project in the app")
    cmd.add_argument("project", nargs="?", help="project file or URL (default: the demo)")
    cmd.add_argument("--reviewer", help="work as this reviewer (added when new)")
    return parser


def _init(args: argparse.Namespace) -> int:
    template = load_template(args.template) if args.template else None
    project = Project.create(args.project, template)
    print(f"Created {args.project} with the form '{project.template.name}'.")
    project.close()
    return 0


def _import(args: argparse.Namespace) -> int:
    project = Project.open(args.project)
    outcomes, _ = documents.import_files(project, list(args.files), study_name=args.study)
    project.close()
    failed = 0
    for outcome in outcomes:
        if outcome.error:
            failed += 1
            print(f"refused: {outcome.error}", file=sys.stderr)
        elif outcome.duplicate and outcome.document:
            print(f"already in the project: {outcome.filename} (document {outcome.document.id})")
        elif outcome.document:
            doc = outcome.document
            print(
                f"imported: {outcome.filename} -> study {doc.study_id}, document {doc.id}, "
                f"{doc.char_count} characters, {doc.encoding or doc.media_type}"
            )
    return 2 if failed else 0


def _studies(args: argparse.Namespace) -> int:
    project = Project.open(args.project)
    studies = extractions.list_studies(project)
    project.close()
    if args.json:
        print(json.dumps([s.model_dump(mode="json") for s in studies], indent=2))
        return 0
    for study in studies:
        print(f"{study.id:>4}  {study.name}")
        for doc in study.documents:
            print(
                f"        document {doc.id}: {doc.filename} ({doc.media_type}, "
                f"{doc.char_count} characters)"
            )
        for ext in study.extractions:
            print(f"        extraction {ext.id}: {ext.reviewer}, {ext.status.value}")
    if not studies:
        print("No studies yet: add documents with 'trial-abstractor import'.")
    return 0


def _reviewer(args: argparse.Namespace) -> int:
    project = Project.open(args.project)
    try:
        info, _ = extractions.add_reviewer(project, args.name)
        if args.role:
            assignments.set_role(project, info.name, args.role, actor=SYSTEM_ACTOR)
    finally:
        project.close()
    role = f", {args.role}" if args.role else ""
    print(f"Reviewer {info.name} (id {info.id}{role}).")
    return 0


def _export_bundle(args: argparse.Namespace) -> int:
    project = Project.open(args.project)
    bundle = bundle_service.export_bundle(project, reviewer=args.reviewer)
    project.close()
    out: Path = args.out
    partial = out.with_name(out.name + ".part")
    partial.write_text(bundle_service.bundle_to_json(bundle), encoding="utf-8")
    partial.replace(out)
    print(f"Wrote {len(bundle.extractions)} extraction(s) to {out}.")
    return 0


def _import_bundle(args: argparse.Namespace) -> int:
    bundle = bundle_service.read_bundle(args.bundle)
    project = Project.open(args.project)
    try:
        changes = bundle_service.import_bundle(project, bundle, replace=args.replace)
    finally:
        project.close()
    print(f"Imported {len(changes.extractions)} extraction(s).")
    return 0


def _audit(args: argparse.Namespace) -> int:
    project = Project.open(args.project)
    entries = audit_trail(project, study=args.study)
    project.close()
    if args.json:
        print(
            json.dumps([e.model_dump(mode="json") for e in entries], indent=2, ensure_ascii=False)
        )
        return 0
    for e in entries:
        where = " ".join(p for p in (e.study and f"[{e.study}]", e.field) if p)
        change = ""
        if e.old is not None or e.new is not None:
            change = f": {_json(e.old)} -> {_json(e.new)}"
        why = f" (why: {e.reason})" if e.reason else ""
        print(f"{e.at:%Y-%m-%d %H:%M:%S} {e.actor}: {e.action} {e.entity} {where}{change}{why}")
    return 0


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _backup(args: argparse.Namespace) -> int:
    path = sqlite_path(database_url(args.project))
    if path is None:
        raise TrialAbstractorError(
            "backup copies SQLite projects; back up a PostgreSQL project with pg_dump."
        )
    written = backup_sqlite(path, args.dest)
    print(f"Backed up {path.name} to {written}.")
    return 0


def _schema(args: argparse.Namespace) -> int:
    schema = bundle_json_schema() if args.which == "bundle" else template_json_schema()
    print(json.dumps(schema, indent=2))
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "init": _init,
    "import": _import,
    "studies": _studies,
    "reviewer": _reviewer,
    "export-bundle": _export_bundle,
    "import-bundle": _import_bundle,
    "audit": _audit,
    "backup": _backup,
    "schema": _schema,
    "check": cli_checks.run,
}


def main(argv: Sequence[str] | None = None, open_gui: OpenGui | None = None) -> int:
    """Run one command. `open_gui` is supplied by the GUI launcher for `open`."""
    args = _parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    if args.command == "open":
        if open_gui is None:
            print(
                "error: the app is not available here; run 'trial-abstractor open'.",
                file=sys.stderr,
            )
            return 2
        return open_gui(args.project, args.reviewer)
    try:
        return COMMANDS[args.command](args)
    except TrialAbstractorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted; nothing half-written was kept.", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
