"""Registrations are kept only while they are worked on: expired and submitted ones go."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from servicetorg.cases.registration_models import StaffRegistration
from servicetorg.cases.tests.conftest import png_bytes
from servicetorg.cases.tests.registering import STEP_1, STEP_2, register, start, url
from servicetorg.submissions.models import Attachment

pytestmark = pytest.mark.django_db


def test_it_deletes_expired_registrations_and_their_files(sara_client, service, kari, ola):
    kept = start(sara_client, ola)
    expired = start(sara_client, kari)
    sara_client.post(url(expired, "steg/1/"), STEP_1)
    upload = SimpleUploadedFile("bilde.png", png_bytes(), "image/png")
    sara_client.post(url(expired, "steg/2/"), {**STEP_2, "document": upload})
    StaffRegistration.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    out = io.StringIO()
    call_command("delete_expired_registrations", stdout=out)
    assert out.getvalue().strip() == "1 expired registrations deleted"
    assert list(StaffRegistration.objects.all()) == [kept]
    assert not Attachment.objects.exists()


def test_it_deletes_a_submitted_registration_but_keeps_the_case_files(sara_client, service, kari):
    case = register(sara_client, kari)
    call_command("delete_expired_registrations", stdout=io.StringIO())
    assert not StaffRegistration.objects.exists()
    assert Attachment.objects.get().submission_id == case.submission_id
