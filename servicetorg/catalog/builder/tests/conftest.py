"""The builder's cast: service owners in Molde and Aukra, and a caseworker who may not build.

- tone: service owner in Molde
- siri: service owner in Aukra
- sara: caseworker in Molde, refused by every builder page
"""

import pytest
from django.test import Client

from servicetorg.accounts.constants import Role
from servicetorg.accounts.tests.cast import staff, staff_client


@pytest.fixture
def tone(molde):
    return staff(molde, "tone", Role.SERVICE_OWNER)


@pytest.fixture
def siri(aukra):
    return staff(aukra, "siri", Role.SERVICE_OWNER)


@pytest.fixture
def sara(molde):
    return staff(molde, "sara", Role.CASEWORKER)


@pytest.fixture
def tone_client(tone) -> Client:
    return staff_client(tone)


@pytest.fixture
def siri_client(siri) -> Client:
    return staff_client(siri)


@pytest.fixture
def sara_client(sara) -> Client:
    return staff_client(sara)
