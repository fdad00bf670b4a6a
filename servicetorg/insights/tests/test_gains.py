"""Hours and kroner saved, and letters avoided."""

from datetime import date
from decimal import Decimal

from servicetorg.insights.actions import set_costs, set_service_minutes
from servicetorg.insights.figures import Period
from servicetorg.insights.gains import gains, minutes_saved, service_minutes, settings_for
from servicetorg.insights.models import DailyFigures


def day_row(municipality, service, day, **counts):
    return DailyFigures.objects.create(
        municipality=municipality, service=service, day=day, **counts
    )


def test_defaults_until_the_leader_sets_figures(molde, service, settings, caseworkers):
    costs = settings_for(molde)
    assert costs.pk is None
    assert costs.hourly_cost_nok == settings.INSIGHTS_DEFAULTS["hourly_cost_nok"]
    assert costs.letter_cost_nok == Decimal(settings.INSIGHTS_DEFAULTS["letter_cost_nok"])
    assert service_minutes(service) == settings.INSIGHTS_DEFAULTS["minutes"]
    set_costs(molde, hourly_cost_nok=800, letter_cost_nok=Decimal("30.50"), actor=caseworkers[0])
    minutes = {"digital": 5, "paper": 45, "email": 30, "phone": 15}
    set_service_minutes(service, minutes, actor=caseworkers[0])
    assert settings_for(molde).hourly_cost_nok == 800
    assert service_minutes(service) == minutes


def test_minutes_saved_against_paper():
    minutes = {"digital": 10, "paper": 30, "email": 25, "phone": 20}
    received = {"digital": 6, "paper": 4, "email": 2, "phone": 1}
    assert minutes_saved(received, minutes) == 6 * 20 + 4 * 0 + 2 * 5 + 1 * 10


def test_gains_in_the_period_and_to_date(molde, service, second_service, caseworkers):
    set_costs(molde, hourly_cost_nok=700, letter_cost_nok=Decimal("25.00"), actor=caseworkers[0])
    own = {"digital": 5, "paper": 45, "email": 30, "phone": 15}
    set_service_minutes(second_service, own, actor=caseworkers[0])
    # The test service has the defaults: 10, 30, 25, 20 minutes.
    day_row(
        molde, service, date(2025, 1, 10), received_digital=30, received_paper=10, letters_digital=7
    )
    day_row(
        molde,
        second_service,
        date(2025, 3, 3),
        received_digital=10,
        received_email=2,
        letters_digital=3,
    )
    day_row(molde, service, date(2025, 3, 4), received_phone=3)

    march = gains(molde, Period.month(2025, 3), today=date(2025, 3, 31))
    minutes = 10 * 40 + 2 * 15 + 3 * 10  # second service's digital and e-mail; phone at defaults
    assert march["period"].minutes == minutes == 460
    assert march["period"].hours == Decimal("7.7")
    assert march["period"].kroner == round(460 * 700 / 60) == 5367
    assert march["period"].letters == 3 and march["period"].letter_kroner == 75
    assert march["period"].total_kroner == 5367 + 75

    to_date = march["to_date"]
    assert to_date.minutes == 460 + 30 * 20
    assert to_date.letters == 10 and to_date.letter_kroner == 250
    assert march["since"] == date(2025, 1, 10)
    assert gains(molde, Period.month(2025, 1), today=date(2025, 2, 1))["to_date"].minutes == 600


def test_no_figures_no_gains(molde):
    result = gains(molde, Period.year(2025))
    assert result["period"].minutes == 0 and result["period"].kroner == 0
    assert result["since"] is None
