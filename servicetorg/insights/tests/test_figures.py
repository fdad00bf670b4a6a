"""The figures from the daily aggregates equal the figures computed from the raw cases."""

import random
from collections import Counter
from datetime import date, timedelta

import pytest
from django.utils import timezone

from servicetorg.cases.constants import OPEN_STATUSES
from servicetorg.cases.models import Case
from servicetorg.insights.figures import (
    Period,
    adoption,
    figures,
    figures_by_service,
    median,
    monthly,
    neighbours,
    open_cases,
    percentile,
    raw_figures,
    region_median,
    suppressed,
    whole_months,
)
from servicetorg.insights.tests.conftest import NOW, START


def random_periods(rng: random.Random, n: int) -> list[Period]:
    periods = [Period.year(2025), Period.quarter(2025, 2), Period.month(2025, 10)]
    for _ in range(n):
        start = START + timedelta(days=rng.randint(-10, (NOW.date() - START).days))
        periods.append(Period.custom(start, start + timedelta(days=rng.randint(0, 150))))
    return periods


def test_aggregates_equal_raw_figures(molde, service, second_service, history):
    rng = random.Random(2025)
    for period in random_periods(rng, 30):
        total = figures(molde, period)
        assert total == raw_figures(molde, period), period
        for s in (service, second_service):
            assert figures(molde, period, s) == raw_figures(molde, period, s), (period, s)


def test_the_generated_history_exercises_every_figure(molde, history):
    total = figures(molde, Period.custom(START, NOW.date()))
    assert total.received_total > 300
    assert all(total.received[channel] for channel in total.received)
    assert total.decided > 200
    assert 0 < total.in_time_share < 1
    assert 0 < total.interim_in_time < total.interim_needed
    assert 0 < total.needed_information_share < 1
    assert total.median_days < total.p90_days
    # Appeals are decided too, but count only as letters: they are not applications.
    assert total.letters_digital > total.decided


def test_figures_by_service_add_up_to_the_total(molde, service, second_service, history):
    period = Period.quarter(2025, 2)
    rows = figures_by_service(molde, period)
    assert [s for s, _f in rows] == sorted([service, second_service], key=lambda s: s.slug)
    assert sum(f.received_total for _s, f in rows) == figures(molde, period).received_total
    assert dict(rows)[service] == figures(molde, period, service)


def test_monthly_figures_are_each_months_figures(molde, service, history):
    months = monthly(molde, date(2025, 3, 10), date(2025, 6, 30), service)
    assert [m for m, _f in months] == [date(2025, m, 1) for m in (3, 4, 5, 6)]
    assert months[0][1] == figures(
        molde, Period.custom(date(2025, 3, 10), date(2025, 3, 31)), service
    )
    assert months[2][1] == figures(molde, Period.month(2025, 5), service)


def test_no_figures_are_zero_and_none(molde):
    empty = figures(molde, Period.month(2020, 1))
    assert empty.received_total == 0 and empty.decided == 0
    assert empty.digital_share is None and empty.median_days is None and empty.p90_days is None
    assert empty == raw_figures(molde, Period.month(2020, 1))


def test_median_and_nearest_rank_percentile():
    assert median(Counter()) is None and percentile(Counter(), 90) is None
    assert median(Counter({1: 1, 3: 1})) == 2
    assert median(Counter({1: 1, 2: 1, 10: 1})) == 2
    values = Counter(range(1, 11))  # 1..10
    assert percentile(values, 90) == 9  # rank ceil(0.9 × 10) = 9
    assert percentile(Counter(range(1, 12)), 90) == 10  # rank ceil(9.9) = 10
    assert percentile(Counter({5: 1}), 90) == 5


def test_open_cases_by_age(molde, history):
    today = NOW.date()
    counts = open_cases(molde, today)
    ages = [
        (today - timezone.localdate(c.received_at)).days
        for c in Case.objects.filter(municipality=molde, status__in=OPEN_STATUSES)
    ]
    assert counts == {
        "count": len(ages),
        "under_7": sum(a < 7 for a in ages),
        "from_7_to_30": sum(7 <= a <= 30 for a in ages),
        "from_31_to_90": sum(31 <= a <= 90 for a in ages),
        "over_90": sum(a > 90 for a in ages),
    }
    assert counts["count"] > 0


def test_adoption(molde, service, second_service, caseworkers, history):
    until_today = Period.custom(START, timezone.localdate())  # the services were published today
    numbers = adoption(molde, until_today)
    assert numbers["staff"] == 2
    assert numbers["cases_per_caseworker"] == figures(molde, until_today).decided / 2
    assert numbers["services_published"] == 2
    assert numbers["services_adopted"] == 0
    assert numbers["versions_published"] == 2
    assert adoption(molde, Period.year(2019))["services_published"] == 0


def test_neighbours_and_region_median(molde, aukra, history):
    period = Period.year(2025)
    rows = neighbours(period)
    assert [m for m, _f in rows] == [aukra, molde]
    assert rows[1][1] == figures(molde, period)
    assert rows[0][1].received_total == 0 and rows[0][1].digital_share is None
    assert region_median(rows, "digital_share") == rows[1][1].digital_share
    assert region_median(rows, "received_total") == rows[1][1].received_total / 2


def test_neighbours_read_months_and_days_alike(molde, aukra, history):
    # Whole months come from the monthly rows, the days around them from the daily rows.
    rng = random.Random(357)
    for period in random_periods(rng, 20):
        rows = dict(neighbours(period))
        assert rows[molde] == figures(molde, period), period
    period = Period.custom(date(2025, 2, 14), date(2025, 5, 9))
    assert dict(neighbours(period))[molde] == raw_figures(molde, period)


def test_whole_months():
    assert whole_months(Period.year(2025)) == (date(2025, 1, 1), date(2025, 12, 1))
    assert whole_months(Period.month(2024, 2)) == (date(2024, 2, 1), date(2024, 2, 1))
    in_between = Period.custom(date(2025, 3, 10), date(2025, 6, 30))
    assert whole_months(in_between) == (date(2025, 4, 1), date(2025, 6, 1))
    assert whole_months(Period.custom(date(2025, 3, 2), date(2025, 4, 30))) == (
        date(2025, 4, 1),
        date(2025, 4, 1),
    )
    assert whole_months(Period.custom(date(2025, 3, 10), date(2025, 4, 20))) is None
    assert whole_months(Period.custom(date(2025, 1, 31), date(2025, 2, 27))) is None


def test_small_counts_are_suppressed(molde, history):
    few = figures(molde, Period.custom(date(2025, 3, 3), date(2025, 3, 3)))
    hidden = suppressed(few, below=1000)
    assert hidden.digital_share is None and hidden.median_days is None
    assert hidden.received_total == few.received_total


class TestPeriod:
    def test_month_quarter_year(self):
        assert Period.month(2024, 2) == Period(date(2024, 2, 1), date(2024, 2, 29))
        assert Period.quarter(2025, 4) == Period(date(2025, 10, 1), date(2025, 12, 31))
        assert Period.year(2025) == Period(date(2025, 1, 1), date(2025, 12, 31))
        with pytest.raises(ValueError):
            Period.custom(date(2025, 2, 1), date(2025, 1, 1))
        with pytest.raises(ValueError):
            Period.quarter(2025, 5)

    def test_previous(self):
        assert Period.month(2025, 3).previous() == Period.month(2025, 2)
        assert Period.month(2025, 1).previous() == Period.month(2024, 12)
        assert Period.quarter(2025, 1).previous() == Period.quarter(2024, 4)
        assert Period.year(2025).previous() == Period.year(2024)
        week = Period.custom(date(2025, 3, 3), date(2025, 3, 9))
        assert week.previous() == Period.custom(date(2025, 2, 24), date(2025, 3, 2))
        assert week.previous().days == 7

    def test_label(self):
        assert Period.month(2025, 3).label("en") == "March 2025"
        assert Period.month(2025, 3).label("nb") == "mars 2025"
        assert Period.quarter(2025, 2).label("en") == "Q2 2025"
        assert Period.year(2025).label("nn") == "2025"
        assert Period.custom(date(2025, 1, 1), date(2025, 3, 31)).label("en") == "Q1 2025"
        assert (
            Period.custom(date(2025, 1, 1), date(2025, 2, 28)).label("en")
            == "January–February 2025"
        )
        assert "2025" in Period.custom(date(2025, 3, 3), date(2025, 3, 9)).label("nb")
