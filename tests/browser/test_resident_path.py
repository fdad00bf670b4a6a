"""The resident's path through a real browser: find a service, log in, fill it in, submit.

Runs against the demo installation (`load_demo`) on a live server, with static files from
WhiteNoise as in production. Locators use input names and URLs, not texts, so the same path
runs in every language.
"""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from servicetorg.identity.demo import demo_people
from servicetorg.identity.registers import LocalPersonRegister
from tests.browser.axe import axe_violations, format_violations
from tests.browser.fixtures import DESKTOP, PHONE

pytestmark = pytest.mark.browser

MUNICIPALITY = "molde"
SERVICE = "barnehageplass"
SERVICE_URL = f"/{MUNICIPALITY}/tjenester/{SERVICE}/"
CASE_NUMBER = re.compile(r"\d{4}/\d{5}")
LANGUAGE_BUTTONS = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}
HOSTILE = "<script>alert(1)</script>"
PAGE_WEIGHT_LIMIT = 50 * 1024


# Places in the main admission start in August; a day equal to the month number makes the
# date the same whether the date input's segments are day-first or month-first.
NEXT_YEAR = datetime.date.today().year + 1
START_DATE = datetime.date(NEXT_YEAR, 8, 8)

# The first demo person's youngest child comes from the register as a choice ("kun én gang").
FIRST_CHILD_RECORD = LocalPersonRegister().children_under(demo_people()[0].pid)[0]
FIRST_CHILD, FIRST_CHILD_NAME = FIRST_CHILD_RECORD.pid, FIRST_CHILD_RECORD.name

ANSWERS = {
    "child_language": "Polsk",
    "applicant_name": "Kari Nordmann",
    "applicant_fnr": "02013299997",
    "applicant_address-street": "Storgata 12",
    "applicant_address-postal_code": "6413",
    "applicant_address-place": "Molde",
    "applicant_phone": "912 34 567",
    "applicant_email": "kari.nordmann@example.no",
    "kindergarten_first": "Kviltorp barnehage",
    "kindergarten_second": "Bergmo barnehage",
    "other_information": "Emma sover godt middag.",
}
CHOICES = {
    "child": FIRST_CHILD,
    "applicant_relation": "mother",
    "other_guardian": "no",
    "place_size": "four_days",
    "accept_other": "yes",
    "special_needs": "no",
    "child_welfare": "no",
}
STEPS = [
    {"text": ["child_language"], "choices": ["child"], "consent": []},
    {
        "text": [
            "applicant_name",
            "applicant_fnr",
            "applicant_address-street",
            "applicant_address-postal_code",
            "applicant_address-place",
            "applicant_phone",
            "applicant_email",
        ],
        "choices": ["applicant_relation", "other_guardian"],
        "consent": [],
    },
    {
        "text": ["kindergarten_first", "kindergarten_second"],
        "date": "start_date",
        "choices": ["place_size", "accept_other"],
        "consent": [],
    },
    {
        "text": ["other_information"],
        "choices": ["special_needs", "child_welfare"],
        "consent": ["confirm"],
    },
]


# --- small helpers -------------------------------------------------------------------------


class A11y:
    """Run axe on each page and collect every violation; fail once, at the end of the path."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.checked: list[str] = []
        self.problems: list[str] = []

    def check(self, where: str) -> None:
        self.checked.append(where)
        violations = axe_violations(self.page)
        if violations:
            report = format_violations(violations, f"{where} ({self.page.url})")
            print(report)  # shown even if the path fails before assert_clean
            self.problems.append(report)

    def assert_clean(self) -> None:
        assert not self.problems, "\n\n".join(self.problems)


def field(page: Page, name: str):
    return page.locator(f'[name="{name}"]')


def next_button(page: Page):
    return page.locator('main .step-buttons button[name="_action"][value="next"]')


def click_and_wait(page: Page, locator) -> None:
    """Click something that loads a new page (a link, or a form that posts and redirects)."""
    with page.expect_navigation():
        locator.click()


def path_of(page: Page) -> str:
    return urlsplit(page.url).path


def step_number(page: Page) -> int:
    match = re.search(r"/steg/(\d+)/$", path_of(page))
    assert match, f"not on a step page: {page.url}"
    return int(match.group(1))


def fill_step(page: Page, index: int, answers: dict, skip: tuple[str, ...] = ()) -> None:
    step = STEPS[index]
    for name in step["text"]:
        if name not in skip:
            field(page, name).fill(answers[name])
    if step.get("date") and step["date"] not in skip:
        field(page, step["date"]).fill(START_DATE.isoformat())
    for name in step["choices"]:
        if name not in skip:
            page.locator(f'[name="{name}"][value="{CHOICES[name]}"]').check()
    for name in step["consent"]:
        if name not in skip:
            field(page, name).check()


def switch_language(page: Page, code: str) -> None:
    button = page.get_by_role("button", name=LANGUAGE_BUTTONS[code], exact=True)
    click_and_wait(page, button)
    expect(page.locator("html")).to_have_attribute("lang", code)


def open_service_from_search(page: Page, a11y: A11y | None = None) -> None:
    page.locator('main input[name="q"]').fill("barnehage")
    click_and_wait(page, page.locator('main form[role="search"] button[type="submit"]'))
    result = page.locator(f'main .service-list a[href="{SERVICE_URL}"]')
    expect(result).to_have_count(1)
    if a11y:
        a11y.check("search results")
    click_and_wait(page, result)
    assert path_of(page).endswith(SERVICE_URL)


def start_and_log_in(page: Page, a11y: A11y | None = None) -> None:
    click_and_wait(page, page.locator('main form[action$="/start/"] button[type="submit"]'))
    assert "/testid/authorize" in page.url, f"Start did not ask for login: {page.url}"
    if a11y:
        a11y.check("login")
    click_and_wait(page, page.locator('main button[name="person"]').first)
    if path_of(page).endswith(SERVICE_URL):
        # Starting is a POST; after the login the resident is back on the service page.
        click_and_wait(page, page.locator('main form[action$="/start/"] button[type="submit"]'))
    assert re.search(r"/soknad/[^/]+/steg/1/$", path_of(page)), (
        f"after login and Start the resident should be on step 1, not {page.url}"
    )


def submit_and_check_receipt(page: Page) -> str:
    click_and_wait(page, page.locator('main form[method="post"] button[type="submit"]'))
    if "/kvittering/" not in page.url:
        alerts = page.locator("main .ds-alert, main #error-summary").all_inner_texts()
        raise AssertionError(f"Submit did not lead to the receipt but to {page.url}: {alerts}")
    number = page.locator("main .ds-alert strong").inner_text().strip()
    assert CASE_NUMBER.fullmatch(number), f"case number {number!r} is not like 2026/00001"
    return number


# --- 1 and 2: the whole path, in every language, on a phone and on a desktop ---------------


@pytest.mark.parametrize("device", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_resident_applies_for_a_kindergarten_place(new_context, lang, device):
    context: BrowserContext = new_context(**device)
    page = context.new_page()
    a11y = A11y(page)
    lang_attr = page.locator("html")

    page.goto(f"/{MUNICIPALITY}/")
    switch_language(page, lang)
    a11y.check("front page")

    open_service_from_search(page, a11y)
    expect(lang_attr).to_have_attribute("lang", lang)
    a11y.check("service page")

    start_and_log_in(page, a11y)
    expect(lang_attr).to_have_attribute("lang", lang)

    # Step 1: the child.
    assert step_number(page) == 1
    a11y.check("step 1")
    fill_step(page, 0, ANSWERS)
    click_and_wait(page, next_button(page))

    # Step 2: first a wrong e-mail address; the rest of the page must be kept.
    assert step_number(page) == 2
    a11y.check("step 2")
    wrong = {**ANSWERS, "applicant_email": "kari.nordmann(at)example.no"}
    fill_step(page, 1, wrong)
    click_and_wait(page, next_button(page))
    assert step_number(page) == 2, "a wrong e-mail address must keep the resident on the step"
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator('a[href="#id_applicant_email"]')).to_have_count(1)
    expect(summary.locator("a")).to_have_count(1)
    message = page.locator('.field[data-key="applicant_email"] #id_applicant_email-error')
    expect(message).to_be_visible()
    email = field(page, "applicant_email")
    expect(email).to_have_attribute("aria-invalid", "true")
    assert "id_applicant_email-error" in (email.get_attribute("aria-describedby") or "")
    expect(email).to_have_value(wrong["applicant_email"])
    for name in STEPS[1]["text"]:
        if name != "applicant_email":
            expect(field(page, name)).to_have_value(ANSWERS[name])
    for name in STEPS[1]["choices"]:
        expect(page.locator(f'[name="{name}"][value="{CHOICES[name]}"]')).to_be_checked()
    a11y.check("step 2 with an error")
    summary.locator("a").click()
    assert page.url.endswith("#id_applicant_email")
    email.fill(ANSWERS["applicant_email"])
    click_and_wait(page, next_button(page))

    # Step 3: the place.
    assert step_number(page) == 3
    a11y.check("step 3")
    fill_step(page, 2, ANSWERS)
    click_and_wait(page, next_button(page))

    # Step 4: priority and confirmation.
    assert step_number(page) == 4
    a11y.check("step 4")
    fill_step(page, 3, ANSWERS)
    click_and_wait(page, next_button(page))

    # Review, then change the first choice of kindergarten and come back.
    assert path_of(page).endswith("/oppsummering/"), page.url
    expect(lang_attr).to_have_attribute("lang", lang)
    a11y.check("review")
    expect(page.locator("main .answers").first).to_contain_text(FIRST_CHILD_NAME)
    for name in ("applicant_email", "kindergarten_first", "other_information"):
        expect(page.get_by_text(ANSWERS[name], exact=True)).to_be_visible()
    click_and_wait(page, page.locator('main .answers a[href$="/steg/3/"]'))
    assert step_number(page) == 3
    expect(field(page, "kindergarten_first")).to_have_value(ANSWERS["kindergarten_first"])
    field(page, "kindergarten_first").fill("Glomstua barnehage")
    click_and_wait(page, next_button(page))
    assert step_number(page) == 4
    expect(field(page, "other_information")).to_have_value(ANSWERS["other_information"])
    expect(field(page, "confirm")).to_be_checked()
    click_and_wait(page, next_button(page))
    assert path_of(page).endswith("/oppsummering/"), page.url
    expect(page.get_by_text("Glomstua barnehage", exact=True)).to_be_visible()
    expect(page.get_by_text(ANSWERS["kindergarten_first"], exact=True)).to_have_count(0)

    # Submit; the receipt has a case number and a PDF.
    number = submit_and_check_receipt(page)
    expect(lang_attr).to_have_attribute("lang", lang)
    a11y.check("receipt")
    with page.expect_download() as download_info:
        page.locator('main a[href$="/pdf/"]').click()
    download = download_info.value
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-", "the receipt download is not a PDF"

    # My cases lists the case; its page shows it.
    click_and_wait(page, page.locator('header a[href="/mine-saker/"]'))
    expect(lang_attr).to_have_attribute("lang", lang)
    expect(page.locator("main")).to_contain_text(number)
    a11y.check("my cases")
    click_and_wait(page, page.locator('main .card-list a[href^="/mine-saker/"]').first)
    expect(page.locator("main")).to_contain_text(number)
    a11y.check("case page")

    a11y.assert_clean()


# --- 3: the keyboard alone ----------------------------------------------------------------


def focused_matches(page: Page, selector: str) -> bool:
    return page.evaluate(
        "s => !!document.activeElement && document.activeElement.matches(s)", selector
    )


def tab_to(page: Page, selector: str, limit: int = 60) -> None:
    """Press Tab until the focused element matches `selector`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused_matches(page, selector):
            return
    raise AssertionError(f"{selector} was not reached with {limit} presses of Tab on {page.url}")


def press_and_wait(page: Page, key: str) -> None:
    with page.expect_navigation():
        page.keyboard.press(key)


def key_text(page: Page, name: str, value: str) -> None:
    tab_to(page, f'[name="{name}"]')
    page.keyboard.type(value)


def key_choice(page: Page, name: str) -> None:
    """Tab into a radio group, pick the wanted option with Space and the arrow keys."""
    values = page.eval_on_selector_all(f'input[name="{name}"]', "els => els.map(e => e.value)")
    tab_to(page, f'[name="{name}"]')
    page.keyboard.press("Space")
    for _ in range(values.index(CHOICES[name])):
        page.keyboard.press("ArrowDown")
    expect(page.locator(f'[name="{name}"][value="{CHOICES[name]}"]')).to_be_checked()


def key_next(page: Page) -> None:
    tab_to(page, 'main .step-buttons button[name="_action"][value="next"]')
    press_and_wait(page, "Enter")


def test_keyboard_alone(new_context):
    context = new_context(**DESKTOP)
    page = context.new_page()
    page.goto(SERVICE_URL)

    # The skip link is the first stop, and it moves focus to the main content.
    page.keyboard.press("Tab")
    assert focused_matches(page, "a.ds-skip-link[href='#main']"), (
        "the first Tab stop is not the skip link"
    )
    page.keyboard.press("Enter")
    assert focused_matches(page, "main#main"), "the skip link did not move focus to <main>"

    tab_to(page, 'main form[action$="/start/"] button[type="submit"]')
    press_and_wait(page, "Enter")
    assert "/testid/authorize" in page.url
    tab_to(page, 'main button[name="person"]')
    press_and_wait(page, "Enter")
    if path_of(page).endswith(SERVICE_URL):  # back on the service page after the login
        tab_to(page, 'main form[action$="/start/"] button[type="submit"]')
        press_and_wait(page, "Enter")
    assert step_number(page) == 1

    for name in STEPS[0]["text"]:
        key_text(page, name, ANSWERS[name])
    for name in STEPS[0]["choices"]:
        key_choice(page, name)
    key_next(page)

    assert step_number(page) == 2
    for name in STEPS[1]["text"]:
        key_text(page, name, ANSWERS[name])
    for name in STEPS[1]["choices"]:
        key_choice(page, name)
    key_next(page)

    assert step_number(page) == 3
    tab_to(page, '[name="start_date"]')
    page.keyboard.type(START_DATE.strftime("%d%m%Y"))
    expect(field(page, "start_date")).to_have_value(START_DATE.isoformat())
    for name in STEPS[2]["text"]:
        key_text(page, name, ANSWERS[name])
    for name in STEPS[2]["choices"]:
        key_choice(page, name)
    key_next(page)

    assert step_number(page) == 4
    for name in STEPS[3]["choices"]:
        key_choice(page, name)
    key_text(page, "other_information", ANSWERS["other_information"])
    tab_to(page, '[name="confirm"]')
    page.keyboard.press("Space")
    expect(field(page, "confirm")).to_be_checked()
    key_next(page)

    assert path_of(page).endswith("/oppsummering/"), page.url
    tab_to(page, 'main form[method="post"] button[type="submit"]')
    press_and_wait(page, "Enter")
    assert "/kvittering/" in page.url, (
        f"Submit did not lead to the receipt but to {page.url}: "
        f"{page.locator('main .ds-alert').all_inner_texts()}"
    )
    expect(page.locator("main .ds-alert strong")).to_have_text(CASE_NUMBER)


# --- 4: without JavaScript ------------------------------------------------------------------


def test_without_javascript(new_context):
    context = new_context(java_script_enabled=False, **DESKTOP)
    page = context.new_page()
    page.goto(f"/{MUNICIPALITY}/")
    open_service_from_search(page)
    start_and_log_in(page)
    for index in range(len(STEPS)):
        assert step_number(page) == index + 1
        skip = ("applicant_email",) if index == 1 else ()
        fill_step(page, index, ANSWERS, skip=skip)
        if skip:  # the e-mail prefilled from the contact register is emptied
            field(page, "applicant_email").fill("")
        click_and_wait(page, next_button(page))
        if skip:  # the required e-mail was left out: the server says so, without scripts
            assert step_number(page) == 2
            expect(page.locator('#error-summary a[href="#id_applicant_email"]')).to_have_count(1)
            expect(field(page, "applicant_name")).to_have_value(ANSWERS["applicant_name"])
            field(page, "applicant_email").fill(ANSWERS["applicant_email"])
            click_and_wait(page, next_button(page))
    assert path_of(page).endswith("/oppsummering/"), page.url
    number = submit_and_check_receipt(page)
    click_and_wait(page, page.locator('header a[href="/mine-saker/"]'))
    expect(page.locator("main")).to_contain_text(number)

    # Log out: the app's session ends, then the provider's (RP-initiated logout), and back.
    visited: list[str] = []
    page.on("request", lambda request: visited.append(urlsplit(request.url).path))
    click_and_wait(page, page.locator('header form[action="/logg-ut/"] button'))
    assert path_of(page) == "/logg-ut/ferdig/", page.url
    assert "/testid/logout" in visited, f"the provider's logout was not visited: {visited}"
    page.goto("/mine-saker/")
    assert "/testid/authorize" in page.url, "after logging out, My cases asks for a new login"


# --- 5: page weight: every resident page --------------------------------------------


class Scale:
    """Weighs a page as a first-time visitor's phone receives it: the browser cache off, every
    response counted as transferred (compressed), the page and everything it loads."""

    def __init__(self, context: BrowserContext, page: Page) -> None:
        self.page = page
        self.urls: dict[str, str] = {}
        self.sizes: dict[str, int] = {}
        self.responses: list = []
        self.weights: dict[str, int] = {}
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.loadingFinished", self._finished)
        page.on("response", lambda response: self.responses.append(response))

    def _sent(self, event: dict) -> None:
        self.urls[event["requestId"]] = event["request"]["url"]

    def _finished(self, event: dict) -> None:
        self.sizes[event["requestId"]] = event["encodedDataLength"]

    def weigh(self, name: str) -> int:
        """Load the current page again from nothing and record what it weighed."""
        self.sizes.clear()
        self.page.goto(self.page.url, wait_until="networkidle")
        total = sum(self.sizes.values())
        self.weights[name] = total
        listing = "\n".join(
            f"  {self.sizes[r]:>7} B  {self.urls.get(r, r)}"
            for r in sorted(self.sizes, key=self.sizes.get, reverse=True)
        )
        print(f"\n{name} ({self.page.url}): {total} B = {total / 1024:.1f} KiB\n{listing}")
        return total


def test_every_resident_page_weighs_at_most_50_kb(new_context, capsys):
    context = new_context(**PHONE)
    page = context.new_page()
    scale = Scale(context, page)
    with capsys.disabled():
        page.goto("/")
        scale.weigh("front page")
        page.goto(f"/{MUNICIPALITY}/")
        scale.weigh("municipality's catalog")
        page.goto(SERVICE_URL)
        scale.weigh("service page")
        start_and_log_in(page)
        for index in range(len(STEPS)):
            scale.weigh(f"step {index + 1}")
            fill_step(page, index, ANSWERS)
            click_and_wait(page, next_button(page))
        assert path_of(page).endswith("/oppsummering/"), page.url
        scale.weigh("review")
        submit_and_check_receipt(page)
        scale.weigh("receipt")
        page.goto("/mine-saker/")
        scale.weigh("My cases")
        click_and_wait(page, page.locator("main a[href*='/mine-saker/']").first)
        scale.weigh("case in My cases")

    stylesheets = [r for r in scale.responses if "/static/" in r.url and r.url.endswith(".css")]
    assert stylesheets, "no static stylesheet was loaded"
    for response in stylesheets:
        encoding_asked = response.request.all_headers().get("accept-encoding", "")
        assert "br" in encoding_asked or "gzip" in encoding_asked, encoding_asked
        headers = response.all_headers()
        assert headers.get("content-encoding") in ("br", "gzip"), (
            f"{response.url} is not compressed: {headers}"
        )
        max_age = re.search(r"max-age=(\d+)", headers.get("cache-control", ""))
        assert max_age and int(max_age.group(1)) >= 30 * 24 * 3600, (
            f"{response.url} has no long max-age: {headers.get('cache-control')!r}"
        )
        assert re.search(r"\.[0-9a-f]{12}\.css$", urlsplit(response.url).path), (
            f"{response.url} has no content hash in its name"
        )
    heavy = {name: weight for name, weight in scale.weights.items() if weight > PAGE_WEIGHT_LIMIT}
    assert not heavy, f"over {PAGE_WEIGHT_LIMIT} B: {heavy}"
    assert len(scale.weights) == 3 + len(STEPS) + 4, scale.weights


# --- 6: a hostile answer is shown as text ---------------------------------------------------


def test_a_hostile_answer_is_shown_as_text(new_context):
    context = new_context(**DESKTOP)
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(SERVICE_URL)
    start_and_log_in(page)
    answers = {**ANSWERS, "child_language": HOSTILE}
    for index in range(len(STEPS)):
        fill_step(page, index, answers)
        click_and_wait(page, next_button(page))
    assert path_of(page).endswith("/oppsummering/"), page.url
    expect(page.get_by_text(HOSTILE, exact=True)).to_be_visible()
    assert page.locator("main script").count() == 0
    page.reload()  # and once more, from the stored draft
    expect(page.get_by_text(HOSTILE, exact=True)).to_be_visible()
    assert not dialogs, f"a dialog was opened: {dialogs}"
