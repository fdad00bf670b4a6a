"""The service builder's whole story in a real browser, driven only through its pages.

Molde's service owner builds a three-step, twelve-field service (a choice with options, a
question shown only for one of them, a repeating group of two questions and an attachment) in
bokmål, nynorsk and English, previews it in nynorsk at phone width, and publishes it. A resident
applies with an attachment. Molde offers the service in the shared library; Aukra adopts it,
gives it its own name, department and fee, and publishes it. Molde publishes version 2 with a
new question; Aukra sees the difference and takes it over, keeping its own name.

The service owners read the builder in English (its texts are written in English first); the
resident pages are read by input names and URLs, so they hold in any language.
"""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from servicetorg.accounts.demo import demo_password
from tests.browser.axe import AXE_PATH, assert_accessible
from tests.browser.fixtures import DESKTOP, PHONE
from tests.browser.test_resident_path import click_and_wait, next_button, submit_and_check_receipt

pytestmark = pytest.mark.browser

TITLE = ("Søknad om kulturstipend", "Søknad om kulturstipend", "Application for a culture grant")
SLUG = "soknad-om-kulturstipend"
AUKRA_TITLE = "Kulturstipend i Aukra"
AUKRA_FEE_TEXT = ("Gebyr for behandling.", "Gebyr for handsaming.", "A handling fee.")
SERVICE_TEXTS = {
    "summary": (
        "Stipend til unge kunstnere.",
        "Stipend til unge kunstnarar.",
        "A grant for young artists.",
    ),
    "who_can_apply": ("Alle under 30 år.", "Alle under 30 år.", "Anyone under 30."),
    "what_you_need": ("Et budsjett.", "Eit budsjett.", "A budget."),
    "what_happens_next": (
        "Vi svarer innen fire uker.",
        "Vi svarar innan fire veker.",
        "We reply within four weeks.",
    ),
}
# Step 1 is the one every new service starts with; the others are added with their title.
STEPS = [("Om deg", "Om deg", "About you"), ("Prosjektet", "Prosjektet", "The project"),
         ("Vedlegg", "Vedlegg", "Attachments")]  # fmt: skip
CHOICE_LABEL = ("Søker du som", "Søkjer du som", "Are you applying as")
OPTIONS = [("Privatperson", "Privatperson", "A private person"),
           ("Lag eller forening", "Lag eller foreining", "A club or association")]  # fmt: skip
GROUP = ("Deltakere", "Deltakarar", "Participants")
# (step, kind of answer, labels nb/nn/en, required); the group's two questions come after it.
QUESTIONS = [
    (0, "text", ("Navn", "Namn", "Name"), True),
    (0, "email", ("E-post", "E-post", "E-mail"), True),
    (0, "phone", ("Telefon", "Telefon", "Phone"), False),
    (0, "choice", CHOICE_LABEL, True),
    (0, "text", ("Navn på laget", "Namn på laget", "Name of the club"), True),
    (1, "textarea", ("Om prosjektet", "Om prosjektet", "About the project"), True),
    (1, "amount", ("Beløp du søker om", "Beløp du søkjer om", "Amount you apply for"), True),
    (1, "group", GROUP, False),
    (2, "file", ("Budsjett", "Budsjett", "Budget"), True),
    (2, "consent", ("Jeg bekrefter at opplysningene er riktige", "Eg stadfestar at opplysningane er rette", "I confirm that the information is correct"), True),
]  # fmt: skip
GROUP_QUESTIONS = [("text", ("Navn", "Namn", "Name")), ("integer", ("Alder", "Alder", "Age"))]
CONDITIONAL = QUESTIONS[4][2]
NEW_QUESTION = (
    "Når starter prosjektet?",
    "Når startar prosjektet?",
    "When does the project start?",
)
FIELD_COUNT = len(QUESTIONS) + len(GROUP_QUESTIONS)


def budget_png() -> dict:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(buffer, format="PNG")
    return {"name": "budsjett.png", "mimeType": "image/png", "buffer": buffer.getvalue()}


# --- the service owner's pages ------------------------------------------------------------------


def owner_login(page: Page, place: str) -> None:
    page.goto(f"/ansatt/logg-inn/?next=/{place}/tjenestebygger/")
    page.fill('input[name="username"]', f"tjenesteeier.{place}")
    page.fill('input[name="password"]', demo_password(place))
    click_and_wait(page, page.locator('main form button[type="submit"]').last)
    assert page.url.endswith(f"/{place}/tjenestebygger/"), page.url


def save(page: Page) -> None:
    """Press Save on a builder form; it goes back to the overview with "Saved."."""
    click_and_wait(page, page.locator("main form.narrow-form button[type=submit]"))
    if not re.search(r"/tjenestebygger/[^/]+/(#.*)?$", page.url):
        raise AssertionError(f"not saved: {page.locator('main').inner_text()[:1500]}")


def fill_texts(page: Page, name: str, texts: tuple[str, str, str]) -> None:
    for language, text in zip(("nb", "nn", "en"), texts, strict=True):
        page.fill(f'main [name="{name}_{language}"]', text)


def step_box(page: Page, index: int):
    return page.locator("main .builder-step").nth(index)


def open_link(page: Page, name: str, within=None) -> None:
    click_and_wait(page, (within or page).get_by_role("link", name=name, exact=True))


def add_question(page: Page, step: int, kind: str, label: str, group: str = "") -> None:
    box = step_box(page, step)
    if group:
        where = f"New question in «{group}»"
        button = "Add to the group"
    else:
        where, button = "New question (bokmål)", "Add the question"
    form = box.locator("form.add-field").filter(has=page.get_by_label(where, exact=True))
    form.get_by_label(where, exact=True).fill(label)
    form.get_by_label("Kind of answer").select_option(kind)
    click_and_wait(page, form.get_by_role("button", name=button))
    # Adding a question opens its form: filling it in is the next thing to do.
    expect(page.locator("main h1")).to_contain_text(label)


def edit_question(page: Page, labels: tuple[str, str, str], required: bool, **settings) -> None:
    """On the question's form, just after adding it: write its other texts and settings, save."""
    fill_texts(page, "label", labels)
    if required:
        page.check('main [name="required"]')
    for name, value in settings.items():
        if name == "options":
            for i, option in enumerate(value):
                fill_texts(page, f"option_{i}", option)
        elif name == "show_when":
            page.get_by_label("Show this question").select_option(label=value)
        elif name == "accept":
            for kind in value:
                page.check(f'main [name="accept"][value="{kind}"]')
        elif name.endswith("_texts"):
            fill_texts(page, name.removesuffix("_texts"), value)
        else:
            page.fill(f'main [name="{name}"]', str(value))
    save(page)


def ready_to_publish(page: Page) -> None:
    section = page.locator("main .builder-publish")
    if "Nothing stands in the way" not in section.inner_text():
        raise AssertionError(f"the overview still lists problems:\n{section.inner_text()}")


def publish(page: Page, number: int) -> None:
    ready_to_publish(page)
    click_and_wait(
        page, page.locator("main .builder-publish").get_by_role("button", name="Publish")
    )
    expect(page.locator("main")).to_contain_text(f"Version {number} is published.")


def write_service_texts(page: Page) -> None:
    open_link(page, "Edit texts, category, handling time, fee and department")
    assert_accessible(page, "the service's texts")
    fill_texts(page, "title", TITLE)
    for name, texts in SERVICE_TEXTS.items():
        fill_texts(page, name, texts)
    fill_texts(page, "keywords", ("kultur, stipend", "kultur, stipend", "culture, grant"))
    page.fill('main [name="handling_days"]', "28")
    save(page)


def build_steps(page: Page) -> None:
    """Title step 1, add steps 2 and 3, and give every step its three titles."""
    for title in STEPS[1:]:
        page.get_by_label("New step (title in bokmål)").fill(title[0])
        click_and_wait(page, page.get_by_role("button", name="Add a step"))
    expect(page.locator("main .builder-step")).to_have_count(len(STEPS))
    for index, title in enumerate(STEPS):
        open_link(page, "Edit the step's title", step_box(page, index))
        fill_texts(page, "title", title)
        save(page)


def build_questions(page: Page) -> None:
    """Add the questions and fill in each one's form: texts, options, rule, settings."""
    for step, kind, labels, required in QUESTIONS:
        add_question(page, step, kind, labels[0])
        settings: dict = {}
        if kind == "choice":
            settings["options"] = OPTIONS
        elif labels == CONDITIONAL:
            settings["show_when"] = f"«{CHOICE_LABEL[0]}» = «{OPTIONS[1][0]}»"
        elif kind == "group":
            settings = {"item_label_texts": ("Deltaker", "Deltakar", "Participant"),
                        "min_items": 1, "max_items": 5}  # fmt: skip
        elif kind == "file":
            settings = {"accept": ("pdf", "png"), "max_size_mb": 5}
        if kind == "textarea":
            assert_accessible(page, "the overview with questions")
        edit_question(page, labels, required, **settings)
        if kind == "group":
            for inner_kind, inner in GROUP_QUESTIONS:
                add_question(page, step, inner_kind, inner[0], group=GROUP[2])
                edit_question(page, inner, True)
    expect(page.locator("main .builder-field")).to_have_count(FIELD_COUNT)


def check_field_form(page: Page) -> None:
    """The conditional question's form shows the rule chosen from the menu; leave it as it is."""
    open_link(page, CONDITIONAL[2])
    expect(page.get_by_label("Show this question")).to_have_value(
        re.compile("=lag_eller_forening$")
    )
    assert_accessible(page, "the field form")
    open_link(page, "Back to the service")


def preview_in_nynorsk_on_a_phone(page: Page) -> None:
    open_link(page, "Preview as a resident")
    open_link(page, "Nynorsk", page.locator("main .preview-controls"))
    open_link(page, "Phone (375 px)", page.locator("main .preview-controls"))
    expect(page.locator("iframe.preview-frame")).to_have_attribute("width", "375")
    frame = page.frame_locator("iframe.preview-frame")
    expect(frame.locator("html")).to_have_attribute("lang", "nn")
    expect(frame.locator("main")).to_contain_text(CHOICE_LABEL[1])
    expect(frame.locator("main")).to_contain_text("Namn")
    expect(frame.locator("main")).to_contain_text(OPTIONS[1][1])
    page.frame(name="preview").add_script_tag(path=str(AXE_PATH))
    assert_accessible(page, "the preview page")
    club = frame.locator('[name="namn_pa_laget"], [name="navn_pa_laget"]')
    expect(club).to_have_count(0)
    frame.get_by_label(OPTIONS[1][1]).check()
    with page.frame(name="preview").expect_navigation():
        frame.locator('main .step-buttons button[name="_action"][value="next"]').click()
    expect(club).to_be_visible()
    expect(frame.locator("main")).to_contain_text(CONDITIONAL[1])
    click_and_wait(page, page.locator(f'main a[href$="/tjenestebygger/{SLUG}/"]').first)


def build_in_molde(page: Page) -> None:
    owner_login(page, "molde")
    assert_accessible(page, "the builder's list of services")
    page.fill("#id_title", TITLE[0])
    page.select_option("#id_category", index=0)
    page.fill("#id_department", "Kultur")
    click_and_wait(page, page.get_by_role("button", name="Create the service"))
    assert page.url.endswith(f"/molde/tjenestebygger/{SLUG}/"), page.url
    write_service_texts(page)
    build_steps(page)
    build_questions(page)
    ready_to_publish(page)
    assert_accessible(page, "the builder overview")
    check_field_form(page)
    preview_in_nynorsk_on_a_phone(page)
    publish(page, 1)


# --- the resident ------------------------------------------------------------------------------


def apply_in_molde(page: Page) -> str:
    page.goto(f"/molde/tjenester/{SLUG}/")
    expect(page.locator("main h1")).to_contain_text(TITLE[0])
    click_and_wait(page, page.locator('main form[action$="/start/"] button'))
    click_and_wait(page, page.locator('main button[name="person"]').first)
    if page.url.endswith(f"/tjenester/{SLUG}/"):
        click_and_wait(page, page.locator('main form[action$="/start/"] button'))
    page.fill('[name="navn"]', "Kari Nordmann")
    page.fill('[name="e_post"]', "kari@example.no")
    page.check('[name="soker_du_som"][value="lag_eller_forening"]')
    click_and_wait(page, next_button(page))
    page.fill('[name="navn_pa_laget"]', "Molde jazzklubb")  # appeared on the same step
    click_and_wait(page, next_button(page))
    page.fill('[name="om_prosjektet"]', "Konsert i parken.")
    page.fill('[name="belop_du_soker_om"]', "5000")
    page.fill('[name="deltakere-0-navn_2"]', "Ola")
    page.fill('[name="deltakere-0-alder"]', "17")
    click_and_wait(page, next_button(page))
    page.set_input_files('[name="budsjett"]', budget_png())
    page.check('[type=checkbox][name^="jeg_bekrefter"]')
    click_and_wait(page, next_button(page))
    assert page.url.endswith("/oppsummering/"), page.locator("main").inner_text()[:1500]
    expect(page.locator("main")).to_contain_text("budsjett.png")
    return submit_and_check_receipt(page)


# --- sharing and adopting -----------------------------------------------------------------------


def share_from_molde(page: Page) -> None:
    share = page.locator("main #share")
    click_and_wait(page, share.get_by_role("button", name="Offer it in the shared library"))
    expect(share).to_contain_text("Offered in the shared library.")


def adopt_in_aukra(page: Page) -> None:
    owner_login(page, "aukra")
    open_link(page, "Shared library of other municipalities' services")
    assert_accessible(page, "the shared library")
    click_and_wait(page, page.get_by_role("button", name=f"Adopt {TITLE[2]} from Molde"))
    assert page.url.endswith(f"/aukra/tjenestebygger/{SLUG}/"), page.url
    expect(page.locator("main")).to_contain_text("Adopted from Molde (their version 1).")
    open_link(page, "Edit texts, category, handling time, fee and department")
    fill_texts(page, "title", (AUKRA_TITLE,) * 3)
    page.fill('main [name="department"]', "Kultur og fritid")
    page.fill('main [name="fee_amount"]', "250")
    fill_texts(page, "fee_text", AUKRA_FEE_TEXT)
    save(page)
    expect(page.locator("main h1")).to_have_text(AUKRA_TITLE)
    publish(page, 1)


def publish_version_2_in_molde(page: Page) -> None:
    page.reload()
    add_question(page, 1, "date", NEW_QUESTION[0])
    edit_question(page, NEW_QUESTION, False)
    publish(page, 2)
    open_link(page, "Versions and changes")
    assert_accessible(page, "the versions page")
    open_link(page, "Compare with version 2")
    changes = page.locator("main table")
    expect(changes).to_contain_text(NEW_QUESTION[2])
    assert_accessible(page, "the difference between version 1 and 2")


def take_over_in_aukra(page: Page) -> None:
    """Without JavaScript: the notice, the difference, the take-over and publishing."""
    owner_login(page, "aukra")
    open_link(page, AUKRA_TITLE)
    notice = page.locator("main .ds-alert", has_text="Molde has published version 2")
    open_link(page, "See the changes and take them over", notice)
    expect(page.locator("main table").first).to_contain_text(NEW_QUESTION[2])
    click_and_wait(page, page.get_by_role("button", name="Take over version 2"))
    expect(page.locator("main")).to_contain_text("What taking over version 2 did")
    open_link(page, "Check the draft and publish it")
    expect(page.locator("main h1")).to_have_text(AUKRA_TITLE)
    expect(page.get_by_role("link", name=NEW_QUESTION[2], exact=True)).to_be_visible()
    publish(page, 2)
    open_link(page, "Edit texts, category, handling time, fee and department")
    expect(page.locator('main [name="department"]')).to_have_value("Kultur og fritid")
    expect(page.locator('main [name="fee_amount"]')).to_have_value("250")


def test_a_service_is_built_published_adopted_and_updated(new_context):
    molde = new_context(language="en", **DESKTOP).new_page()
    build_in_molde(molde)

    number = apply_in_molde(new_context(**PHONE).new_page())
    assert number

    share_from_molde(molde)
    aukra = new_context(language="en", **DESKTOP).new_page()
    adopt_in_aukra(aukra)
    resident = new_context(language="nn", **PHONE).new_page()
    resident.goto(f"/aukra/tjenester/{SLUG}/")
    expect(resident.locator("main h1")).to_contain_text(AUKRA_TITLE)

    publish_version_2_in_molde(molde)
    no_script = new_context(language="en", java_script_enabled=False, **DESKTOP).new_page()
    take_over_in_aukra(no_script)
    resident.reload()
    expect(resident.locator("main h1")).to_contain_text(AUKRA_TITLE)
