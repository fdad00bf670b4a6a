"""Forms of the inbox, the case page and the applicant's messages. Fields listed explicitly."""

from django import forms
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from servicetorg.cases.constants import CaseStatus, MessageKind
from servicetorg.cases.queries import SORTS, InboxFilter
from servicetorg.catalog.fieldtypes import ACCEPT_MIME
from servicetorg.submissions.constants import Channel
from servicetorg.submissions.uploads import CheckedFile, check_upload

# What a message may carry: the same checks as an application's attachments.
MESSAGE_FILES = {
    "key": "files",
    "type": "file",
    "accept": ["pdf", "png", "jpeg"],
    "max_size_mb": 10,
}
MAX_FILES = 5
MAX_BODY = 5000


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MessageFilesField(forms.FileField):
    """Up to MAX_FILES files, each checked by content; cleans to the files ready to store."""

    def __init__(self, **kwargs) -> None:
        accept = ",".join(ACCEPT_MIME[kind] for kind in MESSAGE_FILES["accept"])
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept}))
        super().__init__(required=False, **kwargs)

    def clean(self, data, initial=None) -> list[CheckedFile]:
        uploads = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(uploads) > MAX_FILES:
            raise ValidationError(_("Attach at most %(n)d files.") % {"n": MAX_FILES})
        return [check_upload(upload, MESSAGE_FILES) for upload in uploads]


def body_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=MAX_BODY, widget=forms.Textarea(attrs={"rows": 5})
    )


class DesignForm(forms.Form):
    """Inputs styled by the design system; ids prefixed, so forms can share a page."""

    id_prefix = "id"

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not field.widget.is_hidden:
                field.widget.attrs.setdefault("class", "ds-input")


class VersionedForm(DesignForm):
    """A change to a case: carries the case version the page was shown with."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class TakeForm(VersionedForm):
    id_prefix = "take"


class AssignForm(VersionedForm):
    id_prefix = "assign"
    assignee = forms.TypedChoiceField(
        label=_("Assign to"), coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args, staff: list[AbstractUser], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.staff = {user.pk: user for user in staff}
        self.fields["assignee"].choices = [("", _("Nobody"))] + [
            (user.pk, user.get_full_name() or user.get_username()) for user in staff
        ]

    def chosen(self) -> AbstractUser | None:
        pk = self.cleaned_data["assignee"]
        return None if pk is None else self.staff[pk]


class StatusForm(VersionedForm):
    id_prefix = "status"
    # Every status is accepted here; the workflow in the action decides what is allowed.
    status = forms.ChoiceField(label=_("New status"), choices=CaseStatus.choices)


class NoteForm(VersionedForm):
    id_prefix = "note"
    body = body_field(_("Internal note (not shown to the applicant)"))


class StaffMessageForm(VersionedForm):
    id_prefix = "message"
    kind = forms.ChoiceField(label=_("Kind"), choices=MessageKind.choices)
    body = body_field(_("Message to the applicant"))
    files = MessageFilesField(label=_("Attachments (optional)"))


class ResidentMessageForm(DesignForm):
    id_prefix = "message"
    body = body_field(_("Your message"))
    files = MessageFilesField(label=_("Attachments (optional)"))


STATUS_FILTERS = [("open", _("Open")), *CaseStatus.choices, ("all", _("All"))]
SORT_CHOICES = [
    ("due", _("Deadline, earliest first")),
    ("-due", _("Deadline, latest first")),
    ("-received", _("Received, newest first")),
    ("received", _("Received, oldest first")),
]
assert {key for key, _label in SORT_CHOICES} == set(SORTS)
CHANNEL_FILTERS = [
    (Channel.DIGITAL, _("Arrived digitally")),
    (Channel.PAPER, _("Arrived on paper")),
    (Channel.EMAIL, _("Arrived by e-mail")),
    (Channel.PHONE, _("Arrived by phone")),
]
assert {key for key, _label in CHANNEL_FILTERS} == set(Channel.values)


class InboxForm(DesignForm):
    id_prefix = "filter"
    q = forms.CharField(label=_("Case number or applicant name"), max_length=100, required=False)
    service = forms.TypedChoiceField(
        label=_("Service"), coerce=int, empty_value=None, required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_FILTERS, required=False)
    assignee = forms.ChoiceField(label=_("Caseworker"), required=False)
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)
    unread = forms.BooleanField(label=_("Only with unread messages"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)
    interim = forms.BooleanField(label=_("Only needing an interim reply"), required=False)
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[("", _("Every channel")), *CHANNEL_FILTERS], required=False
    )

    def __init__(
        self, *args, services: dict[int, str], staff: list[AbstractUser], **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", _("All services")), *services.items()]
        self.fields["assignee"].choices = [
            ("", _("Anyone")),
            ("me", _("Me")),
            ("none", _("Nobody")),
            *((str(u.pk), u.get_full_name() or u.get_username()) for u in staff),
        ]

    def chosen(self) -> InboxFilter:
        """The filter asked for; anything invalid falls back to the default."""
        if not self.is_bound:
            return InboxFilter()
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        return InboxFilter(
            query=data.get("q", ""),
            service=data.get("service"),
            status=data.get("status", "open"),
            assignee=data.get("assignee", ""),
            overdue=data.get("overdue", False),
            unread=data.get("unread", False),
            sort=data.get("sort", "due"),
            interim=data.get("interim", False),
            channel=data.get("channel", ""),
        )
