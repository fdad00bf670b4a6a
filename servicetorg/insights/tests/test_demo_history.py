"""The demo's generated history: channel shift, numbering, no duplicates, live cases continue."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Count, Max

from servicetorg.accounts.demo import create_demo_staff
from servicetorg.cases.actions import open_case
from servicetorg.cases.constants import ActorKind, CaseStatus
from servicetorg.cases.decision_models import Decision
from servicetorg.cases.decision_views import letter_response
from servicetorg.cases.models import Case, CaseEvent, CaseNumberSequence, Message
from servicetorg.catalog.starter import load_starter_services
from servicetorg.identity.residents import Resident
from servicetorg.insights import demo_history
from servicetorg.insights.models import DailyFigures
from servicetorg.municipalities.actions import add_municipality
from servicetorg.submissions.constants import Channel
from servicetorg.submissions.models import Submission

OSLO = ZoneInfo("Europe/Oslo")
START = date(2024, 1, 8)  # the history's first day in these tests: the paper end of the shift


@pytest.fixture
def molde(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    place = add_municipality(
        number="1506", name="Molde", slug="molde", default_language="nb", population=32000
    )
    load_starter_services(place)
    create_demo_staff(place)
    return place


def generate(place, start: date, days: int, **options):
    return demo_history.generate_history(
        place,
        start=start,
        end=start + timedelta(days=days - 1),
        ramp_start=START,
        ramp_end=START + timedelta(days=730),
        now=datetime(2026, 1, 8, 12, tzinfo=OSLO),
        **options,
    )


def digital_share(place, start: date, days: int) -> float:
    first = datetime.combine(start, datetime.min.time(), OSLO)
    cases = Case.objects.filter(
        municipality=place,
        received_at__gte=first,
        received_at__lt=first + timedelta(days=days),
    )
    return cases.filter(channel=Channel.DIGITAL).count() / cases.count()


def test_the_channel_mix_shifts_from_paper_to_digital(molde):
    generate(molde, START, 21)
    late = START + timedelta(days=700)
    generate(molde, late, 21)
    early_share, late_share = digital_share(molde, START, 21), digital_share(molde, late, 21)
    assert early_share < 0.6 < 0.7 < late_share
    offline = Case.objects.filter(municipality=molde).exclude(channel=Channel.DIGITAL)
    # Paper, e-mail and phone come to a staffed office; only e-mail on a weekend.
    weekend = [c for c in offline if c.received_at.astimezone(OSLO).weekday() >= 5]
    assert {c.channel for c in weekend} <= {Channel.EMAIL}
    assert {c.channel for c in offline} == {Channel.PAPER, Channel.EMAIL, Channel.PHONE}


def test_cases_are_handled_like_real_ones(molde):
    counts = generate(molde, START, 60)
    assert counts["cases"] > 500
    cases = Case.objects.filter(municipality=molde)
    decided = cases.filter(status__in=[CaseStatus.DECIDED, CaseStatus.CLOSED])
    assert decided.count() > 0.9 * counts["cases"]
    assert Decision.objects.filter(case__municipality=molde, letter="").count() == decided.count()
    # Questions were asked, and answered by the applicant after they were asked.
    questions = Message.objects.filter(
        author_kind=ActorKind.STAFF, kind__in=["question", "document_request"]
    )
    assert questions.exists()
    for question in questions[:50]:
        answer = question.case.messages.filter(author_kind=ActorKind.RESIDENT).first()
        if answer:
            assert answer.created_at > question.created_at
    # Some decisions came after a month and had an interim reply, with the earlier due date kept.
    interim = CaseEvent.objects.filter(case__municipality=molde, kind="interim_reply_sent")
    assert interim.exists()
    assert all("due_before" in e.data and "message" in e.data for e in interim)
    # Every decision was sent on or after receipt, and a case's timeline is in order.
    for decision in Decision.objects.filter(case__municipality=molde).select_related("case")[:200]:
        assert decision.sent_at > decision.case.received_at
        assert decision.case.assignee_id is not None


def test_numbers_are_unique_per_year_and_the_sequence_is_moved_on(molde):
    generate(molde, date(2024, 12, 20), 20)
    years = dict(
        Case.objects.filter(municipality=molde)
        .values_list("year")
        .annotate(n=Count("pk"), top=Max("sequence"))
        .values_list("year", "top")
    )
    assert set(years) == {2024, 2025}
    for year, top in years.items():
        assert Case.objects.filter(municipality=molde, year=year).count() == top
        assert CaseNumberSequence.objects.get(municipality=molde, year=year).last == top
    # In the order received: a later case has a higher number.
    numbers = list(
        Case.objects.filter(municipality=molde, year=2025)
        .order_by("received_at")
        .values_list("sequence", flat=True)
    )
    assert numbers == sorted(numbers)


def test_a_live_case_after_the_history_takes_the_next_number(molde):
    generate(molde, date(2025, 12, 1), 14)
    last = CaseNumberSequence.objects.get(municipality=molde, year=2025).last
    service = molde.services.get(slug="melding-om-feil")
    submission = Submission.objects.create(
        municipality=molde,
        service=service,
        service_version=service.published_version,
        applicant_pid="01818012345",
        applicant_name="Kari Nordmann",
        answers={},
        submitted_at=datetime(2025, 12, 20, 10, tzinfo=OSLO),
    )
    case = open_case(submission, actor=Resident(pid="01818012345", name="Kari Nordmann"))
    assert (case.year, case.sequence) == (2025, last + 1)


def test_loading_the_history_again_adds_nothing(molde):
    today = date(2025, 3, 1)
    now = datetime(2025, 3, 1, 8, tzinfo=OSLO)
    first = demo_history.load_demo_history(molde, days=10, today=today, now=now)
    assert first and first["cases"] == Case.objects.count() > 0
    assert DailyFigures.objects.filter(municipality=molde).exists()
    assert demo_history.load_demo_history(molde, days=10, today=today, now=now) is None
    assert Case.objects.count() == first["cases"]


def test_a_historic_decision_letter_is_rendered_when_asked_for(molde):
    generate(molde, START, 30)
    decision = Decision.objects.filter(case__municipality=molde).first()
    assert not decision.letter
    response = letter_response(decision)
    assert b"".join(response.streaming_content).startswith(b"%PDF")
