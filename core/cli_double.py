"""Double data entry on the command line: roles, assignments and agreement.

`trial-abstractor agreement PROJECT [--json]` prints per-field and overall agreement
and each reviewer's disagreement with the final records; `assign` gives a study's
reviewer slots.
"""

import argparse
import json
from collections.abc import Callable
from typing import Any

from core.errors import NotFoundError
from core.services import assignments
from core.services.agreement import ProjectAgreement, project_agreement
from core.services.extractions import list_studies
from core.services.project import SYSTEM_ACTOR, Project

SLOTS = {"A": 1, "B": 2, "1": 1, "2": 2}


def add_parsers(subparsers: Any) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Add the double-entry commands; returns their handlers by name."""
    cmd = subparsers.add_parser(
        "agreement",
        help="agreement between reviewers, per field and overall",
        description="Percent agreement, Cohen's kappa and agreement within tolerance for "
        "every field over the studies both reviewers have submitted, and each reviewer's "
        "disagreement with the final records.",
    )
    cmd.add_argument("project")
    cmd.add_argument("--json", action="store_true", help="print the report as JSON")
    cmd = subparsers.add_parser("assign", help="make a reviewer A or B of a study")
    cmd.add_argument("project")
    cmd.add_argument("study", help="study name or id")
    cmd.add_argument("reviewer")
    cmd.add_argument("--slot", choices=["A", "B"], required=True)
    return {"agreement": _agreement, "assign": _assign}


def _assign(args: argparse.Namespace) -> int:
    project = Project.open(args.project)
    try:
        study = next((s for s in list_studies(project) if args.study in (s.name, str(s.id))), None)
        if study is None:
            raise NotFoundError(f"There is no study called {args.study}.")
        assignments.assign(
            project, study.id, args.reviewer, slot=SLOTS[args.slot], actor=SYSTEM_ACTOR
        )
    finally:
        project.close()
    print(f"{args.reviewer} is reviewer {args.slot} of {study.name}.")
    return 0


def _agreement(args: argparse.Namespace) -> int:
    project = Project.open(args.project)
    try:
        result = project_agreement(project)
    finally:
        project.close()
    if args.json:
        print(json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False))
    else:
        print(agreement_text(result))
    return 0


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} %"


def _kappa(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def agreement_text(result: ProjectAgreement) -> str:
    """The report as a plain-text table."""
    report = result.report
    if not result.studies_compared:
        return "No study has two submitted extractions yet: nothing to compare."
    lines = [
        f"Studies compared: {len(result.studies_compared)} "
        f"(final records: {len(result.studies_final)})",
        "",
        f"{'field':<34} {'studies':>7} {'items':>6} {'agree':>8} {'exact':>8} {'kappa':>6}",
    ]
    for found in report.fields:
        if not found.n_items:
            continue
        lines.append(
            f"{found.field:<34} {found.n_studies:>7} {found.n_items:>6} "
            f"{_percent(found.percent_agreement):>8} {_percent(found.percent_exact):>8} "
            f"{_kappa(found.kappa.value if found.kappa else None):>6}"
        )
    overall = report.overall
    lines.append(
        f"{'overall':<34} {overall.n_studies:>7} {overall.n_items:>6} "
        f"{_percent(overall.percent_agreement):>8} {'':>8} {_kappa(overall.mean_kappa):>6}"
    )
    if result.reviewers:
        lines += ["", "Disagreement with the final records:"]
        for person in result.reviewers:
            lines.append(
                f"  {person.reviewer}: {_percent(person.percent_disagreement)} of "
                f"{person.n_items} answers in {person.n_studies} studies"
            )
    return "\n".join(lines)
