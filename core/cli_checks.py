"""`trial-abstractor check PROJECT [--json]`: every extraction's findings.

Exit status 1 while an error is neither fixed nor acknowledged, 0 otherwise.
"""

import argparse
import json
from typing import Any

from core.domain import ExtractionInfo, Finding, StudyInfo, tally
from core.services import checks, extractions
from core.services.project import Project

PATH_WIDTH = 28


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the `check` command to the CLI's subparsers."""
    cmd: argparse.ArgumentParser = subparsers.add_parser(
        "check",
        help="run the consistency checks on every extraction",
        description="Run the built-in checks and the form's rules on every extraction. "
        "Exit status 1 while errors are neither fixed nor acknowledged.",
    )
    cmd.add_argument("project")
    cmd.add_argument("--json", action="store_true", help="print the findings as JSON")
    return cmd


def run(args: argparse.Namespace) -> int:
    project = Project.open(args.project)
    try:
        studies = extractions.list_studies(project)
        results = checks.check_all(project)
    finally:
        project.close()
    rows = [
        (study, extraction, results.get(extraction.id, []))
        for study in studies
        for extraction in sorted(study.extractions, key=lambda e: e.reviewer.casefold())
    ]
    if args.json:
        print(json.dumps(_as_json(rows), indent=2, ensure_ascii=False))
    else:
        print(_as_text(rows))
    return 1 if any(f.blocking for _, _, found in rows for f in found) else 0


Rows = list[tuple[StudyInfo, ExtractionInfo, list[Finding]]]


def _summary(rows: Rows) -> dict[str, int]:
    total = tally(f for _, _, findings in rows for f in findings)
    return {"extractions": len(rows), **total._asdict()}


def _as_json(rows: Rows) -> dict[str, Any]:
    return {
        "extractions": [
            {
                "extraction_id": extraction.id,
                "study_id": study.id,
                "study": study.name,
                "reviewer": extraction.reviewer,
                "status": extraction.status.value,
                "findings": [f.model_dump(mode="json") for f in findings],
            }
            for study, extraction, findings in rows
        ],
        "summary": _summary(rows),
    }


def _as_text(rows: Rows) -> str:
    if not rows:
        return "No extractions yet: nothing to check."
    lines: list[str] = []
    for study, extraction, findings in rows:
        status = extraction.status.value.replace("_", " ")
        lines.append(f"{study.name} · {extraction.reviewer} ({status}): {_count(findings)}")
        width = min(PATH_WIDTH, max((len(f.path) for f in findings), default=0))
        for finding in findings:
            severity = finding.severity.value
            path = finding.path or "-"
            lines.append(f"  {severity:<8} {path:<{width}}  {finding.message}")
            if finding.acknowledged:
                lines.append(f"  {'':<8} {'':<{width}}  acknowledged: {finding.ack_reason}")
    total = _summary(rows)
    lines.append("")
    lines.append(
        f"{total['extractions']} extraction(s) checked: {_plural(total['errors'], 'error')} "
        f"to fix or acknowledge, {_plural(total['warnings'], 'warning')}, "
        f"{total['acknowledged']} acknowledged."
    )
    return "\n".join(lines)


def _count(findings: list[Finding]) -> str:
    if not findings:
        return "no findings"
    errors, warnings, acknowledged = tally(findings)
    parts = [_plural(errors, "error"), _plural(warnings, "warning")]
    if acknowledged:
        parts.append(f"{acknowledged} acknowledged")
    return ", ".join(parts)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
