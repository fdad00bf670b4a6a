"""The municipalities a worker keeps in memory, and how it learns of a change."""

import pytest
from django.core.cache import cache
from django.http import Http404
from django.test import Client

from servicetorg.lib.changes import GENERATION_KEY
from servicetorg.municipalities.models import Municipality
from servicetorg.municipalities.queries import get_municipality_by_slug, known

pytestmark = pytest.mark.django_db


def accent(client: Client) -> str:
    return client.get("/molde/tema.css").content.decode()


def paint_behind_the_workers_back(color: str) -> None:
    Municipality.objects.filter(slug="molde").update(accent_color=color)


def test_a_saved_change_is_seen_by_the_next_request(client, molde):
    assert molde.accent_color in accent(client)
    molde.accent_color = "#123456"
    molde.save()
    assert "#123456" in accent(client)


def test_the_worker_keeps_the_municipality_until_the_generation_changes(client, molde, settings):
    settings.CHANGES_CHECK_SECONDS = 3600
    accent(client)
    paint_behind_the_workers_back("#654321")
    assert "#654321" not in accent(client)  # kept, no query
    # Another worker saved a change: the number in the shared cache went up.
    cache.set(GENERATION_KEY, cache.get(GENERATION_KEY, 0) + 1, timeout=None)
    assert "#654321" not in accent(client)  # not looked for yet
    settings.CHANGES_CHECK_SECONDS = 0
    assert "#654321" in accent(client)


def test_each_request_gets_its_own_copy(molde):
    first = get_municipality_by_slug("molde")
    first.name = "Changed by a form that failed"
    assert get_municipality_by_slug("molde").name == "Molde"


def test_unknown_or_closed_municipalities_are_not_kept(molde, aukra):
    for _ in range(3):
        with pytest.raises(Http404):
            get_municipality_by_slug("finnes-ikke")
    aukra.active = False
    aukra.save()
    with pytest.raises(Http404):
        get_municipality_by_slug("aukra")
    assert set(known.by_slug) <= {"molde"}
