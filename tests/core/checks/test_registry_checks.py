"""Registry IDs: the format of each registry, and one ID recorded for two studies."""

import pytest

from core.checks import registry_id_problem
from core.domain import Severity
from tests.core.checks.conftest import DeskFactory
from tests.core.checks.desk import REGISTRY_LIVER, REGISTRY_RECTAL, keys


def test_the_id_of_the_registry_record_is_well_formed(desk: DeskFactory) -> None:
    cy = desk(REGISTRY_LIVER, reviewer="Cy")
    changes = cy.fill("registry_id", "NCT05871463")
    assert {k for k in keys(changes) if k.startswith("registry_id")} == set()


def test_an_id_selected_one_digit_short_is_flagged(desk: DeskFactory) -> None:
    cy = desk(REGISTRY_LIVER, reviewer="Cy")
    found = {f.key: f for f in cy.fill("registry_id", "NCT0587146").findings}
    finding = found["registry_id_format@registry_id"]
    assert finding.severity is Severity.WARNING
    assert finding.message == (
        "Registry ID: “NCT0587146” is not a well-formed ClinicalTrials.gov ID: "
        "NCT followed by 8 digits, e.g. NCT01234567."
    )


@pytest.mark.parametrize(
    "registry_id",
    [
        "NCT06536712",
        "ISRCTN12345678",
        "2012-001234-56",
        "EudraCT 2012-001234-56",
        "EUCTR2012-001234-56-DE",
        "IRCT20190101012345N1",
        "IRCT201104165360N1",
        "ChiCTR2000012345",
        "ChiCTR-TRC-12001234",
        "ACTRN12612000123456",  # other registries are not judged
    ],
)
def test_well_formed_ids_of_each_registry(registry_id: str) -> None:
    assert registry_id_problem(registry_id) is None


@pytest.mark.parametrize(
    ("registry_id", "problem"),
    [
        ("NCT 0653671", "not a well-formed ClinicalTrials.gov ID: NCT followed by 8 digits"),
        ("ISRCTN1234567", "not a well-formed ISRCTN ID: ISRCTN followed by 8 digits"),
        ("2012-01234-56", "not a well-formed EudraCT ID: a year, 6 digits and 2 check digits"),
        ("IRCT2019010101234", "not a well-formed IRCT ID: IRCT, digits, N and a number"),
        ("ChiCTR200001234", "not a well-formed ChiCTR ID: ChiCTR and 10 digits"),
    ],
)
def test_malformed_ids_name_the_registry_and_its_format(registry_id: str, problem: str) -> None:
    message = registry_id_problem(registry_id)
    assert message is not None and problem in message


def test_one_id_on_two_studies_is_flagged_on_both(desk: DeskFactory) -> None:
    liver = desk(REGISTRY_LIVER, reviewer="Cy", study="Liver cirrhosis exosomes")
    rectal = desk(REGISTRY_RECTAL, reviewer="Cy", study="Rectal cancer leakage")
    liver.fill("registry_id", "NCT05871463")
    # Typed from the wrong browser tab: the liver trial's ID on the rectal cancer record.
    found = {f.key: f for f in rectal.type("registry_id", "NCT05871463").findings}
    finding = found["registry_id_duplicate@registry_id"]
    assert finding.severity is Severity.WARNING
    assert finding.message == (
        "Registry ID NCT05871463 is also recorded for the study “Liver cirrhosis exosomes”: "
        "are they the same trial?"
    )
    assert liver.findings()["registry_id_duplicate@registry_id"].message.endswith(
        "for the study “Rectal cancer leakage”: are they the same trial?"
    )
    rectal.fill("registry_id", "NCT06536712")
    assert "registry_id_duplicate@registry_id" not in liver.findings()


def test_both_reviewers_of_one_study_record_the_same_id(desk: DeskFactory) -> None:
    cy = desk(REGISTRY_LIVER, reviewer="Cy")
    dee = desk(REGISTRY_LIVER, reviewer="Dee")
    cy.fill("registry_id", "NCT05871463")
    assert "registry_id_duplicate@registry_id" not in keys(dee.fill("registry_id", "NCT05871463"))
