"""Deleting expired drafts, with the files only they hold."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from servicetorg.submissions.actions import (
    add_attachment,
    delete_expired_drafts,
    start_draft,
    submit_application,
)
from servicetorg.submissions.models import Attachment, Draft, Submission
from servicetorg.submissions.uploads import CheckedFile

pytestmark = pytest.mark.django_db

COMPLETE = {
    "name": "Kari",
    "email": "kari@example.no",
    "has_children": True,
    "children": 1,
    "confirm": True,
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "files"},
        },
    }
    return tmp_path / "files"


def png() -> CheckedFile:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(out, "PNG")
    return CheckedFile(name="kart.png", content_type="image/png", content=out.getvalue())


def draft_with_file(service, resident) -> tuple[Draft, Attachment]:
    draft = start_draft(service, actor=resident)
    attachment = add_attachment(draft, "document", png(), actor=resident)
    draft.answers = {**COMPLETE, "document": [attachment.as_answer()]}
    draft.step = 1
    draft.save()
    return draft, attachment


def expire(draft: Draft) -> None:
    Draft.objects.filter(pk=draft.pk).update(expires_at=timezone.now() - timedelta(minutes=1))


def run(capture) -> int:
    with capture(execute=True):
        return delete_expired_drafts()


def test_it_deletes_an_expired_draft_and_its_file(
    service, kari, django_capture_on_commit_callbacks
):
    draft, attachment = draft_with_file(service, kari)
    path = Path(attachment.file.path)
    assert path.exists()
    expire(draft)
    assert run(django_capture_on_commit_callbacks) == 1
    assert not Draft.objects.exists()
    assert not Attachment.objects.exists()
    assert not path.exists()


def test_it_keeps_a_live_draft_and_its_file(service, kari, ola, django_capture_on_commit_callbacks):
    live, kept = draft_with_file(service, kari)
    old, gone = draft_with_file(service, ola)
    expire(old)
    assert run(django_capture_on_commit_callbacks) == 1
    assert list(Draft.objects.all()) == [live]
    assert list(Attachment.objects.all()) == [kept]
    assert Path(kept.file.path).exists()
    assert not Path(gone.file.path).exists()


def test_it_keeps_the_attachments_of_a_submitted_case(
    service, kari, django_capture_on_commit_callbacks
):
    draft, attachment = draft_with_file(service, kari)
    submission = submit_application(draft, actor=kari)
    expire(draft)
    assert run(django_capture_on_commit_callbacks) == 1
    assert not Draft.objects.exists()
    attachment.refresh_from_db()
    assert attachment.submission == submission
    assert attachment.draft is None
    assert Path(attachment.file.path).exists()
    assert Submission.objects.get().answers["document"] == [attachment.as_answer()]


def test_it_deletes_nothing_when_nothing_has_expired(
    service, kari, django_capture_on_commit_callbacks
):
    draft_with_file(service, kari)
    assert run(django_capture_on_commit_callbacks) == 0
    assert Draft.objects.count() == 1


def test_it_deletes_a_submitted_draft_before_it_expires(
    service, kari, django_capture_on_commit_callbacks
):
    draft, _attachment = draft_with_file(service, kari)
    submit_application(draft, actor=kari)
    assert run(django_capture_on_commit_callbacks) == 1
    assert not Draft.objects.exists()


def test_it_prints_the_count_from_the_command(
    service, kari, ola, django_capture_on_commit_callbacks
):
    first, _ = draft_with_file(service, kari)
    second, _ = draft_with_file(service, ola)
    expire(first)
    expire(second)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("delete_expired_drafts", stdout=out)
    assert out.getvalue() == "2 expired drafts deleted\n"
    assert not Draft.objects.exists()
