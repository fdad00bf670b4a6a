"""The administrator's access report (GDPR art. 15): every access to one person's data, as a file.

The accesses are those to the person's cases, and the staff's look-ups of the person in the
registers (before any case of theirs existed, say), merged in time order.

The identity number is asked for in a POST form, never put in an address (SECURITY 14.2.1), and
never written to the log (16.2.5). Only this municipality's cases and look-ups are reported.
"""

import csv
import io
import logging
from datetime import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from servicetorg.accounts.actions import record_access_report
from servicetorg.accounts.constants import Role
from servicetorg.accounts.decorators import staff_required
from servicetorg.accounts.queries import list_access_reports_for_admin
from servicetorg.cases.constants import ActorKind
from servicetorg.cases.models import CaseAccess
from servicetorg.cases.queries import list_accesses_for_person
from servicetorg.cases.timeline import describe_access
from servicetorg.identity.models import RegisterLookup
from servicetorg.identity.queries import list_register_lookups_for_person
from servicetorg.lib.idnumbers import fnr_problem

log = logging.getLogger("servicetorg.security")

PROBLEMS = {
    "format": gettext_lazy("Enter the identity number as 11 digits."),
    "checksum": gettext_lazy("This is not a valid identity number: check the digits."),
    "date": gettext_lazy("This is not a valid identity number: the date does not exist."),
    "synthetic": gettext_lazy("Synthetic test numbers are not accepted here."),
}
COLUMNS = {
    "time": gettext_lazy("Time"),
    "case": gettext_lazy("Case number"),
    "who": gettext_lazy("Who"),
    "name": gettext_lazy("Name"),
    "username": gettext_lazy("User name"),
    "action": gettext_lazy("Action"),
    "description": gettext_lazy("Description"),
}
# The action of a look-up in the registers, beside the case accesses' "view", "download", ...
LOOKUP_ACTION = "lookup"
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class AccessReportForm(forms.Form):
    pid = forms.CharField(label=gettext_lazy("Identity number (11 digits)"), max_length=20)
    format = forms.ChoiceField(
        label=gettext_lazy("File format"),
        choices=[("csv", gettext_lazy("CSV (spreadsheet)")), ("json", "JSON")],
        initial="csv",
        required=False,
    )

    def clean_pid(self) -> str:
        value = self.cleaned_data["pid"].strip().replace(" ", "")
        problem = fnr_problem(value, allow_synthetic=settings.ALLOW_SYNTHETIC_IDS)
        if problem is not None:
            raise ValidationError(PROBLEMS[problem], code=problem)
        return value


def describe_actor(access: CaseAccess) -> tuple[str, str, str]:
    """Who, as (kind, name, user name): the name stored with the access, as it was then."""
    if access.actor_kind == ActorKind.RESIDENT:
        return "applicant", _("the applicant"), ""
    if access.actor_kind == ActorKind.STAFF:
        username = access.user.get_username() if access.user else ""
        return "staff", access.actor_name, username
    return "system", _("System"), ""


def describe_lookup(lookup: RegisterLookup) -> str:
    """What the look-up was, and why: never the number looked up."""
    return _("Looked up in the registers: %(why)s") % {"why": lookup.get_purpose_display()}


def report_rows(accesses: list[CaseAccess], lookups: list[RegisterLookup]) -> list[dict[str, str]]:
    """One row per case access and per look-up in the registers, oldest first."""
    timed: list[tuple[datetime, int, int, dict[str, str]]] = []
    for access in accesses:
        who, name, username = describe_actor(access)
        row = {
            "time": timezone.localtime(access.at).isoformat(timespec="seconds"),
            "case": access.case.number,
            "who": who,
            "name": name,
            "username": username,
            "action": access.action,
            "description": describe_access(access, {}),
        }
        timed.append((access.at, 1, access.pk, row))
    for lookup in lookups:
        row = {
            "time": timezone.localtime(lookup.at).isoformat(timespec="seconds"),
            "case": "",
            "who": "staff",
            "name": lookup.actor_name,
            "username": lookup.user.get_username() if lookup.user else "",
            "action": LOOKUP_ACTION,
            "description": describe_lookup(lookup),
        }
        # At the same instant, the look-up goes first: it comes before the case it leads to.
        timed.append((lookup.at, 0, lookup.pk, row))
    timed.sort(key=lambda item: item[:3])
    return [row for _at, _order, _pk, row in timed]


def spreadsheet_safe(value: str) -> str:
    """The value with a leading apostrophe when a spreadsheet would run it as a formula."""
    return "'" + value if value.startswith(FORMULA_START) else value


def csv_response(rows: list[dict[str, str]], filename: str) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([spreadsheet_safe(str(label)) for label in COLUMNS.values()])
    for row in rows:
        writer.writerow([spreadsheet_safe(row[key]) for key in COLUMNS])
    # The byte order mark makes spreadsheets read the file as UTF-8 (æ, ø, å).
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def json_response(rows: list[dict[str, str]], filename: str, slug: str) -> HttpResponse:
    generated = timezone.localtime().isoformat(timespec="seconds")
    response = JsonResponse({"municipality": slug, "generated": generated, "accesses": rows})
    response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
    return response


@require_http_methods(["GET", "POST"])
@staff_required(Role.ADMIN)
def access_report(request: HttpRequest) -> HttpResponse:
    """The form (GET), and the report for the number posted (POST)."""
    municipality = request.municipality  # type: ignore[attr-defined]
    if request.method == "GET":
        return _report_page(request, AccessReportForm())
    form = AccessReportForm(request.POST)
    if not form.is_valid():
        log.info("access report refused municipality=%s by=%s", municipality.slug, request.user.pk)
        return _report_page(request, form)
    pid = form.cleaned_data["pid"]
    accesses = list_accesses_for_person(municipality, pid)
    lookups = list_register_lookups_for_person(municipality, pid)
    rows = report_rows(accesses, lookups)
    chosen = form.cleaned_data["format"] or "csv"
    record_access_report(municipality, pid, file_format=chosen, rows=len(rows), actor=request.user)
    # The request is itself an access to the person's data: logged with the cases, not the number.
    cases = sorted({str(access.case_id) for access in accesses})
    log.info(
        "access report made municipality=%s by=%s format=%s rows=%d lookups=%d cases=%s",
        municipality.slug,
        request.user.pk,
        chosen,
        len(rows),
        len(lookups),
        ",".join(cases) or "-",
    )
    filename = f"innsyn-{municipality.slug}-{timezone.localdate():%Y-%m-%d}"
    if chosen == "json":
        return json_response(rows, filename, municipality.slug)
    return csv_response(rows, filename)


def _report_page(request: HttpRequest, form: AccessReportForm) -> HttpResponse:
    """The form, and the reports produced lately, so that administrators see each other's."""
    recent = list_access_reports_for_admin(request.municipality)  # type: ignore[attr-defined]
    return render(request, "accounts/access_report.html", {"form": form, "recent": recent})
