"""The protocol part of a ClinicalTrials.gov API v2 record as readable sections."""

from core.documents.ctgov_record import Node, RecordWriter

MAX_LISTED_SITES = 10


def write_protocol(w: RecordWriter, protocol: Node) -> None:
    """Identification, status, sponsor, description, ... locations, in that order."""
    _identification(w, protocol["identificationModule"])
    _status(w, protocol["statusModule"])
    _sponsor(w, protocol["sponsorCollaboratorsModule"], protocol["oversightModule"])
    _description(w, protocol["descriptionModule"])
    _conditions(w, protocol["conditionsModule"])
    _design(w, protocol["designModule"])
    _arms(w, protocol["armsInterventionsModule"])
    _outcomes(w, protocol["outcomesModule"])
    _eligibility(w, protocol["eligibilityModule"])
    _locations(w, protocol["contactsLocationsModule"])
    _references(w, protocol["referencesModule"])


def _identification(w: RecordWriter, m: Node) -> None:
    w.heading("Identification")
    w.field("NCT number", m["nctId"])
    w.field("Organisation's study ID", m["orgStudyIdInfo"]["id"])
    w.values("Secondary IDs", [item["id"] for item in m["secondaryIdInfos"].items()])
    w.field("Acronym", m["acronym"])
    w.field("Brief title", m["briefTitle"])
    w.field("Official title", m["officialTitle"])
    w.field("Organisation", m["organization"]["fullName"])


def _status(w: RecordWriter, m: Node) -> None:
    if not m.present:
        return
    w.heading("Status")
    w.field("Overall status", m["overallStatus"], code=True)
    w.field("Last known status", m["lastKnownStatus"], code=True)
    w.field("Why stopped", m["whyStopped"])
    for label, key in (
        ("Study start", "startDateStruct"),
        ("Primary completion", "primaryCompletionDateStruct"),
        ("Study completion", "completionDateStruct"),
        ("First posted", "studyFirstPostDateStruct"),
        ("Results first posted", "resultsFirstPostDateStruct"),
        ("Last update posted", "lastUpdatePostDateStruct"),
    ):
        w.field(label, m[key]["date"], note=m[key]["type"])
    w.field("First submitted", m["studyFirstSubmitDate"])
    w.field("Status verified", m["statusVerifiedDate"])


def _sponsor(w: RecordWriter, m: Node, oversight: Node) -> None:
    if not (m.present or oversight.present):
        return
    w.heading("Sponsor and oversight")
    w.field("Lead sponsor", m["leadSponsor"]["name"])
    w.values("Collaborators", [item["name"] for item in m["collaborators"].items()])
    party = m["responsibleParty"]
    w.field("Responsible party", party["type"], code=True)
    w.field("Investigator", party["investigatorFullName"])
    w.field("Investigator's title", party["investigatorTitle"])
    w.field("Investigator's affiliation", party["investigatorAffiliation"])
    w.field("Data monitoring committee", oversight["oversightHasDmc"])
    w.field("FDA-regulated drug", oversight["isFdaRegulatedDrug"])
    w.field("FDA-regulated device", oversight["isFdaRegulatedDevice"])


def _description(w: RecordWriter, m: Node) -> None:
    if not m.present:
        return
    w.heading("Description")
    w.paragraph("Brief summary", m["briefSummary"])
    w.paragraph("Detailed description", m["detailedDescription"])


def _conditions(w: RecordWriter, m: Node) -> None:
    if not m.present:
        return
    w.heading("Conditions")
    w.values("Conditions", m["conditions"].items())
    w.values("Keywords", m["keywords"].items())


def _design(w: RecordWriter, m: Node) -> None:
    if not m.present:
        return
    info, masking = m["designInfo"], m["designInfo"]["maskingInfo"]
    w.heading("Design")
    w.field("Study type", m["studyType"], code=True)
    w.values("Phase", m["phases"].items(), code=True)
    w.field("Allocation", info["allocation"], code=True)
    w.field("Intervention model", info["interventionModel"], code=True)
    w.field("Model description", info["interventionModelDescription"])
    w.field("Primary purpose", info["primaryPurpose"], code=True)
    w.field("Observational model", info["observationalModel"], code=True)
    w.field("Time perspective", info["timePerspective"], code=True)
    w.field("Masking", masking["masking"], code=True)
    w.values("Masked", masking["whoMasked"].items(), code=True)
    w.field("Masking description", masking["maskingDescription"])
    w.field("Enrollment", m["enrollmentInfo"]["count"], note=m["enrollmentInfo"]["type"])
    w.field("Target duration", m["targetDuration"])
    w.field("Patient registry", m["patientRegistry"])


def _arms(w: RecordWriter, m: Node) -> None:
    if not m.present:
        return
    w.heading("Arms and interventions")
    for arm in m["armGroups"].items():
        w.field("Arm", arm["label"], note=arm["type"])
        w.paragraph("Description", arm["description"])
        w.values("Interventions", arm["interventionNames"].items())
    for intervention in m["interventions"].items():
        w.field("Intervention", intervention["name"], note=intervention["type"])
        w.paragraph("Description", intervention["description"])
        w.values("Other names", intervention["otherNames"].items())
        w.values("Arms", intervention["armGroupLabels"].items())


def _outcomes(w: RecordWriter, m: Node) -> None:
    if not m.present:
        return
    w.heading("Outcomes")
    for label, key in (
        ("Primary outcome", "primaryOutcomes"),
        ("Secondary outcome", "secondaryOutcomes"),
        ("Other outcome", "otherOutcomes"),
    ):
        for outcome in m[key].items():
            w.field(label, outcome["measure"])
            w.field("Time frame", outcome["timeFrame"])
            w.paragraph("Description", outcome["description"])


def _eligibility(w: RecordWriter, m: Node) -> None:
    if not m.present:
        return
    w.heading("Eligibility")
    w.paragraph("Criteria", m["eligibilityCriteria"])
    w.field("Sex", m["sex"], code=True)
    w.field("Minimum age", m["minimumAge"])
    w.field("Maximum age", m["maximumAge"])
    w.values("Age groups", m["stdAges"].items(), code=True)
    w.field("Healthy volunteers", m["healthyVolunteers"])
    w.field("Sampling method", m["samplingMethod"], code=True)
    w.paragraph("Study population", m["studyPopulation"])


def _locations(w: RecordWriter, m: Node) -> None:
    if not m.present:
        return
    w.heading("Investigators and locations")
    for official in m["overallOfficials"].items():
        w.field("Official", official["name"], note=official["role"])
        w.field("Affiliation", official["affiliation"])
    sites = m["locations"].items()
    if not sites:
        return
    first_by_country: dict[str, Node] = {}
    counts: dict[str, int] = {}
    for site in sites:
        country = site["country"]
        if isinstance(country.value, str) and country.value.strip():
            first_by_country.setdefault(country.value, country)
            counts[country.value] = counts.get(country.value, 0) + 1
    noun = "site" if len(sites) == 1 else "sites"
    where = "country" if len(counts) == 1 else "countries"
    w.write(f"Locations: {len(sites)} {noun} in {len(counts)} {where}\n")
    if counts:
        w.write("Countries: ")
        for index, (name, country) in enumerate(first_by_country.items()):
            w.write("; " if index else "")
            w.value(country)
            w.write(f" ({counts[name]})")
        w.write("\n")
    for site in sites[:MAX_LISTED_SITES]:
        parts = [site[key] for key in ("facility", "city", "state", "country")]
        w.values("Site", [part for part in parts if part.present])
    if len(sites) > MAX_LISTED_SITES:
        w.write(f"… and {len(sites) - MAX_LISTED_SITES} more sites\n")


def _references(w: RecordWriter, m: Node) -> None:
    references = m["references"].items()
    if not references:
        return
    w.heading("References")
    for reference in references:
        w.field("Reference", reference["citation"], note=reference["type"])
        w.field("PMID", reference["pmid"])
