"""Assurance levels: what a service asks for, and what a login is worth."""

import pytest
from django.test import RequestFactory

from servicetorg.identity.assurance import acr_for, level_for_acr, level_for_service, meets
from servicetorg.identity.residents import SESSION_KEY, login_url, require_level


def request_with(level: str | None):
    request = RequestFactory().get("/molde/tjenester/startlan/start/")
    request.session = {SESSION_KEY: {"pid": "1", "name": "", "level": level}} if level else {}
    return request


def test_it_maps_levels_to_idporten_acr_values():
    assert acr_for("substantial") == "idporten-loa-substantial"
    assert acr_for("high") == "idporten-loa-high"
    assert level_for_acr("idporten-loa-high") == "high"
    assert level_for_acr("Level4") is None


def test_it_orders_the_levels():
    assert meets("high", "substantial") and meets("high", "high")
    assert not meets("substantial", "high") and not meets(None, "substantial")


def test_it_reads_the_level_a_service_needs():
    assert level_for_service({"assurance": "high"}) == "high"
    assert level_for_service({}) == "substantial"


def test_it_puts_the_level_in_the_login_url():
    assert login_url("/a/") == "/logg-inn/?next=%2Fa%2F"
    assert login_url("/a/", level="high") == "/logg-inn/?next=%2Fa%2F&level=high"


@pytest.mark.parametrize(
    ("level", "sent_to_login"), [(None, True), ("substantial", True), ("high", False)]
)
def test_it_asks_for_a_stronger_login_when_a_service_needs_high(level, sent_to_login):
    response = require_level(request_with(level), "high")
    assert (response is not None) is sent_to_login
    if response is not None:
        assert response.url.endswith("&level=high")
