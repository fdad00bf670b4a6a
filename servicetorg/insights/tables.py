"""The dashboard's tables and charts, built once from the figures for the page and its exports.

The page and the files read the same `Table` objects, so an export always holds the numbers
the leader saw. Shares are percent with one decimal, days and averages one decimal.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _

from servicetorg.catalog.models import Service
from servicetorg.insights import charts
from servicetorg.insights.exports import Table
from servicetorg.insights.figures import (
    Figures,
    Period,
    adoption,
    figures,
    figures_by_service,
    monthly,
    neighbours,
    open_cases,
    region_median,
    suppressed,
)
from servicetorg.insights.gains import gains
from servicetorg.municipalities.models import Municipality
from servicetorg.submissions.constants import Channel

# A period shorter than this shows its trend over the twelve months up to its end.
SHORTEST_TREND_DAYS = 62


@dataclass(frozen=True)
class Scope:
    municipality: Municipality
    period: Period
    service: Service | None
    today: date


def pct(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def one(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def month_label(month: date) -> str:
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


def trend_window(scope: Scope) -> tuple[date, date] | None:
    """The months the trend covers: the period's own, or the year up to a short period's end;
    never past today."""
    end = min(scope.period.end, scope.today)
    start = scope.period.start
    if scope.period.days < SHORTEST_TREND_DAYS:
        index = end.year * 12 + end.month - 1 - 11
        start = date(index // 12, index % 12 + 1, 1)
    return (start, end) if start <= end else None


def months(scope: Scope) -> list[tuple[date, Figures]]:
    window = trend_window(scope)
    if window is None:
        return []
    return monthly(scope.municipality, *window, service=scope.service)


# The tables, each a function of the scope; their keys name the export files.


def channels_table(scope: Scope, total: Figures) -> Table:
    rows = [
        [str(label), total.received[value], pct(total.received[value] / total.received_total)]
        if total.received_total
        else [str(label), 0, None]
        for value, label in Channel.choices
    ]
    rows.append([_("Total"), total.received_total, 100.0 if total.received_total else None])
    columns = [_("Channel"), _("Applications received"), _("Share (%)")]
    return Table("channels", _("Applications received by channel"), columns, rows)


def trend_table(scope: Scope, trend: list[tuple[date, Figures]]) -> Table:
    columns = [
        _("Month"),
        *(str(label) for _v, label in Channel.choices),
        _("Received"),
        _("Digital share (%)"),
        _("Decided"),
        _("Median days to decision"),
        _("90th percentile, days"),
    ]
    rows = [
        [
            month_label(month),
            *(f.received[value] for value in Channel.values),
            f.received_total,
            pct(f.digital_share),
            f.decided,
            one(f.median_days),
            one(f.p90_days),
        ]
        for month, f in trend
    ]
    return Table("trend", _("Month by month"), columns, rows)


def service_columns() -> list[str]:
    return [
        _("Received"),
        _("Digital share (%)"),
        _("Decided"),
        _("Median days to decision"),
        _("90th percentile, days"),
        _("Decided within target (%)"),
        _("Interim replies needed"),
        _("Interim replies in time"),
        _("Messages per case"),
        _("Needed more information (%)"),
    ]


def service_cells(f: Figures) -> list:
    return [
        f.received_total,
        pct(f.digital_share),
        f.decided,
        one(f.median_days),
        one(f.p90_days),
        pct(f.in_time_share),
        f.interim_needed,
        f.interim_in_time,
        one(f.messages_per_case),
        pct(f.needed_information_share),
    ]


def services_table(scope: Scope, total: Figures) -> Table:
    rows = [
        [service.title, *service_cells(f)]
        for service, f in figures_by_service(scope.municipality, scope.period)
        if scope.service is None or service.pk == scope.service.pk
    ]
    rows.append([_("Total"), *service_cells(total)])
    return Table("services", _("Figures by service"), [_("Service"), *service_columns()], rows)


def open_table(scope: Scope) -> Table:
    found = open_cases(scope.municipality, scope.today, service=scope.service)
    rows = [
        [_("Under 7 days"), found["under_7"]],
        [_("7–30 days"), found["from_7_to_30"]],
        [_("31–90 days"), found["from_31_to_90"]],
        [_("Over 90 days"), found["over_90"]],
        [_("All open cases"), found["count"]],
    ]
    title = _("Open cases today by age")
    return Table("open", title, [_("Days since receipt"), _("Open cases")], rows)


def adoption_table(scope: Scope) -> Table:
    found = adoption(scope.municipality, scope.period)
    rows = [
        [_("Staff who handled cases"), found["staff"]],
        [_("Cases decided per staff member who handled cases"), one(found["cases_per_caseworker"])],
        [_("Services published"), found["services_published"]],
        [_("Of them adopted from other municipalities"), found["services_adopted"]],
        [_("New versions published in the period"), found["versions_published"]],
    ]
    return Table("adoption", _("Adoption"), [_("Figure"), _("Value")], rows)


def gains_table(scope: Scope, found: dict | None = None) -> Table:
    found = found or gains(scope.municipality, scope.period, today=scope.today)
    now, total = found["period"], found["to_date"]
    rows = [
        [_("Hours of handling saved"), float(now.hours), float(total.hours)],
        [_("Kroner saved on handling"), now.kroner, total.kroner],
        [_("Letters not printed and posted"), now.letters, total.letters],
        [_("Kroner saved on letters"), now.letter_kroner, total.letter_kroner],
        [_("Kroner saved in all"), now.total_kroner, total.total_kroner],
    ]
    columns = [_("Gain"), _("In the period"), _("To date")]
    return Table("gains", _("Gains"), columns, rows)


def fewer_than(value: int, below: int) -> int | str:
    return _("fewer than %(n)s") % {"n": below} if value < below else value


def neighbours_table(period: Period, here: Municipality) -> Table:
    """Every municipality's aggregates side by side, small counts hidden, and the median."""
    below = settings.INSIGHTS_SUPPRESS_BELOW
    rows_in = [(m, suppressed(f, below)) for m, f in neighbours(period)]
    shown = [
        (
            m,
            f,
            f.received_total if f.received_total >= below else None,
            f.decided if f.decided >= below else None,
        )
        for m, f in rows_in
    ]
    rows = [
        [
            m.name,
            fewer_than(f.received_total, below),
            pct(f.digital_share),
            fewer_than(f.decided, below),
            one(f.median_days),
            one(f.p90_days),
            pct(f.in_time_share),
            one(f.messages_per_case),
            pct(f.needed_information_share),
        ]
        for m, f, _r, _d in shown
    ]

    def median_of(values: list[float | None]) -> float | None:
        present = sorted(v for v in values if v is not None)
        if not present:
            return None
        middle = len(present) // 2
        if len(present) % 2:
            return present[middle]
        return (present[middle - 1] + present[middle]) / 2

    rows.append(
        [
            _("Median of the region"),
            one(median_of([r for _m, _f, r, _d in shown])),
            pct(region_median(rows_in, "digital_share")),
            one(median_of([d for _m, _f, _r, d in shown])),
            one(region_median(rows_in, "median_days")),
            one(region_median(rows_in, "p90_days")),
            pct(region_median(rows_in, "in_time_share")),
            one(region_median(rows_in, "messages_per_case")),
            pct(region_median(rows_in, "needed_information_share")),
        ]
    )
    columns = [
        _("Municipality"),
        _("Received"),
        _("Digital share (%)"),
        _("Decided"),
        _("Median days to decision"),
        _("90th percentile, days"),
        _("Decided within target (%)"),
        _("Messages per case"),
        _("Needed more information (%)"),
    ]
    return Table("neighbours", _("Municipalities side by side"), columns, rows)


# The charts


def digital_share_chart(trend: list[tuple[date, Figures]]) -> charts.Chart:
    what = _("Digital share")
    points = [(m, f.digital_share) for m, f in trend if f.digital_share is not None]
    if points:
        (first_month, first), (last_month, last) = points[0], points[-1]
        summary = charts.trend_sentence(
            what, first, last, month_label(first_month), month_label(last_month)
        )
    else:
        summary = _("No applications were received in these months.")
    return charts.line_chart(
        "digital-share",
        _("Digital share of applications received, by month"),
        [formats.date_format(m, "M y") for m, _f in trend],
        [charts.Series(what, [f.digital_share for _m, f in trend])],
        summary,
        fmt=charts.percent,
        share=True,
    )


def decision_days_chart(trend: list[tuple[date, Figures]]) -> charts.Chart:
    points = [(m, f) for m, f in trend if f.median_days is not None]
    if points:
        (first_month, first), (last_month, last) = points[0], points[-1]
        summary = charts.days_sentence(
            first.median_days, last.median_days, month_label(first_month), month_label(last_month)
        )
    else:
        summary = _("No cases were decided in these months.")
    return charts.line_chart(
        "decision-days",
        _("Days from receipt to decision, by month"),
        [formats.date_format(m, "M y") for m, _f in trend],
        [
            charts.Series(_("Median"), [f.median_days for _m, f in trend]),
            charts.Series(_("90th percentile"), [f.p90_days for _m, f in trend]),
        ],
        summary,
    )


def channels_chart(total: Figures) -> charts.Chart:
    labels = [str(label) for _v, label in Channel.choices]
    values = [total.received[value] for value in Channel.values]
    if total.received_total:
        summary = _("Of %(total)s applications, %(share)s came digitally.") % {
            "total": total.received_total,
            "share": charts.percent(total.digital_share),
        }
    else:
        summary = _("No applications were received in the period.")
    return charts.bar_chart(
        "channels",
        _("Applications received by channel"),
        labels,
        values,
        summary,
        column=_("Applications received"),
    )


def days(value: float | None) -> str:
    return "–" if value is None else _("%(n)s days") % {"n": charts.number(value)}


def headline(total: Figures, found: dict) -> list[tuple[str, str]]:
    """The key figures of the period, as (label, text), for the top of the page and the report."""
    now = found["period"]
    interim = (
        _("%(in_time)s of %(needed)s")
        % {"in_time": total.interim_in_time, "needed": total.interim_needed}
        if total.interim_needed
        else "–"
    )
    return [
        (_("Applications received"), charts.number(total.received_total)),
        (_("Digital share"), charts.percent(total.digital_share)),
        (_("Decided"), charts.number(total.decided)),
        (_("Median time to decision"), days(total.median_days)),
        (_("90th percentile time to decision"), days(total.p90_days)),
        (_("Decided within target"), charts.percent(total.in_time_share)),
        (_("Interim replies sent in time"), interim),
        (_("Messages per case"), charts.number(total.messages_per_case)),
        (_("Needed more information"), charts.percent(total.needed_information_share)),
        (_("Hours saved"), charts.number(float(now.hours))),
        (_("Kroner saved"), charts.number(now.total_kroner)),
        (_("Letters not posted"), charts.number(now.letters)),
    ]


def dashboard(scope: Scope) -> dict:
    """Everything the dashboard shows: the headline figures, the charts and the tables."""
    total = figures(scope.municipality, scope.period, service=scope.service)
    trend = months(scope)
    found = gains(scope.municipality, scope.period, today=scope.today)
    tables = {
        "channels": channels_table(scope, total),
        "trend": trend_table(scope, trend),
        "services": services_table(scope, total),
        "open": open_table(scope),
        "adoption": adoption_table(scope),
        "gains": gains_table(scope, found),
    }
    return {
        "total": total,
        "gains": found,
        "headline": headline(total, found),
        "tables": tables,
        "charts": {
            "digital_share": digital_share_chart(trend),
            "decision_days": decision_days_chart(trend),
            "channels": channels_chart(total),
        },
    }


TABLES: dict[str, Callable[[Scope], Table]] = {
    "channels": lambda s: channels_table(s, figures(s.municipality, s.period, service=s.service)),
    "trend": lambda s: trend_table(s, months(s)),
    "services": lambda s: services_table(s, figures(s.municipality, s.period, service=s.service)),
    "open": open_table,
    "adoption": adoption_table,
    "gains": gains_table,
    "neighbours": lambda s: neighbours_table(s.period, s.municipality),
}
