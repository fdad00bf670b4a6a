"""The insights cast: Molde with two services, two caseworkers, and a year of generated cases."""

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from conftest import small_definition
from servicetorg.accounts.constants import Role
from servicetorg.accounts.tests.cast import staff
from servicetorg.catalog.actions import publish_service
from servicetorg.insights.aggregation import refresh_range
from servicetorg.insights.tests.generate import generate_cases

START, END = date(2025, 1, 1), date(2025, 10, 31)
# The generated history stops here: later cases are still open.
NOW = timezone.make_aware(datetime.combine(date(2025, 11, 20), time(12)))


@pytest.fixture
def caseworkers(molde):
    return [
        staff(molde, "sara", Role.CASEWORKER, ["Oppvekst"]),
        staff(molde, "per", Role.CASEWORKER, ["Oppvekst"]),
    ]


@pytest.fixture
def second_service(molde):
    definition = small_definition("byggesak")
    definition["handling_days"] = 21
    return publish_service(molde, definition).service


@pytest.fixture
def history(molde, service, second_service, caseworkers):
    """About 400 cases from January to October 2025, refreshed into daily figures."""
    cases = generate_cases(
        [service, second_service],
        start=START,
        end=END,
        count=400,
        staff=caseworkers,
        seed=6,
        now=NOW,
    )
    refresh_range(molde, START, NOW.date())
    return cases
