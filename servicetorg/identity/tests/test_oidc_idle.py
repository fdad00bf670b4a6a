"""A resident's session ends after 30 idle minutes and after SESSION_COOKIE_AGE in all."""

import time

import pytest

from servicetorg.identity import clock
from servicetorg.identity.middleware import ENDED_KEY
from servicetorg.submissions.actions import start_draft
from servicetorg.submissions.models import Draft

pytestmark = pytest.mark.django_db
MINUTE = 60


def later(monkeypatch, seconds: float) -> None:
    """Move the clock to `seconds` after now (the login was a moment ago)."""
    start = time.time()
    monkeypatch.setattr(clock, "now", lambda: start + seconds)


def test_it_keeps_a_resident_who_comes_back_within_30_minutes(kari_client, monkeypatch):
    later(monkeypatch, 29 * MINUTE)
    assert kari_client.get("/mine-saker/").status_code == 200


def test_it_signs_out_after_30_idle_minutes_and_returns_after_login(
    kari_client, monkeypatch, caplog
):
    later(monkeypatch, 31 * MINUTE)
    response = kari_client.get("/mine-saker/")
    assert response.status_code == 302
    assert response.url == "/logg-inn/?next=%2Fmine-saker%2F"
    assert "resident session ended reason=idle" in caplog.text
    login_page = kari_client.get(response.url)
    assert "ds-alert" in login_page.content.decode() and ENDED_KEY not in kari_client.session


def test_it_counts_idle_time_from_the_last_request(kari_client, monkeypatch):
    later(monkeypatch, 20 * MINUTE)
    assert kari_client.get("/mine-saker/").status_code == 200
    later(monkeypatch, 40 * MINUTE)  # 20 minutes after the last request
    assert kari_client.get("/mine-saker/").status_code == 200


def test_it_ends_the_session_after_its_absolute_lifetime(kari_client, monkeypatch, settings):
    for seconds in range(20 * MINUTE, settings.SESSION_COOKIE_AGE, 20 * MINUTE):
        later(monkeypatch, seconds)  # never idle for long
        assert kari_client.get("/mine-saker/").status_code == 200
    later(monkeypatch, settings.SESSION_COOKIE_AGE + MINUTE)
    assert kari_client.get("/mine-saker/").status_code == 302


def test_it_keeps_drafts_when_the_session_ends(kari_client, kari, service, monkeypatch):
    draft = start_draft(service, actor=kari)
    later(monkeypatch, 31 * MINUTE)
    assert kari_client.get("/mine-saker/").status_code == 302
    assert Draft.objects.filter(pk=draft.pk).exists()


def test_it_refreshes_activity_from_the_keepalive_address(kari_client, monkeypatch):
    later(monkeypatch, 25 * MINUTE)
    assert kari_client.get("/logg-inn/aktiv/").status_code == 204
    later(monkeypatch, 50 * MINUTE)
    assert kari_client.get("/mine-saker/").status_code == 200


def test_it_tells_the_warning_script_when_to_warn(settings):
    from django.template import Context, Template
    from django.test import RequestFactory

    from servicetorg.identity.residents import ACTIVITY_KEY, SESSION_KEY

    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    settings.STORAGES = {**settings.STORAGES, "staticfiles": plain}  # no `make static` needed
    request = RequestFactory().get("/")
    request.session = {SESSION_KEY: {"pid": "1", "name": ""}, ACTIVITY_KEY: {"seen": clock.now()}}
    html = Template("{% load login %}{% idle_warning %}").render(Context({"request": request}))
    assert 'src="/static/identity/idle.' in html and "defer" in html
    warn_in = int(html.split('data-warn-in="')[1].split('"')[0])
    assert (
        settings.RESIDENT_IDLE_MINUTES * 60 - 125
        <= warn_in
        <= settings.RESIDENT_IDLE_MINUTES * 60 - 120
    )


def test_it_adds_no_warning_for_visitors():
    from django.template import Context, Template
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.session = {}
    assert (
        Template("{% load login %}{% idle_warning %}").render(Context({"request": request})) == ""
    )
