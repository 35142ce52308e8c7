"""Child process of the kill test: writes values in a loop, reporting each returned call."""

import sys

from core.services import editing
from core.services.project import Project

FIELDS = ("enrolled", "completed", "n_male", "n_female", "n_centres")


def main() -> None:
    project = Project.open(sys.argv[1])
    extraction_id, counter = int(sys.argv[2]), int(sys.argv[3])
    print("ready", flush=True)
    while True:
        field = FIELDS[counter % len(FIELDS)]
        editing.set_value(project, extraction_id, field, counter)
        print(f"{field} {counter}", flush=True)
        counter += 1


if __name__ == "__main__":
    main()
