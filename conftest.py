"""The fixed cast for tests: two municipalities, a small service, and two residents.

- molde: a bokmål municipality offering the test service
- aukra: a nynorsk municipality offering its own copy of it
- kari: a resident applying in Molde
- ola: another resident, who must never see Kari's drafts or cases
"""

from importlib import import_module

import pytest
from django.conf import settings
from django.http import HttpRequest
from django.test import Client

from servicetorg.catalog.actions import publish_service
from servicetorg.identity.demo import demo_people
from servicetorg.identity.residents import Resident, sign_in_resident
from servicetorg.municipalities.actions import add_municipality

# The browser fixtures (one Chromium per session, live server, axe) serve every test folder.
pytest_plugins = ["tests.browser.fixtures"]


def text(nb: str, nn: str | None = None, en: str | None = None) -> dict:
    return {"nb": nb, "nn": nn or nb, "en": en or nb}


def small_definition(slug: str = "test-soknad") -> dict:
    """A two-step service with a condition, a group and an attachment."""
    return {
        "slug": slug,
        "category": "family",
        "title": text("Søknad om test", "Søknad om test", "Test application"),
        "summary": text("Prøv skjemaet.", "Prøv skjemaet.", "Try the form."),
        "who_can_apply": text("Alle.", "Alle.", "Everyone."),
        "what_you_need": text("Ingenting.", "Ingenting.", "Nothing."),
        "what_happens_next": text("Vi svarer.", "Vi svarar.", "We reply."),
        "keywords": {"nb": ["prøve"], "nn": ["prøve"], "en": ["trial"]},
        "handling_days": 30,
        "department": "Oppvekst",
        "retention_years": 5,
        "steps": [
            {
                "key": "about",
                "title": text("Om deg", "Om deg", "About you"),
                "fields": [
                    {
                        "key": "name",
                        "type": "text",
                        "label": text("Navn", "Namn", "Name"),
                        "required": True,
                        "max_length": 50,
                    },
                    {
                        "key": "email",
                        "type": "email",
                        "label": text("E-post", "E-post", "E-mail"),
                        "required": True,
                    },
                    {
                        "key": "has_children",
                        "type": "yesno",
                        "label": text("Har du barn?", "Har du born?", "Do you have children?"),
                        "required": True,
                    },
                    {
                        "key": "children",
                        "type": "integer",
                        "label": text("Antall barn", "Tal på born", "Number of children"),
                        "required": True,
                        "min": 1,
                        "max": 20,
                        "show_if": {"==": [{"var": "has_children"}, True]},
                    },
                ],
            },
            {
                "key": "details",
                "title": text("Detaljer", "Detaljar", "Details"),
                "fields": [
                    {
                        "key": "members",
                        "type": "group",
                        "label": text("Husstand", "Hushald", "Household"),
                        "item_label": text("Person", "Person", "Person"),
                        "min_items": 0,
                        "max_items": 3,
                        "fields": [
                            {
                                "key": "member_name",
                                "type": "text",
                                "label": text("Navn", "Namn", "Name"),
                                "required": True,
                            }
                        ],
                    },
                    {
                        "key": "document",
                        "type": "file",
                        "label": text("Vedlegg", "Vedlegg", "Attachment"),
                        "accept": ["pdf", "png", "jpeg"],
                        "max_size_mb": 1,
                    },
                    {
                        "key": "comment",
                        "type": "textarea",
                        "label": text("Kommentar", "Kommentar", "Comment"),
                    },
                    {
                        "key": "confirm",
                        "type": "consent",
                        "label": text("Jeg bekrefter", "Eg stadfestar", "I confirm"),
                        "required": True,
                    },
                ],
            },
        ],
    }


@pytest.fixture(autouse=True)
def _no_kept_pages():
    """Each test starts with nothing kept in memory from another test's database (whose
    rolled-back cache table may give the catalog generation the same number again)."""
    from servicetorg.lib import changes
    from servicetorg.lib.pagecache import pages
    from servicetorg.municipalities.queries import known

    pages.clear()
    known.forget()
    changes.generation.read_again()


@pytest.fixture(autouse=True)
def _fresh_rate_limits(request, django_db_blocker):
    """Start each test with no rate-limit counts. A test in a transaction rolls its counts back;
    the flush after a transactional (live server) test leaves the cache table alone."""
    yield
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        from django.core.cache import caches
        from django.core.cache.backends.db import DatabaseCache

        cache = caches["default"]
        if isinstance(cache, DatabaseCache):  # never empty a shared Redis
            with django_db_blocker.unblock():
                cache.clear()


@pytest.fixture
def molde(db):
    return add_municipality(number="1506", name="Molde", slug="molde", default_language="nb")


@pytest.fixture
def aukra(db):
    return add_municipality(number="1547", name="Aukra", slug="aukra", default_language="nn")


@pytest.fixture
def service(molde):
    return publish_service(molde, small_definition()).service


@pytest.fixture
def aukra_service(aukra):
    return publish_service(aukra, small_definition()).service


@pytest.fixture
def kari() -> Resident:
    return demo_people()[0]


@pytest.fixture
def ola() -> Resident:
    return demo_people()[1]


def login(client: Client, resident: Resident, level: str = "substantial") -> Client:
    """Sign the resident in as the OpenID Connect callback does, without the provider round trip.

    The login itself is tested against TestID in servicetorg/identity/tests/.
    """
    request = HttpRequest()
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    sign_in_resident(request, resident, level=level)
    request.session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = request.session.session_key
    return client


@pytest.fixture
def kari_client(kari) -> Client:
    return login(Client(), kari)


@pytest.fixture
def ola_client(ola) -> Client:
    return login(Client(), ola)
