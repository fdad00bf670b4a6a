"""The caseworkers' cast, cases to work on, and a real SMTP server.

- sara: caseworker in Molde for Oppvekst, the test service's department
- tor: caseworker in Molde for Teknisk only, who must never see an Oppvekst case
- liv: leader in Molde, who sees every department
- tone: service owner in Molde, a role without access to cases
- aud: caseworker in Aukra, who must never see a Molde case
- case: Kari's application in Molde, with a PDF attachment
- aukra_case: Ola's application in Aukra
"""

import io
import socket
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import weasyprint
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from servicetorg.accounts.constants import Role
from servicetorg.accounts.tests.cast import staff, staff_client  # noqa: F401 (used by tests)
from servicetorg.cases.actions import open_case
from servicetorg.cases.models import Case
from servicetorg.identity.residents import Resident
from servicetorg.submissions.constants import ScanStatus
from servicetorg.submissions.models import Attachment, Submission

ANSWERS = {
    "name": "Kari Nordmann",
    "email": "kari@example.no",
    "has_children": True,
    "children": 2,
    "members": [{"member_name": "Per"}],
    "comment": "Vi flytter i august.",
    "confirm": True,
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    """Store files in a fresh directory, so tests never touch the real one."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "files"},
        },
    }
    return tmp_path / "files"


@pytest.fixture(autouse=True)
def no_send_on_commit(settings):
    """Mail is sent only where a test asks for it (see `smtp`)."""
    settings.NOTIFY_ON_COMMIT = False


@pytest.fixture
def sara(molde):
    return staff(molde, "sara", Role.CASEWORKER, ["Oppvekst"])


@pytest.fixture
def tor(molde):
    return staff(molde, "tor", Role.CASEWORKER, ["Teknisk"])


@pytest.fixture
def liv(molde):
    return staff(molde, "liv", Role.LEADER)


@pytest.fixture
def tone(molde):
    return staff(molde, "tone", Role.SERVICE_OWNER)


@pytest.fixture
def aud(aukra):
    return staff(aukra, "aud", Role.CASEWORKER)


@pytest.fixture
def sara_client(sara) -> Client:
    return staff_client(sara)


@pytest.fixture
def tor_client(tor) -> Client:
    return staff_client(tor)


@pytest.fixture
def liv_client(liv) -> Client:
    return staff_client(liv)


@pytest.fixture
def tone_client(tone) -> Client:
    return staff_client(tone)


@pytest.fixture
def aud_client(aud) -> Client:
    return staff_client(aud)


@pytest.fixture(autouse=True)
def english_residents(request):
    for name in ("kari_client", "ola_client"):
        if name in request.fixturenames:
            request.getfixturevalue(name).cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"


def png_bytes(size: tuple[int, int] = (20, 10)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, "PNG")
    return out.getvalue()


def pdf_bytes() -> bytes:
    return weasyprint.HTML(string="<p>x</p>").write_pdf()


def make_case(service, resident: Resident, answers: dict | None = None, files=(), **fields) -> Case:
    """A submitted application and its case, as the resident's submit leaves them."""
    version = service.published_version
    submission = Submission.objects.create(
        municipality=service.municipality,
        service=service,
        service_version=version,
        applicant_pid=resident.pid,
        applicant_name=resident.name,
        answers=dict(answers if answers is not None else ANSWERS),
    )
    stored = []
    for name, content, mime in files:
        attachment = Attachment(
            submission=submission,
            owner_pid=resident.pid,
            field_key="document",
            name=name,
            content_type=mime,
            size=len(content),
            sha256="0" * 64,
            scan_status=ScanStatus.CLEAN,  # as the virus scanner leaves it
        )
        attachment.file.save(attachment.id.hex, ContentFile(content), save=False)
        attachment.save()
        stored.append(attachment.as_answer())
    if stored:
        submission.answers["document"] = stored
        submission.save(update_fields=["answers"])
    case = open_case(submission, actor=resident)
    if fields:
        Case.objects.filter(pk=case.pk).update(**fields)
        case.refresh_from_db()
    return case


@pytest.fixture
def case(service, kari) -> Case:
    return make_case(service, kari, files=[("vedtak.pdf", pdf_bytes(), "application/pdf")])


@pytest.fixture
def aukra_case(aukra_service, ola) -> Case:
    return make_case(aukra_service, ola)


def case_url(case: Case, tail: str = "") -> str:
    return f"/{case.municipality.slug}/saksbehandling/sak/{case.pk}/{tail}"


def today():
    return timezone.localdate()


# A real SMTP server on this machine


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Inbox:
    """What the SMTP server received."""

    messages: list = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(envelope)
        return "250 Message accepted"


@dataclass
class Mailserver:
    port: int
    inbox: Inbox = field(default_factory=Inbox)
    controller: Controller | None = None

    def start(self) -> "Mailserver":
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def mailserver(settings):
    """Django's SMTP e-mail pointed at a port of this machine; the server is not started yet."""
    server = Mailserver(port=free_port())
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    settings.NOTIFY_ON_COMMIT = True
    yield server
    server.stop()


@pytest.fixture
def smtp(mailserver) -> Inbox:
    """A running SMTP server; returns what it received."""
    return mailserver.start().inbox
