"""Helpers for the registration tests: a caseworker enters an application that came on paper."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from servicetorg.cases.models import Case
from servicetorg.cases.registration_models import StaffRegistration
from servicetorg.cases.tests.conftest import pdf_bytes
from servicetorg.identity.residents import Resident

BASE = "/molde/saksbehandling/registrer/"
STEP_1 = {
    "_shown": "name,email,has_children",
    "name": "Kari Nordmann",
    "email": "kari@example.no",
    "has_children": "no",
}
STEP_2 = {
    "_shown": "members,document,comment,confirm",
    "members-count": "0",
    "comment": "Fra papirskjema.",
    "confirm": "yes",
}


def applicant_data(resident: Resident, channel: str = "paper", **changes) -> dict:
    return {
        "channel": channel,
        "received_on": timezone.localdate().isoformat(),
        "applicant_pid": resident.pid,
        "applicant_name": resident.name,
        "language": "nb",
        **changes,
    }


def start(client: Client, resident: Resident, slug: str = "test-soknad", **changes):
    """Fill in the first page, then confirm the identity number it shows back."""
    data = applicant_data(resident, **changes)
    shown = client.post(f"{BASE}tjeneste/{slug}/", data)
    assert shown.status_code == 200, shown.content.decode()
    confirmed_pid = shown.context["confirm_pid"]
    response = client.post(f"{BASE}tjeneste/{slug}/", {**data, "confirmed_pid": confirmed_pid})
    assert response.status_code == 302, response.content.decode()
    registration = StaffRegistration.objects.latest("created_at")
    assert response["Location"] == url(registration, "steg/1/")
    return registration


def url(registration: StaffRegistration, tail: str = "") -> str:
    return f"{BASE}{registration.pk}/{tail}"


def scan_upload(name: str = "skjema.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), "application/pdf")


def fill_in(client: Client, registration: StaffRegistration, scan: bool = True) -> None:
    """Both steps of the test service, and the scan page."""
    assert client.post(url(registration, "steg/1/"), STEP_1).status_code == 302
    assert client.post(url(registration, "steg/2/"), STEP_2).status_code == 302
    data = {"_action": "next", **({"_scan": scan_upload()} if scan else {})}
    response = client.post(url(registration, "skanning/"), data)
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == url(registration, "oppsummering/")


def register(client: Client, resident: Resident, **changes) -> Case:
    """The whole registration, as the caseworker clicks through it; the case it made."""
    registration = start(client, resident, **changes)
    fill_in(client, registration)
    response = client.post(url(registration, "oppsummering/"))
    assert response.status_code == 302
    case = Case.objects.get(submission__draft_key=registration.pk)
    assert response["Location"] == f"/molde/saksbehandling/sak/{case.pk}/"
    return case
