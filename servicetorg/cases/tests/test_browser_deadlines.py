"""Interim replies and registration in a real browser: axe finds nothing, keyboard and no-JS work.

Runs against the demo installation on a live server, like test_browser.py.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from servicetorg.cases.models import Case
from servicetorg.cases.registration_models import StaffRegistration
from servicetorg.cases.tests.conftest import make_case, pdf_bytes
from servicetorg.cases.tests.test_browser import press_and_wait, staff_login, tab_to
from servicetorg.catalog.models import Service
from servicetorg.identity.demo import demo_people
from tests.browser.axe import axe_violations, format_violations
from tests.browser.fixtures import DESKTOP, PHONE

pytestmark = pytest.mark.browser


class A11y:
    """Run axe on each page; fail once, naming every page with a violation."""

    def __init__(self, page: Page) -> None:
        self.page, self.problems = page, []

    def check(self, where: str) -> None:
        violations = axe_violations(self.page)
        if violations:
            self.problems.append(format_violations(violations, f"{where} ({self.page.url})"))

    def assert_clean(self) -> None:
        assert not self.problems, "\n\n".join(self.problems)


@pytest.fixture
def late_case(site):
    """A kindergarten application in Molde received 40 days ago: overdue, interim reply needed."""
    service = Service.objects.get(municipality__slug="molde", slug="barnehageplass")
    at = timezone.now() - timedelta(days=40)
    yesterday = timezone.localdate() - timedelta(days=1)
    answers = {"other_information": "Sover godt."}
    return make_case(service, demo_people()[0], answers=answers, received_at=at, due_date=yesterday)


def click_and_wait(page: Page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def registration_url(registration: StaffRegistration, tail: str) -> str:
    return f"/molde/saksbehandling/registrer/{registration.pk}/{tail}"


@pytest.mark.parametrize("device", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_new_pages_pass_axe(new_context, late_case, device, tmp_path):
    page = new_context(language="en", **device).new_page()
    a11y = A11y(page)
    staff_login(page, "/molde/saksbehandling/")
    expect(page.locator("main table tr.overdue")).to_contain_text("Interim reply needed")
    a11y.check("inbox with an overdue case needing an interim reply")
    page.goto("/molde/saksbehandling/?interim=on&channel=paper&status=all")
    a11y.check("inbox filtered by interim reply and channel")
    page.goto(f"/molde/saksbehandling/sak/{late_case.pk}/")
    a11y.check("case page with the interim reply flag")

    page.goto(f"/molde/saksbehandling/sak/{late_case.pk}/forelopig-svar/")
    a11y.check("interim reply")
    page.locator('input[name="expected_by"]').fill(timezone.localdate().isoformat())
    click_and_wait(page, page.locator('button[value="send"]'))
    expect(page.locator("#error-summary")).to_be_visible()
    a11y.check("interim reply with an error")

    page.goto("/molde/saksbehandling/registrer/")
    a11y.check("registration: choose the service")
    click_and_wait(page, page.locator('main a[href$="/tjeneste/barnehageplass/"]'))
    page.locator('input[name="applicant_pid"]').fill("123")
    click_and_wait(page, page.locator("main form button[type=submit]"))
    expect(page.locator("#error-summary")).to_be_visible()
    a11y.check("registration: the applicant, with an error")
    kari = demo_people()[0]
    page.locator('input[name="applicant_pid"]').fill(kari.pid)
    page.locator('input[name="applicant_name"]').fill(kari.name)
    click_and_wait(page, page.locator("main form button[type=submit]"))
    expect(page.locator("main #confirm-pid")).to_be_visible()
    a11y.check("registration: confirm the identity number")
    click_and_wait(page, page.locator("main form button[type=submit]"))
    assert page.url.endswith("/steg/1/"), page.url
    a11y.check("registration: step 1")
    click_and_wait(page, page.locator('main .step-buttons button[value="next"]'))
    a11y.check("registration: step 1 with errors")

    registration = StaffRegistration.objects.get()
    StaffRegistration.objects.filter(pk=registration.pk).update(step=registration.scan_step)
    page.goto(registration_url(registration, "skanning/"))
    a11y.check("registration: the scan")
    click_and_wait(page, page.locator('main .step-buttons button[value="next"]'))
    expect(page.locator("#error-summary")).to_contain_text("Attach the scan")
    a11y.check("registration: the scan, missing")
    scan = tmp_path / "skjema.pdf"
    scan.write_bytes(pdf_bytes())
    page.locator('input[name="_scan"]').set_input_files(str(scan))
    click_and_wait(page, page.locator('main .step-buttons button[value="next"]'))
    assert page.url.endswith("/oppsummering/"), page.url
    a11y.check("registration: review")
    a11y.assert_clean()


def test_a_caseworker_sends_an_interim_reply_by_keyboard_alone(new_context, late_case):
    page = new_context(language="en", **DESKTOP).new_page()
    staff_login(page, f"/molde/saksbehandling/sak/{late_case.pk}/")
    tab_to(page, 'main a[href$="/forelopig-svar/"]')
    press_and_wait(page, "Enter")
    tab_to(page, 'main textarea[name="reason"]')
    page.keyboard.press("Control+A")
    page.keyboard.type("Vi venter på en uttalelse.")
    tab_to(page, 'main button[value="preview"]')
    press_and_wait(page, "Enter")
    expect(page.locator("main .preview")).to_contain_text("Vi venter på en uttalelse.")
    tab_to(page, 'main button[value="send"]')
    press_and_wait(page, "Enter")
    assert page.url.endswith(f"/sak/{late_case.pk}/"), page.url
    expect(page.locator("main .ds-alert").first).to_be_visible()
    assert "Vi venter på en uttalelse." in Case.objects.get(pk=late_case.pk).messages.get().body


def test_a_caseworker_starts_a_registration_by_keyboard_alone(new_context, site):
    page = new_context(language="en", **DESKTOP).new_page()
    staff_login(page, "/molde/saksbehandling/")
    tab_to(page, 'main a[href$="/saksbehandling/registrer/"]')
    press_and_wait(page, "Enter")
    tab_to(page, 'main a[href$="/tjeneste/melding-om-feil/"]')
    press_and_wait(page, "Enter")
    tab_to(page, 'main input[name="channel"][value="paper"]')
    page.keyboard.press("ArrowDown")  # the radio group moves with the arrow keys: e-mail
    page.keyboard.press("ArrowDown")  # phone
    expect(page.locator('input[name="channel"][value="phone"]')).to_be_checked()
    kari = demo_people()[0]
    tab_to(page, 'main input[name="applicant_pid"]')
    page.keyboard.type(kari.pid)
    tab_to(page, 'main input[name="applicant_name"]')
    page.keyboard.type(kari.name)
    tab_to(page, "main form button[type=submit]")
    press_and_wait(page, "Enter")
    expect(page.locator("main #confirm-pid")).to_contain_text(kari.pid[6:])
    tab_to(page, "main form button[type=submit]")  # confirm the number shown back
    press_and_wait(page, "Enter")
    assert re.search(r"/registrer/[0-9a-f-]+/steg/1/$", page.url), page.url
    assert StaffRegistration.objects.get().channel == "phone"


def test_a_phone_application_is_registered_without_javascript(new_context, site):
    page = new_context(language="en", java_script_enabled=False, **DESKTOP).new_page()
    staff_login(page, "/molde/saksbehandling/registrer/")
    click_and_wait(page, page.locator('main a[href$="/tjeneste/melding-om-feil/"]'))
    page.locator('input[name="channel"][value="phone"]').check()
    kari = demo_people()[0]
    page.locator('input[name="applicant_pid"]').fill(kari.pid)
    page.locator('input[name="applicant_name"]').fill(kari.name)
    click_and_wait(page, page.locator("main form button[type=submit]"))
    click_and_wait(page, page.locator("main form button[type=submit]"))  # confirm the number

    next_button = page.locator('main .step-buttons button[value="next"]')
    page.locator('input[name="problem_type"][value="other"]').check()
    page.locator('textarea[name="description"]').fill("Kummelokket er borte.")
    click_and_wait(page, next_button)
    page.locator('input[name="location"]').fill("Storgata 1")
    click_and_wait(page, next_button)
    page.locator('input[name="wants_feedback"][value="no"]').check()
    page.locator('input[name="confirm"]').check()
    click_and_wait(page, next_button)
    assert page.url.endswith("/skanning/"), page.url
    click_and_wait(page, next_button)  # a phone call has no scan
    assert page.url.endswith("/oppsummering/"), page.url
    expect(page.locator("main")).to_contain_text("Kummelokket er borte.")
    click_and_wait(page, page.locator("main form.submit-once button"))

    case = Case.objects.get()
    assert page.url.endswith(f"/saksbehandling/sak/{case.pk}/"), page.url
    expect(page.locator("main")).to_contain_text("Registered by staff from an application by phone")
    assert (case.submission.channel, case.applicant_pid) == ("phone", kari.pid)
