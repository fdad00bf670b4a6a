"""The leaders' dashboard, neighbours page, gain settings and report."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from conftest import small_definition
from servicetorg.accounts.constants import Role
from servicetorg.accounts.tests.cast import staff, staff_client
from servicetorg.catalog.actions import publish_service
from servicetorg.insights.aggregation import refresh_months
from servicetorg.insights.models import DailyFigures, MunicipalityGains, ServiceGains

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year
PAGES = ["/innsikt/", "/innsikt/naboer/", "/innsikt/gevinst/", "/innsikt/rapport/"]


def day(month: int, d: int = 10) -> date:
    return date(YEAR, month, d)


def figures_row(service, when: date, **counts) -> DailyFigures:
    row = DailyFigures.objects.create(
        municipality=service.municipality, service=service, day=when, **counts
    )
    refresh_months(service.municipality, when, when)  # as the refresh keeps them
    return row


@pytest.fixture
def molde_figures(service):
    """January: 4 of 10 digital; February: 7 of 10 digital, 8 decided (6 in time)."""
    figures_row(service, day(1), received_digital=4, received_paper=6)
    figures_row(
        service,
        day(2),
        received_digital=7,
        received_paper=2,
        received_email=1,
        decided=8,
        decided_in_time=6,
        decision_days={"3": 4, "10": 4},
        letters_digital=5,
    )


@pytest.fixture
def aukra_figures(aukra_service):
    figures_row(aukra_service, day(1), received_digital=777, received_paper=3)


@pytest.fixture
def leader(molde):
    # Leads Molde: sees Molde's figures and the neighbours' aggregates.
    return staff_client(staff(molde, "leder", Role.LEADER))


@pytest.fixture
def aukra_leader(aukra):
    # Leads Aukra: must never see Molde's own figures beyond the neighbours' aggregates.
    return staff_client(staff(aukra, "leiar", Role.LEADER))


def year_query() -> str:
    return f"?period=year&year={YEAR}"


@pytest.mark.parametrize("page", PAGES)
def test_it_renders_each_page_for_a_leader(leader, molde_figures, page):
    response = leader.get(f"/molde{page}{year_query()}")
    assert response.status_code == 200


@pytest.mark.parametrize("page", PAGES)
def test_it_renders_each_page_for_an_admin(molde, molde_figures, page):
    client = staff_client(staff(molde, "admin", Role.ADMIN))
    assert client.get(f"/molde{page}").status_code == 200


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.SERVICE_OWNER])
@pytest.mark.parametrize("page", [*PAGES, "/innsikt/eksport/services.csv"])
def test_it_refuses_caseworkers_and_service_owners(molde, role, page):
    client = staff_client(staff(molde, "someone", role))
    assert client.get(f"/molde{page}").status_code == 404


def test_it_refuses_a_leader_of_another_municipality(aukra_leader, molde):
    for page in [*PAGES, "/innsikt/eksport/services.xlsx"]:
        assert aukra_leader.get(f"/molde{page}").status_code == 404


def test_it_sends_anonymous_visitors_to_the_login(client, molde):
    response = client.get("/molde/innsikt/")
    assert response.status_code == 302
    assert response["Location"].startswith("/ansatt/logg-inn/")


def test_it_shows_the_period_figures(leader, molde_figures):
    response = leader.get(f"/molde/innsikt/{year_query()}")
    total = response.context["total"]
    assert total.received_total == 20
    assert total.received["digital"] == 11
    assert total.decided == 8
    headline = dict(response.context["headline"])
    assert headline["Digital share"] == "55 %"
    assert headline["Decided within target"] == "75 %"
    assert headline["Median time to decision"] == "6.5 days"
    assert headline["90th percentile time to decision"] == "10 days"
    body = response.content.decode()
    assert "Digital share rose from 40 % in January" in body
    assert f"to 70 % in February {YEAR}" in body


def test_it_shows_only_its_own_figures(aukra_leader, molde_figures, aukra_figures):
    response = aukra_leader.get(f"/aukra/innsikt/{year_query()}")
    assert response.context["total"].received_total == 780
    services = response.context["tables"]["services"]
    assert [row[1] for row in services.rows] == [780, 780]


def test_it_filters_by_service(leader, molde, molde_figures, service):
    other = publish_service(molde, small_definition("annen")).service
    figures_row(other, day(1), received_phone=9)
    everything = leader.get(f"/molde/innsikt/{year_query()}")
    assert everything.context["total"].received_total == 29
    one = leader.get(f"/molde/innsikt/{year_query()}&service={service.pk}")
    assert one.context["total"].received_total == 20
    assert one.context["service"] == service


def test_it_ignores_another_municipalitys_service(leader, molde_figures, aukra_service):
    response = leader.get(f"/molde/innsikt/{year_query()}&service={aukra_service.pk}")
    assert response.status_code == 200
    assert response.context["service"] is None
    assert response.context["total"].received_total == 20


def test_it_chooses_a_month(leader, molde_figures):
    response = leader.get(f"/molde/innsikt/?period=month&year={YEAR}&month=2")
    assert response.context["period"].start == day(2, 1)
    assert response.context["total"].received_total == 10


def test_it_chooses_custom_dates(leader, molde_figures):
    query = f"?period=custom&start={day(1, 1)}&end={day(1, 31)}"
    response = leader.get(f"/molde/innsikt/{query}")
    assert response.context["total"].received_total == 10


def test_it_refuses_a_period_that_ends_before_it_starts(leader, molde_figures):
    query = f"?period=custom&start={day(3, 1)}&end={day(1, 31)}"
    response = leader.get(f"/molde/innsikt/{query}")
    assert response.status_code == 200
    assert "The period must start before it ends." in response.content.decode()
    assert response.context["period"].start == day(1, 1)  # the default: this year


def test_it_shows_the_gains(leader, molde, molde_figures):
    # Defaults: paper 30 min, digital 10, e-mail 25, 700 kr/hour, 25 kr/letter.
    response = leader.get(f"/molde/innsikt/{year_query()}")
    saved = response.context["gains"]["period"]
    assert saved.minutes == 11 * 20 + 1 * 5
    assert saved.letters == 5
    rows = {row[0]: row[1:] for row in response.context["tables"]["gains"].rows}
    assert rows["Letters not printed and posted"] == [5, 5]
    assert rows["Kroner saved on letters"] == [125, 125]


def test_it_saves_the_gain_settings(leader, molde, service):
    data = {
        "hourly_cost_nok": "800",
        "letter_cost_nok": "30.50",
        f"s{service.pk}_digital": "5",
        f"s{service.pk}_paper": "40",
        f"s{service.pk}_email": "25",
        f"s{service.pk}_phone": "20",
    }
    response = leader.post("/molde/innsikt/gevinst/", data)
    assert response.status_code == 302
    costs = MunicipalityGains.objects.get(municipality=molde)
    assert (costs.hourly_cost_nok, costs.letter_cost_nok) == (800, Decimal("30.50"))
    minutes = ServiceGains.objects.get(service=service)
    assert (minutes.minutes_digital, minutes.minutes_paper) == (5, 40)


def test_it_shows_the_defaults_on_the_gain_settings(leader, service):
    response = leader.get("/molde/innsikt/gevinst/")
    body = response.content.decode()
    assert 'value="700"' in body
    assert "Default: 30" in body
    assert not ServiceGains.objects.exists()


def test_it_compares_the_neighbours_with_aggregates_only(
    aukra_leader, molde_figures, aukra_figures, settings
):
    settings.INSIGHTS_SUPPRESS_BELOW = 5
    response = aukra_leader.get(f"/aukra/innsikt/naboer/{year_query()}")
    rows = {row[0]: row for row in response.context["table"].rows}
    assert rows["Molde"][1:4] == [20, 55.0, 8]
    assert rows["Aukra"][1:4] == [780, 99.6, "fewer than 5"]
    assert rows["Aukra"][4] is None  # the median of fewer than five decisions is left out
    assert rows["Median of the region"][1] == 400.0
    body = response.content.decode()
    assert "fewer than 5" in body


def test_it_suppresses_small_counts(aukra_leader, molde, service, aukra_figures, settings):
    settings.INSIGHTS_SUPPRESS_BELOW = 10
    figures_row(service, day(1), received_digital=3, received_paper=1)
    response = aukra_leader.get(f"/aukra/innsikt/naboer/{year_query()}")
    molde_row = next(r for r in response.context["table"].rows if r[0] == "Molde")
    assert molde_row[1] == "fewer than 10"
    assert molde_row[2] is None  # the digital share of four applications is left out
    body = response.content.decode()
    assert "fewer than 10" in body
    assert "75.0" not in body


def test_it_links_the_dashboard_from_the_workplace(leader, molde):
    response = leader.get("/ansatt/")
    assert "/molde/innsikt/" in response.content.decode()


def test_it_does_not_link_the_dashboard_for_caseworkers(molde):
    client = staff_client(staff(molde, "sb", Role.CASEWORKER))
    assert "/molde/innsikt/" not in client.get("/ansatt/").content.decode()
