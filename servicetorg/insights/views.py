"""The leaders' dashboard: figures, neighbours, gain settings, exports and the printable report."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from servicetorg.accounts.constants import Role
from servicetorg.accounts.decorators import staff_required
from servicetorg.catalog.models import Service
from servicetorg.insights import actions
from servicetorg.insights.exports import export_response
from servicetorg.insights.forms import GainsForm, PeriodForm
from servicetorg.insights.gains import service_minutes, settings_for
from servicetorg.insights.tables import TABLES, Scope, dashboard, neighbours_table
from servicetorg.lib.access import refused

FORMATS = ("csv", "xlsx")


def _services(request: HttpRequest) -> list[Service]:
    found = Service.objects.filter(
        municipality=request.municipality,  # type: ignore[attr-defined]
        published_version__isnull=False,
    )
    return list(found.select_related("published_version").order_by("slug", "pk"))


def _scope(request: HttpRequest) -> tuple[PeriodForm, Scope]:
    """The period and service the GET form chose; the current year and all services if none."""
    today = timezone.localdate()
    services = _services(request)
    form = PeriodForm(request.GET or None, services={s.pk: s.title for s in services}, today=today)
    chosen = form.service_id()
    service = next((s for s in services if s.pk == chosen), None)
    scope = Scope(request.municipality, form.chosen_period(), service, today)  # type: ignore[attr-defined]
    return form, scope


def _context(form: PeriodForm, scope: Scope) -> dict:
    query = form.data.urlencode() if form.is_bound and form.is_valid() else ""
    return {
        "form": form,
        "period": scope.period,
        "period_label": scope.period.label(),
        "service": scope.service,
        "query": query,
    }


def _dashboard(request: HttpRequest, template: str) -> HttpResponse:
    form, scope = _scope(request)
    context = {**_context(form, scope), **dashboard(scope)}
    return render(request, template, context)


@require_GET
@staff_required(Role.LEADER, Role.ADMIN)
def dashboard_page(request: HttpRequest) -> HttpResponse:
    return _dashboard(request, "insights/dashboard.html")


@require_GET
@staff_required(Role.LEADER, Role.ADMIN)
def report(request: HttpRequest) -> HttpResponse:
    """The same figures as a one-page report to print for the municipal council."""
    return _dashboard(request, "insights/report.html")


@require_GET
@staff_required(Role.LEADER, Role.ADMIN)
def neighbours_page(request: HttpRequest) -> HttpResponse:
    form, scope = _scope(request)
    table = neighbours_table(scope.period, scope.municipality)
    context = {
        **_context(form, scope),
        "table": table,
        "suppress_below": settings.INSIGHTS_SUPPRESS_BELOW,
    }
    return render(request, "insights/neighbours.html", context)


@require_GET
@staff_required(Role.LEADER, Role.ADMIN)
def export(request: HttpRequest, table: str, fmt: str) -> HttpResponse:
    if table not in TABLES or fmt not in FORMATS:
        raise refused("insights-table")
    _form, scope = _scope(request)
    period = scope.period
    name = f"{scope.municipality.slug}-{table}-{period.start}-{period.end}"
    if scope.service is not None:
        name += f"-{scope.service.slug}"
    return export_response(TABLES[table](scope), name, fmt)


@require_http_methods(["GET", "POST"])
@staff_required(Role.LEADER, Role.ADMIN)
def gain_settings(request: HttpRequest) -> HttpResponse:
    municipality = request.municipality  # type: ignore[attr-defined]
    services = _services(request)
    costs = settings_for(municipality)
    initial = {"hourly_cost_nok": costs.hourly_cost_nok, "letter_cost_nok": costs.letter_cost_nok}
    for service in services:
        for channel, minutes in service_minutes(service).items():
            initial[GainsForm.field_name(service, channel)] = minutes
    form = GainsForm(request.POST or None, initial=initial, services=services)
    if request.method == "POST" and form.is_valid():
        actions.set_costs(
            municipality,
            hourly_cost_nok=form.cleaned_data["hourly_cost_nok"],
            letter_cost_nok=form.cleaned_data["letter_cost_nok"],
            actor=request.user,
        )
        for service in services:
            minutes = form.minutes()[service.pk]
            # Unchanged defaults stay defaults: a later change of the defaults reaches them.
            if minutes != service_minutes(service):
                actions.set_service_minutes(service, minutes, actor=request.user)
        messages.success(request, _("The gain settings are saved."))
        return redirect("insights:dashboard", municipality=municipality.slug)
    return render(request, "insights/gains.html", {"form": form})
