"""The caseworker's pages in a real browser: axe finds nothing, the keyboard alone suffices.

Runs against the demo installation (`load_demo`) on a live server, like tests/browser. The
browser lives for this module only: Playwright's sync API allows one instance at a time, and
tests/browser starts its own for the session (this package runs first in `make test`).
"""

import pytest
from playwright.sync_api import Page, expect

from servicetorg.accounts.demo import demo_password
from servicetorg.cases.actions import send_message, write_to_caseworker
from servicetorg.cases.tests.conftest import make_case
from servicetorg.catalog.models import Service
from servicetorg.identity.demo import demo_people
from tests.browser.axe import assert_accessible
from tests.browser.fixtures import DESKTOP, PHONE

pytestmark = pytest.mark.browser


def focused_matches(page: Page, selector: str) -> bool:
    return page.evaluate(
        "s => !!document.activeElement && document.activeElement.matches(s)", selector
    )


def tab_to(page: Page, selector: str, limit: int = 120) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused_matches(page, selector):
            return
    raise AssertionError(f"{selector} not reached by Tab on {page.url}")


def press_and_wait(page: Page, key: str) -> None:
    with page.expect_navigation():
        page.keyboard.press(key)


@pytest.fixture
def demo_case(site):
    """A kindergarten application in Molde with messages both ways."""
    from django.contrib.auth import get_user_model

    service = Service.objects.get(municipality__slug="molde", slug="barnehageplass")
    kari = demo_people()[0]
    case = make_case(service, kari, answers={"other_information": "Sover godt."})
    sara = get_user_model().objects.get(username="saksbehandler.molde")
    send_message(case, "question", "Når flytter dere?", [], actor=sara, version=1)
    write_to_caseworker(case, "I august.", [], actor=kari)
    return case


def staff_login(page: Page, next_url: str) -> None:
    page.goto(f"/ansatt/logg-inn/?next={next_url}")
    page.fill('input[name="username"]', "saksbehandler.molde")
    page.fill('input[name="password"]', demo_password("molde"))
    with page.expect_navigation():
        page.press('input[name="password"]', "Enter")


@pytest.mark.parametrize("device", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_caseworker_pages_pass_axe(new_context, demo_case, device):  # noqa: F811
    page = new_context(**device).new_page()
    staff_login(page, "/molde/saksbehandling/")
    expect(page.locator("main table")).to_contain_text(demo_case.number)
    assert_accessible(page, "inbox")
    page.goto("/molde/saksbehandling/?status=all&unread=on&q=x")
    assert_accessible(page, "inbox, filtered and empty")
    page.goto(f"/molde/saksbehandling/sak/{demo_case.pk}/")
    assert_accessible(page, "case page")
    page.goto(f"/molde/saksbehandling/sak/{demo_case.pk}/?since=1")
    assert_accessible(page, "case page with a conflict")


def test_the_applicants_case_page_passes_axe(new_context, demo_case):  # noqa: F811
    page = new_context(**DESKTOP).new_page()
    kari = demo_people()[0]
    page.goto(f"/logg-inn/?next=/mine-saker/{demo_case.pk}/")
    with page.expect_navigation():
        page.locator(f'main button[name="person"][value="{kari.pid}"]').click()
    expect(page.locator("main")).to_contain_text("Når flytter dere?")
    assert_accessible(page, "my case with messages")


def test_a_caseworker_works_a_case_by_keyboard_alone(new_context, demo_case):  # noqa: F811
    page = new_context(**DESKTOP).new_page()
    staff_login(page, "/molde/saksbehandling/")
    tab_to(page, f'main a[href$="/sak/{demo_case.pk}/"]')
    press_and_wait(page, "Enter")
    assert f"/sak/{demo_case.pk}/" in page.url

    tab_to(page, 'main form[action$="/ta/"] button')
    press_and_wait(page, "Enter")
    expect(page.locator("main .ds-alert").first).to_be_visible()

    tab_to(page, 'main textarea[name="body"][id="note_body"]')
    page.keyboard.type("Ringte søker.")
    tab_to(page, 'main form[action$="/notat/"] button')
    press_and_wait(page, "Enter")
    expect(page.locator("main .note")).to_contain_text("Ringte søker.")
