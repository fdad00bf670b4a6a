"""The "try again" page in a phone's browser: in each language, accessible, and the answers kept.

The production server (gunicorn) runs on the test database behind a real fault: a proxy that
refuses PostgreSQL connections, or SQLite's write lock held by another connection.
"""

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from bench.production import Resident, resident_pids
from servicetorg.lib.tests.outage_helpers import server_behind_fault
from servicetorg.submissions.models import Draft
from tests.browser.axe import assert_accessible
from tests.browser.fixtures import PHONE

pytestmark = pytest.mark.browser

SERVICE = "gravetillatelse"
TYPED = 'Graving & Co "<AS>"'
HEADINGS = {
    "nb": "Tjenesten er ikke tilgjengelig akkurat nå",
    "nn": "Tenesta er ikkje tilgjengeleg akkurat no",
    "en": "The service is not available right now",
}


@pytest.fixture
def served(transactional_db, tmp_path):
    manifest = settings.STATIC_ROOT / "staticfiles.json"
    if not manifest.exists():
        pytest.fail(f"{manifest} is missing: run `make static` first")
    call_command("load_demo", history=False, stdout=io.StringIO())
    with server_behind_fault(tmp_path) as found:
        yield found


def test_it_keeps_the_answers_on_a_phone(chromium, served):
    server, fault = served
    resident = Resident(server.url, resident_pids(1)[0])
    resident.log_in()
    for language in ("nb", "nn", "en"):
        draft = resident.start("molde", SERVICE)
        context = chromium.new_context(base_url=server.url, bypass_csp=True, **PHONE)
        try:
            try_again_in(context, server, fault, resident, draft, language)
        finally:
            context.close()


def try_again_in(context, server, fault, resident: Resident, draft: str, language: str) -> None:
    """Type an answer, meet the outage, read the page, try again once the database is back."""
    cookies = [
        {"name": c.name, "value": c.value, "url": server.url} for c in resident.session.cookies
    ]
    cookies.append({"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": server.url})
    context.add_cookies(cookies)
    page = context.new_page()
    page.goto(f"/molde/soknad/{draft}/steg/1/")
    page.fill('input[name="company_name"]', TYPED)

    fault.down()
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.locator('.step-buttons button[value="next"]').click()
    assert posted.value.status == 503, server.log()
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator('input[name="company_name"]').get_attribute("value") == TYPED
    assert page.locator("script").count() == 0  # works without JavaScript
    if language == "en" or _translated():
        expect(page.locator("h1")).to_have_text(HEADINGS[language])
    assert_accessible(page, f"the unavailable page ({language})")

    fault.up()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    # Back on the step (other answers are missing), with the typed text kept.
    assert page.url.endswith(f"/molde/soknad/{draft}/steg/1/")
    expect(page.locator('input[name="company_name"]')).to_have_value(TYPED)
    assert Draft.objects.get(id=draft).answers["company_name"] == TYPED


def _translated() -> bool:
    """The Norwegian texts are checked once the catalogues are compiled with them."""
    from django.utils import translation

    with translation.override("nb"):
        return translation.gettext(HEADINGS["en"]) != HEADINGS["en"]
