"""Starting a registration: the service, how and when the application came, and from whom."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import small_definition
from servicetorg.cases import registration_actions
from servicetorg.cases.registration_models import StaffRegistration
from servicetorg.cases.tests.registering import BASE, applicant_data, start
from servicetorg.catalog.actions import publish_service
from servicetorg.identity.models import LookupPurpose, RegisterLookup

pytestmark = pytest.mark.django_db
APPLICANT = f"{BASE}tjeneste/test-soknad/"


@pytest.fixture
def teknisk_service(molde):
    definition = small_definition("grave")
    definition["department"] = "Teknisk"
    return publish_service(molde, definition).service


def test_it_lists_the_services_of_the_caseworkers_departments(
    sara_client, service, teknisk_service
):
    body = sara_client.get(BASE).content.decode()
    assert f'href="{APPLICANT}"' in body
    assert "/tjeneste/grave/" not in body


def test_the_inbox_links_to_it_for_caseworkers_only(sara_client, liv_client, service):
    link = 'href="/molde/saksbehandling/registrer/"'
    assert link in sara_client.get("/molde/saksbehandling/").content.decode()
    assert link not in liv_client.get("/molde/saksbehandling/").content.decode()


def test_it_starts_a_registration_for_the_applicant(sara, sara_client, service, kari):
    registration = start(sara_client, kari, channel="email")
    assert (registration.staff, registration.service, registration.channel) == (
        sara,
        service,
        "email",
    )
    assert (registration.applicant_pid, registration.applicant_name) == (kari.pid, kari.name)
    assert registration.service_version == service.published_version
    assert registration.received_on == timezone.localdate()


def test_it_accepts_an_identity_number_with_spaces(sara_client, service, kari):
    spaced = f"{kari.pid[:6]} {kari.pid[6:]}"
    registration = start(sara_client, kari, applicant_pid=spaced)
    assert registration.applicant_pid == kari.pid


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("1234567890", "A national identity number has 11 digits."),
        ("12345678901", "Check the number: it is not a valid national identity number."),
        ("", "This field is required."),
    ],
)
def test_it_refuses_an_invalid_identity_number(sara_client, service, kari, number, message):
    response = sara_client.post(APPLICANT, applicant_data(kari, applicant_pid=number))
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert 'href="#register_applicant_pid"' in body  # the error summary points at the field
    assert 'aria-invalid="true"' in body
    assert not StaffRegistration.objects.exists()


def test_it_looks_up_the_applicant_only_once_the_number_is_confirmed(
    sara, sara_client, service, kari, ola, monkeypatch
):
    asked = []
    real = registration_actions.fetch_prefill
    monkeypatch.setattr(
        registration_actions, "fetch_prefill", lambda d, pid: asked.append(pid) or real(d, pid)
    )
    shown = sara_client.post(APPLICANT, applicant_data(kari))
    body = shown.content.decode()
    assert "Check the identity number" in body
    assert f"{kari.pid[:6]} {kari.pid[6:]}" in body
    assert f'name="confirmed_pid" value="{kari.pid}"' in body
    assert (asked, RegisterLookup.objects.count(), StaffRegistration.objects.count()) == ([], 0, 0)

    # The number changed after it was shown: the new one is shown back, nobody is looked up.
    changed = applicant_data(kari, applicant_pid=ola.pid, confirmed_pid=kari.pid)
    assert f'value="{ola.pid}"' in sara_client.post(APPLICANT, changed).content.decode()
    assert (asked, RegisterLookup.objects.count()) == ([], 0)

    confirmed = applicant_data(kari, confirmed_pid=kari.pid)
    assert sara_client.post(APPLICANT, confirmed).status_code == 302
    assert asked == [kari.pid]
    lookup = RegisterLookup.objects.get()
    assert (lookup.user, lookup.actor_name, lookup.pid, lookup.purpose) == (
        sara,
        "Sara Testesen",
        kari.pid,
        LookupPurpose.REGISTRATION,
    )
    assert lookup.municipality == service.municipality


def test_it_looks_up_nobody_for_a_number_with_wrong_check_digits(sara_client, service, kari):
    wrong = kari.pid[:9] + str((int(kari.pid[9]) + 1) % 10) + kari.pid[10]
    data = applicant_data(kari, applicant_pid=wrong, confirmed_pid=wrong)
    response = sara_client.post(APPLICANT, data)
    assert "not a valid national identity number" in response.content.decode()
    assert not RegisterLookup.objects.exists()
    assert not StaffRegistration.objects.exists()


def test_it_refuses_a_test_number_where_they_are_not_allowed(settings, sara_client, service, kari):
    settings.ALLOW_SYNTHETIC_IDS = False
    response = sara_client.post(APPLICANT, applicant_data(kari))
    assert "Test identity numbers are not accepted here." in response.content.decode()
    assert not StaffRegistration.objects.exists()


def test_it_refuses_a_date_received_in_the_future(sara_client, service, kari):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = sara_client.post(APPLICANT, applicant_data(kari, received_on=tomorrow))
    assert "The date cannot be later than today." in response.content.decode()
    assert not StaffRegistration.objects.exists()


def test_it_refuses_the_digital_channel(sara_client, service, kari):
    response = sara_client.post(APPLICANT, applicant_data(kari, channel="digital"))
    assert response.status_code == 200
    assert not StaffRegistration.objects.exists()


def test_it_lists_the_caseworkers_unfinished_registrations(sara_client, service, kari):
    registration = start(sara_client, kari)
    body = sara_client.get(BASE).content.decode()
    assert kari.name in body
    assert f"{BASE}{registration.pk}/steg/1/" in body


def test_it_refuses_the_wrong_role(tone_client, liv_client, service, kari):
    for client in (tone_client, liv_client):
        assert client.get(BASE).status_code == 404
        assert (
            client.post(APPLICANT, applicant_data(kari, confirmed_pid=kari.pid)).status_code == 404
        )
    assert not StaffRegistration.objects.exists()


def test_it_refuses_another_municipalitys_service(sara_client, aukra, kari):
    definition = small_definition("bare-i-aukra")
    publish_service(aukra, definition)
    url = f"{BASE}tjeneste/bare-i-aukra/"
    assert sara_client.get(url).status_code == 404
    assert sara_client.post(url, applicant_data(kari, confirmed_pid=kari.pid)).status_code == 404
    assert not StaffRegistration.objects.exists()


def test_it_refuses_another_departments_service(sara_client, teknisk_service, kari):
    url = f"{BASE}tjeneste/grave/"
    assert sara_client.post(url, applicant_data(kari, confirmed_pid=kari.pid)).status_code == 404
    assert not StaffRegistration.objects.exists()


def test_it_refuses_another_municipalitys_caseworker(aud_client, service, kari):
    assert aud_client.get(BASE).status_code == 404
    assert aud_client.post(APPLICANT, applicant_data(kari)).status_code == 404
    assert not StaffRegistration.objects.exists()


def test_it_fills_in_what_the_registers_know_of_the_applicant(sara_client, molde, kari):
    from servicetorg.identity.registers import LocalContactRegister, LocalPersonRegister
    from servicetorg.submissions.tests.test_prefill import prefill_definition

    publish_service(molde, prefill_definition())
    registration = start(sara_client, kari, slug="prefill-test")
    assert registration.answers["name"] == LocalPersonRegister().person(kari.pid).name
    assert registration.answers["email"] == LocalContactRegister().contact(kari.pid).email
    body = sara_client.get(f"{BASE}{registration.pk}/steg/1/").content.decode()
    assert "Fetched from the National Population Register" in body
