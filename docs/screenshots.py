"""The screenshots of docs/guide.md, taken from a running demo, and the time a scripted build takes.

    make run                                   # the demo on http://127.0.0.1:8000 (a fresh one)
    .venv/bin/python docs/screenshots.py       # in another terminal; --base-url to point elsewhere

Molde's service owner builds "Søknad om kulturstipend" (three steps, fifteen questions, every text
in bokmål, nynorsk and English, an approval letter), previews, publishes, shares it; Aukra adopts
it; Molde publishes version 2; Aukra takes it over; Hustadvika imports Molde's export. The PNGs
(1000 px wide viewports, 256 colours) go to docs/guide/. At the end it prints how many pages the
build loaded, how many inputs it filled and how long the build took without the screenshots.

It needs a demo where Molde, Aukra and Hustadvika have no service named "soknad-om-kulturstipend"
yet: start from a fresh database (`rm var/servicetorg.sqlite3 && make run`).
"""

import argparse
import io
import re
import time
from pathlib import Path

from PIL import Image
from playwright.sync_api import Locator, Page, expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
OUT = Path(__file__).resolve().parent / "guide"
VIEWPORT = {"width": 1000, "height": 720}
LANGUAGES = ("nb", "nn", "en")

TITLE = ("Søknad om kulturstipend", "Søknad om kulturstipend", "Application for a culture grant")
SLUG = "soknad-om-kulturstipend"
SERVICE_TEXTS = {
    "summary": ("Stipend til unge kunstnere.", "Stipend til unge kunstnarar.", "A grant for young artists."),
    "who_can_apply": ("Alle under 30 år som bor i Molde.", "Alle under 30 år som bur i Molde.", "Anyone under 30 living in Molde."),
    "what_you_need": ("Et budsjett for prosjektet.", "Eit budsjett for prosjektet.", "A budget for the project."),
    "what_happens_next": ("Vi svarer innen fire uker.", "Vi svarar innan fire veker.", "We reply within four weeks."),
}  # fmt: skip
STEPS = [("Om deg", "Om deg", "About you"), ("Prosjektet", "Prosjektet", "The project"),
         ("Vedlegg", "Vedlegg", "Attachments")]  # fmt: skip
CHOICE = ("Søker du som", "Søkjer du som", "Are you applying as")
OPTIONS = [("Privatperson", "Privatperson", "A private person"),
           ("Lag eller forening", "Lag eller foreining", "A club or association")]  # fmt: skip
CLUB = ("Navn på laget", "Namn på laget", "Name of the club")
GROUP = ("Deltakere", "Deltakarar", "Participants")
# Fifteen questions: (step, kind of answer, labels, required); the group's two follow it.
QUESTIONS = [
    (0, "text", ("Navn", "Namn", "Name"), True),
    (0, "email", ("E-post", "E-post", "E-mail"), True),
    (0, "phone", ("Telefon", "Telefon", "Phone"), False),
    (0, "choice", CHOICE, True),
    (0, "text", CLUB, True),
    (1, "textarea", ("Om prosjektet", "Om prosjektet", "About the project"), True),
    (1, "date", ("Når starter prosjektet?", "Når startar prosjektet?", "When does the project start?"), True),
    (1, "amount", ("Beløp du søker om", "Beløp du søkjer om", "Amount you apply for"), True),
    (1, "yesno", ("Har du fått stipend før?", "Har du fått stipend før?", "Have you had a grant before?"), True),
    (1, "group", GROUP, False),
    (2, "file", ("Budsjett", "Budsjett", "Budget"), True),
    (2, "textarea", ("Annet du vil fortelle", "Anna du vil fortelje", "Anything else"), False),
    (2, "consent", ("Jeg bekrefter at opplysningene er riktige", "Eg stadfestar at opplysningane er rette", "I confirm that the information is correct"), True),
]  # fmt: skip
GROUP_QUESTIONS = [("text", ("Navn", "Namn", "Name")), ("integer", ("Alder", "Alder", "Age"))]
LETTER_TITLE = ("Du får kulturstipend", "Du får kulturstipend", "You are granted a culture grant")
LETTER_BODY = (
    "Hei {applicant_name}! Molde kommune gir deg kulturstipend.",
    "Hei {applicant_name}! Molde kommune gir deg kulturstipend.",
    "Dear {applicant_name}, Molde municipality grants you a culture grant.",
)
NEW_QUESTION = ("Lenke til nettside", "Lenkje til nettstad", "Link to a website")


class Browser:
    """One page of one person, counting what a person would do: pages loaded and inputs filled."""

    def __init__(self, page: Page, stats: "Stats") -> None:
        self.page, self.stats = page, stats

    def go(self, locator: Locator) -> None:
        """Click something that loads a new page, and wait for it."""
        with self.page.expect_navigation():
            locator.click()
        self.stats.pages += 1

    def link(self, name: str, within: Locator | None = None) -> None:
        self.go((within or self.page).get_by_role("link", name=name, exact=True).last)

    def fill(self, selector: str, text: str) -> None:
        self.page.fill(selector, text)
        self.stats.inputs += 1
        self.stats.characters += len(text)

    def texts(self, name: str, texts: tuple[str, ...]) -> None:
        for language, text in zip(LANGUAGES, texts, strict=True):
            self.fill(f'main [name="{name}_{language}"]', text)

    def choose(self, locator: Locator, **option) -> None:
        locator.select_option(**option) if option else locator.check()
        self.stats.choices += 1

    def save(self) -> None:
        self.go(self.page.locator("main form.narrow-form button[type=submit]"))
        if not re.search(r"/tjenestebygger/[^/]+/(#.*)?$", self.page.url):  # the overview
            raise SystemExit(f"not saved: {self.page.locator('main').inner_text()[:1500]}")


class Stats:
    def __init__(self) -> None:
        self.pages = self.inputs = self.characters = self.choices = 0
        self.shot_seconds = 0.0


# The model for a person's time, not a measurement of one: typing speed, and a pause to find
# the box and choose the words, to pick an option, and to read each new page.
TYPING_CHARS_PER_MINUTE = 200
SECONDS_PER_TEXT, SECONDS_PER_CHOICE, SECONDS_PER_PAGE = 5, 3, 5
ESTIMATE = "200 characters a minute, 5 s per text box, 3 s per choice, 5 s per page"


def estimate(stats: Stats) -> float:
    """Seconds a first-time user would need for what the script did, by the model above."""
    return (
        stats.characters / TYPING_CHARS_PER_MINUTE * 60
        + stats.inputs * SECONDS_PER_TEXT
        + stats.choices * SECONDS_PER_CHOICE
        + stats.pages * SECONDS_PER_PAGE
    )


def shoot(page: Page, stats: Stats, name: str, top: Locator | None = None) -> None:
    """A viewport screenshot with `top` scrolled to the top, saved with 256 colours."""
    started = time.monotonic()
    if top is not None:
        top.first.evaluate("e => { e.scrollIntoView({block: 'start'}); window.scrollBy(0, -16) }")
    else:
        page.evaluate("window.scrollTo(0, 0)")
    image = Image.open(io.BytesIO(page.screenshot()))
    image.convert("RGB").quantize(colors=256).save(OUT / f"{name}.png", optimize=True)
    stats.shot_seconds += time.monotonic() - started


def login(b: Browser, place: str) -> None:
    """Log in, and go from the workplace page to the municipality's service builder."""
    b.page.goto("/ansatt/logg-inn/")
    b.fill('input[name="username"]', f"tjenesteeier.{place}")
    b.fill('input[name="password"]', f"demo-{place}-2026")
    b.go(b.page.locator('main form button[type="submit"]').last)
    b.link("Service builder", b.page.locator("main .ds-card", has_text=place.capitalize()))


def add_question(b: Browser, step: int, kind: str, label: str, group: str = "") -> Locator:
    box = b.page.locator("main .builder-step").nth(step)
    where = f"New question in «{group}»" if group else "New question (bokmål)"
    form = box.locator("form.add-field").filter(has=b.page.get_by_label(where, exact=True))
    b.fill(f"#{form.get_by_label(where, exact=True).get_attribute('id')}", label)
    b.choose(form.get_by_label("Kind of answer"), value=kind)
    return form


def edit_question(b: Browser, labels, required: bool, shots: dict | None = None, **settings):
    page = b.page  # adding a question opened its form
    b.texts("label", labels)
    if required:
        b.choose(page.locator('main [name="required"]'))
    for name, value in settings.items():
        if name == "options":
            for i, option in enumerate(value):
                b.texts(f"option_{i}", option)
        elif name == "show_when":
            b.choose(page.get_by_label("Show this question"), label=value)
        elif name == "accept":
            for kind in value:
                b.choose(page.locator(f'main [name="accept"][value="{kind}"]'))
        elif name.endswith("_texts"):
            b.texts(name.removesuffix("_texts"), value)
        else:
            b.fill(f'main [name="{name}"]', str(value))
    for shot, top in (shots or {}).items():
        shoot(page, b.stats, shot, page.locator(top))
    b.save()


def build(b: Browser) -> None:
    """Create the service and fill it in until nothing stands in the way of publishing."""
    page, stats = b.page, b.stats
    b.fill("#id_title", TITLE[0])
    b.choose(page.locator("#id_category"), value="culture")
    b.fill("#id_department", "Kultur")
    shoot(page, stats, "02-new-service", page.locator("#new"))
    b.go(page.get_by_role("button", name="Create the service"))
    shoot(page, stats, "03-overview")

    b.link("Edit texts, category, handling time, fee and department")
    b.texts("title", TITLE)
    for name, texts in SERVICE_TEXTS.items():
        b.texts(name, texts)
    b.texts("keywords", ("kultur, stipend", "kultur, stipend", "culture, grant"))
    shoot(page, stats, "04-about-the-service", page.locator("main h1"))
    b.save()

    for title in STEPS[1:]:
        b.fill("#add-step-label", title[0])
        b.go(page.get_by_role("button", name="Add a step"))
    for index, title in enumerate(STEPS):
        b.link("Edit the step's title", page.locator("main .builder-step").nth(index))
        b.texts("title", title)
        b.save()
    shoot(page, stats, "05-steps", page.locator("#steps"))

    for step, kind, labels, required in QUESTIONS:
        form = add_question(b, step, kind, labels[0])
        if step == 0 and kind == "phone":
            shoot(page, stats, "06-add-question", page.locator("main .builder-step").first)
        b.go(form.get_by_role("button", name="Add the question"))
        settings: dict = {}
        shots: dict = {}
        if labels == QUESTIONS[0][2]:
            shots = {"07-question": "main h1"}
        if kind == "choice":
            settings["options"] = OPTIONS
            shots = {"08-options": "main .option-row"}
        elif labels == CLUB:
            settings["show_when"] = f"«{CHOICE[0]}» = «{OPTIONS[1][0]}»"
            shots = {"09-show-when": "#id_show_when"}
        elif kind == "group":
            settings = {"item_label_texts": ("Deltaker", "Deltakar", "Participant"),
                        "min_items": 1, "max_items": 5}  # fmt: skip
        elif kind == "file":
            settings = {"accept": ("pdf", "png", "jpeg"), "max_size_mb": 5}
            shots = {"11-attachment": "#id_multiple"}
        edit_question(b, labels, required, shots, **settings)
        if kind == "group":
            for inner_kind, inner in GROUP_QUESTIONS:
                form = add_question(b, step, inner_kind, inner[0], group=GROUP[2])
                b.go(form.get_by_role("button", name="Add to the group"))
                edit_question(b, inner, True)

    b.link("Edit the decision letter templates")
    b.texts("approve_title", LETTER_TITLE)
    b.texts("approve_body", LETTER_BODY)
    shoot(page, stats, "12-letters", page.locator("main h1"))
    b.save()
    expect(page.locator("main .builder-publish")).to_contain_text("Nothing stands in the way")
    shoot(page, stats, "10-group", page.locator("#field-deltakere"))


def preview(b: Browser) -> None:
    page, stats = b.page, b.stats
    controls = page.locator("main .preview-controls")
    b.link("Preview as a resident")
    b.link("Nynorsk", controls)
    b.link("Phone (375 px)", controls)
    frame = page.frame_locator("iframe.preview-frame")
    expect(frame.locator("main")).to_contain_text(CHOICE[1])
    shoot(page, stats, "14-preview-nynorsk-phone", page.locator("main h1"))
    frame.locator('[name="navn"]').fill("Kari Nordmann")
    frame.locator('[name="e_post"]').fill("kari@example.no")
    frame.get_by_label(OPTIONS[1][1]).check()
    with page.frame(name="preview").expect_navigation():
        frame.locator('main .step-buttons button[name="_action"][value="next"]').click()
    expect(frame.locator('[name="navn_pa_laget"]')).to_be_visible()
    shoot_frame(page, stats, "15-preview-show-when", frame.locator('[data-key="soker_du_som"]'))
    b.link("English", controls)
    b.link("Desktop", controls)
    shoot_frame(page, stats, "16-preview-english-desktop", frame.locator("main h1"))
    b.go(page.locator(f'main a[href$="/tjenestebygger/{SLUG}/"]').first)


def shoot_frame(page: Page, stats: Stats, name: str, inner: Locator) -> None:
    """The preview frame at the top of the window, scrolled inside to `inner`."""
    inner.first.evaluate(
        "e => e.ownerDocument.defaultView.scrollTo(0,"
        " e.getBoundingClientRect().top + e.ownerDocument.defaultView.scrollY - 16)"
    )
    shoot(page, stats, name, page.locator("iframe.preview-frame"))


def publish(b: Browser, number: int, shot: str = "") -> None:
    b.go(b.page.locator("main .builder-publish").get_by_role("button", name="Publish"))
    expect(b.page.locator("main")).to_contain_text(f"Version {number} is published.")
    if shot:
        shoot(b.page, b.stats, shot)


def versions_and_restore(b: Browser) -> None:
    page, stats = b.page, b.stats
    b.link("Versions and changes")
    shoot(page, stats, "19-versions")
    b.link("Compare with version 2")
    shoot(page, stats, "20-difference")
    b.link("Versions")
    b.go(page.get_by_role("button", name="Restore as draft: Version 1"))
    shoot(page, stats, "21-restored")
    b.go(page.locator("main .builder-publish").get_by_role("button", name="Undo the last change"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])

        def person(stats: Stats) -> Browser:
            context = chromium.new_context(base_url=args.base_url, viewport=VIEWPORT,
                                           locale="en-GB", accept_downloads=True)  # fmt: skip
            context.add_cookies(
                [{"name": "servicetorg_language", "value": "en", "url": args.base_url}]
            )
            context.set_default_timeout(15_000)
            return Browser(context.new_page(), stats)

        timed = Stats()
        molde = person(timed)
        molde.page.goto("/ansatt/logg-inn/")
        molde.fill('input[name="username"]', "tjenesteeier.molde")
        shoot(molde.page, timed, "01-login")
        started = time.monotonic()
        login(molde, "molde")
        build(molde)
        seconds = time.monotonic() - started - timed.shot_seconds
        shoot(molde.page, timed, "13-ready-to-publish", molde.page.locator("#publish-heading"))

        rest = Stats()
        molde.stats = rest
        preview(molde)
        publish(molde, 1, "17-published")
        molde.go(molde.page.locator("#share").get_by_role("button"))
        shoot(molde.page, rest, "18-shared", molde.page.locator("#share"))

        aukra = person(rest)
        login(aukra, "aukra")
        aukra.link("Shared library of other municipalities' services")
        shoot(aukra.page, rest, "22-library")
        aukra.go(aukra.page.get_by_role("button", name=f"Adopt {TITLE[2]} from Molde"))
        aukra.link("Edit texts, category, handling time, fee and department")
        aukra.texts("title", ("Kulturstipend i Aukra",) * 3)
        aukra.fill('main [name="department"]', "Kultur og fritid")
        aukra.save()
        shoot(aukra.page, rest, "23-adopted")
        publish(aukra, 1)

        add_question(molde, 1, "text", NEW_QUESTION[0])
        molde.go(
            molde.page.locator("main .builder-step")
            .nth(1)
            .get_by_role("button", name="Add the question")
        )
        edit_question(molde, NEW_QUESTION, False)
        publish(molde, 2)
        versions_and_restore(molde)

        aukra.page.reload()
        shoot(aukra.page, rest, "24-update-notice")
        aukra.link("See the changes and take them over")
        shoot(aukra.page, rest, "25-take-over", aukra.page.locator("#changes-heading"))
        aukra.go(aukra.page.get_by_role("button", name="Take over version 2"))
        shoot(aukra.page, rest, "26-taken-over", aukra.page.locator("#result-heading"))

        with molde.page.expect_download() as download:
            molde.page.get_by_role("link", name="Export (YAML)").click()
        hustadvika = person(rest)
        login(hustadvika, "hustadvika")
        hustadvika.link("Import a service from a file")
        hustadvika.page.set_input_files('main input[type="file"]', download.value.path())
        shoot(hustadvika.page, rest, "27-import")
        hustadvika.go(hustadvika.page.get_by_role("button", name="Import"))
        shoot(hustadvika.page, rest, "28-imported")
        chromium.close()

    print(f"Built {len(QUESTIONS) + len(GROUP_QUESTIONS)} questions in {seconds:.1f} s "
          f"(without screenshots): {timed.pages} pages loaded, {timed.inputs} texts typed "
          f"({timed.characters} characters), {timed.choices} choices made.")  # fmt: skip
    print(f"A first-time user, estimated: {estimate(timed) / 60:.0f} minutes ({ESTIMATE}).")
    for png in sorted(OUT.glob("*.png")):
        print(f"{png.name}: {png.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
