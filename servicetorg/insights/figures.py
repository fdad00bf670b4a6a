"""The leaders' figures for a period, read from the daily figures (docs/insights.md defines them).

Everything here but `raw_figures` and `open_cases` reads only the insights tables, a few
grouped queries per call, so the dashboard stays fast however many cases there are.
`raw_figures` computes the same figures straight from the cases: it exists for the test that
proves the two agree.
"""

import calendar
import math
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Min, Prefetch, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import formats, translation
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

from servicetorg.cases.constants import OPEN_STATUSES, WAITING_KINDS, ActorKind, EventKind
from servicetorg.cases.decision_models import Decision
from servicetorg.cases.models import Case, CaseEvent, Message
from servicetorg.catalog.models import Service, ServiceVersion
from servicetorg.insights.aggregation import COUNT_FIELDS, day_range, day_start, decision_facts
from servicetorg.insights.models import DailyFigures, DailyStaffWork, MonthlyFigures
from servicetorg.municipalities.models import Municipality
from servicetorg.submissions.constants import Channel

# Periods


def _last_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: date, months: int) -> date:
    """The first day of the month `months` after (or before) the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """Local days from start to end, both included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(f"period starts after it ends: {self.start} > {self.end}")

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        return cls(date(year, month, 1), _last_of_month(year, month))

    @classmethod
    def quarter(cls, year: int, q: int) -> "Period":
        if q not in (1, 2, 3, 4):
            raise ValueError(f"no quarter {q}")
        return cls(date(year, 3 * q - 2, 1), _last_of_month(year, 3 * q))

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def custom(cls, start: date, end: date) -> "Period":
        return cls(start, end)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def whole_months(self) -> int:
        """How many calendar months the period spans exactly, or 0 if it is not whole months."""
        if self.start.day != 1 or self.end + timedelta(days=1) != _add_months(self.end, 1):
            return 0
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def previous(self) -> "Period":
        """The period of the same length just before: the previous month, quarter or year for
        whole calendar months (February before March, however long), else as many days."""
        months = self.whole_months
        if months:
            start = _add_months(self.start, -months)
            return Period(start, self.start - timedelta(days=1))
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def label(self, language: str | None = None) -> str:
        """ "mars 2026", "2. kvartal 2026", "2026", "januar–mars 2026" or "1. mars 2026–9. mars 2026"."""
        with translation.override(language or translation.get_language()):
            return self._label()

    def _label(self) -> str:
        months, start, end = self.whole_months, self.start, self.end
        if months == 12 and start.month == 1:
            return str(start.year)
        if months == 3 and start.month % 3 == 1:
            return _("Q%(quarter)s %(year)s") % {
                "quarter": start.month // 3 + 1,
                "year": start.year,
            }
        if months == 1:
            return f"{MONTHS[start.month]} {start.year}"
        if months and start.year == end.year:
            return f"{MONTHS[start.month]}–{MONTHS[end.month]} {end.year}"
        if months:
            return f"{MONTHS[start.month]} {start.year}–{MONTHS[end.month]} {end.year}"
        return (
            f"{formats.date_format(start, 'DATE_FORMAT')}–{formats.date_format(end, 'DATE_FORMAT')}"
        )


# Figures


@dataclass(frozen=True)
class Figures:
    """The figures of one period, for one service or in total. A share is None without cases."""

    received: dict[str, int]  # by channel, every channel present
    received_total: int
    digital_share: float | None
    decided: int
    median_days: float | None
    p90_days: float | None
    in_time_share: float | None
    interim_needed: int
    interim_in_time: int
    messages_per_case: float | None
    needed_information_share: float | None
    letters_digital: int
    # What the shares were computed from, for suppression and for the dashboard's tables.
    decided_in_time: int = 0
    needed_information: int = 0
    messages_from_staff: int = 0
    messages_from_applicants: int = 0

    @property
    def interim_in_time_share(self) -> float | None:
        return share(self.interim_in_time, self.interim_needed)


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def median(histogram: Counter) -> float | None:
    """The middle value of the days; the mean of the two middle ones for an even count."""
    n = sum(histogram.values())
    if not n:
        return None
    return (_nth(histogram, (n + 1) // 2) + _nth(histogram, n // 2 + 1)) / 2


def percentile(histogram: Counter, p: int) -> float | None:
    """Nearest rank: the smallest value that at least p % of the values are at or below,
    i.e. the value at rank ceil(p / 100 × n) of the sorted values."""
    n = sum(histogram.values())
    if not n:
        return None
    return float(_nth(histogram, max(1, math.ceil(p * n / 100))))


def _nth(histogram: Counter, rank: int) -> int:
    """The rank-th smallest value (1-based) of the values the histogram counts."""
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    raise ValueError(rank)


def make_figures(counts: dict, histogram: Counter) -> Figures:
    """The figures from summed daily counts and the merged histogram of days to decision."""
    c = {name: counts.get(name) or 0 for name in COUNT_FIELDS}
    received = {channel: c[f"received_{channel}"] for channel in Channel.values}
    total = sum(received.values())
    return Figures(
        received=received,
        received_total=total,
        digital_share=share(received[Channel.DIGITAL], total),
        decided=c["decided"],
        median_days=median(histogram),
        p90_days=percentile(histogram, 90),
        in_time_share=share(c["decided_in_time"], c["decided"]),
        interim_needed=c["interim_needed"],
        interim_in_time=c["interim_in_time"],
        messages_per_case=share(c["decided_messages"], c["decided"]),
        needed_information_share=share(c["needed_information"], c["decided"]),
        letters_digital=c["letters_digital"],
        decided_in_time=c["decided_in_time"],
        needed_information=c["needed_information"],
        messages_from_staff=c["messages_from_staff"],
        messages_from_applicants=c["messages_from_applicants"],
    )


def _merge(histograms) -> Counter:
    merged: Counter = Counter()
    for histogram in histograms:
        merged.update({int(days): n for days, n in histogram.items()})
    return merged


def _sums() -> dict:
    return {name: Sum(name) for name in COUNT_FIELDS}


def _daily(municipality: Municipality, period: Period, service: Service | None = None):
    rows = DailyFigures.objects.filter(
        municipality=municipality, day__gte=period.start, day__lte=period.end
    )
    return rows.filter(service=service) if service is not None else rows


def figures(municipality: Municipality, period: Period, service: Service | None = None) -> Figures:
    rows = _daily(municipality, period, service)
    counts = rows.aggregate(**_sums())
    histograms = rows.filter(decided__gt=0).values_list("decision_days", flat=True)
    return make_figures(counts, _merge(histograms))


def figures_by_service(municipality: Municipality, period: Period) -> list[tuple[Service, Figures]]:
    """Each service with any figures in the period, in the order of their URL names."""
    rows = _daily(municipality, period)
    counts = {r.pop("service"): r for r in rows.values("service").annotate(**_sums()).order_by()}
    histograms: dict[int, Counter] = defaultdict(Counter)
    for service_id, days in rows.filter(decided__gt=0).values_list("service", "decision_days"):
        histograms[service_id].update({int(d): n for d, n in days.items()})
    services = Service.objects.filter(pk__in=counts).select_related("published_version")
    return [
        (s, make_figures(counts[s.pk], histograms[s.pk])) for s in services.order_by("slug", "pk")
    ]


def monthly(
    municipality: Municipality, start: date, end: date, service: Service | None = None
) -> list[tuple[date, Figures]]:
    """The figures of each calendar month from start's to end's (first day of each), for
    trends; days outside start–end are left out of the first and last month."""
    rows = _daily(municipality, Period(start, end), service)
    by_month = rows.annotate(month=TruncMonth("day")).values("month").annotate(**_sums())
    counts = {_as_date(r.pop("month")): r for r in by_month.order_by()}
    histograms: dict[date, Counter] = defaultdict(Counter)
    for day, days in rows.filter(decided__gt=0).values_list("day", "decision_days"):
        histograms[day.replace(day=1)].update({int(d): n for d, n in days.items()})
    result = []
    month = start.replace(day=1)
    while month <= end:
        result.append((month, make_figures(counts.get(month, {}), histograms[month])))
        month = _add_months(month, 1)
    return result


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") else value


def whole_months(period: Period) -> tuple[date, date] | None:
    """The first days of the first and last calendar month lying wholly inside the period."""
    first = period.start if period.start.day == 1 else _add_months(period.start, 1)
    after = period.end + timedelta(days=1)
    last = _add_months(after, -1) if after.day == 1 else _add_months(period.end, -1)
    return (first, last) if first <= last else None


def neighbours(period: Period) -> list[tuple[Municipality, Figures]]:
    """Every active municipality of the installation with its figures, by name.

    Only aggregates: no case or person is read. Show counts below
    settings.INSIGHTS_SUPPRESS_BELOW as "fewer than N", and pass each row through `suppressed`.
    Whole months are read from the monthly rows, the days before and after them from the daily
    rows: the same sums, a few thousand rows instead of a million for a year of 357.
    """
    parts = []
    months = whole_months(period)
    if months is None:
        parts.append(DailyFigures.objects.filter(day__gte=period.start, day__lte=period.end))
    else:
        first, last = months
        parts.append(MonthlyFigures.objects.filter(month__gte=first, month__lte=last))
        if period.start < first:
            before = first - timedelta(days=1)
            parts.append(DailyFigures.objects.filter(day__gte=period.start, day__lte=before))
        after = _add_months(last, 1)
        if after <= period.end:
            parts.append(DailyFigures.objects.filter(day__gte=after, day__lte=period.end))
    counts: dict[int, Counter] = defaultdict(Counter)
    merged: dict[int, dict[str, int]] = defaultdict(dict)  # keys as stored: "<days>"
    for rows in parts:
        for r in rows.values("municipality").annotate(**_sums()).order_by():
            counts[r.pop("municipality")].update({k: v or 0 for k, v in r.items()})
        for municipality_id, days in rows.filter(decided__gt=0).values_list(
            "municipality", "decision_days"
        ):
            histogram = merged[municipality_id]
            for d, n in days.items():
                histogram[d] = histogram.get(d, 0) + n
    return [
        (m, make_figures(counts.get(m.pk, {}), _merge([merged.get(m.pk, {})])))
        for m in Municipality.objects.filter(active=True).order_by("name")
    ]


def suppressed(figures: Figures, below: int | None = None) -> Figures:
    """The figures with every share, median and percentile computed from fewer than `below`
    cases left out (None), so a comparison never points at a few identifiable cases."""
    below = settings.INSIGHTS_SUPPRESS_BELOW if below is None else below
    small_received = figures.received_total < below
    small_decided = figures.decided < below
    return replace(
        figures,
        digital_share=None if small_received else figures.digital_share,
        median_days=None if small_decided else figures.median_days,
        p90_days=None if small_decided else figures.p90_days,
        in_time_share=None if small_decided else figures.in_time_share,
        messages_per_case=None if small_decided else figures.messages_per_case,
        needed_information_share=None if small_decided else figures.needed_information_share,
    )


def region_median(rows: list[tuple[Municipality, Figures]], attribute: str) -> float | None:
    """The median of one figure over the municipalities that have it."""
    values = [getattr(f, attribute) for _m, f in rows if getattr(f, attribute) is not None]
    return float(statistics.median(values)) if values else None


# Live from the cases


def open_cases(
    municipality: Municipality, today: date, service: Service | None = None
) -> dict[str, int]:
    """Open cases now and their age in days since receipt: under 7, 7–30, 31–90, over 90."""
    cases = Case.objects.filter(municipality=municipality, status__in=OPEN_STATUSES)
    if service is not None:
        cases = cases.filter(service=service)

    def since(days: int) -> Q:  # received on or after the day `days` days ago
        return Q(received_at__gte=day_start(today - timedelta(days=days)))

    return cases.aggregate(
        count=Count("pk"),
        under_7=Count("pk", filter=since(6)),
        from_7_to_30=Count("pk", filter=since(30) & ~since(6)),
        from_31_to_90=Count("pk", filter=since(90) & ~since(30)),
        over_90=Count("pk", filter=~since(90)),
    )


def adoption(municipality: Municipality, period: Period) -> dict:
    """Staff who handled cases in the period, decided cases per such caseworker, services
    published (at the period's end), of them adopted from another municipality, and new
    versions published in the period."""
    staff = (
        DailyStaffWork.objects.filter(
            municipality=municipality, day__gte=period.start, day__lte=period.end
        )
        .values("user")
        .distinct()
        .count()
    )
    decided = _daily(municipality, period).aggregate(n=Sum("decided"))["n"] or 0
    start, end = day_range(period.start, period.end)
    published = Service.objects.filter(
        municipality=municipality,
        published_version__isnull=False,
        pk__in=ServiceVersion.objects.filter(published_at__lt=end).values("service"),
    )
    versions = ServiceVersion.objects.filter(
        service__municipality=municipality, published_at__gte=start, published_at__lt=end
    )
    return {
        "staff": staff,
        "cases_per_caseworker": share(decided, staff),
        "services_published": published.count(),
        "services_adopted": published.filter(origin__isnull=False).count(),
        "versions_published": versions.count(),
    }


def raw_figures(
    municipality: Municipality, period: Period, service: Service | None = None
) -> Figures:
    """The same figures computed case by case from the raw rows. For the test only: it reads
    every case of the period."""
    start, end = day_range(period.start, period.end)
    cases = Case.objects.filter(municipality=municipality)
    if service is not None:
        cases = cases.filter(service=service)
    counts: Counter = Counter()
    for case in cases.filter(appeal_of=None, received_at__gte=start, received_at__lt=end):
        counts[f"received_{case.channel}"] += 1
    histogram: Counter = Counter()
    interim = CaseEvent.objects.filter(kind=EventKind.INTERIM_REPLY_SENT)
    decided = (
        cases.filter(appeal_of=None)
        .annotate(first=Min("decisions__sent_at"))
        .filter(first__gte=start, first__lt=end)
        .prefetch_related("messages", Prefetch("events", interim, to_attr="interim"))
    )
    for case in decided:
        facts = decision_facts(case, case.first, case.interim)
        messages = list(case.messages.all())
        histogram[facts["days"]] += 1
        counts["decided"] += 1
        counts["decided_in_time"] += facts["in_time"]
        counts["interim_needed"] += facts["interim_needed"]
        counts["interim_in_time"] += facts["interim_in_time"]
        counts["decided_messages"] += len(messages)
        counts["needed_information"] += any(
            m.author_kind == ActorKind.STAFF and m.kind in WAITING_KINDS for m in messages
        )
    for message in Message.objects.filter(
        case__in=cases, created_at__gte=start, created_at__lt=end
    ):
        staff = message.author_kind == ActorKind.STAFF
        counts["messages_from_staff" if staff else "messages_from_applicants"] += 1
    counts["letters_digital"] = Decision.objects.filter(
        case__in=cases, sent_at__gte=start, sent_at__lt=end
    ).count()
    return make_figures(counts, histogram)
