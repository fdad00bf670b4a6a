"""Scanning stored files: after commit against a stand-in clamd, retried, never in the way."""

import io
import logging
from datetime import timedelta
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from servicetorg.cases import actions
from servicetorg.cases.constants import EventKind
from servicetorg.cases.models import CaseEvent, MessageAttachment
from servicetorg.cases.tests.conftest import make_case
from servicetorg.submissions import scanning
from servicetorg.submissions.actions import add_attachment, start_draft
from servicetorg.submissions.constants import ScanStatus
from servicetorg.submissions.models import Attachment
from servicetorg.submissions.scanners import EICAR
from servicetorg.submissions.tests.clamd_standin import free_port, running_clamd
from servicetorg.submissions.uploads import CheckedFile

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"
INFECTED_PDF = b"%PDF-1.7\n" + EICAR + b"\n%%EOF\n"


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


@pytest.fixture
def clamd(settings):
    """A stand-in clamd the settings point at, taking at most 100 000 bytes per file."""
    with running_clamd(max_length=100_000) as server:
        settings.ATTACHMENT_SCANNER = "clamd"
        settings.CLAMD_HOST, settings.CLAMD_PORT = "127.0.0.1", server.port
        settings.CLAMD_CONNECT_TIMEOUT, settings.CLAMD_TIMEOUT = 2, 5
        yield server


@pytest.fixture
def clamd_down(settings):
    settings.ATTACHMENT_SCANNER = "clamd"
    settings.CLAMD_HOST, settings.CLAMD_PORT = "127.0.0.1", free_port()
    settings.CLAMD_CONNECT_TIMEOUT = 1


def upload(service, resident, content: bytes, name: str = "skjema.pdf") -> Attachment:
    draft = start_draft(service, actor=resident)
    checked = CheckedFile(name, "application/pdf", content)
    return add_attachment(draft, "document", checked, actor=resident)


def test_it_scans_after_commit_and_marks_a_clean_file(
    clamd, service, kari, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        attachment = upload(service, kari, PDF)
        assert Attachment.objects.get(pk=attachment.pk).scan_status == ScanStatus.PENDING
    attachment.refresh_from_db()
    assert attachment.scan_status == ScanStatus.CLEAN
    assert attachment.scanned_at is not None
    assert attachment.may_be_served
    assert clamd.received.streams == [PDF]


def test_it_holds_back_an_infected_message_file_and_notes_it_on_the_case(
    clamd, service, kari, django_capture_on_commit_callbacks, caplog
):
    case = make_case(service, kari)
    letter = CheckedFile("svar.pdf", "application/pdf", INFECTED_PDF)
    with caplog.at_level(logging.WARNING, "servicetorg.scanning"):
        with django_capture_on_commit_callbacks(execute=True):
            actions.write_to_caseworker(case, "Her er svaret.", [letter], actor=kari)
    found = MessageAttachment.objects.get(message__case=case)
    assert (found.scan_status, found.scan_result) == (ScanStatus.INFECTED, "Eicar-Signature")
    assert not found.may_be_served
    assert found.file.storage.exists(found.file.name)  # quarantined in place, not lost
    event = CaseEvent.objects.get(case=case, kind=EventKind.ATTACHMENT_INFECTED)
    assert event.data == {"attachment": str(found.pk), "signature": "Eicar-Signature"}
    assert "virus found kind=message" in caplog.text


def test_a_scanner_that_is_down_leaves_the_upload_pending_until_a_retry(
    clamd_down, settings, service, kari, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        attachment = upload(service, kari, PDF)
    attachment.refresh_from_db()
    assert attachment.scan_status == ScanStatus.PENDING
    assert attachment.scan_attempts == 1
    assert attachment.scan_next_at > timezone.now()
    assert attachment.scan_result == "ConnectionRefusedError"
    assert attachment.file.storage.exists(attachment.file.name)
    # The daemon is back: the worker's next round finds the file due and scans it.
    with running_clamd() as server:
        settings.CLAMD_PORT = server.port
        Attachment.objects.filter(pk=attachment.pk).update(scan_next_at=timezone.now())
        call_command("scan_attachments", stdout=io.StringIO())
    attachment.refresh_from_db()
    assert (attachment.scan_status, attachment.scan_attempts) == (ScanStatus.CLEAN, 2)


def test_it_backs_off_and_gives_up_after_the_last_attempt(clamd_down, settings, service, kari):
    settings.SCAN_ON_COMMIT = False
    settings.SCAN_MAX_ATTEMPTS = 3
    attachment = upload(service, kari, PDF)
    now = timezone.now()
    assert scanning.scan_due_files(now) == {"retry": 1}
    attachment.refresh_from_db()
    assert attachment.scan_next_at == now + timedelta(seconds=settings.SCAN_RETRY_SECONDS)
    assert scanning.scan_due_files(now) == {}  # not due again yet
    later = now + timedelta(hours=1)
    assert scanning.scan_due_files(later) == {"retry": 1}
    assert scanning.scan_due_files(later + timedelta(hours=1)) == {"failed": 1}
    attachment.refresh_from_db()
    assert attachment.scan_status == ScanStatus.FAILED
    assert not attachment.may_be_served


def test_a_file_past_the_size_limit_fails_at_once(
    clamd, service, kari, django_capture_on_commit_callbacks
):
    big = b"%PDF-1.7\n" + b"x" * 150_000 + b"\n%%EOF\n"
    with django_capture_on_commit_callbacks(execute=True):
        attachment = upload(service, kari, big)
    attachment.refresh_from_db()
    assert attachment.scan_status == ScanStatus.FAILED
    assert "size limit exceeded" in attachment.scan_result
    assert scanning.scan_due_files(timezone.now() + timedelta(days=1)) == {}


def test_failed_files_can_be_queued_again(clamd, settings, service, kari):
    settings.SCAN_ON_COMMIT = False
    attachment = upload(service, kari, PDF)
    Attachment.objects.filter(pk=attachment.pk).update(scan_status=ScanStatus.FAILED)
    call_command("scan_attachments", "--again", "failed", stdout=io.StringIO())
    attachment.refresh_from_db()
    assert attachment.scan_status == ScanStatus.CLEAN


def test_the_demo_scanner_decides_at_once(settings, service, kari):
    settings.ATTACHMENT_SCANNER = "demo"
    plain, infected = upload(service, kari, PDF), upload(service, kari, INFECTED_PDF)
    assert (plain.scan_status, plain.may_be_served) == (ScanStatus.UNSCANNED, True)
    assert Attachment.objects.get(pk=plain.pk).scan_status == ScanStatus.UNSCANNED
    assert Attachment.objects.get(pk=infected.pk).scan_status == ScanStatus.INFECTED


class BrokenScanner:
    local = False

    def scan(self, stream):
        raise RuntimeError("a bug")


def test_an_unexpected_error_never_reaches_the_upload(
    clamd, monkeypatch, service, kari, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(scanning, "configured_scanner", BrokenScanner)
    with django_capture_on_commit_callbacks(execute=True):
        attachment = upload(service, kari, PDF)
    assert Attachment.objects.get(pk=attachment.pk).scan_status == ScanStatus.PENDING


@pytest.mark.parametrize(
    ("scanner", "status"), [("demo", ScanStatus.UNSCANNED), ("clamd", ScanStatus.PENDING)]
)
def test_the_migration_decides_for_files_stored_before(settings, service, kari, scanner, status):
    settings.ATTACHMENT_SCANNER, settings.SCAN_ON_COMMIT = "clamd", False
    attachment = upload(service, kari, PDF)  # pending, as the new column leaves it
    settings.ATTACHMENT_SCANNER = scanner
    migration = import_module("servicetorg.submissions.migrations.0003_attachment_scan")
    migration.decide_existing(apps, None)
    assert Attachment.objects.get(pk=attachment.pk).scan_status == status
