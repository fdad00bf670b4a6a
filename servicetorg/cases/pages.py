"""What the inbox and the case page show: assembled from queries, for the templates."""

from dataclasses import replace
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from servicetorg.cases.constants import TRANSITIONS, CaseStatus
from servicetorg.cases.deadlines import interim_reply_state
from servicetorg.cases.decision_pages import appeal_sections
from servicetorg.cases.forms import (
    CHANNEL_FILTERS,
    AssignForm,
    InboxForm,
    NoteForm,
    StaffMessageForm,
    StatusForm,
    TakeForm,
)
from servicetorg.cases.models import Case
from servicetorg.cases.queries import (
    InboxFilter,
    StaffScope,
    inbox_counts,
    list_accesses_for_staff,
    list_assignable_staff,
    list_events_for_staff,
    list_messages,
    list_notes_for_staff,
    list_service_titles_for_inbox,
    list_staff_for_inbox,
    list_submission_attachments_for_staff,
    search_inbox,
)
from servicetorg.cases.registration_models import SCAN_KEY
from servicetorg.cases.timeline import describe_access, describe_event, event_actor
from servicetorg.catalog.definitions import Definition
from servicetorg.catalog.engine import answer_sections
from servicetorg.submissions.constants import Channel

PAGE_SIZE = 25
# The inbox's quick filters: (count key, label, the filter a click gives).
QUICK_STATUS = [
    ("open", _("Open"), InboxFilter(status="open")),
    *((f"status_{value}", label, InboxFilter(status=value)) for value, label in CaseStatus.choices),
    ("all", _("All"), InboxFilter(status="all")),
]
QUICK_OTHER = [
    ("overdue", _("Overdue"), InboxFilter(overdue=True)),
    ("unread", _("Unread messages"), InboxFilter(status="all", unread=True)),
    ("mine", _("Mine"), InboxFilter(assignee="me")),
    ("none", _("Not assigned"), InboxFilter(assignee="none")),
    ("interim", _("Interim reply needed"), InboxFilter(interim=True)),
]
# How the open cases arrived: the share that came digitally.
QUICK_CHANNEL = [
    (f"channel_{value}", label, InboxFilter(channel=value)) for value, label in CHANNEL_FILTERS
]
DEFAULTS = InboxFilter()
# The inbox pages through the first MAX_PAGES pages of a list; past that, narrow the search.
MAX_PAGES = 40


class CappedPaginator(Paginator):
    """Counts and pages at most MAX_PAGES pages, so a long list or a deep page never reads all."""

    @property
    def cap(self) -> int:
        return MAX_PAGES * self.per_page

    @cached_property
    def found(self) -> int:
        # One more than the cap tells "more than" apart from "exactly"; any rows will do.
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.found, self.cap)

    @property
    def capped(self) -> bool:
        return self.found > self.cap


def filter_params(chosen: InboxFilter) -> dict[str, str]:
    """The query string that asks for this filter (defaults left out)."""
    params = {
        "q": chosen.query,
        "service": str(chosen.service or ""),
        "status": "" if chosen.status == DEFAULTS.status else chosen.status,
        "assignee": chosen.assignee,
        "overdue": "on" if chosen.overdue else "",
        "unread": "on" if chosen.unread else "",
        "sort": "" if chosen.sort == DEFAULTS.sort else chosen.sort,
        "interim": "on" if chosen.interim else "",
        "channel": chosen.channel,
    }
    return {key: value for key, value in params.items() if value}


def quick_filters(chosen: InboxFilter, counts: dict[str, int | None]) -> list[list[dict]]:
    current = replace(chosen, sort=DEFAULTS.sort)

    def links(entries: list) -> list[dict]:
        return [
            {
                "label": label,
                "count": counts[key],
                "href": "?" + urlencode(filter_params(target)),
                "current": target == current,
            }
            for key, label, target in entries
        ]

    return [links(QUICK_STATUS), links(QUICK_OTHER), links(QUICK_CHANNEL)]


def inbox_context(request: HttpRequest, scope: StaffScope) -> dict:
    today = timezone.localdate()
    titles = list_service_titles_for_inbox(scope.municipality, get_language())
    counts = inbox_counts(scope, today)
    labelled = {pk: f"{title} ({counts.by_service.get(pk, 0)})" for pk, title in titles.items()}
    staff = list_staff_for_inbox(scope.municipality)
    form = InboxForm(request.GET or None, services=labelled, staff=staff)
    chosen = form.chosen()
    page = CappedPaginator(search_inbox(scope, chosen, today), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [
        {
            "case": case,
            "service": titles.get(case.service_id, ""),
            "overdue": case.is_overdue(today),
            "needs_interim_reply": case.needs_interim_reply,
            "channel": "" if case.channel == Channel.DIGITAL else Channel(case.channel).label,
        }
        for case in page
    ]
    return {
        "form": form,
        "chosen": chosen,
        "rows": rows,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "quick": quick_filters(chosen, counts.quick),
        "filtered": chosen != replace(DEFAULTS, sort=chosen.sort),
    }


def case_forms(case: Case, staff: list, bound: forms.Form | None) -> dict[str, forms.Form]:
    """Every change form of the case page, carrying the version the page shows."""
    initial = {"version": case.version}
    made = {
        "take_form": TakeForm(initial=initial),
        "assign_form": AssignForm(initial={**initial, "assignee": case.assignee_id}, staff=staff),
        "status_form": StatusForm(initial=initial),
        "note_form": NoteForm(initial=initial),
        "message_form": StaffMessageForm(initial=initial),
    }
    for name, form in made.items():
        if bound is not None and type(form) is type(bound):
            made[name] = bound
    return made


def _since(request: HttpRequest) -> int | None:
    try:
        return int(request.GET.get("since", ""))
    except ValueError:
        return None


def case_context(
    request: HttpRequest, scope: StaffScope, case: Case, bound: forms.Form | None = None
) -> dict:
    lang = get_language()
    submission = case.submission
    definition = submission.definition
    attachments = list_submission_attachments_for_staff(case)
    thread = list_messages(case)
    events = list_events_for_staff(case)
    staff = list_assignable_staff(case.municipality, case.department)
    names = {str(a.pk): a.name for a in attachments}
    names.update({str(a.pk): a.name for m in thread for a in m.attachments.all()})
    names.update({str(d.pk): d.letter_filename for d in case.decisions.all()})
    since = _since(request)
    timeline = [{"event": e, "text": describe_event(e), "actor": event_actor(e)} for e in events]
    return {
        "case": case,
        "title": definition.t("title", lang),
        "version": submission.service_version,
        "sections": appeal_sections(case) or answer_sections(definition, submission.answers, lang),
        "attachments": [
            {"file": a, "field": _field_label(definition, a.field_key, lang)} for a in attachments
        ],
        "thread": thread,
        "notes": list_notes_for_staff(case),
        "timeline": timeline,
        "changes": [t for t in timeline if since and t["event"].case_version > since],
        "accesses": [
            {"access": a, "text": describe_access(a, names)} for a in list_accesses_for_staff(case)
        ],
        "next_statuses": [(s, CaseStatus(s).label) for s in TRANSITIONS[case.status]],
        "staff": staff,
        "overdue": case.is_overdue(timezone.localdate()),
        "interim": interim_reply_state(case, events, timezone.localdate()),
        "is_mine": case.assignee_id == scope.user.pk,
        **case_forms(case, staff, bound),
    }


def _field_label(definition: Definition, key: str, lang: str) -> str:
    if key == SCAN_KEY:
        return str(_("Original application (scan)"))
    field = definition.fields.get(key)
    return Definition.text(field.get("label"), lang) if field else key
