"""Registry values offered for the default form's fields, each with its evidence span."""

import re
from collections.abc import Sequence
from typing import Any

from core.documents.ctgov_record import Node
from core.domain.document import SourceSpan, Suggestion

_PHASES = {
    ("EARLY_PHASE1",): "early_1",
    ("PHASE1",): "1",
    ("PHASE1", "PHASE2"): "1_2",
    ("PHASE2",): "2",
    ("PHASE2", "PHASE3"): "2_3",
    ("PHASE3",): "3",
    ("PHASE4",): "4",
    ("NA",): "na",
}
_ALLOCATION = {"RANDOMIZED": "randomized", "NON_RANDOMIZED": "non_randomized", "NA": "single_arm"}
_STATUSES = {"NOT_YET_RECRUITING", "RECRUITING", "ENROLLING_BY_INVITATION", "SUSPENDED"}
_STATUSES |= {"ACTIVE_NOT_RECRUITING", "TERMINATED", "COMPLETED", "WITHDRAWN", "UNKNOWN"}
_LOWERED = {
    "study_type": {"INTERVENTIONAL", "OBSERVATIONAL", "EXPANDED_ACCESS"},
    "intervention_model": {"SINGLE_GROUP", "PARALLEL", "CROSSOVER", "FACTORIAL", "SEQUENTIAL"},
    "masking": {"NONE", "SINGLE", "DOUBLE", "TRIPLE", "QUADRUPLE"},
    "recruitment_status": _STATUSES,
    "sex": {"ALL", "FEMALE", "MALE"},
    "arm_type": {"EXPERIMENTAL", "ACTIVE_COMPARATOR", "PLACEBO_COMPARATOR", "SHAM_COMPARATOR"}
    | {"NO_INTERVENTION", "OTHER"},
    "intervention_type": {"BIOLOGICAL", "DRUG", "PROCEDURE", "DEVICE", "BEHAVIORAL", "GENETIC"}
    | {"COMBINATION_PRODUCT", "DIAGNOSTIC_TEST", "DIETARY_SUPPLEMENT", "RADIATION", "OTHER"},
}
_AGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(year|month|week|day)s?\s*$", re.IGNORECASE)
_PARTIAL_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_CRITERIA = re.compile(r"^[^\S\n]*(?:key\s+)?(inclusion|exclusion)\s+criteria\s*:?", re.I | re.M)
_LABEL_LENGTH = 60
_DATES = (("start_date", "startDateStruct"), ("completion_date", "completionDateStruct"))


class _Offers:
    """Collects suggestions whose evidence is a value already written into the text."""

    def __init__(self, text: str, spans: Sequence[SourceSpan]) -> None:
        self.text = text
        self.where: dict[str, SourceSpan] = {}
        for span in spans:
            self.where.setdefault(span.pointer, span)
        self.found: list[Suggestion] = []

    def add(self, field: str, value: Any, nodes: list[Node], unit: str | None = None) -> None:
        """Offer `value` with the text of `nodes` (one value, or the items of one list)."""
        spans = [self.where[node.pointer] for node in nodes if node.pointer in self.where]
        if value in (None, "") or not spans or len(spans) != len(nodes):
            return
        pointer = nodes[0].pointer if len(nodes) == 1 else nodes[0].pointer.rsplit("/", 1)[0]
        self.add_span(field, value, spans[0].start, spans[-1].end, pointer, unit)

    def add_span(
        self, field: str, value: Any, start: int, end: int, pointer: str, unit: str | None = None
    ) -> None:
        shown = " ".join(self.text[start:end].split())
        if len(shown) > _LABEL_LENGTH:
            shown = shown[: _LABEL_LENGTH - 1].rstrip() + "…"
        label = f"{shown}, from the registry record"
        suggestion = Suggestion(
            field=field, value=value, unit=unit, label=label, start=start, end=end, pointer=pointer
        )
        self.found.append(suggestion)

    def code(self, field: str, node: Node, kind: str | None = None) -> None:
        if isinstance(node.value, str) and node.value in _LOWERED[kind or field]:
            self.add(field, node.value.lower(), [node])


def suggestions_for(study: Node, text: str, spans: Sequence[SourceSpan]) -> list[Suggestion]:
    """Suggestions for a v2 study record rendered as `text` with `spans`."""
    offers = _Offers(text, spans)
    protocol = study["protocolSection"]
    ident, status = protocol["identificationModule"], protocol["statusModule"]
    design, info = protocol["designModule"], protocol["designModule"]["designInfo"]
    eligibility = protocol["eligibilityModule"]
    offers.add("registry_id", ident["nctId"].value, [ident["nctId"]])
    title = ident["officialTitle"] if ident["officialTitle"].present else ident["briefTitle"]
    offers.add("title", title.value, [title])
    offers.add("acronym", ident["acronym"].value, [ident["acronym"]])
    sponsor = protocol["sponsorCollaboratorsModule"]["leadSponsor"]["name"]
    offers.add("sponsor", sponsor.value, [sponsor])
    for official in protocol["contactsLocationsModule"]["overallOfficials"].items():
        if official["role"].value == "PRINCIPAL_INVESTIGATOR":
            offers.add("first_author", official["name"].value, [official["name"]])
            break
    posted = status["studyFirstPostDateStruct"]["date"]
    if isinstance(posted.value, str) and _PARTIAL_DATE.match(posted.value):
        offers.add("year", int(posted.value[:4]), [posted])
    offers.code("study_type", design["studyType"])
    phases = design["phases"].items()
    offers.add("phase", _PHASES.get(tuple(str(p.value) for p in phases)), phases)
    allocation = info["allocation"]
    offers.add("allocation", _ALLOCATION.get(str(allocation.value)), [allocation])
    offers.code("intervention_model", info["interventionModel"])
    offers.code("masking", info["maskingInfo"]["masking"])
    offers.code("recruitment_status", status["overallStatus"])
    for field, key in _DATES:
        date = status[key]["date"]
        if isinstance(date.value, str) and _PARTIAL_DATE.match(date.value):
            offers.add(field, date.value, [date])
    conditions = protocol["conditionsModule"]["conditions"].items()
    names = [str(node.value).strip() for node in conditions]
    offers.add("conditions", "; ".join(names), conditions)
    count = design["enrollmentInfo"]["count"]
    if isinstance(count.value, int) and not isinstance(count.value, bool):
        offers.add("enrolled", count.value, [count])
    offers.code("sex", eligibility["sex"])
    for field, key in (("age_min", "minimumAge"), ("age_max", "maximumAge")):
        _age(offers, field, eligibility[key])
    _criteria(offers, eligibility["eligibilityCriteria"])
    _control(offers, protocol["armsInterventionsModule"]["armGroups"].items())
    _countries(offers, protocol["contactsLocationsModule"]["locations"])
    _arms(offers, protocol["armsInterventionsModule"], study["resultsSection"])
    return offers.found


def _age(offers: _Offers, field: str, node: Node) -> None:
    match = _AGE.match(node.value) if isinstance(node.value, str) else None
    if match is not None:
        number = float(match[1])
        value = int(number) if number.is_integer() else number
        offers.add(field, value, [node], unit=f"{match[2].lower()}s")


def _criteria(offers: _Offers, node: Node) -> None:
    span = offers.where.get(node.pointer)
    if span is None:
        return
    body = offers.text[span.start : span.end]
    heads = list(_CRITERIA.finditer(body))
    for index, head in enumerate(heads):
        end = heads[index + 1].start() if index + 1 < len(heads) else len(body)
        part = body[head.end() : end]
        stripped = part.strip()
        if not stripped:
            continue
        start = span.start + head.end() + (len(part) - len(part.lstrip()))
        field = f"{head[1].lower()}_criteria"
        offers.add_span(field, stripped, start, start + len(stripped), node.pointer)


def _control(offers: _Offers, arms: list[Node]) -> None:
    for kinds, code in (
        (("PLACEBO_COMPARATOR", "SHAM_COMPARATOR"), "placebo"),
        (("ACTIVE_COMPARATOR",), "active"),
    ):
        found = next((arm for arm in arms if arm["type"].value in kinds), None)
        if found is not None:
            offers.add("control", code, [found["type"]])
            return


def _countries(offers: _Offers, locations: Node) -> None:
    first: dict[str, Node] = {}
    for site in locations.items():
        if isinstance(site["country"].value, str) and site["country"].value.strip():
            first.setdefault(site["country"].value.strip(), site["country"])
    spans = [offers.where.get(node.pointer) for node in first.values()]
    if first and all(span is not None for span in spans):
        start, end = spans[0].start, spans[-1].end  # type: ignore[union-attr]
        offers.add_span("countries", "; ".join(first), start, end, locations.pointer)


def _arms(offers: _Offers, module: Node, results: Node) -> None:
    interventions = module["interventions"].items()
    started = _started_by_title(results)
    for row, arm in enumerate(module["armGroups"].items(), start=1):
        label = arm["label"].value
        if not isinstance(label, str) or not label.strip():
            continue
        offers.add(f"arms[{row}].label", label.strip(), [arm["label"]])
        offers.code(f"arms[{row}].arm_type", arm["type"], "arm_type")
        given = [i for i in interventions if label in (i["armGroupLabels"].value or [])]
        types = {str(i["type"].value) for i in given}
        if len(types) == 1:
            offers.code(f"arms[{row}].intervention_type", given[0]["type"], "intervention_type")
        if len(given) == 1 and isinstance(given[0]["name"].value, str):
            offers.add(f"arms[{row}].product", given[0]["name"].value.strip(), [given[0]["name"]])
        count = started.get(label.strip().casefold())
        if count is not None and str(count.value).strip().isdigit():
            offers.add(f"arms[{row}].n_randomized", int(str(count.value)), [count])


def _started_by_title(results: Node) -> dict[str, Node]:
    """Participants who started, by flow group title, from the first period."""
    flow = results["participantFlowModule"]
    titles = {g["id"].value: g["title"].value for g in flow["groups"].items()}
    for milestone in flow["periods"][0]["milestones"].items():
        if milestone["type"].value == "STARTED":
            return {
                str(titles.get(item["groupId"].value, "")).strip().casefold(): item["numSubjects"]
                for item in milestone["achievements"].items()
            }
    return {}
