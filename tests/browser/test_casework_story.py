"""The whole story in a real browser, in two municipalities at once.

A resident applies, a caseworker takes the case and asks for a document, the resident answers
with an attachment, the caseworker sends a decision, and the resident reads the PDF letter.
Molde and Aukra run side by side; neither caseworker ever sees the other's case.
"""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from servicetorg.accounts.demo import demo_password
from tests.browser.axe import assert_accessible
from tests.browser.fixtures import DESKTOP
from tests.browser.test_resident_path import (
    ANSWERS,
    STEPS,
    click_and_wait,
    fill_step,
    next_button,
    submit_and_check_receipt,
)

pytestmark = pytest.mark.browser
PLACES = ["molde", "aukra"]


def scan_png() -> dict:
    """A real image, as a resident would attach a photo of a document."""
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(buffer, format="PNG")
    return {"name": "legeerklaering.png", "mimeType": "image/png", "buffer": buffer.getvalue()}


def apply(page: Page, place: str) -> str:
    """Apply for a kindergarten place in `place` through TestID; return the case number."""
    page.goto(f"/{place}/tjenester/barnehageplass/")
    click_and_wait(page, page.locator('main form[action$="/start/"] button'))
    assert "/testid/authorize" in page.url
    click_and_wait(page, page.locator('main button[name="person"]').first)
    if "/tjenester/barnehageplass/" in page.url:
        click_and_wait(page, page.locator('main form[action$="/start/"] button'))
    for index in range(len(STEPS)):
        fill_step(page, index, ANSWERS)
        click_and_wait(page, next_button(page))
    return submit_and_check_receipt(page)


def staff_login(page: Page, place: str) -> None:
    page.goto(f"/ansatt/logg-inn/?next=/{place}/saksbehandling/")
    page.fill('input[name="username"]', f"saksbehandler.{place}")
    page.fill('input[name="password"]', demo_password(place))
    click_and_wait(page, page.locator('main form button[type="submit"]').last)
    assert page.url.endswith(f"/{place}/saksbehandling/"), page.url


def open_case(page: Page, place: str, number: str) -> None:
    page.goto(f"/{place}/saksbehandling/?status=all")
    row = page.locator("main table tr", has_text=number)
    click_and_wait(page, row.locator("a").first)


def ask_for_document(page: Page) -> None:
    click_and_wait(page, page.locator('main form[action$="/ta/"] button'))
    page.select_option('select[name="kind"]', "document_request")
    page.fill('textarea[name="body"]:not(#note_body)', "Send oss legeerklæringen.")
    click_and_wait(page, page.locator('main form[action$="/melding/"] button'))
    expect(page.locator("main")).to_contain_text("Send oss legeerklæringen.")


def open_my_case(page: Page, place: str, number: str) -> None:
    """Case numbers run per municipality: find the card by number and municipality."""
    page.goto("/mine-saker/")
    card = page.locator("main .card-list li", has_text=number).filter(has_text=place.capitalize())
    click_and_wait(page, card.locator("a").first)


def answer_with_attachment(page: Page, place: str, number: str) -> None:
    open_my_case(page, place, number)
    expect(page.locator("main")).to_contain_text("Send oss legeerklæringen.")
    page.fill('form[action$="/melding/"] textarea[name="body"]', "Her er legeerklæringen.")
    page.set_input_files('form[action$="/melding/"] input[type="file"]', scan_png())
    click_and_wait(page, page.locator('main form[action$="/melding/"] button[type="submit"]'))
    expect(page.locator("main .thread")).to_contain_text("Her er legeerklæringen.")
    expect(page.locator("main .thread")).to_contain_text("legeerklaering.png")


def send_decision(page: Page) -> None:
    page.reload()
    expect(page.locator("main")).to_contain_text("legeerklaering.png")
    click_and_wait(page, page.locator('main a[href$="/vedtak/"]').first)
    page.check('input[name="outcome"][value="approve"]')
    click_and_wait(page, page.locator('main form[method="get"] button[type="submit"]'))
    assert_accessible(page, "write the decision")
    click_and_wait(
        page, page.locator('main form[action$="/vedtak/send/"] button:not([formaction])')
    )
    expect(page.locator("main")).to_contain_text(re.compile("vedtak|decision", re.I))


def read_letter(page: Page, place: str, number: str) -> None:
    open_my_case(page, place, number)
    assert_accessible(page, "my case with a decision")
    with page.expect_download() as download:
        page.locator('main a[href*="/vedtak/"]').first.click()
    with open(download.value.path(), "rb") as letter:
        assert letter.read(5) == b"%PDF-"


def test_a_case_from_application_to_decision_in_two_municipalities(new_context):
    residents = {place: new_context(**DESKTOP).new_page() for place in PLACES}
    staff = {place: new_context(**DESKTOP).new_page() for place in PLACES}
    numbers = {place: apply(residents[place], place) for place in PLACES}

    for place in PLACES:
        staff_login(staff[place], place)
        inbox = staff[place].locator("main")
        expect(inbox).to_contain_text(numbers[place])
        other = next(p for p in PLACES if p != place)
        if numbers[other] != numbers[place]:
            expect(inbox).not_to_contain_text(numbers[other])
        assert staff[place].request.get(f"/{other}/saksbehandling/").status == 404
        open_case(staff[place], place, numbers[place])
        ask_for_document(staff[place])

    for place in PLACES:
        answer_with_attachment(residents[place], place, numbers[place])
    for place in PLACES:
        send_decision(staff[place])
    for place in PLACES:
        read_letter(residents[place], place, numbers[place])
