"""Load shedding: a database outage gives a "try again" page, keeps the answers, writes nothing half.

The outages are real: on PostgreSQL the application's connection runs through a TCP proxy that
refuses and cuts connections; on SQLite another connection holds the write lock past the busy
timeout. The last tests run gunicorn, as in production, against the same faults.
"""

import html
import io
import re
import threading
import time
from importlib import import_module

import psycopg
import pytest
import requests
from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils import translation

from bench.production import (
    Filler,
    Resident,
    load_definition,
    resident_pids,
)
from conftest import login
from servicetorg.cases.models import Case, CaseNumberSequence
from servicetorg.identity.residents import ACTIVITY_KEY
from servicetorg.lib.tests.outage_helpers import SqliteWriteLock, TcpProxy, server_behind_fault
from servicetorg.lib.unavailable import KNOWN, KnownMunicipality, choose_language, is_unavailable
from servicetorg.submissions.models import Draft, Submission

pytestmark = pytest.mark.django_db(transaction=True)

POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
HIDDEN = re.compile(r'<input type="hidden" name="([^"]*)" value="([^"]*)">')
HOSTILE = 'Kari "<b>Nordmann</b>"'
FIRST_STEP = {
    "_action": "next",
    "_shown": "name,email,has_children",
    "name": HOSTILE,
    "email": "kari@example.no",
    "has_children": "no",
}


class Outage:
    """The test database, reachable or not, by a real fault (see outage_helpers)."""

    def __init__(self) -> None:
        self.proxy: TcpProxy | None = None
        self.lock: SqliteWriteLock | None = None
        self.saved = dict(connection.settings_dict)
        if POSTGRES:
            self.proxy = TcpProxy((self.saved["HOST"] or "127.0.0.1", int(self.saved["PORT"])))
            self.proxy.up()
            connection.close()
            connection.settings_dict.update(HOST="127.0.0.1", PORT=str(self.proxy.port))
        else:
            self.lock = SqliteWriteLock(self.saved["NAME"])

    def down(self) -> None:
        if self.lock:
            with connection.cursor() as cursor:  # wait 0.2 s, not 10 s, for the lock
                cursor.execute("PRAGMA busy_timeout = 200")
        (self.proxy or self.lock).down()

    def up(self) -> None:
        (self.proxy or self.lock).up()
        # What Django does at every request's start and end in a server; the test client not.
        connection.close_if_unusable_or_obsolete()

    def end(self) -> None:
        self.up()
        if self.proxy:
            self.proxy.down()
            connection.close()
            connection.settings_dict.update(HOST=self.saved["HOST"], PORT=self.saved["PORT"])


@pytest.fixture
def outage(transactional_db):
    found = Outage()
    yield found
    found.end()


@pytest.fixture
def kari_browser(kari) -> Client:
    """Kari, with CSRF checks on as in a browser, and no surprises from the server."""
    return login(Client(enforce_csrf_checks=True, raise_request_exception=False), kari)


def start(client: Client, service) -> Draft:
    page = client.get(f"/molde/tjenester/{service.slug}/")
    token = page.cookies["csrftoken"].value
    response = client.post(
        f"/molde/tjenester/{service.slug}/start/", {"csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    return Draft.objects.get()


def step_url(draft: Draft, number: int) -> str:
    return f"/molde/soknad/{draft.id}/steg/{number}/"


def review_url(draft: Draft) -> str:
    return f"/molde/soknad/{draft.id}/oppsummering/"


def post(client: Client, url: str, data: dict | list) -> HttpResponse:
    """Post as the page's form does: with the token from the CSRF cookie."""
    token = client.cookies["csrftoken"].value
    pairs = list(data.items()) if isinstance(data, dict) else list(data)
    body = {}
    for name, value in [("csrfmiddlewaretoken", token), *pairs]:
        body.setdefault(name, []).append(value)
    return client.post(url, body)


def hidden_fields(page: str) -> list[tuple[str, str]]:
    return [(name, html.unescape(value)) for name, value in HIDDEN.findall(page)]


def fill_in(client: Client, service) -> Draft:
    """Start a draft and answer both steps, up to the review page."""
    draft = start(client, service)
    client.get(step_url(draft, 1))
    assert post(client, step_url(draft, 1), {**FIRST_STEP, "name": "Kari"}).status_code == 302
    second = {"_action": "next", "_shown": "members,document,comment,confirm", "confirm": "yes"}
    second["members-count"] = "0"
    assert post(client, step_url(draft, 2), second).status_code == 302
    return draft


# The page and the posted answers


def test_it_keeps_the_typed_answers_when_a_step_cannot_be_saved(
    outage, kari_browser, service, caplog
):
    draft = start(kari_browser, service)
    kari_browser.get(step_url(draft, 1))
    assert post(kari_browser, step_url(draft, 1), {**FIRST_STEP, "name": "Kari"}).status_code == 302
    kari_browser.get(step_url(draft, 1))
    outage.down()
    typed = {**FIRST_STEP, "password": "hunter2", "otp_code": "123456"}
    response = post(kari_browser, step_url(draft, 1), typed)
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert f'<form method="post" action="{step_url(draft, 1)}">' in page
    fields = hidden_fields(page)
    assert [name for name, _ in fields].count("csrfmiddlewaretoken") == 1
    assert ("name", HOSTILE) in fields and ("has_children", "no") in fields
    assert "<b>Nordmann</b>" not in page  # autoescaped
    assert "hunter2" not in page and "123456" not in page
    lines = [r.getMessage() for r in caplog.records if r.name == "servicetorg.availability"]
    assert len(lines) == 1 and "view=submissions:step" in lines[0]
    assert "Kari" not in lines[0] and str(draft.id) not in lines[0]

    outage.up()
    draft.refresh_from_db()
    assert draft.answers["name"] == "Kari"  # what was saved before
    again = kari_browser.post(step_url(draft, 1), _as_form(fields))
    assert again.status_code == 302 and again["Location"] == step_url(draft, 2)
    draft.refresh_from_db()
    assert draft.answers["name"] == HOSTILE


def _as_form(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    body: dict[str, list[str]] = {}
    for name, value in fields:
        body.setdefault(name, []).append(value)
    return body


def test_it_leaves_nothing_half_written_when_the_submit_fails(outage, kari_browser, service):
    draft = fill_in(kari_browser, service)
    kari_browser.get(review_url(draft))
    outage.down()
    response = post(kari_browser, review_url(draft), {})
    assert response.status_code == 503
    assert [n for n, _ in hidden_fields(response.content.decode())] == ["csrfmiddlewaretoken"]

    outage.up()
    assert not Submission.objects.exists() and not Case.objects.exists()
    draft.refresh_from_db()
    assert draft.submitted_at is None and draft.answers["name"] == "Kari"
    again = post(kari_browser, review_url(draft), {})
    assert again.status_code == 302 and "/kvittering/" in again["Location"]
    assert Case.objects.get().sequence == 1


@pytest.mark.skipif(not POSTGRES, reason="SQLite takes the write lock at BEGIN: no mid-way fault")
def test_it_rolls_back_a_submit_cut_off_half_way(transactional_db, kari_browser, service):
    """The connection dies after the submission row is written, while the case waits for its
    number: the whole submit rolls back."""
    draft = fill_in(kari_browser, service)
    kari_browser.get(review_url(draft))
    table = CaseNumberSequence._meta.db_table
    with psycopg.connect(_dsn(), autocommit=False) as blocker:
        blocker.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        killer = threading.Thread(target=_terminate_lock_waiter, args=(table,), daemon=True)
        killer.start()
        response = post(kari_browser, review_url(draft), {})
        killer.join(10)
        blocker.rollback()
    assert response.status_code == 503
    connection.close_if_unusable_or_obsolete()
    assert not Submission.objects.exists() and not Case.objects.exists()
    assert Draft.objects.get().submitted_at is None
    again = post(kari_browser, review_url(draft), {})
    assert again.status_code == 302
    assert Case.objects.get().sequence == 1


def _dsn() -> str:
    s = connection.settings_dict
    return f"host={s['HOST'] or '127.0.0.1'} port={s['PORT'] or 5432} user={s['USER']} dbname={s['NAME']}"


def _terminate_lock_waiter(table: str) -> None:
    """Wait until a backend has written the submission and waits on the lock; end it."""
    with psycopg.connect(_dsn(), autocommit=True) as admin:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            row = admin.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                " AND wait_event_type = 'Lock' AND query ILIKE %s",
                (f"%{table}%",),
            ).fetchone()
            if row:
                admin.execute("SELECT pg_terminate_backend(%s)", row)
                return
            time.sleep(0.02)


def test_it_offers_no_form_for_other_posts(outage, kari_browser, service):
    kari_browser.get(f"/molde/tjenester/{service.slug}/")
    outage.down()
    response = post(kari_browser, f"/molde/tjenester/{service.slug}/start/", {})
    assert response.status_code == 503
    assert "<form" not in response.content.decode()
    outage.up()
    assert not Draft.objects.exists()


# Failures in the middleware, and the language


def test_it_answers_when_the_session_cannot_be_stored(outage, kari_browser, service):
    """The session is saved (a resident's activity, once a minute) after the page is made."""
    kari_browser.get("/mine-saker/")
    _make_session_stale(kari_browser)
    outage.down()
    for cookie, accept, language in (("nn", "en", "nn"), ("", "en-GB,en;q=0.8", "en")):
        kari_browser.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie
        response = kari_browser.get("/mine-saker/", HTTP_ACCEPT_LANGUAGE=accept)
        assert response.status_code == 503
        assert response["Content-Language"] == language
        page = response.content.decode()
        assert f'<html lang="{language}"' in page
        with translation.override(language):
            assert translation.gettext("The service is not available right now") in page
        assert 'href="/mine-saker/"' in page  # try the same page again
    outage.up()
    del kari_browser.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert kari_browser.get("/mine-saker/").status_code == 200


def _make_session_stale(client: Client) -> None:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    session = store(client.cookies[settings.SESSION_COOKIE_NAME].value)
    activity = session[ACTIVITY_KEY]
    session[ACTIVITY_KEY] = {**activity, "seen": activity["seen"] - 120}
    session.save()


def test_it_shows_the_municipality_it_has_seen(outage, kari_browser, service):
    kari_browser.get("/molde/")
    draft = start(kari_browser, service)
    kari_browser.get(step_url(draft, 1))
    outage.down()
    response = post(kari_browser, step_url(draft, 1), FIRST_STEP)
    assert response.status_code == 503
    page = response.content.decode()
    assert "Molde" in page and 'href="/molde/"' in page
    assert 'href="/static/css/servicetorg.' in page


@pytest.mark.parametrize(
    ("cookie", "municipality", "accept", "expected"),
    [
        ("en", "nn", "nb", "en"),  # the person's choice first
        ("", "nn", "en", "nn"),  # then the municipality's language form
        ("xx", None, "en-US,en;q=0.9", "en"),  # then the browser's
        ("", None, "nn-NO", "nn"),
        ("", None, "no", "nb"),
        ("", None, "de", "nb"),  # else bokmål
    ],
)
def test_it_chooses_the_language_without_the_database(cookie, municipality, accept, expected):
    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE=accept)
    if cookie:
        request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = cookie
    known = KnownMunicipality("Aukra", municipality, "x.svg") if municipality else None
    assert choose_language(request, known) == expected


def test_it_leaves_query_errors_to_the_500_page(db):
    with pytest.raises(DatabaseError) as error, transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")
    assert not is_unavailable(error.value)


@pytest.fixture(autouse=True)
def _forget_municipalities():
    KNOWN.clear()
    yield
    KNOWN.clear()


# The production server: gunicorn against a database that goes away and comes back

SERVICE = "gravetillatelse"  # its first step has text fields and no files


@pytest.fixture
def served(transactional_db, tmp_path):
    call_command("load_demo", history=False, stdout=io.StringIO())
    with server_behind_fault(tmp_path) as found:
        yield found


def test_it_serves_again_without_a_restart(served):
    server, fault = served
    resident = Resident(server.url, resident_pids(1)[0])
    resident.log_in()
    draft = resident.start("molde", SERVICE)
    path = f"/molde/soknad/{draft}/steg/1/"
    page = resident.get(path)
    data, uploads = Filler(load_definition(SERVICE), resident.pid, draft).step_data(0, page.text)
    assert not uploads
    worker = server.worker_pids()
    assert len(worker) == 2

    fault.down()
    refused = resident.post(path, data)
    assert refused.status_code == 503, server.log()
    assert int(refused.headers["Retry-After"]) > 0
    assert '<html lang="nb"' in refused.text  # Molde's language form, from an earlier request
    fields = hidden_fields(refused.text)
    assert ("company_name", dict(data)["company_name"]) in fields
    assert "database unavailable method=POST view=submissions:step" in server.log()

    fault.up()
    headers = {"Referer": server.url + path}
    again = resident.session.post(
        server.url + path, data=fields, headers=headers, allow_redirects=False, timeout=30
    )
    assert again.status_code == 302 and again.headers["Location"].endswith("/steg/2/")
    assert resident.get("/mine-saker/").status_code == 200
    assert server.worker_pids() == worker  # the same processes, never restarted
    saved = Draft.objects.get(id=draft).answers
    assert saved["company_name"] == dict(data)["company_name"]


@pytest.mark.skipif(not POSTGRES, reason="SQLite connections are not kept between requests")
def test_it_replaces_a_connection_cut_while_idle(served):
    """CONN_HEALTH_CHECKS: a kept connection that died between requests is replaced unseen."""
    server, fault = served
    assert requests.get(server.url + "/molde/", timeout=30).status_code == 200
    fault.down()  # cuts the worker's kept connection
    fault.up()
    assert requests.get(server.url + "/molde/", timeout=30).status_code == 200
    assert "database unavailable" not in server.log()
