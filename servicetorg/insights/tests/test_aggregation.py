"""The daily figures are rebuilt from the cases: idempotent, and kept current by the actions."""

from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from servicetorg.cases.actions import open_case, send_message
from servicetorg.cases.constants import MessageKind
from servicetorg.insights.aggregation import (
    COUNT_FIELDS,
    refresh_day,
    refresh_months,
    refresh_range,
)
from servicetorg.insights.figures import Period, figures, make_figures
from servicetorg.insights.models import DailyFigures, DailyStaffWork, MonthlyFigures
from servicetorg.insights.tests.conftest import NOW, START
from servicetorg.submissions.constants import Channel
from servicetorg.submissions.models import Submission


def snapshot(municipality) -> tuple[list, list]:
    exclude = {"id", "refreshed_at"}
    figures_rows = [
        {k: v for k, v in row.items() if k not in exclude}
        for row in DailyFigures.objects.filter(municipality=municipality).values()
    ]
    work = list(DailyStaffWork.objects.filter(municipality=municipality).values_list())
    key = lambda row: (row["day"], row["service_id"])  # noqa: E731
    return sorted(figures_rows, key=key), sorted(row[1:] for row in work)


def test_refresh_is_idempotent(molde, history):
    before = snapshot(molde)
    assert before[0] and before[1]
    refresh_range(molde, START, NOW.date())
    assert snapshot(molde) == before
    # Day by day and in one range give the same rows.
    day = date(2025, 5, 14)
    refresh_day(molde, day)
    refresh_day(molde, day)
    assert snapshot(molde) == before


def test_refresh_repairs_and_removes_rows(molde, service, history):
    day = date(2025, 4, 2)
    row = DailyFigures.objects.filter(municipality=molde, day=day).first()
    before = snapshot(molde)
    DailyFigures.objects.filter(pk=row.pk).update(received_digital=999, decision_days={"1": 50})
    stray = DailyFigures.objects.create(municipality=molde, service=service, day=date(2024, 6, 1))
    refresh_range(molde, date(2024, 6, 1), date(2025, 4, 2))
    assert not DailyFigures.objects.filter(pk=stray.pk).exists()
    assert snapshot(molde) == before


def test_monthly_rows_are_the_months_daily_rows_summed(molde, service, history):
    months = MonthlyFigures.objects.filter(municipality=molde).order_by("month")
    assert [m.month for m in months] == [date(2025, m, 1) for m in range(1, 12)]
    for row in months:
        histogram = Counter({int(d): n for d, n in row.decision_days.items()})
        summed = make_figures({name: getattr(row, name) for name in COUNT_FIELDS}, histogram)
        assert summed == figures(molde, Period.month(row.month.year, row.month.month))
    # A month is rebuilt with its days, and one left without daily rows is removed.
    stray = MonthlyFigures.objects.create(municipality=molde, month=date(2024, 6, 1))
    DailyFigures.objects.filter(municipality=molde, day__month=3).update(received_paper=100)
    refresh_months(molde, date(2024, 6, 1), date(2025, 3, 1))
    assert not MonthlyFigures.objects.filter(pk=stray.pk).exists()
    march = MonthlyFigures.objects.get(municipality=molde, month=date(2025, 3, 1))
    assert march.received_paper == 100 * DailyFigures.objects.filter(day__month=3).count()
    refresh_range(molde, date(2025, 3, 1), date(2025, 3, 31))
    assert MonthlyFigures.objects.get(pk=march.pk).received_paper < 100


def test_the_migration_builds_the_same_monthly_rows(molde, history):
    from importlib import import_module

    from django.apps import apps

    def rows():
        found = MonthlyFigures.objects.filter(municipality=molde).order_by("month")
        return [(m.month, m.decision_days, *(getattr(m, f) for f in COUNT_FIELDS)) for m in found]

    built = rows()
    MonthlyFigures.objects.all().delete()
    import_module("servicetorg.insights.migrations.0002_monthly_figures").build_months(apps, None)
    assert rows() == built


def submit(service, resident, channel=Channel.DIGITAL) -> Submission:
    return Submission.objects.create(
        municipality=service.municipality,
        service=service,
        service_version=service.published_version,
        applicant_pid=resident.pid,
        applicant_name=resident.name,
        answers={},
        channel=channel,
    )


def test_a_submitted_application_shows_up_after_commit(
    molde, service, kari, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        open_case(submit(service, kari, Channel.PAPER), actor=kari)
    today = timezone.localdate()
    row = DailyFigures.objects.get(municipality=molde, service=service, day=today)
    assert row.received_paper == 1 and row.received_digital == 0
    assert figures(molde, Period.custom(today, today)).received_total == 1


def test_a_message_and_the_staff_work_show_up_after_commit(
    molde, service, kari, caseworkers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = open_case(submit(service, kari), actor=kari)
    with django_capture_on_commit_callbacks(execute=True):
        send_message(
            case,
            MessageKind.QUESTION,
            "Hvor bor du?",
            [],
            actor=caseworkers[0],
            version=case.version,
        )
    row = DailyFigures.objects.get(municipality=molde, service=service, day=timezone.localdate())
    assert row.messages_from_staff == 1
    work = DailyStaffWork.objects.get(municipality=molde, user=caseworkers[0])
    assert work.cases == 1


def test_nothing_is_refreshed_when_the_action_rolls_back(molde, service, kari):
    # Without the on-commit callbacks running (the test's transaction never commits), the
    # figures stay empty: the refresh reads only committed rows.
    open_case(submit(service, kari), actor=kari)
    assert not DailyFigures.objects.exists()


@pytest.mark.parametrize("arguments", [[], ["--days", "3"], ["--all"]])
def test_command_refreshes_recent_days(molde, service, kari, arguments):
    open_case(submit(service, kari), actor=kari)
    call_command("refresh_insights", *arguments, stdout=open("/dev/null", "w"))
    today = timezone.localdate()
    assert DailyFigures.objects.get(day=today).received_digital == 1
    if not arguments:
        old = DailyFigures.objects.create(
            municipality=molde, service=service, day=today - timedelta(days=5)
        )
        call_command("refresh_insights", stdout=open("/dev/null", "w"))
        assert DailyFigures.objects.filter(pk=old.pk).exists()  # outside the two days
