"""The login tests' cast: the real TestID provider on a live server, and a browser made of requests.

- oidc: settings for OpenID Connect against this installation's own TestID on the live server
- browser: one person's browser (cookies kept, redirects followed by hand)
- kari_pid: the first synthetic person on TestID's login page
"""

from dataclasses import dataclass
from importlib import import_module
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from django.conf import settings as django_settings
from lxml import html

from servicetorg.identity.testid.people import testid_people

CALLBACK = "/logg-inn/ferdig/"


@dataclass
class Page:
    response: requests.Response

    @property
    def status(self) -> int:
        return self.response.status_code

    @property
    def location(self) -> str:
        return self.response.headers.get("Location", "")

    def query(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(urlsplit(self.location).query).items()}

    def form_fields(self, action_end: str) -> dict[str, str]:
        """Hidden fields of the POST form whose action ends with `action_end`."""
        tree = html.fromstring(self.response.text)
        form = next(f for f in tree.forms if f.method == "POST" and f.action.endswith(action_end))
        return {i.name: i.value or "" for i in form.inputs if getattr(i, "type", "") == "hidden"}

    def reason(self) -> str:
        tree = html.fromstring(self.response.text)
        found = tree.xpath("//*[@data-reason]/@data-reason")
        return found[0] if found else ""


class Browser:
    """Cookies like a browser; each redirect is followed by the test, so each step is visible."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.http = requests.Session()

    def url(self, path: str) -> str:
        return urljoin(self.base, path)

    def get(self, path: str, **params: str) -> Page:
        return Page(self.http.get(self.url(path), params=params, allow_redirects=False, timeout=20))

    def post(self, path: str, data: dict) -> Page:
        return Page(self.http.post(self.url(path), data=data, allow_redirects=False, timeout=20))

    def follow(self, page: Page) -> Page:
        return self.get(page.location)

    def start(self, next_url: str = "/mine-saker/", level: str = "") -> Page:
        """Ask the app to log in; return TestID's login page."""
        params = {"next": next_url, **({"level": level} if level else {})}
        to_provider = self.get("/logg-inn/", **params)
        assert to_provider.status == 302, to_provider.response.text[:500]
        return self.follow(to_provider)

    def choose(self, login_page: Page, pid: str, acr: str = "idporten-loa-substantial") -> Page:
        """Pick a person on TestID's page; return the redirect back to the app (code, state)."""
        fields = login_page.form_fields("/testid/authorize")
        return self.post("/testid/authorize", {**fields, "person": pid, "acr": acr})

    def log_in(self, pid: str, **start: str) -> Page:
        back = self.choose(self.start(**start), pid)
        return self.follow(back)

    @property
    def session_key(self) -> str:
        return self.http.cookies.get(django_settings.SESSION_COOKIE_NAME, "")

    def session(self) -> dict:
        store = import_module(django_settings.SESSION_ENGINE).SessionStore
        return dict(store(session_key=self.session_key).load()) if self.session_key else {}


@pytest.fixture
def oidc(live_server, settings):
    """OpenID Connect against this installation's own TestID, reached over HTTP."""
    settings.SITE_URL = live_server.url
    settings.TESTID_ENABLED = True
    settings.IDPORTEN_ISSUER = ""
    settings.IDPORTEN_CLIENT_ID = "servicetorg-testid"
    settings.IDPORTEN_CLIENT_AUTH = "client_secret_basic"
    settings.IDPORTEN_CLIENT_SECRET = settings.TESTID_DEMO_SECRET
    settings.TESTID_FAULT = ""
    return settings


@pytest.fixture
def browser(oidc) -> Browser:
    return Browser(oidc.SITE_URL)


@pytest.fixture
def kari_pid() -> str:
    return testid_people()[0].pid
