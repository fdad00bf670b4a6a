"""Sentences for the timeline and the access history, in the reader's language."""

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from servicetorg.cases.constants import AccessAction, ActorKind, CaseStatus, EventKind, MessageKind
from servicetorg.cases.models import CaseAccess, CaseEvent
from servicetorg.submissions.constants import Channel


def status_label(value: str) -> str:
    return str(CaseStatus(value).label) if value in CaseStatus.values else value


def describe_event(event: CaseEvent) -> str:
    """What happened, in one sentence; never the content of a note or a message."""
    data = event.data or {}
    if event.kind == EventKind.STATUS_CHANGED:
        return _("Status changed from %(from)s to %(to)s") % {
            "from": status_label(data.get("from", "")),
            "to": status_label(data.get("to", "")),
        }
    if event.kind == EventKind.ASSIGNED:
        if not data.get("to"):
            return _("No longer assigned to anyone")
        return _("Assigned to %(name)s") % {"name": data["to"]}
    if event.kind == EventKind.MESSAGE_SENT and data.get("kind") in MessageKind.values:
        if data["kind"] != MessageKind.MESSAGE:
            return _("%(kind)s to the applicant") % {"kind": MessageKind(data["kind"]).label}
    if event.kind == EventKind.NOTIFICATION_SKIPPED and data.get("reason"):
        return _("Applicant not notified by e-mail (%(reason)s)") % {"reason": data["reason"]}
    if event.kind == EventKind.INTERIM_REPLY_SENT and data.get("expected_by"):
        expected_by = date_format(date.fromisoformat(data["expected_by"]), "DATE_FORMAT")
        return _("Interim reply sent: an answer is expected by %(date)s") % {"date": expected_by}
    if event.kind == EventKind.ATTACHMENT_INFECTED and data.get("signature"):
        return _("Virus found in an attachment (%(signature)s): the file is held back") % {
            "signature": data["signature"]
        }
    if event.kind == EventKind.REGISTERED_BY_STAFF and data.get("channel") in REGISTERED_FROM:
        return REGISTERED_FROM[data["channel"]]()
    return str(event.get_kind_display())


# An application registered by staff, by how it came: whole sentences for the translators.
REGISTERED_FROM = {
    Channel.PAPER: lambda: _("Registered by staff from an application on paper"),
    Channel.EMAIL: lambda: _("Registered by staff from an application by e-mail"),
    Channel.PHONE: lambda: _("Registered by staff from an application by phone"),
}


def event_actor(event: CaseEvent) -> str:
    if event.actor_kind == ActorKind.SYSTEM:
        return _("System")
    return event.actor_name


def describe_access(access: CaseAccess, attachment_names: dict[str, str]) -> str:
    if access.action == AccessAction.DOWNLOAD:
        name = attachment_names.get(access.target, "")
        return _("Downloaded %(name)s") % {"name": name} if name else _("Downloaded an attachment")
    if access.action == AccessAction.REFUSED:
        name = attachment_names.get(access.target, "")
        if name:
            return _("Was refused %(name)s: not cleared by the virus check") % {"name": name}
        return _("Was refused an attachment: not cleared by the virus check")
    if access.action == AccessAction.CHANGE and access.target in EventKind.values:
        return _("Changed the case: %(what)s") % {"what": EventKind(access.target).label}
    return str(access.get_action_display())
