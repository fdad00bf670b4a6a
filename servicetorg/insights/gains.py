"""Hours and kroner saved by applications that did not arrive on paper, and letters not posted.

The estimates are the municipality's own (MunicipalityGains, ServiceGains) where a leader has
set them, else settings.INSIGHTS_DEFAULTS; docs/insights.md gives the defaults' reasoning.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Min, Sum
from django.utils import timezone

from servicetorg.catalog.models import Service
from servicetorg.insights.figures import Period
from servicetorg.insights.models import DailyFigures, MunicipalityGains, ServiceGains
from servicetorg.municipalities.models import Municipality
from servicetorg.submissions.constants import Channel


def settings_for(municipality: Municipality) -> MunicipalityGains:
    """The municipality's cost figures; unsaved defaults when none are set."""
    try:
        return MunicipalityGains.objects.get(municipality=municipality)
    except MunicipalityGains.DoesNotExist:
        defaults = settings.INSIGHTS_DEFAULTS
        return MunicipalityGains(
            municipality=municipality,
            hourly_cost_nok=int(defaults["hourly_cost_nok"]),
            letter_cost_nok=Decimal(defaults["letter_cost_nok"]),
        )


def default_minutes() -> dict[str, int]:
    return {c: int(settings.INSIGHTS_DEFAULTS["minutes"][c]) for c in Channel.values}


def _minutes_of(row: ServiceGains) -> dict[str, int]:
    return {c: getattr(row, f"minutes_{c}") for c in Channel.values}


def service_minutes(service: Service) -> dict[str, int]:
    """Minutes of handling one application of the service, by channel."""
    row = ServiceGains.objects.filter(service=service).first()
    return _minutes_of(row) if row else default_minutes()


@dataclass(frozen=True)
class Saved:
    minutes: int  # handling minutes saved against every application arriving on paper
    hours: Decimal  # to one decimal
    kroner: int  # the hours' cost
    letters: int  # decision letters delivered digitally instead of printed and posted
    letter_kroner: int

    @property
    def total_kroner(self) -> int:
        return self.kroner + self.letter_kroner


def gains(municipality: Municipality, period: Period, today: date | None = None) -> dict:
    """The gains in the period and to date (from the first figures up to today).

    Returns {"period": Saved, "to_date": Saved, "since": date | None,
    "hourly_cost_nok": int, "letter_cost_nok": Decimal}.
    """
    today = today or timezone.localdate()
    costs = settings_for(municipality)
    rows = DailyFigures.objects.filter(municipality=municipality)
    in_period = rows.filter(day__gte=period.start, day__lte=period.end)
    to_date = rows.filter(day__lte=today)
    return {
        "period": _saved(in_period, costs),
        "to_date": _saved(to_date, costs),
        "since": to_date.aggregate(first=Min("day"))["first"],
        "hourly_cost_nok": costs.hourly_cost_nok,
        "letter_cost_nok": costs.letter_cost_nok,
    }


def minutes_saved(received: dict[str, int], minutes: dict[str, int]) -> int:
    """Σ over channels of applications × (minutes on paper − minutes by that channel)."""
    paper = minutes[Channel.PAPER]
    return sum(n * (paper - minutes[channel]) for channel, n in received.items())


def _saved(rows, costs: MunicipalityGains) -> Saved:
    fields = [f"received_{c}" for c in Channel.values]
    per_service = rows.values("service").annotate(
        **{f: Sum(f) for f in fields}, letters=Sum("letters_digital")
    )
    per_service = list(per_service.order_by())
    own = {
        g.service_id: _minutes_of(g)
        for g in ServiceGains.objects.filter(service__in=[r["service"] for r in per_service])
    }
    minutes = letters = 0
    for row in per_service:
        received = {c: row[f"received_{c}"] or 0 for c in Channel.values}
        minutes += minutes_saved(received, own.get(row["service"]) or default_minutes())
        letters += row["letters"] or 0
    hours = Decimal(minutes) / 60
    return Saved(
        minutes=minutes,
        hours=hours.quantize(Decimal("0.1"), ROUND_HALF_UP),
        kroner=_whole(Decimal(minutes * costs.hourly_cost_nok) / 60),
        letters=letters,
        letter_kroner=_whole(letters * Decimal(costs.letter_cost_nok)),
    )


def _whole(amount: Decimal) -> int:
    return int(amount.quantize(Decimal(1), ROUND_HALF_UP))
