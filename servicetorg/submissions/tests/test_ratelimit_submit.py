"""Rate limits on submitting and on uploads: limited residents lose nothing they typed."""

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile

from servicetorg.lib.tests.ratelimit_helpers import assert_limited, set_limits, travel
from servicetorg.submissions.models import Attachment, Draft, Submission
from servicetorg.submissions.tests.test_submit import fill_in, review_url
from servicetorg.submissions.tests.test_uploads import (  # noqa: F401 (fixtures)
    draft,
    media,
    png_bytes,
    post_file,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(kari_client, ola_client):
    for client in (kari_client, ola_client):
        client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"


def test_it_limits_submits_per_resident_and_resets(settings, kari_client, service, monkeypatch):
    set_limits(settings, "submit", person="1/h")
    first, second = fill_in(kari_client, service), fill_in(kari_client, service)
    assert kari_client.post(review_url(first)).status_code == 302
    response = kari_client.post(review_url(second))
    assert_limited(response, within=3600)
    assert "Kari Nordmann" in response.content.decode()  # the review page, answers and all
    second.refresh_from_db()
    assert second.submitted_at is None and second.answers["name"] == "Kari Nordmann"
    assert Submission.objects.count() == 1
    travel(monkeypatch, 3601)
    assert kari_client.post(review_url(second)).status_code == 302
    assert Submission.objects.count() == 2


def test_it_limits_submits_per_address(settings, kari_client, ola_client, service):
    set_limits(settings, "submit", ip="1/h")
    kari_draft, ola_draft = fill_in(kari_client, service), fill_in(ola_client, service, "Ola")
    assert kari_client.post(review_url(kari_draft)).status_code == 302
    assert_limited(ola_client.post(review_url(ola_draft)), within=3600)


def test_it_refuses_files_but_saves_the_answers(settings, kari_client, draft, monkeypatch):  # noqa: F811
    set_limits(settings, "upload", person="1/h")
    png = SimpleUploadedFile("kart.png", png_bytes(), "image/png")
    assert post_file(kari_client, draft, png).status_code == 302
    png = SimpleUploadedFile("kart2.png", png_bytes(), "image/png")
    response = post_file(kari_client, draft, png, comment="Ikke mist meg")
    assert_limited(response, within=3600)
    body = response.content.decode()
    assert "Your answers are saved, but the files were not uploaded." in body
    assert "Ikke mist meg" in body
    assert Attachment.objects.count() == 1
    assert Draft.objects.get().answers["comment"] == "Ikke mist meg"
    travel(monkeypatch, 3601)
    png = SimpleUploadedFile("kart3.png", png_bytes(), "image/png")
    assert post_file(kari_client, draft, png).status_code == 302
    assert Draft.objects.get().answers["document"][0]["name"] == "kart3.png"
