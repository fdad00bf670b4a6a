"""The leaders' dashboard in a real browser: figures, neighbours, gain settings, report, exports.

A few months of generated history for Molde and Aukra (small scale) are written and counted into
the daily figures in the test's own database before anyone logs in. Molde's leader then chooses
the last full quarter through the period form, reads the digital share in words, in the chart and
in its table, compares with the neighbours (Aukra by its totals only), raises the hourly cost and
sees the kroner saved rise, opens the council report and downloads a table as CSV and as Excel.
The period form is used once more without JavaScript (where axe cannot run). Every other page
passes axe.

The leader reads the pages in English; the figures are checked against the cases themselves.
"""

import csv
import io
import re
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from servicetorg.accounts.demo import demo_password
from servicetorg.cases.models import Case
from servicetorg.insights.aggregation import day_range, refresh_range
from servicetorg.insights.demo_history import generate_history
from servicetorg.insights.figures import Period
from servicetorg.municipalities.models import Municipality
from servicetorg.submissions.constants import Channel
from tests.browser.axe import assert_accessible
from tests.browser.fixtures import DESKTOP, PHONE
from tests.browser.test_resident_path import click_and_wait

pytestmark = pytest.mark.browser

PLACES = ("molde", "aukra")
SCALE = 0.15  # a few hundred cases for Molde, a few dozen for Aukra: seconds, not minutes
HOURLY_BEFORE, HOURLY_AFTER = 700, 900  # the default (settings.INSIGHTS_DEFAULTS) and the new one


def last_full_quarter(today: date) -> Period:
    index = (today.year * 12 + today.month - 1) // 3 - 1  # quarters since year 0, the one before
    return Period.quarter(index // 4, index % 4 + 1)


def make_history(today: date, quarter: Period) -> None:
    """History from the start of the last full quarter up to yesterday, and its daily figures."""
    for slug in PLACES:
        municipality = Municipality.objects.get(slug=slug)
        generate_history(
            municipality,
            start=quarter.start,
            end=today - timedelta(days=1),
            ramp_start=today - timedelta(days=730),
            ramp_end=today,
            scale=SCALE,
        )
        with transaction.atomic():
            refresh_range(municipality, quarter.start, today)


def cases_in(slug: str, period: Period):
    since, until = day_range(period.start, period.end)
    return Case.objects.filter(
        municipality__slug=slug, received_at__gte=since, received_at__lt=until
    )


def whole(text: str) -> int:
    """A number as the page writes it ("12 345", "12\xa0345") as an int."""
    digits = re.sub(r"[^\d]", "", text)
    assert digits, f"no number in {text!r}"
    return int(digits)


def percent_of(part: int, whole_: int) -> str:
    return f"{round(part / whole_ * 100)} %"


# --- pages --------------------------------------------------------------------------------------


def leader_login(page: Page, place: str) -> None:
    page.goto(f"/ansatt/logg-inn/?next=/{place}/innsikt/")
    page.fill('input[name="username"]', f"leder.{place}")
    page.fill('input[name="password"]', demo_password(place))
    click_and_wait(page, page.locator('main form button[type="submit"]').last)
    assert urlsplit(page.url).path == f"/{place}/innsikt/", page.url


def headline(page: Page, label: str) -> str:
    figure = page.locator("main .key-figure").filter(has=page.locator("dt", has_text=label))
    return figure.first.locator("dd").inner_text()


def table(page: Page, caption: str):
    return page.locator("main table").filter(has=page.locator("caption", has_text=caption))


def row_cells(page: Page, caption: str, row_label: str) -> list[str]:
    row = (
        table(page, caption)
        .locator("tbody tr")
        .filter(has=page.locator("th", has_text=re.compile(f"^{re.escape(row_label)}$")))
    )
    expect(row).to_have_count(1)
    return row.locator("td").all_inner_texts()


def choose_quarter(page: Page, quarter: Period) -> None:
    form = page.locator("main form.period-form")
    form.locator('select[name="period"]').select_option("quarter")
    form.locator('input[name="year"]').fill(str(quarter.start.year))
    form.locator('select[name="quarter"]').select_option(str(quarter.start.month // 3 + 1))
    click_and_wait(page, form.get_by_role("button", name="Show figures"))
    query = parse_qs(urlsplit(page.url).query)
    assert query["period"] == ["quarter"] and query["year"] == [str(quarter.start.year)], page.url


def check_accessible_at_both_widths(page: Page, where: str) -> None:
    assert_accessible(page, f"{where} (desktop)")
    page.set_viewport_size(PHONE["viewport"])
    assert_accessible(page, f"{where} (phone)")
    # At phone width the wide tables scroll in their own region; the page itself does not.
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{where} is {overflow}px wider than a phone"
    page.set_viewport_size(DESKTOP["viewport"])


def check_dashboard(page: Page, quarter: Period) -> None:
    label = quarter.label("en")
    expect(page.locator("main p.lead")).to_have_text(f"Figures for {label}: all services.")

    # The headline agrees with the cases themselves.
    cases = cases_in("molde", quarter)
    received, digital = cases.count(), cases.filter(channel=Channel.DIGITAL).count()
    assert received > 100, received
    assert whole(headline(page, "Applications received")) == received
    assert headline(page, "Digital share") == percent_of(digital, received)
    channels = page.locator("main figure").filter(has=page.locator("svg title#channels-title"))
    expect(channels.locator("figcaption")).to_have_text(
        f"Of {received} applications, {percent_of(digital, received)} came digitally."
    )

    # The digital share: a sentence, a drawn chart and the chart's figures as a table.
    chart = page.locator("main figure").filter(has=page.locator("svg title#digital-share-title"))
    expect(chart).to_have_count(1)
    svg = chart.locator('svg[role="img"]')
    expect(svg).to_have_attribute("aria-labelledby", "digital-share-title digital-share-desc")
    expect(svg.locator("polyline")).to_have_count(1)
    expect(svg.locator("circle")).to_have_count(4)  # three months and the legend's marker
    months = chart.locator("table.chart-data tbody tr")
    expect(months).to_have_count(3)
    shares = [months.nth(i).locator("td").inner_text() for i in range(3)]
    names = [months.nth(i).locator("th").inner_text() for i in range(3)]
    assert all(re.fullmatch(r"\d+ %", s) for s in shares), shares
    sentence = chart.locator("figcaption").inner_text()
    summary = re.fullmatch(
        r"Digital share (?:rose|fell) from (\d+ %) in (\w+ \d{4}) to (\d+ %) in (\w+ \d{4})\.",
        sentence,
    ) or re.fullmatch(
        r"Digital share stayed at (\d+ %) from (\w+ \d{4}) to ()(\w+ \d{4})\.", sentence
    )
    assert summary, sentence
    first, since, last, until = summary.groups()
    assert first == shares[0] and (last or first) == shares[2], (sentence, shares)
    assert since == quarter.start.strftime("%B %Y") and until == quarter.end.strftime("%B %Y")
    assert since.startswith(names[0][:3]) and until.startswith(names[2][:3]), (names, sentence)
    # Its description is the same sentence, for those who meet the picture and not the caption.
    expect(svg.locator("desc")).to_have_text(sentence)


def kroner_saved_on_handling(page: Page) -> tuple[int, int]:
    in_period, to_date = row_cells(page, "Gains", "Kroner saved on handling")
    return whole(in_period), whole(to_date)


def change_hourly_cost(page: Page, quarter_url: str) -> None:
    before_period, before_to_date = kroner_saved_on_handling(page)
    assert before_period > 0 and before_to_date >= before_period
    total_before = whole(headline(page, "Kroner saved"))

    click_and_wait(page, page.locator("main nav").get_by_role("link", name="Gain settings"))
    expect(page.locator("main h1")).to_have_text("Gain settings")
    assert_accessible(page, "the gain settings")
    hourly = page.get_by_label("Cost of one working hour (NOK)")
    expect(hourly).to_have_value(str(HOURLY_BEFORE))
    hourly.fill(str(HOURLY_AFTER))
    click_and_wait(page, page.locator("main form").get_by_role("button", name="Save"))
    assert urlsplit(page.url).path == "/molde/innsikt/", page.url
    expect(page.get_by_text("The gain settings are saved.")).to_be_visible()

    page.goto(quarter_url)
    after_period, after_to_date = kroner_saved_on_handling(page)
    # Same minutes, another price per hour: the kroner follow (each rounded to whole kroner).
    assert abs(after_period - before_period * HOURLY_AFTER / HOURLY_BEFORE) <= 1
    assert abs(after_to_date - before_to_date * HOURLY_AFTER / HOURLY_BEFORE) <= 1
    assert whole(headline(page, "Kroner saved")) - total_before == after_period - before_period
    expect(page.locator("main")).to_contain_text(f"{HOURLY_AFTER} kroner per working hour")


def check_neighbours(page: Page, quarter: Period) -> None:
    click_and_wait(
        page, page.locator("main nav").get_by_role("link", name="Compared with the neighbours")
    )
    expect(page.locator("main h1")).to_have_text("Compared with the neighbours")
    assert_accessible(page, "the neighbours page")
    expect(page.locator("main p.lead")).to_contain_text(quarter.label("en"))
    caption = "Municipalities side by side"
    aukra_cases = cases_in("aukra", quarter)
    aukra = row_cells(page, caption, "Aukra")
    assert whole(aukra[0]) == aukra_cases.count() >= 5, aukra
    molde = row_cells(page, caption, "Molde")
    assert whole(molde[0]) == cases_in("molde", quarter).count()
    row_cells(page, caption, "Median of the region")
    # Aggregates only: no case numbers, no applicants, no links into Aukra's cases.
    main = page.locator("main")
    text = main.inner_text()
    for case in aukra_cases[:20]:
        assert case.applicant_name not in text
        assert case.number not in text
    expect(main.locator('a[href*="/aukra/"]')).to_have_count(0)


def check_report(page: Page, quarter: Period) -> None:
    click_and_wait(
        page, page.locator("main nav").get_by_role("link", name="Report for the municipal council")
    )
    assert parse_qs(urlsplit(page.url).query)["period"] == ["quarter"], page.url
    expect(page.locator("main h1")).to_have_text(
        f"Digital services in Molde: {quarter.label('en')}"
    )
    expect(page.locator('main svg[role="img"]')).to_have_count(2)
    assert_accessible(page, "the council report")
    check_prints_on_one_page(page, f"Digital services in Molde: {quarter.label('en')}")
    click_and_wait(page, page.get_by_role("link", name="Back to the dashboard"))


def check_prints_on_one_page(page: Page, heading: str) -> None:
    """Chromium's own print (print style sheet, A4, as "Save as PDF" makes it): one page, with
    the heading and both charts' summaries, and without the site's header and buttons."""
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    assert len(pdf.pages) == 1, f"the council report prints on {len(pdf.pages)} pages"
    printed = " ".join(pdf.pages[0].extract_text().split())
    assert heading in printed, printed[:300]
    for summary in page.locator("main figure figcaption, main .chart-summary").all_inner_texts():
        assert " ".join(summary.split())[:40] in printed, summary
    assert "Back to the dashboard" not in printed, "the screen-only link is printed"


def download(page: Page, name: str):
    with page.expect_download() as info:
        page.locator("main").get_by_role("link", name=name).click()
    return info.value


def check_exports(page: Page, quarter: Period) -> None:
    on_page = [
        row_cells(page, "Figures by service", "Total"),
        row_cells(page, "Applications received by channel", "Total"),
    ]
    stem = f"molde-channels-{quarter.start}-{quarter.end}"

    got = download(page, "Applications received by channel as CSV")
    assert got.suggested_filename == f"{stem}.csv"
    with open(got.path(), encoding="utf-8") as file:
        text = file.read()
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["Channel", "Applications received", "Share (%)"]
    by_channel = {row[0]: row for row in rows[1:]}
    assert set(by_channel) == {"Digital", "Paper", "E-mail", "Phone", "Total"}, by_channel
    assert int(by_channel["Total"][1]) == whole(on_page[1][0]) == cases_in("molde", quarter).count()
    digital = cases_in("molde", quarter).filter(channel=Channel.DIGITAL).count()
    assert int(by_channel["Digital"][1]) == digital

    got = download(page, "Figures by service as Excel")
    assert got.suggested_filename == f"molde-services-{quarter.start}-{quarter.end}.xlsx"
    # The download's own file has no extension, which openpyxl refuses: read the bytes.
    with open(got.path(), "rb") as file:
        sheet = load_workbook(io.BytesIO(file.read()), read_only=True).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:3] == ("Service", "Received", "Digital share (%)")
    total = next(row for row in values if row[0] == "Total")
    assert total[1] == whole(on_page[0][0])
    assert isinstance(total[2], int | float) and abs(total[2] - 100 * digital / total[1]) < 0.06
    assert len(values) > 3  # the services, then the total


def test_the_leader_reads_compares_and_exports_the_figures(new_context):
    today = timezone.localdate()
    quarter = last_full_quarter(today)
    make_history(today, quarter)

    page = new_context(language="en", **DESKTOP).new_page()
    leader_login(page, "molde")
    expect(page.locator("main h1")).to_have_text("Insights")
    check_accessible_at_both_widths(page, "the dashboard")

    choose_quarter(page, quarter)
    quarter_url = page.url
    check_dashboard(page, quarter)
    check_accessible_at_both_widths(page, "the dashboard for a quarter")

    check_neighbours(page, quarter)
    page.goto(quarter_url)
    change_hourly_cost(page, quarter_url)
    check_report(page, quarter)
    check_exports(page, quarter)

    # Without JavaScript the period form is an ordinary GET form: a month is chosen as well.
    no_script = new_context(language="en", java_script_enabled=False, **DESKTOP).new_page()
    leader_login(no_script, "molde")
    form = no_script.locator("main form.period-form")
    form.locator('select[name="period"]').select_option("month")
    form.locator('input[name="year"]').fill(str(quarter.start.year))
    form.locator('select[name="month"]').select_option(str(quarter.start.month))
    click_and_wait(no_script, form.get_by_role("button", name="Show figures"))
    month = Period.month(quarter.start.year, quarter.start.month)
    expect(no_script.locator("main p.lead")).to_have_text(
        f"Figures for {month.label('en')}: all services."
    )
    received = cases_in("molde", month).count()
    assert whole(headline(no_script, "Applications received")) == received
