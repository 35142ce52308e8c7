"""Child process of the two-writer tests: one window writing to a project another also writes.

    fill TARGET OWN SHARED TAG COUNT   COUNT rounds: a value in its own extraction, then
                                       the shared extraction's `enrolled`
    race TARGET EXTRACTION TAG COUNT   COUNT rounds: read `enrolled`'s version, write with it
    hold TARGET EXTRACTION VALUE       read `enrolled`, then after "go" write with that version

Each prints "ready" once the project is open and starts on the line "go" from the
parent, so two of them start together. Every returned call is printed as a JSON line.
"""

import json
import sys
import time

from core.errors import StaleWriteError
from core.services import editing, extractions
from core.services.project import Project

OWN_FIELDS = ("enrolled", "completed", "n_male", "n_female", "n_centres")
SHARED = "enrolled"


def _report(**fields: object) -> None:
    print(json.dumps(fields), flush=True)


def _version(project: Project, extraction_id: int, path: str) -> int:
    found = [v for v in extractions.list_values(project, extraction_id) if v.path == path]
    return found[0].version if found else 0


def _fill(project: Project, own: int, shared: int, tag: int, count: int) -> None:
    for i in range(count):
        field, value = OWN_FIELDS[i % len(OWN_FIELDS)], tag * 100_000 + i
        for extraction_id, path in ((own, field), (shared, SHARED)):
            started = time.time()
            editing.set_value(project, extraction_id, path, value)
            _report(
                extraction=extraction_id, path=path, value=value, began=started, ended=time.time()
            )


def _race(project: Project, extraction_id: int, tag: int, count: int) -> None:
    for i in range(count):
        value = tag * 100_000 + i
        base = _version(project, extraction_id, SHARED)
        try:
            editing.set_value(project, extraction_id, SHARED, value, expected_version=base)
        except StaleWriteError as exc:
            _report(outcome="stale", value=value, base=base, message=str(exc))
        else:
            _report(outcome="stored", value=value, base=base)


def _hold(project: Project, extraction_id: int, value: int) -> None:
    base = _version(project, extraction_id, SHARED)
    _report(read=base)
    sys.stdin.readline()
    try:
        editing.set_value(project, extraction_id, SHARED, value, expected_version=base)
    except StaleWriteError as exc:
        _report(outcome="stale", message=str(exc))
    else:
        _report(outcome="stored")


def main() -> None:
    command, target, *numbers = sys.argv[1:]
    args = [int(n) for n in numbers]
    project = Project.open(target)
    print("ready", flush=True)
    if command == "hold":
        _hold(project, *args)
    else:
        assert sys.stdin.readline().strip() == "go"
        if command == "fill":
            _fill(project, *args)
        elif command == "race":
            _race(project, *args)
        else:
            raise SystemExit(f"unknown command {command}")
    project.close()


if __name__ == "__main__":
    main()
