"""Reads of decisions and appeals, for a case already fetched through its access rule."""

from django.db.models import QuerySet

from servicetorg.cases.decision_models import Decision
from servicetorg.cases.models import Case
from servicetorg.lib.access import parse_uuid, refused
from servicetorg.submissions.models import Attachment


def list_decisions(case: Case) -> QuerySet[Decision]:
    return case.decisions.order_by("sent_at")


def latest_decision(case: Case) -> Decision | None:
    return case.decisions.order_by("-sent_at").first()


def get_decision(case: Case, decision_id: str) -> Decision:
    """A decision of this case; 404 for anything else."""
    found = Decision.objects.filter(id=parse_uuid(decision_id, "decision"), case=case).first()
    if found is None:
        raise refused("decision")
    return found


def list_appeals(case: Case) -> QuerySet[Case]:
    """The appeals (klager) of this case's decisions: cases of their own."""
    return case.appeals.order_by("received_at")


def list_appeal_attachments(appeal: Case) -> QuerySet[Attachment]:
    return Attachment.objects.filter(submission_id=appeal.submission_id).order_by("created_at")
