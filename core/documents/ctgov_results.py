"""The results part of a ClinicalTrials.gov API v2 record as readable sections."""

from collections.abc import Callable

from core.documents.ctgov_record import Node, RecordWriter, display

EntryWriter = Callable[[RecordWriter, Node], bool]


def write_results(w: RecordWriter, results: Node) -> None:
    """Participant flow, baseline, outcome measures, adverse events, limitations."""
    if not results.present:
        return
    _flow(w, results["participantFlowModule"])
    _baseline(w, results["baselineCharacteristicsModule"])
    _outcome_measures(w, results["outcomeMeasuresModule"])
    _adverse_events(w, results["adverseEventsModule"])
    limitations = results["moreInfoModule"]["limitationsAndCaveats"]["description"]
    if limitations.present:
        w.heading("Limitations and caveats")
        w.paragraph("Limitations", limitations)


def _titles(groups: Node) -> dict[str, Node]:
    return {
        str(group["id"].value): group["title"]
        for group in groups.items()
        if isinstance(group["id"].value, str)
    }


def _per_group(
    w: RecordWriter,
    label: str,
    entries: list[Node],
    titles: dict[str, Node],
    entry: EntryWriter,
    group_key: str = "groupId",
) -> None:
    """`Label: Group A = value; Group B = value` for entries that name their group."""
    if not entries:
        return
    w.write(f"{label}: ")
    for index, item in enumerate(entries):
        w.write("; " if index else "")
        title = titles.get(str(item[group_key].value))
        if title is not None and w.value(title):
            w.write(" = ")
        if not entry(w, item):
            w.write("–")
    w.write("\n")


def _number(key: str) -> EntryWriter:
    return lambda w, item: w.value(item[key])


def _measurement(w: RecordWriter, item: Node) -> bool:
    written = w.value(item["value"])
    if display(item["spread"].value) is not None:
        w.write(" (")
        w.value(item["spread"])
        w.write(")")
    if display(item["lowerLimit"].value) is not None:
        w.write(" (")
        w.value(item["lowerLimit"])
        w.write(" to ")
        if not w.value(item["upperLimit"]):
            w.write("–")
        w.write(")")
    return written


def _at_risk(affected: str, at_risk: str) -> EntryWriter:
    def write(w: RecordWriter, item: Node) -> bool:
        written = w.value(item[affected])
        if display(item[at_risk].value) is not None:
            w.write(" of ")
            w.value(item[at_risk])
        return written

    return write


def _flow(w: RecordWriter, m: Node) -> None:
    if not m.present:
        return
    titles = _titles(m["groups"])
    w.heading("Participant flow")
    w.paragraph("Recruitment details", m["recruitmentDetails"])
    w.paragraph("Pre-assignment details", m["preAssignmentDetails"])
    for period in m["periods"].items():
        w.field("Period", period["title"])
        for milestone in period["milestones"].items():
            label = display(milestone["type"].value, code=True) or "Milestone"
            entries = milestone["achievements"].items()
            _per_group(w, label, entries, titles, _number("numSubjects"))
        for reason in period["dropWithdraws"].items():
            label = f"Not completed, {display(reason['type'].value) or 'reason not given'}"
            _per_group(w, label, reason["reasons"].items(), titles, _number("numSubjects"))


def _measure_header(w: RecordWriter, measure: Node, label: str, kind: Node | None = None) -> None:
    w.field(label, measure["title"], note=kind)
    details = [measure["paramType"], measure["dispersionType"]]
    if any(display(node.value) for node in details) or measure["unitOfMeasure"].present:
        w.write("Measure: ")
        shown = [node for node in details if display(node.value) is not None]
        for index, node in enumerate(shown):
            w.write(", " if index else "")
            w.value(node, code=True)
        if measure["unitOfMeasure"].present:
            w.write("; unit: " if shown else "unit: ")
            w.value(measure["unitOfMeasure"])
        w.write("\n")


def _classes(w: RecordWriter, measure: Node, titles: dict[str, Node]) -> None:
    for denom in measure["denoms"].items():
        _per_group(w, "Participants", denom["counts"].items(), titles, _number("value"))
    for group_class in measure["classes"].items():
        class_title = display(group_class["title"].value)
        for denom in group_class["denoms"].items():
            label = f"{class_title}, participants" if class_title else "Participants"
            _per_group(w, label, denom["counts"].items(), titles, _number("value"))
        for category in group_class["categories"].items():
            names = [class_title, display(category["title"].value)]
            label = ", ".join(name for name in names if name) or "Values"
            _per_group(w, label, category["measurements"].items(), titles, _measurement)


def _baseline(w: RecordWriter, m: Node) -> None:
    if not m.present:
        return
    titles = _titles(m["groups"])
    w.heading("Baseline characteristics")
    w.paragraph("Population", m["populationDescription"])
    for denom in m["denoms"].items():
        _per_group(w, "Participants", denom["counts"].items(), titles, _number("value"))
    for measure in m["measures"].items():
        _measure_header(w, measure, "Characteristic")
        _classes(w, measure, titles)


def _outcome_measures(w: RecordWriter, m: Node) -> None:
    measures = m["outcomeMeasures"].items()
    if not measures:
        return
    w.heading("Outcome measures")
    for measure in measures:
        titles = _titles(measure["groups"])
        _measure_header(w, measure, "Outcome measure", measure["type"])
        w.field("Time frame", measure["timeFrame"])
        w.paragraph("Description", measure["description"])
        w.paragraph("Population", measure["populationDescription"])
        _classes(w, measure, titles)
        for analysis in measure["analyses"].items():
            _analysis(w, analysis)


def _analysis(w: RecordWriter, a: Node) -> None:
    if not any(a[key].present for key in ("pValue", "paramValue")):
        return
    w.write("Analysis:")
    if a["pValue"].present:
        w.write(" p ")
        w.value(a["pValue"])
        if a["statisticalMethod"].present:
            w.write(" (")
            w.value(a["statisticalMethod"])
            w.write(")")
        w.write(";" if a["paramValue"].present else "")
    if a["paramValue"].present:
        w.write(" ")
        if w.value(a["paramType"]):
            w.write(" ")
        w.value(a["paramValue"])
        if a["ciLowerLimit"].present or a["ciUpperLimit"].present:
            w.write(" (")
            if w.value(a["ciPctValue"]):
                w.write("% ")
            w.write("CI ")
            w.value(a["ciLowerLimit"])
            w.write(" to ")
            w.value(a["ciUpperLimit"])
            w.write(")")
    w.write("\n")


def _adverse_events(w: RecordWriter, m: Node) -> None:
    if not m.present:
        return
    groups = m["eventGroups"].items()
    titles = _titles(m["eventGroups"])
    w.heading("Adverse events")
    w.field("Time frame", m["timeFrame"])
    w.paragraph("Description", m["description"])
    for label, kind in (("Deaths", "deaths"), ("Serious", "serious"), ("Other", "other")):
        by_group = [group for group in groups if group[f"{kind}NumAffected"].present]
        writer = _at_risk(f"{kind}NumAffected", f"{kind}NumAtRisk")
        _per_group(w, f"{label}, participants affected", by_group, titles, writer, "id")
    for label, key in (("Serious event", "seriousEvents"), ("Other event", "otherEvents")):
        for event in m[key].items():
            w.write(f"{label}: ")
            w.value(event["term"])
            if event["organSystem"].present:
                w.write(" (")
                w.value(event["organSystem"])
                w.write(")")
            w.write("\n")
            affected = _at_risk("numAffected", "numAtRisk")
            _per_group(w, "Affected", event["stats"].items(), titles, affected)
