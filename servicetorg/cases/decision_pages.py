"""What the decision page, the case pages and "Mine saker" show of decisions and appeals."""

from django.conf import settings
from django.utils.translation import gettext as _

from servicetorg.cases.decision_actions import DECIDABLE, can_appeal
from servicetorg.cases.decision_forms import AppealForm, DecisionForm, TemplateChoiceForm
from servicetorg.cases.decision_models import Outcome
from servicetorg.cases.decision_queries import (
    list_appeal_attachments,
    list_appeals,
    list_decisions,
)
from servicetorg.cases.models import Case
from servicetorg.cases.queries import list_events_for_staff
from servicetorg.cases.timeline import describe_event, event_actor


def appeal_sections(case: Case) -> list[dict]:
    """An appeal's submission as answer sections; [] for any other case (see pages.py)."""
    if not case.appeal_of_id:
        return []
    answers = case.submission.answers
    rows = [
        (_("Appeal of case"), answers.get("appeal_of", ""), "appeal_of"),
        (_("The appeal"), answers.get("appeal_text", ""), "appeal_text"),
    ]
    return [
        {
            "number": 1,
            "title": _("Appeal (klage)"),
            "rows": [{"label": label, "value": value, "key": key} for label, value, key in rows],
        }
    ]


def write_context(
    case: Case,
    chooser: TemplateChoiceForm,
    form: DecisionForm,
    since: int | None = None,
) -> dict:
    outcome = form["outcome"].value()
    changes = []
    if since is not None:
        events = [e for e in list_events_for_staff(case) if e.case_version > since]
        changes = [{"event": e, "text": describe_event(e), "actor": event_actor(e)} for e in events]
    return {
        "case": case,
        "chooser": chooser,
        "form": form,
        "outcome_label": Outcome(outcome).label if outcome in Outcome.values else "",
        "outcomes": Outcome.choices,
        "language_label": dict(settings.LANGUAGES).get(form["language"].value(), ""),
        "decidable": case.status in DECIDABLE,
        "changes": changes,
    }


def resident_decision_context(case: Case, appeal_form: AppealForm | None = None) -> dict:
    """The decisions, the appeal form while it may be used, and the appeals made (mine_detail)."""
    decisions = list(list_decisions(case))
    return {
        "decisions": decisions,
        "appeals": list(list_appeals(case)),
        "can_appeal": can_appeal(case, decisions[-1]) if decisions else False,
        "appeal_form": appeal_form or AppealForm(),
        "appeal_files": list(list_appeal_attachments(case)) if case.appeal_of_id else [],
    }
