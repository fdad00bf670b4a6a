"""The daily figures are rebuilt from the cases: idempotent, and kept current by the actions."""

import io
from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from servicetorg.cases.actions import open_case, send_message
from servicetorg.cases.constants import MessageKind
from servicetorg.insights.aggregation import (
    COUNT_FIELDS,
    refresh_day,
    refresh_months,
    refresh_pending,
    refresh_range,
)
from servicetorg.insights.figures import Period, figures, make_figures
from servicetorg.insights.management.commands.refresh_insights import (
    Command as RefreshInsights,
)
from servicetorg.insights.models import (
    DailyFigures,
    DailyStaffWork,
    MonthlyFigures,
    PendingRefresh,
)
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


def test_a_submitted_application_marks_its_day_and_the_refresh_shows_it(molde, service, kari):
    open_case(submit(service, kari, Channel.PAPER), actor=kari)
    today = timezone.localdate()
    assert list(PendingRefresh.objects.values_list("municipality", "day")) == [(molde.pk, today)]
    assert not DailyFigures.objects.exists()  # the request itself aggregates nothing
    assert refresh_pending() == 1
    row = DailyFigures.objects.get(municipality=molde, service=service, day=today)
    assert row.received_paper == 1 and row.received_digital == 0
    assert figures(molde, Period.custom(today, today)).received_total == 1
    assert not PendingRefresh.objects.exists()
    assert refresh_pending() == 0


def test_a_message_and_the_staff_work_show_up_after_the_refresh(molde, service, kari, caseworkers):
    case = open_case(submit(service, kari), actor=kari)
    send_message(
        case, MessageKind.QUESTION, "Hvor bor du?", [], actor=caseworkers[0], version=case.version
    )
    assert PendingRefresh.objects.count() == 2  # one mark per action; the day rebuilt once
    assert refresh_pending() == 1
    row = DailyFigures.objects.get(municipality=molde, service=service, day=timezone.localdate())
    assert row.messages_from_staff == 1
    work = DailyStaffWork.objects.get(municipality=molde, user=caseworkers[0])
    assert work.cases == 1


def test_an_old_case_marks_the_day_it_was_received_and_today(molde, service, kari):
    submission = submit(service, kari, Channel.PAPER)
    submission.submitted_at = timezone.now() - timedelta(days=40)
    submission.save()
    case = open_case(submission, actor=kari)
    days = set(PendingRefresh.objects.values_list("day", flat=True))
    assert days == {timezone.localdate(case.received_at), timezone.localdate()}
    assert refresh_pending() == 2
    assert DailyFigures.objects.get(day=timezone.localdate(case.received_at)).received_paper == 1


def test_nothing_is_marked_when_the_action_rolls_back(molde, service, kari):
    with pytest.raises(RuntimeError), transaction.atomic():
        open_case(submit(service, kari), actor=kari)
        raise RuntimeError("the action failed after the case was written")
    assert not PendingRefresh.objects.exists()


def test_marks_beyond_the_limit_wait_for_the_next_round(molde, service, kari):
    today = timezone.localdate()
    for back in (3, 2, 1):
        PendingRefresh.objects.create(municipality=molde, day=today - timedelta(days=back))
    open_case(submit(service, kari), actor=kari)
    assert refresh_pending(limit=2) == 2
    assert sorted(PendingRefresh.objects.values_list("day", flat=True)) == [
        today - timedelta(days=1),
        today,
    ]
    assert refresh_pending() == 2
    assert DailyFigures.objects.get(day=today).received_digital == 1


def test_a_round_of_the_loop_rebuilds_only_marked_days(molde, service, kari):
    open_case(submit(service, kari), actor=kari)
    stale = DailyFigures.objects.create(
        municipality=molde, service=service, day=timezone.localdate() - timedelta(days=1)
    )
    command = RefreshInsights(stdout=io.StringIO())
    command.before(days=2, all=False, municipality=None, loop=60)
    assert command.run_once() == {"marked days rebuilt": 1}
    assert DailyFigures.objects.get(day=timezone.localdate()).received_digital == 1
    assert DailyFigures.objects.filter(pk=stale.pk).exists()  # yesterday was not marked


def test_the_hourly_run_rebuilds_marked_days_too(molde, service, kari):
    submission = submit(service, kari)
    submission.submitted_at = timezone.now() - timedelta(days=10)
    submission.save()
    case = open_case(submission, actor=kari)
    out = io.StringIO()
    call_command("refresh_insights", stdout=out)
    assert "marked days rebuilt=2" in out.getvalue()
    assert DailyFigures.objects.get(day=timezone.localdate(case.received_at)).received_digital == 1


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
