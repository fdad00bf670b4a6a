"""Deleting stored uploads that no row refers to, as a crash mid-upload leaves them."""

from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.db import DatabaseError
from django.utils import timezone

from servicetorg.submissions.actions import add_attachment, delete_orphan_files, start_draft
from servicetorg.submissions.models import Attachment
from servicetorg.submissions.tests.test_expire import media, png  # noqa: F401

pytestmark = pytest.mark.django_db
LATER = timezone.now() + timedelta(hours=2)


def crashed_upload(draft, resident) -> Path:
    """Store a file, then fail before its row is written (as a killed server does)."""
    with mock.patch.object(Attachment, "save", side_effect=DatabaseError("gone")):
        with pytest.raises(DatabaseError):
            add_attachment(draft, "document", png(), actor=resident)
    [path] = [p for p in media_files() if p.is_file()]
    return path


def media_files() -> list[Path]:
    return list(Path(Attachment.file.field.storage.location).rglob("*"))


def test_it_deletes_a_file_left_without_its_row(service, kari):
    path = crashed_upload(start_draft(service, actor=kari), kari)
    assert delete_orphan_files(now=LATER) == 1
    assert not path.exists()


def test_it_keeps_files_rows_refer_to(service, kari):
    draft = start_draft(service, actor=kari)
    attachment = add_attachment(draft, "document", png(), actor=kari)
    assert delete_orphan_files(now=LATER) == 0
    assert Path(attachment.file.path).exists()


def test_it_keeps_a_young_file_whose_upload_may_still_be_running(service, kari):
    path = crashed_upload(start_draft(service, actor=kari), kari)
    assert delete_orphan_files() == 0
    assert path.exists()
