"""Decisions and appeals in a real browser: axe finds nothing, and no JavaScript is needed.

Runs against the demo installation on a live server, like test_browser.py.
"""

import pytest
from playwright.sync_api import Page, expect

from servicetorg.cases.constants import CaseStatus
from servicetorg.cases.decision_models import Decision
from servicetorg.cases.models import Case
from servicetorg.cases.tests.conftest import make_case
from servicetorg.cases.tests.decision_helpers import decide
from servicetorg.cases.tests.test_browser import staff_login
from servicetorg.catalog.models import Service
from servicetorg.identity.demo import demo_people
from tests.browser.axe import assert_accessible
from tests.browser.fixtures import DESKTOP, PHONE

pytestmark = pytest.mark.browser
ANSWERS = {"child_name": "Per Malmedal", "place_size": "full_time", "start_date": "2027-08-01"}


def barnehage_case(**fields) -> Case:
    service = Service.objects.get(municipality__slug="molde", slug="barnehageplass")
    return make_case(service, demo_people()[0], answers=ANSWERS, **fields)


def resident_login(page: Page, next_url: str) -> None:
    kari = demo_people()[0]
    page.goto(f"/logg-inn/?next={next_url}")
    with page.expect_navigation():
        page.locator(f'main button[name="person"][value="{kari.pid}"]').click()


@pytest.mark.parametrize("device", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_decision_pages_pass_axe(new_context, site, device):
    case = barnehage_case(status=CaseStatus.IN_PROGRESS)
    page = new_context(**device).new_page()
    staff_login(page, f"/molde/saksbehandling/sak/{case.pk}/vedtak/")
    expect(page.locator("main textarea[name='body']")).to_contain_text("Per Malmedal")
    assert_accessible(page, "decision page")
    decide(case, staff_user(), outcome="reject")
    page.goto(f"/molde/saksbehandling/sak/{case.pk}/")
    assert_accessible(page, "case page with a decision")
    resident = new_context(**device).new_page()
    resident_login(resident, f"/mine-saker/{case.pk}/")
    expect(resident.locator("main")).to_contain_text("Du har fått barnehageplass")
    assert_accessible(resident, "my case with a decision and the appeal form")
    resident.goto(f"/mine-saker/{case.pk}/klage/")
    assert_accessible(resident, "the appeal page")


def test_a_caseworker_sends_a_decision_without_javascript(new_context, site):
    case = barnehage_case(status=CaseStatus.IN_PROGRESS)
    page = new_context(java_script_enabled=False, **DESKTOP).new_page()
    staff_login(page, f"/molde/saksbehandling/sak/{case.pk}/")
    with page.expect_navigation():
        page.locator(f'main a[href$="/sak/{case.pk}/vedtak/"]').click()
    page.locator("#template_outcome-partial").check()
    with page.expect_navigation():
        page.locator("main form[method='get'] button").click()
    expect(page.locator("#decision_outcome")).to_have_value("partial")
    with page.expect_download() as download:
        page.locator("main button[formaction$='/forhandsvis/']").click()
    assert download.value.suggested_filename.startswith("forhandsvisning-vedtak-")
    with page.expect_navigation():
        page.locator("main form[method='post'] button:not([formaction])").click()
    assert Decision.objects.get(case=case).outcome == "partial"
    expect(page.locator("main")).to_contain_text("Per Malmedal")


def test_the_applicant_appeals_without_javascript(new_context, site):
    case = barnehage_case(status=CaseStatus.IN_PROGRESS)
    decide(case, staff_user(), outcome="reject")
    page = new_context(java_script_enabled=False, **DESKTOP).new_page()
    resident_login(page, f"/mine-saker/{case.pk}/")
    with page.expect_download() as download:
        page.locator("main a[href*='/vedtak/']").click()
    assert download.value.suggested_filename.startswith("vedtak-")
    page.locator("main textarea[name='text']").fill("Vi ønsker plass fra august.")
    with page.expect_navigation():
        page.locator("main form[action$='/klage/'] button").click()
    appeal = Case.objects.get(appeal_of=case)
    expect(page.locator("main")).to_contain_text(appeal.number)


def staff_user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="saksbehandler.molde")
